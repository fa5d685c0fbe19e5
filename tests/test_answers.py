"""The answers file: the template, parsing, and one clear line per problem."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml

from assess.errors import AnswersError, InputError
from assess.inputs.answers import check_log_entry, parse_answers, read_answers, template_text
from assess.rubric.model import Rubric

FIXTURES = Path(__file__).parent / "fixtures"
TODAY = dt.date(2026, 11, 25)
WHOLE = "a.yaml: line 2: ratings.sd-serving: level must be a whole number 1..5 or null "
RANGE = "a.yaml: line 2: ratings.sd-serving: level must be 1..5 "


def parse(text: str, rubric: Rubric, scope: str | None = None) -> object:
    return parse_answers(text.encode(), "a.yaml", rubric, TODAY, scope=scope)


def test_template_is_valid_yaml_with_every_topic_null(rubric: Rubric) -> None:
    text = template_text(rubric)
    data = yaml.safe_load(text)
    assert data["rubric"] == "mini-mle" and data["rater"] == "self"
    assert data["ratings"] == dict.fromkeys(rubric.topics)
    assert list(data["ratings"]) == list(rubric.topics)
    assert data["hours"] == {"system-design": None, "coding": None, "behavioral": None}
    for topic in rubric.topics.values():  # titles as comments
        assert f"{topic.id}: null" in text and f"# {topic.title}" in text
    for level in rubric.scale:  # the scale as comments
        assert f"#   {level.level} {level.label}: {level.descriptor}" in text
    assert "# --- ML System Design (system-design) ---" in text


def test_template_for_mentor_and_one_round(rubric: Rubric) -> None:
    data = yaml.safe_load(template_text(rubric, rater="mentor", scope="system-design"))
    assert data["rater"] == "mentor"
    assert list(data["ratings"]) == ["sd-feature-pipelines", "sd-serving", "sd-federated"]


def test_unfilled_template_reads_as_all_skipped(rubric: Rubric) -> None:
    answers = parse(template_text(rubric), rubric)
    assert answers.ratings == dict.fromkeys(rubric.topics)
    assert answers.hours == {} and answers.notes == {}


def test_filled_template_reads_back(rubric: Rubric) -> None:
    text = template_text(rubric).replace("sd-serving: null", "sd-serving: 4")
    text = text.replace("coding: null", "coding: 2.5")
    text = text.replace('  # sd-feature-pipelines: "what', '  sd-feature-pipelines: "what')
    answers = parse(text, rubric)
    assert answers.ratings["sd-serving"] == 4 and answers.ratings["code-graphs"] is None
    assert answers.hours == {"coding": 2.5}
    assert answers.notes == {"sd-feature-pipelines": "what I still need to practise"}
    assert answers.rater == "self" and answers.date is None


def test_json_and_dates(rubric: Rubric) -> None:
    text = json.dumps({"rater": "mentor", "date": "2026-11-20", "ratings": {"code-graphs": 3}})
    answers = parse(text, rubric)
    assert answers.rater == "mentor" and answers.date == dt.date(2026, 11, 20)
    assert answers.ratings == {"code-graphs": 3}
    assert parse("date: 2026-11-25\nratings: {code-graphs: 1}\n", rubric).date == TODAY


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ratings:\n  sd-serving: 7\n", RANGE + "(got 7)"),
        ("ratings:\n  sd-serving: 0\n", RANGE + "(got 0)"),
        ("ratings:\n  sd-serving: three\n",
         WHOLE + "(got 'three')"),
        ("ratings:\n  sd-serving: 2.5\n",
         WHOLE + "(got 2.5)"),
        ("ratings:\n  sd-serving: true\n",
         WHOLE + "(got True)"),
        ("ratings:\n  nope: 2\n",
         "a.yaml: line 2: ratings.nope: unknown topic id 'nope' in rubric mini-mle"),
        ("rater: friend\nratings: {sd-serving: 2}\n",
         "a.yaml: line 1: rater: unknown rater 'friend' (use self or mentor)"),
        ("date: 25/11/2026\nratings: {sd-serving: 2}\n",
         "a.yaml: line 1: date: '25/11/2026' is not a date in YYYY-MM-DD form"),
        ("date: 2026-11-26\nratings: {sd-serving: 2}\n",
         "a.yaml: line 1: date: 2026-11-26 is in the future (today is 2026-11-25)"),
        ("", "a.yaml: the file is empty"),
        ("# only a comment\n", "a.yaml: the file is empty"),
        ("ratings: [1, 2\n", "a.yaml: line 2: "),
        ("- 1\n- 2\n", "a.yaml: (top level): expected a mapping with ratings, got a list"),
        ("rubric: discord-mle\nratings: {sd-serving: 2}\n",
         "a.yaml: line 1: rubric: this file is for rubric 'discord-mle', but you are rating "
         "'mini-mle'"),
        ("rater: self\n", "a.yaml: ratings: missing: give topic id -> level 1..5"),
        ("ratings: {}\n", "a.yaml: line 1: ratings: no topics given: fill in at least one level"),
        ("ratings: 3\n", "a.yaml: line 1: ratings: expected a mapping of topic id -> level 1..5"),
        ("ratings: {sd-serving: 2}\nextra: 1\n",
         "a.yaml: line 2: extra: unknown field (allowed: rubric, rater, date, ratings, notes, "
         "hours, practice, "
         "stories)"),
        ("ratings: {sd-serving: 2}\nnotes: {nope: hi}\n",
         "a.yaml: line 2: notes.nope: unknown topic id 'nope' in rubric mini-mle"),
        ("ratings: {sd-serving: 2}\nhours: {cooking: 2}\n",
         "a.yaml: line 2: hours.cooking: unknown round 'cooking' (known: system-design, coding, "
         "behavioral)"),
        ("ratings: {sd-serving: 2}\nhours: {coding: -1}\n",
         "a.yaml: line 2: hours.coding: hours must be between 0 and 168 (got -1)"),
        ("ratings: {sd-serving: 2}\nhours: {coding: lots}\n",
         "a.yaml: line 2: hours.coding: hours must be a number (got 'lots')"),
        ("ratings: {sd-serving: !!python/object:os.system echo}\n",
         "a.yaml: line 1: unsupported YAML tag"),
    ],
)
def test_bad_files_give_one_line_naming_file_and_field(
    rubric: Rubric, text: str, message: str
) -> None:
    with pytest.raises(AnswersError) as caught:
        parse(text, rubric)
    assert str(caught.value).startswith(message), str(caught.value)
    assert "\n" not in str(caught.value)


def test_several_problems_are_counted_on_the_one_line(rubric: Rubric) -> None:
    with pytest.raises(AnswersError) as caught:
        parse("rater: x\nratings: {sd-serving: 9, nope: 1}\n", rubric)
    assert str(caught.value) == (
        "a.yaml: line 1: rater: unknown rater 'x' (use self or mentor) (and 2 more problems)"
    )


def test_round_scope_refuses_topics_of_other_rounds(rubric: Rubric) -> None:
    assert parse("ratings: {code-graphs: 3}\n", rubric, scope="coding").ratings == {
        "code-graphs": 3
    }
    with pytest.raises(AnswersError, match="ratings.sd-serving: topic is outside round 'coding'"):
        parse("ratings: {sd-serving: 3}\n", rubric, scope="coding")


def test_binary_and_missing_files(rubric: Rubric, tmp_path: Path) -> None:
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(AnswersError, match="binary data"):
        read_answers(binary, rubric, TODAY)
    with pytest.raises(AnswersError, match="nope.yaml: no such file"):
        read_answers(tmp_path / "nope.yaml", rubric, TODAY)
    with pytest.raises(AnswersError, match="is a folder"):
        read_answers(tmp_path, rubric, TODAY)


def test_check_log_entry(rubric: Rubric) -> None:
    check_log_entry(rubric, "coding", 24)
    check_log_entry(rubric, "coding", 0.25)
    with pytest.raises(InputError, match="ROUND: unknown round 'cooking' in rubric mini-mle"):
        check_log_entry(rubric, "cooking", 1)
    for bad in (0, -1, 24.5, float("nan")):
        with pytest.raises(InputError, match="HOURS: must be more than 0 and at most 24"):
            check_log_entry(rubric, "coding", bad)
