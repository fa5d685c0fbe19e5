"""Shares and blocks: a topic's need in 0.5 h blocks, each round's target share of the
preparation, and a whole-block split that adds up exactly. Pure functions.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from assess.evidence.scoring import Scores, TopicScore
from assess.plan.model import BLOCK
from assess.rubric.model import Rubric

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
