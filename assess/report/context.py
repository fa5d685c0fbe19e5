"""The report context: everything a report shows, as plain, JSON-ready data.

The context is built once and fed to every format (PDF, HTML, Markdown, JSON, iCalendar), so
they cannot disagree. It holds only plain values (str, int, float, bool, None, lists, dicts):
no rubric models, no markup. Text from rubrics and notes is kept as it was written; escaping is
the renderers' job.

``assemble_context`` takes plain inputs (a rubric, a profile, ratings, the plan in its
``assess plan --json`` form, the history); ``build_context`` pulls those out of the engine's
``State``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assess import __version__
from assess.profile import DEFAULT_STUDY_TIME, Profile
from assess.rubric import Rubric

SCHEMA = 1
FLOOR_ROUND = "system-design"
DEFAULT_FLOOR = 0.40
WORTH_A_CHAT = "worth a chat"
DISCONNECT = "disconnect"

Context = dict[str, Any]


def _iso(day: dt.date | str | None) -> str | None:
    if day is None:
        return None
    return day.isoformat() if isinstance(day, dt.date) else str(day)


def _date(value: dt.date | str | None) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def _r(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(float(value), digits)


def _hours(value: float | None) -> float:
    return round(float(value or 0.0), 2)


# ----- pieces ----------------------------------------------------------------------------------


def _interview(rubric: Rubric, profile: Profile, today: dt.date, weeks: int) -> dict[str, Any]:
    tl = rubric.timeline
    when = profile.interview_date
    days_left = (when - today).days if when else None
    if when is None:
        status = "no date"
        advice = (
            f"No interview date is set, so the plan assumes {weeks} weeks. "
            "Set one with: assess init --interview-date YYYY-MM-DD"
        )
    elif days_left is not None and days_left < 0:
        status = "past"
        advice = f"The interview date {when.isoformat()} has passed."
    elif weeks < tl.min_weeks:
        status = "compressed"
        advice = (
            f"Only {weeks} week{'s' if weeks != 1 else ''} left: below the usual "
            f"{tl.min_weeks}-{tl.max_weeks} weeks, so this is a compressed plan."
        )
    elif weeks > tl.max_weeks:
        status = "long"
        advice = (
            f"{weeks} weeks left: more than the usual {tl.min_weeks}-{tl.max_weeks} weeks. "
            "The plan spreads the work out; re-plan weekly."
        )
    else:
        status = "in window"
        advice = f"{weeks} weeks left, inside the usual {tl.min_weeks}-{tl.max_weeks} weeks."
    return {
        "date": _iso(when),
        "days_left": days_left,
        "weeks": weeks,
        "min_weeks": tl.min_weeks,
        "max_weeks": tl.max_weeks,
        "status": status,
        "advice": advice,
    }


def _readiness(
    rubric: Rubric,
    current: Mapping[str, Any],
    previous: Mapping[str, Any] | None,
    mentor: Mapping[str, Any] | None,
) -> dict[str, Any]:
    prev_rounds = (previous or {}).get("rounds") or {}
    prev_crit = (previous or {}).get("criteria") or {}
    mentor_crit = (mentor or {}).get("criteria") or {}
    rounds = current.get("rounds") or {}
    criteria = current.get("criteria") or {}
    return {
        "overall": _r(current.get("overall")) or 0.0,
        "previous_overall": _r((previous or {}).get("overall")),
        "mentor_overall": _r((mentor or {}).get("overall")),
        "rounds": [
            {
                "id": r.id,
                "title": r.title,
                "stage": r.stage,
                "weight": r.weight,
                "value": _r(rounds.get(r.id)) or 0.0,
                "previous": _r(prev_rounds.get(r.id)),
            }
            for r in rubric.rounds
        ],
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "value": _r(criteria.get(c.id)) or 0.0,
                "previous": _r(prev_crit.get(c.id)),
                "mentor": _r(mentor_crit.get(c.id)),
            }
            for c in rubric.criteria
        ],
    }


def _gaps(
    rubric: Rubric, plan_gaps: Sequence[Mapping[str, Any]], notes: Mapping[str, str]
) -> list[dict[str, Any]]:
    out = []
    for gap in plan_gaps:
        topic_id = str(gap["topic"])
        topic = rubric.topics.get(topic_id)
        round_id = str(gap.get("round") or rubric.round_of.get(topic_id, ""))
        round_title = rubric.round(round_id).title if round_id in rubric.round_of.values() else ""
        rating = gap.get("rating")
        target = gap.get("target")
        out.append(
            {
                "topic": topic_id,
                "title": topic.title if topic else topic_id,
                "round": round_id,
                "round_title": round_title,
                "depth": topic.depth if topic else "core",
                "rating": rating,
                "target": target,
                "gap": gap.get("gap", (target - rating) if rating and target else None),
                "priority": _r(gap.get("priority"), 3),
                "note": notes.get(topic_id, ""),
            }
        )
    return out


def _allocation(rubric: Rubric, allocation: Mapping[str, Any]) -> dict[str, Any]:
    planned = allocation.get("rounds") or {}
    logged = allocation.get("logged") or {}
    total = sum(float(v) for v in planned.values())
    logged_total = sum(float(v) for v in logged.values())
    floor_round = next((r for r in rubric.rounds if r.id == FLOOR_ROUND), None)
    floor = (floor_round.min_share if floor_round and floor_round.min_share else DEFAULT_FLOOR)
    sd_share = float(allocation.get("system_design_share") or 0.0)
    logged_sd = allocation.get("logged_system_design_share")
    if logged_sd is None and logged_total > 0:
        logged_sd = float(logged.get(FLOOR_ROUND, 0.0)) / logged_total
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
                "combined": _hours(p + lg),
            }
        )
    combined_total = total + logged_total
    combined_sd = (
        (float(planned.get(FLOOR_ROUND, 0.0)) + float(logged.get(FLOOR_ROUND, 0.0)))
        / combined_total
        if combined_total
        else 0.0
    )
    return {
        "floor": floor,
        "floor_round": FLOOR_ROUND,
        "floor_round_title": floor_round.title if floor_round else FLOOR_ROUND,
        "total_hours": _hours(total),
        "logged_total": _hours(logged_total),
        "system_design_share": _r(sd_share),
        "logged_system_design_share": _r(logged_sd),
        "combined_system_design_share": _r(combined_sd),
        "meets_floor": combined_sd + 1e-9 >= floor if combined_total else True,
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
            round_title = next((r.title for r in rubric.rounds if r.id == round_id), round_id)
            sessions.append(
                {
                    "round": round_id,
                    "round_title": round_title,
                    "topic": topic_id,
                    "topic_title": topic.title if topic else (s.get("title") or ""),
                    "hours": _hours(s.get("hours")),
                    "activity": str(s.get("activity") or ""),
                    "question": s.get("question") or None,
                    "date": _iso(s.get("date")) if s.get("date") else None,
                }
            )
        out.append(
            {
                "index": int(week["index"]),
                "start": _iso(week["start"]),
                "end": _iso(week["end"]),
                "hours": _hours(week.get("hours")),
                "focus": week.get("focus") or "",
                "sessions": sessions,
            }
        )
    return out


def _feasibility(rubric: Rubric, data: Mapping[str, Any] | None) -> dict[str, Any]:
    data = dict(data or {})
    short = []
    for item in data.get("short") or data.get("unreachable") or []:
        topic_id = str(item.get("topic"))
        topic = rubric.topics.get(topic_id)
        short.append(
            {
                "topic": topic_id,
                "title": topic.title if topic else topic_id,
                "round": rubric.round_of.get(topic_id, str(item.get("round") or "")),
                "rating": item.get("rating"),
                "target": item.get("target"),
                "reachable": item.get("reachable"),
                "hours_needed": _hours(item.get("hours_needed")),
                "hours_planned": _hours(item.get("hours_planned")),
            }
        )
    needed = _hours(data.get("hours_needed"))
    available = _hours(data.get("hours_available"))
    feasible = bool(data.get("feasible", needed <= available))
    summary = data.get("summary") or (
        f"{needed:g} h needed to close every gap; {available:g} h available."
        + ("" if feasible else f" {len(short)} topic(s) will not reach their target.")
    )
    return {
        "hours_needed": needed,
        "hours_available": available,
        "feasible": feasible,
        "summary": str(summary),
        "short": short,
    }


def _verdict(self_level: int, mentor_level: int) -> tuple[str, str]:
    diff = self_level - mentor_level
    if diff == 0:
        return "agree", ""
    verdict = WORTH_A_CHAT if abs(diff) == 1 else DISCONNECT
    return verdict, ("over-confident" if diff > 0 else "under-confident")


def _calibration(
    rubric: Rubric,
    self_ratings: Mapping[str, int | None],
    mentor: Mapping[str, Any] | None,
) -> dict[str, Any] | None:
    if not mentor or not mentor.get("ratings"):
        return None
    mentor_ratings: Mapping[str, int | None] = mentor["ratings"]
    mentor_notes: Mapping[str, str] = mentor.get("notes") or {}
    rows = []
    for topic_id, topic in rubric.topics.items():
        s, m = self_ratings.get(topic_id), mentor_ratings.get(topic_id)
        if s is None or m is None:
            continue
        verdict, direction = _verdict(int(s), int(m))
        rows.append(
            {
                "topic": topic_id,
                "title": topic.title,
                "round": rubric.round_of[topic_id],
                "round_title": rubric.round(rubric.round_of[topic_id]).title,
                "self": int(s),
                "mentor": int(m),
                "diff": int(s) - int(m),
                "verdict": verdict,
                "direction": direction,
                "note": mentor_notes.get(topic_id, ""),
            }
        )
    rows.sort(key=lambda row: (-abs(row["diff"]), -row["diff"], list(rubric.topics).index(
        row["topic"])))
    counts = {
        "agree": sum(1 for r in rows if r["verdict"] == "agree"),
        "worth_a_chat": sum(1 for r in rows if r["verdict"] == WORTH_A_CHAT),
        "disconnect": sum(1 for r in rows if r["verdict"] == DISCONNECT),
    }
    over = sum(1 for r in rows if r["diff"] > 0)
    under = sum(1 for r in rows if r["diff"] < 0)
    if not rows:
        summary = "The mentor has not rated any topic the candidate rated."
    elif over > under:
        summary = f"Self-ratings run higher than the mentor's on {over} of {len(rows)} topics."
    elif under > over:
        summary = f"Self-ratings run lower than the mentor's on {under} of {len(rows)} topics."
    else:
        summary = f"Self and mentor ratings agree on {counts['agree']} of {len(rows)} topics."
    return {
        "date": _iso(mentor.get("date")),
        "rated": len(rows),
        **counts,
        "summary": summary,
        "rows": rows,
    }


def _progress(
    rubric: Rubric,
    today: dt.date,
    ratings: Mapping[str, int | None],
    overall: float,
    previous: Mapping[str, Any] | None,
    history: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    trend = [
        {
            "date": _iso(h.get("date")),
            "rater": str(h.get("rater") or "self"),
            "readiness": _r(h.get("readiness")) or 0.0,
            "complete": bool(h.get("complete", True)),
        }
        for h in history
    ]
    if not previous:
        return {
            "previous_date": None,
            "days": None,
            "overall_before": None,
            "overall_after": _r(overall),
            "changes": [],
            "unchanged": 0,
            "trend": trend,
        }
    before: Mapping[str, int | None] = previous.get("ratings") or {}
    changes = []
    unchanged = 0
    for topic_id, topic in rubric.topics.items():
        a, b = before.get(topic_id), ratings.get(topic_id)
        if a is None or b is None:
            continue
        if a == b:
            unchanged += 1
            continue
        changes.append(
            {
                "topic": topic_id,
                "title": topic.title,
                "round": rubric.round_of[topic_id],
                "round_title": rubric.round(rubric.round_of[topic_id]).title,
                "before": int(a),
                "after": int(b),
                "delta": int(b) - int(a),
            }
        )
    changes.sort(key=lambda c: (-c["delta"], list(rubric.topics).index(c["topic"])))
    prev_date = _date(previous.get("date"))
    return {
        "previous_date": _iso(prev_date),
        "days": (today - prev_date).days if prev_date else None,
        "overall_before": _r(previous.get("readiness")),
        "overall_after": _r(overall),
        "changes": changes,
        "unchanged": unchanged,
        "trend": trend,
    }


def _mentor_questions(ctx: Context) -> list[str]:
    """Questions the candidate brings to the mentor, drawn from this report's own data."""
    qs: list[str] = []
    cal = ctx["calibration"]
    if cal:
        for row in [r for r in cal["rows"] if r["verdict"] == DISCONNECT][:3]:
            way = "higher" if row["diff"] > 0 else "lower"
            qs.append(
                f"{row['title']}: I rated myself {row['self']} and you rated {row['mentor']}, "
                f"{abs(row['diff'])} levels {way}. What did you see that I did not?"
            )
    for gap in ctx["gaps"][:3]:
        qs.append(
            f"{gap['title']} is one of my biggest gaps ({gap['rating']} of {gap['target']}). "
            "What would you practise first, and what does 'interview-ready' look like to you?"
        )
    feas = ctx["feasibility"]
    if not feas["feasible"] and feas["short"]:
        names = ", ".join(s["title"] for s in feas["short"][:3])
        qs.append(
            f"The plan cannot close every gap in time ({names}). Which of these would you "
            "let go, and which would you protect?"
        )
    alloc = ctx["allocation"]
    if alloc["logged_total"] and (alloc["logged_system_design_share"] or 0) < alloc["floor"]:
        qs.append(
            f"So far {round((alloc['logged_system_design_share'] or 0) * 100)}% of my logged "
            f"time went to {alloc['floor_round_title']}, under the "
            f"{round(alloc['floor'] * 100)}% guidance. What should I cut to make room?"
        )
    qs.append(
        f"Could you run a mock {ctx['allocation']['floor_round_title']} interview with me "
        "before the last week, and tell me where I lose the thread?"
    )
    qs.append("Which of my behavioral (STAR) stories is the weakest, and why?")
    qs.append("What would you ask the interviewers at the end, in my place?")
    return qs


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


# ----- assembly ------------------------------------------------------------------------------


def assemble_context(
    *,
    rubric: Rubric,
    profile: Profile,
    today: dt.date,
    ratings: Mapping[str, int | None],
    plan: Mapping[str, Any],
    notes: Mapping[str, str] | None = None,
    previous: Mapping[str, Any] | None = None,
    mentor: Mapping[str, Any] | None = None,
    history: Sequence[Mapping[str, Any]] = (),
    assessed_on: dt.date | None = None,
) -> Context:
    """Build the report context from plain inputs.

    ``plan`` is the ``assess plan --json`` object (readiness, gaps, allocation, weeks,
    feasibility, notes). ``previous`` is the previous self check-in (``date``, ``ratings``,
    ``readiness`` overall, and optionally ``readiness_detail`` with ``rounds``/``criteria``).
    ``mentor`` is the latest mentor assessment (``date``, ``ratings``, ``notes``, optionally
    ``readiness_detail``). ``history`` lists every assessment, oldest first, with ``date``,
    ``rater``, ``complete`` and ``readiness``.
    """
    notes = dict(notes or {})
    readiness_now = plan.get("readiness") or {}
    weeks = _weeks(rubric, plan.get("weeks") or [])
    study_time = profile.study_time or DEFAULT_STUDY_TIME
    ctx: Context = {
        "schema": SCHEMA,
        "generator": f"assess {__version__}",
        "lang": "en",
        "date": today.isoformat(),
        "assessed_on": _iso(assessed_on or today),
        "title": f"Interview readiness: {profile.name}",
        "subject": (
            f"{rubric.meta.title}: readiness, gaps and a {len(weeks)}-week study plan"
        ),
        "candidate": {
            "name": profile.name,
            "target_level": profile.target_level,
            "hours_per_week": profile.hours_per_week,
            "study_time": study_time.strftime("%H:%M"),
        },
        "rubric": {
            "id": rubric.meta.id,
            "title": rubric.meta.title,
            "company": rubric.meta.company,
            "role": rubric.meta.role,
            "version": rubric.meta.version,
            "source": rubric.meta.source,
        },
        "interview": _interview(rubric, profile, today, len(weeks)),
        "scale": [
            {"level": lv.level, "label": lv.label, "descriptor": lv.descriptor}
            for lv in rubric.scale
        ],
        "rated": sum(1 for t in rubric.topics if ratings.get(t) is not None),
        "topics": len(rubric.topics),
        "readiness": _readiness(
            rubric,
            readiness_now,
            (previous or {}).get("readiness_detail"),
            (mentor or {}).get("readiness_detail"),
        ),
        "gaps": _gaps(rubric, plan.get("gaps") or [], notes),
        "allocation": _allocation(rubric, plan.get("allocation") or {}),
        "feasibility": _feasibility(rubric, plan.get("feasibility")),
        "weeks": weeks,
        "plan_notes": [str(n) for n in plan.get("notes") or []],
        "notes": {k: notes[k] for k in rubric.topics if notes.get(k)},
    }
    ctx["progress"] = _progress(
        rubric, today, ratings, ctx["readiness"]["overall"], previous, history
    )
    ctx["calibration"] = _calibration(rubric, ratings, mentor)
    ctx["mentor_questions"] = _mentor_questions(ctx)
    ctx["appendix"] = _appendix(rubric, weeks)
    return ctx
