"""The published JSON Schemas (draft 2020-12) of the JSON outputs.

``plan``: ``assess plan --json``; ``week``: ``assess plan --week N --json``; ``report``: the
JSON report; ``stories``: ``assess story list --json``; ``attempts``: ``assess practice --list
--json``. They ship inside the package as plain JSON files beside this module; ``assess schema
NAME`` prints one. The tests validate every JSON output against them, and the schemas close
their objects (``additionalProperties: false``), so a key an output prints is a key its schema
declares.
"""

from __future__ import annotations

from pathlib import Path

SCHEMAS = ("plan", "week", "report", "stories", "attempts")
VERSION = 1  # the ``schema`` field of the JSON report, story list and attempt list
_FOLDER = Path(__file__).resolve().parent


def schema_path(name: str) -> Path:
    """The file of the named schema (one of ``SCHEMAS``)."""
    if name not in SCHEMAS:
        raise ValueError(f"no schema {name!r}; one of {', '.join(SCHEMAS)}")
    return _FOLDER / f"{name}.schema.json"


def schema_text(name: str) -> str:
    """The named schema as JSON text."""
    return schema_path(name).read_text(encoding="utf-8")
