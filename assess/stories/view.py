"""The story bank in the terminal: the prompts of `story add`, and the text of `story list`,
`story show` and `story coverage`. Plain functions over ``ask``/``say`` callables and strings;
the CLI escapes what it prints.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from assess.core.textsafety import check_text
from assess.errors import InputError
from assess.rubric.model import Rubric
from assess.stories.star import (
    MAX_METRIC_CHARS,
    MAX_PART_CHARS,
    MAX_TITLE_CHARS,
    Coverage,
    Story,
    behavioral_questions,
    critique,
)

Ask = Callable[[str, "str | None"], str]
Say = Callable[[str], None]

_PROMPTS = (
    ("title", "Title (a few words you will recognise)", MAX_TITLE_CHARS),
    ("situation", "Situation: where and when, in a sentence or two", MAX_PART_CHARS),
    ("task", "Task: what you had to achieve", MAX_PART_CHARS),
    ("action", "Action: what you did, step by step, said with \"I\"", MAX_PART_CHARS),
    ("result", "Result: what changed, with a number if you have one", MAX_PART_CHARS),
)


def story_topics(rubric: Rubric) -> list[tuple[str, str]]:
    """(topic id, title) of the topics holding behavioral questions, in rubric order."""
    seen: dict[str, str] = {}
    for _qid, (tid, _text) in behavioral_questions(rubric).items():
        seen.setdefault(tid, rubric.topics[tid].title)
    return list(seen.items())


def _short(text: str, width: int = 70) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def _pick(answer: str, choices: Sequence[str], what: str) -> list[str]:
    """Numbers (or ids) separated by commas or spaces -> the chosen ids, in order."""
    out: list[str] = []
    for part in answer.replace(",", " ").split():
        if part.isdigit() and 1 <= int(part) <= len(choices):
            chosen = choices[int(part) - 1]
        elif part in choices:
            chosen = part
        else:
            raise InputError(f"{_short(part, 20)!r} is not one of the {what} (1-{len(choices)})")
        if chosen not in out:
            out.append(chosen)
    return out


def ask_story(rubric: Rubric, ask: Ask, say: Say) -> Story:
    """Ask for a story, part by part; a refused answer is asked again."""
    values: dict[str, Any] = {}
    say("A STAR story: keep Situation and Task short; spend your words on the Action.")
    for key, prompt, limit in _PROMPTS:
        while True:
            answer = ask(prompt, None).strip()
            try:
                check_text(answer, key, max_chars=limit)
            except InputError as exc:
                say(str(exc))
                continue
            if answer:
                values[key] = answer
                break
            say(f"{key}: required; a sentence or two is enough.")
    while True:
        metric = ask("Metric in the result (e.g. \"cut false positives 30%\"; Enter for none)",
                     None).strip()
        try:
            check_text(metric, "metric", max_chars=MAX_METRIC_CHARS)
            break
        except InputError as exc:
            say(str(exc))
    topics = story_topics(rubric)
    say("Topics:")
    for i, (tid, title) in enumerate(topics, 1):
        say(f"  {i}. {title} ({tid})")
    picked_topics = _ask_numbers(ask, say, "Topics it fits (numbers, e.g. 1,3)",
                                 [t for t, _ in topics], "topics", required=True)
    questions = behavioral_questions(rubric)
    say("Questions:")
    for i, (qid, (_tid, text)) in enumerate(questions.items(), 1):
        say(f"  {i}. {_short(text)} ({qid})")
    picked_questions = _ask_numbers(ask, say, "Questions it answers (numbers; Enter for none)",
                                    list(questions), "questions", required=False)
    return Story(title=values["title"], situation=values["situation"], task=values["task"],
                 action=values["action"], result=values["result"], metric=metric or None,
                 topics=tuple(picked_topics), questions=tuple(picked_questions))


def _ask_numbers(ask: Ask, say: Say, prompt: str, choices: list[str], what: str,
                 required: bool) -> list[str]:
    while True:
        answer = ask(prompt, None)
        try:
            picked = _pick(answer, choices, what)
        except InputError as exc:
            say(str(exc))
            continue
        if picked or not required:
            return picked
        say(f"{what}: pick at least one by its number.")


# ----- printing -------------------------------------------------------------------------------


def list_lines(stories: Sequence[Story]) -> list[str]:
    """One line per story (id, title, questions), then its flags indented."""
    if not stories:
        return ["No stories yet. Add one with `assess story add` (or --from FILE)."]
    lines = []
    for s in stories:
        tags = ", ".join(s.questions) if s.questions else "no question"
        lines.append(f"{s.id:>3}  {_short(s.title, 50)}  [{tags}]")
        flags = critique(s)
        if not flags:
            lines.append("     ok: well told")
        for f in flags:
            lines.append(f"     ! {f.code}: {f.message}")
    return lines


def show_text(story: Story, rubric: Rubric) -> str:
    questions = behavioral_questions(rubric)
    lines = [f"Story {story.id}: {story.title}", ""]
    for key in ("situation", "task", "action", "result"):
        lines.append(f"{key.capitalize()}:")
        lines.extend(f"  {line}" for line in getattr(story, key).splitlines() or [""])
    lines.append(f"Metric: {story.metric or '(none)'}")
    topics = [f"{rubric.topics[t].title} ({t})" if t in rubric.topics else t
              for t in story.topics]
    lines.append(f"Topics: {', '.join(topics) or '(none)'}")
    lines.append("Questions:" if story.questions else "Questions: (none)")
    for qid in story.questions:
        text = questions[qid][1] if qid in questions else "(not in this rubric)"
        lines.append(f"  {qid}: {_short(text)}")
    flags = critique(story)
    lines.append("Flags:" if flags else "Flags: none, well told")
    lines.extend(f"  ! {f.code}: {f.message}" for f in flags)
    return "\n".join(lines)


def coverage_lines(rubric: Rubric, stories: Sequence[Story], cover: Coverage) -> list[str]:
    """A grid: one row per behavioral question (grouped by topic), one column per story."""
    ids = [s.id for s in stories]
    width = max(len(q) for q in cover.questions) if cover.questions else 10
    head = " " * (width + 2) + "".join(f"{'#' + str(i):>5}" for i in ids)
    lines = [head.rstrip()]
    for tid, qids in cover.topics.items():
        lines.append(f"{rubric.topics[tid].title} ({tid})")
        for qid in qids:
            marks = "".join(f"{'x' if i in cover.questions[qid] else '.':>5}" for i in ids)
            status = "" if cover.questions[qid] else "   no story yet"
            lines.append(f"  {qid:<{width}}{marks}{status}")
    total = len(cover.questions)
    if cover.uncovered:
        lines.append(f"Uncovered: {len(cover.uncovered)} of {total} questions "
                     f"({', '.join(cover.uncovered)}); add a story with `assess story add`.")
    else:
        lines.append(f"Every one of the {total} behavioral questions has a story.")
    by_id = {s.id: s for s in stories}
    for sid in cover.stretched:
        lines.append(f"Stretched: story {sid} answers {len(by_id[sid].questions)} questions "
                     "(at most 3); write another story for some of them.")
    return lines
