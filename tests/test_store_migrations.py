"""An older database (made by migration 1 only) opens, migrates forward, and keeps its data."""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
from pathlib import Path

from click.testing import CliRunner

from assess.cli import cli
from assess.rubric.model import Rubric, load_rubric
from assess.store import DB_NAME, Store
from assess.store.migrations import LATEST, MIGRATIONS

FIXTURES = Path(__file__).parent / "fixtures"


def old_home(tmp_path: Path) -> Path:
    home = tmp_path / "old-home"
    home.mkdir()
    shutil.copy(FIXTURES / "assess-v1.db", home / DB_NAME)
    return home


def test_fixture_really_is_a_version_1_database() -> None:
    conn = sqlite3.connect(FIXTURES / "assess-v1.db")
    try:
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [(1,)]
        columns = [r[1] for r in conn.execute("PRAGMA table_info(assessments)")]
        assert "uid" not in columns
    finally:
        conn.close()


def test_version_1_database_opens_and_migrates(tmp_path: Path) -> None:
    home = old_home(tmp_path)
    with Store.open(home) as store:
        assert store.schema_version() == LATEST
        names = store._conn.execute("SELECT version, name FROM schema_version").fetchall()
        assert names == [(m.number, m.name) for m in MIGRATIONS]
        profile = store.get_profile()
        assert profile is not None and profile.name == "Old Timer"
        assert profile.interview_date == dt.date(2026, 12, 1) and profile.hours_per_week == 12
        first, second = store.assessments()
        assert first.complete and first.date == dt.date(2026, 11, 1)
        assert first.ratings == {"sd-feature-pipelines": 2, "sd-serving": 3, "sd-federated": None,
                                 "code-graphs": 4, "beh-conflict": 3}
        assert first.notes == {"sd-serving": "read about p99 budgets"}
        assert len(first.uid) == 32 and len(second.uid) == 32 and first.uid != second.uid
        assert store.unfinished("self") == second
        assert store.logged_by_round() == {"coding": 2.5, "system-design": 1.0}
        # the migrated database keeps working: resume, finish, log, export
        rubric = store.rubric_snapshot(second.id)
        # stored before questions had ids and checklists: the same ids, no points
        today = load_rubric(str(FIXTURES / "mini-rubric.yaml")).to_json_dict()
        for round_ in today["rounds"]:
            for topic in round_["topics"]:
                for question in topic["questions"]:
                    question["checklist"] = []
        assert rubric == Rubric.from_dict(today)
        assert rubric.question("sd-serving-q1")[1].text == "Serve a ranking model under 50 ms p99."
        for topic in rubric.topics:
            if topic not in second.ratings:
                store.record_rating(second.id, topic, 3)
        assert store.finish_assessment(second.id).complete
        store.log_hours("behavioral", 1, dt.date(2026, 11, 9))
        uids = [e["uid"] for e in store.export_data()["hours"]]
        assert len(set(uids)) == 3 and all(len(u) == 32 for u in uids)
        count = store._conn.execute("SELECT COUNT(*) FROM rubric_snapshots").fetchone()[0]
        assert count == 1  # the v1 snapshot is reused, not duplicated


def test_migrating_step_by_step_matches_a_fresh_database(tmp_path: Path) -> None:
    with Store.open(tmp_path / "stepwise", migrate_to=1) as store:
        assert store.schema_version() == 1
    with Store.open(tmp_path / "stepwise") as store:
        assert store.schema_version() == LATEST
        stepwise = store._conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master ORDER BY name"
        ).fetchall()
    with Store.open(tmp_path / "fresh") as store:
        fresh = store._conn.execute(
            "SELECT type, name, tbl_name FROM sqlite_master ORDER BY name"
        ).fetchall()
    assert stepwise == fresh


def test_history_command_reads_a_migrated_database(tmp_path: Path) -> None:
    home = old_home(tmp_path)
    result = CliRunner().invoke(cli, ["--home", str(home), "history", "--json"])
    assert result.exit_code == 0, result.output
    assert '"date": "2026-11-01"' in result.stdout


def test_migrations_are_numbered_one_to_n_without_a_gap() -> None:
    """A database records the highest migration applied and gets every one above it: a gap
    filled later would never reach a database already past it."""
    assert [m.number for m in MIGRATIONS] == list(range(1, len(MIGRATIONS) + 1))
