"""What the first run, the weekly check-in and the profile flows share: their printout and
how they stop, where the report goes and how it is written, the questionnaire on a terminal
and the summary printed after a rating. No Click.

A flow talks to the person through callables: ``ask(prompt, default)`` returns a line (it
raises ``KeyboardInterrupt`` or ``EOFError`` when the person stops), ``say`` prints on
standard output and ``note`` on standard error, both as it goes, each making its text safe
for a terminal. What a flow prints once it is over comes back as a ``Printout``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.app.profile_rubric import profile_and_rubric
from assess.app.prompts import Ask, Say
from assess.app.prompts import Stopped as _Stopped
from assess.core.textsafety import for_terminal
from assess.errors import UsageError

__all__ = ["Ask", "Printout", "Say", "Stopped", "profile_and_rubric", "rate_on_terminal",
           "rate_summary", "report_target", "write_report"]


@dataclass
class Printout:
    """The lines a flow leaves for its command to print, in order, and the exit code.

    Each line goes as it is (the flow has made untrusted text safe already) to standard
    output (``out``) or standard error (``note``)."""

    lines: list[tuple[str, str]] = field(default_factory=list)
    exit_code: int = 0

    def out(self, text: str) -> None:
        self.lines.append(("out", text))

    def note(self, text: str) -> None:
        self.lines.append(("err", text))

    def _stream(self, name: str) -> list[str]:
        return [line for stream, text in self.lines if stream == name
                for line in text.split("\n")]

    @property
    def stdout(self) -> list[str]:
        """The lines for standard output, one string per line."""
        return self._stream("out")

    @property
    def stderr(self) -> list[str]:
        """The lines for standard error, one string per line."""
        return self._stream("err")


class Stopped(_Stopped):
    """The person stopped at a prompt (Ctrl-C, end of input): exit 130 with these lines.

    Raised inside the store's block, so an all-or-nothing transaction is rolled back; the
    flow's entry point turns it into its ``Printout``."""

    def __init__(self, *lines: str) -> None:
        super().__init__(*lines)
        self.lines = lines

    def printout(self) -> Printout:
        printout = Printout(exit_code=130)
        for line in ("", *self.lines):
            printout.note(for_terminal(line))
        return printout


def report_target(home: Path, today: dt.date, output: str | None, fmt: str | None
                  ) -> tuple[Path, str]:
    """Where the report goes and its format, checked before anything is asked or written."""
    from assess.core.safepath import check_output_path
    from assess.report.formats import default_report_name
    from assess.report.render import format_for

    target = output or default_report_name(today.isoformat())
    if target == "-":
        raise UsageError("-o -: give a file name; this command prints its summary on stdout")
    kind = format_for(target, fmt)
    return check_output_path(target, home, "-o"), kind


def write_report(home: Path, today: dt.date, path: Path, kind: str, note: Say,
                 progress: Say | None = None) -> Path:
    """Render today's report to ``path``; ``progress`` hears that it starts, ``note`` each
    character no installed font can draw."""
    from assess.app.engine import current_state
    from assess.report.glyphs import warning
    from assess.report.render import render_report

    state = current_state(home, today)
    if progress is not None:
        progress(f"Rendering the {kind.upper()} report...")
    missing: list[str] = []
    written = render_report(state, path, kind, missing=missing)
    for char in missing:
        note(warning(char))
    return written


def rate_on_terminal(store: Any, rubric: Any, rater: str, today: dt.date, ask: Ask,
                     say: Say, scope: str | None = None, defaults: Any = None) -> Any:
    """The questionnaire (one round with ``scope``; ``defaults`` offered as the answers), each
    answer saved as given; a stop says how far it got."""
    from assess.app.history import answered_in_scope
    from assess.app.questionnaire import rate_interactively

    try:
        return rate_interactively(store, rubric, rater, today, ask, say, scope=scope,
                                  defaults=defaults)
    except (KeyboardInterrupt, EOFError):
        open_one = store.unfinished(rater)
        done, total = answered_in_scope(store, open_one) if open_one else (0, 0)
        raise Stopped(f"Stopped. {done} of {total} answers are saved; "
                      "run `assess rate` again to pick up where you left off.") from None


def rate_summary(store: Any, result: Any, target_level: int, printout: Printout) -> None:
    """After a rating: what was saved and logged (standard error), then the readiness by
    round (standard output); a mentor's rating is read over the candidate's own."""
    from assess.app.questionnaire import assessment_line, readiness_lines

    assessment = result.assessment
    rubric = store.rubric_snapshot(assessment.id)
    printout.note(for_terminal(assessment_line(assessment, rubric)))
    for round_id, hours in result.logged_hours.items():
        printout.note(for_terminal(f"Logged {hours:g} h on {rubric.round(round_id).title}."))
    if result.stories_added:
        printout.note(for_terminal(
            f"Added {result.stories_added} STAR stor"
            f"{'y' if result.stories_added == 1 else 'ies'} (`assess story list`)."))
    ratings = dict(assessment.ratings)
    if assessment.rater == "mentor":  # the one readiness rule (see scoring.readiness_series)
        mine = store.latest_complete("self", on_or_before=assessment.date)
        standing: dict[str, int] = {}
        for earlier in store.assessments("mentor"):
            if earlier.date <= assessment.date:
                standing.update({k: v for k, v in earlier.ratings.items() if v is not None})
        ratings = {**(dict(mine.ratings) if mine else {}),
                   **{k: v for k, v in standing.items() if k in rubric.topics}}
    printout.out("\n".join(readiness_lines(rubric, ratings, target_level)))

