"""CLI: init, rate (file, template, terminal), log, history, export and import."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from assess.cli import cli
from assess.rubric.model import load_rubric
from assess.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini-rubric.yaml")
TODAY = "2026-11-25"
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--today", TODAY, *args], input=input)


def init_mini(*extra: str) -> Result:
    result = invoke("init", "--name", "Ana", "--rubric", MINI, "--interview-date", "2026-12-23",
                    "--no-input", *extra)
    assert result.exit_code == 0, result.output
    return result


def state(home: Path) -> dict:
    """Everything in the store, for before/after comparisons."""
    if not (home / "assess.db").exists():
        return {}
    with Store.open(home) as store:
        return store.export_data()


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# ----- init ------------------------------------------------------------------------------------


def test_init_with_flags_and_no_input(assess_home: Path) -> None:
    result = invoke("init", "--name", "Ana", "--interview-date", "2026-12-23",
                    "--hours-per-week", "12", "--target-level", "4", "--no-input")
    assert result.exit_code == 0
    assert result.stdout == (
        "Profile saved: Ana: rubric discord-mle, onsite 2026-12-23 (28 days, 4 weeks away), "
        "12 h/week, target level 4\n"
    )
    assert result.stderr == "Next: `assess rate` to rate yourself on every topic.\n"
    with Store.open(assess_home) as store:
        profile = store.get_profile()
    assert (profile.name, profile.rubric, profile.hours_per_week) == ("Ana", "discord-mle", 12)


def test_init_again_updates_the_profile_and_keeps_history(
    assess_home: Path, tmp_path: Path
) -> None:
    init_mini()
    filled = write(tmp_path, "a.yaml", "ratings: {code-graphs: 3}\n")
    assert invoke("rate", "--answers", str(filled)).exit_code == 0
    invoke("log", "coding", "2")
    before = state(assess_home)
    result = invoke("init", "--hours-per-week", "20", "--no-input")
    assert result.exit_code == 0
    assert result.stdout.startswith("Profile updated: Ana: rubric ")
    assert result.stdout.endswith("20 h/week, target level 4\n")
    after = state(assess_home)
    assert after["profile"]["hours_per_week"] == 20
    assert after["profile"]["interview_date"] == "2026-12-23"
    assert after["assessments"] == before["assessments"] and after["hours"] == before["hours"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--interview-date", "2026-11-24"],
         "Error: --interview-date: 2026-11-24 is in the past (today is 2026-11-25)\n"),
        (["--hours-per-week", "0"], "Error: --hours-per-week: must be between 1 and 80 (got 0)\n"),
        (["--hours-per-week", "81"],
         "Error: --hours-per-week: must be between 1 and 80 (got 81)\n"),
        (["--target-level", "0"], "Error: --target-level: must be 1..5 (got 0)\n"),
        (["--target-level", "6"], "Error: --target-level: must be 1..5 (got 6)\n"),
        (["--rubric", "no-such-rubric"],
         "Error: unknown rubric 'no-such-rubric': not a bundled id (discord-mle) nor a file\n"),
    ],
)
def test_init_refuses_bad_values_and_writes_nothing(
    assess_home: Path, args: list[str], message: str
) -> None:
    result = invoke("init", "--name", "Ana", "--no-input", *args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert result.stdout == ""
    assert state(assess_home).get("profile") is None


def test_init_without_a_name_and_without_a_terminal(assess_home: Path) -> None:
    result = invoke("init", "--hours-per-week", "10")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --name is missing: pass --name NAME (your profile needs a name for the report)\n"
    )


def test_init_prompts_on_a_terminal(monkeypatch: pytest.MonkeyPatch, assess_home: Path) -> None:
    monkeypatch.setattr("assess.cli.common.stdin_is_tty", lambda: True)
    result = invoke("init", "--rubric", MINI, input="Ana\n2026-12-30\n15\n\n\n\n\n\n")
    assert result.exit_code == 0, result.output
    assert "Your name (for the report): Ana" in result.stdout
    assert "Hours per week you can study (1-80) [10]: 15" in result.stdout
    assert "Target level for every topic (1-5) [4]: " in result.stdout
    assert "Rubric" not in result.stdout  # given by flag, not asked
    with Store.open(assess_home) as store:
        profile = store.get_profile()
    assert (profile.name, str(profile.interview_date), profile.hours_per_week,
            profile.target_level) == ("Ana", "2026-12-30", 15, 4)
    no_input = invoke("init", "--no-input", "--target-level", "5")
    assert no_input.exit_code == 0 and "?" not in no_input.stdout


# ----- rate from a file ------------------------------------------------------------------------


def test_acceptance_init_rate_filled_template_history(assess_home: Path, tmp_path: Path) -> None:
    assert invoke("init", "--name", "Ana", "--interview-date", "2026-12-23",
                  "--no-input").exit_code == 0
    template = invoke("rate", "--template")
    assert template.exit_code == 0
    data = yaml.safe_load(template.stdout)
    rubric = load_rubric("discord-mle")
    assert data["ratings"] == dict.fromkeys(rubric.topics)
    filled = re.sub(r": null(\s+#)", lambda m: ": 3" + m.group(1), template.stdout)
    path = write(tmp_path, "filled-template.yaml", filled)
    rated = invoke("rate", "--answers", str(path))
    assert rated.exit_code == 0, rated.output
    count = len(rubric.topics)
    assert rated.stderr.startswith(
        f"Saved a complete self assessment: {count} of {count} topics answered, dated 2026-11-25."
    )
    assert rated.stdout.startswith("Readiness by round (target level 4):\n")
    history = invoke("history", "--json")
    assert history.exit_code == 0
    rows = json.loads(history.stdout)
    assert len(rows) == 1
    row = rows[0]
    assert (row["id"], row["date"], row["rater"], row["complete"]) == (1, TODAY, "self", True)
    assert row["ratings"] == dict.fromkeys(rubric.topics, 3)
    assert 0 < row["readiness"] < 1


def test_rate_answers_from_stdin_json_and_hours(assess_home: Path) -> None:
    init_mini()
    body = json.dumps({"rater": "self", "ratings": dict.fromkeys(TOPICS, 2),
                       "notes": {"sd-serving": "solid <b>"}, "hours": {"coding": 1.5}})
    result = invoke("rate", "--answers", "-", input=body)
    assert result.exit_code == 0, result.output
    assert "Logged 1.5 h on Coding and Algorithms." in result.stderr
    data = state(assess_home)
    assert data["assessments"][0]["rater"] == "self"
    assert data["assessments"][0]["notes"] == {"sd-serving": "solid <b>"}
    assert [(h["round"], h["hours"]) for h in data["hours"]] == [("coding", 1.5)]


def test_rate_answers_keeps_last_ratings_for_missing_topics(
    assess_home: Path, tmp_path: Path
) -> None:
    init_mini()
    full = write(tmp_path, "full.yaml", "ratings: {" + ", ".join(f"{t}: 2" for t in TOPICS) + "}")
    assert invoke("rate", "--answers", str(full)).exit_code == 0
    one = write(tmp_path, "one.yaml", "ratings: {code-graphs: 5}\n")
    assert invoke("rate", "--answers", str(one)).exit_code == 0
    rows = json.loads(invoke("history", "--json").stdout)
    assert rows[1]["complete"] is True
    assert rows[1]["ratings"] == {**dict.fromkeys(TOPICS, 2), "code-graphs": 5}


def test_rate_round_with_answers(assess_home: Path, tmp_path: Path) -> None:
    init_mini()
    only = write(tmp_path, "round.yaml", "ratings: {code-graphs: 4}\n")
    result = invoke("rate", "--round", "coding", "--answers", str(only))
    assert result.exit_code == 0
    assert result.stderr == (
        "Saved an incomplete self assessment (round coding): 1 of 5 topics answered, "
        "dated 2026-11-25.\n"
    )
    wrong = write(tmp_path, "wrong.yaml", "ratings: {sd-serving: 4}\n")
    refused = invoke("rate", "--round", "coding", "--answers", str(wrong))
    assert refused.exit_code == 2
    assert refused.stderr == (
        f"Error: {wrong}: line 1: ratings.sd-serving: topic is outside round 'coding' "
        "(rated with --round)\n"
    )
    unknown = invoke("rate", "--round", "cooking", "--template")
    assert unknown.exit_code == 2
    assert unknown.stderr == (
        "Error: --round: unknown round 'cooking' (known: system-design, coding, behavioral)\n"
    )


def test_rate_template_for_mentor_and_round(assess_home: Path) -> None:
    init_mini()
    result = invoke("rate", "--template", "--rater", "mentor", "--round", "coding")
    assert result.exit_code == 0
    data = yaml.safe_load(result.stdout)
    assert data["rater"] == "mentor" and data["ratings"] == {"code-graphs": None}
    assert state(assess_home)["assessments"] == []


NINE_BAD_FILES = [
    ("level.yaml", "ratings:\n  sd-serving: 6\n",
     "line 2: ratings.sd-serving: level must be 1..5 (got 6)"),
    ("topic.yaml", "ratings:\n  sd-nope: 3\n",
     "line 2: ratings.sd-nope: unknown topic id 'sd-nope' in rubric mini-mle"),
    ("rater.yaml", "rater: boss\nratings: {sd-serving: 3}\n",
     "line 1: rater: unknown rater 'boss' (use self or mentor)"),
    ("date.yaml", "date: 2026-13-01\nratings: {sd-serving: 3}\n",
     "line 1: date: '2026-13-01' is not a date in YYYY-MM-DD form (month must be in 1..12)"),
    ("malformed.yaml", "ratings: {sd-serving: 3\n", "line 2: "),
    ("empty.yaml", "", "the file is empty"),
    ("notamap.yaml", "- sd-serving\n",
     "(top level): expected a mapping with ratings, got a list"),
    ("notanumber.yaml", "ratings:\n  sd-serving: high\n",
     "line 2: ratings.sd-serving: level must be a whole number 1..5 or null (got 'high')"),
    ("badjson.json", '{"ratings": {"sd-serving": 3}\n', "line 2: did not find expected ',' or '}'"),
    ("future.yaml", "date: 2027-01-01\nratings: {sd-serving: 3}\n",
     "line 1: date: 2027-01-01 is in the future (today is 2026-11-25)"),
    ("rubric.yaml", "rubric: discord-mle\nratings: {sd-serving: 3}\n",
     "line 1: rubric: this file is for rubric 'discord-mle', but you are rating 'mini-mle'"),
    ("hours.yaml", "ratings: {sd-serving: 3}\nhours: {coding: 500}\n",
     "line 2: hours.coding: hours must be between 0 and 168 (got 500)"),
]


@pytest.mark.parametrize(("name", "text", "message"), NINE_BAD_FILES)
def test_bad_answers_files_exit_2_and_change_nothing(
    assess_home: Path, tmp_path: Path, name: str, text: str, message: str
) -> None:
    init_mini()
    good = write(tmp_path, "good.yaml", "ratings: {sd-serving: 2}\nhours: {coding: 1}\n")
    assert invoke("rate", "--answers", str(good)).exit_code == 0
    before = state(assess_home)
    path = write(tmp_path, name, text)
    result = invoke("rate", "--answers", str(path))
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"Error: {path}: {message}")
    assert state(assess_home) == before


def test_missing_answers_file(assess_home: Path, tmp_path: Path) -> None:
    init_mini()
    result = invoke("rate", "--answers", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {tmp_path / 'nope.yaml'}: no such file\n"


def test_rater_flag_must_match_the_file(assess_home: Path, tmp_path: Path) -> None:
    init_mini()
    path = write(tmp_path, "m.yaml", "rater: mentor\nratings: {sd-serving: 3}\n")
    result = invoke("rate", "--rater", "self", "--answers", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"Error: --rater self does not match {path}: rater: mentor\n"
    assert state(assess_home)["assessments"] == []


def test_no_terminal_and_no_answers_names_the_flag(assess_home: Path) -> None:
    init_mini()
    result = invoke("rate")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: no terminal to ask on: pass --answers FILE (or - for stdin); "
        "`assess rate --template` prints one to fill in\n"
    )
    assert invoke("rate", "--template", "--answers", "x.yaml").exit_code == 2


# ----- rate on a (simulated) terminal ------------------------------------------------------


def test_rate_on_a_terminal_via_prompts(monkeypatch: pytest.MonkeyPatch, assess_home: Path) -> None:
    init_mini()
    monkeypatch.setattr("assess.cli.common.stdin_is_tty", lambda: True)
    result = invoke("rate", input="4\n3\n?\ns\nn\nlove graphs\n5\n1\n")
    assert result.exit_code == 0, result.output
    assert "[1/5] Feature pipelines and stores" in result.stdout
    assert "Readiness by round (target level 4):" in result.stdout
    assert "Saved a complete self assessment: 5 of 5 topics answered (1 skipped)" in result.stderr
    rows = json.loads(invoke("history", "--json").stdout)
    assert rows[0]["ratings"] == dict(zip(TOPICS, [4, 3, None, 5, 1], strict=True))
    assert rows[0]["notes"] == {"code-graphs": "love graphs"}
    # a second run shows last ratings as defaults; Enter keeps them
    again = invoke("rate", input="\n\n\n\n2\n")
    assert again.exit_code == 0, again.output
    assert "Your level (1-5 rate, ? questions, n note, s skip, b back) [4]: " in again.stdout
    rows = json.loads(invoke("history", "--json").stdout)
    assert rows[1]["ratings"] == dict(zip(TOPICS, [4, 3, None, 5, 2], strict=True))


def test_rate_interrupted_on_a_terminal_then_resumed(
    monkeypatch: pytest.MonkeyPatch, assess_home: Path
) -> None:
    init_mini()
    monkeypatch.setattr("assess.cli.common.stdin_is_tty", lambda: True)
    stopped = invoke("rate", input="4\n3\n")  # input ends: like Ctrl-D at the third topic
    assert stopped.exit_code == 130
    assert stopped.stderr.endswith(
        "Stopped. 2 of 5 answers are saved; run `assess rate` again to pick up where you "
        "left off.\n"
    )
    assert "Traceback" not in stopped.output
    resumed = invoke("rate", input="\n2\n2\n2\n")
    assert resumed.exit_code == 0, resumed.output
    assert "You have an unfinished self assessment from 2026-11-25 (2 of 5 topics answered)." \
        in resumed.stdout
    assert "Resume it? [y]: " in resumed.stdout
    rows = json.loads(invoke("history", "--json").stdout)
    assert len(rows) == 1 and rows[0]["complete"]
    assert rows[0]["ratings"] == dict(zip(TOPICS, [4, 3, 2, 2, 2], strict=True))


# ----- log -----------------------------------------------------------------------------------


def test_log_hours(assess_home: Path) -> None:
    init_mini()
    result = invoke("log", "system-design", "2.5", "--note", "feature store", "--date",
                    "2026-11-24")
    assert result.exit_code == 0
    assert result.stdout == (
        "Logged 2.5 h on ML System Design (system-design) for 2026-11-24. So far: 2.5 h on this "
        "round, 2.5 h in all.\n"
    )
    assert invoke("log", "coding", "24").exit_code == 0
    hours = state(assess_home)["hours"]
    assert [(h["round"], h["hours"], h["date"], h["note"]) for h in hours] == [
        ("system-design", 2.5, "2026-11-24", "feature store"),
        ("coding", 24.0, TODAY, None),
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cooking", "1"], "Error: ROUND: unknown round 'cooking' in rubric mini-mle (known: "
                           "system-design, coding, behavioral)\n"),
        (["coding", "0"], "Error: HOURS: must be more than 0 and at most 24 per entry (got 0)\n"),
        (["coding", "24.5"],
         "Error: HOURS: must be more than 0 and at most 24 per entry (got 24.5)\n"),
        (["coding", "--", "-3"],
         "Error: HOURS: must be more than 0 and at most 24 per entry (got -3)\n"),
        (["coding", "two"], "Error: HOURS: 'two' is not a number of hours\n"),
        (["coding", "1", "--date", "yesterday"],
         "Error: --date: 'yesterday' is not a date in YYYY-MM-DD form\n"),
        (["coding", "1", "--date", "2026-11-26"],
         "Error: --date: 2026-11-26 is in the future (today is 2026-11-25)\n"),
    ],
)
def test_log_refuses_bad_input(assess_home: Path, args: list[str], message: str) -> None:
    init_mini()
    result = invoke("log", *args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert state(assess_home)["hours"] == []


# ----- history, export, import ------------------------------------------------------------------


def test_history_empty_and_table(assess_home: Path, tmp_path: Path) -> None:
    init_mini()
    empty = invoke("history")
    assert empty.exit_code == 0 and empty.stdout == ""
    assert empty.stderr == "No assessments yet. Run `assess rate` to rate yourself.\n"
    assert invoke("history", "--json").stdout == "[]\n"
    week1 = write(tmp_path, "w1.yaml", "date: 2026-11-18\nratings: {"
                  + ", ".join(f"{t}: 2" for t in TOPICS) + "}")
    week2 = write(tmp_path, "w2.yaml", "ratings: {" + ", ".join(f"{t}: 4" for t in TOPICS) + "}")
    mentor = write(tmp_path, "m.yaml", "rater: mentor\nratings: {code-graphs: 1}")
    for path in (week1, week2, mentor):
        assert invoke("rate", "--answers", str(path)).exit_code == 0
    table = invoke("history")
    assert table.exit_code == 0
    # all at 2, target 4: core topics (2-1)/(4-1) = 1/3; sd-federated is advanced, so it aims
    # at 3: (2-1)/(3-1) = 1/2. System design (1/3 + 1/3 + 0.5 x 1/2) / 2.5 = 11/30; overall
    # 0.5 x 11/30 + 0.3 x 1/3 + 0.2 x 1/3 = 21/60 = 35%, a bar of 0.35 x 20 = 7 full cells
    assert table.stdout.splitlines() == [
        "  id  date        rater   state       answered  readiness",
        "   1  2026-11-18  self    complete         5/5   35% ███████░░░░░░░░░░░░░",
        "   2  2026-11-25  self    complete         5/5  100% ████████████████████",
        # the mentor rated one topic: theirs there, the candidate's latest elsewhere
        "   3  2026-11-25  mentor  incomplete       1/5   70% ██████████████░░░░░░",
        "Trend (self): 35% -> 100%, +65 points since 2026-11-18 over 2 complete assessments.",
    ]
    rows = json.loads(invoke("history", "--json", "--rater", "mentor").stdout)
    assert [r["id"] for r in rows] == [3]
    assert set(rows[0]) >= {"id", "date", "rater", "complete", "readiness", "ratings"}


def test_export_and_import_move_the_history(assess_home: Path, tmp_path: Path) -> None:
    init_mini()
    path = write(tmp_path, "a.yaml", "ratings: {" + ", ".join(f"{t}: 3" for t in TOPICS) + "}")
    assert invoke("rate", "--answers", str(path)).exit_code == 0
    assert invoke("log", "coding", "2").exit_code == 0
    out = tmp_path / "history.json"
    exported = invoke("export", str(out))
    assert exported.exit_code == 0
    assert exported.stderr == f"Exported 1 assessments and 1 hours entries to {out}.\n"
    other = tmp_path / "other-home"
    first = invoke("--home", str(other), "import", str(out))
    assert first.exit_code == 0, first.output
    assert first.stdout == (
        f"Imported 1 assessments and 1 hours entries from {out}; already here: 0 assessments "
        "(0 completed from the file) and 0 hours entries.\n"
    )
    assert first.stderr == "Imported the profile too.\n"
    second = invoke("--home", str(other), "import", str(out))
    assert second.exit_code == 0
    assert second.stdout.startswith(f"Imported 0 assessments and 0 hours entries from {out}; "
                                    "already here: 1 assessments")
    assert state(other) == state(assess_home)
    to_stdout = invoke("export", "-")
    assert json.loads(to_stdout.stdout) == json.loads(out.read_text())


def test_import_refuses_bad_files(assess_home: Path, tmp_path: Path) -> None:
    bad = write(tmp_path, "bad.json", "{not json")
    result = invoke("import", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}: not an assess export (invalid JSON: ")
    wrong = write(tmp_path, "wrong.json", '{"format": "other"}')
    result = invoke("import", str(wrong))
    assert result.exit_code == 2
    assert result.stderr == (
        f'Error: {wrong}: format: not an assess export (expected "assess-export")\n'
    )
    missing = invoke("import", str(tmp_path / "nope.json"))
    assert missing.exit_code == 2
    assert missing.stderr == f"Error: {tmp_path / 'nope.json'}: no such file\n"


def test_every_issue_3_command_has_an_example_in_its_help() -> None:
    for command in ("init", "rate", "log", "history", "export", "import"):
        result = CliRunner().invoke(cli, [command, "--help"])
        assert result.exit_code == 0
        assert "Example: assess " in result.stdout


def test_init_interrupted_on_a_terminal_changes_nothing(
    monkeypatch: pytest.MonkeyPatch, assess_home: Path
) -> None:
    init_mini()
    before = state(assess_home)
    monkeypatch.setattr("assess.cli.common.stdin_is_tty", lambda: True)
    result = invoke("init", input="Bea\n")  # input ends at the second question, like Ctrl-D
    assert result.exit_code == 130
    assert result.stderr == "\nStopped: your profile is unchanged.\n"
    assert state(assess_home) == before


def test_a_damaged_database_is_one_line_and_exit_1(assess_home: Path) -> None:
    assess_home.mkdir(parents=True)
    (assess_home / "assess.db").write_bytes(b"garbage" * 1000)
    result = invoke("history")
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {assess_home / 'assess.db'}: cannot use the history database (file is not a "
        "database)\n"
    )
