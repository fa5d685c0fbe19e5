"""The export file (``assess export`` / ``assess import``): its schema and full validation.

Imported only when a file is imported, so pydantic stays off the plan/report path. An export is
JSON::

    {"format": "assess-export", "version": 1, "profile": {...} | null,
     "rubrics": {sha256: rubric snapshot}, "assessments": [...], "hours": [...]}

Assessments and hours entries carry stable ``uid``s, which makes importing idempotent.

An export is untrusted input, as much as a typed value: it goes through the same checks (dates
from 1970 to today, an interview at most two years ahead, hours per entry and per day, known
rounds and topics, note length, no control characters), and each rubric snapshot must match
the hash it is filed under.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from assess.answers import MAX_NOTE_CHARS
from assess.bounds import LATEST_TODAY, check_ahead, check_past
from assess.errors import InputError
from assess.parsing import field_path, format_validation_error
from assess.profile import Profile
from assess.rubric import Rubric
from assess.rubric_schema import ID_PATTERN, SNAPSHOT_CONTEXT, RubricSchema
from assess.textsafety import shown

UID = r"^[0-9a-f]{32}$"
STAMP = 40  # started_at, finished_at, logged_at: ISO timestamps
MAX_ENTRIES = 20_000  # assessments or hours entries in one file
MAX_HOURS_PER_DAY = 168.0  # every hour of a week, logged on one day (a check-in's cap)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportAssessment(_Model):
    uid: str = Field(pattern=UID)
    rater: Literal["self", "mentor"]
    date: dt.date
    rubric_id: str = Field(min_length=1, max_length=200)
    rubric_version: str = Field(min_length=1, max_length=200)
    rubric_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    scope: str | None = Field(default=None, max_length=200)
    complete: bool
    started_at: str | None = Field(default=None, max_length=STAMP)
    finished_at: str | None = Field(default=None, max_length=STAMP)
    ratings: dict[str, StrictInt | None]
    notes: dict[str, str] = {}
    comment: str = Field(default="", max_length=2000)  # a mentor's overall comment
    rater_name: str = Field(default="", max_length=200)  # the mentor's name


class ExportHours(_Model):
    uid: str = Field(pattern=UID)
    round: str = Field(pattern=ID_PATTERN)
    hours: float = Field(gt=0, le=168, allow_inf_nan=False)  # as the store allows
    date: dt.date
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)
    logged_at: str | None = Field(default=None, max_length=STAMP)


class ExportFile(_Model):
    format: Literal["assess-export"]
    version: Literal[1]
    profile: dict[str, Any] | None = None
    rubrics: dict[str, dict[str, Any]]
    assessments: list[ExportAssessment] = Field(max_length=MAX_ENTRIES)
    hours: list[ExportHours] = Field(max_length=MAX_ENTRIES)


@dataclass
class ParsedExport:
    profile: Profile | None
    rubric_models: dict[str, Rubric]
    assessments: list[ExportAssessment]
    hours: list[ExportHours]


def _text(value: str | None, where: str, *, multiline: bool = False) -> None:
    from assess.textsafety import check_text

    if value is not None:
        check_text(value, where, multiline=multiline)


def _snapshot_sha(rubric: Rubric) -> str:
    import hashlib

    return hashlib.sha256(rubric.snapshot_json().encode("utf-8")).hexdigest()


def _body_sha(body: Any) -> str:
    """The hash of a snapshot as it was stored, before this version filled in new fields
    (question ids and checklists): an export from an older assess still matches."""
    import hashlib
    import json

    text = json.dumps(body, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_export(data: Any, label: str, today: dt.date | None = None,
                 known_rounds: set[str] | frozenset[str] = frozenset()) -> ParsedExport:
    """Validate an export's data completely, before anything is written (InputError, exit 2).

    ``today`` bounds the dates (nothing after it; without it, nothing after 2100);
    ``known_rounds`` are the rounds of the rubrics already in the store, which hours entries
    may name besides the rounds of the file's own rubrics.
    """
    last = today or LATEST_TODAY
    if not isinstance(data, dict):
        raise InputError(f"{label}: (top level): expected an assess export object")
    if data.get("format") != "assess-export":
        raise InputError(f"{label}: format: not an assess export (expected \"assess-export\")")
    try:
        model = ExportFile.model_validate(data)
    except ValidationError as exc:
        raise InputError(format_validation_error(label, exc, limit=2)) from None
    profile = None
    if model.profile is not None:
        try:
            profile = Profile.from_dict(model.profile)
            _text(profile.name, "name")
            _text(profile.rubric, "rubric")
            if len(profile.rubric) > 4096:
                raise InputError("rubric: longer than 4096 characters")
            if profile.interview_date is not None:
                check_ahead(profile.interview_date, last, "interview_date")
            for stage, day in profile.stage_dates.items():
                check_ahead(day, last, f"stage_dates.{stage}")
        except InputError as exc:
            raise InputError(f"{label}: profile.{exc}") from None
    rubrics: dict[str, Rubric] = {}
    for sha, body in model.rubrics.items():
        try:
            # a snapshot from before questions had ids and checklists still imports
            schema = RubricSchema.model_validate(body, context=SNAPSHOT_CONTEXT)
        except ValidationError as exc:
            raise InputError(
                format_validation_error(f"{label}: rubrics.{sha[:12]}", exc, limit=2)
            ) from None
        rubric = Rubric.from_dict(schema.model_dump(mode="json"))
        if sha not in (_snapshot_sha(rubric), _body_sha(body)):
            raise InputError(
                f"{label}: rubrics.{sha[:12]}: the rubric does not match its hash (changed "
                "after export?)"
            )
        rubrics[sha] = rubric
    for index, item in enumerate(model.assessments):
        where = f"{label}: assessments.{index}"
        rubric = rubrics.get(item.rubric_sha256)
        if rubric is None:
            raise InputError(f"{where}.rubric_sha256: no such rubric in the file")
        if item.rubric_id != rubric.meta.id:
            raise InputError(f"{where}.rubric_id: does not match its rubric "
                             f"({rubric.meta.id!r})")
        check_past(item.date, last, f"{where}.date")
        for key in ("started_at", "finished_at"):
            _text(getattr(item, key), f"{where}.{key}")
        if item.scope is not None and item.scope not in {r.id for r in rubric.rounds}:
            raise InputError(f"{where}.scope: unknown round {item.scope!r}")
        for topic_id, level in item.ratings.items():
            if topic_id not in rubric.topics:
                raise InputError(f"{where}.ratings.{field_path((topic_id,))}: unknown topic")
            if level is not None and not 1 <= level <= 5:
                raise InputError(f"{where}.ratings.{topic_id}: level must be 1..5 (got {level})")
        _text(item.comment, f"{where}.comment", multiline=True)
        _text(item.rater_name, f"{where}.rater_name")
        for topic_id, text in item.notes.items():
            if topic_id not in rubric.topics:
                raise InputError(f"{where}.notes.{field_path((topic_id,))}: unknown topic")
            _text(text, f"{where}.notes.{topic_id}", multiline=True)
            if len(text) > MAX_NOTE_CHARS:
                raise InputError(
                    f"{where}.notes.{topic_id}: longer than {MAX_NOTE_CHARS} characters"
                )
    rounds = set(known_rounds) | {r.id for rubric in rubrics.values() for r in rubric.rounds}
    per_day: dict[dt.date, float] = {}
    for index, entry in enumerate(model.hours):
        where = f"{label}: hours.{index}"
        if entry.round not in rounds:
            raise InputError(f"{where}.round: unknown round {shown(entry.round)}")
        check_past(entry.date, last, f"{where}.date")
        _text(entry.note, f"{where}.note", multiline=True)
        _text(entry.logged_at, f"{where}.logged_at")
        per_day[entry.date] = per_day.get(entry.date, 0.0) + entry.hours
        if per_day[entry.date] > MAX_HOURS_PER_DAY:
            raise InputError(
                f"{where}.hours: more than {MAX_HOURS_PER_DAY:g} h logged on "
                f"{entry.date.isoformat()}"
            )
    return ParsedExport(
        profile=profile,
        rubric_models=rubrics,
        assessments=list(model.assessments),
        hours=list(model.hours),
    )
