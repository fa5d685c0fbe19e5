"""Scoring: targets, gaps, priorities, readiness, effective ratings and calibration.

Pure functions of a rubric and ratings; no I/O. The definitions, all on the 1..5 scale:

- **level used**: the topic's rating; an unrated or skipped topic counts as level 1 (and is
  listed as skipped, never silently dropped).
- **target**: the topic's own ``target`` in the rubric, else the profile's target level less
  the topic's ``target_offset``: advanced ("less common") topics aim one level lower unless the
  rubric says otherwise; never below 1.
- **gap** (levels): ``max(0, target - level)``. **Normalised gap**: ``gap / 4`` (4 is the widest
  possible gap on the scale), so 0..1 and comparable across topics whatever their target.
- **priority**: ``normalised gap x topic weight x round weight``. The topic weight is the
  rubric's explicit weight, else 1 for core topics and ``planning.advanced_weight`` (default
  0.5) for advanced ones.
- **topic readiness**: the share of the way from level 1 to the target that is covered,
  ``1 - gap / (target - 1)`` (1.0 when the target is 1 or met).
- **round readiness**: topic readiness averaged with topic weights.
- **criterion readiness**: round readiness averaged with ``round weight x criterion weight``
  over the rounds that assess the criterion (criteria no round assesses are left out).
- **overall readiness**: round readiness averaged with round weights.

Effective ratings combine the latest complete self-assessment with the mentor's standing
ratings. A mentor's latest rating of a topic stays in force until the mentor rates that topic
again; a later self check-in does not end it. Per topic, the lower of the two is used and
marked ``source = "mentor"``; where the candidate skipped a topic the mentor rated, the
mentor's rating is used. A self-rating above a standing mentor rating is **disputed**: it
would take effect only with evidence (a supporting practice attempt after the mentor's date),
and until then the plan uses the mentor's.

Calibration compares self and mentor per topic: a difference of 1 is "worth a chat", 2 or more
is a "disconnect", with the direction (self above mentor is over-confident).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any, Literal

from assess.errors import InputError
from assess.evidence.levels import (  # noqa: F401
    MAX_GAP,
    MAX_LEVEL,
    MIN_LEVEL,
    _check_level,
    gap_levels,
    level_used,
    targets,
    topic_readiness,
    topic_target,
    topic_weight,
)
from assess.rubric.model import Rubric

DIGITS = 4  # readiness, priorities and shares are rounded to this many decimals in output

Source = Literal["self", "mentor", "unrated", "evidence"]


@dataclass(frozen=True)
class TopicScore:
    """Everything scoring knows about one topic."""

    topic: str
    round: str
    title: str
    depth: str
    weight: float  # topic weight (advanced topics weigh less)
    round_weight: float
    rating: int | None  # the effective rating; None when unrated or skipped
    level: int  # the level used for scoring (1 when unrated)
    target: int
    gap: int  # levels short of target
    gap_norm: float  # gap / 4
    priority: float  # gap_norm x weight x round_weight
    readiness: float
    source: Source

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "round": self.round,
            "title": self.title,
            "depth": self.depth,
            "rating": self.level,
            "rated": self.rating is not None,
            "target": self.target,
            "gap": self.gap,
            "priority": round(self.priority, DIGITS),
            "readiness": round(self.readiness, DIGITS),
            "source": self.source,
        }


@dataclass(frozen=True)
class Scores:
    """Scores of one set of ratings against one rubric and target."""

    topics: dict[str, TopicScore]  # rubric order
    rounds: dict[str, float]  # round id -> readiness, rubric order
    round_gaps: dict[str, float]  # round id -> weighted mean normalised gap (0..1)
    criteria: dict[str, float]  # criterion id -> readiness, rubric order
    overall: float
    target_level: int

    @property
    def gaps(self) -> list[TopicScore]:
        """Every topic with a gap, biggest first (priority, then gap, then rubric order)."""
        order = {tid: i for i, tid in enumerate(self.topics)}
        with_gap = [t for t in self.topics.values() if t.gap > 0]
        return sorted(with_gap, key=lambda t: (-round(t.priority, 12), -t.gap, order[t.topic]))

    @property
    def skipped(self) -> list[str]:
        """Topics without a rating (skipped or never rated), scored at level 1; rubric order."""
        return [t.topic for t in self.topics.values() if t.rating is None]

    @property
    def mentor_marked(self) -> list[str]:
        """Topics whose effective rating is the mentor's lower one."""
        return [t.topic for t in self.topics.values() if t.source == "mentor"]

    def readiness_json(self) -> dict[str, Any]:
        return {
            "overall": round(self.overall, DIGITS),
            "rounds": {k: round(v, DIGITS) for k, v in self.rounds.items()},
            "criteria": {k: round(v, DIGITS) for k, v in self.criteria.items()},
            "topics": {k: round(t.readiness, DIGITS) for k, t in self.topics.items()},
        }


def _weighted_mean(pairs: Iterable[tuple[float, float]]) -> float:
    total = weight = 0.0
    for value, w in pairs:
        total += value * w
        weight += w
    return total / weight if weight > 0 else 0.0


def score(
    rubric: Rubric,
    ratings: Mapping[str, int | None],
    target_level: int,
    sources: Mapping[str, Source] | None = None,
) -> Scores:
    """Score ratings (topic id -> level, None = skipped) against a rubric and target level.

    Topics missing from ``ratings`` count as unrated (level 1). Ratings for topics the rubric
    does not know are ignored. ``sources`` marks where each effective rating came from.
    """
    if not MIN_LEVEL <= int(target_level) <= MAX_LEVEL:
        raise InputError(f"target level must be 1..5 (got {target_level!r})")
    topics: dict[str, TopicScore] = {}
    rounds: dict[str, float] = {}
    round_gaps: dict[str, float] = {}
    for rnd in rubric.rounds:
        for topic in rnd.topics:
            rating = _check_level(topic.id, ratings.get(topic.id))
            level = MIN_LEVEL if rating is None else rating
            target = topic_target(topic, target_level)
            gap = gap_levels(level, target)
            weight = topic_weight(rubric, topic)
            gap_norm = gap / MAX_GAP
            source: Source = (
                "unrated" if rating is None else (sources or {}).get(topic.id, "self")
            )
            topics[topic.id] = TopicScore(
                topic=topic.id,
                round=rnd.id,
                title=topic.title,
                depth=topic.depth,
                weight=weight,
                round_weight=rnd.weight,
                rating=rating,
                level=level,
                target=target,
                gap=gap,
                gap_norm=gap_norm,
                priority=gap_norm * weight * rnd.weight,
                readiness=topic_readiness(level, target),
                source=source,
            )
        members = [topics[t.id] for t in rnd.topics]
        rounds[rnd.id] = _weighted_mean((t.readiness, t.weight) for t in members)
        round_gaps[rnd.id] = _weighted_mean((t.gap_norm, t.weight) for t in members)
    overall = _weighted_mean((rounds[r.id], r.weight) for r in rubric.rounds)
    criteria: dict[str, float] = {}
    for crit in rubric.criteria:
        pairs = [(rounds[r.id], r.weight * r.criteria[crit.id]) for r in rubric.rounds
                 if crit.id in r.criteria]
        if not pairs:
            continue
        if sum(w for _, w in pairs) <= 0:  # every round assessing it has weight 0
            pairs = [(rounds[r.id], r.criteria[crit.id]) for r in rubric.rounds
                     if crit.id in r.criteria]
        criteria[crit.id] = _weighted_mean(pairs)
    return Scores(
        topics=topics,
        rounds=rounds,
        round_gaps=round_gaps,
        criteria=criteria,
        overall=overall,
        target_level=int(target_level),
    )


def round_readiness(
    rubric: Rubric, ratings: Mapping[str, int | None], target_level: int
) -> dict[str, float]:
    """Round id -> readiness 0..1 (unrated and skipped topics count at level 1)."""
    return dict(score(rubric, ratings, target_level).rounds)


def overall_readiness(
    rubric: Rubric, ratings: Mapping[str, int | None], target_level: int
) -> float:
    """Overall readiness 0..1: round readiness weighted by round weight."""
    return score(rubric, ratings, target_level).overall


def criterion_readiness(
    rubric: Rubric, ratings: Mapping[str, int | None], target_level: int
) -> dict[str, float]:
    """Criterion id -> readiness 0..1, through the rubric's round -> criteria weights."""
    return dict(score(rubric, ratings, target_level).criteria)


def priorities(
    rubric: Rubric, ratings: Mapping[str, int | None], target_level: int
) -> dict[str, float]:
    """Topic id -> priority (normalised gap x topic weight x round weight), rubric order."""
    return {k: t.priority for k, t in score(rubric, ratings, target_level).topics.items()}


# ----- effective ratings ------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveRating:
    """The rating a topic is planned with, and where it came from."""

    topic: str
    level: int | None  # None: unrated by both
    self_level: int | None
    mentor_level: int | None
    source: Source  # "mentor" when the mentor's (lower) rating is the one used
    mentor_date: dt.date | None = None  # when the standing mentor rating was given
    disputed: bool = False  # self above a standing mentor rating, without evidence yet

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "level": self.level,
            "self": self.self_level,
            "mentor": self.mentor_level,
            "source": self.source,
            "mentor_date": self.mentor_date.isoformat() if self.mentor_date else None,
            "disputed": self.disputed,
        }


def latest_levels(assessments: Iterable[Mapping[str, int | None]]) -> dict[str, int]:
    """The newest non-skipped level per topic over ratings given oldest first."""
    out: dict[str, int] = {}
    for ratings in assessments:
        for topic_id, level in ratings.items():
            if level is not None:
                out[topic_id] = level
    return out


def standing_levels(
    assessments: Iterable[tuple[dt.date, Mapping[str, int | None]]],
) -> tuple[dict[str, int], dict[str, dt.date]]:
    """The mentor's standing rating per topic and the day it was given, over (date, ratings)
    pairs oldest first: the newest non-skipped level of each topic stays in force until the
    mentor rates that topic again (a skipped or blank topic leaves the standing one alone)."""
    levels: dict[str, int] = {}
    dates: dict[str, dt.date] = {}
    for day, ratings in assessments:
        for topic_id, level in ratings.items():
            if level is not None:
                levels[topic_id] = level
                dates[topic_id] = day
    return levels, dates


def effective_ratings(
    rubric: Rubric,
    self_ratings: Mapping[str, int | None],
    mentor_ratings: Mapping[str, int | None] | None = None,
    mentor_dates: Mapping[str, dt.date] | None = None,
) -> dict[str, EffectiveRating]:
    """Per topic (rubric order): the lower of self and mentor, marked when the mentor's is used.

    ``mentor_ratings`` are the mentor's standing ratings (see ``standing_levels``), whatever
    their date against the self-assessment; a topic the candidate skipped takes the mentor's
    rating. A self-rating above the mentor's is marked ``disputed`` and is not used: evidence
    (a supporting practice attempt after ``mentor_dates[topic]``) is what would lift it.
    """
    mentor_ratings = mentor_ratings or {}
    mentor_dates = mentor_dates or {}
    out: dict[str, EffectiveRating] = {}
    for topic_id in rubric.topics:
        mine = _check_level(topic_id, self_ratings.get(topic_id))
        theirs = _check_level(topic_id, mentor_ratings.get(topic_id))
        level: int | None
        source: Source
        if mine is None and theirs is None:
            level, source = None, "unrated"
        elif theirs is None:
            level, source = mine, "self"
        elif mine is None or theirs < mine:
            level, source = theirs, "mentor"
        else:
            level, source = mine, "self"
        disputed = mine is not None and theirs is not None and mine > theirs
        out[topic_id] = EffectiveRating(topic_id, level, mine, theirs, source,
                                        mentor_dates.get(topic_id) if theirs else None,
                                        disputed)
    return out


def with_evidence(
    effective: Mapping[str, EffectiveRating],
    evidence: Mapping[str, Any],
    supported: Mapping[str, dt.date] | None = None,
) -> dict[str, EffectiveRating]:
    """Effective ratings with attempts taken into account (rules in ``assess.evidence.practice``):

    - a self-rating disputed by a standing mentor rating takes effect once an attempt that
      supports it (``supported``: topic id -> its latest date) comes after the mentor's date;
    - a topic whose recent attempt contradicts its rating is planned one level lower, marked
      ``evidence``, until it is rated again.
    """
    supported = supported or {}
    out = dict(effective)
    for topic_id, current in effective.items():
        when = supported.get(topic_id)
        if (current.disputed and current.self_level is not None and when is not None
                and current.mentor_date is not None and when > current.mentor_date):
            out[topic_id] = replace(current, level=current.self_level, source="self",
                                    disputed=False)
    for topic_id, ev in evidence.items():
        used = getattr(ev, "level_used", None)
        current = out.get(topic_id)
        if used is not None and current is not None and current.level is not None \
                and used < current.level:
            out[topic_id] = replace(current, level=max(MIN_LEVEL, used), source="evidence")
    return out


def readiness_series(
    items: Iterable[tuple[str, bool, Mapping[str, int | None], Rubric]], target_level: int
) -> list[float]:
    """The one readiness rule for every assessment in a history (oldest first), as
    ``assess history``, ``assess rate`` and the report's trend all show it.

    A self-assessment is scored on its own ratings. A mentor's assessment (often partial) is
    scored on the mentor's standing ratings (this one's, and earlier ones' on topics it leaves
    out) where they exist and the candidate's latest complete self-ratings elsewhere, so an
    unrated topic never counts as level 1 just because the mentor did not rate it.
    ``items``: (rater, complete, ratings, the rubric it was rated against).
    """
    out: list[float] = []
    last_self: dict[str, int | None] = {}
    standing: dict[str, int] = {}
    for rater, complete, ratings, rubric in items:
        if rater == "self":
            if complete:
                last_self = dict(ratings)
            out.append(score(rubric, ratings, target_level).overall)
            continue
        standing.update({k: v for k, v in ratings.items() if v is not None})
        merged = {**last_self, **{k: v for k, v in standing.items() if k in rubric.topics}}
        out.append(score(rubric, merged, target_level).overall)
    return out


def score_effective(
    rubric: Rubric, effective: Mapping[str, EffectiveRating], target_level: int
) -> Scores:
    """Score effective ratings, keeping their source marks."""
    return score(
        rubric,
        {k: e.level for k, e in effective.items()},
        target_level,
        sources={k: e.source for k, e in effective.items()},
    )


# ----- calibration ------------------------------------------------------------------------------

Verdict = Literal["agree", "worth a chat", "disconnect"]
Direction = Literal["aligned", "over-confident", "under-confident"]


@dataclass(frozen=True)
class Calibration:
    """Self vs mentor on one topic both have rated."""

    topic: str
    round: str
    title: str
    self_level: int
    mentor_level: int
    diff: int  # self - mentor
    verdict: Verdict
    direction: Direction

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "round": self.round,
            "title": self.title,
            "self": self.self_level,
            "mentor": self.mentor_level,
            "diff": self.diff,
            "verdict": self.verdict,
            "direction": self.direction,
        }


def verdict_of(diff: int) -> Verdict:
    """0 agree, 1 "worth a chat", 2 or more "disconnect" (either way)."""
    size = abs(diff)
    if size == 0:
        return "agree"
    return "worth a chat" if size == 1 else "disconnect"


def direction_of(diff: int) -> Direction:
    """Self above mentor is over-confident; below is under-confident."""
    if diff == 0:
        return "aligned"
    return "over-confident" if diff > 0 else "under-confident"


def calibration(
    rubric: Rubric,
    self_ratings: Mapping[str, int | None],
    mentor_ratings: Mapping[str, int | None],
) -> list[Calibration]:
    """One row per topic both rated, in rubric order."""
    rows: list[Calibration] = []
    for rnd in rubric.rounds:
        for topic in rnd.topics:
            mine = _check_level(topic.id, self_ratings.get(topic.id))
            theirs = _check_level(topic.id, mentor_ratings.get(topic.id))
            if mine is None or theirs is None:
                continue
            diff = mine - theirs
            rows.append(
                Calibration(
                    topic=topic.id,
                    round=rnd.id,
                    title=topic.title,
                    self_level=mine,
                    mentor_level=theirs,
                    diff=diff,
                    verdict=verdict_of(diff),
                    direction=direction_of(diff),
                )
            )
    return rows


def calibration_summary(rows: Iterable[Calibration]) -> dict[str, int]:
    """Counts per verdict and direction (agree, worth a chat, disconnect, over/under)."""
    out = {"topics": 0, "agree": 0, "worth a chat": 0, "disconnect": 0,
           "over-confident": 0, "under-confident": 0}
    for row in rows:
        out["topics"] += 1
        out[row.verdict] += 1
        if row.direction != "aligned":
            out[row.direction] += 1
    return out
