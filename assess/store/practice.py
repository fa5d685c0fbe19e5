"""Practice attempts (timed, scored against a question's checklist) and completed sessions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass

from assess.core.textsafety import check_text
from assess.errors import InputError
from assess.evidence.practice import RATERS, Attempt
from assess.store.base import MAX_NOTE_CHARS, StoreBase, _check_hours, _new_uid, _now

MAX_ATTEMPT_MINUTES = 600


def check_attempt(attempt: Attempt) -> None:
    """The checks every attempt passes before it is stored, whatever its source."""
    if attempt.rater not in RATERS:
        raise InputError(f"rater: {attempt.rater!r} is not one of {', '.join(RATERS)}")
    minutes = attempt.minutes
    if isinstance(minutes, bool) or not isinstance(minutes, (int, float)) or not (
        0 < minutes <= MAX_ATTEMPT_MINUTES
    ):
        raise InputError(f"minutes: must be more than 0 and at most {MAX_ATTEMPT_MINUTES}")
    if not 1 <= attempt.total <= 10:
        raise InputError("covered: the question has no checklist to score against")
    for point in attempt.covered:
        if not 1 <= point <= attempt.total:
            raise InputError(
                f"covered: point {point} is out of range (the checklist has 1-{attempt.total})"
            )
    if len(set(attempt.covered)) != len(attempt.covered):
        raise InputError("covered: a point is given twice")
    if attempt.note:
        check_text(attempt.note, "note", multiline=True, max_chars=MAX_NOTE_CHARS)


@dataclass(frozen=True)
class Completion:
    session_id: str
    round: str
    topic: str
    activity: str
    question_id: str | None
    hours: float
    date: dt.date
    plan_id: str = ""  # the saved plan the session was ticked from


class PracticeStore(StoreBase):
    # ----- attempts ---------------------------------------------------------------------------

    def add_attempt(self, attempt: Attempt) -> Attempt:
        """Store one attempt (checked first); returns it with its uid."""
        check_attempt(attempt)
        uid = attempt.uid or _new_uid()
        with self._write() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO attempts (uid, question_id, topic, date, minutes, "
                "covered, total, time_box, rater, note, recorded_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (uid, attempt.question, attempt.topic, attempt.date.isoformat(),
                 float(attempt.minutes), json.dumps(list(attempt.covered)), attempt.total,
                 attempt.time_box, attempt.rater, attempt.note or None, _now()),
            )
        return Attempt(**{**attempt.__dict__, "uid": uid})

    def attempts(self) -> list[Attempt]:
        """Every attempt, oldest first."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT uid, question_id, topic, date, minutes, covered, total, time_box, "
                "rater, note FROM attempts ORDER BY date, id"
            ).fetchall()
        return [
            Attempt(question=r[1], topic=r[2], date=dt.date.fromisoformat(r[3]),
                    minutes=float(r[4]), covered=tuple(json.loads(r[5])), total=int(r[6]),
                    time_box=int(r[7]), rater=r[8], note=r[9] or "", uid=r[0])
            for r in rows
        ]

    # ----- completed sessions -----------------------------------------------------------------

    def complete_sessions(self, done: Iterable[Completion]) -> int:
        """Mark plan sessions done (each once) and log their hours on their round and topic;
        returns how many were new. All or nothing."""
        added = 0
        with self._write() as conn:
            for c in done:
                _check_hours(c.hours) if c.hours else None
                cur = conn.execute(
                    "INSERT OR IGNORE INTO completions (session_id, round, topic, activity, "
                    "question_id, hours, date, recorded_at, plan_id) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (c.session_id, c.round, c.topic, c.activity, c.question_id, c.hours,
                     c.date.isoformat(), _now(), c.plan_id or None),
                )
                if cur.rowcount and c.hours:
                    conn.execute(
                        "INSERT INTO hours (uid, round, topic, hours, date, note, logged_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (_new_uid(), c.round, c.topic, c.hours, c.date.isoformat(),
                         f"done: {c.session_id}", _now()),
                    )
                added += cur.rowcount
        return added

    def completions(self) -> list[Completion]:
        with self._read() as conn:
            rows = conn.execute(
                "SELECT session_id, round, topic, activity, question_id, hours, date, plan_id "
                "FROM completions ORDER BY date, session_id"
            ).fetchall()
        return [Completion(r[0], r[1], r[2], r[3], r[4], float(r[5]),
                           dt.date.fromisoformat(r[6]), r[7] or "") for r in rows]
