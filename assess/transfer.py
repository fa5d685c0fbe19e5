"""The export file (``assess export`` / ``assess import``): its schema and full validation.

Imported only when a file is imported, so pydantic stays off the plan/report path. An export is
JSON::

    {"format": "assess-export", "version": 1, "profile": {...} | null,
     "rubrics": {sha256: rubric snapshot}, "assessments": [...], "hours": [...]}

Assessments and hours entries carry stable ``uid``s, which makes importing idempotent.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt, ValidationError

from assess.errors import InputError
from assess.parsing import format_validation_error
from assess.profile import Profile
from assess.rubric import Rubric
from assess.rubric_schema import ID_PATTERN, SNAPSHOT_CONTEXT, RubricSchema

UID = r"^[0-9a-f]{32}$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ExportAssessment(_Model):
    uid: str = Field(pattern=UID)
    rater: Literal["self", "mentor"]
    date: dt.date
    rubric_id: str = Field(min_length=1)
    rubric_version: str = Field(min_length=1)
    rubric_sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    scope: str | None = None
    complete: bool
    started_at: str | None = None
    finished_at: str | None = None
    ratings: dict[str, StrictInt | None]
    notes: dict[str, str] = {}


class ExportHours(_Model):
    uid: str = Field(pattern=UID)
    round: str = Field(pattern=ID_PATTERN)
    hours: float = Field(gt=0, le=168, allow_inf_nan=False)  # as the store allows
    date: dt.date
    note: str | None = None
    logged_at: str | None = None


class ExportFile(_Model):
    format: Literal["assess-export"]
    version: Literal[1]
    profile: dict[str, Any] | None = None
    rubrics: dict[str, dict[str, Any]]
    assessments: list[ExportAssessment]
    hours: list[ExportHours]


@dataclass
class ParsedExport:
    profile: Profile | None
    rubric_models: dict[str, Rubric]
    assessments: list[ExportAssessment]
    hours: list[ExportHours]


def parse_export(data: Any, label: str) -> ParsedExport:
    """Validate an export's data completely, before anything is written (InputError, exit 2)."""
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
        rubrics[sha] = Rubric.from_dict(schema.model_dump(mode="json"))
    for index, item in enumerate(model.assessments):
        where = f"{label}: assessments.{index}"
        rubric = rubrics.get(item.rubric_sha256)
        if rubric is None:
            raise InputError(f"{where}.rubric_sha256: no such rubric in the file")
        if item.scope is not None and item.scope not in {r.id for r in rubric.rounds}:
            raise InputError(f"{where}.scope: unknown round {item.scope!r}")
        for topic_id, level in item.ratings.items():
            if topic_id not in rubric.topics:
                raise InputError(f"{where}.ratings.{topic_id}: unknown topic")
            if level is not None and not 1 <= level <= 5:
                raise InputError(f"{where}.ratings.{topic_id}: level must be 1..5 (got {level})")
        for topic_id in item.notes:
            if topic_id not in rubric.topics:
                raise InputError(f"{where}.notes.{topic_id}: unknown topic")
    return ParsedExport(
        profile=profile,
        rubric_models=rubrics,
        assessments=list(model.assessments),
        hours=list(model.hours),
    )
