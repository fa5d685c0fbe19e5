"""The calendar id and the events already exported, for updates in place."""

from __future__ import annotations

from typing import Any

from assess.store.base import (
    StoreBase,
    _now,
)


class CalendarStore(StoreBase):
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



    def home_id(self) -> str:
        """The data home's identity: a random id made once per data home (the calendar id).

        It names the profile on a mentor's form, so a form filled in for one candidate cannot
        be read into another's history; it never holds the candidate's name."""
        with self._read() as conn:
            row = conn.execute("SELECT uid FROM calendar_owner WHERE id = 1").fetchone()
        return str(row[0]) if row else ""
