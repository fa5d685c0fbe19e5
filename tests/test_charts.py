"""Hand-drawn SVG charts: well-formed, labelled, escaped, clamped and deterministic."""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET

import pytest

from assess.report import charts
from assess.report.charts import Bar, Segment, Spoke, Strip
from assess.report.trend_chart import Point, trend_chart

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert(1)</script> & "quotes" <img src=x>'


def _parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == root.get("aria-label")
    assert root.get("viewBox") == f"0 0 {root.get('width')} {root.get('height')}"
    return root


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def _all_charts(label: str) -> list[str]:
    return [
        charts.bar_chart([Bar(label, 0.5, 0.4)], label=label),
        charts.radar_chart([Spoke(label, 0.5, 0.4, 0.3)] * 4, label=label),
        charts.share_chart([Strip(label, (Segment(label, 3, "#000"),))], label=label,
                           guide=0.4, guide_label=label),
        trend_chart([Point(label, 0.5), Point(label, 0.6, mentor=True)], label=label),
    ]


def test_bars_label_every_row_with_its_percentage() -> None:
    rows = [Bar("Recruiter Screen", 0.83), Bar("ML System Design", 0.42, previous=0.36),
            Bar("Behavioral and Cross-Functional Collaboration", 0.55)]
    root = _parse(charts.bar_chart(rows, label="Readiness per round"))
    texts = _texts(root)
    for expected in ["Recruiter Screen", "ML System Design", "Behavioral and",
                     "Cross-Functional Collaboration", "83%", "42%", "55%", "0%", "100%",
                     "last check-in"]:
        assert expected in texts
    # one filled bar per row, scaled to its value
    widths = [float(r.get("width", 0)) for r in root.iter(f"{SVG}rect")
              if r.get("fill") not in ("#f3f4f6",)]
    assert len(widths) == 3
    assert widths[0] / widths[1] == pytest.approx(0.83 / 0.42, rel=1e-2)


def test_radar_has_a_labelled_spoke_per_criterion_and_a_legend() -> None:
    spokes = [Spoke("Role-Related Knowledge", 0.61, 0.55, 0.5),
              Spoke("Problem-Solving Ability", 0.49, 0.42, 0.45),
              Spoke("Engineering Craftsmanship", 0.74, 0.68, 0.7),
              Spoke("Culture Fit and Values", 0.57, 0.5, 0.6)]
    root = _parse(charts.radar_chart(spokes, label="Criteria"))
    texts = _texts(root)
    for expected in ["Role-Related", "Knowledge", "61%", "49%", "74%", "57%", "now",
                     "last check-in", "mentor", "25%", "100%"]:
        assert expected in texts
    polygons = list(root.iter(f"{SVG}polygon"))
    assert len(polygons) == 4 + 3  # rings + previous, mentor, now


def test_radar_with_fewer_than_three_spokes_draws_bars() -> None:
    root = _parse(charts.radar_chart([Spoke("A", 0.2), Spoke("B", 0.9)], label="Two"))
    assert not list(root.iter(f"{SVG}polygon"))
    assert {"A", "B", "20%", "90%"} <= set(_texts(root))


def test_share_strip_marks_the_guidance_line() -> None:
    strip = Strip("Planned", (Segment("ML System", 16, "#111"), Segment("Coding", 14, "#222"),
                              Segment("Behavioral", 10, "#333")))
    empty = Strip("Logged", (Segment("ML System", 0, "#111"),))
    root = _parse(charts.share_chart([strip, empty], label="Split", guide=0.4,
                                     guide_label="40% guidance"))
    texts = _texts(root)
    assert "ML System 40%" in texts and "Coding 35%" in texts and "40% guidance" in texts
    assert "nothing yet" in texts
    guide = [ln for ln in root.iter(f"{SVG}line") if ln.get("stroke") == charts.GUIDE]
    assert len(guide) == 1
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill") == "#111"]
    assert float(guide[0].get("x1", 0)) == pytest.approx(
        float(rects[0].get("x", 0)) + float(rects[0].get("width", 0)), abs=0.2)


def test_trend_points_dates_and_mentor_diamonds() -> None:
    points = [Point("Wed 11 Nov", 0.44), Point("Wed 18 Nov", 0.51),
              Point("Tue 24 Nov", 0.47, mentor=True), Point("Wed 25 Nov", 0.58)]
    root = _parse(trend_chart(points, label="Trend"))
    texts = _texts(root)
    for expected in ["Wed 11 Nov", "Wed 25 Nov", "44%", "51%", "47%", "58%", "self-rating",
                     "mentor rating"]:
        assert expected in texts
    assert len(list(root.iter(f"{SVG}polyline"))) == 1
    assert len(list(root.iter(f"{SVG}circle"))) == 3 + 1  # self points + legend
    width = float(root.get("width", 0))
    for circle in root.iter(f"{SVG}circle"):
        assert 0 < float(circle.get("cx", 0)) < width


def test_trend_with_no_or_one_point() -> None:
    assert "no check-ins yet" in _texts(_parse(trend_chart([], label="T")))
    root = _parse(trend_chart([Point("Wed 25 Nov", 0.3)], label="T"))
    assert "30%" in _texts(root) and not list(root.iter(f"{SVG}polyline"))


def test_hostile_labels_are_escaped_text() -> None:
    for svg in _all_charts(HOSTILE):
        assert "<script" not in svg and "<img" not in svg
        root = _parse(svg)
        assert not list(root.iter("script")) and not list(root.iter(f"{SVG}script"))
        joined = " ".join(_texts(root)) + root.get("aria-label", "")
        assert "<script>" in joined  # shown as text, not markup


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -3.0, 7.5])
def test_out_of_range_values_are_clamped(value: float) -> None:
    for svg in [charts.bar_chart([Bar("x", value, value)], label="x"),
                charts.radar_chart([Spoke("x", value, value, value)] * 3, label="x"),
                trend_chart([Point("x", value)] * 2, label="x")]:
        assert "nan" not in svg and "inf" not in svg
        _parse(svg)


def test_charts_are_deterministic() -> None:
    assert _all_charts("Same") == _all_charts("Same")


def _text_width(text: str, size: float, bold: bool) -> float:
    """The width of ``text`` in the bundled Liberation Sans, in px at ``size``."""
    from fontTools.ttLib import TTFont

    from assess.resources import templates_dir

    name = "LiberationSans-Bold.ttf" if bold else "LiberationSans-Regular.ttf"
    font = TTFont(str(templates_dir() / "fonts" / name))
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    units = font["head"].unitsPerEm
    return sum(metrics[cmap[ord(c)]][0] for c in text) / units * size


@pytest.mark.parametrize("labels", [
    ["Role-Related Knowledge", "Problem-Solving Ability", "Engineering Craftsmanship",
     "Culture Fit and Values"],
    ["Communication", "Problem-Solving", "Craftsmanship", "Leadership", "Product Sense"],
])
def test_radar_labels_fit_inside_the_chart(labels: list[str]) -> None:
    """Every spoke label lies inside the chart's box, in the font the PDF uses and in the
    wider sans a browser may pick for the HTML (Noto Sans, DejaVu Sans: up to 15% wider): none
    is clipped at the left or right edge (the right label "Problem-Solving" was)."""
    root = _parse(charts.radar_chart([Spoke(t, 0.6, 0.5, 0.4) for t in labels], label="r"))
    width = float(root.get("width") or 0)
    for text in root.iter(f"{SVG}text"):
        x, size = float(text.get("x") or 0), float(text.get("font-size") or 11)
        w = 1.15 * _text_width(text.text or "", size, text.get("font-weight") == "bold")
        anchor = text.get("text-anchor")
        left = x - w if anchor == "end" else x - w / 2 if anchor == "middle" else x
        assert left >= 0 and left + w <= width, (text.text, left, left + w, width)
