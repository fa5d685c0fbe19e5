"""Story sessions from the story bank: write the missing stories, rehearse the written ones.

Applied to the finished weeks, after every session has its day; it changes what a "story"
session asks you to do, never its length, day or round (so the week's hours and the
40% habit are untouched):

* a behavioral topic with a question that no story answers: its first story session (by
  date) becomes "Write a story for <question>", one session per uncovered question while
  there are sessions;
* an uncovered question whose topic has no story session left borrows one that would only
  have been a rehearsal, from the same round's topic with the most (so the round's hours and
  deadlines stay as planned);
* every other story session of a behavioral topic becomes a timed rehearsal of one of the
  topic's stories, told out loud in about 3 minutes (the stories take turns).

Writing sessions get the kind "write", rehearsals "rehearsal" (the views show their
instructions). Without a story bank (``stories`` is None) the plan is unchanged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from assess.plan.model import Session, Week
from assess.rubric.model import Rubric
from assess.stories.star import REHEARSAL_MINUTES, Story, behavioral_questions


def _short(text: str, width: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def with_stories(weeks: tuple[Week, ...], rubric: Rubric,
                 stories: Sequence[Story]) -> tuple[Week, ...]:
    """The weeks with their story sessions turned into writing or rehearsal (see above)."""
    wanted = behavioral_questions(rubric)
    topic_questions: dict[str, list[str]] = {}
    for qid, (tid, _text) in wanted.items():
        topic_questions.setdefault(tid, []).append(qid)
    covered = {q for s in stories for q in s.questions}
    to_write = {tid: [q for q in qids if q not in covered]
                for tid, qids in topic_questions.items()}
    told = {tid: [s for s in stories
                  if tid in s.topics or any(q in s.questions for q in qids)]
            for tid, qids in topic_questions.items()}
    claimed = {s.question_id for w in weeks for s in w.sessions if s.question_id}
    order = sorted(
        ((w, i) for w, week in enumerate(weeks) for i, s in enumerate(week.sessions)
         if s.activity == "story" and s.topic in topic_questions),
        key=lambda wi: (weeks[wi[0]].sessions[wi[1]].date or weeks[wi[0]].start, wi),
    )
    # first pass: each uncovered question takes its own topic's first story session
    writes: dict[tuple[int, int], str] = {}
    for w, i in order:
        tid = weeks[w].sessions[i].topic
        if to_write[tid]:
            writes[(w, i)] = to_write[tid].pop(0)
    # a topic with no story session of its own borrows one: a session that would only have
    # been a rehearsal, taken from the topic with the most of them (its hours stay in the
    # round, so the week and the round split are unchanged)
    leftover = [q for qids in to_write.values() for q in qids]
    spare = [wi for wi in order if wi not in writes]
    for qid in leftover:
        rnd = rubric.round_of[wanted[qid][0]]
        same = [wi for wi in spare if weeks[wi[0]].sessions[wi[1]].round == rnd]
        if not same:
            continue
        count: dict[str, int] = {}
        for w, i in same:
            count[weeks[w].sessions[i].topic] = count.get(weeks[w].sessions[i].topic, 0) + 1
        pick = max(same, key=lambda wi: (count[weeks[wi[0]].sessions[wi[1]].topic],
                                          -order.index(wi)))
        spare.remove(pick)
        writes[pick] = qid
    changed: dict[tuple[int, int], Session] = {}
    turn: dict[str, int] = {}
    for w, i in order:
        session = weeks[w].sessions[i]
        tid = session.topic
        if (w, i) in writes:
            qid = writes[(w, i)]
            own = wanted[qid][0]
            text = wanted[qid][1]
            fields: dict[str, object] = {
                "kind": "write",
                "detail": f"Write a story for: {_short(text, 160)} In STAR form, with a measured "
                          "result; then `assess story add`.",
            }
            # the detail names the question, so the question itself is not repeated; its id
            # stays where no other session holds it
            fields.update(question=None, question_id=None)
            if own != tid:
                fields.update(topic=own, title=rubric.topics[own].title)
            if qid not in claimed or session.question_id == qid:
                fields.update(question_id=qid)
            changed[(w, i)] = replace(session, **fields)  # type: ignore[arg-type]
        elif told[tid]:
            n = turn.get(tid, 0)
            turn[tid] = n + 1
            story = told[tid][n % len(told[tid])]
            changed[(w, i)] = replace(
                session,
                kind="rehearsal",
                detail=f"Tell your story '{_short(story.title, 60)}' out loud in about "
                       f"{REHEARSAL_MINUTES} minutes, timed; then check it against the "
                       "question's checklist.",
            )
    if not changed:
        return weeks
    return tuple(
        replace(week, sessions=tuple(changed.get((w, i), s)
                                     for i, s in enumerate(week.sessions)))
        for w, week in enumerate(weeks)
    )
