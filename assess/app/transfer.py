"""Import a history written by ``assess export``: read and decode the file, then merge it in
one transaction (the history and the profile, or nothing). No Click: the command prints the
lines ``import_history`` returns."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

MAX_IMPORT_BYTES = 50_000_000  # years of weekly check-ins fit in a few MB


@dataclass
class Imported:
    lines: list[str] = field(default_factory=list)  # for stdout
    notes: list[str] = field(default_factory=list)  # for stderr


def import_history(home: Path, today: dt.date, file: str) -> Imported:
    """Merge ``file`` (``-`` for stdin) into the home under ``home``; importing twice adds
    nothing. A file that is not an export raises ``InputError`` and changes nothing."""
    from assess.core.readers import read_input
    from assess.errors import InputError
    from assess.store import Store

    raw, label = read_input(file, InputError, "an `assess export` file", limit=MAX_IMPORT_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{label}: not an assess export (invalid JSON: {exc})") from None
    except RecursionError:
        raise InputError(f"{label}: not an assess export (JSON nested too deeply)") from None
    with Store.all_or_nothing(home) as store:
        result = store.import_data(data, label, today)
    out = Imported()
    out.lines.append(
        f"Imported {result.assessments_added} assessments and {result.hours_added} hours entries"
        f" from {label}; already here: {result.assessments_present + result.assessments_merged}"
        f" assessments ({result.assessments_merged} completed from the file) and "
        f"{result.hours_present} hours entries.")
    if result.stories_added or result.stories_present:
        out.lines.append(f"Stories: {result.stories_added} imported, {result.stories_present} "
                         "already here.")
    if result.profile_imported:
        out.notes.append("Imported the profile too.")
    out.notes.extend(result.messages)
    return out
