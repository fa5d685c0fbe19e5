"""Ticking plan sessions done, from the plans on record (never from a re-computation).

Every plan made is saved with an id (``assess.store.plans``). A ticked session is looked up
in the plans on record, and marked with the hours *that* plan gave it:

- ``done --from plan.pdf``: the plan the PDF names (its id is in the PDF's metadata and its
  footer), so a session ticked in last week's PDF is last week's session, whatever today's
  plan says;
- ``done --session ID``: the newest plan made before today that had the session due by today
  (the plan the candidate was following); else today's plan, where it is due; else the newest
  plan that has it at all (a session done ahead of its day, or a ``-verify`` / re-attempt
  session whose attempt was logged since, which today's plan no longer shows).

Each session is marked on its own: the known ones are marked (once: a second tick says "done
already"), and each unknown one is named. Hours go on the session's round and topic, dated
on the session's planned day (or today, for a session done ahead of its day).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.app.prompts import Stopped
from assess.store.plans import SavedPlan

Ask = Callable[[str, str | None], str]
Say = Callable[[str], None]
STOPS: tuple[type[BaseException], ...] = (KeyboardInterrupt, EOFError)
PLAN_ID_RE = re.compile(r"\bplan ([0-9a-f]{12})\b")


@dataclass(frozen=True)
class Found:
    """A session as a saved plan showed it."""

    id: str
    session: Mapping[str, Any]  # the session's JSON (round, topic, hours, date, ...)
    plan_id: str
    plan_date: dt.date

    @property
    def date(self) -> dt.date | None:
        raw = self.session.get("date")
        return dt.date.fromisoformat(raw) if raw else None

    @property
    def hours(self) -> float:
        return float(self.session.get("hours") or 0.0)


@dataclass
class Outcome:
    marked: list[Found] = field(default_factory=list)
    already: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def hours(self) -> float:
        return sum(f.hours for f in self.marked)

    def lines(self) -> list[str]:
        """What to print on standard output."""
        head = f"Marked {len(self.marked)} session(s) done ({self.hours:g} h logged)"
        if self.already:
            head += (f"; {len(self.already)} were done already: "
                     f"{', '.join(self.already[:5])}.")
        else:
            head += "."
        return [head]


def find_sessions(
    plans: Sequence[SavedPlan], wanted: Iterable[str], today: dt.date, plan_id: str | None = None
) -> tuple[dict[str, Found], list[str]]:
    """Each wanted session id -> the session of the plan it belongs to (rules in the module
    docstring); and the ids found in no plan. ``plans``: newest first."""
    ordered = sorted((p for p in plans if p.date <= today), key=lambda p: p.date, reverse=True)
    named = [p for p in ordered if plan_id and p.id == plan_id]
    found: dict[str, Found] = {}
    unknown: list[str] = []
    for sid in dict.fromkeys(wanted):
        pool = named or ordered
        hits = [Found(sid, p.sessions()[sid], p.id, p.date) for p in pool if sid in p.sessions()]
        if named and not hits:  # not in the PDF's plan: look in the others
            hits = [Found(sid, p.sessions()[sid], p.id, p.date) for p in ordered
                    if sid in p.sessions()]
        due = [h for h in hits if h.date is not None and h.date <= today]
        before = [h for h in due if h.plan_date < today]
        best = (before or due or hits or [None])[0]
        if best is None:
            unknown.append(sid)
        else:
            found[sid] = best
    return found, unknown


def mark(store: Any, found: Iterable[Found], today: dt.date) -> Outcome:
    """Mark the sessions done (each once) with their plan's hours; all in one transaction."""
    from assess.store import Completion

    out = Outcome()
    before = {c.session_id for c in store.completions()}
    fresh: list[Completion] = []
    for f in found:
        if f.id in before:
            out.already.append(f.id)
            continue
        s = f.session
        day = f.date if f.date is not None and f.date <= today else today
        fresh.append(Completion(f.id, str(s["round"]), str(s["topic"]), str(s["activity"]),
                                s.get("question_id"), f.hours, day, f.plan_id))
        out.marked.append(f)
    if fresh:
        store.complete_sessions(fresh)
    return out


def plan_id_of_pdf(path: str | Path) -> str | None:
    """The id of the plan a report PDF shows (from its keywords), or None."""
    import io

    from pypdf import PdfReader

    from assess.core.readers import MAX_PDF_BYTES, read_input
    from assess.errors import AnswersError

    raw, _label = read_input(path, AnswersError, "a PDF", limit=MAX_PDF_BYTES)
    try:
        meta = PdfReader(io.BytesIO(raw), strict=False).metadata or {}
        found = PLAN_ID_RE.search(str(meta.get("/Keywords") or ""))
    except Exception:  # noqa: BLE001 - any doubt: no id, the caller searches every plan
        return None
    return found.group(1) if found else None


def due_sessions(plan: Mapping[str, Any], today: dt.date, done: set[str]) -> list[dict]:
    """The plan's sessions up to today not done yet, in plan order (to tick on a terminal)."""
    return [s for w in plan.get("weeks") or [] for s in w.get("sessions") or []
            if s.get("date") and s["date"] <= today.isoformat() and s["id"] not in done]


def pick_on_terminal(due: Sequence[Mapping[str, Any]], ask: Ask, say: Say) -> list[str]:
    """List the due sessions, ask which were finished; their ids."""
    from assess.errors import InputError
    from assess.evidence.practice import parse_covered

    for n, s in enumerate(due, start=1):
        day = dt.date.fromisoformat(s["date"])
        say(f"  {n:>2}. {day:%a %d}  {float(s['hours']):g} h  {s['activity']:<8} {s['title']}")
    while True:
        text = ask("Which did you finish? (numbers, e.g. 1 3; Enter for none)", None)
        try:
            picked = parse_covered(text, len(due), "sessions")
            break
        except InputError as exc:
            say(f"  {str(exc).split(': ', 1)[-1]}")
    return [str(due[n - 1]["id"]) for n in picked]


def record_attempts(rubric: Any, practised: Sequence[Found], ask: Ask, say: Say,
                    today: dt.date) -> list[Any]:
    """For each ticked practice session, offer to record its attempt now; the attempts."""
    from assess.app import practice_run

    out = []
    for f in practised:
        topic, question = rubric.question(str(f.session["question_id"]))
        if not question.checklist:
            continue
        answer = ask(f"Record the attempt at {question.id} now? (y/N)", "n")
        if answer.strip().lower() not in ("y", "yes"):
            continue
        minutes = practice_run.ask_minutes(
            lambda t, box=question.minutes: ask(t, str(box)), say,
            f"Minutes it took (time box {question.minutes})")
        pick = practice_run.Pick(topic, question, "done")
        attempt = practice_run.record(pick, minutes, lambda t: ask(t, None), say, today)
        say(practice_run.summary(attempt, None))
        out.append(attempt)
    return out


@dataclass
class DoneResult:
    """What ``run`` did: the sessions it marked (and found done already), the attempts it
    saved, and the line to print when there was nothing to mark."""

    outcome: Outcome = field(default_factory=Outcome)
    attempts: list[Any] = field(default_factory=list)
    message: str | None = None


def _ignore(_text: str) -> None:
    pass


def run(home: Path, today: dt.date, ask: Ask, say: Say, warn: Say = _ignore, *,
        session_ids: Sequence[str] = (), from_pdf: str | Path | None = None,
        interactive: bool = False, stop: tuple[type[BaseException], ...] = STOPS) -> DoneResult:
    """``assess done``: mark the sessions named (``session_ids``) or ticked in a plan PDF
    (``from_pdf``); with neither, list today's and overdue sessions and ask which to tick
    (only when ``interactive``: a person can answer). Known sessions are marked, each once,
    and said; a ticked practice session then offers to record its attempt (a stop there,
    ``stop`` raised by ``ask``, keeps the marks and saves no attempt: ``Stopped``). Sessions in
    no plan raise ``InputError`` at the end, after the known ones are marked. ``warn`` takes
    the notes for standard error."""
    from assess.app.engine import current_state, keep_plan
    from assess.core.textsafety import shown
    from assess.errors import InputError, UsageError
    from assess.store import Store

    plan_id = None
    if from_pdf is not None:  # read (or refuse) the form before anything is planned or saved
        from assess.inputs.pdf_answers import ticked_sessions

        ticked = ticked_sessions(from_pdf)
        if not ticked:
            return DoneResult(message=f"No session is ticked in {from_pdf}; nothing to mark.")
        plan_id = plan_id_of_pdf(from_pdf)
        session_ids = tuple(ticked)
    # today's plan is kept once a session is marked in it: a refused tick changes nothing
    state = current_state(home, today, keep=False)
    current = SavedPlan(state.plan_id, today, "", state.plan_json())
    on_terminal = not session_ids
    if on_terminal:
        if not interactive:
            raise UsageError("assess done asks on a terminal. Without one, name the sessions "
                             "with --session ID (`assess plan --json` lists the ids)")
        with Store.open(home) as store:
            finished = {c.session_id for c in store.completions()}
        due = due_sessions(current.body, today, finished)
        if not due:
            return DoneResult(message="Nothing planned up to today. Well ahead!")
        session_ids = tuple(pick_on_terminal(due, ask, say))
        if not session_ids:
            return DoneResult()
    with Store.open(home) as store:
        plans = [current, *store.saved_plans(on_or_before=today)]
    found, unknown = find_sessions(plans, session_ids, today, plan_id)
    if from_pdf is not None and plan_id is not None and unknown:
        warn(f"{len(unknown)} ticked session(s) are in no plan of yours and were left out: "
             f"{', '.join(shown(sid) for sid in unknown[:5])}")
        unknown = []
    with Store.all_or_nothing(home) as store:
        outcome = mark(store, [found[sid] for sid in session_ids if sid in found], today)
    if outcome.marked:
        keep_plan(state)
    if found:
        for line in outcome.lines():
            say(line)
    practised = [f for f in outcome.marked if f.session.get("question_id")
                 and f.session.get("activity") in ("practice", "mock")]
    attempts: list[Any] = []
    if practised and on_terminal:
        from assess.app.practice import store_rubric

        with Store.open(home) as store:
            rubric = store_rubric(store, warn)
        try:
            attempts = record_attempts(rubric, practised, ask, say, today)
        except stop:
            raise Stopped("the sessions are marked; no attempt was saved.") from None
        with Store.open(home) as store:
            for attempt in attempts:
                store.add_attempt(attempt)
    elif practised and from_pdf is None:
        warn("Record how the practice went: `assess practice --log "
             f"{practised[0].session['question_id']} --minutes N --covered 1,3,4`.")
    if unknown:
        raise InputError("\n".join(
            f"--session: no session {sid[:80]!r} in your plans (`assess plan --json` lists "
            "the ids)" for sid in unknown))
    return DoneResult(outcome, attempts)
