"""Sessions: what each round does with its blocks in each week, and on which day.

Pure functions; the rules are described at the top of ``assess.plan.planner``. In short:

- a topic with a gap is worked in two passes: *study, then practice* (its first question), and
  in a later week *re-practice* (another question) or a *review* that names the question to
  redo; a topic at its target gets practice or a named review only;
- a practice or mock session lasts at least its question's minutes plus 15 minutes of
  write-up, rounded up to 0.5 h; a mock adds a debrief (``MOCK_EXTRA_MINUTES``) to a full
  interview slot (``MOCK_MINUTES``), so a 45-minute design mock is a 1.5 h session;
- mocks are pinned: a baseline early in week 1, a screen mock on the last full day before its
  screen, final mocks on distinct days from 7 to 2 days before the onsite;
- the day before a stage holds at most a 0.5 h light review, and a stage's own day nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

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


@dataclass(frozen=True)
class Mock:
    round: str
    week: int
    pin: str
    unit: Unit


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


def _topic_passes(
    rubric: Rubric, rnd: Round, topic: Topic, scores: Scores, blocks: int, used: set[str]
) -> tuple[list[Unit], list[Unit]]:
    """(first pass, second pass) units for one topic's blocks."""
    sc = scores.topics[topic.id]
    free = [(qid, q) for qid, q in questions_of(rubric, topic) if qid not in used]
    covers = _short(topic.covers)
    base = {"round": rnd.id, "topic": topic.id, "title": topic.title}
    first: list[Unit] = []
    second: list[Unit] = []
    if blocks <= 0:
        return first, second
    story = all(q.kind == "behavioral" for q in topic.questions) if topic.questions else False
    practice_word: Activity = "story" if story else "practice"
    study_word: Activity = "story" if story else "study"
    if sc.gap <= 0:
        # at target: keep it sharp with a question, else a named review
        left = blocks
        for qid, q in free:
            if practice_blocks(q) <= left:
                first.append(Unit(**base, activity=practice_word, blocks=practice_blocks(q),
                                  question=q.text, question_id=qid,
                                  detail="Keep it sharp: timed, then check the write-up."))
                used.add(qid)
                left -= practice_blocks(q)
        if left:
            first.append(Unit(**base, activity="review", blocks=left, detail=f"Go over: {covers}"))
        return first, second
    study = max(1, math.ceil(blocks * STUDY_SHARE))
    left = blocks - study
    practised: list[Question] = []
    turn = 0
    for qid, q in free:
        size = practice_blocks(q)
        if size > left:
            continue
        unit = Unit(**base, activity=practice_word, blocks=size, question=q.text,
                    question_id=qid, detail="Timed; then write up what you missed.")
        if turn % 2 == 0:
            first.append(unit)
            practised.append(q)
        else:
            second.append(replace(unit, detail="Second attempt, a week after the first: "
                                  "timed, no notes; compare with your first write-up."))
        used.add(qid)
        left -= size
        turn += 1
    if not second and left == 0 and study > 1 and blocks >= 3:
        study -= 1
        left += 1
    if not second and left > 0:
        redo = f"Redo without notes: {_short(practised[0].text)}" if practised else (
            f"Go over: {covers}")
        second.append(Unit(**base, activity="review", blocks=1, detail=redo))
        left -= 1
    study += left
    drills = bool(topic.questions) and all(q.kind == "coding" for q in topic.questions)
    if drills and study >= 3 and not story:
        # coding is learnt by solving: one refresher block, then timed drills of 1 h
        study_units = [Unit(**base, activity="study", blocks=1 + (study - 1) % 2, detail=covers)]
        study_units += [
            Unit(**base, activity="practice", blocks=2, whole=True,
                 detail="Timed drill: a fresh Medium problem on this topic in 35 minutes, out "
                 "loud, stating complexity; then write up what you missed.")
            for _ in range((study - 1) // 2)
        ]
    else:
        study_units = [
            Unit(**base, activity=study_word, blocks=size,
                 detail=("Draft a STAR story and say it out loud: " if story else "") + covers)
            for size in _chunks(study, STUDY_CHUNK)
        ]
    if drills and study >= 3:
        return [study_units[0], *first, *study_units[1:]], second
    return [*study_units, *first], second


def _chunks(total: int, size: int) -> list[int]:
    out = []
    while total > 0:
        out.append(min(size, total))
        total -= out[-1]
    return out


def round_weeks(
    rubric: Rubric,
    rnd: Round,
    scores: Scores,
    budgets: Sequence[int],
    topic_blocks: Mapping[str, int],
    mocks: Sequence[Mock],
    used: set[str],
) -> list[list[Unit]]:
    """A round's units in each week, filling each week's budget exactly."""
    n = len(budgets)
    weeks: list[list[Unit]] = [[] for _ in range(n)]
    room = list(budgets)
    for mock in mocks:
        weeks[mock.week].append(mock.unit)
        room[mock.week] -= mock.unit.blocks
    ranked = sorted(
        rnd.topics,
        key=lambda t: (-scores.topics[t.id].gap_norm * scores.topics[t.id].weight,
                       rnd.topics.index(t)),
    )
    firsts: deque[tuple[str, Unit]] = deque()
    seconds: dict[str, list[Unit]] = {}
    for topic in ranked:
        first, second = _topic_passes(rubric, rnd, topic, scores, topic_blocks[topic.id], used)
        firsts.extend((topic.id, u) for u in first)
        seconds[topic.id] = second
    done_week: dict[str, int] = {}
    due: deque[Unit] = deque()
    last_week = max((w for w in range(n) if room[w] > 0), default=n - 1)
    fill_topics = [t for t in ranked]
    for w in range(n):
        for tid in list(seconds):
            if tid in done_week and done_week[tid] < w and seconds[tid]:
                due.extend(seconds.pop(tid))
        started = {u.topic for ws in weeks[:w] for u in ws}
        unstarted = {tid for tid, _ in firsts if tid not in started}
        # a topic opened next week could only come back in the weeks after that one
        if w < last_week and (w == last_week - 1 or len(unstarted) > sum(room[w + 2:])):
            # time is running out for a second visit: every topic not started yet opens now,
            # so it can come back in a later week
            openers: dict[str, tuple[str, Unit]] = {}
            for item in firsts:
                if item[0] not in started and item[0] not in openers:
                    openers[item[0]] = item
            rest = [item for item in firsts if all(item is not o for o in openers.values())]
            firsts = deque([*openers.values(), *rest])
        placed = weeks[w]
        # second passes of topics the week does not already touch (a mock) come first
        # and among those, topics seen in fewer than two weeks so far
        here = {u.topic for u in placed}
        seen = {t: len({v for v in range(w) for u in weeks[v] if u.topic == t})
                for t in {u.topic for u in due}}
        due = deque(sorted(due, key=lambda u: (u.topic in here, seen[u.topic] >= 2)))
        if w == last_week:
            # the last chance for a second visit: when the week cannot hold every topic's
            # question, those that still need one get a short review of it instead
            needy = [u for u in due if u.topic not in here and seen[u.topic] < 2]
            if sum(u.blocks for u in needy) > room[w]:
                due = deque(_as_review(u) if u in needy and u.fixed else u for u in due)
        while room[w] > 0 and (due or firsts):
            source: deque = due if due else firsts
            item = source[0]
            unit = item if isinstance(item, Unit) else item[1]
            if unit.blocks <= room[w]:
                source.popleft()
                placed.append(unit)
                room[w] -= unit.blocks
                if source is firsts:
                    _finish_first(item[0], firsts, done_week, w)
                continue
            if not unit.fixed:
                placed.append(replace(unit, blocks=room[w]))
                source[0] = (item[0], replace(unit, blocks=unit.blocks - room[w])) \
                    if source is firsts else replace(unit, blocks=unit.blocks - room[w])
                room[w] = 0
                continue
            filler = _divisible(firsts, due)
            if filler is None:
                break
            src, idx = filler
            other = src[idx]
            ounit = other if isinstance(other, Unit) else other[1]
            take = min(room[w], ounit.blocks)
            placed.append(replace(ounit, blocks=take))
            room[w] -= take
            if take == ounit.blocks:
                del src[idx]
                if src is firsts:
                    _finish_first(other[0], firsts, done_week, w)
            else:
                rest = replace(ounit, blocks=ounit.blocks - take)
                src[idx] = (other[0], rest) if src is firsts else rest
        if room[w] > 0 and w == last_week:
            # the round's last week: whatever is left of its topics' work, questions that
            # cannot fit becoming a review of their topic
            rest = [*due, *(u for _, u in firsts),
                    *(u for tid in list(seconds) for u in seconds.pop(tid))]
            due.clear()
            firsts.clear()
            here = {u.topic for u in placed}
            seen = {t: len({v for v in range(w) for u in weeks[v] if u.topic == t})
                    for t in {u.topic for u in rest}}
            # topics the week does not touch yet, then those seen in fewer than two weeks
            rest.sort(key=lambda u: (u.topic in here, seen[u.topic] >= 2))
            for unit in rest:
                if room[w] <= 0:
                    break
                if unit.fixed and unit.blocks > room[w] and unit.topic not in here:
                    # no time left for the question itself: go back over the topic instead
                    unit = _as_review(unit, room[w])
                if done_week.get(unit.topic, w) >= w and unit.activity == "review":
                    # a redo in the same week as the practice is no spaced redo
                    unit = replace(unit, detail=unit.detail.replace(
                        "Redo without notes: ", "Close the gaps from your write-up of: "))
                if unit.blocks <= room[w]:
                    placed.append(unit)
                    room[w] -= unit.blocks
                elif not unit.fixed:
                    placed.append(replace(unit, blocks=room[w]))
                    room[w] = 0
        if room[w] > 0:
            # hours stay with the topics they were given to: a review of a topic whose work
            # is still waiting takes those hours out of what it waits for
            owed = _owed(firsts, due)
            practised = {u.topic: u.question for ws in weeks[:w] for u in ws
                         if u.question and u.round == rnd.id}
            order = sorted(fill_topics, key=lambda t: (-owed.get(t.id, 0), ranked.index(t)))
            reviews = _keep_sharp(rnd, order, room[w], 0 if owed else w, practised)
            for unit in reviews:
                _take_owed(unit.topic, unit.blocks, firsts, due)
            placed.extend(reviews)
            room[w] = 0
    return weeks


def _as_review(unit: Unit, blocks: int = 1) -> Unit:
    """A question (or drill) session turned into a short review of it (0.5 h by default)."""
    what = (f"Go over your write-ups and sketch an answer to: {_short(unit.question)}"
            if unit.question else "Go over your drill write-ups and redo one problem from memory.")
    return replace(unit, activity="review", question=None, question_id=None, whole=False,
                   blocks=blocks, detail=what)


def _takeable(unit: Unit) -> bool:
    """Work whose hours a review of its topic can stand in for: anything but a question."""
    return unit.question_id is None


def _owed(firsts: deque, due: deque) -> dict[str, int]:
    """Blocks of work each topic still waits for, questions aside (second passes not yet due
    keep theirs for a later week)."""
    out: dict[str, int] = {}
    for unit in [*(u for _, u in firsts), *due]:
        if _takeable(unit):
            out[unit.topic] = out.get(unit.topic, 0) + unit.blocks
    return out


def _shrunk(unit: Unit, take: int) -> Unit:
    rest = replace(unit, blocks=unit.blocks - take)
    if unit.whole:  # a drill cut short is no timed drill: what is left is a review
        rest = replace(rest, whole=False, activity="review",
                       detail="Go over your drill write-ups and redo one problem from memory.")
    return rest


def _take_owed(topic: str, blocks: int, firsts: deque, due: deque) -> None:
    """Remove up to ``blocks`` of a topic's waiting work (questions aside), latest first."""
    for i in range(len(due) - 1, -1, -1):
        unit = due[i]
        if blocks > 0 and unit.topic == topic and _takeable(unit):
            take = min(blocks, unit.blocks)
            blocks -= take
            if take == unit.blocks:
                del due[i]
            else:
                due[i] = _shrunk(unit, take)
    for i in range(len(firsts) - 1, -1, -1):
        tid, unit = firsts[i]
        if blocks > 0 and tid == topic and _takeable(unit):
            take = min(blocks, unit.blocks)
            blocks -= take
            if take == unit.blocks:
                del firsts[i]
            else:
                firsts[i] = (tid, _shrunk(unit, take))


def _finish_first(tid: str, firsts: deque, done_week: dict[str, int], w: int) -> None:
    if not any(t == tid for t, _ in firsts):
        done_week[tid] = w


def _divisible(firsts: deque, due: deque) -> tuple[deque, int] | None:
    for src in (due, firsts):
        for i, item in enumerate(src):
            unit = item if isinstance(item, Unit) else item[1]
            if not unit.fixed:
                return src, i
    return None


def _keep_sharp(
    rnd: Round, topics: Sequence[Topic], blocks: int, week: int, practised: Mapping[str, str]
) -> list[Unit]:
    """Blocks a round has left in a week once its topics' work is placed: named reviews."""
    if not topics:
        return []
    out = []
    order = list(topics)
    start = week % len(order)
    for i, size in enumerate(_chunks(blocks, STUDY_CHUNK)):
        topic = order[(start + i) % len(order)]
        done = practised.get(topic.id)
        detail = (f"Redo without notes: {_short(done)}" if done
                  else f"Go over: {_short(topic.covers)}")
        out.append(Unit(round=rnd.id, topic=topic.id, title=topic.title, activity="review",
                        blocks=size, detail=detail))
    return out
