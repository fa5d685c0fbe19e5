"""Practice memory: attempts scored against checklists, FSRS re-attempts, evidence, done."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from assess.cli import cli
from assess.errors import InputError
from assess.evidence.practice import (
    Attempt,
    caps_for,
    due_dates,
    evidence,
    parse_covered,
    reattempts,
)
from assess.rubric.model import load_rubric
from assess.store import Store

TODAY = "2026-11-30"
RUBRIC = load_rubric("discord-mle")


def invoke(*args: str, today: str = TODAY) -> Result:
    return CliRunner().invoke(cli, ["--today", today, *args])


def setup(tmp_path: Path, levels: dict[str, int], onsite: str = "2027-01-04") -> None:
    result = invoke("init", "--no-input", "--name", "Sam", "--interview-date", onsite,
                    "--hours-per-week", "10")
    assert result.exit_code == 0, result.output
    for stage in ("recruiter", "technical-screen"):
        assert invoke("stage", "done", stage).exit_code == 0
    ratings = {t: levels[t.split("-")[0]] for t in RUBRIC.topics}
    path = tmp_path / "answers.yaml"
    path.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self",
                                    "ratings": ratings}))
    assert invoke("rate", "--answers", str(path)).exit_code == 0


def plan(today: str = TODAY) -> dict:
    result = invoke("plan", "--json", today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def sessions(p: dict) -> list[dict]:
    return [s for w in p["weeks"] for s in w["sessions"]]


def snapshot(home: Path) -> dict:
    with Store.open(home) as store:
        return store.export_data()


WEAK = {"sd": 2, "co": 2, "am": 3, "bh": 3, "ps": 3, "rs": 3}


def attempt(share_points: int, total: int, minutes: float, box: int = 45) -> Attempt:
    return Attempt(question="q", topic="t", date=dt.date(2026, 11, 30), minutes=minutes,
                   covered=tuple(range(1, share_points + 1)), total=total, time_box=box)


# ----- pure rules --------------------------------------------------------------------------------


@pytest.mark.parametrize(("points", "total", "minutes", "grade"), [
    (2, 6, 40, "Again"),   # under 50% covered
    (6, 6, 70, "Again"),   # more than 1.5x the time box
    (4, 6, 40, "Hard"),    # under 75%
    (5, 6, 50, "Hard"),    # over the time box
    (5, 6, 40, "Good"),
    (6, 6, 45, "Easy"),    # 90% or more inside the time box
])
def test_an_attempt_maps_to_an_fsrs_rating(points: int, total: int, minutes: float,
                                           grade: str) -> None:
    assert attempt(points, total, minutes).grade == grade


def test_covered_points_are_checked() -> None:
    assert parse_covered("3, 1 4", 6) == (1, 3, 4)
    assert parse_covered("", 6) == ()
    for text, message in (("7", "--covered: point 7 is out of range (the checklist has 1-6)"),
                          ("1,1", "--covered: point 1 is given twice"),
                          ("x", "--covered: 'x' is not a point number")):
        with pytest.raises(InputError) as info:
            parse_covered(text, 6)
        assert str(info.value) == message


def test_failed_questions_come_back_sooner_and_first() -> None:
    day = dt.date(2026, 11, 30)
    good = Attempt("a", "t", day, 40, (1, 2, 3, 4, 5, 6), 6, 45, uid="1")
    poor = Attempt("b", "t", day, 40, (1, 2), 6, 45, uid="2")
    dues = due_dates([good, poor])
    assert dues["b"] < dues["a"]
    assert [r.question for r in reattempts([good, poor])] == ["b", "a"]
    assert due_dates([good, poor]) == dues  # deterministic


def test_evidence_statuses() -> None:
    day = dt.date(2026, 11, 30)
    good = Attempt("a", "t", day, 38, (1, 2, 3, 4, 5), 6, 45)
    poor = Attempt("a", "t", day, 40, (1,), 6, 45)
    assert evidence("t", 4, day, 4, [], day).status == "unverified"
    assert evidence("t", 4, day, 4, [good], day).status == "verified"
    assert evidence("t", 4, day, 4, [good], day).line() == (
        "evidence: 1 attempt, best 5/6 points in 38 of 45 min")
    cap = caps_for([poor])["t"]
    contradicted = evidence("t", 4, day, 4, [poor], day, cap)
    assert (contradicted.status, contradicted.level_used) == ("contradicted", 2)
    assert cap.reason() == "capped at 2 by your attempt on 30 Nov: 1/6 points"
    assert evidence("t", 2, day, 4, [], day).status == "none"


# ----- the CLI, as a new user would --------------------------------------------------------------


def test_three_attempts_shape_the_next_plan(tmp_path: Path) -> None:
    setup(tmp_path, WEAK)
    # sd-serving-latency-q1 has a 45-minute box; the checklists have 6-9 points
    good_q, poor_q, slow_q = "sd-serving-latency-q1", "sd-metrics-experimentation-q1", \
        "sd-recommendations-q1"
    totals = {q: len(RUBRIC.question(q)[1].checklist) for q in (good_q, poor_q, slow_q)}
    all_points = ",".join(str(n) for n in range(1, totals[good_q] + 1))
    assert invoke("practice", "--log", good_q, "--minutes", "40",
                  "--covered", all_points).exit_code == 0
    assert invoke("practice", "--log", poor_q, "--minutes", "28", "--covered", "1,2").exit_code == 0
    result = invoke("practice", "--log", slow_q, "--minutes", "120", "--covered", "1,2,3,4,5")
    assert result.exit_code == 0
    assert result.stdout.startswith("Saved: 5/")
    p = plan()
    onsite = dt.date(2027, 1, 4)
    by_q = {q: [s for s in sessions(p) if s["question_id"] == q] for q in totals}
    for q, found in by_q.items():
        assert all(s["kind"] == "reattempt" for s in found), q  # never as new practice
    dues = {r["question_id"]: r for r in p["reattempts"]}
    poor = by_q[poor_q]
    assert len(poor) == 1
    assert dt.date.fromisoformat(dues[poor_q]["due"]) <= dt.date.fromisoformat(poor[0]["date"])
    assert dt.date.fromisoformat(poor[0]["date"]) < onsite
    assert dues[poor_q]["last_grade"] == "Again" and dues[slow_q]["last_grade"] == "Again"
    assert [r["question_id"] for r in p["reattempts"]][:2] != [good_q, good_q]
    for s in by_q[good_q]:
        assert dt.date.fromisoformat(s["date"]) >= dt.date.fromisoformat(dues[good_q]["due"])


def test_two_plans_a_week_apart_share_no_practice_question(tmp_path: Path) -> None:
    setup(tmp_path, WEAK)
    first = plan()
    week1 = first["weeks"][0]["sessions"]
    practice = [s for s in week1 if s["question_id"] and s["activity"] in ("practice", "mock")]
    assert practice
    result = invoke("done", *[x for s in week1 for x in ("--session", s["id"])],
                    today="2026-12-06")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Marked {len(week1)} session(s) done")
    second = plan(today="2026-12-07")
    before = {s["question_id"] for s in sessions(first) if s["question_id"]
              and s["date"] <= "2026-12-06"}
    again = [s for s in sessions(second) if s["question_id"] in before
             and s["kind"] != "reattempt"]
    assert again == []
    done_ids = {s["id"] for s in week1}
    assert not done_ids & {s["id"] for s in sessions(second)}
    # marking the same sessions again adds nothing
    result = invoke("done", "--session", week1[0]["id"], today="2026-12-06")
    assert result.stdout == ("Marked 0 session(s) done (0 h logged); 1 were done already: "
                             f"{week1[0]['id']}.\n")


def test_an_unverified_rating_is_checked_then_verified_or_lowered(tmp_path: Path) -> None:
    setup(tmp_path, {**WEAK, "am": 4})
    p = plan()
    assert p["evidence"]["am-nlp"]["status"] == "unverified"
    checks = [s for s in sessions(p) if s["kind"] == "verify" and s["topic"] == "am-nlp"]
    assert len(checks) == 1
    qid = checks[0]["question_id"]
    total = len(RUBRIC.question(qid)[1].checklist)
    good = ",".join(str(n) for n in range(1, total))  # all but one point
    assert invoke("practice", "--log", qid, "--minutes", "18", "--covered", good).exit_code == 0
    p = plan()
    assert p["evidence"]["am-nlp"]["status"] == "verified"
    other = "am-classification-q1"
    assert invoke("practice", "--log", other, "--minutes", "20", "--covered", "1").exit_code == 0
    p = plan()
    assert p["evidence"]["am-classification"]["status"] == "contradicted"
    gap = next(g for g in p["gaps"] if g["topic"] == "am-classification")
    assert gap["rating"] == 2  # rated 4, a failed attempt caps it at 2 until it is lifted


def test_hours_on_a_topic_lower_its_need(tmp_path: Path) -> None:
    setup(tmp_path, {**WEAK, "sd": 1})
    assert invoke("init", "--no-input", "--target-level", "5").exit_code == 0
    need = plan()["feasibility"]["needs"]["sd-feature-pipelines"]
    assert need == 12  # 4 levels x 3 h
    result = invoke("log", "system-design", "10", "--topic", "sd-feature-pipelines")
    assert result.exit_code == 0, result.output
    assert plan()["feasibility"]["needs"]["sd-feature-pipelines"] == 12 - 10
    result = invoke("log", "system-design", "20", "--topic", "sd-serving-latency")
    assert plan()["feasibility"]["needs"]["sd-serving-latency"] == 0  # never below 0
    bad = invoke("log", "system-design", "1", "--topic", "co-algorithms")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("Error: --topic: 'co-algorithms' is not a topic of "
                                 "system-design")


@pytest.mark.parametrize(("args", "message"), [
    (["--log", "nope-q1", "--minutes", "30", "--covered", "1"],
     "Error: --log: unknown question id 'nope-q1' in rubric discord-mle"),
    (["--log", "sd-serving-latency-q1", "--minutes", "30", "--covered", "1,42"],
     "Error: --covered: point 42 is out of range"),
    (["--log", "sd-serving-latency-q1", "--minutes", "-5", "--covered", "1"],
     "Error: --minutes: must be more than 0 and at most 600 (got -5)"),
    (["--log", "sd-serving-latency-q1", "--minutes", "30"],
     "Error: --log needs --minutes N and --covered POINTS"),
])
def test_bad_attempts_are_refused_and_change_nothing(tmp_path: Path, assess_home: Path,
                                                    args: list[str], message: str) -> None:
    setup(tmp_path, WEAK)
    before = snapshot(assess_home)
    result = invoke("practice", *args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
    assert snapshot(assess_home) == before


def test_practice_needs_a_terminal_or_log(tmp_path: Path) -> None:
    setup(tmp_path, WEAK)
    result = invoke("practice")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: assess practice runs a timed attempt on a terminal. Without one, record an "
        "attempt with --log QUESTION_ID --minutes N --covered 1,3,4\n")


def test_attempts_list_and_travel_with_export(tmp_path: Path) -> None:
    setup(tmp_path, WEAK)
    assert invoke("practice", "--log", "co-algorithms-q1", "--minutes", "30",
                  "--covered", "1,2,3", "--rater", "peer", "--note", "slow start").exit_code == 0
    listed = json.loads(invoke("practice", "--list", "--json").stdout)["attempts"]
    assert [(a["question_id"], a["points"], a["rater"], a["note"]) for a in listed] == [
        ("co-algorithms-q1", 3, "peer", "slow start")]
    backup = tmp_path / "backup.json"
    assert invoke("export", str(backup)).exit_code == 0
    other = tmp_path / "other"
    for _ in range(2):  # importing twice adds nothing
        result = CliRunner().invoke(cli, ["--home", str(other), "--today", TODAY, "import",
                                          str(backup)])
        assert result.exit_code == 0, result.output
    with Store.open(other) as store:
        assert [(a.question, a.covered, a.rater) for a in store.attempts()] == [
            ("co-algorithms-q1", (1, 2, 3), "peer")]


def test_done_refuses_an_unknown_session(tmp_path: Path, assess_home: Path) -> None:
    setup(tmp_path, WEAK)
    before = snapshot(assess_home)
    result = invoke("done", "--session", "no-such-session")
    assert result.exit_code == 2
    assert result.stderr == ("Error: --session: no session 'no-such-session' in your plans "
                             "(`assess plan --json` lists the ids)\n")
    assert snapshot(assess_home) == before


def test_help_texts_end_with_an_example() -> None:
    for command in ("practice", "done"):
        lines = invoke(command, "--help").stdout.strip().splitlines()
        assert lines[-1].strip().startswith("Example: assess " + command)


def test_the_report_lists_evidence_in_every_format(tmp_path: Path) -> None:
    setup(tmp_path, {**WEAK, "am": 4})
    assert invoke("practice", "--log", "am-classification-q1", "--minutes", "20",
                  "--covered", "1").exit_code == 0
    out = tmp_path / "r.md"
    assert invoke("report", "-o", str(out)).exit_code == 0
    text = out.read_text()
    section = text[text.index("## Practice and evidence"):text.index("## Progress")]
    assert "- Classification and regression: capped at 2 by your attempt on " in section
    assert "- Natural language processing" in section  # unverified
    assert "Spaced re-attempts:" in section and "last time Again" in section
    data = json.loads(invoke("report", "--format", "json", "-o", "-").stdout)
    assert [c["topic"] for c in data["practice"]["contradicted"]] == ["am-classification"]
    assert data["practice"]["attempts_total"] == 1


def test_an_answers_file_carries_practice(tmp_path: Path, assess_home: Path) -> None:
    setup(tmp_path, WEAK)
    good = tmp_path / "mentor.yaml"
    good.write_text(yaml.safe_dump({
        "rubric": "discord-mle", "rater": "mentor", "ratings": {"co-algorithms": 2},
        "practice": [{"question": "co-algorithms-q1", "minutes": 33, "covered": [1, 2],
                      "note": "mock on Tuesday"}],
    }))
    result = invoke("rate", "--rater", "mentor", "--answers", str(good))
    assert result.exit_code == 0, result.output
    listed = json.loads(invoke("practice", "--list", "--json").stdout)["attempts"]
    assert [(a["question_id"], a["covered"], a["rater"]) for a in listed] == [
        ("co-algorithms-q1", [1, 2], "mentor")]
    before = snapshot(assess_home)
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({
        "rubric": "discord-mle", "rater": "mentor", "ratings": {"co-algorithms": 2},
        "practice": [{"question": "co-algorithms-q1", "minutes": 30, "covered": [1, 42]}],
    }))
    result = invoke("rate", "--rater", "mentor", "--answers", str(bad))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {bad}: line ")
    assert "practice.0.covered: point 42 is out of range" in result.stderr
    assert snapshot(assess_home) == before
