"""The published JSON Schemas (draft 2020-12) of ``assess plan --json`` and the JSON report.

They ship inside the package as plain JSON files beside this module; ``assess schema plan``
and ``assess schema report`` print them. The tests validate every JSON output against them.
"""

from __future__ import annotations

from pathlib import Path

SCHEMAS = ("plan", "report")
_FOLDER = Path(__file__).resolve().parent


def schema_path(name: str) -> Path:
    """The file of the named schema (``plan`` or ``report``)."""
    if name not in SCHEMAS:
        raise ValueError(f"no schema {name!r}; one of {', '.join(SCHEMAS)}")
    return _FOLDER / f"{name}.schema.json"


def schema_text(name: str) -> str:
    """The named schema as JSON text."""
    return schema_path(name).read_text(encoding="utf-8")
