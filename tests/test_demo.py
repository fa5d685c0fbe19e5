"""`assess demo`: the sample report, and how it reads once a mentor has rated."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from assess.cli import cli


def test_demo_markdown_separates_self_and_plan_readiness(
    assess_home: Path, tmp_path: Path
) -> None:
    out = tmp_path / "demo.md"
    result = CliRunner().invoke(cli, ["--today", "2026-11-25", "demo", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Sample report: {out}\n"
    assert not assess_home.exists()
    text = out.read_text()
    # the plan uses the mentor's lower ratings on three system-design and behavioral topics,
    # so those rounds read lower than the self-ratings, and the text says both
    assert "- ML System Design: **42%** (self-rated 61%, was 36%)\n" in text
    assert "- Applied ML and Theory: **78%** (self-rated 78%, was 67%)\n" in text
    assert (
        "Trend: Wed 11 Nov 45% → Wed 18 Nov 53% → Wed 25 Nov 70% → Wed 25 Nov 64% (mentor)"
    ) in text
