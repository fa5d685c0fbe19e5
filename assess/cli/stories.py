"""Behavioural stories: ``assess story add|list|show|edit|rm|coverage``.

Click only: parse, call, print."""

from __future__ import annotations

import contextlib
import sys
from typing import Any

import click

from assess.cli import common
from assess.cli.common import (
    App,
    _note,
    _path,
    _safe,
    _say,
    _shown,
    emit_json,
    open_store,
    pass_app,
    profile_and_rubric,
    terminal_ask,
)
from assess.errors import AssessError, UsageError


@click.group()
def story() -> None:
    """Your STAR stories for the behavioral round: add, list, show, edit, remove, coverage.

    Example: assess story add --from stories.yaml
    """


def _story_id(value: str) -> int:
    """A story id as typed: ASCII digits only (``str.isdigit`` also takes "³", which ``int``
    refuses) and short, so a 5000-digit id is refused before it is converted."""
    from assess.errors import InputError

    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0):
        raise InputError(f"ID: no story {_shown(value)} (`assess story list` shows the ids)")
    return int(text)


def _say_flags(saved: Any) -> None:
    from assess.app.stories import flag_lines

    for line in flag_lines(saved):
        click.echo(_safe(line))


@story.command("add")
@click.option("--from", "from_file", metavar="FILE",
              help="Add the stories of a YAML or JSON file (- for stdin) without prompting.")
@pass_app
def story_add(app: App, from_file: str | None) -> None:
    """Add a story: on a terminal, asks for each STAR part, the metric, topics and questions.

    A story file is a list of stories (or stories: [...]); each has title, situation, task,
    action, result, an optional metric, and topics and questions as lists of ids.

    Example: assess story add --from stories.yaml
    """
    if from_file is None and not common.stdin_is_tty():
        raise UsageError("no terminal to ask on: pass --from FILE (a YAML or JSON list of "
                         "stories; - for stdin)")
    from assess.app.stories import add_stories

    try:
        result = add_stories(app.home, from_file, terminal_ask, _say, _note)
    except (click.Abort, KeyboardInterrupt, EOFError):
        _note("")
        _note("Stopped: no story was saved.")
        sys.exit(130)
    for saved in result.added:
        click.echo(_safe(f"Added story {saved.id}: {saved.title}"))
        _say_flags(saved)
    for old in result.present:
        click.echo(_safe(f"Already here: story {old.id}: {old.title}"))
    _note("See them all with `assess story list`; `assess story coverage` shows the questions "
          "still without a story.")


@story.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def story_list(app: App, as_json: bool) -> None:
    """Every story with its id, the questions it answers and its flags.

    Example: assess story list --json
    """
    from assess.stories.star import story_json
    from assess.stories.view import list_lines

    with open_store(app) as store:
        stories = store.stories()
    if as_json:
        from assess.schemas import VERSION

        emit_json({"schema": VERSION, "stories": [story_json(s) for s in stories]})
        return
    for line in list_lines(stories):
        click.echo(_safe(line))


@story.command("show")
@click.argument("story_ref", metavar="ID")
@pass_app
def story_show(app: App, story_ref: str) -> None:
    """One story in full, with its topics, questions and flags.

    Example: assess story show 1
    """
    from assess.stories.view import show_text

    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        found = store.story(_story_id(story_ref))
    click.echo(_safe(show_text(found, rubric)))


@story.command("edit")
@click.argument("story_ref", metavar="ID")
@pass_app
def story_edit(app: App, story_ref: str) -> None:
    """Open a story in $EDITOR as YAML; it is checked when you save (an invalid story is
    refused and the saved one stays as it was). Set the editor with EDITOR=nano, say.

    Example: assess story edit 1
    """
    from assess.app.stories import edit_story

    story_id = _story_id(story_ref)
    saved = edit_story(app.home, story_id, lambda text: _edit_in_editor(
        text, f"story-{story_id}.yaml", f"story {story_id} (edited)"), _note)
    if saved is None:
        click.echo(f"No change: story {story_id} is as it was.")
        return
    click.echo(_safe(f"Saved story {saved.id}: {saved.title}"))
    _say_flags(saved)


def _edit_in_editor(text: str, name: str, label: str) -> str | None:
    """``text`` as the user's editor leaves it (None when not saved). The editor works on a
    file in a private temporary folder; only a regular UTF-8 file of bounded size is read
    back (a link, a pipe, a device, a folder or a deleted file is refused, InputError)."""
    import shutil
    import tempfile

    from assess.inputs.story_file import read_edited

    folder = _path(tempfile.mkdtemp(prefix="assess-edit-"))
    try:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        before = path.stat().st_mtime_ns
        try:
            click.edit(filename=str(path), extension=".yaml")
        except click.ClickException as exc:
            raise AssessError(f"$EDITOR: {exc.format_message()}") from None
        with contextlib.suppress(OSError):
            if path.lstat().st_mtime_ns == before and path.is_file() and not path.is_symlink():
                return None  # closed without saving
        return read_edited(path, label)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@story.command("rm")
@click.argument("story_ref", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@pass_app
def story_rm(app: App, story_ref: str, yes: bool) -> None:
    """Remove a story (asks first; --yes skips the question).

    Example: assess story rm 2 --yes
    """
    story_id = _story_id(story_ref)
    with open_store(app) as store:
        found = store.story(story_id)
        if not yes:
            if not common.stdin_is_tty():
                raise UsageError("no terminal to ask on: pass --yes to remove the story")
            if not click.confirm(_safe(f"Remove story {story_id}: {found.title}?"),
                                 default=False):
                click.echo("Kept.")
                return
        store.remove_story(story_id)
    click.echo(_safe(f"Removed story {story_id}: {found.title}"))


@story.command("coverage")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: each behavioral question id with its story ids.")
@pass_app
def story_coverage(app: App, as_json: bool) -> None:
    """A grid of the behavioral questions (and the recruiter pitch) against your stories.

    Every question should have a story; no story should answer more than three.

    Example: assess story coverage --json
    """
    from assess.stories.star import coverage
    from assess.stories.view import coverage_lines

    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        stories = store.stories()
    cover = coverage(rubric, stories)
    if as_json:
        emit_json({qid: list(ids) for qid, ids in cover.questions.items()})
        return
    for line in coverage_lines(rubric, stories, cover):
        click.echo(_safe(line))
