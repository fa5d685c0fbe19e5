"""A timed attempt on a terminal: pick the question, run the clock, mark the checklist.

Plain Python: the CLI passes in how to read a line, how to wait for Enter with a timeout, and
where to write, so the flow is the same on a real terminal and in tests. Nothing is stored
here; ``record`` returns the attempt for the caller to save once every answer is in, so an
interrupted attempt (Ctrl-C) saves nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from assess.core.textsafety import check_text, shown
from assess.errors import InputError, NotFoundError, UsageError
from assess.evidence.practice import Attempt, parse_covered, reattempts
from assess.rubric.model import Question, Rubric, Topic
from assess.store.base import MAX_NOTE_CHARS
from assess.store.practice import MAX_ATTEMPT_MINUTES


@dataclass(frozen=True)
class Pick:
    topic: Topic
    question: Question
    why: str  # "planned for today", "re-attempt due", ...


def choose(
    rubric: Rubric,
    sessions: Iterable[tuple[dt.date, str | None]],
    attempts: Sequence[Attempt],
    today: dt.date,
    question_id: str | None = None,
    topic_id: str | None = None,
) -> Pick:
    """The question to practise: ``--question``, else ``--topic``'s next one, else today's
    (or an overdue) planned practice, else a re-attempt that is due, else the plan's next."""
    if question_id is not None:
        try:
            topic, question = rubric.question(question_id)
        except NotFoundError as exc:
            raise InputError(f"--question: {exc}") from None
        return Pick(topic, question, "chosen")
    tried = {a.question for a in attempts}
    due = [r for r in reattempts(attempts) if r.due <= today]
    if topic_id is not None:
        if topic_id not in rubric.topics:
            raise InputError(f"--topic: unknown topic {topic_id[:60]!r} (see `assess rubric "
                             f"show {rubric.meta.id}`)")
        topic = rubric.topics[topic_id]
        fresh = [q for q in topic.questions if q.id not in tried]
        if fresh:
            return Pick(topic, fresh[0], "next question of the topic")
        again = [r for r in due if r.topic == topic_id]
        if again:
            return Pick(topic, rubric.question(again[0].question)[1], "re-attempt due")
        if topic.questions:
            return Pick(topic, topic.questions[0], "every question tried: once more")
        raise UsageError(f"--topic {topic_id}: the topic has no practice questions")
    planned = [(d, q) for d, q in sessions if q]
    for when, qid in sorted(planned, key=lambda p: p[0]):
        if when <= today and qid not in tried:
            topic, question = rubric.question(qid)
            return Pick(topic, question, "planned for today" if when == today else
                        f"planned for {when:%a %d %b}")
    if due:
        topic, question = rubric.question(due[0].question)
        return Pick(topic, question, f"re-attempt due {due[0].due:%a %d %b}")
    for when, qid in sorted(planned, key=lambda p: p[0]):
        if qid not in tried:
            topic, question = rubric.question(qid)
            return Pick(topic, question, f"next in your plan ({when:%a %d %b})")
    raise UsageError("nothing to practise: no planned question is left. Choose one with "
                     "--question ID or --topic ID (`assess practice --help`)")


def clock_text(seconds_left: float) -> str:
    """``12:04 left`` while inside the time box, ``+01:10 over`` after it."""
    s = int(abs(seconds_left) + (0 if seconds_left >= 0 else 0.999))
    text = f"{s // 60:02d}:{s % 60:02d}"
    return f"{text} left" if seconds_left >= 0 else f"+{text} over"


def run_clock(
    minutes: int,
    write: Callable[[str], None],
    enter_within: Callable[[float], bool],
    now: Callable[[], float] = time.monotonic,
) -> float:
    """Count down ``minutes`` on one line, updated in place each second, until Enter.

    Returns the minutes used (at least 0.1). ``enter_within(seconds)`` waits up to that long
    and says whether Enter was pressed."""
    start = now()
    box = minutes * 60.0
    while True:
        used = now() - start
        write(f"\r  {clock_text(box - used)}   (Enter stops the clock) ")
        if enter_within(1.0):
            used = now() - start
            write("\n")
            return max(0.1, round(used / 60.0, 1))


def record(
    pick: Pick,
    minutes: float,
    ask: Callable[[str], str],
    say: Callable[[str], None],
    today: dt.date,
    rater: str = "self",
) -> Attempt:
    """Show the checklist, ask which points were covered and for a note; the attempt."""
    checklist = pick.question.checklist
    if not checklist:
        raise UsageError(f"{pick.question.id}: this question has no checklist to score against")
    say("What a strong answer covers:")
    for n, point in enumerate(checklist, start=1):
        say(f"  {n}. {point}")
    while True:
        text = ask("Points you covered (numbers, e.g. 1 3 4; Enter for none)")
        try:
            covered = parse_covered(text, len(checklist), "points")
            break
        except InputError as exc:
            say(f"  {str(exc).split(': ', 1)[-1]}")
    if not 0 < minutes <= MAX_ATTEMPT_MINUTES:
        say(f"The clock ran {minutes:g} min, more than the {MAX_ATTEMPT_MINUTES} an attempt "
            "may take.")
        minutes = ask_minutes(ask, say, "Minutes the attempt really took")
    note = ask_note(ask, say)
    return Attempt(question=pick.question.id, topic=pick.topic.id, date=today,
                   minutes=minutes, covered=covered, total=len(checklist),
                   time_box=pick.question.minutes, rater=rater, note=note)


def ask_minutes(ask: Callable[[str], str], say: Callable[[str], None], prompt: str) -> float:
    """Minutes typed on a terminal: asked again until a number above 0 and at most
    ``MAX_ATTEMPT_MINUTES`` ("nan", "inf", text and negatives are refused, not coerced)."""
    import math

    while True:
        text = ask(prompt).strip()
        try:
            minutes = float(text)
        except ValueError:
            say(f"  {shown(text)} is not a number of minutes; type one, e.g. 45")
            continue
        if not math.isfinite(minutes) or not 0 < minutes <= MAX_ATTEMPT_MINUTES:
            say(f"  minutes must be more than 0 and at most {MAX_ATTEMPT_MINUTES} "
                f"(got {shown(text)})")
            continue
        return minutes


def ask_note(ask: Callable[[str], str], say: Callable[[str], None]) -> str:
    """A note for next time, asked again until it is plain text of at most
    ``MAX_NOTE_CHARS`` characters: a bad note never throws the attempt away."""
    while True:
        note = ask("A note for next time (Enter to skip)").strip()
        try:
            return check_text(note, "note", multiline=True, max_chars=MAX_NOTE_CHARS)
        except InputError as exc:
            say(f"  {str(exc).split(': ', 1)[-1]}; type it again (Enter to skip)")


def summary(attempt: Attempt, due: dt.date | None) -> str:
    words = {"Again": "try it again soon", "Hard": "a hard one", "Good": "good",
             "Easy": "easy: well done"}
    text = f"Saved: {attempt.summary()} ({words[attempt.grade]})."
    if due is not None:
        text += f" Next attempt due {due:%a %d %b}."
    return text
