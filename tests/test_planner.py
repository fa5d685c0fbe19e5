"""Worked examples of the planner, with numbers computed by hand.

The fixture rubric (tests/fixtures/planner/tiny.yaml) has four rounds: phone-screen 0.10 (a
screen), system-design 0.40 with min_share 0.40, coding 0.25, behavioral 0.25; nine topics
(sd-advanced is advanced), default 3 h per level step. Target level 4, 10 h a week.

Round split, by hand (``s_r = 0.5 w_r + 0.5 w_r g_r / sum(w g)``, wants ``s_r T - logged_r``,
floors, then largest remainder in 0.5 h blocks):

- everyone at 2: every round gap is 0.5, so ``s = w``; 80 blocks split 8/32/20/20, i.e.
  4/16/10/10 h; 9 topics x 2 levels x 3 h = 54 h needed, 40 h planned: 14 h short.
- strong in system design (4), 2 elsewhere: gaps 0.5/0/0.5/0.5, ``sum(w g) = 0.3``; shares
  0.1333/0.2/0.3333/0.3333; the 40% floor fixes SD at 32 blocks, the other 48 go
  5.33 : 13.33 : 13.33, i.e. 8/20/20 blocks: 4/16/10/10 h (SD exactly 40%).
- weak in system design (1), 3 elsewhere: gaps 0.25/0.75/0.25/0.25, ``sum(w g) = 0.45``;
  shares 0.0778/0.5333/0.1944/0.1944, x80 = 6.22/42.67/15.56/15.56 blocks; floors 6/42/15/15
  leave 2 for the largest remainders (SD .67, then coding .56 before behavioral .56 by rubric
  order): 6/43/16/15 blocks = 3/21.5/8/7.5 h (SD 53.75%).
- 10 h of coding logged, none on SD, two weeks (20 h) left, everyone at 2: the whole is 30 h;
  SD needs 0.4 x 30 = 12 h (24 blocks); wants 3/12/0/7.5 h; coding keeps one block for its gap;
  the rest solves 3c + 24 + 1 + 7.5c = 40, c = 1.4286: phone 4.29, behavioral 10.71, rounded
  4 and 11 blocks: 2/12/0.5/5.5 h, and SD is 12/30 = 40% of all hours.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assess.errors import InputError
from assess.planner import (
    apportion,
    build_plan,
    count_weeks,
    system_design_round,
    target_shares,
    week_blocks_for,
    week_dates,
)
from assess.rubric import Rubric, load_rubric, load_rubric_file
from assess.scoring import score

TINY = Path(__file__).parent / "fixtures" / "planner" / "tiny.yaml"
TODAY = dt.date(2026, 11, 25)  # a Wednesday


@pytest.fixture(scope="module")
def tiny() -> Rubric:
    return load_rubric_file(TINY)


def plan_for(
    rubric: Rubric,
    ratings: dict[str, int | None],
    *,
    days: int | None = 28,
    hours: float = 10,
    logged: dict[str, float] | None = None,
    target: int = 4,
):  # noqa: ANN202 - a Plan
    return build_plan(
        rubric,
        score(rubric, ratings, target),
        hours_per_week=hours,
        today=TODAY,
        interview_date=TODAY + dt.timedelta(days=days) if days is not None else None,
        logged=logged,
    )


def every(rubric: Rubric, level: int, **overrides: int) -> dict[str, int | None]:
    out: dict[str, int | None] = {t: level for t in rubric.topics}
    for prefix, value in overrides.items():
        for t in rubric.topics:
            if t.startswith(prefix):
                out[t] = value
    return out


# ----- apportion and weeks -----------------------------------------------------------------------


def test_apportion_largest_remainder() -> None:
    assert apportion(80, [4, 16, 10, 10]) == [8, 32, 20, 20]
    assert apportion(5, [1, 1, 1]) == [2, 2, 1]  # 1.67 each: ties go to the earlier item
    assert apportion(10, [0.1, 0.2, 0.7]) == [1, 2, 7]
    assert apportion(7, [1, 2], lower=[5, 0]) == [5, 2]
    assert apportion(10, [3, 1], upper=[4, None]) == [4, 6]
    assert apportion(3, [0, 0], lower=[1, 0]) == [2, 1]  # no weight at all: an even split
    assert apportion(0, [1, 2]) == [0, 0]
    with pytest.raises(ValueError):
        apportion(1, [1, 1], lower=[1, 1])


@pytest.mark.parametrize(("days", "weeks"), [(21, 3), (28, 4), (35, 5), (10, 2), (1, 1),
                                             (7, 1), (8, 2), (0, 1), (42, 6)])
def test_count_weeks_rounds_up(days: int, weeks: int) -> None:
    assert count_weeks(TODAY, TODAY + dt.timedelta(days=days)) == weeks


def test_count_weeks_without_or_after_the_date() -> None:
    assert count_weeks(TODAY, None) == 4
    assert count_weeks(TODAY, None, default_weeks=6) == 6
    assert count_weeks(TODAY, TODAY - dt.timedelta(days=3)) == 4


def test_week_dates_end_the_day_before_the_interview() -> None:
    d = dt.date
    assert week_dates(TODAY, TODAY + dt.timedelta(days=10), 2) == [
        (d(2026, 11, 25), d(2026, 12, 1)),
        (d(2026, 12, 2), d(2026, 12, 4)),  # the interview is on Saturday 5 December
    ]
    assert week_dates(TODAY, None, 1) == [(d(2026, 11, 25), d(2026, 12, 1))]


def test_week_blocks_round_down_to_half_hours() -> None:
    assert week_blocks_for(10) == 20
    assert week_blocks_for(7.75) == 15
    assert week_blocks_for(1) == 2
    with pytest.raises(InputError):
        week_blocks_for(0.25)


def test_system_design_round_is_found_generically(tiny: Rubric) -> None:
    assert system_design_round(tiny) == "system-design"
    renamed = json.loads(json.dumps(tiny.to_json_dict()).replace("system-design", "design-x"))
    assert system_design_round(Rubric.from_dict(renamed)) == "design-x"  # the min_share round


# ----- worked examples: the round split ----------------------------------------------------------


def test_uniform_gaps_follow_the_rubric_weights(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2))
    assert target_shares(tiny, plan.scores) == pytest.approx(
        {"phone-screen": 0.1, "system-design": 0.4, "coding": 0.25, "behavioral": 0.25}
    )
    assert plan.allocation.planned == {
        "phone-screen": 4.0, "system-design": 16.0, "coding": 10.0, "behavioral": 10.0
    }
    assert plan.allocation.system_design_share == 0.4
    f = plan.feasibility
    assert (f.hours_needed, f.hours_available, f.short_by, f.fits) == (54.0, 40.0, 14.0, False)
    assert f.message.startswith("14 h more needed: 54 h to close every gap, 40 h planned. ")
    assert f.unreachable  # topics that stay short are named


def test_strong_in_system_design_still_gets_forty_percent(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2, sd=4))
    assert target_shares(tiny, plan.scores)["system-design"] == pytest.approx(0.2)
    assert plan.allocation.planned == {
        "phone-screen": 4.0, "system-design": 16.0, "coding": 10.0, "behavioral": 10.0
    }
    assert plan.allocation.system_design_share == 0.4


def test_weak_in_system_design_gets_clearly_more(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 3, sd=1))
    assert target_shares(tiny, plan.scores) == pytest.approx(
        {"phone-screen": 0.05 + 0.5 * 0.025 / 0.45, "system-design": 0.2 + 0.5 * 0.3 / 0.45,
         "coding": 0.125 + 0.5 * 0.0625 / 0.45, "behavioral": 0.125 + 0.5 * 0.0625 / 0.45}
    )
    assert plan.allocation.planned == {
        "phone-screen": 3.0, "system-design": 21.5, "coding": 8.0, "behavioral": 7.5
    }
    assert plan.allocation.system_design_share == 0.5375


def test_logged_coding_is_made_up_with_system_design(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2), days=14, logged={"coding": 10.0})
    a = plan.allocation
    assert a.planned == {
        "phone-screen": 2.0, "system-design": 12.0, "coding": 0.5, "behavioral": 5.5
    }
    assert a.logged == {
        "phone-screen": 0.0, "system-design": 0.0, "coding": 10.0, "behavioral": 0.0
    }
    assert a.logged_system_design_share == 0.0
    assert a.overall_share("system-design") == 0.4
    j = a.to_json()
    assert j["overall_system_design_share"] == 0.4
    assert j["system_design_share"] == 0.6
    assert j["logged_total"] == 10.0


def test_gaps_that_fit_get_their_hours(tiny: Rubric) -> None:
    # everyone at 3: 9 levels x 3 h = 27 h, under the 40 h planned; each round gets its need
    plan = plan_for(tiny, every(tiny, 3))
    f = plan.feasibility
    assert (f.fits, f.hours_needed, f.short_by, f.unreachable) == (True, 27.0, 0.0, ())
    assert f.message == "Fits: 27 h needed to close every gap, 40 h planned."
    assert plan.allocation.planned["phone-screen"] >= 6.0  # two topics x 1 level x 3 h


def test_min_share_that_starves_other_needs_says_so(tiny: Rubric) -> None:
    # SD at target, the rest at 2: 36 h needed < 40 h, but 16 h must stay on SD
    plan = plan_for(tiny, every(tiny, 2, sd=4))
    assert plan.feasibility.fits is True
    assert plan.feasibility.unreachable
    assert "At this split" in plan.feasibility.message
    assert any("minimum share for ML System Design" in n for n in plan.notes)


def test_no_gaps_anywhere_still_fills_every_week(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 5))
    assert plan.scores.gaps == []
    assert plan.feasibility.fits and plan.feasibility.hours_needed == 0.0
    assert [w.hours for w in plan.weeks] == [10.0] * 4
    assert {s.activity for w in plan.weeks for s in w.sessions} <= {"practice", "mock", "story"}


def test_too_few_hours_to_touch_every_round_is_said(tiny: Rubric) -> None:
    # 1 week of 1 h = 2 blocks for 4 rounds with a gap. SD's floor is ceil(0.4 x 1 h / 0.5) =
    # 1 block; the other block goes to the largest weighted gap: coding (0.25 x 0.75, tied with
    # behavioral, earlier in the rubric)
    plan = plan_for(tiny, every(tiny, 1), days=7, hours=1)
    assert plan.allocation.planned == {
        "phone-screen": 0.0, "system-design": 0.5, "coding": 0.5, "behavioral": 0.0
    }
    assert any(n.startswith("Not enough hours to touch every round with a gap: Phone Screen, "
                            "Behavioral get no time") for n in plan.notes)


# ----- weeks, dates, notes -----------------------------------------------------------------------


@pytest.mark.parametrize(("days", "weeks"), [(21, 3), (28, 4), (35, 5)])
def test_three_four_five_weeks_add_up(tiny: Rubric, days: int, weeks: int) -> None:
    plan = plan_for(tiny, every(tiny, 2), days=days)
    assert plan.weeks_total == weeks
    assert [w.hours for w in plan.weeks] == [10.0] * weeks
    assert [sum(s.hours for s in w.sessions) for w in plan.weeks] == [10.0] * weeks
    assert plan.weeks[-1].end == TODAY + dt.timedelta(days=days - 1)
    assert plan.compressed is False
    assert not any("Compressed" in n or "Long window" in n for n in plan.notes)


def test_ten_days_is_a_compressed_two_week_plan(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2), days=10)
    assert plan.weeks_total == 2 and plan.compressed is True
    assert plan.notes[0].startswith(
        "Compressed plan: 10 day(s) to the interview gives 2 week(s), below the recommended 3-5."
    )
    assert [w.hours for w in plan.weeks] == [10.0, 4.0]  # week 2 has 3 days: 10 h x 3/7
    assert plan.to_json()["compressed"] is True


def test_long_window_and_missing_date_notes(tiny: Rubric) -> None:
    long = plan_for(tiny, every(tiny, 2), days=42)
    assert long.weeks_total == 6
    assert long.notes[0].startswith("Long window: 6 weeks is more than the usual 3-5.")
    undated = plan_for(tiny, every(tiny, 2), days=None)
    assert undated.weeks_total == 4 and undated.interview_date is None
    assert undated.notes[0].startswith("No interview date set, so this plan spans 4 weeks.")
    past = plan_for(tiny, every(tiny, 2), days=-2)
    assert past.weeks_total == 4
    assert past.notes[0].startswith("Your interview date (2026-11-23) has passed")


def test_odd_hours_per_week_plan_whole_half_hours(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2), hours=7.75)
    assert plan.week_hours == 7.5
    assert [sum(s.hours for s in w.sessions) for w in plan.weeks] == [7.5] * 4
    assert ("Sessions come in 0.5 h blocks, so each week plans 7.5 h of your 7.75 h; "
            "the rest is slack.") in plan.notes


# ----- sequencing --------------------------------------------------------------------------------


def test_sequence_follows_the_loop(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2))
    weeks = plan.weeks
    first = weeks[0].sessions
    # screens first: the week starts with the phone screen, and its mock comes in week 1
    assert first[0].round == "phone-screen"
    assert any(s.round == "phone-screen" and s.activity == "mock" for s in first)
    assert all(s.round != "phone-screen" for w in weeks[1:] for s in w.sessions)
    # coding (a fundamentals round) is studied early, system design in the middle
    sd_hours = [sum(s.hours for s in w.sessions if s.round == "system-design"
                    and s.activity in ("study", "practice")) for w in weeks]
    assert sd_hours[0] == 0 and sd_hours[1] > 0 and sd_hours[2] > 0
    # mocks of the onsite rounds, reviews and stories come last
    last = weeks[-1].sessions
    assert {s.round for s in last if s.activity == "mock"} == {
        "system-design", "coding", "behavioral"
    }
    assert all(s.activity != "mock" or s.round == "phone-screen"
               for w in weeks[:-1] for s in w.sessions)
    assert any(s.activity == "review" for s in last)
    assert any(s.activity == "story" for s in last)
    assert weeks[0].focus == "screen prep; Coding"
    assert weeks[-1].focus == "STAR stories; review; mock interviews"


def test_practice_sessions_carry_distinct_rubric_questions(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2))
    asked = [s for w in plan.weeks for s in w.sessions if s.question]
    ids = [s.question_id for s in asked]
    assert len(ids) == len(set(ids))
    assert "ps-coding-q1" in ids and "sd-pipelines-q2" in ids
    mock = next(s for s in asked if s.question_id == "sd-pipelines-q2")
    assert (mock.activity, mock.hours, mock.question) == (
        "mock", 1.0, "Serve features from history and the live session."
    )
    for s in (s for w in plan.weeks for s in w.sessions):
        assert s.activity in ("study", "practice", "mock", "review", "story")
        if s.activity in ("study", "review"):
            assert s.question is None


def test_sessions_are_dated_inside_their_week(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2), days=10)
    for w in plan.weeks:
        days = [s.date for s in w.sessions]
        assert days == sorted(days)
        assert days[0] == w.start and all(w.start <= d <= w.end for d in days)


# ----- JSON ---------------------------------------------------------------------------------------


def test_json_has_the_contract_keys(tiny: Rubric) -> None:
    j = plan_for(tiny, every(tiny, 2, sd=1), logged={"coding": 2.5}).to_json()
    assert {"readiness", "gaps", "allocation", "weeks", "feasibility", "notes", "weeks_total",
            "today", "interview_date", "skipped"} <= set(j)
    assert set(j["readiness"]) >= {"overall", "rounds", "criteria"}
    assert 0 <= j["readiness"]["overall"] <= 1
    assert set(j["readiness"]["rounds"]) == {"phone-screen", "system-design", "coding",
                                             "behavioral"}
    assert set(j["readiness"]["criteria"]) == {"role-knowledge", "problem-solving",
                                               "craftsmanship", "culture-values"}
    gap = j["gaps"][0]
    assert {"topic", "round", "rating", "target", "priority"} <= set(gap)
    assert gap["topic"] == "sd-pipelines" and gap["rating"] == 1 and gap["target"] == 4
    alloc = j["allocation"]
    assert {"rounds", "system_design_share", "logged", "logged_system_design_share"} <= set(alloc)
    assert alloc["logged"]["coding"] == 2.5 and alloc["logged_system_design_share"] == 0.0
    week = j["weeks"][0]
    assert {"index", "start", "end", "hours", "sessions"} <= set(week)
    assert (week["index"], week["start"], week["end"], week["hours"]) == (
        1, "2026-11-25", "2026-12-01", 10.0
    )
    session = week["sessions"][0]
    assert {"round", "topic", "hours", "activity", "question"} <= set(session)
    assert set(j["feasibility"]) >= {"fits", "hours_needed", "hours_available", "short_by",
                                     "unreachable"}
    json.dumps(j)  # plain data only


def test_json_is_byte_identical_across_runs(tiny: Rubric) -> None:
    ratings = every(tiny, 2, sd=3, be=1)
    a = json.dumps(plan_for(tiny, ratings, logged={"coding": 3.0}).to_json(), sort_keys=True)
    reordered = dict(reversed(list(ratings.items())))
    b = json.dumps(plan_for(tiny, reordered, logged={"coding": 3.0}).to_json(), sort_keys=True)
    assert a == b


def test_the_default_rubric_plans_cleanly() -> None:
    rubric = load_rubric()
    plan = plan_for(rubric, every(rubric, 2, sd=3))
    assert plan.weeks_total == 4
    assert plan.allocation.overall_share("system-design") >= 0.4
    assert all(w.hours == 10.0 for w in plan.weeks)
    assert all(h > 0 for h in plan.allocation.planned.values())
    assert plan.weeks[0].sessions[0].round == "recruiter-screen"


def test_interview_today_is_one_compressed_week(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2), days=0)
    assert plan.weeks_total == 1 and plan.compressed
    assert (plan.weeks[0].start, plan.weeks[0].end) == (TODAY, TODAY)
    assert plan.weeks[0].hours == 1.0  # a day's share of 10 h a week, rounded down
    assert plan.notes[0].startswith("Compressed plan: your interview is today")
    assert "Week 1 has 1 day(s) before the interview, so it plans 1 h" in " ".join(plan.notes)
