"""Planning: the calendar, hours per round, week and topic, mocks, sessions, feasibility.

Pure functions of (rubric, scores, hours per week, today, onsite and stage dates, stages done,
hours logged); no I/O. All hours are counted in 0.5 h blocks (integers), so sums are exact.
The pieces live in ``plan_calendar`` (stages, weeks, days), ``plan_split`` (rounds, topics),
``plan_weeks`` (each round over the weeks) and ``plan_sessions`` (sessions and days).

**Stages and dates.** The onsite date is the interview date; earlier stages (for discord-mle
the recruiter and technical screens) may have their own dates. A round's sessions fall before
its stage's date; a stage marked done, or whose date is today or past, gets no new hours (its
logged hours still count). An undated screen is prepared in week 1, and the plan says how to
date it. The day of a screen holds nothing, the day before any stage only a 0.5 h light review.

**Weeks.** ``ceil(days to the onsite / 7)`` (21, 28, 35 days give 3, 4, 5 weeks). Without an
onsite date (or with one already past) the plan spans ``timeline.default_weeks`` (4). A full
week plans the weekly hours rounded *down* to 0.5 h; a last week cut short by the onsite gets
its share by days, plus the light review on the day before. The guide's "3 to 5 weeks" is the
whole process from screen to offer: a shorter plan is marked compressed and says what that
means, a longer one that it re-balances weekly.

**Round split** (over the whole preparation: hours logged plus hours planned, ``T``):

1. target share ``s_r = (1 - LEAN) w_r + LEAN * (w_r g_r / sum(w g))`` over the open rounds
   (``w_r`` the rubric weight rescaled over them, ``g_r`` the round's weighted mean normalised
   gap, ``LEAN = 0.5``);
2. each round wants ``max(0, s_r T - logged_r)`` more hours, so past under-spending is made up;
3. floors: a round with ``min_share`` gets at least ``min_share T - logged_r`` and at least the
   sum of its weekly floors (below); every open round with a gap gets at least one block;
4. caps: a screen round can use only the days before its date; a round whose topics are all at
   target (and has no min_share) gets maintenance only, at most 0.5 h a week;
5. the blocks are apportioned proportionally within floors and caps (water-filling), rounded
   with the largest-remainder method (ties in rubric order).

**Weeks per round** (``plan_weeks``): mocks are pinned first; each screen round fills the weeks
before its date; the min-share round gets ``ceil(min_share x week)`` of every full week from
week 1 (a week a screen needs may give it less, and the plan says which screen took the time);
before a screen, the onsite rounds the screen also tests come next; the rest is spread week by
week in proportion to what each round still needs.

**Topics** within a round get blocks by priority (normalised gap x topic weight), capped at
what their gap needs (``gap x planning.hours_per_level``); hours beyond every need go to all
the round's topics by weight. A topic's target is the profile's target level, one level lower
for advanced ("less common") topics, or the rubric's own ``target`` / ``target_offset``.

**Sessions** (``plan_sessions``): a topic with a gap is studied, then practised on a question,
then re-practised on another question (or reviewed, naming the question to redo) in a later
week. A practice session lasts at least its question's minutes plus 15 minutes of write-up; a
mock a full 45-minute slot plus 30 minutes of write-up and debrief. Mocks: a baseline for
system design and coding in week 1 (plans of 3+ weeks), a mock screen before each dated screen,
and a final mock per onsite round on distinct days 7 to 2 days before the onsite. Each rubric
question is used at most once in a plan.

**Stories** (``plan_stories``): given the story bank, a behavioral topic with a question no
story answers gets "Write a story for <question>" as its first story session; the other story
sessions become timed rehearsals (about 3 minutes, out loud) of the stories already written.

**Feasibility.** Closing a gap needs ``gap levels x hours_per_level`` hours. The plan leads
with the readiness to expect on each stage date (levels reached by the hours placed before
it), then the shortfalls that matter most; every topic whose planned hours stay below its need
is named, with the level it can reach. When the hours fall short it says what one level lower
would mean (for example "level 3, Working: below interview-ready") and whether it would fit.

Everything is deterministic: ties break in rubric order, floats are rounded in the JSON.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from assess.errors import InputError
from assess.evidence.practice import Attempt, Evidence, reattempts
from assess.evidence.scoring import Scores
from assess.plan.calendar import (
    StageInfo,
    build_calendar,
    count_weeks,
    stage_infos,
    stage_of_rounds,
    week_dates,
)
from assess.plan.days import place_days
from assess.plan.evidence import evidence_pins
from assess.plan.forecast import lower_target, stage_forecasts
from assess.plan.model import (  # noqa: F401 - re-exported: the planner's public results
    ACTIVITIES,
    BLOCK,
    Activity,
    Allocation,
    Feasibility,
    LowerTarget,
    Plan,
    Session,
    StageForecast,
    Unreachable,
    Week,
    fmt_hours,
    round_hours,
    round_ratio,
)
from assess.plan.pins import avail_by_week, fed_rounds, plan_mocks, round_deadlines
from assess.plan.sessions import Unit, round_weeks
from assess.plan.split import (  # noqa: F401 - re-exported
    LEAN,
    RoundLimits,
    allocate_rounds,
    allocate_topics,
    apportion,
    need_blocks,
    target_shares,
)
from assess.plan.stories import with_stories
from assess.plan.weeks import Screen, spread_weeks
from assess.rubric.model import Rubric
from assess.stories.star import Story

__all__ = ["apportion", "build_plan", "count_weeks", "week_dates", "week_blocks_for"]



def week_blocks_for(hours_per_week: float) -> int:
    """Blocks in one week: hours per week rounded down to 0.5 h."""
    if not math.isfinite(hours_per_week) or hours_per_week < BLOCK:
        raise InputError(f"hours per week must be at least {BLOCK} (got {hours_per_week!r})")
    return math.floor(hours_per_week / BLOCK + 1e-9)


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


# ----- the plan ---------------------------------------------------------------------------------


def _window_notes(
    rubric: Rubric, today: dt.date, interview_date: dt.date | None, weeks_n: int, notes: list[str]
) -> bool:
    """Notes on the plan's length; returns whether it is compressed."""
    tl = rubric.timeline
    if interview_date is None:
        notes.append(
            f"No onsite date set, so this plan spans {tl.default_weeks} weeks. Add the date "
            "with `assess init --interview-date YYYY-MM-DD` to plan to the day."
        )
        return False
    if interview_date < today:
        notes.append(
            f"Your onsite date ({interview_date.isoformat()}) has passed, so this plan spans "
            f"{tl.default_weeks} weeks. If you have a new date, set it with "
            "`assess init --interview-date YYYY-MM-DD`."
        )
        return False
    days = (interview_date - today).days
    if weeks_n < tl.min_weeks:
        if days == 0:
            notes.append(
                "Your onsite is today: the plan is one light review of your notes. Rest, "
                "and good luck."
            )
        else:
            notes.append(
                f"Compressed plan: {days} day(s) to the onsite. The guide's {tl.min_weeks}-"
                f"{tl.max_weeks} weeks is the whole process from first screen to offer, not a "
                "preparation window, so this is not a warning; but with this little time the "
                "plan goes to the biggest gaps first, and some topics will stay below target "
                "(see the feasibility section)."
            )
        return True
    if weeks_n > tl.max_weeks:
        notes.append(
            f"Long runway: {weeks_n} weeks of preparation. The plan spreads the work out and "
            "re-balances each week you check in, so re-run it weekly."
        )
    return False


def build_plan(
    rubric: Rubric,
    scores: Scores,
    *,
    hours_per_week: float,
    today: dt.date,
    interview_date: dt.date | None = None,
    logged: Mapping[str, float] | None = None,
    stage_dates: Mapping[str, dt.date] | None = None,
    stages_done: Sequence[str] = (),
    attempts: Sequence[Attempt] = (),
    evidence: Mapping[str, Evidence] | None = None,
    topic_logged: Mapping[str, float] | None = None,
    done_questions: Collection[str] = (),
    completed: Collection[str] = (),
    stories: Sequence[Story] | None = None,
    baselines_done: Collection[str] = (),
) -> Plan:
    """The whole plan: weeks with sessions, the round split, feasibility and notes.

    ``attempts`` (practice attempts so far), ``evidence`` (topic id -> what attempts say of
    its rating), ``topic_logged`` (topic id -> hours logged on it since it was rated),
    ``done_questions`` (questions of sessions marked done) and ``completed`` (ids of sessions
    marked done) are what the candidate has done: attempted questions come back only as
    spaced re-attempts, logged hours lower a topic's need, and done sessions' ids are not
    used again. ``baselines_done``: rounds whose baseline mock is done or past (booked once
    per round per candidate). ``stories`` (the story bank) turns story sessions into writing
    the missing stories and rehearsing the written ones (``assess.plan.stories``); None
    leaves them as planned."""
    credit = {k: max(0.0, float(v)) for k, v in (topic_logged or {}).items()}
    logged = dict(logged or {})
    notes: list[str] = []
    week_blocks = week_blocks_for(hours_per_week)
    week_hours = week_blocks * BLOCK
    weeks_n = count_weeks(today, interview_date, rubric.timeline.default_weeks)
    compressed = _window_notes(rubric, today, interview_date, weeks_n, notes)
    upcoming = interview_date is not None and interview_date >= today
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

    stages = stage_infos(rubric, interview_date, dict(stage_dates or {}), tuple(stages_done))
    by_round = stage_of_rounds(rubric, stages)
    closed = frozenset(
        r.id for r in rubric.rounds
        if (st := by_round[r.id]) is not None and not st.onsite and st.closed(today)
    )
    if len(closed) == len(rubric.rounds):
        closed = frozenset()
    for st in stages:
        if not st.onsite and st.rounds and st.closed(today):
            why = "marked done" if st.done else f"on {st.date.isoformat() if st.date else ''}"
            notes.append(f"The {st.title} is behind you ({why}): its rounds get no new hours; "
                         "hours you logged on them still count.")
    dates = week_dates(today, interview_date if upcoming else None, weeks_n)
    horizon_end = dates[-1][1] + dt.timedelta(days=1)
    deadlines = round_deadlines(rubric, by_round, closed, today, horizon_end, notes)
    dated_screens = {
        r.id for r in rubric.rounds
        if deadlines[r.id] is not None and (st := by_round[r.id]) is not None
        and st.date is not None and st.date == deadlines[r.id]
    }
    marks = sorted({d for rid, d in deadlines.items() if rid in dated_screens and d is not None})
    cal = build_calendar(today, interview_date if upcoming else None, weeks_n, week_blocks, marks)
    caps = list(cal.capacities)
    if len(caps) > 1 and cal.onsite is not None and caps[-1] < week_blocks:
        days = (dates[-1][1] - dates[-1][0]).days + 1
        notes.append(
            f"Week {weeks_n} has {days} day(s) before the onsite, so it plans "
            f"{fmt_hours(caps[-1] * BLOCK)} (your {fmt_hours(week_hours)} a week, by days, and "
            "a light review the day before): keep the last days light."
        )
    total_blocks = sum(caps)
    avail = {r.id: avail_by_week(cal, deadlines[r.id], r.id in closed) for r in rubric.rounds}

    sd = system_design_round(rubric)
    sd_round = rubric.round(sd)
    floors = [
        math.ceil((sd_round.min_share or 0) * caps[w] - 1e-9)
        if cal.full(w) and sd not in closed else 0
        for w in range(len(caps))
    ]
    used: set[str] = {a.question for a in attempts} | set(done_questions)
    evidence_booked = evidence_pins(rubric, cal, attempts, evidence or {}, deadlines, closed,
                                    used, today, notes)
    demand: dict[str, int] = {}
    for pin in evidence_booked:
        demand[pin.round] = demand.get(pin.round, 0) + pin.unit.blocks
    any_gap = any(scores.round_gaps[r.id] > 0 for r in rubric.rounds if r.id not in closed)
    maintenance = frozenset(
        r.id for r in rubric.rounds
        if any_gap and r.id not in closed and scores.round_gaps[r.id] <= 0 and not r.min_share
    )
    upper: dict[str, int | None] = {}
    for r in rubric.rounds:
        if r.id in closed:
            upper[r.id] = 0
        elif r.id in maintenance:
            upper[r.id] = sum(1 for a in avail[r.id] if a > 0) + demand.get(r.id, 0)
        elif deadlines[r.id] is not None:
            upper[r.id] = sum(avail[r.id])
        else:
            upper[r.id] = None
    extra_floor = {sd: sum(floors)}
    for rid, blocks in demand.items():
        extra_floor[rid] = extra_floor.get(rid, 0) + blocks if rid != sd else max(
            extra_floor[rid], blocks)
    hpl = rubric.planning.hours_per_level
    for rid in dated_screens:
        # the next gate comes first: a dated screen gets what its gaps need, up to half of
        # the time before it (the rest keeps the weekly system-design habit going)
        need = sum(need_blocks(scores.topics[t.id], hpl, credit.get(t.id, 0.0))
                   for t in rubric.round(rid).topics)
        extra_floor[rid] = max(extra_floor.get(rid, 0), min(need, sum(avail[rid]) // 2))
    totals = allocate_rounds(
        rubric, scores, total_blocks, logged_known, notes,
        RoundLimits(upper=upper, extra_floor=extra_floor, credit=credit), closed,
    )

    mocks, final_days = plan_mocks(
        rubric, scores, cal, totals, deadlines, dated_screens, closed, used, avail, floors, sd,
        booked=evidence_booked, baselines_done=frozenset(baselines_done),
    )
    mocks = [*evidence_booked, *mocks]
    onsite_ids = [r.id for r in rubric.rounds if deadlines[r.id] is None and r.id not in closed]
    screens = [
        Screen(r.id, (by_round[r.id].title if by_round[r.id] else r.title),
               fed_rounds(rubric, r, onsite_ids))
        for r in sorted((r for r in rubric.rounds if deadlines[r.id] is not None),
                        key=lambda r: (deadlines[r.id], rubric.rounds.index(r)))
    ]
    pins: dict[tuple[str, int], int] = {}
    for m in mocks:
        pins[(m.round, m.week)] = pins.get((m.round, m.week), 0) + m.unit.blocks
    gap_weight = {r.id: r.weight * scores.round_gaps[r.id] for r in rubric.rounds}
    matrix = spread_weeks(
        [r.id for r in rubric.rounds], totals, caps, avail, pins=pins, screens=screens,
        floor_round=sd if sd_round.min_share and sd not in closed else None,
        floor_title=sd_round.title, floors=floors, maintenance=maintenance,
        gap_weight=gap_weight, notes=notes,
    )

    per_week: list[list[Unit]] = [[] for _ in caps]
    for rnd in rubric.rounds:
        budgets = matrix[rnd.id]
        own = [m for m in mocks if m.round == rnd.id]
        topic_blocks = allocate_topics(
            rubric, rnd, scores, sum(budgets) - sum(m.unit.blocks for m in own), credit
        )
        for w, units in enumerate(round_weeks(rubric, rnd, scores, budgets, topic_blocks,
                                              own, used)):
            per_week[w].extend(units)
    weeks = tuple(
        Week(
            index=w + 1, start=start, end=end,
            sessions=place_days(per_week[w], cal, w, deadlines, final_days),
            focus=_focus(rubric, per_week[w]),
        )
        for w, (start, end) in enumerate(dates)
    )
    if stories is not None:
        weeks = with_stories(weeks, rubric, stories)
    weeks = _with_ids(weeks, set(completed))
    plan = _finish(rubric, scores, weeks, stages, notes, credit, today=today,
                   interview_date=interview_date, hours_per_week=hours_per_week,
                   week_hours=week_hours, logged_known=logged_known, logged_other=logged_other,
                   closed=closed, compressed=compressed, upcoming=upcoming)
    return replace(plan, evidence=dict(evidence or {}),
                   reattempts=_reattempts(attempts, weeks, cal.onsite))


def _reattempts(attempts: Sequence[Attempt], weeks: Sequence[Week],
                onsite: dt.date | None = None) -> tuple[dict, ...]:
    """Every attempted question with its FSRS due date and the day the plan booked it."""
    booked = {s.question_id: s.date for w in weeks for s in w.sessions
              if s.kind == "reattempt" and s.date is not None}
    return tuple(
        {**r.to_json(), "planned": booked[r.question].isoformat()
         if r.question in booked else None}
        for r in reattempts(attempts, onsite)
    )


def _with_ids(weeks: tuple[Week, ...], completed: set[str]) -> tuple[Week, ...]:
    """Give every session a stable id that does not depend on its date: a practice question's
    id with the activity (and kind), else the topic and activity with a count in plan order,
    skipping ids of sessions already done. A re-plan that only moves sessions keeps their ids
    (and so their calendar events); a done session's id never comes back."""
    seen: dict[str, int] = {}
    out = []
    for week in weeks:
        sessions = []
        for s in week.sessions:
            if s.question_id:
                base = f"{s.question_id}-{s.kind or s.activity}"
            else:
                base = f"{s.topic}-{s.kind or s.activity}"
            while True:
                seen[base] = seen.get(base, 0) + 1
                sid = base if s.question_id and seen[base] == 1 else f"{base}-{seen[base]}"
                if sid not in completed:
                    break
            sessions.append(replace(s, id=sid))
        out.append(replace(week, sessions=tuple(sessions)))
    return tuple(out)


def _focus(rubric: Rubric, units: Sequence[Unit]) -> str:
    """A short line on what a week is mostly about: its biggest rounds, and its mocks."""
    blocks: dict[str, int] = {}
    for u in units:
        blocks[u.round] = blocks.get(u.round, 0) + u.blocks
    total = sum(blocks.values())
    if not total:
        return ""
    order = [r.id for r in rubric.rounds]
    top = sorted(blocks, key=lambda rid: (-blocks[rid], order.index(rid)))
    parts = [rubric.round(rid).title for rid in top if blocks[rid] >= 0.15 * total][:3]
    kinds = sorted({u.pin for u in units if u.activity == "mock"},
                   key=["screen", "baseline", "final"].index)
    words = {"screen": "a mock screen", "baseline": "baseline mocks", "final": "final mocks"}
    return "; ".join([", ".join(parts), *(words[k] for k in kinds)])


def _finish(
    rubric: Rubric, scores: Scores, weeks: tuple[Week, ...], stages: Sequence[StageInfo],
    notes: list[str], credit: Mapping[str, float], *, today: dt.date,
    interview_date: dt.date | None,
    hours_per_week: float, week_hours: float, logged_known: dict[str, float],
    logged_other: dict[str, float], closed: frozenset[str], compressed: bool, upcoming: bool,
) -> Plan:
    topic_hours = {tid: 0.0 for tid in rubric.topics}
    planned = {r.id: 0.0 for r in rubric.rounds}
    for week in weeks:
        for s in week.sessions:
            topic_hours[s.topic] += s.hours
            planned[s.round] += s.hours
    hpl = rubric.planning.hours_per_level
    unreachable = []
    for sc in scores.gaps:  # biggest gaps first
        if sc.round in closed:
            continue  # its stage is behind you: nothing left to plan for it
        need = max(0.0, sc.gap * hpl - credit.get(sc.topic, 0.0))
        have = topic_hours[sc.topic]
        if have + 1e-9 < need:
            reaches = min(sc.target, sc.level + math.floor(have / hpl + 1e-9))
            unreachable.append(
                Unreachable(sc.topic, sc.round, sc.title, sc.level, sc.target, reaches, need,
                            have)
            )
    available = sum(w.hours for w in weeks)
    needed = sum(max(0.0, sc.gap * hpl - credit.get(sc.topic, 0.0))
                 for sc in scores.topics.values() if sc.round not in closed)
    forecasts = stage_forecasts(rubric, scores, stages, weeks, today,
                           interview_date is not None and not upcoming)
    feasibility = Feasibility(
        hours_per_level=hpl,
        hours_needed=needed,
        hours_available=available,
        unreachable=tuple(unreachable),
        forecasts=forecasts,
        needs={sc.topic: max(0.0, sc.gap * hpl - credit.get(sc.topic, 0.0))
               for sc in scores.topics.values() if sc.round not in closed},
        lower_target=(
            lower_target(rubric, scores, available, closed) if needed > available else None
        ),
    )
    if scores.skipped:
        notes.append(
            f"{len(scores.skipped)} topic(s) have no rating and are planned as level 1: "
            + ", ".join(scores.skipped)
            + ". Rate them with `assess rate` for a sharper plan."
        )
    allocation = Allocation(
        planned=planned,
        logged=logged_known,
        logged_other=logged_other,
        topics=topic_hours,
        target_shares=target_shares(rubric, scores, closed),
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
        stages=forecasts,
    )
