"""Reports: ``assess report``, ``assess schema``, ``assess demo``.

Click only: parse, call, print."""

from __future__ import annotations

import sys
from typing import Any

import click

from assess.cli.common import (
    App,
    _note,
    _output_path,
    _path,
    _report_target,
    _safe,
    _warn_missing,
    _warn_missing_rubric,
    pass_app,
)
from assess.errors import UsageError
from assess.report.formats import FORMATS as _REPORT_FORMATS
from assess.report.formats import PDF_VARIANTS as _PDF_VARIANTS


def use_terminal_escapes() -> bool:
    """True when standard output is a terminal (control codes from data must not reach it)."""
    return bool(getattr(sys.stdout, "isatty", lambda: False)())


def _size(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB" if n >= 1_000_000 else f"{max(1, round(n / 1000))} kB"


@click.command("report")
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
    from assess.app.report import ReportRequest, check_request, write
    from assess.report.formats import TEXT_FORMATS, default_report_name
    from assess.report.render import format_for

    target = output or default_report_name(app.today.isoformat())
    request = ReportRequest(
        target, format_for(target, fmt), paper, pdf_variant,
        _path(templates_dir) if templates_dir is not None else None, rubric_ref, full,
        mentor_form)
    check_request(request)
    if request.to_stdout and request.kind not in TEXT_FORMATS and sys.stdout.isatty():
        raise UsageError("-o -: a PDF is not written to a terminal; give a file name")
    if not request.to_stdout:
        _output_path(app, target)
    if rubric_ref is None:
        _warn_missing_rubric(app)
    quiet = not sys.stderr.isatty()  # the progress line is for a person watching
    result = write(app.home, app.today, request,
                   lambda line: None if quiet else click.echo(line, err=True))
    _print_report(result, TEXT_FORMATS)


def _print_report(result: Any, text_formats: Any) -> None:
    """The report's bytes on stdout, or a line on stderr naming the file; then warnings."""
    if result.data is not None and result.kind in text_formats:
        text = result.data.decode("utf-8")
        click.echo(_safe(text) if use_terminal_escapes() else text, nl=False)
    elif result.data is not None:
        sys.stdout.buffer.write(result.data)
        sys.stdout.buffer.flush()
    else:
        click.echo(f"Wrote {result.path} ({result.kind.upper()}, "
                   f"{_size(result.path.stat().st_size)})", err=True)
    _warn_missing(result.missing)
    if result.blocked:
        shown = ", ".join(result.blocked[:3]) + (" ..." if len(result.blocked) > 3 else "")
        click.echo(f"Warning: not fetched (outside the templates folder): {shown}", err=True)


@click.command("schema")
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


@click.command("demo")
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
    from assess.app.demo import run_demo

    path, kind = _report_target(app, output, fmt)
    if sys.stderr.isatty():
        _note(f"Rendering the sample {kind.upper()} report...")
    written = run_demo(path, app.today, fmt=kind, paper=paper.lower(), full=full)
    click.echo(f"Sample report: {written.resolve()}")
    _note("Your own: `assess start` on a terminal.")
