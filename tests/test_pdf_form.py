"""The PDF both ways: the mentor's form filled in as a viewer would (pypdf) and read back, the
refusals that leave the history untouched, the plan's tickable sessions, and mentor ratings
that stand through later self check-ins."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader, PdfWriter

from assess.cli import cli
from assess.inputs.pdf_answers import ticked_sessions
from assess.store import DB_NAME

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini-rubric.yaml")
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]
WEEK1, WEEK2, WEEK3 = "2026-11-25", "2026-12-02", "2026-12-09"


def invoke(today: str, *args: str, home: Path | None = None) -> Result:
    env = {"ASSESS_HOME": str(home)} if home is not None else None
    return CliRunner().invoke(cli, ["--today", today, *args], env=env)


def make_home(home: Path, tmp: Path, name: str = "Ana", level: int = 4) -> None:
    """A profile on the mini rubric with every topic self-rated ``level`` on WEEK1."""
    init = invoke(WEEK1, "init", "--name", name, "--rubric", MINI, "--interview-date",
                  "2026-12-23", "--no-input", home=home)
    assert init.exit_code == 0, init.output
    answers = tmp / f"{name}-w1.yaml"
    answers.write_text("ratings: {" + ", ".join(f"{t}: {level}" for t in TOPICS) + "}\n")
    rated = invoke(WEEK1, "rate", "--answers", str(answers), home=home)
    assert rated.exit_code == 0, rated.output


def fill(src: Path, dst: Path, values: dict[str, str]) -> Path:
    """Fill fields as a PDF viewer would: set each field's value, keep everything else."""
    writer = PdfWriter(clone_from=str(src))
    for page in writer.pages:
        names = {a.get_object().get("/T") for a in page.get("/Annots") or []}
        mine = {k: v for k, v in values.items() if k in names}
        if mine:
            writer.update_page_form_field_values(page, mine, auto_regenerate=False)
    writer.write(str(dst))
    return dst


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """One data home with a mentor form rendered from it, shared by the tests (each copies)."""
    tmp = tmp_path_factory.mktemp("form")
    home = tmp / "home"
    make_home(home, tmp)
    pdf = tmp / "m.pdf"
    result = invoke(WEEK1, "report", "--mentor-form", "-o", str(pdf), home=home)
    assert result.exit_code == 0, result.output
    return home, pdf


@pytest.fixture()
def form(made: tuple[Path, Path], assess_home: Path, tmp_path: Path) -> Path:
    """This test's own copy of the shared home (at ASSESS_HOME) and of its blank form."""
    shutil.copytree(made[0], assess_home)
    return Path(shutil.copy(made[1], tmp_path / "m.pdf"))


def db_bytes(home: Path) -> bytes:
    return (home / DB_NAME).read_bytes()


def history(home: Path | None = None) -> list[dict]:
    result = invoke(WEEK2, "history", "--json", home=home)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


# ----- the form and the round trip ------------------------------------------------------------


def test_the_form_has_a_field_per_topic_and_read_only_identity(form: Path) -> None:
    fields = PdfReader(str(form)).get_fields() or {}
    for topic in TOPICS:
        assert fields[f"level:{topic}"]["/FT"] == "/Ch"
        # the blank choice is a single space: PyMuPDF keeps no empty option, and it reads back
        # blank (not rated this time)
        assert [o[0] for o in fields[f"level:{topic}"]["/Opt"]] == [" ", "1", "2", "3", "4", "5"]
        assert fields[f"note:{topic}"]["/FT"] == "/Tx"
    for name in ("mentor-comment", "mentor-name", "mentor-date"):
        assert fields[name]["/FT"] == "/Tx"
    assert fields["assess-form"]["/V"] == "mentor"
    assert fields["assess-rubric"]["/V"] == "mini-mle"
    assert fields["assess-rubric-version"]["/V"] == "1.0"
    assert fields["assess-report-date"]["/V"] == WEEK1
    assert len(str(fields["assess-profile"]["/V"])) == 32  # the home's random id, not a name
    for name in ("assess-form", "assess-profile", "assess-rubric", "assess-report-date"):
        assert int(fields[name].get("/Ff", 0)) & 1  # read-only
    assert "Ana" not in str(fields["assess-profile"]["/V"])


def test_round_trip_a_mentor_fills_three_topics_and_a_note(form: Path, tmp_path: Path,
                                                           assess_home: Path) -> None:
    filled = fill(form, tmp_path / "filled.pdf", {
        "level:sd-feature-pipelines": "2", "level:code-graphs": "3", "level:beh-conflict": "1",
        "note:sd-feature-pipelines": "Never built a feature store end to end",
        "mentor-comment": "Good progress.\nDesign depth next.", "mentor-name": "Grace Hopper",
        "mentor-date": "2026-11-30",
    })
    result = invoke(WEEK2, "rate", "--rater", "mentor", "--answers", str(filled))
    assert result.exit_code == 0, result.output
    mentors = [a for a in history() if a["rater"] == "mentor"]
    assert len(mentors) == 1
    entry = mentors[0]
    assert entry["ratings"] == {"sd-feature-pipelines": 2, "code-graphs": 3, "beh-conflict": 1}
    assert entry["notes"] == {"sd-feature-pipelines": "Never built a feature store end to end"}
    assert entry["date"] == "2026-11-30"
    assert entry["comment"] == "Good progress.\nDesign depth next."
    assert entry["rater_name"] == "Grace Hopper"
    # the plan now uses the mentor's lower ratings
    plan = json.loads(invoke(WEEK2, "plan", "--json").stdout)
    gaps = {g["topic"]: (g["rating"], g["source"]) for g in plan["gaps"]}
    assert gaps["sd-feature-pipelines"] == (2, "mentor")
    assert gaps["beh-conflict"] == (1, "mentor")
    report = invoke(WEEK2, "report", "-o", "-")
    assert report.exit_code == 0, report.output
    assert "> Good progress. Design depth next. (Grace Hopper)" in report.stdout
    assert "Never built a feature store end to end" in report.stdout


def test_a_blank_date_is_the_day_the_form_is_read(form: Path, tmp_path: Path) -> None:
    filled = fill(form, tmp_path / "f.pdf", {"level:sd-serving": "3"})
    assert invoke(WEEK2, "rate", "--answers", str(filled)).exit_code == 0
    (entry,) = [a for a in history() if a["rater"] == "mentor"]
    assert entry["date"] == WEEK2 and entry["ratings"] == {"sd-serving": 3}


# ----- refusals: exit 2, one line, the history unchanged --------------------------------------


def refused(path: Path, home: Path, *args: str) -> str:
    before = db_bytes(home)
    result = invoke(WEEK2, "rate", *args, "--answers", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert db_bytes(home) == before
    return lines[0]


def test_refuses_a_pdf_without_the_form(form: Path, tmp_path: Path, assess_home: Path) -> None:
    plain = tmp_path / "plain.pdf"
    assert invoke(WEEK1, "report", "-o", str(plain)).exit_code == 0
    line = refused(plain, assess_home, "--rater", "mentor")
    assert line == f"Error: {plain}: this PDF has no mentor's form (write one with " \
                   "`assess report --mentor-form -o FILE.pdf`)"


def test_refuses_the_form_of_profile_a_in_profile_b_home(form: Path, tmp_path: Path) -> None:
    filled = fill(form, tmp_path / "a.pdf", {"level:sd-serving": "1"})
    home_b = tmp_path / "home-b"
    make_home(home_b, tmp_path, name="Bo", level=3)
    before = db_bytes(home_b)
    result = invoke(WEEK2, "rate", "--rater", "mentor", "--answers", str(filled), home=home_b)
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: {filled}: assess-profile: this form was made for another "
                             "profile (another data home); it can only be read into the "
                             "history it came from\n")
    assert db_bytes(home_b) == before


@pytest.mark.parametrize(("field", "value", "message"), [
    ("assess-rubric", "discord-mle",
     "assess-rubric: this form is for rubric 'discord-mle', but the profile uses 'mini-mle'"),
    ("assess-rubric-version", "0.9",
     "assess-rubric-version: this form is for mini-mle version '0.9', but the rubric is now "
     "version '1.0'; write a new form with `assess report --mentor-form`"),
])
def test_refuses_a_form_for_another_rubric(form: Path, tmp_path: Path, assess_home: Path,
                                           field: str, value: str, message: str) -> None:
    other = fill(form, tmp_path / "other.pdf", {field: value, "level:sd-serving": "2"})
    assert refused(other, assess_home) == f"Error: {other}: {message}"


def test_refuses_an_encrypted_pdf(form: Path, tmp_path: Path, assess_home: Path) -> None:
    writer = PdfWriter(clone_from=str(fill(form, tmp_path / "f.pdf", {"level:sd-serving": "2"})))
    writer.encrypt(user_password="", owner_password="secret", algorithm="RC4-128")
    locked = tmp_path / "locked.pdf"
    writer.write(str(locked))
    assert refused(locked, assess_home).startswith(f"Error: {locked}: the PDF is encrypted")


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_refuses_a_malformed_pdf(form: Path, tmp_path: Path, assess_home: Path,
                                 damage: str) -> None:
    bad = tmp_path / "bad.pdf"
    raw = form.read_bytes()
    bad.write_bytes(raw[: len(raw) // 3] if damage == "truncated"
                    else b"%PDF-1.7\n" + bytes(range(256)) * 40)
    line = refused(bad, assess_home, "--rater", "mentor")
    assert line.startswith(f"Error: {bad}: not a readable PDF")


def test_refuses_a_pdf_over_the_size_limit(form: Path, tmp_path: Path,
                                           assess_home: Path) -> None:
    from assess.core.readers import MAX_PDF_BYTES

    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.write(form.read_bytes())
        handle.truncate(MAX_PDF_BYTES + 1)  # sparse: nothing of it is read
    assert refused(big, assess_home) == f"Error: {big}: larger than 20 MB; not read"


@pytest.mark.parametrize(("value", "message"), [
    ("7", "ratings.sd-serving: level must be 1..5 (got 7)"),
    ("0", "ratings.sd-serving: level must be 1..5 (got 0)"),
    ("high", "ratings.sd-serving: level must be a whole number 1..5 or null (got 'high')"),
])
def test_refuses_a_level_out_of_range(form: Path, tmp_path: Path, assess_home: Path,
                                      value: str, message: str) -> None:
    filled = fill(form, tmp_path / "f.pdf", {"level:sd-serving": value, "level:sd-federated": "2"})
    assert refused(filled, assess_home) == f"Error: {filled}: {message}"


def test_refuses_a_bad_date_and_an_empty_form(form: Path, tmp_path: Path,
                                              assess_home: Path) -> None:
    future = fill(form, tmp_path / "d.pdf", {"level:sd-serving": "2", "mentor-date": "2027-01-01"})
    assert refused(future, assess_home) == (
        f"Error: {future}: date: 2027-01-01 is in the future (today is {WEEK2})")
    assert refused(form, assess_home).endswith("the form has no level filled in: choose a level "
                                               "1..5 for at least one topic")


def test_a_form_is_a_mentors_and_not_a_check_in(form: Path, tmp_path: Path,
                                                assess_home: Path) -> None:
    filled = fill(form, tmp_path / "f.pdf", {"level:sd-serving": "2"})
    assert refused(filled, assess_home, "--rater", "self") == (
        f"Error: --rater self does not match {filled}: rater: mentor")
    before = db_bytes(assess_home)
    result = invoke(WEEK2, "checkin", "--answers", str(filled), "-o", str(tmp_path / "p.md"))
    assert result.exit_code == 2 and "read it with `assess rate --rater mentor" in result.stderr
    assert db_bytes(assess_home) == before


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.tuples(st.integers(0, 10**6), st.binary(min_size=1, max_size=8)),
                     min_size=1, max_size=6))
def test_a_damaged_form_is_refused_or_read_never_a_crash(
        intact: tuple[bytes, str, Any], cuts: list[tuple[int, bytes]]) -> None:
    from assess.errors import AnswersError
    from assess.inputs.pdf_answers import parse_pdf_answers

    original, profile, rubric = intact
    raw = bytearray(original)
    for at, junk in cuts:  # overwrite a few bytes anywhere in the file
        at %= len(raw)
        raw[at:at + len(junk)] = junk
    try:
        parse_pdf_answers(bytes(raw), "x.pdf", rubric, dt.date(2026, 12, 2), profile)
    except AnswersError as exc:
        assert str(exc).startswith("x.pdf: ")


@pytest.fixture(scope="module")
def intact(made: tuple[Path, Path]) -> tuple[bytes, str, Any]:
    """The blank form's bytes, the profile it names and its rubric, read once for the
    damaged copies (each example damages its own copy of the bytes)."""
    from assess.rubric.model import load_rubric

    profile = str((PdfReader(str(made[1])).get_fields() or {})["assess-profile"]["/V"])
    return made[1].read_bytes(), profile, load_rubric(MINI)


# ----- tickable sessions -------------------------------------------------------------------------


def test_ticked_sessions_are_exactly_the_boxes_ticked(form: Path, tmp_path: Path) -> None:
    plan = json.loads(invoke(WEEK1, "plan", "--json").stdout)
    ids = [s["id"] for w in plan["weeks"] for s in w["sessions"]]
    fields = PdfReader(str(form)).get_fields() or {}
    boxes = [name for name in fields if name.startswith("session:")]
    assert sorted(boxes) == sorted(f"session:{i}" for i in ids)
    assert all(fields[b]["/FT"] == "/Btn" for b in boxes)
    assert ticked_sessions(form) == []
    picked = [ids[0], ids[-1]]
    ticked = fill(form, tmp_path / "ticked.pdf", {f"session:{i}": "/on" for i in picked})
    assert ticked_sessions(ticked) == picked


def test_session_ids_are_escaped_in_field_names() -> None:
    from assess.inputs.form_fields import decode, encode, session_field

    assert session_field("sd-serving-latency-study-2") == "session:sd-serving-latency-study-2"
    assert session_field("a.b%c é") == "session:a%2Eb%25c%20%C3%A9"
    for value in ("a.b.c", "x%2E", "ü.ñ", "plain-id_1"):
        assert decode(encode(value)) == value
        assert "." not in encode(value)


def test_html_boxes_are_disabled_checkboxes_with_labels(form: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    assert invoke(WEEK1, "report", "-o", str(out)).exit_code == 0
    html = out.read_text()
    plan = json.loads(invoke(WEEK1, "plan", "--json").stdout)
    count = sum(len(w["sessions"]) for w in plan["weeks"])
    boxes = html.split('<input type="checkbox"')[1:]
    assert len(boxes) == count
    for box in boxes:
        tag = box.split(">", 1)[0]
        assert " disabled" in tag and 'aria-label="Done: ' in tag
    assert "<select" not in html  # the mentor's form is a PDF's only


def test_mentor_form_needs_a_pdf(form: Path, tmp_path: Path) -> None:
    result = invoke(WEEK1, "report", "--mentor-form", "-o", str(tmp_path / "r.html"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --mentor-form: the mentor's form is a PDF form")


def test_pdf_a_has_drawn_boxes_and_no_form(form: Path, tmp_path: Path) -> None:
    out = tmp_path / "a.pdf"
    assert invoke(WEEK1, "report", "-o", str(out), "--pdf-variant", "pdf/a-3b").exit_code == 0
    assert not PdfReader(str(out)).get_fields()
    result = invoke(WEEK1, "report", "--mentor-form", "-o", str(tmp_path / "b.pdf"),
                    "--pdf-variant", "pdf/a-3b")
    assert result.exit_code == 2 and "PDF/A allows no fillable fields" in result.stderr
    ua = tmp_path / "ua.pdf"
    assert invoke(WEEK1, "report", "--mentor-form", "-o", str(ua),
                  "--pdf-variant", "pdf/ua-1").exit_code == 0
    assert "level:sd-serving" in (PdfReader(str(ua)).get_fields() or {})


def test_poppler_and_qpdf_read_the_filled_form(form: Path, tmp_path: Path) -> None:
    filled = fill(form, tmp_path / "f.pdf", {"level:sd-serving": "2", "note:sd-serving": "ok"})
    pages = len(PdfReader(str(filled)).pages)
    if shutil.which("pdftoppm"):
        done = subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", str(pages), "-l", str(pages),
                               str(filled), str(tmp_path / "p")], capture_output=True, timeout=60)
        assert done.returncode == 0 and not done.stderr, done.stderr
        assert list(tmp_path.glob("p-*.png"))
    if shutil.which("qpdf"):
        done = subprocess.run(["qpdf", "--check", str(filled)], capture_output=True, timeout=60)
        assert done.returncode == 0, done.stdout + done.stderr
    if not shutil.which("pdftoppm") and not shutil.which("qpdf"):
        pytest.skip("neither poppler nor qpdf is installed")


def qpdf_fill(src: Path, dst: Path, values: dict[str, str]) -> Path:
    """Fill fields with qpdf, a second filler independent of pypdf: dump the objects as JSON,
    set each named field's value (and a checkbox's state), and write them back."""
    dump = dst.with_suffix(".json")
    subprocess.run(["qpdf", str(src), "--json-output=2", "--json-key=qpdf", str(dump)],
                   check=True, timeout=60)
    header, objects = json.loads(dump.read_text())["qpdf"]
    patch = {}
    for key, obj in objects.items():
        value = obj.get("value") if isinstance(obj, dict) else None
        name = str(value.get("/T", ""))[2:] if isinstance(value, dict) else ""
        if name in values:
            new = values[name]
            value = {**value, "/V": new if new.startswith("/") else f"u:{new}"}
            if new.startswith("/"):
                value["/AS"] = new
            patch[key] = {"value": value}
    assert len(patch) == len(values), sorted(values)
    dump.write_text(json.dumps({"qpdf": [header, patch]}))
    subprocess.run(["qpdf", str(src), f"--update-from-json={dump}", str(dst)],
                   check=True, timeout=60)
    return dst


@pytest.mark.skipif(shutil.which("qpdf") is None, reason="qpdf is not installed")
def test_a_form_filled_with_qpdf_reads_back(form: Path, tmp_path: Path) -> None:
    plan = json.loads(invoke(WEEK1, "plan", "--json").stdout)
    first = plan["weeks"][0]["sessions"][0]["id"]
    filled = qpdf_fill(form, tmp_path / "q.pdf", {
        "level:sd-serving": "3", "level:code-graphs": "1", "note:code-graphs": "BFS only",
        f"session:{first}": "/on",
    })
    assert ticked_sessions(filled) == [first]
    result = invoke(WEEK2, "rate", "--rater", "mentor", "--answers", str(filled))
    assert result.exit_code == 0, result.output
    (entry,) = [a for a in history() if a["rater"] == "mentor"]
    assert entry["ratings"] == {"sd-serving": 3, "code-graphs": 1}
    assert entry["notes"] == {"code-graphs": "BFS only"}


# ----- mentor ratings that last -------------------------------------------------------------------


def test_mentor_ratings_survive_a_later_self_check_in(assess_home: Path, tmp_path: Path) -> None:
    make_home(assess_home, tmp_path)
    mentor = tmp_path / "mentor.yaml"
    mentor.write_text("rater: mentor\ndate: 2026-11-26\nratings: {"
                      + ", ".join(f"{t}: 2" for t in TOPICS) + "}\n")
    assert invoke("2026-11-26", "rate", "--answers", str(mentor)).exit_code == 0
    week2 = tmp_path / "w2.yaml"
    week2.write_text("ratings: {sd-serving: 5}\n")
    result = invoke(WEEK2, "checkin", "--answers", str(week2), "-o", str(tmp_path / "w2.md"))
    assert result.exit_code == 0, result.output
    plan = json.loads(invoke(WEEK2, "plan", "--json").stdout)
    gaps = {g["topic"]: (g["rating"], g["source"]) for g in plan["gaps"]}
    for topic in ("sd-feature-pipelines", "code-graphs", "beh-conflict", "sd-serving"):
        assert gaps[topic] == (2, "mentor"), topic
    report = tmp_path / "r.json"
    assert invoke(WEEK2, "report", "-o", str(report)).exit_code == 0
    ctx = json.loads(report.read_text())
    assert {g["topic"]: g["mentor_date"] for g in ctx["gaps"]}["code-graphs"] == "2026-11-26"
    rows = {r["topic"]: r for r in ctx["calibration"]["rows"]}
    assert rows["sd-serving"]["disputed"] and rows["sd-serving"]["self"] == 5
    assert any("Model serving" in q and "disputed: self 5, mentor 2 (26 Nov)" in q
               for q in ctx["mentor_questions"])
    html = tmp_path / "r.html"
    assert invoke(WEEK2, "report", "-o", str(html)).exit_code == 0
    text = html.read_text()
    assert "mentor, 26 Nov" in text
    assert "disputed: self 5, mentor 2 (26 Nov)" in text
    # a week later the mentor rates one topic again: only that one changes
    again = tmp_path / "again.yaml"
    again.write_text("rater: mentor\nratings: {sd-serving: 4}\n")
    assert invoke(WEEK3, "rate", "--answers", str(again)).exit_code == 0
    plan = json.loads(invoke(WEEK3, "plan", "--json").stdout)
    gaps = {g["topic"]: (g["rating"], g["source"]) for g in plan["gaps"]}
    assert "sd-serving" not in gaps  # 4 = target: the mentor's new rating stands
    assert gaps["code-graphs"] == (2, "mentor")


def test_done_from_a_ticked_plan_pdf(form: Path, tmp_path: Path, assess_home: Path) -> None:
    plan = json.loads(invoke(WEEK1, "plan", "--json").stdout)
    week1 = plan["weeks"][0]["sessions"]
    picked = [week1[0]["id"], week1[1]["id"]]
    ticked = fill(form, tmp_path / "ticked.pdf", {f"session:{i}": "/on" for i in picked})
    # a few days later the plan has moved on; the ticks still find their sessions
    result = invoke("2026-11-28", "done", "--from", str(ticked))
    assert result.exit_code == 0, result.output
    hours = week1[0]["hours"] + week1[1]["hours"]
    assert result.stdout == f"Marked 2 session(s) done ({hours:g} h logged).\n"
    again = invoke("2026-11-28", "done", "--from", str(ticked))
    assert again.stdout == ("Marked 0 session(s) done (0 h logged); 2 were done already: "
                            f"{picked[0]}, {picked[1]}.\n")
    later = json.loads(invoke("2026-11-28", "plan", "--json").stdout)
    assert not set(picked) & {s["id"] for w in later["weeks"] for s in w["sessions"]}
    blank = invoke("2026-11-28", "done", "--from", str(form))
    assert blank.stdout == f"No session is ticked in {form}; nothing to mark.\n"
