"""The candidate's profile: who, which rubric, the interview date, and the time they have."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field

DEFAULT_HOURS_PER_WEEK = 10.0
DEFAULT_TARGET_LEVEL = 4
DEFAULT_STUDY_TIME = dt.time(19, 0)


class Profile(BaseModel):
    """One profile per data home. Validated on every write."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=1, max_length=200)
    rubric: str = Field(default="discord-mle", min_length=1)
    interview_date: dt.date | None = None
    hours_per_week: float = Field(default=DEFAULT_HOURS_PER_WEEK, ge=1, le=80)
    target_level: int = Field(default=DEFAULT_TARGET_LEVEL, ge=1, le=5)
    study_time: dt.time = DEFAULT_STUDY_TIME
