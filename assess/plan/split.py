"""Splitting blocks: the whole preparation over rounds, each round over weeks, and over topics.

Pure functions; every result is a list of whole 0.5 h blocks that adds up exactly.
The rules are described at the top of ``assess.plan.planner``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from assess.evidence.scoring import Scores, TopicScore
from assess.plan.model import BLOCK, fmt_hours
from assess.rubric.model import Round, Rubric

LEAN = 0.5  # how far round shares lean from the rubric weights toward the weighted gaps


def apportion(
    total: int,
    weights: Sequence[float],
    lower: Sequence[int] | None = None,
    upper: Sequence[int | None] | None = None,
) -> list[int]:
    """Split ``total`` integer units in proportion to ``weights``, within [lower, upper].

    The continuous split ``clamp(c * w_i, lower_i, upper_i)`` (water-filling) is rounded with
    the largest-remainder method; ties go to the earlier item. The result sums to ``total``.
    """
    n = len(weights)
    lo = [int(x) for x in lower] if lower is not None else [0] * n
    hi: list[int | None] = list(upper) if upper is not None else [None] * n
    if total < 0 or sum(lo) > total:
        raise ValueError(f"cannot apportion {total} above floors summing to {sum(lo)}")
    if all(h is not None for h in hi) and sum(h or 0 for h in hi) < total:
        caps = sum(h or 0 for h in hi)
        raise ValueError(f"cannot apportion {total} under caps summing to {caps}")
    if n == 0:
        return []
    w = [max(0.0, float(x)) if math.isfinite(float(x)) else 0.0 for x in weights]
    top = max(w)
    if top > 0:  # scale so the largest weight is 1: keeps the search for c well inside floats
        w = [x / top for x in w]

    def room(i: int) -> bool:
        cap = hi[i]
        return cap is None or cap > lo[i]

    def clamp(i: int, c: float) -> float:
        y = max(float(lo[i]), c * w[i])
        cap = hi[i]
        return min(float(cap), y) if cap is not None else y

    def reach(c: float) -> float:
        return sum(clamp(i, c) for i in range(n))

    # items that can still grow but have no weight get an equal share only if needed
    best = sum(float(hi[i]) if (w[i] > 0 and hi[i] is not None) else (math.inf if w[i] > 0
               else float(lo[i])) for i in range(n))
    if best < total:
        w = [w[i] if w[i] > 0 else (1.0 if room(i) else 0.0) for i in range(n)]
    c_lo, c_hi = 0.0, 1.0
    guard = 0
    while reach(c_hi) < total and guard < 2000:
        c_lo, c_hi = c_hi, c_hi * 2
        guard += 1
    for _ in range(200):
        mid = (c_lo + c_hi) / 2
        if mid in (c_lo, c_hi):
            break
        if reach(mid) < total:
            c_lo = mid
        else:
            c_hi = mid
    ys = [clamp(i, c_hi) for i in range(n)]
    base = []
    for i, y in enumerate(ys):
        b = max(lo[i], math.floor(y + 1e-9))
        cap = hi[i]
        base.append(min(cap, b) if cap is not None else b)
    frac = [round(ys[i] - base[i], 9) for i in range(n)]
    diff = total - sum(base)
    while diff > 0:
        grow = [i for i in range(n) if hi[i] is None or base[i] < (hi[i] or 0)]
        grow.sort(key=lambda i: (-frac[i], i))
        for i in grow[:diff]:
            base[i] += 1
            frac[i] -= 1
        diff = total - sum(base)
    while diff < 0:
        shrink = [i for i in range(n) if base[i] > lo[i]]
        shrink.sort(key=lambda i: (frac[i], i))
        for i in shrink[:-diff]:
            base[i] -= 1
            frac[i] += 1
        diff = total - sum(base)
    return base


# ----- rounds ----------------------------------------------------------------------------------


def need_blocks(score: TopicScore, hours_per_level: float, credit: float = 0.0) -> int:
    """Blocks a topic's gap still needs: gap levels x hours per level, less the hours already
    logged on the topic since it was rated (``credit``), in 0.5 h blocks."""
    return max(0, math.ceil((score.gap * hours_per_level - credit) / BLOCK - 1e-9))


def target_shares(
    rubric: Rubric, scores: Scores, closed: frozenset[str] = frozenset()
) -> dict[str, float]:
    """Round id -> target share: the rubric weight, leaning by LEAN toward weighted gaps.

    Rounds whose stage is closed (done or past) take no share; the rest are rescaled."""
    open_rounds = [r for r in rubric.rounds if r.id not in closed]
    weight_sum = sum(r.weight for r in open_rounds)
    weighted = {r.id: r.weight * scores.round_gaps[r.id] for r in open_rounds}
    total = sum(weighted.values())
    out = {r.id: 0.0 for r in rubric.rounds}
    for r in open_rounds:
        base = r.weight / weight_sum if weight_sum > 0 else 1 / len(open_rounds)
        out[r.id] = base if total <= 0 else (1 - LEAN) * base + LEAN * weighted[r.id] / total
    return out


@dataclass
class RoundLimits:
    """What bounds one round's planned blocks, worked out from the calendar and the scores."""

    upper: dict[str, int | None]  # None = no cap
    extra_floor: dict[str, int] = field(default_factory=dict)  # e.g. the weekly 40% habit
    credit: Mapping[str, float] = field(default_factory=dict)  # topic id -> hours logged


def allocate_rounds(
    rubric: Rubric,
    scores: Scores,
    blocks: int,
    logged: Mapping[str, float],
    notes: list[str],
    limits: RoundLimits,
    closed: frozenset[str] = frozenset(),
) -> dict[str, int]:
    """Round id -> planned blocks (rubric order); sums to ``blocks``. Appends notes."""
    rounds = list(rubric.rounds)
    planned_h = blocks * BLOCK
    logged_r = {r.id: max(0.0, float(logged.get(r.id, 0.0))) for r in rounds}
    whole = planned_h + sum(logged_r.values())
    shares = target_shares(rubric, scores, closed)
    wants = [max(0.0, shares[r.id] * whole - logged_r[r.id]) for r in rounds]
    upper = [limits.upper.get(r.id) for r in rounds]

    floors = []
    share_floors = []  # the part of each floor a min_share asks for
    for r, cap in zip(rounds, upper, strict=True):
        floor = limits.extra_floor.get(r.id, 0)
        share = 0
        if r.min_share and r.id not in closed:
            need = r.min_share * whole - logged_r[r.id]
            share = max(0, math.ceil(need / BLOCK - 1e-9))
            floor = max(floor, share)
        floor = max(0, floor)
        floors.append(min(floor, cap) if cap is not None else floor)
        share_floors.append(min(share, floors[-1]))
    if sum(floors) > blocks:
        # floors that cannot all hold shrink together, but the extra floors (the screens
        # first, booked practice) leave one block for each other round with a gap, as far as
        # the min_share floors allow
        unfloored = sum(
            1 for r, f, cap in zip(rounds, floors, upper, strict=True)
            if f == 0 and scores.round_gaps[r.id] > 0 and r.id not in closed
            and (cap is None or cap > 0))
        reserve = min(unfloored, max(0, blocks - sum(share_floors)))
        capped = apportion(blocks - reserve, floors, lower=share_floors if reserve else None,
                           upper=floors)
        for r, want, got in zip(rounds, floors, capped, strict=True):
            if got < want and r.min_share:
                reach = (got * BLOCK + logged_r[r.id]) / whole if whole else 0.0
                notes.append(
                    f"{r.title} cannot reach its {r.min_share:.0%} share this time: even with "
                    f"{fmt_hours(got * BLOCK)} planned it ends at {reach:.0%} of all hours "
                    "(logged hours count). Shift more of your week to it if you can."
                )
        floors = capped
    lower = list(floors)
    spare = blocks - sum(lower)
    gap_rounds = [
        i for i, r in enumerate(rounds)
        if scores.round_gaps[r.id] > 0 and lower[i] == 0 and r.id not in closed
        and (upper[i] is None or upper[i] > 0)
    ]
    gap_rounds.sort(key=lambda i: (-rounds[i].weight * scores.round_gaps[rounds[i].id], i))
    starved = gap_rounds[spare:] if spare < len(gap_rounds) else []
    for i in gap_rounds[: max(0, spare)]:
        lower[i] = 1
    if starved:
        names = ", ".join(rounds[i].title for i in sorted(starved))
        notes.append(
            f"Not enough hours to touch every round with a gap: {names} get no time in this "
            "plan. More hours per week, or a later interview date, would fix that."
        )
    hpl = rubric.planning.hours_per_level
    needs = [
        0 if r.id in closed else sum(need_blocks(scores.topics[t.id], hpl,
                                                 limits.credit.get(t.id, 0.0))
                                     for t in r.topics)
        for r in rounds
    ]
    needs = [min(n, cap) if cap is not None else n for n, cap in zip(needs, upper, strict=True)]
    if 0 < sum(needs) <= blocks:
        # every gap fits: make sure each round gets what its gaps need, if the floors allow
        with_needs = [max(lo, n) for lo, n in zip(lower, needs, strict=True)]
        if sum(with_needs) <= blocks:
            lower = with_needs
        else:
            squeezed = [r.title for r, lo, n in zip(rounds, floors, needs, strict=True)
                        if r.min_share and lo > n]
            notes.append(
                "Your gaps would fit in the hours you have, but the minimum share for "
                f"{', '.join(squeezed) or 'some rounds'} keeps hours there that other rounds "
                "need; the feasibility section names the topics that stay short."
            )
    if all(cap is not None for cap in upper) and sum(c or 0 for c in upper) < blocks:
        upper = [None if r.id not in closed else 0 for r in rounds]  # caps cannot hold: lift
        if all(r.id in closed for r in rounds):
            upper = [None] * len(rounds)
    lower = [min(lo, cap) if cap is not None else lo for lo, cap in zip(lower, upper, strict=True)]
    got = apportion(blocks, wants, lower=lower, upper=upper)
    return {r.id: b for r, b in zip(rounds, got, strict=True)}


# ----- topics ----------------------------------------------------------------------------------


def allocate_topics(
    rubric: Rubric, rnd: Round, scores: Scores, blocks: int,
    credit: Mapping[str, float] | None = None,
) -> dict[str, int]:
    """Topic id -> blocks within one round (rubric order); sums to ``blocks``.

    By priority (normalised gap x topic weight), capped at each topic's need; what is left once
    every need is met is spread over all the round's topics by topic weight.
    """
    hpl = rubric.planning.hours_per_level
    topics = [scores.topics[t.id] for t in rnd.topics]
    needs = [need_blocks(t, hpl, (credit or {}).get(t.topic, 0.0)) for t in topics]
    if blocks <= 0:
        return {t.topic: 0 for t in topics}
    # in the min-share round every core topic with a gap gets two blocks where it can, so it
    # can come back in a later week (study, then a review or re-practice)
    lows = [min(2, n) if rnd.min_share and t.depth == "core" else 0
            for t, n in zip(topics, needs, strict=True)]
    if sum(lows) > blocks:
        lows = [0] * len(topics)
    if blocks <= sum(needs):
        got = apportion(blocks, [t.gap_norm * t.weight for t in topics], lower=lows,
                        upper=needs)
    else:
        extra = apportion(blocks - sum(needs), [t.weight for t in topics])
        got = [n + e for n, e in zip(needs, extra, strict=True)]
    return {t.topic: b for t, b in zip(topics, got, strict=True)}
