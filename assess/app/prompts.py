"""The terminal's ``ask`` and ``say`` callables and the small prompts built on them."""

from __future__ import annotations

import textwrap
from collections.abc import Callable

Ask = Callable[[str, "str | None"], str]
Say = Callable[[str], None]


class Stopped(Exception):
    """The person stopped at a prompt (Ctrl-C, end of input) in a flow that says what it kept:
    the message, e.g. "nothing was saved."."""


WIDTH = 96


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(
        " ".join(str(text).split()), width=WIDTH, initial_indent=indent, subsequent_indent=indent
    )


def ask_yes_no(ask: Ask, say: Say, prompt: str, default: bool = True) -> bool:
    while True:
        reply = ask(prompt, "y" if default else "n").strip().lower()
        if reply in ("y", "yes"):
            return True
        if reply in ("n", "no"):
            return False
        say("Please answer y or n.")
