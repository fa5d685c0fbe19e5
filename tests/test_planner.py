"""Worked examples of the planner, with numbers computed by hand.

The fixture rubric (tests/fixtures/planner/tiny.yaml) has four rounds: phone-screen 0.10 (a
screen, in the undated "screens" stage, so it is prepared in week 1), system-design 0.40 with
min_share 0.40, coding 0.25, behavioral 0.25; nine topics, default 3 h per level step. Target
level 4, 10 h a week (20 blocks), 28 days: four full weeks, 80 blocks. sd-advanced is advanced
("less common"): weight 0.5, and it aims one level lower, at 3.

Round gaps are weighted means of normalised gaps (gap / 4, topic weights 1, 1, 0.5 in SD).
Round split, by hand (``s_r = 0.5 w_r + 0.5 w_r g_r / sum(w g)``, wants ``s_r T - logged_r``;
floors: SD ``ceil(0.4 x 20) = 8`` blocks in each full week and 40% of all hours, one block for
every other round with a gap, each round's need when every need fits; phone-screen capped at
week 1's 20 blocks; then largest remainder in 0.5 h blocks):

- everyone at 2: gaps 2 (sd-advanced 1); round gaps 0.5/0.45/0.5/0.5, ``sum(w g) = 0.48``;
  shares 0.1021/0.3875/0.2552/0.2552. Needs (20 capped, 30, 24, 24 = 98 blocks) do not fit
  in 80. SD's floor is 32 (> 0.3875 x 80 = 31), the other 48 go 0.1021 : 0.2552 : 0.2552 =
  2 : 5 : 5, i.e. 8/32/20/20 blocks = 4/16/10/10 h. Needed: 8 topics x 2 x 3 h + 1 x 3 h =
  51 h, 40 h planned: 11 h short. One level lower (3): 8 core topics x 1 level = 24 h, fits.
- strong in system design (4), 2 elsewhere: SD has no gap (sd-advanced 4 >= 3), ``sum(w g) =
  0.3``; shares 0.1333/0.2/0.3333/0.3333; the 40% floor fixes SD at 32 blocks, the other 48
  go 1 : 2.5 : 2.5, i.e. 8/20/20 blocks: 4/16/10/10 h (SD exactly 40%).
- weak in system design (1), 3 elsewhere: SD gaps 3, 3 and 2 (sd-advanced aims at 3); round
  gaps 0.25/0.7/0.25/0.25, ``sum(w g) = 0.43``; shares 0.0791/0.5256/0.1977/0.1977, x80 =
  6.33/42.05/15.81/15.81 blocks; needs (12 + 48 + 12 + 12 = 84) do not fit; whole parts
  6/42/15/15 leave 2 blocks for the largest remainders (coding .81 and behavioral .81):
  6/42/16/16 blocks = 3/21/8/8 h (SD 52.5%).
- everyone at 3: gaps of 1 level (sd-advanced none), 8 x 3 h = 24 h needed. Needs 12/12/12/12
  blocks fit in 80, so the floors are 12/32/12/12; shares 0.1043/0.3739/0.2609/0.2609 put
  phone-screen and SD under their floors, the other 36 blocks go 18/18: 6/16/9/9 h.
- 10 h of coding logged, none on SD, two weeks (20 h) left, everyone at 2: the whole is 30 h;
  SD needs 0.4 x 30 = 12 h (24 blocks); wants 3.06/11.63/0/7.66 h; coding keeps one block for
  its gap; the other 15 blocks go to phone : behavioral = 0.1021 : 0.2552 = 2 : 5, i.e. 4.29
  and 10.71, rounded 4 and 11 blocks: 2/12/0.5/5.5 h, and SD is 12/30 = 40% of all hours.

Weeks, everyone at 2 (80 blocks, 8/32/20/20): mocks are pinned first (SD and coding baselines
in week 1, 3 blocks each: ``max(45, 45) + 30`` minutes = 1.5 h; final mocks of SD, coding and
behavioral in week 4), then phone-screen's 8 blocks in week 1, SD's floor of 8 in every week,
coding (which the phone screen also tests) takes week 1's last block; the rest is spread week
by week in proportion to what each round still needs over the weeks it can still use: week 2
(weights 13/52 and 17/52) gives coding 12 x 0.25 / 0.577 = 5.2 and behavioral 6.8 -> 5/7;
week 3 (weights 8/28 and 10/30) 5.54/6.46 -> 6/6; week 4 what is left. Blocks per week: phone-screen
8/0/0/0, SD 8/8/8/8, coding 4/5/6/5, behavioral 0/7/6/7.

Topics within a round get blocks by priority up to their need, then by weight; a mock's
blocks count on its question's topic (the top-priority topic that keeps a question for
practice). Everyone at 2: SD 32 - 6 (two mocks, sd-pipelines) = 26 blocks by priority
0.5/0.5/0.125 under needs 12/12/6: 11.56/11.56/2.89 -> 12/11/3, so sd-pipelines 9 h, sd-serving
5.5 h, sd-advanced 1.5 h; coding 20 - 6 (two mocks, co-structures) = 14 -> 7/7: 6.5 h and
3.5 h; behavioral 20 - 3 (final mock, be-ambiguity) = 17 -> 9/8: 6 h and 4 h; phone-screen
8 -> 4/4: 2 h each. Short: sd-serving, co-algorithms, be-failure, ps-coding, ps-ml,
sd-advanced.

Everyone at 3: week 1 has no room for a coding baseline (20 blocks - SD's baseline 3 -
phone-screen's 12 leaves 5, all of them SD's floor), so coding has 18 - 3 (its final mock,
co-structures) = 15 blocks: needs 6 + 6 and 3 more by weight (2/1): co-structures 8 + 3 = 11
(5.5 h), co-algorithms 7 (3.5 h). Behavioral: 18 - 3 (be-ambiguity's final mock) = 15 -> 8/7:
5.5 h and 3.5 h. SD: 32 - 6 = 26 = needs 6 + 6 + 0 and 14 more by weight 1/1/0.5
(5.6/5.6/2.8 -> 6/5/3): sd-pipelines 18 (9 h), sd-serving 11 (5.5 h), sd-advanced 3 (1.5 h).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from assess.errors import InputError
from assess.evidence.scoring import score
from assess.plan.planner import (
    apportion,
    build_plan,
    count_weeks,
    system_design_round,
    week_blocks_for,
    week_dates,
)
from assess.rubric.model import Rubric, load_rubric, load_rubric_file

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


def test_no_gaps_anywhere_still_fills_every_week(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 5))
    assert plan.scores.gaps == []
    assert plan.feasibility.fits and plan.feasibility.hours_needed == 0.0
    assert all(9.5 <= w.hours <= 10.0 for w in plan.weeks)
    # nothing to learn: questions to keep sharp, mocks, and reviews that name what to go over
    activities = {s.activity for w in plan.weeks for s in w.sessions}
    assert "study" not in activities and activities <= {"practice", "mock", "story", "review"}
    for s in (s for w in plan.weeks for s in w.sessions if s.activity == "review"):
        assert s.detail.startswith(("Go over ", "Redo without notes: ", "Light review only"))
    # no gap anywhere: system design keeps its 40% of every week


# ----- weeks, dates, notes -----------------------------------------------------------------------


@pytest.mark.parametrize(("days", "weeks"), [(21, 3), (28, 4), (35, 5)])
def test_three_four_five_weeks_add_up(tiny: Rubric, days: int, weeks: int) -> None:
    plan = plan_for(tiny, every(tiny, 2), days=days)
    assert plan.weeks_total == weeks
    # every week plans the availability (10 h over six days), bar a half hour a mock leaves
    assert all(9.5 <= w.hours <= 10.0 for w in plan.weeks)
    assert [sum(s.hours for s in w.sessions) for w in plan.weeks] == [w.hours for w in plan.weeks]
    assert plan.weeks[-1].end == TODAY + dt.timedelta(days=days - 1)
    assert plan.compressed is False
    assert not any("Compressed" in n or "Long runway" in n for n in plan.notes)


def test_long_window_and_missing_date_notes(tiny: Rubric) -> None:
    long = plan_for(tiny, every(tiny, 2), days=42)
    assert long.weeks_total == 6
    assert long.notes[0] == (
        "Long runway: 6 weeks of preparation. The plan spreads the work out and re-balances "
        "each week you check in, so re-run it weekly."
    )
    assert long.compressed is False
    undated = plan_for(tiny, every(tiny, 2), days=None)
    assert undated.weeks_total == 4 and undated.interview_date is None
    assert undated.notes[0].startswith("No onsite date set, so this plan spans 4 weeks.")
    past = plan_for(tiny, every(tiny, 2), days=-2)
    assert past.weeks_total == 4
    assert past.notes[0].startswith("Your onsite date (2026-11-23) has passed")


# ----- sequencing --------------------------------------------------------------------------------


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
    assert (week["index"], week["start"], week["end"]) == (1, "2026-11-25", "2026-12-01")
    assert 9.5 <= week["hours"] <= 10.0
    assert {"protect", "not_this_time", "week_shape", "availability"} <= set(j)
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
    assert all(9.5 <= w.hours <= 10.0 for w in plan.weeks)
    assert plan.protect and plan.not_this_time


def test_interview_today_is_one_compressed_week(tiny: Rubric) -> None:
    plan = plan_for(tiny, every(tiny, 2), days=0)
    assert plan.weeks_total == 1 and plan.compressed
    assert (plan.weeks[0].start, plan.weeks[0].end) == (TODAY, TODAY)
    assert plan.weeks[0].hours == 0  # a stage's own day holds nothing
    assert plan.notes[0] == "Your onsite is today: nothing new to plan. Rest, and good luck."
    assert plan.weeks[0].sessions == ()


def test_onsite_tomorrow_is_one_light_review(tiny: Rubric) -> None:
    # one day, and it is the day before the onsite: light, so max(1, 20 x 0 // 7 + 1) = 1 block,
    # and the day before a stage holds only a 0.5 h light review (never new study or a mock)
    plan = plan_for(tiny, every(tiny, 2), days=1)
    assert plan.weeks_total == 1 and plan.weeks[0].hours == 0.5
    assert [(s.date, s.activity, s.hours, s.kind) for s in plan.weeks[0].sessions] == [
        (TODAY, "review", 0.5, "light")
    ]
