"""The honest triage: which topics the plan protects (funded, with the level each should
reach) and which it leaves out this time (advanced "less common" topics first), each with why.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from assess.evidence.scoring import Scores
from assess.plan.model import Plan
from assess.rubric.model import Rubric


def triage(
    rubric: Rubric, scores: Scores, plan: Plan, built: Any, closed: frozenset[str],
    credit: Mapping[str, float], deadlines: Mapping[str, dt.date | None],
) -> dict[str, tuple[dict[str, Any], ...]]:
    hpl = rubric.planning.hours_per_level
    hours = plan.allocation.topics
    values = built.values
    funded = [t for t in built.funding.funded
              if scores.topics[t].gap > 0 and hours.get(t, 0.0) > 0]
    protect = []
    for tid in sorted(funded, key=lambda t: (-values[t], list(rubric.topics).index(t))):
        sc = scores.topics[tid]
        gained = (hours.get(tid, 0.0) + credit.get(tid, 0.0)) / hpl
        reach = min(float(sc.target), sc.level + gained)
        protect.append({
            "topic": tid, "round": sc.round, "title": sc.title, "rating": sc.level,
            "target": sc.target, "reaches": round(reach, 1), "hours": hours.get(tid, 0.0),
        })
    lowest = min((values[t] for t in funded), default=None)
    left = []
    for sc in scores.gaps:
        if sc.topic in funded:
            continue
        advanced = sc.depth == "advanced"
        if sc.round in closed:
            why = "its stage is behind you: nothing left to prepare for it"
        elif deadlines.get(sc.round) is not None and not any(
                sc.round in s.rounds for s in _segments(built)):
            why = "no free hours before its screen"
        elif advanced:
            why = ("advanced (\"less common\"): it weighs half of a core topic, so it is "
                   "left out first")
        elif lowest is not None and values[sc.topic] >= lowest - 1e-12:
            why = ("as valuable per hour as the funded topics, but the hours run out before "
                   "its whole cycle (1 h study, two timed practices)")
        elif lowest is not None:
            why = (f"closes {values[sc.topic] * 200:.1f}% of readiness per hour, less than "
                   f"the funded topics (from {lowest * 200:.1f}%), and the hours run out")
        else:
            why = "not enough free hours for a whole cycle (1 h study and two timed practices)"
        left.append({
            "topic": sc.topic, "round": sc.round, "title": sc.title, "rating": sc.level,
            "target": sc.target, "advanced": advanced, "why": why,
        })
    left.sort(key=lambda d: (not d["advanced"], values.get(d["topic"], 0.0)))
    return {"protect": tuple(protect), "not_this_time": tuple(left)}


def _segments(built: Any) -> list[Any]:
    return list(getattr(built, "segments", []))
