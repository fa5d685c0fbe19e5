"""The plan's sessions: the dated units of a week, merged and given ids.

Two units of the same topic, activity and detail on one day become one session of up to
2 h; each session gets an id from its date, topic and activity.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from assess.plan.model import Session
from assess.plan.sessions import Unit


def _sessions(dated: list[tuple[dt.date, int, Unit]]) -> tuple[Session, ...]:
    out: list[Session] = []
    merged: list[tuple[dt.date, Unit]] = []
    for date, _, unit in dated:
        if merged:
            pdate, prev = merged[-1]
            if (pdate == date and not prev.fixed and not unit.fixed and prev.pin == unit.pin
                    and (prev.round, prev.topic, prev.activity, prev.detail)
                    == (unit.round, unit.topic, unit.activity, unit.detail)
                    and prev.blocks + unit.blocks <= 4):
                merged[-1] = (date, replace(prev, blocks=prev.blocks + unit.blocks))
                continue
        merged.append((date, unit))
    seen: dict[str, int] = {}
    for date, unit in merged:
        base = f"{date:%Y%m%d}-{unit.topic}-{unit.activity}"
        seen[base] = seen.get(base, 0) + 1
        sid = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(Session(
            round=unit.round, topic=unit.topic, title=unit.title, blocks=unit.blocks,
            activity=unit.activity, question=unit.question, question_id=unit.question_id,
            date=date, detail=unit.detail, id=sid, kind=unit.pin,
        ))
    return tuple(out)
