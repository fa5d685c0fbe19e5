"""Stage 1 of the plan: which topics are funded, and how much of each goes in each stretch of
days. One mixed-integer model, solved by HiGHS within a deterministic work limit.

The days are cut into *segments*: runs of days in the same week, on the same side of every
dated screen and of every round's final mock. Per topic ``t`` and segment ``g``:

- ``n[t,g]`` hours of study (whole hours: every study block is at least 1 h),
- ``k[t,g]`` timed practice sessions of 1 h (a question, or a coding drill), at most one a
  day and ``MAX_PRACTICE`` a segment,
- ``r[t,g]`` half hours of review (``MAX_REVIEW`` at most: filler, not a way to study),
- ``x[t]`` 1 when the topic is funded; ``f[t,g]`` / ``l[t,g]`` 1 in the segments of its first
  and of its last practice.

Constraints:

- capacity: a segment holds no more than its free blocks, no more 1 h sessions than its days
  have whole free hours, and no more than 2 h of a topic a day;
- deadlines: a round works only before its stage's date and studies only before its final
  mock;
- whole cycles: a funded topic with a gap gets study first (a coding topic exactly one 1 h
  refresher, then timed drills), then at least two practices, the last on a day 4+ after the
  first (a dated screen's topic: one practice, and its mock screen is the second); no more
  cycles open and close inside a segment than its days can hold (``Segment.tight``);
- before each dated screen at least 60% of the hours go to the screen's round and the onsite
  rounds it tests;
- every full week after the screens gives system design at least 40% (unless it departs from
  the guidance, see ``assess.plan.planner``), and so does the whole preparation after the
  screens, logged hours included;
- every round with a gap that is worked in a full week has a timed practice (or a mock) in
  it, and every open round with a gap gets at least one whole cycle;
- every onsite round with a gap gets a floor: ``BALANCE`` times its part of the weighted gaps
  (round weight x gap), of all the hours there are.

The shares, the floors and "a cycle for every round" are soft: a shortfall costs a penalty
(heaviest for the 40% and 60% shares, then a round left without a cycle, heavier rounds and a
dated screen's own round first, then a floor), so a week with too few hours still gets a plan.

Objective: the readiness gained, i.e. the weighted gap closed per hour (a topic's hours up to
what its gap needs, each worth ``round weight x topic weight / ((target - 1) x
hours_per_level)``, the screens' own topics three times before their screen), plus a little
for every block used, minus the penalties.

Cuts: the model sees segments, not days; when the placement cannot hold a funded cycle on
real days, ``assess.plan.build`` caps the cycles opening in that segment (or leaves the
topic out) and solves again.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

WORK_LIMIT_NODES = 100  # branch-and-bound nodes: a deterministic bound on the work
# one thread and a fixed seed: the same inputs give the same plan; the node limit and the
# heuristics kept off bound the work deterministically (never by wall time)
OPTIONS = (("threads", 1), ("random_seed", 0), ("mip_max_nodes", WORK_LIMIT_NODES),
           # an absolute gap: the penalties make a relative one meaningless for the values
           ("mip_rel_gap", 0.0), ("mip_abs_gap", 0.02), ("mip_pscost_minreliable", 0),
           ("mip_heuristic_run_rins", False),
           ("mip_heuristic_run_rens", False), ("mip_heuristic_run_root_reduced_cost", False),
           ("mip_pool_soft_limit", 50), ("mip_allow_cut_separation_at_nodes", False),
           ("mip_detect_symmetry", False), ("mip_allow_restart", False),
           ("presolve", "on"))
SPAN = 4  # days from the first practice to the one that closes the cycle
SD_MARGIN = 0.42  # the 40% with room for what the placement cannot fit
MAX_PRACTICE = 3  # timed practices of a topic in a segment (a week at most)
MAX_REVIEW = 2  # half hours of review per topic and segment: filler, not a way to study
REVIEW_WORTH = 0.5  # a review block moves a topic half as far as study or practice
FILL = 1e-4
PENALTY = 10.0
BALANCE = 0.8  # an onsite round's floor: this much of its share of the weighted gaps
BALANCE_PENALTY = 0.05  # per block under it: above any topic's value, under the shares'
ROUND_PENALTY = 1.0  # a round with a gap left without a cycle (times 1 + the round's weight)


@dataclass(frozen=True)
class Segment:
    week: int
    first: int  # day numbers from today of the segment's first and last day with a free hour
    last: int
    cap: int  # free blocks
    pairs: int  # whole free hours (2-block slots)
    rounds: frozenset[str]  # rounds that may work here (before their deadline)
    study: frozenset[str]  # rounds that may still study here (before their final mock)
    windows: frozenset[str]  # dated screens whose window holds these days
    second: int = 10**6  # its second day with a free hour: the earliest first practice when
    # the study takes the first (pins can leave days between them)
    hour_days: int = 0  # days with a whole free hour: a topic has one timed practice a day
    open_days: int = 7  # days with any free time
    tight: int = 10**6  # cycles that can open and close inside it (see build._tight_cycles)


@dataclass(frozen=True)
class TopicIn:
    id: str
    round: str
    value: float  # readiness per block
    need: int  # blocks its gap needs
    gap: bool
    drills: bool  # coding: one refresher, then timed drills
    short: bool = False  # a dated screen's topic: its mock screen closes the cycle


@dataclass
class Funding:
    study: dict[tuple[str, int], int] = field(default_factory=dict)  # (topic, seg) -> hours
    practice: dict[tuple[str, int], int] = field(default_factory=dict)  # -> sessions
    review: dict[tuple[str, int], int] = field(default_factory=dict)  # -> blocks
    first: dict[str, int] = field(default_factory=dict)  # topic -> segment of 1st practice
    last: dict[str, int] = field(default_factory=dict)
    funded: list[str] = field(default_factory=list)
    short: set[str] = field(default_factory=set)  # cycles closed by their round's mock screen
    status: str = ""


@contextlib.contextmanager
def _quiet_stdout():  # noqa: ANN202
    """HiGHS prints a banner on the C-level stdout; stdout carries JSON, so hide it."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def solve(
    topics: Sequence[TopicIn], segments: Sequence[Segment], *, sd: str | None,
    sd_weeks: Sequence[int], week_pins: Mapping[tuple[int, str], int],
    week_pin_total: Mapping[int, int], practice_pins: Mapping[tuple[int, str], int],
    full_weeks: Sequence[int], gap_rounds: frozenset[str],
    windows: Mapping[str, frozenset[str]], window_pins: Mapping[str, tuple[int, int]],
    overall_sd: tuple[float, float] | None, every_round: Mapping[str, float] | None = None,
    balance: Mapping[str, float] | None = None, round_pins: Mapping[str, int] | None = None,
    banned: Collection[str] = (), first_caps: Mapping[int, int] | None = None,
) -> Funding:
    """The funding of each topic in each segment (see the module docstring).

    ``week_pins`` (week, round) -> pinned blocks; ``week_pin_total`` week -> pinned blocks;
    ``practice_pins`` (week, round) -> pinned timed sessions; ``windows`` screen -> the rounds
    it counts; ``window_pins`` screen -> (pinned blocks of those rounds, all pinned blocks)
    in its window; ``overall_sd`` (logged + pinned system-design blocks, logged + pinned
    blocks in all) or None."""
    import highspy

    with _quiet_stdout():
        h = highspy.Highs()
        h.setOptionValue("output_flag", bool(os.environ.get("HIGHS_LOG")))
    for key, val in OPTIONS:
        h.setOptionValue(key, val)
    inf = highspy.kHighsInf
    G = range(len(segments))
    n: dict[tuple[str, int], object] = {}
    k: dict[tuple[str, int], object] = {}
    r: dict[tuple[str, int], object] = {}
    x: dict[str, object] = {}
    objective = []
    firsts: dict[int, list[object]] = {}
    tights: dict[int, list[object]] = {}
    blocks_of: dict[tuple[str, int], object] = {}
    for t in topics:
        segs = [g for g in G if t.round in segments[g].rounds]
        if not segs:
            continue
        x[t.id] = h.addBinary()
        useful = h.addVariable(0, t.need)
        amount = []
        for g in segs:
            seg = segments[g]
            if t.gap and t.round in seg.study:
                n[(t.id, g)] = h.addIntegral(0, 1 if t.drills else seg.pairs)
            k[(t.id, g)] = h.addIntegral(0, min(seg.pairs, seg.hour_days, MAX_PRACTICE))
            r[(t.id, g)] = h.addIntegral(0, min(seg.cap, MAX_REVIEW))
            expr = 2 * k[(t.id, g)] + r[(t.id, g)]
            if (t.id, g) in n:
                expr = expr + 2 * n[(t.id, g)]
            blocks_of[(t.id, g)] = expr
            h.addConstr(expr <= 4 * seg.open_days)  # at most 2 h of a topic a day
            amount.append(expr)
            h.addConstr(expr <= seg.cap * x[t.id])
        worth = [2 * k[(t.id, g)] + REVIEW_WORTH * r[(t.id, g)] for g in segs]
        worth += [2 * n[(t.id, g)] for g in segs if (t.id, g) in n]
        h.addConstr(useful <= sum(worth[1:], worth[0]))
        objective.append(t.value * useful)
        if not t.gap:
            continue
        # the cycle: study starts somewhere, practice only from there on
        study_segs = [g for g in segs if (t.id, g) in n]
        if not study_segs:
            h.addConstr(x[t.id] <= 0)
            continue
        h.addConstr(sum(n[(t.id, g)] for g in study_segs) >= x[t.id])
        started = 0
        for g in segs:
            before = started  # study in earlier segments
            if (t.id, g) in n:
                started = started + n[(t.id, g)]
            # practice once study has started, review once a segment of study is behind it
            h.addConstr(2 * k[(t.id, g)] <= segments[g].cap * started)
            h.addConstr(r[(t.id, g)] <= segments[g].cap * before)
        if t.drills:
            h.addConstr(sum(n[(t.id, g)] for g in study_segs) == x[t.id])
        if t.id in banned:  # the days could not hold its cycle at all
            h.addConstr(x[t.id] <= 0)
        if t.short:  # one practice after the study; its round's mock screen is the second
            practice = [k[(t.id, g)] for g in segs]
            h.addConstr(sum(practice[1:], practice[0]) >= x[t.id])
            continue
        hour_segs = [g for g in segs if segments[g].pairs > 0]  # where a practice fits
        if not hour_segs:
            h.addConstr(x[t.id] <= 0)
            continue
        # a first practice needs a segment with two free hours (the study may take the first)
        f = {g: h.addBinary() for g in hour_segs if segments[g].second < 10**6}
        last = {g: h.addBinary() for g in hour_segs}
        for g in f:
            firsts.setdefault(g, []).append(f[g])
            both = h.addVariable(0, 1)  # 1 when the cycle opens and closes in this segment
            h.addConstr(both >= f[g] + last[g] - 1)
            tights.setdefault(g, []).append(both)
        if not f:
            h.addConstr(x[t.id] <= 0)
            continue
        h.addConstr(sum(f.values()) == x[t.id])
        h.addConstr(sum(last.values()) == x[t.id])
        for g in hour_segs:
            h.addConstr(f.get(g, 0) + last[g] <= k[(t.id, g)])
        h.addConstr(sum(segments[g].second * f[g] for g in f) + SPAN * x[t.id]
                    <= sum(segments[g].last * last[g] for g in hour_segs))
        for g in hour_segs:
            # nothing practised before the first practice's segment
            before = [f[g2] for g2 in f if g2 > g]
            if before:
                h.addConstr(k[(t.id, g)] <= segments[g].pairs * (1 - sum(before)))
        x[t.id + "#parts"] = (f, last)  # type: ignore[assignment]
    for g, both in sorted(tights.items()):
        if segments[g].tight < len(both):
            h.addConstr(sum(both[1:], both[0]) <= segments[g].tight)
    # cycles the days of a segment could not open: no more first practices there
    for g, most in sorted((first_caps or {}).items()):
        if firsts.get(g):
            h.addConstr(sum(firsts[g][1:], firsts[g][0]) <= most)
    # capacity of each segment
    for g in G:
        seg = segments[g]
        here = [(tid, e) for (tid, gg), e in blocks_of.items() if gg == g]
        if not here:
            continue
        h.addConstr(sum((e for _, e in here[1:]), here[0][1]) <= seg.cap)
        hours = [2 * k[(tid, g)] for tid, _ in here]
        hours += [2 * n[(tid, g)] for tid, _ in here if (tid, g) in n]
        h.addConstr(sum(hours[1:], hours[0]) <= 2 * seg.pairs)
        objective.append(FILL * sum((e for _, e in here[1:]), here[0][1]))
    by_round: dict[str, list[str]] = {}
    for t in topics:
        by_round.setdefault(t.round, []).append(t.id)

    def amount_of(rounds: set[str] | None, segs: Sequence[int]) -> object:
        terms = [e for (tid, g), e in blocks_of.items() if g in segs
                 and (rounds is None or next(t.round for t in topics if t.id == tid) in rounds)]
        return sum(terms[1:], terms[0]) if terms else 0

    # system design: 40% of each full week outside the screens' windows
    if sd is not None:
        for w in sd_weeks:
            segs = [g for g in G if segments[g].week == w]
            slack = h.addVariable(0, inf)
            objective.append(-PENALTY * slack)
            h.addConstr(amount_of({sd}, segs) + week_pins.get((w, sd), 0) + slack
                        >= SD_MARGIN * (amount_of(None, segs) + week_pin_total.get(w, 0)))
        if overall_sd is not None:  # and of the whole preparation after the screens
            after = [g for g in G if not segments[g].windows]
            slack = h.addVariable(0, inf)
            objective.append(-PENALTY * slack)
            h.addConstr(amount_of({sd}, after) + overall_sd[0] + slack
                        >= 0.4 * (amount_of(None, after) + overall_sd[1]))
    # before a dated screen: 60% to its rounds and the onsite rounds it tests
    for screen, rounds in windows.items():
        segs = [g for g in G if screen in segments[g].windows]
        pinned_own, pinned_all = window_pins.get(screen, (0, 0))
        slack = h.addVariable(0, inf)
        objective.append(-PENALTY * slack)
        h.addConstr(amount_of(set(rounds), segs) + pinned_own + slack
                    >= 0.6 * (amount_of(None, segs) + pinned_all))
    # a round with a gap worked in a full week has a timed practice in it
    for w in full_weeks:
        segs = [g for g in G if segments[g].week == w]
        for rid in sorted(gap_rounds):
            terms = [(tid, g) for tid in by_round.get(rid, []) for g in segs
                     if (tid, g) in blocks_of]
            if not terms or practice_pins.get((w, rid), 0) > 0:
                continue
            z = h.addBinary()
            work = [blocks_of[key] for key in terms]
            h.addConstr(sum(work[1:], work[0]) <= 200 * z)
            practice = [k[key] for key in terms]
            h.addConstr(sum(practice[1:], practice[0]) >= z)
    # a round with a gap never gets nothing: one of its topics gets a whole cycle
    for rid, weight in sorted((every_round or {}).items()):
        funded = [x[t.id] for t in topics if t.round == rid and t.gap and t.id in x]
        if funded:
            slack = h.addVariable(0, 1)
            # when not every round fits, the lighter rounds give way first
            objective.append(-ROUND_PENALTY * (1 + weight) * slack)
            h.addConstr(sum(funded[1:], funded[0]) + slack >= 1)
    # every onsite round with a gap gets a fair part of the hours: each round is its own
    # interview, so a light round is not starved by a heavier one's better value per hour
    # (of all the hours there are, a constant: more hours elsewhere never raise the floor)
    every = sum((round_pins or {}).values()) + sum(seg.cap for seg in segments)
    for rid, part in sorted((balance or {}).items()):
        slack = h.addVariable(0, inf)
        objective.append(-BALANCE_PENALTY * slack)
        h.addConstr(amount_of({rid}, list(G)) + (round_pins or {}).get(rid, 0) + slack
                    >= part * every)
    h.maximize(sum(objective[1:], objective[0]) if objective else 0)
    out = Funding(status=h.modelStatusToString(h.getModelStatus()))
    if h.getInfo().primal_solution_status == 0:
        return out

    def val(v: object) -> int:
        return int(round(h.variableValue(v)))

    for key, v in n.items():
        if val(v):
            out.study[key] = val(v)
    for key, v in k.items():
        if val(v):
            out.practice[key] = val(v)
    for key, v in r.items():
        if val(v):
            out.review[key] = val(v)
    for t in topics:
        if t.id in x and val(x[t.id]):
            out.funded.append(t.id)
            if t.short:
                out.short.add(t.id)
            parts = x.get(t.id + "#parts")
            if parts:
                f, last = parts  # type: ignore[misc]
                out.first[t.id] = next(g for g, v in f.items() if val(v))
                out.last[t.id] = next(g for g, v in last.items() if val(v))
    return out
