"""`assess demo`: a complete sample report from bundled example data, in a throwaway home.

The example (``assess/app/demo_data/demo.yaml``) is a made-up candidate with three weekly self
check-ins, hours logged between them and one set of mentor ratings. Its dates are relative to
today, so the sample always looks current. The user's own data home is never opened.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

from assess.rubric.model import load_rubric
from assess.rubric.profile import Profile

DEMO_FILE = Path(__file__).resolve().parent / "demo_data" / "demo.yaml"


def demo_data() -> dict[str, Any]:
    """The bundled example, parsed with the safe loader."""
    from assess.core.parsing import parse_yaml_text
    from assess.errors import InputError

    data: dict[str, Any] = parse_yaml_text(DEMO_FILE.read_bytes(), str(DEMO_FILE), InputError)
    return data


def build_demo_home(home: Path, today: dt.date) -> None:
    """Fill an empty data home with the example: profile, check-ins, hours, mentor ratings,
    STAR stories."""
    from assess.store import Store

    data = demo_data()
    spec = data["profile"]
    rubric = load_rubric(spec["rubric"])
    profile = Profile(
        name=spec["name"],
        rubric=spec["rubric"],
        interview_date=today + dt.timedelta(days=spec["interview_in_days"]),
        hours_per_week=spec["hours_per_week"],
        target_level=spec["target_level"],
    )
    with Store.open(home) as store:
        store.save_profile(profile)
        for checkin in data["checkins"]:
            day = today - dt.timedelta(days=checkin["days_ago"])
            for round_id, hours in checkin.get("hours", {}).items():
                store.log_hours(round_id, float(hours), day, "logged at the weekly check-in")
            _rate(store, rubric, "self", day, checkin)
        mentor = data["mentor"]
        _rate(store, rubric, "mentor", today - dt.timedelta(days=mentor["days_ago"]), mentor)
        if data.get("stories"):
            from assess.inputs.story_file import parse_stories

            store.add_stories(parse_stories(data["stories"], str(DEMO_FILE), rubric,
                                            prefix=("stories",)))


def _rate(store: Any, rubric: Any, rater: str, day: dt.date, spec: dict[str, Any]) -> None:
    notes = spec.get("notes", {})
    aid = store.begin_assessment(rater, day, rubric)
    for topic, level in spec["ratings"].items():
        store.record_rating(aid, topic, level, notes.get(topic))
    store.finish_assessment(aid)


def run_demo(output: Path, today: dt.date, **render_options: Any) -> Path:
    """Render the sample report to ``output`` from a temporary home; return the path."""
    from assess.app.engine import current_state
    from assess.report.render import render_report

    with tempfile.TemporaryDirectory(prefix="assess-demo-") as tmp:
        home = Path(tmp) / "home"
        build_demo_home(home, today)
        last_week(home, today)
        state = current_state(home, today)
        return render_report(state, output, **render_options)


def last_week(home: Path, today: dt.date) -> None:
    """The sample's last week, as the loop records it: the plan made a week ago is on record,
    three of its sessions were ticked, and two of its questions were attempted (one well,
    one poorly), so page 1 has a week to show."""
    from assess.app.done import find_sessions, mark
    from assess.app.engine import current_state
    from assess.evidence.practice import Attempt
    from assess.store import Store

    start = today - dt.timedelta(days=7)
    state = current_state(home, start)
    sessions = [s for w in state.plan.weeks for s in w.sessions
                if s.date is not None and start <= s.date < today]
    practice = [s for s in sessions if s.question_id and s.activity == "practice"][:2]
    with Store.open(home) as store:
        plans = store.saved_plans(on_or_before=today)
        found, _ = find_sessions(plans, [s.id for s in sessions[:3]], today)
        mark(store, found.values(), today)
        for n, s in enumerate(practice):
            topic, question = state.rubric.question(s.question_id or "")
            total = len(question.checklist)
            if not total:
                continue
            covered = tuple(range(1, total + 1)) if n == 0 else (1, 2)
            minutes = question.minutes - 5 if n == 0 else question.minutes + 10
            store.add_attempt(Attempt(question=question.id or "", topic=topic.id,
                                      date=s.date or start, minutes=float(minutes),
                                      covered=covered[:total], total=total,
                                      time_box=question.minutes))
