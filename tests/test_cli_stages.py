"""CLI: stage dates on the profile (`init --stage-date`, `stage list`, `stage done`) and their
effect on the plan, tried as a new user would on the bundled discord-mle rubric."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pdf_text import pdf_text

from assess.cli import cli
from assess.rubric.model import load_rubric
from assess.store import Store

TODAY = "2026-11-30"  # a Monday
RUBRIC = load_rubric("discord-mle")


def invoke(*args: str, today: str = TODAY) -> Result:
    return CliRunner().invoke(cli, ["--today", today, *args])


def init(*extra: str) -> Result:
    result = invoke("init", "--name", "Sam", "--interview-date", "2026-12-21",
                    "--hours-per-week", "10", "--no-input", *extra)
    assert result.exit_code == 0, result.output
    return result


def rate(tmp_path: Path, levels: dict[str, int], today: str = TODAY) -> None:
    ratings = {t: levels[t.split("-")[0]] for t in RUBRIC.topics}
    path = tmp_path / f"answers-{today}.yaml"
    path.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self",
                                    "ratings": ratings}))
    result = invoke("rate", "--answers", str(path), today=today)
    assert result.exit_code == 0, result.output


WEAK = {"sd": 2, "co": 2, "am": 4, "bh": 4, "ps": 2, "rs": 4}


def plan_json(today: str = TODAY) -> dict:
    result = invoke("plan", "--json", today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def sessions(plan: dict) -> list[dict]:
    return [s for w in plan["weeks"] for s in w["sessions"]]


def snapshot(home: Path) -> dict:
    with Store.open(home) as store:
        return store.export_data()


# ----- setting dates ----------------------------------------------------------------------------


def test_init_sets_a_stage_date_and_stage_list_shows_it() -> None:
    result = init("--stage-date", "technical-screen=2026-12-06")
    assert result.stdout == (
        "Profile saved: Sam: rubric discord-mle, onsite 2026-12-21 (21 days, 3 weeks away), "
        "technical-screen 2026-12-06, 10 h/week, target level 4\n"
    )
    listed = invoke("stage", "list")
    assert listed.exit_code == 0
    assert listed.stdout.splitlines()[:6] == [
        "recruiter          undated   no date (Week 1)",
        "                   Recruiter screen: Recruiter Screen",
        "technical-screen   upcoming  2026-12-06 (in 6 day(s))",
        "                   Technical phone screen: Technical Phone Screen",
        "onsite             upcoming  2026-12-21 (in 21 day(s))",
        "                   Onsite loop (held remotely, four to five rounds): ML System Design, "
        "Applied ML and Theory, Coding and Algorithms, Behavioral and Cross-Functional "
        "Collaboration",
    ]
    rows = json.loads(invoke("stage", "list", "--json").stdout)
    assert [(r["stage"], r["date"], r["status"]) for r in rows] == [
        ("recruiter", None, "undated"),
        ("technical-screen", "2026-12-06", "upcoming"),
        ("onsite", "2026-12-21", "upcoming"),
        ("decision", None, "later"),
    ]


def test_the_onsite_stage_date_is_the_interview_date(assess_home: Path) -> None:
    init()
    result = invoke("init", "--stage-date", "onsite=2026-12-28", "--no-input")
    assert result.exit_code == 0, result.output
    with Store.open(assess_home) as store:
        profile = store.get_profile()
    assert profile is not None
    assert profile.interview_date == dt.date(2026, 12, 28)
    assert profile.stage_dates == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("foo=2026-12-01", "Error: --stage-date: unknown stage 'foo' for discord-mle "
         "(stages: recruiter, technical-screen, onsite, decision)\n"),
        ("recruiter=2027-01-05", "Error: --stage-date recruiter=2027-01-05: on or after the "
         "onsite (2026-12-21); earlier stages come before it\n"),
        ("decision=2027-01-05", "Error: --stage-date: decision comes after the onsite and takes "
         "no date (dated stages: recruiter, technical-screen, onsite)\n"),
        ("recruiter=2026-11-01", "Error: --stage-date recruiter: 2026-11-01 is in the past "
         "(today is 2026-11-30); use `assess stage done recruiter` for a stage behind you\n"),
        ("recruiter=next week", "Error: --stage-date recruiter: 'next week' is not a date in "
         "YYYY-MM-DD form\n"),
        ("recruiter", "Error: --stage-date: 'recruiter' is not STAGE=YYYY-MM-DD\n"),
    ],
)
def test_bad_stage_dates_are_refused_and_change_nothing(
    assess_home: Path, value: str, message: str
) -> None:
    init()
    before = snapshot(assess_home)
    result = invoke("init", "--no-input", "--stage-date", value)
    assert result.exit_code == 2
    assert result.stderr == message
    assert snapshot(assess_home) == before


def test_moving_the_onsite_before_a_screen_is_refused(assess_home: Path) -> None:
    init("--stage-date", "technical-screen=2026-12-10")
    before = snapshot(assess_home)
    result = invoke("init", "--no-input", "--interview-date", "2026-12-08")
    assert result.exit_code == 2
    assert result.stderr == ("Error: --stage-date technical-screen=2026-12-10: on or after the "
                             "onsite (2026-12-08); earlier stages come before it\n")
    assert snapshot(assess_home) == before


def test_a_stage_date_can_be_cleared() -> None:
    init("--stage-date", "technical-screen=2026-12-06")
    init("--stage-date", "technical-screen=none")
    rows = json.loads(invoke("stage", "list", "--json").stdout)
    assert rows[1]["date"] is None


# ----- stage done ------------------------------------------------------------------------------


def test_stage_done_removes_every_recruiter_session(tmp_path: Path) -> None:
    init("--stage-date", "recruiter=2026-12-04")  # a dated screen gets its mock and prep
    rate(tmp_path, {**WEAK, "rs": 2})
    assert any(s["round"] == "recruiter-screen" for s in sessions(plan_json()))
    result = invoke("stage", "done", "recruiter")
    assert result.exit_code == 0
    assert result.stdout == ("Recruiter screen: done. Well done! The plan gives its rounds no "
                             "new hours.\n")
    plan = plan_json()
    assert not any(s["round"] == "recruiter-screen" for s in sessions(plan))
    assert plan["allocation"]["rounds"]["recruiter-screen"] == 0
    assert {f["stage"]: f["status"] for f in plan["stages"]}["recruiter"] == "done"
    undo = invoke("stage", "done", "recruiter", "--undo")
    assert undo.stdout == "Recruiter screen: marked not done; the plan prepares for it again.\n"
    assert any(s["round"] == "recruiter-screen" for s in sessions(plan_json()))


def test_stage_done_refuses_the_onsite_and_unknown_stages(assess_home: Path) -> None:
    init()
    before = snapshot(assess_home)
    onsite = invoke("stage", "done", "onsite")
    assert onsite.exit_code == 2
    assert onsite.stderr == ("Error: 'onsite' is the onsite itself: its date is your interview "
                             "date. Change it with `assess init --interview-date YYYY-MM-DD`.\n")
    unknown = invoke("stage", "done", "final-round")
    assert unknown.exit_code == 2
    assert unknown.stderr == ("Error: STAGE: unknown stage 'final-round' for discord-mle "
                              "(stages: recruiter, technical-screen, onsite, decision)\n")
    assert snapshot(assess_home) == before


def test_stage_commands_need_a_profile() -> None:
    result = invoke("stage", "list")
    assert result.exit_code == 2
    assert result.stderr == ("Error: no profile yet. Run `assess init` first (or "
                             "`assess start`).\n")


# ----- the plan around a dated screen ----------------------------------------------------------


def test_a_phone_screen_six_days_out_comes_first(tmp_path: Path) -> None:
    init("--stage-date", "technical-screen=2026-12-06")
    assert invoke("stage", "done", "recruiter").exit_code == 0
    rate(tmp_path, WEAK)
    plan = plan_json()
    screen = dt.date(2026, 12, 6)
    before = [s for s in sessions(plan) if dt.date.fromisoformat(s["date"]) < screen]
    hours = sum(s["hours"] for s in before)
    screen_and_coding = sum(s["hours"] for s in before
                            if s["round"] in ("phone-screen", "coding"))
    assert screen_and_coding >= 0.6 * hours
    # timed coding: a practice or mock on a coding question, or a timed drill on a topic whose
    # questions are all coding
    coding_topics = {tid for tid, t in RUBRIC.topics.items()
                     if t.questions and all(q.kind == "coding" for q in t.questions)}
    timed = [s for s in before if s["activity"] in ("practice", "mock")
             and s["topic"] in coding_topics]
    assert len(timed) >= 2
    assert all(dt.date.fromisoformat(s["date"]) < screen
               for s in sessions(plan) if s["round"] == "phone-screen")
    # the day before the screen is light, and the screen's own day holds nothing
    eve = [s for s in sessions(plan) if s["date"] == "2026-12-05"]
    assert sum(s["hours"] for s in eve) <= 0.5
    assert all(s["activity"] == "review" for s in eve)
    assert not [s for s in sessions(plan) if s["date"] == "2026-12-06"]
    forecast = {f["stage"]: f for f in plan["stages"]}["technical-screen"]
    assert forecast["date"] == "2026-12-06"
    assert forecast["readiness_expected"] >= forecast["readiness_now"]


def test_logging_only_coding_keeps_system_design_at_forty_percent_next_week(
    tmp_path: Path,
) -> None:
    init("--interview-date", "2027-01-04")
    for stage in ("recruiter", "technical-screen"):
        assert invoke("stage", "done", stage).exit_code == 0
    rate(tmp_path, WEAK)
    assert invoke("log", "coding", "10", "--date", "2026-12-06", today="2026-12-06").exit_code == 0
    plan = plan_json(today="2026-12-07")
    week = plan["weeks"][0]
    sd = sum(s["hours"] for s in week["sessions"] if s["round"] == "system-design")
    # other rounds' mocks and rating checks have days the rules fix: the 40% is of the rest
    fixed = ("final", "baseline", "screen", "light", "reattempt", "verify")
    rest = sum(s["hours"] for s in week["sessions"]
               if s["round"] == "system-design" or s["kind"] not in fixed)
    assert week["hours"] == 10
    assert sd >= 0.4 * rest
    assert plan["allocation"]["overall_system_design_share"] >= 0.4


def test_export_and_import_carry_the_stage_dates(tmp_path: Path, assess_home: Path) -> None:
    init("--stage-date", "technical-screen=2026-12-06")
    assert invoke("stage", "done", "recruiter").exit_code == 0
    backup = tmp_path / "backup.json"
    assert invoke("export", str(backup)).exit_code == 0
    other = tmp_path / "other-home"
    result = CliRunner().invoke(cli, ["--home", str(other), "--today", TODAY, "import",
                                      str(backup)])
    assert result.exit_code == 0, result.output
    with Store.open(other) as store:
        profile = store.get_profile()
    assert profile is not None
    assert profile.stage_dates == {"technical-screen": dt.date(2026, 12, 6)}
    assert profile.stages_done == ("recruiter",)


def test_help_ends_with_an_example() -> None:
    for args in (["stage", "--help"], ["stage", "list", "--help"], ["stage", "done", "--help"]):
        result = invoke(*args)
        assert result.exit_code == 0
        assert "Example: assess stage" in result.stdout.strip().splitlines()[-1]


def test_the_report_shows_the_timeline_with_the_stage_dates(tmp_path: Path) -> None:
    init("--stage-date", "technical-screen=2026-12-06")
    assert invoke("stage", "done", "recruiter").exit_code == 0
    rate(tmp_path, WEAK)
    md = tmp_path / "r.md"
    assert invoke("report", "-o", str(md)).exit_code == 0
    text = md.read_text()
    assert ("- Week 1 from Mon 30 Nov (Technical phone screen on 06 Dec): Technical Phone "
            "Screen ") in text
    assert "- Week 3 from Mon 14 Dec (Onsite loop (held remotely, four to five rounds) " \
        "on 21 Dec): ML System Design " in text
    assert "))" not in text
    pdf = tmp_path / "r.pdf"
    assert invoke("report", "-o", str(pdf), "--full").exit_code == 0  # the time split
    words = pdf_text(pdf)
    assert "Timeline. Week 1 from Mon 30 Nov (Technical phone screen on 06 Dec);" in words
    assert "))" not in words
    assert "Behind you: Recruiter screen." in words
    plan = plan_json()
    assert [row["stages"] for row in plan["timeline"]] == [["technical-screen"], [], ["onsite"]]
