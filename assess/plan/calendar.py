"""The plan's calendar: stages and their dates, weeks, days and how many blocks each can hold.

Pure functions of (rubric timeline, today, onsite date, stage dates, stages done); no I/O.

- **Stages** come from the rubric's ``timeline.stages``. The *onsite stage* is the first stage
  whose rounds are onsite rounds; its date is the profile's interview date. Earlier stages
  (screens) may carry their own date. A stage that is marked done, or whose date is today or
  past, is *closed*: its rounds get no new hours.
- **Deadlines.** A round's sessions fall strictly before its stage's date. A screen round with
  no date is prepared in the first week (the guide puts screens in weeks 1-2), and the plan
  says how to give it a date.
- **Days.** The day of a dated stage holds nothing (you are interviewing); the day before it
  is *light*: at most one 0.5 h review, never new study or a mock.
- **Weeks** run from today in 7-day steps; the last ends the day before the onsite. A full week
  plans the weekly hours; a last week cut short by the onsite gets its share by days, plus the
  light review on the day before.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.rubric.model import Rubric

UNDATED_SCREEN_DAYS = 7  # an undated screen is prepared inside the first week


@dataclass(frozen=True)
class StageInfo:
    """One stage of the rubric's timeline as the plan sees it."""

    id: str
    title: str
    rounds: tuple[str, ...]
    date: dt.date | None
    done: bool  # marked done by the candidate
    onsite: bool  # the stage the interview date belongs to

    def closed(self, today: dt.date) -> bool:
        """Done, or its date is today or past: no more preparation for it."""
        return self.done or (self.date is not None and self.date <= today)

    def status(self, today: dt.date) -> str:
        if self.done:
            return "done"
        if self.date is None:
            return "undated"
        if self.date < today:
            return "past"
        if self.date == today:
            return "today"
        return "upcoming"


def onsite_stage_id(rubric: Rubric) -> str | None:
    """The stage the interview date belongs to: the first whose rounds are onsite rounds."""
    kinds = {r.id: r.stage for r in rubric.rounds}
    for stage in rubric.timeline.stages:
        if any(kinds.get(rid) == "onsite" for rid in stage.rounds):
            return stage.id
    ids = [s.id for s in rubric.timeline.stages]
    return "onsite" if "onsite" in ids else None


def stage_infos(
    rubric: Rubric,
    interview_date: dt.date | None,
    stage_dates: Mapping[str, dt.date],
    stages_done: Sequence[str],
) -> list[StageInfo]:
    """Every stage in timeline order, with its date (the onsite's is the interview date)."""
    onsite = onsite_stage_id(rubric)
    out = []
    for stage in rubric.timeline.stages:
        date = interview_date if stage.id == onsite else stage_dates.get(stage.id)
        out.append(
            StageInfo(
                id=stage.id, title=stage.title, rounds=tuple(stage.rounds), date=date,
                done=stage.id in stages_done, onsite=stage.id == onsite,
            )
        )
    return out


def stage_of_rounds(rubric: Rubric, stages: Sequence[StageInfo]) -> dict[str, StageInfo | None]:
    """Round id -> the stage it belongs to (None for a round no stage lists)."""
    out: dict[str, StageInfo | None] = {r.id: None for r in rubric.rounds}
    for stage in stages:
        for rid in stage.rounds:
            if rid in out and out[rid] is None:
                out[rid] = stage
    return out


# ----- weeks and days ---------------------------------------------------------------------------


def count_weeks(today: dt.date, interview_date: dt.date | None, default_weeks: int = 4) -> int:
    """Weeks from today to the interview, rounded up (at least 1); the default without a date."""
    if interview_date is None or interview_date < today:
        return default_weeks
    return max(1, math.ceil((interview_date - today).days / 7))


def week_dates(
    today: dt.date, interview_date: dt.date | None, weeks: int
) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of each week; the last ends the day before the interview."""
    out = []
    for i in range(weeks):
        start = today + dt.timedelta(days=7 * i)
        end = start + dt.timedelta(days=6)
        if interview_date is not None and interview_date >= today and end >= interview_date:
            end = max(start, interview_date - dt.timedelta(days=1))
        out.append((start, end))
    return out


@dataclass(frozen=True)
class Day:
    date: dt.date
    week: int  # 0-based week index
    kind: str  # "normal" | "light" (the day before a stage) | "stage" (a stage's own day)


@dataclass(frozen=True)
class Calendar:
    """Weeks, their block capacities, and every day with its kind."""

    weeks: tuple[tuple[dt.date, dt.date], ...]
    capacities: tuple[int, ...]
    days: tuple[Day, ...]
    onsite: dt.date | None  # the interview date when it is upcoming

    def days_of(self, week: int) -> list[Day]:
        return [d for d in self.days if d.week == week]

    def normal_days(self, week: int, before: dt.date | None = None) -> list[Day]:
        return [
            d for d in self.days
            if d.week == week and d.kind == "normal" and (before is None or d.date < before)
        ]

    def full(self, week: int) -> bool:
        start, end = self.weeks[week]
        return (end - start).days + 1 >= 7


def build_calendar(
    today: dt.date,
    onsite: dt.date | None,
    weeks_n: int,
    week_blocks: int,
    stage_dates: Sequence[dt.date],
) -> Calendar:
    """The plan's weeks and days. ``stage_dates``: dates of open, dated earlier stages."""
    dates = week_dates(today, onsite, weeks_n)
    marks: dict[dt.date, str] = {}
    for day in [*stage_dates, *([onsite] if onsite else [])]:
        marks[day - dt.timedelta(days=1)] = marks.get(day - dt.timedelta(days=1), "light")
    for day in stage_dates:
        marks[day] = "stage"
    days = []
    caps = []
    for i, (start, end) in enumerate(dates):
        n = (end - start).days + 1
        week_days = [start + dt.timedelta(days=k) for k in range(n)]
        kinds = [marks.get(d, "normal") for d in week_days]
        if today == onsite:  # the interview is today: one light review, nothing else
            kinds = ["light"]
        days.extend(Day(d, i, k) for d, k in zip(week_days, kinds, strict=True))
        if n >= 7:
            caps.append(week_blocks)
        else:
            normal = sum(1 for k in kinds if k == "normal")
            light = 1 if "light" in kinds else 0
            caps.append(max(1, week_blocks * normal // 7 + light))
    return Calendar(tuple(dates), tuple(caps), tuple(days), onsite)
