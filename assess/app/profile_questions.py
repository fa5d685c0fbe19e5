"""The profile questions: each answer checked, then the profile resolved from flags,
prompts and the current values."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from assess.app.prompts import Ask, Say
from assess.errors import InputError, UsageError
from assess.rubric.availability import check_hours_per_week
from assess.rubric.profile import (
    DEFAULT_HOURS_PER_WEEK,
    DEFAULT_TARGET_LEVEL,
    Profile,
    check_interview_date,
    check_name,
    check_rubric,
    check_target_level,
)

PROFILE_FIELDS = ("name", "rubric", "interview_date", "hours_per_week", "target_level")


@dataclass(frozen=True)
class ProfileInput:
    """Values from flags (None = not given; text as typed on the command line)."""

    name: str | None = None
    rubric: str | None = None
    interview_date: str | None = None
    hours_per_week: str | None = None
    target_level: str | None = None


def resolve_profile(
    existing: Profile | None,
    given: ProfileInput,
    today: dt.date,
    load_rubric: Callable[[str], Any],
    ask: Ask | None = None,
    say: Say | None = None,
    default_rubric: str = "discord-mle",
) -> Profile:
    """Merge flags, prompts (when ``ask`` is given) and the existing profile into a new one.

    Flags are validated strictly (bad value: InputError, exit 2). Prompts repeat until the
    answer is valid. Without ``ask`` a missing name on a first run is a UsageError.
    """
    say = say or (lambda _text: None)
    current: dict[str, Any] = dataclasses.asdict(existing) if existing else {}

    def value(
        key: str, flag: str | None, check: Callable[[str], Any], prompt: str, default: Any,
    ) -> Any:
        if flag is not None:
            return check(flag)
        if ask is None:
            return current.get(key, default)
        shown = current.get(key, default)
        while True:
            text = ask(prompt, "" if shown is None else _show(shown))
            try:
                return check(text)
            except InputError as exc:
                message = str(exc).split(": ", 1)[-1]
                say(f"  {message}")

    name = value("name", given.name, check_name, "Your name (for the report)", None)
    if name is None:
        raise UsageError(
            "--name is missing: pass --name NAME (your profile needs a name for the report)"
        )
    rubric = value(
        "rubric", given.rubric, lambda t: check_rubric(t, load_rubric),
        "Rubric (a bundled id, or a rubric file)", default_rubric,
    )
    interview = value(
        "interview_date", given.interview_date, lambda t: check_interview_date(t, today),
        "Interview date (YYYY-MM-DD; Enter or 'none' if not known yet)", None,
    )
    hours = value(
        "hours_per_week", given.hours_per_week, check_hours_per_week,
        "Hours per week you can study (1-80)", DEFAULT_HOURS_PER_WEEK,
    )
    target = value(
        "target_level", given.target_level, check_target_level,
        "Target level for every topic (1-5)", DEFAULT_TARGET_LEVEL,
    )
    fields: dict[str, Any] = dict(current)
    fields.update(
        name=name, rubric=rubric, interview_date=interview, hours_per_week=hours,
        target_level=target,
    )
    if existing is not None and hours != existing.hours_per_week:
        fields["day_hours"] = ()  # a new weekly total: the short form, six days, Sunday off
    return Profile(**fields)


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def profile_line(profile: Profile, today: dt.date) -> str:
    """One line that says what the profile holds."""
    if profile.interview_date:
        days = (profile.interview_date - today).days
        weeks = max(1, -(-days // 7))
        when = f"onsite {profile.interview_date.isoformat()} ({days} days, {weeks} weeks away)"
    else:
        when = "no interview date yet (plans assume 4 weeks)"
    stages = "".join(f", {k} {v.isoformat()}" for k, v in profile.stage_dates.items())
    done = "".join(f", {k} done" for k in profile.stages_done)
    return (
        f"{profile.name}: rubric {profile.rubric}, {when}{stages}{done}, "
        f"{_show(profile.hours_per_week)} h/week, target level {profile.target_level}"
    )
