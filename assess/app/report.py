"""The report flow: check the request, build the context from today's state, render it to a
file or to bytes, and keep the plan once the report is out (a report that fails leaves the
history as it was). No Click: the command prints what ``write`` returns."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assess.errors import UsageError

PDF_A = "pdf/a"


@dataclass(frozen=True)
class ReportRequest:
    """What to write: ``target`` is a file name or ``-`` (stdout); ``kind`` its format."""

    target: str
    kind: str
    paper: str = "a4"
    pdf_variant: str | None = None
    templates: Path | None = None
    rubric_ref: str | None = None
    full: bool = False
    mentor_form: bool = False

    @property
    def to_stdout(self) -> bool:
        return self.target == "-"


@dataclass
class ReportResult:
    """``data`` for stdout, or the ``path`` written; characters no font could draw and
    resources the fetcher refused, for the command to warn about."""

    kind: str
    data: bytes | None = None
    path: Path | None = None
    missing: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)


def check_request(request: ReportRequest) -> None:
    """Refuse combinations no report can satisfy, before anything is read or written."""
    if request.templates is not None and not request.templates.is_dir():
        raise UsageError(f"--templates: {request.templates} is not a folder")
    if request.mentor_form and request.kind != "pdf":
        raise UsageError(f"--mentor-form: the mentor's form is a PDF form; "
                         f"{request.kind.upper()} has none (write a .pdf)")
    if request.mentor_form and (request.pdf_variant or "").lower().startswith(PDF_A):
        raise UsageError("--mentor-form: PDF/A allows no fillable fields; leave out "
                         "--pdf-variant, or use pdf/ua-1")


def write(home: Path, today: dt.date, request: ReportRequest,
          say: Callable[[str], None] = lambda _line: None) -> ReportResult:
    """Render the report for ``request``; ``say`` hears a progress line before rendering."""
    from assess.app.engine import current_state, keep_plan
    from assess.report.context import build_context
    from assess.report.render import RenderOptions, render, write_report

    check_request(request)
    state = current_state(home, today, request.rubric_ref, keep=False)
    options = RenderOptions(templates=request.templates, paper=request.paper.lower(),
                            pdf_variant=request.pdf_variant.lower()
                            if request.pdf_variant else None,
                            full=request.full, home=home)
    if request.mentor_form:
        from assess.report.mentor_form import mentor_form as form_of
        from assess.store import Store

        with Store.open(home) as store:
            options.mentor_form = form_of(state, store.home_id())
    say(f"Rendering the {request.kind.upper()} report...")
    ctx = build_context(state)
    result = ReportResult(request.kind)
    if request.to_stdout:
        result.data = render(ctx, request.kind, options)
    else:
        result.path = write_report(ctx, Path(request.target).expanduser(), request.kind,
                                   options)
    keep_plan(state)
    result.missing, result.blocked = list(options.missing), list(options.blocked)
    return result
