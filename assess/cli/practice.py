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
    open_store,
    pass_app,
    profile_and_rubric,
    terminal_ask,
)
from assess.errors import UsageError


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
    from assess.app import practice_run
    from assess.evidence.practice import due_dates
    from assess.store import Store

    _practice_flags_agree(as_list, as_json, log_id, {
        "--question": question_id, "--topic": topic_id, "--log": log_id,
        "--minutes": minutes_text, "--covered": covered_text, "--note": note,
        "--date": date_text})
    if as_list:
        with open_store(app) as store:
            attempts = store.attempts()
            profile = store.get_profile()
        onsite = profile.interview_date if profile is not None else None
        _print_attempts(attempts, as_json, onsite if onsite and onsite > app.today else None)
        return
    if log_id is not None:
        _log_attempt(app, log_id, minutes_text, covered_text, rater, note, date_text)
        return
    if minutes_text is not None or covered_text is not None:
        raise UsageError("--minutes and --covered go with --log QUESTION_ID")
    if not common.stdin_is_tty():
        raise UsageError(
            "assess practice runs a timed attempt on a terminal. Without one, record an "
            "attempt with --log QUESTION_ID --minutes N --covered 1,3,4"
        )
    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        attempts = store.attempts()
    sessions = _planned_questions(app)
    pick = practice_run.choose(rubric, sessions, attempts, app.today, question_id, topic_id)
    q = pick.question
    try:
        click.echo(f"{pick.topic.title} ({pick.why})")
        click.echo(f"Question {q.id}: {q.text}")
        click.prompt(f"Time box: {q.minutes} min. Press Enter to start the clock",
                     default="", show_default=False)
        minutes = practice_run.run_clock(q.minutes, _write_inline, _enter_within)
        attempt = practice_run.record(pick, minutes, lambda t: terminal_ask(t, None), _say,
                                      app.today, rater)
    except (click.Abort, KeyboardInterrupt, EOFError):
        _note("")
        _note("Stopped: nothing was saved.")
        sys.exit(130)
    with Store.open(app.home) as store:
        saved = store.add_attempt(attempt)
        due = due_dates([a for a in store.attempts() if a.question == saved.question])
    click.echo(practice_run.summary(saved, due.get(saved.question)))


def _practice_flags_agree(as_list: bool, as_json: bool, log_id: str | None,
                          given: dict[str, str | None]) -> None:
    """Refuse flags that would be ignored: --list takes only --json; --log names its own
    question; --note and --date describe a logged attempt (a timed one asks for its note)."""
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


def _planned_questions(app: App) -> list[tuple[dt.date, str | None]]:
    """(date, question id) of the current plan's practice sessions; none without a plan."""
    from assess.app.engine import current_state

    try:
        state = current_state(app.home, app.today)
    except UsageError:
        return []
    return [(s.date, s.question_id) for w in state.plan.weeks for s in w.sessions
            if s.date is not None and s.activity in ("practice", "mock", "story")]


def _log_attempt(app: App, log_id: str, minutes_text: str | None, covered_text: str | None,
                 rater: str, note: str | None, date_text: str | None) -> None:
    from assess.app.practice_run import summary
    from assess.errors import InputError, NotFoundError
    from assess.evidence.practice import Attempt, due_dates, parse_covered

    if minutes_text is None or covered_text is None:
        raise UsageError("--log needs --minutes N and --covered POINTS (e.g. 1,3,4; '' for none)")
    try:
        minutes = float(minutes_text)
    except ValueError:
        raise InputError(f"--minutes: {minutes_text[:20]!r} is not a number") from None
    if not 0 < minutes <= 600:
        raise InputError(f"--minutes: must be more than 0 and at most 600 (got {minutes:g})")
    day = _day(date_text, "--date", app.today)
    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        try:
            topic, question = rubric.question(log_id)
        except NotFoundError as exc:
            raise InputError(f"--log: {exc}") from None
        if not question.checklist:
            raise InputError(f"--log: {log_id} has no checklist to score against")
        covered = parse_covered(covered_text, len(question.checklist))
        attempt = Attempt(question=question.id, topic=topic.id, date=day, minutes=minutes,
                          covered=covered, total=len(question.checklist),
                          time_box=question.minutes, rater=rater,
                          note=(note or "").strip())
        saved = store.add_attempt(attempt)
        due = due_dates([a for a in store.attempts() if a.question == saved.question])
    click.echo(summary(saved, due.get(saved.question)))


def _print_attempts(attempts: list[Any], as_json: bool, onsite: dt.date | None) -> None:
    from assess.evidence.practice import spacing

    plan = spacing(attempts, onsite)

    def recall(qid: str) -> float | None:
        r = plan[qid].recall_onsite
        return None if r is None else round(r, 2)

    if as_json:
        from assess.schemas import VERSION

        emit_json({"schema": VERSION,
                   "attempts": [{**a.to_json(), "next_due": plan[a.question].due.isoformat(),
                                 "recall_onsite": recall(a.question)} for a in attempts]})
        return
    if not attempts:
        click.echo("No attempts yet. `assess practice` runs one on a terminal.")
        return
    for a in attempts:
        click.echo(f"{a.date}  {a.question:<32} {a.summary():<28} {a.grade:<5} {a.rater}")
    click.echo("")
    head = "Next attempts due" + (f" (recall on the onsite day, {onsite}, if not practised "
                                  "again)" if onsite else "") + ":"
    click.echo(head)
    for sp in sorted(plan.values(), key=lambda sp: (sp.last_grade != "Again", sp.due,
                                                     sp.question)):
        r = recall(sp.question)
        click.echo(f"  {sp.due}  {sp.question}" + (f"  recall {r:.0%}" if r is not None else ""))
