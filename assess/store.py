"""The history database: profile, assessments with their ratings and notes, and hours logged.

SQLite under the data home (``<home>/assess.db``), in WAL mode with foreign keys on and a busy
timeout, so that two assess processes writing at once both succeed. Every write is its own
``BEGIN IMMEDIATE`` transaction and commits before the method returns: an answer given is an
answer kept, even if the questionnaire is interrupted right after.

Each assessment stores a snapshot of the rubric it was rated against (deduplicated by hash),
so history reads correctly after a rubric file changes. The schema is versioned and migrated
forward by ``assess.migrations``.

This module knows SQL; it knows nothing of Click and applies no rubric rules beyond integrity
(a rating must name a topic of the assessment's rubric, a level is 1..5 or skipped).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any

from assess.errors import InputError, NotFoundError, StoreError
from assess.migrations import LATEST, current_version, migrate, newer_schema_error
from assess.profile import Profile
from assess.rubric import Rubric, rubric_from_snapshot
from assess.textsafety import check_text

MAX_NOTE_CHARS = 2000  # as an answers file allows

DB_NAME = "assess.db"
CACHE_DIR = "cache"  # <home>/cache: validated rubric files (see rubric.load_rubric)
RATERS = ("self", "mentor")
BUSY_TIMEOUT_S = 5.0  # how long to wait for another program holding the database, at most
EXPORT_FORMAT = "assess-export"
EXPORT_VERSION = 1


@dataclass(frozen=True)
class Assessment:
    """One questionnaire run by one rater on one day (a snapshot of every topic once complete)."""

    id: int
    date: dt.date
    rater: str  # "self" | "mentor"
    rubric_id: str
    rubric_version: str
    complete: bool
    ratings: dict[str, int | None]  # topic id -> 1..5; None = explicitly skipped; absent = not yet
    notes: dict[str, str]
    scope: str | None  # round id when rated with --round, else None
    finished: bool = True  # False while the questionnaire is still open (resumable)
    uid: str = ""  # stable across export/import


@dataclass(frozen=True)
class HoursEntry:
    id: int
    round: str
    hours: float
    date: dt.date
    note: str | None


@dataclass(frozen=True)
class ImportResult:
    assessments_added: int = 0
    assessments_merged: int = 0
    assessments_present: int = 0
    hours_added: int = 0
    hours_present: int = 0
    profile_imported: bool = False
    profile_kept: bool = False
    messages: list[str] = field(default_factory=list)


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _new_uid() -> str:
    return uuid.uuid4().hex


def rubric_json(rubric: Rubric) -> str:
    """The canonical JSON text of a rubric, as snapshotted."""
    return rubric.snapshot_json()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Stores opened with ``Store.all_or_nothing``, by database path: while one is open, this
# process's ``Store.open`` of the same home shares its connection (and so its transaction).
_SHARED: dict[str, Store] = {}


def _key(path: Path) -> str:
    return str(path.absolute().resolve())


class Store:
    """The history database. Use as a context manager; every write commits immediately
    (inside ``Store.all_or_nothing``, every write commits at the end of the block, or none)."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, owner: bool = True) -> None:
        self._conn = conn
        self.path = path
        self._snapshots: dict[int, Rubric] = {}
        self._owner = owner

    # ----- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, home: Path, *, migrate_to: int | None = None) -> Store:
        """Open (creating if needed) ``<home>/assess.db`` and migrate it to the latest schema."""
        home = Path(home)
        shared = _SHARED.get(_key(home / DB_NAME))
        if shared is not None and migrate_to is None:
            return cls(shared._conn, shared.path, owner=False)
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{home}: cannot create the data folder ({exc.strerror})") from None
        path = home / DB_NAME
        label = str(path)
        _check_regular(path, label)
        if path.is_file() and not _writable(home, path):
            return cls(_open_read_only(path, label, migrate_to), path)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{label}: cannot open the history database ({exc})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # a newer schema is refused before anything here writes (even the journal mode)
            found = current_version(conn)
            if found > LATEST:
                raise newer_schema_error(label, found)
            _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            wanted = LATEST if migrate_to is None else migrate_to
            if current_version(conn) != wanted:
                migrate(conn, upto=migrate_to, label=label)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_busy(exc):
                raise _locked_error(label) from None
            raise StoreError(f"{label}: cannot use the history database ({exc})") from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        if self._owner:
            self._conn.close()

    @classmethod
    @contextmanager
    def all_or_nothing(cls, home: Path) -> Iterator[Store]:
        """The store with every write in the block as one transaction: committed when the
        block ends normally, rolled back (the database untouched) when it raises.

        ``Store.open`` of the same home inside the block (the engine, the report) shares this
        connection, so it reads what the block wrote so far.
        """
        store = cls.open(home)
        conn = store._conn
        key = _key(store.path)
        try:
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                if _is_busy(exc):
                    raise _locked_error(str(store.path)) from None
                raise StoreError(f"{store.path}: cannot write ({exc})") from None
            _SHARED[key] = store
            try:
                yield store
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"{store.path}: write failed ({exc})") from None
        finally:
            _SHARED.pop(key, None)
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            store.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction; committed on success, rolled back on any error."""
        conn = self._conn
        if conn.in_transaction:  # inside all_or_nothing: a savepoint of the one transaction
            yield from _savepoint(conn, str(self.path))
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise _locked_error(str(self.path)) from None
            raise StoreError(f"{self.path}: cannot write ({exc})") from None
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if _is_busy(exc):
                raise _locked_error(str(self.path)) from None
            raise StoreError(f"{self.path}: write failed ({exc})") from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read (one deferred transaction)."""
        conn = self._conn
        if conn.in_transaction:  # inside all_or_nothing: read what it wrote so far
            yield conn
            return
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise _locked_error(str(self.path)) from None
            raise StoreError(f"{self.path}: read failed ({exc})") from None

    def schema_version(self) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    # ----- profile --------------------------------------------------------------------------

    def get_profile(self) -> Profile | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT name, rubric, interview_date, hours_per_week, target_level, study_time, "
                "stage_dates, stages_done FROM profile WHERE id = 1"
            ).fetchone()
        if row is None:
            return None
        name, rubric, interview, hours, target, study, stages, done = row
        return Profile(
            name=name,
            rubric=rubric,
            interview_date=dt.date.fromisoformat(interview) if interview else None,
            hours_per_week=hours,
            target_level=target,
            study_time=dt.time.fromisoformat(study),
            stage_dates={k: dt.date.fromisoformat(v) for k, v in _json_loads(stages).items()},
            stages_done=tuple(_json_loads(done)),
        )

    def save_profile(self, profile: Profile) -> None:
        """Create or replace the profile (history is untouched)."""
        check_text(profile.name, "name")
        check_text(profile.rubric, "rubric")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO profile (id, name, rubric, interview_date, hours_per_week, "
                "target_level, study_time, updated_at, stage_dates, stages_done) "
                "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, rubric = excluded.rubric, "
                "interview_date = excluded.interview_date, "
                "hours_per_week = excluded.hours_per_week, target_level = excluded.target_level, "
                "study_time = excluded.study_time, updated_at = excluded.updated_at, "
                "stage_dates = excluded.stage_dates, stages_done = excluded.stages_done",
                (
                    profile.name,
                    profile.rubric,
                    profile.interview_date.isoformat() if profile.interview_date else None,
                    float(profile.hours_per_week),
                    int(profile.target_level),
                    profile.study_time.isoformat(timespec="minutes"),
                    _now(),
                    json.dumps(profile.to_dict()["stage_dates"], sort_keys=True),
                    json.dumps(list(profile.stages_done)),
                ),
            )

    # ----- rubric snapshots -------------------------------------------------------------------

    def _snapshot_id(self, conn: sqlite3.Connection, rubric: Rubric) -> int:
        body = rubric_json(rubric)
        digest = _sha(body)
        row = conn.execute("SELECT id FROM rubric_snapshots WHERE sha256 = ?", (digest,)).fetchone()
        if row:
            return int(row[0])
        cur = conn.execute(
            "INSERT INTO rubric_snapshots (rubric_id, version, sha256, body) VALUES (?, ?, ?, ?)",
            (rubric.meta.id, rubric.meta.version, digest, body),
        )
        return int(cur.lastrowid or 0)

    def _snapshot(self, conn: sqlite3.Connection, snapshot_id: int) -> Rubric:
        if snapshot_id not in self._snapshots:
            row = conn.execute(
                "SELECT body FROM rubric_snapshots WHERE id = ?", (snapshot_id,)
            ).fetchone()
            if row is None:
                raise StoreError(f"{self.path}: rubric snapshot {snapshot_id} is missing")
            try:
                self._snapshots[snapshot_id] = rubric_from_snapshot(row[0])
            except (ValueError, TypeError, KeyError) as exc:
                raise StoreError(
                    f"{self.path}: rubric snapshot {snapshot_id} is unreadable ({exc})"
                ) from None
        return self._snapshots[snapshot_id]

    def rubric_snapshot(self, assessment_id: int) -> Rubric:
        """The rubric exactly as it was when this assessment was taken."""
        with self._read() as conn:
            return self._snapshot(conn, self._snapshot_of(conn, assessment_id))

    def latest_rubric_snapshot(self) -> Rubric | None:
        """The rubric snapshot of the newest assessment, or None without any."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT snapshot_id FROM assessments ORDER BY date DESC, id DESC LIMIT 1"
            ).fetchone()
            return self._snapshot(conn, int(row[0])) if row else None

    def _snapshot_of(self, conn: sqlite3.Connection, assessment_id: int) -> int:
        row = conn.execute(
            "SELECT snapshot_id FROM assessments WHERE id = ?", (assessment_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no assessment with id {assessment_id}")
        return int(row[0])

    # ----- assessments ------------------------------------------------------------------------

    def begin_assessment(
        self, rater: str, date: dt.date, rubric: Rubric, scope: str | None = None
    ) -> int:
        """Start an assessment and return its id.

        With ``scope`` (a round id) only that round is to be rated: every topic outside it is
        copied from this rater's latest answers, so a complete assessment is a full snapshot.
        """
        _check_rater(rater)
        if scope is not None:
            rubric.round(scope)  # NotFoundError for an unknown round
        with self._write() as conn:
            snapshot_id = self._snapshot_id(conn, rubric)
            cur = conn.execute(
                "INSERT INTO assessments (uid, rater, date, rubric_id, rubric_version, "
                "snapshot_id, scope, complete, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (
                    _new_uid(),
                    rater,
                    date.isoformat(),
                    rubric.meta.id,
                    rubric.meta.version,
                    snapshot_id,
                    scope,
                    _now(),
                ),
            )
            assessment_id = int(cur.lastrowid or 0)
            if scope is not None:
                inside = {t.id for t in rubric.round(scope).topics}
                latest = self._latest_answers(conn, rater, exclude=assessment_id)
                now = _now()
                for topic_id in rubric.topics:
                    if topic_id in inside or topic_id not in latest:
                        continue
                    conn.execute(
                        "INSERT INTO ratings (assessment_id, topic_id, level, answered_at) "
                        "VALUES (?, ?, ?, ?)",
                        (assessment_id, topic_id, latest[topic_id], now),
                    )
        return assessment_id

    def add_assessment(
        self,
        rater: str,
        date: dt.date,
        rubric: Rubric,
        ratings: Mapping[str, int | None],
        notes: Mapping[str, str] | None = None,
        scope: str | None = None,
        hours: Mapping[str, float] | None = None,
        hours_note: str | None = None,
    ) -> Assessment:
        """Save a whole assessment (from a file) and any hours in one transaction; finish it.

        As with ``begin_assessment``, a scoped assessment copies the rater's latest answers
        for topics outside the round that ``ratings`` does not give.
        """
        _check_rater(rater)
        if scope is not None:
            rubric.round(scope)
        for topic_id, level in ratings.items():
            if topic_id not in rubric.topics:
                raise NotFoundError(f"unknown topic {topic_id!r} in rubric {rubric.meta.id}")
            _check_level(topic_id, level)
        for topic_id in (notes or {}):
            if topic_id not in rubric.topics:
                raise NotFoundError(f"unknown topic {topic_id!r} in rubric {rubric.meta.id}")
        for amount in (hours or {}).values():
            _check_hours(amount)
        with self._write() as conn:
            snapshot_id = self._snapshot_id(conn, rubric)
            now = _now()
            cur = conn.execute(
                "INSERT INTO assessments (uid, rater, date, rubric_id, rubric_version, "
                "snapshot_id, scope, complete, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?)",
                (_new_uid(), rater, date.isoformat(), rubric.meta.id, rubric.meta.version,
                 snapshot_id, scope, now),
            )
            assessment_id = int(cur.lastrowid or 0)
            full: dict[str, int | None] = dict(ratings)
            if scope is not None:
                inside = {t.id for t in rubric.round(scope).topics}
                latest = self._latest_answers(conn, rater, exclude=assessment_id)
                for topic_id in rubric.topics:
                    if topic_id not in inside and topic_id not in full and topic_id in latest:
                        full[topic_id] = latest[topic_id]
            for topic_id, level in full.items():
                conn.execute(
                    "INSERT INTO ratings (assessment_id, topic_id, level, answered_at) "
                    "VALUES (?, ?, ?, ?)",
                    (assessment_id, topic_id, level, now),
                )
            for topic_id, text in (notes or {}).items():
                self._put_note(conn, assessment_id, topic_id, text)
            complete = set(rubric.topics) <= set(full)
            conn.execute(
                "UPDATE assessments SET complete = ?, finished_at = ? WHERE id = ?",
                (int(complete), now, assessment_id),
            )
            for round_id, amount in (hours or {}).items():
                conn.execute(
                    "INSERT INTO hours (uid, round, hours, date, note, logged_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (_new_uid(), round_id, float(amount), date.isoformat(), hours_note, now),
                )
        return self.get_assessment(assessment_id)

    def record_rating(
        self, assessment_id: int, topic_id: str, level: int | None, note: str | None = None
    ) -> None:
        """Save one answer now (level 1..5, or None for skipped); a note, if given, with it."""
        _check_level(topic_id, level)
        with self._write() as conn:
            self._check_open_topic(conn, assessment_id, topic_id)
            conn.execute(
                "INSERT INTO ratings (assessment_id, topic_id, level, answered_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (assessment_id, topic_id) DO UPDATE SET "
                "level = excluded.level, answered_at = excluded.answered_at",
                (assessment_id, topic_id, level, _now()),
            )
            if note is not None:
                self._put_note(conn, assessment_id, topic_id, note)

    def record_note(self, assessment_id: int, topic_id: str, note: str) -> None:
        """Save (or with empty text, remove) a note on one topic now."""
        with self._write() as conn:
            self._check_open_topic(conn, assessment_id, topic_id)
            self._put_note(conn, assessment_id, topic_id, note)

    def _put_note(
        self, conn: sqlite3.Connection, assessment_id: int, topic_id: str, note: str
    ) -> None:
        text = note.strip()
        if text:
            check_text(text, f"notes.{topic_id}", multiline=True, max_chars=MAX_NOTE_CHARS)
            conn.execute(
                "INSERT INTO notes (assessment_id, topic_id, text) VALUES (?, ?, ?) "
                "ON CONFLICT (assessment_id, topic_id) DO UPDATE SET text = excluded.text",
                (assessment_id, topic_id, text),
            )
        else:
            conn.execute(
                "DELETE FROM notes WHERE assessment_id = ? AND topic_id = ?",
                (assessment_id, topic_id),
            )

    def _check_open_topic(
        self, conn: sqlite3.Connection, assessment_id: int, topic_id: str
    ) -> None:
        row = conn.execute(
            "SELECT snapshot_id, finished_at FROM assessments WHERE id = ?", (assessment_id,)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no assessment with id {assessment_id}")
        if row[1] is not None:
            raise StoreError(f"assessment {assessment_id} is already finished")
        rubric = self._snapshot(conn, int(row[0]))
        if topic_id not in rubric.topics:
            raise NotFoundError(f"unknown topic {topic_id!r} in rubric {rubric.meta.id}")

    def finish_assessment(self, assessment_id: int) -> Assessment:
        """Close the assessment; it is complete when every topic is answered (rated or skipped)."""
        with self._write() as conn:
            snapshot_id = self._snapshot_of(conn, assessment_id)
            rubric = self._snapshot(conn, snapshot_id)
            answered = {
                r[0]
                for r in conn.execute(
                    "SELECT topic_id FROM ratings WHERE assessment_id = ?", (assessment_id,)
                )
            }
            complete = set(rubric.topics) <= answered
            conn.execute(
                "UPDATE assessments SET complete = ?, finished_at = COALESCE(finished_at, ?) "
                "WHERE id = ?",
                (int(complete), _now(), assessment_id),
            )
        return self.get_assessment(assessment_id)

    def get_assessment(self, assessment_id: int) -> Assessment:
        found = self._select("WHERE a.id = ?", (assessment_id,))
        if not found:
            raise NotFoundError(f"no assessment with id {assessment_id}")
        return found[0]

    def unfinished(self, rater: str) -> Assessment | None:
        """This rater's newest assessment still open (interrupted), to offer for resuming."""
        found = self._select("WHERE a.rater = ? AND a.finished_at IS NULL", (rater,), newest=True)
        return found[0] if found else None

    def latest_complete(self, rater: str, on_or_before: dt.date | None = None) -> Assessment | None:
        if on_or_before is None:
            found = self._select("WHERE a.rater = ? AND a.complete = 1", (rater,), newest=True)
        else:
            found = self._select(
                "WHERE a.rater = ? AND a.complete = 1 AND a.date <= ?",
                (rater, on_or_before.isoformat()),
                newest=True,
            )
        return found[0] if found else None

    def assessments(self, rater: str | None = None) -> list[Assessment]:
        """Every assessment (or one rater's), oldest first (by date, then by id)."""
        if rater is None:
            return self._select("", ())
        return self._select("WHERE a.rater = ?", (rater,))

    def last_ratings(self, rater: str) -> dict[str, int]:
        """The newest level per topic from this rater (the defaults for re-rating)."""
        with self._read() as conn:
            latest = self._latest_levels(conn, rater)
        return latest

    def last_answers(self, rater: str) -> dict[str, int | None]:
        """The newest answer per topic from this rater, a skip (None) included: what Enter
        keeps when re-rating, and what a --round assessment copies for the other rounds."""
        with self._read() as conn:
            return self._latest_answers(conn, rater)

    def _latest_levels(
        self, conn: sqlite3.Connection, rater: str, exclude: int | None = None
    ) -> dict[str, int]:
        out: dict[str, int] = {}
        for topic_id, level in conn.execute(
            "SELECT r.topic_id, r.level FROM ratings r "
            "JOIN assessments a ON a.id = r.assessment_id "
            "WHERE a.rater = ? AND a.id IS NOT ? AND r.level IS NOT NULL "
            "ORDER BY a.date, a.id",
            (rater, exclude),
        ):
            out[topic_id] = int(level)
        return out

    def _latest_answers(
        self, conn: sqlite3.Connection, rater: str, exclude: int | None = None
    ) -> dict[str, int | None]:
        """The newest answer per topic from this rater: a level, or None when last skipped."""
        out: dict[str, int | None] = {}
        for topic_id, level in conn.execute(
            "SELECT r.topic_id, r.level FROM ratings r "
            "JOIN assessments a ON a.id = r.assessment_id "
            "WHERE a.rater = ? AND a.id IS NOT ? ORDER BY a.date, a.id",
            (rater, exclude),
        ):
            out[topic_id] = None if level is None else int(level)
        return out

    def _select(
        self, where: str, params: tuple[Any, ...], newest: bool = False
    ) -> list[Assessment]:
        """Assessments matching ``where``, oldest first; with ``newest`` only the newest one."""
        order = "ORDER BY a.date DESC, a.id DESC LIMIT 1" if newest else "ORDER BY a.date, a.id"
        with self._read() as conn:
            rows = conn.execute(
                "SELECT a.id, a.date, a.rater, a.rubric_id, a.rubric_version, a.complete, "
                "a.scope, a.finished_at, a.uid, a.snapshot_id FROM assessments a "
                f"{where} {order}",
                params,
            ).fetchall()
            if not rows:
                return []
            ids = [int(r[0]) for r in rows]
            marks = ",".join("?" * len(ids))
            ratings: dict[int, dict[str, int | None]] = {i: {} for i in ids}
            notes: dict[int, dict[str, str]] = {i: {} for i in ids}
            orders: dict[int, dict[str, int]] = {}
            for row in rows:
                rubric = self._snapshot(conn, int(row[9]))
                orders[int(row[0])] = {t: n for n, t in enumerate(rubric.topics)}
            for aid, topic_id, level in conn.execute(
                "SELECT assessment_id, topic_id, level FROM ratings "
                f"WHERE assessment_id IN ({marks})",
                ids,
            ):
                ratings[aid][topic_id] = None if level is None else int(level)
            for aid, topic_id, text in conn.execute(
                f"SELECT assessment_id, topic_id, text FROM notes WHERE assessment_id IN ({marks})",
                ids,
            ):
                notes[aid][topic_id] = text
        out = []
        for r in rows:
            aid = int(r[0])
            order = orders[aid]

            def key(t: str, order: dict[str, int] = order) -> tuple[int, str]:
                return (order.get(t, len(order)), t)

            out.append(
                Assessment(
                    id=aid,
                    date=dt.date.fromisoformat(r[1]),
                    rater=r[2],
                    rubric_id=r[3],
                    rubric_version=r[4],
                    complete=bool(r[5]),
                    ratings={t: ratings[aid][t] for t in sorted(ratings[aid], key=key)},
                    notes={t: notes[aid][t] for t in sorted(notes[aid], key=key)},
                    scope=r[6],
                    finished=r[7] is not None,
                    uid=r[8] or "",
                )
            )
        return out

    # ----- hours --------------------------------------------------------------------------------

    def log_hours(
        self, round_id: str, hours: float, date: dt.date, note: str | None = None
    ) -> int:
        """Record hours spent on a round; returns the entry id."""
        _check_hours(hours)
        if note:
            check_text(note, "note", multiline=True, max_chars=MAX_NOTE_CHARS)
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO hours (uid, round, hours, date, note, logged_at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (_new_uid(), round_id, float(hours), date.isoformat(), note or None, _now()),
            )
            return int(cur.lastrowid or 0)

    def hours_entries(self) -> list[HoursEntry]:
        """Every hours entry, oldest first (by date, then by id)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, round, hours, date, note FROM hours ORDER BY date, id"
            ).fetchall()
        return [
            HoursEntry(id=r[0], round=r[1], hours=float(r[2]), date=dt.date.fromisoformat(r[3]),
                       note=r[4])
            for r in rows
        ]

    def logged_by_round(self) -> dict[str, float]:
        """Round id -> total hours logged, sorted by round id."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT round, SUM(hours) FROM hours GROUP BY round ORDER BY round"
            ).fetchall()
        return {r[0]: float(r[1]) for r in rows}

    # ----- export and import ------------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """The whole history as plain JSON-ready data (see ``ExportFile``)."""
        with self._read() as conn:
            snaps = conn.execute(
                "SELECT id, sha256, body FROM rubric_snapshots ORDER BY id"
            ).fetchall()
            sha_of = {int(r[0]): r[1] for r in snaps}
            snap_rows = conn.execute(
                "SELECT a.uid, a.snapshot_id, a.started_at, a.finished_at FROM assessments a"
            ).fetchall()
            hours = conn.execute(
                "SELECT uid, round, hours, date, note, logged_at FROM hours ORDER BY date, id"
            ).fetchall()
        extra = {r[0]: (sha_of[int(r[1])], r[2], r[3]) for r in snap_rows}
        profile = self.get_profile()
        assessments = []
        for a in self.assessments():
            sha, started, finished = extra[a.uid]
            assessments.append(
                {
                    "uid": a.uid,
                    "rater": a.rater,
                    "date": a.date.isoformat(),
                    "rubric_id": a.rubric_id,
                    "rubric_version": a.rubric_version,
                    "rubric_sha256": sha,
                    "scope": a.scope,
                    "complete": a.complete,
                    "started_at": started,
                    "finished_at": finished,
                    "ratings": a.ratings,
                    "notes": a.notes,
                }
            )
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "profile": profile.to_dict() if profile else None,
            "rubrics": {r[1]: _json_loads(r[2]) for r in snaps},
            "assessments": assessments,
            "hours": [
                {"uid": r[0], "round": r[1], "hours": float(r[2]), "date": r[3], "note": r[4],
                 "logged_at": r[5]}
                for r in hours
            ],
        }

    def import_data(self, data: Any, label: str = "import file",
                    today: dt.date | None = None) -> ImportResult:
        """Merge an export into this store, all or nothing. Importing twice adds nothing.

        Nothing in it may be dated after ``today`` (when given).
        """
        from assess.transfer import parse_export

        with self._read() as conn:
            bodies = [r[0] for r in conn.execute("SELECT body FROM rubric_snapshots")]
        known = {r.id for body in bodies for r in rubric_from_snapshot(body).rounds}
        parsed = parse_export(data, label, today, known)
        added = merged = present = hours_added = hours_present = 0
        profile_imported = profile_kept = False
        messages: list[str] = []
        with self._write() as conn:
            snap_ids: dict[str, int] = {}
            for sha, rubric in parsed.rubric_models.items():
                snap_ids[sha] = self._snapshot_id(conn, rubric)
            for item in parsed.assessments:
                row = conn.execute(
                    "SELECT id, finished_at FROM assessments WHERE uid = ?", (item.uid,)
                ).fetchone()
                rubric = parsed.rubric_models[item.rubric_sha256]
                if row is None:
                    cur = conn.execute(
                        "INSERT INTO assessments (uid, rater, date, rubric_id, rubric_version, "
                        "snapshot_id, scope, complete, started_at, finished_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                        (
                            item.uid,
                            item.rater,
                            item.date.isoformat(),
                            item.rubric_id,
                            item.rubric_version,
                            snap_ids[item.rubric_sha256],
                            item.scope,
                            item.started_at or _now(),
                            item.finished_at,
                        ),
                    )
                    aid = int(cur.lastrowid or 0)
                    added += 1
                    changed = True
                else:
                    aid = int(row[0])
                    changed = False
                now = _now()
                for topic_id, level in item.ratings.items():
                    cur = conn.execute(
                        "INSERT OR IGNORE INTO ratings (assessment_id, topic_id, level, "
                        "answered_at) VALUES (?, ?, ?, ?)",
                        (aid, topic_id, level, now),
                    )
                    changed = changed or cur.rowcount > 0
                for topic_id, text in item.notes.items():
                    cur = conn.execute(
                        "INSERT OR IGNORE INTO notes (assessment_id, topic_id, text) "
                        "VALUES (?, ?, ?)",
                        (aid, topic_id, text),
                    )
                    changed = changed or cur.rowcount > 0
                if row is not None and item.finished_at and row[1] is None:
                    conn.execute(
                        "UPDATE assessments SET finished_at = ? WHERE id = ?",
                        (item.finished_at, aid),
                    )
                    changed = True
                answered = {
                    r[0]
                    for r in conn.execute(
                        "SELECT topic_id FROM ratings WHERE assessment_id = ?", (aid,)
                    )
                }
                finished = conn.execute(
                    "SELECT finished_at IS NOT NULL FROM assessments WHERE id = ?", (aid,)
                ).fetchone()[0]
                complete = bool(finished) and set(rubric.topics) <= answered
                conn.execute(
                    "UPDATE assessments SET complete = ? WHERE id = ?", (int(complete), aid)
                )
                if row is not None:
                    if changed:
                        merged += 1
                    else:
                        present += 1
            for entry in parsed.hours:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO hours (uid, round, hours, date, note, logged_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        entry.uid,
                        entry.round,
                        entry.hours,
                        entry.date.isoformat(),
                        entry.note,
                        entry.logged_at or _now(),
                    ),
                )
                if cur.rowcount > 0:
                    hours_added += 1
                else:
                    hours_present += 1
        if parsed.profile is not None:
            current = self.get_profile()
            if current is None:
                self.save_profile(parsed.profile)
                profile_imported = True
            elif current != parsed.profile:
                profile_kept = True
                messages.append(
                    "kept the profile already here (run `assess init` to change it)"
                )
        return ImportResult(
            assessments_added=added,
            assessments_merged=merged,
            assessments_present=present,
            hours_added=hours_added,
            hours_present=hours_present,
            profile_imported=profile_imported,
            profile_kept=profile_kept,
            messages=messages,
        )

    # ----- exported calendar events ------------------------------------------------------------

    CALENDAR_FIELDS = ("uid", "start", "end", "summary", "description", "category",
                       "sequence", "status")

    def calendar_exports(self) -> tuple[str, dict[str, dict[str, Any]]]:
        """The data home's calendar id and every event exported so far (uid -> fields)."""
        with self._read() as conn:
            row = conn.execute("SELECT uid FROM calendar_owner WHERE id = 1").fetchone()
            rows = conn.execute(
                "SELECT uid, start_at, end_at, summary, description, category, sequence, "
                "status FROM calendar_exports ORDER BY uid"
            ).fetchall()
        owner = str(row[0]) if row else ""
        return owner, {r[0]: dict(zip(self.CALENDAR_FIELDS, r, strict=True)) for r in rows}

    def save_calendar_exports(self, events: list[dict[str, Any]]) -> None:
        """Record events as exported (insert or replace, by uid)."""
        now = _now()
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO calendar_exports (uid, start_at, end_at, summary, description, "
                "category, sequence, status, exported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (uid) DO UPDATE SET start_at = excluded.start_at, "
                "end_at = excluded.end_at, summary = excluded.summary, "
                "description = excluded.description, category = excluded.category, "
                "sequence = excluded.sequence, status = excluded.status, "
                "exported_at = excluded.exported_at",
                [tuple(e[k] for k in self.CALENDAR_FIELDS) + (now,) for e in events],
            )


def _check_regular(path: Path, label: str) -> None:
    """Refuse a database path that is a FIFO, a device, a folder (symlinks followed)."""
    from assess.safepath import kind_of

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # none yet (it is created), or the open reports the problem
    kind = kind_of(mode)
    if kind is not None:
        raise StoreError(f"{label}: is {kind}, expected the history database")


def _writable(home: Path, path: Path) -> bool:
    """Whether the database and its folder (for the -wal and -shm files) can be written."""
    return os.access(home, os.W_OK) and os.access(path, os.W_OK)


def _open_read_only(path: Path, label: str, migrate_to: int | None) -> sqlite3.Connection:
    """The database of a read-only home, opened for reading: plans, reports, history and
    export work; a write fails with one line. Without the -shm file (which a read-only
    folder cannot hold) the file is opened as immutable."""
    from urllib.parse import quote

    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if not shm.exists() and not (wal.exists() and wal.stat().st_size):
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        found = current_version(conn)
    except sqlite3.Error as exc:
        raise StoreError(f"{label}: cannot open the history database read-only ({exc})") \
            from None
    if found > LATEST:
        conn.close()
        raise newer_schema_error(label, found)
    if found != (LATEST if migrate_to is None else migrate_to):
        conn.close()
        raise StoreError(f"{label}: the data folder is read-only, and the history needs an "
                         "upgrade first; run assess once where it can be written")
    return conn


def _savepoint(conn: sqlite3.Connection, label: str) -> Iterator[sqlite3.Connection]:
    """One write inside an open transaction: undone alone when it fails."""
    conn.execute("SAVEPOINT write")
    try:
        yield conn
        conn.execute("RELEASE write")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK TO write")
        conn.execute("RELEASE write")
        raise StoreError(f"{label}: write failed ({exc})") from None
    except BaseException:
        conn.execute("ROLLBACK TO write")
        conn.execute("RELEASE write")
        raise


def _check_rater(rater: str) -> None:
    if rater not in RATERS:
        raise InputError(f"unknown rater {rater!r} (use self or mentor)")


def _check_level(topic_id: str, level: int | None) -> None:
    if level is not None and (
        isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5
    ):
        raise InputError(f"{topic_id}: level must be 1..5 or skipped (got {level!r})")


MAX_HOURS_ENTRY = 168.0  # one entry covers at most a week (a check-in's hours per round)


def _check_hours(hours: float) -> None:
    if (
        isinstance(hours, bool)
        or not isinstance(hours, (int, float))
        or not math.isfinite(hours)
        or not 0 < hours <= MAX_HOURS_ENTRY
    ):
        raise InputError(
            f"hours must be a number above 0 and at most {MAX_HOURS_ENTRY:g} (got {hours!r})"
        )


def _retry_locked(action: Any) -> Any:
    """Run ``action``, retrying while another process holds the lock, for at most
    ``BUSY_TIMEOUT_S`` (switching the journal mode can report "locked" at once, without
    waiting on the busy timeout, while another process opens the database)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _is_busy(exc: sqlite3.Error) -> bool:
    """True for SQLITE_BUSY / SQLITE_LOCKED: another connection holds the database."""
    text = str(exc).lower()
    return "database is locked" in text or "table is locked" in text or "busy" in text


def _locked_error(label: str) -> StoreError:
    return StoreError(
        f"{label}: the history database is locked by another program (waited "
        f"{BUSY_TIMEOUT_S:g} s). Try again when it is done, or close the program holding it."
    )


def _json_loads(text: str) -> Any:
    return json.loads(text)
