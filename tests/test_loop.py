"""The weekly loop keeps every fact: plans on record, done from them, caps, jumps, FSRS aimed
at the onsite, one readiness rule, and check-ins that report only what changed."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from assess.app.done import find_sessions
from assess.cli import cli
from assess.evidence.practice import Attempt, caps_for, reattempts, spacing, unverified_jumps
from assess.rubric.model import load_rubric
from assess.store import SavedPlan, Store

RUBRIC = load_rubric("discord-mle")
ONSITE = "2026-12-31"
D = dt.date


def invoke(*args: str, today: str) -> Result:
    return CliRunner().invoke(cli, ["--today", today, *args])


def answers(tmp_path: Path, name: str, ratings: dict[str, int], **extra: Any) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self",
                                    "ratings": ratings, **extra}))
    return str(path)


def start(tmp_path: Path, today: str, levels: dict[str, int], **overrides: int) -> None:
    assert invoke("init", "--no-input", "--name", "Sam", "--interview-date", ONSITE,
                  "--hours-per-week", "10", today=today).exit_code == 0
    for stage in ("recruiter", "technical-screen"):
        assert invoke("stage", "done", stage, today=today).exit_code == 0
    ratings = {t: levels[t.split("-")[0]] for t in RUBRIC.topics}
    ratings.update(overrides)
    assert invoke("rate", "--answers", answers(tmp_path, "w0.yaml", ratings),
                  today=today).exit_code == 0


def plan(today: str) -> dict:
    result = invoke("plan", "--json", today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def sessions(p: dict) -> list[dict]:
    return [s for w in p["weeks"] for s in w["sessions"]]


def points(qid: str, n: int) -> str:
    return ",".join(str(i) for i in range(1, n + 1))


def checklist(qid: str) -> int:
    return len(RUBRIC.question(qid)[1].checklist)


WEAK = {"sd": 2, "co": 2, "am": 3, "bh": 3, "ps": 3, "rs": 3}


# ----- facts from the record ---------------------------------------------------------------------


def _saved(pid: str, day: D, sid: str, hours: float, on: D) -> SavedPlan:
    session = {"id": sid, "round": "system-design", "topic": "sd-metrics-experimentation",
               "activity": "study", "hours": hours, "date": on.isoformat(), "question_id": None}
    return SavedPlan(pid, day, pid, {"weeks": [{"sessions": [session]}]})


def test_a_session_ticked_days_later_keeps_the_hours_of_the_plan_it_was_in() -> None:
    sid = "sd-metrics-experimentation-study-1"
    first = _saved("a" * 12, D(2026, 12, 1), sid, 0.5, D(2026, 12, 1))
    today = _saved("b" * 12, D(2026, 12, 7), sid, 1.0, D(2026, 12, 7))
    found, unknown = find_sessions([today, first], [sid, "nope"], D(2026, 12, 7))
    assert unknown == ["nope"]
    assert (found[sid].hours, found[sid].plan_id, found[sid].date) == (0.5, "a" * 12,
                                                                        D(2026, 12, 1))
    # a PDF names its plan: that plan's session, whatever the others say
    named, _ = find_sessions([today, first], [sid], D(2026, 12, 7), plan_id="b" * 12)
    assert named[sid].hours == 1.0


def test_done_on_a_later_day_logs_the_planned_hours_on_the_planned_day(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-12-01", WEAK)
    first = plan("2026-12-01")
    assert len(first["plan_id"]) == 12
    assert plan("2026-12-01")["plan_id"] == first["plan_id"]  # same facts: the same plan
    target = next(s for s in sessions(first) if s["date"] == "2026-12-01")
    # a write on 7 Dec re-plans (today's plan may hold the same id); the session is ticked
    assert invoke("log", "coding", "1", today="2026-12-07").exit_code == 0
    assert plan("2026-12-07")["plan_id"] != first["plan_id"]
    result = invoke("done", "--session", target["id"], today="2026-12-07")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Marked 1 session(s) done ({target['hours']:g} h logged).\n"
    with Store.open(assess_home) as store:
        entry = [e for e in store.hours_entries() if e.note == f"done: {target['id']}"]
        done = store.completions()
    assert [(e.hours, e.date) for e in entry] == [(target["hours"], D(2026, 12, 1))]
    assert [(c.session_id, c.plan_id) for c in done] == [(target["id"], first["plan_id"])]
    again = invoke("done", "--session", target["id"], today="2026-12-07")
    assert again.stdout == (f"Marked 0 session(s) done (0 h logged); 1 were done already: "
                            f"{target['id']}.\n")


def test_a_verify_session_is_ticked_after_its_attempt_was_logged(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-11-30", {**WEAK, "am": 4})
    check = next(s for s in sessions(plan("2026-11-30")) if s["kind"] == "verify")
    qid = check["question_id"]
    assert invoke("practice", "--log", qid, "--minutes", "10", "--covered",
                  points(qid, checklist(qid)), today="2026-11-30").exit_code == 0
    assert check["id"] not in {s["id"] for s in sessions(plan("2026-11-30"))}
    result = invoke("done", "--session", check["id"], today="2026-11-30")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Marked 1 session(s) done ({check['hours']:g} h logged).\n"


def test_several_sessions_mark_the_good_ones_and_name_each_bad_one(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-11-30", WEAK)
    good = sessions(plan("2026-11-30"))[0]
    result = invoke("done", "--session", "bad-one", "--session", good["id"], "--session",
                    "bad-two", today="2026-11-30")
    assert result.exit_code == 2
    assert result.stdout == f"Marked 1 session(s) done ({good['hours']:g} h logged).\n"
    assert result.stderr == (
        "Error: --session: no session 'bad-one' in your plans (`assess plan --json` lists "
        "the ids)\nError: --session: no session 'bad-two' in your plans (`assess plan --json` "
        "lists the ids)\n")
    with Store.open(assess_home) as store:
        assert [c.session_id for c in store.completions()] == [good["id"]]


# ----- evidence that sticks ----------------------------------------------------------------------


def test_a_failed_attempt_caps_the_topic_through_a_self_check_in(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-12-01", WEAK, **{"co-data-structures": 5})
    qid = "co-data-structures-q1"
    assert checklist(qid) == 7
    assert invoke("practice", "--log", qid, "--minutes", "20", "--covered", "1,2",
                  today="2026-12-03").exit_code == 0
    gap = {g["topic"]: g for g in plan("2026-12-03")["gaps"]}["co-data-structures"]
    assert (gap["rating"], gap["target"]) == (2, 4)
    # a check-in that does not touch the topic (nor one that keeps 5) lifts nothing
    moved = answers(tmp_path, "w1.yaml", {"sd-feature-pipelines": 3}, hours={"coding": 2})
    assert invoke("checkin", "--answers", moved, "-o", str(tmp_path / "r.json"),
                  today="2026-12-07").exit_code == 0
    p = plan("2026-12-07")
    assert {g["topic"]: g["rating"] for g in p["gaps"]}["co-data-structures"] == 2
    assert p["evidence"]["co-data-structures"]["cap"]["reason"] == (
        "capped at 2 by your attempt on 3 Dec: 2/7 points")
    # a later attempt with 75%+ inside the time box lifts it
    assert invoke("practice", "--log", "co-data-structures-q2", "--minutes", "10",
                  "--covered", points("", checklist("co-data-structures-q2")),
                  today="2026-12-08").exit_code == 0
    assert plan("2026-12-08")["evidence"]["co-data-structures"]["cap"] is None


def test_caps_weak_and_failed_and_what_lifts_them() -> None:
    def a(day: int, covered: int, minutes: float, total: int = 8) -> Attempt:
        return Attempt("q", "t", D(2026, 12, day), minutes, tuple(range(1, covered + 1)),
                       total, 30)

    assert caps_for([a(1, 5, 30)])["t"].level == 3  # 5/8 = 62%: weak
    assert caps_for([a(1, 7, 46)])["t"].level == 2  # over 1.5x the time box: failed
    assert caps_for([a(1, 3, 20), a(2, 5, 20)])["t"].level == 2  # weak does not lift failed
    assert caps_for([a(1, 3, 20), a(2, 6, 30)]) == {}  # 75% inside the box lifts it
    assert caps_for([a(1, 3, 20), a(2, 6, 31)])["t"].level == 2  # not inside the box
    assert caps_for([a(3, 3, 20)], {"t": D(2026, 12, 3)}) == {}  # the mentor rated it since
    assert caps_for([a(3, 3, 20)], {"t": D(2026, 12, 2)})["t"].level == 2


def test_the_questionnaire_shows_the_cap_beside_the_prompt(
        tmp_path: Path, assess_home: Path) -> None:
    from assess.app.questionnaire import _evidence_lines

    start(tmp_path, "2026-12-01", WEAK)
    assert invoke("practice", "--log", "co-data-structures-q1", "--minutes", "20",
                  "--covered", "1,2", today="2026-12-03").exit_code == 0
    with Store.open(assess_home) as store:
        lines = _evidence_lines(store, list(RUBRIC.topics.values()), D(2026, 12, 7))
    assert lines["co-data-structures"] == (
        "evidence: 1 attempt, best 2/7 points in 20 of 30 min; capped at 2 by your attempt on "
        "3 Dec: 2/7 points")


# ----- unverified jumps --------------------------------------------------------------------------


def test_a_plus_two_jump_is_planned_plus_one_and_checked_within_seven_days(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-11-30", WEAK)
    raised = answers(tmp_path, "w1.yaml", {"sd-feature-pipelines": 4})  # 2 -> 4, unsupported
    assert invoke("checkin", "--answers", raised, "-o", str(tmp_path / "r.md"),
                  today="2026-12-07").exit_code == 0
    p = plan("2026-12-07")
    ev = p["evidence"]["sd-feature-pipelines"]
    assert (ev["status"], ev["level_used"], ev["jump"]["before"], ev["jump"]["after"]) == (
        "unverified", 3, 2, 4)
    assert {g["topic"]: g["rating"] for g in p["gaps"]}["sd-feature-pipelines"] == 3
    checks = [s for s in sessions(p)
              if s["kind"] == "verify" and s["topic"] == "sd-feature-pipelines"]
    assert len(checks) == 1
    assert "2026-12-07" <= checks[0]["date"] < "2026-12-14"
    shown = invoke("plan", today="2026-12-07").stderr.splitlines()
    assert ("Unverified: Data engineering and feature pipelines: raised from 2 to 4 on 7 Dec "
            "with no attempt to support it; planned at 3 until one does") in shown
    report = (tmp_path / "r.md").read_text()
    assert "unverified: raised from 2 to 4 on 7 Dec with no attempt to support it" in report
    # the next check-in keeps 5: still planned at 4 until an attempt supports it
    kept = answers(tmp_path, "w2.yaml", {"co-algorithms": 3})
    assert invoke("checkin", "--answers", kept, "-o", str(tmp_path / "r2.md"),
                  today="2026-12-09").exit_code == 0
    assert plan("2026-12-09")["evidence"]["sd-feature-pipelines"]["level_used"] == 3
    qid = checks[0]["question_id"]
    assert invoke("practice", "--log", qid, "--minutes", "10", "--covered",
                  points(qid, checklist(qid)), today="2026-12-10").exit_code == 0
    assert plan("2026-12-10")["evidence"]["sd-feature-pipelines"]["status"] == "verified"


def test_a_jump_check_comes_before_the_screen_that_tests_it(
        tmp_path: Path, assess_home: Path) -> None:
    assert invoke("init", "--no-input", "--name", "Sam", "--interview-date", ONSITE,
                  "--hours-per-week", "10", "--stage-date", "technical-screen=2026-12-10",
                  today="2026-11-30").exit_code == 0
    assert invoke("stage", "done", "recruiter", today="2026-11-30").exit_code == 0
    ratings = {t: WEAK.get(t.split("-")[0], 2) for t in RUBRIC.topics}
    assert invoke("rate", "--answers", answers(tmp_path, "w0.yaml", ratings),
                  today="2026-11-30").exit_code == 0
    raised = answers(tmp_path, "w1.yaml", {"co-data-structures": 4})  # 2 -> 4
    assert invoke("rate", "--answers", raised, today="2026-12-06").exit_code == 0
    p = plan("2026-12-06")
    checks = [s for s in sessions(p) if s["kind"] == "verify"
              and s["topic"] == "co-data-structures"]
    assert len(checks) == 1 and checks[0]["date"] < "2026-12-10"


def test_jumps_follow_the_check_ins() -> None:
    days = [D(2026, 11, 30), D(2026, 12, 7), D(2026, 12, 14)]
    good = Attempt("q", "t", D(2026, 12, 9), 20, (1, 2, 3, 4), 4, 30)
    history = [(days[0], {"t": 2}), (days[1], {"t": 4}), (days[2], {"t": 4})]
    assert unverified_jumps(history, []) == unverified_jumps(history[:2], [])
    assert unverified_jumps(history, [])["t"].planned == 3
    assert unverified_jumps(history, [good]) == {}
    assert unverified_jumps([(days[0], {"t": 2}), (days[1], {"t": 3})], []) == {}
    assert unverified_jumps(history, [], {"t": days[2]}) == {}  # the mentor rated it since


# ----- spacing aimed at the interview ------------------------------------------------------------


def test_a_good_attempt_thirty_days_out_waits_for_the_last_ten_days() -> None:
    onsite = D(2026, 12, 31)
    good = Attempt("q1", "t", D(2026, 12, 1), 40, (1, 2, 3, 4, 5, 6, 7), 8, 45)
    failed = Attempt("q2", "t", D(2026, 12, 1), 40, (1, 2), 8, 45)
    assert good.grade == "Good" and failed.grade == "Again"
    plan_ = spacing([good, failed], onsite)
    assert plan_["q1"].fsrs_due == D(2026, 12, 3)  # FSRS alone: 2 days
    assert plan_["q1"].due == D(2026, 12, 21)  # the onsite's last 10 days
    assert plan_["q2"].due == plan_["q2"].fsrs_due == D(2026, 12, 2)
    assert round(plan_["q1"].recall_onsite or 0, 2) == 0.67
    assert [r.question for r in reattempts([good, failed], onsite)] == ["q2", "q1"]


def test_a_good_attempt_is_not_replanned_before_day_minus_ten(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-12-01", WEAK)
    qid = "sd-serving-latency-q1"
    n = checklist(qid)
    assert invoke("practice", "--log", qid, "--minutes", "40", "--covered",
                  points(qid, n - 1), today="2026-12-01").exit_code == 0
    p = plan("2026-12-01")
    again = [s for s in sessions(p) if s["question_id"] == qid]
    assert again and all(s["date"] >= "2026-12-21" for s in again)
    listed = json.loads(invoke("practice", "--list", "--json",
                               today="2026-12-01").stdout)["attempts"]
    assert listed[0]["next_due"] == "2026-12-21"
    assert 0 < listed[0]["recall_onsite"] < 0.9
    text = invoke("practice", "--list", today="2026-12-01").stdout
    assert f"  2026-12-21  {qid}  recall {listed[0]['recall_onsite']:.0%}" in text


# ----- one readiness rule, check-ins -------------------------------------------------------------


def test_a_partial_mentor_assessment_reads_the_same_everywhere(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-12-01", WEAK)
    mentor = tmp_path / "m.yaml"
    mentor.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "mentor",
                                      "ratings": {"sd-feature-pipelines": 1,
                                                  "co-data-structures": 4}}))
    rated = invoke("rate", "--rater", "mentor", "--answers", str(mentor), today="2026-12-02")
    assert rated.exit_code == 0, rated.output
    history = json.loads(invoke("history", "--json", today="2026-12-02").stdout)
    shown = history[-1]["readiness"]
    assert shown > 0.3  # not the 12% of counting unrated topics as level 1
    overall = next(line for line in rated.stdout.splitlines() if "Overall" in line)
    assert overall.endswith(f"{shown:.0%}")
    report = json.loads(invoke("report", "--format", "json", "-o", "-",
                               today="2026-12-02").stdout)
    trend = [t for t in report["progress"]["trend"] if t["rater"] == "mentor"]
    assert round(trend[-1]["readiness"], 2) == round(shown, 2)


def test_checkin_no_input_reports_only_changes_since_the_last_check_in(
        tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-11-23", WEAK)
    raised = answers(tmp_path, "w1.yaml", {"sd-feature-pipelines": 4})
    first = invoke("checkin", "--answers", raised, "-o", str(tmp_path / "a.json"),
                   today="2026-11-30")
    assert "  Data engineering and feature pipelines: 2 -> 4 (up 2)" in first.stdout.splitlines()
    quiet = invoke("checkin", "--no-input", "-o", str(tmp_path / "b.json"), today="2026-12-07")
    assert quiet.exit_code == 0, quiet.output
    assert quiet.stdout.splitlines()[0] == "No rating changed since your check-in on 2026-11-30."
    hours_only = answers(tmp_path, "w3.yaml", {}, hours={"coding": 3})
    result = invoke("checkin", "--answers", hours_only, "-o", str(tmp_path / "c.json"),
                    today="2026-12-14")
    assert result.exit_code == 0, result.output
    assert result.stderr == "Logged 3 h on Coding and Algorithms.\n"
    assert result.stdout.splitlines()[0] == "No rating changed since your check-in on 2026-12-07."


def test_saved_plans_and_the_inputs_hash(tmp_path: Path, assess_home: Path) -> None:
    start(tmp_path, "2026-12-01", WEAK)
    with Store.open(assess_home) as store:
        day = store.inputs_hash(D(2026, 12, 1))
        assert store.inputs_hash(D(2026, 12, 1)) == day
        assert store.inputs_hash(D(2026, 12, 2)) != day  # a plan is made for a day
        pid = store.save_plan(day, D(2026, 12, 1), {"weeks": []})
        assert pid == day[:12]
        assert store.save_plan(day, D(2026, 12, 1), {"weeks": [1]}) == pid  # kept once
        saved = store.plan_by_id(pid)
        assert saved is not None and saved.body == {"weeks": [], "plan_id": pid}
        assert store.plan_by_hash(day) == saved
    for write in (("log", "coding", "1"), ("stage", "done", "recruiter", "--undo"),
                  ("practice", "--log", "co-data-structures-q1", "--minutes", "9",
                   "--covered", "1")):
        invoke(*write, today="2026-12-01")
        with Store.open(assess_home) as store:
            now = store.inputs_hash(D(2026, 12, 1))
        assert now != day, write
        day = now


def test_a_home_that_cannot_keep_the_plan_still_plans(
        tmp_path: Path, assess_home: Path, monkeypatch: Any) -> None:
    from assess.errors import StoreError
    from assess.store.plans import PlanStore

    start(tmp_path, "2026-12-01", WEAK)

    def refuse(*_args: Any) -> str:
        raise StoreError("assess.db: cannot write (attempt to write a readonly database)")

    monkeypatch.setattr(PlanStore, "save_plan", refuse)
    fresh = plan("2026-12-01")
    with Store.open(assess_home) as store:
        assert store.saved_plans() == []
        assert fresh["plan_id"] == store.inputs_hash(D(2026, 12, 1), _extra())[:12]


def _extra() -> tuple[str, ...]:
    from assess.app.saved_plans import hash_extra

    return hash_extra("discord-mle", None)
