"""The plan's days: what each date can hold, and the sessions pinned to dates before the model.

Pure functions; no I/O. Each date from today to the day before the onsite has a *kind* and a
*capacity* in 0.5 h blocks:

- ``stage``: a dated screen's own day (you are interviewing): nothing;
- ``light``: the day before any stage: at most one 0.5 h light review;
- ``off``: a rest day or a blackout day (the availability gives it 0 h): nothing;
- ``normal``: the availability's hours for that weekday.

Pins are the sessions whose day the rules fix: the baseline mock of a design or coding round
(once per round per candidate, early), a mock screen on the last full day before a dated
screen, a final mock per onsite round with a gap on distinct days 7 to 2 days before the
onsite (heaviest round first), one system-design mock a week when system design departs from
the 40% guidance, a light review on each light day, and evidence sessions (spaced re-attempts
on or after their due date, checks of unverified ratings).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from assess.evidence.scoring import Scores
from assess.plan.calendar import week_dates
from assess.plan.sessions import Unit, mock_unit, pick_mock_question, practice_blocks
from assess.rubric.availability import Availability
from assess.rubric.model import Round, Rubric

FINAL_DAYS = range(2, 8)  # final mocks fall 2 to 7 days before the onsite
CHECKS_PER_ROUND = 1  # checks of unverified ratings per round: the final mock tests the rest
CHECKS_PER_WEEK = 2  # and at most this many a week, so a week still teaches
MOCK_BLOCKS = 3  # a 45-minute slot plus write-up and debrief (1 h on a day of 1 h)


@dataclass(frozen=True)
class GridDay:
    date: dt.date
    week: int  # 0-based
    kind: str  # normal | light | stage | off
    cap: int  # blocks available


@dataclass(frozen=True)
class Grid:
    days: tuple[GridDay, ...]
    weeks: tuple[tuple[dt.date, dt.date], ...]
    onsite: dt.date | None  # the onsite date when it is upcoming

    def full(self, week: int) -> bool:
        start, end = self.weeks[week]
        return (end - start).days + 1 >= 7

    def day(self, date: dt.date) -> GridDay | None:
        for d in self.days:
            if d.date == date:
                return d
        return None


def build_grid(
    today: dt.date, onsite: dt.date | None, weeks_n: int, avail: Availability,
    screen_dates: Collection[dt.date],
) -> Grid:
    weeks = week_dates(today, onsite, weeks_n)
    marks = set(screen_dates)
    eves = {d - dt.timedelta(days=1) for d in [*marks, *([onsite] if onsite else [])]}
    days = []
    for w, (start, end) in enumerate(weeks):
        for k in range((end - start).days + 1):
            date = start + dt.timedelta(days=k)
            blocks = int(round(avail.hours_on(date) * 2))
            if onsite is not None and date >= onsite or date in marks:
                kind, cap = "stage", 0
            elif blocks == 0:
                kind, cap = "off", 0
            elif date in eves:
                kind, cap = "light", 1
            else:
                kind, cap = "normal", blocks
            days.append(GridDay(date, w, kind, cap))
    return Grid(tuple(days), tuple(weeks), onsite)


@dataclass
class Pins:
    """Sessions with a fixed date, and the blocks left on each day once they are placed."""

    units: list[tuple[dt.date, Unit]]
    left: dict[dt.date, int]
    finals: dict[str, dt.date]  # round -> its final mock's date
    notes: list[str]

    def put(self, date: dt.date, unit: Unit) -> None:
        self.units.append((date, unit))
        self.left[date] -= unit.blocks


def _mock(rubric: Rubric, rnd: Round, scores: Scores, used: set[str], pin: str,
          blocks: int) -> Unit | None:
    picked = pick_mock_question(rubric, rnd, scores, used)
    if picked is None:
        return None
    topic, qid, q = picked
    if blocks < practice_blocks(q):
        return None  # not even the question and its write-up fit: another day
    used.add(qid)
    unit = mock_unit(rnd, topic, qid, q, pin)
    if blocks < unit.blocks:
        from dataclasses import replace

        unit = replace(unit, blocks=blocks, detail=unit.detail.replace(
            "debrief against", "a short debrief against"))
    return unit


def place_pins(
    rubric: Rubric, scores: Scores, grid: Grid, *,
    deadlines: Mapping[str, dt.date | None], closed: frozenset[str],
    windows: Mapping[str, dt.date], sd: str | None, departs: bool, used: set[str],
    baseline_done: Collection[str], light_round: Mapping[dt.date, str],
    evidence: Sequence[Unit] = (), window_rounds: Mapping[str, frozenset[str]] | None = None,
) -> Pins:
    """Mocks, light reviews and evidence sessions on their days (see the module docstring).
    ``windows``: dated screen stage -> its date (the days before it are its window)."""
    pins = Pins([], {d.date: d.cap for d in grid.days}, {}, [])
    normal = [d for d in grid.days if d.kind == "normal"]
    last_window = max(windows.values(), default=None)

    def in_window(date: dt.date) -> bool:
        return last_window is not None and date < last_window

    def free(rid: str, days: Sequence[GridDay], need: int = 2) -> list[GridDay]:
        limit = deadlines.get(rid)
        return [d for d in days if pins.left[d.date] >= need
                and (limit is None or d.date < limit)
                and not any(u.activity == "mock" for day, u in pins.units if day == d.date)
                and not (rid == sd and in_window(d.date))]

    def mock_on(rnd: Round, pin: str, days: Sequence[GridDay]) -> tuple[dt.date, Unit] | None:
        """The round's mock on the first of ``days`` that holds its question."""
        for d in days:
            unit = _mock(rubric, rnd, scores, used, pin, min(MOCK_BLOCKS, pins.left[d.date]))
            if unit is not None:
                return d.date, unit
        return None

    open_onsite = [r for r in rubric.rounds if r.id not in closed and deadlines[r.id] is None]
    gap = {r.id: scores.round_gaps[r.id] > 0 for r in rubric.rounds}
    # final mocks: heaviest round on the earliest day of the window
    if grid.onsite is not None:
        window = [d for d in normal if (grid.onsite - d.date).days in FINAL_DAYS]
        ranked = sorted((r for r in open_onsite if gap[r.id]),
                        key=lambda r: (-r.weight, rubric.rounds.index(r)))
        missed = []
        after = dt.date.min  # heavier rounds first: each final mock after the heavier ones
        for rnd in ranked:
            got = mock_on(rnd, "final", [d for d in free(rnd.id, window) if d.date > after])
            if got is None:
                missed.append(rnd.title)
                continue
            pins.put(*got)
            pins.finals[rnd.id] = got[0]
            after = got[0]
        if missed:
            pins.notes.append(
                "No final mock for " + ", ".join(missed) + ": the days 7 to 2 before the "
                "onsite have no free hour for it after the heavier rounds' (rest days, days off, "
                "the screens or other mocks).")
    # a mock screen on the last full day before each dated screen
    for rnd in rubric.rounds:
        limit = deadlines.get(rnd.id)
        if rnd.id in closed or limit is None or not gap[rnd.id] or limit not in windows.values():
            continue
        got = mock_on(rnd, "screen", free(rnd.id, [d for d in normal if d.date < limit])[::-1])
        if got is not None:
            pins.put(*got)
    checks: dict[int, int] = {}

    def foreign(rid: str, date: dt.date) -> bool:
        """Whether ``date`` is inside a dated screen's window that does not count ``rid``."""
        return any(date < day and rid not in (window_rounds or {}).get(s, frozenset({rid}))
                   for s, day in windows.items())

    def place_evidence(units: Sequence[Unit]) -> None:
        """Re-attempts and checks on the first free day each may use."""
        for unit in units:
            first = unit.not_before or grid.days[0].date
            limit = deadlines.get(unit.round)
            plain = unit.pin == "verify" and unit.not_after is None  # a check of a rating
            days = [d for d in free(unit.round, normal, unit.blocks) if d.date >= first
                    and not (plain and checks.get(d.week, 0) >= CHECKS_PER_WEEK)
                    and not any(day == d.date and u.topic == unit.topic for day, u in pins.units)
                    and (unit.not_after is not None or not foreign(unit.round, d.date))
                    and d.date < pins.finals.get(unit.round, dt.date.max)
                    and (unit.not_after is None or d.date < unit.not_after)]
            if days:
                pins.put(days[0].date, unit)
                checks[days[0].week] = checks.get(days[0].week, 0) + plain
                if unit.question_id:
                    used.add(unit.question_id)
            elif unit.not_after is not None:
                pins.notes.append(f"No room to check your jump on {unit.title} before "
                                  f"{unit.not_after:%a %d %b}: make room for {unit.question_id} "
                                  "this week.")
            elif limit is None:
                pins.notes.append(f"No room for {unit.pin} of {unit.question_id}: redo it if you "
                                  "have a spare hour.")

    # a jump's check comes before the baselines: it has a date to keep
    place_evidence([u for u in evidence if u.not_after is not None])
    # a baseline mock for design and coding rounds, once per candidate, in week 1
    from assess.plan.pins import round_kind

    if len(grid.weeks) >= 3:
        for rnd in open_onsite:
            if (round_kind(rnd) not in ("design", "coding") or not gap[rnd.id]
                    or rnd.id in baseline_done):
                continue
            cutoff = pins.finals.get(rnd.id, dt.date.max)
            days = free(rnd.id, [d for d in normal if d.week <= 1 and d.date < cutoff], 3) \
                or free(rnd.id, [d for d in normal if d.week <= 1 and d.date < cutoff])
            got = mock_on(rnd, "baseline", days)
            if got is not None:
                pins.put(*got)
    # at target with evidence: one system-design mock in every full week instead of 40%
    if departs and sd is not None and sd not in closed:
        rnd = rubric.round(sd)
        for w in range(len(grid.weeks)):
            if not grid.full(w) or any(u.round == sd and u.activity == "mock"
                                        for day, u in pins.units
                                        if grid.weeks[w][0] <= day <= grid.weeks[w][1]):
                continue
            got = mock_on(rnd, "weekly", free(sd, [d for d in normal if d.week == w]))
            if got is not None:
                pins.put(*got)
    # evidence: re-attempts and checks, on the first free day they may use
    place_evidence([u for u in evidence if u.not_after is None])
    # a light review on each light day (its topic is chosen once the plan is known)
    for d in grid.days:
        if d.kind == "light" and d.date in light_round:
            pins.put(d.date, Unit(round=light_round[d.date], topic="", title="Light review",
                                  activity="review", blocks=1, pin="light"))
    return pins


def evidence_units(rubric: Rubric, attempts: Sequence, evidence: Mapping, closed: frozenset[str],
                   today: dt.date, used: set[str], onsite: dt.date | None = None,
                   deadlines: Mapping[str, dt.date | None] | None = None) -> list[Unit]:
    """Checks of rating jumps (within ``JUMP_CHECK_DAYS`` and before any dated screen that
    tests the round), spaced re-attempts (FSRS aimed at the onsite, failed ones first) and
    a check of up to ``CHECKS_PER_ROUND`` other unverified ratings per round."""
    from assess.errors import NotFoundError
    from assess.evidence.practice import reattempts
    from assess.plan.evidence import JUMP_CHECK_DAYS, screens_testing

    out = []
    for tid, ev in evidence.items():
        rid = rubric.round_of.get(tid)
        jump = getattr(ev, "jump", None)
        if jump is None or ev.status != "unverified" or rid is None or rid in closed:
            continue
        topic = rubric.topics[tid]
        free = [q for q in topic.questions if (q.id or "") not in used]
        if not free:
            continue
        by = min([today + dt.timedelta(days=JUMP_CHECK_DAYS),
                  *screens_testing(rubric, rid, deadlines or {})])
        out.append(Unit(
            round=rid, topic=tid, title=topic.title, activity="practice",
            blocks=max(2, practice_blocks(free[0])), question=free[0].text,
            question_id=free[0].id, pin="verify", not_after=by,
            detail=(f"Checks your jump from {jump.before} to {jump.after}: 75% of the "
                    "checklist inside the time box supports it.")))
        used.add(free[0].id or "")
    for item in reattempts(attempts, onsite):
        try:
            topic, question = rubric.question(item.question)
        except NotFoundError:
            continue
        rid = rubric.round_of[topic.id]
        if rid in closed:
            continue
        out.append(Unit(
            round=rid, topic=topic.id, title=topic.title, activity="practice",
            blocks=max(2, practice_blocks(question)), question=question.text,
            question_id=question.id or item.question, pin="reattempt",
            detail=f"Spaced re-attempt (last time: {item.last_grade.lower()}; due "
            f"{item.due:%a %d %b}): timed, no notes, then score it with `assess practice`.",
            not_before=max(item.due, today)))
    checks: dict[str, int] = {}
    for tid, ev in evidence.items():
        rid = rubric.round_of.get(tid)
        if (ev.status != "unverified" or getattr(ev, "jump", None) is not None or rid is None
                or rid in closed or checks.get(rid, 0) >= CHECKS_PER_ROUND):
            continue
        topic = rubric.topics[tid]
        free = [q for q in topic.questions if (q.id or "") not in used]
        if free:
            checks[rid] = checks.get(rid, 0) + 1
            out.append(Unit(
                round=rid, topic=tid, title=topic.title, activity="practice",
                blocks=max(2, practice_blocks(free[0])), question=free[0].text,
                question_id=free[0].id, pin="verify",
                detail="Checks your rating: 75% of the checklist inside the time box confirms "
                "it."))
            used.add(free[0].id or "")
    return out
