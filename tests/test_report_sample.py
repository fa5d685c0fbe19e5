"""A realistic report context built without a store, for renderer tests.

A candidate four weeks before a Discord MLE loop: two self check-ins a week apart, hours logged
in between, and one set of mentor ratings. The plan comes from the real scoring and planner
(pure functions); only the store is left out. Other test modules import ``sample_context``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from assess.evidence.scoring import effective_ratings, latest_levels, score, score_effective
from assess.plan.planner import build_plan
from assess.report.context import assemble_context
from assess.rubric.model import load_rubric
from assess.rubric.profile import Profile
from assess.stories.star import Story

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
FIRST = {**BEFORE, "sd-metrics-experimentation": 2, "co-algorithms": 2, "am-nlp": 3}
MENTOR = {"sd-feature-pipelines": 2, "sd-serving-latency": 2, "sd-trust-safety": 1,
          "sd-recommendations": 3, "am-nlp": 4, "co-algorithms": 3, "bh-failure": 3,
          "bh-star-impact": 1}
STORIES = (
    Story(title="Spam model rollback",
          situation="Our new spam model lost its A/B test after a strong offline result.",
          task="I owned finding out why before the next release.",
          action="I compared training and serving features one at a time, found one computed "
                 "differently online, wrote a shared transform and re-ran the test in shadow.",
          result="The re-run won and we cut false positives 30%.",
          metric="cut false positives 30%", topics=("bh-failure",),
          questions=("bh-failure-q1",), id=1, uid="a" * 32),
    Story(title="Disagreeing with a PM",
          situation="A PM wanted a ranking feature shipped in a week.",
          task="We had to agree on the scope.",
          action="We talked it through and agreed on a smaller first version.",
          result="It went well and everyone was happy.", topics=("bh-cross-functional",),
          questions=("bh-cross-functional-q1",), id=2, uid="b" * 32),
)
LOGGED = {"coding": 5.0, "system-design": 3.0, "phone-screen": 2.0, "applied-ml": 1.5}

HOSTILE = (
    '<script>alert("x")</script> <img src="file:///etc/hostname"> '
    '<link rel="stylesheet" href="http://127.0.0.1:9/x.css">'
)


def sample_context(note: str | None = None, name: str = "Ada Lovelace", *,
                   mentor: bool = True, previous: bool = True, **profile: Any
                   ) -> dict[str, Any]:
    """The sample context; ``note`` is attached to sd-feature-pipelines (e.g. hostile text)."""
    rubric = load_rubric()
    prof = Profile(name=name, interview_date=dt.date(2026, 12, 20), hours_per_week=10,
                   **profile)
    mentor_now = latest_levels([MENTOR]) if mentor else {}
    effective = effective_ratings(rubric, NOW, mentor_now)
    scores = score_effective(rubric, effective, prof.target_level)
    plan = build_plan(rubric, scores, hours_per_week=prof.hours_per_week, today=TODAY,
                      interview_date=prof.interview_date, logged=LOGGED,
                      stories=STORIES).to_json()
    history = [
        {"date": "2026-11-11", "rater": "self", "complete": True, "ratings": FIRST,
         "readiness": score(rubric, FIRST, 4).overall},
        {"date": "2026-11-18", "rater": "self", "complete": True, "ratings": BEFORE,
         "readiness": score(rubric, BEFORE, 4).overall},
    ]
    if mentor:
        history.append({"date": "2026-11-25", "rater": "mentor", "complete": False,
                        "ratings": MENTOR, "readiness": score(rubric, MENTOR, 4).overall})
    history.append({"date": "2026-11-25", "rater": "self", "complete": True, "ratings": NOW,
                    "readiness": score(rubric, NOW, 4).overall})
    return assemble_context(
        rubric=rubric,
        profile=prof,
        today=TODAY,
        plan=plan,
        ratings=NOW,
        notes={"sd-feature-pipelines": note or "Never built a feature store; batch only."},
        assessed_on=TODAY,
        previous={"date": "2026-11-18", "ratings": BEFORE} if previous else None,
        mentor={"date": "2026-11-25", "ratings": MENTOR,
                "notes": {"sd-trust-safety": "The spam mock skipped the labelling loop."}}
        if mentor else None,
        history=history if previous else history[-1:],
        stories=STORIES,
    )


def test_sample_context_is_plain_json_data() -> None:
    ctx = sample_context()
    assert json.loads(json.dumps(ctx)) == ctx
    assert ctx["candidate"]["name"] == "Ada Lovelace"
    assert [w["index"] for w in ctx["weeks"]] == [1, 2, 3, 4]
    for week in ctx["weeks"]:
        assert round(sum(s["hours"] for s in week["sessions"]), 2) == week["hours"]


def test_sample_calibration_names_direction() -> None:
    cal = sample_context()["calibration"]
    by_topic = {r["topic"]: r for r in cal["rows"]}
    assert (by_topic["bh-star-impact"]["verdict"], by_topic["bh-star-impact"]["direction"]) \
        == ("disconnect", "over-confident")
    assert (by_topic["sd-recommendations"]["verdict"],
            by_topic["sd-recommendations"]["direction"]) == ("worth a chat", "under-confident")
    assert by_topic["sd-feature-pipelines"]["verdict"] == "agree"
    assert [cal["agree"], cal["worth_a_chat"], cal["disconnect"]] == [2, 5, 1]


def test_sample_progress_lists_every_move() -> None:
    progress = sample_context()["progress"]
    moved = {c["topic"]: (c["before"], c["after"], c["delta"]) for c in progress["changes"]}
    assert moved == {
        "rs-pitch": (3, 4, 1), "sd-serving-latency": (2, 3, 1),
        "am-production-debugging": (2, 3, 1), "co-data-structures": (3, 4, 1),
        "bh-star-impact": (2, 3, 1), "am-nlp": (4, 3, -1),
    }
    assert progress["unchanged"] == 23 - 6
    assert progress["previous_date"] == "2026-11-18" and progress["days"] == 7
    # the mentor's partial ratings show as the mentor's view, not as level-1 holes
    mentor_point = [p for p in progress["trend"] if p["rater"] == "mentor"][0]
    assert mentor_point["readiness"] > 0.4
