"""The one error family of assess.

Every error a user can cause or meet is an ``AssessError``. The CLI boundary turns them into
one or two plain lines on stderr and the exit code below; nothing else prints tracebacks.
"""

from __future__ import annotations


class AssessError(Exception):
    """Base of every error assess reports to the user (exit 1 unless a subclass says 2)."""

    exit_code: int = 1


class UsageError(AssessError):
    """The command was called wrongly: a missing flag, a bad option value (exit 2)."""

    exit_code = 2


class InputError(AssessError):
    """A file or value from the user is malformed or out of range (exit 2)."""

    exit_code = 2


class RubricError(InputError):
    """A rubric file cannot be parsed or fails validation (exit 2)."""


class AnswersError(InputError):
    """An answers file cannot be parsed or does not fit the rubric (exit 2)."""


class NotFoundError(InputError):
    """Something named by the user does not exist: a rubric id, a round, a topic (exit 2)."""


class StoreError(AssessError):
    """The history database cannot be opened, read or written (exit 1)."""


class RenderError(AssessError):
    """A report could not be rendered or written (exit 1)."""
