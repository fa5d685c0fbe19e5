"""Hostile input: nothing a user types or points at may destroy the history, hang, or run code.

Every test here has a timeout (pytest-timeout), so a regression to a hang fails instead of
blocking the run. Refused commands are checked to leave the database byte-identical.
"""

from __future__ import annotations

import errno
import hashlib
import os
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
