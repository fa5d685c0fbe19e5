"""The rubric file schema: pydantic models with ``extra="forbid"`` and the cross-checks.

Used only to validate a rubric file (or an imported snapshot). The validated data becomes the
plain dataclasses of ``assess.rubric.model``, so commands that only read history never pay for
pydantic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from assess.core.parsing import LocatedError, control_character
from assess.core.textsafety import shown

ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
# A question id: like a topic id, with room for a "-q12" suffix on the longest topic id.
QUESTION_ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,79}$"
LEVELS = (1, 2, 3, 4, 5)
CHECKLIST_MIN = 3
CHECKLIST_MAX = 10
POINT_MAX_CHARS = 120

# Validation context for a stored or exported rubric snapshot: one written before questions had
# ids and checklists may lack them (``Rubric.from_dict`` fills the ids). Files always need both.
SNAPSHOT_CONTEXT: dict[str, Any] = {"snapshot": True}


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid", frozen=True, str_strip_whitespace=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        """Rubric text reaches the terminal: no control characters (tab and newline are fine)."""
        if isinstance(value, str):
            code = control_character(value)
            if code:
                raise ValueError(f"control character {code} is not allowed (plain text only)")
        return value


class Meta(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    company: str = Field(min_length=1)
    role: str = Field(min_length=1)
    version: str = Field(min_length=1)
    source: str = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: Any) -> Any:
        # "1.0" written without quotes arrives as a float; keep it as text.
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return value


class Level(_Model):
    level: int = Field(ge=1, le=5, strict=True)
    label: str = Field(min_length=1)
    descriptor: str = Field(min_length=1)


class Criterion(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    looks_for: str = Field(min_length=1)
    how_to_show: str = Field(min_length=1)


QuestionKind = Literal["design", "theory", "coding", "behavioral"]


def _one_plain_line(point: str) -> str:
    """A checklist point is shown as one numbered line: plain text, no line breaks."""
    code = control_character(point)
    if code:
        raise ValueError(f"control character {code} is not allowed (plain text only)")
    if "\n" in point:
        raise ValueError("a checklist point is one line (no line breaks)")
    return point


ChecklistPoint = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=POINT_MAX_CHARS),
    AfterValidator(_one_plain_line),
]


def _snapshot(info: ValidationInfo) -> bool:
    return bool(info.context and info.context.get("snapshot"))


class Question(_Model):
    """One practice question: a stable ``id`` (unique in the rubric) and the ``checklist`` of
    points a strong answer covers, which an attempt is scored against."""

    id: str | None = Field(default=None, pattern=QUESTION_ID_PATTERN, validate_default=True)
    text: str = Field(min_length=1)
    kind: QuestionKind
    minutes: int = Field(ge=5, le=240, strict=True)
    source: Literal["example", "common", "rubric"] = "rubric"
    checklist: tuple[ChecklistPoint, ...] | None = Field(default=None, validate_default=True)

    @field_validator("id")
    @classmethod
    def _id_required(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None and not _snapshot(info):
            raise ValueError("Field required (a stable question id, e.g. my-topic-q1)")
        return value

    @field_validator("checklist")
    @classmethod
    def _checklist_size(
        cls, value: tuple[str, ...] | None, info: ValidationInfo
    ) -> tuple[str, ...] | None:
        if not value and _snapshot(info):
            return None  # an old snapshot, from before checklists
        if value is None:
            raise ValueError(
                f"Field required (the {CHECKLIST_MIN}-{CHECKLIST_MAX} points a strong answer "
                "covers)"
            )
        if not CHECKLIST_MIN <= len(value) <= CHECKLIST_MAX:
            raise ValueError(
                f"a checklist has {CHECKLIST_MIN} to {CHECKLIST_MAX} points (this one has "
                f"{len(value)})"
            )
        return value


class Topic(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    covers: str = Field(min_length=1)
    depth: Literal["core", "advanced"] = "core"
    weight: float | None = Field(default=None, gt=0, le=1)
    target: int | None = Field(default=None, ge=1, le=5, strict=True)
    target_offset: int | None = Field(default=None, ge=0, le=4, strict=True)
    questions: tuple[Question, ...] = ()



class Round(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    stage: Literal["screen", "onsite"]
    weight: float = Field(ge=0, le=1, allow_inf_nan=False)
    min_share: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    summary: str = Field(min_length=1)
    criteria: dict[str, float] = Field(min_length=1)
    topics: tuple[Topic, ...] = Field(min_length=1)

    @field_validator("criteria")
    @classmethod
    def _criteria_weights(cls, value: dict[str, float]) -> dict[str, float]:
        for key, weight in value.items():
            if not math.isfinite(weight) or weight <= 0:
                raise ValueError(f"criterion weight for {shown(key)} must be a positive number")
        total = sum(value.values())
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"criterion weights must sum to 1 (they sum to {total:g})")
        return value

    @model_validator(mode="after")
    def _min_share_within_weight(self) -> Round:
        if self.min_share is not None and self.min_share > self.weight + 1e-9:
            raise ValueError(f"min_share {self.min_share:g} is above weight {self.weight:g}")
        return self


class Stage(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    when: str = Field(min_length=1)
    rounds: tuple[str, ...] = ()


class Timeline(_Model):
    min_weeks: int = Field(ge=1, le=52, strict=True)
    max_weeks: int = Field(ge=1, le=52, strict=True)
    default_weeks: int = Field(default=4, ge=1, le=52, strict=True)
    stages: tuple[Stage, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _window(self) -> Timeline:
        if self.min_weeks > self.max_weeks:
            raise ValueError("min_weeks is above max_weeks")
        return self


class Tip(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)


class Planning(_Model):
    """Rubric-level planning knobs, each with a documented default."""

    advanced_weight: float = Field(default=0.5, gt=0, le=1)
    hours_per_level: float = Field(default=3.0, gt=0, le=100)
    default_target: int = Field(default=4, ge=1, le=5, strict=True)


class RubricSchema(_Model):
    meta: Meta
    scale: tuple[Level, ...] = Field(min_length=5, max_length=5)
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    rounds: tuple[Round, ...] = Field(min_length=1)
    timeline: Timeline
    tips: tuple[Tip, ...] = ()
    planning: Planning = Planning()

    @model_validator(mode="after")
    def _cross_checks(self) -> RubricSchema:
        levels = [level.level for level in self.scale]
        if levels != list(LEVELS):
            raise ValueError(
                f"scale: scale levels must be 1, 2, 3, 4, 5 in order (got {levels})"
            )
        _unique("criteria", ((f"criteria.{i}.id", c.id) for i, c in enumerate(self.criteria)))
        _unique("rounds", ((f"rounds.{i}.id", r.id) for i, r in enumerate(self.rounds)))
        _unique("topics", ((f"rounds.{i}.topics.{j}.id", t.id)
                           for i, r in enumerate(self.rounds) for j, t in enumerate(r.topics)))
        _unique_question_ids(self.rounds)
        _unique("tips", ((f"tips.{i}.id", t.id) for i, t in enumerate(self.tips)))
        _unique("timeline.stages", ((f"timeline.stages.{i}.id", s.id)
                                    for i, s in enumerate(self.timeline.stages)))
        known = {c.id for c in self.criteria}
        for index, round_ in enumerate(self.rounds):
            for criterion in round_.criteria:
                if criterion not in known:
                    raise ValueError(
                        f"rounds.{index}.criteria: unknown criterion {shown(criterion)} "
                        f"(known: {', '.join(sorted(known))})"
                    )
        total = sum(r.weight for r in self.rounds)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"rounds: round weights must sum to 1 (they sum to {total:g})")
        round_ids = {r.id for r in self.rounds}
        for index, stage in enumerate(self.timeline.stages):
            for rid in stage.rounds:
                if rid not in round_ids:
                    raise ValueError(f"timeline.stages.{index}.rounds: unknown round {shown(rid)}")
        return self


def _unique_question_ids(rounds: tuple[Round, ...]) -> None:
    """Question ids are unique across the whole rubric; a repeat is reported where it is."""
    first: dict[str, str] = {}
    for r, round_ in enumerate(rounds):
        for t, topic in enumerate(round_.topics):
            for q, question in enumerate(topic.questions):
                if question.id is None:
                    continue
                here = f"rounds.{r}.topics.{t}.questions.{q}"
                if question.id in first:
                    raise LocatedError(
                        ("rounds", r, "topics", t, "questions", q, "id"),
                        f"duplicate question id {question.id!r} (first used at "
                        f"{first[question.id]})",
                    )
                first[question.id] = here


def _unique(where: str, ids: Iterable[tuple[str, str]]) -> None:
    """Each ``(field path, id)`` once; a repeat is reported at its own field."""
    seen: set[str] = set()
    for path, item in ids:
        if item in seen:
            raise ValueError(f"{path}: duplicate id {shown(item)} in {where}")
        seen.add(item)
