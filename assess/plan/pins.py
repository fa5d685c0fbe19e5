"""Pins: what the calendar fixes before the hours are spread. Each round's deadline and the
blocks it may use per week, and the mock interviews booked for given weeks (a baseline in week
1, a mock screen before each dated screen, a final mock per onsite round before the onsite).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Collection, Mapping, Sequence

from assess.evidence.scoring import Scores
from assess.plan.calendar import UNDATED_SCREEN_DAYS, Calendar, StageInfo
from assess.plan.sessions import Mock, mock_blocks, mock_unit, pick_mock_question
from assess.rubric.model import Round, Rubric

KIND_ORDER = ("design", "coding", "theory", "behavioral")
MOCK_FINAL_DAYS = range(2, 8)  # final mocks fall 2 to 7 days before the onsite


def round_kind(rnd: Round) -> str:
    """The kind most of the round's questions are (design, coding, theory, behavioral)."""
    counts = Counter(q.kind for t in rnd.topics for q in t.questions)
    if not counts:
        return "theory"
    return max(KIND_ORDER, key=lambda k: (counts[k], -KIND_ORDER.index(k)))


def round_deadlines(
    rubric: Rubric,
    by_round: Mapping[str, StageInfo | None],
    closed: frozenset[str],
    today: dt.date,
    horizon_end: dt.date,
    notes: list[str],
) -> dict[str, dt.date | None]:
    """Round id -> the date its sessions must come before (None: the end of the plan)."""
    out: dict[str, dt.date | None] = {}
    undated: list[StageInfo] = []
    for rnd in rubric.rounds:
        stage = by_round[rnd.id]
        out[rnd.id] = None
        if rnd.id in closed or (stage is not None and stage.onsite):
            continue
        if stage is not None and stage.date is not None:
            out[rnd.id] = stage.date if stage.date < horizon_end else None
        elif rnd.stage == "screen" and stage is not None:
            out[rnd.id] = min(horizon_end, today + dt.timedelta(days=UNDATED_SCREEN_DAYS))
            if stage is not None and stage not in undated:
                undated.append(stage)
    for stage in undated:
        notes.append(
            f"No date for the {stage.title} yet, so the plan treats it as coming in week 1 "
            f"(screens usually come first): its topics get hours there only if they are worth "
            f"them (see not this time). Set it with "
            f"`assess init --stage-date {stage.id}=YYYY-MM-DD`, or "
            f"`assess stage done {stage.id}` once it is behind you."
        )
    return out


def avail_by_week(cal: Calendar, deadline: dt.date | None, closed: bool) -> list[int]:
    """Blocks a round may use in each week: all of it, or its share of days before a date."""
    out = []
    for w, cap in enumerate(cal.capacities):
        if closed:
            out.append(0)
            continue
        if deadline is None:
            out.append(cap)
            continue
        normal = cal.normal_days(w)
        before = cal.normal_days(w, before=deadline)
        out.append(cap * len(before) // len(normal) if normal else 0)
    return out


def fed_rounds(rubric: Rubric, screen: Round, onsite_ids: Sequence[str]) -> tuple[str, ...]:
    """Onsite rounds a screen also tests: their main kind is among the screen's question kinds."""
    kinds = {q.kind for t in screen.topics for q in t.questions} - {"behavioral", "design"}
    return tuple(rid for rid in onsite_ids if round_kind(rubric.round(rid)) in kinds)


def plan_mocks(
    rubric: Rubric,
    scores: Scores,
    cal: Calendar,
    totals: Mapping[str, int],
    deadlines: Mapping[str, dt.date | None],
    dated_screens: set[str],
    closed: frozenset[str],
    used: set[str],
    avail: Mapping[str, Sequence[int]],
    floors: Sequence[int],
    floor_round: str,
    booked: Sequence[Mock] = (),
    baselines_done: Collection[str] = (),
) -> tuple[list[Mock], list[dt.date]]:
    """Mocks pinned to weeks (baseline, screen, final) and the days final mocks may use."""
    n = len(cal.capacities)
    room = [
        cap - (1 if any(d.kind == "light" for d in cal.days_of(w)) else 0)
        for w, cap in enumerate(cal.capacities)
    ]
    spent = {rid: 0 for rid in totals}
    for pin in booked:  # sessions pinned already (re-attempts, verifications)
        room[pin.week] -= pin.unit.blocks
        spent[pin.round] = spent.get(pin.round, 0) + pin.unit.blocks
    mocks: list[Mock] = []

    def book(rnd: Round, week: int, pin: str, spare: int) -> bool:
        picked = pick_mock_question(rubric, rnd, scores, used)
        if picked is None:
            return False
        topic, qid, q = picked
        unit = mock_unit(rnd, topic, qid, q, pin)
        if rnd.id == floor_round:
            # the round's weekly floors elsewhere still need their blocks after this mock
            others = sum(max(floors[w] - sum(m.unit.blocks for m in mocks
                                             if m.round == rnd.id and m.week == w), 0)
                         for w in range(n) if w != week)
            spare = max(spare, others)
        if room[week] < unit.blocks or totals[rnd.id] - spent[rnd.id] < unit.blocks + spare:
            return False
        used.add(qid)
        room[week] -= unit.blocks
        spent[rnd.id] += unit.blocks
        mocks.append(Mock(rnd.id, week, pin, unit))
        return True

    for rnd in rubric.rounds:
        deadline = deadlines.get(rnd.id)
        if rnd.id in dated_screens and deadline is not None and scores.round_gaps[rnd.id] > 0:
            weeks = [w for w in range(n) if cal.normal_days(w, before=deadline)]
            if weeks:
                book(rnd, weeks[-1], "screen", 1)
    end = cal.onsite or (cal.weeks[-1][1] + dt.timedelta(days=1))
    final_days = [end - dt.timedelta(days=k) for k in MOCK_FINAL_DAYS]
    onsite = [r for r in rubric.rounds
              if r.id not in closed and deadlines.get(r.id) is None and totals.get(r.id, 0) > 0]
    if n >= 3 and cal.full(0):
        # a baseline for system design and coding; a non-floor round's baseline only when the
        # week still has room for the screens and the system-design floor beside it
        screens0 = sum(min(totals.get(rid, 0), avail[rid][0]) for rid, d in deadlines.items()
                       if d is not None)
        ranked0 = sorted(onsite, key=lambda r: (not r.min_share, rubric.rounds.index(r)))
        for rnd in ranked0:
            if round_kind(rnd) not in ("design", "coding") or scores.round_gaps[rnd.id] <= 0:
                continue
            if rnd.id in baselines_done:  # once per round: never again once done or past
                continue
            if rnd.id != floor_round:
                q = pick_mock_question(rubric, rnd, scores, used)
                size = mock_blocks(q[2]) if q else 0
                if room[0] - size - screens0 < floor_left(floor_round, mocks, floors, 0):
                    continue
            book(rnd, 0, "baseline", 4)
    ranked = sorted(onsite, key=lambda r: (-r.weight, rubric.rounds.index(r)))
    final_weeks = sorted(
        {d.week for d in cal.days if d.kind == "normal" and d.date in final_days}, reverse=True
    )
    for rnd in ranked:
        if scores.round_gaps[rnd.id] <= 0 and not rnd.min_share:
            continue
        for week in final_weeks:
            if rnd.id != floor_round:
                q = pick_mock_question(rubric, rnd, scores, used)
                size = mock_blocks(q[2]) if q else 0
                if room[week] - size < floor_left(floor_round, mocks, floors, week):
                    continue  # the week's system-design floor comes first
            if book(rnd, week, "final", 2):
                break
    return mocks, final_days


def floor_left(floor_round: str, mocks: Sequence[Mock], floors: Sequence[int], week: int) -> int:
    """Blocks of a week's min-share floor not yet taken by that round's own mocks."""
    own = sum(m.unit.blocks for m in mocks if m.week == week and m.round == floor_round)
    return max(0, floors[week] - own)


