"""The HTML report in a real browser: headless Chromium from the Debian package (.ci/run
installs it). At 390 px the page does not scroll sideways; printed, no heading ends a page and
no table row is split across pages."""

from __future__ import annotations

import html as htmlmod
import json
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pdf_text import norm, pdf_lines
from test_report_sample import sample_context

from assess.report.render import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--no-first-run", "--disable-extensions"]

# The page goes into a 390 px iframe (headless windows have a minimum width); the probe reports
# the iframe document's scroll width and every element reaching past the viewport that no
# scrolling box of its own contains.
PROBE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>probe</title></head>
<body style="margin:0"><iframe id="f" style="width:390px;height:900px;border:0"
srcdoc="{srcdoc}"></iframe><script>
document.getElementById('f').addEventListener('load', () => {{
  const w = document.getElementById('f').contentWindow, d = w.document;
  const over = [];
  for (const el of d.body.querySelectorAll('*')) {{
    if (el.getBoundingClientRect().right <= w.innerWidth + 0.5) continue;
    let p = el.parentElement, boxed = false;
    while (p) {{
      const o = w.getComputedStyle(p).overflowX;
      if (o === 'auto' || o === 'scroll' || o === 'hidden') {{ boxed = true; break; }}
      p = p.parentElement;
    }}
    if (!boxed) over.push(el.tagName.toLowerCase() + '.' + el.className);
  }}
  document.title = JSON.stringify({{scroll: d.documentElement.scrollWidth,
                                    inner: w.innerWidth, over: over.slice(0, 10)}});
}});
</script></body></html>"""


def _chromium(*args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM, "chromium is not installed (apt-get install chromium)"
    return subprocess.run([CHROMIUM, *FLAGS, *args], capture_output=True, text=True,
                          timeout=120, check=True)


@pytest.fixture(scope="module")
def ctx() -> dict[str, Any]:
    # long notes make tall rows: a split row would show as a note cut across two pages
    data = sample_context()
    for i, gap in enumerate(data["gaps"]):
        gap["note"] = (f"start{i} " + "practise this with a timed mock and a written "
                       "summary of the trade-offs " * 2 + f"end{i}")
    return data


@pytest.fixture(scope="module")
def page(ctx: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("html") / "report.html"
    path.write_bytes(render(ctx, "html"))
    return path


def test_no_horizontal_scroll_at_390_px(page: Path, tmp_path: Path) -> None:
    probe = tmp_path / "probe.html"
    probe.write_text(PROBE.format(srcdoc=htmlmod.escape(page.read_text(encoding="utf-8"))),
                     encoding="utf-8")
    out = _chromium("--window-size=800,1000", "--virtual-time-budget=5000", "--dump-dom",
                    probe.as_uri()).stdout
    found = re.search(r"<title>(.*?)</title>", out, re.S)
    assert found, out[:500]
    result = json.loads(htmlmod.unescape(found.group(1)))
    assert result == {"scroll": 390, "inner": 390, "over": []}


class _Headings(HTMLParser):
    """Texts that must never end a page: headings, week heads and their focus lines."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        cls = dict(attrs).get("class") or ""
        if tag in ("h1", "h2", "h3", "h4") or "focus" in cls.split():
            self.stack.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3", "h4", "p") and self.stack:
            text = " ".join(self.stack.pop().split())
            if text:
                self.found.append(text)

    def handle_data(self, data: str) -> None:
        if self.stack:
            self.stack[-1] += data


def test_printed_html_keeps_headings_and_rows_whole(page: Path, ctx: dict[str, Any],
                                                    tmp_path: Path) -> None:
    pdf = tmp_path / "printed.pdf"
    _chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    page_lines = pdf_lines(pdf)
    parser = _Headings()
    parser.feed(page.read_text(encoding="utf-8"))
    headings = {norm(h) for h in parser.found}
    assert {"Gaps", "Week-by-week plan", "Week 1"} <= headings
    assert len(page_lines) >= 5
    for number, lines in enumerate(page_lines[:-1], start=1):
        last = lines[-1]
        # a week head prints its dates on the same line: "Week 2 Mon 7 Dec – Sun 13 Dec · 10 h"
        assert not any(last == h or (h.startswith("Week ") and last.startswith(h + " "))
                       for h in headings), f"page {number} ends with the heading {last!r}"
    flat = [" ".join(lines) for lines in page_lines]
    for i, _gap in enumerate(ctx["gaps"][:30]):
        on = [n for n, text in enumerate(flat) if re.search(rf"\bstart{i}\b", text)]
        ends = [n for n, text in enumerate(flat) if re.search(rf"\bend{i}\b", text)]
        assert on and on == ends, f"gap row {i + 1} is split across pages {on} and {ends}"
    joined = [text.replace("- ", "-") for text in flat]
    for week in ctx["weeks"]:
        for session in week["sessions"]:
            if session["question"]:  # the whole question on one page: its row is not split
                shown = norm(f"Practise: “{session['question']}”").replace("- ", "-")
                assert any(shown in text for text in joined), shown
    assert len(page_lines[-1]) > 3  # the last page is more than a lone row
