"""The profile and its stages: ``assess init``, ``assess start``, ``assess stage``.

Click only: parse, call, print."""

from __future__ import annotations

from typing import Any

import click

from assess.cli.common import (
    App,
    _all_or_nothing,
    _note,
    _say,
    emit_json,
    open_store,
    pass_app,
    profile_and_rubric,
)
from assess.cli.flows import flow_ask, print_flow, progress
from assess.errors import UsageError


def week_options(command: Any) -> Any:
    """The candidate's week: hours per weekday, rest days and days off."""
    for option in reversed([
        click.option("--weekday-hours", metavar="HOURS",
                     help="Hours you can study on each weekday (0-16, in 0.5 h steps)."),
        click.option("--weekend-hours", metavar="HOURS",
                     help="Hours you can study on Saturday and Sunday (0-16)."),
        click.option("--day-hours", metavar="DAY=HOURS,...",
                     help="Hours per day, e.g. mon=1,tue=1.5,sat=4 (overrides the two above)."),
        click.option("--rest-day", "rest_days", multiple=True, metavar="DAY",
                     help="A day with no study, e.g. sun (repeatable; 'none' for no rest day)."),
        click.option("--blackout", "blackouts", multiple=True, metavar="DATE[..DATE]",
                     help="Days off, e.g. 2026-12-24..2026-12-27 (repeatable; 'none' clears)."),
    ]):
        command = option(command)
    return command


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
@week_options
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
    from assess.app.profile_questions import ProfileInput
    from assess.app.start import InitOptions, run_init
    from assess.rubric.availability import AvailabilityFlags

    given = ProfileInput(name, rubric_ref, interview_date, None, target_level)
    options = InitOptions(given, stage_dates, AvailabilityFlags(hours_per_week, **week))
    print_flow(run_init(app.home, app.today, options, flow_ask(no_input), _say))


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
@week_options
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
    from assess.app.profile_questions import ProfileInput
    from assess.app.start import StartOptions, run_start
    from assess.rubric.availability import AvailabilityFlags

    given = ProfileInput(name, rubric_ref, interview_date, None, target_level)
    options = StartOptions(given, answers_file, output,
                           AvailabilityFlags(hours_per_week, **week))
    print_flow(run_start(app.home, app.today, options, flow_ask(no_input), _say, _note,
                         progress()))
