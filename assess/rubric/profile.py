"""The candidate's profile: who, which rubric, the interview date, and the time they have.

A plain frozen dataclass that checks itself on construction, so a bad value can never be
stored; errors name the field and say what is allowed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from assess.core.bounds import check_ahead
from assess.errors import InputError
from assess.rubric.availability import Availability, short_form

DEFAULT_HOURS_PER_WEEK = 10.0
DEFAULT_TARGET_LEVEL = 4
DEFAULT_STUDY_TIME = dt.time(19, 0)
STAGE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")


@dataclass(frozen=True)
class Profile:
    """One profile per data home."""

    name: str
    rubric: str = "discord-mle"
    interview_date: dt.date | None = None
    hours_per_week: float = DEFAULT_HOURS_PER_WEEK
    target_level: int = DEFAULT_TARGET_LEVEL
    study_time: dt.time = DEFAULT_STUDY_TIME
    # dates of the stages before the onsite (e.g. the screens), by the rubric's stage id;
    # the onsite's own date is ``interview_date``
    stage_dates: dict[str, dt.date] = field(default_factory=dict)
    stages_done: tuple[str, ...] = ()  # stages the candidate has put behind them
    # hours per weekday, Monday first (empty: ``hours_per_week`` over six days, Sunday off)
    day_hours: tuple[float, ...] = ()
    blackouts: tuple[tuple[dt.date, dt.date], ...] = ()  # days off, first and last day

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise InputError("name: must not be empty")
        if len(self.name) > 200:
            raise InputError("name: must be at most 200 characters")
        object.__setattr__(self, "name", self.name.strip())
        if not isinstance(self.rubric, str) or not self.rubric.strip():
            raise InputError("rubric: must be a bundled rubric id or a file path")
        if self.interview_date is not None and not isinstance(self.interview_date, dt.date):
            raise InputError("interview_date: must be a date (YYYY-MM-DD)")
        hours = self.hours_per_week
        if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 1 <= hours <= 80:
            raise InputError(f"hours_per_week: {hours!r} is not between 1 and 80")
        object.__setattr__(self, "hours_per_week", float(hours))
        level = self.target_level
        if isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5:
            raise InputError(f"target_level: {level!r} is not a whole number from 1 to 5")
        if not isinstance(self.study_time, dt.time):
            raise InputError("study_time: must be a time of day (HH:MM)")
        if not isinstance(self.stage_dates, dict):
            raise InputError("stage_dates: must map stage ids to dates")
        for key, day in self.stage_dates.items():
            if not isinstance(key, str) or not STAGE_ID.match(key):
                raise InputError(f"stage_dates: {str(key)[:40]!r} is not a stage id")
            if not isinstance(day, dt.date):
                raise InputError(f"stage_dates.{key}: must be a date (YYYY-MM-DD)")
        object.__setattr__(self, "stage_dates", dict(sorted(self.stage_dates.items())))
        done = tuple(self.stages_done)
        for key in done:
            if not isinstance(key, str) or not STAGE_ID.match(key):
                raise InputError(f"stages_done: {str(key)[:40]!r} is not a stage id")
        object.__setattr__(self, "stages_done", tuple(sorted(set(done))))
        days = tuple(self.day_hours)
        if days:
            if len(days) != 7 or any(
                isinstance(h, bool) or not isinstance(h, (int, float)) or not 0 <= h <= 16
                or abs(h * 2 - round(h * 2)) > 1e-9 for h in days
            ):
                raise InputError("day_hours: must be 7 hours (Monday first), each 0-16 in "
                                 "0.5 h steps")
            if not 1 <= sum(days) <= 80:
                raise InputError(f"day_hours: the week adds up to {sum(days):g} h; it must "
                                 "be 1 to 80 h")
            days = tuple(float(h) for h in days)
            object.__setattr__(self, "hours_per_week", float(sum(days)))
        object.__setattr__(self, "day_hours", days)
        blackouts = tuple(tuple(b) for b in self.blackouts)
        for item in blackouts:
            if (len(item) != 2 or not all(isinstance(d, dt.date) for d in item)
                    or item[1] < item[0]):
                raise InputError("blackouts: each must be a first and last date, in order")
        object.__setattr__(self, "blackouts", tuple(sorted(blackouts)))

    def availability(self) -> Availability:
        """The week the candidate has: hours per weekday and the blackout dates."""
        days = self.day_hours or short_form(self.hours_per_week)
        return Availability(tuple(days), tuple(self.blackouts))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (dates and times as ISO text)."""
        data = asdict(self)
        data["interview_date"] = self.interview_date.isoformat() if self.interview_date else None
        data["study_time"] = self.study_time.strftime("%H:%M")
        data["stage_dates"] = {k: v.isoformat() for k, v in self.stage_dates.items()}
        data["stages_done"] = list(self.stages_done)
        data["day_hours"] = list(self.day_hours)
        data["blackouts"] = [[a.isoformat(), b.isoformat()] for a, b in self.blackouts]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Profile:
        """The inverse of ``to_dict``; raises ``InputError`` naming the bad field."""
        values = dict(data)
        unknown = sorted(set(values) - set(cls.__dataclass_fields__))
        if unknown:
            raise InputError(f"{unknown[0]}: unknown profile field")
        try:
            if isinstance(values.get("interview_date"), str):
                values["interview_date"] = dt.date.fromisoformat(values["interview_date"])
        except ValueError:
            raise InputError("interview_date: not a date in YYYY-MM-DD form") from None
        stages = values.get("stage_dates")
        if isinstance(stages, dict):
            try:
                values["stage_dates"] = {
                    k: dt.date.fromisoformat(v) if isinstance(v, str) else v
                    for k, v in stages.items()
                }
            except ValueError:
                raise InputError("stage_dates: not a date in YYYY-MM-DD form") from None
        if isinstance(values.get("day_hours"), list):
            values["day_hours"] = tuple(values["day_hours"])
        if isinstance(values.get("blackouts"), list):
            try:
                values["blackouts"] = tuple(
                    (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
                    for a, b in values["blackouts"]
                )
            except (TypeError, ValueError):
                raise InputError("blackouts: each must be [first, last] in YYYY-MM-DD "
                                 "form") from None
        if isinstance(values.get("stages_done"), list):
            values["stages_done"] = tuple(values["stages_done"])
        try:
            if isinstance(values.get("study_time"), str):
                values["study_time"] = dt.time.fromisoformat(values["study_time"])
        except ValueError:
            raise InputError("study_time: not a time in HH:MM form") from None
        try:
            return cls(**values)
        except TypeError as exc:
            raise InputError(f"profile: {exc}") from None


def check_name(text: str) -> str:
    from assess.core.textsafety import check_text

    name = " ".join(check_text(text, "--name").split())
    if not name:
        raise InputError("--name: give a name (it goes on the report)")
    if len(name) > 200:
        raise InputError("--name: at most 200 characters")
    return name


def check_rubric(text: str, load: Callable[[str], Any]) -> str:
    """A bundled rubric id stays an id; a file becomes an absolute path. Loads it to validate."""
    from assess.core.textsafety import check_text

    ref = check_text(text, "--rubric", max_chars=4096).strip()
    if not ref:
        raise InputError("--rubric: give a bundled rubric id or a rubric file")
    load(ref)
    path = Path(ref).expanduser()
    if path.exists() and path.is_file():
        return str(path.resolve())
    return ref


def check_interview_date(text: str, today: dt.date) -> dt.date | None:
    value = text.strip().lower()
    if value in ("", "none", "-"):
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"--interview-date: {text!r} is not a date in YYYY-MM-DD form"
        ) from None
    if day < today:
        raise InputError(
            f"--interview-date: {day.isoformat()} is in the past (today is {today.isoformat()})"
        )
    return check_ahead(day, today, "--interview-date")


def check_target_level(text: str) -> int:
    try:
        level = int(str(text).strip())
    except ValueError:
        raise InputError(f"--target-level: {text!r} is not a whole number 1..5") from None
    if not 1 <= level <= 5:
        raise InputError(f"--target-level: must be 1..5 (got {level})")
    return level
