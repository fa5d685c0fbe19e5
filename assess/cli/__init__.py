"""The command line: a thin Click shell over plain modules. The only module that imports Click.

Each command parses its arguments, calls one function, and prints the result. Errors from the
work are ``AssessError``s; the single boundary in ``AssessGroup.invoke`` turns them into plain
lines on stderr and the exit codes from PRODUCT.md (0 ok, 1 failure, 2 bad usage or input).

Subcommands live in one module per command group and are imported only when they run
(``LazyGroup``): `assess --help` imports Click and this package, nothing more.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Any, NoReturn

import click

from assess import __version__
from assess.cli.common import App, _parse_date, _path
from assess.cli.stdio import OutputFailed, guard_standard_fds, is_output_failure, output_failed
from assess.errors import AssessError

# command -> (module:attribute, short help)
COMMANDS: dict[str, tuple[str, str]] = {
    "checkin": (
        "assess.cli.checkin:checkin_cmd",
        "The weekly loop: re-rate (Enter keeps last week's answer), log hours, write the "
        "report.",
    ),
    "demo": (
        "assess.cli.report:demo_cmd",
        "Write a complete sample report from bundled example data.",
    ),
    "done": (
        "assess.cli.plan:done_cmd",
        "Tick the plan sessions you finished: their hours (as their plan gave them) are "
        "logged\non their round and topic, and they are not planned again. A session ticked "
        "twice says\n\"done already\". Sessions are found in the plans on record: a PDF's own "
        "plan, else the\nplan you were following when the session was due.",
    ),
    "export": (
        "assess.cli.history:export_cmd",
        "Write your whole history (profile, assessments, hours, stories) to a JSON file (- "
        "for\nstdout).",
    ),
    "history": (
        "assess.cli.history:history",
        "Past assessments, oldest first, with readiness and the trend.",
    ),
    "import": (
        "assess.cli.history:import_cmd",
        "Merge a history exported by `assess export` (- for stdin). Importing twice adds "
        "nothing.",
    ),
    "init": (
        "assess.cli.profile:init",
        "Create or update your profile (history is kept). Prompts for what is missing on a "
        "terminal.",
    ),
    "log": (
        "assess.cli.checkin:log_cmd",
        "Record hours you actually spent on a round (more than 0, at most 24 per entry).",
    ),
    "plan": (
        "assess.cli.plan:plan_cmd",
        "Readiness, your biggest gaps and the week-by-week study plan, from your latest "
        "ratings.",
    ),
    "practice": (
        "assess.cli.practice:practice_cmd",
        "A timed attempt at a practice question, scored against its answer checklist.",
    ),
    "rate": (
        "assess.cli.checkin:rate",
        "Rate every topic 1-5 (the questionnaire). Each answer is saved as you give it.",
    ),
    "report": (
        "assess.cli.report:report_cmd",
        "Write the readiness report and study plan: PDF, HTML, Markdown, JSON or iCalendar.",
    ),
    "rubric": (
        "assess.cli.rubric:rubric",
        "List, show and validate rubrics.",
    ),
    "schema": (
        "assess.cli.report:schema_cmd",
        "Print the JSON Schema (draft 2020-12) of a JSON output: `assess plan --json` "
        "(plan),\n`assess plan --week N --json` (week), the JSON report (report), `assess "
        "story list --json`\n(stories) or `assess practice --list --json` (attempts). The "
        "schemas ship with assess;\nevery JSON output validates against them.",
    ),
    "stage": (
        "assess.cli.profile:stage",
        "The interview's stages (screens, onsite) with their dates.",
    ),
    "start": (
        "assess.cli.profile:start_cmd",
        "First run: your profile, then the questionnaire, then the PDF for your mentor.",
    ),
    "story": (
        "assess.cli.stories:story",
        "Your STAR stories for the behavioral round: add, list, show, edit, remove, coverage.",
    ),
}


def _examples_last(command: click.Command) -> None:
    """Move a command's "Example:" paragraph into its epilog, so help ends with it."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _examples_last(sub)
    text = command.help or ""
    if "Example:" in text and not command.epilog:
        body, _, example = text.rpartition("Example:")
        command.help = body.rstrip()
        command.epilog = "\b\nExample: " + " ".join(example.split())


class LazyGroup(click.Group):
    """Click's lazy-loading group: a command's module is imported only when the command runs.

    ``COMMANDS`` maps a name to ``"module:attribute"`` and the command's short help, so
    ``assess --help`` lists every command without importing any of them (a test keeps the
    short help here equal to the command's own).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            from importlib import import_module

            module, _, attr = COMMANDS[cmd_name][0].partition(":")
            command = getattr(import_module(module), attr)
            _examples_last(command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS and name not in self.commands:
                text = click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)
            else:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                text = command.get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _fail(lines: str, code: int) -> NoReturn:
    from assess.core.textsafety import for_terminal

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


class AssessGroup(LazyGroup):
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
        from assess.core.bounds import check_today

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
