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
    # by hand, target 4 and 3 for the advanced topics (one level lower). System design today:
    # plan 3,2,3,1,3 + advanced 1 -> (3 x 2/3 + 1/3) / 5.5 = 42%; self 3,3,3,3,3 + 1 ->
    # (5 x 2/3) / 5.5 = 61%; a week ago 2,2,3,2,2 + 1 -> 2 / 5.5 = 36% (advanced at 1 is 0 either
    # way). Applied ML today 3,4,4,3 + advanced 2 (half way to 3, weight 0.5):
    # (2/3 + 1 + 1 + 2/3 + 0.5 x 1/2) / 4.5 = 80%; a week ago 3,4,4,2 + 1 -> 3 / 4.5 = 67%
    assert "- ML System Design: **42%** (self-rated 61%, was 36%)\n" in text
    assert "- Applied ML and Theory: **80%** (self-rated 80%, was 67%)\n" in text
    # overall (weights 0.03, 0.07, 0.4, 0.22, 0.18, 0.1): 11 Nov 0.459, 18 Nov 0.533, today
    # 0.709; the mentor point takes the mentor's ratings where given (am-nlp 4, bh-failure 3,
    # sd-serving-latency 2, ...): 0.653
    assert (
        "Trend: Wed 11 Nov 46% → Wed 18 Nov 53% → Wed 25 Nov 71% → Wed 25 Nov 65% (mentor)"
    ) in text
