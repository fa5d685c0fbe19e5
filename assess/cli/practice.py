"""Timed practice attempts: ``assess practice``.

Click only: parse, call, print."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from assess.cli import common
from assess.cli.common import (
    App,
    _day,
    _note,
    _say,
    emit_json,
    pass_app,
    terminal_ask,
)
from assess.errors import UsageError

# what ends a prompt early: Ctrl-C or the end of input
STOPS = (click.Abort, KeyboardInterrupt, EOFError)


@click.command("practice")
@click.option("--question", "question_id", metavar="ID", help="Practise this question.")
@click.option("--topic", "topic_id", metavar="ID", help="Practise this topic's next question.")
@click.option("--log", "log_id", metavar="QUESTION_ID",
              help="Record an attempt made elsewhere (with --minutes and --covered); no clock.")
@click.option("--minutes", "minutes_text", metavar="N", help="Minutes the attempt took.")
@click.option("--covered", "covered_text", metavar="1,3,4",
              help="The checklist points the answer covered ('' for none).")
@click.option("--rater", type=click.Choice(["self", "mentor", "peer"]), default="self",
              show_default=True, help="Who scored the attempt (mentor or peer for a mock).")
@click.option("--note", help="What to do better next time.")
@click.option("--date", "date_text", metavar="YYYY-MM-DD",
              help="The day of the attempt (default today).")
@click.option("--list", "as_list", is_flag=True, help="List your attempts and what is due.")
@click.option("--json", "as_json", is_flag=True, help="With --list: machine-readable JSON.")
@pass_app
def practice_cmd(app: App, question_id: str | None, topic_id: str | None, log_id: str | None,
                 minutes_text: str | None, covered_text: str | None, rater: str,
                 note: str | None, date_text: str | None, as_list: bool, as_json: bool) -> None:
    """A timed attempt at a practice question, scored against its answer checklist.

    On a terminal it picks today's planned question (or a re-attempt that is due), runs a
    countdown (Enter stops it), then asks which checklist points you covered. Ctrl-C saves
    nothing. Each attempt schedules the question's next re-attempt (FSRS) and counts as
    evidence for your rating of its topic.

    Example: assess practice --log sd-trust-safety-q1 --minutes 42 --covered 1,2,3,5
    """
    from assess.app import practice
    from assess.app.prompts import Stopped

    _practice_flags_agree(as_list, as_json, log_id, {
        "--question": question_id, "--topic": topic_id, "--log": log_id,
        "--minutes": minutes_text, "--covered": covered_text, "--note": note,
        "--date": date_text})
    if as_list:
        _print_attempts(practice.attempt_list(app.home, app.today), as_json)
    elif log_id is not None:
        minutes, covered, day = _log_options(app, minutes_text, covered_text, date_text)
        click.echo(practice.log_attempt(app.home, log_id, minutes, covered, day, rater, note,
                                        _note))
    elif not common.stdin_is_tty():
        raise UsageError(
            "assess practice runs a timed attempt on a terminal. Without one, record an "
            "attempt with --log QUESTION_ID --minutes N --covered 1,3,4")
    else:
        try:
            click.echo(practice.timed_attempt(
                app.home, app.today, terminal_ask, _say, _clock, question_id=question_id,
                topic_id=topic_id, rater=rater, warn=_note, stop=STOPS))
        except Stopped as stopped:
            _note("")
            _note(f"Stopped: {stopped}")
            sys.exit(130)


def _practice_flags_agree(as_list: bool, as_json: bool, log_id: str | None,
                          given: dict[str, str | None]) -> None:
    """Refuse flags that would be ignored: --list takes only --json; --log names its own
    question; --note and --date describe a logged attempt (a timed one asks for its note);
    --minutes and --covered go with --log."""
    used = [flag for flag, value in given.items() if value is not None]
    if as_list and used:
        raise UsageError(f"--list shows your attempts and takes only --json, not {used[0]}")
    if as_json and not as_list:
        raise UsageError("--json goes with --list")
    if log_id is not None:
        for flag in ("--question", "--topic"):
            if given[flag] is not None:
                raise UsageError(f"--log and {flag}: --log names the question of an attempt "
                                 "made elsewhere; give one or the other")
    else:
        for flag in ("--note", "--date"):
            if given[flag] is not None:
                raise UsageError(f"{flag} goes with --log QUESTION_ID (a timed attempt asks "
                                 "for its note and is dated today)")
        if given["--minutes"] is not None or given["--covered"] is not None:
            raise UsageError("--minutes and --covered go with --log QUESTION_ID")


def _clock(minutes: int) -> float:
    """The countdown on this terminal, until Enter: the minutes used."""
    from assess.app.practice_run import run_clock

    return run_clock(minutes, _write_inline, _enter_within)


def _write_inline(text: str) -> None:
    click.echo(text, nl=False)


def _enter_within(seconds: float) -> bool:
    """Wait up to ``seconds`` for a line on standard input (a terminal); True when one came."""
    import select

    ready, _, _ = select.select([sys.stdin], [], [], seconds)
    if ready:
        sys.stdin.readline()
        return True
    return False


def _log_options(app: App, minutes_text: str | None, covered_text: str | None,
                 date_text: str | None) -> tuple[float, str, dt.date]:
    """--log's --minutes, --covered and --date, checked."""
    from assess.errors import InputError

    if minutes_text is None or covered_text is None:
        raise UsageError("--log needs --minutes N and --covered POINTS (e.g. 1,3,4; '' for none)")
    try:
        minutes = float(minutes_text)
    except ValueError:
        raise InputError(f"--minutes: {minutes_text[:20]!r} is not a number") from None
    if not 0 < minutes <= 600:
        raise InputError(f"--minutes: must be more than 0 and at most 600 (got {minutes:g})")
    return minutes, covered_text, _day(date_text, "--date", app.today)


def _print_attempts(listing: Any, as_json: bool) -> None:
    """The attempts, one a line, then each question's next attempt (and the recall on the
    onsite day); or all of it as JSON."""
    if as_json:
        emit_json(listing.to_json())
        return
    if not listing.attempts:
        click.echo("No attempts yet. `assess practice` runs one on a terminal.")
        return
    for a in listing.attempts:
        click.echo(f"{a.date}  {a.question:<32} {a.summary():<28} {a.grade:<5} {a.rater}")
    click.echo("")
    onsite = listing.onsite
    head = "Next attempts due" + (f" (recall on the onsite day, {onsite}, if not practised "
                                  "again)" if onsite else "") + ":"
    click.echo(head)
    for sp in listing.next_due():
        r = listing.recall(sp.question)
        click.echo(f"  {sp.due}  {sp.question}" + (f"  recall {r:.0%}" if r is not None else ""))
