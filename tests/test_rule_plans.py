"""What the plan does with evidence, stages and days, checked through `assess plan --json`.

Each test pins one rule whose bug (planted one at a time) the rest of the suite let through:
verification only for unverified topics, no re-attempts for closed rounds, a mentor's lower
rating standing against a same-day attempt, a stage dated today or on the onsite day, and the
day placement (the screen mock on the last full day before the screen, study before practice,
at most 2 h of one topic in a day). The tests use the command line, so they hold whichever
planner builds the plan.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from assess.cli import cli
from assess.rubric.model import load_rubric

TODAY = "2026-11-30"
RUBRIC = load_rubric("discord-mle")
WEAK = {"sd": 2, "co": 2, "am": 3, "bh": 3, "ps": 3, "rs": 3}


def invoke(*args: str, today: str = TODAY) -> Result:
    return CliRunner().invoke(cli, ["--today", today, *args])


def setup(tmp_path: Path, levels: dict[str, int], *init: str, onsite: str = "2027-01-04",
          hours: int = 10, screens_done: bool = True) -> None:
    result = invoke("init", "--no-input", "--name", "Sam", "--interview-date", onsite,
                    "--hours-per-week", str(hours), *init)
    assert result.exit_code == 0, result.output
    if screens_done:
        for stage in ("recruiter", "technical-screen"):
            assert invoke("stage", "done", stage).exit_code == 0
    rate(tmp_path, "self", {t: levels[t.split("-")[0]] for t in RUBRIC.topics})


def rate(tmp_path: Path, rater: str, ratings: dict[str, int], today: str = TODAY) -> None:
    path = tmp_path / f"{rater}.yaml"
    path.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": rater,
                                    "ratings": ratings}))
    result = invoke("rate", "--rater", rater, "--answers", str(path), today=today)
    assert result.exit_code == 0, result.output


def plan(today: str = TODAY) -> dict:
    result = invoke("plan", "--json", today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def sessions(p: dict) -> list[dict]:
    return [s for w in p["weeks"] for s in w["sessions"]]


def all_points(qid: str) -> str:
    return ",".join(str(n) for n in range(1, len(RUBRIC.question(qid)[1].checklist) + 1))


def log(qid: str, minutes: int, covered: str, today: str = TODAY) -> None:
    result = invoke("practice", "--log", qid, "--minutes", str(minutes), "--covered", covered,
                    today=today)
    assert result.exit_code == 0, result.output


# ----- evidence in the plan ----------------------------------------------------------------------


def test_a_verified_topic_gets_no_verification_session(tmp_path: Path) -> None:
    setup(tmp_path, {**WEAK, "am": 4})
    log("am-nlp-q1", 15, all_points("am-nlp-q1"))
    p = plan()
    assert p["evidence"]["am-nlp"]["status"] == "verified"
    assert p["evidence"]["am-classification"]["status"] == "unverified"
    verify = {s["topic"] for s in sessions(p) if s["kind"] == "verify"}
    assert "am-nlp" not in verify
    assert "am-classification" in verify


def test_a_closed_round_gets_no_reattempt(tmp_path: Path) -> None:
    setup(tmp_path, WEAK, screens_done=False)
    log("ps-timed-coding-q1", 30, "1")  # failed: due again soon
    log("co-algorithms-q1", 30, "1")
    assert invoke("stage", "done", "technical-screen").exit_code == 0
    p = plan()
    again = [s for s in sessions(p) if s["kind"] == "reattempt"]
    assert [s["question_id"] for s in again] == ["co-algorithms-q1"]
    assert [s for s in sessions(p) if s["round"] == "phone-screen"] == []


def gap_rating(p: dict, topic: str) -> int | None:
    return next((g["rating"] for g in p["gaps"] if g["topic"] == topic), None)


def test_a_same_day_attempt_does_not_override_a_mentors_lower_rating(tmp_path: Path) -> None:
    setup(tmp_path, {**WEAK, "am": 4})
    rate(tmp_path, "mentor", {"am-nlp": 2}, today="2026-12-01")
    log("am-nlp-q1", 15, all_points("am-nlp-q1"), today="2026-12-01")
    assert gap_rating(plan("2026-12-01"), "am-nlp") == 2
    # the attempt a day after the mentor's rating is what lifts it back to the self-rating
    log("am-nlp-q2", 15, all_points("am-nlp-q2"), today="2026-12-02")
    assert gap_rating(plan("2026-12-02"), "am-nlp") is None  # rated 4: at the target


# ----- stages ------------------------------------------------------------------------------------


def test_a_stage_dated_today_is_closed(tmp_path: Path) -> None:
    setup(tmp_path, WEAK, "--stage-date", f"technical-screen={TODAY}", screens_done=False)
    rows = {r["stage"]: r for r in json.loads(invoke("stage", "list", "--json").stdout)}
    assert (rows["technical-screen"]["status"], rows["technical-screen"]["days"]) == ("today", 0)
    p = plan()
    assert [s for s in sessions(p) if s["round"] == "phone-screen"] == []
    assert ("The Technical phone screen is behind you (on 2026-11-30): its rounds get no new "
            "hours; hours you logged on them still count.") in p["notes"]
    assert any(s["date"] == TODAY for s in sessions(p))  # the screen's day is no rest day now
    # the day after, it is past: still closed
    assert [s for s in sessions(plan("2026-12-01")) if s["round"] == "phone-screen"] == []


def test_a_screen_on_the_onsite_day_is_refused(tmp_path: Path) -> None:
    result = invoke("init", "--no-input", "--name", "Sam", "--interview-date", "2027-01-04",
                    "--stage-date", "technical-screen=2027-01-04")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: --stage-date technical-screen=2027-01-04: on or after the onsite (2027-01-04); "
        "earlier stages come before it\n")
    result = invoke("init", "--no-input", "--name", "Sam", "--interview-date", "2027-01-04",
                    "--stage-date", "technical-screen=2027-01-03")
    assert result.exit_code == 0, result.output


# ----- days --------------------------------------------------------------------------------------


def test_a_screen_mock_falls_on_the_last_full_day_before_the_screen(tmp_path: Path) -> None:
    setup(tmp_path, WEAK, "--stage-date", "technical-screen=2026-12-10",
          "--stage-date", "recruiter=2026-12-03", screens_done=False)
    p = plan()
    mocks = {s["round"]: s["date"] for s in sessions(p) if s["kind"] == "screen"}
    # the day before a stage is a light review day, so the last full day is two days before
    assert mocks == {"recruiter-screen": "2026-12-01", "phone-screen": "2026-12-08"}
    eve = [s for s in sessions(p) if s["date"] in ("2026-12-02", "2026-12-09")]
    assert eve and all(s["activity"] == "review" and s["hours"] <= 0.5 for s in eve)


CANDIDATES = [
    (WEAK, 10, ()),
    ({k: 1 for k in WEAK}, 20, ("--stage-date", "technical-screen=2026-12-10")),
    (WEAK, 15, ("--stage-date", "technical-screen=2026-12-05")),
]


@pytest.mark.parametrize(("levels", "hours", "init"), CANDIDATES)
def test_a_topic_is_studied_before_it_is_practised(tmp_path: Path, levels: dict[str, int],
                                                   hours: int, init: tuple[str, ...]) -> None:
    setup(tmp_path, levels, *init, hours=hours, screens_done=False)
    planned = [s for s in sessions(plan()) if s["kind"] is None]
    first_study: dict[str, str] = {}
    for s in planned:
        if s["activity"] == "study":
            first_study.setdefault(s["topic"], s["date"])
    for s in planned:
        if s["activity"] == "practice" and s["topic"] in first_study:
            assert s["date"] >= first_study[s["topic"]], s["id"]
    # on one day, a topic's study comes before its practice in the listed order
    order = [(s["date"], s["topic"], s["activity"]) for s in planned]
    for i, (day, topic, activity) in enumerate(order):
        if activity == "study":
            assert (day, topic, "practice") not in order[:i], (day, topic)


@pytest.mark.parametrize(("levels", "hours", "init"), CANDIDATES)
def test_at_most_two_hours_of_one_topic_in_a_day(tmp_path: Path, levels: dict[str, int],
                                                 hours: int, init: tuple[str, ...]) -> None:
    setup(tmp_path, levels, *init, hours=hours, screens_done=False)
    per_day: Counter[tuple[str, str]] = Counter()
    for s in sessions(plan()):
        if s["activity"] != "mock":  # a mock is one sitting, whatever its length
            per_day[(s["date"], s["topic"])] += s["hours"]
    over = {key: h for key, h in per_day.items() if h > 2}
    assert over == {}


def test_final_mocks_fall_on_distinct_days_in_the_last_week(tmp_path: Path) -> None:
    setup(tmp_path, WEAK)
    onsite = dt.date(2027, 1, 4)
    finals = [s for s in sessions(plan()) if s["kind"] == "final"]
    days = [dt.date.fromisoformat(s["date"]) for s in finals]
    assert finals and len(set(days)) == len(days)
    assert all(2 <= (onsite - d).days <= 7 for d in days)


def test_stage_list_counts_days_both_ways(tmp_path: Path) -> None:
    result = invoke("init", "--no-input", "--name", "Sam", "--interview-date", "2027-01-04",
                    "--stage-date", "recruiter=2026-12-01",
                    "--stage-date", "technical-screen=2026-12-03")
    assert result.exit_code == 0, result.output
    listed = invoke("stage", "list", today="2026-12-02")
    assert listed.stdout.splitlines()[:4] == [
        "recruiter          past      2026-12-01 (1 day(s) ago)",
        "                   Recruiter screen: Recruiter Screen",
        "technical-screen   upcoming  2026-12-03 (in 1 day(s))",
        "                   Technical phone screen: Technical Phone Screen",
    ]
    listed = invoke("stage", "list", today="2026-12-03")
    assert listed.stdout.splitlines()[2:] == [
        "technical-screen   today     2026-12-03 (today)",
        "                   Technical phone screen: Technical Phone Screen",
        "onsite             upcoming  2027-01-04 (in 32 day(s))",
        "                   Onsite loop (held remotely, four to five rounds): ML System Design, "
        "Applied ML and Theory, Coding and Algorithms, Behavioral and Cross-Functional "
        "Collaboration",
        "decision           later     no date (Usually quick after the onsite; 3-5 weeks from "
        "screen to offer in all)",
        "                   Decision and offer: -",
    ]
    rows = json.loads(invoke("stage", "list", "--json", today="2026-12-03").stdout)
    assert rows[1] == {
        "stage": "technical-screen", "title": "Technical phone screen", "when": "Weeks 1-2",
        "date": "2026-12-03", "days": 0, "status": "today", "onsite": False,
        "rounds": [{"id": "phone-screen", "title": "Technical Phone Screen"}]}
    assert (rows[2]["stage"], rows[2]["onsite"]) == ("onsite", True)


def test_an_unknown_stage_is_named_in_40_characters() -> None:
    result = invoke("init", "--no-input", "--name", "Sam", "--stage-date", "x" * 50 + "=2026-12-01")
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: --stage-date: unknown stage '{'x' * 40}' for discord-mle (stages: recruiter, "
        "technical-screen, onsite, decision)\n")
