"""The flows of ``assess practice``: list the attempts, log one made elsewhere, run a timed one.

Plain functions over the store: the terminal comes in as ``ask``/``say`` callables and the
countdown as a ``clock`` callable, so tests drive every flow without Click or a pty. The pieces
of a timed attempt (choosing the question, the clock, the checklist) are in ``practice_run``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.app.prompts import Ask, Say, Stopped
from assess.evidence.practice import Attempt, Spacing

# what a scripted or real ``ask`` raises when the person stops (the CLI adds its own)
STOPS: tuple[type[BaseException], ...] = (KeyboardInterrupt, EOFError)


def _ignore(_text: str) -> None:
    pass


def store_rubric(store: Any, warn: Say) -> Any:
    """The rubric the store's profile names (the default rubric without a profile)."""
    from assess.app.profile_rubric import profile_and_rubric

    return profile_and_rubric(store, warn)[1]


@dataclass(frozen=True)
class AttemptList:
    """Every attempt, oldest first, with each question's next attempt (FSRS)."""

    attempts: list[Attempt]
    spacing: dict[str, Spacing]
    onsite: dt.date | None  # the interview day, when it is still ahead

    def recall(self, question: str) -> float | None:
        """The chance to recall the question on the onsite day, rounded to two places."""
        r = self.spacing[question].recall_onsite
        return None if r is None else round(r, 2)

    def next_due(self) -> list[Spacing]:
        """The questions' next attempts: failed ones first, then by due day."""
        return sorted(self.spacing.values(),
                      key=lambda sp: (sp.last_grade != "Again", sp.due, sp.question))

    def to_json(self) -> dict[str, Any]:
        from assess.schemas import VERSION

        return {"schema": VERSION,
                "attempts": [{**a.to_json(), "next_due": self.spacing[a.question].due.isoformat(),
                              "recall_onsite": self.recall(a.question)} for a in self.attempts]}


def attempt_list(home: Path, today: dt.date) -> AttemptList:
    """``assess practice --list``: the attempts and what is due."""
    from assess.evidence.practice import spacing
    from assess.store import Store

    with Store.open(home) as store:
        attempts = store.attempts()
        profile = store.get_profile()
    onsite = profile.interview_date if profile is not None else None
    onsite = onsite if onsite and onsite > today else None
    return AttemptList(attempts, spacing(attempts, onsite), onsite)


def log_attempt(home: Path, question_id: str, minutes: float, covered: str, day: dt.date,
                rater: str = "self", note: str | None = None, warn: Say = _ignore) -> str:
    """``assess practice --log``: save an attempt made elsewhere, scored by the ``covered``
    checklist points (e.g. "1,3,4"; "" for none); the line that says how it went."""
    from assess.app.practice_run import summary
    from assess.errors import InputError, NotFoundError
    from assess.evidence.practice import due_dates, parse_covered
    from assess.store import Store

    with Store.open(home) as store:
        rubric = store_rubric(store, warn)
        try:
            topic, question = rubric.question(question_id)
        except NotFoundError as exc:
            raise InputError(f"--log: {exc}") from None
        if not question.checklist:
            raise InputError(f"--log: {question_id} has no checklist to score against")
        points = parse_covered(covered, len(question.checklist))
        attempt = Attempt(question=question.id, topic=topic.id, date=day, minutes=minutes,
                          covered=points, total=len(question.checklist),
                          time_box=question.minutes, rater=rater, note=(note or "").strip())
        saved = store.add_attempt(attempt)
        due = due_dates([a for a in store.attempts() if a.question == saved.question])
    return summary(saved, due.get(saved.question))


def planned_questions(home: Path, today: dt.date) -> list[tuple[dt.date, str | None]]:
    """(date, question id) of the current plan's practice sessions; none without a plan."""
    from assess.app.engine import current_state
    from assess.errors import UsageError

    try:
        state = current_state(home, today)
    except UsageError:
        return []
    return [(s.date, s.question_id) for w in state.plan.weeks for s in w.sessions
            if s.date is not None and s.activity in ("practice", "mock", "story")]


def timed_attempt(home: Path, today: dt.date, ask: Ask, say: Say, clock: Callable[[int], float],
                  *, question_id: str | None = None, topic_id: str | None = None,
                  rater: str = "self", warn: Say = _ignore,
                  stop: tuple[type[BaseException], ...] = STOPS) -> str:
    """``assess practice`` on a terminal: pick the question (``practice_run.choose``), start
    the ``clock`` (the time box in minutes -> the minutes used) when Enter is pressed, ask
    which checklist points were covered and for a note, save the attempt; the line that says
    how it went. A stop (``stop``, raised by ``ask`` or the clock) saves nothing: ``Stopped``.
    """
    from assess.app import practice_run
    from assess.evidence.practice import due_dates
    from assess.store import Store

    with Store.open(home) as store:
        rubric = store_rubric(store, warn)
        attempts = store.attempts()
    sessions = planned_questions(home, today)
    pick = practice_run.choose(rubric, sessions, attempts, today, question_id, topic_id)
    q = pick.question
    try:
        say(f"{pick.topic.title} ({pick.why})")
        say(f"Question {q.id}: {q.text}")
        ask(f"Time box: {q.minutes} min. Press Enter to start the clock", None)
        minutes = clock(q.minutes)
        attempt = practice_run.record(pick, minutes, lambda t: ask(t, None), say, today, rater)
    except stop:
        raise Stopped("nothing was saved.") from None
    with Store.open(home) as store:
        saved = store.add_attempt(attempt)
        due = due_dates([a for a in store.attempts() if a.question == saved.question])
    return practice_run.summary(saved, due.get(saved.question))
