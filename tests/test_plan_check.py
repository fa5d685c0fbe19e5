"""The checker over generated candidates: no plan the planner makes breaks a rule.

Candidates on the bundled rubric: ratings, availability (hours per weekday, rest days,
blackouts), the onsite date, a technical screen date, done stages, logged hours and past
attempts. The checker (``assess.plan.check``) is separate from the planner; these tests run it
on every generated plan, and check that it does catch a broken plan.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.evidence.practice import Attempt
from assess.evidence.scoring import score
from assess.plan.check import check_plan
from assess.plan.planner import build_plan
from assess.rubric.availability import Availability, short_form
from assess.rubric.model import load_rubric

RUBRIC = load_rubric("discord-mle")
TODAY = dt.date(2026, 12, 2)
TOPICS = list(RUBRIC.topics)
QUESTIONS = [q.id for t in RUBRIC.topics.values() for q in t.questions if q.id]
SETTINGS = settings(max_examples=500, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow])


@st.composite
def candidates(draw: st.DrawFn) -> dict[str, Any]:
    ratings = {t: draw(st.integers(1, 5)) for t in TOPICS}
    if draw(st.booleans()):
        days = short_form(draw(st.sampled_from([3, 5, 8, 10, 14, 20, 30])))
    else:
        weekday = draw(st.sampled_from([0, 0.5, 1, 1.5, 2, 3]))
        weekend = draw(st.sampled_from([0, 1, 2, 4, 6]))
        days = (weekday,) * 5 + (weekend,) * 2
        rest = draw(st.lists(st.integers(0, 6), max_size=2, unique=True))
        days = tuple(0.0 if i in rest else h for i, h in enumerate(days))
        if sum(days) < 1:
            days = (1.0,) * 5 + (2.0, 0.0)
    blackouts = []
    for _ in range(draw(st.integers(0, 2))):
        start = TODAY + dt.timedelta(days=draw(st.integers(0, 35)))
        blackouts.append((start, start + dt.timedelta(days=draw(st.integers(0, 4)))))
    onsite = draw(st.one_of(st.none(), st.integers(3, 42)))
    stage_dates: dict[str, dt.date] = {}
    screen = draw(st.one_of(st.none(), st.integers(-3, 20)))
    if screen is not None:
        stage_dates["technical-screen"] = TODAY + dt.timedelta(days=screen)
    done = tuple(draw(st.lists(st.sampled_from(["recruiter", "technical-screen"]),
                               max_size=2, unique=True)))
    logged = {r: draw(st.sampled_from([0, 0, 2, 10])) for r in
              ("system-design", "coding", "applied-ml")}
    attempts = []
    for q in draw(st.lists(st.sampled_from(QUESTIONS), max_size=3, unique=True)):
        topic, question = RUBRIC.question(q)
        total = len(question.checklist)
        covered = tuple(range(1, draw(st.integers(0, total)) + 1))
        attempts.append(Attempt(
            question=q, topic=topic.id, date=TODAY - dt.timedelta(days=draw(st.integers(1, 20))),
            minutes=draw(st.integers(10, 80)), covered=covered, total=total,
            time_box=question.minutes))
    return {
        "ratings": ratings, "availability": Availability(tuple(days), tuple(sorted(blackouts))),
        "onsite": TODAY + dt.timedelta(days=onsite) if onsite else None,
        "stage_dates": stage_dates, "done": done, "logged": logged, "attempts": attempts,
    }


def plan_of(case: dict[str, Any]) -> Any:
    av = case["availability"]
    return build_plan(
        RUBRIC, score(RUBRIC, case["ratings"], 4), hours_per_week=av.week_hours, today=TODAY,
        interview_date=case["onsite"], stage_dates=case["stage_dates"],
        stages_done=case["done"], logged=case["logged"], attempts=case["attempts"],
        availability=av,
    )


def violations(case: dict[str, Any], plan: Any = None) -> list[Any]:
    plan = plan or plan_of(case)
    return check_plan(plan, RUBRIC, availability=case["availability"],
                      stage_dates=case["stage_dates"], stages_done=case["done"],
                      attempts=case["attempts"])


@SETTINGS
@given(case=candidates())
def test_no_generated_plan_breaks_a_rule(case: dict[str, Any]) -> None:
    assert [(v.rule, v.message) for v in violations(case)] == []


@settings(SETTINGS, max_examples=100)
@given(case=candidates())
def test_every_day_fits_the_week_the_candidate_has(case: dict[str, Any]) -> None:
    plan = plan_of(case)
    av = case["availability"]
    for week in plan.weeks:
        for s in week.sessions:
            assert av.hours_on(s.date) > 0, s.id
        assert week.hours <= sum(av.hours_on(week.start + dt.timedelta(days=i))
                                 for i in range((week.end - week.start).days + 1))


def _base_case(**kw: Any) -> dict[str, Any]:
    case = {"ratings": {t: 2 for t in TOPICS}, "availability": Availability(short_form(10)),
            "onsite": TODAY + dt.timedelta(days=28), "stage_dates": {}, "done": (),
            "logged": {}, "attempts": []}
    case.update(kw)
    return case


def test_the_checker_catches_a_session_on_a_rest_day() -> None:
    case = _base_case()
    plan = plan_of(case)
    week = plan.weeks[0]
    moved = replace(week.sessions[0], date=TODAY + dt.timedelta(days=4))  # a Sunday
    bad = replace(plan, weeks=(replace(week, sessions=(moved, *week.sessions[1:])),
                               *plan.weeks[1:]))
    rules = {v.rule for v in violations(case, bad)}
    assert "day-hours" in rules


def test_the_checker_catches_a_practice_before_its_study_and_a_repeated_question() -> None:
    case = _base_case()
    plan = plan_of(case)
    sessions = [s for w in plan.weeks for s in w.sessions]
    practice = next(s for s in sessions if s.activity == "practice" and s.question_id)
    early = replace(practice, date=TODAY, id="early")
    bad = replace(plan, weeks=(replace(plan.weeks[0], sessions=(
        early, *plan.weeks[0].sessions)), *plan.weeks[1:]))
    found = {(v.rule, v.sessions) for v in violations(case, bad)}
    assert ("questions", (practice.id, "early")) in found or any(
        r == "questions" for r, _ in found)
    assert any(r in ("cycle", "day-hours", "day-order") for r, _ in found)


@pytest.mark.parametrize("hours", [5, 20])
def test_a_plan_with_hours_never_forecasts_zero_gain(hours: int) -> None:
    plan = plan_of(_base_case(availability=Availability(short_form(hours))))
    onsite = next(f for f in plan.stages if f.stage == "onsite")
    assert onsite.readiness_expected > onsite.readiness_now


# ----- the personas of the acceptance ---------------------------------------------------------


def _persona(n: int) -> dict[str, Any]:
    if n == 1:  # 5 h a week, every topic at 1-2, the onsite in 28 days
        return _base_case(ratings={t: 1 + i % 2 for i, t in enumerate(TOPICS)},
                          availability=Availability(short_form(5)))
    if n == 2:  # strong system design, coding and fundamentals at 2, screen in 7, onsite 21
        ratings = {t: (5 if i % 2 else 4) if t.startswith("sd-")
                   else 2 if t.startswith(("co-", "ps-", "am-")) else 3
                   for i, t in enumerate(TOPICS)}
        return _base_case(ratings=ratings, onsite=TODAY + dt.timedelta(days=21),
                          stage_dates={"technical-screen": TODAY + dt.timedelta(days=7)})
    # a technical screen in 6 days, the onsite in 21
    return _base_case(onsite=TODAY + dt.timedelta(days=21),
                      stage_dates={"technical-screen": TODAY + dt.timedelta(days=6)})


@pytest.mark.parametrize(("n", "now", "expected", "rounds", "weeks"), [
    (1, 0.1669, 0.3112, {"system-design": 9.5, "applied-ml": 4.0, "coding": 5.0,
                         "behavioral": 1.0}, [5.0, 5.0, 5.0, 4.5]),
    (2, 0.676, 0.7519, {"recruiter-screen": 1.5, "phone-screen": 4.0, "system-design": 8.5,
                      "applied-ml": 5.5, "coding": 6.0, "behavioral": 1.5}, [9.5, 8.0, 9.5]),
    (3, 0.3494, 0.5064, {"phone-screen": 4.5, "system-design": 9.5, "applied-ml": 4.5,
                         "coding": 7.0, "behavioral": 1.5}, [7.5, 10.0, 9.5]),
])
def test_the_personas_plans(n: int, now: float, expected: float, rounds: dict[str, float],
                            weeks: list[float]) -> None:
    case = _persona(n)
    plan = plan_of(case)
    assert violations(case, plan) == []
    onsite = next(f for f in plan.stages if f.stage == "onsite")
    assert (round(onsite.readiness_now, 4), round(onsite.readiness_expected, 4)) == (
        now, expected)
    assert onsite.readiness_expected > onsite.readiness_now
    assert {k: v for k, v in plan.allocation.planned.items() if v} == rounds
    assert [w.hours for w in plan.weeks] == weeks
    for s in (s for w in plan.weeks for s in w.sessions):
        assert s.hours >= 1 or s.activity == "review", s.id
    finals = {s.round for w in plan.weeks for s in w.sessions if s.kind == "final"}
    gaps = {r.id for r in RUBRIC.rounds if plan.scores.round_gaps[r.id] > 0
            and r.stage == "onsite"}
    assert finals == gaps
    assert plan.protect and plan.not_this_time
    advanced = [p["advanced"] for p in plan.not_this_time]
    assert advanced == sorted(advanced, reverse=True)  # advanced topics left out first


def test_the_availability_of_the_acceptance() -> None:
    """--weekday-hours 1 --weekend-hours 4 --rest-day sun --blackout 2026-12-24..2026-12-26."""
    off = (dt.date(2026, 12, 24), dt.date(2026, 12, 26))
    case = _base_case(availability=Availability((1, 1, 1, 1, 1, 4, 0), (off,)))
    plan = plan_of(case)
    assert violations(case, plan) == []
    assert plan.week_shape == "Mon-Fri 1 h, Sat 4 h, Sun rest; off 24-26 Dec"
    by_day: dict[dt.date, float] = {}
    for s in (s for w in plan.weeks for s in w.sessions):
        by_day[s.date] = by_day.get(s.date, 0.0) + s.hours
    assert all(d.weekday() != 6 and not off[0] <= d <= off[1] for d in by_day)
    assert all(h <= (4 if d.weekday() == 5 else 1) for d, h in by_day.items())
    # full weeks plan the whole availability; the last, cut by the onsite and the days off,
    # plans Wed 23 and Mon 28 (1 h each) and the light review on Tue 29
    assert [w.hours for w in plan.weeks] == [9.0, 9.0, 9.0, 2.5]
