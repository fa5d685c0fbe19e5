"""The plan and ticking it off: ``assess plan``, ``assess done``.

Click only: parse, call, print."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from assess.cli import common
from assess.cli.common import (
    App,
    _all_or_nothing,
    _note,
    _safe,
    _say,
    _shown,
    _warn_missing_rubric,
    emit_json,
    open_store,
    pass_app,
    profile_and_rubric,
    terminal_ask,
)
from assess.errors import UsageError


def use_color(stream: Any = None) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    if os.environ.get("NO_COLOR"):
        return False
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


@click.command("done")
@click.option("--session", "session_ids", multiple=True, metavar="ID",
              help="A session id from `assess plan --json` (repeatable).")
@click.option("--from", "from_pdf", metavar="PLAN.pdf",
              help="Take the sessions ticked in a plan PDF (its checkboxes are real).")
@pass_app
def done_cmd(app: App, session_ids: tuple[str, ...], from_pdf: str | None) -> None:
    """Tick the plan sessions you finished: their hours (as their plan gave them) are logged
    on their round and topic, and they are not planned again. A session ticked twice says
    "done already". Sessions are found in the plans on record: a PDF's own plan, else the
    plan you were following when the session was due.

    On a terminal it lists today's and overdue sessions to tick; a ticked practice session
    leads into recording the attempt.

    Example: assess done --from assess-plan-2026-11-30.pdf
    """
    from assess.app import done
    from assess.app.engine import current_state, keep_plan
    from assess.errors import InputError
    from assess.store import SavedPlan, Store

    if session_ids and from_pdf is not None:
        raise UsageError("--session and --from: give the sessions one way, not both")
    plan_id = None
    on_terminal = False
    if from_pdf is not None:  # read (or refuse) the form before anything is planned or saved
        from assess.inputs.pdf_answers import ticked_sessions

        ticked = ticked_sessions(from_pdf)
        if not ticked:
            click.echo(f"No session is ticked in {from_pdf}; nothing to mark.")
            return
        plan_id = done.plan_id_of_pdf(from_pdf)
        session_ids = tuple(ticked)
    # today's plan is kept once a session is marked in it: a refused tick changes nothing
    state = current_state(app.home, app.today, keep=False)
    current = SavedPlan(state.plan_id, app.today, "", state.plan_json())
    if not session_ids:
        if not common.stdin_is_tty():
            raise UsageError("assess done asks on a terminal. Without one, name the sessions "
                             "with --session ID (`assess plan --json` lists the ids)")
        with open_store(app) as store:
            finished = {c.session_id for c in store.completions()}
        due = done.due_sessions(current.body, app.today, finished)
        if not due:
            click.echo("Nothing planned up to today. Well ahead!")
            return
        session_ids = tuple(done.pick_on_terminal(due, terminal_ask, _say))
        on_terminal = True
        if not session_ids:
            return
    with Store.open(app.home) as store:
        plans = [current, *store.saved_plans(on_or_before=app.today)]
    found, unknown = done.find_sessions(plans, session_ids, app.today, plan_id)
    if from_pdf is not None and plan_id is not None and unknown:
        _note(f"{len(unknown)} ticked session(s) are in no plan of yours and were left out: "
              f"{', '.join(_shown(sid) for sid in unknown[:5])}")
        unknown = []
    with _all_or_nothing(app) as store:
        outcome = done.mark(store, [found[sid] for sid in session_ids if sid in found],
                            app.today)
    if outcome.marked:
        keep_plan(state)
    if found:
        for line in outcome.lines():
            click.echo(line)
    practised = [f for f in outcome.marked if f.session.get("question_id")
                 and f.session.get("activity") in ("practice", "mock")]
    if practised and on_terminal:
        with open_store(app) as store:
            _profile, rubric = profile_and_rubric(store)
        try:
            attempts = done.record_attempts(rubric, practised, terminal_ask, _say, app.today)
        except (click.Abort, KeyboardInterrupt, EOFError):
            _note("")
            _note("Stopped: the sessions are marked; no attempt was saved.")
            sys.exit(130)
        with Store.open(app.home) as store:
            for attempt in attempts:
                store.add_attempt(attempt)
    elif practised and from_pdf is None:
        _note("Record how the practice went: `assess practice --log "
              f"{practised[0].session['question_id']} --minutes N --covered 1,3,4`.")
    if unknown:
        raise InputError("\n".join(
            f"--session: no session {sid[:80]!r} in your plans (`assess plan --json` lists "
            "the ids)" for sid in unknown))


@click.command("plan")
@click.option("--json", "as_json", is_flag=True,
              help="Print the whole plan as JSON (with --week, only that week).")
@click.option("--week", "week", type=int, metavar="N", help="Show only week N of the plan.")
@click.option("--rubric", "rubric_ref", metavar="ID|PATH",
              help="Plan against this rubric instead of the profile's.")
@pass_app
def plan_cmd(app: App, as_json: bool, week: int | None, rubric_ref: str | None) -> None:
    """Readiness, your biggest gaps and the week-by-week study plan, from your latest ratings.

    The plan spans the weeks to your interview, keeps at least 40% of all your hours (logged
    included) on system design, and says honestly whether the time fits.

    Example: assess plan --week 1
    """
    from assess.app.saved_plans import saved_plan_json

    if rubric_ref is None:
        _warn_missing_rubric(app)
    if as_json and week is None:
        saved = saved_plan_json(app.home, app.today, rubric_ref)
        if saved is not None:  # today's facts are unchanged: the plan on record
            emit_json(saved)
            return
    from assess.app.engine import current_state

    state = current_state(app.home, app.today, rubric_ref)
    plan = state.plan
    if week is not None:
        plan.week(week)  # a clear error for a week outside the plan
    if as_json:
        emit_json(plan.week(week).to_json() if week is not None else state.plan_json())
        return
    from assess.plan.view import render_plan

    click.echo(render_plan(plan, state.rubric, name=_safe(state.profile.name), week=week,
                           color=use_color()))
    if week is None:
        from assess.report.mentor_page import flagged_topics

        for flag in flagged_topics(state.rubric, state.plan_json(), state.disputed):
            _note(_safe(f"{flag['mark'].capitalize()}: {flag['title']}: {flag['why']}"))
