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

**Spacing aimed at the onsite.** FSRS alone knows nothing of the interview: at its default
90% retention a Good answer comes back in about 2 days, then 11. With the onsite date known:

- a question answered well (its last attempt Good or Easy) is not re-issued before the last
  10 days before the onsite, *unless* even a re-attempt on that day would leave its predicted
  recall on the onsite day below the desired retention (90%): then FSRS's own date stands;
- a question answered poorly (Again or Hard) keeps FSRS's date, and failed ones come first;
- every attempted question shows its *predicted recall on the onsite day* (FSRS
  retrievability on that day if it is not practised again), in ``practice --list``, the JSON
  and the report.

**Evidence for a rating** (per topic, from its questions' attempts):

- an attempt *supports* a rating when it covered at least 75% inside the time box;
- **caps**: a failed attempt (under 50% of the points, or over 1.5x the time box) caps the
  topic's planning level at 2, a weak one (under 75%) at 3, until a later attempt on the topic
  covers 75%+ inside the time box or the mentor rates the topic (on or after the attempt's
  day). A self check-in does not lift a cap: the plan uses the lower of the rating and the cap;
- **unverified jumps**: a self-rating raised by 2 or more from one check-in to the next, with
  no supporting attempt since the earlier one, is planned one level above the old rating until
  an attempt supports it (or the mentor rates the topic); its check is booked within 7 days;
- a rating at or above the target with no supporting attempt in the last 21 days is
  *unverified*: the plan books one verification practice and the report lists it.
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


LAST_DAYS = 10  # a question answered well waits for the last 10 days before the onsite
STUDY_HOUR = 19


def _scheduler() -> Any:
    import fsrs

    return fsrs.Scheduler(enable_fuzzing=False, learning_steps=(), relearning_steps=())


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(STUDY_HOUR), tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Spacing:
    """One question's next attempt: FSRS's date, the date aimed at the onsite, and the
    predicted recall on the onsite day (None without an onsite date)."""

    question: str
    fsrs_due: dt.date
    due: dt.date
    recall_onsite: float | None
    last_grade: str


def spacing(attempts: Iterable[Attempt], onsite: dt.date | None = None) -> dict[str, Spacing]:
    """Question id -> its next attempt (rules in the module docstring), replaying every
    attempt in order."""
    items = list(attempts)
    if not items:
        return {}
    import fsrs

    scheduler = _scheduler()
    cards: dict[str, Any] = {}
    last: dict[str, Attempt] = {}
    ordered = sorted(items, key=lambda a: (a.date, a.uid, a.question))
    for i, attempt in enumerate(ordered):
        when = _at(attempt.date)
        card = cards.get(attempt.question) or fsrs.Card(card_id=i + 1, due=when)
        card, _ = scheduler.review_card(card, getattr(fsrs.Rating, attempt.grade),
                                        review_datetime=when)
        cards[attempt.question] = card
        last[attempt.question] = attempt
    out = {}
    for qid, card in cards.items():
        fsrs_due = card.due.date()
        grade = last[qid].grade
        recall = None
        due = fsrs_due
        if onsite is not None and onsite > last[qid].date:
            recall = float(scheduler.get_card_retrievability(card, _at(onsite)))
            window = max(onsite - dt.timedelta(days=LAST_DAYS), last[qid].date)
            if grade in ("Good", "Easy") and fsrs_due < window:
                # one re-attempt at the start of the last days: is recall then high enough?
                again, _ = scheduler.review_card(card, fsrs.Rating.Good,
                                                 review_datetime=_at(window))
                kept = scheduler.get_card_retrievability(again, _at(onsite))
                if kept >= scheduler.desired_retention:
                    due = window
        out[qid] = Spacing(qid, fsrs_due, due, recall, grade)
    return out


def due_dates(attempts: Iterable[Attempt], onsite: dt.date | None = None) -> dict[str, dt.date]:
    """Question id -> the date its next attempt is due (aimed at the onsite when given)."""
    return {qid: sp.due for qid, sp in spacing(attempts, onsite).items()}


@dataclass(frozen=True)
class Reattempt:
    question: str
    topic: str
    due: dt.date
    last_grade: str
    recall_onsite: float | None = None
    fsrs_due: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        return {"question_id": self.question, "topic": self.topic, "due": self.due.isoformat(),
                "last_grade": self.last_grade,
                "fsrs_due": (self.fsrs_due or self.due).isoformat(),
                "recall_onsite": None if self.recall_onsite is None
                else round(self.recall_onsite, 2)}


def reattempts(attempts: Iterable[Attempt], onsite: dt.date | None = None) -> list[Reattempt]:
    """Every attempted question with its next due date, failed ones and earliest first."""
    items = list(attempts)
    plan = spacing(items, onsite)
    last: dict[str, Attempt] = {}
    for a in sorted(items, key=lambda a: (a.date, a.uid)):
        last[a.question] = a
    out = [Reattempt(q, last[q].topic, sp.due, sp.last_grade, sp.recall_onsite, sp.fsrs_due)
           for q, sp in plan.items()]
    out.sort(key=lambda r: (r.last_grade != "Again", r.due, r.question))
    return out


# ----- evidence ----------------------------------------------------------------------------------


FAILED_CAP = 2
WEAK_CAP = 3


def failed(attempt: Attempt) -> bool:
    return (attempt.share < CONTRADICT_SHARE
            or attempt.minutes > AGAIN_OVERTIME * attempt.time_box + 1e-9)


@dataclass(frozen=True)
class Cap:
    """The highest level a topic may be planned at, and the attempt that set it."""

    level: int
    attempt: Attempt

    def reason(self) -> str:
        """``capped at 2 by your attempt on 3 Dec: 2/7 points``."""
        a = self.attempt
        text = (f"capped at {self.level} by your attempt on {a.date.day} {a.date:%b}: "
                f"{len(a.covered)}/{a.total} points")
        if a.minutes > AGAIN_OVERTIME * a.time_box + 1e-9:
            text += f" in {a.minutes:g} of {a.time_box} min"
        return text

    def to_json(self) -> dict[str, Any]:
        return {"level": self.level, "date": self.attempt.date.isoformat(),
                "question_id": self.attempt.question, "points": len(self.attempt.covered),
                "total": self.attempt.total, "reason": self.reason()}


def caps_for(attempts: Iterable[Attempt], mentor_dates: Mapping[str, dt.date] | None = None
             ) -> dict[str, Cap]:
    """Topic id -> its standing cap (rules in the module docstring)."""
    mentor_dates = mentor_dates or {}
    caps: dict[str, Cap | None] = {}
    for a in sorted(attempts, key=lambda a: a.date):  # the same day: in the order recorded
        current = caps.get(a.topic)
        if a.supports:
            caps[a.topic] = None
        elif failed(a):
            caps[a.topic] = Cap(FAILED_CAP, a)
        elif a.share < SUPPORT_SHARE and (current is None or current.level > WEAK_CAP):
            caps[a.topic] = Cap(WEAK_CAP, a)
    out = {}
    for tid, cap in caps.items():
        rated = mentor_dates.get(tid)
        if cap is not None and (rated is None or rated < cap.attempt.date):
            out[tid] = cap
    return out


@dataclass(frozen=True)
class Jump:
    """A self-rating raised by 2+ from one check-in to the next, not supported yet."""

    topic: str
    before: int
    after: int
    since: dt.date  # the check-in that raised it

    @property
    def planned(self) -> int:
        return self.before + 1

    def reason(self) -> str:
        return (f"unverified: raised from {self.before} to {self.after} on {self.since.day} "
                f"{self.since:%b} with no attempt to support it; planned at {self.planned} "
                "until one does")

    def to_json(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "since": self.since.isoformat(),
                "planned": self.planned, "reason": self.reason()}


def unverified_jumps(
    checkins: Iterable[tuple[dt.date, Mapping[str, int | None]]],
    attempts: Iterable[Attempt],
    mentor_dates: Mapping[str, dt.date] | None = None,
) -> dict[str, Jump]:
    """Topic id -> its unverified jump, from the complete self check-ins (oldest first)."""
    mentor_dates = mentor_dates or {}
    items = list(attempts)
    jumps: dict[str, tuple[Jump, dt.date]] = {}  # with the date of the rating before it
    last: dict[str, tuple[int, dt.date]] = {}
    for day, ratings in checkins:
        for tid, level in ratings.items():
            if level is None:
                continue
            open_jump = jumps.get(tid)
            if open_jump is not None and level < open_jump[0].before + 2:
                del jumps[tid]  # lowered again: nothing left to verify
            elif open_jump is not None:
                jumps[tid] = (Jump(tid, open_jump[0].before, level, open_jump[0].since),
                              open_jump[1])
            elif tid in last and level >= last[tid][0] + 2:
                jumps[tid] = (Jump(tid, last[tid][0], level, day), last[tid][1])
            last[tid] = (level, day)
    out = {}
    for tid, (jump, before_day) in jumps.items():
        supported = any(a.topic == tid and a.supports and a.date >= before_day for a in items)
        rated = mentor_dates.get(tid)
        if not supported and (rated is None or rated < jump.since):
            out[tid] = jump
    return out


@dataclass(frozen=True)
class Evidence:
    topic: str
    attempts: int
    best: Attempt | None
    status: str  # "verified" | "unverified" | "contradicted" | "none"
    level_used: int | None  # the level the plan should use, when evidence changes it
    cap: Cap | None = None
    jump: Jump | None = None

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
            "cap": self.cap.to_json() if self.cap else None,
            "jump": self.jump.to_json() if self.jump else None,
        }


def evidence(
    topic: str,
    rating: int | None,
    rated_on: dt.date | None,
    target: int,
    attempts: Iterable[Attempt],
    today: dt.date,
    cap: Cap | None = None,
    jump: Jump | None = None,
) -> Evidence:
    """What the topic's attempts say about its rating (rules in the module docstring)."""
    since = today - dt.timedelta(days=EVIDENCE_DAYS)
    recent = [a for a in attempts if a.topic == topic and since <= a.date <= today]
    best = max(recent, key=lambda a: (a.supports, a.share, -a.minutes, a.date), default=None)
    if rating is None:
        return Evidence(topic, len(recent), best, "none", None, cap)
    if cap is not None and cap.level < rating:
        return Evidence(topic, len(recent), best, "contradicted", cap.level, cap, jump)
    if jump is not None and jump.planned < rating:
        return Evidence(topic, len(recent), best, "unverified", jump.planned, cap, jump)
    if any(a.supports for a in recent):
        return Evidence(topic, len(recent), best, "verified", None, cap)
    if rating >= target:
        return Evidence(topic, len(recent), best, "unverified", None, cap)
    return Evidence(topic, len(recent), best, "none", None, cap)


def evidence_for(
    ratings: Mapping[str, int | None],
    rated_on: Mapping[str, dt.date],
    targets: Mapping[str, int],
    attempts: Iterable[Attempt],
    today: dt.date,
    caps: Mapping[str, Cap] | None = None,
    jumps: Mapping[str, Jump] | None = None,
) -> dict[str, Evidence]:
    items = list(attempts)
    caps = caps or {}
    jumps = jumps or {}
    return {
        tid: evidence(tid, ratings.get(tid), rated_on.get(tid), targets[tid], items, today,
                      caps.get(tid), jumps.get(tid))
        for tid in targets
    }
