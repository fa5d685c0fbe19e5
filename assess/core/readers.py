"""Reading a user's file, or standard input, with one clear line when it cannot be read.

Bounded: a path must be a regular file (a FIFO, a device or a socket is refused before it is
read, so nothing hangs or reads forever), and no more than ``limit`` bytes are read from a file
or from standard input. Kept apart from ``assess.core.parsing`` so that reading bytes (for a hash,
say) imports no YAML.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO

MAX_INPUT_BYTES = 2_000_000  # a rubric or answers file; far above any real one
MAX_PDF_BYTES = 20_000_000  # a mentor's filled-in PDF form (a report is well under 1 MB)


def too_big(label: str, limit: int) -> str:
    """The refusal for a file larger than ``limit`` bytes."""
    return _too_big(label, limit)


def _too_big(label: str, limit: int) -> str:
    size = f"{limit // 1_000_000} MB" if limit >= 1_000_000 else f"{limit} bytes"
    return f"{label}: larger than {size}; not read"


def _read_capped(stream: BinaryIO, limit: int) -> bytes | None:
    """At most ``limit`` bytes; None when there is more."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(1 << 16, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return None if total > limit else b"".join(chunks)


def read_input(source: str | Path, error: type[Exception], kind: str,
               stdin: BinaryIO | None = None, limit: int = MAX_INPUT_BYTES) -> tuple[bytes, str]:
    """The bytes of a user's file (``-`` reads standard input) and the label errors use.

    A missing file, a folder, anything but a regular file, an unreadable file or one larger
    than ``limit`` raises ``error`` naming it; ``kind`` says what was expected ("a rubric
    file").
    """
    from assess.core.safepath import kind_of
    from assess.core.textsafety import for_terminal

    if str(source) == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = _read_capped(stream, limit)
        if data is None:
            raise error(_too_big("<stdin>", limit))
        return data, "<stdin>"
    path = Path(source).expanduser()
    label = for_terminal(str(source))
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer; the type is checked on the
        # open descriptor, so nothing can be swapped in between the check and the read
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except FileNotFoundError:
        raise error(f"{label}: no such file") from None
    except IsADirectoryError:
        raise error(f"{label}: is a folder, expected {kind}") from None
    except OSError as exc:
        raise error(f"{label}: cannot read ({exc.strerror or exc})") from None
    try:
        info = os.fstat(fd)
        what = kind_of(info.st_mode)
        if what is not None:
            raise error(f"{label}: is {what}, expected {kind} (a regular file)")
        if info.st_size > limit:
            raise error(_too_big(label, limit))
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = _read_capped(handle, limit)  # a file that grows while read stays bounded
    except OSError as exc:
        raise error(f"{label}: cannot read ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if data is None:
        raise error(_too_big(label, limit))
    return data, label
