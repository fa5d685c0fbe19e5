"""Days: each week's units get a date, and become the plan's sessions.

The day of a stage holds nothing and the day before it at most a 0.5 h light review; mocks
keep their pinned days (final mocks spread over the days 7 to 2 before the onsite); a round's
sessions fall before its deadline; the rest fill the week's days evenly, a topic's sessions in
order (study before practice).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace

from assess.plan.calendar import Calendar, Day
from assess.plan.model import Session
from assess.plan.sessions import Unit

ACTIVITY_ORDER = ("study", "story", "practice", "review", "mock")
MAX_TOPIC_BLOCKS = 4  # 2 h of one topic in a day, mocks aside
LIGHT_REVIEW = ("Light review only: reread your write-ups and notes (no new material), then "
                "rest.")


def place_days(
    units: list[Unit],
    cal: Calendar,
    week: int,
    deadlines: Mapping[str, dt.date | None],
    final_days: Sequence[dt.date],
) -> tuple[Session, ...]:
    """Give each unit of one week a date, and turn them into sessions (in date order)."""
    days = cal.days_of(week)
    normal = [d for d in days if d.kind == "normal"]
    light = [d for d in days if d.kind == "light"]
    if not normal:  # only the eve of a stage: everything left is a light review
        day = (light or days)[0]
        return _sessions([
            (day.date, i, replace(u, activity="review", pin="light", question=None,
                                  question_id=None, whole=False, title="Light review",
                                  detail=LIGHT_REVIEW))
            for i, u in enumerate(units)
        ])
    rest_blocks = sum(u.blocks for u in units)
    light_units: list[Unit] = []
    pool = list(units)
    for day in light:
        fits = [u for u in pool if (deadlines.get(u.round) or dt.date.max) > day.date]
        pick = next((u for u in fits if u.activity == "review" and u.blocks == 1), None)
        if pick is None:
            pick = next((u for u in fits if not u.fixed and u.activity != "mock"), None)
            if pick is not None and pick.blocks > 1:
                pool[pool.index(pick)] = replace(pick, blocks=pick.blocks - 1)
                pick = replace(pick, blocks=1)
            elif pick is not None:
                pool.remove(pick)
        else:
            pool.remove(pick)
        if pick is not None:
            light_units.append(replace(pick, activity="review", pin="light",
                                       title="Light review", detail=LIGHT_REVIEW))
            rest_blocks -= 1
    caps = _day_caps(rest_blocks, len(normal))
    load = {d.date: 0 for d in normal}
    cap = {d.date: c for d, c in zip(normal, caps, strict=True)}
    dated: list[tuple[dt.date, int, Unit]] = []
    for unit, day in zip(light_units, light, strict=False):
        dated.append((day.date, 0, unit))

    topic_load: dict[tuple[dt.date, str], int] = {}

    def put(unit: Unit, allowed: list[Day], prefer: str = "first") -> None:
        pool_days = allowed or normal
        if prefer == "last":
            pool_days = list(reversed(pool_days))
        # a day takes at most MAX_TOPIC_BLOCKS of one topic, when another day has room for it
        roomy = [d for d in pool_days
                 if topic_load.get((d.date, unit.topic), 0) + unit.blocks <= MAX_TOPIC_BLOCKS]
        fits = [d for d in roomy if cap[d.date] - load[d.date] >= unit.blocks]
        candidates = roomy or pool_days
        day = fits[0] if fits else max(candidates, key=lambda d: (
            cap[d.date] - load[d.date], -candidates.index(d)))
        load[day.date] += unit.blocks
        topic_load[(day.date, unit.topic)] = topic_load.get((day.date, unit.topic), 0) \
            + unit.blocks
        dated.append((day.date, len(dated) + 1, unit))

    mocks = [u for u in pool if u.activity == "mock"]
    others = [u for u in pool if u.activity != "mock"]
    taken: set[dt.date] = set()
    finals = [u for u in mocks if u.pin == "final"]
    window = [d for d in normal if d.date in final_days]
    # the latest days of the window, earliest first: the heaviest round's mock comes first,
    # so there is time to act on what it shows
    final_slots = _spread(window, len(finals)) if finals and window else []
    for unit in mocks:
        deadline = deadlines.get(unit.round)
        if unit.pin == "final":
            free = [d for d in final_slots if d.date not in taken]
            day = (free or final_slots or normal)[0]
        elif unit.pin == "screen" and deadline is not None:
            window = [d for d in normal if d.date < deadline]
            day = window[-1] if window else normal[0]
        else:
            window = [d for d in normal if d.date not in taken]
            day = (window[1] if len(window) > 2 else window[0]) if window else normal[0]
        taken.add(day.date)
        load[day.date] += unit.blocks
        dated.append((day.date, len(dated) + 1, unit))
    first_of: dict[tuple[str, str], int] = {}
    for i, unit in enumerate(others):
        first_of.setdefault((unit.round, unit.topic), i)
    others.sort(key=lambda u: (
        deadlines.get(u.round) or dt.date.max,
        first_of[(u.round, u.topic)],
        ACTIVITY_ORDER.index(u.activity),
    ))
    # a topic's activities keep their order across days (study, then practice, ...); units of
    # one activity may share the days from the last of the activity before
    last_day: dict[tuple[str, str, str], dt.date] = {}
    for unit in others:
        deadline = deadlines.get(unit.round)
        rank = ACTIVITY_ORDER.index(unit.activity)
        after = max([last_day.get((unit.round, unit.topic, a), dt.date.min)
                     for a in ACTIVITY_ORDER[:rank]], default=dt.date.min)
        allowed = [d for d in normal if (deadline is None or d.date < deadline)
                   and d.date >= max(after, unit.not_before or dt.date.min)
                   and (unit.not_after is None or d.date < unit.not_after)]
        put(unit, allowed)
        key = (unit.round, unit.topic, unit.activity)
        last_day[key] = max(last_day.get(key, dt.date.min), dated[-1][0])
    dated.sort(key=lambda item: (item[0], item[1]))
    return _sessions(dated)


def _spread(days: Sequence[Day], k: int) -> list[Day]:
    """``k`` of the days, as evenly spaced as they allow, always ending on the last."""
    if k >= len(days):
        return list(days)
    if k == 1:
        return [days[-1]]
    step = (len(days) - 1) / (k - 1)
    return [days[round(i * step)] for i in range(k)]


def _day_caps(blocks: int, days: int) -> list[int]:
    if days <= 0:
        return []
    base, extra = divmod(blocks, days)
    return [base + (1 if i < extra else 0) for i in range(days)]


def _sessions(dated: list[tuple[dt.date, int, Unit]]) -> tuple[Session, ...]:
    out: list[Session] = []
    merged: list[tuple[dt.date, Unit]] = []
    for date, _, unit in dated:
        if merged:
            pdate, prev = merged[-1]
            if (pdate == date and not prev.fixed and not unit.fixed and prev.pin == unit.pin
                    and (prev.round, prev.topic, prev.activity, prev.detail)
                    == (unit.round, unit.topic, unit.activity, unit.detail)
                    and prev.blocks + unit.blocks <= 4):
                merged[-1] = (date, replace(prev, blocks=prev.blocks + unit.blocks))
                continue
        merged.append((date, unit))
    seen: dict[str, int] = {}
    for date, unit in merged:
        base = f"{date:%Y%m%d}-{unit.topic}-{unit.activity}"
        seen[base] = seen.get(base, 0) + 1
        sid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(Session(
            round=unit.round, topic=unit.topic, title=unit.title, blocks=unit.blocks,
            activity=unit.activity, question=unit.question, question_id=unit.question_id,
            date=date, detail=unit.detail, id=sid, kind=unit.pin,
        ))
    return tuple(out)
