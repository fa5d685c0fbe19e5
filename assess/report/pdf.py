"""The PDF: WeasyPrint with the locked-down fetcher, subset fonts and a structure tree.

* Fonts are subset: only the glyphs the report uses are embedded. The same inputs give the
  same bytes on one machine (font names are hashes of the font, dates come from the data or
  ``SOURCE_DATE_EPOCH``); another machine with other fonts or another subsetter may differ.
* HarfBuzz subsets CFF fonts (the Noto CJK faces) keeping every glyph slot, which leaves a
  65 000-entry index of empty glyphs that does not compress: about 110 kB per CJK face for a
  handful of characters. ``_compact_cff`` rewrites each such font as a bare CID-keyed CFF
  holding only its used glyphs (a CID still names its glyph, so the content streams need no
  change): about 1 kB.
* The PDF is tagged by default (``pdf_tags``): a screen reader gets headings, lists, tables
  and the charts' alt text. ``_scope_table_headers`` gives each table header cell the
  ``/Scope`` WeasyPrint leaves out: ``/Row`` for a header in a row of data cells, else
  ``/Column``.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from assess.errors import RenderError
from assess.report.fetcher import TemplateFolders, make_fetcher


@contextmanager
def quiet_weasyprint(sink: list[str]) -> Iterator[None]:
    """Collect WeasyPrint's warnings instead of letting them reach the terminal."""

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            sink.append(record.getMessage())

    logger = logging.getLogger("weasyprint")
    handler = Collect(level=logging.WARNING)
    saved = (logger.handlers[:], logger.propagate, logger.level)
    logger.handlers = [handler]
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.handlers, logger.propagate, _ = saved
        logger.setLevel(saved[2])


def write_pdf(html: str, folders: TemplateFolders, *, paper: str, variant: str | None,
              tagged: bool = True, warnings: list[str] | None = None,
              blocked: list[str] | None = None) -> bytes:
    """Render the report HTML to PDF bytes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    sink = warnings if warnings is not None else []
    fetcher = make_fetcher(folders)
    font_config = FontConfiguration()
    try:
        with quiet_weasyprint(sink):
            page_css = CSS(string=f"@page {{ size: {paper} portrait; }}",
                           font_config=font_config, url_fetcher=fetcher)
            document = HTML(string=html, base_url=folders.base_url(), url_fetcher=fetcher)
            pdf = document.write_pdf(
                stylesheets=[page_css],
                font_config=font_config,
                pdf_variant=variant,
                pdf_tags=tagged or None,
                # the plan's checkboxes and the mentor's form are real fields, except in PDF/A,
                # which forbids fields without appearance streams (they are drawn boxes there)
                pdf_forms=not (variant or "").startswith("pdf/a"),
                full_fonts=False,
                hinting=False,
                uncompressed_pdf=False,
                finisher=_finish,
            )
    except RenderError:
        raise
    except Exception as exc:  # noqa: BLE001 - WeasyPrint raises many kinds; one plain line
        raise RenderError(f"could not render the PDF: {type(exc).__name__}: {exc}") from None
    if blocked is not None:
        blocked.extend(fetcher.blocked)
    if pdf is None:
        raise RenderError("could not render the PDF: WeasyPrint returned nothing")
    return bytes(pdf)


def _finish(document: Any, pdf: Any) -> None:
    from assess.report.pdf_forms import fix_form_fields

    _compact_cff(pdf)
    _scope_table_headers(pdf)
    fix_form_fields(pdf)
    _read_only_identity(pdf)


def _read_only_identity(pdf: Any) -> None:
    """Mark the fields that name what a form belongs to (``assess-*``) read-only."""
    import pydyf

    from assess.inputs.form_fields import READ_ONLY_PREFIX

    for obj in _objects(pdf):
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Widget":
            continue
        name = obj.get("T")
        text = getattr(name, "string", None) if isinstance(name, pydyf.String) else None
        if isinstance(text, str) and text.startswith(READ_ONLY_PREFIX):
            obj["Ff"] = int(obj.get("Ff", 0)) | 1  # ReadOnly


def _objects(pdf: Any) -> list[Any]:
    return [o for o in pdf.objects if hasattr(o, "number") and o.number]


def _compact_cff(pdf: Any) -> None:
    """Rewrite each embedded CID-keyed OpenType/CFF font as a bare CFF of its used glyphs."""
    import pydyf

    for obj in _objects(pdf):
        if not isinstance(obj, pydyf.Stream) or obj.extra.get("Subtype") != "/OpenType":
            continue
        data = b"".join(part if isinstance(part, bytes) else bytes(part)
                        for part in obj.stream)
        compact = _cid_cff_of_used_glyphs(data)
        if compact is None:
            continue
        obj.stream = [compact]
        obj.extra["Subtype"] = "/CIDFontType0C"


def _cid_cff_of_used_glyphs(data: bytes) -> bytes | None:
    """The CFF table of a CID-keyed OpenType font, cut to its non-empty glyphs, or None."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    try:
        font = TTFont(io.BytesIO(data))
        if "CFF " not in font:
            return None
        for tag in list(font.reader.keys()):  # only the CFF table is embedded
            if tag not in ("CFF ", "head", "maxp"):
                del font[tag]
        cff = font["CFF "].cff
        top = cff.topDictIndex[0]
        if not hasattr(top, "ROS"):
            return None  # name-keyed: CIDs are glyph indexes, so no glyph may move
        order = font.getGlyphOrder()
        offsets = top.CharStrings.charStringsIndex.offsets
        used = [name for i, name in enumerate(order)
                if i == 0 or offsets[i + 1] - offsets[i] > 1]  # an empty glyph is 1 byte
        if len(used) * 2 > len(order):
            return None  # nothing worth saving
        options = subset.Options()
        options.retain_gids = False
        options.notdef_outline = True
        options.hinting = False
        options.desubroutinize = True
        options.layout_features = []
        options.name_IDs = []
        options.glyph_names = True
        subsetter = subset.Subsetter(options)
        subsetter.populate(glyphs=used)
        subsetter.subset(font)
        out = io.BytesIO()
        font["CFF "].cff.compile(out, font)
        return out.getvalue()
    except Exception:  # noqa: BLE001 - keep the font as HarfBuzz wrote it
        return None


def _scope_table_headers(pdf: Any) -> None:
    """Give every TH structure element a /Scope: /Row beside data cells, else /Column."""
    import pydyf

    elements = {o.reference: o for o in _objects(pdf)
                if isinstance(o, pydyf.Dictionary) and o.get("Type") == "/StructElem"}
    for row in elements.values():
        if row.get("S") != "/TR":
            continue
        cells = [elements.get(ref) for ref in row.get("K", ())]
        cells = [c for c in cells if c is not None]
        scope = "/Row" if any(c.get("S") == "/TD" for c in cells) else "/Column"
        for cell in cells:
            if cell.get("S") == "/TH":
                attributes = cell.get("A")
                if not isinstance(attributes, pydyf.Dictionary):
                    attributes = pydyf.Dictionary({"O": "/Table"})
                    cell["A"] = attributes
                attributes["Scope"] = scope
