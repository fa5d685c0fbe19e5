"""The report context's plan sections: time split, weeks, timeline, feasibility and the appendix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assess.report.context_common import _hours, _iso, _r, _round_title
from assess.rubric.model import Rubric

FLOOR_ROUND = "system-design"


ACTIVITY_LABELS = {
    "study": "Study",
    "practice": "Practice",
    "mock": "Mock interview",
    "review": "Review",
    "story": "STAR story",
}


def _allocation(rubric: Rubric, allocation: Mapping[str, Any]) -> dict[str, Any]:
    planned = allocation.get("rounds") or {}
    logged = allocation.get("logged") or {}
    total = sum(float(v) for v in planned.values())
    logged_total = sum(float(v) for v in logged.values())
    floor_id = str(allocation.get("system_design_round") or FLOOR_ROUND)
    floor_round = next((r for r in rubric.rounds if r.id == floor_id), None)
    # The guidance line is the round's min_share; a rubric without one has no floor to show.
    floor = floor_round.min_share if floor_round and floor_round.min_share else None
    combined_total = total + logged_total
    combined_sd = allocation.get("overall_system_design_share")
    if combined_sd is None:
        combined_sd = (
            (float(planned.get(floor_id, 0.0)) + float(logged.get(floor_id, 0.0)))
            / combined_total if combined_total else 0.0
        )
    rows = []
    for r in rubric.rounds:
        p = float(planned.get(r.id, 0.0))
        lg = float(logged.get(r.id, 0.0))
        rows.append(
            {
                "id": r.id,
                "title": r.title,
                "weight": r.weight,
                "planned": _hours(p),
                "planned_share": _r(p / total if total else 0.0),
                "logged": _hours(lg),
                "logged_share": _r(lg / logged_total) if logged_total else None,
            }
        )
    return {
        "floor": floor,
        "floor_round": floor_id,
        "floor_round_title": floor_round.title if floor_round else floor_id,
        "total_hours": _hours(total),
        "logged_total": _hours(logged_total),
        "logged_other": {str(k): _hours(v) for k, v in
                         (allocation.get("logged_other") or {}).items()},
        "system_design_share": _r(float(allocation.get("system_design_share") or 0.0)),
        "logged_system_design_share": (
            _r(float(allocation.get("logged_system_design_share") or 0.0))
            if logged_total else None
        ),
        "combined_system_design_share": _r(float(combined_sd)),
        "meets_floor": (
            None if floor is None
            else (float(combined_sd) + 1e-4 >= floor if combined_total else True)
        ),
        "rounds": rows,
    }


def _weeks(rubric: Rubric, weeks: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    out = []
    for week in weeks:
        sessions = []
        for s in week.get("sessions") or []:
            topic_id = s.get("topic")
            topic = rubric.topics.get(str(topic_id)) if topic_id else None
            round_id = str(s.get("round") or "")
            activity = str(s.get("activity") or "")
            sessions.append(
                {
                    "round": round_id,
                    "round_title": _round_title(rubric, round_id),
                    "topic": topic_id,
                    "topic_title": topic.title if topic else str(s.get("title") or ""),
                    "hours": _hours(s.get("hours")),
                    "activity": activity,
                    "activity_label": ACTIVITY_LABELS.get(activity, activity.capitalize()),
                    "question": s.get("question") or None,
                    "question_id": s.get("question_id") or None,
                    "date": _iso(s.get("date")) if s.get("date") else None,
                    "id": str(s.get("id") or ""),
                    "kind": str(s.get("kind") or ""),
                    "detail": str(s.get("detail") or ""),
                }
            )
        out.append(
            {
                "index": int(week["index"]),
                "start": _iso(week["start"]),
                "end": _iso(week["end"]),
                "hours": _hours(week.get("hours")),
                "focus": str(week.get("focus") or ""),
                "sessions": sessions,
            }
        )
    return out


def _timeline(rubric: Rubric, plan: Mapping[str, Any]) -> dict[str, Any]:
    """The stage dates and each week's hours per round, for the timeline strip."""
    stages = [
        {"id": str(st.get("stage")), "title": str(st.get("title") or ""),
         "date": _iso(st.get("date")) if st.get("date") else None,
         "status": str(st.get("status") or "")}
        for st in plan.get("stages") or []
    ]
    titles = {
        st["id"]: st["title"] + (f" on {dt.date.fromisoformat(st['date']):%d %b}"
                                 if st["date"] else "")
        for st in stages
    }
    rounds = [r.id for r in rubric.rounds]
    rows = []
    for row in plan.get("timeline") or []:
        hours = {str(k): _hours(v) for k, v in (row.get("rounds") or {}).items()}
        rows.append({
            "week": int(row.get("week") or 0),
            "start": _iso(row.get("start")),
            "end": _iso(row.get("end")),
            "hours": [hours.get(rid, 0.0) for rid in rounds],
            "stages": [titles.get(str(x), str(x)) for x in row.get("stages") or []],
        })
    return {
        "stages": stages,
        "rounds": [
            {"id": rid, "title": _round_title(rubric, rid),
             "hours": [row["hours"][i] for row in rows]}
            for i, rid in enumerate(rounds)
        ],
        "rows": rows,
    }


def _feasibility(rubric: Rubric, data: Mapping[str, Any] | None) -> dict[str, Any]:
    data = dict(data or {})
    short = []
    for item in data.get("unreachable") or []:
        topic_id = str(item.get("topic"))
        topic = rubric.topics.get(topic_id)
        round_id = rubric.round_of.get(topic_id, str(item.get("round") or ""))
        short.append(
            {
                "topic": topic_id,
                "title": topic.title if topic else str(item.get("title") or topic_id),
                "round": round_id,
                "round_title": _round_title(rubric, round_id),
                "rating": item.get("rating"),
                "target": item.get("target"),
                "reachable": item.get("reachable"),
                "hours_needed": _hours(item.get("hours_needed")),
                "hours_planned": _hours(item.get("hours_planned")),
            }
        )
    needed = _hours(data.get("hours_needed"))
    available = _hours(data.get("hours_available"))
    fits = bool(data.get("fits", needed <= available))
    if fits and not short:
        summary = f"Enough time: {needed:g} h closes every gap and {available:g} h are planned."
    elif fits:
        summary = (
            f"Enough hours in total ({needed:g} h needed, {available:g} h planned), but at this "
            f"split {len(short)} topic{'s' if len(short) != 1 else ''} stay below target."
        )
    else:
        summary = (
            f"Not enough time: {needed:g} h would close every gap, {available:g} h are "
            f"available ({max(0.0, needed - available):g} h short). "
            f"{len(short)} topic{'s' if len(short) != 1 else ''} will not reach target."
        )
    lower = data.get("lower_target") or None
    if not fits and isinstance(lower, Mapping) and lower.get("sentence"):
        summary += " " + str(lower["sentence"])
    headline = [str(h) for h in data.get("headline") or []]
    return {
        "headline": headline,
        "hours_needed": needed,
        "hours_available": available,
        "short_by": _hours(max(0.0, needed - available)),
        "hours_per_level": data.get("hours_per_level"),
        "feasible": fits and not short,
        "fits": fits,
        "summary": summary,
        "short": short,
    }


def _appendix(rubric: Rubric, weeks: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    planned: dict[str, int] = {}
    for week in weeks:
        for s in week["sessions"]:
            if s.get("question"):
                planned.setdefault(str(s["question"]), int(week["index"]))
    return {
        "criteria": [
            {"id": c.id, "title": c.title, "looks_for": c.looks_for, "how_to_show": c.how_to_show}
            for c in rubric.criteria
        ],
        "rounds": [
            {
                "id": r.id,
                "title": r.title,
                "stage": r.stage,
                "summary": r.summary,
                "topics": [
                    {
                        "id": t.id,
                        "title": t.title,
                        "depth": t.depth,
                        "covers": t.covers,
                        "questions": [
                            {
                                "text": q.text,
                                "kind": q.kind,
                                "minutes": q.minutes,
                                "source": q.source,
                                "week": planned.get(q.text),
                            }
                            for q in t.questions
                        ],
                    }
                    for t in r.topics
                ],
            }
            for r in rubric.rounds
        ],
        "tips": [{"id": t.id, "title": t.title, "text": t.text} for t in rubric.tips],
        "stages": [
            {"id": s.id, "title": s.title, "when": s.when} for s in rubric.timeline.stages
        ],
    }
