"""Hostile text in notes and rubrics is escaped in every format and fetches nothing.

A local HTTP server started by the test stands for the outside world: every hostile string
points at it, and the test checks that it never receives a request.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path

import yaml
from local_server import LocalServer
from pdf_text import pdf_text
from pypdf import PdfReader
from test_report_sample import sample_context

from assess.evidence.scoring import score
from assess.plan.planner import build_plan
from assess.report.context import assemble_context
from assess.report.render import RenderOptions, render
from assess.rubric.model import load_rubric_file
from assess.rubric.profile import Profile

FIXTURES = Path(__file__).parent / "fixtures"




def _hostile(srv: LocalServer) -> str:
    return (
        '<script>alert("pwned")</script> '
        '<img src="file:///etc/hostname"> '
        f'<link rel="stylesheet" href="{srv.url("note.css")}"> '
        f'<style>@import url("{srv.url("import.css")}");</style> '
        f'<p style="background: url({srv.url("bg.png")})">x</p> '
        f'<svg><image href="{srv.url("svg.png")}"/></svg> '
        "[click](javascript:alert(1)) ![img](" + srv.url("md.png") + ") {{ 7*7 }} *bold*"
    )


def _pdf_text(data: bytes) -> str:
    return pdf_text(data)


def _hostname() -> str:
    try:
        return Path("/etc/hostname").read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def test_hostile_note_is_escaped_everywhere_and_fetches_nothing(server: LocalServer) -> None:
    note = _hostile(server)
    ctx = sample_context(note=note)
    out = {fmt: render(ctx, fmt, RenderOptions()) for fmt in ["pdf", "html", "md", "json", "ics"]}
    assert server.requests == []

    html = out["html"].decode()
    assert "<script" not in html and "<img" not in html and "<link" not in html
    assert "<style>@import" not in html and "<image" not in html
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in html
    assert "&lt;img src=&#34;file:///etc/hostname&#34;&gt;" in html
    assert "{{ 7*7 }}" in html and "49" not in html.split("{{ 7*7 }}")[0][-5:]

    text = _pdf_text(out["pdf"])
    squeezed = "".join(text.split())  # table cells wrap lines anywhere
    assert '<script>alert("pwned")</script>' in squeezed  # shown as text
    assert '<imgsrc="file:///etc/hostname">' in squeezed
    name = _hostname()
    if name and name not in ("localhost",):
        assert name not in text

    md = out["md"].decode()
    assert r"\<script\>alert" in md
    assert not re.search(r"(?<!\\)[<>]", md)  # every angle bracket is backslash-escaped
    assert r"\[click\](javascript:alert(1))" in md and r"!\[img\](http" in md
    assert r"\*bold\*" in md

    assert json.loads(out["json"])["notes"]["sd-feature-pipelines"] == note  # data is data
    assert b"script" not in out["ics"]


def test_hostile_rubric_fields_are_escaped_and_fetch_nothing(
    server: LocalServer, tmp_path: Path
) -> None:
    evil = f'<img src="{server.url("rubric.png")}"><script>x()</script>'
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    data["meta"]["title"] = "Loop " + evil
    data["meta"]["company"] = "Evil & Co " + evil
    data["rounds"][0]["title"] = "Design " + evil
    data["rounds"][0]["topics"][0]["title"] = "Pipelines " + evil
    data["rounds"][0]["topics"][0]["questions"][0]["text"] = "Design? " + evil
    data["criteria"][0]["title"] = "Knowledge " + evil
    data["tips"][0]["text"] = "Tip " + evil
    path = tmp_path / "evil.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    rubric = load_rubric_file(path)
    ratings = {t: 2 for t in rubric.topics}
    today = dt.date(2026, 11, 25)
    profile = Profile(name="Eve " + evil, rubric=str(path),
                      interview_date=dt.date(2026, 12, 20))
    plan = build_plan(rubric, score(rubric, ratings, 4), hours_per_week=10, today=today,
                      interview_date=profile.interview_date).to_json()
    ctx = assemble_context(rubric=rubric, profile=profile, today=today, plan=plan,
                           ratings=ratings, mentor={"date": today, "ratings": {
                               t: 4 for t in rubric.topics}, "notes": {}})
    html = render(ctx, "html").decode()
    pdf = render(ctx, "pdf")
    md = render(ctx, "md").decode()
    ics = render(ctx, "ics").decode()
    assert server.requests == []
    assert "<script" not in html and "<img" not in html
    assert html.count("&lt;script&gt;x()&lt;/script&gt;") >= 7
    assert not re.search(r"(?<!\\)[<>]", md)
    text = "".join(_pdf_text(pdf).split())
    assert "Pipelines<imgsrc=" in text and "Eve<imgsrc=" in text
    meta = PdfReader(io.BytesIO(pdf)).metadata
    assert meta is not None and meta.author == "Eve " + evil  # metadata is text, not markup
    assert "<script>x()</script>" in ics.replace("\r\n ", "")  # iCalendar text, not HTML


def test_a_hostile_template_override_cannot_reach_out(server: LocalServer, tmp_path: Path) -> None:
    """Even templates (the user's own folder) cannot fetch from the network or read files
    outside the templates folders: the fetcher refuses, the PDF still renders."""
    override = tmp_path / "override"
    (override / "sections").mkdir(parents=True)
    outside = tmp_path / "outside.css"
    outside.write_text("body { color: red; }", encoding="utf-8")
    (override / "sections" / "mentor.html").write_text(
        f'<link rel="stylesheet" href="{server.url("tpl.css")}">'
        '<img src="file:///etc/hostname">'
        f'<img src="{outside.as_uri()}">'
        '<img src="../outside.css">'
        '<img src="data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmci'
        'Lz4=">'
        f'<img src="{server.url("tpl.png")}">'
        "<h2>Override</h2>",
        encoding="utf-8",
    )
    (override / "print.css").write_text(
        f'@import url("{server.url("import.css")}");\n'
        + (Path(__file__).parent.parent / "report_templates" / "print.css").read_text(
            encoding="utf-8"),
        encoding="utf-8",
    )
    options = RenderOptions(templates=override, full=True)  # mentor.html is in --full
    pdf = render(sample_context(), "pdf", options)
    assert server.requests == []
    assert "Override" in _pdf_text(pdf)
    blocked = " ".join(options.blocked)
    for needle in ["tpl.css", "tpl.png", "import.css", "file:///etc/hostname", "outside.css",
                   "data:image/svg+xml"]:
        assert needle in blocked, needle
