"""Saved plans: each plan made is kept with its id, its date and the hash of its inputs.

A plan is a view of the facts (ratings, hours, attempts, completed sessions, stories, the
profile and the rubric) on a day; ``inputs_hash`` digests exactly those facts, so the same
facts on the same day find the plan already made, and any write (a rating, hours, an attempt,
a ticked session, a story, a stage, the profile) gives a new hash and so a new plan. Saved
plans are never rewritten: ``assess done`` reads the sessions of the plan a PDF names, or of
the plan that showed a session on its day, instead of re-computing the past.

The id is the first 12 hex digits of the inputs hash: a plan made twice from the same facts
has the same id (on another machine too, where the same facts are imported).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from assess.store.base import StoreBase, _now

ID_DIGITS = 12
# Tables whose rows are the plan's inputs (every write command changes one of them). The
# calendar's exported events and the saved plans themselves are outputs, not inputs.
INPUT_TABLES: tuple[tuple[str, str], ...] = (
    ("profile", "id"),
    ("assessments", "id"),
    ("ratings", "assessment_id, topic_id"),
    ("notes", "assessment_id, topic_id"),
    ("hours", "id"),
    ("attempts", "id"),
    ("completions", "session_id"),
    ("stories", "id"),
)
# Columns that record when a row was written, not what it says: left out of the hash.
_VOLATILE = {"updated_at", "answered_at", "started_at", "finished_at", "logged_at",
             "recorded_at", "created_at"}


@dataclass(frozen=True)
class SavedPlan:
    id: str
    date: dt.date
    inputs_hash: str
    body: dict[str, Any]  # ``Plan.to_json()`` with ``plan_id``

    def sessions(self) -> dict[str, dict[str, Any]]:
        """Session id -> the session as the plan shows it (JSON)."""
        return {s["id"]: s for w in self.body.get("weeks") or [] for s in w.get("sessions") or []
                if s.get("id")}

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "date": self.date.isoformat(), "inputs_hash": self.inputs_hash,
                "body": self.body}


def plan_id_of(inputs_hash: str) -> str:
    return inputs_hash[:ID_DIGITS]


def _rows(conn: sqlite3.Connection, table: str, order: str) -> list[list[Any]]:
    cur = conn.execute(f"SELECT * FROM {table} ORDER BY {order}")  # noqa: S608 - fixed names
    names = [d[0] for d in cur.description]
    keep = [i for i, n in enumerate(names) if n not in _VOLATILE]
    return [[names[i] for i in keep], *([row[i] for i in keep] for row in cur.fetchall())]


class PlanStore(StoreBase):
    def inputs_hash(self, today: dt.date, extra: Iterable[str] = ()) -> str:
        """The digest of every fact a plan made ``today`` depends on, plus ``extra`` (the
        assess version, a rubric file's digest, a ``--rubric`` override)."""
        digest = hashlib.sha256()
        digest.update(f"today={today.isoformat()}\n".encode())
        for item in extra:
            digest.update(f"extra={item}\n".encode())
        with self._read() as conn:
            for table, order in INPUT_TABLES:
                digest.update(f"table={table}\n".encode())
                digest.update(json.dumps(_rows(conn, table, order), default=str).encode())
            snaps = conn.execute("SELECT sha256 FROM rubric_snapshots ORDER BY id").fetchall()
            digest.update(json.dumps([s[0] for s in snaps]).encode())
        return digest.hexdigest()

    def save_plan(self, inputs_hash: str, date: dt.date, body: dict[str, Any]) -> str:
        """Keep a plan (once per inputs hash); returns its id."""
        pid = plan_id_of(inputs_hash)
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO plans (id, date, inputs_hash, body, made_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (pid, date.isoformat(), inputs_hash,
                 json.dumps({**body, "plan_id": pid}), _now()),
            )
        return pid

    def plan_by_hash(self, inputs_hash: str) -> SavedPlan | None:
        return self._one("inputs_hash = ?", inputs_hash)

    def plan_by_id(self, plan_id: str) -> SavedPlan | None:
        return self._one("id = ?", plan_id)

    def saved_plans(self, on_or_before: dt.date | None = None) -> list[SavedPlan]:
        """Every saved plan (made up to ``on_or_before``), newest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, date, inputs_hash, body FROM plans ORDER BY date DESC, "
                "made_at DESC, id"
            ).fetchall()
        out = [_saved(r) for r in rows]
        return [p for p in out if on_or_before is None or p.date <= on_or_before]

    def import_plans(self, plans: Iterable[dict[str, Any]]) -> int:
        """Add saved plans from an export (each id once); returns how many were new."""
        added = 0
        with self._write() as conn:
            for p in plans:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO plans (id, date, inputs_hash, body, made_at) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (str(p["id"]), dt.date.fromisoformat(str(p["date"])).isoformat(),
                     str(p["inputs_hash"]), json.dumps(p["body"]), _now()),
                )
                added += cur.rowcount
        return added

    # ----- check-ins ----------------------------------------------------------------------------

    def record_checkin(self, day: dt.date, assessment_id: int) -> None:
        """A weekly check-in happened on ``day``, with the self-assessment it planned from."""
        with self._write() as conn:
            conn.execute("INSERT INTO checkins (date, assessment_id, recorded_at) "
                         "VALUES (?, ?, ?)", (day.isoformat(), assessment_id, _now()))

    def last_checkin(self, on_or_before: dt.date) -> tuple[dt.date, int] | None:
        """The latest check-in up to a day: its date and its self-assessment's id."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT date, assessment_id FROM checkins WHERE date <= ? AND assessment_id "
                "IS NOT NULL ORDER BY date DESC, id DESC LIMIT 1", (on_or_before.isoformat(),)
            ).fetchone()
        return (dt.date.fromisoformat(row[0]), int(row[1])) if row else None

    def _one(self, where: str, value: str) -> SavedPlan | None:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT id, date, inputs_hash, body FROM plans WHERE {where} "  # noqa: S608
                "ORDER BY made_at LIMIT 1", (value,)
            ).fetchone()
        return _saved(row) if row else None


def _saved(row: Any) -> SavedPlan:
    return SavedPlan(str(row[0]), dt.date.fromisoformat(row[1]), str(row[2]), json.loads(row[3]))
