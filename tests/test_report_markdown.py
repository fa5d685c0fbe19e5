"""Markdown lists stay as written in CommonMark and GFM renderers (markdown-it-py)."""

from __future__ import annotations

from typing import Any

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token
from test_report_sample import sample_context

from assess.report.render import render


def _parser(preset: str) -> MarkdownIt:
    md = MarkdownIt(preset)
    return md.disable("linkify") if preset == "gfm-like" else md


def _section(tokens: list[Token], title: str) -> list[Token]:
    """The tokens under the level-2 heading ``title``, up to the next level-2 heading."""
    out: list[Token] = []
    inside = False
    for i, token in enumerate(tokens):
        if token.type == "heading_open" and token.tag == "h2":
            inside = tokens[i + 1].content.startswith(title)
            continue
        if inside:
            out.append(token)
    return out


@pytest.fixture(scope="module")
def markdown() -> str:
    return render(sample_context(), "md").decode()


@pytest.mark.parametrize("preset", ["commonmark", "gfm-like"])
def test_time_split_keeps_its_lists_apart(markdown: str, preset: str) -> None:
    tokens = _section(_parser(preset).parse(markdown), "Time split")
    lists = [t for t in tokens if t.type == "bullet_list_open"]
    assert len(lists) == 3  # the guidance, the rounds, and the timeline by week
    items = [t for t in tokens if t.type == "list_item_open"]
    ctx: dict[str, Any] = sample_context()
    assert len(items) == 3 + len(ctx["allocation"]["rounds"]) + len(ctx["timeline"]["rows"])


@pytest.mark.parametrize("preset", ["commonmark", "gfm-like"])
def test_no_list_is_loose(markdown: str, preset: str) -> None:
    """A loose list (items as paragraphs) is the sign of two lists run together."""
    tokens = _parser(preset).parse(markdown)
    depth = 0
    for token in tokens:
        if token.type in ("bullet_list_open", "ordered_list_open"):
            depth += 1
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            depth -= 1
        elif token.type == "paragraph_open" and depth:
            assert token.hidden, f"loose list at line {token.map}"
