"""The questionnaire loop and the profile questions, driven by scripted ask/say callables."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from assess.app.profile_questions import ProfileInput, resolve_profile
from assess.app.questionnaire import (
    apply_answers,
    assessment_line,
    moved_lines,
    rate_interactively,
    readiness_lines,
)
from assess.errors import InputError, UsageError
from assess.inputs.answers import parse_answers
from assess.rubric.model import Rubric, load_rubric
from assess.rubric.profile import Profile
from assess.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
DAY = dt.date(2026, 11, 25)
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]


class Script:
    """A fake terminal: replies in order; records every prompt (with its default) and line."""

    def __init__(self, replies: list[str | BaseException]) -> None:
        self.replies: Iterator[str | BaseException] = iter(replies)
        self.prompts: list[tuple[str, str | None]] = []
        self.lines: list[str] = []

    def ask(self, prompt: str, default: str | None) -> str:
        self.prompts.append((prompt, default))
        reply = next(self.replies)
        if isinstance(reply, BaseException):
            raise reply
        return default or "" if reply == "<enter>" else reply

    def say(self, text: str) -> None:
        self.lines.extend(text.split("\n"))

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


def run(store: Store, rubric: Rubric, replies: list[str | BaseException], **kw: object) -> tuple:
    script = Script(replies)
    result = rate_interactively(store, rubric, kw.pop("rater", "self"), DAY, script.ask,
                                script.say, **kw)  # type: ignore[arg-type]
    return result, script


def test_full_run_shows_everything_and_saves(store: Store, rubric: Rubric) -> None:
    result, script = run(store, rubric, ["4", "3", "2", "5", "1"])
    done = result.assessment
    assert done.complete and done.finished and not result.resumed
    assert done.ratings == dict(zip(TOPICS, [4, 3, 2, 5, 1], strict=True))
    text = script.text
    assert "== ML System Design (round 1 of 3) ==" in text
    assert "== Coding and Algorithms (round 2 of 3) ==" in text
    assert "[1/5] Feature pipelines and stores" in text
    assert "[3/5] Federated learning (advanced)" in text
    assert "[5/5] Conflict with a teammate" in text
    assert "      Batch and streaming features, online/offline skew." in text
    for level in rubric.scale:
        assert f"  {level.level} {level.label.ljust(10)}  {level.descriptor}" in text
    assert script.prompts[0] == ("Your level (1-5 rate, ? questions, n note, s skip, b back)", None)


def test_questions_note_skip_back_and_bad_input(store: Store, rubric: Rubric) -> None:
    replies = ["?", "b", "n", "never built one", "x", "", "4",  # topic 1
               "b", "<enter>",                                # back to 1, Enter keeps 4
               "s",                                            # topic 2 skipped
               "n", "", "3",                                   # empty note changes nothing
               "n", "tmp", "n", "-", "2",                      # a note added, then removed
               "b", "b", "b", "<enter>", "<enter>", "<enter>",  # back to 2, Enter keeps all
               "<enter>", "5"]                                 # no default on topic 5 yet
    result, script = run(store, rubric, replies)
    done = result.assessment
    assert done.ratings == dict(zip(TOPICS, [4, None, 3, 2, 5], strict=True))
    assert done.notes == {"sd-feature-pipelines": "never built one"}
    text = script.text
    assert "    - Design a feature store for message spam detection. (45 min)" in text
    assert "'x' is not an answer here" in text
    assert "Type a level from 1 to 5 and press Enter" in text
    assert "This is the first topic; there is nothing to go back to." in text
    assert "  You answered 4 (Solid). Enter keeps it." in text
    assert "  You skipped this one. Enter keeps it skipped." in text
    assert "  Note removed." in text
    defaults = [d for p, d in script.prompts if p.startswith("Your level")]
    assert defaults[:2] == [None, None] and "4" in defaults and "s" in defaults


def test_topic_without_questions_says_so(store: Store, rubric: Rubric) -> None:
    _, script = run(store, rubric, ["1", "1", "?", "1", "1", "1"])
    assert "No practice questions for this topic in the rubric" in script.text


def test_defaults_are_the_last_ratings_and_enter_keeps_them(
    store: Store, rubric: Rubric
) -> None:
    run(store, rubric, ["4", "3", "2", "5", "1"])
    result, script = run(store, rubric, ["<enter>", "5", "<enter>", "<enter>", "<enter>"])
    assert result.assessment.ratings == dict(zip(TOPICS, [4, 5, 2, 5, 1], strict=True))
    assert "  Last time: 4 (Solid). Enter keeps it." in script.text
    assert len(store.assessments("self")) == 2
    # a mentor has no defaults from the candidate
    _, mentor = run(store, rubric, ["1"] * 5, rater="mentor")
    assert "Last time" not in mentor.text


def test_interrupt_keeps_answers_and_resume_finishes(store: Store, rubric: Rubric) -> None:
    with pytest.raises(KeyboardInterrupt):
        run(store, rubric, ["4", "n", "kept", "3", "2", KeyboardInterrupt()])
    open_one = store.unfinished("self")
    assert open_one.ratings == {"sd-feature-pipelines": 4, "sd-serving": 3, "sd-federated": 2}
    assert open_one.notes == {"sd-serving": "kept"}
    result, script = run(store, rubric, ["<enter>", "5", "1"])
    assert result.resumed
    assert script.lines[0] == (
        "You have an unfinished self assessment from 2026-11-25 (3 of 5 topics answered)."
    )
    assert script.prompts[0] == ("Resume it?", "y")
    assert "Resuming at topic 4 of 5." in script.text
    assert "[1/5]" not in script.text
    done = result.assessment
    assert done.id == open_one.id and done.complete
    assert done.ratings == dict(zip(TOPICS, [4, 3, 2, 5, 1], strict=True))
    assert len(store.assessments()) == 1


def test_declining_resume_sets_the_old_one_aside(store: Store, rubric: Rubric) -> None:
    with pytest.raises(EOFError):
        run(store, rubric, ["4", EOFError()])
    result, script = run(store, rubric, ["maybe", "n", "<enter>", "1", "1", "1", "1"])
    assert "Please answer y or n." in script.text
    assert result.set_aside is not None and not result.set_aside.complete
    assert result.assessment.id != result.set_aside.id
    assert result.assessment.ratings["sd-feature-pipelines"] == 4  # default from the old one
    assert store.unfinished("self") is None
    assert [a.complete for a in store.assessments()] == [False, True]


def test_round_run_asks_only_that_round(store: Store, rubric: Rubric) -> None:
    run(store, rubric, ["2"] * 5)
    result, script = run(store, rubric, ["5"], scope="coding")
    assert "[1/1] Graphs and BFS" in script.text
    assert "== Coding and Algorithms (round 2 of 3) ==" in script.text
    done = result.assessment
    assert done.scope == "coding" and done.complete
    assert done.ratings == {**dict.fromkeys(TOPICS, 2), "code-graphs": 5}


def test_apply_answers(store: Store, rubric: Rubric) -> None:
    run(store, rubric, ["2"] * 5)
    text = b"date: 2026-11-20\nratings: {sd-serving: 4, code-graphs: null}\nhours: {coding: 3}\n"
    answers = parse_answers(text, "week.yaml", rubric, DAY)
    result = apply_answers(store, rubric, answers, None, DAY)
    done = result.assessment
    assert done.date == dt.date(2026, 11, 20) and done.rater == "self" and done.complete
    assert done.ratings == {**dict.fromkeys(TOPICS, 2), "sd-serving": 4, "code-graphs": None}
    assert result.logged_hours == {"coding": 3.0}
    assert [(e.round, e.hours, e.note) for e in store.hours_entries()] == [
        ("coding", 3.0, "from week.yaml")
    ]
    mentor = parse_answers(b"rater: mentor\nratings: {sd-serving: 1}\n", "m.yaml", rubric, DAY)
    with pytest.raises(UsageError, match="--rater self does not match m.yaml: rater: mentor"):
        apply_answers(store, rubric, mentor, "self", DAY)
    alone = apply_answers(store, rubric, mentor, None, DAY, log_hours=False).assessment
    assert alone.rater == "mentor" and alone.ratings == {"sd-serving": 1}
    assert not alone.complete  # the mentor has no earlier ratings to fill the rest


def test_summaries(store: Store, rubric: Rubric) -> None:
    result, _ = run(store, rubric, ["4", "4", "s", "1", "4"])
    line = assessment_line(result.assessment, rubric)
    assert line == (
        "Saved a complete self assessment: 5 of 5 topics answered (1 skipped), "
        "dated 2026-11-25."
    )
    lines = readiness_lines(rubric, result.assessment.ratings, 4)
    assert lines[0] == "Readiness by round (target level 4):"
    assert lines[2].startswith("  Coding and Algorithms  ") and lines[2].endswith("  0%")
    assert lines[3].endswith("100%")
    assert lines[-1].startswith("  Overall")
    before = {"sd-serving": 2, "code-graphs": 3, "beh-conflict": 3, "sd-federated": 5}
    after = {"sd-feature-pipelines": 2, "sd-serving": 4, "code-graphs": 3, "beh-conflict": None,
             "sd-federated": 4}
    assert moved_lines(rubric, before, after) == [
        "  Feature pipelines and stores: - -> 2 (first rating)",
        "  Model serving and latency budgets: 2 -> 4 (up 2)",
        "  Federated learning: 5 -> 4 (down 1)",
        "  Conflict with a teammate: 3 -> skipped",
    ]


# ----- the profile questions -----------------------------------------------------------------


def load(ref: str) -> Rubric:
    return load_rubric(ref)


def test_profile_from_flags_alone(assess_home: Path) -> None:
    path = str(FIXTURES / "mini-rubric.yaml")
    given = ProfileInput("  Ana  Lee ", path, "2026-12-20", "12.5", "5")
    profile = resolve_profile(None, given, DAY, load)
    assert profile == Profile(name="Ana Lee", rubric=str(Path(path).resolve()),
                              interview_date=dt.date(2026, 12, 20), hours_per_week=12.5,
                              target_level=5)


def test_profile_without_name_and_no_prompts_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="--name is missing"):
        resolve_profile(None, ProfileInput(), DAY, load)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        (ProfileInput(name="A", interview_date="2026-11-24"),
         "--interview-date: 2026-11-24 is in the past (today is 2026-11-25)"),
        (ProfileInput(name="A", interview_date="soon"),
         "--interview-date: 'soon' is not a date in YYYY-MM-DD form"),
        (ProfileInput(name="A", hours_per_week="0.5"),
         "--hours-per-week: must be between 1 and 80 (got 0.5)"),
        (ProfileInput(name="A", hours_per_week="81"),
         "--hours-per-week: must be between 1 and 80 (got 81)"),
        (ProfileInput(name="A", hours_per_week="ten"), "--hours-per-week: 'ten' is not a number"),
        (ProfileInput(name="A", target_level="6"), "--target-level: must be 1..5 (got 6)"),
        (ProfileInput(name="A", target_level="4.5"),
         "--target-level: '4.5' is not a whole number 1..5"),
        (ProfileInput(name="   "), "--name: give a name"),
    ],
)
def test_profile_flags_are_validated(given: ProfileInput, message: str) -> None:
    with pytest.raises(InputError) as caught:
        resolve_profile(None, given, DAY, load)
    assert str(caught.value).startswith(message)


def test_profile_prompts_repeat_until_valid_and_keep_current_values() -> None:
    path = str(FIXTURES / "mini-rubric.yaml")
    script = Script(["", "Ana", path, "2020-01-01", "2026-12-24", "100", "<enter>", "9", "3"])
    profile = resolve_profile(None, ProfileInput(), DAY, load, ask=script.ask, say=script.say)
    assert profile.name == "Ana" and profile.interview_date == dt.date(2026, 12, 24)
    assert profile.hours_per_week == 10 and profile.target_level == 3
    assert "  give a name (it goes on the report)" in script.lines
    assert "  2020-01-01 is in the past (today is 2026-11-25)" in script.lines
    assert "  must be between 1 and 80 (got 100)" in script.lines
    # updating: flags win, prompts default to what is there, Enter keeps it
    again = Script(["<enter>", "<enter>", "<enter>", "<enter>"])
    updated = resolve_profile(profile, ProfileInput(hours_per_week="20"), DAY, load,
                              ask=again.ask, say=again.say)
    assert updated == Profile(name="Ana", rubric=profile.rubric,
                              interview_date=dt.date(2026, 12, 24), hours_per_week=20,
                              target_level=3)
    assert [d for _, d in again.prompts] == ["Ana", profile.rubric, "2026-12-24", "3"]
    cleared = resolve_profile(updated, ProfileInput(interview_date="none"), DAY, load)
    assert cleared.interview_date is None and cleared.hours_per_week == 20


def test_evidence_is_shown_beside_the_prompt(store: Store, rubric: Rubric) -> None:
    from assess.evidence.practice import Attempt

    for covered, minutes in (((1, 2), 50.0), ((1, 2, 3), 38.0)):
        store.add_attempt(Attempt(question="sd-serving-q1", topic="sd-serving", date=DAY,
                                  minutes=minutes, covered=covered, total=3, time_box=45))
    _result, script = run(store, rubric, ["4", "3", "2", "5", "1"])
    lines = script.lines
    at = lines.index("[2/5] Serving and latency budgets") if "[2/5] Serving and latency budgets" \
        in lines else next(i for i, line in enumerate(lines) if line.startswith("[2/5]"))
    assert "  evidence: 2 attempts, best 3/3 points in 38 of 45 min" in lines[at:at + 12]
    assert not any(line.startswith("  evidence:") for line in lines[:at])
