"""The export file (``assess export`` / ``assess import``): its schema and full validation.

Imported only when a file is imported, so pydantic stays off the plan/report path. An export is
JSON::

    {"format": "assess-export", "version": 1, "profile": {...} | null,
     "rubrics": {sha256: rubric snapshot}, "assessments": [...], "hours": [...],
     "stories": [...]}

Assessments, hours entries and STAR stories carry stable ``uid``s, which makes importing idempotent.

An export is untrusted input, as much as a typed value: it goes through the same checks (dates
from 1970 to today, an interview at most two years ahead, hours per entry and per day, known
rounds and topics, note length, no control characters), and each rubric snapshot must match
the hash it is filed under.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from assess.core.bounds import LATEST_TODAY, check_ahead, check_past
from assess.core.parsing import field_path, format_validation_error
from assess.core.textsafety import shown
from assess.errors import InputError
from assess.inputs.answers_model import MAX_NOTE_CHARS
from assess.inputs.story_file import StoryModel
from assess.rubric.model import Rubric
from assess.rubric.profile import Profile
from assess.rubric.schema import ID_PATTERN, SNAPSHOT_CONTEXT, RubricSchema
from assess.stories.star import behavioral_questions

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
    topic: str | None = Field(default=None, pattern=ID_PATTERN)


class ExportAttempt(_Model):
    uid: str = Field(pattern=UID)
    question_id: str = Field(min_length=1, max_length=200)
    topic: str = Field(pattern=ID_PATTERN)
    date: dt.date
    minutes: float = Field(gt=0, le=600, allow_inf_nan=False)
    covered: list[StrictInt] = Field(max_length=10)
    total: StrictInt = Field(ge=1, le=10)
    time_box: StrictInt = Field(gt=0, le=600)
    rater: Literal["self", "mentor", "peer"]
    note: str | None = Field(default=None, max_length=MAX_NOTE_CHARS)


class ExportCompletion(_Model):
    session_id: str = Field(min_length=1, max_length=300)
    round: str = Field(pattern=ID_PATTERN)
    topic: str = Field(pattern=ID_PATTERN)
    activity: Literal["study", "practice", "mock", "review", "story"]
    question_id: str | None = Field(default=None, max_length=200)
    hours: float = Field(ge=0, le=24, allow_inf_nan=False)
    date: dt.date


class ExportStory(StoryModel):
    """A story as exported: its text and tags (checked as a story file's are), a stable uid."""

    uid: str = Field(pattern=UID)
    created_at: str | None = Field(default=None, max_length=STAMP)
    updated_at: str | None = Field(default=None, max_length=STAMP)


class ExportFile(_Model):
    format: Literal["assess-export"]
    version: Literal[1]
    profile: dict[str, Any] | None = None
    rubrics: dict[str, dict[str, Any]]
    assessments: list[ExportAssessment] = Field(max_length=MAX_ENTRIES)
    hours: list[ExportHours] = Field(max_length=MAX_ENTRIES)
    attempts: list[ExportAttempt] = Field(default=[], max_length=MAX_ENTRIES)
    completions: list[ExportCompletion] = Field(default=[], max_length=MAX_ENTRIES)
    stories: list[ExportStory] = Field(default_factory=list, max_length=MAX_ENTRIES)


@dataclass
class ParsedExport:
    profile: Profile | None
    rubric_models: dict[str, Rubric]
    assessments: list[ExportAssessment]
    hours: list[ExportHours]
    stories: list[ExportStory]
    attempts: list[ExportAttempt] = field(default_factory=list)
    completions: list[ExportCompletion] = field(default_factory=list)


def _text(value: str | None, where: str, *, multiline: bool = False) -> None:
    from assess.core.textsafety import check_text

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


def _check_attempt(where: str, attempt: ExportAttempt, known: set[tuple[str, int]]) -> None:
    """An imported attempt passes what a typed one does: a known question of its topic, scored
    against that question's checklist (its number of points), each point once."""
    if not known:
        raise InputError(f"{where}.question_id: unknown question {shown(attempt.question_id)}")
    sizes = {size for topic, size in known if topic == attempt.topic}
    if not sizes:
        raise InputError(f"{where}.topic: {shown(attempt.question_id)} is a question of "
                         f"{', '.join(sorted(t for t, _ in known))}, not {attempt.topic}")
    if attempt.total not in sizes:
        raise InputError(f"{where}.total: the checklist of {attempt.question_id} has "
                         f"{min(sizes)} points, not {attempt.total}")
    if any(not 1 <= p <= attempt.total for p in attempt.covered) or len(
            set(attempt.covered)) != len(attempt.covered):
        raise InputError(f"{where}.covered: points must be distinct, 1 to {attempt.total}")


def parse_export(data: Any, label: str, today: dt.date | None = None,
                 known_rounds: set[str] | frozenset[str] = frozenset(),
                 known_rubrics: Sequence[Rubric] = ()) -> ParsedExport:
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
    every = [*rubrics.values(), *known_rubrics]
    if model.stories or model.attempts or model.completions:
        # a file of stories or attempts alone is checked against the bundled rubrics too
        from assess.rubric.model import bundled_rubric_paths, load_rubric

        every += [load_rubric(rid) for rid in bundled_rubric_paths()]
    topics = {tid for rubric in every for tid in rubric.topics}
    asked: dict[str, set[tuple[str, int]]] = {}  # question id -> (topic, checklist points)
    for rubric in every:
        for qid, (topic, question) in rubric.questions.items():
            asked.setdefault(qid, set()).add((topic.id, len(question.checklist)))
    for index, attempt in enumerate(model.attempts):
        where = f"{label}: attempts.{index}"
        check_past(attempt.date, last, f"{where}.date")
        _text(attempt.note, f"{where}.note", multiline=True)
        _text(attempt.question_id, f"{where}.question_id")
        _check_attempt(where, attempt, asked.get(attempt.question_id, set()))
    for index, done in enumerate(model.completions):
        where = f"{label}: completions.{index}"
        check_past(done.date, last, f"{where}.date")
        _text(done.session_id, f"{where}.session_id")
        _text(done.question_id, f"{where}.question_id")
        if done.round not in rounds:
            raise InputError(f"{where}.round: unknown round {shown(done.round)}")
        if done.topic not in topics:
            raise InputError(f"{where}.topic: unknown topic {shown(done.topic)}")
        if done.question_id is not None and done.question_id not in asked:
            raise InputError(f"{where}.question_id: unknown question {shown(done.question_id)}")
    questions = {qid for rubric in every for qid in behavioral_questions(rubric)}
    for index, story in enumerate(model.stories):
        where = f"{label}: stories.{index}"
        for key in ("created_at", "updated_at"):
            _text(getattr(story, key), f"{where}.{key}")
        if not story.title:
            raise InputError(f"{where}.title: empty")
        for i, tid in enumerate(story.topics):
            if tid not in topics:
                raise InputError(f"{where}.topics.{i}: unknown topic {shown(tid)}")
        for i, qid in enumerate(story.questions):
            if qid not in questions:
                raise InputError(f"{where}.questions.{i}: not a behavioral question: "
                                 f"{shown(qid)}")
    return ParsedExport(
        profile=profile,
        rubric_models=rubrics,
        assessments=list(model.assessments),
        hours=list(model.hours),
        attempts=list(model.attempts),
        completions=list(model.completions),
        stories=list(model.stories),
    )
