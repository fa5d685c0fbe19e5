"""The STAR story bank's rules: the critique of one story, and coverage of the questions.

Pure functions of stories and a rubric; no store, no Click, no pydantic (the plan and the
report read stories on their fast path). A story is told in STAR form: Situation, Task,
Action, Result, with an optional ``metric`` (the number in the result), the rubric ``topics``
it fits and the behavioral ``questions`` it answers.

The critique (each rule gives a flag with a code and a plain message):

* ``vague-result``: the Result names neither a number nor a concrete outcome. A number is any
  digit, or a number word ("doubled", "half", "three"); a concrete outcome is a verb of
  change or delivery ("shipped", "launched", "cut", "reduced", "raised", "saved", ...).
* ``no-metric``: no number anywhere in the Metric or the Result. The guide asks for measurable
  impact on users or the business, so a story without one is flagged even when its outcome is
  concrete.
* ``short-action``: the Action is not the longest of the four parts (by words). Interviewers
  weigh what you did; Situation, Task and Result only frame it.
* ``not-first-person``: the Action never says "I" (or I'm, I've, I'd, my, me, myself): a story
  told only as "we" hides what you did.
* ``long-setup``: Situation plus Task run over ``SETUP_WORD_LIMIT`` words (about 30 seconds
  spoken). The message says how many words to trim.
* ``no-topic``: the story is tagged to no topic.
* ``stretched``: the story answers more than ``MAX_QUESTIONS_PER_STORY`` questions. One story
  stretched over every question leaves the interviewer hearing it twice; write another.

Coverage: every behavioral question of the rubric (a question of kind ``behavioral``, which
includes the recruiter screen's two-minute pitch ``rs-pitch-q1`` in discord-mle) should have at
least one story. A question with none is "uncovered"; the planner books a session to write one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from assess.core.textsafety import shown
from assess.rubric.model import Rubric

PARTS = ("situation", "task", "action", "result")
SETUP_WORD_LIMIT = 80  # Situation + Task: about 30 seconds spoken
MAX_QUESTIONS_PER_STORY = 3
MAX_TITLE_CHARS = 200
MAX_PART_CHARS = 5000  # one part of a story; a long one is about 800 words
MAX_METRIC_CHARS = 300
MAX_TAGS = 100  # topics or questions on one story
MAX_STORIES = 200  # in one file
MAX_STORIES_PER_HOME = 200  # a bank far bigger than a loop needs; the report stays quick
REHEARSAL_MINUTES = 3

_WORD = re.compile(r"[\w'’]+", re.UNICODE)
_FIRST_PERSON = frozenset({"i", "i'm", "i've", "i'd", "i'll", "my", "me", "myself",
                           "i’m", "i’ve", "i’d", "i’ll"})
_NUMBER_WORDS = frozenset({
    "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "twenty", "thirty", "forty", "fifty", "hundred", "hundreds", "thousand",
    "thousands", "million", "millions", "billion", "dozen", "dozens", "half", "halved",
    "double", "doubled", "tripled", "triple", "quadrupled", "tenfold", "percent",
})
_OUTCOME_WORDS = frozenset({
    "shipped", "launched", "released", "delivered", "deployed", "adopted", "cut", "reduced",
    "lowered", "raised", "increased", "improved", "grew", "saved", "eliminated", "removed",
    "fixed", "won", "promoted", "replaced", "rolled", "migrated", "retired", "prevented",
    "caught", "blocked", "closed", "hired", "decreased", "boosted", "recovered", "approved",
})


@dataclass(frozen=True)
class Story:
    """One STAR story. ``id`` is the local row id (0 before it is saved); ``uid`` is stable
    across machines (export and import)."""

    title: str
    situation: str
    task: str
    action: str
    result: str
    metric: str | None = None
    topics: tuple[str, ...] = ()
    questions: tuple[str, ...] = ()
    id: int = 0
    uid: str = ""

    def fields(self) -> dict[str, Any]:
        """The story as a file holds it (no ids): what `story add --from` and edit read."""
        return {
            "title": self.title,
            "situation": self.situation,
            "task": self.task,
            "action": self.action,
            "result": self.result,
            "metric": self.metric,
            "topics": list(self.topics),
            "questions": list(self.questions),
        }

    def content_key(self) -> tuple[Any, ...]:
        """What makes two stories the same story (adding the same file twice adds nothing)."""
        return (self.title, self.situation, self.task, self.action, self.result,
                self.metric or None, tuple(self.topics), tuple(self.questions))


@dataclass(frozen=True)
class Flag:
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "message": self.message}


@dataclass(frozen=True)
class Coverage:
    """Which stories answer each behavioral question, in rubric order."""

    questions: dict[str, tuple[int, ...]]  # question id -> story ids
    topics: dict[str, tuple[str, ...]]  # topic id -> its behavioral question ids
    uncovered: tuple[str, ...]  # question ids with no story
    stretched: tuple[int, ...] = field(default=())  # story ids used for too many questions


def words(text: str) -> list[str]:
    return _WORD.findall(text or "")


def _has_number(text: str) -> bool:
    return any(c.isdigit() for c in text) or any(
        w.lower() in _NUMBER_WORDS for w in words(text))


def _has_outcome(text: str) -> bool:
    return any(w.lower() in _OUTCOME_WORDS for w in words(text))


def critique(story: Story) -> list[Flag]:
    """The flags of one story, in the order of the rules above (empty: a well-told story)."""
    flags: list[Flag] = []
    result = story.result or ""
    metric = story.metric or ""
    if not (_has_number(result) or _has_number(metric) or _has_outcome(result)):
        flags.append(Flag("vague-result", "the Result names no number or concrete outcome: "
                          "say what changed (shipped, cut, raised) and by how much"))
    if not (_has_number(result) or _has_number(metric)):
        flags.append(Flag("no-metric", "no measured result: add the number "
                          "(e.g. \"cut false positives 30%\")"))
    counts = {part: len(words(getattr(story, part))) for part in PARTS}
    if any(counts["action"] <= counts[p] for p in PARTS if p != "action"):
        longest = max((p for p in PARTS if p != "action"), key=lambda p: counts[p])
        flags.append(Flag("short-action", f"the Action ({counts['action']} words) is not the "
                          f"longest part ({longest.capitalize()}: {counts[longest]} words): "
                          "say more of what you did"))
    if not any(w.lower() in _FIRST_PERSON for w in words(story.action)):
        flags.append(Flag("not-first-person", "the Action never says \"I\": tell what you "
                          "did, not only what \"we\" did"))
    setup = counts["situation"] + counts["task"]
    if setup > SETUP_WORD_LIMIT:
        flags.append(Flag("long-setup", f"Situation and Task are {setup} words: trim "
                          f"{setup - SETUP_WORD_LIMIT} to keep them under {SETUP_WORD_LIMIT} "
                          "(about 30 seconds)"))
    if not story.topics:
        flags.append(Flag("no-topic", "tagged to no topic: add the topics it fits"))
    answered = len(set(story.questions))  # a question listed twice is answered once
    if answered > MAX_QUESTIONS_PER_STORY:
        flags.append(Flag("stretched", f"used for {answered} questions (at most "
                          f"{MAX_QUESTIONS_PER_STORY}): write another story for some of them"))
    return flags


def behavioral_questions(rubric: Rubric) -> dict[str, tuple[str, str]]:
    """Question id -> (topic id, question text) for every behavioral question, rubric order."""
    return {
        q.id: (t.id, q.text)
        for t in rubric.topics.values() for q in t.questions if q.kind == "behavioral"
    }


def coverage(rubric: Rubric, stories: Iterable[Story]) -> Coverage:
    """Every behavioral question with the ids of the stories that answer it."""
    stories = list(stories)
    wanted = behavioral_questions(rubric)
    questions: dict[str, tuple[int, ...]] = {
        qid: tuple(s.id for s in stories if qid in s.questions) for qid in wanted
    }
    topics: dict[str, tuple[str, ...]] = {}
    for qid, (tid, _text) in wanted.items():
        topics[tid] = (*topics.get(tid, ()), qid)
    return Coverage(
        questions=questions,
        topics=topics,
        uncovered=tuple(q for q, ids in questions.items() if not ids),
        stretched=tuple(s.id for s in stories
                        if len(set(s.questions)) > MAX_QUESTIONS_PER_STORY),
    )


def stories_by_question(stories: Iterable[Story]) -> dict[str, tuple[Story, ...]]:
    """Question id -> the stories answering it (in the order given)."""
    out: dict[str, tuple[Story, ...]] = {}
    for s in stories:
        for qid in s.questions:
            out[qid] = (*out.get(qid, ()), s)
    return out


def story_json(story: Story) -> dict[str, Any]:
    """One story for `story list --json` and the report: its fields, ids and flags."""
    return {"id": story.id, "uid": story.uid, **story.fields(),
            "flags": [f.to_json() for f in critique(story)]}


def check_tags(rubric: Rubric, topics: Sequence[str], questions: Sequence[str]) -> str | None:
    """The first problem with a story's tags against a rubric, as ``field: message``."""
    for i, tid in enumerate(topics):
        if tid not in rubric.topics:
            return f"topics.{i}: unknown topic {shown(tid)} in rubric {rubric.meta.id}"
    wanted = behavioral_questions(rubric)
    for i, qid in enumerate(questions):
        if qid not in wanted:
            known = ", ".join(wanted)
            return (f"questions.{i}: {shown(qid)} is not a behavioral question of rubric "
                    f"{rubric.meta.id} (known: {known})")
    return None


def summary_counts(stories: Sequence[Story], cover: Coverage) -> Mapping[str, int]:
    return {"stories": len(stories), "questions": len(cover.questions),
            "uncovered": len(cover.uncovered)}
