"""The names of the fields in the PDF's forms, shared by the renderer and the reader.

PDF field names may not hold a period (it separates the parts of a hierarchical name), so an id
goes into a name percent-encoded: every character but ASCII letters, digits, ``-`` and ``_``
becomes ``%XX`` (of its UTF-8 bytes). Plain Python; no PDF library here.
"""

from __future__ import annotations

from urllib.parse import unquote

SESSION = "session:"  # a planned session's checkbox: SESSION + the session's id
LEVEL = "level:"  # a mentor's level 1..5 for a topic (blank: not rated this time)
NOTE = "note:"  # a mentor's note on a topic
COMMENT = "mentor-comment"  # the mentor's overall comment
MENTOR_NAME = "mentor-name"
MENTOR_DATE = "mentor-date"  # YYYY-MM-DD; blank: the day the form is read
# Read-only fields naming what the form belongs to.
PROFILE = "assess-profile"
RUBRIC = "assess-rubric"
RUBRIC_VERSION = "assess-rubric-version"
REPORT_DATE = "assess-report-date"
FORM_KIND = "assess-form"  # "mentor": this PDF carries a mentor's form
IDENTITY = (FORM_KIND, PROFILE, RUBRIC, RUBRIC_VERSION, REPORT_DATE)
READ_ONLY_PREFIX = "assess-"

_SAFE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_")


def encode(value: str) -> str:
    """``value`` with every character outside ``[A-Za-z0-9_-]`` percent-encoded."""
    return "".join(
        c if c in _SAFE else "".join(f"%{b:02X}" for b in c.encode("utf-8")) for c in value
    )


def decode(value: str) -> str:
    """The inverse of ``encode``."""
    return unquote(value, errors="strict")


def session_field(session_id: str) -> str:
    return SESSION + encode(session_id)


def level_field(topic_id: str) -> str:
    return LEVEL + encode(topic_id)


def note_field(topic_id: str) -> str:
    return NOTE + encode(topic_id)
