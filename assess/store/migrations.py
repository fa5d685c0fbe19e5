"""Numbered schema migrations for the history database.

Each migration is a list of SQL statements with a number and a name. Applied migrations are
recorded in the ``schema_version`` table (number, name, when), so a newer assess opens an older
database and moves it forward, one numbered step at a time, each step in its own transaction.
Never edit a migration that has shipped: add a new one at the end.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from assess.errors import StoreError

Step = str | Callable[[sqlite3.Connection], None]


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    steps: Sequence[Step]


def _backfill_uids(conn: sqlite3.Connection) -> None:
    """Give every existing assessment and hours entry a random, stable uid."""
    conn.execute("UPDATE assessments SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")
    conn.execute("UPDATE hours SET uid = lower(hex(randomblob(16))) WHERE uid IS NULL")


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "profile, rubric snapshots, assessments, ratings, notes, hours",
        (
            """CREATE TABLE profile (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                name TEXT NOT NULL,
                rubric TEXT NOT NULL,
                interview_date TEXT,
                hours_per_week REAL NOT NULL CHECK (hours_per_week >= 1 AND hours_per_week <= 80),
                target_level INTEGER NOT NULL CHECK (target_level BETWEEN 1 AND 5),
                study_time TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
            """CREATE TABLE rubric_snapshots (
                id INTEGER PRIMARY KEY,
                rubric_id TEXT NOT NULL,
                version TEXT NOT NULL,
                sha256 TEXT NOT NULL UNIQUE,
                body TEXT NOT NULL
            )""",
            """CREATE TABLE assessments (
                id INTEGER PRIMARY KEY,
                rater TEXT NOT NULL CHECK (rater IN ('self', 'mentor')),
                date TEXT NOT NULL,
                rubric_id TEXT NOT NULL,
                rubric_version TEXT NOT NULL,
                snapshot_id INTEGER NOT NULL REFERENCES rubric_snapshots (id),
                scope TEXT,
                complete INTEGER NOT NULL DEFAULT 0 CHECK (complete IN (0, 1)),
                started_at TEXT NOT NULL,
                finished_at TEXT
            )""",
            "CREATE INDEX assessments_by_rater ON assessments (rater, date, id)",
            """CREATE TABLE ratings (
                assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
                topic_id TEXT NOT NULL,
                level INTEGER CHECK (level IS NULL OR level BETWEEN 1 AND 5),
                answered_at TEXT NOT NULL,
                PRIMARY KEY (assessment_id, topic_id)
            )""",
            """CREATE TABLE notes (
                assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
                topic_id TEXT NOT NULL,
                text TEXT NOT NULL,
                PRIMARY KEY (assessment_id, topic_id)
            )""",
            """CREATE TABLE hours (
                id INTEGER PRIMARY KEY,
                round TEXT NOT NULL,
                hours REAL NOT NULL CHECK (hours > 0),
                date TEXT NOT NULL,
                note TEXT,
                logged_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        2,
        "stable uids on assessments and hours, for idempotent export/import",
        (
            "ALTER TABLE assessments ADD COLUMN uid TEXT",
            "ALTER TABLE hours ADD COLUMN uid TEXT",
            _backfill_uids,
            "CREATE UNIQUE INDEX assessments_uid ON assessments (uid)",
            "CREATE UNIQUE INDEX hours_uid ON hours (uid)",
        ),
    ),
    Migration(
        3,
        "stage dates and stages done on the profile",
        (
            "ALTER TABLE profile ADD COLUMN stage_dates TEXT NOT NULL DEFAULT '{}'",
            "ALTER TABLE profile ADD COLUMN stages_done TEXT NOT NULL DEFAULT '[]'",
        ),
    ),
    Migration(
        4,
        "calendar id and exported calendar events, for updates in place",
        (
            """CREATE TABLE calendar_owner (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                uid TEXT NOT NULL
            )""",
            "INSERT INTO calendar_owner (id, uid) VALUES (1, lower(hex(randomblob(16))))",
            """CREATE TABLE calendar_exports (
                uid TEXT PRIMARY KEY,
                start_at TEXT NOT NULL,
                end_at TEXT NOT NULL,
                summary TEXT NOT NULL,
                description TEXT NOT NULL,
                category TEXT NOT NULL,
                sequence INTEGER NOT NULL CHECK (sequence >= 0),
                status TEXT NOT NULL CHECK (status IN ('CONFIRMED', 'CANCELLED')),
                exported_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        5,
        "practice attempts, completed sessions, hours per topic",
        (
            """CREATE TABLE attempts (
                id INTEGER PRIMARY KEY,
                uid TEXT NOT NULL UNIQUE,
                question_id TEXT NOT NULL,
                topic TEXT NOT NULL,
                date TEXT NOT NULL,
                minutes REAL NOT NULL CHECK (minutes > 0 AND minutes <= 600),
                covered TEXT NOT NULL,
                total INTEGER NOT NULL CHECK (total BETWEEN 1 AND 10),
                time_box INTEGER NOT NULL CHECK (time_box > 0),
                rater TEXT NOT NULL CHECK (rater IN ('self', 'mentor', 'peer')),
                note TEXT,
                recorded_at TEXT NOT NULL
            )""",
            "CREATE INDEX attempts_by_question ON attempts (question_id, date, id)",
            """CREATE TABLE completions (
                session_id TEXT PRIMARY KEY,
                round TEXT NOT NULL,
                topic TEXT NOT NULL,
                activity TEXT NOT NULL,
                question_id TEXT,
                hours REAL NOT NULL CHECK (hours >= 0),
                date TEXT NOT NULL,
                recorded_at TEXT NOT NULL
            )""",
            "ALTER TABLE hours ADD COLUMN topic TEXT",
        ),
    ),
    Migration(
        6,
        "STAR stories",
        (
            """CREATE TABLE stories (
                id INTEGER PRIMARY KEY,
                uid TEXT NOT NULL UNIQUE,
                title TEXT NOT NULL,
                situation TEXT NOT NULL,
                task TEXT NOT NULL,
                action TEXT NOT NULL,
                result TEXT NOT NULL,
                metric TEXT,
                topics TEXT NOT NULL DEFAULT '[]',
                questions TEXT NOT NULL DEFAULT '[]',
                created_at TEXT NOT NULL,
                updated_at TEXT NOT NULL
            )""",
        ),
    ),
    Migration(
        7,
        "a mentor's overall comment and name on an assessment (from a PDF form)",
        (
            "ALTER TABLE assessments ADD COLUMN comment TEXT NOT NULL DEFAULT ''",
            "ALTER TABLE assessments ADD COLUMN rater_name TEXT NOT NULL DEFAULT ''",
        ),
    ),
    Migration(
        8,
        "saved plans (id, date, inputs hash); the plan of a completed session; check-ins",
        (
            """CREATE TABLE plans (
                id TEXT PRIMARY KEY,
                date TEXT NOT NULL,
                inputs_hash TEXT NOT NULL,
                body TEXT NOT NULL,
                made_at TEXT NOT NULL
            )""",
            "CREATE INDEX plans_by_hash ON plans (inputs_hash)",
            "CREATE INDEX plans_by_date ON plans (date, made_at)",
            "ALTER TABLE completions ADD COLUMN plan_id TEXT",
            """CREATE TABLE checkins (
                id INTEGER PRIMARY KEY,
                date TEXT NOT NULL,
                assessment_id INTEGER REFERENCES assessments (id) ON DELETE SET NULL,
                recorded_at TEXT NOT NULL
            )""",
        ),
    ),
)

LATEST = MIGRATIONS[-1].number


def current_version(conn: sqlite3.Connection) -> int:
    """The highest migration recorded in the database (0 for a new one)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
    ).fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def newer_schema_error(label: str, version: int) -> StoreError:
    """The refusal for a database written by a newer assess (it is left untouched)."""
    return StoreError(
        f"{label}: written by a newer assess (schema {version}, this one knows {LATEST}); "
        "upgrade assess to read it"
    )


def migrate(conn: sqlite3.Connection, upto: int | None = None, label: str = "database") -> int:
    """Apply every migration above the recorded version (up to ``upto``); return the version.

    The connection must be in autocommit mode (``isolation_level=None``). Each step runs inside
    ``BEGIN IMMEDIATE``, so two processes opening a new database at once apply it only once.
    """
    target = LATEST if upto is None else upto
    while True:
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
            )
            version = current_version(conn)
            if version > LATEST:
                raise newer_schema_error(label, version)
            pending = [m for m in MIGRATIONS if version < m.number <= target]
            if not pending:
                conn.execute("COMMIT")
                return version
            step = pending[0]
            for item in step.steps:
                if callable(item):
                    item(conn)
                else:
                    conn.execute(item)
            conn.execute(
                "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)",
                (step.number, step.name, dt.datetime.now(dt.timezone.utc).isoformat()),
            )
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
