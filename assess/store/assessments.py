"""Assessments with their ratings and notes, and the rubric snapshot each was rated
against (deduplicated by hash, so history reads correctly after a rubric file changes)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from assess.core.textsafety import check_text
from assess.errors import NotFoundError, StoreError
from assess.rubric.model import Rubric, rubric_from_snapshot
from assess.store.base import (
    MAX_NOTE_CHARS,
    StoreBase,
    _check_hours,
    _check_level,
    _check_rater,
    _new_uid,
    _now,
    _sha,
    rubric_json,
)


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
    comment: str = ""  # a mentor's overall comment
    rater_name: str = ""  # the mentor's name, as they signed a form



class AssessmentStore(StoreBase):
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
        keep_last: bool = True,
        comment: str = "",
        rater_name: str = "",
    ) -> Assessment:
        """Save a whole assessment (from a file) and any hours in one transaction; finish it.

        As with ``begin_assessment``, a scoped assessment copies the rater's latest answers
        for topics outside the round that ``ratings`` does not give (unless ``keep_last`` is
        false). ``comment`` and ``rater_name``: a mentor's overall comment and name.
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
            if scope is not None and keep_last:
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
                "UPDATE assessments SET complete = ?, finished_at = ?, comment = ?, "
                "rater_name = ? WHERE id = ?",
                (int(complete), now,
                 check_text(comment, "comment", multiline=True, max_chars=MAX_NOTE_CHARS),
                 check_text(rater_name, "rater name", max_chars=200), assessment_id),
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
                "a.scope, a.finished_at, a.uid, a.snapshot_id, a.comment, a.rater_name "
                "FROM assessments a "
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
                    comment=r[10] or "",
                    rater_name=r[11] or "",
                )
            )
        return out

