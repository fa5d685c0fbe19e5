"""The answers model: what a rating file or form holds, and its full validation.

Shared by the YAML reader (``answers``) and the PDF form reader (``pdf_answers``)."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from assess.core.bounds import EARLIEST
from assess.core.textsafety import shown, unsafe_character
from assess.errors import AnswersError
from assess.rubric.model import Rubric
from assess.stories.star import Story

FIELDS = ("rubric", "rater", "date", "ratings", "notes", "hours", "practice", "stories")
PRACTICE_FIELDS = ("question", "minutes", "covered", "rater", "date", "note")
RATERS = ("self", "mentor")
MAX_NOTE_CHARS = 2000
MAX_HOURS_SINCE_CHECKIN = 168.0  # a week of every hour


@dataclass(frozen=True)
class Answers:
    """A validated answers file."""

    label: str
    rubric: str | None
    rater: str | None
    date: dt.date | None
    ratings: dict[str, int | None]  # topic id -> level, None = skipped
    notes: dict[str, str] = field(default_factory=dict)
    hours: dict[str, float] = field(default_factory=dict)  # round id -> hours (> 0 only)
    practice: tuple[Any, ...] = ()  # practice.Attempt, checked against their checklists
    stories: tuple[Story, ...] = ()  # STAR stories, checked as `story add --from` checks them
    comment: str = ""  # a mentor's overall comment (from a PDF form)
    rater_name: str = ""  # the mentor's name (from a PDF form)


class _Problems:
    """Collects problems; raises one AnswersError line naming the file, line and field.

    Only the first problem is shown, so only its line is looked up: thousands of problems
    cost no more than one.
    """

    def __init__(self, label: str, text: str | None) -> None:
        self.label = label
        self.text = text
        self.items: list[tuple[tuple[Any, ...], str, bool]] = []

    def add(self, loc: tuple[Any, ...], message: str, locate: bool = True) -> None:
        self.items.append((loc, message, locate))

    def raise_if_any(self) -> None:
        from assess.core.parsing import field_path, line_of

        if not self.items:
            return
        loc, message, locate = self.items[0]
        path = field_path(loc) or "(top level)"
        line = line_of(self.text, loc) if locate and self.text is not None and loc else None
        where = f"line {line}: " if line else ""
        first = f"{self.label}: {where}{path}: {message}"
        more = len(self.items) - 1
        if more:
            first += f" (and {more} more problem{'s' if more > 1 else ''})"
        raise AnswersError(first)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def validate_answers(
    data: Any,
    label: str,
    rubric: Rubric,
    today: dt.date,
    scope: str | None = None,
    text: str | None = None,
) -> Answers:
    """Validate answers already parsed into plain data (the mapping an answers file holds);
    ``text``, when given, is the source the line numbers of problems are looked up in.
    Raise ``AnswersError`` (exit 2) on any problem."""
    from assess.core.textsafety import unsafe_character

    problems = _Problems(label, text)
    if data is None:
        raise AnswersError(f"{label}: the file is empty")
    if not isinstance(data, dict):
        kind = type(data).__name__
        raise AnswersError(f"{label}: (top level): expected a mapping with ratings, got a {kind}")
    for key in data:
        if key not in FIELDS:
            problems.add((key,), f"unknown field (allowed: {', '.join(FIELDS)})")

    rubric_id = data.get("rubric")
    if rubric_id is not None and rubric_id != rubric.meta.id:
        problems.add(
            ("rubric",),
            f"this file is for rubric {shown(rubric_id)}, but you are rating {rubric.meta.id!r}",
        )

    rater = data.get("rater")
    if rater is not None and rater not in RATERS:
        problems.add(("rater",), f"unknown rater {shown(rater)} (use self or mentor)")

    date = _parse_date(data.get("date"), today, problems)

    allowed = rubric.topics
    if scope is not None:
        allowed = {t.id: t for t in rubric.round(scope).topics}
    ratings: dict[str, int | None] = {}
    raw_ratings = data.get("ratings")
    if "ratings" not in data:
        problems.add(("ratings",), "missing: give topic id -> level 1..5", locate=False)
    elif not isinstance(raw_ratings, dict):
        problems.add(("ratings",), "expected a mapping of topic id -> level 1..5")
    elif not raw_ratings and not data.get("hours"):
        # ``ratings: {}`` with hours is a check-in that re-rates nothing
        problems.add(("ratings",), "no topics given: fill in at least one level 1..5")
    else:
        for topic_id, level in raw_ratings.items():
            loc = ("ratings", topic_id)
            if topic_id not in rubric.topics:
                problems.add(
                    loc, f"unknown topic id {shown(topic_id)} in rubric {rubric.meta.id}"
                )
                continue
            if topic_id not in allowed:
                problems.add(loc, f"topic is outside round {scope!r} (rated with --round)")
                continue
            if level is None:
                ratings[topic_id] = None
            elif isinstance(level, int) and not isinstance(level, bool) and 1 <= level <= 5:
                ratings[topic_id] = level
            elif isinstance(level, int) and not isinstance(level, bool):
                problems.add(loc, f"level must be 1..5 (got {shown(level)})")
            else:
                problems.add(
                    loc, f"level must be a whole number 1..5 or null (got {shown(level)})"
                )

    notes: dict[str, str] = {}
    raw_notes = data.get("notes")
    if raw_notes is not None:
        if not isinstance(raw_notes, dict):
            problems.add(("notes",), "expected a mapping of topic id -> text")
        else:
            for topic_id, note in raw_notes.items():
                loc = ("notes", topic_id)
                if topic_id not in rubric.topics:
                    problems.add(
                    loc, f"unknown topic id {shown(topic_id)} in rubric {rubric.meta.id}"
                )
                elif note is None:
                    continue
                elif not isinstance(note, (str, int, float)) or isinstance(note, bool):
                    problems.add(loc, "a note must be text")
                elif len(str(note)) > MAX_NOTE_CHARS:
                    problems.add(loc, f"note is longer than {MAX_NOTE_CHARS} characters")
                elif code := unsafe_character(str(note), multiline=True):
                    problems.add(loc, f"control character {code} is not allowed "
                                      "(plain text only)")
                elif str(note).strip():
                    notes[topic_id] = str(note).strip()

    hours: dict[str, float] = {}
    raw_hours = data.get("hours")
    if raw_hours is not None:
        round_ids = [r.id for r in rubric.rounds]
        if not isinstance(raw_hours, dict):
            problems.add(("hours",), "expected a mapping of round id -> hours")
        else:
            for round_id, value in raw_hours.items():
                loc = ("hours", round_id)
                if round_id not in round_ids:
                    problems.add(
                        loc, f"unknown round {shown(round_id)} (known: {', '.join(round_ids)})"
                    )
                elif value is None:
                    continue
                elif not _is_number(value) or (isinstance(value, float)
                                               and not math.isfinite(value)):
                    problems.add(loc, f"hours must be a number (got {shown(value)})")
                elif not 0 <= value <= MAX_HOURS_SINCE_CHECKIN:  # exact, even for huge ints
                    amount = f"{value:g}" if abs(value) < 1e15 else "a huge number"
                    problems.add(
                        loc,
                        f"hours must be between 0 and {MAX_HOURS_SINCE_CHECKIN:g} (got {amount})",
                    )
                elif value > 0:
                    hours[round_id] = float(value)

    practice = _parse_practice(data.get("practice"), rubric, rater, date or today, problems)
    problems.raise_if_any()
    stories: list[Story] = []
    if data.get("stories") is not None:
        from assess.inputs.story_file import parse_stories

        stories = parse_stories(data["stories"], label, rubric, text, ("stories",))
    return Answers(
        label=label,
        rubric=rubric_id,
        rater=rater,
        date=date,
        ratings=ratings,
        notes=notes,
        hours=hours,
        practice=practice,
        stories=tuple(stories),
    )


def _parse_practice(raw: Any, rubric: Rubric, rater: str | None, day: dt.date,
                    problems: _Problems) -> tuple[Any, ...]:
    """``practice:`` entries (the fields of ``assess practice --log``) as attempts."""
    from assess.errors import InputError, NotFoundError
    from assess.evidence.practice import RATERS as ATTEMPT_RATERS
    from assess.evidence.practice import Attempt, parse_covered

    if raw is None:
        return ()
    if not isinstance(raw, list):
        problems.add(("practice",), "expected a list of attempts")
        return ()
    out = []
    for i, item in enumerate(raw[:500]):
        loc = ("practice", i)
        if not isinstance(item, dict):
            problems.add(loc, "expected a mapping with question, minutes and covered")
            continue
        unknown = [k for k in item if k not in PRACTICE_FIELDS]
        if unknown:
            problems.add((*loc, unknown[0]), "unknown field (not allowed here)")
            continue
        try:
            topic, question = rubric.question(str(item.get("question")))
        except NotFoundError as exc:
            problems.add((*loc, "question"), str(exc))
            continue
        minutes = item.get("minutes")
        if not _is_number(minutes) or not 0 < float(minutes) <= 600:
            problems.add((*loc, "minutes"), f"must be more than 0 and at most 600 "
                                            f"(got {shown(minutes)})")
            continue
        covered_raw = item.get("covered", [])
        text = (" ".join(str(x) for x in covered_raw) if isinstance(covered_raw, list)
                else str(covered_raw))
        try:
            covered = parse_covered(text, len(question.checklist), "covered")
        except InputError as exc:
            problems.add((*loc, "covered"), str(exc).split(": ", 1)[-1])
            continue
        who = item.get("rater", rater or "self")
        if who not in ATTEMPT_RATERS:
            problems.add((*loc, "rater"), f"must be one of {', '.join(ATTEMPT_RATERS)}")
            continue
        when = _parse_date(item.get("date"), day, problems) if "date" in item else day
        note = item.get("note") or ""
        if not isinstance(note, str) or len(note) > MAX_NOTE_CHARS or unsafe_character(
                note, multiline=True):
            problems.add((*loc, "note"), f"plain text of at most {MAX_NOTE_CHARS} characters")
            continue
        out.append(Attempt(question=question.id, topic=topic.id, date=when or day,
                           minutes=float(minutes), covered=covered,
                           total=len(question.checklist), time_box=question.minutes,
                           rater=str(who), note=note.strip()))
    if len(raw) > 500:
        problems.add(("practice",), "at most 500 attempts in one file")
    return tuple(out)


def _parse_date(value: Any, today: dt.date, problems: _Problems) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    elif isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            problems.add(("date",), f"{shown(value)} is not a date in YYYY-MM-DD form")
            return None
    else:
        problems.add(("date",), f"{shown(value)} is not a date in YYYY-MM-DD form")
        return None
    if day > today:
        problems.add(
            ("date",), f"{day.isoformat()} is in the future (today is {today.isoformat()})"
        )
        return None
    if day < EARLIEST:
        problems.add(("date",), f"{day.isoformat()} is before {EARLIEST.isoformat()}")
        return None
    return day
