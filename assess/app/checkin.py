"""The weekly check-in (``assess checkin``) and its baseline: what "since your last
check-in" compares against.

Plain functions over the store given ``ask``/``say``/``note`` (see
``assess.app.flow_steps``), so the flow is testable without a terminal. No Click.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.app.checkin_questions import ask_hours, parse_hours_flags, readiness_change_line
from assess.app.flow_steps import (
    Ask,
    Printout,
    Say,
    Stopped,
    profile_and_rubric,
    rate_on_terminal,
    report_target,
    write_report,
)
from assess.app.questionnaire import apply_answers, moved_lines
from assess.core.textsafety import for_terminal
from assess.errors import UsageError
from assess.store import Store


def checkin_baseline(store: Any, today: dt.date) -> tuple[Any, Any, dt.date | None]:
    """(the self-assessment of the last check-in, the latest complete one, its date): a
    check-in that re-rates nothing reports only what changed since the last check-in (a
    `rate` in between), never last week's news again. Without a recorded check-in: the last
    two complete self-assessments."""
    selfs = [a for a in store.assessments("self") if a.complete and a.date <= today]
    after = selfs[-1] if selfs else None
    last = store.last_checkin(today)
    if last is not None:
        before = next((a for a in selfs if a.id == last[1]), None)
        if before is not None:
            return before, after, last[0]
    before = selfs[-2] if len(selfs) > 1 else None
    return before, after, before.date if before else None


@dataclass(frozen=True)
class CheckinOptions:
    """``assess checkin``'s flags."""

    answers_file: str | None = None
    no_input: bool = False
    hours: tuple[str, ...] = ()  # ROUND=HOURS texts
    output: str | None = None
    fmt: str | None = None


def run_checkin(home: Path, today: dt.date, options: CheckinOptions, ask: Ask | None,
                say: Say, note: Say, progress: Say | None = None) -> Printout:
    """The weekly loop: re-rate (from a file, on a terminal, or not at all with
    ``no_input``), log the hours, write the report; the printout says what moved.

    Ratings typed on a terminal are saved as they are given (an interrupted check-in
    resumes); the hours, a file's ratings and the report are all or nothing."""
    if options.answers_file and options.no_input:
        raise UsageError("--answers and --no-input do not go together: pick one")
    path, kind = report_target(home, today, options.output, options.fmt)
    try:
        with Store.open(home) as store:
            asked = _ask_or_read(store, today, options, ask, say, note)
    except Stopped as stop:
        return stop.printout()
    # One transaction from here: an incomplete rating, or a report that cannot be written,
    # leaves the history exactly as it was, so a retry logs nothing twice.
    out: list[str] = []
    notes: list[str] = []
    with Store.all_or_nothing(home) as store:
        rubric, answers, hours = asked.rubric, asked.answers, asked.hours
        before, after = asked.before, asked.rated
        since = before.date if before else None
        if answers is not None and not answers.ratings:  # hours (and practice) only
            before, after, since = checkin_baseline(store, today)
            for attempt in answers.practice:
                store.add_attempt(attempt)
            if answers.stories:
                added = store.add_stories(answers.stories)[0]
                notes.append(f"Added {len(added)} STAR stories.")
        elif answers is not None:
            applied = apply_answers(store, rubric, answers, "self", today, log_hours=False)
            after = applied.assessment
            if applied.stories_added:
                notes.append(f"Added {applied.stories_added} STAR stories.")
        elif after is None:  # no_input: what changed since the last check-in, if anything
            before, after, since = checkin_baseline(store, today)
        if after is None or not after.complete:
            logged = " Nothing was logged." if hours else ""
            raise UsageError(
                "no complete self-assessment to plan from yet: run `assess rate` (or "
                f"`assess checkin --answers FILE`) to rate every topic.{logged}"
            )
        for round_id, amount in hours.items():
            store.log_hours(round_id, amount, today, "weekly check-in")
            notes.append(f"Logged {amount:g} h on {rubric.round(round_id).title}.")
        moved = moved_lines(rubric, before.ratings, after.ratings) if before else []
        old = _readiness_of(store, before, asked.target_level) if before else None
        new = _readiness_of(store, after, asked.target_level)
        if before is not None:
            out.append(f"Since your check-in on {since}:" if moved
                       else f"No rating changed since your check-in on {since}.")
            out.extend(moved)
        out.append(readiness_change_line(old, new, since))
        store.record_checkin(today, after.id)
        written = write_report(home, today, path, kind, note, progress)
    printout = Printout()
    for line in notes:
        printout.note(for_terminal(line))
    for line in out:
        printout.out(line)
    printout.out(f"Report: {written.resolve()}")
    return printout


@dataclass(frozen=True)
class _Asked:
    """What the check-in knows before its transaction: the rubric, the ratings before, the
    file's answers or the ratings just typed, and the hours to log."""

    rubric: Any
    target_level: int
    before: Any
    answers: Any = None
    rated: Any = None
    hours: dict[str, float] = field(default_factory=dict)


def _ask_or_read(store: Any, today: dt.date, options: CheckinOptions, ask: Ask | None,
                 say: Say, note: Say) -> _Asked:
    """Read the answers file, or re-rate on the terminal and ask the hours (each rating is
    saved as it is given)."""
    from assess.app.history import target_level_of

    profile, rubric = profile_and_rubric(store, note)
    if profile is None:
        raise UsageError("no profile yet: run `assess start` first (or `assess init`, then "
                         "`assess rate`)")
    target_level = target_level_of(profile)
    flag_hours = parse_hours_flags(rubric, options.hours)
    before = store.latest_complete("self", on_or_before=today)
    if options.answers_file is not None:
        answers = _checkin_answers(options.answers_file, rubric, today, flag_hours)
        return _Asked(rubric, target_level, before, answers=answers,
                      hours=dict(answers.hours) or dict(flag_hours))
    if options.no_input:
        return _Asked(rubric, target_level, before, hours=dict(flag_hours))
    if ask is None:
        raise UsageError(
            "no terminal to ask on: pass --answers FILE to re-rate from a file, or "
            "--no-input to keep your ratings (with --hours ROUND=HOURS)"
        )
    say(f"Weekly check-in for {profile.name}. Enter keeps last week's answer.")
    rated = rate_on_terminal(store, rubric, "self", today, ask, say).assessment
    if flag_hours:
        return _Asked(rubric, target_level, before, rated=rated, hours=dict(flag_hours))
    since = before.date if before else None
    already: dict[str, float] = {}
    for entry in store.hours_entries():
        if since is None or entry.date > since:
            already[entry.round] = already.get(entry.round, 0.0) + entry.hours
    try:
        hours = ask_hours(rubric, ask, say, since, already)
    except (KeyboardInterrupt, EOFError):
        raise Stopped("Stopped. Your ratings are saved; log hours with `assess log ROUND "
                      "HOURS` and run `assess report` for the PDF.") from None
    return _Asked(rubric, target_level, before, rated=rated, hours=hours)


def _checkin_answers(answers_file: str, rubric: Any, today: dt.date,
                     flag_hours: dict[str, float]) -> Any:
    from assess.inputs.answers import read_answers

    answers = read_answers(answers_file, rubric, today)
    if answers.rater == "mentor":
        raise UsageError(
            f"{answers.label}: rater: mentor; a check-in is your own re-rating. For "
            "your mentor's ratings use `assess rate --rater mentor --answers FILE`"
        )
    if answers.hours and flag_hours:
        raise UsageError(
            f"hours are given twice: in {answers.label} and with --hours; keep one"
        )
    return answers


def _readiness_of(store: Any, assessment: Any, target_level: int) -> float:
    from assess.evidence.scoring import overall_readiness

    return overall_readiness(store.rubric_snapshot(assessment.id), assessment.ratings,
                             target_level)
