"""Each round's blocks spread over the weeks: screens first, the weekly 40% habit, then the rest.

A pure function of round totals, week capacities and per-week limits; the result is a matrix
(round id -> blocks per week) whose every week adds up exactly to its capacity. The order:

1. pinned blocks (mock interviews booked for a given week);
2. each screen round, before its date, spread over the weeks that can hold it;
3. the weekly floor of the min-share round (system design: 40% of every full week), less
   only where a screen took the time, which is said in a note;
4. in a week before a screen, the onsite rounds that screen also tests (same kinds of
   questions: coding, ML fundamentals) come first, up to the rest of that week;
5. everything left, week by week, in proportion to what each round still needs over the
   weeks it can still use (a round never runs out of weeks it needs), with rounds at their
   target held to one block (0.5 h) a week.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from assess.plan.split import apportion


@dataclass(frozen=True)
class Screen:
    round: str
    title: str  # the stage's title, for notes
    fed: tuple[str, ...]  # onsite rounds whose questions the screen also tests


def spread_weeks(
    order: Sequence[str],
    totals: Mapping[str, int],
    capacities: Sequence[int],
    avail: Mapping[str, Sequence[int]],
    *,
    pins: Mapping[tuple[str, int], int],
    screens: Sequence[Screen],
    floor_round: str | None,
    floor_title: str,
    floors: Sequence[int],
    maintenance: frozenset[str],
    gap_weight: Mapping[str, float],
    notes: list[str],
) -> dict[str, list[int]]:
    """Round id -> blocks in each week; each week sums to its capacity."""
    n = len(capacities)
    x = {rid: [0] * n for rid in order}
    left = {rid: int(totals.get(rid, 0)) for rid in order}
    room = list(capacities)

    def can(rid: int | str, w: int) -> int:
        cap = min(room[w], avail[rid][w] - x[rid][w], left[rid])
        if rid in maintenance:
            cap = min(cap, 1 - x[rid][w])
        return max(0, cap)

    def put(rid: str, w: int, blocks: int) -> None:
        x[rid][w] += blocks
        left[rid] -= blocks
        room[w] -= blocks

    for (rid, w), blocks in sorted(pins.items(), key=lambda kv: (kv[0][1], order.index(kv[0][0]))):
        put(rid, w, min(blocks, room[w], left[rid]))

    screen_weeks: dict[int, str] = {}
    for screen in screens:
        rid = screen.round
        weeks = [w for w in range(n) if can(rid, w) > 0]
        if not weeks or left[rid] <= 0:
            continue
        caps = [can(rid, w) for w in weeks]
        share = apportion(min(left[rid], sum(caps)), caps, upper=caps)
        for w, blocks in zip(weeks, share, strict=True):
            put(rid, w, blocks)
            if blocks:
                screen_weeks.setdefault(w, screen.title)

    if floor_round is not None:
        for w in range(n):
            want = floors[w] - x[floor_round][w]
            if want <= 0:
                continue
            got = min(want, can(floor_round, w))
            put(floor_round, w, got)
            if got < want and w in screen_weeks and left[floor_round] > 0:
                share = x[floor_round][w] / capacities[w] if capacities[w] else 0.0
                notes.append(
                    f"Week {w + 1} gives {floor_title} {share:.0%} of its hours, under the "
                    f"weekly floor: the {screen_weeks[w]} comes first that week."
                )

    for screen in screens:
        fed = [rid for rid in screen.fed if gap_weight.get(rid, 0) > 0]
        for w in range(n):
            if x[screen.round][w] == 0 or not fed:
                continue
            spare = room[w]
            caps = [can(rid, w) for rid in fed]
            take = min(spare, sum(caps))
            if take <= 0:
                continue
            share = apportion(take, [gap_weight[rid] for rid in fed], upper=caps)
            for rid, blocks in zip(fed, share, strict=True):
                put(rid, w, blocks)

    for w in range(n):
        if room[w] <= 0:
            continue
        rids = [rid for rid in order if left[rid] > 0]
        ahead = {rid: sum(min(avail[rid][v], capacities[v]) for v in range(w + 1, n))
                 for rid in rids}
        caps = [can(rid, w) for rid in rids]
        lower = [min(c, max(0, left[rid] - ahead[rid])) for rid, c in zip(rids, caps, strict=True)]
        if sum(lower) > room[w]:
            lower = apportion(room[w], lower, upper=lower)
        total = min(room[w], sum(caps))
        weights = [left[rid] / max(1, caps[i] + ahead[rid]) for i, rid in enumerate(rids)]
        share = apportion(total, weights, lower=lower, upper=caps) if rids else []
        for rid, blocks in zip(rids, share, strict=True):
            put(rid, w, blocks)

    _fill_leftovers(order, x, left, room, avail, maintenance, floor_round)
    return x


def _fill_leftovers(
    order: Sequence[str],
    x: dict[str, list[int]],
    left: dict[str, int],
    room: list[int],
    avail: Mapping[str, Sequence[int]],
    maintenance: frozenset[str],
    floor_round: str | None,
) -> None:
    """Capacity still free after the passes (only when limits collide) goes first to rounds
    with blocks left, then to the rounds that can use the week, so weeks always add up."""
    first = [floor_round] if floor_round in x else []
    ranked = [*first, *(rid for rid in order if rid != floor_round and rid not in maintenance),
              *(rid for rid in order if rid != floor_round and rid in maintenance)]
    for w in range(len(room)):
        for relax in (False, True):
            for rid in ranked:
                if room[w] <= 0:
                    break
                if left[rid] <= 0 and not relax:
                    continue
                cap = avail[rid][w] - x[rid][w]
                if rid in maintenance and not relax:
                    cap = min(cap, 1 - x[rid][w])
                take = min(room[w], max(0, cap), left[rid] if not relax else math.inf)
                take = int(take)
                if take > 0:
                    x[rid][w] += take
                    left[rid] -= take
                    room[w] -= take
        if room[w] > 0:
            rid = floor_round if floor_round in x else order[0]
            x[rid][w] += room[w]
            room[w] = 0
