"""History as data and as a terminal table: every assessment with its readiness, and the trend.

Readiness is computed against each assessment's own rubric snapshot, so an old entry reads the
same after the rubric file changes. No Click here.
"""

from __future__ import annotations

from typing import Any

from assess.plan.view import bar
from assess.rubric.profile import DEFAULT_TARGET_LEVEL, Profile
from assess.store import Assessment, Store

DIGITS = 4


def target_level_of(profile: Profile | None) -> int:
    return profile.target_level if profile is not None else DEFAULT_TARGET_LEVEL


def history_rows(
    store: Store, target_level: int, rater: str | None = None
) -> list[dict[str, Any]]:
    """The list for ``assess history --json``: oldest first, one dict per assessment."""
    from assess.evidence.scoring import readiness_series

    rows = []
    every = store.assessments()  # the rule reads earlier ratings, whoever the rows are for
    snaps = {a.id: store.rubric_snapshot(a.id) for a in every}
    scored = dict(zip((a.id for a in every), readiness_series(
        ((a.rater, a.complete, a.ratings, snaps[a.id]) for a in every), target_level),
        strict=True))
    for assessment in every:
        if rater is not None and assessment.rater != rater:
            continue
        rubric = snaps[assessment.id]
        rows.append(
            {
                "id": assessment.id,
                "date": assessment.date.isoformat(),
                "rater": assessment.rater,
                "complete": assessment.complete,
                "finished": assessment.finished,
                "readiness": round(scored[assessment.id], DIGITS),
                "ratings": dict(assessment.ratings),
                "notes": dict(assessment.notes),
                "comment": assessment.comment,
                "rater_name": assessment.rater_name,
                "scope": assessment.scope,
                "rubric": assessment.rubric_id,
                "rubric_version": assessment.rubric_version,
                "topics": len(rubric.topics),
            }
        )
    return rows




def trend_line(rows: list[dict[str, Any]], rater: str = "self") -> str | None:
    """``Trend (self, complete assessments): 32% -> 45% -> 58%, +26 points since 2026-11-01.``"""
    points = [r for r in rows if r["rater"] == rater and r["complete"]]
    if not points:
        return None
    values = " -> ".join(f"{r['readiness']:.0%}" for r in points[-8:])
    if len(points) > 8:
        values = "... -> " + values
    if len(points) == 1:
        return f"Trend ({rater}): {values}, one complete assessment so far."
    change = round((points[-1]["readiness"] - points[0]["readiness"]) * 100)
    return (
        f"Trend ({rater}): {values}, {change:+d} points since {points[0]['date']} "
        f"over {len(points)} complete assessments."
    )


def history_table(rows: list[dict[str, Any]]) -> str:
    """A readable table of the rows from ``history_rows``, with the trend underneath."""
    lines = [f"{'id':>4}  {'date':<10}  {'rater':<6}  {'state':<10}  {'answered':>8}  readiness"]
    for r in rows:
        answered = sum(1 for _ in r["ratings"])
        state = "complete" if r["complete"] else ("open" if not r["finished"] else "incomplete")
        scope = f"  round {r['scope']}" if r["scope"] else ""
        count = f"{answered}/{r['topics']}"
        lines.append(
            f"{r['id']:>4}  {r['date']:<10}  {r['rater']:<6}  {state:<10}  "
            f"{count:>8}  {r['readiness']:4.0%} {bar(r['readiness'])}{scope}"
        )
    for rater in ("self", "mentor"):
        line = trend_line(rows, rater)
        if line:
            lines.append(line)
    return "\n".join(lines)


def answered_in_scope(store: Store, assessment: Assessment) -> tuple[int, int]:
    """(answered, asked) for the topics this assessment's run asks about."""
    rubric = store.rubric_snapshot(assessment.id)
    rounds = [rubric.round(assessment.scope)] if assessment.scope else list(rubric.rounds)
    asked = [t.id for r in rounds for t in r.topics]
    return sum(1 for t in asked if t in assessment.ratings), len(asked)
