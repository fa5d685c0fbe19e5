"""The plan on record for today's facts: the plan's input hash beyond the database and the
lookup of the plan saved for it (``assess plan --json`` answers from it without
scoring or planning anything)."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any


def rubric_file_digest(ref: str | None) -> str:
    """A rubric named by a file path: the digest of its bytes (a changed file re-plans)."""
    if not ref:
        return ""
    path = Path(ref)
    try:
        if path.is_file():
            return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return ""
    return ""


def hash_extra(profile_rubric: str, rubric_ref: str | None) -> tuple[str, ...]:
    """What a plan depends on beyond the database: the assess version, a ``--rubric``
    override, and the bytes of a rubric named by a file path."""
    from assess import __version__

    return (__version__, rubric_ref or "", rubric_file_digest(rubric_ref or profile_rubric))


def saved_plan_json(home: Path, today: dt.date, rubric_ref: str | None = None
                    ) -> dict[str, Any] | None:
    """The plan saved for today's facts, if any, without scoring or planning anything."""
    from assess.store import Store

    with Store.open(home) as store:
        profile = store.get_profile()
        if profile is None:
            return None
        saved = store.plan_by_hash(store.inputs_hash(today, hash_extra(profile.rubric,
                                                                       rubric_ref)))
    return saved.body if saved is not None else None
