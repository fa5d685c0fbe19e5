"""Answer checklists in the rubric: every question has a stable id and 3-10 points a strong
answer covers; the schema checks them and names the line; old snapshots without them still load.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from assess.cli import cli
from assess.errors import InputError, NotFoundError, RubricError
from assess.resources import rubrics_dir
from assess.rubric.model import Rubric, load_rubric, parse_rubric, rubric_from_snapshot
from assess.rubric.schema import CHECKLIST_MAX, CHECKLIST_MIN, POINT_MAX_CHARS

RUBRIC_PATH = rubrics_dir() / "discord-mle.yaml"
RUBRIC = load_rubric("discord-mle")
BASE: dict[str, Any] = yaml.safe_load(RUBRIC_PATH.read_text(encoding="utf-8"))
QUESTIONS = [(t, q) for t in RUBRIC.topics.values() for q in t.questions]
QUESTION_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def _of_kind(kind: str) -> list[Any]:
    return [q for _, q in QUESTIONS if q.kind == kind]


# ----- the bundled rubric ----------------------------------------------------------------------


def test_every_bundled_question_has_an_id_and_a_checklist() -> None:
    assert len(QUESTIONS) == 38
    for _, question in QUESTIONS:
        assert QUESTION_ID.match(question.id), question.id
        assert CHECKLIST_MIN <= len(question.checklist) <= CHECKLIST_MAX, question.id
        for point in question.checklist:
            assert point and point == point.strip() and "\n" not in point, (question.id, point)
            assert len(point) <= POINT_MAX_CHARS, (question.id, len(point), point)
        # one point per idea: no point repeated inside a checklist
        assert len(set(question.checklist)) == len(question.checklist), question.id


def test_bundled_ids_are_unique_and_follow_topic_numbering() -> None:
    ids = [q.id for _, q in QUESTIONS]
    assert len(ids) == len(set(ids))
    for topic in RUBRIC.topics.values():
        assert [q.id for q in topic.questions] == [
            f"{topic.id}-q{n}" for n in range(1, len(topic.questions) + 1)
        ]


def test_checklists_are_written_for_their_question_not_copied() -> None:
    seen: dict[str, str] = {}
    for _, question in QUESTIONS:
        for point in question.checklist:
            assert point not in seen, f"{question.id} repeats a point of {seen.get(point)}"
            seen[point] = question.id


def test_design_checklists_cover_latency_and_metrics() -> None:
    design = _of_kind("design")
    assert len(design) == 11
    for question in design:
        text = " ".join(question.checklist).lower()
        assert "latency" in text, question.id
        assert "metric" in text, question.id


def test_system_design_checklists_cover_the_whole_answer() -> None:
    """The onsite design round's answers: requirements, trade-off, A/B test, drift as well."""
    for topic in RUBRIC.round("system-design").topics:
        for question in topic.questions:
            text = " ".join(question.checklist).lower()
            assert "clarif" in text or "goal" in text, question.id
            assert "trade-off" in text or " versus " in text or " vs " in text, question.id
            if topic.depth == "core":
                assert "a/b" in text or "holdout" in text, question.id
                assert "drift" in text, question.id


def test_coding_checklists_cover_complexity_and_edge_cases() -> None:
    coding = _of_kind("coding")
    assert len(coding) == 11
    for question in coding:
        text = " ".join(question.checklist).lower()
        assert "complexity" in text, question.id
        assert "edge case" in text, question.id
        assert "clarif" in text, question.id
        assert "test" in text or "trace" in text, question.id


def test_theory_checklists_give_an_example() -> None:
    for question in _of_kind("theory"):
        text = " ".join(question.checklist).lower()
        assert "example" in text or "verif" in text, question.id


def test_behavioral_checklists_ask_for_a_result() -> None:
    behavioral = _of_kind("behavioral")
    assert len(behavioral) == 5
    for question in behavioral:
        text = " ".join(question.checklist).lower()
        assert "result" in text, question.id
    for question in RUBRIC.round("behavioral").topics:
        for q in question.questions:
            text = " ".join(q.checklist)
            assert "STAR" in text and "'I'" in text and "learned" in text, q.id


def test_the_file_header_describes_ids_and_checklists() -> None:
    header = RUBRIC_PATH.read_text(encoding="utf-8").split("\nmeta:", 1)[0]
    assert "<topic-id>-q<n>" in header
    assert "3 to 10 points" in header and "120 characters" in header


# ----- lookups ---------------------------------------------------------------------------------


def test_question_id_and_question_lookup() -> None:
    assert RUBRIC.question_id("sd-trust-safety", 1) == "sd-trust-safety-q2"
    topic, question = RUBRIC.question("sd-trust-safety-q2")
    assert topic.id == "sd-trust-safety"
    assert question is RUBRIC.topics["sd-trust-safety"].questions[1]
    assert "five minutes" in question.text
    # the form plans used before questions had ids still resolves
    assert RUBRIC.question("sd-trust-safety#q2") == (topic, question)


@pytest.mark.parametrize("qid", ["nope-q1", "sd-trust-safety-q9", "sd-trust-safety#q9",
                                 "sd-trust-safety#q0", "sd-trust-safety#q\u0662", ""])
def test_unknown_question_id_names_it(qid: str) -> None:
    with pytest.raises(NotFoundError) as caught:
        RUBRIC.question(qid)
    assert str(caught.value).startswith(f"unknown question id {qid!r} in rubric discord-mle")


def test_question_id_out_of_range() -> None:
    with pytest.raises(NotFoundError, match="no question 3 in topic 'sd-recommendations'"):
        RUBRIC.question_id("sd-recommendations", 2)


# ----- old snapshots ---------------------------------------------------------------------------


def _old_snapshot() -> dict[str, Any]:
    """The rubric as a snapshot stored before questions had ids and checklists."""
    data = RUBRIC.to_json_dict()
    for round_ in data["rounds"]:
        for topic in round_["topics"]:
            for question in topic["questions"]:
                del question["id"], question["checklist"]
    return data


def test_a_snapshot_without_ids_or_checklists_loads() -> None:
    old = rubric_from_snapshot(json.dumps(_old_snapshot()))
    for topic in old.topics.values():
        new = RUBRIC.topics[topic.id]
        assert [q.id for q in topic.questions] == [q.id for q in new.questions]
        assert all(q.checklist == () for q in topic.questions)
    assert old.question("am-nlp-q2")[1].text == RUBRIC.question("am-nlp-q2")[1].text
    # and it stores again unchanged
    assert rubric_from_snapshot(old.snapshot_json()) == old


def test_the_snapshot_keeps_ids_and_checklists() -> None:
    again = rubric_from_snapshot(RUBRIC.snapshot_json())
    assert again == RUBRIC
    assert again.question("co-algorithms-q4")[1].checklist == (
        RUBRIC.question("co-algorithms-q4")[1].checklist)


def test_an_export_with_an_old_snapshot_imports() -> None:
    from assess.inputs.transfer import parse_export

    for snapshot in (_old_snapshot(), json.loads(
            rubric_from_snapshot(json.dumps(_old_snapshot())).snapshot_json())):
        # the hash an older assess stored: of the snapshot's own compact, sorted JSON
        sha = hashlib.sha256(json.dumps(snapshot, sort_keys=True, separators=(",", ":"))
                             .encode()).hexdigest()
        export = {"format": "assess-export", "version": 1, "profile": None,
                  "rubrics": {sha: snapshot}, "assessments": [], "hours": []}
        parsed = parse_export(export, "old.json")
        rubric = parsed.rubric_models[sha]
        assert rubric.question_id("sd-advanced", 0) == "sd-advanced-q1"
        assert rubric.question("sd-advanced-q1")[1].checklist == ()


def test_an_export_still_checks_the_points_it_has() -> None:
    from assess.inputs.transfer import parse_export

    snapshot = RUBRIC.to_json_dict()
    snapshot["rounds"][0]["topics"][0]["questions"][0]["checklist"] = ["x" * 121] * 3
    export = {"format": "assess-export", "version": 1, "profile": None,
              "rubrics": {"b" * 64: snapshot}, "assessments": [], "hours": []}
    with pytest.raises(InputError, match=r"checklist\.0: String should have at most 120"):
        parse_export(export, "bad.json")


def test_a_stored_rubric_file_needs_ids_and_checklists() -> None:
    """The snapshot leniency is for stored data only: a file without them is refused."""
    with pytest.raises(RubricError, match=r"questions\.0\.id: Field required"):
        parse_rubric(json.dumps(_old_snapshot()).encode(), "old.json")


# ----- rubric validate on broken copies --------------------------------------------------------


def _dump(data: dict[str, Any], tmp_path: Path) -> tuple[Path, list[str]]:
    path = tmp_path / "broken.yaml"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    path.write_text(text, encoding="utf-8")
    return path, text.splitlines()


def _line(lines: list[str], needle: str, after: int = 0) -> int:
    """1-based number of the first line at or after ``after`` containing ``needle``."""
    for number, line in enumerate(lines, start=1):
        if number >= after and needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the dumped file")


def _refused(path: Path) -> str:
    result = CliRunner().invoke(cli, ["rubric", "validate", str(path)])
    assert result.exit_code == 2, result.output
    assert result.stdout == "" and "Traceback" not in result.stderr
    return result.stderr


def _question(data: dict[str, Any], r: int, t: int, q: int) -> dict[str, Any]:
    question: dict[str, Any] = data["rounds"][r]["topics"][t]["questions"][q]
    return question


def test_two_points_are_refused_at_the_checklist_line(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    question = _question(data, 2, 0, 0)
    question["checklist"] = question["checklist"][:2]
    path, lines = _dump(data, tmp_path)
    line = _line(lines, "checklist:", after=_line(lines, f"id: {question['id']}"))
    assert _refused(path) == (
        f"Error: {path}: line {line}: rounds.2.topics.0.questions.0.checklist: "
        "a checklist has 3 to 10 points (this one has 2)\n"
    )


def test_eleven_points_are_refused(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    question = _question(data, 3, 3, 1)
    question["checklist"] = [f"Point {n}" for n in range(11)]
    path, lines = _dump(data, tmp_path)
    line = _line(lines, "checklist:", after=_line(lines, f"id: {question['id']}"))
    assert _refused(path) == (
        f"Error: {path}: line {line}: rounds.3.topics.3.questions.1.checklist: "
        "a checklist has 3 to 10 points (this one has 11)\n"
    )


def test_a_point_of_121_characters_is_refused_at_its_line(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    long_point = "Covers " + "a" * 114
    assert len(long_point) == 121
    _question(data, 2, 1, 1)["checklist"][3] = long_point
    path, lines = _dump(data, tmp_path)
    assert _refused(path) == (
        f"Error: {path}: line {_line(lines, long_point)}: "
        "rounds.2.topics.1.questions.1.checklist.3: String should have at most 120 characters\n"
    )


def test_a_point_of_120_characters_is_fine(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    _question(data, 2, 1, 1)["checklist"][3] = "Covers " + "a" * 113
    path, _ = _dump(data, tmp_path)
    result = CliRunner().invoke(cli, ["rubric", "validate", str(path)])
    assert result.exit_code == 0, result.stderr


def test_a_duplicate_id_is_refused_where_it_repeats(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    question = _question(data, 4, 1, 0)
    question["id"] = "sd-serving-latency-q1"
    path, lines = _dump(data, tmp_path)
    line = _line(lines, "id: sd-serving-latency-q1", after=_line(lines, "id: co-algorithms"))
    assert _refused(path) == (
        f"Error: {path}: line {line}: rounds.4.topics.1.questions.0.id: duplicate question id "
        "'sd-serving-latency-q1' (first used at rounds.2.topics.1.questions.0)\n"
    )


def test_a_missing_checklist_is_refused_at_its_question(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    question = _question(data, 5, 2, 0)
    del question["checklist"]
    path, lines = _dump(data, tmp_path)
    assert _refused(path) == (
        f"Error: {path}: line {_line(lines, 'id: ' + question['id'])}: "
        "rounds.5.topics.2.questions.0.checklist: Field required (the 3-10 points a strong answer "
        "covers)\n"
    )


def test_a_missing_id_is_refused_at_its_question(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    question = _question(data, 3, 0, 0)
    del question["id"]
    path, lines = _dump(data, tmp_path)
    line = _line(lines, "- text:", after=_line(lines, "id: am-nlp"))
    assert _refused(path) == (
        f"Error: {path}: line {line}: rounds.3.topics.0.questions.0.id: Field required "
        "(a stable question id, e.g. my-topic-q1)\n"
    )


@pytest.mark.parametrize(("point", "message"), [
    ("   ", "String should have at least 1 character"),
    ("two\nlines", "a checklist point is one line (no line breaks)"),
    ("bell \x07 here", "control character U+0007 is not allowed (plain text only)"),
])
def test_blank_multiline_or_control_points_are_refused(point: str, message: str,
                                                       tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    _question(data, 0, 0, 0)["checklist"][1] = point
    path, _ = _dump(data, tmp_path)
    stderr = _refused(path)
    assert re.fullmatch(
        rf"Error: {re.escape(str(path))}: line \d+: rounds\.0\.topics\.0\.questions\.0\."
        rf"checklist\.1: {re.escape(message)}\n", stderr), stderr


@pytest.mark.parametrize("bad_id", ["Sd-Q1", "-q1", "q 1", "a" * 81, 7])
def test_a_malformed_id_is_refused(bad_id: Any, tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    _question(data, 1, 0, 0)["id"] = bad_id
    path, _ = _dump(data, tmp_path)
    assert "rounds.1.topics.0.questions.0.id: " in _refused(path)


def test_a_checklist_that_is_not_a_list_is_refused(tmp_path: Path) -> None:
    data = copy.deepcopy(BASE)
    _question(data, 1, 1, 0)["checklist"] = "just one string"
    path, _ = _dump(data, tmp_path)
    assert _refused(path).endswith(
        "rounds.1.topics.1.questions.0.checklist: Input should be a list\n")


# ----- rubric show -----------------------------------------------------------------------------


def test_rubric_show_lists_question_ids() -> None:
    result = CliRunner().invoke(cli, ["rubric", "show"])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for _, question in QUESTIONS:
        assert f"      {question.id} [{question.kind}, {question.minutes} min, " \
               f"{len(question.checklist)}-point checklist]\n" in out
    assert "Design a system that catches spam bot accounts" in out
    assert "1. Clarifies" not in out  # the points themselves only with --checklists


def test_rubric_show_with_checklists_numbers_the_points() -> None:
    result = CliRunner().invoke(cli, ["rubric", "show", "--checklists"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.stdout.split())
    for _, question in QUESTIONS:
        for n, point in enumerate(question.checklist, start=1):
            assert f"{n}. {' '.join(point.split())}" in flat, (question.id, n)


def test_rubric_show_json_carries_ids_and_checklists() -> None:
    result = CliRunner().invoke(cli, ["rubric", "show", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    question = data["rounds"][2]["topics"][0]["questions"][0]
    assert question["id"] == "sd-feature-pipelines-q1"
    assert question["checklist"] == list(RUBRIC.question("sd-feature-pipelines-q1")[1].checklist)
    assert Rubric.from_dict(data) == RUBRIC


def test_fixture_rubrics_validate() -> None:
    fixtures = Path(__file__).parent / "fixtures"
    for path in (fixtures / "mini-rubric.yaml", fixtures / "planner" / "tiny.yaml"):
        result = CliRunner().invoke(cli, ["rubric", "validate", str(path)])
        assert result.exit_code == 0, result.stderr
