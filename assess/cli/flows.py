"""The terminal side of the app's flows (``assess.app.start``, ``assess.app.checkin``): the
``ask`` they get (None when no one can answer prompts), the Rendering note shown only on a
terminal, and printing the printout a flow returns.

Click only: parse, call, print."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from assess.cli import common
from assess.cli.common import _note, terminal_ask

if TYPE_CHECKING:
    from assess.app.flow_steps import Printout


def _ask(text: str, default: str | None) -> str:
    """``terminal_ask``, with Click's Abort (Ctrl-C or the end of input at a prompt) as the
    KeyboardInterrupt the flows stop on."""
    try:
        return terminal_ask(text, default)
    except click.Abort:
        raise KeyboardInterrupt from None


def flow_ask(no_input: bool) -> Any:
    """The flows' ``ask``: prompts on a terminal, None with --no-input or without one."""
    return _ask if not no_input and common.stdin_is_tty() else None


def progress() -> Any:
    """Where a flow says that a slow step starts: standard error, when it is a terminal."""
    return _note if sys.stderr.isatty() else None


def print_flow(printout: Printout) -> None:
    """Print what the flow left to print, each line on its stream, and exit with its code."""
    for stream, text in printout.lines:
        click.echo(text, err=stream == "err")
    if printout.exit_code:
        sys.exit(printout.exit_code)
