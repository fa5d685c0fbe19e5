"""The five renderers, driven by the sample context: content, metadata, determinism, overrides."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from pdf_text import pdf_pages
from pypdf import PdfReader
from test_report_sample import TODAY, sample_context

from assess.errors import RenderError, UsageError
from assess.report.render import (
    RenderOptions,
    format_for,
    render,
    render_ics,
    schedule_sessions,
    session_count,
    write_report,
)

SECTIONS = ["Interview readiness report", "Readiness", "Gaps", "Time split", "Feasibility",
            "Week-by-week plan", "Progress", "Self vs mentor", "Questions for my mentor",
            "Appendix A: Question bank", "Appendix B: Tips"]


@pytest.fixture(scope="module")
def ctx() -> dict[str, Any]:
    return sample_context()


@pytest.fixture(scope="module")
def pdf(ctx: dict[str, Any]) -> bytes:
    return render(ctx, "pdf")


def _pages(data: bytes) -> list[str]:
    return pdf_pages(data)


# ----- PDF -------------------------------------------------------------------------------------


def test_weekly_pdf_leaves_the_appendix_to_full(ctx: dict[str, Any], pdf: bytes) -> None:
    weekly = " ".join(_pages(pdf))
    assert "Appendix A" not in weekly and "Lead with latency and scale" not in weekly
    assert weekly.count("assess report --full") == 1
    assert len(_pages(pdf)) <= 4
    full = render(ctx, "pdf", RenderOptions(full=True))
    assert len(full) > len(pdf)
    text = " ".join(_pages(full))
    assert "assess report --full" not in text
    at = text.find("Questions for my mentor")
    for heading in ["Appendix A: Question bank", "Appendix B: Tips", "Lead with latency",
                    "Appendix C: What interviewers look for", "Appendix D: The rating scale"]:
        found = text.find(heading, at)
        assert found != -1, heading
        at = found + len(heading)


def test_pdf_has_every_section_in_order(ctx: dict[str, Any]) -> None:
    text = " ".join(_pages(render(ctx, "pdf", RenderOptions(full=True))))
    assert text.startswith("INTERVIEW READINESS REPORT Ada Lovelace")
    at = 0
    for heading in SECTIONS[1:-2]:  # each section heading comes after the one before it
        found = text.find(heading, at)
        assert found != -1, heading
        at = found + len(heading)
    for expected in ["Ada Lovelace", "Machine Learning Engineer", "Discord", "overall readiness",
                     "40% guidance", "Week 1", "Week 4", "disconnect", "worth a chat",
                     "over-confident", "under-confident", "Never built a feature store",
                     "The spam mock skipped the labelling loop"]:
        assert expected in text, expected


def test_pdf_metadata_header_and_page_numbers(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == "Interview readiness: Ada Lovelace"
    assert meta.author == "Ada Lovelace"
    assert meta.subject == ("Machine Learning Engineer interview loop at Discord: readiness, "
                            "gaps and a 4-week study plan")
    assert meta["/CreationDate"] == "D:20261125000000Z"
    assert reader.trailer["/Root"]["/Lang"] == "en"
    pages = _pages(pdf)
    n = len(pages)
    assert 2 <= n <= 4  # the weekly PDF
    for i, text in enumerate(pages, start=1):
        assert f"Page {i} of {n}" in text
        if i > 1:  # the cover has no running header
            assert "Ada Lovelace · Machine Learning Engineer, Discord" in text
            assert "Readiness report, Wednesday 25 November 2026" in text
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_pdf_letter_paper_and_source_date_epoch(ctx: dict[str, Any],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    reader = PdfReader(io.BytesIO(render(ctx, "pdf", RenderOptions(paper="letter"))))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    assert reader.metadata is not None
    assert reader.metadata["/CreationDate"] == "D:20231114221320Z"


def test_pdf_bytes_are_identical_across_runs(ctx: dict[str, Any], pdf: bytes) -> None:
    assert render(ctx, "pdf") == pdf


def test_pdf_bytes_do_not_depend_on_hash_seed(tmp_path: Path, pdf: bytes) -> None:
    """Fresh processes with other hash seeds give the same bytes as this one."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from test_report_sample import sample_context;"
        "from assess.report.render import render;"
        "open(sys.argv[2], 'wb').write(render(sample_context(), 'pdf'))"
    )
    outputs = []
    for seed in ("0",):
        out = tmp_path / f"seed{seed}.pdf"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run([sys.executable, "-c", script, str(Path(__file__).parent), str(out)],
                       check=True, env=env, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs == [pdf]


def test_pdf_subsets_fonts(pdf: bytes) -> None:
    """Only the glyphs the report uses are embedded: each font file is a fraction of the
    bundled TTF it comes from."""
    from assess.resources import templates_dir

    whole = (templates_dir() / "fonts" / "LiberationSans-Regular.ttf").stat().st_size
    reader = PdfReader(io.BytesIO(pdf))
    sizes = {}
    for page in reader.pages:
        for ref in page["/Resources"].get_object().get("/Font", {}).values():
            font = ref.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            sizes[str(font["/BaseFont"])] = len(descriptor["/FontFile2"].get_object().get_data())
    assert len(sizes) == 3
    assert all(size < whole / 3 for size in sizes.values()), sizes
    assert len(pdf) < 400_000


def test_pdf_embeds_only_the_bundled_font(pdf: bytes) -> None:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    # text and chart labels alike use the bundled font, never a system one
    assert {n.split("+")[-1] for n in names} == {"Assess-Sans", "Assess-Sans-Bold",
                                                 "Assess-Sans-Italic"}


def test_pdf_ua_variant_is_tagged_and_deterministic(ctx: dict[str, Any]) -> None:
    options = RenderOptions(pdf_variant="pdf/ua-1")
    first = render(ctx, "pdf", options)
    assert render(ctx, "pdf", RenderOptions(pdf_variant="pdf/ua-1")) == first
    root = PdfReader(io.BytesIO(first)).trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert "/Metadata" in root


def test_bad_paper_and_variant_are_usage_errors(ctx: dict[str, Any]) -> None:
    with pytest.raises(UsageError, match="--paper"):
        render(ctx, "pdf", RenderOptions(paper="a3"))
    with pytest.raises(UsageError, match="--pdf-variant"):
        render(ctx, "pdf", RenderOptions(pdf_variant="pdf/x-4"))


# ----- HTML ------------------------------------------------------------------------------------


class _Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_html_is_standalone_with_the_same_sections(ctx: dict[str, Any]) -> None:
    html = render(ctx, "html").decode()
    parser = _Collect()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert "link" not in tags and "script" not in tags and "img" not in tags
    assert not [a for _, a in parser.tags if "src" in a or "href" in a]
    csp = [a for t, a in parser.tags if t == "meta" and a.get("http-equiv")]
    assert csp and "default-src 'none'" in (csp[0]["content"] or "")
    assert tags.count("svg") == 4
    assert parser.tags[0] == ("html", {"lang": "en"})
    text = " ".join(" ".join(parser.text).split())
    for heading in SECTIONS:
        assert heading in text
    assert "@font-face" not in html  # the PDF-only font file is not referenced


# ----- Markdown --------------------------------------------------------------------------------


def test_markdown_for_chat(ctx: dict[str, Any]) -> None:
    md = render(ctx, "md").decode()
    assert md.startswith("# Interview readiness: Ada Lovelace\n")
    for heading in ["## Readiness by round", "## Biggest gaps", "## Time split", "## Feasibility",
                    "## Plan", "### Week 1", "## Progress", "## Self vs mentor",
                    "## Questions for my mentor"]:
        assert f"\n{heading}" in md
    assert md.count("- [ ] ") == session_count(ctx)
    assert "**disconnect** (over-confident)" in md
    assert "\n\n\n" not in md and md.endswith("\n") and not md.endswith("\n\n")


# ----- JSON ------------------------------------------------------------------------------------


def test_json_is_the_full_context(ctx: dict[str, Any]) -> None:
    data = render(ctx, "json")
    assert json.loads(data) == ctx
    assert data == render(ctx, "json")
    assert data.decode().startswith('{\n  "allocation": {')


# ----- iCalendar -------------------------------------------------------------------------------


def test_ics_has_one_event_per_session_with_stable_uids(ctx: dict[str, Any]) -> None:
    from icalendar import Calendar

    data = render_ics(ctx)
    cal = Calendar.from_ical(data)
    events = list(cal.walk("VEVENT"))
    assert len(events) == session_count(ctx) > 10
    uids = [str(e["UID"]) for e in events]
    assert len(set(uids)) == len(uids)
    assert render_ics(sample_context()) == data  # stable across runs
    sessions = [s for w in ctx["weeks"] for s in w["sessions"]]
    for event, session in zip(events, sessions, strict=True):
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert (end - start) == dt.timedelta(hours=session["hours"])
        assert start.date().isoformat() == session["date"]
        assert str(event["SUMMARY"]) == (
            f"{session['activity'].capitalize()}: {session['topic_title']} (interview prep)"
        )
        assert event.decoded("DTSTAMP") == dt.datetime(2026, 11, 25, tzinfo=dt.timezone.utc)
    first_of_day: dict[dt.date, dt.datetime] = {}
    for e in events:
        start = e.decoded("DTSTART")
        first_of_day.setdefault(start.date(), start)
    assert {s.time() for s in first_of_day.values()} == {dt.time(19, 0)}


def test_ics_uses_the_profile_study_time(tmp_path: Path) -> None:
    ctx = sample_context(study_time=dt.time(7, 30))
    slots = schedule_sessions(ctx)
    assert slots[0]["start"] == dt.datetime(2026, 11, 25, 7, 30)
    # back to back on the same day, never overlapping
    for a, b in zip(slots, slots[1:], strict=False):
        if a["start"].date() == b["start"].date():
            assert b["start"] == a["end"]
    interview = dt.date(2026, 12, 20)
    assert all(s["start"].date() < interview for s in slots)


# ----- files, formats, overrides ---------------------------------------------------------------


def test_format_from_suffix() -> None:
    assert [format_for(f"x.{s}", None) for s in ["pdf", "HTML", "htm", "md", "json", "ics"]] \
        == ["pdf", "html", "html", "md", "json", "ics"]
    assert format_for("-", None) == "md"
    assert format_for("x.txt", "json") == "json"
    with pytest.raises(UsageError, match="cannot tell the format"):
        format_for("plan.txt", None)


def test_write_is_atomic_and_keeps_the_old_file_on_failure(ctx: dict[str, Any],
                                                           tmp_path: Path) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old report", encoding="utf-8")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "report.md").write_text("{{ ctx.no_such_key }}", encoding="utf-8")
    with pytest.raises(RenderError, match="no_such_key"):
        write_report(ctx, target, None, RenderOptions(templates=broken))
    assert target.read_text(encoding="utf-8") == "old report"
    write_report(ctx, target)
    assert target.read_text(encoding="utf-8").startswith("# Interview readiness")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["broken", "plan.md"]


def test_write_into_a_missing_folder_fails_cleanly(ctx: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(RenderError, match="does not exist"):
        write_report(ctx, tmp_path / "nope" / "plan.json")


def test_user_template_overrides_one_section(ctx: dict[str, Any], tmp_path: Path) -> None:
    override = tmp_path / "mine"
    (override / "sections").mkdir(parents=True)
    (override / "sections" / "mentor.html").write_text(
        "<section><h2>Notes for {{ ctx.candidate.name }}</h2></section>", encoding="utf-8")
    (override / "report.css").write_text("h2 { color: #ff0000; }", encoding="utf-8")
    html = render(ctx, "html", RenderOptions(templates=override)).decode()
    assert "<h2>Notes for Ada Lovelace</h2>" in html
    assert "Questions for my mentor" not in html
    assert "Week-by-week plan" in html  # the other sections still come from the bundle
    assert "h2 { color: #ff0000; }" in html
    text = " ".join(_pages(render(ctx, "pdf", RenderOptions(templates=override, full=True))))
    assert "Notes for Ada Lovelace" in text and "Questions for my mentor" not in text


def test_strict_undefined_names_the_template(ctx: dict[str, Any], tmp_path: Path) -> None:
    override = tmp_path / "bad"
    (override / "sections").mkdir(parents=True)
    (override / "sections" / "gaps.html").write_text("{{ ctx.missing_thing }}",
                                                     encoding="utf-8")
    with pytest.raises(RenderError) as info:
        render(ctx, "html", RenderOptions(templates=override))
    assert str(info.value) == ("report template sections/gaps.html, line 1: 'dict object' "
                               "has no attribute 'missing_thing'")


def test_templates_option_must_be_a_folder(ctx: dict[str, Any], tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="is not a folder"):
        render(ctx, "md", RenderOptions(templates=tmp_path / "nope"))


@pytest.mark.parametrize("fmt", ["html", "md", "json", "ics"])
def test_text_formats_are_deterministic(fmt: str, ctx: dict[str, Any]) -> None:
    assert render(ctx, fmt) == render(sample_context(), fmt)


def test_first_check_in_without_mentor(tmp_path: Path) -> None:
    ctx = sample_context(mentor=False, previous=False)
    assert ctx["calibration"] is None and ctx["progress"]["previous_date"] is None
    md = render(ctx, "md").decode()
    assert "First check-in" in md and "No mentor ratings yet" in md
    text = " ".join(_pages(render(ctx, "pdf", RenderOptions(full=True))))
    assert "This is the first check-in" in text and "No mentor ratings yet" in text


def test_today_is_the_sample_date() -> None:
    assert TODAY.isoformat() == sample_context()["date"]




def _mini_context(tmp_path: Path, *, floor: bool) -> dict[str, Any]:
    import yaml

    from assess.evidence.scoring import score
    from assess.plan.planner import build_plan
    from assess.report.context import assemble_context
    from assess.rubric.model import load_rubric_file
    from assess.rubric.profile import Profile

    data = yaml.safe_load((Path(__file__).parent / "fixtures" / "mini-rubric.yaml").read_text(
        encoding="utf-8"))
    if not floor:
        del data["rounds"][0]["min_share"]
    path = tmp_path / "mini.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    rubric = load_rubric_file(path)
    ratings = {t: 2 for t in rubric.topics}
    profile = Profile(name="Mini", rubric=str(path))  # no interview date: default weeks
    plan = build_plan(rubric, score(rubric, ratings, 4), hours_per_week=6, today=TODAY,
                      interview_date=None).to_json()
    return assemble_context(rubric=rubric, profile=profile, today=TODAY, plan=plan,
                            ratings=ratings)


def test_another_rubric_without_a_floor_or_date(tmp_path: Path) -> None:
    ctx = _mini_context(tmp_path, floor=False)
    assert ctx["allocation"]["floor"] is None and ctx["allocation"]["meets_floor"] is None
    assert ctx["interview"]["status"] == "no date"
    md = render(ctx, "md").decode()
    assert "guidance" not in md and "No interview date is set" in md
    html = render(ctx, "html").decode()
    assert "guidance" not in html and "Example Co" in html
    with_floor = _mini_context(tmp_path, floor=True)
    assert with_floor["allocation"]["floor"] == 0.4
    assert "40% guidance" in render(with_floor, "md").decode()


def test_undated_sessions_are_spread_over_the_week() -> None:
    import copy

    ctx = copy.deepcopy(sample_context())
    for week in ctx["weeks"]:
        for s in week["sessions"]:
            s["date"] = None
    slots = schedule_sessions(ctx)
    assert len(slots) == session_count(ctx)
    week1 = [s for s in slots if s["week"] == 1]
    days = sorted({s["start"].date() for s in week1})
    assert days[0] == dt.date(2026, 11, 25) and len(days) >= 5
    per_day: dict[dt.date, float] = {}
    for s in week1:
        per_day[s["start"].date()] = per_day.get(s["start"].date(), 0.0) + \
            s["session"]["hours"]
    assert max(per_day.values()) <= 10 / 7 + 1.5  # about a seventh of the week each day
    assert render_ics(ctx) == render_ics(copy.deepcopy(ctx))
