"""No character is lost: fallback fonts draw other scripts, the rest is named on stderr.

Needs the Debian font packages the README names (fonts-noto-cjk, fonts-noto-color-emoji,
fonts-noto-core); .ci/run installs them.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result
from pdf_checks import notdef_references
from pypdf import PdfReader

from assess.cli import cli
from assess.report import glyphs
from assess.rubric.model import load_rubric

TODAY = "2026-11-25"
UNCOVERED = "\ue000"  # a private-use character no installed font draws
NOTES = {
    "emoji": "need a mock 😬",
    "korean": "한국어 메모 연습",
    "japanese": "日本語のメモ",
    "chinese": "中文笔记需要练习",
    "arabic": "ملاحظة",
    "private": f"odd {UNCOVERED} mark, twice {UNCOVERED}",
}


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, ["--today", TODAY, *args])


def _home(tmp_path: Path, notes: dict[str, str]) -> None:
    topics = list(load_rubric().topics)
    ratings = {t: 2 for t in topics}
    by_topic = dict(zip(topics, notes.values(), strict=False))
    answers = tmp_path / "a.yaml"
    answers.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self", "date": TODAY,
                                       "ratings": ratings, "notes": by_topic},
                                      allow_unicode=True), encoding="utf-8")
    for step in (run("init", "--no-input", "--name", "Zoë Ångström-Núñez",
                     "--interview-date", "2026-12-20"),
                 run("rate", "--answers", str(answers))):
        assert step.exit_code == 0, step.output


def _text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "".join(page.extract_text() or "" for page in reader.pages)


def test_every_character_is_drawn_or_named(tmp_path: Path) -> None:
    _home(tmp_path, NOTES)
    out = tmp_path / "r.pdf"
    result = run("report", "-o", str(out))
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("Warning")]
    assert warnings == [
        "Warning: no installed font has \ue000 (U+E000); install fonts-noto-core"
    ]
    text = _text(out)
    for expected in ["Zoë Ångström-Núñez", "need a mock 😬", "한국어 메모 연습", "日本語のメモ",
                     "中文笔记需要练习", "ملاحظة", f"odd {glyphs.REPLACEMENT} mark, twice "
                     f"{glyphs.REPLACEMENT}"]:
        assert expected in text, expected
    assert UNCOVERED not in text
    # Arabic copies as its letters, not as presentation forms
    assert not any(0xFB50 <= ord(c) <= 0xFDFF or 0xFE70 <= ord(c) <= 0xFEFE for c in text)
    assert notdef_references(out) == []


@pytest.mark.parametrize("variant", ["pdf/ua-1", "pdf/a-3b"])
def test_conformant_variants_hold_no_notdef(tmp_path: Path, variant: str) -> None:
    _home(tmp_path, NOTES)
    out = tmp_path / "r.pdf"
    result = run("report", "-o", str(out), "--pdf-variant", variant)
    assert result.exit_code == 0, result.output
    assert notdef_references(out) == []
    assert "😬" in _text(out)


def test_the_scan_finds_notdef_when_nothing_replaces_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The check above is real: without the replacement, the uncovered character is glyph 0."""
    _home(tmp_path, {"private": f"odd {UNCOVERED}"})
    monkeypatch.setattr(glyphs, "missing_characters", lambda texts, fonts: [])
    monkeypatch.setattr(glyphs, "notdef_characters", lambda warnings: [])
    out = tmp_path / "r.pdf"
    assert run("report", "-o", str(out)).exit_code == 0
    assert notdef_references(out) != []


def test_what_fontconfig_misses_weasyprint_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Should the font check miss a character, WeasyPrint's own .notdef warning catches it:
    the PDF is drawn again with the mark, and the character is still named once."""
    _home(tmp_path, {"private": f"odd {UNCOVERED}"})
    monkeypatch.setattr(glyphs, "missing_characters", lambda texts, fonts: [])
    out = tmp_path / "r.pdf"
    result = run("report", "-o", str(out))
    assert result.exit_code == 0
    assert [line for line in result.stderr.splitlines() if line.startswith("Warning")] == [
        "Warning: no installed font has \ue000 (U+E000); install fonts-noto-core"]
    assert notdef_references(out) == []


def test_cjk_notes_add_little_to_the_file(tmp_path: Path) -> None:
    """Fallback fonts are subset: a note in Chinese, Japanese and Korean adds under 200 kB."""
    plain, cjk = tmp_path / "plain", tmp_path / "cjk"
    sizes = []
    cjk_notes = {"a": "中文笔记需要练习", "b": "日本語のメモ", "c": "한국어 메모"}
    for folder, notes in ((plain, {"a": "plain latin note"}), (cjk, cjk_notes)):
        folder.mkdir()
        result = CliRunner().invoke(
            cli, ["--home", str(folder / "home"), "--today", TODAY, "init", "--no-input",
                  "--name", "Sam Lee", "--interview-date", "2026-12-20"])
        assert result.exit_code == 0
        answers = folder / "a.yaml"
        topics = list(load_rubric().topics)
        answers.write_text(yaml.safe_dump(
            {"rubric": "discord-mle", "rater": "self", "date": TODAY,
             "ratings": {t: 2 for t in topics},
             "notes": dict(zip(topics, notes.values(), strict=False))},
            allow_unicode=True), encoding="utf-8")
        for args in (["rate", "--answers", str(answers)],
                     ["report", "-o", str(folder / "r.pdf")]):
            result = CliRunner().invoke(cli, ["--home", str(folder / "home"), "--today",
                                              TODAY, *args])
            assert result.exit_code == 0, result.output
        sizes.append((folder / "r.pdf").stat().st_size)
    assert sizes[0] < 400_000
    assert sizes[1] - sizes[0] < 200_000
    # the compacted CJK fonts keep the output byte-identical from run to run
    again = CliRunner().invoke(cli, ["--home", str(cjk / "home"), "--today", TODAY, "report",
                                     "-o", str(cjk / "again.pdf")])
    assert again.exit_code == 0
    assert (cjk / "again.pdf").read_bytes() == (cjk / "r.pdf").read_bytes()


def test_package_names_for_each_script() -> None:
    assert glyphs.warning("😬") == (
        "Warning: no installed font has 😬 (U+1F62C); install fonts-noto-color-emoji")
    assert glyphs.package_for("한") == glyphs.package_for("日") == "fonts-noto-cjk"
    assert glyphs.package_for("ب") == glyphs.package_for("क") == "fonts-noto-core"
