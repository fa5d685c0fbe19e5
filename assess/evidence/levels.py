"""The 1..5 scale: level bounds, a topic's target and weight, the level used, the gap and
the topic's readiness. Pure; scoring builds on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assess.errors import InputError
from assess.rubric.model import Rubric, Topic

MIN_LEVEL = 1
MAX_LEVEL = 5
MAX_GAP = MAX_LEVEL - MIN_LEVEL


def _check_level(topic_id: str, level: Any) -> int | None:
    if level is None:
        return None
    if isinstance(level, bool) or not isinstance(level, int) or not MIN_LEVEL <= level <= MAX_LEVEL:
        raise InputError(f"rating for {topic_id!r} must be 1..5 or skipped (got {level!r})")
    return level


def topic_weight(rubric: Rubric, topic: Topic) -> float:
    """The topic's weight in priorities and averages (advanced topics weigh less)."""
    return topic.effective_weight(rubric.planning.advanced_weight)


def topic_target(topic: Topic, target_level: int) -> int:
    """The level this topic should reach: the rubric's own ``target``; else the profile's
    target less the topic's ``target_offset`` (advanced topics: 1 by default), at least 1."""
    if topic.target is not None:
        return topic.target
    offset = topic.target_offset
    if offset is None:
        offset = 1 if topic.depth == "advanced" else 0
    return max(MIN_LEVEL, int(target_level) - offset)


def targets(rubric: Rubric, target_level: int) -> dict[str, int]:
    """Topic id -> target level, in rubric order."""
    return {tid: topic_target(t, target_level) for tid, t in rubric.topics.items()}


def level_used(ratings: Mapping[str, int | None], topic_id: str) -> int:
    """The level a topic is scored at: its rating, or 1 when unrated or skipped."""
    level = _check_level(topic_id, ratings.get(topic_id))
    return MIN_LEVEL if level is None else level


def gap_levels(level: int, target: int) -> int:
    """How many levels short of the target: ``max(0, target - level)``."""
    return max(0, target - level)


def topic_readiness(level: int, target: int) -> float:
    """0..1: the share of the way from level 1 to the target already covered."""
    if target <= MIN_LEVEL or level >= target:
        return 1.0
    return max(0.0, (level - MIN_LEVEL) / (target - MIN_LEVEL))
