"""The calendar updates in place: UIDs survive a rename and a re-plan, changed events raise
their SEQUENCE, dropped ones come out CANCELLED. Read with two independent parsers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import vobject
import yaml
from click.testing import CliRunner, Result
from icalendar import Calendar

from assess.cli import cli
from assess.report.ics import Exported, reconcile
from assess.rubric.model import load_rubric

DAY1, DAY2 = "2026-11-25", "2026-11-26"


def run(today: str, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["--today", today, *args])
    assert result.exit_code == 0, result.output
    return result


def _events_icalendar(path: Path) -> dict[str, dict[str, Any]]:
    cal = Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): {"seq": int(e["SEQUENCE"]), "status": str(e["STATUS"]),
                            "start": e.decoded("DTSTART"), "summary": str(e["SUMMARY"])}
            for e in cal.walk("VEVENT")}


def _events_vobject(path: Path) -> dict[str, dict[str, Any]]:
    cal = vobject.readOne(path.read_text(encoding="utf-8"))
    return {e.uid.value: {"seq": int(e.sequence.value), "status": e.status.value,
                          "start": e.dtstart.value, "summary": e.summary.value}
            for e in cal.vevent_list}


def _both(path: Path) -> dict[str, dict[str, Any]]:
    a, b = _events_icalendar(path), _events_vobject(path)
    assert a == b  # two parsers, one reading
    return a


@pytest.fixture()
def home(tmp_path: Path, assess_home: Path) -> Path:
    topics = list(load_rubric().topics)
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self", "date": DAY1,
                                       "ratings": {t: 1 + i % 4 for i, t in
                                                   enumerate(topics)}}), encoding="utf-8")
    run(DAY1, "init", "--no-input", "--name", "Sam Lee", "--interview-date", "2026-12-20")
    run(DAY1, "rate", "--answers", str(answers))
    return assess_home


def test_rename_keeps_every_uid_and_replan_cancels_the_dropped(home: Path,
                                                               tmp_path: Path) -> None:
    first, renamed, replanned = (tmp_path / n for n in ("a.ics", "b.ics", "c.ics"))
    run(DAY1, "report", "-o", str(first))
    before = _both(first)
    assert len(before) > 20
    assert {e["seq"] for e in before.values()} == {0}
    assert {e["status"] for e in before.values()} == {"CONFIRMED"}

    run(DAY1, "init", "--no-input", "--name", "Samantha Lee-Ngata")
    run(DAY1, "report", "-o", str(renamed))
    assert _both(renamed) == before  # every UID, every SEQUENCE the same
    assert b"Samantha Lee-Ngata" in renamed.read_bytes()

    run(DAY2, "report", "-o", str(replanned))
    after = _both(replanned)
    day2 = dt.date.fromisoformat(DAY2)
    upcoming = {uid for uid, e in before.items() if e["start"].date() >= day2}
    # a day later most sessions are still ahead (the model solves the days left afresh, so
    # about three in four keep their place in it): each survivor keeps its UID (moved ones
    # raise SEQUENCE); the ones a day shorter plan no longer has come out cancelled, never
    # vanish
    confirmed = {uid for uid, e in after.items() if e["status"] == "CONFIRMED"}
    cancelled = {uid for uid, e in after.items() if e["status"] == "CANCELLED"}
    survivors = upcoming & confirmed
    assert upcoming <= survivors | cancelled
    assert len(survivors) >= 0.75 * len(upcoming)
    for uid in survivors:
        moved = after[uid]["start"] != before[uid]["start"]
        assert after[uid]["seq"] == 1 if moved else after[uid]["seq"] in (0, 1)
    for uid in upcoming - survivors:
        assert after[uid]["seq"] == before[uid]["seq"] + 1

    # fewer hours a week: the plan drops sessions, and they come out cancelled
    before = after
    run(DAY2, "init", "--no-input", "--hours-per-week", "4")
    run(DAY2, "report", "-o", str(replanned))
    after = _both(replanned)
    assert set(before) <= set(after)
    cancelled = {uid for uid, e in after.items() if e["status"] == "CANCELLED"}
    kept = {uid for uid, e in after.items() if e["status"] == "CONFIRMED"} & set(before)
    assert cancelled and kept
    assert cancelled <= set(before)
    for uid in cancelled:
        if before[uid]["status"] == "CANCELLED":  # cancelled before: sent again unchanged
            assert after[uid] == before[uid]
            continue
        assert after[uid]["seq"] == before[uid]["seq"] + 1
        assert after[uid]["summary"] == before[uid]["summary"]
    for uid in kept:
        assert after[uid]["seq"] in (before[uid]["seq"], before[uid]["seq"] + 1)
    assert any(after[uid]["seq"] > before[uid]["seq"] for uid in kept)
    # past sessions are history: neither re-sent nor cancelled
    past = {uid for uid, e in before.items() if e["start"].date() < day2}
    assert all(after.get(uid, {}).get("status") != "CANCELLED" for uid in past)

    # exporting again with nothing changed changes nothing
    again = tmp_path / "d.ics"
    run(DAY2, "report", "-o", str(again))
    assert again.read_bytes() == replanned.read_bytes()


def _event(uid: str, start: str, summary: str = "Study: x", seq: int = 0,
           status: str = "CONFIRMED") -> Exported:
    return Exported(uid=uid, start=start, end=start, summary=summary, description="d",
                    category="c", sequence=seq, status=status)


def test_reconcile_rules() -> None:
    today = dt.date(2026, 11, 26)
    previous = {e.uid: e for e in [
        _event("same", "2026-11-27T19:00:00"),
        _event("moved", "2026-11-27T19:00:00", seq=2),
        _event("gone", "2026-11-28T19:00:00"),
        _event("past", "2026-11-25T19:00:00"),
        _event("was-cancelled", "2026-11-29T19:00:00", seq=3, status="CANCELLED"),
    ]}
    current = [_event("same", "2026-11-27T19:00:00"), _event("moved", "2026-11-28T19:00:00"),
               _event("new", "2026-11-30T19:00:00")]
    out = {e.uid: (e.sequence, e.status) for e in reconcile(current, previous, today)}
    assert out == {"same": (0, "CONFIRMED"), "moved": (3, "CONFIRMED"),
                   "new": (0, "CONFIRMED"), "gone": (1, "CANCELLED"),
                   "was-cancelled": (3, "CANCELLED")}
