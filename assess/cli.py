"""The command line: a thin Click shell over plain modules. The only module that imports Click.

Each command parses its arguments, calls one function, and prints the result. Errors from the
work are ``AssessError``s; the single boundary in ``AssessGroup.invoke`` turns them into plain
lines on stderr and the exit codes from PRODUCT.md (0 ok, 1 failure, 2 bad usage or input).
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

import click

from assess import __version__
from assess.errors import AssessError, UsageError
from assess.stdio import OutputFailed, guard_standard_fds, is_output_failure, output_failed

if TYPE_CHECKING:
    from pathlib import Path

# `assess --help` imports only Click (the benchmark holds it to 1.5x `import click`): json,
# pathlib and dataclasses are imported where a command needs them.


class App(NamedTuple):
    """What every command knows: where the data lives and which day it is."""

    home: Path
    today: dt.date


def _path(value: str | os.PathLike[str]) -> Path:
    from pathlib import Path

    return Path(value)


def _fail(lines: str, code: int) -> NoReturn:
    from assess.textsafety import for_terminal

    for line in str(lines).splitlines() or ["unknown error"]:
        click.echo(f"Error: {for_terminal(line)}", err=True)
    sys.exit(code)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns`` without importing shutil (and bz2, lzma, zlib
    with it) on the way to ``assess --help``."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    stream = sys.__stdout__
    if columns <= 0 and stream is not None:
        try:
            columns = os.get_terminal_size(stream.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class AssessContext(click.Context):
    def make_formatter(self) -> click.HelpFormatter:
        """Click's own width rule (terminal width, at most ``max_content_width``, minus 2)."""
        from click import formatting

        width = self.terminal_width
        if width is None and formatting.FORCED_WIDTH is None:
            width = max(min(_terminal_columns(), self.max_content_width or 80) - 2, 50)
        return self.formatter_class(width=width, max_width=self.max_content_width)


class AssessGroup(click.Group):
    """A group whose ``invoke`` is the one error boundary of the program."""

    context_class = AssessContext

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except AssessError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            click.echo("\nInterrupted. Everything answered so far is saved.", err=True)
            sys.exit(130)
        except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
            raise
        except OSError as exc:
            if is_output_failure(exc):
                raise OutputFailed(exc) from None
            if os.environ.get("ASSESS_DEBUG"):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (set ASSESS_DEBUG=1 for details)", 1)
        except Exception as exc:  # noqa: BLE001 - the boundary: never a traceback for users
            if os.environ.get("ASSESS_DEBUG"):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (set ASSESS_DEBUG=1 for details)", 1)


def _parse_date(value: str, what: str) -> dt.date:
    from assess.bounds import EARLIEST

    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        from assess.textsafety import shown

        raise UsageError(f"{what}: {shown(value)} is not a date in YYYY-MM-DD form") from None
    if day < EARLIEST:
        raise UsageError(f"{what}: {day.isoformat()} is before {EARLIEST.isoformat()}")
    return day


def use_color(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def use_terminal_escapes() -> bool:
    """True when standard output is a terminal (control codes from data must not reach it)."""
    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def emit_json(data: Any) -> None:
    """Print data as stable, sorted, indented JSON on stdout."""
    import json

    from assess.textsafety import for_terminal

    # JSON escapes C0 controls itself; C1 controls and bidi overrides (only ever inside
    # strings) become \u escapes too, so nothing from the data reaches a terminal raw
    click.echo(for_terminal(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False)))


pass_app = click.make_pass_decorator(App)


@click.group(
    cls=AssessGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: assess start",
)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    envvar="ASSESS_HOME",
    help="Where your history lives (env ASSESS_HOME; default: your user data folder).",
)
@click.option(
    "--today",
    metavar="YYYY-MM-DD",
    envvar="ASSESS_TODAY",
    help="Treat this date as today (env ASSESS_TODAY).",
)
@click.version_option(__version__, "--version", prog_name="assess")
@click.pass_context
def cli(ctx: click.Context, home: str | None, today: str | None) -> None:
    """Rate yourself for an interview loop, and get a dated study plan and a PDF for your mentor.

    Start with `assess start` on a terminal. Re-run `assess checkin` once a week.
    """
    from assess.resources import default_home

    if today:
        from assess.bounds import check_today

        day = check_today(_parse_date(today, "--today"))
    else:
        day = dt.date.today()
    ctx.obj = App(home=(_path(home) if home else default_home()).expanduser(), today=day)


def main() -> None:
    """The ``assess`` program: Click's own handling, plus one line (not a traceback) when
    standard output cannot be written, even for ``--help`` and ``--version``."""
    guard_standard_fds()
    code: Any = 0
    try:
        cli.main(prog_name="assess")
    except SystemExit as exc:
        code = exc.code
    except OutputFailed as exc:
        output_failed(str(exc))
    except OSError as exc:
        if not is_output_failure(exc):
            raise
        output_failed(exc.strerror or str(exc))
    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except OSError as exc:
        output_failed(exc.strerror or str(exc))
    sys.exit(code)


# ----- rubric commands (issue 2) ----------------------------------------------------------------


@cli.group()
def rubric() -> None:
    """List, show and validate rubrics.

    Example: assess rubric show discord-mle
    """


@rubric.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
def rubric_list(as_json: bool) -> None:
    """List the bundled rubrics.

    Example: assess rubric list
    """
    from assess.views import rubric_list_rows

    rows = rubric_list_rows()
    if as_json:
        emit_json(rows)
        return
    for row in rows:
        click.echo(f"{row['id']:<20} {row['title']}  ({row['topics']} topics, v{row['version']})")


@rubric.command("show")
@click.argument("ref", required=False, metavar="[ID|PATH]")
@click.option("--json", "as_json", is_flag=True, help="Print the whole validated model as JSON.")
@click.option("--checklists", is_flag=True,
              help="Also list each question's checklist: the points a strong answer covers.")
def rubric_show(ref: str | None, as_json: bool, checklists: bool) -> None:
    """Show a rubric's rounds, topics and questions with their ids (default: discord-mle).

    Example: assess rubric show discord-mle --checklists
    """
    from assess.rubric import load_rubric
    from assess.views import rubric_outline

    model = load_rubric(ref)
    if as_json:
        emit_json(model.to_json_dict())
    else:
        click.echo(rubric_outline(model, checklists=checklists))


@rubric.command("validate")
@click.argument("file", type=click.Path(dir_okay=True))
def rubric_validate(file: str) -> None:
    """Check one rubric file and say what is wrong, with line numbers.

    Example: assess rubric validate my-rubric.yaml
    """
    from assess.rubric import load_rubric_file

    model = load_rubric_file(file)
    questions = sum(len(t.questions) for t in model.topics.values())
    click.echo(
        f"{file}: ok ({model.meta.id} v{model.meta.version}: {len(model.rounds)} rounds, "
        f"{len(model.topics)} topics, {questions} questions)"
    )


@rubric.command("path")
@click.argument("rubric_id", metavar="ID", required=False)
def rubric_path(rubric_id: str | None) -> None:
    """Print the file path of a bundled rubric (default: discord-mle).

    Example: assess rubric validate "$(assess rubric path discord-mle)"
    """
    from assess.errors import NotFoundError
    from assess.rubric import DEFAULT_RUBRIC, bundled_rubric_paths

    bundled = bundled_rubric_paths()
    key = rubric_id or DEFAULT_RUBRIC
    if key not in bundled:
        raise NotFoundError(f"unknown rubric {key!r} (bundled: {', '.join(bundled)})")
    click.echo(str(bundled[key]))


# ----- profile, questionnaire, log, history, export/import (issue 3) ---------------------------


def stdin_is_tty() -> bool:
    """True when a person can answer prompts (tests patch this to drive prompts)."""
    return bool(getattr(sys.stdin, "isatty", lambda: False)())


def terminal_ask(text: str, default: str | None) -> str:
    """The questionnaire's ``ask``: one line, Enter gives the default (or "" without one)."""
    return str(
        click.prompt(text, default="" if default is None else default,
                     show_default=bool(default))
    )


def _say(text: str) -> None:
    from assess.textsafety import for_terminal

    click.echo(for_terminal(text))


def _note(text: str) -> None:
    from assess.textsafety import for_terminal

    click.echo(for_terminal(text), err=True)


def open_store(app: App) -> Any:
    from assess.store import Store

    return Store.open(app.home)


def profile_and_rubric(store: Any) -> tuple[Any, Any]:
    """The profile (or None) and the rubric it names (the default rubric without a profile)."""
    from assess.profile_rubric import profile_rubric
    from assess.store import CACHE_DIR

    profile = store.get_profile()
    rubric, warning = profile_rubric(store, profile.rubric if profile else None,
                                     store.path.parent / CACHE_DIR)
    if warning:
        _note(warning)
    return profile, rubric


def _warn_missing_rubric(app: App) -> None:
    """Say once when the profile's rubric file is missing and its stored copy is used."""
    from assess.profile_rubric import missing_rubric_warning

    with open_store(app) as store:
        warning = missing_rubric_warning(store)
    if warning:
        _note(warning)


def _check_round(rubric: Any, round_id: str | None, flag: str = "--round") -> None:
    from assess.errors import NotFoundError

    if round_id is None:
        return
    try:
        rubric.round(round_id)
    except NotFoundError as exc:
        raise NotFoundError(f"{flag}: {exc}") from None


def _day(value: str | None, what: str, today: dt.date) -> dt.date:
    if value is None:
        return today
    day = _parse_date(value, what)
    if day > today:
        raise UsageError(f"{what}: {day.isoformat()} is in the future (today is {today})")
    return day


@cli.command()
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
) -> None:
    """Create or update your profile (history is kept). Prompts for what is missing on a terminal.

    Example: assess init --name Ana --interview-date 2026-12-20 --stage-date
    technical-screen=2026-12-04 --hours-per-week 10 --no-input
    """
    from assess.questionnaire import ProfileInput, profile_line, resolve_profile
    from assess.rubric import load_rubric
    from assess.stages import ask_stage_dates, check_order, parse_stage_flags, with_stage_dates

    given = ProfileInput(name, rubric_ref, interview_date, hours_per_week, target_level)
    interactive = not no_input and stdin_is_tty()
    with open_store(app) as store:
        existing = store.get_profile()
        try:
            profile = resolve_profile(
                existing, given, app.today, load_rubric,
                ask=terminal_ask if interactive else None, say=_say,
            )
            rubric = load_rubric(profile.rubric)
            dates, onsite = parse_stage_flags(stage_dates, rubric, app.today)
            profile = with_stage_dates(profile, dates, onsite)
            if interactive and not stage_dates:
                profile = ask_stage_dates(profile, rubric, app.today, terminal_ask, _say)
            check_order(profile, rubric)
        except (click.Abort, KeyboardInterrupt, EOFError):
            _note("")
            _note("Stopped: your profile is unchanged.")
            sys.exit(130)
        store.save_profile(profile)
    click.echo(_safe(f"Profile {'updated' if existing else 'saved'}: "
                     f"{profile_line(profile, app.today)}"))
    if existing is None:
        _note("Next: `assess rate` to rate yourself on every topic.")


@cli.group()
def stage() -> None:
    """The interview's stages (screens, onsite) with their dates.

    Example: assess stage done recruiter
    """


@stage.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def stage_list(app: App, as_json: bool) -> None:
    """Every stage of your rubric's timeline with its date, status and rounds.

    Example: assess stage list
    """
    from assess.stages import stage_lines, stage_rows

    profile, rubric = _profile_and_rubric(app)
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
    from assess.stages import mark_done

    profile, rubric = _profile_and_rubric(app)
    updated = mark_done(profile, rubric, stage_id, undo=undo)
    with open_store(app) as store:
        store.save_profile(updated)
    title = next(s.title for s in rubric.timeline.stages if s.id == stage_id)
    if undo:
        click.echo(f"{title}: marked not done; the plan prepares for it again.")
    else:
        click.echo(f"{title}: done. Well done! The plan gives its rounds no new hours.")


def _profile_and_rubric(app: App) -> tuple[Any, Any]:
    from assess.rubric import load_rubric
    from assess.store import CACHE_DIR

    with open_store(app) as store:
        profile = store.get_profile()
    if profile is None:
        raise UsageError("no profile yet. Run `assess init` first (or `assess start`).")
    return profile, load_rubric(profile.rubric, cache=app.home / CACHE_DIR)


@cli.command()
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
    from assess.answers import read_answers, template_text
    from assess.history_view import target_level_of

    if template and answers_file:
        raise UsageError("--template and --answers do not go together: print, fill in, then read")
    with open_store(app) as store:
        profile, rubric = profile_and_rubric(store)
        _check_round(rubric, round_id)
        if template:
            click.echo(template_text(rubric, rater or "self", round_id), nl=False)
            return
        if answers_file is not None:
            from assess.questionnaire import apply_answers

            answers = read_answers(answers_file, rubric, app.today, scope=round_id,
                                   profile_id=store.home_id())
            result = apply_answers(store, rubric, answers, rater, app.today, scope=round_id)
        elif not stdin_is_tty():
            raise UsageError(
                "no terminal to ask on: pass --answers FILE (or - for stdin); "
                "`assess rate --template` prints one to fill in"
            )
        else:
            result = _rate_on_terminal(app, store, profile, rubric, rater or "self", round_id)
        _finish_rate(store, result, target_level_of(profile))
    if result.assessment.complete and stdin_is_tty():
        _note("Next: `assess plan` shows your study plan; `assess report` writes the PDF.")


def _rate_on_terminal(
    app: App, store: Any, profile: Any, rubric: Any, rater: str, round_id: str | None,
    defaults: Any = None,
) -> Any:
    from assess.history_view import answered_in_scope
    from assess.questionnaire import rate_interactively

    if profile is None:
        _note(f"No profile yet: rating against {rubric.meta.id}. "
              "Run `assess init` to set your interview date and hours.")
    try:
        return rate_interactively(
            store, rubric, rater, app.today, terminal_ask, _say, scope=round_id,
            defaults=defaults,
        )
    except (click.Abort, KeyboardInterrupt, EOFError):
        open_one = store.unfinished(rater)
        done, total = answered_in_scope(store, open_one) if open_one else (0, 0)
        _note("")
        _note(f"Stopped. {done} of {total} answers are saved; "
              "run `assess rate` again to pick up where you left off.")
        sys.exit(130)


def _finish_rate(store: Any, result: Any, target_level: int) -> None:
    from assess.questionnaire import assessment_line, readiness_lines

    assessment = result.assessment
    rubric = store.rubric_snapshot(assessment.id)
    _note(assessment_line(assessment, rubric))
    for round_id, hours in result.logged_hours.items():
        _note(f"Logged {hours:g} h on {rubric.round(round_id).title}.")
    click.echo("\n".join(readiness_lines(rubric, assessment.ratings, target_level)))


@cli.command("log")
@click.argument("round_id", metavar="ROUND")
@click.argument("hours_text", metavar="HOURS")
@click.option("--date", "date_text", metavar="YYYY-MM-DD",
              help="The day of the work (default today).")
@click.option("--note", help="What you did, in a few words.")
@pass_app
def log_cmd(
    app: App, round_id: str, hours_text: str, date_text: str | None, note: str | None
) -> None:
    """Record hours you actually spent on a round (more than 0, at most 24 per entry).

    Example: assess log system-design 2.5 --note "feature store design"
    """
    from assess.answers import check_log_entry
    from assess.errors import InputError

    try:
        hours = float(hours_text)
    except ValueError:
        raise InputError(f"HOURS: {hours_text!r} is not a number of hours") from None
    day = _day(date_text, "--date", app.today)
    if note is not None:
        from assess.answers import MAX_NOTE_CHARS
        from assess.textsafety import check_text

        check_text(note, "--note", max_chars=MAX_NOTE_CHARS)
    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        check_log_entry(rubric, round_id, hours)
        store.log_hours(round_id, hours, day, note.strip() if note and note.strip() else None)
        logged = store.logged_by_round()
    total = sum(logged.values())
    click.echo(
        f"Logged {hours:g} h on {rubric.round(round_id).title} ({round_id}) for {day}. "
        f"So far: {logged.get(round_id, 0):g} h on this round, {total:g} h in all."
    )


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@click.option("--rater", type=click.Choice(["self", "mentor"]), default=None,
              help="Only this rater's assessments.")
@pass_app
def history(app: App, as_json: bool, rater: str | None) -> None:
    """Past assessments, oldest first, with readiness and the trend.

    Example: assess history --json
    """
    from assess.history_view import history_rows, history_table, target_level_of

    with open_store(app) as store:
        rows = history_rows(store, target_level_of(store.get_profile()), rater)
    if as_json:
        emit_json(rows)
    elif not rows:
        _note("No assessments yet. Run `assess rate` to rate yourself.")
    else:
        click.echo(history_table(rows))


@cli.command("export")
@click.argument("file", metavar="FILE")
@pass_app
def export_cmd(app: App, file: str) -> None:
    """Write your whole history (profile, assessments, hours) to a JSON file (- for stdout).

    Example: assess export assess-history.json
    """
    import json

    from assess.report.atomic import write_text_atomic

    if file != "-":
        _output_path(app, file, "")
    with open_store(app) as store:
        data = store.export_data()
    text = json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    if file == "-":
        click.echo(_safe(text), nl=False)  # the same JSON, with control codes as \u escapes
    else:
        write_text_atomic(_output_path(app, file, ""), text)
    _note(f"Exported {len(data['assessments'])} assessments and {len(data['hours'])} hours "
          f"entries{'' if file == '-' else ' to ' + file}.")


MAX_IMPORT_BYTES = 50_000_000  # years of weekly check-ins fit in a few MB


@cli.command("import")
@click.argument("file", metavar="FILE")
@pass_app
def import_cmd(app: App, file: str) -> None:
    """Merge a history exported by `assess export` (- for stdin). Importing twice adds nothing.

    Example: assess import assess-history.json
    """
    import json

    from assess.errors import InputError
    from assess.inputs import read_input

    raw, label = read_input(file, InputError, "an `assess export` file", limit=MAX_IMPORT_BYTES)
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise InputError(f"{label}: not an assess export (invalid JSON: {exc})") from None
    except RecursionError:
        raise InputError(f"{label}: not an assess export (JSON nested too deeply)") from None
    with _all_or_nothing(app) as store:  # the history and the profile, or nothing
        result = store.import_data(data, label, app.today)
    click.echo(
        f"Imported {result.assessments_added} assessments and {result.hours_added} hours entries"
        f" from {label}; already here: {result.assessments_present + result.assessments_merged}"
        f" assessments ({result.assessments_merged} completed from the file) and "
        f"{result.hours_present} hours entries."
    )
    if result.profile_imported:
        _note("Imported the profile too.")
    for message in result.messages:
        _note(message)


# ----- plan (issue 4) ----------------------------------------------------------------------------


@cli.command("plan")
@click.option("--json", "as_json", is_flag=True,
              help="Print the whole plan as JSON (with --week, only that week).")
@click.option("--week", "week", type=int, metavar="N", help="Show only week N of the plan.")
@click.option("--rubric", "rubric_ref", metavar="ID|PATH",
              help="Plan against this rubric instead of the profile's.")
@pass_app
def plan_cmd(app: App, as_json: bool, week: int | None, rubric_ref: str | None) -> None:
    """Readiness, your biggest gaps and the week-by-week study plan, from your latest ratings.

    The plan spans the weeks to your interview, keeps at least 40% of all your hours (logged
    included) on system design, and says honestly whether the time fits.

    Example: assess plan --week 1
    """
    from assess.engine import current_state

    if rubric_ref is None:
        _warn_missing_rubric(app)
    state = current_state(app.home, app.today, rubric_ref)
    plan = state.plan
    if week is not None:
        plan.week(week)  # a clear error for a week outside the plan
    if as_json:
        emit_json(plan.week(week).to_json() if week is not None else plan.to_json())
        return
    from assess.plan_view import render_plan

    click.echo(render_plan(plan, state.rubric, name=_safe(state.profile.name), week=week,
                           color=use_color()))

# ----- report, checkin, start, demo (issue 5) -------------------------------------------------

from assess.report.formats import FORMATS as _REPORT_FORMATS  # noqa: E402 - cheap constants
from assess.report.formats import PDF_VARIANTS as _PDF_VARIANTS  # noqa: E402


def _output_path(app: App, target: str, flag: str = "-o") -> Path:
    """Where a file may be written: never inside the data home, never over anything but a
    regular file (see ``assess.safepath``)."""
    from assess.safepath import check_output_path

    return check_output_path(target, app.home, flag)


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"


@cli.command("report")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write the report; '-' writes to stdout. "
                   "Default: assess-plan-YYYY-MM-DD.pdf in the current folder.")
@click.option("--format", "fmt", type=click.Choice(_REPORT_FORMATS, case_sensitive=False),
              help="Output format (default: from the file's suffix; Markdown for '-').")
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False),
              default="a4", show_default=True, help="PDF paper size.")
@click.option("--pdf-variant", type=click.Choice(_PDF_VARIANTS, case_sensitive=False),
              help="Write a PDF/A or PDF/UA file (e.g. pdf/ua-1, pdf/a-3u).")
@click.option("--templates", "templates_dir", type=click.Path(file_okay=False), metavar="DIR",
              help="A folder of template overrides: a file there wins over the bundled one.")
@click.option("--rubric", "rubric_ref", metavar="ID|PATH",
              help="Report against this rubric instead of the profile's.")
@click.option("--full", is_flag=True,
              help="PDF: add the appendix (question bank, tips, rating scale).")
@click.option("--mentor-form", is_flag=True,
              help="PDF: add pages your mentor fills in (a level and a note per topic); read "
                   "them back with `assess rate --rater mentor --answers FILE.pdf`.")
@pass_app
def report_cmd(app: App, output: str | None, fmt: str | None, paper: str,
               pdf_variant: str | None, templates_dir: str | None,
               rubric_ref: str | None, full: bool, mentor_form: bool) -> None:
    """Write the readiness report and study plan: PDF, HTML, Markdown, JSON or iCalendar.

    The same data in every format: readiness, gaps, the time split against the 40% guidance,
    feasibility, the week-by-week plan, progress, self vs mentor calibration, questions for
    your mentor, and the question bank. The PDF is for your mentor, Markdown for a chat, JSON
    for scripts, and the .ics puts every study session in your calendar.

    Example: assess report -o plan.pdf
    """
    from assess.engine import current_state
    from assess.report.context import build_context
    from assess.report.formats import TEXT_FORMATS, default_report_name
    from assess.report.render import RenderOptions, format_for, render, write_report

    target = output or default_report_name(app.today.isoformat())
    kind = format_for(target, fmt)
    templates = _path(templates_dir) if templates_dir is not None else None
    if templates is not None and not templates.is_dir():
        raise UsageError(f"--templates: {templates} is not a folder")
    to_stdout = target == "-"
    if mentor_form and kind != "pdf":
        raise UsageError(f"--mentor-form: the mentor's form is a PDF form; {kind.upper()} has "
                         "none (write a .pdf)")
    if mentor_form and (pdf_variant or "").lower().startswith("pdf/a"):
        raise UsageError("--mentor-form: PDF/A allows no fillable fields; leave out "
                         "--pdf-variant, or use pdf/ua-1")
    if to_stdout and kind not in TEXT_FORMATS and sys.stdout.isatty():
        raise UsageError("-o -: a PDF is not written to a terminal; give a file name")
    if not to_stdout:
        _output_path(app, target)
    if rubric_ref is None:
        _warn_missing_rubric(app)
    state = current_state(app.home, app.today, rubric_ref)
    options = RenderOptions(templates=templates, paper=paper.lower(),
                            pdf_variant=pdf_variant.lower() if pdf_variant else None,
                            full=full, home=app.home)
    if mentor_form:
        from assess.report.mentor_form import mentor_form as form_of

        with open_store(app) as store:
            options.mentor_form = form_of(state, store.home_id())
    if sys.stderr.isatty():
        click.echo(f"Rendering the {kind.upper()} report...", err=True)
    ctx = build_context(state)
    if to_stdout:
        data = render(ctx, kind, options)
        if kind in TEXT_FORMATS:
            text = data.decode("utf-8")
            click.echo(_safe(text) if use_terminal_escapes() else text, nl=False)
        else:
            sys.stdout.buffer.write(data)
            sys.stdout.buffer.flush()
    else:
        path = write_report(ctx, _path(target).expanduser(), kind, options)
        click.echo(f"Wrote {path} ({kind.upper()}, {_size(path.stat().st_size)})", err=True)
    _warn_missing(options.missing)
    if options.blocked:
        shown = ", ".join(options.blocked[:3]) + (" ..." if len(options.blocked) > 3 else "")
        click.echo(f"Warning: not fetched (outside the templates folder): {shown}", err=True)


# checkin and start (issue 5, items 3 and 4) ----------------------------------------------------


def _report_target(app: App, output: str | None, fmt: str | None) -> tuple[Path, str]:
    """Where the report goes and its format, checked before anything is asked or written."""
    from assess.report.formats import default_report_name
    from assess.report.render import format_for

    target = output or default_report_name(app.today.isoformat())
    if target == "-":
        raise UsageError("-o -: give a file name; this command prints its summary on stdout")
    kind = format_for(target, fmt)
    return _output_path(app, target), kind


def _warn_missing(chars: list[str]) -> None:
    """One line on stderr per character no installed font could draw, with the fix."""
    from assess.report.glyphs import warning

    for char in chars:
        click.echo(warning(char), err=True)


def _write_checkin_report(app: App, path: Path, kind: str) -> Path:
    from assess.engine import current_state
    from assess.report.render import render_report

    state = current_state(app.home, app.today)
    if sys.stderr.isatty():
        _note(f"Rendering the {kind.upper()} report...")
    missing: list[str] = []
    written = render_report(state, path, kind, missing=missing)
    _warn_missing(missing)
    return written


def _readiness_of(store: Any, assessment: Any, target_level: int) -> float:
    from assess.scoring import overall_readiness

    return overall_readiness(store.rubric_snapshot(assessment.id), assessment.ratings,
                             target_level)


def _all_or_nothing(app: App) -> Any:
    from assess.store import Store

    return Store.all_or_nothing(app.home)


def _safe(text: str) -> str:
    from assess.textsafety import for_terminal

    return for_terminal(text)


@cli.command("checkin")
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
    from assess.history_view import target_level_of
    from assess.questionnaire import (
        apply_answers,
        ask_hours,
        moved_lines,
        parse_hours_flags,
        readiness_change_line,
    )

    if answers_file and no_input:
        raise UsageError("--answers and --no-input do not go together: pick one")
    path, kind = _report_target(app, output, fmt)
    answers = None
    rated = None
    with open_store(app) as store:
        profile, rubric = profile_and_rubric(store)
        if profile is None:
            raise UsageError("no profile yet: run `assess start` first (or `assess init`, then "
                             "`assess rate`)")
        target_level = target_level_of(profile)
        flag_hours = parse_hours_flags(rubric, hours_flags)
        hours: dict[str, float] = dict(flag_hours)
        before = store.latest_complete("self", on_or_before=app.today)
        if answers_file is not None:
            from assess.answers import read_answers

            answers = read_answers(answers_file, rubric, app.today)
            if answers.rater == "mentor":
                raise UsageError(
                    f"{answers.label}: rater: mentor; a check-in is your own re-rating. For "
                    "your mentor's ratings use `assess rate --rater mentor --answers FILE`"
                )
            if answers.hours and flag_hours:
                raise UsageError(
                    f"hours are given twice: in {answers.label} and with --hours; keep one"
                )
            hours = dict(answers.hours) or hours
        elif not no_input:
            if not stdin_is_tty():
                raise UsageError(
                    "no terminal to ask on: pass --answers FILE to re-rate from a file, or "
                    "--no-input to keep your ratings (with --hours ROUND=HOURS)"
                )
            click.echo(f"Weekly check-in for {_safe(profile.name)}. "
                       "Enter keeps last week's answer.")
            # answers typed on the terminal are saved as they are given (an interrupted
            # check-in resumes); the hours and the report below are all or nothing
            rated = _rate_on_terminal(app, store, profile, rubric, "self", None).assessment
            if not flag_hours:
                since = before.date if before else None
                already: dict[str, float] = {}
                for entry in store.hours_entries():
                    if since is None or entry.date > since:
                        already[entry.round] = already.get(entry.round, 0.0) + entry.hours
                try:
                    hours = ask_hours(rubric, terminal_ask, _say, since, already)
                except (click.Abort, KeyboardInterrupt, EOFError):
                    _note("")
                    _note("Stopped. Your ratings are saved; log hours with `assess log ROUND "
                          "HOURS` and run `assess report` for the PDF.")
                    sys.exit(130)
    # One transaction from here: an incomplete rating, or a report that cannot be written,
    # leaves the history exactly as it was, so a retry logs nothing twice.
    out: list[str] = []
    notes: list[str] = []
    with _all_or_nothing(app) as store:
        after = rated
        since = before.date if before else None
        if answers is not None:
            after = apply_answers(store, rubric, answers, "self", app.today,
                                  log_hours=False).assessment
        elif after is None:  # --no-input: compare the last two complete check-ins
            selfs = [a for a in store.assessments("self") if a.complete and a.date <= app.today]
            after = selfs[-1] if selfs else None
            before = selfs[-2] if len(selfs) > 1 else None
            since = before.date if before else None
        if after is None or not after.complete:
            logged = " Nothing was logged." if hours else ""
            raise UsageError(
                "no complete self-assessment to plan from yet: run `assess rate` (or "
                f"`assess checkin --answers FILE`) to rate every topic.{logged}"
            )
        for round_id, amount in hours.items():
            store.log_hours(round_id, amount, app.today, "weekly check-in")
            notes.append(f"Logged {amount:g} h on {rubric.round(round_id).title}.")
        moved = moved_lines(rubric, before.ratings, after.ratings) if before else []
        old = _readiness_of(store, before, target_level) if before else None
        new = _readiness_of(store, after, target_level)
        if before is not None:
            out.append(f"Since your check-in on {since}:" if moved
                       else f"No rating changed since your check-in on {since}.")
            out.extend(moved)
        out.append(readiness_change_line(old, new, since))
        written = _write_checkin_report(app, path, kind)
    for line in notes:
        _note(line)
    for line in out:
        click.echo(line)
    click.echo(f"Report: {written.resolve()}")


@cli.command("start")
@click.option("--name", help="Your name, as it goes on the report.")
@click.option("--rubric", "rubric_ref", metavar="ID|PATH",
              help="A bundled rubric id or a rubric file (default: discord-mle).")
@click.option("--interview-date", metavar="YYYY-MM-DD", help="The day of your onsite loop.")
@click.option("--hours-per-week", metavar="HOURS", help="Hours you can study each week (1-80).")
@click.option("--target-level", metavar="LEVEL", help="The level to reach on each topic (1-5).")
@click.option("--answers", "answers_file", metavar="FILE",
              help="Rate from an answers file instead of the questionnaire (- for stdin).")
@click.option("--no-input", is_flag=True, help="Never prompt (then --name and --answers).")
@click.option("-o", "--output", metavar="FILE",
              help="Where to write the report (default: assess-plan-YYYY-MM-DD.pdf here).")
@pass_app
def start_cmd(app: App, name: str | None, rubric_ref: str | None, interview_date: str | None,
              hours_per_week: str | None, target_level: str | None,
              answers_file: str | None, no_input: bool, output: str | None) -> None:
    """First run: your profile, then the questionnaire, then the PDF for your mentor.

    On a terminal it asks for what the flags do not give. Ctrl-C at any point keeps what you
    answered; run it again (or `assess rate`) to carry on.

    Example: assess start
    """
    from assess.history_view import target_level_of
    from assess.questionnaire import ProfileInput, apply_answers, profile_line, resolve_profile
    from assess.rubric import load_rubric

    interactive = not no_input and stdin_is_tty()
    if not interactive and answers_file is None:
        raise UsageError(
            "assess start asks its questions on a terminal. Without one, pass --no-input with "
            "--name NAME and --answers FILE (`assess rate --template` prints one to fill in)"
        )
    path, kind = _report_target(app, output, None)
    given = ProfileInput(name, rubric_ref, interview_date, hours_per_week, target_level)
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
        except (click.Abort, KeyboardInterrupt, EOFError):
            _note("")
            _note("Stopped before your profile was saved; run `assess start` again.")
            sys.exit(130)
        rubric = load_rubric(profile.rubric)
        answers = None
        if answers_file is not None:  # checked in full before anything is saved
            from assess.answers import read_answers

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


@cli.command("schema")
@click.argument("which", type=click.Choice(["plan", "report"]))
def schema_cmd(which: str) -> None:
    """Print the JSON Schema (draft 2020-12) of `assess plan --json` (plan) or of the JSON
    report (report). The schemas ship with assess; every JSON output validates against them.

    Example: assess schema report > report.schema.json
    """
    from assess.schemas import schema_text

    click.echo(schema_text(which), nl=False)


# demo (issue 5, item 5) -------------------------------------------------------------------------


@cli.command("demo")
@click.option("-o", "--output", metavar="FILE", default="assess-demo.pdf", show_default=True,
              help="Where to write the sample report.")
@click.option("--format", "fmt", type=click.Choice(_REPORT_FORMATS, case_sensitive=False),
              help="Output format (default: from the file's suffix).")
@click.option("--paper", type=click.Choice(["a4", "letter"], case_sensitive=False),
              default="a4", show_default=True, help="PDF paper size.")
@pass_app
def demo_cmd(app: App, output: str, fmt: str | None, paper: str) -> None:
    """Write a complete sample report from bundled example data.

    A made-up candidate with three weekly check-ins, logged hours and a mentor's ratings, in
    a throwaway folder: your own history is never read or changed. Use it to see what assess
    gives you before you rate yourself.

    Example: assess demo -o demo.pdf
    """
    from assess.demo import run_demo

    path, kind = _report_target(app, output, fmt)
    if sys.stderr.isatty():
        _note(f"Rendering the sample {kind.upper()} report...")
    written = run_demo(path, app.today, fmt=kind, paper=paper.lower(), full=True)
    click.echo(f"Sample report: {written.resolve()}")
    _note("Your own: `assess start` on a terminal.")


def _examples_last(group: click.Group) -> None:
    """Move each command's "Example:" paragraph into its epilog, so help ends with it."""
    for command in group.commands.values():
        if isinstance(command, click.Group):
            _examples_last(command)
        text = command.help or ""
        if "Example:" in text and not command.epilog:
            body, _, example = text.rpartition("Example:")
            command.help = body.rstrip()
            command.epilog = "\b\nExample: " + " ".join(example.split())


_examples_last(cli)
