"""Scoring: targets, gaps, priorities, readiness, effective ratings and calibration.

The worked example uses tests/fixtures/planner/tiny.yaml (weights: phone-screen 0.10,
system-design 0.40, coding 0.25, behavioral 0.25; sd-advanced is advanced, weight 0.5) and
target level 4. Advanced ("less common") topics aim one level lower, so sd-advanced's target
is 3; every other topic's is 4. Every expected number below was computed by hand; see the
comments.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assess.errors import InputError
from assess.evidence.levels import gap_levels, targets, topic_readiness
from assess.evidence.scoring import (
    calibration,
    calibration_summary,
    criterion_readiness,
    effective_ratings,
    latest_levels,
    overall_readiness,
    priorities,
    round_readiness,
    score,
    score_effective,
)
from assess.rubric.model import Rubric, load_rubric_file

TINY = Path(__file__).parent / "fixtures" / "planner" / "tiny.yaml"


@pytest.fixture(scope="module")
def tiny() -> Rubric:
    return load_rubric_file(TINY)


# topic readiness = (level - 1) / (target - 1), capped at 1; target 4 (sd-advanced: 3)
WORKED = {
    "ps-coding": 3,  # 2/3
    "ps-ml": 2,  # 1/3
    "sd-pipelines": 1,  # 0
    "sd-serving": 4,  # 1
    "sd-advanced": None,  # skipped: level 1, readiness 0 (advanced: weight 0.5, target 3)
    "co-structures": 5,  # 1
    "co-algorithms": 3,  # 2/3
    "be-ambiguity": 4,  # 1
    "be-failure": 2,  # 1/3
}


def test_topic_readiness_and_gap_levels() -> None:
    assert topic_readiness(1, 4) == 0.0
    assert topic_readiness(2, 4) == pytest.approx(1 / 3)
    assert topic_readiness(4, 4) == 1.0
    assert topic_readiness(5, 4) == 1.0
    assert topic_readiness(1, 1) == 1.0
    assert topic_readiness(3, 5) == 0.5
    assert gap_levels(2, 4) == 2
    assert gap_levels(5, 4) == 0


def test_worked_round_readiness(tiny: Rubric) -> None:
    rounds = round_readiness(tiny, WORKED, 4)
    assert list(rounds) == ["phone-screen", "system-design", "coding", "behavioral"]
    assert rounds["phone-screen"] == pytest.approx(0.5)  # (2/3 + 1/3) / 2
    assert rounds["system-design"] == pytest.approx(0.4)  # (0 + 1 + 0 * 0.5) / 2.5
    assert rounds["coding"] == pytest.approx(5 / 6)  # (1 + 2/3) / 2
    assert rounds["behavioral"] == pytest.approx(2 / 3)  # (1 + 1/3) / 2


def test_worked_overall_readiness(tiny: Rubric) -> None:
    # 0.1*0.5 + 0.4*0.4 + 0.25*5/6 + 0.25*2/3 = 0.05 + 0.16 + 0.208333 + 0.166667
    assert overall_readiness(tiny, WORKED, 4) == pytest.approx(0.585)


def test_worked_criterion_readiness(tiny: Rubric) -> None:
    crit = criterion_readiness(tiny, WORKED, 4)
    assert list(crit) == ["role-knowledge", "problem-solving", "craftsmanship", "culture-values"]
    # role-knowledge: phone-screen 0.1*0.5 at 0.5, system-design 0.4*0.5 at 0.4
    assert crit["role-knowledge"] == pytest.approx((0.05 * 0.5 + 0.2 * 0.4) / 0.25)  # 0.42
    # problem-solving: system-design 0.4*0.5 at 0.4, coding 0.25*0.4 at 5/6
    assert crit["problem-solving"] == pytest.approx((0.2 * 0.4 + 0.1 * 5 / 6) / 0.3)
    # craftsmanship: phone-screen 0.1*0.5 at 0.5, coding 0.25*0.6 at 5/6 -> 0.75
    assert crit["craftsmanship"] == pytest.approx(0.75)
    assert crit["culture-values"] == pytest.approx(2 / 3)


def test_worked_gaps_and_priorities(tiny: Rubric) -> None:
    s = score(tiny, WORKED, 4)
    # priority = gap/4 x topic weight x round weight; sd-advanced: gap 3 - 1 = 2 (target 3)
    assert priorities(tiny, WORKED, 4) == pytest.approx(
        {
            "ps-coding": 0.25 * 1 * 0.1,
            "ps-ml": 0.5 * 1 * 0.1,
            "sd-pipelines": 0.75 * 1 * 0.4,
            "sd-serving": 0.0,
            "sd-advanced": 0.5 * 0.5 * 0.4,
            "co-structures": 0.0,
            "co-algorithms": 0.25 * 1 * 0.25,
            "be-ambiguity": 0.0,
            "be-failure": 0.5 * 1 * 0.25,
        }
    )
    assert [g.topic for g in s.gaps] == [
        "sd-pipelines",  # 0.3
        "be-failure",  # 0.125
        "sd-advanced",  # 0.1
        "co-algorithms",  # 0.0625
        "ps-ml",  # 0.05
        "ps-coding",  # 0.025
    ]
    assert s.skipped == ["sd-advanced"]
    advanced = s.topics["sd-advanced"]
    assert (advanced.rating, advanced.level, advanced.target, advanced.gap) == (None, 1, 3, 2)
    assert advanced.source == "unrated"
    assert advanced.to_json() == {
        "topic": "sd-advanced", "round": "system-design", "title": "Advanced designs",
        "depth": "advanced", "rating": 1, "rated": False, "target": 3, "gap": 2,
        "priority": 0.1, "readiness": 0.0, "source": "unrated",
    }


def test_topic_target_overrides_profile(tmp_path: Path, tiny: Rubric) -> None:
    text = TINY.read_text().replace(
        "        title: Ambiguity\n", "        title: Ambiguity\n        target: 2\n"
    )
    path = tmp_path / "targets.yaml"
    path.write_text(text)
    rubric = load_rubric_file(path)
    assert targets(rubric, 5)["be-ambiguity"] == 2
    assert targets(rubric, 5)["be-failure"] == 5
    s = score(rubric, {"be-ambiguity": 2, "be-failure": 2}, 5)
    assert s.topics["be-ambiguity"].gap == 0
    assert s.topics["be-ambiguity"].readiness == 1.0


def test_ties_break_in_rubric_order(tiny: Rubric) -> None:
    s = score(tiny, {t: 2 for t in tiny.topics}, 4)
    # priorities: sd core 2/4 x 1 x 0.4 = 0.2 (tie), coding and behavioral 2/4 x 0.25 = 0.125
    # (tie), phone screen 2/4 x 0.1 = 0.05 (tie) and sd-advanced (target 3, gap 1)
    # 1/4 x 0.5 x 0.4 = 0.05 too; equal priorities go by the bigger gap (2 before 1), then
    # rubric order
    order = [g.topic for g in s.gaps]
    assert order == ["sd-pipelines", "sd-serving", "co-structures", "co-algorithms",
                     "be-ambiguity", "be-failure", "ps-coding", "ps-ml", "sd-advanced"]


def test_bad_levels_are_input_errors(tiny: Rubric) -> None:
    with pytest.raises(InputError, match="ps-coding"):
        score(tiny, {"ps-coding": 6}, 4)
    with pytest.raises(InputError, match="target level"):
        score(tiny, {}, 0)


def test_unknown_topics_are_ignored_and_missing_count_as_one(tiny: Rubric) -> None:
    s = score(tiny, {"nope": 5}, 4)
    assert s.overall == 0.0
    assert s.skipped == list(tiny.topics)


# ----- effective ratings -------------------------------------------------------------------------


def test_effective_ratings_take_the_lower_and_mark_the_mentor(tiny: Rubric) -> None:
    mine = {"ps-coding": 4, "ps-ml": 2, "sd-pipelines": 3, "sd-serving": None}
    theirs = {"ps-coding": 2, "ps-ml": 3, "sd-serving": 2}
    eff = effective_ratings(tiny, mine, theirs)
    assert eff["ps-coding"].level == 2 and eff["ps-coding"].source == "mentor"
    assert eff["ps-ml"].level == 2 and eff["ps-ml"].source == "self"
    assert eff["sd-pipelines"].level == 3 and eff["sd-pipelines"].source == "self"
    # skipped by the candidate, rated by the mentor: the mentor's rating is used
    assert eff["sd-serving"].level == 2 and eff["sd-serving"].source == "mentor"
    assert eff["sd-advanced"].level is None and eff["sd-advanced"].source == "unrated"
    assert eff["ps-coding"].to_json() == {
        "topic": "ps-coding", "level": 2, "self": 4, "mentor": 2, "source": "mentor",
        "mentor_date": None, "disputed": True,
    }
    assert not eff["ps-ml"].disputed and not eff["sd-serving"].disputed
    s = score_effective(tiny, eff, 4)
    assert s.mentor_marked == ["ps-coding", "sd-serving"]
    assert s.topics["ps-coding"].source == "mentor"
    assert s.topics["ps-coding"].level == 2


def test_latest_levels_keeps_the_newest_non_skipped() -> None:
    assert latest_levels([{"a": 2, "b": 3}, {"a": None, "b": 4}, {"c": 1}]) == {
        "a": 2, "b": 4, "c": 1
    }


# ----- calibration -------------------------------------------------------------------------------


def test_calibration_verdicts_and_directions(tiny: Rubric) -> None:
    mine = {"ps-coding": 3, "sd-pipelines": 4, "co-structures": 2, "be-failure": 3}
    theirs = {"ps-coding": 3, "sd-pipelines": 2, "co-structures": 3, "be-ambiguity": 4}
    rows = calibration(tiny, mine, theirs)
    assert [(r.topic, r.diff, r.verdict, r.direction) for r in rows] == [
        ("ps-coding", 0, "agree", "aligned"),
        ("sd-pipelines", 2, "disconnect", "over-confident"),
        ("co-structures", -1, "worth a chat", "under-confident"),
    ]
    assert rows[1].to_json() == {
        "topic": "sd-pipelines", "round": "system-design", "title": "Feature pipelines",
        "self": 4, "mentor": 2, "diff": 2, "verdict": "disconnect", "direction": "over-confident",
    }
    assert calibration_summary(rows) == {
        "topics": 3, "agree": 1, "worth a chat": 1, "disconnect": 1,
        "over-confident": 1, "under-confident": 1,
    }


def test_calibration_disconnect_under_confident(tiny: Rubric) -> None:
    rows = calibration(tiny, {"ps-ml": 1}, {"ps-ml": 5})
    assert [(r.diff, r.verdict, r.direction) for r in rows] == [
        (-4, "disconnect", "under-confident")
    ]


# ----- properties --------------------------------------------------------------------------------

LEVEL = st.one_of(st.none(), st.integers(1, 5))


@settings(max_examples=60, deadline=None)
@given(data=st.data(), target=st.integers(1, 5))
def test_readiness_is_bounded_and_monotone(tiny: Rubric, data: st.DataObject, target: int) -> None:
    ratings = {t: data.draw(LEVEL, label=t) for t in tiny.topics}
    s = score(tiny, ratings, target)
    values = [s.overall, *s.rounds.values(), *s.criteria.values(),
              *(t.readiness for t in s.topics.values())]
    assert all(0.0 <= v <= 1.0 for v in values)
    topic = data.draw(st.sampled_from(list(tiny.topics)), label="raise")
    current = ratings[topic] or 1
    if current < 5:
        higher = score(tiny, {**ratings, topic: current + 1}, target)
        assert higher.overall >= s.overall - 1e-12
        assert higher.topics[topic].gap <= s.topics[topic].gap
    # every gap listed once, biggest priority first
    gaps = s.gaps
    assert {g.topic for g in gaps} == {t for t, ts in s.topics.items() if ts.gap > 0}
    assert all(a.priority >= b.priority - 1e-12 for a, b in zip(gaps, gaps[1:], strict=False))


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_effective_rating_is_never_above_either_rating(tiny: Rubric, data: st.DataObject) -> None:
    mine = {t: data.draw(LEVEL, label=f"self {t}") for t in tiny.topics}
    theirs = {t: data.draw(LEVEL, label=f"mentor {t}") for t in tiny.topics}
    for t, e in effective_ratings(tiny, mine, theirs).items():
        present = [x for x in (mine[t], theirs[t]) if x is not None]
        assert e.level == (min(present) if present else None)
        assert e.source == ("unrated" if not present else
                            "mentor" if theirs[t] is not None and (
                                mine[t] is None or theirs[t] < mine[t]) else "self")
