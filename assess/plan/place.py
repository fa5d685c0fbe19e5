"""Stage 2 of the plan: each segment's funded work placed on its days, as sessions.

Constructive and deterministic, segment by segment in date order. For each funded topic (most
valuable first): its study hours go on the earliest days with a free hour; its first practice
on the earliest day on or after its last study; the practice that closes its cycle on the
latest day at least 4 days after the first; other practices between; reviews fill half
hours on days the topic has been studied by. A day never holds more than its free blocks nor
more than 3 topics. The checker (``assess.plan.check``) proves the result.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace

from assess.evidence.scoring import Scores
from assess.plan.grid import Grid, Pins
from assess.plan.sessions import Unit, _short, practice_blocks, questions_of
from assess.plan.solve import Funding, Segment
from assess.rubric.model import Rubric, Topic

MAX_TOPICS = 3
TOPIC_DAY = 4  # blocks of one topic in a day (mocks aside): 2 h
SPACING = 4
LIGHT_REVIEW = ("Light review only: reread your write-ups and notes (no new material), then "
                "rest.")
DRILL = ("Timed drill: a fresh Medium problem on this topic in 35 minutes, out loud, stating "
         "complexity; then write up what you missed.")


@dataclass
class _Day:
    date: dt.date
    left: int
    topics: set[str]


def _is_story(topic: Topic) -> bool:
    return bool(topic.questions) and all(q.kind == "behavioral" for q in topic.questions)


def _is_drill(topic: Topic) -> bool:
    return bool(topic.questions) and all(q.kind == "coding" for q in topic.questions)


def place(
    rubric: Rubric, scores: Scores, grid: Grid, pins: Pins, segments: Sequence[Segment],
    seg_days: Sequence[Sequence[dt.date]], funding: Funding, order: Sequence[str],
    used: set[str], prefer: object = None, share: object = None,
    misses: list[tuple[str, int]] | None = None,
) -> list[tuple[dt.date, Unit]]:
    """Every session of the plan with its date (pins included). ``misses`` collects the
    cycles the days could not hold as funded: (topic, segment of its first practice, or -1
    when the topic had to be left out)."""
    misses = [] if misses is None else misses
    days = {d.date: _Day(d.date, pins.left[d.date], set()) for d in grid.days}
    for date, unit in pins.units:
        if unit.topic:
            days[date].topics.add(unit.topic)
    placed: list[tuple[dt.date, Unit]] = [(d, u) for d, u in pins.units if u.pin != "light"]
    first_study: dict[str, dt.date] = {}
    last_study: dict[str, dt.date] = {}
    first_practice: dict[str, dt.date] = {}
    free_q: dict[str, list[tuple[str, str]]] = {}
    practised: dict[str, str] = {}
    for tid in order:
        topic = rubric.topics[tid]
        # a practice is a 1 h session: questions that need longer are left to the mocks
        free_q[tid] = [(qid, q.text) for qid, q in questions_of(rubric, topic)
                       if qid not in used and practice_blocks(q) <= 2]

    def fits(day: _Day, tid: str, blocks: int) -> bool:
        return (day.left >= blocks and _topic_blocks(placed, day.date, tid) + blocks <= TOPIC_DAY
                and (tid in day.topics or len(day.topics) < MAX_TOPICS))

    def fits_practice(day: _Day, tid: str) -> bool:  # one timed practice of a topic a day
        return fits(day, tid, 2) and not any(
            d == day.date and u.topic == tid and u.activity in ("practice", "mock")
            for d, u in placed)

    def put(day: _Day, unit: Unit) -> None:
        day.left -= unit.blocks
        day.topics.add(unit.topic)
        placed.append((day.date, unit))

    spare: set[int] = set()  # units a cycle's closing practice may take the place of

    def rank(g: int, tid: str) -> tuple:
        # topics with a deadline, then cycles that open and close here, then by value
        dl = rubric.round_of[tid] not in segments[g].study or any(
            rubric.round_of[tid] not in s.rounds for s in segments[g + 1:])
        tight = funding.first.get(tid) == g and funding.last.get(tid) == g
        return (not dl, not tight, order.index(tid))

    for g in range(len(segments)):
        pool = [days[d] for d in seg_days[g]]
        for tid in sorted(order, key=lambda t: rank(g, t)):
            topic = rubric.topics[tid]
            rid = rubric.round_of[tid]
            base = {"round": rid, "topic": tid, "title": topic.title}
            story = _is_story(topic)
            hours = funding.study.get((tid, g), 0)
            count = funding.practice.get((tid, g), 0)
            closing = funding.last.get(tid) == g
            # one study hour, then the first practice, then the practice that closes the cycle
            # (4+ days later), then the rest of the study and the other practices
            steps = ["study"] * min(1, hours)
            if count and tid not in first_practice:
                steps.append("first")
                count -= 1
            if closing and count:
                steps.append("last")
                count -= 1
            steps += ["study"] * (hours - min(1, hours)) + ["more"] * count
            for step in steps:
                if step == "study":
                    day = next((d for d in pool if fits(d, tid, 2)), None)
                    if day is None:
                        continue
                    if story:
                        unit = Unit(**base, activity="story", blocks=2,
                                    detail="Draft a STAR story and say it out loud: "
                                    + _short(topic.covers))
                    elif _is_drill(topic):
                        unit = Unit(**base, activity="study", blocks=2,
                                    detail="Refresher: " + _short(topic.covers))
                    else:
                        unit = Unit(**base, activity="study", blocks=2,
                                    detail=_short(topic.covers))
                    put(day, unit)
                    first_study.setdefault(tid, day.date)
                    last_study[tid] = max(day.date, last_study.get(tid, day.date))
                    continue
                gap = scores.topics[tid].gap > 0
                start = first_study.get(tid, dt.date.max if gap else dt.date.min)
                if step == "last" and tid in first_practice:
                    earliest = first_practice[tid] + dt.timedelta(days=SPACING)
                    cands = [d for d in reversed(pool) if d.date >= max(earliest, start)]
                elif step in ("first", "last"):
                    cands = [d for d in pool if d.date >= start]
                else:
                    low = max(start, first_practice.get(tid, start))
                    cands = sorted((d for d in pool if d.date >= low),
                                   key=lambda d: (-d.left, d.date))
                day = next((d for d in cands if fits_practice(d, tid)), None)
                if day is None:
                    if step in ("first", "last"):
                        misses.append((tid, funding.first.get(tid, g)))
                    continue
                is_first = tid not in first_practice
                put(day, _practice(base, tid, topic, free_q, practised, used, is_first,
                                   not is_first))
                if step == "more" or not gap:
                    spare.add(id(placed[-1][1]))
                if is_first:
                    first_practice[tid] = day.date
        # reviews last: half hours that fill what the sessions leave
        for tid in sorted(order, key=lambda t: rank(g, t)):
            topic = rubric.topics[tid]
            base = {"round": rubric.round_of[tid], "topic": tid, "title": topic.title}
            for _ in range(funding.review.get((tid, g), 0)):
                low = first_study.get(tid, dt.date.min if scores.topics[tid].gap <= 0
                                      else dt.date.max)
                cands = sorted((d for d in pool if d.date >= low),
                               key=lambda d: (d.left % 2 == 0, tid not in d.topics, d.date))
                day = next((d for d in cands if fits(d, tid, 1)), None)
                if day is None:
                    continue
                detail = _review(topic, tid, day.date, practised, placed)
                put(day, Unit(**base, activity="review", blocks=1, detail=detail))
                spare.add(id(placed[-1][1]))
    _close_cycles(rubric, scores, segments, seg_days, days, placed, spare, first_study,
                  free_q, practised, used, funding.short, misses)
    _weekly_practice(rubric, scores, grid, placed, first_study, free_q, practised, used)
    _fill(rubric, scores, segments, seg_days, days, placed, first_study, practised, prefer,
          share)
    # a light review on the eve of each stage, of a topic of its round worked before it
    for date, unit in pins.units:
        if unit.pin != "light":
            continue
        worked = [u.topic for d, u in sorted(placed, key=lambda du: du[0])
                  if d < date and u.round == unit.round]
        tid = worked[-1] if worked else rubric.round(unit.round).topics[0].id
        placed.append((date, replace(unit, topic=tid, detail=LIGHT_REVIEW)))
    return placed


def _topic_blocks(placed: Sequence[tuple[dt.date, Unit]], date: dt.date, tid: str) -> int:
    """Blocks of a topic already on a day, a mock aside (it is one sitting)."""
    return sum(u.blocks for d, u in placed if d == date and u.topic == tid
               and u.activity != "mock")


def _review(topic: Topic, tid: str, date: dt.date, practised: Mapping[str, str],
            placed: Sequence[tuple[dt.date, Unit]]) -> str:
    """What a review does: before any practice, the notes; within a week of the first
    practice, the gaps its write-up found; later, a redo of that question from memory."""
    done = practised.get(tid)
    when = next((d for d, u in placed if u.topic == tid and u.question == done), None)
    if not done or when is None or when > date:
        return f"Go over your notes and sketch the key ideas: {_short(topic.covers)}"
    if (date - when).days < 7:
        return f"Close the gaps from your write-up of: {_short(done)}"
    return f"Redo without notes: {_short(done)}"


def _practice(base: Mapping[str, str], tid: str, topic: Topic,
              free_q: dict[str, list[tuple[str, str]]], practised: dict[str, str],
              used: set[str], is_first: bool, is_last: bool) -> Unit:
    qs = free_q[tid]
    if qs:
        qid, text = qs.pop(0)
        used.add(qid)
        if is_first:
            detail = "Timed; then write up what you missed."
            practised[tid] = text
        else:
            detail = ("Second question, 4+ days after the first: timed, no notes; compare "
                      "with your first write-up.")
        if _is_story(topic):
            detail = "Timed: answer out loud with a story in about 3 minutes; " + detail
        return Unit(**base, activity="practice", blocks=2, question=text,  # type: ignore[arg-type]
                    question_id=qid, detail=detail, whole=True)
    if _is_drill(topic):
        return Unit(**base, activity="practice", blocks=2, detail=DRILL,  # type: ignore[arg-type]
                    whole=True)
    done = practised.get(tid)
    what = (_short(done) if done else _short(topic.covers)).rstrip(".")
    return Unit(**base, activity="practice", blocks=2, whole=True,  # type: ignore[arg-type]
                detail=f"Timed redo without notes: {what}; then compare with your write-up.")


def _close_cycles(
    rubric: Rubric, scores: Scores, segments: Sequence[Segment],
    seg_days: Sequence[Sequence[dt.date]], days: dict[dt.date, _Day],
    placed: list[tuple[dt.date, Unit]], spare: set[int], first_study: dict[str, dt.date],
    free_q: dict[str, list[tuple[str, str]]], practised: dict[str, str], used: set[str],
    short: Collection[str] = (), misses: list[tuple[str, int]] | None = None,
) -> None:
    """A studied topic whose cycle is not closed (no practice 4+ days after its first) gets
    one: on a free hour of a day it may use, else in place of a review or an extra practice
    there; a topic that cannot be closed gives its sessions back (it is left out)."""
    for tid in list(first_study):
        mine = [(d, u) for d, u in placed if u.topic == tid and u.pin == ""]
        prac = sorted(d for d, u in mine if u.activity == "practice")
        if prac and (tid in short or len(prac) >= 2 and (prac[-1] - prac[0]).days >= SPACING):
            continue
        rid = rubric.round_of[tid]
        allowed = sorted({d for g, s in enumerate(segments) if rid in s.rounds
                          for d in seg_days[g]}, reverse=True)
        low = (prac[0] if prac else first_study[tid]) + dt.timedelta(
            days=SPACING if prac else 0)
        done = False
        for date in (d for d in allowed if d >= low):
            day = days[date]
            if any(d == date and u.topic == tid and u.activity in ("practice", "mock")
                   for d, u in placed) or _topic_blocks(placed, date, tid) + 2 > TOPIC_DAY:
                continue
            if day.left < 2 or (tid not in day.topics and len(day.topics) >= MAX_TOPICS):
                # room from a review or an extra practice of that day
                victims = [(i, u) for i, (d, u) in enumerate(placed)
                           if d == date and id(u) in spare and u.topic != tid
                           and (u.activity == "review" or _closed_without(placed, i))]
                freed = 0
                for _i, u in victims:
                    if day.left + freed >= 2:
                        break
                    freed += u.blocks
                if day.left + freed < 2:
                    continue
                for i, u in sorted(victims, reverse=True):
                    if day.left >= 2:
                        break
                    del placed[i]
                    day.left += u.blocks
                    if not any(x.topic == u.topic for d, x in placed if d == date):
                        day.topics.discard(u.topic)
                if tid not in day.topics and len(day.topics) >= MAX_TOPICS:
                    continue
            topic = rubric.topics[tid]
            base = {"round": rid, "topic": tid, "title": topic.title}
            day.left -= 2
            day.topics.add(tid)
            placed.append((date, _practice(base, tid, topic, free_q, practised, used,
                                           not prac, bool(prac))))
            done = bool(prac) or tid in short
            if not done:
                prac = [date]
                low = date + dt.timedelta(days=SPACING)
                continue
            break
        if not done:
            if misses is not None:
                misses.append((tid, -1))
            for i in range(len(placed) - 1, -1, -1):
                d, u = placed[i]
                if u.topic == tid and u.pin == "":
                    del placed[i]
                    days[d].left += u.blocks
            first_study.pop(tid, None)


def _fill(
    rubric: Rubric, scores: Scores, segments: Sequence[Segment],
    seg_days: Sequence[Sequence[dt.date]], days: dict[dt.date, _Day],
    placed: list[tuple[dt.date, Unit]], first_study: dict[str, dt.date],
    practised: dict[str, str], prefer: object, share: object,
) -> None:
    """Half hours a day still has: a review of a topic already worked by then (the rounds
    ``prefer(date, placed)`` names first, then topics already on that day)."""
    for g, seg in enumerate(segments):
        for date in seg_days[g]:
            day = days[date]
            mock = next((i for i, (d, u) in enumerate(placed) if d == date
                         and u.activity == "mock"), None)
            if day.left == 1 and mock is not None:
                # an odd half hour beside a mock: a longer debrief of it
                u = placed[mock][1]
                placed[mock] = (date, replace(u, blocks=u.blocks + 1, detail=u.detail + (
                    " Then a longer debrief: write up every checklist item you missed.")))
                day.left = 0
            if day.left <= 0:
                continue
            rounds = list(prefer(date, placed)) if callable(prefer) else []  # type: ignore[misc]
            pool = [t for t in first_study if first_study[t] <= date
                    and rubric.round_of[t] in seg.rounds]
            pool += [t for t, sc in scores.topics.items() if sc.gap <= 0
                     and sc.round in seg.rounds and t not in pool
                     and any(u.topic == t for _, u in placed)]
            # the reviews rotate over the topics worked by then, fewest reviews first
            reviews = {t: sum(1 for _, u in placed if u.topic == t and u.activity == "review")
                       for t in pool}
            pool.sort(key=lambda t: (rubric.round_of[t] not in rounds[:1],
                                     rubric.round_of[t] not in rounds, reviews[t],
                                     t not in day.topics, list(rubric.topics).index(t)))
            if day.left >= 2:
                # a free hour before a funded topic's first study: an earlier study hour
                later = [t for t in first_study if first_study[t] > date
                         and rubric.round_of[t] in seg.study and not _is_drill(rubric.topics[t])
                         and not any(d == date and u.topic == t for d, u in placed)
                         and (t in day.topics or len(day.topics) < MAX_TOPICS)
                         and (not callable(share) or share(date, rubric.round_of[t], 2, placed))]
                later.sort(key=lambda t: (rubric.round_of[t] not in rounds[:1], first_study[t]))
                if later:
                    tid = later[0]
                    topic = rubric.topics[tid]
                    activity = "story" if _is_story(topic) else "study"
                    placed.append((date, Unit(round=rubric.round_of[tid], topic=tid,
                                              title=topic.title, activity=activity, blocks=2,
                                              detail=_short(topic.covers))))
                    first_study[tid] = date
                    day.topics.add(tid)
                    day.left -= 2
            for tid in pool:
                if day.left <= 0:
                    break
                if tid not in day.topics and len(day.topics) >= MAX_TOPICS:
                    continue
                # a review is 1 h at most
                blocks = min(day.left, 2, TOPIC_DAY - _topic_blocks(placed, date, tid))
                if blocks <= 0 or (callable(share)
                                   and not share(date, rubric.round_of[tid], blocks, placed)):
                    continue
                topic = rubric.topics[tid]
                detail = _review(topic, tid, date, practised, placed)
                placed.append((date, Unit(round=rubric.round_of[tid], topic=tid,
                                          title=topic.title, activity="review",
                                          blocks=blocks, detail=detail)))
                day.topics.add(tid)
                day.left -= blocks


def _weekly_practice(
    rubric: Rubric, scores: Scores, grid: Grid, placed: list[tuple[dt.date, Unit]],
    first_study: dict[str, dt.date], free_q: dict[str, list[tuple[str, str]]],
    practised: dict[str, str], used: set[str],
) -> None:
    """A round with a gap worked in a full week gets a timed practice in it: a later study
    hour of one of its topics becomes one; failing that, the round's study that week goes."""
    for w, (start, end) in enumerate(grid.weeks):
        if not grid.full(w):
            continue
        inside = [(i, d, u) for i, (d, u) in enumerate(placed) if start <= d <= end
                  and u.pin != "light"]
        for rid in sorted({u.round for _, _, u in inside}):
            if scores.round_gaps[rid] <= 0 or any(
                    u.round == rid and u.activity in ("practice", "mock") for _, _, u in inside):
                continue
            studies = [(i, d, u) for i, d, u in inside if u.round == rid
                       and u.activity in ("study", "story") and u.blocks == 2]
            later = [x for x in studies if first_study.get(x[2].topic, x[1]) < x[1]]
            if later:
                i, d, u = later[-1]
                topic = rubric.topics[u.topic]
                placed[i] = (d, _practice({"round": rid, "topic": u.topic, "title": topic.title},
                                          u.topic, topic, free_q, practised, used, False, True))
                continue
            for i, _d, u in sorted(inside, key=lambda x: -x[0]):
                if u.round == rid and u.pin == "":
                    placed[i] = (placed[i][0], replace(u, blocks=0))
        placed[:] = [(d, u) for d, u in placed if u.blocks > 0]



def _closed_without(placed: list[tuple[dt.date, Unit]], index: int) -> bool:
    """Whether a topic's cycle stays closed (two practices 4+ days apart) without one."""
    topic = placed[index][1].topic
    dates = [d for i, (d, u) in enumerate(placed) if i != index and u.topic == topic
             and u.pin == "" and u.activity == "practice"]
    return len(dates) >= 2 and (max(dates) - min(dates)).days >= SPACING
