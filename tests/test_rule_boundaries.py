"""The rules' edges, each pinned where an off-by-one or a swapped operator would show.

Every case here was checked by planting the bug it names (``<`` for ``<=``, ``or`` for ``and``,
a dropped condition) and watching the test fail. Pure rules only: attempts, evidence and FSRS
(assess.evidence.practice), the story critique and coverage (assess.stories.star,
assess.inputs.story_file), the
stage dates (assess.app.stages). Plans, imports and forms are in test_rule_plans.py and
test_rule_inputs.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

from assess.errors import InputError
from assess.evidence.practice import EVIDENCE_DAYS, Attempt, due_dates, evidence
from assess.inputs.story_file import parse_stories
from assess.rubric.model import load_rubric
from assess.stories.star import SETUP_WORD_LIMIT, Story, coverage, critique

DAY = dt.date(2026, 11, 30)
RUBRIC = load_rubric("discord-mle")


def attempt(points: int, total: int, minutes: float, box: int = 40, *, day: dt.date = DAY,
            question: str = "q", uid: str = "") -> Attempt:
    return Attempt(question=question, topic="t", date=day, minutes=minutes,
                   covered=tuple(range(1, points + 1)), total=total, time_box=box, uid=uid)


# ----- the FSRS grade of an attempt --------------------------------------------------------------


@pytest.mark.parametrize(("points", "total", "minutes", "grade"), [
    (1, 2, 40, "Hard"),    # exactly 50%: not "under 50%", so not Again
    (3, 6, 40, "Hard"),
    (2, 5, 40, "Again"),   # 40%
    (3, 4, 40, "Good"),    # exactly 75% inside the box: not "under 75%", so not Hard
    (2, 3, 40, "Hard"),    # 67%
    (9, 10, 40, "Easy"),   # exactly 90% inside the box
    (8, 9, 40, "Good"),    # 89%
    (9, 10, 41, "Hard"),   # 90% a minute over the box: over the box is Hard
    (10, 10, 60, "Hard"),  # exactly 1.5x the box: not "more than 1.5x", so not Again
    (10, 10, 60.5, "Again"),
    (10, 10, 40, "Easy"),  # exactly the box is inside it
])
def test_the_grade_at_each_boundary(points: int, total: int, minutes: float,
                                    grade: str) -> None:
    assert attempt(points, total, minutes).grade == grade


@pytest.mark.parametrize(("points", "total", "minutes", "supports"), [
    (3, 4, 40, True),    # exactly 75%, exactly the time box
    (3, 4, 40.5, False),  # 75%, half a minute over
    (2, 3, 30, False),   # 67% inside the box
    (1, 6, 20, False),   # 1 of 6 points, well inside the box: never support for a 4
    (6, 6, 41, False),   # everything, but over the box
])
def test_support_needs_both_the_points_and_the_time(points: int, total: int, minutes: float,
                                                    supports: bool) -> None:
    assert attempt(points, total, minutes).supports is supports


def test_one_point_of_six_inside_the_time_box_does_not_verify_a_4() -> None:
    quick = attempt(1, 6, 10)
    found = evidence("t", 4, DAY - dt.timedelta(days=3), 4, [quick], DAY)
    assert found.status != "verified"


# ----- evidence ----------------------------------------------------------------------------------


def test_an_attempt_exactly_21_days_old_still_counts() -> None:
    assert EVIDENCE_DAYS == 21
    rated = DAY - dt.timedelta(days=30)
    good = attempt(6, 6, 30, day=DAY - dt.timedelta(days=21))
    assert evidence("t", 4, rated, 4, [good], DAY).status == "verified"
    older = attempt(6, 6, 30, day=DAY - dt.timedelta(days=22))
    found = evidence("t", 4, rated, 4, [older], DAY)
    assert (found.status, found.attempts) == ("unverified", 0)


def test_a_cap_is_lifted_by_the_mentor_only_when_rated_after_the_attempt() -> None:
    from assess.evidence.practice import caps_for

    poor = attempt(1, 6, 30, day=DAY - dt.timedelta(days=2))
    assert caps_for([poor])["t"].level == 2
    # the mentor's rating the day before the attempt leaves the cap; on its day it lifts it
    assert caps_for([poor], {"t": DAY - dt.timedelta(days=3)})["t"].level == 2
    assert caps_for([poor], {"t": DAY - dt.timedelta(days=2)}) == {}
    # the cap, not the self rating, is the level planned
    capped = evidence("t", 4, DAY, 4, [poor], DAY, caps_for([poor])["t"])
    assert (capped.status, capped.level_used) == ("contradicted", 2)


def test_half_the_points_caps_at_3_and_just_under_half_at_2() -> None:
    from assess.evidence.practice import caps_for

    assert caps_for([attempt(3, 6, 30)])["t"].level == 3
    assert caps_for([attempt(2, 6, 30)])["t"].level == 2
    # 75% inside the time box lifts any cap; 75% at 1.5x the box plus a minute is a fail
    assert caps_for([attempt(2, 6, 30), attempt(6, 8, 30, day=DAY + dt.timedelta(days=1))]) == {}
    assert caps_for([attempt(6, 6, 45 * 1.5 + 1, box=45)])["t"].level == 2
    assert caps_for([attempt(6, 6, 45 * 1.5, box=45)]) == {}


def test_an_attempt_of_another_topic_is_no_evidence() -> None:
    other = Attempt("q", "other", DAY, 30, (1, 2, 3, 4, 5, 6), 6, 40)
    assert evidence("t", 4, DAY, 4, [other], DAY).attempts == 0


# ----- FSRS: one card per question ---------------------------------------------------------------


def test_each_question_is_one_card_across_its_attempts() -> None:
    first = attempt(6, 6, 30, uid="1")
    second = attempt(6, 6, 30, day=DAY + dt.timedelta(days=3), uid="2")
    alone = due_dates([second])["q"]
    both = due_dates([first, second])["q"]
    # a second good review of the same card lasts longer than a first review would
    assert both > alone
    # a failed first attempt makes the same second attempt come back sooner than two good ones
    failed_first = attempt(1, 6, 30, uid="1")
    assert due_dates([failed_first, second])["q"] < both


def test_cards_of_different_questions_are_apart() -> None:
    mine = attempt(6, 6, 30, question="a", uid="1")
    other = attempt(1, 6, 30, question="b", uid="2")
    assert due_dates([mine, other])["a"] == due_dates([mine])["a"]


# ----- stories -----------------------------------------------------------------------------------


STORY = Story(
    title="Spam model rollback",
    situation="Our new spam model lost its A/B test after a strong offline result.",
    task="I owned finding out why before the next release.",
    action="I compared training and serving features one at a time, found a feature computed "
           "differently online, wrote a shared transform and re-ran the test in shadow first.",
    result="The re-run won and we cut false positives 30%.",
    metric=None,
    topics=("bh-failure",),
    questions=("bh-failure-q1",),
    id=1,
)


def codes(**changes: object) -> list[str]:
    return [f.code for f in critique(Story(**{**STORY.__dict__, **changes}))]  # type: ignore[arg-type]


@pytest.mark.parametrize("result", [
    "Throughput doubled.", "We halved the review queue.", "It took half the time.",
    "Three teams adopted it.",
])
def test_a_number_word_is_a_number(result: str) -> None:
    assert codes(result=result) == []


def test_a_result_with_neither_number_nor_outcome_is_flagged() -> None:
    assert codes(result="Everyone was happy with it.") == ["vague-result", "no-metric"]
    assert codes(result="Everyone was happy with it.", metric="doubled signups") == []


def test_a_setup_of_exactly_the_limit_is_not_long() -> None:
    assert SETUP_WORD_LIMIT == 80
    words = ["word"] * SETUP_WORD_LIMIT
    action = " ".join(["I"] + ["acted"] * (SETUP_WORD_LIMIT + 1))
    assert codes(situation=" ".join(words[:50]), task=" ".join(words[50:]),
                 action=action) == []
    assert codes(situation=" ".join(words[:50]), task=" ".join(words[50:] + ["more"]),
                 action=action) == ["long-setup"]


@pytest.mark.parametrize("part", ["situation", "task", "result"])
def test_an_action_as_long_as_another_part_is_short(part: str) -> None:
    short = {"situation": "A busy quarter.", "task": "I owned it.", "result": "Cut 30% costs."}
    action = "I " + " ".join(["acted"] * 9)  # 10 words
    other = " ".join(["ten"] * 9) + " 30%"  # 10 words, a number for the result
    assert codes(**{**short, part: other}, action=action) == ["short-action"]
    assert codes(**{**short, part: other}, action=action + " more") == []


def test_a_question_listed_four_times_is_counted_once() -> None:
    [story] = parse_stories([{**STORY.fields(), "questions": ["bh-failure-q1"] * 4}],
                            "s.yaml", RUBRIC)
    assert story.questions == ("bh-failure-q1",)
    assert [f.code for f in critique(story)] == []
    # a story built elsewhere with the repeats still answers one question
    repeated = Story(**{**STORY.__dict__, "questions": ("bh-failure-q1",) * 4})
    assert [f.code for f in critique(repeated)] == []
    cover = coverage(RUBRIC, [repeated])
    assert cover.questions["bh-failure-q1"] == (1,)
    assert cover.stretched == ()


def test_four_different_questions_are_a_stretch() -> None:
    questions = ["rs-pitch-q1", "bh-ambiguity-q1", "bh-cross-functional-q1", "bh-failure-q1"]
    [story] = parse_stories([{**STORY.fields(), "questions": questions}], "s.yaml", RUBRIC)
    assert [f.code for f in critique(story)] == ["stretched"]
    three = Story(**{**STORY.__dict__, "questions": tuple(questions[:3])})
    assert [f.code for f in critique(three)] == []


# ----- stages ------------------------------------------------------------------------------------


def test_a_stage_dated_today_is_accepted_and_yesterday_is_refused() -> None:
    from assess.app.stages import parse_stage_flags

    dates, onsite = parse_stage_flags([f"technical-screen={DAY.isoformat()}"], RUBRIC, DAY)
    assert (dates, onsite) == ({"technical-screen": DAY}, False)
    with pytest.raises(InputError) as info:
        parse_stage_flags([f"technical-screen={DAY - dt.timedelta(days=1)}"], RUBRIC, DAY)
    assert str(info.value).startswith("--stage-date technical-screen: 2026-11-29 is in the past")


# ----- what the rules print ----------------------------------------------------------------------


def test_an_attempt_and_a_reattempt_as_json() -> None:
    from assess.evidence.practice import reattempts

    one = Attempt("co-algorithms-q1", "co-algorithms", DAY, 38.5, (1, 3), 6, 45, rater="peer",
                  note="slow start", uid="u1")
    assert one.to_json() == {
        "uid": "u1", "question_id": "co-algorithms-q1", "topic": "co-algorithms",
        "date": "2026-11-30", "minutes": 38.5, "covered": [1, 3], "points": 2, "total": 6,
        "time_box": 45, "rater": "peer", "note": "slow start", "grade": "Again",
    }
    assert one.summary() == "2/6 points in 38.5 of 45 min"
    [again] = reattempts([one])
    assert again.to_json() == {"question_id": "co-algorithms-q1", "topic": "co-algorithms",
                               "due": again.due.isoformat(), "last_grade": "Again",
                               "fsrs_due": again.due.isoformat(), "recall_onsite": None}


def test_a_failed_attempt_comes_back_on_a_later_day() -> None:
    # day-level scheduling: no learning steps that would make it due again the same evening
    assert due_dates([attempt(1, 6, 30)])["q"] > DAY
    assert due_dates([attempt(6, 6, 30)])["q"] > DAY


def test_the_evidence_line() -> None:
    none = evidence("t", 4, DAY, 4, [], DAY)
    assert none.line() == "evidence: no attempts yet"
    two = evidence("t", 4, DAY, 4, [attempt(5, 6, 38, box=45), attempt(2, 6, 20)], DAY)
    assert two.line() == "evidence: 2 attempts, best 5/6 points in 38 of 45 min"
    one = evidence("t", 4, DAY, 4, [attempt(5, 6, 38, box=45)], DAY)
    assert one.line() == "evidence: 1 attempt, best 5/6 points in 38 of 45 min"
    assert one.to_json() == {"topic": "t", "attempts": 1, "best": one.best.to_json(),
                             "status": "verified", "level_used": None, "cap": None,
                             "jump": None}


def test_a_long_point_is_cut_to_20_characters_in_the_message() -> None:
    from assess.evidence.practice import parse_covered

    with pytest.raises(InputError) as info:
        parse_covered("1 " + "x" * 30, 6, where="covered")
    assert str(info.value) == f"covered: {'x' * 20!r} is not a point number"


def test_every_flag_says_what_to_fix() -> None:
    setup = " ".join(["context"] * 85)
    story = Story(**{**STORY.__dict__, "situation": setup, "action": "We talked.",
                     "result": "It went well.", "metric": None, "topics": (),
                     "questions": ("rs-pitch-q1", "bh-ambiguity-q1", "bh-cross-functional-q1",
                                   "bh-failure-q1")})
    task = len(STORY.task.split())
    assert [(f.code, f.message) for f in critique(story)] == [
        ("vague-result", "the Result names no number or concrete outcome: say what changed "
                         "(shipped, cut, raised) and by how much"),
        ("no-metric", 'no measured result: add the number (e.g. "cut false positives 30%")'),
        ("short-action", "the Action (2 words) is not the longest part (Situation: 85 words): "
                         "say more of what you did"),
        ("not-first-person", 'the Action never says "I": tell what you did, not only what '
                             '"we" did'),
        ("long-setup", f"Situation and Task are {85 + task} words: trim {5 + task} to keep them "
                       "under 80 (about 30 seconds)"),
        ("no-topic", "tagged to no topic: add the topics it fits"),
        ("stretched", "used for 4 questions (at most 3): write another story for some of them"),
    ]
    assert [f.to_json() for f in critique(story)][-1] == {
        "code": "stretched",
        "message": "used for 4 questions (at most 3): write another story for some of them"}


def test_the_longest_other_part_is_named() -> None:
    flags = critique(Story(**{**STORY.__dict__, "action": "I fixed it.",
                              "result": "Cut 30% of the cost in two quarters of work."}))
    assert [f.message for f in flags] == [
        "the Action (3 words) is not the longest part (Situation: 14 words): say more of what "
        "you did"]
    flags = critique(Story(**{**STORY.__dict__, "action": "I fixed it.", "situation": "Busy.",
                              "result": "Cut 30% of the cost in two quarters of work."}))
    assert [f.message for f in flags] == [
        "the Action (3 words) is not the longest part (Result: 10 words): say more of what "
        "you did"]


def test_a_story_with_another_metric_is_another_story() -> None:
    other = Story(**{**STORY.__dict__, "metric": "30% fewer false positives"})
    assert other.content_key() != STORY.content_key()
    assert Story(**{**STORY.__dict__, "metric": ""}).content_key() == STORY.content_key()


def test_coverage_lists_each_topics_questions_and_three_is_no_stretch() -> None:
    three = Story(**{**STORY.__dict__, "questions": (
        "rs-pitch-q1", "bh-ambiguity-q1", "bh-failure-q1")})
    cover = coverage(RUBRIC, [three])
    assert cover.stretched == ()
    assert cover.topics["bh-failure"] == ("bh-failure-q1",)
    assert cover.topics["rs-pitch"] == ("rs-pitch-q1",)
    assert cover.uncovered == ("bh-cross-functional-q1", "bh-star-impact-q1")


def test_tags_are_checked_against_the_rubric() -> None:
    from assess.stories.star import check_tags

    assert check_tags(RUBRIC, ["bh-failure"], ["bh-failure-q1"]) is None
    assert check_tags(RUBRIC, ["bh-failure", "nope"], []) == (
        "topics.1: unknown topic 'nope' in rubric discord-mle")
    assert check_tags(RUBRIC, [], ["co-algorithms-q1"]) == (
        "questions.0: 'co-algorithms-q1' is not a behavioral question of rubric discord-mle "
        "(known: rs-pitch-q1, bh-ambiguity-q1, bh-cross-functional-q1, bh-failure-q1, "
        "bh-star-impact-q1)")


def test_stage_prompts_ask_each_screen_and_keep_the_order() -> None:
    from assess.app.stages import ask_stage_dates
    from assess.rubric.profile import Profile

    profile = Profile(name="Sam", interview_date=dt.date(2027, 1, 4))
    answers = iter(["done", "2027-01-04", "yesterday", "2026-11-29", DAY.isoformat()])
    asked: list[tuple[str, str]] = []
    said: list[str] = []

    def ask(prompt: str, default: str) -> str:
        asked.append((prompt, default))
        return next(answers)

    out = ask_stage_dates(profile, RUBRIC, DAY, ask, said.append)
    assert out.stages_done == ("recruiter",)
    assert out.stage_dates == {"technical-screen": DAY}
    assert out.interview_date == dt.date(2027, 1, 4)
    assert asked[0] == ("Date of the Recruiter screen (YYYY-MM-DD; Enter to skip, 'done' if "
                        "behind you)", "")
    assert [a[0].split(" (")[0] for a in asked[1:]] == ["Date of the Technical phone screen"] * 4
    assert said == [
        "  on or after the onsite (2027-01-04); earlier stages come before it",
        "  'yesterday' is not a date in YYYY-MM-DD form",
        "  2026-11-29 is in the past (today is 2026-11-30); use `assess stage done "
        "technical-screen` for a stage behind you",
    ]


def test_marking_a_stage_done_and_undoing_it() -> None:
    from assess.app.stages import check_order, mark_done
    from assess.rubric.profile import Profile

    profile = mark_done(Profile(name="Sam"), RUBRIC, "recruiter")
    assert profile.stages_done == ("recruiter",)
    assert mark_done(profile, RUBRIC, "recruiter", undo=True).stages_done == ()
    stale = Profile(name="Sam", stage_dates={"gone": DAY})  # a stage of an older rubric
    with pytest.raises(InputError) as info:
        check_order(stale, RUBRIC)
    assert str(info.value) == ("--stage-date: unknown stage 'gone' for discord-mle (stages: "
                               "recruiter, technical-screen, onsite, decision)")


def test_a_timeline_without_an_onsite_stage_dates_every_stage() -> None:
    import dataclasses

    from assess.app.stages import datable_stages

    assert datable_stages(RUBRIC) == ["recruiter", "technical-screen", "onsite"]
    stages = tuple(dataclasses.replace(s, rounds=()) for s in RUBRIC.timeline.stages
                   if s.id != "onsite")
    bare = dataclasses.replace(RUBRIC, timeline=dataclasses.replace(RUBRIC.timeline,
                                                                      stages=stages))
    assert datable_stages(bare) == ["recruiter", "technical-screen", "decision"]


def test_coverage_keeps_every_behavioral_question_of_a_topic() -> None:
    import dataclasses

    topic = RUBRIC.topics["bh-failure"]
    second = dataclasses.replace(topic.questions[0], id="bh-failure-q2")
    grown = dataclasses.replace(topic, questions=(*topic.questions, second))
    two = dataclasses.replace(RUBRIC, rounds=tuple(
        dataclasses.replace(r, topics=tuple(grown if t.id == topic.id else t for t in r.topics))
        for r in RUBRIC.rounds))
    assert coverage(two, []).topics["bh-failure"] == ("bh-failure-q1", "bh-failure-q2")
