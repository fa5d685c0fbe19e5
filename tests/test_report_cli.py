"""`assess report` end to end: two check-ins a week apart, hours logged, one mentor rating."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from pdf_text import pdf_text
from pypdf import PdfReader

from assess.cli import cli
from assess.rubric.model import load_rubric

WEEK1, WEEK2 = "2026-11-18", "2026-11-25"


def run(*args: str, today: str = WEEK2, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--today", today, *args], input=input)


def _answers(tmp: Path, name: str, rater: str, day: str, ratings: dict[str, int],
             notes: dict[str, str] | None = None,
             hours: dict[str, float] | None = None) -> str:
    data: dict[str, Any] = {"rubric": "discord-mle", "rater": rater, "date": day,
                            "ratings": ratings}
    if notes:
        data["notes"] = notes
    if hours:
        data["hours"] = hours
    path = tmp / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return str(path)


@pytest.fixture()
def home(tmp_path: Path, assess_home: Path) -> Path:
    """A profile, two complete self check-ins a week apart, hours, and mentor ratings."""
    topics = list(load_rubric().topics)
    first = {t: 2 + (i % 2) for i, t in enumerate(topics)}
    second = {t: min(5, v + (1 if i % 3 == 0 else 0)) for i, (t, v) in
              enumerate(first.items())}
    mentor = {t: max(1, second[t] - (i % 3)) for i, t in enumerate(topics[:10])}
    steps = [
        run("init", "--name", "Grace Hopper", "--interview-date", "2026-12-20",
            "--hours-per-week", "10", "--no-input", today=WEEK1),
        run("rate", "--answers", _answers(tmp_path, "w1.yaml", "self", WEEK1, first,
                                          notes={"sd-trust-safety": "No T&S experience."}),
            today=WEEK1),
        run("rate", "--answers", _answers(tmp_path, "w2.yaml", "self", WEEK2, second,
                                          hours={"system-design": 2, "coding": 5})),
        run("rate", "--answers", _answers(tmp_path, "m.yaml", "mentor", WEEK2, mentor,
                                          notes={"sd-serving-latency": "Caching is shaky."})),
    ]
    for step in steps:
        assert step.exit_code == 0, step.output
    return assess_home


def _pdf_text(path: Path) -> str:
    return pdf_text(path)


def test_report_pdf_after_two_check_ins_and_a_mentor(home: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.pdf"
    result = run("report", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert result.stderr.startswith(f"Wrote {out} (PDF, ")
    text = _pdf_text(out)
    for expected in ["Grace Hopper", "Last week, planned vs done", "Three questions for you",
                     "Self vs mentor", "disconnect", "Week-by-week plan",
                     "assess report --full"]:
        assert expected in text, expected
    assert "Appendix A: Question bank" not in text
    assert len(PdfReader(out).pages) <= 4  # the weekly PDF; --full keeps everything
    full = tmp_path / "full.pdf"
    assert run("report", "-o", str(full), "--full").exit_code == 0
    text = _pdf_text(full)
    for expected in ["Progress", "Since the last check-in on Wednesday 18 November 2026 (7 "
                     "days ago)", "40% guidance", "Questions for my mentor",
                     "No T&S experience.", "Caching is shaky.", "Appendix A: Question bank"]:
        assert expected in text, expected
    assert "Appendix A: Question bank" in _pdf_text(full)
    meta = PdfReader(io.BytesIO(out.read_bytes())).metadata
    assert meta is not None and meta.author == "Grace Hopper"
    again = tmp_path / "again.pdf"
    assert run("report", "-o", str(again)).exit_code == 0
    assert again.read_bytes() == out.read_bytes()


@pytest.mark.parametrize("suffix", ["html", "md", "json", "ics"])
def test_every_format_from_its_suffix(home: Path, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"plan.{suffix}"
    result = run("report", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith(f"Wrote {out} ({suffix.upper()}, ")
    body = out.read_text(encoding="utf-8")
    if suffix == "json":
        ctx = json.loads(body)
        assert ctx["candidate"]["name"] == "Grace Hopper"
        assert ctx["progress"]["previous_date"] == WEEK1
        assert ctx["calibration"]["rated"] == 10
        assert ctx["allocation"]["floor"] == 0.4
        assert ctx["allocation"]["logged_total"] == 7
    elif suffix == "ics":
        from icalendar import Calendar

        events = list(Calendar.from_ical(body).walk("VEVENT"))
        plan = json.loads(run("plan", "--json").stdout)
        assert len(events) == sum(len(w["sessions"]) for w in plan["weeks"])
        assert str(events[0].decoded("DTSTART")) == "2026-11-25 19:00:00"
    else:
        for expected in ["Grace Hopper", "Self vs mentor", "40%", "Progress"]:
            assert expected in body


def test_the_report_agrees_with_plan_json(home: Path, tmp_path: Path) -> None:
    plan = json.loads(run("plan", "--json").stdout)
    result = run("report", "-o", "-", "--format", "json")
    assert result.exit_code == 0, result.output
    ctx = json.loads(result.stdout)
    assert ctx["readiness"]["overall"] == plan["readiness"]["overall"]
    assert [g["topic"] for g in ctx["gaps"]] == [g["topic"] for g in plan["gaps"]]
    assert {r["id"]: r["planned"] for r in ctx["allocation"]["rounds"]} == \
        plan["allocation"]["rounds"]
    assert [[s["topic"] for s in w["sessions"]] for w in ctx["weeks"]] == \
        [[s["topic"] for s in w["sessions"]] for w in plan["weeks"]]


def test_markdown_to_stdout_by_default(home: Path) -> None:
    result = run("report", "-o", "-")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("# Interview readiness: Grace Hopper\n")
    assert result.stderr == ""


def test_default_file_name(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run("report", "--format", "md")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "assess-plan-2026-11-25.pdf").read_text(encoding="utf-8").startswith(
        "# Interview readiness")


def test_usage_errors(home: Path, tmp_path: Path) -> None:
    result = run("report", "-o", str(tmp_path / "plan.txt"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {tmp_path / 'plan.txt'}: cannot tell the format from the suffix '.txt'; "
        "use --format pdf|html|md|json|ics\n"
    )
    result = run("report", "-o", str(tmp_path / "missing" / "plan.pdf"))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: -o: folder {tmp_path / 'missing'} does not exist\n")
    result = run("report", "-o", str(tmp_path / "p.md"), "--templates", str(tmp_path / "no"))
    assert (result.exit_code, result.stderr) == (
        2, f"Error: --templates: {tmp_path / 'no'} is not a folder\n")
    result = run("report", "--format", "docx")
    assert result.exit_code == 2 and "'docx' is not one of" in result.stderr


def test_without_a_profile(tmp_path: Path) -> None:
    result = run("report", "-o", str(tmp_path / "x.pdf"))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: no profile yet.")
    assert not (tmp_path / "x.pdf").exists()


def test_broken_template_override_fails_with_one_line(home: Path, tmp_path: Path) -> None:
    override = tmp_path / "tpl"
    override.mkdir()
    (override / "report.md").write_text("{% for %}", encoding="utf-8")
    out = tmp_path / "p.md"
    result = run("report", "-o", str(out), "--templates", str(override))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: report template report.md, line 1: ")
    assert len(result.stderr.splitlines()) == 1
    assert not out.exists()


def test_help_ends_with_an_example() -> None:
    result = CliRunner().invoke(cli, ["report", "--help"])
    assert result.exit_code == 0
    assert "Example: assess report -o plan.pdf" in result.output
    for option in ["--format", "--paper", "--pdf-variant", "--templates", "-o, --output"]:
        assert option in result.output


def test_pdf_to_stdout_when_it_is_not_a_terminal(home: Path) -> None:
    result = CliRunner().invoke(cli, ["--today", WEEK2, "report", "-o", "-", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes.startswith(b"%PDF-1.7")
    assert 2 <= len(PdfReader(io.BytesIO(result.stdout_bytes)).pages) <= 4


def test_cli_import_stays_light() -> None:
    import subprocess
    import sys

    code = ("import sys, assess.cli; print(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'weasyprint', 'jinja2', 'icalendar', 'pypdf', 'fontTools'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert out.stdout.strip() == "[]"
