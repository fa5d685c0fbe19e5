"""Planning: weeks, hours per round and topic, the min-share floor, feasibility, sessions.

Pure functions of (rubric, scores, hours per week, today, interview date, hours logged); no I/O.
All hours are counted in 0.5 h blocks (integers), so sums are exact.

**Weeks.** ``ceil(days to the interview / 7)`` (21, 28, 35 days give 3, 4, 5 weeks; 10 days
give 2). Below the rubric's ``timeline.min_weeks`` the plan is marked compressed; above
``max_weeks`` it carries a note. Without an interview date (or with one already past) the plan
spans ``timeline.default_weeks`` (4). Week *i* starts ``today + 7(i-1)`` and ends six days later,
or the day before the interview, whichever comes first.

**Hours.** Every week gets the same hours: hours per week rounded *down* to a multiple of
0.5 h (7.75 h a week plans 7.5 h and says so; rounding up would promise time that is not
there). Each week's sessions add up to exactly that.

**Round split** (over the whole preparation: hours logged plus hours planned, ``T``):

1. target share ``s_r = (1 - LEAN) w_r + LEAN * (w_r g_r / sum(w g))`` where ``w_r`` is the
   rubric weight, ``g_r`` the round's weighted mean normalised gap and ``LEAN = 0.5`` (no gaps
   anywhere: ``s_r = w_r``);
2. each round wants ``max(0, s_r T - logged_r)`` more hours, so past under-spending is made up;
3. floors, in 0.5 h blocks: a round with ``min_share`` gets at least
   ``ceil((min_share T - logged_r) / 0.5)`` blocks (counting logged hours), and every round with
   a gap gets at least one block;
4. the planned blocks are apportioned proportionally above the floors (water-filling), then
   rounded with the largest-remainder method (ties in rubric order).

When the blocks cannot cover every floor (very few hours), min-share floors come first, then
one block per gap round by weighted gap; the plan says which rounds got no time.

**Topic split** (within a round): a mock interview is reserved first when the round has at
least 3 h (onsite rounds in the last week, screen rounds right after their prep). The rest goes
to topics by priority (normalised gap x topic weight), each capped at the hours its gap needs;
hours beyond every need are spread over all the round's topics by topic weight as practice.
Topics with at least 2 h and a gap give 0.5 h to a review block near the end.

**Feasibility.** Closing a gap needs ``gap levels x planning.hours_per_level`` hours (the
rubric's rate; default 3 h per level step). The plan fits when the hours needed are at most the
hours planned; otherwise it says how many more are needed. Any topic whose planned hours stay
below its need is named, with the level it can reach.

**Sequence.** Sessions are ordered by phase, then by progress through each round, so rounds in
one phase advance side by side: screen rounds (and a mock screen), then the other rounds that
are mostly coding or theory (the fundamentals the phone screen also tests), then
system-design deep dives (rounds whose questions are mostly design), then STAR stories
(behavioral rounds), reviews of topics studied earlier, and mock interviews at the very end.
The ordered sessions are cut into weeks of exactly the weekly hours; a session that straddles a
week boundary is split, and a practice question is never split: a question-free session of the
same phase is pulled forward instead, or the overflow becomes a follow-up review. Each rubric
question is used at most once.

Everything is deterministic: ties break in rubric order, floats are rounded in the JSON.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from assess.errors import InputError
from assess.plan_model import (  # noqa: F401 - re-exported: the planner's public results
    ACTIVITIES,
    BLOCK,
    Activity,
    Allocation,
    Feasibility,
    Plan,
    Session,
    Unreachable,
    Week,
    fmt_hours,
    round_hours,
    round_ratio,
)
from assess.rubric import Question, Round, Rubric, Topic
from assess.scoring import Scores, TopicScore

LEAN = 0.5  # how far round shares lean from the rubric weights toward the weighted gaps
MOCK_MIN_ROUND_BLOCKS = 6  # a round needs 3 h before a mock interview is carved out of it
REVIEW_MIN_TOPIC_BLOCKS = 4  # a topic with 2 h and a gap gets a 0.5 h review block
STUDY_CHUNK = 2  # study and story sessions are built from units of at most 1 h
MAX_SESSION_BLOCKS = 4  # neighbouring units merge into sessions of at most 2 h
LOOKAHEAD = 12  # how far ahead to look for a question-free unit at a week boundary


# phases, in the order the plan runs
PH_SCREEN, PH_SCREEN_MOCK, PH_FUNDAMENTALS, PH_DESIGN, PH_STORIES, PH_REVIEW, PH_MOCK = range(7)
KIND_ORDER = ("design", "coding", "theory", "behavioral")
ACTIVITY_ORDER = ("study", "story", "practice", "review", "mock")  # within one topic in a week


# ----- apportioning -----------------------------------------------------------------------------


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


# ----- weeks ------------------------------------------------------------------------------------


def count_weeks(today: dt.date, interview_date: dt.date | None, default_weeks: int = 4) -> int:
    """Weeks from today to the interview, rounded up (at least 1); the default without a date."""
    if interview_date is None or interview_date < today:
        return default_weeks
    return max(1, math.ceil((interview_date - today).days / 7))


def week_dates(
    today: dt.date, interview_date: dt.date | None, weeks: int
) -> list[tuple[dt.date, dt.date]]:
    """(start, end) of each week; the last ends the day before the interview."""
    out = []
    for i in range(weeks):
        start = today + dt.timedelta(days=7 * i)
        end = start + dt.timedelta(days=6)
        if interview_date is not None and interview_date >= today and end >= interview_date:
            end = max(start, interview_date - dt.timedelta(days=1))
        out.append((start, end))
    return out


def week_capacities(week_blocks: int, dates: Sequence[tuple[dt.date, dt.date]]) -> list[int]:
    """Blocks per week: a full week gets ``week_blocks``; a shorter last week (it ends the day
    before the interview) gets its share by days, rounded down to 0.5 h, at least one block."""
    caps = []
    for start, end in dates:
        days = (end - start).days + 1
        caps.append(week_blocks if days >= 7 else max(1, week_blocks * days // 7))
    return caps


def week_blocks_for(hours_per_week: float) -> int:
    """Blocks in one week: hours per week rounded down to 0.5 h."""
    if not math.isfinite(hours_per_week) or hours_per_week < BLOCK:
        raise InputError(f"hours per week must be at least {BLOCK} (got {hours_per_week!r})")
    return math.floor(hours_per_week / BLOCK + 1e-9)


# ----- rubric helpers ---------------------------------------------------------------------------


def system_design_round(rubric: Rubric) -> str:
    """The round the 40% guidance is about: ``system-design``, else the largest min_share,
    else the largest weight (first in rubric order on ties)."""
    ids = [r.id for r in rubric.rounds]
    if "system-design" in ids:
        return "system-design"
    with_floor = [r for r in rubric.rounds if r.min_share]
    pool = with_floor or list(rubric.rounds)
    key = (lambda r: r.min_share or 0.0) if with_floor else (lambda r: r.weight)
    best = max(key(r) for r in pool)
    return next(r.id for r in pool if key(r) == best)


def round_kind(rnd: Round) -> str:
    """The kind most of the round's questions are (design, coding, theory, behavioral)."""
    counts = Counter(q.kind for t in rnd.topics for q in t.questions)
    if not counts:
        return "theory"
    return max(KIND_ORDER, key=lambda k: (counts[k], -KIND_ORDER.index(k)))


def round_phase(rnd: Round) -> int:
    if rnd.stage == "screen":
        return PH_SCREEN
    kind = round_kind(rnd)
    if kind == "design":
        return PH_DESIGN
    if kind == "behavioral":
        return PH_STORIES
    return PH_FUNDAMENTALS


def is_story_topic(rnd: Round, topic: Topic) -> bool:
    """A topic prepared as STAR stories: its questions are behavioral (or the round's are)."""
    if topic.questions:
        return all(q.kind == "behavioral" for q in topic.questions)
    return round_kind(rnd) == "behavioral"


def question_blocks(question: Question) -> int:
    """Blocks for working one question: its minutes rounded up to 0.5 h (at least one block)."""
    return max(1, math.ceil(question.minutes / 30))


# ----- round allocation -------------------------------------------------------------------------


def target_shares(rubric: Rubric, scores: Scores) -> dict[str, float]:
    """Round id -> target share: the rubric weight, leaning by LEAN toward weighted gaps."""
    weighted = {r.id: r.weight * scores.round_gaps[r.id] for r in rubric.rounds}
    total = sum(weighted.values())
    if total <= 0:
        return {r.id: r.weight for r in rubric.rounds}
    return {
        r.id: (1 - LEAN) * r.weight + LEAN * weighted[r.id] / total for r in rubric.rounds
    }


def allocate_rounds(
    rubric: Rubric,
    scores: Scores,
    blocks: int,
    logged: Mapping[str, float],
    notes: list[str],
) -> dict[str, int]:
    """Round id -> planned blocks (rubric order); sums to ``blocks``. Appends notes."""
    rounds = list(rubric.rounds)
    planned_h = blocks * BLOCK
    logged_r = {r.id: max(0.0, float(logged.get(r.id, 0.0))) for r in rounds}
    whole = planned_h + sum(logged_r.values())
    shares = target_shares(rubric, scores)
    wants = [max(0.0, shares[r.id] * whole - logged_r[r.id]) for r in rounds]

    floors = []
    for r in rounds:
        if r.min_share:
            need = r.min_share * whole - logged_r[r.id]
            floors.append(max(0, math.ceil(need / BLOCK - 1e-9)))
        else:
            floors.append(0)
    if sum(floors) > blocks:
        capped = apportion(blocks, floors, upper=floors)
        for r, want, got in zip(rounds, floors, capped, strict=True):
            if got < want:
                reach = (got * BLOCK + logged_r[r.id]) / whole if whole else 0.0
                notes.append(
                    f"{r.title} cannot reach its {r.min_share:.0%} share this time: even with "
                    f"{fmt_hours(got * BLOCK)} planned it ends at {reach:.0%} of all hours "
                    "(logged hours count). Shift more of your week to it if you can."
                )
        floors = capped
    lower = list(floors)
    spare = blocks - sum(lower)
    gap_rounds = [i for i, r in enumerate(rounds) if scores.round_gaps[r.id] > 0 and lower[i] == 0]
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
    needs = [sum(_need_blocks(scores.topics[t.id], hpl) for t in r.topics) for r in rounds]
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
    got = apportion(blocks, wants, lower=lower)
    return {r.id: b for r, b in zip(rounds, got, strict=True)}


# ----- topic allocation -------------------------------------------------------------------------


def _need_blocks(score: TopicScore, hours_per_level: float) -> int:
    return math.ceil(score.gap * hours_per_level / BLOCK - 1e-9)


def allocate_topics(
    rubric: Rubric, rnd: Round, scores: Scores, blocks: int
) -> dict[str, int]:
    """Topic id -> blocks within one round (rubric order); sums to ``blocks``.

    By priority (normalised gap x topic weight), capped at each topic's need; what is left once
    every need is met is spread over all the round's topics by topic weight.
    """
    hpl = rubric.planning.hours_per_level
    topics = [scores.topics[t.id] for t in rnd.topics]
    needs = [_need_blocks(t, hpl) for t in topics]
    if blocks <= 0:
        return {t.topic: 0 for t in topics}
    if blocks <= sum(needs):
        got = apportion(blocks, [t.gap_norm * t.weight for t in topics], upper=needs)
    else:
        extra = apportion(blocks - sum(needs), [t.weight for t in topics])
        got = [n + e for n, e in zip(needs, extra, strict=True)]
    return {t.topic: b for t, b in zip(topics, got, strict=True)}


# ----- units and sequencing ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Unit:
    round: str
    topic: str
    title: str
    activity: Activity
    blocks: int
    phase: int
    key: tuple[float, ...]  # (phase, sub-phase, progress, round index, sequence)
    question: str | None = None
    question_id: str | None = None


def _chunks(total: int, size: int) -> list[int]:
    out = []
    while total > 0:
        out.append(min(size, total))
        total -= out[-1]
    return out


def _topic_units(
    rubric: Rubric,
    rnd: Round,
    topic: Topic,
    score: TopicScore,
    blocks: int,
    questions: list[tuple[str, Question]],
) -> list[tuple[Activity, int, str | None, Question | None]]:
    """(activity, blocks, question id, question) for one topic's study time, in order."""
    out: list[tuple[Activity, int, str | None, Question | None]] = []
    if blocks <= 0:
        return out
    if is_story_topic(rnd, topic):
        queue = list(questions)
        for size in _chunks(blocks, STUDY_CHUNK):
            qid, q = queue.pop(0) if queue else (None, None)
            out.append(("story", size, qid, q))
        return out
    # topics with a gap: study first, then practice (half each when there are questions);
    # topics already at target: practice only
    study = (math.ceil(blocks / 2) if questions else blocks) if score.gap > 0 else 0
    practice = blocks - study
    practice_units: list[tuple[Activity, int, str | None, Question | None]] = []
    for qid, q in questions:
        if practice <= 0:
            break
        size = min(practice, question_blocks(q))
        practice_units.append(("practice", size, qid, q))
        practice -= size
    if score.gap > 0:  # questions ran out: the rest is study
        study += practice
    else:  # at target: free practice (past papers, timed drills) with no rubric question
        practice_units.extend(
            ("practice", size, None, None) for size in _chunks(practice, STUDY_CHUNK)
        )
    study_units: list[tuple[Activity, int, str | None, Question | None]] = [
        ("study", size, None, None) for size in _chunks(study, STUDY_CHUNK)
    ]
    while study_units or practice_units:
        if study_units:
            out.append(study_units.pop(0))
        if practice_units:
            out.append(practice_units.pop(0))
    return out


def _round_units(
    rubric: Rubric, rnd: Round, round_index: int, scores: Scores, blocks: int
) -> list[_Unit]:
    """Every unit of one round: mock, topic study/practice/stories, reviews."""
    if blocks <= 0:
        return []
    phase = round_phase(rnd)
    order = {t.id: i for i, t in enumerate(rnd.topics)}
    by_priority = sorted(
        rnd.topics,
        key=lambda t: (-round(scores.topics[t.id].gap_norm * scores.topics[t.id].weight, 12),
                       order[t.id]),
    )
    questions: dict[str, list[tuple[str, Question]]] = {
        t.id: [(rubric.question_id(t.id, i), q) for i, q in enumerate(t.questions)]
        for t in rnd.topics
    }

    mock: _Unit | None = None
    mock_blocks = 0
    need = sum(_need_blocks(scores.topics[t.id], rubric.planning.hours_per_level)
               for t in rnd.topics)
    # a mock comes out of hours beyond what the gaps need; a round that cannot close its gaps
    # anyway still gets its mock, since rehearsing the round is the best use of its last hours
    room = blocks if blocks < need else blocks - need
    if blocks >= MOCK_MIN_ROUND_BLOCKS and room >= 2:
        candidates = [t for t in by_priority if len(t.questions) >= 2] or [
            t for t in by_priority if t.questions
        ]
        if candidates:
            host = candidates[0]
            qid, q = questions[host.id].pop()
            mock_blocks = min(max(2, question_blocks(q)), blocks // 3, room)
            mock_phase = PH_SCREEN_MOCK if phase == PH_SCREEN else PH_MOCK
            mock = _Unit(
                round=rnd.id, topic=host.id, title=host.title, activity="mock",
                blocks=mock_blocks, phase=mock_phase,
                key=(mock_phase, 0, 0.0, round_index, 0),
                question=q.text, question_id=qid,
            )

    per_topic = allocate_topics(rubric, rnd, scores, blocks - mock_blocks)
    main: list[tuple[Topic, Activity, int, str | None, Question | None]] = []
    reviews: list[Topic] = []
    for topic in by_priority:
        tb = per_topic[topic.id]
        sc = scores.topics[topic.id]
        review = (
            1
            if tb >= REVIEW_MIN_TOPIC_BLOCKS and sc.gap > 0 and not is_story_topic(rnd, topic)
            else 0
        )
        if review:
            reviews.append(topic)
        for activity, size, qid, q in _topic_units(
            rubric, rnd, topic, sc, tb - review, questions[topic.id]
        ):
            main.append((topic, activity, size, qid, q))

    units: list[_Unit] = []
    total = sum(size for _, _, size, _, _ in main)
    done = 0
    first_key: dict[str, tuple[float, ...]] = {}
    for seq, (topic, activity, size, qid, q) in enumerate(main):
        progress = (done + size / 2) / total if total else 0.0
        key = (phase, 0, round(progress, 9), round_index, seq)
        first_key.setdefault(topic.id, key)
        units.append(
            _Unit(
                round=rnd.id, topic=topic.id, title=topic.title, activity=activity,
                blocks=size, phase=phase, key=key,
                question=q.text if q else None, question_id=qid,
            )
        )
        done += size
    for topic in reviews:
        units.append(
            _Unit(
                round=rnd.id, topic=topic.id, title=topic.title, activity="review", blocks=1,
                phase=PH_REVIEW, key=_review_key(first_key[topic.id]),
            )
        )
    if mock is not None:
        units.append(mock)
    return units


def _review_key(study_key: tuple[float, ...]) -> tuple[float, ...]:
    """Reviews run in the order their topics were first studied."""
    phase, _, progress, round_index, seq = study_key
    return (PH_REVIEW, phase, progress, round_index, seq)


def _pack(units: list[_Unit], caps: Sequence[int]) -> list[list[_Unit]]:
    """Cut the ordered units into weeks of exactly ``caps[i]`` blocks; never split a question."""
    queue = deque(sorted(units, key=lambda u: u.key))
    out: list[list[_Unit]] = []
    for week_blocks in caps:
        cap = week_blocks
        placed: list[_Unit] = []
        while cap > 0 and queue:
            head = queue[0]
            if head.blocks <= cap:
                placed.append(queue.popleft())
                cap -= head.blocks
                continue
            if head.question_id is None:
                placed.append(replace(head, blocks=cap))
                queue[0] = replace(head, blocks=head.blocks - cap)
                cap = 0
                continue
            filler = next(
                (
                    i
                    for i in range(1, min(len(queue), LOOKAHEAD + 1))
                    if queue[i].question_id is None and queue[i].phase == head.phase
                ),
                None,
            )
            if filler is not None:
                unit = queue[filler]
                take = min(cap, unit.blocks)
                placed.append(replace(unit, blocks=take))
                if take == unit.blocks:
                    del queue[filler]
                else:
                    queue[filler] = replace(unit, blocks=unit.blocks - take)
                cap -= take
                continue
            # the question stays whole in this week; the overflow becomes a follow-up review
            placed.append(replace(head, blocks=cap))
            queue[0] = replace(
                head, blocks=head.blocks - cap, activity="review", question=None,
                question_id=None,
            )
            cap = 0
        out.append(placed)
    if queue or any(sum(u.blocks for u in w) != c for w, c in zip(out, caps, strict=True)):
        raise AssertionError("internal: planned blocks do not fill the weeks exactly")
    return out


def _sessions(
    units: list[_Unit], start: dt.date, end: dt.date, week_blocks: int
) -> tuple[Session, ...]:
    """Order a week's units (phase, round, sequence), merge neighbours, and give them days."""
    ordered = sorted(units, key=lambda u: (u.key[0], u.key[3], u.key[1], u.key[2], u.key[4]))
    # keep each topic's sessions together, study before practice, so the week reads as a
    # sequence of topics rather than a shuffle of half-hours
    first: dict[tuple[float, str, str], int] = {}
    for i, unit in enumerate(ordered):
        first.setdefault((unit.key[0], unit.round, unit.topic), i)
    ordered = sorted(
        ordered,
        key=lambda u: (first[(u.key[0], u.round, u.topic)], ACTIVITY_ORDER.index(u.activity)),
    )
    merged: list[_Unit] = []
    for unit in ordered:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.question_id is None
            and unit.question_id is None
            and (prev.round, prev.topic, prev.activity) == (unit.round, unit.topic, unit.activity)
            and prev.blocks + unit.blocks <= MAX_SESSION_BLOCKS
        ):
            merged[-1] = replace(prev, blocks=prev.blocks + unit.blocks)
        else:
            merged.append(unit)
    days = (end - start).days + 1
    per_day = week_blocks / days
    out = []
    done = 0
    for unit in merged:
        day = min(days - 1, math.floor(done / per_day + 1e-9))
        out.append(
            Session(
                round=unit.round,
                topic=unit.topic,
                title=unit.title,
                blocks=unit.blocks,
                activity=unit.activity,
                question=unit.question,
                question_id=unit.question_id,
                date=start + dt.timedelta(days=day),
            )
        )
        done += unit.blocks
    return tuple(out)


def _focus(rubric: Rubric, units: list[_Unit]) -> str:
    """A short line on what a week is mostly about (phases with at least 15% of its time)."""
    blocks: dict[int, int] = {}
    rounds: dict[int, list[str]] = {}
    for unit in units:
        blocks[unit.phase] = blocks.get(unit.phase, 0) + unit.blocks
        titles = rounds.setdefault(unit.phase, [])
        title = rubric.round(unit.round).title
        if title not in titles:
            titles.append(title)
    total = sum(blocks.values())
    if not total:
        return ""
    top = max(blocks, key=lambda p: (blocks[p], -p))
    parts = []
    for phase in sorted(blocks):
        if phase != top and blocks[phase] < 0.15 * total:
            continue
        names = ", ".join(rounds[phase][:3])
        parts.append(
            {
                PH_SCREEN: "screen prep",
                PH_SCREEN_MOCK: "a mock screen",
                PH_FUNDAMENTALS: names,
                PH_DESIGN: f"{names} deep dives",
                PH_STORIES: "STAR stories",
                PH_REVIEW: "review",
                PH_MOCK: "mock interviews",
            }[phase]
        )
    return "; ".join(parts)


# ----- the plan ---------------------------------------------------------------------------------


def build_plan(
    rubric: Rubric,
    scores: Scores,
    *,
    hours_per_week: float,
    today: dt.date,
    interview_date: dt.date | None = None,
    logged: Mapping[str, float] | None = None,
) -> Plan:
    """The whole plan: weeks with sessions, the round split, feasibility and notes."""
    logged = dict(logged or {})
    notes: list[str] = []
    tl = rubric.timeline
    week_blocks = week_blocks_for(hours_per_week)
    week_hours = week_blocks * BLOCK

    if interview_date is None:
        notes.append(
            f"No interview date set, so this plan spans {tl.default_weeks} weeks. Add the date "
            "with `assess init --interview-date YYYY-MM-DD` to plan to the day."
        )
    elif interview_date < today:
        notes.append(
            f"Your interview date ({interview_date.isoformat()}) has passed, so this plan spans "
            f"{tl.default_weeks} weeks. If you have a new date, set it with "
            "`assess init --interview-date YYYY-MM-DD`."
        )
    weeks_n = count_weeks(today, interview_date, tl.default_weeks)
    upcoming = interview_date is not None and interview_date >= today
    compressed = upcoming and weeks_n < tl.min_weeks
    if compressed:
        days = (interview_date - today).days if interview_date else 0
        if days == 0:
            notes.append(
                "Compressed plan: your interview is today, so this is a single week. Take a "
                "light review of the biggest gaps from the top of it, rest, and good luck."
            )
        else:
            notes.append(
                f"Compressed plan: {days} day(s) to the interview gives {weeks_n} week(s), below "
                f"the recommended {tl.min_weeks}-{tl.max_weeks}. It keeps the same priorities in "
                "less time; expect some topics to stay below target, and focus on the biggest "
                "gaps first."
            )
    elif upcoming and weeks_n > tl.max_weeks:
        notes.append(
            f"Long window: {weeks_n} weeks is more than the usual {tl.min_weeks}-{tl.max_weeks}. "
            "The plan spreads the work out; re-run it weekly so it re-balances as you improve."
        )
    if abs(week_hours - hours_per_week) > 1e-9:
        notes.append(
            f"Sessions come in 0.5 h blocks, so each week plans {week_hours:g} h of your "
            f"{hours_per_week:g} h; the rest is slack."
        )

    known = {r.id for r in rubric.rounds}
    logged_known = {r.id: round(float(logged.get(r.id, 0.0)), 6) for r in rubric.rounds}
    logged_other = {k: float(v) for k, v in sorted(logged.items()) if k not in known and v}
    if logged_other:
        notes.append(
            "Hours logged on rounds this rubric does not have are not counted: "
            + ", ".join(f"{k} ({fmt_hours(v)})" for k, v in logged_other.items())
            + "."
        )

    dates = week_dates(today, interview_date if upcoming else None, weeks_n)
    caps = week_capacities(week_blocks, dates)
    if caps[-1] < week_blocks:
        days = (dates[-1][1] - dates[-1][0]).days + 1
        notes.append(
            f"Week {weeks_n} has {days} day(s) before the interview, so it plans "
            f"{fmt_hours(caps[-1] * BLOCK)} (your {fmt_hours(week_hours)} a week, by days): "
            "keep the last days light."
        )
    total_blocks = sum(caps)
    round_blocks = allocate_rounds(rubric, scores, total_blocks, logged_known, notes)
    units: list[_Unit] = []
    for index, rnd in enumerate(rubric.rounds):
        units.extend(_round_units(rubric, rnd, index, scores, round_blocks[rnd.id]))
    packed = _pack(units, caps)
    weeks = tuple(
        Week(index=i + 1, start=start, end=end,
             sessions=_sessions(packed[i], start, end, caps[i]),
             focus=_focus(rubric, packed[i]))
        for i, (start, end) in enumerate(dates)
    )

    topic_hours = {tid: 0.0 for tid in rubric.topics}
    for week in weeks:
        for s in week.sessions:
            topic_hours[s.topic] += s.hours
    hpl = rubric.planning.hours_per_level
    unreachable = []
    for sc in scores.gaps:  # biggest gaps first
        tid = sc.topic
        need = sc.gap * hpl
        have = topic_hours[tid]
        if have + 1e-9 < need:
            reaches = min(sc.target, sc.level + math.floor(have / hpl + 1e-9))
            unreachable.append(
                Unreachable(tid, sc.round, sc.title, sc.level, sc.target, reaches, need, have)
            )
    feasibility = Feasibility(
        hours_per_level=hpl,
        hours_needed=sum(sc.gap * hpl for sc in scores.topics.values()),
        hours_available=total_blocks * BLOCK,
        unreachable=tuple(unreachable),
    )
    if scores.skipped:
        notes.append(
            f"{len(scores.skipped)} topic(s) have no rating and are planned as level 1: "
            + ", ".join(scores.skipped)
            + ". Rate them with `assess rate` for a sharper plan."
        )
    allocation = Allocation(
        planned={rid: b * BLOCK for rid, b in round_blocks.items()},
        logged=logged_known,
        logged_other=logged_other,
        topics=topic_hours,
        target_shares=target_shares(rubric, scores),
        min_shares={r.id: r.min_share for r in rubric.rounds if r.min_share},
        system_design_round=system_design_round(rubric),
    )
    return Plan(
        rubric_id=rubric.meta.id,
        rubric_version=rubric.meta.version,
        today=today,
        interview_date=interview_date,
        hours_per_week=float(hours_per_week),
        week_hours=week_hours,
        weeks=weeks,
        scores=scores,
        allocation=allocation,
        feasibility=feasibility,
        compressed=bool(compressed),
        notes=tuple(notes),
    )
