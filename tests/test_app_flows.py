"""The story, import and report flows, driven directly: plain functions with scripted
``ask``/``say`` callables, no Click and no terminal."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from assess.app.report import ReportRequest, check_request, write
from assess.app.stories import add_stories, edit_story
from assess.app.transfer import import_history
from assess.cli import cli
from assess.errors import InputError, UsageError
from assess.rubric.model import load_rubric
from assess.store import Store

TODAY = dt.date(2026, 11, 25)
GOOD = {
    "title": "Spam model rollback",
    "situation": "Our new spam model lost its A/B test after a strong offline result.",
    "task": "I owned finding out why before the next release.",
    "action": "I compared training and serving features one at a time, found a feature "
              "computed differently online, wrote a shared transform and re-ran the test.",
    "result": "The re-run won and we cut false positives 30%.",
    "metric": "cut false positives 30%",
    "topics": ["bh-failure"],
    "questions": ["bh-failure-q1"],
}


class Script:
    """Answers in order, and every prompt and line said, for exact assertions."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []
        self.said: list[str] = []

    def ask(self, prompt: str, default: str | None = None) -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)

    def say(self, line: str) -> None:
        self.said.append(line)


def _home_with_ratings(tmp_path: Path) -> None:
    """A profile and a self-assessment (set up through the CLI; the flows under test are not)."""
    run = CliRunner().invoke(cli, ["--today", TODAY.isoformat(), "init", "--no-input",
                                   "--name", "Ana", "--interview-date", "2026-12-23",
                                   "--hours-per-week", "10"])
    assert run.exit_code == 0, run.output
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self", "ratings": {
        t: 2 for t in load_rubric().topics}}), encoding="utf-8")
    run = CliRunner().invoke(cli, ["--today", TODAY.isoformat(), "rate", "--answers",
                                   str(answers)])
    assert run.exit_code == 0, run.output


# ----- stories -----------------------------------------------------------------------------------


def test_add_stories_from_a_file_twice_adds_them_once(tmp_path: Path, assess_home: Path) -> None:
    path = tmp_path / "stories.yaml"
    path.write_text(yaml.safe_dump([GOOD]), encoding="utf-8")
    notes: list[str] = []
    first = add_stories(assess_home, str(path), None, notes.append, notes.append)
    assert [(s.id, s.title) for s in first.added] == [(1, "Spam model rollback")]
    assert first.present == [] and notes == []
    again = add_stories(assess_home, str(path), None, notes.append, notes.append)
    assert again.added == [] and [s.id for s in again.present] == [1]


def test_add_a_story_by_asking_asks_again_after_a_refused_answer(assess_home: Path) -> None:
    script = Script("Spam model rollback", GOOD["situation"], GOOD["task"], "",
                    GOOD["action"], GOOD["result"], GOOD["metric"], "99", "bh-failure", "")
    out = add_stories(assess_home, None, script.ask, script.say, script.say)
    [story] = out.added
    assert (story.id, story.title, story.action, story.topics) == (
        1, "Spam model rollback", GOOD["action"], ("bh-failure",))
    assert "action: required; a sentence or two is enough." in script.said
    assert any(line.startswith("'99' is not one of the topics") for line in script.said)
    assert script.answers == []
    with Store.open(assess_home) as store:
        assert [s.title for s in store.stories()] == ["Spam model rollback"]


def test_edit_a_story_saves_a_valid_edit_and_keeps_a_refused_one(tmp_path: Path,
                                                                  assess_home: Path) -> None:
    path = tmp_path / "stories.yaml"
    path.write_text(yaml.safe_dump([GOOD]), encoding="utf-8")
    add_stories(assess_home, str(path), None, print, print)
    assert edit_story(assess_home, 1, lambda text: text, print) is None  # unchanged
    assert edit_story(assess_home, 1, lambda text: None, print) is None  # not saved
    saved = edit_story(assess_home, 1, lambda text: text.replace(
        "Spam model rollback", "Spam model roll-back"), print)
    assert saved.title == "Spam model roll-back"
    with pytest.raises(InputError) as refused:
        edit_story(assess_home, 1, lambda text: "title: [unclosed\n", print)
    message = str(refused.value)
    assert message.startswith("story 1 (edited): ")
    kept = Path(message.split("your edit is kept in ", 1)[1].split(";")[0])
    assert kept.read_text(encoding="utf-8") == "title: [unclosed\n"
    kept.unlink()
    with Store.open(assess_home) as store:
        assert store.story(1).title == "Spam model roll-back"


# ----- import ------------------------------------------------------------------------------------


def test_import_twice_adds_nothing_and_a_broken_file_changes_nothing(
        tmp_path: Path, assess_home: Path) -> None:
    _home_with_ratings(tmp_path)
    exported = CliRunner().invoke(cli, ["--today", TODAY.isoformat(), "export", "-"]).stdout
    path = tmp_path / "history.json"
    path.write_text(exported, encoding="utf-8")
    done = import_history(assess_home, TODAY, str(path))
    assert done.lines == [f"Imported 0 assessments and 0 hours entries from {path}; already "
                          "here: 1 assessments (0 completed from the file) and 0 hours "
                          "entries."]
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(InputError, match=r"broken.json: not an assess export \(invalid JSON"):
        import_history(assess_home, TODAY, str(broken))


# ----- report ------------------------------------------------------------------------------------


def test_report_request_refusals_come_before_any_work(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="^--mentor-form: the mentor's form is a PDF form; "
                                         "MD has none"):
        check_request(ReportRequest("x.md", "md", mentor_form=True))
    with pytest.raises(UsageError, match="^--mentor-form: PDF/A allows no fillable fields"):
        check_request(ReportRequest("x.pdf", "pdf", pdf_variant="pdf/a-3u", mentor_form=True))
    with pytest.raises(UsageError, match="is not a folder"):
        check_request(ReportRequest("x.pdf", "pdf", templates=tmp_path / "none"))


def test_report_flow_writes_markdown_and_json(tmp_path: Path, assess_home: Path) -> None:
    _home_with_ratings(tmp_path)
    said: list[str] = []
    md = write(assess_home, TODAY, ReportRequest("-", "md"), said.append)
    assert said == ["Rendering the MD report..."]
    assert md.path is None and md.data.decode().startswith("# Interview readiness: Ana")
    target = tmp_path / "report.json"
    out = write(assess_home, TODAY, ReportRequest(str(target), "json"), said.append)
    assert out.path == target and out.data is None
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["candidate"]["name"] == "Ana" and data["plan_id"]
