"""Output formats, paper sizes and PDF variants: plain constants the CLI can import cheaply."""

from __future__ import annotations

FORMATS = ("pdf", "html", "md", "json", "ics")
TEXT_FORMATS = ("html", "md", "json", "ics")
SUFFIXES = {
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".ics": "ics",
}
PAPERS = {"a4": "A4", "letter": "letter"}
# PDF variants WeasyPrint produces with deterministic bytes. PDF/X-4 and later are left out:
# WeasyPrint gives them a random document id.
PDF_VARIANTS = (
    "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4u",
    "pdf/a-1a", "pdf/a-2a", "pdf/a-3a", "pdf/ua-1", "pdf/ua-2",
)


def default_report_name(day: str) -> str:
    """The report's file name when none is given: ``assess-plan-YYYY-MM-DD.pdf``."""
    return f"assess-plan-{day}.pdf"
