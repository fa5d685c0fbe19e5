"""Accessible reports: the default PDF is tagged, table headers carry a scope, charts state
their numbers, and the trend chart has a real time axis."""

from __future__ import annotations

import datetime as dt
import io
import xml.etree.ElementTree as ET
from typing import Any

import pikepdf
import pytest
from test_report_sample import sample_context

from assess.report.figures import build_charts
from assess.report.render import RenderOptions, render
from assess.report.trend_chart import Point, trend_chart

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def ctx() -> dict[str, Any]:
    return sample_context()


def _struct(doc: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    """Every structure element of the PDF, depth first."""
    out: list[pikepdf.Dictionary] = []

    def walk(node: Any) -> None:
        kids = node.get("/K")
        if kids is None:
            return
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
                out.append(kid)
                walk(kid)

    walk(doc.Root.StructTreeRoot)
    return out


def test_default_pdf_is_tagged_with_scoped_headers_and_chart_alt_text(
        ctx: dict[str, Any]) -> None:
    pdf = render(ctx, "pdf", RenderOptions(full=True))  # every chart: the full report
    doc = pikepdf.open(io.BytesIO(pdf))
    assert doc.Root.MarkInfo.Marked
    elements = _struct(doc)
    kinds = {str(e.S) for e in elements}
    assert {"/H1", "/H2", "/Table", "/TH", "/TD", "/Figure", "/L", "/LI"} <= kinds
    headers = [e for e in elements if e.S == "/TH"]
    scopes = {str(h.A.Scope) for h in headers}
    assert scopes == {"/Column", "/Row"}  # column headers of data tables, row headers of facts
    assert all("/Scope" in h.A for h in headers)
    alts = [str(e.Alt) for e in elements if e.S == "/Figure"]
    assert len(alts) == 4
    rounds = ctx["readiness"]["rounds"]
    first = rounds[0]
    assert any(f"{first['title']} {round(first['value'] * 100)}%" in alt for alt in alts)
    assert any(alt.startswith("Overall readiness at each check-in") and "(mentor)" in alt
               for alt in alts)


def test_chart_labels_state_every_number(ctx: dict[str, Any]) -> None:
    svgs = build_charts(ctx)
    label = ET.fromstring(svgs["time"]).get("aria-label") or ""
    for r in ctx["allocation"]["rounds"]:
        assert f"{r['title']} {round(r['planned_share'] * 100)}%" in label
    label = ET.fromstring(svgs["criteria"]).get("aria-label") or ""
    for c in ctx["readiness"]["criteria"]:
        assert f"{c['title']} {round(c['value'] * 100)}%" in label


def _axis_labels(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text") if t.get("y") == "174"]


def test_trend_places_points_by_date_and_labels_each_date_once() -> None:
    d = dt.date(2026, 11, 16)
    points = [Point("Mon 16 Nov", 0.4, day=d),
              Point("Mon 23 Nov", 0.5, day=d + dt.timedelta(days=7)),
              Point("Mon 7 Dec", 0.6, day=d + dt.timedelta(days=21)),
              Point("Mon 7 Dec", 0.55, mentor=True, day=d + dt.timedelta(days=21))]
    root = ET.fromstring(trend_chart(points, label="Trend"))
    assert _axis_labels(root) == ["Mon 16 Nov", "Mon 23 Nov", "Mon 7 Dec"]
    circles = [float(c.get("cx", 0)) for c in root.iter(f"{SVG}circle")][:3]
    # a week, then two weeks: the gaps on the axis are 1 : 2
    assert circles[2] - circles[1] == pytest.approx(2 * (circles[1] - circles[0]), abs=0.2)
    diamond = next(root.iter(f"{SVG}polygon")).get("points", "").split()[0]
    assert float(diamond.split(",")[0]) == pytest.approx(circles[2], abs=0.1)


def test_trend_without_dates_shares_slots_by_label() -> None:
    points = [Point("Mon 30 Nov", 0.4), Point("Mon 7 Dec", 0.5),
              Point("Mon 7 Dec", 0.45, mentor=True)]
    root = ET.fromstring(trend_chart(points, label="Trend"))
    assert _axis_labels(root) == ["Mon 30 Nov", "Mon 7 Dec"]
