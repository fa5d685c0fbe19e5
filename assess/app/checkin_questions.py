"""The weekly check-in's own questions: hours per round, and the change in readiness."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from assess.app.prompts import Ask, Say
from assess.errors import InputError

MAX_CHECKIN_HOURS = 168.0


def check_checkin_hours(rubric: Any, round_id: str, text: str, what: str = "--hours") -> float:
    """Hours spent on a round since the last check-in: a number from 0 to 168."""
    round_ids = [r.id for r in rubric.rounds]
    if round_id not in round_ids:
        raise InputError(f"{what}: unknown round {round_id!r} (known: {', '.join(round_ids)})")
    try:
        hours = float(text)
    except ValueError:
        raise InputError(f"{what}: {text!r} is not a number of hours") from None
    if not 0 <= hours <= MAX_CHECKIN_HOURS:
        raise InputError(
            f"{what}: hours must be between 0 and {MAX_CHECKIN_HOURS:g} (got {hours:g})"
        )
    return hours


def parse_hours_flags(rubric: Any, values: list[str] | tuple[str, ...]) -> dict[str, float]:
    """``ROUND=HOURS`` flags -> round id -> hours (> 0 only; a round given twice adds up)."""
    out: dict[str, float] = {}
    for value in values:
        round_id, sep, text = value.partition("=")
        if not sep:
            raise InputError(f"--hours: {value!r} is not ROUND=HOURS (e.g. system-design=3)")
        hours = check_checkin_hours(rubric, round_id.strip(), text.strip())
        if hours > 0:
            total = out.get(round_id.strip(), 0.0) + hours
            if total > MAX_CHECKIN_HOURS:
                raise InputError(
                    f"--hours: {round_id.strip()} adds up to {total:g} h over the flags given; "
                    f"at most {MAX_CHECKIN_HOURS:g} per round since the last check-in"
                )
            out[round_id.strip()] = total
    return out


def ask_hours(
    rubric: Any,
    ask: Ask,
    say: Say,
    since: dt.date | None,
    already: Mapping[str, float],
) -> dict[str, float]:
    """Ask the hours spent per round since the last check-in; ``already`` = logged since then."""
    when = f"since your last check-in on {since.isoformat()}" if since else "so far"
    say("")
    say(f"Hours spent on each round {when} (Enter = 0).")
    if any(already.values()):
        logged = ", ".join(f"{r.title} {already[r.id]:g} h" for r in rubric.rounds
                           if already.get(r.id))
        say(f"Already logged with `assess log`: {logged}. Give only the hours not logged yet.")
    out: dict[str, float] = {}
    for round_ in rubric.rounds:
        while True:
            text = ask(f"  {round_.title}", "0").strip() or "0"
            try:
                hours = check_checkin_hours(rubric, round_.id, text, what=round_.title)
            except InputError as exc:
                say(f"  {str(exc).split(': ', 1)[-1]}")
                continue
            break
        if hours > 0:
            out[round_.id] = hours
    return out


def readiness_change_line(
    before: float | None, after: float, since: dt.date | None
) -> str:
    if before is None:
        return f"Readiness: {after:.0%} (your first check-in: nothing to compare yet)."
    points = round((after - before) * 100)
    return f"Readiness: {before:.0%} -> {after:.0%} ({points:+d} points since {since})."
