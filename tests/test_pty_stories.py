"""`assess story add` on a real pseudo-terminal: two stories, one with a metric and one
without; the list flags the second, and the report's grid shows what is still uncovered."""

from __future__ import annotations

import json
from pathlib import Path

import pexpect
from test_pty import assess, spawn


def add_on_terminal(home: Path, answers: list[tuple[str, str]]) -> str:
    child = spawn(home, "story", "add")
    child.expect_exact("A STAR story: keep Situation and Task short")
    for prompt, answer in answers:
        child.expect_exact(prompt)
        child.sendline(answer)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before or ""


def story(title: str, result: str, metric: str, topic: str, question: str) -> list[tuple[str,
                                                                                          str]]:
    return [
        ("Title (a few words you will recognise): ", title),
        ("Situation: where and when, in a sentence or two: ",
         "Our spam model lost its A/B test."),
        ("Task: what you had to achieve: ", "I had to find out why."),
        ("Action: what you did, step by step, said with \"I\": ", ""),  # empty: asked again
        ("action: required; a sentence or two is enough.", "I compared training and serving "
         "features one by one, found the skewed one and wrote a shared transform."),
        ("Result: what changed, with a number if you have one: ", result),
        ("Enter for none): ", metric),
        ("Topics it fits (numbers, e.g. 1,3): ", "9"),  # out of range: asked again
        ("is not one of the topics (1-5)", topic),
        ("Questions it answers (numbers; Enter for none): ", question),
    ]


def test_two_stories_on_a_terminal(assess_home: Path) -> None:
    out = add_on_terminal(assess_home, story(
        "Spam rollback", "The re-run won; we cut false positives 30%.",
        "cut false positives 30%", "4", "4"))
    assert "Added story 1: Spam rollback" in out
    out = add_on_terminal(assess_home, story(
        "PM disagreement", "Everyone was happy in the end.", "", "3", "3"))
    assert "Added story 2: PM disagreement" in out
    assert "! no-metric: no measured result" in out

    listed = assess(assess_home, "story", "list", "--json")
    data = json.loads(listed.stdout)["stories"]
    assert [(s["title"], s["metric"], s["topics"], s["questions"]) for s in data] == [
        ("Spam rollback", "cut false positives 30%", ["bh-failure"], ["bh-failure-q1"]),
        ("PM disagreement", None, ["bh-cross-functional"], ["bh-cross-functional-q1"]),
    ]
    assert [[f["code"] for f in s["flags"]] for s in data] == [[], ["vague-result", "no-metric"]]

    init = assess(assess_home, "init", "--name", "Pty", "--interview-date", "2026-12-23",
                  "--no-input")
    assert init.returncode == 0, init.stderr
    template = assess(assess_home, "rate", "--template").stdout.replace(": null", ": 2")
    (assess_home.parent / "a.yaml").write_text(template)
    rated = assess(assess_home, "rate", "--answers", str(assess_home.parent / "a.yaml"))
    assert rated.returncode == 0, rated.stderr
    report = assess(assess_home, "report", "-o", "-", "--format", "md")
    section = report.stdout[report.stdout.index("## STAR stories"):]
    assert "- rs-pitch-q1: none yet" in section


def test_ctrl_c_saves_no_half_story(assess_home: Path) -> None:
    child = spawn(assess_home, "story", "add")
    child.expect_exact("Title (a few words you will recognise): ")
    child.sendline("Half told")
    child.expect_exact("Situation: ")
    child.sendintr()
    child.expect_exact("Stopped: no story was saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert json.loads(assess(assess_home, "story", "list", "--json").stdout) == {
        "schema": 1, "stories": []}
