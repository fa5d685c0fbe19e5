"""CLI: the STAR story bank (story add/list/show/edit/rm/coverage), its refusals, export and
import, answers files, the plan and the report."""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pdf_text import pdf_text

from assess.cli import cli

TODAY = "2026-11-30"
BEHAVIORAL = ["rs-pitch-q1", "bh-ambiguity-q1", "bh-cross-functional-q1", "bh-failure-q1",
              "bh-star-impact-q1"]
GOOD = {
    "title": "Spam model rollback",
    "situation": "Our new spam model lost its A/B test after a strong offline result.",
    "task": "I owned finding out why before the next release.",
    "action": "I compared training and serving features one at a time, found a feature "
              "computed differently online, wrote a shared transform and re-ran the test.",
    "result": "The re-run won and we cut false positives 30%.",
    "metric": "cut false positives 30%",
    "topics": ["bh-failure"],
    "questions": ["bh-failure-q1"],
}
VAGUE = {
    "title": "Disagreeing with a PM",
    "situation": "A PM wanted a ranking feature shipped in a week.",
    "task": "I had to decide the scope with her.",
    "action": "I built a small prototype, showed her the offline numbers and we agreed on a "
              "smaller first version.",
    "result": "It went well and everyone was happy.",
    "topics": ["bh-cross-functional"],
    "questions": ["bh-cross-functional-q1"],
}


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--today", TODAY, *args], input=input)


def write(tmp_path: Path, name: str, data: object) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def files(home: Path) -> dict[str, str]:
    """The bytes of every file of the store (the database and its -wal and -shm files)."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(home.iterdir()) if p.is_file()}


def add(tmp_path: Path, *stories: dict) -> Result:
    result = invoke("story", "add", "--from",
                    str(write(tmp_path, "stories.yaml", {"stories": list(stories)})))
    assert result.exit_code == 0, result.output
    return result


def test_add_from_file_then_list_flags_the_story_without_a_metric(tmp_path: Path) -> None:
    result = add(tmp_path, GOOD, VAGUE)
    assert result.stdout == (
        "Added story 1: Spam model rollback\n"
        "Added story 2: Disagreeing with a PM\n"
        "  ! vague-result: the Result names no number or concrete outcome: say what changed "
        "(shipped, cut, raised) and by how much\n"
        "  ! no-metric: no measured result: add the number (e.g. \"cut false positives 30%\")\n"
    )
    listed = invoke("story", "list")
    assert listed.exit_code == 0
    assert listed.stdout == (
        "  1  Spam model rollback  [bh-failure-q1]\n"
        "     ok: well told\n"
        "  2  Disagreeing with a PM  [bh-cross-functional-q1]\n"
        "     ! vague-result: the Result names no number or concrete outcome: say what changed "
        "(shipped, cut, raised) and by how much\n"
        "     ! no-metric: no measured result: add the number (e.g. \"cut false positives "
        "30%\")\n"
    )
    data = json.loads(invoke("story", "list", "--json").stdout)
    assert data["schema"] == 1
    data = data["stories"]
    assert [(s["id"], s["title"], [f["code"] for f in s["flags"]]) for s in data] == [
        (1, "Spam model rollback", []),
        (2, "Disagreeing with a PM", ["vague-result", "no-metric"]),
    ]
    assert data[0]["metric"] == "cut false positives 30%" and data[1]["metric"] is None
    assert len(data[0]["uid"]) == 32
    # the same file again adds nothing
    again = add(tmp_path, GOOD, VAGUE)
    assert again.stdout == ("Already here: story 1: Spam model rollback\n"
                            "Already here: story 2: Disagreeing with a PM\n")


def test_a_plain_list_and_json_are_story_files_too(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps([GOOD]), encoding="utf-8")
    result = invoke("story", "add", "--from", str(path))
    assert result.exit_code == 0 and result.stdout == "Added story 1: Spam model rollback\n"


def test_show_prints_the_whole_story(tmp_path: Path) -> None:
    add(tmp_path, VAGUE)
    shown = invoke("story", "show", "1")
    assert shown.exit_code == 0
    assert shown.stdout.splitlines()[:12] == [
        "Story 1: Disagreeing with a PM", "",
        "Situation:", "  A PM wanted a ranking feature shipped in a week.",
        "Task:", "  I had to decide the scope with her.",
        "Action:", "  " + VAGUE["action"],
        "Result:", "  It went well and everyone was happy.",
        "Metric: (none)",
        "Topics: Cross-functional teamwork (bh-cross-functional)",
    ]
    assert shown.stdout.splitlines()[-3:-2] == ["Flags:"]
    missing = invoke("story", "show", "9")
    assert missing.exit_code == 2
    assert missing.stderr == "Error: ID: no story 9 (`assess story list` shows the ids)\n"


def test_coverage_grid_and_json(tmp_path: Path) -> None:
    add(tmp_path, GOOD, {**VAGUE, "questions": BEHAVIORAL})
    grid = invoke("story", "coverage")
    assert grid.exit_code == 0
    lines = grid.stdout.splitlines()
    assert lines[0] == " " * 24 + "   #1   #2"
    assert "  bh-failure-q1             x    x" in lines
    assert "  rs-pitch-q1               .    x" in lines
    assert lines[-2:] == [
        "Every one of the 5 behavioral questions has a story.",
        "Stretched: story 2 answers 5 questions (at most 3); write another story for some of "
        "them.",
    ]
    data = json.loads(invoke("story", "coverage", "--json").stdout)
    assert data == {"rs-pitch-q1": [2], "bh-ambiguity-q1": [2], "bh-cross-functional-q1": [2],
                    "bh-failure-q1": [1, 2], "bh-star-impact-q1": [2]}
    flags = json.loads(invoke("story", "list", "--json").stdout)["stories"][1]["flags"]
    assert "stretched" in [f["code"] for f in flags]


def test_coverage_names_the_uncovered_questions() -> None:
    result = invoke("story", "coverage")
    assert result.stdout.splitlines()[-1] == (
        "Uncovered: 5 of 5 questions (rs-pitch-q1, bh-ambiguity-q1, bh-cross-functional-q1, "
        "bh-failure-q1, bh-star-impact-q1); add a story with `assess story add`.")


def test_rm_asks_first_and_yes_skips(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add(tmp_path, GOOD, VAGUE)
    no_tty = invoke("story", "rm", "1")
    assert no_tty.exit_code == 2
    assert no_tty.stderr == "Error: no terminal to ask on: pass --yes to remove the story\n"
    monkeypatch.setattr("assess.cli.common.stdin_is_tty", lambda: True)
    kept = invoke("story", "rm", "1", input="n\n")
    assert kept.exit_code == 0
    assert kept.stdout == "Remove story 1: Spam model rollback? [y/N]: n\nKept.\n"
    removed = invoke("story", "rm", "1", input="y\n")
    assert removed.stdout.endswith("Removed story 1: Spam model rollback\n")
    gone = invoke("story", "rm", "2", "--yes")
    assert gone.stdout == "Removed story 2: Disagreeing with a PM\n"
    assert json.loads(invoke("story", "list", "--json").stdout) == {"schema": 1, "stories": []}


def _editor(tmp_path: Path, script: str) -> str:
    path = tmp_path / "editor.py"
    path.write_text("import sys\np = sys.argv[1]\ntext = open(p, encoding='utf-8').read()\n"
                    + script + "\nopen(p, 'w', encoding='utf-8').write(text)\n")
    return f"{sys.executable} {path}"


def test_edit_validates_on_save(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                assess_home: Path) -> None:
    add(tmp_path, VAGUE)
    monkeypatch.setenv("EDITOR", _editor(
        tmp_path, "text = text.replace('It went well and everyone was happy.', "
                  "'Shipped in a week; 12% more clicks.')"))
    edited = invoke("story", "edit", "1")
    assert edited.exit_code == 0, edited.output
    assert edited.stdout == "Saved story 1: Disagreeing with a PM\n"
    data = json.loads(invoke("story", "list", "--json").stdout)["stories"][0]
    assert data["result"] == "Shipped in a week; 12% more clicks." and data["flags"] == []

    before = files(assess_home)
    monkeypatch.setenv("EDITOR", _editor(tmp_path, "text = text.replace('action: ', "
                                                   "'action: \"\"\\nx: ')"))
    bad = invoke("story", "edit", "1")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: story 1 (edited): ")
    assert "Traceback" not in bad.output
    assert files(assess_home) == before

    monkeypatch.setenv("EDITOR", _editor(tmp_path, "pass"))
    same = invoke("story", "edit", "1")
    assert same.exit_code == 0 and same.stdout == "No change: story 1 is as it was.\n"


def test_add_without_a_terminal_names_the_flag() -> None:
    result = invoke("story", "add")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no terminal to ask on: pass --from FILE (a YAML or JSON "
                             "list of stories; - for stdin)\n")


@pytest.mark.parametrize(("change", "message"), [
    ({"action": "   "}, "line 5: stories.0.action: empty; every STAR part needs a sentence or two"),
    ({"topics": ["bh-nope"]},
     "line 10: stories.0.topics.0: unknown topic 'bh-nope' in rubric discord-mle"),
    ({"action": "I " + "a" * 1_000_000},
     "line 5: stories.0.action: String should have at most 5000 characters"),
    ({"title": "bad\x1b[31m"},
     "line 2: stories.0.title: control character U+001B is not allowed (plain text only)"),
    ({"questions": ["sd-serving-q1"]},
     "line 12: stories.0.questions.0: 'sd-serving-q1' is not a behavioral question of rubric "
     "discord-mle (known: rs-pitch-q1, bh-ambiguity-q1, bh-cross-functional-q1, bh-failure-q1, "
     "bh-star-impact-q1)"),
    ({"extra": 1}, "line 13: stories.0.extra: unknown field (allowed: title, situation, task, "
                   "action, result, metric, topics, questions)"),
])
def test_bad_stories_are_refused_and_nothing_changes(tmp_path: Path, assess_home: Path,
                                                     change: dict, message: str) -> None:
    add(tmp_path, VAGUE)
    before = files(assess_home)
    path = write(tmp_path, "bad.yaml", {"stories": [{**GOOD, **change}]})
    result = invoke("story", "add", "--from", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}: {message}\n"
    assert files(assess_home) == before


def test_export_then_import_into_a_new_home_gives_the_same_stories(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    add(tmp_path, GOOD, VAGUE)
    out = tmp_path / "backup.json"
    exported = invoke("export", str(out))
    assert exported.exit_code == 0
    assert exported.stderr == f"Exported 0 assessments and 0 hours entries, 2 stories to {out}.\n"
    mine = json.loads(invoke("story", "list", "--json").stdout)
    monkeypatch.setenv("ASSESS_HOME", str(tmp_path / "other"))
    first = invoke("import", str(out))
    assert first.exit_code == 0, first.output
    assert first.stdout.splitlines()[-1] == "Stories: 2 imported, 0 already here."
    second = invoke("import", str(out))
    assert second.stdout.splitlines()[-1] == "Stories: 0 imported, 2 already here."
    assert json.loads(invoke("story", "list", "--json").stdout) == mine


def test_an_import_with_a_bad_story_is_refused_whole(tmp_path: Path,
                                                     assess_home: Path) -> None:
    add(tmp_path, GOOD)
    out = tmp_path / "backup.json"
    invoke("export", str(out))
    data = json.loads(out.read_text())
    data["stories"][0]["uid"] = "f" * 32
    data["stories"][0]["topics"] = ["nope"]
    out.write_text(json.dumps(data))
    before = files(assess_home)
    result = invoke("import", str(out))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {out}: stories.0.topics.0: unknown topic 'nope'\n"
    assert files(assess_home) == before


def test_answers_files_carry_stories(tmp_path: Path) -> None:
    template = invoke("rate", "--template").stdout
    answers = yaml.safe_load(template)
    answers["ratings"] = {k: 2 for k in answers["ratings"]}
    answers["hours"] = {}
    answers["stories"] = [GOOD]
    path = write(tmp_path, "week1.yaml", answers)
    result = invoke("rate", "--answers", str(path))
    assert result.exit_code == 0, result.output
    assert "Added 1 STAR story (`assess story list`).\n" in result.stderr
    listed = json.loads(invoke("story", "list", "--json").stdout)["stories"]
    assert [s["title"] for s in listed] == ["Spam model rollback"]
    answers["stories"] = [{**GOOD, "topics": ["nope"]}]
    bad = invoke("rate", "--answers", str(write(tmp_path, "bad.yaml", answers)))
    assert bad.exit_code == 2
    assert "stories.0.topics.0: unknown topic 'nope' in rubric discord-mle" in bad.stderr


def _profile_and_ratings(tmp_path: Path) -> None:
    init = invoke("init", "--no-input", "--name", "Sam Lee", "--interview-date", "2026-12-28",
                  "--hours-per-week", "10", "--target-level", "4")
    assert init.exit_code == 0, init.output
    answers = yaml.safe_load(invoke("rate", "--template").stdout)
    answers["ratings"] = {k: 2 for k in answers["ratings"]}
    answers["hours"] = {}
    assert invoke("rate", "--answers", str(write(tmp_path, "a.yaml", answers))).exit_code == 0


def test_plan_and_report_show_what_is_uncovered(tmp_path: Path) -> None:
    _profile_and_ratings(tmp_path)
    add(tmp_path, GOOD, VAGUE)
    plan = json.loads(invoke("plan", "--json").stdout)
    writes = {s["topic"] for w in plan["weeks"] for s in w["sessions"]
              if s["activity"] == "story" and s["detail"].startswith("Write a story for: ")}
    # the plan writes the stories of the behavioral topics it works this time; the report
    # lists every uncovered question
    assert writes == {"bh-ambiguity"}
    report = json.loads(invoke("report", "-o", "-", "--format", "json").stdout)
    assert [q["id"] for q in report["stories"]["uncovered"]] == [
        "rs-pitch-q1", "bh-ambiguity-q1", "bh-star-impact-q1"]
    assert [(s["id"], [f["code"] for f in s["flags"]]) for s in report["stories"]["items"]] == [
        (1, []), (2, ["vague-result", "no-metric"])]
    md = invoke("report", "-o", "-", "--format", "md").stdout
    section = md[md.index("## STAR stories"):md.index("## Questions for my mentor")]
    # ids print as typed: a hyphen inside a word needs no Markdown escape
    assert "- Navigating ambiguity (bh-ambiguity-q1): Tell me about" in section
    assert "- #2 Disagreeing with a PM: vague-result, no-metric\n" in section
    html = tmp_path / "r.html"
    assert invoke("report", "-o", str(html)).exit_code == 0
    text = html.read_text()
    assert '<section id="stories">' in text and "none yet" in text


def test_hostile_story_text_is_escaped_in_every_format(tmp_path: Path) -> None:
    _profile_and_ratings(tmp_path)
    hostile = "<script>alert(1)</script> **bold** [x](http://evil.invalid) `code`"
    add(tmp_path, {**GOOD, "title": hostile, "metric": "<img src=x onerror=alert(1)>"})
    html = tmp_path / "r.html"
    assert invoke("report", "-o", str(html)).exit_code == 0
    text = html.read_text()
    assert "<script>alert(1)" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<img src=x" not in text
    md = invoke("report", "-o", "-", "--format", "md").stdout
    # Markdown-escaped: shown as typed, never a tag, a link or bold
    assert "\\<script\\>" in md and "\\[x\\](http" in md and "\\*\\*bold\\*\\*" in md
    assert "<script>" not in md.replace("\\<script\\>", "")
    data = json.loads(invoke("report", "-o", "-", "--format", "json").stdout)
    assert data["stories"]["items"][0]["title"] == hostile
    pdf = tmp_path / "r.pdf"
    result = invoke("report", "-o", str(pdf), "--full")  # the story grid
    assert result.exit_code == 0, result.output
    words = pdf_text(pdf)
    assert "<script>alert(1)</script>" in words  # drawn as text, never run
    listed = invoke("story", "list").stdout
    assert "\x1b" not in listed and hostile[:40] in listed


def test_every_story_command_ends_its_help_with_an_example() -> None:
    for command in ("add", "list", "show", "edit", "rm", "coverage"):
        result = invoke("story", command, "--help")
        assert result.exit_code == 0
        assert result.stdout.rstrip().splitlines()[-1].startswith("  Example: assess story ")
    assert invoke("story", "--help").stdout.rstrip().splitlines()[-1] == (
        "  Example: assess story add --from stories.yaml")


def test_add_from_standard_input() -> None:
    result = invoke("story", "add", "--from", "-", input=json.dumps({"stories": [GOOD]}))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Added story 1: Spam model rollback\n"
    empty = invoke("story", "add", "--from", "-", input="[]")
    assert empty.exit_code == 2
    assert empty.stderr == "Error: <stdin>: no stories in the file\n"
