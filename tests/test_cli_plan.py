"""`assess plan`, tried as a new user would: init, rate from a file, log hours, plan."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from assess.app.engine import current_state
from assess.cli import cli
from assess.plan.view import bar, marked_bar, render_plan
from assess.rubric.model import load_rubric, load_rubric_file

TINY = Path(__file__).parent / "fixtures" / "planner" / "tiny.yaml"
TODAY = dt.date(2026, 11, 25)


def day(n: int) -> str:
    return (TODAY + dt.timedelta(days=n)).isoformat()


def invoke(*args: str, today: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--today", today or day(0), *args])


def setup(tmp_path: Path, ratings: dict[str, int | None], *, days: int | None = 28,
          rubric: str | None = None, hours: str = "10", today: str | None = None) -> None:
    args = ["init", "--no-input", "--name", "Ana", "--hours-per-week", hours,
            "--target-level", "4"]
    if rubric:
        args += ["--rubric", rubric]
    if days is not None:
        args += ["--interview-date", day(days)]
    result = invoke(*args, today=today)
    assert result.exit_code == 0, result.output
    rubric_id = load_rubric(rubric).meta.id
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"rubric": rubric_id, "rater": "self",
                                       "ratings": ratings}))
    result = invoke("rate", "--answers", str(answers), today=today)
    assert result.exit_code == 0, result.output


def plan_json(*extra: str, today: str | None = None) -> dict[str, Any]:
    result = invoke("plan", "--json", *extra, today=today)
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def available(data: dict[str, Any], week: dict[str, Any]) -> float:
    """The hours a week's days have, the eve of the onsite counting its 0.5 h review."""
    hours = data["availability"]["day_hours"]
    start = dt.date.fromisoformat(week["start"])
    end = dt.date.fromisoformat(week["end"])
    eve = dt.date.fromisoformat(data["interview_date"]) - dt.timedelta(days=1)
    total = 0.0
    for n in range((end - start).days + 1):
        d = start + dt.timedelta(days=n)
        h = hours[d.strftime("%a").lower()]
        total += min(h, 0.5) if d == eve else h
    return total


def discord(level: int, sd: int | None = None) -> dict[str, int | None]:
    return {t: (sd if sd is not None and t.startswith("sd-") else level)
            for t in load_rubric().topics}


def tiny(level: int) -> dict[str, int | None]:
    return {t: level for t in load_rubric_file(TINY).topics}


# ----- acceptance --------------------------------------------------------------------------------


@pytest.mark.parametrize(("days", "weeks"), [(21, 3), (28, 4), (35, 5)])
def test_three_four_and_five_weeks_each_add_up(tmp_path: Path, days: int, weeks: int) -> None:
    setup(tmp_path, discord(2), days=days)
    data = plan_json()
    assert data["weeks_total"] == weeks
    assert [w["index"] for w in data["weeks"]] == list(range(1, weeks + 1))
    for week in data["weeks"]:
        # every week plans the hours its days have; the eve of the onsite only a light review
        assert week["hours"] == available(data, week) == sum(s["hours"] for s in week["sessions"])
    assert [available(data, w) for w in data["weeks"]] == [10.0] * (weeks - 1) + [9.5]
    assert data["weeks"][-1]["end"] == day(days - 1)
    assert data["compressed"] is False


def test_strong_in_system_design_still_gets_forty_percent(tmp_path: Path) -> None:
    setup(tmp_path, discord(2, sd=4))
    alloc = plan_json()["allocation"]
    assert alloc["rounds"]["system-design"] == 17.0  # of 39.5 h: the eve is a light review
    assert alloc["system_design_share"] == 0.4304


def test_weak_in_system_design_gets_clearly_more(tmp_path: Path) -> None:
    setup(tmp_path, discord(3, sd=1))
    alloc = plan_json()["allocation"]
    assert alloc["rounds"]["system-design"] == 22.5
    assert alloc["system_design_share"] == 0.5696


def test_logged_coding_in_week_one_is_made_up_with_system_design(tmp_path: Path) -> None:
    setup(tmp_path, discord(2), days=21)
    logged = invoke("log", "coding", "10", "--date", day(3), today=day(7))
    assert logged.exit_code == 0, logged.output
    data = plan_json(today=day(7))
    alloc = data["allocation"]
    assert data["weeks_total"] == 2
    assert alloc["logged"]["coding"] == 10.0
    assert alloc["logged_system_design_share"] == 0.0
    assert alloc["planned_total"] == 19.5  # the onsite's eve: a 0.5 h review
    assert alloc["rounds"]["system-design"] == 12.5  # 40%+ of the 29.5 h, all from the plan
    assert alloc["overall_system_design_share"] == 0.4237


def test_ten_days_out_is_a_compressed_two_week_plan(tmp_path: Path) -> None:
    setup(tmp_path, discord(2), days=10)
    data = plan_json()
    assert data["weeks_total"] == 2 and data["compressed"] is True
    # week 2 is Wed 2 to Fri 4 Dec: Wed's 2 h and Thu's 1 h (10 h a week: Mon 2, Tue 1, Wed 2,
    # Thu 1, Fri-Sat 2, Sun rest), then Fri 4, the eve of the onsite, a 0.5 h light review
    assert [w["hours"] for w in data["weeks"]] == [10.0, 3.5]
    assert data["notes"][0].startswith(
        "Compressed plan: 10 day(s) to the onsite. The guide's 3-5 weeks is the whole process "
        "from first screen to offer, not a preparation window"
    )
    text = invoke("plan").stdout
    assert "today 2026-11-25, interview 2026-12-05 (10 days); 2 weeks x 10 h (compressed)\n" in text
    assert "  - Compressed plan: 10 day(s) to the onsite. The guide's 3-5 weeks is the" in text
    assert "below the recommended" not in text


# ----- the JSON contract -------------------------------------------------------------------------


def test_json_contract_and_byte_identical_output(tmp_path: Path) -> None:
    setup(tmp_path, discord(2, sd=3))
    first = invoke("plan", "--json")
    second = invoke("plan", "--json")
    assert first.exit_code == 0 and first.stdout == second.stdout
    data = json.loads(first.stdout)
    assert first.stdout == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert {"readiness", "gaps", "allocation", "weeks"} <= set(data)
    assert {"overall", "rounds", "criteria"} <= set(data["readiness"])
    assert set(data["readiness"]["rounds"]) == {"recruiter-screen", "phone-screen",
                                                "system-design", "applied-ml", "coding",
                                                "behavioral"}
    assert set(data["readiness"]["criteria"]) == {"role-knowledge", "problem-solving",
                                                  "craftsmanship", "culture-values"}
    for gap in data["gaps"]:
        assert {"topic", "round", "rating", "target", "priority"} <= set(gap)
    priorities = [g["priority"] for g in data["gaps"]]
    assert priorities == sorted(priorities, reverse=True)
    assert {"rounds", "system_design_share", "logged", "logged_system_design_share"} <= set(
        data["allocation"])
    for week in data["weeks"]:
        assert {"index", "start", "end", "hours", "sessions"} <= set(week)
        for s in week["sessions"]:
            assert {"round", "topic", "hours", "activity", "question"} <= set(s)
    questions = [s["question"] for w in data["weeks"] for s in w["sessions"] if s["question"]]
    assert len(questions) == len(set(questions))


def test_week_option(tmp_path: Path) -> None:
    setup(tmp_path, tiny(2), rubric=str(TINY))
    # week 1 (4 weeks, a full first week) holds a baseline mock for system design and for
    # coding. It has room: 20 blocks = 8 of screen prep + the 8-block system-design floor (its
    # 3-block baseline counts toward it) + a 3-block coding baseline = 19.
    week1 = json.loads(invoke("plan", "--week", "1", "--json").stdout)
    assert sorted(s["round"] for s in week1["sessions"] if s["kind"] == "baseline") == [
        "coding", "system-design"
    ]
    result = invoke("plan", "--week", "4")
    assert result.exit_code == 0 and result.stderr == ""
    indent = " " * 28  # where a session's question and detail lines start
    # by hand: the tiny rubric's week 4 (10 h: Mon/Wed/Fri/Sat 2 h, Tue/Thu 1 h, Sun rest)
    # ends on the eve of Wed 23 Dec's onsite, so Tue 22 holds only a 0.5 h light review
    # (9.5 h). Final mocks fall 7 to 2 days before the onsite on distinct days, heaviest
    # round first (design Wed 16, coding Thu 17 in its 1 h with a short debrief, behavioral
    # Fri 18); a mock is max(minutes, 45) + 30 = 75 min -> 1.5 h. The other rounds' mocks
    # aside, system design keeps 40% (its mock, a timed redo and the light review: 3 of 7.5 h).
    # A coding topic is worked as timed drills after its refresher; a practice after the
    # round's final mock is allowed (no study after it). Half hours beside a 1.5 h mock go
    # to a review of a topic already worked, rotating. No question is used twice.
    assert result.stdout == (
        "Week 4: Wed 16 Dec to Tue 22 Dec, 9.5 h\n"
        "  Focus: ML System Design, Behavioral, Coding; final mocks\n"
        "  Wed 16  0.5 h  review    Behavioral: Ambiguity\n"
        f"{indent}Go over your notes and sketch the key ideas: Vague requirements.\n"
        "  Wed 16  1.5 h  mock      ML System Design: Feature pipelines\n"
        f"{indent}Q: Serve features from history and the live session.\n"
        f"{indent}Final mock: timed, with someone playing the interviewer if you can;\n"
        f"{indent}debrief against the round's criteria.\n"
        "  Thu 17    1 h  mock      Coding: Data structures\n"
        f"{indent}Q: Implement an LRU cache.\n"
        f"{indent}Final mock: timed, with someone playing the interviewer if you can;\n"
        f"{indent}a short debrief against the round's criteria.\n"
        "  Fri 18  0.5 h  review    Behavioral: Ambiguity\n"
        f"{indent}Go over your notes and sketch the key ideas: Vague requirements.\n"
        "  Fri 18  1.5 h  mock      Behavioral: Ambiguity\n"
        f"{indent}Q: Tell me about building with vague requirements.\n"
        f"{indent}Final mock: timed, with someone playing the interviewer if you can;\n"
        f"{indent}debrief against the round's criteria.\n"
        "  Sat 19    1 h  practice  Behavioral: Failure\n"
        f"{indent}Timed redo without notes: Tell me about a model that failed in\n"
        f"{indent}production; then compare with your write-up.\n"
        "  Sat 19    1 h  review    ML System Design: Serving and latency\n"
        f"{indent}Redo without notes: Flag images in under 50 ms.\n"
        "  Mon 21    1 h  practice  ML System Design: Serving and latency\n"
        f"{indent}Timed redo without notes: Flag images in under 50 ms; then compare\n"
        f"{indent}with your write-up.\n"
        "  Mon 21    1 h  practice  Coding: Data structures\n"
        f"{indent}Timed drill: a fresh Medium problem on this topic in 35 minutes, out\n"
        f"{indent}loud, stating complexity; then write up what you missed.\n"
        "  Tue 22  0.5 h  review    ML System Design: Light review\n"
        f"{indent}Light review only: reread your write-ups and notes (no new\n"
        f"{indent}material), then rest.\n"
    )
    week = json.loads(invoke("plan", "--week", "2", "--json").stdout)
    assert (week["index"], week["start"], week["end"], week["hours"]) == (
        2, "2026-12-02", "2026-12-08", 10.0)
    for bad in ("0", "5"):
        result = invoke("plan", "--week", bad)
        assert result.exit_code == 2
        assert result.stdout == ""
        assert result.stderr == f"Error: --week {bad}: the plan has weeks 1 to 4\n"


def test_terminal_view_sections(tmp_path: Path) -> None:
    setup(tmp_path, tiny(2), rubric=str(TINY))
    result = invoke("plan")
    assert result.exit_code == 0 and result.stderr == ""
    out = result.stdout
    assert "\x1b[" not in out  # NO_COLOR is set, and the output is not a terminal
    # all at 2: core topics 1/3; Advanced designs aims at 3, so 1/2 and system design is
    # (1/3 + 1/3 + 0.5 x 1/2) / 2.5 = 11/30; overall 0.6 x 1/3 + 0.4 x 11/30 = 26/75 = 34.7%,
    # a bar of 0.3467 x 160 = 55 eighths (6 full cells and 7/8); 11/30 is 59 eighths (7 and 3/8)
    assert out.startswith(
        "Plan for Ana: Tiny MLE loop\n"
        "today 2026-11-25, interview 2026-12-23 (28 days); 4 weeks x 10 h\n"
        "your week: Mon 2 h, Tue 1 h, Wed 2 h, Thu 1 h, Fri-Sat 2 h, Sun rest\n"
        "\n"
        "Readiness (target level 4)\n"
        "  Overall                    ██████▉░░░░░░░░░░░░░  35%\n"
        "  Phone Screen               ██████▋░░░░░░░░░░░░░  33%\n"
        "  ML System Design           ███████▍░░░░░░░░░░░░  37%\n"
    )
    assert (
        "Biggest gaps (5 of 9)\n"
        "  1. 2 -> 4  Feature pipelines (ML System Design)\n"
        "  2. 2 -> 4  Serving and latency (ML System Design)\n"
        "  3. 2 -> 4  Data structures (Coding)\n"
        "  4. 2 -> 4  Algorithms (Coding)\n"
        "  5. 2 -> 4  Ambiguity (Behavioral)\n"
    ) in out
    assert (
        "Planned hours per round (39.5 h); │ marks the 40% line for ML System Design\n"
        "  Phone Screen      ░░░░░░░░░░░░░░░░░░░░   0.0 h   0%\n"
        "  ML System Design  ████████│░░░░░░░░░░░  17.5 h  44%\n"
        "  Coding            █████▍░░░░░░░░░░░░░░  10.5 h  27%\n"
        "  Behavioral        █████▉░░░░░░░░░░░░░░  11.5 h  29%\n"
        "  Logged so far: nothing yet (`assess log ROUND HOURS` records your time).\n"
        "  ML System Design, logged and planned together: 44% of 39.5 h (meets the 40% guidance).\n"
    ) in out
    # the model funds whole cycles (study, a timed practice, a second 4+ days later) by value,
    # with system design at 40%+ of every full week and each onsite round given a floor of
    # its part of the weighted gaps; the undated Screens are treated as coming in week 1, and
    # their topics, worth less per hour than the onsite rounds, are left out this time
    assert (
        "Timeline\n"
        "  Onsite: Wed 23 Dec (upcoming)\n"
        "  W1 Wed 25 Nov-Tue 01 Dec  system-design 4 h, coding 4 h, behavioral 2 h\n"
        "  W2 Wed 02 Dec-Tue 08 Dec  system-design 5 h, coding 3 h, behavioral 2 h\n"
        "  W3 Wed 09 Dec-Tue 15 Dec  system-design 4.5 h, behavioral 4 h, coding 1.5 h\n"
        "  W4 Wed 16 Dec-Tue 22 Dec  behavioral 3.5 h, system-design 4 h, coding 2 h\n"
        "     ▲ Onsite\n"
    ) in out
    # the forecast counts each planned hour as 1/3 of a level, up to the target; the eve of the
    # onsite is a 0.5 h light review, so 39.5 h are planned of the 51 h that would close
    # every gap
    assert (
        "Feasibility\n"
        "  Screens on its date (not set yet): expect 33% ready (now 33%; target 100%).\n"
        "  Onsite on Wed 23 Dec: expect 88% ready (now 35%; target 100%).\n"
        "  11.5 h more needed: 51 h to close every gap, 39.5 h planned.\n"
        "  5 topic(s) will not reach their target in time; the three that matter most:\n"
        "    Algorithms: 2 -> 4; 3 h planned of 6 h needed, reaches about 3\n"
        "    Failure: 2 -> 4; 4 h planned of 6 h needed, reaches about 3\n"
        "    Timed coding: 2 -> 4; 0 h planned of 6 h needed, reaches about 2\n"
        "    ... and 2 more (`assess plan --json` and the report list them all).\n"
        "  More hours per week or a later date would close the difference; meanwhile the plan "
        "puts the\n"
        "  hours you have where they count most. A lower target (level 3, Working: below ready) "
        "would\n"
        "  need 24 h and would fit: a fallback, not a goal, since interviewers hire at "
        "interview-ready.\n"
    ) in out
    assert "This week: week 1: Wed 25 Nov to Tue 01 Dec, 10 h\n" in out
    assert out.endswith(
        "Weeks 2 to 4: `assess plan --week N` shows one, `assess plan --json` all of them.\n"
    )


def test_logged_hours_line(tmp_path: Path) -> None:
    setup(tmp_path, tiny(2), rubric=str(TINY))
    assert invoke("log", "coding", "3").exit_code == 0
    assert invoke("log", "system-design", "1").exit_code == 0
    out = invoke("plan").stdout
    # the bars are the plan's own hours (39.5 h: the onsite's eve is a 0.5 h review); the
    # logged 4 h count toward the 40%: (20 + 1) / 43.5 = 48%. The undated phone screen is
    # treated as coming in week 1, and with its topics' value per hour below the onsite
    # rounds' floors it gets no cycle this time (it is listed under "not this time").
    assert (
        "  Phone Screen      ░░░░░░░░░░░░░░░░░░░░   0.0 h   0%\n"
        "  ML System Design  ████████│█▏░░░░░░░░░  20.0 h  51%\n"
        "  Coding            ████▌░░░░░░░░░░░░░░░   9.0 h  23%\n"
        "  Behavioral        █████▍░░░░░░░░░░░░░░  10.5 h  27%\n"
        "  Logged so far: 4 h, of which ML System Design 1 h (25%).\n"
        "  ML System Design, logged and planned together: 48% of 43.5 h (meets the 40% "
        "guidance).\n"
    ) in out


def test_colour_only_when_told(tmp_path: Path) -> None:
    setup(tmp_path, tiny(2), rubric=str(TINY))
    state = current_state(Path(str(tmp_path / "home")), TODAY)
    plain = render_plan(state.plan, state.rubric, name="Ana")
    coloured = render_plan(state.plan, state.rubric, name="Ana", color=True)
    assert "\x1b[" not in plain and "\x1b[1mReadiness (target level 4)\x1b[0m" in coloured
    assert "\x1b[31m██████▋░░░░░░░░░░░░░\x1b[0m" in coloured  # 33%: red


def test_bars() -> None:
    assert bar(0.0, 4) == "░░░░"
    assert bar(1.0, 4) == "████"
    assert bar(0.5, 4) == "██░░"
    assert bar(0.3, 4) == "█▎░░"  # 1.2 cells = 9.6 eighths, rounded to 10: one full, then 2/8
    assert bar(2.0, 4) == "████"
    assert marked_bar(0.25, 0.4, 10) == "██▌░│░░░░░"
    assert marked_bar(0.5, 0.4, 10) == "████│░░░░░"


# ----- errors and help ---------------------------------------------------------------------------


def test_no_profile(assess_home: Path) -> None:
    result = invoke("plan")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        "Error: no profile yet. Run `assess init` first (or `assess start` for a guided first "
        "run), then `assess rate`.\n"
    )


def test_no_assessment_yet(assess_home: Path) -> None:
    assert invoke("init", "--no-input", "--name", "Ana").exit_code == 0
    result = invoke("plan", "--json")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: no complete self-assessment for discord-mle yet, so there is nothing to plan "
        "from. Run `assess rate`"
    )


def test_rubric_option(tmp_path: Path) -> None:
    setup(tmp_path, tiny(2), rubric=str(TINY))
    result = invoke("plan", "--rubric", "discord-mle")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no complete self-assessment for discord-mle yet")
    assert plan_json("--rubric", str(TINY))["rubric"] == {"id": "planner-tiny", "version": "1.0"}
    unknown = invoke("plan", "--rubric", "no-such-rubric")
    assert unknown.exit_code == 2


def test_no_interview_date_plans_four_weeks(tmp_path: Path) -> None:
    setup(tmp_path, tiny(3), rubric=str(TINY), days=None)
    data = plan_json()
    assert data["interview_date"] is None and data["weeks_total"] == 4
    assert data["allocation"]["logged_total"] == 0.0
    assert invoke("plan").stdout.splitlines()[1] == (
        "today 2026-11-25, no interview date; 4 weeks x 10 h"
    )


def test_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["plan", "--help"])
    assert result.exit_code == 0
    # the help ends with the example, as for every command
    assert result.stdout.endswith("\n\n  Example: assess plan --week 1\n")
    assert "--json" in result.stdout and "--week N" in result.stdout


def test_gaps_mark_mentor_and_unrated_ratings(tmp_path: Path) -> None:
    ratings = tiny(3)
    ratings["ps-ml"] = None
    setup(tmp_path, ratings, rubric=str(TINY))
    mentor = tmp_path / "mentor.yaml"
    mentor.write_text(yaml.safe_dump({"rubric": "planner-tiny", "rater": "mentor",
                                      "ratings": {"sd-serving": 1}}))
    assert invoke("rate", "--answers", str(mentor)).exit_code == 0
    out = invoke("plan").stdout
    # priorities: sd-serving 3/4 x 0.4 = 0.3, sd-pipelines 1/4 x 0.4 = 0.1, ps-ml (unrated,
    # level 1) 3/4 x 0.1 = 0.075, coding topics 1/4 x 0.25 = 0.0625. Eight gaps, not nine:
    # sd-advanced (advanced) aims at 3 and is rated 3
    assert (
        "Biggest gaps (5 of 8)\n"
        "  1. 1 -> 4 (mentor)   Serving and latency (ML System Design)\n"
        "  2. 3 -> 4            Feature pipelines (ML System Design)\n"
        "  3. 1 -> 4 (unrated)  ML fundamentals (Phone Screen)\n"
        "  4. 3 -> 4            Data structures (Coding)\n"
        "  5. 3 -> 4            Algorithms (Coding)\n"
    ) in out
    data = plan_json()
    assert data["mentor_marked"] == ["sd-serving"] and data["skipped"] == ["ps-ml"]
    assert {"topic": "ps-ml", "rating": 1, "rated": False}.items() <= next(
        g for g in data["gaps"] if g["topic"] == "ps-ml").items()
