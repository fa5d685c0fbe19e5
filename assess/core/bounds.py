"""The range of dates assess accepts, from any source (flags, prompts, files, import).

A plan is laid out day by day up to the interview, so a date centuries away costs time and
memory, and one near year 9999 overflows date arithmetic. Dates are therefore kept where a
study plan makes sense: ``--today`` within 1970-2100, past dates (ratings, hours) from 1970 to
today, and future ones (the interview, stage dates) at most two years after today.
"""

from __future__ import annotations

import datetime as dt

from assess.errors import InputError

EARLIEST = dt.date(1970, 1, 1)
LATEST_TODAY = dt.date(2100, 12, 31)
MAX_DAYS_AHEAD = 731  # two years, a leap day included


def check_today(day: dt.date, where: str = "--today") -> dt.date:
    """``day`` when it is within 1970-2100, else ``InputError`` naming ``where``."""
    if not EARLIEST <= day <= LATEST_TODAY:
        raise InputError(
            f"{where}: {day.isoformat()} is outside {EARLIEST.year}-{LATEST_TODAY.year}"
        )
    return day


def check_ahead(day: dt.date, today: dt.date, where: str) -> dt.date:
    """A future date (the interview, a stage): at most two years after ``today``."""
    if (day - today).days > MAX_DAYS_AHEAD:
        raise InputError(
            f"{where}: {day.isoformat()} is more than two years away (today is {today}); "
            "give a date within two years"
        )
    return day


def check_past(day: dt.date, today: dt.date, where: str) -> dt.date:
    """A date something happened (a rating, hours logged): from 1970 up to ``today``."""
    if day < EARLIEST:
        raise InputError(f"{where}: {day.isoformat()} is before {EARLIEST.isoformat()}")
    if day > today:
        raise InputError(f"{where}: {day.isoformat()} is in the future (today is {today})")
    return day
