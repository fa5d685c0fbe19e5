"""Security review of the renderer: what the other security tests leave open.

tests/test_report_security.py checks hostile notes and rubric fields rendered through
``render`` (and a hostile template override); tests/test_fetcher.py checks the fetcher's URL
rules. This file adds:

- autoescape in every template, statically (no ``|safe``, no ``autoescape false``, every
  environment escapes) and by rendering: every free-text field of a rubric carries markup,
  and every section of the HTML shows it escaped, never as markup; Markdown likewise;
- the whole pipeline from the command line (``init --rubric``, ``rate --answers``, ``report``
  in every format) with markup, CSS ``url()``, ``@import``, ``file://`` and ``http://`` in the
  rubric and the notes: a local HTTP server receives no request, no local file is read;
- the fetcher itself asked for the server's URLs in every spelling: no request;
- a rubric cannot name a template (unknown fields are refused), and a rubric string that looks
  like a template or a path is text, never evaluated or opened;
- a ``--templates`` folder that names a file outside it (``../``, absolute paths, symlinked
  files and folders): refused or ignored, nothing outside is read;
- line and control-character injection: no new iCalendar property or Markdown heading from a
  newline in a title or note; no terminal escape sequence from a rubric or an answers file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from local_server import LocalServer
from test_report_sample import BEFORE, LOGGED, MENTOR, NOW, TODAY

from assess.cli import cli
from assess.errors import AnswersError, RubricError
from assess.evidence.scoring import effective_ratings, latest_levels, score_effective
from assess.plan.planner import build_plan
from assess.report.context import assemble_context
from assess.report.fetcher import BlockedResource, TemplateFolders, make_fetcher
from assess.report.render import RenderOptions, _environment, _html, render
from assess.resources import rubrics_dir, templates_dir
from assess.rubric.model import parse_rubric
from assess.rubric.profile import Profile

FIXTURES = Path(__file__).parent / "fixtures"
PASSWD_LINE = "root:x:0:0"  # the first line of /etc/passwd on any Linux
DAY = TODAY.isoformat()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--today", DAY, *args])


# ----- a local server that stands for the network ----------------------------------------------




def hostile(srv: LocalServer, tag: str) -> str:
    """Everything that could make a renderer reach out, aimed at the local server."""
    return (
        f'<img src="{srv.url(tag + ".png")}"> <script src="{srv.url(tag + ".js")}"></script> '
        f'<link rel="stylesheet" href="{srv.url(tag + ".css")}"> '
        f'<style>@import url("{srv.url(tag + "-import.css")}");</style> '
        f'<p style="background: url({srv.url(tag + "-bg.png")})">'
        f"url({srv.url(tag + '-bare.png')})</p> "
        f'<object data="file:///etc/passwd"></object> <iframe src="file:///etc/passwd"></iframe> '
        f"![x]({srv.url(tag + '-md.png')}) <{srv.url(tag + '-auto')}> file:///etc/passwd "
        f"{srv.url(tag + '-text')}"
    )


# ----- autoescape in every template ------------------------------------------------------------


def test_no_template_turns_escaping_off() -> None:
    """Statically: no template marks data safe or switches autoescape off."""
    folder = templates_dir()
    templates = sorted([*folder.glob("*.html"), *folder.glob("sections/*.html"),
                        *folder.glob("*.md")])
    assert len(templates) >= 12
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for bad in (r"\|\s*safe\b", r"autoescape\s+false", r"\bMarkup\b", r"\|\s*urlize\b",
                    r"\|\s*xmlattr\b", r"\bimport\b.*\bos\b"):
            assert not re.search(bad, text), (path.name, bad)


def test_every_environment_escapes() -> None:
    folders = TemplateFolders([templates_dir()])
    html_env = _environment(folders)
    assert html_env.autoescape is True
    for name in ["report.html", *(f"sections/{p.name}" for p in
                                  (templates_dir() / "sections").glob("*.html"))]:
        template = html_env.get_template(name)
        assert template.render  # loads and compiles with autoescape on
    md_env = _environment(folders, markdown=True)
    assert md_env.finalize is not None and md_env.finalize("<b>x</b>") == r"\<b\>x\</b\>"


FREE_TEXT = {"title", "company", "role", "version", "label", "descriptor", "looks_for",
             "how_to_show", "summary", "covers", "text", "when"}


def mark_rubric(data: Any, counter: list[int], path: tuple[str, ...] = ()) -> Any:
    """Append ``<u>M{n}</u>`` to every free-text string of a rubric (ids stay ids)."""
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            here = (*path, key)
            if isinstance(value, str) and (key in FREE_TEXT or here == ("meta", "source")):
                counter[0] += 1
                out[key] = f"{value} <u>M{counter[0]}</u>"
            else:
                out[key] = mark_rubric(value, counter, here)
        return out
    if isinstance(data, list):
        return [mark_rubric(item, counter, path) for item in data]
    return data


@pytest.fixture(scope="module")
def marked_ctx() -> dict[str, Any]:
    """The sample report (two check-ins, a mentor) on a rubric whose every text is markup."""
    raw = yaml.safe_load((rubrics_dir() / "discord-mle.yaml").read_text(encoding="utf-8"))
    counter = [0]
    rubric = parse_rubric(yaml.safe_dump(mark_rubric(raw, counter)).encode(), "marked.yaml")
    assert counter[0] > 100
    profile = Profile(name="Ada <u>NAME</u>", interview_date=dt.date(2026, 12, 20),
                      hours_per_week=10)
    effective = effective_ratings(rubric, NOW, latest_levels([MENTOR]))
    scores = score_effective(rubric, effective, profile.target_level)
    plan = build_plan(rubric, scores, hours_per_week=10, today=TODAY,
                      interview_date=profile.interview_date, logged=LOGGED).to_json()
    return assemble_context(
        rubric=rubric, profile=profile, today=TODAY, plan=plan, ratings=NOW,
        notes={"sd-feature-pipelines": "self <u>NOTE</u>"}, assessed_on=TODAY,
        previous={"date": "2026-11-18", "ratings": BEFORE},
        mentor={"date": DAY, "ratings": MENTOR, "notes": {"sd-trust-safety": "<u>MNOTE</u>"}},
        history=[{"date": "2026-11-18", "rater": "self", "complete": True, "ratings": BEFORE,
                  "readiness": 0.5},
                 {"date": DAY, "rater": "self", "complete": True, "ratings": NOW,
                  "readiness": 0.6}],
    )


@pytest.mark.parametrize("fmt", ["html", "pdf"])
def test_every_section_shows_rubric_text_escaped(marked_ctx: dict[str, Any], fmt: str) -> None:
    """The HTML of the standalone report and of the PDF (before WeasyPrint): in every section,
    the markup carried by the rubric, the notes and the name is text."""
    html, _ = _html(marked_ctx, RenderOptions(full=True), fmt)
    assert "<u>" not in html and "</u>" not in html
    sections = re.findall(r'<section[^>]*id="([^"]+)"[^>]*>(.*?)</section>', html, flags=re.S)
    assert len(sections) == 12
    for name, body in sections:
        escaped = re.findall(r"&lt;u&gt;(M\d+|NAME|NOTE|MNOTE)&lt;/u&gt;", body)
        assert escaped, f"section {name} shows no rubric or user text at all?"
    shown = set(re.findall(r"&lt;u&gt;(M\d+|NAME|NOTE|MNOTE)&lt;/u&gt;", html))
    assert {"NAME", "NOTE", "MNOTE"} <= shown and len(shown) > 100
    head = html.split("<body", 1)[0]  # metadata: title, author, keywords
    assert "&lt;u&gt;NAME&lt;/u&gt;" in head


def test_markdown_shows_rubric_text_escaped(marked_ctx: dict[str, Any]) -> None:
    md = render(marked_ctx, "md").decode()
    assert not re.search(r"(?<!\\)<", md)
    shown = set(re.findall(r"\\<u\\>(M\d+|NAME|NOTE|MNOTE)\\</u\\>", md))
    assert {"NAME", "NOTE"} <= shown and len(shown) > 30


def test_standalone_html_can_fetch_nothing(marked_ctx: dict[str, Any]) -> None:
    html = render(marked_ctx, "html").decode()
    assert ('<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; '
            "style-src 'unsafe-inline'; img-src data:;") in html
    for attr in re.findall(r"""\b(?:src|href|data|action|srcset)\s*=\s*["']?([^"'\s>]*)""",
                           html):
        assert attr.startswith("#"), attr  # in-page links only
    assert "@import" not in html and "url(http" not in html and "url(file" not in html


# ----- the whole pipeline from the command line ------------------------------------------------


def write_hostile_rubric(path: Path, srv: LocalServer) -> None:
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    data["meta"]["title"] = "Loop " + hostile(srv, "meta-title")
    data["meta"]["source"] = "file:///etc/passwd " + hostile(srv, "meta-source")
    data["rounds"][0]["title"] = "Design " + hostile(srv, "round")
    data["rounds"][0]["summary"] = hostile(srv, "summary")
    topic = data["rounds"][0]["topics"][0]
    topic["title"] = "Pipelines " + hostile(srv, "topic")
    topic["covers"] = hostile(srv, "covers")
    topic["questions"][0]["text"] = "Design? " + hostile(srv, "question")
    data["criteria"][0]["looks_for"] = hostile(srv, "criterion")
    data["tips"][0]["text"] = hostile(srv, "tip")
    data["scale"][0]["descriptor"] = hostile(srv, "scale")
    path.write_text(yaml.safe_dump(data), encoding="utf-8")


def test_hostile_rubric_and_notes_end_to_end_fetch_and_read_nothing(
    server: LocalServer, tmp_path: Path
) -> None:
    rubric = tmp_path / "friend-rubric.yaml"
    write_hostile_rubric(rubric, server)
    answers = tmp_path / "mentor.yaml"
    answers.write_text(yaml.safe_dump({
        "rater": "self",
        "ratings": {"sd-feature-pipelines": 2, "sd-serving": 3, "sd-federated": 1,
                    "code-graphs": 4, "beh-conflict": 2},
        "notes": {"sd-feature-pipelines": hostile(server, "note"),
                  "sd-serving": "css: url(" + server.url("note-css") + ") file:///etc/passwd"},
    }), encoding="utf-8")
    steps = [
        run("init", "--name", f'Eve <img src="{server.url("name.png")}">', "--rubric",
            str(rubric),
            "--interview-date", "2026-12-20", "--hours-per-week", "8", "--no-input"),
        run("rate", "--answers", str(answers)),
        run("plan"),
        run("plan", "--json"),
    ]
    outputs = {}
    for fmt in ["pdf", "html", "md", "json", "ics"]:
        out = tmp_path / f"report.{fmt}"
        steps.append(run("report", "-o", str(out)))
        outputs[fmt] = out
    for step in steps:
        assert step.exit_code == 0, step.output
        assert "Warning: not fetched" not in step.stderr  # nothing was even asked for
    assert server.requests == []
    pdf = outputs["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-") and PASSWD_LINE.encode() not in pdf
    for fmt in ["html", "md", "json", "ics"]:
        text = outputs[fmt].read_text(encoding="utf-8")
        assert PASSWD_LINE not in text, fmt
        if fmt == "md":
            assert not re.search(r"(?<!\\)<", text)  # every angle bracket escaped
        elif fmt == "html":
            assert "<script" not in text and "<img" not in text and "<iframe" not in text
        # JSON and iCalendar are plain text: the data as given (a calendar shows no HTML)
    assert json.loads(outputs["json"].read_text())["notes"]["sd-feature-pipelines"] \
        == hostile(server, "note")  # JSON keeps the data as data


def test_the_fetcher_refuses_the_network_in_every_spelling(server: LocalServer,
                                                           tmp_path: Path) -> None:
    folders = TemplateFolders([templates_dir()])
    fetcher = make_fetcher(folders)
    host = f"127.0.0.1:{server.port}"
    urls = [server.url("a.css"), f"HTTP://{host}/b.css", f"https://{host}/c.css",
            f"//{host}/d.css", f"file://{host}/e.css", f"ftp://{host}/f.css",
            f"http://[::ffff:127.0.0.1]:{server.port}/g.css", f"http://localhost:{server.port}/h",
            f"  http://{host}/i.css", f"http:/{host}/j.css", f"http:{host}/k.css"]
    for url in urls:
        with pytest.raises(BlockedResource):
            fetcher.fetch(url)
    assert server.requests == []
    assert fetcher.served == []


# ----- template paths from a rubric or a --templates folder ------------------------------------


@pytest.mark.parametrize("where", [(), ("meta",), ("rounds", 0), ("rounds", 0, "topics", 0),
                                   ("timeline",)])
@pytest.mark.parametrize("key", ["template", "templates", "stylesheet"])
def test_a_rubric_cannot_name_a_template(where: tuple[Any, ...], key: str,
                                         tmp_path: Path) -> None:
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    node = data
    for part in where:
        node = node[part]
    node[key] = "../../../../etc/passwd"
    path = tmp_path / "named.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    result = run("rubric", "validate", str(path))
    assert result.exit_code == 2
    field = ".".join(str(p) for p in (*where, key))
    assert re.fullmatch(rf"Error: {re.escape(str(path))}: line \d+: {re.escape(field)}: "
                        r"unknown field \(not allowed here\)\n", result.stderr), result.stderr


def test_rubric_text_that_looks_like_a_template_or_a_path_is_text(tmp_path: Path) -> None:
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    payloads = ['{% include "../../../../etc/passwd" %}', "{{ 7 * 7 }}",
                "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
                "../../../../etc/passwd", "{% extends '/etc/passwd' %}"]
    data["rounds"][0]["topics"][0]["title"] = " ".join(payloads[:3])
    data["rounds"][0]["topics"][0]["questions"][0]["text"] = " ".join(payloads[3:])
    data["meta"]["title"] = "{{ ctx }}"
    rubric = tmp_path / "jinja.yaml"
    rubric.write_text(yaml.safe_dump(data), encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text("ratings: {sd-feature-pipelines: 2, sd-serving: 3, sd-federated: 1, "
                       "code-graphs: 4, beh-conflict: 2}\n"
                       "notes: {sd-serving: \"{% include '/etc/passwd' %} {{ 6 * 7 }}\"}\n",
                       encoding="utf-8")
    assert run("init", "--name", "Ana", "--rubric", str(rubric), "--no-input").exit_code == 0
    assert run("rate", "--answers", str(answers)).exit_code == 0
    for fmt in ["html", "md"]:
        out = tmp_path / f"r.{fmt}"
        result = run("report", "-o", str(out))
        assert result.exit_code == 0, result.output
        text = out.read_text(encoding="utf-8")
        assert PASSWD_LINE not in text and "uid=" not in text
        shown = text.replace("\\", "").replace("&#34;", '"').replace("&#39;", "'")
        for payload in payloads:  # shown as written: never evaluated, never opened
            assert payload in shown, (fmt, payload)
        assert "{% include '/etc/passwd' %} {{ 6 * 7 }}" in shown, fmt


OUTSIDE_NAMES = [
    '{% include "../../../../../../etc/passwd" %}',
    '{% include "/etc/passwd" %}',
    '{% include "sections/../../../../../../etc/passwd" %}',
    '{% extends "../../../../../../etc/passwd" %}',
    '{% import "..\\\\..\\\\..\\\\etc\\\\passwd" as x %}',
    '{% include "file:///etc/passwd" %}',
    '{% include "%2e%2e/%2e%2e/%2e%2e/etc/passwd" %}',
]


def rated_mini_home(tmp_path: Path) -> None:
    """A profile on the mini rubric with one complete self-assessment."""
    assert run("init", "--name", "Ana", "--rubric", str(FIXTURES / "mini-rubric.yaml"),
               "--no-input").exit_code == 0
    answers = tmp_path / "a.yaml"
    answers.write_text("ratings: {sd-feature-pipelines: 2, sd-serving: 3, sd-federated: 1, "
                       "code-graphs: 4, beh-conflict: 2}\n", encoding="utf-8")
    assert run("rate", "--answers", str(answers)).exit_code == 0


@pytest.mark.parametrize("body", OUTSIDE_NAMES)
def test_a_template_folder_cannot_include_a_file_outside_it(
    body: str, tmp_path: Path
) -> None:
    rated_mini_home(tmp_path)
    override = tmp_path / "mine"
    (override / "sections").mkdir(parents=True)
    (override / "sections" / "mentor.html").write_text(body, encoding="utf-8")
    (override / "report.md").write_text(body, encoding="utf-8")
    for suffix in ["html", "md"]:
        out = tmp_path / f"r.{suffix}"
        result = run("report", "-o", str(out), "--templates", str(override))
        assert result.exit_code == 1, (suffix, result.output)
        assert re.fullmatch(r"Error: report template '[^\n]*' not found in the templates "
                            r"folder\n", result.stderr), result.stderr
        assert PASSWD_LINE not in result.output
        assert not out.exists()


@pytest.mark.parametrize("link", ["file", "folder", "css"])
def test_symlinks_in_a_template_folder_lead_nowhere_outside(link: str, tmp_path: Path) -> None:
    rated_mini_home(tmp_path)
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "mentor.html").write_text("SECRET-TEMPLATE {{ ctx }}", encoding="utf-8")
    (secret / "report.css").write_text("body::after { content: 'SECRET-CSS' }",
                                       encoding="utf-8")
    override = tmp_path / "mine"
    override.mkdir()
    if link == "file":
        (override / "sections").mkdir()
        (override / "sections" / "mentor.html").symlink_to(secret / "mentor.html")
        (override / "report.md").symlink_to("/etc/passwd")
    elif link == "folder":
        (override / "sections").symlink_to(secret)
    else:
        (override / "report.css").symlink_to(secret / "report.css")
    for suffix in ["html", "md"]:
        out = tmp_path / f"r.{suffix}"
        result = run("report", "-o", str(out), "--templates", str(override))
        assert result.exit_code == 0, result.output  # the bundled file is used instead
        text = out.read_text(encoding="utf-8")
        assert "SECRET" not in text and PASSWD_LINE not in text
        assert "Interview readiness: " in text  # the bundled template's title


# ----- line and control-character injection ----------------------------------------------------


def test_newlines_cannot_add_calendar_properties_or_markdown_blocks(tmp_path: Path) -> None:
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    inject = "x\nATTACH:http://127.0.0.1:9/evil\nBEGIN:VALARM\n# Owned\n| a | b |\n"
    for r in data["rounds"]:
        r["title"] = r["title"] + inject
        for t in r["topics"]:
            t["title"] = t["title"] + inject
            for q in t.get("questions", []):
                q["text"] = q["text"] + inject
    rubric = tmp_path / "lines.yaml"
    rubric.write_text(yaml.safe_dump(data), encoding="utf-8")
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"ratings": {
        "sd-feature-pipelines": 2, "sd-serving": 3, "sd-federated": 1, "code-graphs": 4,
        "beh-conflict": 2}, "notes": {"sd-serving": inject}}), encoding="utf-8")
    assert run("init", "--name", "Ana" , "--rubric", str(rubric), "--no-input").exit_code == 0
    assert run("rate", "--answers", str(answers)).exit_code == 0
    assert run("report", "-o", str(tmp_path / "r.ics")).exit_code == 0
    assert run("report", "-o", str(tmp_path / "r.md")).exit_code == 0
    ics = (tmp_path / "r.ics").read_text(encoding="utf-8")
    lines = ics.split("\r\n")
    assert not any(line.startswith(("ATTACH", "BEGIN:VALARM")) for line in lines)
    assert ics.count("BEGIN:VEVENT") == ics.count("END:VEVENT") > 0
    md = (tmp_path / "r.md").read_text(encoding="utf-8")
    assert not any(line.startswith(("# Owned", "| a | b |", "ATTACH")) for line in
                   md.splitlines())


CONTROL = ["\x1b]0;pwned\x07", "\x1b[2J", "\x1b]52;c;cm0gLXJmIH4=\x07", "\x9b31m", "\x00",
           "\r", "\x08\x08\x08"]


@pytest.mark.parametrize("sequence", CONTROL)
def test_a_rubric_with_terminal_control_characters_is_refused(sequence: str,
                                                              tmp_path: Path) -> None:
    """Rubric text reaches the terminal (`plan`, `rubric show`, the questionnaire): a control
    character there could clear the screen, retitle the window or write the clipboard."""
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    data["rounds"][1]["topics"][0]["title"] = f"Graphs {sequence} done"
    path = tmp_path / "control.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(RubricError) as caught:
        parse_rubric(path.read_bytes(), "control.yaml")
    code = f"U+{ord(sequence[0]):04X}"
    first = str(caught.value).splitlines()[0]
    assert re.fullmatch(
        rf"control\.yaml: line \d+: rounds\.1\.topics\.0\.title: control character "
        rf"{re.escape(code)} "
        r"is not allowed \(plain text only\)", first), first
    result = run("rubric", "validate", str(path))
    assert result.exit_code == 2 and "\x1b" not in result.stderr and "\x07" not in result.stderr


@pytest.mark.parametrize("sequence", CONTROL)
def test_notes_with_terminal_control_characters_are_refused(sequence: str) -> None:
    from assess.inputs.answers import parse_answers
    from assess.rubric.model import load_rubric_file

    rubric = load_rubric_file(FIXTURES / "mini-rubric.yaml")
    text = yaml.safe_dump({"ratings": {"sd-serving": 3},
                           "notes": {"sd-serving": f"fine {sequence} here"}})
    with pytest.raises(AnswersError) as caught:
        parse_answers(text.encode(), "notes.yaml", rubric, TODAY)
    code = f"U+{ord(sequence[0]):04X}"
    assert str(caught.value) == (
        f"notes.yaml: line 2: notes.sd-serving: control character {code} is not allowed "
        "(plain text only)"
    )


def test_tabs_newlines_and_unicode_stay_allowed(tmp_path: Path) -> None:
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    data["rounds"][1]["topics"][0]["covers"] = "Tabs\tand\nnewlines, ünïcödé, 中文, emoji 🙂"
    rubric = parse_rubric(yaml.safe_dump(data, allow_unicode=True).encode(), "ok.yaml")
    assert "中文" in rubric.topics["code-graphs"].covers


@pytest.mark.parametrize("mark", ["\u202e", "\u2066", "\u200f"])
def test_bidi_overrides_are_refused_in_a_rubric(mark: str) -> None:
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text(encoding="utf-8"))
    data["rounds"][1]["topics"][0]["covers"] = f"reads {mark}backwards"
    with pytest.raises(RubricError, match=f"covers: control character U\\+{ord(mark):04X} "):
        parse_rubric(yaml.safe_dump(data, allow_unicode=True).encode(), "bidi.yaml")
