"""Reports: ``assess report``, ``assess schema``, ``assess demo``.

Click only: parse, call, print."""

from __future__ import annotations

import sys

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
    open_store,
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
    from assess.app.engine import current_state, keep_plan
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
