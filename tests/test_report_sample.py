"""A realistic report context built by hand, for renderer tests that do not need the engine.

The plan below is written out as ``assess plan --json`` would print it for a candidate four
weeks before a Discord MLE loop: two self check-ins a week apart, hours logged in between,
and one set of mentor ratings. Other test modules import ``sample_context``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from assess.profile import Profile
from assess.report.context import assemble_context
from assess.rubric import load_rubric

TODAY = dt.date(2026, 11, 25)

NOW = {
    "rs-pitch": 4, "rs-product": 3, "ps-timed-coding": 3, "ps-ml-fundamentals": 4,
    "sd-feature-pipelines": 2, "sd-serving-latency": 3, "sd-metrics-experimentation": 3,
    "sd-trust-safety": 2, "sd-recommendations": 2, "sd-advanced": 1, "am-nlp": 3,
    "am-classification": 4, "am-loss-optimization": 4, "am-production-debugging": 3,
    "am-advanced": 2, "co-data-structures": 4, "co-algorithms": 3, "co-data-manipulation": 4,
    "co-advanced": 2, "bh-ambiguity": 3, "bh-cross-functional": 3, "bh-failure": 2,
    "bh-star-impact": 3,
}
BEFORE = {**NOW, "sd-serving-latency": 2, "rs-pitch": 3, "am-production-debugging": 2,
          "co-data-structures": 3, "bh-star-impact": 2, "am-nlp": 4}
MENTOR = {"sd-feature-pipelines": 2, "sd-serving-latency": 2, "sd-trust-safety": 1,
          "sd-recommendations": 3, "am-nlp": 4, "co-algorithms": 3, "bh-failure": 3,
          "bh-star-impact": 1}

HOSTILE = (
    '<script>alert("x")</script> <img src="file:///etc/hostname"> '
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
)


def _plan(hours_per_week: float = 10.0, weeks: int = 4) -> dict[str, Any]:
    rubric = load_rubric()
    gaps = []
    for rid, topic in ((rubric.round_of[t], rubric.topics[t]) for t in rubric.topics):
        rating = NOW[topic.id]
        if rating < 4:
            weight = 1.0 if topic.depth == "core" else 0.5
            gaps.append({"topic": topic.id, "round": rid, "rating": rating, "target": 4,
                         "priority": round((4 - rating) * weight, 3)})
    gaps.sort(key=lambda g: (-g["priority"], g["topic"]))
    split = {"system-design": 0.45, "applied-ml": 0.2, "coding": 0.15, "behavioral": 0.12,
             "phone-screen": 0.05, "recruiter-screen": 0.03}
    total = hours_per_week * weeks
    rounds = {k: round(v * total, 1) for k, v in split.items()}
    used: set[str] = set()
    week_list = []
    activities = ["Read and summarise", "Practice question out loud", "Mock interview",
                  "Review notes"]
    for w in range(weeks):
        start = TODAY + dt.timedelta(days=7 * w)
        sessions = []
        left = hours_per_week
        order = [g for g in gaps if g["round"] == "system-design"] + [
            g for g in gaps if g["round"] != "system-design"]
        i = w
        while left > 0:
            g = order[i % len(order)]
            i += 3
            h = min(1.5, left)
            q = next((q.text for q in rubric.topics[g["topic"]].questions
                      if q.text not in used), None)
            if q:
                used.add(q)
            sessions.append({"round": g["round"], "topic": g["topic"], "hours": h,
                             "activity": activities[(i + w) % 4], "question": q})
            left = round(left - h, 2)
        week_list.append({"index": w + 1, "start": start.isoformat(),
                          "end": (start + dt.timedelta(days=6)).isoformat(),
                          "hours": hours_per_week, "sessions": sessions})
    return {
        "readiness": {
            "overall": 0.58,
            "rounds": {"recruiter-screen": 0.83, "phone-screen": 0.83, "system-design": 0.42,
                       "applied-ml": 0.71, "coding": 0.76, "behavioral": 0.55},
            "criteria": {"role-knowledge": 0.61, "problem-solving": 0.49,
                         "craftsmanship": 0.74, "culture-values": 0.57},
        },
        "gaps": gaps,
        "allocation": {"rounds": rounds, "system_design_share": 0.45,
                       "logged": {"coding": 5.0, "system-design": 3.0, "phone-screen": 2.0,
                                  "applied-ml": 1.5},
                       "logged_system_design_share": round(3 / 11.5, 4)},
        "weeks": week_list,
        "feasibility": {"hours_needed": 62.0, "hours_available": 40.0, "feasible": False,
                        "short": [{"topic": "sd-advanced", "rating": 1, "target": 4,
                                   "reachable": 2},
                                  {"topic": "sd-trust-safety", "rating": 2, "target": 4,
                                   "reachable": 3}]},
        "notes": ["Hours logged so far under-spent system design; the remaining weeks make "
                  "it up to reach 40% overall."],
    }


def sample_context(note: str | None = None, name: str = "Ada Lovelace", **profile: Any
                   ) -> dict[str, Any]:
    """The sample context; ``note`` is attached to sd-feature-pipelines (e.g. hostile text)."""
    rubric = load_rubric()
    prof = Profile(name=name, interview_date=dt.date(2026, 12, 20), hours_per_week=10,
                   **profile)
    notes = {"sd-feature-pipelines": note or "Never built a feature store; batch only."}
    return assemble_context(
        rubric=rubric,
        profile=prof,
        today=TODAY,
        ratings=NOW,
        plan=_plan(),
        notes=notes,
        previous={"date": "2026-11-18", "ratings": BEFORE, "readiness": 0.51,
                  "readiness_detail": {
                      "rounds": {"recruiter-screen": 0.75, "phone-screen": 0.83,
                                 "system-design": 0.36, "applied-ml": 0.66, "coding": 0.7,
                                 "behavioral": 0.45},
                      "criteria": {"role-knowledge": 0.55, "problem-solving": 0.42,
                                   "craftsmanship": 0.68, "culture-values": 0.5}}},
        mentor={"date": "2026-11-24", "ratings": MENTOR,
                "notes": {"sd-trust-safety": "The spam mock skipped the labelling loop."}},
        history=[
            {"date": "2026-11-11", "rater": "self", "complete": True, "readiness": 0.44},
            {"date": "2026-11-18", "rater": "self", "complete": True, "readiness": 0.51},
            {"date": "2026-11-24", "rater": "mentor", "complete": False, "readiness": 0.47},
            {"date": "2026-11-25", "rater": "self", "complete": True, "readiness": 0.58},
        ],
    )


def test_sample_context_is_plain_json_data() -> None:
    import json

    ctx = sample_context()
    assert json.loads(json.dumps(ctx)) == ctx
    assert ctx["candidate"]["name"] == "Ada Lovelace"
    assert [w["index"] for w in ctx["weeks"]] == [1, 2, 3, 4]
    for week in ctx["weeks"]:
        assert round(sum(s["hours"] for s in week["sessions"]), 2) == week["hours"]


def test_sample_calibration_names_direction() -> None:
    cal = sample_context()["calibration"]
    by_topic = {r["topic"]: r for r in cal["rows"]}
    assert by_topic["bh-star-impact"]["verdict"] == "disconnect"
    assert by_topic["bh-star-impact"]["direction"] == "over-confident"
    assert by_topic["sd-recommendations"]["verdict"] == "worth a chat"
    assert by_topic["sd-recommendations"]["direction"] == "under-confident"
    assert by_topic["sd-feature-pipelines"]["verdict"] == "agree"
