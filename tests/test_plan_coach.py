"""Issue 9's acceptance scenarios, at the planner level, on the bundled discord-mle rubric.

The plans a coach would prescribe: stage dates with deadlines, a weekly system-design rhythm,
spaced mocks, sessions as long as their questions, and feasibility that says what a lower
target means. Today is Monday 30 November 2026 throughout.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest

from assess.evidence.scoring import score
from assess.plan.planner import build_plan
from assess.rubric.model import Rubric, load_rubric

TODAY = dt.date(2026, 11, 30)
SCREENS_DONE = ["recruiter", "technical-screen"]


@pytest.fixture(scope="module")
def rubric() -> Rubric:
    return load_rubric("discord-mle")


def ratings(rubric: Rubric, default: int, **prefixes: int) -> dict[str, int | None]:
    """Every topic at ``default``; topics whose id starts with a prefix (``sd``, ``co``; use
    ``ps_timed`` for ``ps-timed``) at that prefix's level."""
    out: dict[str, int | None] = {t: default for t in rubric.topics}
    for prefix, level in prefixes.items():
        for t in rubric.topics:
            if t.startswith(prefix.replace("_", "-") + "-") or t == prefix.replace("_", "-"):
                out[t] = level
    return out


def plan_for(rubric: Rubric, rates: dict[str, int | None], *, days: int, hours: float = 10,
             **kwargs: Any) -> Any:
    return build_plan(
        rubric, score(rubric, rates, 4), hours_per_week=hours, today=TODAY,
        interview_date=TODAY + dt.timedelta(days=days), **kwargs,
    )


def sessions(plan: Any) -> list[Any]:
    return [s for w in plan.weeks for s in w.sessions]


def question_kind(rubric: Rubric, question_id: str) -> str:
    return rubric.question(question_id)[1].kind


def question_minutes(rubric: Rubric, question_id: str) -> int:
    return rubric.question(question_id)[1].minutes


# ----- (i) the technical screen 6 days out, the onsite 21 days out --------------------------------


@pytest.fixture(scope="module")
def screen_first(rubric: Rubric) -> Any:
    rates = ratings(rubric, 4, sd=2, co=2, ps_timed=2)
    return plan_for(rubric, rates, days=21, stage_dates={"technical-screen": TODAY
                                                         + dt.timedelta(days=6)},
                    stages_done=["recruiter"])


def test_hours_before_the_screen_go_to_the_screen(rubric: Rubric, screen_first: Any) -> None:
    screen = TODAY + dt.timedelta(days=6)
    before = [s for s in sessions(screen_first) if s.date < screen]
    total = sum(s.hours for s in before)
    screenish = sum(s.hours for s in before if s.round in ("phone-screen", "coding"))
    assert total > 0
    assert screenish / total >= 0.6, (screenish, total)


def test_timed_coding_is_practised_before_the_screen(rubric: Rubric, screen_first: Any) -> None:
    screen = TODAY + dt.timedelta(days=6)
    # a practice or mock on a coding question, or a timed drill on a topic whose questions are
    # all coding (drills are fresh problems, so they carry no rubric question)
    drill_topics = {t.id for t in rubric.topics.values()
                    if t.questions and all(q.kind == "coding" for q in t.questions)}
    coding = [s for s in sessions(screen_first)
              if s.date < screen and s.activity in ("practice", "mock")
              and ((s.question_id and question_kind(rubric, s.question_id) == "coding")
                   or (not s.question_id and s.topic in drill_topics))]
    assert len(coding) >= 2, coding
    assert any(s.kind == "screen" for s in coding)  # a mock screen before the screen


def test_nothing_for_the_screen_on_or_after_its_date(screen_first: Any) -> None:
    screen = TODAY + dt.timedelta(days=6)
    assert not [s for s in sessions(screen_first)
                if s.round == "phone-screen" and s.date >= screen]
    assert not [s for s in sessions(screen_first) if s.date == screen]  # the screen's day
    eve = [s for s in sessions(screen_first) if s.date == screen - dt.timedelta(days=1)]
    assert sum(s.hours for s in eve) <= 0.5 and all(s.activity == "review" for s in eve)
    assert not [s for s in sessions(screen_first) if s.round == "recruiter-screen"]


# ----- (ii) the onsite 35 days out, 10 h a week, weak system design -------------------------------


@pytest.fixture(scope="module", params=[3, 4], ids=["others-3", "others-4"])
def sd_weak(rubric: Rubric, request: pytest.FixtureRequest) -> Any:
    return plan_for(rubric, ratings(rubric, request.param, sd=2), days=35,
                    stages_done=SCREENS_DONE)


def test_every_full_week_is_forty_percent_system_design(sd_weak: Any) -> None:
    assert sd_weak.weeks_total == 5
    for week in sd_weak.weeks:
        assert (week.end - week.start).days == 6
        sd = sum(s.hours for s in week.sessions if s.round == "system-design")
        assert sd / week.hours >= 0.4, (week.index, sd, week.hours)


def test_each_core_design_topic_comes_back(rubric: Rubric, sd_weak: Any) -> None:
    for topic in rubric.round("system-design").topics:
        if topic.depth != "core" or sd_weak.scores.topics[topic.id].gap <= 0:
            continue
        weeks = {w.index for w in sd_weak.weeks for s in w.sessions if s.topic == topic.id}
        assert len(weeks) >= 2, (topic.id, weeks)


def test_system_design_mocks_are_spaced(sd_weak: Any) -> None:
    onsite = TODAY + dt.timedelta(days=35)
    mocks = [(w.index, s) for w in sd_weak.weeks for s in w.sessions
             if s.activity == "mock" and s.round == "system-design"]
    assert any(i in (1, 2) and s.kind == "baseline" for i, s in mocks), mocks
    finals = [s for _, s in mocks if s.kind == "final"]
    assert finals and all(2 <= (onsite - s.date).days <= 7 for s in finals), finals


def test_the_day_before_the_onsite_is_light(sd_weak: Any) -> None:
    eve = TODAY + dt.timedelta(days=34)
    held = [s for s in sessions(sd_weak) if s.date == eve]
    assert all(s.activity not in ("mock", "study", "practice") for s in held), held
    assert sum(s.hours for s in held) <= 0.5


def test_question_sessions_last_the_question_plus_write_up(rubric: Rubric, sd_weak: Any) -> None:
    for s in sessions(sd_weak):
        if s.question_id and s.activity in ("practice", "mock"):
            need = math.ceil((question_minutes(rubric, s.question_id) + 15) / 30)
            assert s.blocks >= need, (s.question_id, s.hours)


# ----- (iii) a week of coding only does not drop the weekly habit ---------------------------------


def test_logging_only_coding_keeps_week_one_on_system_design(rubric: Rubric) -> None:
    plan = plan_for(rubric, ratings(rubric, 3, sd=2), days=35, stages_done=SCREENS_DONE,
                    logged={"coding": 10.0})
    first = plan.weeks[0]
    sd = sum(s.hours for s in first.sessions if s.round == "system-design")
    assert sd / first.hours >= 0.4, (sd, first.hours)
    assert plan.allocation.overall_share("system-design") >= 0.4


# ----- (iv) a stage marked done -------------------------------------------------------------------


def test_a_done_recruiter_screen_gets_no_sessions(rubric: Rubric) -> None:
    rates = ratings(rubric, 2)
    dated = {"recruiter": TODAY + dt.timedelta(days=5)}  # a dated screen gets its prep
    open_ = plan_for(rubric, rates, days=28, stage_dates=dated)
    assert [s for s in sessions(open_) if s.round == "recruiter-screen"]
    done = plan_for(rubric, rates, days=28, stage_dates=dated, stages_done=["recruiter"])
    assert not [s for s in sessions(done) if s.round == "recruiter-screen"]
    assert done.allocation.planned["recruiter-screen"] == 0
    assert any(n.startswith("The Recruiter screen is behind you") for n in done.notes)


# ----- (v) earlier scenarios: the compressed plan, 3/4/5 weeks ------------------------------------


def test_the_compressed_ten_day_plan_adds_up(rubric: Rubric) -> None:
    plan = plan_for(rubric, ratings(rubric, 2, sd=1), days=10, stages_done=SCREENS_DONE)
    assert plan.compressed and plan.weeks_total == 2
    # week 2: Wed 2 h and Thu 1 h (10 h a week: Mon 2, Tue 1, Wed 2, Thu 1, Fri-Sat 2, Sun
    # rest), then Fri, the eve of the onsite: a 0.5 h light review
    assert [w.hours for w in plan.weeks] == [10.0, 3.5]
    for week in plan.weeks:
        assert sum(s.hours for s in week.sessions) == week.hours
    assert sum(plan.allocation.planned.values()) == 13.5
    assert plan.notes[0].startswith("Compressed plan: 10 day(s) to the onsite.")
    assert plan.allocation.overall_share("system-design") >= 0.4


@pytest.mark.parametrize(("days", "weeks"), [(21, 3), (28, 4), (35, 5)])
def test_three_four_five_weeks(rubric: Rubric, days: int, weeks: int) -> None:
    plan = plan_for(rubric, ratings(rubric, 2), days=days)
    assert plan.weeks_total == weeks and not plan.compressed
    assert [w.hours for w in plan.weeks] == [10.0] * weeks
    assert [sum(s.hours for s in w.sessions) for w in plan.weeks] == [10.0] * weeks
    assert plan.allocation.overall_share("system-design") >= 0.4


# ----- (vi) the JSON ------------------------------------------------------------------------------


def test_json_sessions_have_ids_and_feasibility_helps(rubric: Rubric) -> None:
    plan = plan_for(rubric, ratings(rubric, 2, sd=1), days=21,
                    stage_dates={"technical-screen": TODAY + dt.timedelta(days=6)})
    j = plan.to_json()
    ids = [s["id"] for w in j["weeks"] for s in w["sessions"]]
    assert ids and all(isinstance(i, str) and i for i in ids)
    assert len(ids) == len(set(ids))
    f = j["feasibility"]
    assert [fc["stage"] for fc in f["forecasts"]] == [
        "recruiter", "technical-screen", "onsite", "decision"
    ]
    screen = next(fc for fc in f["forecasts"] if fc["stage"] == "technical-screen")
    assert screen["date"] == "2026-12-06" and screen["status"] == "upcoming"
    assert f["short_by"] > 0
    assert f["lower_target"]["meaning"] == "level 3, Working: below interview-ready"
    assert "level 3, Working: below interview-ready" in f["message"]
    assert len(f["top_shortfalls"]) == 3


# ----- reviews name what was practised earlier ---------------------------------------------


def _redo_weeks_ok(rubric: Rubric, plan: Any) -> list[tuple[str, str, int, int | None]]:
    """Reviews that redo a question not practised in an earlier week: (date, question id,
    review week, practice week)."""
    by_text = {" ".join(q.text.split()): rubric.question_id(t.id, i)
               for t in rubric.topics.values() for i, q in enumerate(t.questions)}
    practised: dict[str, int] = {}
    bad = []
    for week in plan.weeks:
        for s in week.sessions:
            if s.question_id and s.activity in ("practice", "mock", "story"):
                practised.setdefault(s.question_id, week.index)
    for week in plan.weeks:
        for s in week.sessions:
            if s.activity != "review" or "Redo without notes: " not in s.detail:
                continue
            named = s.detail.split("Redo without notes: ", 1)[1].rstrip("…").strip()
            qid = next((v for k, v in by_text.items() if k.startswith(named)), "?")
            first = practised.get(qid)
            if first is None or first >= week.index:
                bad.append((s.date.isoformat(), qid, week.index, first))
    return bad


def test_a_redo_comes_in_a_later_week_than_the_practice(rubric: Rubric,
                                                        screen_first: Any) -> None:
    # "studied, then practised on a question, then ... reviewed, naming the question to redo,
    # in a later week": never the same question again the same day
    assert _redo_weeks_ok(rubric, screen_first) == []


def test_a_redo_comes_in_a_later_week_on_the_long_plan(rubric: Rubric, sd_weak: Any) -> None:
    assert _redo_weeks_ok(rubric, sd_weak) == []
