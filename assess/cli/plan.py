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
    _note,
    _safe,
    _say,
    _warn_missing_rubric,
    emit_json,
    pass_app,
    terminal_ask,
)
from assess.errors import UsageError

# what ends a prompt early: Ctrl-C or the end of input
STOPS = (click.Abort, KeyboardInterrupt, EOFError)


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
    from assess.app.prompts import Stopped

    if session_ids and from_pdf is not None:
        raise UsageError("--session and --from: give the sessions one way, not both")
    try:
        result = done.run(app.home, app.today, terminal_ask, _say, _note,
                          session_ids=session_ids, from_pdf=from_pdf,
                          interactive=common.stdin_is_tty(), stop=STOPS)
    except Stopped as stopped:
        _note("")
        _note(f"Stopped: {stopped}")
        sys.exit(130)
    if result.message is not None:
        click.echo(result.message)


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
