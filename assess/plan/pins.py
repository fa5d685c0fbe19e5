"""Pins: what the calendar fixes before the hours are spread. Each round's deadline and the
blocks it may use per week, and the mock interviews booked for given weeks (a baseline in week
1, a mock screen before each dated screen, a final mock per onsite round before the onsite).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping, Sequence

from assess.plan.calendar import UNDATED_SCREEN_DAYS, StageInfo
from assess.rubric.model import Round, Rubric

KIND_ORDER = ("design", "coding", "theory", "behavioral")
MOCK_FINAL_DAYS = range(2, 8)  # final mocks fall 2 to 7 days before the onsite


def round_kind(rnd: Round) -> str:
    """The kind most of the round's questions are (design, coding, theory, behavioral)."""
    counts = Counter(q.kind for t in rnd.topics for q in t.questions)
    if not counts:
        return "theory"
    return max(KIND_ORDER, key=lambda k: (counts[k], -KIND_ORDER.index(k)))


def round_deadlines(
    rubric: Rubric,
    by_round: Mapping[str, StageInfo | None],
    closed: frozenset[str],
    today: dt.date,
    horizon_end: dt.date,
    notes: list[str],
) -> dict[str, dt.date | None]:
    """Round id -> the date its sessions must come before (None: the end of the plan)."""
    out: dict[str, dt.date | None] = {}
    undated: list[StageInfo] = []
    for rnd in rubric.rounds:
        stage = by_round[rnd.id]
        out[rnd.id] = None
        if rnd.id in closed or (stage is not None and stage.onsite):
            continue
        if stage is not None and stage.date is not None:
            out[rnd.id] = stage.date if stage.date < horizon_end else None
        elif rnd.stage == "screen" and stage is not None:
            out[rnd.id] = min(horizon_end, today + dt.timedelta(days=UNDATED_SCREEN_DAYS))
            if stage is not None and stage not in undated:
                undated.append(stage)
    for stage in undated:
        notes.append(
            f"No date for the {stage.title} yet, so the plan treats it as coming in week 1 "
            f"(screens usually come first): its topics get hours there only if they are worth "
            f"them (see not this time). Set it with "
            f"`assess init --stage-date {stage.id}=YYYY-MM-DD`, or "
            f"`assess stage done {stage.id}` once it is behind you."
        )
    return out


def fed_rounds(rubric: Rubric, screen: Round, onsite_ids: Sequence[str]) -> tuple[str, ...]:
    """Onsite rounds a screen also tests: their main kind is among the screen's question kinds."""
    kinds = {q.kind for t in screen.topics for q in t.questions} - {"behavioral", "design"}
    return tuple(rid for rid in onsite_ids if round_kind(rubric.round(rid)) in kinds)
