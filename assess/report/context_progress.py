"""The report context's progress sections: readiness, gaps, calibration, the trend,
progress since last time and the questions for the mentor."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from assess.evidence.scoring import calibration, score
from assess.report.context_common import Context, _date, _iso, _on, _r, _round_title
from assess.rubric.model import Rubric

WORTH_A_CHAT = "worth a chat"
DISCONNECT = "disconnect"


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
