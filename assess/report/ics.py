"""The plan as iCalendar: one event per study session, updated in place on re-export.

* A session's UID comes from the data home's calendar id (random, made once, kept in the
  store) and the session's slot in the plan: the planner's session id when it gives one,
  else its round, topic, activity and practice question with a count for repeats. Never from
  the profile name, so renaming changes no UID.
* The store records every exported event (``calendar_exports``). On re-export a surviving
  session keeps its UID; if its time or text changed, its SEQUENCE goes up by one. A session
  exported before and gone from the plan now comes out with ``STATUS:CANCELLED`` (and a raised
  SEQUENCE), so a calendar that imported the earlier file drops it. Past sessions (before the
  plan's date) are history: neither re-sent nor cancelled.
* ``calendar`` is a pure function of (context, calendar id, earlier exports); the store work
  is the caller's.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from assess.report.context_common import Context
from assess.report.formatting import _day

DEFAULT_OWNER = "assess"  # UIDs when no data home is involved (a sample, a test)
CONFIRMED = "CONFIRMED"
CANCELLED = "CANCELLED"


@dataclass(frozen=True)
class Exported:
    """One event as last exported."""

    uid: str
    start: str  # ISO local date-time
    end: str
    summary: str
    description: str
    category: str
    sequence: int = 0
    status: str = CONFIRMED

    def same_event(self, other: Exported) -> bool:
        return (self.start, self.end, self.summary, self.description, self.category,
                self.status) == (other.start, other.end, other.summary, other.description,
                                 other.category, other.status)


def _hours(value: Any) -> str:
    return f"{round(float(value), 2):g} h"


def _study_time(ctx: Context) -> dt.time:
    try:
        return dt.time.fromisoformat(ctx["candidate"]["study_time"])
    except (KeyError, TypeError, ValueError):
        return dt.time(19, 0)


def schedule_sessions(ctx: Context) -> list[dict[str, Any]]:
    """Give every session a day and a start time.

    A session that the plan dated keeps its date. Otherwise a week's sessions are spread over
    its days in order: each day takes about its share of the hours left, starting at the
    profile's study time, sessions back to back. Days on or after the interview are not used
    when there are others. Deterministic.
    """
    start_time = _study_time(ctx)
    interview = _day(ctx["interview"]["date"])
    slots: list[dict[str, Any]] = []
    for week in ctx["weeks"]:
        first, last = _day(week["start"]), _day(week["end"])
        assert first is not None and last is not None
        days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
        if interview is not None and any(d < interview for d in days):
            days = [d for d in days if d < interview]
        days = days or [first]
        left = sum(s["hours"] for s in week["sessions"] if _day(s.get("date")) is None)
        used: dict[dt.date, float] = {}
        day_index = 0
        for number, session in enumerate(week["sessions"]):
            fixed = _day(session.get("date"))
            if fixed is not None:
                day = fixed
            else:
                # each day takes about its share of what is left of the week
                while (
                    day_index < len(days) - 1
                    and used.get(days[day_index], 0.0) > 0
                    and used[days[day_index]] + session["hours"]
                    > left / (len(days) - day_index) + 0.25
                ):
                    left -= used[days[day_index]]
                    day_index += 1
                day = days[day_index]
            offset = used.get(day, 0.0)
            used[day] = offset + session["hours"]
            begin = dt.datetime.combine(day, start_time) + dt.timedelta(
                minutes=round(offset * 60))
            end = begin + dt.timedelta(minutes=max(15, round(session["hours"] * 60)))
            slots.append({"week": week["index"], "number": number + 1, "start": begin,
                          "end": end, "session": session})
    return slots


def slot_key(session: Mapping[str, Any], seen: dict[str, int]) -> str:
    """The session's place in the plan, independent of its date and of the profile name."""
    if session.get("id"):
        return f"id:{session['id']}"
    base = "|".join(str(session.get(k) or "") for k in ("round", "topic", "activity"))
    base += "|" + str(session.get("question_id") or session.get("question") or "")
    seen[base] = seen.get(base, 0) + 1
    return f"{base}|{seen[base]}"


def uid_for(owner: str, key: str) -> str:
    digest = hashlib.sha256(f"{owner}|{key}".encode()).hexdigest()[:32]
    return f"{digest}@assess"


def plan_events(ctx: Context, owner: str) -> list[Exported]:
    """The plan's sessions as events (sequence 0), in plan order."""
    events = []
    seen: dict[str, int] = {}
    for slot in schedule_sessions(ctx):
        s = slot["session"]
        activity = str(s["activity"]).capitalize()
        summary = f"{activity}: {s['topic_title']}" if s["topic_title"] else activity
        lines = [
            f"Week {slot['week']}, session {slot['number']}: {s['round_title']}, "
            f"{_hours(s['hours'])}.",
        ]
        if s.get("question"):
            lines.append(f"Practise: {s['question']}")
        lines.append(f"Plan from {ctx['rubric']['title']}.")
        events.append(Exported(
            uid=uid_for(owner, slot_key(s, seen)),
            start=slot["start"].isoformat(),
            end=slot["end"].isoformat(),
            summary=f"{summary} (interview prep)",
            description="\n".join(lines),
            category=str(s["round_title"] or s["round"]),
        ))
    return events


def reconcile(events: list[Exported], previous: Mapping[str, Exported],
              today: dt.date) -> list[Exported]:
    """This export's events: current ones with their sequence, then the cancellations."""
    out: list[Exported] = []
    current = set()
    for event in events:
        current.add(event.uid)
        before = previous.get(event.uid)
        if before is None:
            out.append(event)
        elif before.same_event(event):
            out.append(replace(event, sequence=before.sequence))
        else:
            out.append(replace(event, sequence=before.sequence + 1))
    gone = [e for uid, e in sorted(previous.items()) if uid not in current]
    for before in sorted(gone, key=lambda e: (e.start, e.uid)):
        if dt.datetime.fromisoformat(before.start).date() < today:
            continue  # history, not a cancellation
        if before.status == CANCELLED:
            out.append(before)
        else:
            out.append(replace(before, status=CANCELLED, sequence=before.sequence + 1))
    return out


def calendar(ctx: Context, owner: str,
             previous: Mapping[str, Exported]) -> tuple[bytes, list[Exported]]:
    """The iCalendar bytes and the events to record as exported."""
    from icalendar import Calendar, Event

    from assess.report.formatting import document_datetime

    today = dt.date.fromisoformat(ctx["date"])
    events = reconcile(plan_events(ctx, owner), previous, today)
    stamp = document_datetime(ctx)
    cal = Calendar()
    cal.add("prodid", "-//assess//interview study plan//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", f"Study plan: {ctx['candidate']['name']}")
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", dt.datetime.fromisoformat(e.start))
        event.add("dtend", dt.datetime.fromisoformat(e.end))
        event.add("sequence", e.sequence)
        event.add("status", e.status)
        event.add("summary", e.summary)
        event.add("description", e.description)
        event.add("categories", [e.category])
        event.add("transp", "TRANSPARENT" if e.status == CANCELLED else "OPAQUE")
        cal.add_component(event)
    return bytes(cal.to_ical()), events
