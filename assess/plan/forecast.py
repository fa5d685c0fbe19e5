"""Forecasts: the readiness to expect on each stage date, and what a lower target would mean."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from assess.evidence.scoring import Scores
from assess.plan.calendar import StageInfo
from assess.plan.model import LowerTarget, StageForecast, Week
from assess.rubric.model import Rubric


def expected(
    rubric: Rubric, scores: Scores, rounds: Sequence[str], hours: Mapping[str, float]
) -> tuple[float, float]:
    """(readiness now, readiness expected) of some rounds, given topic hours before a date."""
    hpl = rubric.planning.hours_per_level
    now_pairs, exp_pairs = [], []
    for rid in rounds:
        rnd = rubric.round(rid)
        now_t, exp_t = [], []
        for topic in rnd.topics:
            sc = scores.topics[topic.id]
            # the forecast rule: each hour on a topic moves it 1/hours_per_level of a level,
            # up to its target; readiness is linear in the level, so partial progress counts
            reached = min(float(sc.target), sc.level + hours.get(topic.id, 0.0) / hpl)
            now_t.append((sc.readiness, sc.weight))
            exp_t.append((_readiness(reached, sc.target), sc.weight))
        now_pairs.append((_mean(now_t), rnd.weight))
        exp_pairs.append((_mean(exp_t), rnd.weight))
    return _mean(now_pairs), _mean(exp_pairs)


def _readiness(level: float, target: int) -> float:
    if target <= 1 or level >= target:
        return 1.0
    return max(0.0, (level - 1) / (target - 1))


def _mean(pairs: Sequence[tuple[float, float]]) -> float:
    total = sum(w for _, w in pairs)
    if total <= 0:
        return sum(v for v, _ in pairs) / len(pairs) if pairs else 1.0
    return sum(v * w for v, w in pairs) / total


def stage_forecasts(
    rubric: Rubric, scores: Scores, stages: Sequence[StageInfo], weeks: Sequence[Week],
    today: dt.date, onsite_passed: bool,
) -> tuple[StageForecast, ...]:
    out = []
    sessions = [s for w in weeks for s in w.sessions]
    known = {r.id for r in rubric.rounds}
    for st in stages:
        rounds = tuple(r for r in st.rounds if r in known)
        cutoff = st.date
        topic_hours: dict[str, float] = {}
        round_hours_: dict[str, float] = {}
        for s in sessions:
            if cutoff is not None and s.date is not None and s.date >= cutoff:
                continue
            topic_hours[s.topic] = topic_hours.get(s.topic, 0.0) + s.hours
            if s.round in rounds:
                round_hours_[s.round] = round_hours_.get(s.round, 0.0) + s.hours
        now = exp = None
        if rounds:
            now, exp = expected(rubric, scores, rounds, topic_hours)
        status = st.status(today)
        if st.onsite and onsite_passed:
            status = "past"
        out.append(StageForecast(st.id, st.title, st.date, status, rounds, now, exp,
                                 {r: round_hours_.get(r, 0.0) for r in rounds}))
    return tuple(out)


def lower_target(
    rubric: Rubric, scores: Scores, available: float, closed: frozenset[str]
) -> LowerTarget | None:
    level = scores.target_level - 1
    if level < 1:
        return None
    hpl = rubric.planning.hours_per_level
    need = sum(max(0, max(1, t.target - 1) - t.level) * hpl for t in scores.topics.values()
               if t.round not in closed)
    labels = {lv.level: lv.label for lv in rubric.scale}
    ready = rubric.planning.default_target
    meaning = f"level {level}, {labels.get(level, '')}".rstrip(", ")
    if level < ready:
        meaning += f": below {labels.get(ready, f'level {ready}').lower()}"
    return LowerTarget(level, labels.get(level, ""), meaning, need, need <= available + 1e-9)


