"""The week the candidate really has: hours per weekday, rest days, blackout dates.

Pure functions, no Click. An availability is seven day-hours (Monday first, 0 = a rest day,
each a multiple of 0.5 h) and blackout ranges (days off: holidays, travel). The short form
``--hours-per-week N`` spreads N over six days with Sunday as the rest day, in 0.5 h steps
(the extra half hours go to Saturday first, then Friday, and so on back), so the week's total
is N rounded down to 0.5 h.

Flags (``assess init``): ``--weekday-hours H``, ``--weekend-hours H``, ``--day-hours
mon=1,tue=1.5``, ``--rest-day sun`` (repeatable, ``none`` for no rest day), ``--blackout
DATE`` or ``--blackout DATE..DATE`` (repeatable, ``none`` clears). A bad value is an
``InputError`` naming the flag (exit 2).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from assess.errors import InputError

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
TITLES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MAX_DAY_HOURS = 16.0
MAX_BLACKOUT_DAYS = 366
MAX_BLACKOUTS = 50
Blackout = tuple[dt.date, dt.date]


SPREAD = (5, 2, 0, 4, 1, 3)  # where whole hours go first: Sat, Wed, Mon, Fri, Tue, Thu


def short_form(hours_per_week: float, rest_days: Sequence[int] = (6,)) -> tuple[float, ...]:
    """N hours over the days that are not rest days, in whole hours as evenly as they go
    (Saturday first, then spread through the week), a last half hour on the first of them:
    a session shorter than 1 h is no session."""
    work = [d for d in (*SPREAD, 6) if d not in rest_days]
    if not work:
        return (0.0,) * 7
    blocks = math.floor(hours_per_week * 2 + 1e-9)
    whole, half = divmod(blocks, 2)
    base, extra = divmod(whole, len(work))
    out = [0.0] * 7
    for i, d in enumerate(work):
        out[d] = float(base + (1 if i < extra else 0))
    out[work[0]] += 0.5 * half
    return tuple(out)


@dataclass(frozen=True)
class Availability:
    day_hours: tuple[float, ...]  # Monday first
    blackouts: tuple[Blackout, ...] = ()

    def hours_on(self, day: dt.date) -> float:
        """Hours available on one date (0 on a rest day or a blackout day)."""
        if any(a <= day <= b for a, b in self.blackouts):
            return 0.0
        return self.day_hours[day.weekday()]

    def blocked(self, day: dt.date) -> bool:
        return any(a <= day <= b for a, b in self.blackouts)

    @property
    def week_hours(self) -> float:
        return sum(self.day_hours)

    def shape(self, today: dt.date | None = None) -> str:
        """'Mon-Fri 1.5 h, Sat 4 h, Sun rest; off 24-27 Dec'."""
        parts = []
        i = 0
        while i < 7:
            j = i
            while j + 1 < 7 and self.day_hours[j + 1] == self.day_hours[i]:
                j += 1
            days = TITLES[i] if i == j else f"{TITLES[i]}-{TITLES[j]}"
            h = self.day_hours[i]
            parts.append(f"{days} {'rest' if h == 0 else f'{h:g} h'}")
            i = j + 1
        text = ", ".join(parts)
        offs = [fmt_range(a, b) for a, b in self.blackouts if today is None or b >= today]
        if offs:
            text += "; off " + ", ".join(offs)
        return text

    def to_json(self) -> dict[str, object]:
        return {
            "day_hours": dict(zip(DAYS, self.day_hours, strict=True)),
            "rest_days": [DAYS[d] for d in range(7) if self.day_hours[d] == 0],
            "blackouts": [fmt_iso(a, b) for a, b in self.blackouts],
            "week_hours": self.week_hours,
        }


def fmt_range(a: dt.date, b: dt.date) -> str:
    if a == b:
        return f"{a.day} {a:%b}"
    if (a.year, a.month) == (b.year, b.month):
        return f"{a.day}-{b.day} {a:%b}"
    return f"{a.day} {a:%b}-{b.day} {b:%b}"


def fmt_iso(a: dt.date, b: dt.date) -> str:
    return a.isoformat() if a == b else f"{a.isoformat()}..{b.isoformat()}"


# ----- parsing flags ----------------------------------------------------------------------------


def parse_day_hours_value(text: str, flag: str) -> float:
    try:
        hours = float(str(text).strip())
    except ValueError:
        raise InputError(f"{flag}: {text!r} is not a number of hours") from None
    if not math.isfinite(hours) or not 0 <= hours <= MAX_DAY_HOURS:
        raise InputError(f"{flag}: hours a day must be between 0 and {MAX_DAY_HOURS:g} "
                         f"(got {text})")
    if abs(hours * 2 - round(hours * 2)) > 1e-9:
        raise InputError(f"{flag}: {hours:g} is not a multiple of 0.5 h")
    return round(hours * 2) / 2


def parse_day_name(text: str, flag: str) -> int:
    key = text.strip().lower()[:3]
    if key not in DAYS or len(text.strip()) < 3:
        raise InputError(f"{flag}: {text.strip()[:20]!r} is not a day (mon, tue, ..., sun)")
    return DAYS.index(key)


def parse_day_hours(text: str) -> dict[int, float]:
    """'mon=1,tue=1.5' -> weekday -> hours."""
    out: dict[int, float] = {}
    for part in [p for p in str(text).split(",") if p.strip()]:
        if "=" not in part:
            raise InputError(f"--day-hours: {part.strip()[:30]!r} is not DAY=HOURS "
                             "(e.g. mon=1,sat=4)")
        day, hours = part.split("=", 1)
        d = parse_day_name(day, "--day-hours")
        if d in out:
            raise InputError(f"--day-hours: {DAYS[d]} is given twice")
        out[d] = parse_day_hours_value(hours, "--day-hours")
    if not out:
        raise InputError("--day-hours: give DAY=HOURS pairs, e.g. mon=1,sat=4")
    return out


def parse_blackout(text: str, today: dt.date) -> Blackout:
    raw = str(text).strip()
    first, _, last = raw.partition("..")
    try:
        a = dt.date.fromisoformat(first.strip())
        b = dt.date.fromisoformat(last.strip()) if last else a
    except ValueError:
        raise InputError(f"--blackout: {raw[:40]!r} is not a date or DATE..DATE "
                         "(YYYY-MM-DD)") from None
    if b < a:
        raise InputError(f"--blackout: {raw} ends before it starts")
    if (b - a).days + 1 > MAX_BLACKOUT_DAYS:
        raise InputError(f"--blackout: {raw} is longer than {MAX_BLACKOUT_DAYS} days")
    if b.year > today.year + 5:
        raise InputError(f"--blackout: {raw} is more than five years ahead")
    return a, b


def merge_blackouts(ranges: Sequence[Blackout]) -> tuple[Blackout, ...]:
    out: list[list[dt.date]] = []
    for a, b in sorted(ranges):
        if out and a <= out[-1][1] + dt.timedelta(days=1):
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return tuple((a, b) for a, b in out)


@dataclass(frozen=True)
class AvailabilityFlags:
    """Availability flags as typed (None / empty = not given)."""

    hours_per_week: str | None = None
    weekday_hours: str | None = None
    weekend_hours: str | None = None
    day_hours: str | None = None
    rest_days: tuple[str, ...] = ()
    blackouts: tuple[str, ...] = ()

    @property
    def given(self) -> bool:
        return any((self.hours_per_week, self.weekday_hours, self.weekend_hours,
                    self.day_hours, self.rest_days))


def resolve_availability(
    flags: AvailabilityFlags, current_days: tuple[float, ...],
    current_blackouts: tuple[Blackout, ...], today: dt.date,
) -> tuple[tuple[float, ...], tuple[Blackout, ...]]:
    """New (day hours, blackouts) from flags over the current ones."""
    days = list(current_days)
    rest: list[int] | None = None
    if flags.rest_days:
        words = [r.strip().lower() for r in flags.rest_days]
        if "none" in words:
            if len(words) > 1:
                raise InputError("--rest-day: 'none' cannot be combined with days")
            rest = []
        else:
            rest = sorted({parse_day_name(w, "--rest-day") for w in words})
            if len(rest) == 7:
                raise InputError("--rest-day: a week of rest days leaves no time to plan")
    detailed = flags.weekday_hours or flags.weekend_hours or flags.day_hours
    if flags.hours_per_week is not None:
        if detailed:
            raise InputError("--hours-per-week: give it or --weekday-hours/--weekend-hours/"
                             "--day-hours, not both")
        from assess.rubric.availability import check_hours_per_week

        hours = check_hours_per_week(flags.hours_per_week)
        days = list(short_form(hours, (6,) if rest is None else rest))
    elif detailed or rest is not None:
        if flags.weekday_hours is not None:
            h = parse_day_hours_value(flags.weekday_hours, "--weekday-hours")
            days[:5] = [h] * 5
        if flags.weekend_hours is not None:
            h = parse_day_hours_value(flags.weekend_hours, "--weekend-hours")
            days[5:] = [h] * 2
        if flags.day_hours is not None:
            for d, h in parse_day_hours(flags.day_hours).items():
                days[d] = h
        if rest is not None:
            if not detailed:
                # rest days on their own keep the week's total, spread over the other days
                days = list(short_form(sum(current_days), rest))
            for d in rest:
                days[d] = 0.0
    blackouts = current_blackouts
    if flags.blackouts:
        words = [b.strip().lower() for b in flags.blackouts]
        if "none" in words:
            if len(words) > 1:
                raise InputError("--blackout: 'none' cannot be combined with dates")
            blackouts = ()
        else:
            if len(words) > MAX_BLACKOUTS:
                raise InputError(f"--blackout: at most {MAX_BLACKOUTS} ranges")
            blackouts = merge_blackouts([parse_blackout(b, today) for b in flags.blackouts])
    total = sum(days)
    if not 1 <= total <= 80:
        flag = ("--hours-per-week" if flags.hours_per_week else "--weekday-hours"
                if flags.weekday_hours else "--weekend-hours" if flags.weekend_hours
                else "--day-hours" if flags.day_hours else "--rest-day")
        raise InputError(f"{flag}: the week adds up to {total:g} h; it must be 1 to 80 h")
    return tuple(days), blackouts


def ask_availability(
    days: tuple[float, ...], blackouts: tuple[Blackout, ...], today: dt.date,
    ask: object, say: object,
) -> tuple[tuple[float, ...], tuple[Blackout, ...]]:
    """On a terminal: hours on a weekday and a weekend day, rest days, blackout dates
    (Enter keeps what is shown; a bad answer is explained and asked again)."""
    questions = [
        ("weekday_hours", "Hours on a weekday (0-16, in 0.5 h steps)", f"{days[0]:g}"),
        ("weekend_hours", "Hours on a weekend day (0-16, in 0.5 h steps)",
         f"{max(days[5], days[6]):g}"),
        ("rest_days", "Rest days (e.g. sun, or none)",
         ",".join(DAYS[d] for d in range(7) if days[d] == 0) or "none"),
        ("blackouts", "Days off (DATE or DATE..DATE, comma-separated; Enter for none)",
         ",".join(fmt_iso(a, b) for a, b in blackouts)),
    ]
    answers: dict[str, str] = {}
    for key, prompt, default in questions:
        while True:
            text = str(ask(prompt, default)).strip()  # type: ignore[operator]
            if text == default:
                break  # kept as it is
            trial = dict(answers, **{key: text})
            try:
                resolve_availability(_flags_of(trial), days, blackouts, today)
            except InputError as exc:
                say(f"  {str(exc).split(': ', 1)[-1]}")  # type: ignore[operator]
                continue
            answers[key] = text
            break
    rest = questions[2][2]
    if "rest_days" not in answers and rest != "none" and answers:
        answers["rest_days"] = rest  # kept: still rest days after new weekend hours
    return resolve_availability(_flags_of(answers), days, blackouts, today)


def _flags_of(answers: dict[str, str]) -> AvailabilityFlags:
    def many(key: str) -> tuple[str, ...]:
        return tuple(p for p in answers.get(key, "").split(",") if p.strip())

    return AvailabilityFlags(
        weekday_hours=answers.get("weekday_hours") or None,
        weekend_hours=answers.get("weekend_hours") or None,
        rest_days=many("rest_days"),
        blackouts=many("blackouts") or (("none",) if "blackouts" in answers else ()),
    )


def check_hours_per_week(text: str) -> float:
    try:
        hours = float(text)
    except ValueError:
        raise InputError(f"--hours-per-week: {text!r} is not a number") from None
    if not 1 <= hours <= 80:
        raise InputError(f"--hours-per-week: must be between 1 and 80 (got {hours:g})")
    return hours
