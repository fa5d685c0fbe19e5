"""The checker: any plan with its inputs -> every planning rule it breaks, with session ids.

A pure function, separate from the model that builds the plan, so a plan cannot vouch for
itself. The rules (one ``rule`` name each):

- ``day-hours``: a day holds no more than its availability; nothing on a rest day, a
  blackout day, a dated screen's day or after the plan's last day; ``light``: the day before
  any stage holds at most a 0.5 h review; ``topics-per-day``: at most 3 topics a day;
  ``practice-per-day``: at most one timed practice (or mock) of a topic a day;
  ``topic-day``: at most 2 h of one topic a day (a mock aside);
  ``day-order``: in a day, no study after a practice; ``length``: no session under 1 h but
  reviews;
- ``cycle``: a topic studied in the plan gets 1 h+ of study, then two timed practices or
  more, the first on or after its first study, the last 4+ days after the first (a dated
  screen's topic: one practice, and its round's mock screen after the study); a coding
  topic at most one 1 h refresher (the rest timed drills);
- ``weekly-practice``: a round with a gap worked in a full week has a practice or mock in it;
- ``final-mock``: every open onsite round with a gap has a final mock 7 to 2 days before the
  onsite, on distinct days, heavier rounds earlier (or a note says why not), and none of the
  round's study on or after it; ``baseline``: at most one per round, none once done;
- ``screen``: before a dated screen, 60%+ of the hours to its rounds and the onsite rounds
  it tests, and no system-design mock; ``sd-share``: system design 40%+ of every full week
  after the screens (other rounds' pinned mocks and due re-attempts aside) and of all
  preparation after the screens (logged hours included), unless the plan departs with a
  note, in which case every such week has a system-design mock;
- ``deadline``: nothing for a closed round, a round's sessions before its stage's date;
- ``questions``: a question is used once (a timed redo names none);
- ``stories``: a story is written before it is rehearsed and before the behavioral mock;
- ``forecast``: hours on topics with a gap forecast more than today's readiness;
- ``jump-check``: a self-rating raised by 2+ with no support is checked within 7 days and
  before any dated screen that tests its round (or a note says there was no room).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from assess.plan.model import Plan, Session
from assess.plan.pins import fed_rounds
from assess.rubric.availability import Availability
from assess.rubric.model import Rubric

EVIDENCE_KINDS = ("reattempt", "verify")
# sessions whose day other rules fix
FIXED = ("final", "baseline", "screen", "light", *EVIDENCE_KINDS)
STUDY = ("study", "story")


@dataclass(frozen=True)
class Violation:
    rule: str
    message: str
    sessions: tuple[str, ...] = ()


def check_plan(
    plan: Plan, rubric: Rubric, *, availability: Availability,
    stage_dates: Mapping[str, dt.date] | None = None, stages_done: Collection[str] = (),
    completed: Collection[str] = (), attempts: Sequence = (),
) -> list[Violation]:
    from assess.plan.calendar import stage_infos, stage_of_rounds

    out: list[Violation] = []

    def bad(rule: str, message: str, sessions: Sequence[Session] = ()) -> None:
        out.append(Violation(rule, message, tuple(s.id for s in sessions)))

    today, onsite = plan.today, plan.interview_date
    upcoming = onsite if onsite is not None and onsite >= today else None
    sessions = [s for w in plan.weeks for s in w.sessions]
    stages = stage_infos(rubric, onsite, dict(stage_dates or {}), tuple(stages_done))
    by_round = stage_of_rounds(rubric, stages)
    closed = {r.id for r in rubric.rounds if (st := by_round[r.id]) is not None
              and not st.onsite and st.closed(today)}
    if len(closed) == len(rubric.rounds):
        closed = set()
    screens = {st.id: st.date for st in stages if not st.onsite and st.date is not None
               and st.rounds and not st.closed(today)
               and (upcoming is None or st.date < upcoming)}
    marks = set(screens.values()) | ({upcoming} if upcoming else set())
    gap = {r.id: plan.scores.round_gaps[r.id] > 0 for r in rubric.rounds}
    sd = plan.allocation.system_design_round
    by_day: dict[dt.date, list[Session]] = {}
    for s in sessions:
        by_day.setdefault(s.date, []).append(s)  # type: ignore[arg-type]
    # ----- days
    for day, items in sorted(by_day.items()):
        total = sum(s.hours for s in items)
        if day < today or (upcoming is not None and day >= upcoming) or day in marks:
            bad("day-hours", f"{day}: sessions outside the days the plan may use", items)
        if total > availability.hours_on(day) + 1e-9:
            bad("day-hours", f"{day}: {total:g} h planned, {availability.hours_on(day):g} h "
                "available", items)
        if day + dt.timedelta(days=1) in marks and (
                total > 0.5 or any(s.activity != "review" for s in items)):
            bad("light", f"{day}: the day before a stage holds more than a 0.5 h review", items)
        if len({s.topic for s in items}) > 3:
            bad("topics-per-day", f"{day}: {len({s.topic for s in items})} topics", items)
        per_topic: dict[str, float] = {}
        for s in items:
            if s.activity != "mock":
                per_topic[s.topic] = per_topic.get(s.topic, 0.0) + s.hours
        for tid, h in sorted(per_topic.items()):
            if h > 2:
                bad("topic-day", f"{day}: {h:g} h of {tid} (mocks aside)",
                    [s for s in items if s.topic == tid])
        timed = [s.topic for s in items if s.activity in ("practice", "mock")]
        if len(timed) != len(set(timed)):
            bad("practice-per-day", f"{day}: two timed practices of one topic", items)
        seen_practice = False
        for s in items:
            if s.activity == "practice" and s.kind not in EVIDENCE_KINDS:
                seen_practice = True
            elif s.activity in STUDY and seen_practice:
                bad("day-order", f"{day}: study after a practice", [s])
    for s in sessions:
        if s.hours < 1 and s.activity != "review":
            bad("length", f"{s.id}: {s.hours:g} h {s.activity}", [s])
    # ----- cycles
    topics: dict[str, list[Session]] = {}
    for s in sessions:
        topics.setdefault(s.topic, []).append(s)
    for tid, items in topics.items():
        study = [s for s in items if s.activity in STUDY]
        if not study:
            continue
        practice = [s for s in items if s.activity == "practice"
                    and s.kind not in EVIDENCE_KINDS]
        first_study = min(s.date for s in study)  # type: ignore[type-var]
        if sum(s.hours for s in study) < 1:
            bad("cycle", f"{tid}: under 1 h of study", study)
        rid = rubric.round_of[tid]
        mock = [s for s in sessions if s.round == rid and s.kind == "screen"
                and s.date >= first_study]  # type: ignore[operator]
        if len(practice) < 2 - bool(mock) or not practice:
            bad("cycle", f"{tid}: studied but not practised twice", items)
            continue
        first = min(s.date for s in practice)  # type: ignore[type-var]
        last = max(s.date for s in practice + mock)  # type: ignore[type-var]
        if first < first_study:
            bad("cycle", f"{tid}: practised before it is studied", practice)
        if (last - first).days < 4 and not mock:
            bad("cycle", f"{tid}: its second practice is not 4+ days after the first",
                practice)
        topic = rubric.topics[tid]
        if topic.questions and all(q.kind == "coding" for q in topic.questions) and sum(
                s.hours for s in study) > 1:
            bad("cycle", f"{tid}: coding studied beyond one 1 h refresher", study)
    # ----- weeks
    last_window = max(screens.values(), default=None)
    departs = any(n.startswith("Departs from the guide's 40%") for n in plan.notes)
    for w in plan.weeks:
        if (w.end - w.start).days + 1 < 7:
            continue
        items = [s for s in w.sessions if s.kind != "light"]
        for rid in {s.round for s in items}:
            if gap[rid] and not any(s.round == rid and s.activity in ("practice", "mock")
                                    for s in items):
                bad("weekly-practice", f"week {w.index}: {rid} worked with no timed practice",
                    [s for s in items if s.round == rid])
        if sd in closed or (last_window is not None and w.start < last_window):
            continue
        if departs:
            if not any(s.round == sd and s.activity == "mock" for s in w.sessions):
                bad("sd-share", f"week {w.index}: no system-design mock")
        elif (week := sum(s.hours for s in w.sessions
                          if s.round == sd or s.kind not in FIXED)) \
                and sum(s.hours for s in w.sessions if s.round == sd) < 0.4 * week - 1e-9:
            bad("sd-share", f"week {w.index}: system design under 40%", list(w.sessions))
    a = plan.allocation
    after = [s for s in sessions if last_window is None or s.date >= last_window]  # type: ignore[operator]
    mine = sum(s.hours for s in after if s.round == sd) + a.logged.get(sd, 0.0)
    every = sum(s.hours for s in after) + a.logged_total
    if sd not in closed and not departs and after and mine < 0.4 * every - 1e-9 \
            and not any("cannot reach its" in n for n in plan.notes):
        bad("sd-share", f"system design is {mine:g} of {every:g} h of the preparation after "
            "the screens")
    # ----- mocks
    finals = {s.round: s for s in sessions if s.kind == "final"}
    if upcoming is not None:
        rounds = [r for r in rubric.rounds if r.id not in closed and gap[r.id]
                  and (by_round[r.id] is None or by_round[r.id].onsite)]
        for r in rounds:
            mock = finals.get(r.id)
            if mock is None:
                if not any(n.startswith("No final mock for") and r.title in n
                           for n in plan.notes):
                    bad("final-mock", f"{r.id}: no final mock")
                continue
            if not 2 <= (upcoming - mock.date).days <= 7:  # type: ignore[operator]
                bad("final-mock", f"{r.id}: final mock outside the days 7 to 2", [mock])
            late = [s for s in sessions if s.round == r.id and s.activity in STUDY
                    and s.date >= mock.date]  # type: ignore[operator]
            if late:
                bad("final-mock", f"{r.id}: study on or after its final mock", late)
        days = [m.date for m in finals.values()]
        if len(days) != len(set(days)):
            bad("final-mock", "two final mocks on one day", list(finals.values()))
        ranked = sorted(finals.values(), key=lambda m: m.date)  # type: ignore[arg-type, return-value]
        weights = [rubric.round(m.round).weight for m in ranked]
        if weights != sorted(weights, reverse=True):
            bad("final-mock", "a lighter round's final mock before a heavier one's", ranked)
    for r in rubric.rounds:
        base = [s for s in sessions if s.round == r.id and s.kind == "baseline"]
        qids = {q.id for t in r.topics for q in t.questions}
        done = any(c.endswith("-baseline") and any(c.startswith(q or "?") for q in qids)
                   for c in completed) or any(x.question in qids for x in attempts)
        if len(base) > 1 or (base and done):
            bad("baseline", f"{r.id}: a baseline mock again", base)
    # ----- screens
    onsite_ids = [r.id for r in rubric.rounds if r.id not in closed
                  and (by_round[r.id] is None or by_round[r.id].onsite)]
    for sid, date in screens.items():
        st = next(x for x in stages if x.id == sid)
        counted = set(st.rounds)
        for rid in st.rounds:
            counted |= set(fed_rounds(rubric, rubric.round(rid), onsite_ids))
        if not any(gap[r] for r in counted - closed):
            continue  # nothing to prepare for it: no window to keep
        before = [s for s in sessions if s.date < date]  # type: ignore[operator]
        own = sum(s.hours for s in before if s.round in counted)
        total = sum(s.hours for s in before)
        if own < 0.6 * total - 1e-9:
            bad("screen", f"{sid}: {own:g} of {total:g} h before it go to it",
                [s for s in before if s.round not in counted])
        sdm = [s for s in before if s.round == sd and s.activity == "mock"]
        if sdm:
            bad("screen", f"{sid}: a system-design mock before it", sdm)
    # ----- deadlines, questions, stories, forecast
    for s in sessions:
        st = by_round.get(s.round)
        if s.round in closed:
            bad("deadline", f"{s.id}: its stage is behind you", [s])
        elif st is not None and not st.onsite and st.date is not None and s.date >= st.date:  # type: ignore[operator]
            bad("deadline", f"{s.id}: on or after its stage's date", [s])
    qs = [s for s in sessions if s.question_id and s.kind not in ("write",)]
    seen: dict[str, Session] = {}
    for s in qs:
        if s.question_id in seen:
            bad("questions", f"{s.question_id}: used twice", [seen[s.question_id], s])  # type: ignore[index]
        seen[s.question_id] = s  # type: ignore[index]
    writes = [s for s in sessions if s.kind == "write"]
    for s in sessions:
        if s.kind == "rehearsal" or (s.round == "behavioral" and s.activity == "mock"):
            early = [x for x in writes if x.topic == s.topic or s.activity == "mock"]
            if any(x.date > s.date for x in early):  # type: ignore[operator]
                bad("stories", f"{s.id}: before a story it needs is written", [s])
    from assess.plan.evidence import JUMP_CHECK_DAYS, screens_testing

    dated_screens = {r.id: screens.get(st.id) if (st := by_round[r.id]) is not None else None
                     for r in rubric.rounds}
    for tid, ev in (plan.evidence or {}).items():
        rid = rubric.round_of.get(tid)
        if getattr(ev, "jump", None) is None or ev.status != "unverified" or rid is None \
                or rid in closed:
            continue
        by = min([today + dt.timedelta(days=JUMP_CHECK_DAYS),
                  *screens_testing(rubric, rid, dated_screens)])
        checks = [s for s in sessions if s.topic == tid and s.kind == "verify"]
        late = [s for s in checks if s.date is not None and s.date >= by]
        if late:
            bad("jump-check", f"{tid}: its check falls on or after {by}", late)
        elif not checks and not any(rubric.topics[tid].title in n and "jump" in n
                                    for n in plan.notes):
            bad("jump-check", f"{tid}: a jump with no check and no note why")
    from assess.plan.forecast import expected

    hours: dict[str, float] = {}
    for s in sessions:
        hours[s.topic] = hours.get(s.topic, 0.0) + s.hours
    weighs = {r.id: r.weight > 0 for r in rubric.rounds}  # a round of weight 0 moves nothing
    if any(plan.scores.topics[t].gap > 0 and h > 0 and weighs[plan.scores.topics[t].round]
           and plan.scores.topics[t].weight > 0 for t, h in hours.items()):
        now, exp = expected(rubric, plan.scores, [r.id for r in rubric.rounds], hours)
        if exp <= now + 1e-12:
            bad("forecast", "hours are planned but the forecast is no higher than today")
    return out
