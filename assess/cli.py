"""The command line: a thin Click shell over plain modules. The only module that imports Click.

Each command parses its arguments, calls one function, and prints the result. Errors from the
work are ``AssessError``s; the single boundary in ``AssessGroup.invoke`` turns them into plain
lines on stderr and the exit codes from PRODUCT.md (0 ok, 1 failure, 2 bad usage or input).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from assess import __version__
from assess.errors import AssessError, UsageError


@dataclass(frozen=True)
class App:
    """What every command knows: where the data lives and which day it is."""

    home: Path
    today: dt.date


def _fail(lines: str, code: int) -> NoReturn:
    for line in str(lines).splitlines() or ["unknown error"]:
        click.echo(f"Error: {line}", err=True)
    sys.exit(code)


class AssessGroup(click.Group):
    """A group whose ``invoke`` is the one error boundary of the program."""

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
        except BrokenPipeError:
            sys.exit(1)
        except Exception as exc:  # noqa: BLE001 - the boundary: never a traceback for users
            if os.environ.get("ASSESS_DEBUG"):
                raise
            _fail(f"unexpected {type(exc).__name__}: {exc} (set ASSESS_DEBUG=1 for details)", 1)


def _parse_date(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{what}: {value!r} is not a date in YYYY-MM-DD form") from None


def use_color(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def emit_json(data: Any) -> None:
    """Print data as stable, sorted, indented JSON on stdout."""
    click.echo(json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False))


pass_app = click.make_pass_decorator(App)


@click.group(
    cls=AssessGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog="Example: assess start",
)
@click.option(
    "--home",
    type=click.Path(file_okay=False, path_type=Path),
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
def cli(ctx: click.Context, home: Path | None, today: str | None) -> None:
    """Rate yourself for an interview loop, and get a dated study plan and a PDF for your mentor.

    Start with `assess start` on a terminal. Re-run `assess checkin` once a week.
    """
    from assess.resources import default_home

    day = _parse_date(today, "--today") if today else dt.date.today()
    ctx.obj = App(home=(home or default_home()).expanduser(), today=day)


def main() -> None:
    cli(prog_name="assess")


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
def rubric_show(ref: str | None, as_json: bool) -> None:
    """Show a rubric's rounds, topics and questions (default: discord-mle).

    Example: assess rubric show discord-mle --json
    """
    from assess.rubric import load_rubric
    from assess.views import rubric_outline

    model = load_rubric(ref)
    if as_json:
        emit_json(model.to_json_dict())
    else:
        click.echo(rubric_outline(model))


@rubric.command("validate")
@click.argument("file", type=click.Path(path_type=Path, dir_okay=True))
def rubric_validate(file: Path) -> None:
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

# ----- plan (issue 4) ----------------------------------------------------------------------------

# ----- report, checkin, start, demo (issue 5) -------------------------------------------------
