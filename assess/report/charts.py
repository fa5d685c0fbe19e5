"""SVG charts drawn by hand: bars, a radar, a share strip and a trend line.

Every function returns one ``<svg>`` element as a string, sized in CSS pixels with a
``viewBox`` so a stylesheet can scale it. Every piece of text comes from data that may be
hostile (a rubric title, a date string), so it goes through ``_esc`` before it lands in the
markup; numbers are formatted by the code here. Each chart carries ``role="img"``, a
``<title>`` and an ``aria-label`` so it is labelled in the PDF and for screen readers.

Charts are pure functions of plain data: the same input gives the same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

FONT = "Assess Sans, Liberation Sans, Arial, Helvetica, sans-serif"
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#d1d5db"
ACCENT = "#4338ca"
PREVIOUS = "#9ca3af"
MENTOR = "#b45309"
GUIDE = "#b91c1c"

# One colour per round, in rubric order; system design keeps the accent colour.
PALETTE = ("#4338ca", "#0e7490", "#15803d", "#b45309", "#7c3aed", "#be185d", "#4b5563")


def _esc(text: object) -> str:
    return escape(str(text), quote=True)


def _num(value: float) -> str:
    """Compact, stable number formatting for coordinates."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _pct(value: float) -> str:
    return f"{round(value * 100):d}%"


def _fit(text: str, max_chars: int) -> str:
    """Shorten a label to ``max_chars`` characters with an ellipsis."""
    text = " ".join(str(text).split())
    if len(text) <= max_chars:
        return text
    return text[: max(1, max_chars - 1)].rstrip() + "\u2026"


def _clamp(value: float, low: float = 0.0, high: float = 1.0) -> float:
    if not math.isfinite(value):
        return low
    return max(low, min(high, value))


def _open(width: float, height: float, label: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{_num(width)}" height="{_num(height)}" '
        f'viewBox="0 0 {_num(width)} {_num(height)}" aria-label="{_esc(label)}" '
        f'font-family="{FONT}" font-size="11" fill="{INK}">',
        f"<title>{_esc(label)}</title>",
    ]


def _text(x: float, y: float, text: str, *, anchor: str = "start", size: float = 11,
          fill: str = INK, weight: str = "normal") -> str:
    bold = ' font-weight="bold"' if weight == "bold" else ""
    return (
        f'<text x="{_num(x)}" y="{_num(y)}" text-anchor="{anchor}" font-size="{_num(size)}" '
        f'fill="{fill}"{bold}>{_esc(text)}</text>'
    )


# ----- horizontal bars -----------------------------------------------------------------------


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a label, a value in 0..1, and an optional earlier value."""

    label: str
    value: float
    previous: float | None = None
    color: str = ACCENT


def bar_chart(bars: Sequence[Bar], *, label: str, width: float = 620,
              previous_label: str = "last check-in") -> str:
    """Horizontal bars on a 0-100% axis, with a tick for each bar's previous value."""
    label_w, value_w, top = 210.0, 54.0, 8.0
    wrapped = [_label_lines(b.label, 30, max_lines=2) for b in bars]
    row_h = 34.0 if any(len(lines) > 1 for lines in wrapped) else 26.0
    plot_x = label_w
    plot_w = width - label_w - value_w
    has_previous = any(b.previous is not None for b in bars)
    legend_h = 18.0 if has_previous else 0.0
    height = top + row_h * max(1, len(bars)) + 22 + legend_h
    out = _open(width, height, label)
    axis_bottom = top + row_h * max(1, len(bars))
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        x = plot_x + plot_w * tick
        out.append(
            f'<line x1="{_num(x)}" y1="{_num(top - 2)}" x2="{_num(x)}" y2="{_num(axis_bottom)}" '
            f'stroke="{GRID}" stroke-width="0.8"/>'
        )
        out.append(_text(x, axis_bottom + 13, _pct(tick), anchor="middle", size=9, fill=MUTED))
    for i, bar in enumerate(bars):
        y = top + row_h * i
        value = _clamp(bar.value)
        lines = wrapped[i]
        first_y = y + row_h / 2 + 4 - 6.5 * (len(lines) - 1)
        for j, line in enumerate(lines):
            out.append(_text(plot_x - 8, first_y + 13 * j, line, anchor="end"))
        bar_y, bar_h = y + (row_h - 16) / 2, 16.0
        out.append(
            f'<rect x="{_num(plot_x)}" y="{_num(bar_y)}" width="{_num(plot_w)}" '
            f'height="{_num(bar_h)}" fill="#f3f4f6"/>'
        )
        if value > 0:
            out.append(
                f'<rect x="{_num(plot_x)}" y="{_num(bar_y)}" width="{_num(plot_w * value)}" '
                f'height="{_num(bar_h)}" fill="{bar.color}"/>'
            )
        if bar.previous is not None:
            px = plot_x + plot_w * _clamp(bar.previous)
            out.append(
                f'<line x1="{_num(px)}" y1="{_num(bar_y - 3)}" x2="{_num(px)}" '
                f'y2="{_num(bar_y + bar_h + 3)}" stroke="{INK}" stroke-width="2" '
                f'stroke-dasharray="3 2"/>'
            )
        out.append(
            _text(plot_x + plot_w + 8, y + row_h / 2 + 4, _pct(value), weight="bold")
        )
    if has_previous:
        ly = axis_bottom + 30
        out.append(
            f'<line x1="{_num(plot_x)}" y1="{_num(ly - 8)}" x2="{_num(plot_x)}" '
            f'y2="{_num(ly + 2)}" stroke="{INK}" stroke-width="2" stroke-dasharray="3 2"/>'
        )
        out.append(_text(plot_x + 6, ly, previous_label, size=9, fill=MUTED))
    out.append("</svg>")
    return "\n".join(out)


# ----- radar ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Spoke:
    """One axis of a radar: a label, a value in 0..1 and optional earlier/mentor values."""

    label: str
    value: float
    previous: float | None = None
    mentor: float | None = None


def _label_lines(text: str, width: int = 18, max_lines: int = 3) -> list[str]:
    """Split a label into at most ``max_lines`` lines of about ``width`` characters."""
    words = " ".join(str(text).split()).split(" ")
    lines: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    if current:
        lines.append(current)
    if len(lines) > max_lines:
        keep = max_lines - 1
        lines = lines[:keep] + [_fit(" ".join(lines[keep:]), width)]
    return [_fit(line, width + 4) for line in lines] or [""]


def radar_chart(spokes: Sequence[Spoke], *, label: str, size: float = 280,
                previous_label: str = "last check-in", mentor_label: str = "mentor") -> str:
    """A radar of 0..1 values, one spoke per item, rings at 25/50/75/100%.

    With fewer than three spokes a radar has no area; bars are drawn instead.
    """
    if len(spokes) < 3:
        return bar_chart([Bar(s.label, s.value, s.previous) for s in spokes], label=label)
    n = len(spokes)
    radius = size / 2 - 22
    # Each side is as wide as its longest label needs (12 px text, about 0.62 em a character
    # at most for words of ordinary letters), so no label is clipped at the chart's edge.
    left = right = 80.0
    for i, spoke in enumerate(spokes):
        cos = math.cos(-math.pi / 2 + 2 * math.pi * i / n)
        if abs(cos) < 0.3:
            continue
        longest = max(len(line) for line in _label_lines(spoke.label, 14))
        need = (radius + 12) * abs(cos) + 12 * 0.62 * longest + 4 - size / 2
        if cos > 0:
            right = max(right, need)
        else:
            left = max(left, need)
    width = size + left + right
    cx, cy = left + size / 2, 58 + radius
    height = cy + radius + 76

    def point(i: int, value: float) -> tuple[float, float]:
        angle = -math.pi / 2 + 2 * math.pi * i / n
        r = radius * _clamp(value)
        return cx + r * math.cos(angle), cy + r * math.sin(angle)

    def polygon(values: Sequence[float]) -> str:
        return " ".join(f"{_num(x)},{_num(y)}" for x, y in (point(i, v) for i, v in
                                                            enumerate(values)))

    out = _open(width, height, label)
    for ring in (0.25, 0.5, 0.75, 1.0):
        out.append(
            f'<polygon points="{polygon([ring] * n)}" fill="none" stroke="{GRID}" '
            f'stroke-width="0.8"/>'
        )
        x, y = point(0, ring)
        out.append(_text(x + 3, y + 11, _pct(ring), size=9, fill=MUTED))
    for i in range(n):
        x, y = point(i, 1.0)
        out.append(
            f'<line x1="{_num(cx)}" y1="{_num(cy)}" x2="{_num(x)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="0.8"/>'
        )
    if all(s.previous is not None for s in spokes):
        out.append(
            f'<polygon points="{polygon([s.previous or 0.0 for s in spokes])}" fill="none" '
            f'stroke="{PREVIOUS}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
    if all(s.mentor is not None for s in spokes):
        out.append(
            f'<polygon points="{polygon([s.mentor or 0.0 for s in spokes])}" fill="none" '
            f'stroke="{MENTOR}" stroke-width="1.5"/>'
        )
    out.append(
        f'<polygon points="{polygon([s.value for s in spokes])}" fill="{ACCENT}" '
        f'fill-opacity="0.25" stroke="{ACCENT}" stroke-width="2"/>'
    )
    for i, spoke in enumerate(spokes):
        x, y = point(i, spoke.value)
        out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3" fill="{ACCENT}"/>')
        angle = -math.pi / 2 + 2 * math.pi * i / n
        lx = cx + (radius + 12) * math.cos(angle)
        ly = cy + (radius + 12) * math.sin(angle)
        cos = math.cos(angle)
        anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
        lines = _label_lines(spoke.label, 14) + [_pct(_clamp(spoke.value))]
        sin = math.sin(angle)
        if sin < -0.3:  # top: grow upwards
            ly -= 14 * (len(lines) - 1)
        elif abs(sin) <= 0.3:  # sides: centre vertically
            ly -= 7 * (len(lines) - 1) - 4
        else:  # bottom
            ly += 10
        for j, line in enumerate(lines):
            last = j == len(lines) - 1
            out.append(
                _text(lx, ly + 14 * j, line, anchor=anchor, size=12,
                      weight="bold" if last else "normal", fill=ACCENT if last else INK)
            )
    legend: list[tuple[str, str, str]] = [("now", ACCENT, "")]
    if all(s.previous is not None for s in spokes):
        legend.append((previous_label, PREVIOUS, ' stroke-dasharray="4 3"'))
    if all(s.mentor is not None for s in spokes):
        legend.append((mentor_label, MENTOR, ""))
    lx = 8.0
    for text, colour, dash in legend:
        out.append(
            f'<line x1="{_num(lx)}" y1="{_num(height - 8)}" x2="{_num(lx + 18)}" '
            f'y2="{_num(height - 8)}" stroke="{colour}" stroke-width="2"{dash}/>'
        )
        out.append(_text(lx + 22, height - 4, text, size=11, fill=MUTED))
        lx += 36 + 6.5 * len(text)
    out.append("</svg>")
    return "\n".join(out)


# ----- share strip with a guidance line --------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """A part of a whole: a short label, hours, and a colour."""

    label: str
    hours: float
    color: str


@dataclass(frozen=True)
class Strip:
    label: str
    segments: Sequence[Segment] = field(default_factory=tuple)


def share_chart(strips: Sequence[Strip], *, label: str, guide: float | None = None,
                guide_label: str = "", width: float = 620) -> str:
    """Stacked 100% bars (one per strip) with an optional vertical guidance line.

    The first segment of each strip starts at the left edge, so a guidance line at ``guide``
    shows at a glance whether that first segment reaches its share.
    """
    label_w, row_h, top = 70.0, 34.0, 22.0 if guide is not None else 6.0
    plot_x, plot_w = label_w, width - label_w - 10
    height = top + row_h * max(1, len(strips)) + 8
    out = _open(width, height, label)
    for i, strip in enumerate(strips):
        y = top + row_h * i
        out.append(_text(plot_x - 8, y + row_h / 2 + 4, _fit(strip.label, 12), anchor="end",
                         weight="bold"))
        total = sum(max(0.0, s.hours) for s in strip.segments)
        if total <= 0:
            out.append(
                f'<rect x="{_num(plot_x)}" y="{_num(y + 4)}" width="{_num(plot_w)}" '
                f'height="{_num(row_h - 8)}" fill="#f3f4f6" stroke="{GRID}"/>'
            )
            out.append(_text(plot_x + 8, y + row_h / 2 + 4, "nothing yet", size=10,
                             fill=MUTED))
            continue
        x = plot_x
        for seg in strip.segments:
            if seg.hours <= 0:
                continue
            w = plot_w * seg.hours / total
            out.append(
                f'<rect x="{_num(x)}" y="{_num(y + 4)}" width="{_num(w)}" '
                f'height="{_num(row_h - 8)}" fill="{seg.color}" stroke="#ffffff" '
                f'stroke-width="1"/>'
            )
            share = seg.hours / total
            text = f"{_fit(seg.label, 14)} {_pct(share)}"
            if w >= 7.2 * len(text) + 6:
                out.append(_text(x + w / 2, y + row_h / 2 + 4, text, anchor="middle",
                                 size=10, fill="#ffffff"))
            elif w >= 30:
                out.append(_text(x + w / 2, y + row_h / 2 + 4, _pct(share), anchor="middle",
                                 size=10, fill="#ffffff"))
            x += w
    if guide is not None:
        gx = plot_x + plot_w * _clamp(guide)
        out.append(
            f'<line x1="{_num(gx)}" y1="{_num(top - 4)}" x2="{_num(gx)}" '
            f'y2="{_num(height - 4)}" stroke="{GUIDE}" stroke-width="2" '
            f'stroke-dasharray="5 3"/>'
        )
        out.append(_text(gx + 4, top - 8, guide_label or _pct(guide), size=10, fill=GUIDE,
                         weight="bold"))
    out.append("</svg>")
    return "\n".join(out)


# ----- trend line -----------------------------------------------------------------------------
