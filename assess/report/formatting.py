"""Dates and small formatting helpers shared by the templates, the renderer and the calendar."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

from assess.report.context_common import Context


def _day(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def pct(value: Any) -> str:
    if value is None:
        return "–"
    return f"{round(float(value) * 100):d}%"


def points(value: Any) -> str:
    """A readiness difference in percentage points: ``+7 points``."""
    n = round(float(value) * 100)
    if n == 0:
        return "no change"
    return f"{n:+d} point{'s' if abs(n) != 1 else ''}".replace("-", "−")


def hours(value: Any) -> str:
    if value is None:
        return "–"
    v = round(float(value), 2)
    return f"{v:g} h"


def signed(value: Any) -> str:
    n = int(value)
    return f"{n:+d}".replace("-", "−")


def weekday(value: Any) -> str:
    """``Mon 30``: the day of a session inside its week."""
    day = _day(value)
    return day.strftime("%a %d") if day else ""


def shortdate(value: Any) -> str:
    day = _day(value)
    return day.strftime("%a %d %b").replace(" 0", " ") if day else "–"


def daymonth(value: Any) -> str:
    """``8 Dec``: the day a mentor's rating was given."""
    day = _day(value)
    return f"{day.day} {day.strftime('%b')}" if day else "–"


def session_field(value: Any) -> str:
    """The name of a session's checkbox field: ``session:`` and its id, percent-encoded."""
    from assess.inputs.form_fields import session_field as name

    return name(str(value))


def longdate(value: Any) -> str:
    day = _day(value)
    return f"{day.strftime('%A')} {day.day} {day.strftime('%B %Y')}" if day else "–"


# Characters that can start Markdown syntax inside a line: emphasis, code, links and images
# (brackets), raw HTML and autolinks (angle brackets), headings, tables, strikethrough.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


class _MarkdownCode(str):
    """Markdown already made inert by ``md_code``: ``md_escape`` passes it through."""


def md_escape(value: Any) -> str:
    """Make any value inert Markdown text: one line, punctuation backslash-escaped."""
    if value is None:
        return ""
    if isinstance(value, _MarkdownCode):
        return str(value)
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def document_datetime(ctx: Context) -> dt.datetime:
    """The document's date: ``SOURCE_DATE_EPOCH`` when set, else the data's own date."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.timezone.utc)
    day = dt.date.fromisoformat(ctx["date"])
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.timezone.utc)
