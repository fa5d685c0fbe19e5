"""The command line: a thin Click shell over plain modules. The only module that imports Click.

Each command parses its arguments, calls one function, and prints the result. Errors from the
work are ``AssessError``s; the single boundary in ``AssessGroup.invoke`` turns them into plain
lines on stderr and the exit codes from PRODUCT.md (0 ok, 1 failure, 2 bad usage or input).
"""

from __future__ import annotations

import contextlib
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
    from assess.plan_calendar import onsite_stage_id
    from assess.questionnaire import ProfileInput, profile_line, resolve_profile
    from assess.rubric import load_rubric
    from assess.stages import (
        ask_stage_dates,
        check_order,
        parse_stage_flags,
        rebase,
        with_stage_dates,
    )

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


@cli.group()
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
    from assess.stages import stage_lines, stage_rows

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
    from assess.stages import mark_done

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
    if result.stories_added:
        _note(f"Added {result.stories_added} STAR stor{'y' if result.stories_added == 1 else 'ies'}"
              " (`assess story list`).")
    ratings = dict(assessment.ratings)
    if assessment.rater == "mentor":  # the one readiness rule (see scoring.readiness_series)
        mine = store.latest_complete("self", on_or_before=assessment.date)
        standing: dict[str, int] = {}
        for earlier in store.assessments("mentor"):
            if earlier.date <= assessment.date:
                standing.update({k: v for k, v in earlier.ratings.items() if v is not None})
        ratings = {**(dict(mine.ratings) if mine else {}),
                   **{k: v for k, v in standing.items() if k in rubric.topics}}
    click.echo("\n".join(readiness_lines(rubric, ratings, target_level)))


@cli.command("log")
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


@cli.command("practice")
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
    from assess import practice_run
    from assess.practice import due_dates
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
    if not stdin_is_tty():
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
    from assess.engine import current_state

    try:
        state = current_state(app.home, app.today)
    except UsageError:
        return []
    return [(s.date, s.question_id) for w in state.plan.weeks for s in w.sessions
            if s.date is not None and s.activity in ("practice", "mock", "story")]


def _log_attempt(app: App, log_id: str, minutes_text: str | None, covered_text: str | None,
                 rater: str, note: str | None, date_text: str | None) -> None:
    from assess.errors import InputError, NotFoundError
    from assess.practice import Attempt, due_dates, parse_covered
    from assess.practice_run import summary

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
    from assess.practice import spacing

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


@cli.command("done")
@click.option("--session", "session_ids", multiple=True, metavar="ID",
              help="A session id from `assess plan --json` (repeatable).")
@click.option("--from", "from_pdf", metavar="PLAN.pdf",
              help="Take the sessions ticked in a plan PDF (its checkboxes are real).")
@pass_app
def done_cmd(app: App, session_ids: tuple[str, ...], from_pdf: str | None) -> None:
    """Tick the plan sessions you finished: their hours (as their plan gave them) are logged
    on their round and topic, and they are not planned again. A session ticked twice says
    "done already". Sessions are found in the plans on record: a PDF's own plan, else the
    plan you were following when the session was due.

    On a terminal it lists today's and overdue sessions to tick; a ticked practice session
    leads into recording the attempt.

    Example: assess done --from assess-plan-2026-11-30.pdf
    """
    from assess import done
    from assess.engine import current_state, keep_plan
    from assess.errors import InputError
    from assess.store import SavedPlan, Store

    if session_ids and from_pdf is not None:
        raise UsageError("--session and --from: give the sessions one way, not both")
    plan_id = None
    on_terminal = False
    if from_pdf is not None:  # read (or refuse) the form before anything is planned or saved
        from assess.pdf_answers import ticked_sessions

        ticked = ticked_sessions(from_pdf)
        if not ticked:
            click.echo(f"No session is ticked in {from_pdf}; nothing to mark.")
            return
        plan_id = done.plan_id_of_pdf(from_pdf)
        session_ids = tuple(ticked)
    # today's plan is kept once a session is marked in it: a refused tick changes nothing
    state = current_state(app.home, app.today, keep=False)
    current = SavedPlan(state.plan_id, app.today, "", state.plan_json())
    if not session_ids:
        if not stdin_is_tty():
            raise UsageError("assess done asks on a terminal. Without one, name the sessions "
                             "with --session ID (`assess plan --json` lists the ids)")
        with open_store(app) as store:
            finished = {c.session_id for c in store.completions()}
        due = done.due_sessions(current.body, app.today, finished)
        if not due:
            click.echo("Nothing planned up to today. Well ahead!")
            return
        session_ids = tuple(done.pick_on_terminal(due, terminal_ask, _say))
        on_terminal = True
        if not session_ids:
            return
    with Store.open(app.home) as store:
        plans = [current, *store.saved_plans(on_or_before=app.today)]
    found, unknown = done.find_sessions(plans, session_ids, app.today, plan_id)
    if from_pdf is not None and plan_id is not None and unknown:
        _note(f"{len(unknown)} ticked session(s) are in no plan of yours and were left out: "
              f"{', '.join(_shown(sid) for sid in unknown[:5])}")
        unknown = []
    with _all_or_nothing(app) as store:
        outcome = done.mark(store, [found[sid] for sid in session_ids if sid in found],
                            app.today)
    if outcome.marked:
        keep_plan(state)
    if found:
        for line in outcome.lines():
            click.echo(line)
    practised = [f for f in outcome.marked if f.session.get("question_id")
                 and f.session.get("activity") in ("practice", "mock")]
    if practised and on_terminal:
        with open_store(app) as store:
            _profile, rubric = profile_and_rubric(store)
        try:
            attempts = done.record_attempts(rubric, practised, terminal_ask, _say, app.today)
        except (click.Abort, KeyboardInterrupt, EOFError):
            _note("")
            _note("Stopped: the sessions are marked; no attempt was saved.")
            sys.exit(130)
        with Store.open(app.home) as store:
            for attempt in attempts:
                store.add_attempt(attempt)
    elif practised and from_pdf is None:
        _note("Record how the practice went: `assess practice --log "
              f"{practised[0].session['question_id']} --minutes N --covered 1,3,4`.")
    if unknown:
        raise InputError("\n".join(
            f"--session: no session {sid[:80]!r} in your plans (`assess plan --json` lists "
            "the ids)" for sid in unknown))


def _shown(text: str) -> str:
    from assess.textsafety import shown

    return shown(text)


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
    """Write your whole history (profile, assessments, hours, stories) to a JSON file (- for
    stdout).

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
    stories = f", {len(data['stories'])} stories" if data["stories"] else ""
    _note(f"Exported {len(data['assessments'])} assessments and {len(data['hours'])} hours "
          f"entries{stories}{'' if file == '-' else ' to ' + file}.")


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
    if result.stories_added or result.stories_present:
        click.echo(f"Stories: {result.stories_added} imported, {result.stories_present} "
                   "already here.")
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
    from assess.store.plans import saved_plan_json

    if rubric_ref is None:
        _warn_missing_rubric(app)
    if as_json and week is None:
        saved = saved_plan_json(app.home, app.today, rubric_ref)
        if saved is not None:  # today's facts are unchanged: the plan on record
            emit_json(saved)
            return
    from assess.engine import current_state

    state = current_state(app.home, app.today, rubric_ref)
    plan = state.plan
    if week is not None:
        plan.week(week)  # a clear error for a week outside the plan
    if as_json:
        emit_json(plan.week(week).to_json() if week is not None else state.plan_json())
        return
    from assess.plan_view import render_plan

    click.echo(render_plan(plan, state.rubric, name=_safe(state.profile.name), week=week,
                           color=use_color()))
    if week is None:
        from assess.report.mentor_page import flagged_topics

        for flag in flagged_topics(state.rubric, state.plan_json(), state.disputed):
            _note(_safe(f"{flag['mark'].capitalize()}: {flag['title']}: {flag['why']}"))

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
    from assess.engine import current_state, keep_plan
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
    # the plan is kept once the report is out: a report that fails leaves the history as it was
    state = current_state(app.home, app.today, rubric_ref, keep=False)
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
    keep_plan(state)
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
    from assess.checkin import checkin_baseline
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
        if answers is not None and not answers.ratings:  # hours (and practice) only
            before, after, since = checkin_baseline(store, app.today)
            for attempt in answers.practice:
                store.add_attempt(attempt)
            if answers.stories:
                added = store.add_stories(answers.stories)[0]
                notes.append(f"Added {len(added)} STAR stories.")
        elif answers is not None:
            applied = apply_answers(store, rubric, answers, "self", app.today, log_hours=False)
            after = applied.assessment
            if applied.stories_added:
                notes.append(f"Added {applied.stories_added} STAR stories.")
        elif after is None:  # --no-input: what changed since the last check-in, if anything
            before, after, since = checkin_baseline(store, app.today)
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
        store.record_checkin(app.today, after.id)
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
@click.argument("which", type=click.Choice(["plan", "week", "report", "stories", "attempts"]))
def schema_cmd(which: str) -> None:
    """Print the JSON Schema (draft 2020-12) of a JSON output: `assess plan --json` (plan),
    `assess plan --week N --json` (week), the JSON report (report), `assess story list --json`
    (stories) or `assess practice --list --json` (attempts). The schemas ship with assess;
    every JSON output validates against them.

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
@click.option("--full", is_flag=True,
              help="Every section and the appendix, not just the weekly report.")
@pass_app
def demo_cmd(app: App, output: str, fmt: str | None, paper: str, full: bool) -> None:
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
    written = run_demo(path, app.today, fmt=kind, paper=paper.lower(), full=full)
    click.echo(f"Sample report: {written.resolve()}")
    _note("Your own: `assess start` on a terminal.")


# ----- the STAR story bank ----------------------------------------------------------------------


@cli.group()
def story() -> None:
    """Your STAR stories for the behavioral round: add, list, show, edit, remove, coverage.

    Example: assess story add --from stories.yaml
    """


def _story_id(value: str) -> int:
    """A story id as typed: ASCII digits only (``str.isdigit`` also takes "³", which ``int``
    refuses) and short, so a 5000-digit id is refused before it is converted."""
    from assess.errors import InputError

    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 18 and int(text) > 0):
        raise InputError(f"ID: no story {_shown(value)} (`assess story list` shows the ids)")
    return int(text)


def _say_flags(saved: Any) -> None:
    from assess.stories import critique

    for flag in critique(saved):
        click.echo(_safe(f"  ! {flag.code}: {flag.message}"))


@story.command("add")
@click.option("--from", "from_file", metavar="FILE",
              help="Add the stories of a YAML or JSON file (- for stdin) without prompting.")
@pass_app
def story_add(app: App, from_file: str | None) -> None:
    """Add a story: on a terminal, asks for each STAR part, the metric, topics and questions.

    A story file is a list of stories (or stories: [...]); each has title, situation, task,
    action, result, an optional metric, and topics and questions as lists of ids.

    Example: assess story add --from stories.yaml
    """
    if from_file is None and not stdin_is_tty():
        raise UsageError("no terminal to ask on: pass --from FILE (a YAML or JSON list of "
                         "stories; - for stdin)")
    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        if from_file is not None:
            from assess.story_file import read_story_file

            stories = read_story_file(from_file, rubric)
        else:
            from assess.story_view import ask_story

            try:
                stories = [ask_story(rubric, terminal_ask, _say)]
            except (click.Abort, KeyboardInterrupt, EOFError):
                _note("")
                _note("Stopped: no story was saved.")
                sys.exit(130)
        added, present = store.add_stories(stories)
    for saved in added:
        click.echo(_safe(f"Added story {saved.id}: {saved.title}"))
        _say_flags(saved)
    for old in present:
        click.echo(_safe(f"Already here: story {old.id}: {old.title}"))
    _note("See them all with `assess story list`; `assess story coverage` shows the questions "
          "still without a story.")


@story.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON.")
@pass_app
def story_list(app: App, as_json: bool) -> None:
    """Every story with its id, the questions it answers and its flags.

    Example: assess story list --json
    """
    from assess.stories import story_json
    from assess.story_view import list_lines

    with open_store(app) as store:
        stories = store.stories()
    if as_json:
        from assess.schemas import VERSION

        emit_json({"schema": VERSION, "stories": [story_json(s) for s in stories]})
        return
    for line in list_lines(stories):
        click.echo(_safe(line))


@story.command("show")
@click.argument("story_ref", metavar="ID")
@pass_app
def story_show(app: App, story_ref: str) -> None:
    """One story in full, with its topics, questions and flags.

    Example: assess story show 1
    """
    from assess.story_view import show_text

    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        found = store.story(_story_id(story_ref))
    click.echo(_safe(show_text(found, rubric)))


@story.command("edit")
@click.argument("story_ref", metavar="ID")
@pass_app
def story_edit(app: App, story_ref: str) -> None:
    """Open a story in $EDITOR as YAML; it is checked when you save (an invalid story is
    refused and the saved one stays as it was). Set the editor with EDITOR=nano, say.

    Example: assess story edit 1
    """
    from assess.story_file import edit_text, parse_edited

    story_id = _story_id(story_ref)
    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        old = store.story(story_id)
        text = edit_text(old, rubric)
        edited = _edit_in_editor(text, f"story-{story_id}.yaml", f"story {story_id} (edited)")
        if edited is None or edited == text:
            click.echo(f"No change: story {story_id} is as it was.")
            return
        try:
            new = parse_edited(edited, f"story {story_id} (edited)", rubric)
        except AssessError as exc:
            kept = _keep_edit(edited, story_id)
            raise type(exc)(f"{exc}\nyour edit is kept in {kept}; the saved story is as "
                            "it was" if kept else str(exc)) from None
        saved = store.replace_story(story_id, new)
    click.echo(_safe(f"Saved story {saved.id}: {saved.title}"))
    _say_flags(saved)


def _edit_in_editor(text: str, name: str, label: str) -> str | None:
    """``text`` as the user's editor leaves it (None when not saved). The editor works on a
    file in a private temporary folder; only a regular UTF-8 file of bounded size is read
    back (a link, a pipe, a device, a folder or a deleted file is refused, InputError)."""
    import shutil
    import tempfile

    from assess.story_file import read_edited

    folder = _path(tempfile.mkdtemp(prefix="assess-edit-"))
    try:
        path = folder / name
        path.write_text(text, encoding="utf-8")
        before = path.stat().st_mtime_ns
        try:
            click.edit(filename=str(path), extension=".yaml")
        except click.ClickException as exc:
            raise AssessError(f"$EDITOR: {exc.format_message()}") from None
        with contextlib.suppress(OSError):
            if path.lstat().st_mtime_ns == before and path.is_file() and not path.is_symlink():
                return None  # closed without saving
        return read_edited(path, label)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _keep_edit(text: str, story_id: int) -> str | None:
    """Save a refused edit where the user can take it up again (None when that fails)."""
    import tempfile

    try:
        handle, name = tempfile.mkstemp(prefix=f"assess-story-{story_id}-", suffix=".yaml")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
    except OSError:
        return None
    return name


@story.command("rm")
@click.argument("story_ref", metavar="ID")
@click.option("--yes", is_flag=True, help="Do not ask first.")
@pass_app
def story_rm(app: App, story_ref: str, yes: bool) -> None:
    """Remove a story (asks first; --yes skips the question).

    Example: assess story rm 2 --yes
    """
    story_id = _story_id(story_ref)
    with open_store(app) as store:
        found = store.story(story_id)
        if not yes:
            if not stdin_is_tty():
                raise UsageError("no terminal to ask on: pass --yes to remove the story")
            if not click.confirm(_safe(f"Remove story {story_id}: {found.title}?"),
                                 default=False):
                click.echo("Kept.")
                return
        store.remove_story(story_id)
    click.echo(_safe(f"Removed story {story_id}: {found.title}"))


@story.command("coverage")
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: each behavioral question id with its story ids.")
@pass_app
def story_coverage(app: App, as_json: bool) -> None:
    """A grid of the behavioral questions (and the recruiter pitch) against your stories.

    Every question should have a story; no story should answer more than three.

    Example: assess story coverage --json
    """
    from assess.stories import coverage
    from assess.story_view import coverage_lines

    with open_store(app) as store:
        _profile, rubric = profile_and_rubric(store)
        stories = store.stories()
    cover = coverage(rubric, stories)
    if as_json:
        emit_json({qid: list(ids) for qid, ids in cover.questions.items()})
        return
    for line in coverage_lines(rubric, stories, cover):
        click.echo(_safe(line))


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
