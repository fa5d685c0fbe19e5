"""Planning: the week the candidate has, a model of the rules, a solver, a checker.

Pure functions of (rubric, scores, availability, today, onsite and stage dates, stages done,
hours logged, attempts, completed sessions); no I/O. Hours are counted in 0.5 h blocks.

**The days** (``assess.plan.grid``). Weeks run from today to the day before the onsite (21, 28, 35
days give 3, 4, 5 weeks; 4 weeks without a date). Each date holds what the availability
gives that weekday (``assess.rubric.availability``: hours per weekday, rest days, blackout dates),
except a dated screen's own day (nothing) and the day before any stage (at most one 0.5 h
light review). Before the model, the rules that fix a day *pin* sessions: a final mock per
onsite round with a gap on distinct days 7 to 2 before the onsite, heaviest round first; a
mock screen on the last full day before a dated screen; a baseline mock per design or coding
round once per candidate (never again once done: a completed ``*-baseline`` session or an
attempt on the round); spaced re-attempts and checks of unverified ratings; one
system-design mock a week when system design departs from the guidance (below).

**The model** (``assess.plan.solve``, HiGHS; its docstring has the details). The free days
are cut into *segments* (a week, split at each dated screen and each round's final mock).
Variables, per topic and segment: hours of study (whole hours), timed 1 h practices, half
hours of review; per topic: funded or not, and the segments of its first and last practice.
Constraints:

- a segment holds no more than its free blocks, no more 1 h sessions than its days have whole
  free hours, one timed practice of a topic a day and 2 h of a topic a day; a round works
  only before its stage's date, studies only before its final mock; nothing for a stage that
  is done or past;
- whole cycles: a funded topic with a gap gets 1 h+ of study, then two or more timed
  practices, the last 4+ days after the first (a coding topic: one 1 h refresher, then timed
  drills; a dated screen's topic: one practice, its mock screen is the second); no more
  cycles open and close in a segment than its days can hold;
- before each dated screen at least 60% of the hours go to the screen's round and the onsite
  rounds it tests (no system-design mock falls there);
- system design at least 40% of every full week after the screens (other rounds' fixed mocks
  and checks aside) and of all preparation after the screens, logged hours included; when
  every system-design topic is at target *and* an attempt of 75%+ inside the time box
  supports it, this becomes one mock a week and the plan says it departs from the guidance,
  and why;
- a round with a gap worked in a full week has a timed practice or mock in it; every open
  round with a gap gets a whole cycle, and every onsite round a floor of its part of the
  weighted gaps (these and the shares are soft, at a penalty).

Objective: the readiness gained (each hour on a topic, up to what its gap needs, is worth
``round weight x topic weight / ((target - 1) x hours_per_level)``, the screens' own topics
three times before their screen), a little for every block used, minus the penalties. One
thread, a fixed seed, a node limit, an absolute gap and no randomised heuristics: the same
inputs give the same plan, and the work is bounded deterministically (never by wall time).

**The days of each session** (``assess.plan.place``): within each segment, cycles open (an
hour of study, then the first practice) and close (the last practice 4+ days later) before the rest
of the study and the extra practice; reviews fill half hours last; a day never holds more
than its free blocks nor more than 3 topics, study before practice; fillers never break a
share; a week under 40% gives back other rounds' extras. ``assess.plan.check.check_plan``
proves every rule on any plan: a cycle the days cannot hold becomes a cut and the model is
solved again, and a rule the finished plan still breaks leaves the least valuable topic at
fault out (tests run the checker over generated candidates).

**Protect and not this time** (``assess.plan.triage``): the funded topics with the level each
should reach, and the topics left out (advanced "less common" ones first), each with why.

**The forecast rule.** Each hour planned on a topic moves it ``1 / hours_per_level`` of a
level, up to its target; readiness is linear in the level, so the forecast on a stage's date
counts the hours planned before it, partial levels included: a plan with hours on a gap never
forecasts zero gain. Feasibility names every topic that stays below target.

Sessions keep their ids: a practice question's id with the activity (or kind), else the topic
and activity with a count; a done session's id never comes back.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import replace

from assess.errors import InputError
from assess.evidence.practice import Attempt, Evidence, reattempts
from assess.evidence.scoring import Scores
from assess.plan.build import build
from assess.plan.calendar import (
    StageInfo,
    count_weeks,
    stage_infos,
    stage_of_rounds,
    week_dates,
)
from assess.plan.check import Violation, check_plan
from assess.plan.days import _sessions
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
from assess.plan.pins import round_deadlines
from assess.plan.sessions import Unit
from assess.plan.split import (  # noqa: F401 - re-exported
    LEAN,
    apportion,
    need_blocks,
    target_shares,
)
from assess.plan.stories import with_stories
from assess.plan.triage import triage
from assess.rubric.availability import Availability, short_form
from assess.rubric.model import Rubric
from assess.stories.star import Story

__all__ = ["apportion", "build_plan", "count_weeks", "week_dates", "week_blocks_for"]



MAX_CUTS = 3  # re-solves with a topic left out, when the days break a rule the model kept


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
                "Your onsite is today: nothing new to plan. Rest, and good luck."
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
    availability: Availability | None = None,
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
    week_blocks_for(hours_per_week)
    avail = availability or Availability(short_form(hours_per_week))
    week_hours = avail.week_hours
    weeks_n = count_weeks(today, interview_date, rubric.timeline.default_weeks)
    compressed = _window_notes(rubric, today, interview_date, weeks_n, notes)
    upcoming = interview_date is not None and interview_date >= today
    if availability is None and abs(week_hours - hours_per_week) > 1e-9:
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
    sd = system_design_round(rubric)
    banned: frozenset[str] = frozenset()
    base_notes = list(notes)
    for _ in range(MAX_CUTS + 1):
        notes = list(base_notes)
        used: set[str] = {a.question for a in attempts} | set(done_questions)
        built = build(
            rubric, scores, today=today, onsite=interview_date if upcoming else None,
            weeks_n=weeks_n, avail=avail, stages=stages, by_round=by_round,
            deadlines=deadlines, closed=closed, sd=sd, credit=credit, logged=logged_known,
            attempts=attempts, evidence=evidence or {}, completed=set(completed), used=used,
            baselines_done=baselines_done, banned=banned,
        )
        notes.extend(built.notes)
        if not built.funding.funded and sum(d.cap for d in built.grid.days) > 0 and any(
                scores.round_gaps[r.id] > 0 for r in rubric.rounds if r.id not in closed):
            if max((d.cap for d in built.grid.days if d.kind == "normal"), default=0) < 2:
                notes.append("None of your days before the onsite has a whole free hour, and "
                             "every session needs one (an hour of study, a timed practice): "
                             "give some days an hour with `assess init --day-hours`.")
            else:
                notes.append("No topic could be funded with a whole cycle (study, then two "
                             "timed practices 4+ days apart) in the days left: the plan holds "
                             "only the fixed sessions.")
        by_week: list[list[tuple[dt.date, Unit]]] = [[] for _ in built.grid.weeks]
        week_of = {d.date: d.week for d in built.grid.days}
        for date, unit in built.dated:
            by_week[week_of[date]].append((date, unit))
        weeks = tuple(
            Week(index=w + 1, start=start, end=end, sessions=_day_sessions(by_week[w]),
                 focus=_focus(rubric, [u for _, u in by_week[w]]))
            for w, (start, end) in enumerate(built.grid.weeks)
        )
        if stories is not None:
            weeks = with_stories(weeks, rubric, stories)
        weeks = _with_ids(weeks, set(completed))
        plan = _finish(rubric, scores, weeks, stages, notes, credit, today=today,
                       interview_date=interview_date, hours_per_week=hours_per_week,
                       week_hours=week_hours, logged_known=logged_known,
                       logged_other=logged_other, closed=closed, compressed=compressed,
                       upcoming=upcoming)
        plan = replace(plan, evidence=dict(evidence or {}))
        # the checker is the proof: a rule the days could not keep becomes a cut (the topic
        # at fault is left out) and the model is solved again
        found = check_plan(plan, rubric, availability=avail, stage_dates=stage_dates,
                           stages_done=stages_done, completed=completed, attempts=attempts)
        cut = culprits(found, plan, built.values, sd) - banned
        if not cut:
            break
        banned = banned | cut
    lists = triage(rubric, scores, plan, built, closed, credit, deadlines)
    onsite = interview_date if upcoming else None
    return replace(plan, reattempts=_reattempts(attempts, weeks, onsite),
                   availability=avail.to_json(), week_shape=avail.shape(today), **lists)


def culprits(found: Sequence[Violation], plan: Plan, values: Mapping[str, float],
             sd: str) -> frozenset[str]:
    """For each broken rule, the least valuable topic whose own (unpinned) sessions break it:
    system design is never the culprit of its own share."""
    sessions = {s.id: s for w in plan.weeks for s in w.sessions}
    out = set()
    for v in found:
        mine = [sessions[i] for i in v.sessions if i in sessions]
        topics = {s.topic for s in mine if s.kind in ("", "write", "rehearsal")
                  and s.topic in values and not (v.rule == "sd-share" and s.round == sd)}
        if topics:
            out.add(min(topics, key=lambda t: (values[t], t)))
    return frozenset(out)


def _day_sessions(dated: list[tuple[dt.date, Unit]]) -> tuple[Session, ...]:
    """Units with their dates as sessions, each day in order: study, practice, review, mock."""
    order = {"study": 0, "story": 0, "practice": 1, "review": 2, "mock": 3}
    ranked = sorted(enumerate(dated), key=lambda iu: (iu[1][0], order[iu[1][1].activity],
                                                       iu[0]))
    return _sessions([(d, i, u) for i, (d, u) in ranked])


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
                   key=["screen", "baseline", "weekly", "final"].index)
    words = {"screen": "a mock screen", "baseline": "baseline mocks",
             "weekly": "a system-design mock", "final": "final mocks"}
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
