"""Page 1 of the weekly report: what a mentor asks first.

- the next stage and the days to it;
- last week planned vs done: hours per round (planned by the plan on record for that week,
  logged in the hours), sessions ticked of sessions planned;
- this week's attempts (the 7 days before the report, and its day) with scores and times;
- the topics capped by an attempt, unverified, or disputed by the mentor;
- the three questions for the mentor.

"Last week" is the 7 days before the report's date. Its plan is the plan on record at its
start (the newest saved plan made on or before that day; else the first one made during it):
facts from the record, never a re-computation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

WEEK = 7


def last_week_plan(plans: Sequence[Any], start: dt.date) -> Any | None:
    """The saved plan the candidate followed from ``start`` (plans: any order)."""
    before = [p for p in plans if p.date <= start]
    if before:
        return max(before, key=lambda p: p.date)
    during = [p for p in plans if start < p.date < start + dt.timedelta(days=WEEK)]
    return min(during, key=lambda p: p.date) if during else None


def week_review(
    rubric: Any, today: dt.date, plans: Sequence[Any], completions: Sequence[Any],
    hours: Sequence[Any],
) -> dict[str, Any]:
    """Last week planned vs done, per round: hours planned, hours logged, sessions."""
    start, end = today - dt.timedelta(days=WEEK), today - dt.timedelta(days=1)
    plan = last_week_plan(plans, start)
    done = {c.session_id for c in completions}
    planned: dict[str, list[Mapping[str, Any]]] = {r.id: [] for r in rubric.rounds}
    if plan is not None:
        for w in plan.body.get("weeks") or []:
            for s in w.get("sessions") or []:
                day = s.get("date")
                if day and start.isoformat() <= day <= end.isoformat() and s["round"] in planned:
                    planned[s["round"]].append(s)
    logged: dict[str, float] = {r.id: 0.0 for r in rubric.rounds}
    for e in hours:
        if start <= e.date <= end and e.round in logged:
            logged[e.round] += e.hours
    rows = []
    for r in rubric.rounds:
        sessions = planned[r.id]
        row = {
            "round": r.id, "title": r.title,
            "planned_hours": round(sum(float(s.get("hours") or 0) for s in sessions), 2),
            "logged_hours": round(logged[r.id], 2),
            "sessions": len(sessions),
            "ticked": sum(1 for s in sessions if s.get("id") in done),
        }
        if row["planned_hours"] or row["logged_hours"]:
            rows.append(row)
    return {
        "start": start.isoformat(), "end": end.isoformat(),
        "plan_id": plan.id if plan is not None else None,
        "plan_date": plan.date.isoformat() if plan is not None else None,
        "rows": rows,
        "planned_hours": round(sum(r["planned_hours"] for r in rows), 2),
        "logged_hours": round(sum(r["logged_hours"] for r in rows), 2),
        "sessions": sum(r["sessions"] for r in rows),
        "ticked": sum(r["ticked"] for r in rows),
    }


def next_stage(plan: Mapping[str, Any], today: dt.date) -> dict[str, Any] | None:
    """The next open, dated stage (screen or onsite) and the days to it."""
    upcoming = [st for st in plan.get("stages") or []
                if st.get("date") and st.get("status") in ("upcoming", "today")
                and st["date"] >= today.isoformat()]
    if not upcoming:
        return None
    st = min(upcoming, key=lambda s: s["date"])
    day = dt.date.fromisoformat(st["date"])
    return {"stage": st.get("stage"), "title": st.get("title"), "date": st["date"],
            "days": (day - today).days}


def flagged_topics(rubric: Any, plan: Mapping[str, Any], disputed: Sequence[Any]
                   ) -> list[dict[str, Any]]:
    """Topics capped by an attempt, unverified (a jump, or at target with no attempt), or
    disputed by the mentor: one line each, capped and jumps first."""
    out: list[dict[str, Any]] = []
    evidence = plan.get("evidence") or {}
    for tid, ev in evidence.items():
        if tid not in rubric.topics:
            continue
        title = rubric.topics[tid].title
        if ev.get("status") == "contradicted" and ev.get("cap"):
            out.append({"topic": tid, "title": title, "mark": "capped",
                        "why": ev["cap"]["reason"]})
        elif ev.get("status") == "unverified" and ev.get("jump"):
            out.append({"topic": tid, "title": title, "mark": "unverified",
                        "why": str(ev["jump"]["reason"]).removeprefix("unverified: ")})
    for e in disputed:
        out.append({"topic": e.topic, "title": rubric.topics[e.topic].title, "mark": "disputed",
                    "why": f"self {e.self_level}, mentor {e.mentor_level}: the plan uses "
                           f"the mentor's {e.mentor_level}"})
    plain = [tid for tid, ev in evidence.items() if tid in rubric.topics
             and ev.get("status") == "unverified" and not ev.get("jump")]
    if plain:
        out.append({"topic": "", "title": f"{len(plain)} topic(s) at target",
                    "mark": "unverified",
                    "why": "no supporting attempt yet: "
                           + ", ".join(rubric.topics[t].title for t in plain[:4])
                           + (f" and {len(plain) - 4} more" if len(plain) > 4 else "")})
    return out


def mentor_page(state: Any, ctx: Mapping[str, Any]) -> dict[str, Any]:
    """The page-1 context from the engine's ``State`` and the report context."""
    from assess.store import Store

    today = state.today
    with Store.open(state.home) as store:
        plans = store.saved_plans(on_or_before=today)
        completions = [c for c in store.completions() if c.date <= today]
    plan = state.plan_json()
    since = today - dt.timedelta(days=WEEK)  # the week just done, and today
    attempts = [
        {**a.to_json(), "title": _question_title(state.rubric, a.question)}
        for a in sorted(state.attempts, key=lambda a: a.date, reverse=True)
        if since <= a.date <= today
    ]
    return {
        "next_stage": next_stage(plan, today),
        "last_week": week_review(state.rubric, today, plans, completions, state.hours_entries),
        "attempts": attempts,
        "flagged": flagged_topics(state.rubric, plan, state.disputed),
        "questions": list(ctx.get("mentor_questions") or [])[:3],
    }


def _question_title(rubric: Any, qid: str) -> str:
    try:
        return str(rubric.question(qid)[1].text)
    except Exception:  # noqa: BLE001 - a question of another rubric: its id
        return qid
