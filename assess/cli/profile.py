"""The profile and its stages: ``assess init``, ``assess start``, ``assess stage``.

Click only: parse, call, print."""

from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import click

from assess.cli import common
from assess.cli.common import (
    App,
    _all_or_nothing,
    _finish_rate,
    _note,
    _rate_on_terminal,
    _report_target,
    _safe,
    _say,
    _write_checkin_report,
    emit_json,
    open_store,
    pass_app,
    profile_and_rubric,
    terminal_ask,
)
from assess.errors import UsageError


@click.command()
@click.option("--name", help="Your name, as it goes on the report.")
@click.option("--rubric", "rubric_ref", metavar="ID|PATH",
              help="A bundled rubric id or a rubric file (default: discord-mle).")
@click.option("--interview-date", metavar="YYYY-MM-DD",
              help="The day of your onsite loop ('none' if not known yet).")
@click.option("--hours-per-week", metavar="HOURS", help="Hours you can study each week (1-80).")
@click.option("--target-level", metavar="LEVEL", help="The level to reach on each topic (1-5).")
@click.option("--stage-date", "stage_dates", multiple=True, metavar="STAGE=YYYY-MM-DD",
              help="The date of an earlier stage, e.g. technical-screen=2026-12-04 "
              "(repeatable; 'none' clears; `assess stage list` shows the stages).")
@click.option("--weekday-hours", metavar="HOURS",
              help="Hours you can study on each weekday (0-16, in 0.5 h steps).")
@click.option("--weekend-hours", metavar="HOURS",
              help="Hours you can study on Saturday and Sunday (0-16).")
@click.option("--day-hours", metavar="DAY=HOURS,...",
              help="Hours per day, e.g. mon=1,tue=1.5,sat=4 (overrides the two above).")
@click.option("--rest-day", "rest_days", multiple=True, metavar="DAY",
              help="A day with no study, e.g. sun (repeatable; 'none' for no rest day).")
@click.option("--blackout", "blackouts", multiple=True, metavar="DATE[..DATE]",
              help="Days off, e.g. 2026-12-24..2026-12-27 (repeatable; 'none' clears).")
@click.option("--no-input", is_flag=True, help="Never prompt; use flags and current values.")
@pass_app
def init(
    app: App,
    name: str | None,
    rubric_ref: str | None,
    interview_date: str | None,
    hours_per_week: str | None,
    target_level: str | None,
    stage_dates: tuple[str, ...],
    no_input: bool,
    **week: Any,
) -> None:
    """Create or update your profile (history is kept). Prompts for what is missing on a terminal.

    Your week: --hours-per-week N spreads N over six days with Sunday off; or give
    --weekday-hours/--weekend-hours (or --day-hours), --rest-day and --blackout.

    Example: assess init --name Ana --interview-date 2026-12-20 --stage-date
    technical-screen=2026-12-04 --weekday-hours 1.5 --weekend-hours 4 --rest-day sun --no-input
    """
    from assess.app.profile_questions import ProfileInput, profile_line, resolve_profile
    from assess.app.stages import (
        ask_stage_dates,
        check_order,
        parse_stage_flags,
        rebase,
        with_stage_dates,
    )
    from assess.plan.calendar import onsite_stage_id
    from assess.rubric.availability import AvailabilityFlags
    from assess.rubric.model import load_rubric

    flags = AvailabilityFlags(hours_per_week, **week)
    given = ProfileInput(name, rubric_ref, interview_date, None, target_level)
    interactive = not no_input and common.stdin_is_tty()
    with open_store(app) as store:
        existing = store.get_profile()
        try:
            profile = resolve_profile(
                existing, given, app.today, load_rubric,
                ask=terminal_ask if interactive else None, say=_say,
            )
            profile = _with_week(profile, flags, app.today, interactive)
            rubric = load_rubric(profile.rubric)
            dates, onsite = parse_stage_flags(stage_dates, rubric, app.today)
            if onsite is not False and interview_date is not None:
                raise UsageError(f"--interview-date and --stage-date {onsite_stage_id(rubric)}=: "
                                 "both give the onsite's date; give it once")
            profile = with_stage_dates(profile, dates, onsite)
            if interactive and not stage_dates:
                profile = ask_stage_dates(profile, rubric, app.today, terminal_ask, _say)
            check_order(profile, rubric)
        except (click.Abort, KeyboardInterrupt, EOFError):
            _note("")
            _note("Stopped: your profile is unchanged.")
            sys.exit(130)
    with _all_or_nothing(app) as store:  # read and write in one transaction: nothing lost
        profile = rebase(existing, profile, store.get_profile())
        check_order(profile, rubric)
        store.save_profile(profile)
    click.echo(_safe(f"Profile {'updated' if existing else 'saved'}: "
                     f"{profile_line(profile, app.today)}"))
    if existing is None:
        _note("Next: `assess rate` to rate yourself on every topic.")


def _with_week(profile: Any, flags: Any, today: dt.date, interactive: bool) -> Any:
    """The profile with the week from the flags, or (on a terminal, no flags) from prompts."""
    from dataclasses import replace as _replace

    from assess.rubric.availability import ask_availability, resolve_availability

    avail = profile.availability()
    if flags.given or flags.blackouts:
        days, off = resolve_availability(flags, avail.day_hours, avail.blackouts, today)
    elif interactive:
        days, off = ask_availability(avail.day_hours, avail.blackouts, today, terminal_ask,
                                     _say)
    else:
        return profile
    return _replace(profile, day_hours=days, blackouts=off)


@click.group()
def stage() -> None:
    """The interview's stages (screens, onsite) with their dates.

    Example: assess stage done recruiter
    """


def _stage_profile(app: App) -> tuple[Any, Any]:
    with open_store(app) as store:
        profile, rubric = profile_and_rubric(store)
    if profile is None:
        raise UsageError("no profile yet. Run `assess init` first (or `assess start`).")
    return profile, rubric


@stage.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def stage_list(app: App, as_json: bool) -> None:
    """Every stage of your rubric's timeline with its date, status and rounds.

    Example: assess stage list
    """
    from assess.app.stages import stage_lines, stage_rows

    profile, rubric = _stage_profile(app)
    rows = stage_rows(profile, rubric, app.today)
    if as_json:
        emit_json(rows)
        return
    for line in stage_lines(rows):
        click.echo(line)
    _note("Set a date with `assess init --stage-date STAGE=YYYY-MM-DD`; mark one behind you "
          "with `assess stage done STAGE`.")


@stage.command("done")
@click.argument("stage_id", metavar="STAGE")
@click.option("--undo", is_flag=True, help="Mark the stage as not done after all.")
@pass_app
def stage_done(app: App, stage_id: str, undo: bool) -> None:
    """Mark a stage behind you: its rounds get no new hours in the plan.

    Example: assess stage done technical-screen
    """
    from assess.app.stages import mark_done

    with _all_or_nothing(app) as store:  # read and write in one transaction: nothing lost
        profile, rubric = profile_and_rubric(store)
        if profile is None:
            raise UsageError("no profile yet. Run `assess init` first (or `assess start`).")
        updated = mark_done(profile, rubric, stage_id, undo=undo)
        store.save_profile(updated)
    title = next(s.title for s in rubric.timeline.stages if s.id == stage_id)
    if undo:
        click.echo(f"{title}: marked not done; the plan prepares for it again.")
    else:
        click.echo(f"{title}: done. Well done! The plan gives its rounds no new hours.")


@click.command("start")
@click.option("--name", help="Your name, as it goes on the report.")
@click.option("--rubric", "rubric_ref", metavar="ID|PATH",
              help="A bundled rubric id or a rubric file (default: discord-mle).")
@click.option("--interview-date", metavar="YYYY-MM-DD", help="The day of your onsite loop.")
@click.option("--hours-per-week", metavar="HOURS", help="Hours you can study each week (1-80).")
@click.option("--target-level", metavar="LEVEL", help="The level to reach on each topic (1-5).")
@click.option("--weekday-hours", metavar="HOURS",
              help="Hours you can study on each weekday (0-16, in 0.5 h steps).")
@click.option("--weekend-hours", metavar="HOURS",
              help="Hours you can study on Saturday and Sunday (0-16).")
@click.option("--day-hours", metavar="DAY=HOURS,...",
              help="Hours per day, e.g. mon=1,tue=1.5,sat=4 (overrides the two above).")
@click.option("--rest-day", "rest_days", multiple=True, metavar="DAY",
              help="A day with no study, e.g. sun (repeatable; 'none' for no rest day).")
@click.option("--blackout", "blackouts", multiple=True, metavar="DATE[..DATE]",
              help="Days off, e.g. 2026-12-24..2026-12-27 (repeatable; 'none' clears).")
@click.option("--answers", "answers_file", metavar="FILE",
              help="Rate from an answers file instead of the questionnaire (- for stdin).")
@click.option("--no-input", is_flag=True, help="Never prompt (then --name and --answers).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write the report (default: assess-plan-YYYY-MM-DD.pdf here).")
@pass_app
def start_cmd(app: App, name: str | None, rubric_ref: str | None, interview_date: str | None,
              hours_per_week: str | None, target_level: str | None,
              answers_file: str | None, no_input: bool, output: str | None,
              **week: Any) -> None:
    """First run: your profile, then the questionnaire, then the PDF for your mentor.

    On a terminal it asks for what the flags do not give. Ctrl-C at any point keeps what you
    answered; run it again (or `assess rate`) to carry on.

    Example: assess start
    """
    from assess.app.history import target_level_of
    from assess.app.profile_questions import ProfileInput, profile_line, resolve_profile
    from assess.app.questionnaire import apply_answers
    from assess.rubric.model import load_rubric

    interactive = not no_input and common.stdin_is_tty()
    if not interactive and answers_file is None:
        raise UsageError(
            "assess start asks its questions on a terminal. Without one, pass --no-input with "
            "--name NAME and --answers FILE (`assess rate --template` prints one to fill in)"
        )
    from assess.rubric.availability import AvailabilityFlags

    path, kind = _report_target(app, output, None)
    flags = AvailabilityFlags(hours_per_week, **week)
    given = ProfileInput(name, rubric_ref, interview_date, None, target_level)
    # From a file, the profile, the ratings and the report are one transaction: a refusal or
    # a report that cannot be written saves nothing. On a terminal each answer is saved as
    # it is given, so an interrupted first run resumes.
    opener = open_store if interactive else _all_or_nothing
    with opener(app) as store:
        existing = store.get_profile()
        if interactive:
            click.echo("Welcome to assess. Three steps: your profile, the questionnaire "
                       "(about two minutes; Ctrl-C keeps your answers), then your report.")
            click.echo("")
        try:
            profile = resolve_profile(existing, given, app.today, load_rubric,
                                      ask=terminal_ask if interactive else None, say=_say)
            profile = _with_week(profile, flags, app.today, interactive)
            if interactive:
                from assess.app.stages import ask_stage_dates, check_order

                stage_rubric = load_rubric(profile.rubric)
                profile = ask_stage_dates(profile, stage_rubric, app.today, terminal_ask, _say)
                check_order(profile, stage_rubric)
        except (click.Abort, KeyboardInterrupt, EOFError):
            _note("")
            _note("Stopped before your profile was saved; run `assess start` again.")
            sys.exit(130)
        rubric = load_rubric(profile.rubric)
        answers = None
        if answers_file is not None:  # checked in full before anything is saved
            from assess.inputs.answers import read_answers

            answers = read_answers(answers_file, rubric, app.today)
            if answers.rater == "mentor":
                raise UsageError(
                    f"{answers.label}: rater: mentor; `assess start` takes your own ratings. "
                    "Your mentor's go in with `assess rate --rater mentor --answers FILE`"
                )
        store.save_profile(profile)
        saved = (f"Profile {'updated' if existing else 'saved'}: "
                 f"{profile_line(profile, app.today)}")
        if interactive:
            click.echo(_safe(saved))
        if answers is not None:
            result = apply_answers(store, rubric, answers, None, app.today)
            if not result.assessment.complete:
                missing = len(rubric.topics) - len(result.assessment.ratings)
                raise UsageError(
                    f"{answers.label}: ratings: {missing} topic(s) have no rating, so there is "
                    "no plan to write; nothing was saved. Rate every topic (null skips one)"
                )
        else:
            result = _rate_on_terminal(app, store, profile, rubric, "self", None)
        if result.assessment.complete and result.assessment.rater == "self":
            written = _write_checkin_report(app, path, kind)
    if not interactive:
        click.echo(_safe(saved))
    with open_store(app) as store:
        _finish_rate(store, result, target_level_of(profile))
    if not result.assessment.complete or result.assessment.rater != "self":
        _note("Not every topic has a self-rating yet, so there is no plan to write: run "
              "`assess rate` to finish, then `assess report`.")
        sys.exit(1)
    click.echo(f"Report: {written.resolve()}")
    _note("Next week: `assess checkin` (Enter keeps this week's answers).")
