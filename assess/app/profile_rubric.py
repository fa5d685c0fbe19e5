"""The rubric a profile names, even when its file is not on this machine.

A home moved from another machine (or restored from an export) may name a rubric file that
does not exist here. Every assessment keeps a snapshot of its rubric, so planning falls back to
the newest one, with a one-line warning, instead of failing on every command.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.rubric.model import Rubric, bundled_rubric_paths, load_rubric

if TYPE_CHECKING:
    from assess.store import Store


def _missing_file(ref: str) -> bool:
    """True when ``ref`` names a file path (not a bundled id) with no regular file behind it."""
    if ref in bundled_rubric_paths():
        return False
    try:
        return not stat.S_ISREG(os.stat(Path(ref).expanduser()).st_mode)
    except (OSError, ValueError):
        return True


def profile_rubric(store: Store, ref: str | None, cache: Path | None = None
                   ) -> tuple[Rubric, str | None]:
    """The rubric for ``ref`` (a bundled id or a file), and a warning when its file is missing
    and the stored snapshot stands in for it."""
    if ref is None or not _missing_file(ref):
        return load_rubric(ref, cache=cache), None
    snapshot = store.latest_rubric_snapshot()
    if snapshot is None:
        return load_rubric(ref, cache=cache), None  # the usual clear error
    from assess.core.textsafety import for_terminal

    return snapshot, (
        f"Warning: rubric file {for_terminal(ref)} is not here; using the copy stored with "
        f"your assessments ({snapshot.meta.id} v{snapshot.meta.version})"
    )


def missing_rubric_warning(store: Store) -> str | None:
    """The fallback warning for the store's profile, if its rubric file is missing."""
    profile = store.get_profile()
    if profile is None or not _missing_file(profile.rubric):
        return None
    return profile_rubric(store, profile.rubric)[1]


def profile_and_rubric(store: Store, note: Callable[[str], None]) -> tuple[Any, Rubric]:
    """The store's profile (or None) and the rubric it names (the default rubric without a
    profile); a missing rubric file is noted and its stored copy used."""
    from assess.store import CACHE_DIR

    profile = store.get_profile()
    rubric, warning = profile_rubric(store, profile.rubric if profile else None,
                                     store.path.parent / CACHE_DIR)
    if warning:
        note(warning)
    return profile, rubric
