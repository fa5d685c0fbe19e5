"""Ratings and hours: ``assess rate``, ``assess checkin``, ``assess log``.

Click only: parse, call, print."""

from __future__ import annotations

from typing import Any

import click

from assess.cli import common
from assess.cli.common import (
    App,
    _day,
    _note,
    _rate_on_terminal,
    _say,
    open_store,
    pass_app,
    profile_and_rubric,
)
from assess.cli.flows import flow_ask, print_flow, progress
from assess.errors import UsageError
from assess.report.formats import FORMATS as _REPORT_FORMATS


def _check_round(rubric: Any, round_id: str | None, flag: str = "--round") -> None:
    from assess.errors import NotFoundError

    if round_id is None:
        return
    try:
        rubric.round(round_id)
    except NotFoundError as exc:
        raise NotFoundError(f"{flag}: {exc}") from None


@click.command()
@click.option("--rater", type=click.Choice(["self", "mentor"]), default=None,
              help="Who is rating: you (self, the default) or your mentor.")
@click.option("--answers", "answers_file", metavar="FILE",
              help="Read ratings from a YAML or JSON answers file (- for stdin), or a "
                   "mentor's filled-in PDF form (`assess report --mentor-form`); no prompts.")
@click.option("--template", is_flag=True,
              help="Print an answers file to fill in: every topic id, its title and the scale.")
@click.option("--round", "round_id", metavar="ID", help="Rate only this round's topics.")
@pass_app
def rate(
    app: App, rater: str | None, answers_file: str | None, template: bool, round_id: str | None
) -> None:
    """Rate every topic 1-5 (the questionnaire). Each answer is saved as you give it.

    On a terminal: Enter keeps your last rating, ? shows practice questions, n adds a note,
    s skips, b goes back. Ctrl-C stops; the next `assess rate` resumes where you left off.

    Example: assess rate --answers week1.yaml
    """
    from assess.app.flow_steps import Printout, rate_summary
    from assess.app.history import target_level_of
    from assess.inputs.answers import read_answers, template_text

    if template and answers_file:
        raise UsageError("--template and --answers do not go together: print, fill in, then read")
    with open_store(app) as store:
        profile, rubric = profile_and_rubric(store)
        _check_round(rubric, round_id)
        if template:
            click.echo(template_text(rubric, rater or "self", round_id), nl=False)
            return
        if answers_file is not None:
            from assess.app.questionnaire import apply_answers

            answers = read_answers(answers_file, rubric, app.today, scope=round_id,
                                   profile_id=store.home_id())
            result = apply_answers(store, rubric, answers, rater, app.today, scope=round_id)
        elif not common.stdin_is_tty():
            raise UsageError(
                "no terminal to ask on: pass --answers FILE (or - for stdin); "
                "`assess rate --template` prints one to fill in"
            )
        else:
            result = _rate_on_terminal(app, store, profile, rubric, rater or "self", round_id)
        summary = Printout()
        rate_summary(store, result, target_level_of(profile), summary)
        print_flow(summary)
    if result.assessment.complete and common.stdin_is_tty():
        _note("Next: `assess plan` shows your study plan; `assess report` writes the PDF.")


@click.command("log")
@click.argument("round_id", metavar="ROUND")
@click.argument("hours_text", metavar="HOURS")
@click.option("--date", "date_text", metavar="YYYY-MM-DD",
              help="The day of the work (default today).")
@click.option("--note", help="What you did, in a few words.")
@click.option("--topic", "topic_id", metavar="ID",
              help="The topic of the round you worked on (counts toward that topic's need).")
@pass_app
def log_cmd(
    app: App, round_id: str, hours_text: str, date_text: str | None, note: str | None,
    topic_id: str | None,
) -> None:
    """Record hours you actually spent on a round (more than 0, at most 24 per entry).

    With --topic the hours also count toward that topic's need in the plan.

    Example: assess log system-design 2.5 --topic sd-feature-pipelines --note "feature store"
    """
    from assess.errors import InputError
    from assess.inputs.answers import check_log_entry

    try:
        hours = float(hours_text)
    except ValueError:
        raise InputError(f"HOURS: {hours_text!r} is not a number of hours") from None
    day = _day(date_text, "--date", app.today)
    if note is not None:
        from assess.core.textsafety import check_text
        from assess.inputs.answers_model import MAX_NOTE_CHARS

        check_text(note, "--note", max_chars=MAX_NOTE_CHARS)
    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        check_log_entry(rubric, round_id, hours)
        if topic_id is not None and rubric.round_of.get(topic_id) != round_id:
            known = ", ".join(t.id for t in rubric.round(round_id).topics)
            raise InputError(f"--topic: {topic_id[:60]!r} is not a topic of {round_id} "
                             f"(topics: {known})")
        store.log_hours(round_id, hours, day, note.strip() if note and note.strip() else None,
                        topic=topic_id)
        logged = store.logged_by_round()
    total = sum(logged.values())
    click.echo(
        f"Logged {hours:g} h on {rubric.round(round_id).title} ({round_id}) for {day}. "
        f"So far: {logged.get(round_id, 0):g} h on this round, {total:g} h in all."
    )


@click.command("checkin")
@click.option("--answers", "answers_file", metavar="FILE",
              help="Re-rate from a YAML or JSON answers file (- for stdin): topics left out "
                   "keep last week's answer; its hours: section is logged.")
@click.option("--no-input", is_flag=True,
              help="Ask nothing: keep your ratings as they are and just log --hours and "
                   "write the report.")
@click.option("--hours", "hours_flags", multiple=True, metavar="ROUND=HOURS",
              help="Hours spent on a round since the last check-in (repeat per round).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write the report (default: assess-plan-YYYY-MM-DD.pdf here).")
@click.option("--format", "fmt", type=click.Choice(_REPORT_FORMATS, case_sensitive=False),
              help="Report format (default: from the file's suffix).")
@pass_app
def checkin_cmd(app: App, answers_file: str | None, no_input: bool,
                hours_flags: tuple[str, ...], output: str | None, fmt: str | None) -> None:
    """The weekly loop: re-rate (Enter keeps last week's answer), log hours, write the report.

    Prints what moved since your last check-in and where the report is.

    Example: assess checkin -o plan.pdf
    """
    from assess.app.checkin import CheckinOptions, run_checkin

    options = CheckinOptions(answers_file, no_input, hours_flags, output, fmt)
    print_flow(run_checkin(app.home, app.today, options, flow_ask(no_input), _say, _note,
                           progress()))
