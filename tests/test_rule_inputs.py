"""What comes in from files and forms, and what the store keeps when a write fails.

Each test pins one rule whose bug (planted one at a time) the rest of the suite let through:
an import with an attempt dated in the future or a completion on an unknown round is refused
whole; a mentor's comment over the limit is refused at the form, so every export imports
again; ticking a session twice logs its hours once; a write that fails half-way leaves nothing
behind, even when the same connection writes again.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pypdf import PdfWriter

from assess.cli import cli
from assess.errors import InputError
from assess.store import DB_NAME, Store
from assess.store.practice import Completion

TODAY = "2026-11-30"
MINI = str(Path(__file__).parent / "fixtures" / "mini-rubric.yaml")
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]


def invoke(*args: str, today: str = TODAY, home: Path | None = None) -> Result:
    env = {"ASSESS_HOME": str(home)} if home is not None else None
    return CliRunner().invoke(cli, ["--today", today, *args], env=env)


def make_home(tmp: Path, home: Path | None = None) -> None:
    init = invoke("init", "--name", "Ana", "--rubric", MINI, "--interview-date", "2026-12-23",
                  "--no-input", home=home)
    assert init.exit_code == 0, init.output
    answers = tmp / "self.yaml"
    answers.write_text("ratings: {" + ", ".join(f"{t}: 2" for t in TOPICS) + "}\n")
    rated = invoke("rate", "--answers", str(answers), home=home)
    assert rated.exit_code == 0, rated.output


def export(tmp_path: Path) -> dict:
    path = tmp_path / "backup.json"
    result = invoke("export", str(path))
    assert result.exit_code == 0, result.output
    return json.loads(path.read_text())


def db_bytes(home: Path) -> bytes:
    return (home / DB_NAME).read_bytes()


def import_refused(data: dict, tmp_path: Path, assess_home: Path) -> str:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(data))
    before = db_bytes(assess_home)
    result = invoke("import", str(path))
    assert result.exit_code == 2, result.output
    assert db_bytes(assess_home) == before
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


# ----- import ------------------------------------------------------------------------------------


def attempt_row(day: str) -> dict:
    return {"uid": "0123456789abcdef0123456789abcdef", "question_id": "code-graphs-q1",
            "topic": "code-graphs", "date": day, "minutes": 30.0, "covered": [1, 2],
            "total": 4, "time_box": 40, "rater": "self", "note": None}


def test_an_import_with_an_attempt_dated_in_the_future_is_refused(
        tmp_path: Path, assess_home: Path) -> None:
    make_home(tmp_path)
    data = export(tmp_path)
    data["attempts"] = [attempt_row("2026-12-01")]  # tomorrow
    line = import_refused(data, tmp_path, assess_home)
    assert line.startswith(f"Error: {tmp_path / 'edited.json'}: attempts.0.date: 2026-12-01 is")
    data["attempts"] = [attempt_row(TODAY)]  # today is fine
    path = tmp_path / "today.json"
    path.write_text(json.dumps(data))
    result = invoke("import", str(path))
    assert result.exit_code == 0, result.output


def test_an_import_with_a_completion_on_an_unknown_round_is_refused(
        tmp_path: Path, assess_home: Path) -> None:
    make_home(tmp_path)
    data = export(tmp_path)
    done = {"session_id": "20261130-code-graphs-study", "round": "no-such-round",
            "topic": "code-graphs", "activity": "study", "question_id": None, "hours": 1.0,
            "date": TODAY}
    data["completions"] = [done]
    line = import_refused(data, tmp_path, assess_home)
    assert line == (f"Error: {tmp_path / 'edited.json'}: completions.0.round: unknown round "
                    "'no-such-round'")


# ----- the mentor's form -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def blank_form(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("form")
    home = tmp / "home"
    make_home(tmp, home)
    pdf = tmp / "m.pdf"
    result = invoke("report", "--mentor-form", "-o", str(pdf), home=home)
    assert result.exit_code == 0, result.output
    return home, pdf


def filled(blank: tuple[Path, Path], assess_home: Path, dst: Path,
           values: dict[str, str]) -> Path:
    shutil.copytree(blank[0], assess_home)
    writer = PdfWriter(clone_from=str(blank[1]))
    for page in writer.pages:
        names = {a.get_object().get("/T") for a in page.get("/Annots") or []}
        mine = {k: v for k, v in values.items() if k in names}
        if mine:
            writer.update_page_form_field_values(page, mine, auto_regenerate=False)
    writer.write(str(dst))
    return dst


def test_a_mentor_comment_over_the_limit_is_refused_at_the_form(
        blank_form: tuple[Path, Path], tmp_path: Path, assess_home: Path) -> None:
    pdf = filled(blank_form, assess_home, tmp_path / "f.pdf",
                 {"level:code-graphs": "3", "mentor-comment": "x" * 3000})
    before = db_bytes(assess_home)
    result = invoke("rate", "--rater", "mentor", "--answers", str(pdf))
    assert result.exit_code == 2, result.output
    assert result.stderr == f"Error: {pdf}: mentor-comment: longer than 2000 characters\n"
    assert db_bytes(assess_home) == before


def test_a_mentor_comment_at_the_limit_survives_export_and_import(
        blank_form: tuple[Path, Path], tmp_path: Path, assess_home: Path) -> None:
    comment = ("Solid week. " * 200)[:2000].strip()
    pdf = filled(blank_form, assess_home, tmp_path / "f.pdf",
                 {"level:code-graphs": "3", "mentor-comment": comment})
    result = invoke("rate", "--rater", "mentor", "--answers", str(pdf))
    assert result.exit_code == 0, result.output
    backup = tmp_path / "backup.json"
    assert invoke("export", str(backup)).exit_code == 0
    other = tmp_path / "other"
    result = invoke("import", str(backup), home=other)
    assert result.exit_code == 0, result.output
    history = json.loads(invoke("history", "--json", home=other).stdout)
    assert [a["comment"] for a in history if a["rater"] == "mentor"] == [comment]


# ----- ticking a session twice -------------------------------------------------------------------


def test_ticking_a_session_twice_logs_its_hours_once(tmp_path: Path, assess_home: Path) -> None:
    make_home(tmp_path)
    plan = json.loads(invoke("plan", "--json").stdout)
    session = plan["weeks"][0]["sessions"][0]
    first = invoke("done", "--session", session["id"])
    assert first.exit_code == 0, first.output
    assert first.stdout.startswith(f"Marked 1 session(s) done ({session['hours']:g} h logged)")
    invoke("done", "--session", session["id"])  # what it says is test_practice's concern
    with Store.open(assess_home) as store:
        rows = [e for e in store.hours_entries() if e.note == f"done: {session['id']}"]
        assert [e.hours for e in rows] == [session["hours"]]
        assert len(store.completions()) == 1


def test_the_store_logs_a_completed_sessions_hours_once(tmp_path: Path,
                                                        assess_home: Path) -> None:
    make_home(tmp_path)
    with Store.open(assess_home) as store:
        assert store.complete_sessions([completion("a", 1.5)]) == 1
        assert store.complete_sessions([completion("a", 1.5), completion("b", 0.5)]) == 1
        assert sorted((e.note, e.hours) for e in store.hours_entries()) == [
            ("done: a", 1.5), ("done: b", 0.5)]


# ----- a failed write leaves nothing, even on a connection that writes again ---------------------


def completion(sid: str, hours: object) -> Completion:
    return Completion(sid, "coding", "code-graphs", "study", None, hours,  # type: ignore[arg-type]
                      dt.date(2026, 11, 30))


@pytest.mark.parametrize(("bad", "error"), [
    (-1.0, InputError),  # refused by a check half-way through the write
    ({}, Exception),  # refused by SQLite itself (a value it cannot bind)
])
def test_a_write_that_fails_half_way_leaves_nothing(tmp_path: Path, assess_home: Path,
                                                    bad: object, error: type) -> None:
    make_home(tmp_path)
    with Store.open(assess_home) as store:
        with pytest.raises(error):
            store.complete_sessions([completion("a", 1.0), completion("b", bad)])
        store.log_hours("coding", 2.0, dt.date(2026, 11, 30), topic="code-graphs")
    with Store.open(assess_home) as store:
        assert store.completions() == []
        assert [(e.round, e.hours, e.note) for e in store.hours_entries()] == [
            ("coding", 2.0, None)]
