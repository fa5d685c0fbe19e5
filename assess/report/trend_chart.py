"""The trend chart: overall readiness over time, self-ratings as a line, mentor ratings as
diamonds, on one time axis (points placed by date, each date labelled once).

Same rules as ``charts``: a pure function of plain data, every text escaped, one ``<svg>``
with ``role="img"``, a ``<title>`` and an ``aria-label``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from assess.report.charts import (
    ACCENT,
    GRID,
    MENTOR,
    MUTED,
    _clamp,
    _fit,
    _num,
    _open,
    _pct,
    _text,
)


@dataclass(frozen=True)
class Point:
    """One check-in: an x label (its date as shown), a value in 0..1, who rated, and the date
    itself (points are placed by date when every point has one)."""

    label: str
    value: float
    mentor: bool = False
    day: dt.date | None = None


def _time_positions(points: Sequence[Point], x0: float, x1: float) -> list[float]:
    """x of each point: by date on a linear time axis, or evenly spaced without dates."""
    n = len(points)
    days = [p.day for p in points]
    if all(d is not None for d in days):
        ordinals = [d.toordinal() for d in days if d is not None]
        first, last = min(ordinals), max(ordinals)
        if last == first:
            return [(x0 + x1) / 2] * n
        return [x0 + (x1 - x0) * (o - first) / (last - first) for o in ordinals]
    if n == 1:
        return [(x0 + x1) / 2]
    # Without dates, one slot per distinct label: points sharing a label share a slot.
    slots = list(dict.fromkeys(p.label for p in points))
    if len(slots) == 1:
        return [(x0 + x1) / 2] * n
    step = (x1 - x0) / (len(slots) - 1)
    return [x0 + step * slots.index(p.label) for p in points]


def trend_chart(points: Sequence[Point], *, label: str, width: float = 620,
                height: float = 200) -> str:
    """Readiness over time: a line through self-ratings, diamonds for mentor ratings, on one
    time axis where each date is labelled once."""
    # Two check-ins of one rater on one day: the later one stands (a same-day re-rate
    # corrects the first), so one point and one label per rater and day.
    last = {(p.day, p.mentor): i for i, p in enumerate(points) if p.day is not None}
    points = [p for i, p in enumerate(points)
              if p.day is None or last[(p.day, p.mentor)] == i]
    left, right, top, bottom = 44.0, 20.0, 14.0, 40.0
    pad = 36.0  # keeps the first and last points (and their labels) off the edges
    plot_w, plot_h = width - left - right, height - top - bottom
    out = _open(width, height, label)
    for tick in (0, 0.25, 0.5, 0.75, 1.0):
        y = top + plot_h * (1 - tick)
        out.append(
            f'<line x1="{_num(left)}" y1="{_num(y)}" x2="{_num(left + plot_w)}" y2="{_num(y)}" '
            f'stroke="{GRID}" stroke-width="0.8"/>'
        )
        out.append(_text(left - 6, y + 3, _pct(tick), anchor="end", size=9, fill=MUTED))
    n = len(points)
    if n == 0:
        out.append(_text(left + plot_w / 2, top + plot_h / 2, "no check-ins yet",
                         anchor="middle", fill=MUTED))
        out.append("</svg>")
        return "\n".join(out)
    xs = _time_positions(points, left + pad, left + plot_w - pad)

    def xy(i: int, value: float) -> tuple[float, float]:
        return xs[i], top + plot_h * (1 - _clamp(value))

    own = [(i, p) for i, p in enumerate(points) if not p.mentor]
    if len(own) > 1:
        coords = " ".join(f"{_num(x)},{_num(y)}" for x, y in (xy(i, p.value) for i, p in own))
        out.append(
            f'<polyline points="{coords}" fill="none" stroke="{ACCENT}" stroke-width="2"/>'
        )
    axis_y = top + plot_h
    for i, p in enumerate(points):
        x, y = xy(i, p.value)
        if p.mentor:
            d = 5.0
            out.append(
                f'<polygon points="{_num(x)},{_num(y - d)} {_num(x + d)},{_num(y)} '
                f'{_num(x)},{_num(y + d)} {_num(x - d)},{_num(y)}" fill="{MENTOR}"/>'
            )
        else:
            out.append(f'<circle cx="{_num(x)}" cy="{_num(y)}" r="3.5" fill="{ACCENT}"/>')
        colour = MENTOR if p.mentor else ACCENT
        # Value labels: self above its point, mentor below, so two on one date never collide.
        above, below = y - 8, y + 16
        ty = below if p.mentor else above
        if ty < top + 4:
            ty = below
        elif ty > axis_y - 2:
            ty = above
        out.append(_text(x, ty, _pct(_clamp(p.value)), anchor="middle", size=9, fill=colour,
                         weight="bold"))
    # Each date once on the axis; labels closer than min_gap to the last one are skipped,
    # and the latest date is always shown.
    ticks: list[tuple[float, str]] = []
    for x, text in sorted({(round(xs[i], 1), _fit(p.label, 12)) for i, p in
                           enumerate(points)}):
        if ticks and abs(x - ticks[-1][0]) < 0.5:
            continue
        ticks.append((x, text))
    min_gap = 62.0
    shown: list[tuple[float, str]] = []
    for x, text in ticks:
        if shown and x - shown[-1][0] < min_gap:
            if (x, text) == ticks[-1]:
                shown[-1] = (x, text)
            continue
        shown.append((x, text))
    for x, text in shown:
        out.append(
            f'<line x1="{_num(x)}" y1="{_num(axis_y)}" x2="{_num(x)}" y2="{_num(axis_y + 3)}" '
            f'stroke="{MUTED}" stroke-width="0.8"/>'
        )
        out.append(_text(x, axis_y + 14, text, anchor="middle", size=9, fill=MUTED))
    ly = height - 8
    out.append(f'<circle cx="{_num(left + 4)}" cy="{_num(ly - 3)}" r="3.5" fill="{ACCENT}"/>')
    out.append(_text(left + 12, ly, "self-rating", size=9, fill=MUTED))
    if any(p.mentor for p in points):
        mx = left + 90
        out.append(
            f'<polygon points="{_num(mx)},{_num(ly - 8)} {_num(mx + 5)},{_num(ly - 3)} '
            f'{_num(mx)},{_num(ly + 2)} {_num(mx - 5)},{_num(ly - 3)}" fill="{MENTOR}"/>'
        )
        out.append(_text(mx + 9, ly, "mentor rating", size=9, fill=MUTED))
    out.append("</svg>")
    return "\n".join(out)
