"""Small conversions every section of the report context uses."""

from __future__ import annotations

import datetime as dt
from typing import Any

from assess.rubric.model import Rubric

Context = dict[str, Any]


def _iso(day: dt.date | str | None) -> str | None:
    if day is None:
        return None
    return day.isoformat() if isinstance(day, dt.date) else str(day)


def _date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def _hours(value: float | None) -> float:
    return round(float(value or 0.0), 2)


def _round_title(rubric: Rubric, round_id: str) -> str:
    return next((r.title for r in rubric.rounds if r.id == round_id), round_id)


def _on(day: str | None) -> str:
    """`` (8 Dec)`` for a date, empty without one."""
    d = _date(day)
    return f" ({d.day} {d.strftime('%b')})" if d else ""
