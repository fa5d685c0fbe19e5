"""The one guard for every path assess writes a file to (reports, exports, the demo).

An output path must never reach the history: nothing inside the data home (the database and
its ``-wal`` and ``-shm`` files live there), and nothing that is not a regular file (a device,
a FIFO, a socket, a folder), symlinks followed. ``check_output_path`` refuses such a path with
one line (``UsageError``, exit 2) before any work is done.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from assess.errors import UsageError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _real(path: Path) -> Path:
    """``path`` with symlinks resolved as far as they exist (no error for a new file)."""
    try:
        return Path(os.path.realpath(path))
    except (OSError, ValueError):
        return path.absolute()


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def kind_of(mode: int) -> str | None:
    """What a non-regular file is ("a device"...), or None for a regular file."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return None if stat.S_ISREG(mode) else "not a regular file"


def check_output_path(target: str | os.PathLike[str], home: Path | None,
                      flag: str = "-o") -> Path:
    """The path to write, or ``UsageError`` naming ``flag`` when it would harm the history
    or is not a regular file (an existing one, or a new one in an existing folder)."""
    path = Path(target).expanduser()
    label = f"{flag}: {target}" if flag else str(target)
    real = _real(path)
    if home is not None:
        real_home = _real(Path(home).expanduser())
        if _inside(real, real_home):
            raise UsageError(
                f"{label}: is inside the data home {home}; the history is never overwritten, "
                "write the file elsewhere"
            )
    try:
        mode = os.stat(real).st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UsageError(f"{label}: cannot use this path ({exc.strerror})") from None
    if mode is not None:
        kind = kind_of(mode)
        if kind is not None:
            raise UsageError(f"{label}: is {kind}, expected a file name")
    folder = real.parent
    if not folder.is_dir():
        raise UsageError(f"{flag or target}: folder {path.parent} does not exist")
    return path
