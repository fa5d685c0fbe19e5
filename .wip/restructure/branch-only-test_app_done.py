"""The `done` flow without Click: find the sessions named, log each once, point at practice."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from test_cli_plan import TODAY, discord, setup

from assess.app.done import find_sessions, mark_done, plan_sessions, practice_hint
from assess.store import Store


def test_sessions_are_found_and_logged_once(tmp_path: Path, assess_home: Path) -> None:
    setup(tmp_path, discord(2))
    current = plan_sessions(assess_home, TODAY)
    first = sorted(current)[:2]
    found = find_sessions(assess_home, TODAY, [*first, "no-such-session"])
    assert [found[sid].id for sid in first] == first
    assert "no-such-session" not in found

    marked = mark_done(assess_home, TODAY, [found[sid] for sid in first])
    assert (marked.added, marked.asked) == (2, 2)
    assert marked.hours == sum(current[sid].hours for sid in first)
    assert marked.line() == f"Marked 2 session(s) done ({marked.hours:g} h logged)."

    again = mark_done(assess_home, TODAY, [found[first[0]]])
    assert (again.added, again.hours) == (0, 0)
    assert again.line() == "Marked 0 session(s) done (0 h logged); 1 were done already."
    with Store.open(assess_home) as store:
        assert sorted(c.session_id for c in store.completions()) == first


def test_a_pdf_made_last_week_finds_its_plan(tmp_path: Path, assess_home: Path) -> None:
    setup(tmp_path, discord(2), today=(TODAY - dt.timedelta(days=7)).isoformat())
    last_week = plan_sessions(assess_home, TODAY - dt.timedelta(days=7))
    wanted = sorted(last_week)[:3]
    found = find_sessions(assess_home, TODAY, wanted, made=TODAY - dt.timedelta(days=7))
    assert {sid: found[sid] for sid in wanted} == {sid: last_week[sid] for sid in wanted}


def test_practice_hint_only_for_practice(tmp_path: Path, assess_home: Path) -> None:
    setup(tmp_path, discord(2))
    sessions = list(plan_sessions(assess_home, TODAY).values())
    said: list[str] = []
    practice_hint([s for s in sessions if s.activity not in ("practice", "mock")], said.append)
    assert said == []
    practised = [s for s in sessions if s.question_id and s.activity in ("practice", "mock")]
    practice_hint(practised, said.append)
    assert said == ([f"Record how the practice went: `assess practice --log "
                     f"{practised[0].question_id} --minutes N --covered 1,3,4`."]
                    if practised else [])
