"""Pages a mentor can read in any viewer: nothing past the margin or printed over other text,
ticks that poppler draws, a form PyMuPDF fills, every note on the page, lists and headings
that parse as they read."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pymupdf
import pytest
import yaml
from click.testing import CliRunner
from markdown_it import MarkdownIt
from pdf_text import norm, pdf_text

from assess.app.demo import build_demo_home, demo_data
from assess.cli import cli

TODAY = "2026-12-02"
MARGIN = 15 * 72 / 25.4  # the page's left and right margin (print.css), in points
LONG_NOTE = ("I pitch this well in English and have done it in three real screens; " * 9)[:600]
AT_TARGET = "rs-pitch"  # rated 5 below: no gap, so no gap table lists it


def _run(home: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home), "--today", TODAY, *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The demo's home with a last check-in that rates one topic 5 with a 600-character note,
    and its weekly, --full, Letter and mentor-form PDFs, its Markdown and its HTML."""
    tmp = tmp_path_factory.mktemp("pages")
    home = tmp / "home"
    build_demo_home(home, dt.date.fromisoformat(TODAY))
    latest = min(demo_data()["checkins"], key=lambda c: c["days_ago"])
    answers = {"rubric": "discord-mle", "rater": "self",
               "ratings": {**latest["ratings"], AT_TARGET: 5},
               "notes": {**latest.get("notes", {}), AT_TARGET: LONG_NOTE}}
    (tmp / "answers.yaml").write_text(yaml.safe_dump(answers), encoding="utf-8")
    _run(home, "rate", "--answers", str(tmp / "answers.yaml"))
    out = {"home": home}
    for name, extra in [("weekly", ()), ("full", ("--full",)), ("letter", ("--paper", "letter")),
                        ("form", ("--mentor-form",))]:
        out[name] = tmp / f"{name}.pdf"
        _run(home, "report", "-o", str(out[name]), *extra)
    for suffix in ("md", "html"):
        out[suffix] = tmp / f"report.{suffix}"
        _run(home, "report", "-o", str(out[suffix]))
    return out


# ----- layout ---------------------------------------------------------------------------------


def _layout_defects(path: Path) -> list[str]:
    """Characters past the right margin, and characters of different words drawn over each
    other (two characters overlapping that are not neighbours in the text)."""
    defects = []
    with pdfplumber.open(path) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            chars = page.chars
            order = {id(c): i for i, c in enumerate(chars)}
            limit = page.width - MARGIN + 0.5
            visible = [c for c in chars if c["text"].strip()]
            defects += [f"page {number}: {c['text']!r} ends at {c['x1']:.1f} > {limit:.1f}"
                        for c in visible if c["x1"] > limit]
            by_x = sorted(visible, key=lambda c: c["x0"])
            for i, a in enumerate(by_x):
                for b in by_x[i + 1:]:
                    if b["x0"] >= a["x1"]:
                        break
                    wide = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
                    high = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
                    if wide <= 0.5 or high <= 0.3 * min(a["size"], b["size"]):
                        continue
                    if abs(order[id(a)] - order[id(b)]) == 1:
                        continue  # kerned neighbours of one word
                    defects.append(f"page {number}: {a['text']!r} and {b['text']!r} overlap at "
                                   f"({a['x0']:.0f}, {a['top']:.0f})")
            defects += _text_under_bars(number, page, visible)
    return defects


ACCENT = (0.26, 0.22, 0.79)  # #4338ca, the priority bars' colour


def _text_under_bars(number: int, page: Any, chars: list[Any]) -> list[str]:
    """Dark characters a priority bar is painted over (a gap's levels once ran under it)."""
    def colour(obj: Any) -> tuple[float, ...]:
        return tuple(round(float(c), 2) for c in (obj.get("non_stroking_color") or ()))

    bars = [r for r in page.rects if r.get("fill") and r["height"] < 12 and r["width"] > 1
            and colour(r) == ACCENT]
    return [f"page {number}: {c['text']!r} under a bar at ({r['x0']:.0f}, {r['top']:.0f})"
            for r in bars for c in chars
            if colour(c) not in ((1.0,), (1.0, 1.0, 1.0))
            and c["x0"] < r["x1"] - 0.5 and c["x1"] > r["x0"] + 0.5
            and c["top"] < r["bottom"] - 0.5 and c["bottom"] > r["top"] + 0.5]


@pytest.mark.parametrize("name", ["weekly", "full", "letter"])
def test_no_character_past_the_margin_or_over_another(name: str, demo: dict[str, Path]) -> None:
    assert _layout_defects(demo[name]) == []


def test_the_layout_check_finds_an_overprint_and_a_cut_line(tmp_path: Path,
                                                             demo: dict[str, Path]) -> None:
    """The check above is not blind: text pushed past the margin, text drawn twice a few
    points apart, and text under a bar are all reported."""
    with pdfplumber.open(demo["weekly"]) as pdf:  # a priority bar on the gaps page
        number, bar = next((n, r) for n, p in enumerate(pdf.pages) for r in p.rects
                           if r["height"] < 12 and r["width"] > 10 and r.get("fill")
                           and tuple(round(float(c), 2) for c in r["non_stroking_color"])
                           == ACCENT)
    doc = pymupdf.open(demo["weekly"])
    page = doc[number]
    page.insert_text((page.rect.width - MARGIN - 5, 300), "Mentor", fontsize=9)
    page.insert_text((100, 400), "Self, last", fontsize=9)
    page.insert_text((112, 400), "Mentor", fontsize=9)
    page.insert_text((bar["x0"] + 1, bar["bottom"] - 1), "2 - 4", fontsize=7)
    doc.save(tmp_path / "broken.pdf")
    defects = _layout_defects(tmp_path / "broken.pdf")
    assert any("ends at" in d for d in defects)
    assert any("overlap" in d for d in defects)
    assert any("under a bar" in d for d in defects)


def test_numbers_and_stage_dates_read_cleanly(demo: dict[str, Path]) -> None:
    text = pdf_text(demo["weekly"])
    assert "))" not in text  # "(Technical phone screen (08 Dec))" was one
    assert "`" not in text  # commands are set as code, not with their backticks
    full = pdf_text(demo["full"])
    assert "`" not in full
    assert "assess init --stage-date recruiter=YYYY-MM-DD" in full  # a plan note, in full


# ----- the form in other viewers ---------------------------------------------------------------


def test_every_field_has_a_da_and_its_fonts_and_no_viewer_must_redraw(
        demo: dict[str, Path]) -> None:
    with pikepdf.open(demo["form"]) as pdf:
        form = pdf.Root.AcroForm
        assert not bool(form.get("/NeedAppearances", False))
        assert set(form.DR.Font.keys()) >= {"/Helv", "/ZaDb"}
        assert str(form.DR.Font.Helv.BaseFont) == "/Helvetica"
        assert str(form.DR.Font.ZaDb.BaseFont) == "/ZapfDingbats"
        kinds = set()
        for field in form.Fields:
            kind = str(field.FT)
            kinds.add(kind)
            da = str(field.DA)
            font = da.split(" Tf")[0].split()[-2]
            assert font in ("/Helv", "/ZaDb") and font[1:] in {k[1:] for k in form.DR.Font}
            assert "/N" in field.AP, str(field.T)
            if kind == "/Btn":
                assert font == "/ZaDb" and str(field.MK.CA) == "4"
                assert set(field.AP.N.keys()) == {"/on", "/Off"}
            if kind == "/Ch":
                assert all(str(part) for option in field.Opt for part in option)
            if str(field.T).startswith("assess-"):  # read-only, filled: its value is drawn
                assert f"({field.V})".encode() in field.AP.N.read_bytes()
        assert kinds == {"/Btn", "/Ch", "/Tx"}


def _darkness(pdf: Path, page: int, rect: tuple[float, float, float, float],
              height: float) -> float:
    """The mean darkness (0 white .. 255 black) pdftoppm draws inside ``rect`` (PDF points)."""
    dpi = 200
    scale = dpi / 72
    x0, y0, x1, y1 = rect
    left, top = int(x0 * scale) + 2, int((height - y1) * scale) + 2
    width, tall = int((x1 - x0) * scale) - 4, int((y1 - y0) * scale) - 4
    pgm = subprocess.run(
        ["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page),
         "-x", str(left), "-y", str(top), "-W", str(width), "-H", str(tall), str(pdf)],
        capture_output=True, check=True, timeout=60).stdout
    # binary PGM: "P5\n<w> <h>\n255\n" then one byte a pixel
    header, _, rest = pgm.partition(b"\n255\n")
    w, h = (int(v) for v in header.split()[1:3])
    pixels = rest[: w * h]
    return sum(255 - p for p in pixels) / len(pixels)


def test_a_ticked_session_shows_its_tick_in_poppler(tmp_path: Path,
                                                    demo: dict[str, Path]) -> None:
    """Tick one session box the way any PDF tool does (its value and state set to on), leave
    its neighbour off: pdftoppm draws a tick in the one and an empty box in the other."""
    ticked = tmp_path / "ticked.pdf"
    with pikepdf.open(demo["weekly"]) as pdf:
        boxes = [(number, annot) for number, page in enumerate(pdf.pages, 1)
                 for annot in page.get("/Annots", [])
                 if str(annot.get("/T", "")).startswith("session:")]
        (page_no, on), (_, off) = boxes[0], boxes[1]
        on.V = on.AS = pikepdf.Name.on
        rects = [tuple(float(v) for v in box.Rect) for box in (on, off)]
        height = float(pdf.pages[page_no - 1].MediaBox[3])
        off_page = next(n for n, a in boxes if a.objgen == off.objgen)
        pdf.save(ticked)
    tick = _darkness(ticked, page_no, rects[0], height)
    empty = _darkness(ticked, off_page, rects[1], height)
    assert empty < 10  # the inside of an unticked box is white
    assert tick > 40  # the tick covers a good part of the box


def test_pymupdf_fills_the_form_and_rate_reads_it_back(tmp_path: Path,
                                                       demo: dict[str, Path]) -> None:
    home = tmp_path / "home"
    shutil.copytree(demo["home"], home)
    filled = tmp_path / "filled.pdf"
    doc = pymupdf.open(demo["form"])
    wanted = {"level:sd-serving-latency": "3", "level:co-algorithms": "4"}
    note = "Clear on the latency budget; rushed the cache."
    seen = set()
    for page in doc:
        for widget in page.widgets():
            if widget.field_name in wanted:
                widget.field_value = wanted[widget.field_name]
            elif widget.field_name == "note:sd-serving-latency":
                widget.field_value = note
            else:
                continue
            widget.update()  # PyMuPDF redraws the field; an empty choice made this fail
            seen.add(widget.field_name)
    assert len(seen) == 3
    doc.save(filled)
    result = CliRunner().invoke(cli, ["--home", str(home), "--today", TODAY, "rate",
                                      "--rater", "mentor", "--answers", str(filled)])
    assert result.exit_code == 0, result.output
    assert "Saved an incomplete mentor assessment: 2 of 23 topics answered" in result.stderr
    report = tmp_path / "r.json"
    _run(home, "report", "-o", str(report))
    rows = {r["topic"]: r for r in json.loads(report.read_text())["calibration"]["rows"]}
    assert (rows["sd-serving-latency"]["mentor"], rows["co-algorithms"]["mentor"]) == (3, 4)
    assert rows["sd-serving-latency"]["note"] == note


# ----- notes, lists and headings ---------------------------------------------------------------


def test_every_note_is_in_the_weekly_pdf(demo: dict[str, Path]) -> None:
    text = pdf_text(demo["weekly"])
    notes = [LONG_NOTE, *min(demo_data()["checkins"],
                             key=lambda c: c["days_ago"]).get("notes", {}).values(),
             *demo_data()["mentor"]["notes"].values()]
    assert len(notes) >= 3
    for note in notes:
        assert norm(note) in text
    assert "Your notes on other topics" in text


def _sections(markdown: str) -> dict[str, list[Any]]:
    tokens = MarkdownIt("commonmark").parse(markdown)
    sections: dict[str, list[Any]] = {}
    current = ""
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            current = tokens[i + 1].content
            sections[current] = []
        elif current:
            sections[current].append(token)
    return sections


def _lists(tokens: list[Any]) -> list[list[str]]:
    """Each top-level list of a section, as the text of its items."""
    lists: list[list[str]] = []
    depth = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
            if depth == 1:
                lists.append([])
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "inline" and depth == 1 and lists:
            lists[-1].append(token.content)
    return lists


def test_markdown_feasibility_keeps_shortfalls_and_notes_apart(demo: dict[str, Path]) -> None:
    import mistune

    text = demo["md"].read_text(encoding="utf-8")
    lists = _lists(_sections(text)["Feasibility"])
    assert len(lists) == 3  # the stage headlines, the shortfalls, the planning notes
    headline, short, notes = lists
    assert all(" → target " in item for item in short)
    assert not any(" → target " in item for item in headline + notes)
    assert any("`assess init --stage-date" in item for item in notes)
    html = mistune.html(text).split("<h2>Feasibility</h2>")[1].split("<h2>")[0]
    assert html.count("<ul>") == 3
    assert "<code>assess init --stage-date recruiter=YYYY-MM-DD</code>" in html


def test_markdown_gaps_match_the_pdf(demo: dict[str, Path]) -> None:
    text = demo["md"].read_text(encoding="utf-8")
    # the items' source text, Markdown escapes dropped
    gaps = " ".join(" ".join(items) for items in _lists(_sections(text)["Biggest gaps"]))
    gaps = gaps.replace("\\", "")
    pdf = pdf_text(demo["weekly"])
    for note in min(demo_data()["checkins"], key=lambda c: c["days_ago"]).get("notes", {}).values():
        assert note in gaps and norm(note) in pdf
    assert LONG_NOTE in gaps  # a note on a topic at target is listed too


def _pdf_headings(path: Path) -> list[int]:
    levels: list[int] = []

    def walk(node: Any) -> None:
        if isinstance(node, pikepdf.Dictionary):
            tag = str(node.get("/S", ""))
            if tag in {f"/H{n}" for n in range(1, 7)}:
                levels.append(int(tag[2]))
            if "/K" in node:
                walk(node.K)
        elif isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)

    with pikepdf.open(path) as pdf:
        walk(pdf.Root.StructTreeRoot)
    return levels


def _skips(levels: list[int]) -> list[tuple[int, int]]:
    return [(a, b) for a, b in zip([0, *levels], levels, strict=False) if b > a + 1]


@pytest.mark.parametrize("name", ["weekly", "full", "form"])
def test_pdf_headings_never_skip_a_level(name: str, demo: dict[str, Path]) -> None:
    levels = _pdf_headings(demo[name])
    assert levels[:2] == [1, 2] and levels.count(1) == 1
    assert _skips(levels) == []


def test_html_headings_never_skip_a_level(demo: dict[str, Path]) -> None:
    import re

    levels = [int(n) for n in re.findall(r"<h([1-6])\b", demo["html"].read_text())]
    assert levels.count(1) == 1 and _skips(levels) == []
    assert _skips([1, 3]) == [(1, 3)]  # the check itself sees a skip
