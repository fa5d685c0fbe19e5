"""The answers file: print a template to fill in, and read one back, validated against a rubric.

An answers file is YAML (or JSON, which is YAML) like::

    rubric: discord-mle
    rater: self          # or mentor
    date: 2026-11-25     # optional; default today
    ratings:             # topic id -> level 1..5 (null = skipped)
      sd-feature-pipelines: 2
    notes:               # optional, topic id -> text
      sd-feature-pipelines: "never built a feature store"
    hours:               # optional, hours spent per round since the last check-in
      system-design: 3.5
    stories:             # optional, STAR stories as `assess story add --from` reads them
      - title: ...

A topic missing from ``ratings`` keeps the rater's last rating (as Enter does on a terminal).
The whole file is checked before anything is written; every problem is reported as one line
``FILE: line N: field.path: message``. This module knows nothing of the store or Click.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from assess.bounds import EARLIEST
from assess.errors import AnswersError, InputError
from assess.inputs import MAX_INPUT_BYTES, read_input, too_big
from assess.rubric import Rubric
from assess.stories import Story
from assess.textsafety import shown, unsafe_character

FIELDS = ("rubric", "rater", "date", "ratings", "notes", "hours", "practice", "stories")
PRACTICE_FIELDS = ("question", "minutes", "covered", "rater", "date", "note")
RATERS = ("self", "mentor")
MAX_NOTE_CHARS = 2000
MAX_HOURS_SINCE_CHECKIN = 168.0  # a week of every hour
MAX_HOURS_PER_ENTRY = 24.0


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


# ----- the template --------------------------------------------------------------------------


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _comment_block(text: str, indent: str = "#   ", width: int = 96) -> list[str]:
    return textwrap.wrap(
        _one_line(text), width=width, initial_indent=indent, subsequent_indent=indent + "  "
    ) or [indent.rstrip()]


def template_text(rubric: Rubric, rater: str = "self", scope: str | None = None) -> str:
    """A valid YAML answers file: every topic id (of ``scope``'s round, if given) -> null."""
    rounds = [rubric.round(scope)] if scope else list(rubric.rounds)
    meta = rubric.meta
    lines = [
        f"# Answers file for {_one_line(meta.title)} ({meta.id} v{_one_line(meta.version)}):",
        f"# {_one_line(meta.role)} at {_one_line(meta.company)}.",
        "# Replace each null with your level 1..5, then run:  assess rate --answers THIS-FILE",
        "# A topic left at null is recorded as skipped; delete its line to keep your last rating.",
        "#",
        "# The scale:",
    ]
    for level in rubric.scale:
        lines += _comment_block(f"{level.level} {level.label}: {level.descriptor}")
    lines += [
        "",
        f"rubric: {meta.id}",
        f"rater: {rater}          # self or mentor",
        "# date: YYYY-MM-DD     # optional; default today",
        "ratings:             # topic id -> level 1..5",
    ]
    width = max(len(t.id) for r in rounds for t in r.topics) + len(": null")
    for round_ in rounds:
        lines.append(f"  # --- {_one_line(round_.title)} ({round_.id}) ---")
        for topic in round_.topics:
            entry = f"{topic.id}: null".ljust(width)
            tag = " (advanced)" if topic.depth == "advanced" else ""
            lines.append(f"  {entry}  # {_one_line(topic.title)}{tag}")
    lines += [
        "notes:               # optional, topic id -> text, for example:",
        f'  # {rounds[0].topics[0].id}: "what I still need to practise"',
        "hours:               # optional: hours spent per round since the last check-in",
    ]
    round_width = max(len(r.id) for r in rubric.rounds) + len(": null")
    for round_ in rubric.rounds:
        lines.append(f"  {f'{round_.id}: null'.ljust(round_width)}  # {_one_line(round_.title)}")
    return "\n".join(lines) + "\n"


# ----- reading a file ------------------------------------------------------------------------


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
        from assess.parsing import field_path, line_of

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


def parse_answers(
    raw: bytes,
    label: str,
    rubric: Rubric,
    today: dt.date,
    scope: str | None = None,
) -> Answers:
    """Parse and fully validate an answers file; raise ``AnswersError`` (exit 2) on any problem."""
    from assess.parsing import parse_yaml_text

    data = parse_yaml_text(raw, label, AnswersError)
    return validate_answers(data, label, rubric, today, scope=scope,
                            text=raw.decode("utf-8-sig"))


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
    from assess.textsafety import unsafe_character

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
        from assess.story_file import parse_stories

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
    from assess.practice import RATERS as ATTEMPT_RATERS
    from assess.practice import Attempt, parse_covered

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


def read_answers(
    source: str | Path,
    rubric: Rubric,
    today: dt.date,
    scope: str | None = None,
    stdin: BinaryIO | None = None,
    profile_id: str | None = None,
) -> Answers:
    """Read an answers file (``-`` for stdin) and validate it completely.

    A PDF (a mentor's filled-in form, see ``assess.pdf_answers``) is read as an answers file
    when ``profile_id`` names the data home it must belong to; otherwise it is refused.
    """
    from assess.inputs import MAX_PDF_BYTES

    raw, label = read_input(source, AnswersError, "an answers file", stdin, limit=MAX_PDF_BYTES)
    if looks_like_pdf(raw):
        if profile_id is None:
            raise AnswersError(
                f"{label}: a PDF form holds a mentor's ratings: read it with "
                "`assess rate --rater mentor --answers FILE.pdf`"
            )
        from assess.pdf_answers import parse_pdf_answers

        return parse_pdf_answers(raw, label, rubric, today, profile_id, scope=scope)
    if len(raw) > MAX_INPUT_BYTES:
        raise AnswersError(too_big(label, MAX_INPUT_BYTES))
    return parse_answers(raw, label, rubric, today, scope=scope)


def looks_like_pdf(raw: bytes) -> bool:
    """A PDF starts with ``%PDF-`` (readers accept it within the first 1024 bytes)."""
    return b"%PDF-" in raw[:1024]


# ----- other user input checked against a rubric -------------------------------------------------


def check_log_entry(rubric: Rubric, round_id: str, hours: float) -> None:
    """Validate one `assess log` entry: a known round, and 0 < hours <= 24."""
    round_ids = [r.id for r in rubric.rounds]
    if round_id not in round_ids:
        raise InputError(
            f"ROUND: unknown round {round_id!r} in rubric {rubric.meta.id} "
            f"(known: {', '.join(round_ids)})"
        )
    if not math.isfinite(hours) or not 0 < hours <= MAX_HOURS_PER_ENTRY:
        raise InputError(
            f"HOURS: must be more than 0 and at most {MAX_HOURS_PER_ENTRY:g} per entry "
            f"(got {hours:g})"
        )
