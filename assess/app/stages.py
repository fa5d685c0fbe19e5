"""The rubric's timeline stages on the candidate's calendar: dates, done marks, and checks.

Plain functions over a ``Profile`` and a ``Rubric``; the CLI calls them. The onsite stage's date
is the profile's interview date; stages before it (the screens) may have their own date; a
stage after the onsite (the decision) takes none.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from typing import Any

from assess.core.bounds import check_ahead
from assess.errors import InputError, UsageError
from assess.plan.calendar import onsite_stage_id, stage_infos
from assess.rubric.model import Rubric
from assess.rubric.profile import Profile


def _ids(rubric: Rubric) -> list[str]:
    return [s.id for s in rubric.timeline.stages]


def datable_stages(rubric: Rubric) -> list[str]:
    """Stage ids that take a date: those up to and including the onsite, in timeline order."""
    ids = _ids(rubric)
    onsite = onsite_stage_id(rubric)
    return ids[: ids.index(onsite) + 1] if onsite in ids else ids


def _unknown(rubric: Rubric, stage: str, flag: str) -> InputError:
    return InputError(
        f"{flag}: unknown stage {stage[:40]!r} for {rubric.meta.id} "
        f"(stages: {', '.join(_ids(rubric))})"
    )


def parse_stage_flags(
    values: Sequence[str], rubric: Rubric, today: dt.date
) -> tuple[dict[str, dt.date | None], dt.date | None | bool]:
    """``STAGE=YYYY-MM-DD`` values -> (stage dates, onsite date or False when not given).

    ``STAGE=none`` clears a date. Unknown stages and malformed values are ``InputError``.
    """
    flag = "--stage-date"
    onsite = onsite_stage_id(rubric)
    out: dict[str, dt.date | None] = {}
    onsite_date: dt.date | None | bool = False
    for value in values:
        stage, sep, text = value.partition("=")
        stage, text = stage.strip(), text.strip()
        if not sep or not stage:
            raise InputError(f"{flag}: {value[:60]!r} is not STAGE=YYYY-MM-DD")
        if stage not in _ids(rubric):
            raise _unknown(rubric, stage, flag)
        if stage not in datable_stages(rubric):
            raise InputError(
                f"{flag}: {stage} comes after the onsite and takes no date "
                f"(dated stages: {', '.join(datable_stages(rubric))})"
            )
        day: dt.date | None
        if text.lower() in ("", "none", "-"):
            day = None
        else:
            try:
                day = dt.date.fromisoformat(text)
            except ValueError:
                raise InputError(
                    f"{flag} {stage}: {text[:40]!r} is not a date in YYYY-MM-DD form"
                ) from None
            check_ahead(day, today, f"{flag} {stage}")
            if day < today:
                raise InputError(
                    f"{flag} {stage}: {day.isoformat()} is in the past (today is "
                    f"{today.isoformat()}); use `assess stage done {stage}` for a stage behind you"
                )
        if stage in out or (stage == onsite and onsite_date is not False):
            raise InputError(f"{flag}: {stage} is given twice; give each stage's date once")
        if stage == onsite:
            onsite_date = day
        else:
            out[stage] = day
    return out, onsite_date


def check_order(profile: Profile, rubric: Rubric) -> None:
    """Every stage date falls before the onsite, and stages keep the timeline's order."""
    onsite = profile.interview_date
    known = _ids(rubric)
    for stage, day in profile.stage_dates.items():
        if stage not in known:
            raise _unknown(rubric, stage, "--stage-date")
        if onsite is not None and day >= onsite:
            raise InputError(
                f"--stage-date {stage}={day.isoformat()}: on or after the onsite "
                f"({onsite.isoformat()}); earlier stages come before it"
            )
    dated = [(s, profile.stage_dates[s]) for s in known if s in profile.stage_dates]
    for (first, day), (later, later_day) in zip(dated, dated[1:], strict=False):
        if day > later_day:
            raise InputError(
                f"--stage-date {first}={day.isoformat()}: after the {later} "
                f"({later_day.isoformat()}); the stages keep the timeline's order"
            )


def with_stage_dates(
    profile: Profile, dates: dict[str, dt.date | None], onsite: dt.date | None | bool
) -> Profile:
    merged = dict(profile.stage_dates)
    for stage, day in dates.items():
        if day is None:
            merged.pop(stage, None)
        else:
            merged[stage] = day
    changes: dict[str, Any] = {"stage_dates": merged}
    if onsite is not False:
        changes["interview_date"] = onsite
    return dataclasses.replace(profile, **changes)


def rebase(base: Profile | None, edited: Profile, current: Profile | None) -> Profile:
    """``edited`` was made from ``base``; ``current`` is what the store holds now (another
    command may have written in between). The changes the edit made, applied to ``current``:
    a field the edit left alone keeps its current value, a stage marked done (or dated)
    meanwhile stays so."""
    if base is None or current is None or current == base:
        return edited
    changes: dict[str, Any] = {}
    for item in dataclasses.fields(Profile):
        old, new, now = (getattr(p, item.name) for p in (base, edited, current))
        if item.name == "stages_done":
            merged = (set(now) | (set(new) - set(old))) - (set(old) - set(new))
            changes[item.name] = tuple(sorted(merged))
        elif item.name == "stage_dates":
            dates = dict(now)
            for key in set(old) | set(new):
                if old.get(key) != new.get(key):
                    if key in new:
                        dates[key] = new[key]
                    else:
                        dates.pop(key, None)
            changes[item.name] = dates
        else:
            changes[item.name] = new if new != old else now
    return dataclasses.replace(current, **changes)


def mark_done(profile: Profile, rubric: Rubric, stage: str, undo: bool = False) -> Profile:
    """The profile with ``stage`` marked done (or not, with ``undo``)."""
    if stage not in _ids(rubric):
        raise _unknown(rubric, stage, "STAGE")
    if stage == onsite_stage_id(rubric):
        raise UsageError(
            f"{stage!r} is the onsite itself: its date is your interview date. Change it with "
            "`assess init --interview-date YYYY-MM-DD`."
        )
    done = set(profile.stages_done)
    if undo:
        done.discard(stage)
    else:
        done.add(stage)
    return dataclasses.replace(profile, stages_done=tuple(sorted(done)))


def stage_rows(profile: Profile, rubric: Rubric, today: dt.date) -> list[dict[str, Any]]:
    """Every stage with its date, status, days away and rounds (``stage list --json``)."""
    rows = []
    datable = datable_stages(rubric)
    titles = {r.id: r.title for r in rubric.rounds}
    whens = {s.id: s.when for s in rubric.timeline.stages}
    for st in stage_infos(rubric, profile.interview_date, profile.stage_dates,
                          profile.stages_done):
        status = st.status(today) if st.id in datable else "later"
        rows.append({
            "stage": st.id,
            "title": st.title,
            "when": whens[st.id],
            "date": st.date.isoformat() if st.date else None,
            "days": (st.date - today).days if st.date else None,
            "status": status,
            "onsite": st.onsite,
            "rounds": [{"id": rid, "title": titles.get(rid, rid)} for rid in st.rounds],
        })
    return rows


def stage_lines(rows: Sequence[dict[str, Any]]) -> list[str]:
    """The terminal table of ``assess stage list``."""
    out = []
    for row in rows:
        if row["date"]:
            days = row["days"]
            away = ("today" if days == 0 else f"in {days} day(s)" if days > 0
                    else f"{-days} day(s) ago")
            when = f"{row['date']} ({away})"
        else:
            when = f"no date ({row['when']})"
        rounds = ", ".join(r["title"] for r in row["rounds"]) or "-"
        out.append(f"{row['stage']:<18} {row['status']:<9} {when}")
        out.append(f"{'':<18} {row['title']}: {rounds}")
    return out


def ask_stage_dates(
    profile: Profile,
    rubric: Rubric,
    today: dt.date,
    ask: Any,
    say: Any,
) -> Profile:
    """On a terminal: the date of each stage before the onsite (Enter keeps what is there,
    'none' clears it, 'done' marks the stage behind you)."""
    onsite = onsite_stage_id(rubric)
    titles = {s.id: s.title for s in rubric.timeline.stages}
    for stage in datable_stages(rubric):
        if stage == onsite or stage in profile.stages_done:
            continue
        current = profile.stage_dates.get(stage)
        while True:
            text = ask(
                f"Date of the {titles[stage]} (YYYY-MM-DD; Enter to skip, 'done' if behind you)",
                current.isoformat() if current else "",
            ).strip()
            if text.lower() == "done":
                profile = mark_done(profile, rubric, stage)
                break
            try:
                dates, _ = parse_stage_flags([f"{stage}={text}"], rubric, today)
                candidate = with_stage_dates(profile, dates, False)
                check_order(candidate, rubric)
            except InputError as exc:
                say(f"  {str(exc).split(': ', 1)[-1]}")
                continue
            profile = candidate
            break
    return profile
