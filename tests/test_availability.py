"""The week the candidate has: the flags on init, the prompts on a terminal, the week's shape."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import yaml
from click.testing import CliRunner, Result

from assess.cli import cli
from assess.rubric.availability import ask_availability, short_form
from assess.rubric.model import load_rubric

TODAY = "2026-12-02"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--today", TODAY, *args])


def test_the_flags_of_init_give_the_week_its_shape(tmp_path: Path) -> None:
    result = invoke("init", "--no-input", "--name", "Ana", "--interview-date", "2026-12-30",
                    "--weekday-hours", "1", "--weekend-hours", "4", "--rest-day", "sun",
                    "--blackout", "2026-12-24..2026-12-26")
    assert result.exit_code == 0, result.output
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"ratings": {t: 2 for t in load_rubric().topics}}))
    assert invoke("rate", "--answers", str(answers)).exit_code == 0
    plan = json.loads(invoke("plan", "--json").stdout)
    assert plan["week_shape"] == "Mon-Fri 1 h, Sat 4 h, Sun rest; off 24-26 Dec"
    assert plan["availability"]["week_hours"] == 9.0
    by_day: dict[str, float] = {}
    for s in (s for w in plan["weeks"] for s in w["sessions"]):
        by_day[s["date"]] = by_day.get(s["date"], 0.0) + s["hours"]
    for day, hours in by_day.items():
        date = dt.date.fromisoformat(day)
        assert date.weekday() != 6 and not "2026-12-24" <= day <= "2026-12-26", day
        assert hours <= (4 if date.weekday() == 5 else 1), day


def test_a_bad_week_flag_is_a_plain_error_and_saves_nothing() -> None:
    result = invoke("init", "--no-input", "--name", "Ana", "--weekday-hours", "25")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: --weekday-hours")
    assert len(result.stderr.splitlines()) <= 2
    assert invoke("plan", "--json").stderr.startswith("Error: no profile yet.")  # none saved


def test_new_weekend_hours_keep_the_rest_day_shown() -> None:
    asked: list[tuple[str, str]] = []
    replies = iter(["1.5", "4", "sun", ""])  # "sun" is the rest day already shown

    def ask(prompt: str, default: str) -> str:
        asked.append((prompt, default))
        return next(replies)

    days, off = ask_availability(short_form(10), (), dt.date(2026, 12, 2), ask, print)
    assert days == (1.5, 1.5, 1.5, 1.5, 1.5, 4.0, 0.0)
    assert off == ()
    assert asked[2] == ("Rest days (e.g. sun, or none)", "sun")
