"""Hostile input: nothing a user types or points at may destroy the history, hang, or run code.

Every test here has a timeout (pytest-timeout), so a regression to a hang fails instead of
blocking the run. Refused commands are checked to leave the database byte-identical.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from assess.cli import cli

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini-rubric.yaml")
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]
WEEK1, WEEK2 = "2026-11-25", "2026-12-02"

pytestmark = pytest.mark.timeout(60)


def invoke(*args: str, today: str = WEEK2, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--today", today, *args], input=input)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def all_levels(level: int) -> str:
    return "ratings: {" + ", ".join(f"{t}: {level}" for t in TOPICS) + "}\n"


def digest(home: Path) -> dict[str, str]:
    """The bytes of every file of the store (the database and its -wal and -shm files)."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(home.glob("assess.db*"))
        if not p.name.endswith("-shm")  # SQLite's shared-memory index, rebuilt on open
    }


@pytest.fixture()
def week_one(tmp_path: Path, assess_home: Path) -> Path:
    """A home with a profile on the mini rubric and one complete self-assessment."""
    init = invoke("init", "--name", "Ana", "--rubric", MINI, "--interview-date", "2026-12-23",
                  "--no-input", today=WEEK1)
    assert init.exit_code == 0, init.output
    rated = invoke("rate", "--answers", str(write(tmp_path, "w1.yaml", all_levels(2))),
                   today=WEEK1)
    assert rated.exit_code == 0, rated.output
    return assess_home


# ----- the history is never an output --------------------------------------------------------


@pytest.mark.parametrize("name", ["assess.db", "assess.db-wal", "assess.db-shm", "new.md"])
@pytest.mark.parametrize("command", [
    ("export", "{path}"),
    ("report", "-o", "{path}", "--format", "md"),
    ("checkin", "--no-input", "-o", "{path}", "--format", "md"),
    ("demo", "-o", "{path}", "--format", "md"),
])
def test_no_command_writes_inside_the_data_home(
    week_one: Path, name: str, command: tuple[str, ...]
) -> None:
    path = week_one / name
    before = digest(week_one)
    result = invoke(*(part.format(path=path) for part in command))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].endswith(f"{path}: is inside the data home {week_one}; the history is never "
                             "overwritten, write the file elsewhere")
    assert digest(week_one) == before
    assert not (week_one / "new.md").exists()


def test_a_symlink_to_the_database_is_refused(week_one: Path, tmp_path: Path) -> None:
    link = tmp_path / "innocent.json"
    link.symlink_to(week_one / "assess.db")
    before = digest(week_one)
    result = invoke("export", str(link))
    assert result.exit_code == 2
    assert "is inside the data home" in result.stderr
    assert digest(week_one) == before
    assert link.is_symlink()


@pytest.mark.parametrize("make, kind", [
    (lambda p: os.mkfifo(p), "a FIFO (named pipe)"),
    (lambda p: p.mkdir(), "a folder"),
])
@pytest.mark.parametrize("command", [
    ("export", "{path}"),
    ("report", "-o", "{path}", "--format", "md"),
    ("demo", "-o", "{path}", "--format", "md"),
])
def test_an_output_that_is_not_a_regular_file_is_refused(
    week_one: Path, tmp_path: Path, make, kind: str, command: tuple[str, ...]
) -> None:
    path = tmp_path / "out.md"
    make(path)
    result = invoke(*(part.format(path=path) for part in command))
    assert result.exit_code == 2, result.output
    assert result.stderr.endswith(f"{path}: is {kind}, expected a file name\n")
    assert len(result.stderr.splitlines()) == 1


def test_a_device_node_is_never_replaced(week_one: Path, tmp_path: Path) -> None:
    link = tmp_path / "null.json"
    link.symlink_to("/dev/null")
    for args in (("export", "/dev/null"), ("export", str(link)),
                 ("report", "-o", "/dev/null", "--format", "md")):
        result = invoke(*args)
        assert result.exit_code == 2, result.output
        assert result.stderr.endswith("is a device, expected a file name\n")
    assert Path("/dev/null").is_char_device()


# ----- a refused or failed command writes nothing -------------------------------------------


def test_checkin_on_a_full_disk_logs_nothing_however_often_it_is_retried(
    week_one: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    out = tmp_path / "plan.md"
    before = digest(week_one)
    with monkeypatch.context() as patched:
        patched.setattr("assess.report.atomic.os.fsync", full)
        for _ in range(3):
            result = invoke("checkin", "--no-input", "--hours", "system-design=2", "-o",
                            str(out))
            assert result.exit_code == 1
            assert result.stderr == f"Error: {out}: cannot write (No space left on device)\n"
            assert digest(week_one) == before
    assert not out.exists()
    assert list(tmp_path.glob(".plan.md.*")) == []
    result = invoke("checkin", "--no-input", "--hours", "system-design=2", "-o", str(out))
    assert result.exit_code == 0, result.output
    history = invoke("export", "-")
    assert history.stdout.count('"round": "system-design"') == 1


def test_checkin_with_one_bad_hours_flag_keeps_none(week_one: Path, tmp_path: Path) -> None:
    before = digest(week_one)
    result = invoke("checkin", "--no-input", "--hours", "system-design=2", "--hours",
                    "coding=lots", "-o", str(tmp_path / "p.md"))
    assert result.exit_code == 2
    assert result.stderr == "Error: --hours: 'lots' is not a number of hours\n"
    assert digest(week_one) == before


def test_checkin_hours_adding_past_a_week_name_the_flag(week_one: Path, tmp_path: Path) -> None:
    result = invoke("checkin", "--no-input", "--hours", "coding=100", "--hours", "coding=100",
                    "-o", str(tmp_path / "p.md"))
    assert result.exit_code == 2
    assert result.stderr == ("Error: --hours: coding adds up to 200 h over the flags given; at "
                             "most 168 per round since the last check-in\n")


def test_checkin_answers_without_an_assessment_stores_nothing(
    assess_home: Path, tmp_path: Path
) -> None:
    init = invoke("init", "--name", "Ana", "--rubric", MINI, "--no-input")
    assert init.exit_code == 0
    partial = write(tmp_path, "part.yaml", "ratings: {sd-serving: 3}\nhours: {coding: 2}\n")
    before = digest(assess_home)
    for _ in range(2):
        result = invoke("checkin", "--answers", str(partial), "-o", str(tmp_path / "p.md"))
        assert result.exit_code == 2
        assert result.stderr.endswith("to rate every topic. Nothing was logged.\n")
        assert digest(assess_home) == before


def test_start_from_an_incomplete_file_saves_nothing(assess_home: Path, tmp_path: Path) -> None:
    partial = write(tmp_path, "part.yaml", "ratings: {sd-serving: 3}\n")
    result = invoke("start", "--no-input", "--name", "Ana", "--rubric", MINI, "--answers",
                    str(partial), "-o", str(tmp_path / "p.md"))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {partial}: ratings: 4 topic(s) have no rating, so there "
                             "is no plan to write; nothing was saved. Rate every topic (null "
                             "skips one)\n")
    assert invoke("export", "-").stdout.count('"assessments": []') == 1
    assert '"profile": null' in invoke("export", "-").stdout


# ----- standard output that cannot be written ------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["rubric", "list"],
                                  ["rate", "--template"]])
def test_a_full_stdout_is_one_line_and_exit_1(args: list[str], tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "assess", *args], stdout=full,
                              stderr=subprocess.PIPE, text=True, timeout=30,
                              env={**os.environ, "ASSESS_HOME": str(tmp_path / "h")})
    assert proc.returncode == 1
    assert proc.stderr == "Error: cannot write to standard output (No space left on device)\n"


# ----- bounded input ---------------------------------------------------------------------------


@pytest.mark.timeout(20)
@pytest.mark.parametrize("args, kind", [
    (("rubric", "validate", "{path}"), "a rubric file"),
    (("rate", "--answers", "{path}"), "an answers file"),
    (("import", "{path}"), "an `assess export` file"),
])
def test_a_fifo_is_refused_at_once(tmp_path: Path, args: tuple[str, ...], kind: str) -> None:
    fifo = tmp_path / "input.yaml"
    os.mkfifo(fifo)
    result = invoke(*(a.format(path=fifo) for a in args))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {fifo}: is a FIFO (named pipe), expected {kind} " \
                            "(a regular file)\n"


@pytest.mark.timeout(30)
def test_a_symlink_to_dev_zero_is_refused_under_a_memory_limit(tmp_path: Path) -> None:
    import resource

    link = tmp_path / "rubric.yaml"
    link.symlink_to("/dev/zero")

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run([sys.executable, "-m", "assess", "rubric", "validate", str(link)],
                          capture_output=True, text=True, timeout=25, preexec_fn=limit,
                          env={**os.environ, "ASSESS_HOME": str(tmp_path / "h")})
    assert proc.returncode == 2
    assert proc.stderr == f"Error: {link}: is a device, expected a rubric file (a regular file)\n"


@pytest.mark.timeout(20)
def test_a_large_stdin_is_cut_off(week_one: Path) -> None:
    result = invoke("rate", "--answers", "-", input="#" * 3_000_000)
    assert result.exit_code == 2
    assert result.stderr == "Error: <stdin>: larger than 2 MB; not read\n"


@pytest.mark.timeout(20)
def test_an_alias_bomb_under_the_alias_limit_is_refused(week_one: Path, tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 10):  # 81 aliases, 9**10 values once expanded
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]")
    lines.append("ratings: {sd-serving: *a9}")
    bomb = write(tmp_path, "bomb.yaml", "\n".join(lines) + "\n")
    for args in (("rate", "--answers", str(bomb)), ("rubric", "validate", str(bomb))):
        result = invoke(*args)
        assert result.exit_code == 2
        assert result.stderr == (f"Error: {bomb}: YAML aliases expand to more than 200000 "
                                 "values; not read\n")


@pytest.mark.timeout(10)
def test_a_recursive_alias_is_refused(week_one: Path, tmp_path: Path) -> None:
    loop = write(tmp_path, "loop.yaml", "ratings: &r {sd-serving: *r}\n")
    result = invoke("rate", "--answers", str(loop))
    assert result.exit_code == 2
    assert "a YAML alias refers to itself" in result.stderr


@pytest.mark.timeout(10)
def test_four_thousand_unknown_ids_are_reported_in_under_two_seconds(
    week_one: Path, tmp_path: Path
) -> None:
    import time

    body = "ratings:\n" + "".join(f"  nope-{i}: 3\n" for i in range(4000))
    bad = write(tmp_path, "many.yaml", body)
    started = time.monotonic()
    result = invoke("rate", "--answers", str(bad))
    elapsed = time.monotonic() - started
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {bad}: line 2: ratings.nope-0: unknown topic id 'nope-0' "
                             "in rubric mini-mle (and 3999 more problems)\n")
    assert elapsed < 2


@pytest.mark.timeout(10)
def test_a_huge_value_is_cut_in_the_message(week_one: Path, tmp_path: Path) -> None:
    bad = write(tmp_path, "long.yaml", "rater: " + "x" * 100_000 + "\nratings: {sd-serving: 3}\n")
    result = invoke("rate", "--answers", str(bad))
    assert result.exit_code == 2
    # the message's own length, whatever the length of the temporary path
    assert len(result.stderr.replace(str(bad), "FILE")) < 200
    assert result.stderr.startswith(f"Error: {bad}: line 1: rater: unknown rater 'xxxx")


@pytest.mark.parametrize("args, message", [
    (("--today", "9999-01-01", "plan"), "--today: 9999-01-01 is outside 1970-2100"),
    (("--today", "1969-12-31", "plan"), "--today: 1969-12-31 is before 1970-01-01"),
    (("init", "--no-input", "--interview-date", "2126-01-01"),
     "--interview-date: 2126-01-01 is more than two years away (today is 2026-12-02); give "
     "a date within two years"),
    (("log", "coding", "1", "--date", "1900-01-01"), "--date: 1900-01-01 is before 1970-01-01"),
])
def test_dates_are_bounded(week_one: Path, args: tuple[str, ...], message: str) -> None:
    before = digest(week_one)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert digest(week_one) == before


# ----- import is untrusted input -------------------------------------------------------------


def _exported(tmp_path: Path) -> dict:
    import json

    result = invoke("export", "-")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def _import(tmp_path: Path, data: object) -> Result:
    import json

    path = tmp_path / "in.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    return invoke("import", str(path))


def _first_sha(data: dict) -> str:
    return next(iter(data["rubrics"]))


IMPORT_CASES = {
    "far-future assessment": (
        lambda d: d["assessments"][0].update(date="9999-01-01"),
        "assessments.0.date: 9999-01-01 is in the future (today is 2026-12-02)",
    ),
    "far-future interview": (
        lambda d: d["profile"].update(interview_date="9999-01-01"),
        "profile.interview_date: 9999-01-01 is more than two years away",
    ),
    "a week of hours, many times on one day": (
        lambda d: d["hours"].extend(
            {"uid": f"{i:032x}", "round": "coding", "hours": 168, "date": "2026-11-20"}
            for i in range(2000)),
        "hours.1.hours: more than 168 h logged on 2026-11-20",
    ),
    "hours on an unknown round": (
        lambda d: d["hours"].append(
            {"uid": "f" * 32, "round": "juggling", "hours": 1, "date": "2026-11-20"}),
        "hours.0.round: unknown round 'juggling'",
    ),
    "a 5 MB note": (
        lambda d: d["assessments"][0]["notes"].update({"sd-serving": "x" * 5_000_000}),
        "assessments.0.notes.sd-serving: longer than 2000 characters",
    ),
    "an escape in a note": (
        lambda d: d["assessments"][0]["notes"].update({"sd-serving": "\x1b]0;pwned\x07"}),
        "assessments.0.notes.sd-serving: control character U+001B is not allowed",
    ),
    "a bidi override in the name": (
        lambda d: d["profile"].update(name="Ana \u202egnp.exe"),
        "profile.name: control character U+202E is not allowed",
    ),
    "a tampered rubric snapshot": (
        lambda d: d["rubrics"][_first_sha(d)]["rounds"][0].update(weight=0.55)
        or d["rubrics"][_first_sha(d)]["rounds"][1].update(weight=0.25),
        "the rubric does not match its hash",
    ),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("case", sorted(IMPORT_CASES))
def test_import_refuses_what_typed_input_refuses(
    week_one: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, case: str
) -> None:
    mutate, message = IMPORT_CASES[case]
    data = _exported(tmp_path)
    mutate(data)
    monkeypatch.setenv("ASSESS_HOME", str(tmp_path / "elsewhere"))
    result = _import(tmp_path, data)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {tmp_path / 'in.json'}: ")
    assert message in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "elsewhere" / "assess.db").exists() or \
        invoke("history", "--json").stdout == "[]\n"


@pytest.mark.timeout(20)
def test_deeply_nested_import_json_is_exit_2(tmp_path: Path) -> None:
    result = _import(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'in.json'}: not an assess export (JSON nested "
                             "too deeply)\n")


def test_a_missing_profile_rubric_falls_back_to_the_stored_snapshot(
    assess_home: Path, tmp_path: Path
) -> None:
    import shutil

    mine = tmp_path / "mine.yaml"
    shutil.copy(MINI, mine)
    assert invoke("init", "--name", "Ana", "--rubric", str(mine), "--no-input").exit_code == 0
    rated = invoke("rate", "--answers", str(write(tmp_path, "w.yaml", all_levels(3))))
    assert rated.exit_code == 0, rated.output
    mine.unlink()
    os.mkfifo(mine)  # worse than missing: a FIFO must not hang every command either
    warning = (f"Warning: rubric file {mine} is not here; using the copy stored with your "
               "assessments (mini-mle v1.0)\n")
    for args in (("plan", "--json"), ("report", "-o", str(tmp_path / "r.md")),
                 ("log", "coding", "1")):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert result.stderr.startswith(warning)


# ----- template overrides run in a sandbox ------------------------------------------------------


@pytest.mark.timeout(30)
@pytest.mark.parametrize("expression", [
    "cycler.__init__.__globals__.os.system('touch {marker}')",
    "lipsum.__globals__['os'].system('touch {marker}')",
    "''.__class__.__mro__[1].__subclasses__()",
    "self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch {marker}')",
    "namespace.__init__.__globals__['__builtins__']['__import__']('os').system('touch {marker}')",
])
def test_a_template_override_cannot_run_code(
    week_one: Path, tmp_path: Path, expression: str
) -> None:
    marker = tmp_path / "pwned"
    overrides = tmp_path / "tpl"
    overrides.mkdir()
    (overrides / "report.md").write_text("# Mine\n{{ " + expression.format(marker=marker) + " }}\n")
    out = tmp_path / "r.md"
    result = invoke("report", "-o", str(out), "--templates", str(overrides))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: report template 'report.md': not allowed in a "
                                    "template (access to attribute '")
    assert len(result.stderr.splitlines()) == 1
    assert not marker.exists()
    assert not out.exists()


@pytest.mark.timeout(30)
def test_a_template_that_includes_itself_is_one_line(week_one: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "tpl"
    overrides.mkdir()
    (overrides / "report.md").write_text("again {% include 'report.md' %}\n")
    result = invoke("report", "-o", str(tmp_path / "r.md"), "--templates", str(overrides))
    assert result.exit_code == 2
    assert result.stderr == ("Error: report template 'report.md': includes or calls itself "
                             "without end\n")


@pytest.mark.timeout(30)
def test_a_fifo_in_the_templates_folder_does_not_hang(week_one: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "tpl"
    overrides.mkdir()
    os.mkfifo(overrides / "report.md")  # not a regular file: the bundled one is used
    out = tmp_path / "r.md"
    result = invoke("report", "-o", str(out), "--templates", str(overrides))
    assert result.exit_code == 0, result.output
    assert out.read_text().startswith("# Interview readiness: Ana")


# ----- control codes never reach the terminal --------------------------------------------------


@pytest.mark.parametrize("args, message", [
    (("init", "--no-input", "--name", "Ana\x1b[2J"),
     "--name: control character U+001B is not allowed (plain text only)"),
    (("init", "--no-input", "--name", "Ana \u202eevil"),
     "--name: control character U+202E is not allowed (plain text only)"),
    (("log", "coding", "1", "--note", "ring\x07"),
     "--note: control character U+0007 is not allowed (plain text only)"),
    (("log", "coding", "1", "--note", "c1 \x9b31m"),
     "--note: control character U+009B is not allowed (plain text only)"),
    (("log", "coding", "1", "--note", "x" * 2001), "--note: longer than 2000 characters"),
])
def test_control_codes_are_refused_from_flags(
    week_one: Path, args: tuple[str, ...], message: str
) -> None:
    before = digest(week_one)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {message}\n"
    assert digest(week_one) == before


def test_a_typed_note_with_an_escape_is_not_saved(week_one: Path) -> None:
    from assess.app.questionnaire import rate_interactively
    from assess.rubric.model import load_rubric
    from assess.store import Store

    replies = iter(["n", "see \x1b]52;c;cGF5bG9hZA==\x07", "n", "plain note", "3", "3", "3",
                    "3", "3"])
    lines: list[str] = []
    with Store.open(week_one) as store:
        result = rate_interactively(store, load_rubric(MINI), "self",
                                    dt.date.fromisoformat(WEEK2),
                                    lambda _p, _d: next(replies), lines.append)
    assert "  control character U+001B is not allowed (plain text only); the note was not " \
           "saved." in lines
    assert result.assessment.notes == {"sd-feature-pipelines": "plain note"}


def test_stored_control_codes_are_escaped_on_the_terminal(
    week_one: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    conn = sqlite3.connect(week_one / "assess.db")  # as an older assess could have stored it
    conn.execute("UPDATE profile SET name = ?", ("Ana\x1b]0;owned\x07\u202e",))
    conn.commit()
    conn.close()
    monkeypatch.setattr("assess.cli.report.use_terminal_escapes", lambda: True)
    for args in (("plan",), ("plan", "--json"), ("report", "-o", "-", "--format", "md")):
        result = invoke(*args)
        assert result.exit_code == 0, result.output
        assert not any(ch in result.stdout for ch in "\x1b\x07\u202e"), args


# ----- housekeeping ------------------------------------------------------------------------------


def test_stale_temporaries_of_ours_are_removed_on_the_next_write(
    week_one: Path, tmp_path: Path
) -> None:
    import time

    out = tmp_path / "reports"
    out.mkdir()
    stale = out / ".plan.md.k3j_x9a2.tmp"  # a render killed an hour ago
    fresh = out / ".plan.md.a8d7f6e5.tmp"  # another render, still running
    theirs = out / ".notes.tmp"  # not our pattern
    for path in (stale, fresh, theirs):
        path.write_bytes(b"x" * 900_000)
    hour_ago = time.time() - 3700
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(theirs, (hour_ago, hour_ago))
    result = invoke("report", "-o", str(out / "other.md"))
    assert result.exit_code == 0, result.output
    assert not stale.exists()
    assert fresh.exists() and theirs.exists()


def test_existing_report_keeps_its_permissions(week_one: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.md"
    out.write_text("old")
    out.chmod(0o640)
    result = invoke("report", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.stat().st_mode & 0o777 == 0o640
    assert out.read_text().startswith("# Interview readiness: Ana")


@pytest.fixture()
def read_only(week_one: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The home made read-only: a read-only bind mount when run as root (root ignores file
    modes), else the folder's and the database's write bits cleared. Where root may not
    mount, the store is told the folder is not writable (the same read-only open)."""
    if os.geteuid() == 0:
        view = tmp_path / "ro-view"
        view.mkdir()
        mounted = subprocess.run(["mount", "--bind", str(week_one), str(view)],
                                 capture_output=True).returncode == 0
        if mounted and subprocess.run(["mount", "-o", "remount,ro,bind", str(view)],
                                      capture_output=True).returncode == 0:
            monkeypatch.setenv("ASSESS_HOME", str(view))
            yield view
        else:
            monkeypatch.setattr("assess.store.base._writable", lambda _home, _path: False)
            yield week_one
        if mounted:
            subprocess.run(["umount", str(view)], check=True)
    else:
        (week_one / "assess.db").chmod(0o444)
        week_one.chmod(0o555)
        yield week_one
        week_one.chmod(0o755)


@pytest.mark.timeout(60)
def test_read_commands_work_on_a_read_only_home(read_only: Path, tmp_path: Path) -> None:
    before = digest(read_only)
    for args in (("plan",), ("plan", "--json"), ("history",), ("export", "-"),
                 ("report", "-o", str(tmp_path / "r.md"))):
        result = invoke(*args)
        assert result.exit_code == 0, (args, result.output)
    assert (tmp_path / "r.md").exists()
    write = invoke("log", "coding", "1")
    assert write.exit_code == 1
    assert write.stderr == (f"Error: {read_only / 'assess.db'}: write failed (attempt to write "
                            "a readonly database)\n")
    assert digest(read_only) == before


# ----- messages name the field, on its own line -------------------------------------------------


def test_rubric_cross_check_errors_point_at_the_field(tmp_path: Path) -> None:
    import yaml

    data = yaml.safe_load(Path(MINI).read_text())
    data["rounds"][2]["topics"][0]["id"] = data["rounds"][0]["topics"][0]["id"]
    text = yaml.safe_dump(data, sort_keys=False)
    path = write(tmp_path, "dup.yaml", text)
    lines = text.splitlines()
    want = next(i for i, line in enumerate(lines, 1)
                if line.strip() == f"- id: {data['rounds'][2]['id']}")
    want = next(i for i, line in enumerate(lines, 1) if i > want and "- id: " in line)
    result = invoke("rubric", "validate", str(path))
    assert result.exit_code == 2
    topic = data["rounds"][0]["topics"][0]["id"]
    assert result.stderr == (f"Error: {path}: line {want}: rounds.2.topics.0.id: duplicate id "
                             f"'{topic}' in topics\n")


@pytest.mark.timeout(20)
def test_a_planted_fifo_in_the_home_hangs_nothing(week_one: Path, tmp_path: Path) -> None:
    import shutil

    mine = tmp_path / "mine.yaml"
    shutil.copy(MINI, mine)
    assert invoke("init", "--rubric", str(mine), "--no-input").exit_code == 0
    entries = list((week_one / "cache").glob("rubric-*.json"))
    assert entries
    for entry in entries:
        entry.unlink()
        os.mkfifo(entry)  # a cache entry that would block a plain read
    result = invoke("plan", "--json")
    assert result.exit_code == 0, result.output
    (week_one / "assess.db").unlink()
    os.mkfifo(week_one / "assess.db")
    result = invoke("history")
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {week_one / 'assess.db'}: is a FIFO (named pipe), expected "
                             "the history database\n")


@pytest.mark.parametrize("args", [["--help"], ["history"]])
def test_a_closed_stdout_is_one_line_and_exit_1(args: list[str], week_one: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "assess", *args], stderr=subprocess.PIPE,
                          text=True, timeout=30, preexec_fn=lambda: os.close(1),
                          env={**os.environ, "ASSESS_HOME": str(week_one)})
    assert proc.returncode == 1
    assert proc.stderr == "Error: cannot write to standard output (standard output is closed)\n"


def test_a_closed_stdout_never_lends_its_number_to_the_database(
    week_one: Path, tmp_path: Path
) -> None:
    before = digest(week_one)
    out = tmp_path / "h.json"
    proc = subprocess.run([sys.executable, "-m", "assess", "export", str(out)],
                          stderr=subprocess.PIPE, text=True, timeout=30,
                          preexec_fn=lambda: os.close(1),
                          env={**os.environ, "ASSESS_HOME": str(week_one)})
    assert proc.returncode == 0, proc.stderr
    assert digest(week_one) == before
    assert out.read_text().startswith("{")


def test_json_on_stdout_escapes_what_a_terminal_would_obey(week_one: Path) -> None:
    import json
    import sqlite3

    conn = sqlite3.connect(week_one / "assess.db")
    conn.execute("UPDATE notes SET text = ?", ("c1 \x9b2J bidi \u202e",))
    conn.execute("INSERT INTO notes (assessment_id, topic_id, text) VALUES (1, 'sd-serving', ?)",
                 ("c1 \x9b2J bidi \u202e ünïcödé",))
    conn.commit()
    conn.close()
    result = invoke("export", "-")
    assert result.exit_code == 0
    assert "\x9b" not in result.stdout and "\u202e" not in result.stdout
    assert "ünïcödé" in result.stdout  # other text stays readable
    notes = json.loads(result.stdout)["assessments"][0]["notes"]
    assert notes["sd-serving"] == "c1 \x9b2J bidi \u202e ünïcödé"  # the same data, escaped


def test_a_long_plan_lists_twelve_weeks_and_says_where_the_rest_is(
    week_one: Path, tmp_path: Path
) -> None:
    assert invoke("init", "--no-input", "--interview-date", "2028-11-30").exit_code == 0
    out = tmp_path / "r.html"
    result = invoke("report", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text()
    assert len(re.findall(r'<div class="week( long)?">', html)) == 12
    assert "more weeks, to " in html and "assess plan --json" in html
