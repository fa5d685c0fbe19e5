"""Practice attempts as evidence: the FSRS rating of an attempt, re-attempt scheduling, and
what attempts say about a self-rating. Pure rules; the store keeps the attempts.

**An attempt** records a question, its date, the minutes used, the checklist points covered
out of the question's total, who scored it (self, mentor or peer) and a note.

**FSRS rating of an attempt** (the ``fsrs`` package schedules the re-attempts; each question is
a card, reviewed once per attempt, in date order):

- *Again*: under 50% of the points covered, or more than 1.5x the time box;
- *Easy*: 90% or more covered inside the time box;
- *Hard*: under 75% covered, or over the time box;
- *Good*: otherwise.

Day-level scheduling: no intra-day learning steps, no fuzzing (same inputs, same dates).

**Evidence for a rating** (per topic, from its questions' attempts in the last 21 days):

- an attempt *supports* a level-4+ rating when it covered at least 75% inside the time box;
- a rating at or above the target with no supporting attempt is *unverified*: the plan books
  one verification practice and the report lists it;
- an attempt on or after the rating's date that covered under 50% *contradicts* a rating of 3
  or more: the plan treats the topic as one level lower until the candidate rates it again.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

RATERS = ("self", "mentor", "peer")
EVIDENCE_DAYS = 21
SUPPORT_SHARE = 0.75
CONTRADICT_SHARE = 0.5
EASY_SHARE = 0.9
AGAIN_OVERTIME = 1.5


@dataclass(frozen=True)
class Attempt:
    question: str  # question id
    topic: str
    date: dt.date
    minutes: float
    covered: tuple[int, ...]  # 1-based checklist points covered
    total: int  # points on the question's checklist
    time_box: int  # the question's minutes
    rater: str = "self"
    note: str = ""
    uid: str = ""

    @property
    def share(self) -> float:
        return len(self.covered) / self.total if self.total else 0.0

    @property
    def inside_time(self) -> bool:
        return self.minutes <= self.time_box + 1e-9

    @property
    def grade(self) -> str:
        """The FSRS rating name: Again, Hard, Good or Easy (rules in the module docstring)."""
        if self.share < CONTRADICT_SHARE or self.minutes > AGAIN_OVERTIME * self.time_box:
            return "Again"
        if self.share >= EASY_SHARE and self.inside_time:
            return "Easy"
        if self.share < SUPPORT_SHARE or not self.inside_time:
            return "Hard"
        return "Good"

    @property
    def supports(self) -> bool:
        return self.share >= SUPPORT_SHARE and self.inside_time

    def summary(self) -> str:
        """``5/6 points in 38 of 45 min``."""
        return (f"{len(self.covered)}/{self.total} points in {self.minutes:g} of "
                f"{self.time_box} min")

    def to_json(self) -> dict[str, Any]:
        return {
            "uid": self.uid,
            "question_id": self.question,
            "topic": self.topic,
            "date": self.date.isoformat(),
            "minutes": self.minutes,
            "covered": list(self.covered),
            "points": len(self.covered),
            "total": self.total,
            "time_box": self.time_box,
            "rater": self.rater,
            "note": self.note,
            "grade": self.grade,
        }


def parse_covered(text: str, total: int, where: str = "--covered") -> tuple[int, ...]:
    """``"1,3,4"`` or ``"1 3 4"`` -> (1, 3, 4); each point must be 1..total, none twice."""
    from assess.errors import InputError

    parts = [p for p in text.replace(",", " ").split() if p]
    out: list[int] = []
    for part in parts:
        try:
            n = int(part)
        except ValueError:
            raise InputError(f"{where}: {part[:20]!r} is not a point number") from None
        if not 1 <= n <= total:
            raise InputError(f"{where}: point {n} is out of range (the checklist has 1-{total})")
        if n in out:
            raise InputError(f"{where}: point {n} is given twice")
        out.append(n)
    return tuple(sorted(out))


# ----- FSRS -------------------------------------------------------------------------------------


def _scheduler() -> Any:
    import fsrs

    return fsrs.Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())


def due_dates(attempts: Iterable[Attempt], study_hour: int = 19) -> dict[str, dt.date]:
    """Question id -> the date its next attempt is due, replaying every attempt in order."""
    items = list(attempts)
    if not items:
        return {}
    import fsrs

    scheduler = _scheduler()
    cards: dict[str, Any] = {}
    ordered = sorted(items, key=lambda a: (a.date, a.uid, a.question))
    for i, attempt in enumerate(ordered):
        when = dt.datetime.combine(attempt.date, dt.time(study_hour), tzinfo=dt.timezone.utc)
        card = cards.get(attempt.question) or fsrs.Card(card_id=i + 1, due=when)
        card, _ = scheduler.review_card(card, getattr(fsrs.Rating, attempt.grade),
                                        review_datetime=when)
        cards[attempt.question] = card
    return {qid: card.due.date() for qid, card in cards.items()}


@dataclass(frozen=True)
class Reattempt:
    question: str
    topic: str
    due: dt.date
    last_grade: str

    def to_json(self) -> dict[str, Any]:
        return {"question_id": self.question, "topic": self.topic, "due": self.due.isoformat(),
                "last_grade": self.last_grade}


def reattempts(attempts: Iterable[Attempt]) -> list[Reattempt]:
    """Every attempted question with its next due date, failed ones and earliest first."""
    items = list(attempts)
    dues = due_dates(items)
    last: dict[str, Attempt] = {}
    for a in sorted(items, key=lambda a: (a.date, a.uid)):
        last[a.question] = a
    out = [Reattempt(q, last[q].topic, due, last[q].grade) for q, due in dues.items()]
    out.sort(key=lambda r: (r.last_grade != "Again", r.due, r.question))
    return out


# ----- evidence ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Evidence:
    topic: str
    attempts: int
    best: Attempt | None
    status: str  # "verified" | "unverified" | "contradicted" | "none"
    level_used: int | None  # the level the plan should use, when evidence changes it

    def line(self) -> str:
        """``evidence: 2 attempts, best 5/6 points in 38 of 45 min``."""
        if not self.attempts or self.best is None:
            return "evidence: no attempts yet"
        plural = "s" if self.attempts != 1 else ""
        return f"evidence: {self.attempts} attempt{plural}, best {self.best.summary()}"

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "attempts": self.attempts,
            "best": self.best.to_json() if self.best else None,
            "status": self.status,
            "level_used": self.level_used,
        }


def evidence(
    topic: str,
    rating: int | None,
    rated_on: dt.date | None,
    target: int,
    attempts: Iterable[Attempt],
    today: dt.date,
) -> Evidence:
    """What the topic's recent attempts say about its rating (rules in the module docstring)."""
    since = today - dt.timedelta(days=EVIDENCE_DAYS)
    recent = [a for a in attempts if a.topic == topic and since <= a.date <= today]
    best = max(recent, key=lambda a: (a.supports, a.share, -a.minutes, a.date), default=None)
    if rating is None:
        return Evidence(topic, len(recent), best, "none", None)
    after = [a for a in recent if rated_on is None or a.date >= rated_on]
    if rating >= 3 and after and max(a.share for a in after) < CONTRADICT_SHARE:
        return Evidence(topic, len(recent), best, "contradicted", rating - 1)
    if any(a.supports for a in recent):
        return Evidence(topic, len(recent), best, "verified", None)
    if rating >= target:
        return Evidence(topic, len(recent), best, "unverified", None)
    return Evidence(topic, len(recent), best, "none", None)


def evidence_for(
    ratings: Mapping[str, int | None],
    rated_on: Mapping[str, dt.date],
    targets: Mapping[str, int],
    attempts: Iterable[Attempt],
    today: dt.date,
) -> dict[str, Evidence]:
    items = list(attempts)
    return {
        tid: evidence(tid, ratings.get(tid), rated_on.get(tid), targets[tid], items, today)
        for tid in targets
    }
