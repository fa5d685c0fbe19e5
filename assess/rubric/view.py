"""Plain-text views of rubrics for the terminal (no Click, no colour decisions)."""

from __future__ import annotations

import textwrap
from typing import Any

from assess.errors import RubricError
from assess.rubric.model import Rubric, bundled_rubric_paths, load_rubric_file


def rubric_list_rows() -> list[dict[str, Any]]:
    """One row per bundled rubric: id, title, version, topic count, path, and any error."""
    rows: list[dict[str, Any]] = []
    for rubric_id, path in bundled_rubric_paths().items():
        try:
            model = load_rubric_file(path)
        except RubricError as exc:
            rows.append(
                {"id": rubric_id, "title": f"INVALID: {exc}", "version": "?", "topics": 0,
                 "path": str(path)}
            )
            continue
        rows.append(
            {
                "id": model.meta.id,
                "title": model.meta.title,
                "version": model.meta.version,
                "topics": len(model.topics),
                "path": str(path),
            }
        )
    return rows


def _wrap(text: str, indent: str, width: int = 96, hang: str = "") -> str:
    return textwrap.fill(
        text, width=width, initial_indent=indent, subsequent_indent=indent + hang,
        break_on_hyphens=False,
    )


def rubric_outline(rubric: Rubric, checklists: bool = False) -> str:
    """A readable outline: scale, criteria, rounds with weights, topics and questions (each with
    its id, for ``practice --question``), tips; with ``checklists``, every question's points."""
    out: list[str] = [
        f"{rubric.meta.title}  ({rubric.meta.id} v{rubric.meta.version})",
        f"{rubric.meta.role} at {rubric.meta.company}. Source: {rubric.meta.source}",
        "",
        "Scale:",
    ]
    out += [f"  {lvl.level} {lvl.label}: {lvl.descriptor}" for lvl in rubric.scale]
    out += ["", "Criteria:"]
    for crit in rubric.criteria:
        out.append(f"  {crit.id}  {crit.title}")
        out.append(_wrap(crit.looks_for, "      "))
    tl = rubric.timeline
    out += ["", f"Timeline: {tl.min_weeks}-{tl.max_weeks} weeks"]
    out += [f"  {stage.title}: {stage.when}" for stage in tl.stages]
    for round_ in rubric.rounds:
        floor = f", at least {round_.min_share:.0%}" if round_.min_share else ""
        head = f"{round_.title} [{round_.id}] ({round_.stage}, weight {round_.weight:.0%}{floor})"
        out += ["", head]
        for topic in round_.topics:
            tag = " (advanced)" if topic.depth == "advanced" else ""
            out.append(f"  - {topic.id}: {topic.title}{tag}")
            for q in topic.questions:
                points = f", {len(q.checklist)}-point checklist" if q.checklist else ""
                out.append(f"      {q.id} [{q.kind}, {q.minutes} min{points}]")
                out.append(_wrap(q.text, "        "))
                if checklists:
                    out += [
                        _wrap(f"{n:>2}. {point}", "          ", hang="    ")
                        for n, point in enumerate(q.checklist, start=1)
                    ]
    if rubric.tips:
        out += ["", "Tips:"]
        out += [_wrap(f"{tip.title}: {tip.text}", "  ") for tip in rubric.tips]
    return "\n".join(out)
