"""Reading a user's file, or standard input, with one clear line when it cannot be read.

Kept apart from ``assess.parsing`` so that reading bytes (for a hash, say) imports no YAML.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO


def read_input(source: str | Path, error: type[Exception], kind: str,
               stdin: BinaryIO | None = None) -> tuple[bytes, str]:
    """The bytes of a user's file (``-`` reads standard input) and the label errors use.

    A missing file, a folder or an unreadable file raises ``error`` naming it; ``kind`` says
    what was expected ("a rubric file").
    """
    if str(source) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        return stream.read(), "<stdin>"
    path = Path(source).expanduser()
    label = str(source)
    try:
        return path.read_bytes(), label
    except FileNotFoundError:
        raise error(f"{label}: no such file") from None
    except IsADirectoryError:
        raise error(f"{label}: is a folder, expected {kind}") from None
    except OSError as exc:
        raise error(f"{label}: cannot read ({exc.strerror or exc})") from None
