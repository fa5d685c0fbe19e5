"""The plan's pipeline: days and pins, the model's inputs, the solve, the placement, the lists.

Called by ``assess.plan.planner.build_plan``; pure functions of its inputs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from assess.evidence.scoring import Scores
from assess.plan.calendar import StageInfo
from assess.plan.grid import Grid, Pins, build_grid, evidence_units, place_pins
from assess.plan.pins import fed_rounds
from assess.plan.place import place
from assess.plan.sessions import Unit
from assess.plan.solve import BALANCE, SPAN, Funding, Segment, TopicIn, solve
from assess.plan.split import need_blocks
from assess.rubric.model import Rubric

MAX_CANDIDATES = 60  # topics given to the model; the rest cannot be funded anyway
SCREEN_BOOST = 3.0
MAX_RESOLVES = 3  # re-solves with cuts from the days
# pinned: outside a week's 40%
FIXED = ("final", "baseline", "screen", "reattempt", "verify", "light")


@dataclass
class Built:
    grid: Grid
    dated: list[tuple[dt.date, Unit]]
    funding: Funding
    windows: dict[str, dt.date]  # screen stage -> date
    window_rounds: dict[str, frozenset[str]]
    finals: dict[str, dt.date]
    departs: bool
    notes: list[str]
    values: dict[str, float]  # topic -> readiness per block
    candidates: list[str]
    segments: list[Segment]


def topic_values(rubric: Rubric, scores: Scores) -> dict[str, float]:
    """Readiness gained per 0.5 h block on each topic (before its gap closes)."""
    total_w = sum(r.weight for r in rubric.rounds) or 1.0
    hpl = rubric.planning.hours_per_level
    out = {}
    for rnd in rubric.rounds:
        tw = sum(scores.topics[t.id].weight for t in rnd.topics) or 1.0
        for t in rnd.topics:
            sc = scores.topics[t.id]
            per_level = 1.0 / max(1, sc.target - 1)
            out[t.id] = (rnd.weight / total_w) * (sc.weight / tw) * per_level / (2 * hpl)
    return out


def build(
    rubric: Rubric, scores: Scores, *, today: dt.date, onsite: dt.date | None, weeks_n: int,
    avail: object, stages: Sequence[StageInfo], by_round: Mapping[str, StageInfo | None],
    deadlines: Mapping[str, dt.date | None], closed: frozenset[str], sd: str,
    credit: Mapping[str, float], logged: Mapping[str, float], attempts: Sequence,
    evidence: Mapping, completed: Collection[str], used: set[str],
    baselines_done: Collection[str] = (), banned: Collection[str] = (),
) -> Built:
    notes: list[str] = []
    onsite_ids = [r.id for r in rubric.rounds if deadlines[r.id] is None and r.id not in closed]
    gap = {r.id: scores.round_gaps[r.id] > 0 for r in rubric.rounds}
    windows: dict[str, dt.date] = {}
    window_rounds: dict[str, frozenset[str]] = {}
    for st in stages:
        if st.onsite or st.date is None or st.closed(today) or not st.rounds:
            continue
        if onsite is not None and st.date >= onsite:
            continue
        if not any(deadlines.get(rid) == st.date for rid in st.rounds):
            continue
        counted = set(st.rounds)
        for rid in st.rounds:
            if rid in {r.id for r in rubric.rounds}:
                counted |= set(fed_rounds(rubric, rubric.round(rid), onsite_ids))
        counted -= closed
        if any(gap.get(rid) for rid in counted):
            windows[st.id] = st.date
            window_rounds[st.id] = frozenset(counted)
    screen_dates = sorted({st.date for st in stages if not st.onsite and st.date is not None
                           and not st.closed(today)})
    grid = build_grid(today, onsite, weeks_n, avail, screen_dates)  # type: ignore[arg-type]
    sd_open = sd not in closed
    sd_topics = [t.id for t in rubric.round(sd).topics]
    departs = sd_open and all(scores.topics[t].gap <= 0 for t in sd_topics) and all(
        getattr(evidence.get(t), "status", "") == "verified" for t in sd_topics)
    if departs:
        notes.append(
            "Departs from the guide's 40% for ML System Design: every system-design topic is "
            "at its target and an attempt of 75%+ inside the time box supports it, so the "
            "plan keeps it sharp with one mock a week and gives the hours to your gaps.")
    baseline_done = set(baselines_done)  # booked in an earlier plan, on a day now past
    for r in rubric.rounds:
        qids = {rubric.question_id(t.id, i) for t in r.topics for i in range(len(t.questions))}
        if any(c.endswith("-baseline") and any(c.startswith(q) for q in qids)
               for c in completed) or any(a.question in qids for a in attempts):
            baseline_done.add(r.id)
    light_round: dict[dt.date, str] = {}
    for d in grid.days:
        if d.kind != "light":
            continue
        nxt = d.date + dt.timedelta(days=1)
        st = next((s for s in stages if s.date == nxt and s.rounds and not s.onsite), None)
        rid = next((r for r in (st.rounds if st else ()) if r not in closed), None)
        # else a round that may still work that day: system design, or an onsite round
        able = [r for r in ([sd] if sd_open else []) + onsite_ids
                if deadlines.get(r) is None or d.date < deadlines[r]]  # type: ignore[operator]
        if rid or able:
            light_round[d.date] = rid or able[0]
    ev_units = evidence_units(rubric, attempts, evidence, closed, today, used, onsite,
                              deadlines)
    pins = place_pins(rubric, scores, grid, deadlines=deadlines, closed=closed,
                      windows=windows, sd=sd if sd_open else None, departs=departs, used=used,
                      baseline_done=baseline_done, light_round=light_round, evidence=ev_units,
                      window_rounds=window_rounds)
    notes.extend(pins.notes)
    segments, seg_days = _segments(grid, pins, rubric, deadlines, closed, windows)
    values = topic_values(rubric, scores)
    hpl = rubric.planning.hours_per_level
    total_cap = sum(s.cap for s in segments)
    topics = []
    for rnd in rubric.rounds:
        if rnd.id in closed:
            continue
        for t in rnd.topics:
            if t.id in banned:
                continue
            sc = scores.topics[t.id]
            need = need_blocks(sc, hpl, credit.get(t.id, 0.0))
            drills = bool(t.questions) and all(q.kind == "coding" for q in t.questions)
            # before a screen its own topics come first: their hours count three times
            boost = SCREEN_BOOST if deadlines[rnd.id] is not None else 1.0
            short = any(u.pin == "screen" and u.round == rnd.id for _, u in pins.units)
            topics.append(TopicIn(t.id, rnd.id, boost * values[t.id], need, need > 0, drills,
                                  short))
    topics = _candidates(topics, total_cap, sd, window_rounds)
    pinned = _pin_counts(grid, pins, sd)
    # other rounds' final mocks are fixed by the onsite: the week's 40% is of the rest
    for date, u in pins.units:
        if u.pin in FIXED and u.round != sd:
            w = next(d.week for d in grid.days if d.date == date)
            pinned["week"][w] -= u.blocks
    full = [w for w in range(len(grid.weeks)) if grid.full(w)]
    last_window = max(windows.values(), default=None)
    sd_weeks = [w for w in full if not departs and sd_open and (
        last_window is None or grid.weeks[w][0] >= last_window)]
    overall = None
    if sd_open and not departs:  # the preparation after the screens, logged hours included
        after = [u for d, u in pins.units if last_window is None or d >= last_window]
        overall = (2 * logged.get(sd, 0.0) + sum(u.blocks for u in after if u.round == sd),
                   2 * sum(logged.values()) + sum(u.blocks for u in after))
    window_pins = {}
    for s, date in windows.items():
        own = sum(u.blocks for d, u in pins.units if d < date and u.round in window_rounds[s])
        window_pins[s] = (own, sum(u.blocks for d, u in pins.units if d < date))
    weighted = {r.id: r.weight * scores.round_gaps[r.id] for r in rubric.rounds
                if gap[r.id] and r.id not in closed and deadlines[r.id] is None}
    total_gap = sum(weighted.values()) or 1.0

    def prefer(date: dt.date, placed: Sequence[tuple[dt.date, Unit]] = ()) -> list[str]:
        """The rounds a spare half hour goes to first: before a screen, the screen's; after,
        the onsite rounds furthest below their part of the weighted gaps."""
        inside = [rs for s, rs in window_rounds.items() if date < windows[s]]
        if inside:
            return sorted(inside[0], key=lambda r: [x.id for x in rubric.rounds].index(r))
        hours = {rid: sum(u.blocks for _, u in placed if u.round == rid) for rid in weighted}
        return sorted(weighted, key=lambda rid: (hours[rid] / max(weighted[rid], 1e-9),
                                                  rid)) or [sd]

    week_of = {d.date: d.week for d in grid.days}

    def share(date: dt.date, rid: str, blocks: int, placed: list) -> bool:
        """Whether a filler of ``rid`` keeps the week's system-design share at 40%+."""
        w = week_of[date]
        if gap.get(rid) and grid.full(w) and not any(
                u.round == rid and u.activity in ("practice", "mock")
                for d, u in placed if week_of[d] == w):
            return False  # a week a round with a gap works holds a timed practice of it
        for screen, day in windows.items():
            if date < day and rid not in window_rounds[screen]:
                before = [u for d, u in placed if d < day]
                own = sum(u.blocks for u in before if u.round in window_rounds[screen])
                if own < 0.6 * (sum(u.blocks for u in before) + blocks) - 1e-9:
                    return False  # before a screen, 60% stays with it
        if rid == sd or w not in sd_weeks:
            return True
        here = [u for d, u in placed
                if week_of[d] == w and (u.pin not in FIXED or u.round == sd)]
        sd_blocks = sum(u.blocks for u in here if u.round == sd)
        return sd_blocks >= 0.4 * (sum(u.blocks for u in here) + blocks) - 1e-9

    # the model's segments do not see single days: a cycle the days cannot hold as funded
    # becomes a cut (no first practice in that segment, or the topic left out) and the
    # model is solved again
    banned: set[str] = set()
    first_caps: dict[int, int] = {}
    for _ in range(MAX_RESOLVES + 1):
        funding = solve(
            topics, segments, sd=sd if sd_open else None, sd_weeks=sd_weeks,
            week_pins=pinned["week_round"], week_pin_total=pinned["week"],
            practice_pins=pinned["practice"], full_weeks=full,
            gap_rounds=frozenset(r for r, g in gap.items() if g and r not in closed),
            windows=window_rounds, window_pins=window_pins, overall_sd=overall,
            # mocks test a round but do not prepare it: every open round with a gap gets a cycle
            # (a dated screen's own round first: the onsite needs it passed)
            every_round={r.id: 1.0 if deadlines[r.id] in windows.values() else r.weight
                         for r in rubric.rounds if gap[r.id] and r.id not in closed},
            balance={rid: BALANCE * w / total_gap for rid, w in weighted.items()},
            round_pins=pinned["round_total"], banned=banned, first_caps=first_caps,
        )
        order = sorted(funding.funded + [t.id for t in topics if t.id not in funding.funded
                                         and any(key[0] == t.id for key in
                                                 [*funding.practice, *funding.review])],
                       key=lambda tid: (-values[tid], list(rubric.topics).index(tid)))
        mine = set(used)
        misses: list[tuple[str, int]] = []
        dated = place(rubric, scores, grid, pins, segments, seg_days, funding, order, mine,
                      prefer, share, misses)
        if not misses:
            break
        for tid, g in set(misses):
            if g < 0:
                banned.add(tid)
                continue
            opened = sum(1 for s in funding.first.values() if s == g)
            missed = len({t for t, s in set(misses) if s == g})
            first_caps[g] = min(first_caps.get(g, opened), max(0, opened - missed))
    used |= mine
    _trim(dated, sd, sd_weeks, week_of, gap)
    if overall is not None:
        after_dated = [u for d, u in dated if last_window is None or d >= last_window]
        planned_sd = sum(u.blocks for u in after_dated if u.round == sd)
        planned = sum(u.blocks for u in after_dated)
        total = planned + 2 * sum(logged.values())
        if total and planned_sd + 2 * logged.get(sd, 0.0) < 0.4 * total - 1e-9:
            notes.append(
                f"{rubric.round(sd).title} cannot reach its 40% of your preparation after the "
                "screens: the hours already logged on other rounds and the fixed mocks outweigh "
                "the hours left; it gets as much of them as the rules allow.")
    return Built(grid, dated, funding, windows, window_rounds, pins.finals, departs, notes,
                 values, [t.id for t in topics], segments)


def _candidates(topics: list[TopicIn], cap: int, sd: str,
                window_rounds: Mapping[str, frozenset[str]]) -> list[TopicIn]:
    """Topics the model may fund: by value, as many as the hours could take (a whole cycle
    is about 8 blocks), plus a few at target per round to keep the hours full."""
    keep_rounds = {sd} | {r for rs in window_rounds.values() for r in rs}
    gaps = sorted((t for t in topics if t.gap), key=lambda t: -t.value)
    room = max(4, cap // 6)
    chosen = set()
    for t in gaps:
        if len(chosen) < room or (t.round in keep_rounds and len(chosen) < MAX_CANDIDATES):
            chosen.add(t.id)
    best: dict[str, TopicIn] = {}
    for t in gaps:
        best.setdefault(t.round, t)
    chosen |= {t.id for t in best.values()}
    per_round: dict[str, int] = {}
    for t in topics:
        if not t.gap and per_round.get(t.round, 0) < 2:
            chosen.add(t.id)
            per_round[t.round] = per_round.get(t.round, 0) + 1
    return [t for t in topics if t.id in chosen]


def _pin_counts(grid: Grid, pins: Pins, sd: str) -> dict:
    week_of = {d.date: d.week for d in grid.days}
    out: dict = {"week_round": {}, "week": {}, "practice": {}, "round_total": {}, "total": 0}
    for date, u in pins.units:
        w = week_of[date]
        out["week_round"][(w, u.round)] = out["week_round"].get((w, u.round), 0) + u.blocks
        out["week"][w] = out["week"].get(w, 0) + u.blocks
        out["round_total"][u.round] = out["round_total"].get(u.round, 0) + u.blocks
        out["total"] += u.blocks
        if u.activity in ("mock", "practice"):
            out["practice"][(w, u.round)] = out["practice"].get((w, u.round), 0) + 1
    return out


def _segments(grid: Grid, pins: Pins, rubric: Rubric, deadlines: Mapping[str, dt.date | None],
              closed: frozenset[str], windows: Mapping[str, dt.date],
              ) -> tuple[list[Segment], list[list[dt.date]]]:
    today = grid.days[0].date if grid.days else dt.date.min
    open_rounds = [r.id for r in rubric.rounds if r.id not in closed]
    segs: list[Segment] = []
    seg_days: list[list[dt.date]] = []
    key_prev = None
    for d in grid.days:
        left = pins.left[d.date]
        if d.kind != "normal" or left <= 0:
            continue
        wins = frozenset(s for s, date in windows.items() if d.date < date)
        rounds = frozenset(r for r in open_rounds
                           if deadlines[r] is None or d.date < deadlines[r])  # type: ignore[operator]
        study = frozenset(r for r in rounds if d.date < pins.finals.get(r, dt.date.max))
        key = (d.week, wins, rounds, study)
        if key != key_prev:
            segs.append(Segment(d.week, 10**6, -1, 0, 0, rounds, study, wins))
            seg_days.append([])
            key_prev = key
        s = segs[-1]
        num = (d.date - today).days
        # a practice needs a whole free hour: the segment's span counts those days only
        first, last, second = s.first, s.last, s.second
        if left >= 2:
            second = num if first < num < second else second
            first, last = min(first, num), max(last, num)
        segs[-1] = Segment(s.week, first, last, s.cap + left, s.pairs + left // 2,
                           s.rounds, s.study, s.windows, second,
                           s.hour_days + (left >= 2))
        seg_days[-1].append(d.date)
    segs = [s if s.last >= 0 else Segment(s.week, 0, -10**6, s.cap, s.pairs, s.rounds, s.study,
                                          s.windows, hour_days=s.hour_days) for s in segs]
    segs = [replace(s, tight=_tight_cycles([(d, pins.left[d] // 2) for d in days]),
                    open_days=len(days))
            for s, days in zip(segs, seg_days, strict=True)]
    return segs, seg_days


def _tight_cycles(days: Sequence[tuple[dt.date, int]]) -> int:
    """How many whole cycles (an hour of study, a practice on or after it, a second practice
    4+ days after the first) these days can hold, each in its own hours. Greedy from the
    end: the second practice on the latest free hour, the first on the latest free hour 4+
    days before it, the study on the latest free hour on or before that."""
    free = {d: n for d, n in days if n > 0}
    count = 0
    while True:
        order = sorted((d for d in free if free[d] > 0), reverse=True)
        if not order:
            return count
        last = order[0]
        first = next((d for d in order if (last - d).days >= SPAN), None)
        if first is None:
            return count
        free[last] -= 1
        free[first] -= 1
        study = next((d for d in sorted(free, reverse=True) if d <= first and free[d] > 0),
                     None)
        if study is None:
            return count
        free[study] -= 1
        count += 1


def _trim(dated: list[tuple[dt.date, Unit]], sd: str, sd_weeks: Sequence[int],
          week_of: Mapping[dt.date, int], gap: Mapping[str, bool]) -> None:
    """A week the placement left under 40% system design gives back other rounds' extras
    (reviews, then practices beyond a topic's two) until it is not."""
    for w in sd_weeks:
        while True:
            here = [(i, u) for i, (d, u) in enumerate(dated) if week_of[d] == w
                    and (u.pin not in FIXED or u.round == sd)]
            total = sum(u.blocks for _, u in here)
            if not total or sum(u.blocks for _, u in here if u.round == sd) >= 0.4 * total:
                break
            practices: dict[str, int] = {}
            for _, u in dated:
                if u.activity == "practice" and u.pin == "":
                    practices[u.topic] = practices.get(u.topic, 0) + 1
            extras = [i for i, u in here if u.round != sd and u.pin == "" and (
                u.activity == "review" or (u.activity == "practice" and (
                    practices[u.topic] > 2 or not gap.get(u.round))) and sum(
                    1 for _, x in here if x.round == u.round and x.activity in (
                        "practice", "mock")) > 1)]
            if not extras:
                break
            del dated[extras[-1]]
