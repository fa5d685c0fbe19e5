"""Sessions: the unit the planner places, how long each kind lasts, and which question a mock
uses.

- a practice or mock session lasts at least its question's minutes plus 15 minutes of
  write-up, rounded up to 0.5 h; a mock adds a debrief (``MOCK_EXTRA_MINUTES``) to a full
  interview slot (``MOCK_MINUTES``), so a 45-minute design mock is a 1.5 h session;
- a mock takes a question of the round's highest-priority topic (weighted gap), one not used
  before, leaving the topic one for practice when it can.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from assess.evidence.scoring import Scores
from assess.plan.model import Activity
from assess.rubric.model import Question, Round, Rubric, Topic

WRITE_UP_MINUTES = 15  # every practice question ends with a written self-review
MOCK_MINUTES = 45  # a mock is at least a full interview slot
MOCK_EXTRA_MINUTES = 30  # write-up plus a debrief with whoever ran the mock
STUDY_CHUNK = 2  # study sessions are at most 1 h, so a week mixes topics
STUDY_SHARE = 0.4  # of a topic's blocks, the part spent studying before practice


def practice_blocks(question: Question) -> int:
    """A practice session: the question's minutes plus the write-up, rounded up to 0.5 h."""
    return max(1, math.ceil((question.minutes + WRITE_UP_MINUTES) / 30))


def mock_blocks(question: Question) -> int:
    """A mock session: a full interview slot (or the question, if longer) plus the debrief."""
    return max(1, math.ceil((max(question.minutes, MOCK_MINUTES) + MOCK_EXTRA_MINUTES) / 30))


@dataclass(frozen=True)
class Unit:
    round: str
    topic: str
    title: str
    activity: Activity
    blocks: int
    question: str | None = None
    question_id: str | None = None
    detail: str = ""
    pin: str = ""  # mocks: "baseline" | "screen" | "final"; "light" for the light review
    whole: bool = False  # a timed drill: never split below its time box
    not_before: dt.date | None = None  # a spaced re-attempt waits for its due date
    not_after: dt.date | None = None  # a check of a rating jump comes before this day

    @property
    def fixed(self) -> bool:
        """A question session (or a timed drill) is never split or shortened."""
        return self.question_id is not None or self.whole


def _short(text: str, limit: int = 110) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def questions_of(rubric: Rubric, topic: Topic) -> list[tuple[str, Question]]:
    return [(rubric.question_id(topic.id, i), q) for i, q in enumerate(topic.questions)]


def pick_mock_question(
    rubric: Rubric, rnd: Round, scores: Scores, used: set[str]
) -> tuple[Topic, str, Question] | None:
    """A question for a mock: from the highest-priority topic that keeps one for practice."""
    ranked = sorted(
        rnd.topics,
        key=lambda t: (-scores.topics[t.id].gap_norm * scores.topics[t.id].weight,
                       rnd.topics.index(t)),
    )
    for need_spare in (True, False):
        for topic in ranked:
            free = [(qid, q) for qid, q in questions_of(rubric, topic) if qid not in used]
            if free and (len(free) >= 2 or not need_spare):
                qid, q = free[-1]
                return topic, qid, q
    return None


def mock_unit(rnd: Round, topic: Topic, qid: str, q: Question, pin: str) -> Unit:
    what = {"baseline": "Baseline mock", "screen": "Mock screen", "final": "Final mock",
            "weekly": "Weekly mock"}[pin]
    return Unit(
        round=rnd.id, topic=topic.id, title=topic.title, activity="mock",
        blocks=mock_blocks(q), question=q.text, question_id=qid, pin=pin,
        detail=f"{what}: timed, with someone playing the interviewer if you can; debrief "
        "against the round's criteria.",
    )


# ----- one round's units, week by week ----------------------------------------------------------
