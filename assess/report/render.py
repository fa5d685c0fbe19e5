"""Render a report context as PDF, HTML, Markdown, JSON or iCalendar.

One function per format, each ``context -> bytes``; ``render`` picks one; ``write_report``
writes the bytes atomically; ``render_report`` does it all from the engine's ``State``.

* Templates are Jinja2 with autoescape and ``StrictUndefined``, loaded from the template
  folders in order (``--templates DIR`` first, then the bundled ``report_templates/``), so a
  user's file wins over the bundled one of the same name. They run in Jinja2's sandbox: a
  template reaches data and filters, never Python internals (``__globals__``, ``__class__``),
  so an override can lay out the report but cannot run code. A template that includes itself
  is one line, exit 2.
* The PDF (``pdf.py``) is WeasyPrint with the locked-down fetcher of ``fetcher.py``: it reads
  only files inside those folders. Fonts are subset and the document dates come from the
  data's own date (or ``SOURCE_DATE_EPOCH`` when set), so the same inputs give the same bytes
  on one machine. Characters no font covers are reported (``glyphs.py``), never dropped.
* Markdown escapes every value for Markdown; JSON is the context itself; iCalendar has one
  event per study session with a stable UID.

WeasyPrint, Jinja2 and icalendar are imported inside the functions: ``assess --help`` stays
instant.
"""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from assess.errors import RenderError, UsageError
from assess.report.atomic import write_bytes_atomic
from assess.report.context_common import Context
from assess.report.fetcher import TemplateFolders
from assess.report.figures import (  # noqa: F401
    build_charts,
    round_colors,
)
from assess.report.formats import FORMATS, PAPERS, PDF_VARIANTS, SUFFIXES
from assess.report.formatting import (  # noqa: F401 - re-exported
    _MarkdownCode,
    daymonth,
    document_datetime,
    hours,
    longdate,
    md_escape,
    pct,
    points,
    session_field,
    shortdate,
    signed,
    weekday,
)
from assess.resources import templates_dir

if TYPE_CHECKING:
    from assess.app.engine import State

@dataclass
class RenderOptions:
    """How to render: template folders, paper, PDF variant."""

    templates: Path | None = None
    paper: str = "a4"
    pdf_variant: str | None = None
    tagged: bool = True  # a PDF structure tree for screen readers
    full: bool = False  # the PDF with its appendix: question bank, tips, rating scale
    blocked: list[str] = field(default_factory=list)  # filled in by the PDF renderer
    warnings: list[str] = field(default_factory=list)  # WeasyPrint's own, kept off stderr
    missing: list[str] = field(default_factory=list)  # characters no font covers
    home: Path | None = None  # the data home: where exported calendar events are recorded
    mentor_form: dict[str, Any] | None = None  # PDF: the mentor's fillable pages (mentor_form)

    def folders(self) -> TemplateFolders:
        roots: list[Path] = []
        if self.templates is not None:
            if not self.templates.is_dir():
                raise UsageError(f"--templates: {self.templates} is not a folder")
            roots.append(self.templates)
        roots.append(templates_dir())
        return TemplateFolders(roots)


def format_for(path: str | Path, fmt: str | None) -> str:
    """The output format: ``fmt`` when given, else from the file's suffix."""
    if fmt:
        fmt = fmt.lower()
        if fmt not in FORMATS:
            raise UsageError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
        return fmt
    if str(path) == "-":
        return "md"
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise UsageError(
            f"{path}: cannot tell the format from the suffix {suffix or '(none)'!r}; "
            f"use --format {'|'.join(FORMATS)}"
        )
    return SUFFIXES[suffix]


# ----- small formatting helpers shared by the templates ---------------------------------------


def _code_spans(text: str) -> list[tuple[bool, str]]:
    """``text`` cut at its backticks: (is code, part); an unmatched backtick stays text."""
    parts = str(text).split("`")
    if len(parts) % 2 == 0:  # an odd number of backticks: the last one opens nothing
        parts[-2:] = [parts[-2] + "`" + parts[-1]]
    return [(i % 2 == 1 and bool(part), part) for i, part in enumerate(parts)]


def html_code(text: Any) -> Any:
    """Text with its `backtick` spans set as ``<code>``, everything escaped (HTML and PDF)."""
    from markupsafe import Markup, escape

    return Markup("".join(
        f"<code>{escape(part)}</code>" if code else str(escape(part))
        for code, part in _code_spans("" if text is None else str(text))
    ))


def md_code(text: Any) -> str:
    """Text with its `backtick` spans kept as Markdown code spans, the rest escaped."""
    out = []
    for code, part in _code_spans("" if text is None else str(text)):
        inner = " ".join(part.split())
        if code:
            out.append(f"`{inner}`")
            continue
        lead = " " if part[:1].isspace() and inner else ""
        trail = " " if part[-1:].isspace() and inner else ""
        out.append(lead + md_escape(inner) + trail)
    return _MarkdownCode("".join(out).strip())


_FILTERS: dict[str, Callable[..., Any]] = {
    "pct": pct,
    "points": points,
    "hours": hours,
    "signed": signed,
    "shortdate": shortdate,
    "daymonth": daymonth,
    "session_field": session_field,
    "weekday": weekday,
    "longdate": longdate,
}


# ----- Jinja -----------------------------------------------------------------------------------


def _environment(folders: TemplateFolders, *, markdown: bool = False) -> Any:
    import jinja2
    from jinja2.sandbox import SandboxedEnvironment

    class FolderLoader(jinja2.BaseLoader):
        """Templates from the folders in order; nothing outside them (symlinks resolved)."""

        def get_source(
            self, environment: jinja2.Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            path = folders.find(template)
            if path is None:
                raise jinja2.TemplateNotFound(template)
            source = folders.read_text(template)
            mtime = path.stat().st_mtime
            return source, str(path), lambda: path.stat().st_mtime == mtime

    if markdown:
        env = SandboxedEnvironment(
            loader=FolderLoader(),
            autoescape=False,
            undefined=jinja2.StrictUndefined,
            finalize=md_escape,
            keep_trailing_newline=True,
        )
    else:
        env = SandboxedEnvironment(
            loader=FolderLoader(),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )
    env.filters.update(_FILTERS)
    env.filters["code"] = md_code if markdown else html_code
    return env


def _cache_compiled_templates(env: Any, home: Path | None) -> None:
    """Keep compiled templates under ``<home>/cache/templates`` (keyed by each template's
    source, so an edited override is compiled afresh): a report skips Jinja's compile step."""
    if home is None:
        return
    import jinja2

    folder = Path(home) / "cache" / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return  # no cache: templates are compiled each time, as without a home

    class QuietCache(jinja2.FileSystemBytecodeCache):
        """A cache that never fails a report: unreadable or unwritable entries are skipped."""

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # noqa: BLE001 - a damaged entry: compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            with contextlib.suppress(OSError):
                super().dump_bytecode(bucket)

    env.bytecode_cache = QuietCache(str(folder))


def _template_error(exc: Exception, folders: TemplateFolders, fallback: str) -> RenderError:
    """One line naming the template file and line where rendering failed."""
    name = getattr(exc, "filename", None) or getattr(exc, "name", None)
    line = getattr(exc, "lineno", None)
    if not line:  # runtime errors: the deepest template frame of the traceback says where
        tb = exc.__traceback__
        while tb is not None:
            filename = tb.tb_frame.f_code.co_filename
            if folders.relative_name(Path(filename)) is not None:
                name, line = filename, tb.tb_lineno
            tb = tb.tb_next
    shown = folders.relative_name(Path(name)) if name else None
    where = shown or name or fallback
    where = f"{where}, line {line}" if line else where
    message = getattr(exc, "message", None) or str(exc)
    return RenderError(f"report template {where}: {message}")


def _render_template(env: Any, folders: TemplateFolders, name: str, **variables: Any) -> str:
    import jinja2
    from jinja2.exceptions import SecurityError

    try:
        return str(env.get_template(name).render(**variables))
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"report template {exc.name!r} not found in the templates folder"
        ) from None
    except SecurityError as exc:
        raise UsageError(
            f"report template {name!r}: not allowed in a template ({exc})"
        ) from None
    except RecursionError:
        raise UsageError(
            f"report template {name!r}: includes or calls itself without end"
        ) from None
    except jinja2.TemplateError as exc:
        raise _template_error(exc, folders, name) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # a template override that computes something impossible: name the template
        raise RenderError(f"report template {name!r}: {type(exc).__name__}: {exc}") from None


# ----- charts ----------------------------------------------------------------------------------


# ----- formats ---------------------------------------------------------------------------------


def _html(ctx: Context, options: RenderOptions, fmt: str) -> tuple[str, TemplateFolders]:
    from markupsafe import Markup

    folders = options.folders()
    env = _environment(folders)
    _cache_compiled_templates(env, options.home)
    svg = {name: Markup(markup) for name, markup in build_charts(ctx).items()}
    inline_css = ""
    if fmt == "html":
        try:
            inline_css = folders.read_text("report.css")
        except (FileNotFoundError, OSError, UnicodeDecodeError) as exc:
            raise RenderError(f"report.css: cannot read from the templates folder ({exc})")\
                from None
        inline_css = inline_css.replace("</", "<\\/")
    html = _render_template(
        env,
        folders,
        "report.html",
        ctx=ctx,
        charts=svg,
        fmt=fmt,
        colors=round_colors(ctx),
        inline_css=Markup(inline_css),
        full=options.full or fmt == "html",
        mentor_form=options.mentor_form if fmt == "pdf" else None,
        doc_date=document_datetime(ctx).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    return html, folders


def render_html(ctx: Context, options: RenderOptions | None = None) -> bytes:
    """Standalone HTML: CSS inlined, no external resource, a CSP that forbids fetching."""
    html, _ = _html(ctx, options or RenderOptions(), "html")
    return html.encode("utf-8")


def render_pdf(ctx: Context, options: RenderOptions | None = None) -> bytes:
    """The PDF: paged, with header, "Page N of M", metadata, lang and tags; same inputs give
    the same bytes. Characters no font covers are replaced by a visible mark and listed in
    ``options.missing``."""
    from assess.report import glyphs
    from assess.report.pdf import write_pdf

    options = options or RenderOptions()
    paper = PAPERS.get(options.paper.lower())
    if paper is None:
        raise UsageError(f"--paper: {options.paper!r} is not one of {', '.join(PAPERS)}")
    if options.pdf_variant and options.pdf_variant not in PDF_VARIANTS:
        raise UsageError(
            f"--pdf-variant: {options.pdf_variant!r} is not one of {', '.join(PDF_VARIANTS)}"
        )
    folders = options.folders()
    texts = [*glyphs.text_of(ctx), *glyphs.text_of(options.mentor_form or {})]
    missing = glyphs.missing_characters(texts, folders.font_files())
    for _attempt in range(2):
        options.missing.extend(c for c in missing if c not in options.missing)
        if options.mentor_form is not None:
            options.mentor_form = glyphs.replace_missing(options.mentor_form, missing)
        html, folders = _html(glyphs.replace_missing(ctx, missing), options, "pdf")
        warnings: list[str] = []
        pdf = write_pdf(html, folders, paper=paper, variant=options.pdf_variant,
                        tagged=options.tagged, warnings=warnings, blocked=options.blocked)
        options.warnings.extend(warnings)
        # Fontconfig said a font covers these, yet WeasyPrint drew .notdef: replace them too.
        late = [c for c in glyphs.notdef_characters(warnings) if c not in missing]
        if not late:
            break
        missing += late
    return pdf


def render_md(ctx: Context, options: RenderOptions | None = None) -> bytes:
    """Markdown for chat: every value escaped, no raw HTML."""
    options = options or RenderOptions()
    folders = options.folders()
    env = _environment(folders, markdown=True)
    text = _render_template(env, folders, "report.md", ctx=ctx)
    text = re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
    return text.encode("utf-8")


def render_json(ctx: Context, options: RenderOptions | None = None) -> bytes:
    """The full context as stable, sorted, indented JSON."""
    return (json.dumps(ctx, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


# ----- iCalendar (ics.py) ----------------------------------------------------------------------


def render_ics(ctx: Context, options: RenderOptions | None = None) -> bytes:
    """An iCalendar file: one VEVENT per planned session (see ``assess.report.ics``).

    With ``options.home`` set, the UIDs come from the data home's calendar id, and what was
    exported before is read from the store and updated: surviving sessions keep their UID
    and raise their SEQUENCE when they changed; sessions gone from the plan are CANCELLED.
    """
    from assess.report import ics

    options = options or RenderOptions()
    if options.home is None:
        data, _ = ics.calendar(ctx, ics.DEFAULT_OWNER, {})
        return data
    from assess.store import Store

    with Store.open(options.home) as store:
        owner, rows = store.calendar_exports()
        previous = {uid: ics.Exported(**row) for uid, row in rows.items()}
        data, records = ics.calendar(ctx, owner or ics.DEFAULT_OWNER, previous)
        store.save_calendar_exports([asdict(r) for r in records])
    return data


# ----- dispatch --------------------------------------------------------------------------------

RENDERERS: dict[str, Callable[[Context, RenderOptions | None], bytes]] = {
    "pdf": render_pdf,
    "html": render_html,
    "md": render_md,
    "json": render_json,
    "ics": render_ics,
}


def render(ctx: Context, fmt: str, options: RenderOptions | None = None) -> bytes:
    """Render the context in one format."""
    if fmt not in RENDERERS:
        raise UsageError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    return RENDERERS[fmt](ctx, options or RenderOptions())


def write_report(ctx: Context, path: Path | str, fmt: str | None = None,
                 options: RenderOptions | None = None) -> Path:
    """Render and write atomically to ``path``; returns the path written."""
    fmt = format_for(path, fmt)
    data = render(ctx, fmt, options)
    return write_bytes_atomic(Path(path), data)


def render_report(
    state: State,
    path: Path | str,
    fmt: str | None = None,
    *,
    templates: Path | str | None = None,
    paper: str = "a4",
    pdf_variant: str | None = None,
    blocked: list[str] | None = None,
    missing: list[str] | None = None,
    full: bool = False,
) -> Path:
    """One call from the engine's ``State`` to a written report file; returns its path.

    ``fmt`` defaults from the suffix. ``blocked``, when given, receives the URLs the PDF
    renderer refused to fetch (only a template override can ask for any); ``missing``, the
    characters no installed font could draw (see ``glyphs.warning``).
    """
    from assess.report.context import build_context

    options = RenderOptions(
        templates=Path(templates) if templates is not None else None,
        paper=paper,
        pdf_variant=pdf_variant,
        full=full,
        home=state.home,
    )
    fmt = format_for(path, fmt)
    written = write_report(build_context(state), path, fmt, options)
    if blocked is not None:
        blocked.extend(options.blocked)
    if missing is not None:
        missing.extend(options.missing)
    return written


def session_count(ctx: Context) -> int:
    """How many study sessions the plan holds (one iCalendar event each)."""
    return sum(len(w["sessions"]) for w in ctx["weeks"])


def schedule_sessions(ctx: Context) -> list[dict[str, Any]]:
    """Every session with a day and a start time (see ``assess.report.ics``)."""
    from assess.report.ics import schedule_sessions as schedule

    return schedule(ctx)
