"""A4 and Letter: small tables stay whole, and no page but the last is more than half empty."""

from __future__ import annotations

from typing import Any

import pytest
from pdf_checks import page_fill
from pdf_text import pdf_pages
from test_report_sample import sample_context

from assess.report.render import RenderOptions, render


@pytest.fixture(scope="module")
def ctx() -> dict[str, Any]:
    return sample_context()


@pytest.mark.parametrize("paper", ["a4", "letter"])
@pytest.mark.parametrize("full", [False, True])
def test_pages_are_filled_and_small_tables_whole(ctx: dict[str, Any], paper: str,
                                                 full: bool) -> None:
    pdf = render(ctx, "pdf", RenderOptions(paper=paper, full=full))
    fills = page_fill(pdf)
    assert all(f >= 0.5 for f in fills[:-1]), [round(f, 2) for f in fills]
    pages = pdf_pages(pdf)
    assert len(pages) <= (4 if not full else 14)
    # each of these tables is on one page, every row of it (progress and the time split are
    # in the full report; the weekly one keeps page 1, the gaps, the plan and calibration)
    tables = [[r["title"] for r in ctx["calibration"]["rows"] if r["diff"]]]
    if full:
        tables += [[c["title"] for c in ctx["progress"]["changes"]],
                   [r["title"] for r in ctx["allocation"]["rounds"]]]
    for rows in tables:
        holders = {n for n, text in enumerate(pages) if rows[0] in text}
        assert any(all(title in pages[n] for title in rows) for n in holders), rows[0]
