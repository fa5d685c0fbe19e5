"""Rubric files: pydantic models, safe loading, and readable validation errors.

A rubric is data, not code. It is parsed with ``yaml.safe_load`` only, checked for alias
bombs and binary content before it is parsed, and validated with ``extra="forbid"`` models.
Errors read ``FILE: field.path: message`` with a line number where the YAML has one.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from assess.errors import NotFoundError, RubricError
from assess.resources import rubrics_dir

Id = str
ID_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
MAX_FILE_BYTES = 2_000_000
MAX_ALIASES = 100
LEVELS = (1, 2, 3, 4, 5)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


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


class Question(_Model):
    text: str = Field(min_length=1)
    kind: QuestionKind
    minutes: int = Field(ge=5, le=240, strict=True)
    source: Literal["example", "common", "rubric"] = "rubric"


class Topic(_Model):
    id: str = Field(pattern=ID_PATTERN)
    title: str = Field(min_length=1)
    covers: str = Field(min_length=1)
    depth: Literal["core", "advanced"] = "core"
    weight: float | None = Field(default=None, gt=0, le=1)
    target: int | None = Field(default=None, ge=1, le=5, strict=True)
    questions: tuple[Question, ...] = ()

    def effective_weight(self, advanced_weight: float) -> float:
        """The topic's weight in priorities: explicit, else 1 for core, less for advanced."""
        if self.weight is not None:
            return self.weight
        return 1.0 if self.depth == "core" else advanced_weight


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
                raise ValueError(f"criterion weight for {key!r} must be a positive number")
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


class Rubric(_Model):
    meta: Meta
    scale: tuple[Level, ...] = Field(min_length=5, max_length=5)
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    rounds: tuple[Round, ...] = Field(min_length=1)
    timeline: Timeline
    tips: tuple[Tip, ...] = ()
    planning: Planning = Planning()

    @model_validator(mode="after")
    def _cross_checks(self) -> Rubric:
        levels = [level.level for level in self.scale]
        if levels != list(LEVELS):
            raise ValueError(f"scale levels must be 1, 2, 3, 4, 5 in order (got {levels})")
        _unique("criteria", (c.id for c in self.criteria))
        _unique("rounds", (r.id for r in self.rounds))
        _unique("topics", (t.id for r in self.rounds for t in r.topics))
        _unique("tips", (t.id for t in self.tips))
        _unique("timeline.stages", (s.id for s in self.timeline.stages))
        known = {c.id for c in self.criteria}
        for index, round_ in enumerate(self.rounds):
            for criterion in round_.criteria:
                if criterion not in known:
                    raise ValueError(
                        f"rounds.{index}.criteria: unknown criterion {criterion!r} "
                        f"(known: {', '.join(sorted(known))})"
                    )
        total = sum(r.weight for r in self.rounds)
        if abs(total - 1.0) > 1e-6:
            raise ValueError(f"round weights must sum to 1 (they sum to {total:g})")
        round_ids = {r.id for r in self.rounds}
        for index, stage in enumerate(self.timeline.stages):
            for rid in stage.rounds:
                if rid not in round_ids:
                    raise ValueError(f"timeline.stages.{index}.rounds: unknown round {rid!r}")
        return self

    # ----- lookups -------------------------------------------------------------------------

    @cached_property
    def topics(self) -> dict[str, Topic]:
        """Every topic by id, in rubric order."""
        return {t.id: t for r in self.rounds for t in r.topics}

    @cached_property
    def round_of(self) -> dict[str, str]:
        """Topic id -> round id."""
        return {t.id: r.id for r in self.rounds for t in r.topics}

    def round(self, round_id: str) -> Round:
        for r in self.rounds:
            if r.id == round_id:
                return r
        raise NotFoundError(
            f"unknown round {round_id!r} (known: {', '.join(r.id for r in self.rounds)})"
        )

    def question_id(self, topic_id: str, index: int) -> str:
        """A stable id for the index-th question of a topic."""
        return f"{topic_id}#q{index + 1}"

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _unique(where: str, ids: Iterable[str]) -> None:
    seen: set[str] = set()
    for item in ids:
        if item in seen:
            raise ValueError(f"duplicate id {item!r} in {where}")
        seen.add(item)


# ----- loading ---------------------------------------------------------------------------------


def parse_yaml_text(raw: bytes, label: str, error: type[Exception] = RubricError) -> Any:
    """Decode and safe-load YAML (or JSON) bytes, refusing binary data and alias bombs.

    Every failure raises ``error`` with a message of the form ``LABEL: ...``.
    """
    if len(raw) > MAX_FILE_BYTES:
        raise error(f"{label}: file is larger than {MAX_FILE_BYTES // 1_000_000} MB")
    if b"\x00" in raw:
        raise error(f"{label}: binary data, expected YAML or JSON text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(f"{label}: not UTF-8 text (byte {exc.start})") from None
    if not text.strip():
        raise error(f"{label}: the file is empty")
    try:
        aliases = 0
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    raise error(f"{label}: too many YAML aliases (more than {MAX_ALIASES})")
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise error(f"{label}: {_yaml_message(exc)}") from None
    except RecursionError:
        raise error(f"{label}: YAML nested too deeply") from None


def _yaml_message(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if isinstance(exc, yaml.constructor.ConstructorError) and "tag" in str(problem):
        problem = "unsupported YAML tag (only plain data is allowed): " + str(problem)
    if mark is not None:
        return f"line {mark.line + 1}: {problem}"
    return str(problem)


def format_validation_error(
    label: str, exc: ValidationError, text: str | None = None, limit: int = 3
) -> str:
    """``LABEL: field.path: message`` lines (at most ``limit``), with YAML line numbers."""
    lines = []
    errors = exc.errors(include_url=False)
    for err in errors[:limit]:
        loc = [str(part) for part in err["loc"]]
        path = ".".join(loc)
        message = err["msg"]
        if message.startswith("Value error, "):
            message = message[len("Value error, ") :]
        message = message.replace("Tuple should", "List should").replace(" after validation", "")
        if err["type"] == "extra_forbidden":
            message = "unknown field (not allowed here)"
        line = _line_of(text, err["loc"]) if text is not None else None
        where = f"line {line}: " if line else ""
        lines.append(f"{label}: {where}{path or '(top level)'}: {message}")
    if len(errors) > limit:
        lines.append(f"{label}: ... and {len(errors) - limit} more problems")
    return "\n".join(lines)


def _line_of(text: str, loc: tuple[Any, ...]) -> int | None:
    """Best-effort line number of a pydantic location in YAML text."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    line = None
    for part in loc:
        if node is None:
            break
        line = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            found = None
            for key, value in node.value:
                if str(key.value) == str(part):
                    found = value
                    line = key.start_mark.line + 1
                    break
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int):
            node = node.value[part] if 0 <= part < len(node.value) else None
        else:
            break
    if node is not None:
        line = node.start_mark.line + 1
    return line


def load_rubric_file(path: Path | str) -> Rubric:
    """Load and validate one rubric file, raising ``RubricError`` with readable lines."""
    path = Path(path)
    label = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise RubricError(f"{label}: no such file") from None
    except IsADirectoryError:
        raise RubricError(f"{label}: is a folder, expected a rubric file") from None
    except OSError as exc:
        raise RubricError(f"{label}: cannot read ({exc.strerror})") from None
    return parse_rubric(raw, label)


def parse_rubric(raw: bytes, label: str) -> Rubric:
    data = parse_yaml_text(raw, label)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise RubricError(f"{label}: (top level): expected a mapping of rubric fields, got {kind}")
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        raise RubricError(format_validation_error(label, exc, raw.decode("utf-8-sig"))) from None
    except RecursionError:
        raise RubricError(f"{label}: nested too deeply") from None


def bundled_rubric_paths() -> dict[str, Path]:
    """Bundled rubric id (file stem) -> path, sorted by id."""
    folder = rubrics_dir()
    paths = sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))
    return {p.stem: p for p in sorted(paths)}


DEFAULT_RUBRIC = "discord-mle"


def resolve_rubric_path(ref: str | None) -> Path:
    """A bundled rubric id or a file path -> the file's path."""
    ref = ref or DEFAULT_RUBRIC
    bundled = bundled_rubric_paths()
    if ref in bundled:
        return bundled[ref]
    candidate = Path(ref).expanduser()
    if candidate.suffix in {".yaml", ".yml", ".json"} or candidate.exists() or "/" in ref:
        return candidate
    raise NotFoundError(
        f"unknown rubric {ref!r}: not a bundled id ({', '.join(bundled) or 'none'}) nor a file"
    )


def load_rubric(ref: str | None = None) -> Rubric:
    """Load a rubric by bundled id or path (default: the Discord MLE rubric)."""
    return load_rubric_file(resolve_rubric_path(ref))


def rubric_from_json(text: str) -> Rubric:
    """Rebuild a rubric from its JSON snapshot (as stored with each assessment)."""
    return Rubric.model_validate(json.loads(text))
