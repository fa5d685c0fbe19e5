"""The story bank's pure rules (critique, coverage) and the plan's story sessions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assess.evidence.scoring import score
from assess.plan.planner import build_plan
from assess.rubric.model import load_rubric
from assess.stories.star import SETUP_WORD_LIMIT, Story, behavioral_questions, coverage, critique

GOOD = Story(
    title="Spam model rollback",
    situation="Our new spam model lost its A/B test after a strong offline result.",
    task="I owned finding out why before the next release.",
    action="I compared training and serving features one at a time, found a feature computed "
           "differently online, wrote a shared transform and re-ran the test in shadow first.",
    result="The re-run won and we cut false positives 30%.",
    metric="cut false positives 30%",
    topics=("bh-failure",),
    questions=("bh-failure-q1",),
    id=1,
)
BEHAVIORAL = ["rs-pitch-q1", "bh-ambiguity-q1", "bh-cross-functional-q1", "bh-failure-q1",
              "bh-star-impact-q1"]


def codes(story: Story) -> list[str]:
    return [f.code for f in critique(story)]


def with_(**changes: object) -> Story:
    return Story(**{**GOOD.__dict__, **changes})  # type: ignore[arg-type]


def test_a_well_told_story_has_no_flags() -> None:
    assert codes(GOOD) == []


def test_each_rule_flags_its_own_fault() -> None:
    assert codes(with_(result="It went well and everyone was happy.", metric=None)) == [
        "vague-result", "no-metric"]
    # a concrete outcome without a number is not vague, but has no metric
    assert codes(with_(result="We shipped it to every server.", metric=None)) == ["no-metric"]
    assert codes(with_(action="We talked it over and agreed.")) == [
        "short-action", "not-first-person"]
    assert codes(with_(action=GOOD.action.replace("I ", "We "))) == ["not-first-person"]
    long = " ".join(["word"] * (SETUP_WORD_LIMIT + 1))
    flags = critique(with_(situation=long, action=GOOD.action * 3))
    assert [f.code for f in flags] == ["long-setup"]
    assert flags[0].message == (f"Situation and Task are {SETUP_WORD_LIMIT + 10} words: trim 10 "
                                f"to keep them under {SETUP_WORD_LIMIT} (about 30 seconds)")
    assert codes(with_(topics=())) == ["no-topic"]


def test_a_story_tagged_to_every_behavioral_question_is_stretched() -> None:
    rubric = load_rubric()
    assert list(behavioral_questions(rubric)) == BEHAVIORAL
    everything = with_(questions=tuple(BEHAVIORAL))
    flags = critique(everything)
    assert [f.code for f in flags] == ["stretched"]
    assert flags[0].message == ("used for 5 questions (at most 3): write another story for "
                                "some of them")
    assert codes(with_(questions=tuple(BEHAVIORAL[:3]))) == []
    cover = coverage(rubric, [everything])
    assert cover.stretched == (1,) and cover.uncovered == ()


def test_coverage_maps_every_behavioral_question_to_its_stories() -> None:
    rubric = load_rubric()
    second = with_(id=2, questions=("bh-failure-q1", "rs-pitch-q1"))
    cover = coverage(rubric, [GOOD, second])
    assert cover.questions == {"rs-pitch-q1": (2,), "bh-ambiguity-q1": (),
                               "bh-cross-functional-q1": (), "bh-failure-q1": (1, 2),
                               "bh-star-impact-q1": ()}
    assert cover.uncovered == ("bh-ambiguity-q1", "bh-cross-functional-q1", "bh-star-impact-q1")
    assert cover.topics["rs-pitch"] == ("rs-pitch-q1",)


def _every_question_told() -> list[Story]:
    """A story for every behavioral question: nothing is left to write, so a worked
    topic's story session becomes a rehearsal."""
    rubric = load_rubric()
    return [with_(id=n, topics=(rubric.question(q)[0].id,), questions=(q,))
            for n, q in enumerate(BEHAVIORAL, 1)]


def _plan(stories: list[Story] | None) -> dict:
    rubric = load_rubric()
    ratings = {tid: 2 for tid in rubric.topics}
    return build_plan(rubric, score(rubric, ratings, 4), hours_per_week=10,
                      today=dt.date(2026, 11, 30), interview_date=dt.date(2026, 12, 28),
                      stories=stories).to_json()


def _story_sessions(plan: dict) -> list[dict]:
    return [s for w in plan["weeks"] for s in w["sessions"] if s["activity"] == "story"]


def test_the_plan_writes_a_story_for_each_uncovered_topic_before_the_onsite() -> None:
    plan = _plan([GOOD])
    sessions = _story_sessions(plan)
    writes = [s for s in sessions if s["detail"].startswith("Write a story for: ")]
    rubric = load_rubric()
    # the behavioral topic the plan works this time has no story yet: it is written first;
    # the other uncovered ones are left out this time, each with why
    assert {s["topic"] for s in writes} == {"bh-ambiguity"}
    left_out = {p["topic"] for p in plan["not_this_time"]}
    assert {"rs-pitch", "bh-cross-functional", "bh-star-impact"} <= left_out
    for s in writes:
        qid = rubric.topics[s["topic"]].questions[0].id
        text = " ".join(rubric.question(qid)[1].text.split())
        assert s["detail"].startswith(f"Write a story for: {text[:40]}")
        assert s["date"] < "2026-12-28"
    told = _story_sessions(_plan(_every_question_told()))
    rehearsals = [s for s in told if s["topic"] == "bh-ambiguity"]
    assert rehearsals and all(
        s["detail"] == "Tell your story 'Spam model rollback' out loud in about 3 minutes, "
        "timed; then check it against the question's checklist." for s in rehearsals)


def test_story_sessions_keep_the_plan_hours_and_days() -> None:
    before = _plan(None)
    after = _plan([])
    assert [w["hours"] for w in before["weeks"]] == [w["hours"] for w in after["weeks"]]
    assert before["allocation"]["rounds"] == after["allocation"]["rounds"]
    assert [(s["date"], s["hours"], s["activity"], s["round"])
            for w in before["weeks"] for s in w["sessions"]] == [
        (s["date"], s["hours"], s["activity"], s["round"])
        for w in after["weeks"] for s in w["sessions"]]
    ids = [s["id"] for w in after["weeks"] for s in w["sessions"]]
    assert len(ids) == len(set(ids))
    # without a story bank nothing is rewritten
    assert not any(s["detail"].startswith("Write a story") for s in _story_sessions(before))


def test_an_older_database_gains_the_story_table(assess_home: Path) -> None:
    from assess.store import Store
    from assess.store.migrations import LATEST

    with Store.open(assess_home, migrate_to=4) as old:
        assert old.schema_version() == 4
    with Store.open(assess_home) as store:
        assert store.schema_version() == LATEST >= 6
        assert store.stories() == []
        saved = store.add_story(GOOD)
        assert (saved.id, len(saved.uid)) == (1, 32)
        assert store.add_story(GOOD) == saved  # the same story twice is one story
        changed = store.replace_story(1, with_(title="Rolled back", id=0))
        assert store.story(1) == changed and changed.uid == saved.uid
        assert store.remove_story(1).title == "Rolled back"
        assert store.stories() == []


def test_write_and_rehearsal_sessions_are_marked_for_the_views() -> None:
    plan = _plan([GOOD, with_(id=2, topics=("bh-cross-functional",),
                              questions=("bh-cross-functional-q1",))])
    sessions = _story_sessions(plan) + _story_sessions(_plan(_every_question_told()))
    assert {s["kind"] for s in sessions if s["detail"].startswith("Write a story")} == {"write"}
    assert {s["kind"] for s in sessions if s["detail"].startswith("Tell your story")} == {
        "rehearsal"}
    # the detail names the question, which is not repeated as a practice question
    assert all(s["question"] is None for s in sessions if s["kind"] == "write")
