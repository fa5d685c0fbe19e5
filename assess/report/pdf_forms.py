"""Make the PDF's form fields show and fill the same in every viewer.

WeasyPrint writes the fields, but poppler (Evince, Okular), MuPDF and pdf.js each want a little
more than it gives:

* ``/NeedAppearances true`` makes a viewer redraw every field from its ``/DA``, and the
  checkboxes have none, so poppler draws an empty box for a ticked session. The flag goes:
  every field carries its own appearance streams (a checkbox its ``on`` tick and an empty
  ``Off``; a text or choice field an empty box a viewer redraws when the value changes).
* Every field gets a ``/DA`` naming a standard font the form's default resources hold:
  Helvetica (``/Helv``) for text and levels, ZapfDingbats (``/ZaDb``, with the check mark
  ``4`` as the caption) for checkboxes. A viewer that redraws a field always finds its font.
  Helvetica has no CJK or Arabic glyphs: such a note reads back exactly, but whether it shows
  depends on the viewer finding a font of its own (recent poppler adds a system font to the
  form when a mentor types; a value set by a tool that writes no appearance does not show in
  poppler). Embedding a CJK and an Arabic face for that would add megabytes to every form.
* A level combo's blank choice is written as ``['', '']``, which PyMuPDF refuses to keep; it
  becomes a single space, which reads back blank (not rated this time).

Plain pydyf objects in, changed in place; called by the PDF renderer as a finisher.
"""

from __future__ import annotations

import re
from typing import Any

CHECK_MARK = "4"  # ZapfDingbats' check mark
BLANK_CHOICE = " "  # a level combo's "not rated this time": non-empty, reads back blank
_SIZE = re.compile(rb"([0-9.]+)\s+Tf")
_COLOUR = re.compile(rb"([0-9.]+\s+[0-9.]+\s+[0-9.]+)\s+rg")


def fix_form_fields(pdf: Any) -> None:
    """Give every widget a DA, appearance streams and standard fonts; drop NeedAppearances."""
    import pydyf

    form = pdf.catalog.get("AcroForm")
    if not isinstance(form, pydyf.Dictionary):
        return
    fonts = pydyf.Dictionary({
        "Helv": _standard_font(pdf, "Helvetica", winansi=True),
        "ZaDb": _standard_font(pdf, "ZapfDingbats", winansi=False),
    })
    form["DR"] = pydyf.Dictionary({"Font": fonts})
    form["DA"] = pydyf.String("/Helv 0 Tf 0 g")
    form.pop("NeedAppearances", None)
    for obj in _objects(pdf):
        if not isinstance(obj, pydyf.Dictionary) or obj.get("Subtype") != "/Widget":
            continue
        _normalise_rect(obj)
        kind = obj.get("FT")
        if kind == "/Btn" and "AP" in obj and "Kids" not in obj:
            _checkbox(pdf, obj)
        elif kind in ("/Tx", "/Ch"):
            _text_field(pdf, obj, fonts)
            if kind == "/Ch":
                _blank_choice(obj)


def _objects(pdf: Any) -> list[Any]:
    return [o for o in pdf.objects if hasattr(o, "number") and o.number]


def _standard_font(pdf: Any, name: str, *, winansi: bool) -> Any:
    import pydyf

    font = pydyf.Dictionary({"Type": "/Font", "Subtype": "/Type1", "BaseFont": f"/{name}"})
    if winansi:
        font["Encoding"] = "/WinAnsiEncoding"
    pdf.add_object(font)
    return font.reference


def _colour(da: Any) -> bytes:
    """The fill colour an existing DA sets (``r g b rg``), or black."""
    raw = _raw(da)
    found = _COLOUR.search(raw)
    return found.group(1) + b" rg" if found else b"0 g"


def _size(da: Any, default: float) -> bytes:
    found = _SIZE.search(_raw(da))
    return found.group(1) if found else str(default).encode()


def _raw(value: Any) -> bytes:
    """A pydyf String's (or a plain value's) bytes."""
    if value is None:
        return b""
    text = getattr(value, "string", value)
    if isinstance(text, str):
        return text.encode("utf-8")
    return bytes(text) if isinstance(text, bytes | bytearray) else str(text).encode("utf-8")


def _normalise_rect(widget: Any) -> None:
    """Write the widget's rectangle lower-left corner first, as readers expect."""
    import pydyf

    rect = widget.get("Rect")
    if isinstance(rect, pydyf.Array | list) and len(rect) == 4:
        x0, y0, x1, y1 = (float(v) for v in rect)
        widget["Rect"] = pydyf.Array((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))


def _rect_size(widget: Any) -> tuple[float, float]:
    x0, y0, x1, y1 = (float(v) for v in widget["Rect"])
    return abs(x1 - x0), abs(y1 - y0)


def _stream(pdf: Any, widget: Any, content: bytes, resources: Any = None) -> Any:
    import pydyf

    width, height = _rect_size(widget)
    extra = {"Type": "/XObject", "Subtype": "/Form",
             "BBox": pydyf.Array((0, 0, round(width, 4), round(height, 4)))}
    if resources is not None:
        extra["Resources"] = resources
    stream = pydyf.Stream([content] if content else [], extra=extra)
    pdf.add_object(stream)
    return stream.reference


def _checkbox(pdf: Any, widget: Any) -> None:
    """A checkbox: ``on`` (the tick WeasyPrint drew) and ``Off`` (empty), a ZapfDingbats DA
    and caption, so a viewer that redraws it draws the same tick."""
    import pydyf

    normal = widget["AP"].get("N")
    if not isinstance(normal, pydyf.Dictionary):
        return
    marks = widget.get("MK")
    if not isinstance(marks, pydyf.Dictionary):
        marks = pydyf.Dictionary()
        widget["MK"] = marks
    border = marks.get("BC")  # the tick is drawn in the box's colour
    colour = (" ".join(f"{float(c):g}" for c in border).encode() + b" rg"
              if isinstance(border, pydyf.Array) and len(border) == 3 else b"0 g")
    widget["DA"] = pydyf.String(b"/ZaDb 0 Tf " + colour)
    marks["CA"] = pydyf.String(CHECK_MARK)
    if "Off" not in normal:
        normal["Off"] = _stream(pdf, widget, b"")
    widget["AP"]["D"] = pydyf.Dictionary(dict(normal))


def _text_field(pdf: Any, widget: Any, fonts: Any) -> None:
    """A text or choice field: a Helvetica DA at the size and colour WeasyPrint chose, and an
    appearance showing its value (blank for the fields the mentor fills in), which a viewer
    redraws when the value changes."""
    import pydyf

    old = widget.get("DA")
    size, colour = _size(old, 9), _colour(old)
    widget["DA"] = pydyf.String(b"/Helv " + size + b" Tf " + colour)
    if "AP" not in widget:
        resources = pydyf.Dictionary({"Font": fonts})
        content = b"/Tx BMC\n" + _shown_value(widget, size, colour) + b"EMC"
        widget["AP"] = pydyf.Dictionary({"N": _stream(pdf, widget, content, resources)})


def _shown_value(widget: Any, size: bytes, colour: bytes) -> bytes:
    """Content drawing the field's value in Helvetica (the read-only identity fields carry
    one), or nothing for a blank field or a value WinAnsi cannot encode."""
    text = _raw(widget.get("V")).decode("utf-8", "replace").strip()
    try:
        encoded = text.encode("cp1252")
    except UnicodeEncodeError:
        return b""
    if not encoded:
        return b""
    points = float(size) or 9.0
    _, height = _rect_size(widget)
    baseline = max(0.5, (height - points * 0.72) / 2)
    escaped = encoded.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    return (b"q BT /Helv " + f"{points:g}".encode() + b" Tf " + colour + b" 2 "
            + f"{baseline:.2f}".encode() + b" Td (" + escaped + b") Tj ET Q\n")


def _blank_choice(widget: Any) -> None:
    """Replace an empty choice (export value or label) with ``BLANK_CHOICE``."""
    import pydyf

    options = widget.get("Opt")
    if not isinstance(options, pydyf.Array):
        return
    for i, option in enumerate(options):
        if isinstance(option, pydyf.Array) and len(option) == 2:
            value, label = (_raw(part) for part in option)
            if not value.strip() or not label.strip():
                options[i] = pydyf.Array([pydyf.String(value.decode() or BLANK_CHOICE),
                                          pydyf.String(label.decode() or BLANK_CHOICE)])
    if not _raw(widget.get("V")).strip():
        widget["V"] = pydyf.String(BLANK_CHOICE)
