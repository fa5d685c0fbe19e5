"""Rubrics as plain, immutable data, and how to load them.

A rubric file is validated once by the pydantic schema in ``assess.rubric.schema`` (imported
only when a file is read). The result, and every snapshot stored with an assessment, becomes
the frozen dataclasses below. Commands that only plan or report from history therefore never
import pydantic, which keeps them fast.

For every module on the plan/report path (store, scoring, planner, engine, report): import
pydantic and yaml only inside the function that validates a user's file, never at module level.
Snapshots: ``rubric.snapshot_json()`` to store, ``rubric_from_snapshot(text)`` to read back.
``assess.core.parsing`` holds ``parse_yaml_text`` and ``format_validation_error`` for any user file.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from assess import __version__
from assess.core.readers import read_input
from assess.errors import NotFoundError, RubricError
from assess.resources import rubrics_dir

DEFAULT_RUBRIC = "discord-mle"


@dataclass(frozen=True)
class Meta:
    id: str
    title: str
    company: str
    role: str
    version: str
    source: str


@dataclass(frozen=True)
class Level:
    level: int
    label: str
    descriptor: str


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    looks_for: str
    how_to_show: str


@dataclass(frozen=True)
class Question:
    """A practice question. ``id`` is stable and unique in the rubric; ``checklist`` holds the
    points a strong answer covers. Both are required in a rubric file; a snapshot stored before
    they existed loads with ``<topic-id>-q<n>`` ids and an empty checklist."""

    text: str
    kind: str  # design | theory | coding | behavioral
    minutes: int
    source: str = "rubric"  # example | common | rubric
    id: str = ""
    checklist: tuple[str, ...] = ()


def _question(topic_id: str, index: int, data: dict[str, Any]) -> Question:
    """A question from validated data; an old snapshot's missing id and checklist are filled."""
    fields = dict(data)
    fields["id"] = fields.get("id") or default_question_id(topic_id, index)
    fields["checklist"] = tuple(fields.get("checklist") or ())
    return Question(**fields)


def default_question_id(topic_id: str, index: int) -> str:
    """The id a question without one gets: ``<topic-id>-q<n>``, n counting from 1."""
    return f"{topic_id}-q{index + 1}"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    covers: str
    depth: str = "core"  # core | advanced
    weight: float | None = None
    target: int | None = None
    target_offset: int | None = None  # levels below the profile's target (advanced: 1)
    questions: tuple[Question, ...] = ()

    def effective_weight(self, advanced_weight: float) -> float:
        """The topic's weight in priorities: explicit, else 1 for core, less for advanced."""
        if self.weight is not None:
            return self.weight
        return 1.0 if self.depth == "core" else advanced_weight


@dataclass(frozen=True)
class Round:
    id: str
    title: str
    stage: str  # screen | onsite
    weight: float
    summary: str
    criteria: dict[str, float]
    topics: tuple[Topic, ...]
    min_share: float | None = None


@dataclass(frozen=True)
class Stage:
    id: str
    title: str
    when: str
    rounds: tuple[str, ...] = ()


@dataclass(frozen=True)
class Timeline:
    min_weeks: int
    max_weeks: int
    stages: tuple[Stage, ...]
    default_weeks: int = 4


@dataclass(frozen=True)
class Tip:
    id: str
    title: str
    text: str


@dataclass(frozen=True)
class Planning:
    """Rubric-level planning knobs, each with a documented default."""

    advanced_weight: float = 0.5  # advanced topics weigh half of a core topic
    hours_per_level: float = 3.0  # study hours to move one level on one topic
    default_target: int = 4  # used when neither the profile nor the topic sets a target


@dataclass(frozen=True)
class Rubric:
    meta: Meta
    scale: tuple[Level, ...]
    criteria: tuple[Criterion, ...]
    rounds: tuple[Round, ...]
    timeline: Timeline
    tips: tuple[Tip, ...] = ()
    planning: Planning = field(default_factory=Planning)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Rubric:
        """Build from already-validated data (a validated file, or a stored snapshot)."""
        rounds = tuple(
            Round(
                **{k: v for k, v in r.items() if k != "topics"},
                topics=tuple(
                    Topic(
                        **{k: v for k, v in t.items() if k != "questions"},
                        questions=tuple(
                            _question(t["id"], i, q) for i, q in enumerate(t.get("questions", ()))
                        ),
                    )
                    for t in r["topics"]
                ),
            )
            for r in data["rounds"]
        )
        timeline = dict(data["timeline"])
        timeline["stages"] = tuple(
            Stage(**{**s, "rounds": tuple(s.get("rounds", ()))}) for s in timeline["stages"]
        )
        return cls(
            meta=Meta(**data["meta"]),
            scale=tuple(Level(**lvl) for lvl in data["scale"]),
            criteria=tuple(Criterion(**c) for c in data["criteria"]),
            rounds=rounds,
            timeline=Timeline(**timeline),
            tips=tuple(Tip(**t) for t in data.get("tips", ())),
            planning=Planning(**data.get("planning", {})),
        )

    def to_json_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data; ``Rubric.from_dict`` of it gives an equal rubric."""
        return json.loads(json.dumps(asdict(self)))

    def snapshot_json(self) -> str:
        """Stable, compact JSON of the whole rubric, for storing with an assessment."""
        return json.dumps(self.to_json_dict(), sort_keys=True, separators=(",", ":"))

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

    @cached_property
    def questions(self) -> dict[str, tuple[Topic, Question]]:
        """Every question by id, in rubric order, with its topic."""
        return {q.id: (t, q) for t in self.topics.values() for q in t.questions}

    def question_id(self, topic_id: str, index: int) -> str:
        """The stable id of the index-th question (from 0) of a topic."""
        topic = self.topics.get(topic_id)
        if topic is None or not 0 <= index < len(topic.questions):
            raise NotFoundError(f"no question {index + 1} in topic {topic_id!r}")
        return topic.questions[index].id

    def question(self, qid: str) -> tuple[Topic, Question]:
        """The topic and question with this id; ``NotFoundError`` naming the id if none.

        The older ``<topic-id>#q<n>`` form (used before questions had ids) is still accepted.
        """
        found = self.questions.get(qid)
        if found is None and "#q" in qid:
            topic_id, _, number = qid.rpartition("#q")
            topic = self.topics.get(topic_id)
            index = int(number) - 1 if number.isascii() and number.isdigit() else -1
            if topic is not None and 0 <= index < len(topic.questions):
                found = (topic, topic.questions[index])
        if found is None:
            example = next(iter(self.questions), "my-topic-q1")
            raise NotFoundError(
                f"unknown question id {qid!r} in rubric {self.meta.id} (ids look like "
                f"{example!r}; 'assess rubric show' lists them)"
            )
        return found


# ----- loading ---------------------------------------------------------------------------------


def parse_rubric(raw: bytes, label: str) -> Rubric:
    """Parse and validate rubric bytes; ``RubricError`` with readable lines on any problem."""
    from pydantic import ValidationError

    from assess.core.parsing import format_validation_error, parse_yaml_text
    from assess.rubric.schema import RubricSchema

    data = parse_yaml_text(raw, label, RubricError)
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "nothing"
        raise RubricError(f"{label}: (top level): expected a mapping of rubric fields, got {kind}")
    try:
        model = RubricSchema.model_validate(data)
    except ValidationError as exc:
        raise RubricError(format_validation_error(label, exc, raw.decode("utf-8-sig"))) from None
    except RecursionError:
        raise RubricError(f"{label}: nested too deeply") from None
    return Rubric.from_dict(model.model_dump(mode="json"))


def load_rubric_file(path: Path | str) -> Rubric:
    """Load and validate one rubric file, raising ``RubricError`` with readable lines."""
    raw, label = read_input(Path(path), RubricError, "a rubric file")
    return parse_rubric(raw, label)


def bundled_rubric_paths() -> dict[str, Path]:
    """Bundled rubric id (file stem) -> path, sorted by id."""
    folder = rubrics_dir()
    paths = [*folder.glob("*.yaml"), *folder.glob("*.yml")]
    return {p.stem: p for p in sorted(paths)}


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


def load_rubric(ref: str | None = None, cache: Path | None = None) -> Rubric:
    """Load a rubric by bundled id or path (default: the Discord MLE rubric).

    With ``cache`` (a folder, ``<home>/cache``), a file is parsed and validated once: its
    validated form is kept there under the SHA-256 of its exact bytes (and of this assess
    version), so the next load of the same bytes skips YAML and pydantic. A changed file has
    another hash and is validated afresh; an unreadable or unwritable cache is ignored.
    """
    path = resolve_rubric_path(ref)
    if cache is None:
        return load_rubric_file(path)
    raw, _ = read_input(path, RubricError, "a rubric file")
    digest = hashlib.sha256(f"{__version__}/{_CACHE_FORMAT}\0".encode() + raw).hexdigest()
    entry = Path(cache) / f"rubric-{digest}.json"
    try:
        cached, _ = read_input(entry, OSError, "a cache entry", limit=50_000_000)
        return rubric_from_snapshot(cached.decode("utf-8"))
    except (OSError, ValueError, TypeError, KeyError, AttributeError, RecursionError):
        pass  # not cached yet (or a damaged entry): validate the file
    rubric = parse_rubric(raw, str(path))
    _write_cache_entry(entry, rubric.snapshot_json())
    return rubric


_CACHE_FORMAT = 2  # 2: questions carry ids and checklists


def _write_cache_entry(entry: Path, text: str) -> None:
    """Best effort: write atomically (temp file + rename) or not at all."""
    import tempfile

    tmp: str | None = None
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".rubric-", suffix=".tmp", dir=entry.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, entry)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def rubric_from_snapshot(text: str) -> Rubric:
    """Rebuild a rubric from its stored JSON snapshot (validated when it was stored)."""
    return Rubric.from_dict(json.loads(text))
