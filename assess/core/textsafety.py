"""Text from users and files, made safe for the terminal and for error messages.

Two rules, applied at every entry point (prompts, flags, files, import) and on the way out:

* ``unsafe_character`` finds what a terminal would obey rather than show: C0 controls (tab and
  newline are allowed only where a note may have them), DEL, C1 controls (which include the
  8-bit ESC, CSI and OSC), and the Unicode bidi overrides and isolates that reorder a line.
* ``for_terminal`` makes any text printable, showing such characters as escapes; ``shown`` is
  a bounded ``repr`` for error messages, whatever the size of the value.
"""

from __future__ import annotations

import re
import reprlib
from typing import Any

from assess.errors import InputError

# bidi embeddings and overrides (U+202A-U+202E), isolates (U+2066-U+2069), and the marks that
# flip a run without a visible trace (U+200E, U+200F, U+061C)
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_IN_NOTES = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")

MAX_SHOWN = 60


def unsafe_character(text: str, *, multiline: bool = False) -> str | None:
    """``"U+001B"`` for the first character a terminal would obey, or None.

    With ``multiline`` (notes), newline and tab are fine.
    """
    found = (_UNSAFE_IN_NOTES if multiline else _UNSAFE).search(text)
    return f"U+{ord(found.group()):04X}" if found else None


def check_text(text: str, where: str, *, multiline: bool = False,
               max_chars: int | None = None) -> str:
    """Return ``text`` unchanged, or raise ``InputError`` naming ``where`` (a flag or field)."""
    if max_chars is not None and len(text) > max_chars:
        raise InputError(f"{where}: longer than {max_chars} characters")
    code = unsafe_character(text, multiline=multiline)
    if code:
        raise InputError(f"{where}: control character {code} is not allowed (plain text only)")
    return text


def for_terminal(text: str) -> str:
    """``text`` with every control or bidi character shown as an escape (newlines kept)."""
    return _UNSAFE_IN_NOTES.sub(lambda m: f"\\u{ord(m.group()):04x}", text).replace("\t", " ")


_REPR = reprlib.Repr()
_REPR.maxstring = MAX_SHOWN
_REPR.maxother = MAX_SHOWN
_REPR.maxlevel = 2
_REPR.maxdict = _REPR.maxlist = _REPR.maxtuple = _REPR.maxset = 4
_REPR.maxlong = 30


def shown(value: Any) -> str:
    """A ``repr`` cut to a few dozen characters, in time bounded by the cut, not the value:
    an error message never prints (or first builds) an unbounded value."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        return "a huge number"
    try:
        text = _REPR.repr(value)
    except (ValueError, RecursionError):
        return f"a {type(value).__name__}"
    if len(text) > MAX_SHOWN + 10:
        text = text[:MAX_SHOWN] + "..."
    return for_terminal(text)
