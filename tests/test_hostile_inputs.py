"""Hostile input to stories, stages, practice, done and import: bounded, refused in one or two
plain lines with exit 2 and the database byte-identical, and never an answer thrown away.

Every test has a timeout; where memory matters the command runs in a child process under an
address-space limit and its peak memory is checked (tests/bounded.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import multiprocessing
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from bounded import run_assess
from click.testing import CliRunner, Result

from assess.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini-rubric.yaml")
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]
WEEK1, WEEK2 = "2026-11-25", "2026-12-02"

pytestmark = pytest.mark.timeout(90)


def invoke(*args: str, today: str = WEEK2, input: str | None = None,
           home: Path | None = None) -> Result:
    env = {"ASSESS_HOME": str(home)} if home is not None else None
    return CliRunner().invoke(cli, ["--today", today, *args], input=input, env=env)


def digest(home: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(home.glob("assess.db*")) if not p.name.endswith("-shm")}


def refused(result: Result, lines: int = 1) -> str:
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output and "unexpected" not in result.output
    assert len(result.stderr.splitlines()) == lines, result.stderr
    return result.stderr


@pytest.fixture()
def home(tmp_path: Path, assess_home: Path) -> Path:
    """A profile on the mini rubric, every topic self-rated 2 on WEEK1."""
    init = invoke("init", "--name", "Ana", "--rubric", MINI, "--interview-date", "2026-12-23",
                  "--no-input", today=WEEK1)
    assert init.exit_code == 0, init.output
    answers = tmp_path / "w1.yaml"
    answers.write_text("ratings: {" + ", ".join(f"{t}: 2" for t in TOPICS) + "}\n")
    assert invoke("rate", "--answers", str(answers), today=WEEK1).exit_code == 0
    return assess_home


def story(n: int) -> dict:
    return {"title": f"Story number {n}", "situation": f"Situation {n}.", "task": "A task.",
            "action": "I did a thing.", "result": f"It cut latency by {n}%."}


def add_stories(tmp_path: Path, stories: list[dict], name: str = "s.json",
                home: Path | None = None) -> Result:
    path = tmp_path / name
    path.write_text(json.dumps({"stories": stories}))
    return invoke("story", "add", "--from", str(path), home=home)


# ----- stories: capped per home and per file ---------------------------------------------------


@pytest.mark.timeout(60)
def test_stories_are_capped_per_home(home: Path, tmp_path: Path) -> None:
    from assess.stories.star import MAX_STORIES_PER_HOME

    assert MAX_STORIES_PER_HOME == 200
    assert add_stories(tmp_path, [story(n) for n in range(150)]).exit_code == 0
    assert add_stories(tmp_path, [story(n) for n in range(150, 200)]).exit_code == 0
    before = digest(home)
    result = add_stories(tmp_path, [story(1000)], "one-more.json")
    assert refused(result) == (
        "Error: stories: this would make 201 stories, more than the 200 a data home holds; "
        "nothing was added (remove some with `assess story rm ID`)\n")
    assert digest(home) == before
    again = add_stories(tmp_path, [story(5)], "copy.json")  # already here: adds nothing
    assert again.exit_code == 0 and again.stdout.startswith("Already here: story 6:")


@pytest.mark.timeout(60)
def test_a_story_file_is_capped(home: Path, tmp_path: Path) -> None:
    before = digest(home)
    result = add_stories(tmp_path, [story(n) for n in range(201)])
    assert refused(result).endswith(": stories: more than 200 stories\n")
    assert digest(home) == before


def test_an_import_is_held_to_the_story_cap(home: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    assert invoke("init", "--name", "Bo", "--no-input", home=other).exit_code == 0
    assert add_stories(tmp_path, [story(n) for n in range(150)], home=other).exit_code == 0
    exported = tmp_path / "other.json"
    assert invoke("export", str(exported), home=other).exit_code == 0
    assert add_stories(tmp_path, [story(n) for n in range(500, 600)]).exit_code == 0
    before = digest(home)
    assert refused(invoke("import", str(exported))) == (
        f"Error: {exported}: stories: this would make 250 stories, more than the 200 a data "
        "home holds; nothing was added (remove some with `assess story rm ID`)\n")
    assert digest(home) == before


# ----- story ids ---------------------------------------------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize("ref", ["³", "٣", "1" * 5000, "0", " ", "1e3", "+1"])
@pytest.mark.parametrize("command", [("show",), ("rm", "--yes"), ("edit",)])
def test_a_story_id_that_is_not_ascii_digits_is_no_story(
    home: Path, tmp_path: Path, ref: str, command: tuple[str, ...]
) -> None:
    assert add_stories(tmp_path, [story(1)]).exit_code == 0
    before = digest(home)
    out = refused(invoke("story", *command, ref))
    assert out.startswith("Error: ID: no story ")
    assert out.endswith(" (`assess story list` shows the ids)\n")
    assert len(out) < 160
    assert digest(home) == before


# ----- story edit reads back only a bounded regular UTF-8 file -----------------------------------


def editor(tmp_path: Path, script: str) -> str:
    path = tmp_path / "editor.py"
    path.write_text("import os, sys\np = sys.argv[1]\n" + script + "\n")
    return f"{sys.executable} {path}"


EDITORS = {
    "dev-zero": ("os.remove(p); os.symlink('/dev/zero', p)",
                 "the editor left a symbolic link, not the file; save the story as a plain "
                 "file"),
    "fifo": ("os.remove(p); os.mkfifo(p)",
             "is a FIFO (named pipe), expected the edited story (a regular file)"),
    "deleted": ("os.remove(p)", "the editor left no file (it was deleted or moved)"),
    "folder": ("os.remove(p); os.mkdir(p)",
               "is a folder, expected the edited story (a regular file)"),
    "latin-1": ("t = open(p, encoding='utf-8').read().replace('Story number 1', 'Caf\\xe9')\n"
                "open(p, 'w', encoding='latin-1').write(t)",
                "not UTF-8 text (byte 0xE9 at offset {offset}); save the file as UTF-8"),
    "huge": ("open(p, 'a').write('#' * 3_000_000)", "larger than 1 MB; not read"),
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("kind", sorted(EDITORS))
def test_story_edit_refuses_what_the_editor_leaves_behind(
    home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    script, message = EDITORS[kind]
    assert add_stories(tmp_path, [story(1)]).exit_code == 0
    shown = invoke("story", "list", "--json").stdout
    monkeypatch.setenv("EDITOR", editor(tmp_path, script))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    before = digest(home)
    run = run_assess(tmp_path, home, "--today", WEEK2, "story", "edit", "1", memory_mb=1024,
                     timeout=30)
    assert run.returncode == 2, run.stderr
    if kind == "latin-1":
        from assess.inputs.story_file import edit_text
        from assess.rubric.model import load_rubric
        from assess.stories.star import Story

        text = edit_text(Story(**{**story(1), "id": 1}), load_rubric(MINI))
        message = message.format(offset=len(text.split("Story number 1")[0].encode()) + 3)
    assert run.stderr == f"Error: story 1 (edited): {message}\n"
    assert run.cpu_seconds < 10 and run.peak_mb < 300, run
    assert digest(home) == before
    assert invoke("story", "list", "--json").stdout == shown
    assert not list(tmp_path.glob("assess-edit-*"))  # the editor's folder is removed


def test_a_refused_edit_is_kept_for_the_user(home: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    assert add_stories(tmp_path, [story(1)]).exit_code == 0
    monkeypatch.setenv("EDITOR", editor(
        tmp_path, "t = open(p).read().replace('action: ', 'action: \"\"\\nx: ')\n"
                  "t = t.replace('Situation 1.', 'Situation 1, my long careful edit.')\n"
                  "open(p, 'w').write(t)"))
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    before = digest(home)
    result = invoke("story", "edit", "1")
    out = refused(result, lines=2)
    first, second = out.splitlines()
    assert first.startswith("Error: story 1 (edited): ")
    assert second.startswith("Error: your edit is kept in ")
    assert second.endswith("; the saved story is as it was")
    kept = Path(second.split(" kept in ", 1)[1].split(";", 1)[0])
    assert "my long careful edit" in kept.read_text()
    kept.unlink()
    assert digest(home) == before


# ----- stages: concurrent writers lose nothing -------------------------------------------------


def _run_at_once(barrier: object, home: str, args: list[str], out: object) -> None:
    os.environ["ASSESS_HOME"] = home
    barrier.wait()  # type: ignore[attr-defined]
    result = CliRunner().invoke(cli, ["--today", "2026-11-30", *args])
    out.put((args[0], result.exit_code, result.output))  # type: ignore[attr-defined]


def at_once(home: Path, *commands: list[str]) -> list[tuple[str, int, str]]:
    """Run the commands in separate processes, released together."""
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(commands))
    out = ctx.Queue()
    procs = [ctx.Process(target=_run_at_once, args=(barrier, str(home), list(c), out))
             for c in commands]
    for p in procs:
        p.start()
    results = [out.get(timeout=60) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    return results


def stage_status(home: Path) -> dict[str, tuple[str, str | None]]:
    rows = json.loads(invoke("stage", "list", "--json", today="2026-11-30", home=home).stdout)
    return {r["stage"]: (r["status"], r["date"]) for r in rows}


@pytest.fixture()
def staged(assess_home: Path) -> Path:
    result = invoke("init", "--name", "Sam", "--interview-date", "2026-12-21", "--no-input",
                    today="2026-11-30")
    assert result.exit_code == 0, result.output
    return assess_home


@pytest.mark.timeout(180)
def test_two_stage_done_at_once_both_stick(staged: Path) -> None:
    for _ in range(20):
        results = at_once(staged, ["stage", "done", "recruiter"],
                          ["stage", "done", "technical-screen"])
        assert all(code == 0 for _, code, _ in results), results
        status = stage_status(staged)
        assert status["recruiter"][0] == "done" and status["technical-screen"][0] == "done"
        for stage in ("recruiter", "technical-screen"):
            assert invoke("stage", "done", stage, "--undo", today="2026-11-30").exit_code == 0


@pytest.mark.timeout(180)
def test_init_beside_stage_done_keeps_the_done(staged: Path) -> None:
    for n in range(20):
        day = f"2026-12-{10 + n % 5:02d}"
        results = at_once(staged, ["stage", "done", "recruiter"],
                          ["init", "--stage-date", f"technical-screen={day}", "--no-input"])
        assert all(code == 0 for _, code, _ in results), results
        status = stage_status(staged)
        assert status["recruiter"][0] == "done"
        assert status["technical-screen"][1] == day
        assert invoke("stage", "done", "recruiter", "--undo", today="2026-11-30").exit_code == 0


def test_rebase_keeps_what_another_command_wrote() -> None:
    from dataclasses import replace

    from assess.app.stages import rebase
    from assess.rubric.profile import Profile

    base = Profile(name="Sam", interview_date=dt.date(2026, 12, 21))
    edited = replace(base, stage_dates={"technical-screen": dt.date(2026, 12, 10)},
                     hours_per_week=12.0)
    current = replace(base, stages_done=("recruiter",), name="Samuel")
    merged = rebase(base, edited, current)
    assert merged == replace(current, stage_dates={"technical-screen": dt.date(2026, 12, 10)},
                             hours_per_week=12.0)
    assert rebase(base, edited, base) == edited
    undone = replace(current, stages_done=())
    assert rebase(current, undone, replace(current, stages_done=("recruiter", "onsite")))\
        .stages_done == ("onsite",)


# ----- stage conflicts ---------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["--stage-date", "recruiter=2026-12-05", "--stage-date", "recruiter=2026-12-06"],
     "Error: --stage-date: recruiter is given twice; give each stage's date once\n"),
    (["--interview-date", "2026-12-21", "--stage-date", "onsite=2026-12-21"],
     "Error: --interview-date and --stage-date onsite=: both give the onsite's date; give it "
     "once\n"),
    (["--stage-date", "recruiter=2026-12-12", "--stage-date", "technical-screen=2026-12-08"],
     "Error: --stage-date recruiter=2026-12-12: after the technical-screen (2026-12-08); the "
     "stages keep the timeline's order\n"),
])
def test_conflicting_stage_dates_are_refused(staged: Path, args: list[str], message: str) -> None:
    before = digest(staged)
    result = invoke("init", *args, "--no-input", today="2026-11-30")
    assert refused(result) == message
    assert digest(staged) == before


# ----- flags that would be ignored are refused -------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["practice", "--list", "--log", "sd-serving-q1"],
     "Error: --list shows your attempts and takes only --json, not --log\n"),
    (["practice", "--list", "--question", "nope"],
     "Error: --list shows your attempts and takes only --json, not --question\n"),
    (["practice", "--log", "sd-serving-q1", "--topic", "code-graphs", "--minutes", "5",
      "--covered", "1"],
     "Error: --log and --topic: --log names the question of an attempt made elsewhere; give "
     "one or the other\n"),
    (["practice", "--json"], "Error: --json goes with --list\n"),
    (["practice", "--note", "x"],
     "Error: --note goes with --log QUESTION_ID (a timed attempt asks for its note and is "
     "dated today)\n"),
    (["done", "--session", "bogus", "--from", "plan.pdf"],
     "Error: --session and --from: give the sessions one way, not both\n"),
])
def test_flags_that_would_be_ignored_are_refused(home: Path, args: list[str],
                                                 message: str) -> None:
    before = digest(home)
    assert refused(invoke(*args)) == message
    assert digest(home) == before


# ----- done twice --------------------------------------------------------------------------------


def test_done_session_twice_says_done_already_and_adds_nothing(home: Path) -> None:
    plan = json.loads(invoke("plan", "--json", today=WEEK1).stdout)
    first = plan["weeks"][0]["sessions"][0]
    once = invoke("done", "--session", first["id"], today=WEEK1)
    assert once.exit_code == 0, once.output
    logged = json.loads(invoke("export", "-", today=WEEK1).stdout)
    before = digest(home)
    twice = invoke("done", "--session", first["id"], today=WEEK1)
    assert twice.exit_code == 0, twice.output
    assert "done already" in twice.stdout
    assert "0 h logged" in twice.stdout
    assert twice.stderr == ""
    after = json.loads(invoke("export", "-", today=WEEK1).stdout)
    assert after["completions"] == logged["completions"] and after["hours"] == logged["hours"]
    assert digest(home) == before
    bogus = invoke("done", "--session", "no-such-session", today=WEEK1)
    assert refused(bogus).startswith("Error: --session: no session 'no-such-session'")


# ----- on a terminal: ask again, never lose an answer -------------------------------------------


def scripted(answers: list[str]) -> tuple[Callable[[str], str], list[str], list[str]]:
    asked: list[str] = []
    said: list[str] = []
    queue = list(answers)

    def ask(prompt: str) -> str:
        asked.append(prompt)
        return queue.pop(0)

    return ask, asked, said


def _pick() -> object:
    from assess.app.practice_run import Pick
    from assess.rubric.model import load_rubric

    topic, question = load_rubric(MINI).question("sd-serving-q1")
    return Pick(topic, question, "chosen")


def test_a_bad_note_is_asked_again_and_the_attempt_kept() -> None:
    from assess.app.practice_run import record

    ask, asked, said = scripted(["1 3", "\x1b[2Jwiped", "n" * 2001, "Budget first."])
    attempt = record(_pick(), 30.0, ask, said.append, dt.date(2026, 12, 2))  # type: ignore[arg-type]
    assert attempt.note == "Budget first." and attempt.covered == (1, 3)
    assert attempt.minutes == 30.0
    assert asked.count("A note for next time (Enter to skip)") == 3
    assert "  control character U+001B is not allowed (plain text only); type it again " \
           "(Enter to skip)" in said
    assert "  longer than 2000 characters; type it again (Enter to skip)" in said


def test_a_clock_past_600_minutes_asks_for_the_minutes() -> None:
    from assess.app.practice_run import record

    ask, asked, said = scripted(["1", "nan", "inf", "ten", "-5", "0", "601", "52", ""])
    attempt = record(_pick(), 700.2, ask, said.append, dt.date(2026, 12, 2))  # type: ignore[arg-type]
    assert attempt.minutes == 52.0 and attempt.note == ""
    assert "The clock ran 700.2 min, more than the 600 an attempt may take." in said
    assert asked.count("Minutes the attempt really took") == 7
    assert "  'ten' is not a number of minutes; type one, e.g. 45" in said
    assert "  minutes must be more than 0 and at most 600 (got 'nan')" in said
    assert "  minutes must be more than 0 and at most 600 (got '-5')" in said


def test_done_on_a_terminal_asks_again_for_minutes_and_note(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assess.app import engine

    # the plan made on WEEK1, still the plan the next day: its mock is due then
    today = "2026-11-26"
    plan = json.loads(invoke("plan", "--json", today=WEEK1).stdout)
    due = [s for w in plan["weeks"] for s in w["sessions"] if s["date"] <= today]
    number = next(n for n, s in enumerate(due, 1) if s["question_id"])
    other = next(n for n in range(1, len(due) + 1) if n != number)  # a second one ticked
    mock = due[number - 1]
    made = engine.current_state
    monkeypatch.setattr(engine, "current_state",
                        lambda home, _day, *args, **kw: made(home, dt.date.fromisoformat(WEEK1),
                                                             *args, **kw))
    monkeypatch.setattr("assess.cli.common.stdin_is_tty", lambda: True)
    lines = [f"{min(other, number)} {max(other, number)}", "y", "nan", "ten", "-3", "45", "1 2",
             "\x1b[31mred", "n" * 2001, "Start with the budget."]
    result = invoke("done", today=today, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    assert "minutes must be more than 0 and at most 600 (got 'nan')" in result.stdout
    assert "'ten' is not a number of minutes" in result.stdout
    assert "(got '-3')" in result.stdout
    assert "control character U+001B is not allowed" in result.stdout
    assert "longer than 2000 characters" in result.stdout
    assert "Marked 2 session(s) done" in result.stdout
    data = json.loads(invoke("export", "-", today=today).stdout)
    assert [(a["question_id"], a["minutes"], a["covered"], a["note"]) for a in data["attempts"]] \
        == [(mock["question_id"], 45.0, [1, 2], "Start with the budget.")]
    assert {c["session_id"] for c in data["completions"]} == {due[other - 1]["id"], mock["id"]}


# ----- import refuses what typed input refuses ---------------------------------------------------


@pytest.fixture()
def exported(home: Path, tmp_path: Path) -> dict:
    assert invoke("practice", "--log", "sd-serving-q1", "--minutes", "30", "--covered",
                  "1,2").exit_code == 0
    plan = json.loads(invoke("plan", "--json", today=WEEK1).stdout)
    assert invoke("done", "--session", plan["weeks"][0]["sessions"][0]["id"],
                  today=WEEK1).exit_code == 0
    assert add_stories(tmp_path, [story(1)]).exit_code == 0
    return json.loads(invoke("export", "-").stdout)


def _set(data: dict, path: str, value: object) -> dict:
    *keys, last = path.split(".")
    node = data
    for key in keys:
        node = node[int(key)] if key.isdigit() else node[key]
    node[last] = value
    return data


@pytest.mark.parametrize(("path", "value", "message"), [
    ("attempts.0.question_id", "nope-q1", "attempts.0.question_id: unknown question 'nope-q1'"),
    ("attempts.0.topic", "code-graphs",
     "attempts.0.topic: 'sd-serving-q1' is a question of sd-serving, not code-graphs"),
    ("attempts.0.total", 10, "attempts.0.total: the checklist of sd-serving-q1 has 3 points, "
     "not 10"),
    ("attempts.0.date", "2027-01-01",
     "attempts.0.date: 2027-01-01 is in the future (today is 2026-12-02)"),
    ("completions.0.topic", "nope", "completions.0.topic: unknown topic 'nope'"),
    ("completions.0.round", "nope", "completions.0.round: unknown round 'nope'"),
    ("completions.0.question_id", "nope-q9", "completions.0.question_id: unknown question "
     "'nope-q9'"),
])
def test_import_refuses_what_typed_input_refuses(home: Path, tmp_path: Path, exported: dict,
                                                 path: str, value: object,
                                                 message: str) -> None:
    data = _set(exported, path, value)
    if path == "attempts.0.total":
        data["attempts"][0]["covered"] = list(range(1, 11))
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(data))
    before = digest(home)
    assert refused(invoke("import", str(bad))) == f"Error: {bad}: {message}\n"
    assert digest(home) == before


def test_a_story_with_a_known_uid_and_other_text_is_kept_beside_it(
    home: Path, tmp_path: Path, exported: dict
) -> None:
    exported["stories"][0]["result"] = "It cut latency by 40%, measured over a week."
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(exported))
    result = invoke("import", str(changed))
    assert result.exit_code == 0, result.output
    assert "Stories: 1 imported, 0 already here." in result.stdout
    assert result.stderr == (
        f"{changed}: stories.0: story 1 here has the same uid but other text; the file's "
        "version is added as story 2 beside it (compare them with `assess story show`, remove "
        "one with `assess story rm`)\n")
    results = [s["result"] for s in json.loads(invoke("story", "list", "--json").stdout)["stories"]]
    assert results == ["It cut latency by 1%.", "It cut latency by 40%, measured over a week."]
    again = invoke("import", str(changed))
    assert again.exit_code == 0 and "Stories: 0 imported, 1 already here." in again.stdout
    assert len(json.loads(invoke("story", "list", "--json").stdout)["stories"]) == 2
