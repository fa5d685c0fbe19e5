"""The engine against a real store: which ratings are used, hours, history, and the errors."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from assess.app.engine import State, current_state, read_history
from assess.errors import UsageError
from assess.evidence.scoring import overall_readiness
from assess.rubric.model import Rubric, load_rubric, load_rubric_file
from assess.rubric.profile import Profile
from assess.store import Store

TINY = Path(__file__).parent / "fixtures" / "planner" / "tiny.yaml"
TODAY = dt.date(2026, 11, 25)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def tiny() -> Rubric:
    return load_rubric_file(TINY)


def all_at(rubric: Rubric, level: int, **changes: int | None) -> dict[str, int | None]:
    ratings: dict[str, int | None] = {t: level for t in rubric.topics}
    ratings.update(changes)
    return ratings


def make_profile(home: Path, interview: dt.date | None = None, hours: float = 10) -> None:
    with Store.open(home) as store:
        store.save_profile(Profile(name="Ana", rubric=str(TINY), interview_date=interview,
                                   hours_per_week=hours, target_level=4))


def rate(home: Path, rubric: Rubric, rater: str, day: dt.date,
         ratings: dict[str, int | None]) -> None:
    with Store.open(home) as store:
        store.add_assessment(rater, day, rubric, ratings)


def test_no_profile_says_run_init(assess_home: Path) -> None:
    with pytest.raises(UsageError) as err:
        current_state(assess_home, TODAY)
    assert str(err.value) == (
        "no profile yet. Run `assess init` first (or `assess start` for a guided first run), "
        "then `assess rate`."
    )


def test_no_complete_self_assessment_says_run_rate(assess_home: Path, tiny: Rubric) -> None:
    make_profile(assess_home)
    rate(assess_home, tiny, "mentor", days(-1), all_at(tiny, 3))  # a mentor's alone is not enough
    with pytest.raises(UsageError) as err:
        current_state(assess_home, TODAY)
    assert str(err.value) == (
        "no complete self-assessment for planner-tiny yet, so there is nothing to plan from. "
        "Run `assess rate` to rate every topic (a couple of minutes; `assess rate --answers "
        "FILE` works without a terminal)."
    )


def test_unfinished_self_assessment_says_resume(assess_home: Path, tiny: Rubric) -> None:
    make_profile(assess_home)
    with Store.open(assess_home) as store:
        aid = store.begin_assessment("self", TODAY, tiny)
        store.record_rating(aid, "ps-coding", 3)
    with pytest.raises(UsageError, match="You have an unfinished one: run `assess rate` to pick "
                                         "up where you left off."):
        current_state(assess_home, TODAY)


def test_plan_without_hours_or_date_spans_four_weeks(assess_home: Path, tiny: Rubric) -> None:
    make_profile(assess_home)
    rate(assess_home, tiny, "self", TODAY, all_at(tiny, 2))
    state = current_state(assess_home, TODAY)
    assert isinstance(state, State)
    assert state.rubric.meta.id == "planner-tiny"
    assert state.profile.name == "Ana"
    assert state.plan.weeks_total == 4
    assert state.plan.interview_date is None
    assert state.logged == {"phone-screen": 0.0, "system-design": 0.0, "coding": 0.0,
                            "behavioral": 0.0}
    assert state.hours_entries == []
    # whole cycles by value: the undated phone screen's topics are left out this time
    assert state.plan.allocation.planned == {
        "phone-screen": 0.0, "system-design": 18.5, "coding": 11.0, "behavioral": 10.5
    }
    assert state.previous_self is None and state.moves == [] and state.calibration == []
    assert state.plan.notes[0].startswith("No onsite date set, so this plan spans 4 weeks")


def test_standing_mentor_ratings_lower_it_whatever_their_date(
    assess_home: Path, tiny: Rubric
) -> None:
    make_profile(assess_home, interview=days(21))
    rate(assess_home, tiny, "mentor", days(-10), {"sd-serving": 1, "co-algorithms": 1})
    rate(assess_home, tiny, "self", days(-7), all_at(tiny, 4, **{"ps-ml": 2, "be-failure": None}))
    rate(assess_home, tiny, "mentor", days(-3),
         {"sd-pipelines": 2, "ps-ml": 5, "be-failure": 3, "co-structures": 4})
    state = current_state(assess_home, TODAY)
    eff = state.effective
    assert (eff["sd-pipelines"].level, eff["sd-pipelines"].source) == (2, "mentor")
    assert (eff["ps-ml"].level, eff["ps-ml"].source) == (2, "self")  # the mentor's is higher
    assert (eff["be-failure"].level, eff["be-failure"].source) == (3, "mentor")  # self skipped
    # a mentor's rating from before the self-assessment still stands: the self-rating above
    # it is disputed, and the plan uses the mentor's until the mentor rates the topic again
    assert (eff["sd-serving"].level, eff["sd-serving"].source) == (1, "mentor")
    assert eff["sd-serving"].disputed and eff["sd-serving"].mentor_date == days(-10)
    assert eff["sd-pipelines"].mentor_date == days(-3)
    assert not eff["ps-ml"].disputed and not eff["be-failure"].disputed
    assert [e.topic for e in state.disputed] == ["sd-pipelines", "sd-serving", "co-algorithms"]
    assert state.scores.mentor_marked == ["sd-pipelines", "sd-serving", "co-algorithms",
                                          "be-failure"]
    assert state.scores.topics["sd-pipelines"].gap == 2
    assert state.self_scores.topics["sd-pipelines"].gap == 0
    assert state.plan.notes[-1] == (
        "Your mentor rated 4 topic(s) lower than you did, so the plan uses the mentor's rating "
        "there until the mentor rates them again: Feature pipelines, Serving and latency, "
        "Algorithms, "
        "Failure."
    )
    # calibration: self vs the mentor's latest rating per topic, where both rated
    rows = {r.topic: (r.diff, r.verdict, r.direction) for r in state.calibration}
    assert rows == {
        "ps-ml": (-3, "disconnect", "under-confident"),
        "sd-pipelines": (2, "disconnect", "over-confident"),
        "sd-serving": (3, "disconnect", "over-confident"),
        "co-structures": (0, "agree", "aligned"),
        "co-algorithms": (3, "disconnect", "over-confident"),
    }
    assert [a.date for a in state.mentor_assessments] == [days(-10), days(-3)]
    assert state.latest_mentor is not None and state.latest_mentor.date == days(-3)
    assert state.mentor_ratings["sd-serving"] == 1


def test_hours_and_assessments_after_today_are_ignored(assess_home: Path, tiny: Rubric) -> None:
    make_profile(assess_home, interview=days(14))
    rate(assess_home, tiny, "self", days(-7), all_at(tiny, 2))
    rate(assess_home, tiny, "self", days(2), all_at(tiny, 5))
    with Store.open(assess_home) as store:
        store.log_hours("coding", 10.0, days(-5), "week one")
        store.log_hours("system-design", 4.0, days(1), "tomorrow")
    state = current_state(assess_home, TODAY)
    assert state.self_assessment.date == days(-7)
    assert state.logged["coding"] == 10.0 and state.logged["system-design"] == 0.0
    assert [e.note for e in state.hours_entries] == ["week one"]
    a = state.plan.allocation
    assert a.planned == {"phone-screen": 0.0, "system-design": 13.0, "coding": 5.0,
                         "behavioral": 1.5}
    assert a.overall_share("system-design") >= 0.4
    later = current_state(assess_home, days(3))
    assert later.self_assessment.date == days(2)
    assert later.logged["system-design"] == 4.0


def test_previous_check_in_and_what_moved(assess_home: Path, tiny: Rubric) -> None:
    make_profile(assess_home, interview=days(21))
    rate(assess_home, tiny, "self", days(-14), all_at(tiny, 1))
    rate(assess_home, tiny, "self", days(-7), all_at(tiny, 2))
    rate(assess_home, tiny, "self", TODAY, all_at(tiny, 2, **{"sd-serving": 4, "ps-ml": None}))
    state = current_state(assess_home, TODAY)
    assert state.previous_self is not None and state.previous_self.date == days(-7)
    assert state.previous_scores is not None
    # all at 2, target 4: core topics 1/3; sd-advanced aims at 3, so (2-1)/(3-1) = 1/2 and
    # system design is (1/3 + 1/3 + 0.5 x 1/2) / 2.5 = 11/30; overall
    # 0.6 x 1/3 + 0.4 x 11/30 = 26/75
    assert state.previous_scores.overall == pytest.approx(26 / 75)
    moves = [(m.topic, m.before, m.after, m.delta) for m in state.moves]
    assert moves == [("ps-ml", 2, None, -1), ("sd-serving", 2, 4, 2)]
    assert state.moves[1].to_json() == {"topic": "sd-serving", "round": "system-design",
                                        "title": "Serving and latency", "before": 2, "after": 4,
                                        "delta": 2}


def test_history_is_read_lazily_with_readiness(assess_home: Path, tiny: Rubric) -> None:
    make_profile(assess_home, interview=days(21))
    rate(assess_home, tiny, "self", days(-7), all_at(tiny, 2))
    rate(assess_home, tiny, "mentor", days(-1), {"ps-ml": 3})
    rate(assess_home, tiny, "self", TODAY, all_at(tiny, 3))
    state = current_state(assess_home, TODAY)
    assert "history" not in vars(state)  # not read until asked for
    rows = [h.to_json() for h in state.history]
    assert [(r["date"], r["rater"], r["complete"]) for r in rows] == [
        ("2026-11-18", "self", True), ("2026-11-24", "mentor", False), ("2026-11-25", "self", True)
    ]
    # all at 2: 26/75 (see above); all at 3: core topics 2/3, sd-advanced at its target 3 is 1,
    # system design (2/3 + 2/3 + 0.5) / 2.5 = 11/15; overall 0.6 x 2/3 + 0.4 x 11/15 = 52/75
    assert rows[0]["readiness"] == round(26 / 75, 4)
    assert rows[2]["readiness"] == round(52 / 75, 4)
    # the mentor's partial assessment: the mentor's rating where given, self (all at 2) elsewhere
    blended = {**all_at(tiny, 2), "ps-ml": 3}
    assert rows[1]["readiness"] == round(overall_readiness(tiny, blended, 4), 4)
    assert rows[1]["readiness"] > rows[0]["readiness"]
    assert rows[2]["ratings"] == all_at(tiny, 3)
    assert [h.readiness for h in read_history(assess_home, days(-2))] == [pytest.approx(26 / 75)]


def test_rubric_override_and_other_rubrics_history(assess_home: Path, tiny: Rubric) -> None:
    make_profile(assess_home, interview=days(28))
    rate(assess_home, tiny, "self", days(-3), all_at(tiny, 2))
    discord = load_rubric()
    rate(assess_home, discord, "self", days(-1), all_at(discord, 3))
    # the newest self-assessment is for another rubric: the tiny one is still found
    state = current_state(assess_home, TODAY)
    assert state.self_assessment.rubric_id == "planner-tiny"
    assert state.self_assessment.date == days(-3)
    other = current_state(assess_home, TODAY, "discord-mle")
    assert other.rubric.meta.id == "discord-mle"
    assert other.self_assessment.date == days(-1)
    assert other.plan.weeks_total == 4


def test_bundled_rubric_plans_from_the_stored_snapshot(assess_home: Path) -> None:
    discord = load_rubric()
    older = replace(discord, meta=replace(discord.meta, title="The loop as it was"))
    with Store.open(assess_home) as store:
        store.save_profile(Profile(name="Ana", rubric="discord-mle", interview_date=days(28)))
        store.add_assessment("self", days(-1), older, all_at(discord, 2))
    state = current_state(assess_home, TODAY)
    assert state.rubric.meta.title == "The loop as it was"  # what the ratings were given against
    assert state.plan.weeks_total == 4
    # and planning from a snapshot validates no file: pydantic and yaml stay unimported
    code = (
        "import sys, datetime as dt, pathlib\n"
        "from assess.app.engine import current_state\n"
        f"current_state(pathlib.Path({str(assess_home)!r}), dt.date(2026, 11, 25))\n"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"


def test_the_mentor_note_names_topics_by_title(tmp_path: Path) -> None:
    from assess.app.demo import build_demo_home

    today = dt.date(2026, 11, 25)
    build_demo_home(tmp_path / "demo", today)
    state = current_state(tmp_path / "demo", today)
    note = next(n for n in state.plan.notes if n.startswith("Your mentor rated"))
    assert note == (
        "Your mentor rated 3 topic(s) lower than you did, so the plan uses the mentor's rating "
        "there until the mentor rates them again: Model serving and latency, Abuse, spam and "
        "fraud detection systems, STAR stories with measurable impact."
    )
