"""The report context: everything a report shows, as plain, JSON-ready data.

The context is built once and fed to every format (PDF, HTML, Markdown, JSON, iCalendar), so
they cannot disagree. It holds only plain values (str, int, float, bool, None, lists, dicts):
no rubric models, no markup. Text from rubrics and notes is kept as it was written; escaping is
the renderers' job.

``assemble_context`` takes plain inputs (a rubric, a profile, ratings, the plan in its
``assess plan --json`` form, the history); ``build_context`` pulls those out of the engine's
``State``. Scores of earlier or other ratings (the last check-in, the mentor's view) come from
``assess.scoring``, the same functions the plan uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assess import __version__
from assess.profile import DEFAULT_STUDY_TIME, Profile
from assess.report.practice_context import practice_context
from assess.rubric import Rubric
from assess.scoring import calibration, score

if TYPE_CHECKING:
    from assess.engine import State
    from assess.stories import Story

SCHEMA = 1
FLOOR_ROUND = "system-design"
WORTH_A_CHAT = "worth a chat"
DISCONNECT = "disconnect"
ACTIVITY_LABELS = {
    "study": "Study",
    "practice": "Practice",
    "mock": "Mock interview",
    "review": "Review",
    "story": "STAR story",
}

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


def _round_title(rubric: Rubric, round_id: str) -> str:
    return next((r.title for r in rubric.rounds if r.id == round_id), round_id)


def _interview(rubric: Rubric, profile: Profile, today: dt.date, weeks: int) -> dict[str, Any]:
    tl = rubric.timeline
    when = profile.interview_date
    days_left = (when - today).days if when else None
    plural = "s" if weeks != 1 else ""
    if when is None:
        status = "no date"
        advice = (
            f"No interview date is set, so the plan assumes {weeks} week{plural}. "
            "Set one with: assess init --interview-date YYYY-MM-DD"
        )
    elif days_left is not None and days_left < 0:
        status = "past"
        advice = (
            f"The interview date {when.isoformat()} has passed; the plan assumes "
            f"{weeks} week{plural}."
        )
    elif weeks < tl.min_weeks:
        status = "compressed"
        advice = (
            f"{days_left} day{'s' if days_left != 1 else ''} to the onsite: a compressed plan "
            "that takes the biggest gaps first. (The guide's "
            f"{tl.min_weeks}-{tl.max_weeks} weeks is the whole process from screen to offer, "
            "not a preparation window.)"
        )
    elif weeks > tl.max_weeks:
        status = "long"
        advice = (
            f"{weeks} weeks to the onsite: a long runway. The plan spreads the work out and "
            "re-balances each week you check in."
        )
    else:
        status = "in window"
        advice = f"{weeks} week{plural} to the onsite."
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
    self_only: Any,
    previous: Any,
    mentor_view: Any,
) -> dict[str, Any]:
    """Readiness now (the plan's), with the last check-in's and the mentor's view beside it."""
    rounds = current.get("rounds") or {}
    criteria = current.get("criteria") or {}

    def other(scores: Any, kind: str, key: str) -> float | None:
        return _r(getattr(scores, kind).get(key)) if scores is not None else None

    return {
        "overall": _r(current.get("overall")) or 0.0,
        "self_overall": _r(self_only.overall) if self_only is not None else None,
        "previous_overall": _r(previous.overall) if previous is not None else None,
        "mentor_overall": _r(mentor_view.overall) if mentor_view is not None else None,
        "rounds": [
            {
                "id": r.id,
                "title": r.title,
                "stage": r.stage,
                "weight": r.weight,
                "value": _r(rounds.get(r.id)) or 0.0,
                "self": other(self_only, "rounds", r.id),
                "previous": other(previous, "rounds", r.id),
            }
            for r in rubric.rounds
        ],
        "criteria": [
            {
                "id": c.id,
                "title": c.title,
                "value": _r(criteria.get(c.id)) or 0.0,
                "self": other(self_only, "criteria", c.id),
                "previous": other(previous, "criteria", c.id),
                "mentor": other(mentor_view, "criteria", c.id),
            }
            for c in rubric.criteria
            if c.id in criteria
        ],
    }


def _gaps(
    rubric: Rubric, plan_gaps: Sequence[Mapping[str, Any]], notes: Mapping[str, str],
    mentor_dates: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    mentor_dates = mentor_dates or {}
    out = []
    for gap in plan_gaps:
        topic_id = str(gap["topic"])
        topic = rubric.topics.get(topic_id)
        round_id = str(gap.get("round") or rubric.round_of.get(topic_id, ""))
        out.append(
            {
                "topic": topic_id,
                "title": topic.title if topic else str(gap.get("title") or topic_id),
                "round": round_id,
                "round_title": _round_title(rubric, round_id),
                "depth": topic.depth if topic else str(gap.get("depth") or "core"),
                "rating": gap.get("rating"),
                "rated": bool(gap.get("rated", True)),
                "source": str(gap.get("source") or "self"),
                "mentor_date": (_iso(mentor_dates.get(topic_id))
                                if gap.get("source") == "mentor" else None),
                "target": gap.get("target"),
                "gap": gap.get("gap"),
                "priority": _r(gap.get("priority")),
                "note": notes.get(topic_id, ""),
            }
        )
    return out


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


def _calibration(
    rubric: Rubric,
    self_ratings: Mapping[str, int | None],
    mentor: Mapping[str, Any] | None,
) -> dict[str, Any] | None:
    if not mentor or not mentor.get("ratings"):
        return None
    mentor_notes: Mapping[str, str] = mentor.get("notes") or {}
    dates: Mapping[str, Any] = mentor.get("dates") or {}
    order = list(rubric.topics)
    rows = [
        {
            "topic": c.topic,
            "title": c.title,
            "round": c.round,
            "round_title": _round_title(rubric, c.round),
            "self": c.self_level,
            "mentor": c.mentor_level,
            "diff": c.diff,
            "verdict": c.verdict,
            "direction": c.direction,
            "note": mentor_notes.get(c.topic, ""),
            "mentor_date": _iso(dates.get(c.topic)),
            # self above a standing mentor rating: the plan uses the mentor's until evidence
            "disputed": c.diff > 0,
        }
        for c in calibration(rubric, self_ratings, mentor["ratings"])
    ]
    rows.sort(key=lambda row: (-abs(row["diff"]), -row["diff"], order.index(row["topic"])))
    counts = {
        "agree": sum(1 for r in rows if r["verdict"] == "agree"),
        "worth_a_chat": sum(1 for r in rows if r["verdict"] == WORTH_A_CHAT),
        "disconnect": sum(1 for r in rows if r["verdict"] == DISCONNECT),
        "over_confident": sum(1 for r in rows if r["diff"] > 0),
        "under_confident": sum(1 for r in rows if r["diff"] < 0),
    }
    n = len(rows)
    if not rows:
        summary = "The mentor has not rated any topic the candidate rated."
    elif counts["over_confident"] > counts["under_confident"]:
        summary = (
            f"Self-ratings run higher than the mentor's on {counts['over_confident']} of "
            f"{n} topics (over-confident)."
        )
    elif counts["under_confident"] > counts["over_confident"]:
        summary = (
            f"Self-ratings run lower than the mentor's on {counts['under_confident']} of "
            f"{n} topics (under-confident)."
        )
    else:
        summary = f"Self and mentor agree on {counts['agree']} of {n} topics."
    return {
        "date": _iso(mentor.get("date")),
        "comment": str(mentor.get("comment") or ""),
        "mentor_name": str(mentor.get("name") or ""),
        "rated": n,
        **counts,
        "summary": summary,
        "rows": rows,
    }


def _trend(
    rubric: Rubric, target_level: int, history: Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """Readiness at each check-in, oldest first.

    Complete self-assessments are plotted as they were scored. A self-assessment that covers
    only part of the rubric is left out (its unrated topics would count as level 1). A mentor
    assessment that rates only some topics is shown as the mentor's view: the candidate's
    latest complete self-ratings with the mentor's standing ratings (this one's and earlier
    ones' on topics it leaves out) in their place.
    """
    out: list[dict[str, Any]] = []
    last_self: dict[str, int | None] = {}
    standing: dict[str, int] = {}  # the mentor's ratings so far, each until rated again
    for h in history:
        rater = str(h.get("rater") or "self")
        complete = bool(h.get("complete", True))
        readiness = h.get("readiness")
        ratings = h.get("ratings") or {}
        if rater == "self":
            if not complete:
                continue
            last_self = dict(ratings)
        else:
            standing.update({k: v for k, v in ratings.items() if v is not None})
            if not complete and ratings and last_self:
                merged = {**last_self, **standing}
                readiness = score(rubric, merged, target_level).overall
        out.append(
            {
                "date": _iso(h.get("date")),
                "rater": rater,
                "readiness": _r(readiness) or 0.0,
                "complete": complete,
            }
        )
    return out


def _progress(
    rubric: Rubric,
    target_level: int,
    today: dt.date,
    ratings: Mapping[str, int | None],
    self_overall: float | None,
    previous: Mapping[str, Any] | None,
    previous_overall: float | None,
    history: Sequence[Mapping[str, Any]],
) -> dict[str, Any]:
    trend = _trend(rubric, target_level, history)
    base = {
        "previous_date": None,
        "days": None,
        "overall_before": None,
        "overall_after": _r(self_overall),
        "changes": [],
        "unchanged": 0,
        "trend": trend,
    }
    if not previous:
        return base
    before: Mapping[str, int | None] = previous.get("ratings") or {}
    order = list(rubric.topics)
    changes = []
    unchanged = 0
    for topic_id, topic in rubric.topics.items():
        a, b = before.get(topic_id), ratings.get(topic_id)
        if a == b:
            unchanged += 1
            continue
        changes.append(
            {
                "topic": topic_id,
                "title": topic.title,
                "round": rubric.round_of[topic_id],
                "round_title": _round_title(rubric, rubric.round_of[topic_id]),
                "before": a,
                "after": b,
                "delta": (b or 1) - (a or 1),
            }
        )
    changes.sort(key=lambda c: (-c["delta"], order.index(c["topic"])))
    prev_date = _date(previous.get("date"))
    return {
        **base,
        "previous_date": _iso(prev_date),
        "days": (today - prev_date).days if prev_date else None,
        "overall_before": _r(previous_overall),
        "changes": changes,
        "unchanged": unchanged,
    }


def _mentor_questions(ctx: Context) -> list[str]:
    """Questions the candidate brings to the mentor, drawn from this report's own data."""
    qs: list[str] = []
    cal = ctx["calibration"]
    asked: set[str] = set()
    if cal:
        # disputed topics first (self above the mentor's standing rating), then the other
        # disconnects; three at most, biggest difference first
        rows = [r for r in cal["rows"] if r["disputed"]]
        rows += [r for r in cal["rows"] if r["verdict"] == DISCONNECT and not r["disputed"]]
        for row in rows[:3]:
            asked.add(row["topic"])
            if row["disputed"]:
                qs.append(
                    f"{row['title']} is disputed: self {row['self']}, mentor {row['mentor']}"
                    f"{_on(row['mentor_date'])}. What would you need to see to agree on "
                    f"{row['self']}?"
                )
            else:
                qs.append(
                    f"{row['title']}: I rated myself {row['self']}, you rated me "
                    f"{row['mentor']}. What did you see that I did not?"
                )
    for gap in [g for g in ctx["gaps"] if g["topic"] not in asked][:2]:
        qs.append(
            f"{gap['title']} is one of my biggest gaps ({gap['rating']} of {gap['target']}). "
            "What would you practise first, and what does 'interview-ready' look like to you?"
        )
    feas = ctx["feasibility"]
    if feas["short"]:
        names = ", ".join(s["title"] for s in feas["short"][:3])
        more = f" and {len(feas['short']) - 3} more" if len(feas["short"]) > 3 else ""
        qs.append(
            f"The plan cannot bring every topic to target in time ({names}{more}). Which would "
            "you let go, and which would you protect?"
        )
    alloc = ctx["allocation"]
    share = alloc["logged_system_design_share"]
    floor = alloc["floor"]
    if alloc["logged_total"] and share is not None and floor is not None and share < floor:
        qs.append(
            f"So far {round(share * 100)}% of my logged time went to "
            f"{alloc['floor_round_title']}, under the {round(floor * 100)}% guidance. "
            "What should I cut to make room?"
        )
    finals = [
        (w["index"], sess) for w in ctx["weeks"] for sess in w["sessions"]
        if sess.get("activity") == "mock" and sess.get("kind") == "final"
    ]
    sd_final = next((pair for pair in finals
                     if pair[1].get("round") == alloc.get("floor_round")), None)
    if sd_final is not None:
        qs.append(
            f"The plan has my final mock {alloc['floor_round_title']} interview in week "
            f"{sd_final[0]} ({sd_final[1].get('date')}). Could you "
            "run it with me then, and tell me where I lose the thread?"
        )
    else:
        qs.append(
            f"Could you run a mock {alloc['floor_round_title']} interview with me a few days "
            "before the onsite, and tell me where I lose the thread?"
        )
    for row in (ctx.get("practice") or {}).get("contradicted", [])[:1]:
        best = row.get("best") or {}
        qs.append(
            f"My attempt at {row['title']} covered {best.get('points')} of {best.get('total')} "
            "points, below my rating. Could you watch my next attempt and tell me what I miss?"
        )
    qs.append("Which of my behavioral (STAR) stories is the weakest, and why?")
    qs.append("What would you ask the interviewers at the end, in my place?")
    return qs


def _on(day: str | None) -> str:
    """`` (8 Dec)`` for a date, empty without one."""
    d = _date(day)
    return f" ({d.day} {d.strftime('%b')})" if d else ""


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
    plan: Mapping[str, Any],
    ratings: Mapping[str, int | None],
    notes: Mapping[str, str] | None = None,
    assessed_on: dt.date | None = None,
    previous: Mapping[str, Any] | None = None,
    mentor: Mapping[str, Any] | None = None,
    history: Sequence[Mapping[str, Any]] = (),
    attempts: Sequence[Mapping[str, Any]] = (),
    stories: Sequence[Story] = (),
) -> Context:
    """Build the report context from plain inputs.

    - ``plan``: the ``assess plan --json`` object (readiness, gaps, allocation, weeks,
      feasibility, notes): what the plan uses, mentor-lowered ratings included;
    - ``ratings`` and ``notes``: the current self-assessment (topic id -> level or None);
    - ``previous``: the previous complete self check-in, ``{"date", "ratings"}``, or None;
    - ``mentor``: the mentor's standing rating per topic, ``{"date", "ratings", "notes"}`` and
      optionally ``"dates"`` (topic id -> the day that rating was given);
    - ``history``: every assessment, oldest first, each with ``date``, ``rater``,
      ``complete`` and ``readiness``;
    - ``stories``: the STAR story bank (``stories_context`` gives the grid and the flags).
    """
    notes = dict(notes or {})
    target = profile.target_level
    weeks = _weeks(rubric, plan.get("weeks") or [])
    self_scores = score(rubric, ratings, target)
    previous_scores = score(rubric, previous["ratings"], target) if previous else None
    mentor_view = None
    if mentor and mentor.get("ratings"):
        view = {**dict(ratings), **{k: v for k, v in mentor["ratings"].items() if v is not None}}
        mentor_view = score(rubric, view, target)
    study_time = profile.study_time or DEFAULT_STUDY_TIME
    ctx: Context = {
        "schema": SCHEMA,
        "generator": f"assess {__version__}",
        "lang": "en",
        "date": today.isoformat(),
        "plan_id": str(plan.get("plan_id") or ""),
        "assessed_on": _iso(assessed_on or today),
        "title": f"Interview readiness: {profile.name}",
        "subject": f"{rubric.meta.title}: readiness, gaps and a {len(weeks)}-week study plan",
        "candidate": {
            "name": profile.name,
            "target_level": target,
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
        "mentor_marked": [str(t) for t in plan.get("mentor_marked") or []],
        "readiness": _readiness(
            rubric, plan.get("readiness") or {}, self_scores, previous_scores, mentor_view
        ),
        "gaps": _gaps(rubric, plan.get("gaps") or [], notes,
                      (mentor or {}).get("dates") or {}),
        "allocation": _allocation(rubric, plan.get("allocation") or {}),
        "feasibility": _feasibility(rubric, plan.get("feasibility")),
        "weeks": weeks,
        "timeline": _timeline(rubric, plan),
        "plan_notes": [str(n) for n in plan.get("notes") or []],
        "notes": {k: str(notes[k]) for k in rubric.topics if notes.get(k)},
        "ratings": {k: ratings[k] for k in rubric.topics if ratings.get(k) is not None},
    }
    ctx["progress"] = _progress(
        rubric, target, today, ratings, self_scores.overall, previous,
        previous_scores.overall if previous_scores else None, history,
    )
    ctx["calibration"] = _calibration(rubric, ratings, mentor)
    ctx["practice"] = practice_context(rubric, plan, attempts)
    ctx["mentor_questions"] = _mentor_questions(ctx)
    ctx["mentor_page"] = None  # page 1, from the record: see build_context
    ctx["appendix"] = _appendix(rubric, weeks)
    ctx["stories"] = stories_context(rubric, stories)
    return ctx


def build_context(state: State) -> Context:
    """The report context from the engine's ``State`` (see ``assess.engine.current_state``)."""
    current = state.self_assessment
    previous = (
        {"date": state.previous_self.date, "ratings": dict(state.previous_self.ratings)}
        if state.previous_self is not None
        else None
    )
    mentor = None
    if state.mentor_ratings:
        notes: dict[str, str] = {}
        for assessment in state.mentor_assessments:  # oldest first: the newest note wins
            notes.update({k: v for k, v in assessment.notes.items() if v})
        latest = state.latest_mentor
        signed = [a for a in state.mentor_assessments if a.comment or a.rater_name]
        mentor = {
            # the newest overall comment and name, from a mentor's form
            "comment": signed[-1].comment if signed else "",
            "name": signed[-1].rater_name if signed else "",
            "date": latest.date if latest is not None else None,
            "ratings": dict(state.mentor_ratings),
            "dates": {k: v.isoformat() for k, v in state.mentor_dates.items()},
            "notes": notes,
        }
    # A note from the last check-in still explains a rating unless this one replaced it.
    notes = dict(state.previous_self.notes) if state.previous_self is not None else {}
    notes.update({k: v for k, v in current.notes.items() if v})
    ctx = assemble_context(
        rubric=state.rubric,
        profile=state.profile,
        today=state.today,
        plan=state.plan_json(),
        ratings=dict(current.ratings),
        notes=notes,
        assessed_on=current.date,
        previous=previous,
        mentor=mentor,
        history=[entry.to_json() for entry in state.history],
        attempts=[a.to_json() for a in state.attempts],
        stories=state.stories,
    )
    from assess.report.mentor_page import mentor_page

    ctx["mentor_page"] = mentor_page(state, ctx)
    return ctx


def stories_context(rubric: Rubric, stories: Sequence[Story]) -> dict[str, Any]:
    """The story grid: each behavioral question (grouped by topic) with the ids of the
    stories answering it, each story with its flags, and what is uncovered or stretched."""
    from assess.stories import coverage, story_json

    cover = coverage(rubric, stories)
    questions = {q.id: q.text for t in rubric.topics.values() for q in t.questions}
    grid = [
        {
            "topic": tid,
            "title": rubric.topics[tid].title,
            "round_title": rubric.round(rubric.round_of[tid]).title,
            "questions": [
                {"id": qid, "text": questions[qid], "stories": list(cover.questions[qid])}
                for qid in qids
            ],
        }
        for tid, qids in cover.topics.items()
    ]
    return {
        "items": [story_json(s) for s in stories],
        "grid": grid,
        "uncovered": [{"id": qid, "text": questions[qid],
                       "topic_title": rubric.topics[rubric.questions[qid][0].id].title}
                      for qid in cover.uncovered],
        "stretched": list(cover.stretched),
        "flagged": sum(1 for item in (story_json(s) for s in stories) if item["flags"]),
    }
