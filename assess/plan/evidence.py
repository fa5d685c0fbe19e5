"""When a self-rating's jump must be checked: within ``JUMP_CHECK_DAYS`` and before any dated
screen that tests its round. The checks themselves, the spaced re-attempts and the checks of
unverified ratings are pinned by ``assess.plan.grid.evidence_units``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from assess.plan.pins import fed_rounds
from assess.rubric.model import Rubric

JUMP_CHECK_DAYS = 7


def screens_testing(rubric: Rubric, rid: str, deadlines: Mapping[str, dt.date | None]
                    ) -> list[dt.date]:
    """Dates of the open, dated screens that test round ``rid`` (its own, or one it feeds)."""
    out = []
    for r in rubric.rounds:
        day = deadlines.get(r.id)
        if day is not None and (r.id == rid or rid in fed_rounds(rubric, r, [rid])):
            out.append(day)
    return out
