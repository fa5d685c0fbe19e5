"""The plan as data: sessions, weeks, allocation, feasibility, and their JSON.

Plain frozen dataclasses built by ``assess.plan.planner``; ``Plan.to_json()`` is the object that
``assess plan --json`` prints (keys from PRODUCT.md, floats rounded, so output is stable).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from assess.errors import InputError
from assess.evidence.scoring import DIGITS, Scores

BLOCK = 0.5  # hours in one block, the smallest unit of planned time
HOURS_DIGITS = 2

Activity = Literal["study", "practice", "mock", "review", "story"]
ACTIVITIES: tuple[str, ...] = ("study", "practice", "mock", "review", "story")


# ----- plain results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """One block of study time on one topic."""

    round: str
    topic: str
    title: str  # the topic's title
    blocks: int
    activity: Activity
    question: str | None = None
    question_id: str | None = None
    date: dt.date | None = None
    detail: str = ""  # what to do: what to study, the question to redo, how to run the mock
    id: str = ""  # stable within a plan: date, topic and activity
    kind: str = ""  # mocks: "baseline", "screen" or "final"; "light" for a light review;
    # story sessions: "write" (a story to write) or "rehearsal" (a written story, told timed)

    @property
    def hours(self) -> float:
        return self.blocks * BLOCK

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "round": self.round,
            "topic": self.topic,
            "title": self.title,
            "hours": self.hours,
            "activity": self.activity,
            "kind": self.kind or None,
            "question": self.question,
            "question_id": self.question_id,
            "detail": self.detail,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass(frozen=True)
class Week:
    index: int  # 1-based
    start: dt.date
    end: dt.date
    sessions: tuple[Session, ...]
    focus: str = ""  # what the week is mostly about, e.g. "screen prep; Coding, Applied ML"

    @property
    def blocks(self) -> int:
        return sum(s.blocks for s in self.sessions)

    @property
    def hours(self) -> float:
        return self.blocks * BLOCK

    def to_json(self) -> dict[str, Any]:
        return {
            "index": self.index,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "hours": self.hours,
            "focus": self.focus,
            "sessions": [s.to_json() for s in self.sessions],
        }


@dataclass(frozen=True)
class Unreachable:
    """A topic that will not reach its target with the hours planned for it."""

    topic: str
    round: str
    title: str
    rating: int
    target: int
    reachable: int  # the level the planned hours should reach
    hours_needed: float
    hours_planned: float

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "round": self.round,
            "title": self.title,
            "rating": self.rating,
            "target": self.target,
            "reachable": self.reachable,
            "hours_needed": round_hours(self.hours_needed),
            "hours_planned": round_hours(self.hours_planned),
        }


@dataclass(frozen=True)
class StageForecast:
    """A stage of the timeline with its date and the readiness to expect on that date."""

    stage: str
    title: str
    date: dt.date | None
    status: str  # upcoming | undated | done | past | today
    rounds: tuple[str, ...]
    readiness_now: float | None  # of the stage's rounds (None: the stage has no rounds)
    readiness_expected: float | None  # if the hours planned before its date go as planned
    hours: dict[str, float]  # round id -> hours planned before the stage's date

    def to_json(self) -> dict[str, Any]:
        return {
            "stage": self.stage,
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "status": self.status,
            "rounds": list(self.rounds),
            "readiness_now": None if self.readiness_now is None
            else round_ratio(self.readiness_now),
            "readiness_expected": None if self.readiness_expected is None
            else round_ratio(self.readiness_expected),
            "hours": {k: round_hours(v) for k, v in self.hours.items()},
        }


@dataclass(frozen=True)
class LowerTarget:
    """What aiming one level lower would mean: its level, what that level is, the hours."""

    level: int
    label: str
    meaning: str  # e.g. "level 3, Working: below interview-ready"
    hours_needed: float
    fits: bool

    @property
    def sentence(self) -> str:
        """One sentence on what aiming lower would mean, for the feasibility section."""
        if self.hours_needed <= 0:
            return (f"A lower target ({self.meaning}) is already met on every topic: the "
                    "shortfall is all in reaching interview-ready.")
        fit = "and would fit" if self.fits else "and would still not fit"
        return (f"A lower target ({self.meaning}) would need {fmt_hours(self.hours_needed)} "
                f"{fit}: a fallback, not a goal, since interviewers hire at interview-ready.")

    def to_json(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "label": self.label,
            "meaning": self.meaning,
            "sentence": self.sentence,
            "hours_needed": round_hours(self.hours_needed),
            "fits": self.fits,
        }


@dataclass(frozen=True)
class Feasibility:
    hours_per_level: float
    hours_needed: float
    hours_available: float
    unreachable: tuple[Unreachable, ...]
    forecasts: tuple[StageForecast, ...] = ()
    lower_target: LowerTarget | None = None
    needs: dict[str, float] = field(default_factory=dict)  # topic -> hours its gap still needs

    @property
    def top_shortfalls(self) -> tuple[Unreachable, ...]:
        """The three shortfalls that matter most (``unreachable`` is biggest gap first)."""
        return self.unreachable[:3]

    @property
    def headline(self) -> list[str]:
        """Readiness to expect on each dated, open stage, against the target (100%)."""
        out = []
        for f in self.forecasts:
            if f.readiness_expected is None or f.status not in ("upcoming", "undated"):
                continue
            when = f.date.strftime("%a %d %b") if f.date else "its date (not set yet)"
            out.append(
                f"{f.title} on {when}: expect {f.readiness_expected:.0%} ready "
                f"(now {f.readiness_now or 0:.0%}; target 100%)."
            )
        return out

    @property
    def fits(self) -> bool:
        return self.hours_needed <= self.hours_available + 1e-9 and not self.unreachable

    @property
    def short_by(self) -> float:
        return max(0.0, self.hours_needed - self.hours_available)

    @property
    def message(self) -> str:
        need, have = fmt_hours(self.hours_needed), fmt_hours(self.hours_available)
        if self.fits:
            return f"Fits: {need} needed to close every gap, {have} planned."
        if self.hours_needed <= self.hours_available + 1e-9:
            return (f"Does not fit as planned: {need} needed to close every gap and {have} "
                    f"planned, but {len(self.unreachable)} topic(s) stay below target (whole "
                    f"cycles, deadlines and the 40% share come first): "
                    f"{', '.join(u.topic for u in self.unreachable)}.")
        text = (
            f"{fmt_hours(self.short_by)} more needed: {need} to close every gap, {have} planned. "
            f"{len(self.unreachable)} topic(s) will not reach their target: "
            f"{', '.join(u.topic for u in self.unreachable)}."
        )
        if self.lower_target is not None:
            text += " " + self.lower_target.sentence
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "fits": self.fits,
            "hours_needed": round_hours(self.hours_needed),
            "hours_available": round_hours(self.hours_available),
            "short_by": round_hours(self.short_by),
            "hours_per_level": self.hours_per_level,
            "unreachable": [u.to_json() for u in self.unreachable],
            "top_shortfalls": [u.topic for u in self.top_shortfalls],
            "needs": {k: round_hours(v) for k, v in self.needs.items()},
            "forecasts": [f.to_json() for f in self.forecasts],
            "headline": self.headline,
            "lower_target": self.lower_target.to_json() if self.lower_target else None,
            "message": self.message,
        }


@dataclass(frozen=True)
class Allocation:
    planned: dict[str, float]  # round id -> planned hours (every round, rubric order)
    logged: dict[str, float]  # round id -> hours logged (every round, rubric order)
    logged_other: dict[str, float]  # hours logged on rounds this rubric does not have
    topics: dict[str, float]  # topic id -> planned hours (rubric order)
    target_shares: dict[str, float]  # round id -> target share of the whole preparation
    min_shares: dict[str, float]  # round id -> min_share, for rounds that have one
    system_design_round: str

    @property
    def planned_total(self) -> float:
        return sum(self.planned.values())

    @property
    def logged_total(self) -> float:
        return sum(self.logged.values())

    @property
    def system_design_share(self) -> float:
        """System design's share of the planned hours."""
        total = self.planned_total
        return self.planned.get(self.system_design_round, 0.0) / total if total else 0.0

    @property
    def logged_system_design_share(self) -> float:
        """System design's share of the logged hours (0 when nothing is logged yet)."""
        total = self.logged_total
        return self.logged.get(self.system_design_round, 0.0) / total if total else 0.0

    def overall_share(self, round_id: str) -> float:
        """A round's share of the whole preparation, logged plus planned."""
        total = self.planned_total + self.logged_total
        if not total:
            return 0.0
        return (self.planned.get(round_id, 0.0) + self.logged.get(round_id, 0.0)) / total

    def to_json(self) -> dict[str, Any]:
        sd = self.system_design_round
        return {
            "rounds": {k: round_hours(v) for k, v in self.planned.items()},
            "planned_total": round_hours(self.planned_total),
            "system_design_round": sd,
            "system_design_share": round_ratio(self.system_design_share),
            "logged": {k: round_hours(v) for k, v in self.logged.items()},
            "logged_other": {k: round_hours(v) for k, v in self.logged_other.items()},
            "logged_total": round_hours(self.logged_total),
            "logged_system_design_share": round_ratio(self.logged_system_design_share),
            "overall_system_design_share": round_ratio(self.overall_share(sd)),
            "overall_shares": {k: round_ratio(self.overall_share(k)) for k in self.planned},
            "target_shares": {k: round_ratio(v) for k, v in self.target_shares.items()},
            "min_shares": {k: round_ratio(v) for k, v in self.min_shares.items()},
            "topics": {k: round_hours(v) for k, v in self.topics.items()},
        }


@dataclass(frozen=True)
class Plan:
    rubric_id: str
    rubric_version: str
    today: dt.date
    interview_date: dt.date | None
    hours_per_week: float
    week_hours: float
    weeks: tuple[Week, ...]
    scores: Scores
    allocation: Allocation
    feasibility: Feasibility
    compressed: bool
    notes: tuple[str, ...] = field(default=())
    stages: tuple[StageForecast, ...] = field(default=())
    evidence: dict[str, Any] = field(default_factory=dict)  # topic id -> practice.Evidence
    reattempts: tuple[dict[str, Any], ...] = ()  # question, due date, the date planned
    protect: tuple[dict[str, Any], ...] = ()  # funded topics, with the level each should reach
    not_this_time: tuple[dict[str, Any], ...] = ()  # topics left out, each with why
    availability: dict[str, Any] = field(default_factory=dict)  # the week the candidate has
    week_shape: str = ""  # "Mon-Fri 1.5 h, Sat 4 h, Sun rest; off 24-27 Dec"

    @property
    def weeks_total(self) -> int:
        return len(self.weeks)

    def week(self, index: int) -> Week:
        """The index-th week (1-based)."""
        if not 1 <= index <= len(self.weeks):
            raise InputError(
                f"--week {index}: the plan has weeks 1 to {len(self.weeks)}"
            )
        return self.weeks[index - 1]

    def timeline_json(self) -> list[dict[str, Any]]:
        """Each week with its hours per round, and the stage dates that fall in it."""
        out = []
        for w in self.weeks:
            rounds: dict[str, float] = {}
            for s in w.sessions:
                rounds[s.round] = rounds.get(s.round, 0.0) + s.hours
            out.append({
                "week": w.index,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "rounds": {k: round_hours(v) for k, v in rounds.items()},
                "stages": [st.stage for st in self.stages
                           if st.date is not None and w.start <= st.date <= w.end
                           + dt.timedelta(days=1 if w.index == len(self.weeks) else 0)],
            })
        return out

    def to_json(self) -> dict[str, Any]:
        """The ``assess plan --json`` object (keys of PRODUCT.md, plus extras)."""
        return {
            "rubric": {"id": self.rubric_id, "version": self.rubric_version},
            "today": self.today.isoformat(),
            "interview_date": self.interview_date.isoformat() if self.interview_date else None,
            "weeks_total": self.weeks_total,
            "hours_per_week": self.hours_per_week,
            "week_hours": self.week_hours,
            "target_level": self.scores.target_level,
            "compressed": self.compressed,
            "readiness": self.scores.readiness_json(),
            "gaps": [g.to_json() for g in self.scores.gaps],
            "skipped": self.scores.skipped,
            "mentor_marked": self.scores.mentor_marked,
            "allocation": self.allocation.to_json(),
            "feasibility": self.feasibility.to_json(),
            "stages": [st.to_json() for st in self.stages],
            "evidence": {k: v.to_json() for k, v in self.evidence.items()},
            "reattempts": list(self.reattempts),
            "timeline": self.timeline_json(),
            "availability": self.availability,
            "week_shape": self.week_shape,
            "protect": list(self.protect),
            "not_this_time": list(self.not_this_time),
            "weeks": [w.to_json() for w in self.weeks],
            "notes": list(self.notes),
        }


def round_ratio(x: float) -> float:
    return round(x + 0.0, DIGITS)


def round_hours(x: float) -> float:
    return round(x + 0.0, HOURS_DIGITS)


def fmt_hours(hours: float) -> str:
    return f"{hours:g} h" if hours == round(hours, 1) else f"{hours:.2f} h"
