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
from pathlib import Path
from typing import BinaryIO

from assess.core.readers import MAX_INPUT_BYTES, read_input, too_big
from assess.errors import AnswersError, InputError
from assess.inputs.answers_model import Answers, validate_answers  # noqa: F401 - re-exported
from assess.rubric.model import Rubric

MAX_HOURS_PER_ENTRY = 24.0


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


def parse_answers(
    raw: bytes,
    label: str,
    rubric: Rubric,
    today: dt.date,
    scope: str | None = None,
) -> Answers:
    """Parse and fully validate an answers file; raise ``AnswersError`` (exit 2) on any problem."""
    from assess.core.parsing import parse_yaml_text

    data = parse_yaml_text(raw, label, AnswersError)
    return validate_answers(data, label, rubric, today, scope=scope,
                            text=raw.decode("utf-8-sig"))


def read_answers(
    source: str | Path,
    rubric: Rubric,
    today: dt.date,
    scope: str | None = None,
    stdin: BinaryIO | None = None,
    profile_id: str | None = None,
) -> Answers:
    """Read an answers file (``-`` for stdin) and validate it completely.

    A PDF (a mentor's filled-in form, see ``assess.inputs.pdf_answers``) is read as an answers file
    when ``profile_id`` names the data home it must belong to; otherwise it is refused.
    """
    from assess.core.readers import MAX_PDF_BYTES

    raw, label = read_input(source, AnswersError, "an answers file", stdin, limit=MAX_PDF_BYTES)
    if looks_like_pdf(raw):
        if profile_id is None:
            raise AnswersError(
                f"{label}: a PDF form holds a mentor's ratings: read it with "
                "`assess rate --rater mentor --answers FILE.pdf`"
            )
        from assess.inputs.pdf_answers import parse_pdf_answers

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
