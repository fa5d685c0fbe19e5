"""Text read back from rendered output, normalised before any comparison: NFKC folds the
ligatures and compatibility forms a machine's fonts may set ("ﬄ" -> "ffl"), and runs of
whitespace become one space, so a test passes whichever fonts the machine has."""

from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from pypdf import PdfReader


def norm(text: str) -> str:
    """NFKC, with every run of whitespace turned into one space."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _raw_pages(source: bytes | Path | str) -> list[str]:
    """The text pypdf extracts from each page of a PDF (bytes or a path), as it comes."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]


def pdf_pages(source: bytes | Path | str) -> list[str]:
    """The normalised text of each page of a PDF (bytes or a path)."""
    return [norm(text) for text in _raw_pages(source)]


def pdf_text(source: bytes | Path | str) -> str:
    """The normalised text of a whole PDF, pages joined by one space."""
    return " ".join(pdf_pages(source))


def pdf_lines(source: bytes | Path | str) -> list[list[str]]:
    """Each page's non-empty lines, each normalised."""
    return [[norm(line) for line in text.splitlines() if line.strip()]
            for text in _raw_pages(source)]
