"""PDF checks shared by the tests: glyph-0 (.notdef) references in the content streams.

A Type0 font maps each two-byte code to a CID through its /Encoding: /Identity-H (the code is
the CID) or an embedded CMap (WeasyPrint writes one mapping the codes of missing characters to
CID 0). CID 0 is .notdef.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pikepdf

_CIDCHAR = re.compile(rb"<([0-9a-fA-F]+)>\s+(\d+)")


def _cid_map(font: Any) -> dict[int, int] | None:
    """code -> CID for a Type0 font with an embedded CMap; None for Identity-H."""
    encoding = font.get("/Encoding")
    if not isinstance(encoding, pikepdf.Stream):
        return None
    data = encoding.read_bytes()
    mapping: dict[int, int] = {}
    for block in re.findall(rb"begincidchar(.*?)endcidchar", data, re.S):
        for code, cid in _CIDCHAR.findall(block):
            mapping[int(code, 16)] = int(cid)
    return mapping


def _scan(resources: Any, content: Any, found: list[int], page: int) -> None:
    font = None
    for operands, operator in pikepdf.parse_content_stream(content):
        op = str(operator)
        if op == "Tf":
            font = resources.Font[operands[0]]
        elif op in ("Tj", "TJ", "'", '"'):
            items = operands[0] if op == "TJ" else [operands[-1]]
            two_byte = font is not None and font.Subtype == "/Type0"
            for item in items:
                if not isinstance(item, pikepdf.String):
                    continue
                data = bytes(item)
                if two_byte:
                    codes = [int.from_bytes(data[i:i + 2], "big")
                             for i in range(0, len(data) - 1, 2)]
                    mapping = _cid_map(font)
                    if mapping is not None:
                        codes = [mapping.get(code, code) for code in codes]
                else:
                    codes = list(data)
                found.extend(page for code in codes if code == 0)
        elif op == "Do":
            xobject = resources.XObject[operands[0]]
            if xobject.Subtype == "/Form":
                _scan(xobject.get("/Resources", resources), xobject, found, page)


def notdef_references(path: Path) -> list[int]:
    """The page number of every glyph-0 reference in the PDF's text (empty when none)."""
    found: list[int] = []
    with pikepdf.open(path) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            _scan(page.Resources, page, found, number)
    return found


MM = 72 / 25.4


def page_fill(data: bytes, top_mm: float = 20, bottom_mm: float = 18) -> list[float]:
    """For each page, how far down its body text reaches (0 = empty, 1 = to the foot), from
    the text's positions; the running header and footer in the margins are left out."""
    import io

    from pypdf import PdfReader

    fills = []
    for page in PdfReader(io.BytesIO(data)).pages:
        height = float(page.mediabox.height)
        top, bottom = height - top_mm * MM, bottom_mm * MM
        ys: list[float] = []

        def visit(text: str, cm: Any, tm: Any, fonts: Any, size: Any,
                  ys: list[float] = ys, top: float = top, bottom: float = bottom) -> None:
            if text.strip():
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                if bottom < y < top:
                    ys.append(y)

        page.extract_text(visitor_text=visit)
        fills.append((top - min(ys)) / (top - bottom) if ys else 0.0)
    return fills
