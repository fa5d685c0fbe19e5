"""Evidence pins: practice the plan books because of past attempts and unchecked ratings.

- **Re-attempts**: a question attempted before comes back only when its spaced re-attempt is
  due (FSRS, see ``assess.evidence.practice``): on or after its due date and before the onsite,
  failed
  questions first. One due after the last study day is named in a note, not dropped silently.
- **Verification**: a topic rated at or above its target with no supporting attempt is
  *unverified*; it gets one timed practice on a question not tried yet, spread over the weeks
  after the dated screens (before a gate, the gate comes first), so the rating is checked
  before it is relied on.
- **Jumps**: a self-rating raised by 2+ with no supporting attempt (``Evidence.jump``) is
  checked first: within the next 7 days, and before any dated screen that tests its round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from assess.errors import NotFoundError
from assess.evidence.practice import Attempt, Evidence, reattempts
from assess.plan.calendar import Calendar
from assess.plan.pins import fed_rounds
from assess.plan.sessions import Mock, Unit, practice_blocks
from assess.rubric.model import Question, Rubric, Topic

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


def _first_unused(topic: Topic, used: set[str]) -> Question | None:
    """The topic's first question not yet used in the plan (a check needs a fresh one)."""
    return next((q for q in topic.questions if (q.id or "") not in used), None)


def evidence_pins(
    rubric: Rubric,
    cal: Calendar,
    attempts: Sequence[Attempt],
    evidence: Mapping[str, Evidence],
    deadlines: Mapping[str, dt.date | None],
    closed: frozenset[str],
    used: set[str],
    today: dt.date,
    notes: list[str],
) -> list[Mock]:
    """Re-attempt and verification sessions pinned to weeks (each with its earliest day)."""
    n = len(cal.capacities)
    room = [cap - (1 if any(d.kind == "light" for d in cal.days_of(w)) else 0)
            for w, cap in enumerate(cal.capacities)]
    normal = [d for d in cal.days if d.kind == "normal"]
    pins: list[Mock] = []
    late: list[str] = []

    def book(rid: str, unit: Unit, first_day: dt.date, deadline: dt.date | None,
             start: int = 0) -> bool:
        for w in [*range(start, n), *range(start)]:
            days = [d for d in normal if d.week == w and d.date >= first_day
                    and (deadline is None or d.date < deadline)]
            if days and room[w] >= unit.blocks:
                room[w] -= unit.blocks
                pins.append(Mock(rid, w, unit.pin, unit))
                return True
        return False

    for tid, ev in evidence.items():
        rid = rubric.round_of.get(tid)
        jump = getattr(ev, "jump", None)
        if jump is None or ev.status != "unverified" or rid is None or rid in closed:
            continue
        topic = rubric.topics[tid]
        question = _first_unused(topic, used)
        if question is None:
            continue
        by = min([today + dt.timedelta(days=JUMP_CHECK_DAYS),
                  *screens_testing(rubric, rid, deadlines)])
        unit = Unit(
            round=rid, topic=tid, title=topic.title, activity="practice",
            blocks=practice_blocks(question), question=question.text,
            question_id=question.id, pin="verify", not_after=by,
            detail=(f"Checks your jump from {jump.before} to {jump.after}: 75% of the "
                    "checklist inside the time box supports it."),
        )
        if book(rid, unit, today, by):
            used.add(question.id or "")
        else:
            notes.append(f"No room to check your jump on {topic.title} before "
                         f"{by:%a %d %b}: make room for {question.id} this week.")

    for item in reattempts(attempts, cal.onsite):
        try:
            topic, question = rubric.question(item.question)
        except NotFoundError:
            continue  # a question of another rubric
        rid = rubric.round_of[topic.id]
        if rid in closed:
            continue
        due = max(item.due, today)
        unit = Unit(
            round=rid, topic=topic.id, title=topic.title, activity="practice",
            blocks=practice_blocks(question), question=question.text,
            question_id=question.id or item.question, pin="reattempt",
            detail=f"Spaced re-attempt (last time: {item.last_grade.lower()}; due "
            f"{item.due:%a %d %b}): timed, no notes, then score it with `assess practice`.",
            not_before=due,
        )
        if not book(rid, unit, due, deadlines.get(rid)):
            late.append(f"{question.id or item.question} (due {item.due:%d %b})")
    if late:
        notes.append(
            "Re-attempts that fall due after your last study day, or find no room, are not "
            f"booked: {', '.join(late)}. Redo them if you have a spare hour."
        )
    verified = 0
    for tid, ev in evidence.items():
        rid = rubric.round_of.get(tid)
        if ev.status != "unverified" or rid is None or rid in closed or ev.jump is not None:
            continue
        topic = rubric.topics[tid]
        question = _first_unused(topic, used)
        if question is None:
            continue
        unit = Unit(
            round=rid, topic=tid, title=topic.title, activity="practice",
            blocks=practice_blocks(question), question=question.text,
            question_id=question.id, pin="verify",
            detail="Checks your rating: 75% of the checklist inside the time box confirms it.",
        )
        # checks wait until the dated screens are behind you: before a gate, the gate first
        first = max([today, *(d for r, d in deadlines.items() if d is not None and r != rid)])
        weeks = sorted({d.week for d in normal if d.date >= first}) or [0]
        # spread over the weeks from then on, one week after another
        if book(rid, unit, first, deadlines.get(rid), start=weeks[verified % len(weeks)]):
            used.add(question.id or "")
            verified += 1
    return pins
