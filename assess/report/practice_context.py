"""The report's practice section: recent attempts, re-attempts due (and the day the plan booked
them), ratings still unverified, and ratings an attempt contradicts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from assess.errors import NotFoundError
from assess.rubric.model import Rubric

RECENT = 10  # attempts listed in the report; `assess practice --list` has them all


def practice_context(
    rubric: Rubric, plan: Mapping[str, Any], attempts: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    def title(question_id: str) -> str:
        try:
            return rubric.question(question_id)[1].text
        except NotFoundError:
            return question_id

    def topic_title(topic_id: str) -> str:
        topic = rubric.topics.get(topic_id)
        return topic.title if topic else topic_id

    evidence = plan.get("evidence") or {}
    closed = {s.get("stage") for s in plan.get("stages") or []
              if s.get("status") in ("done", "past")}
    closed_rounds = {r for s in plan.get("stages") or [] if s.get("stage") in closed
                     for r in s.get("rounds") or []}
    open_topics = [t for t in rubric.topics if rubric.round_of[t] not in closed_rounds]
    recent = sorted(attempts, key=lambda a: (str(a.get("date")), str(a.get("uid"))))[-RECENT:]
    return {
        "attempts": [
            {**dict(a), "question": title(str(a.get("question_id"))),
             "topic_title": topic_title(str(a.get("topic")))}
            for a in reversed(recent)
        ],
        "attempts_total": len(attempts),
        "reattempts": [
            {**dict(r), "question": title(str(r.get("question_id"))),
             "topic_title": topic_title(str(r.get("topic")))}
            for r in plan.get("reattempts") or []
        ],
        "unverified": [
            {"topic": t, "title": topic_title(t),
             "jump": (evidence.get(t) or {}).get("jump")}
            for t in open_topics
            if (evidence.get(t) or {}).get("status") == "unverified"
        ],
        "contradicted": [
            {"topic": t, "title": topic_title(t),
             "level_used": (evidence.get(t) or {}).get("level_used"),
             "best": ((evidence.get(t) or {}).get("best") or {}),
             "cap": (evidence.get(t) or {}).get("cap")}
            for t in open_topics
            if (evidence.get(t) or {}).get("status") == "contradicted"
        ],
    }
