"""What every command module shares: the App, the store, prompts, output helpers.

Click only: parse, call, print."""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import TYPE_CHECKING, Any, NamedTuple

import click

from assess.errors import UsageError

if TYPE_CHECKING:
    from pathlib import Path


class App(NamedTuple):
    """What every command knows: where the data lives and which day it is."""

    home: Path
    today: dt.date


def _path(value: str | os.PathLike[str]) -> Path:
    from pathlib import Path

    return Path(value)


def _parse_date(value: str, what: str) -> dt.date:
    from assess.core.bounds import EARLIEST

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        from assess.core.textsafety import shown

        raise UsageError(f"{what}: {shown(value)} is not a date in YYYY-MM-DD form") from None
    if day < EARLIEST:
        raise UsageError(f"{what}: {day.isoformat()} is before {EARLIEST.isoformat()}")
    return day


def emit_json(data: Any) -> None:
    """Print data as stable, sorted, indented JSON on stdout."""
    import json

    from assess.core.textsafety import for_terminal

    # JSON escapes C0 controls itself; C1 controls and bidi overrides (only ever inside
    # strings) become \u escapes too, so nothing from the data reaches a terminal raw
    click.echo(for_terminal(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)))


pass_app = click.make_pass_decorator(App)


def stdin_is_tty() -> bool:
    """True when a person can answer prompts (tests patch this to drive prompts)."""
    return bool(getattr(sys.stdin, "isatty", lambda: False)())


def terminal_ask(text: str, default: str | None) -> str:
    """The questionnaire's ``ask``: one line, Enter gives the default (or "" without one)."""
    return str(
        click.prompt(text, default="" if default is None else default,
                     show_default=bool(default))
    )


def _say(text: str) -> None:
    from assess.core.textsafety import for_terminal

    click.echo(for_terminal(text))


def _note(text: str) -> None:
    from assess.core.textsafety import for_terminal

    click.echo(for_terminal(text), err=True)


def open_store(app: App) -> Any:
    from assess.store import Store

    return Store.open(app.home)


def profile_and_rubric(store: Any) -> tuple[Any, Any]:
    """The profile (or None) and the rubric it names (the default rubric without a profile)."""
    from assess.app.profile_rubric import profile_and_rubric as of_store

    return of_store(store, _note)


def _warn_missing_rubric(app: App) -> None:
    """Say once when the profile's rubric file is missing and its stored copy is used."""
    from assess.app.profile_rubric import missing_rubric_warning

    with open_store(app) as store:
        warning = missing_rubric_warning(store)
    if warning:
        _note(warning)


def _day(value: str | None, what: str, today: dt.date) -> dt.date:
    if value is None:
        return today
    day = _parse_date(value, what)
    if day > today:
        raise UsageError(f"{what}: {day.isoformat()} is in the future (today is {today})")
    return day


def _rate_on_terminal(
    app: App, store: Any, profile: Any, rubric: Any, rater: str, round_id: str | None,
    defaults: Any = None,
) -> Any:
    from assess.app.flow_steps import Stopped, rate_on_terminal

    if profile is None:
        _note(f"No profile yet: rating against {rubric.meta.id}. "
              "Run `assess init` to set your interview date and hours.")

    def ask(text: str, default: str | None) -> str:
        try:
            return terminal_ask(text, default)
        except click.Abort:  # Ctrl-C or the end of input at a prompt
            raise KeyboardInterrupt from None

    try:
        return rate_on_terminal(store, rubric, rater, app.today, ask, _say, round_id, defaults)
    except Stopped as stop:
        _note("")
        for line in stop.lines:
            _note(line)
        sys.exit(130)


def _shown(text: str) -> str:
    from assess.core.textsafety import shown

    return shown(text)


def _output_path(app: App, target: str, flag: str = "-o") -> Path:
    """Where a file may be written: never inside the data home, never over anything but a
    regular file (see ``assess.core.safepath``)."""
    from assess.core.safepath import check_output_path

    return check_output_path(target, app.home, flag)


def _report_target(app: App, output: str | None, fmt: str | None) -> tuple[Path, str]:
    """Where the report goes and its format, checked before anything is asked or written."""
    from assess.app.flow_steps import report_target

    return report_target(app.home, app.today, output, fmt)


def _warn_missing(chars: list[str]) -> None:
    """One line on stderr per character no installed font could draw, with the fix."""
    from assess.report.glyphs import warning

    for char in chars:
        click.echo(warning(char), err=True)


def _all_or_nothing(app: App) -> Any:
    from assess.store import Store

    return Store.all_or_nothing(app.home)


def _safe(text: str) -> str:
    from assess.core.textsafety import for_terminal

    return for_terminal(text)
