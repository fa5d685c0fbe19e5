"""The weekly check-in's baseline: what "since your last check-in" compares against.

Plain functions over the store (no Click), so the flow is testable without a terminal.
"""

from __future__ import annotations

import datetime as dt
from typing import Any


def checkin_baseline(store: Any, today: dt.date) -> tuple[Any, Any, dt.date | None]:
    """(the self-assessment of the last check-in, the latest complete one, its date): a
    check-in that re-rates nothing reports only what changed since the last check-in (a
    `rate` in between), never last week's news again. Without a recorded check-in: the last
    two complete self-assessments."""
    selfs = [a for a in store.assessments("self") if a.complete and a.date <= today]
    after = selfs[-1] if selfs else None
    last = store.last_checkin(today)
    if last is not None:
        before = next((a for a in selfs if a.id == last[1]), None)
        if before is not None:
            return before, after, last[0]
    before = selfs[-2] if len(selfs) > 1 else None
    return before, after, before.date if before else None
