"""Standard output that cannot be written: full, closed, or a pipe whose reader left.

Plain Python for the CLI's boundary: it turns such a failure into one line on stderr and exit
1 (never a traceback), and keeps descriptors 0-2 taken when the program starts without them,
so that no file of ours (the database) is ever opened as "standard output".
"""

from __future__ import annotations

import errno
import os
import sys
from typing import Any, NoReturn

from assess.errors import AssessError


class OutputFailed(AssessError):
    """Standard output cannot be written (full, closed, a broken pipe): exit 1, one line.

    Raised at the CLI boundary and handled by ``main``, which leaves without flushing the
    failed stream again (a normal exit would print a traceback while flushing it)."""

    def __init__(self, error: OSError) -> None:
        super().__init__(error.strerror or str(error))


# what a failed write to standard output raises; a file of ours names itself in `filename`
_STREAM_ERRNOS = frozenset(
    getattr(errno, name) for name in ("EPIPE", "ENOSPC", "EIO", "EBADF", "EDQUOT", "EFBIG",
                                      "EINVAL") if hasattr(errno, name)
)


def is_output_failure(exc: OSError) -> bool:
    """True for an error writing to standard output (not to a file, which names itself)."""
    return exc.errno in _STREAM_ERRNOS and exc.filename is None


def output_failed(reason: str) -> NoReturn:
    """Say once on stderr that standard output failed, and leave without flushing it again."""
    try:
        sys.stderr.write(f"Error: cannot write to standard output ({reason})\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass
    os._exit(1)  # a normal exit would flush the failed stream again and print a traceback


class _ClosedStream:
    """Standard output when the program was started with it closed: every write fails."""

    encoding = "utf-8"
    errors = "strict"

    def __init__(self) -> None:
        self.buffer = self

    def write(self, _data: Any) -> int:
        raise OSError(errno.EBADF, "standard output is closed")

    def flush(self) -> None:
        return None

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise OSError(errno.EBADF, "standard output is closed")


def guard_standard_fds() -> None:
    """Hold descriptors 0-2 open on /dev/null when started without them: otherwise the next
    file opened (the database) would take the number, and anything written to "standard
    output" would land in it. A closed standard output then fails on the first write."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            held = os.open(os.devnull, os.O_RDWR)
            if held != fd:
                os.dup2(held, fd)
                os.close(held)
            if fd == 1:
                sys.stdout = _ClosedStream()  # type: ignore[assignment]
