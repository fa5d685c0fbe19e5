"""Hours logged per round, and per topic when the candidate says which."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from assess.core.textsafety import check_text
from assess.store.base import (
    MAX_NOTE_CHARS,
    StoreBase,
    _check_hours,
    _new_uid,
    _now,
)


@dataclass(frozen=True)
class HoursEntry:
    id: int
    round: str
    hours: float
    date: dt.date
    note: str | None
    topic: str | None = None


class HoursStore(StoreBase):
    # ----- hours --------------------------------------------------------------------------------

    def log_hours(
        self, round_id: str, hours: float, date: dt.date, note: str | None = None,
        topic: str | None = None,
    ) -> int:
        """Record hours spent on a round (and a topic of it); returns the entry id."""
        _check_hours(hours)
        if note:
            check_text(note, "note", multiline=True, max_chars=MAX_NOTE_CHARS)
        with self._write() as conn:
            cur = conn.execute(
                "INSERT INTO hours (uid, round, topic, hours, date, note, logged_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (_new_uid(), round_id, topic, float(hours), date.isoformat(), note or None,
                 _now()),
            )
            return int(cur.lastrowid or 0)

    def hours_entries(self) -> list[HoursEntry]:
        """Every hours entry, oldest first (by date, then by id)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, round, hours, date, note, topic FROM hours ORDER BY date, id"
            ).fetchall()
        return [
            HoursEntry(id=r[0], round=r[1], hours=float(r[2]), date=dt.date.fromisoformat(r[3]),
                       note=r[4], topic=r[5])
            for r in rows
        ]

    def logged_by_round(self) -> dict[str, float]:
        """Round id -> total hours logged, sorted by round id."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT round, SUM(hours) FROM hours GROUP BY round ORDER BY round"
            ).fetchall()
        return {r[0]: float(r[1]) for r in rows}

