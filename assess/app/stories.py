"""Story flows: add stories from a file or by asking on a terminal, and edit one as YAML.
No Click: the commands pass ``ask``/``say`` and an ``edit`` callable (the editor) and print
what comes back."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.errors import AssessError

Ask = Callable[..., str]
Say = Callable[[str], None]


@dataclass(frozen=True)
class Added:
    added: Sequence[Any]  # stories saved now
    present: Sequence[Any]  # stories already in the bank (the same text and uid)


def _rubric(store: Any, note: Say) -> Any:
    from assess.app.profile_rubric import profile_and_rubric

    return profile_and_rubric(store, note)[1]


def add_stories(home: Path, from_file: str | None, ask: Ask | None, say: Say,
                note: Say) -> Added:
    """Add the stories of ``from_file`` (YAML or JSON; ``-`` for stdin), or one story asked
    part by part with ``ask`` (its prompts' help through ``say``; warnings through ``note``).
    Nothing is saved when reading or asking fails."""
    from assess.store import Store

    with Store.open(home) as store:
        rubric = _rubric(store, note)
        if from_file is not None:
            from assess.inputs.story_file import read_story_file

            stories = read_story_file(from_file, rubric)
        else:
            from assess.stories.view import ask_story

            if ask is None:
                raise ValueError("add_stories: give from_file or ask")
            stories = [ask_story(rubric, ask, say)]
        added, present = store.add_stories(stories)
    return Added(added, present)


def edit_story(home: Path, story_id: int, edit: Callable[[str], str | None],
               note: Say) -> Any | None:
    """Let ``edit`` change the story's YAML; the story saved, or None when nothing changed.
    An edit that does not validate is refused (the saved story stays as it was) and kept in
    a temporary file the error names, so the work is not lost."""
    from assess.inputs.story_file import edit_text, parse_edited
    from assess.store import Store

    with Store.open(home) as store:
        rubric = _rubric(store, note)
        text = edit_text(store.story(story_id), rubric)
        edited = edit(text)
        if edited is None or edited == text:
            return None
        try:
            new = parse_edited(edited, f"story {story_id} (edited)", rubric)
        except AssessError as exc:
            kept = keep_edit(edited, story_id)
            raise type(exc)(f"{exc}\nyour edit is kept in {kept}; the saved story is as "
                            "it was" if kept else str(exc)) from None
        return store.replace_story(story_id, new)


def keep_edit(text: str, story_id: int) -> str | None:
    """Save a refused edit where the user can take it up again (None when that fails)."""
    try:
        handle, name = tempfile.mkstemp(prefix=f"assess-story-{story_id}-", suffix=".yaml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError:
        return None
    return name


def flag_lines(story: Any) -> list[str]:
    """One line per STAR flag of a saved story, to print under it."""
    from assess.stories.star import critique

    return [f"  ! {flag.code}: {flag.message}" for flag in critique(story)]
