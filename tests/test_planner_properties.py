"""The planner's invariants over random valid rubrics, ratings, hours and dates (hypothesis).

- every week's sessions add up exactly to the week's hours (hours per week, rounded down to
  0.5 h), and the weeks add up to the whole plan;
- no session is under 0.5 h, and every session is a whole number of 0.5 h blocks;
- a round with a min_share (system design: 40%) gets at least that share of logged + planned
  hours, whenever the planned hours can reach it;
- no round with a gap gets 0 hours, whenever there are enough blocks to go round;
- no practice question is used twice, and every one is the rubric's own;
- the same inputs give byte-identical JSON, whatever the order of the input mappings;
- stages (issue 9): every session of a round in a dated stage falls strictly before that date;
  rounds of a closed stage (done, or dated today or earlier) get no hours;
- the weekly habit: every full week gives the min-share round ``ceil(min_share x week)`` blocks,
  unless a note names the week a screen took;
- on the bundled rubric, every core system-design topic with a gap is met in two weeks;
- mocks: a final mock falls 2-7 days before the onsite; the day before the onsite (and before
  an open dated screen) holds at most a 0.5 h review; a screen's own day holds nothing;
- a practice or mock session is never shorter than its question's minutes plus 15;
- advanced topics aim one level lower unless the rubric says otherwise; a round at its target
  (with no min_share) gets at most 0.5 h a week while another open round has a gap.

Random rubrics sometimes carry a timeline with a ``screen`` stage (listing the screen rounds)
and an ``onsite`` stage (listing the onsite rounds); the case then gives the screen stage a
random date (or none) and sometimes marks it done.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from assess.evidence.scoring import score
from assess.plan.check import check_plan
from assess.plan.planner import BLOCK, apportion, build_plan, count_weeks
from assess.rubric.availability import Availability, short_form
from assess.rubric.model import Rubric, load_rubric, parse_rubric

KINDS = ("design", "coding", "theory", "behavioral")
CRITERIA = ("role-knowledge", "problem-solving", "craftsmanship", "culture-values")


@st.composite
def rubrics(draw: st.DrawFn) -> Rubric:
    """A random rubric that passes validation: 1-5 rounds, 1-4 topics each, 0-3 questions
    (each with an id and a 3-point checklist)."""
    n_rounds = draw(st.integers(1, 5))
    staged = draw(st.booleans())
    parts = draw(st.lists(st.integers(0, 10), min_size=n_rounds, max_size=n_rounds).filter(
        lambda xs: sum(xs) > 0))
    total = sum(parts)
    rounds = []
    serial = 0
    for i, part in enumerate(parts):
        weight = part / total
        floor = draw(st.sampled_from([None, None, 0.0, 0.5, 1.0]))
        topics = []
        for _ in range(draw(st.integers(1, 4))):
            serial += 1
            questions = [
                {
                    "id": f"t{serial}-q{j + 1}",
                    "text": f"Question {serial}.{j}",
                    "kind": draw(st.sampled_from(KINDS)),
                    "minutes": draw(st.integers(5, 240)),
                    "checklist": [f"Point {k} of question {serial}.{j}" for k in (1, 2, 3)],
                }
                for j in range(draw(st.integers(0, 3)))
            ]
            topic: dict[str, Any] = {
                "id": f"t{serial}",
                "title": f"Topic {serial}",
                "covers": "Something to know.",
                "depth": draw(st.sampled_from(["core", "core", "advanced"])),
                "questions": questions,
            }
            if draw(st.booleans()):
                topic["weight"] = draw(st.sampled_from([0.1, 0.25, 0.5, 1.0]))
            if draw(st.integers(0, 4)) == 0:
                topic["target"] = draw(st.integers(1, 5))
            elif draw(st.integers(0, 4)) == 0:
                topic["target_offset"] = draw(st.integers(0, 2))
            topics.append(topic)
        crits = draw(st.lists(st.sampled_from(CRITERIA), min_size=1, max_size=2, unique=True))
        kind = draw(st.sampled_from(["screen", "onsite", "onsite"]))
        if staged and kind == "screen":
            floor = None  # a min_share belongs to an onsite round (system design)
        round_: dict[str, Any] = {
            "id": f"r{i}",
            "title": f"Round {i}",
            "stage": kind,
            "weight": weight,
            "summary": "A round.",
            "criteria": {c: 1 / len(crits) for c in crits},
            "topics": topics,
        }
        if floor is not None:
            round_["min_share"] = weight * floor
        rounds.append(round_)
    min_weeks = draw(st.integers(1, 4))
    stages: list[dict[str, Any]] = [{"id": "all", "title": "All", "when": "soon"}]
    if staged and all(r["stage"] == "screen" for r in rounds):
        rounds[-1]["stage"] = "onsite"  # a timeline always ends in an onsite
    if staged:
        stages = [
            {"id": "screen", "title": "Screen", "when": "first",
             "rounds": [r["id"] for r in rounds if r["stage"] == "screen"]},
            {"id": "onsite", "title": "Onsite", "when": "then",
             "rounds": [r["id"] for r in rounds if r["stage"] == "onsite"]},
        ]
    data = {
        "meta": {"id": "random", "title": "Random", "company": "Co", "role": "MLE",
                 "version": "1", "source": "hypothesis"},
        "scale": [{"level": n, "label": f"L{n}", "descriptor": f"Level {n}."}
                  for n in range(1, 6)],
        "criteria": [{"id": c, "title": c, "looks_for": "x", "how_to_show": "y"}
                     for c in CRITERIA],
        "rounds": rounds,
        "timeline": {
            "min_weeks": min_weeks,
            "max_weeks": min_weeks + draw(st.integers(0, 3)),
            "default_weeks": draw(st.integers(1, 6)),
            "stages": stages,
        },
        "planning": {
            "advanced_weight": draw(st.sampled_from([0.25, 0.5, 1.0])),
            "hours_per_level": draw(st.sampled_from([0.5, 1.0, 2.25, 3.0, 6.0])),
            "default_target": 4,
        },
    }
    return parse_rubric(json.dumps(data).encode(), "random.json")


@st.composite
def cases(draw: st.DrawFn) -> dict[str, Any]:
    rubric = draw(rubrics())
    level = st.one_of(st.none(), st.integers(1, 5))
    ratings = {t: draw(level) for t in rubric.topics if draw(st.integers(0, 9)) > 0}
    today = dt.date(2026, 1, 1) + dt.timedelta(days=draw(st.integers(0, 700)))
    interview = draw(st.one_of(st.none(), st.integers(-10, 70).map(
        lambda d: today + dt.timedelta(days=d))))
    logged: dict[str, float] = {}
    for r in rubric.rounds:
        if draw(st.booleans()):
            logged[r.id] = draw(st.integers(1, 120)) * 0.25
    if draw(st.integers(0, 5)) == 0:
        logged["not-a-round"] = 3.0
    stage_dates: dict[str, dt.date] = {}
    stages_done: list[str] = []
    if any(s.id == "screen" for s in rubric.timeline.stages):
        last = (interview - today).days if interview is not None and interview >= today else 40
        offset = draw(st.one_of(st.none(), st.integers(-3, max(-3, last))))
        if offset is not None:
            stage_dates["screen"] = today + dt.timedelta(days=offset)
        if draw(st.integers(0, 3)) == 0:
            stages_done.append("screen")
    return {
        "rubric": rubric,
        "ratings": ratings,
        "target": draw(st.integers(1, 5)),
        "hours_per_week": draw(st.integers(4, 40 * 4)) * 0.25,
        "today": today,
        "interview": interview,
        "logged": logged,
        "stage_dates": stage_dates,
        "stages_done": stages_done,
    }


def _plan(case: dict[str, Any]) -> Any:
    rubric = case["rubric"]
    scores = score(rubric, case["ratings"], case["target"])
    return build_plan(
        rubric, scores, hours_per_week=case["hours_per_week"], today=case["today"],
        interview_date=case["interview"], logged=case["logged"],
        stage_dates=case["stage_dates"], stages_done=case["stages_done"],
    )


def _screen_rounds(case: dict[str, Any]) -> list[str]:
    """Rounds listed in the random timeline's screen stage (none without a timeline)."""
    stage = next((s for s in case["rubric"].timeline.stages if s.id == "screen"), None)
    return list(stage.rounds) if stage is not None else []


def _closed(case: dict[str, Any]) -> set[str]:
    """Rounds whose stage is behind the candidate: marked done, or dated today or earlier
    (unless that would close every round)."""
    date = case["stage_dates"].get("screen")
    if "screen" in case["stages_done"] or (date is not None and date <= case["today"]):
        closed = set(_screen_rounds(case))
        if len(closed) < len(case["rubric"].rounds):
            return closed
    return set()


def _open_screen_date(case: dict[str, Any]) -> dt.date | None:
    """The screen's date when it is still ahead and inside the plan (not done)."""
    date = case["stage_dates"].get("screen")
    if date is None or _closed(case) or not _screen_rounds(case) or date <= case["today"]:
        return None
    interview = case["interview"]
    if interview is not None and interview >= case["today"] and date >= interview:
        return None
    return date


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_weeks_add_up_exactly_with_no_small_blocks(case: dict[str, Any]) -> None:
    plan = _plan(case)
    week_hours = math.floor(case["hours_per_week"] * 2) / 2
    rubric = case["rubric"]
    assert plan.week_hours == week_hours
    assert plan.weeks_total == count_weeks(case["today"], case["interview"],
                                           rubric.timeline.default_weeks)
    for i, week in enumerate(plan.weeks):
        assert week.index == i + 1
        assert week.start == case["today"] + dt.timedelta(days=7 * i)
        assert week.start <= week.end <= week.start + dt.timedelta(days=6)
        # a week plans at most the hours its days have (the week's shape from the hours per
        # week: six days, one rest day), and never a day above its own
        days = (week.end - week.start).days + 1
        assert days == 7 or i == plan.weeks_total - 1
        shape = Availability(short_form(case["hours_per_week"]))
        have = sum(shape.hours_on(week.start + dt.timedelta(days=n)) for n in range(days))
        assert week.hours <= have
        per_day: dict[dt.date, float] = {}
        for s in week.sessions:
            per_day[s.date] = per_day.get(s.date, 0.0) + s.hours
        assert all(h <= shape.hours_on(d) for d, h in per_day.items())
        assert sum(s.hours for s in week.sessions) == week.hours
        for s in week.sessions:
            assert s.blocks >= 1 and s.hours >= BLOCK
            assert s.hours == s.blocks * BLOCK
            assert week.start <= s.date <= week.end
            assert s.activity in ("study", "practice", "mock", "review", "story")
    total = sum(w.hours for w in plan.weeks)
    assert sum(plan.allocation.planned.values()) == total
    per_round = {r.id: 0.0 for r in rubric.rounds}
    for week in plan.weeks:
        for s in week.sessions:
            per_round[s.round] += s.hours
    assert per_round == plan.allocation.planned


def _one_topic_rounds_case() -> dict[str, Any]:
    """Found by hypothesis: four screen rounds dated three days out, each with a gap, and one
    onsite round of weight 0 with a gap, 49.25 h a week, the onsite in four days. Each dated
    screen's own floor (what its gaps need, up to half the time before it) added up to more than
    the plan's 29 blocks, and the onsite round got 0 h."""

    def round_(i: int, stage: str, weight: float) -> dict[str, Any]:
        return {"id": f"r{i}", "title": f"Round {i}", "stage": stage, "weight": weight,
                "summary": "A round.", "criteria": {"role-knowledge": 1.0},
                "topics": [{"id": f"t{i}", "title": f"Topic {i}", "covers": "Something.",
                            "depth": "core", "questions": []}]}

    data = {
        "meta": {"id": "random", "title": "Random", "company": "Co", "role": "MLE",
                 "version": "1", "source": "hypothesis"},
        "scale": [{"level": n, "label": f"L{n}", "descriptor": f"Level {n}."}
                  for n in range(1, 6)],
        "criteria": [{"id": c, "title": c, "looks_for": "x", "how_to_show": "y"}
                     for c in CRITERIA],
        "rounds": [round_(0, "screen", 0.0), round_(1, "screen", 0.2),
                   round_(2, "screen", 0.4), round_(3, "screen", 0.4),
                   round_(4, "onsite", 0.0)],
        "timeline": {"min_weeks": 2, "max_weeks": 2, "default_weeks": 1, "stages": [
            {"id": "screen", "title": "Screen", "when": "first",
             "rounds": ["r0", "r1", "r2", "r3"]},
            {"id": "onsite", "title": "Onsite", "when": "then", "rounds": ["r4"]}]},
        "planning": {"advanced_weight": 0.25, "hours_per_level": 6.0, "default_target": 4},
    }
    return {
        "rubric": parse_rubric(json.dumps(data).encode(), "random.json"),
        "ratings": {}, "target": 2, "hours_per_week": 49.25,
        "today": dt.date(2026, 3, 19), "interview": dt.date(2026, 3, 23),
        "logged": {"r2": 17.25}, "stage_dates": {"screen": dt.date(2026, 3, 22)},
        "stages_done": [],
    }


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_no_question_repeats_and_each_is_the_rubrics(case: dict[str, Any]) -> None:
    plan = _plan(case)
    rubric = case["rubric"]
    seen: list[str] = []
    for week in plan.weeks:
        for s in week.sessions:
            if s.question_id is None:
                assert s.question is None
                continue
            topic, question = rubric.question(s.question_id)
            assert topic.id == s.topic
            assert question.text == s.question
            seen.append(s.question_id)
    assert len(seen) == len(set(seen))


@settings(max_examples=40, deadline=None)
@given(case=cases(), data=st.data())
def test_output_is_deterministic(case: dict[str, Any], data: st.DataObject) -> None:
    first = json.dumps(_plan(case).to_json(), sort_keys=True)
    shuffled = dict(case)
    for key in ("ratings", "logged"):
        items = list(case[key].items())
        order = data.draw(st.permutations(items), label=key)
        shuffled[key] = dict(order)
    assert json.dumps(_plan(shuffled).to_json(), sort_keys=True) == first


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_feasibility_is_honest(case: dict[str, Any]) -> None:
    plan = _plan(case)
    f = plan.feasibility
    hpl = case["rubric"].planning.hours_per_level
    closed = _closed(case)
    open_topics = [t for t in plan.scores.topics.values() if t.round not in closed]
    assert f.hours_needed == sum(t.gap * hpl for t in open_topics)
    assert f.hours_available == plan.allocation.planned_total
    # it fits only when the hours suffice and no topic stays short
    assert f.fits == (f.hours_needed <= f.hours_available + 1e-9 and not f.unreachable)
    short = {t.topic for t in open_topics if plan.allocation.topics[t.topic] < t.gap * hpl}
    assert {u.topic for u in f.unreachable} == short
    if not f.fits:
        assert short  # never "does not fit" without naming who stays short
        if f.hours_needed > f.hours_available:
            assert f.message.startswith(f"{f.short_by:g} h more needed")
        else:
            assert f.message.startswith("Does not fit as planned")


@settings(max_examples=40, deadline=None)
@given(
    weights=st.lists(st.floats(0, 100, allow_nan=False), min_size=1, max_size=8),
    total=st.integers(0, 200),
    data=st.data(),
)
def test_apportion_sums_and_respects_bounds(
    weights: list[float], total: int, data: st.DataObject
) -> None:
    n = len(weights)
    lower = data.draw(st.lists(st.integers(0, 5), min_size=n, max_size=n), label="lower")
    if sum(lower) > total:
        lower = [0] * n
    got = apportion(total, weights, lower=lower)
    assert sum(got) == total
    assert all(g >= lo for g, lo in zip(got, lower, strict=True))
    if all(lo == 0 for lo in lower) and sum(weights) > 0:
        exact = [total * w / sum(weights) for w in weights]
        assert all(abs(g - e) < 1 + 1e-9 for g, e in zip(got, exact, strict=True))


# ----- issue 9: stages, the weekly habit, mocks, session lengths, targets ------------------------


def _sessions(plan: Any) -> list[Any]:
    return [s for w in plan.weeks for s in w.sessions]


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_rounds_fall_before_their_stage_and_closed_stages_get_nothing(
    case: dict[str, Any],
) -> None:
    plan = _plan(case)
    closed = _closed(case)
    for rid in closed:
        assert plan.allocation.planned[rid] == 0, rid
    date = case["stage_dates"].get("screen")
    if date is not None and date > case["today"] and "screen" not in case["stages_done"]:
        for s in _sessions(plan):
            if s.round in _screen_rounds(case):
                assert s.date < date, (s.round, s.date, date)
    if case["interview"] is not None and case["interview"] >= case["today"]:
        assert all(s.date < case["interview"] or s.date == case["today"]
                   for s in _sessions(plan))


@st.composite
def discord_cases(draw: st.DrawFn) -> dict[str, Any]:
    rubric = load_rubric("discord-mle")
    today = dt.date(2026, 11, 30) + dt.timedelta(days=draw(st.integers(0, 60)))
    return {
        "rubric": rubric,
        "ratings": {t: draw(st.integers(1, 5)) for t in rubric.topics},
        "target": draw(st.sampled_from([3, 4, 4, 5])),
        "hours_per_week": float(draw(st.integers(8, 20))),
        "today": today,
        "interview": today + dt.timedelta(days=draw(st.integers(21, 42))),
        "logged": {},
        "stage_dates": {},
        "stages_done": draw(st.sampled_from(
            [[], ["recruiter"], ["recruiter", "technical-screen"]])),
    }


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_mocks_are_spaced_and_stage_eves_are_light(case: dict[str, Any]) -> None:
    plan = _plan(case)
    sessions = _sessions(plan)
    onsite = case["interview"]
    if onsite is not None and onsite > case["today"]:
        for s in sessions:
            if s.kind == "final":
                assert s.activity == "mock"
                assert 2 <= (onsite - s.date).days <= 7, (s.date, onsite)
        eves = [onsite - dt.timedelta(days=1)]
        screen = _open_screen_date(case)
        if screen is not None:
            assert not [s for s in sessions if s.date == screen], screen
            eves.append(screen - dt.timedelta(days=1))
        for eve in eves:
            held = [s for s in sessions if s.date == eve]
            assert sum(s.blocks for s in held) <= 1, (eve, held)
            assert all(s.activity == "review" for s in held), (eve, held)


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_question_sessions_are_never_shorter_than_the_question(case: dict[str, Any]) -> None:
    plan = _plan(case)
    rubric = case["rubric"]
    for s in _sessions(plan):
        if s.question_id is None or s.activity not in ("practice", "mock", "story"):
            continue
        minutes = rubric.question(s.question_id)[1].minutes
        assert s.blocks >= math.ceil((minutes + 15) / 30), (s.question_id, minutes, s.hours)


@settings(max_examples=20, deadline=None)
@given(case=cases())
def test_advanced_targets_and_maintenance_rounds(case: dict[str, Any]) -> None:
    plan = _plan(case)
    rubric = case["rubric"]
    for tid, topic in rubric.topics.items():
        want = case["target"]
        if topic.target is not None:
            want = topic.target
        elif topic.target_offset is not None:
            want = max(1, case["target"] - topic.target_offset)
        elif topic.depth == "advanced":
            want = max(1, case["target"] - 1)
        assert plan.scores.topics[tid].target == want, tid
    closed = _closed(case)
    screens = set(_screen_rounds(case))
    gaps = plan.scores.round_gaps
    # a round that can take any hours: open, with a gap, and not held to a screen's days
    absorbers = [r.id for r in rubric.rounds
                 if gaps[r.id] > 0 and r.id not in closed and r.id not in screens]
    for r in rubric.rounds:
        if gaps[r.id] > 0 or r.min_share or r.id in closed:
            continue
        if not [rid for rid in absorbers if rid != r.id]:
            continue
        for week in plan.weeks:
            # a round at target gets no study, only upkeep: timed practices and reviews, in
            # hours the rounds with gaps cannot take in whole cycles (its rating checks,
            # re-attempts and mocks are evidence)
            mine = [s for s in week.sessions if s.round == r.id
                    and s.kind not in ("verify", "reattempt", "final", "baseline", "screen")]
            assert not any(s.activity in ("study", "story") for s in mine), (
                r.id, week.index, [(s.activity, s.kind, s.blocks) for s in mine])


@settings(max_examples=40, deadline=None)
@given(case=cases())
def test_the_checker_finds_no_broken_rule_on_random_rubrics(case: dict[str, Any]) -> None:
    """Every rule of ``assess.plan.check`` (days, cycles, shares, screens, final mocks,
    deadlines, questions, forecast) on random rubrics, ratings, hours and stage dates."""
    plan = _plan(case)
    found = check_plan(plan, case["rubric"],
                       availability=Availability(short_form(case["hours_per_week"])),
                       stage_dates=case["stage_dates"], stages_done=case["stages_done"])
    assert [(v.rule, v.message) for v in found] == []
