"""Setting up: the profile (``assess init``) and the first run (``assess start``: the profile,
the questionnaire, then the report). Plain functions given ``ask``/``say``/``note`` (see
``assess.app.flow_steps``); ``ask`` is None when no one can answer prompts. No Click.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assess.app.flow_steps import (
    Ask,
    Printout,
    Say,
    Stopped,
    rate_on_terminal,
    rate_summary,
    report_target,
    write_report,
)
from assess.app.profile_questions import ProfileInput, profile_line, resolve_profile
from assess.core.textsafety import for_terminal
from assess.errors import UsageError
from assess.store import Store


@dataclass(frozen=True)
class InitOptions:
    """``assess init``'s flags: the profile's values and ``--stage-date STAGE=DATE`` texts."""

    profile: ProfileInput = ProfileInput()
    stage_dates: tuple[str, ...] = ()
    week: Any = None  # AvailabilityFlags: hours per weekday, rest days, days off


@dataclass(frozen=True)
class StartOptions:
    """``assess start``'s flags: the profile's values, ``--answers`` and ``-o``."""

    profile: ProfileInput = ProfileInput()
    answers_file: str | None = None
    output: str | None = None
    week: Any = None  # AvailabilityFlags


def run_init(home: Path, today: dt.date, options: InitOptions, ask: Ask | None,
             say: Say) -> Printout:
    """Create or update the profile from the flags, asking for the rest when ``ask`` is given
    (each stage's date too, unless ``--stage-date`` gave some). Saved in one transaction over
    the profile as it is then, so a change made meanwhile is kept."""
    from assess.app.stages import check_order, rebase

    with Store.open(home) as store:
        existing = store.get_profile()
        try:
            profile, rubric = _profile_with_stages(existing, options, today, ask, say)
        except Stopped as stop:
            return stop.printout()
    with Store.all_or_nothing(home) as store:  # read and write in one transaction
        profile = rebase(existing, profile, store.get_profile())
        check_order(profile, rubric)
        store.save_profile(profile)
    printout = Printout()
    printout.out(for_terminal(f"Profile {'updated' if existing else 'saved'}: "
                              f"{profile_line(profile, today)}"))
    if existing is None:
        printout.note("Next: `assess rate` to rate yourself on every topic.")
    return printout


def _profile_with_stages(existing: Any, options: InitOptions, today: dt.date, ask: Ask | None,
                         say: Say) -> tuple[Any, Any]:
    """The profile from flags, prompts and current values, with its stages' dates checked;
    and its rubric."""
    from assess.app.stages import (
        ask_stage_dates,
        check_order,
        parse_stage_flags,
        with_stage_dates,
    )
    from assess.plan.calendar import onsite_stage_id
    from assess.rubric.model import load_rubric

    try:
        profile = resolve_profile(existing, options.profile, today, load_rubric, ask=ask,
                                  say=say)
        profile = with_week(profile, options.week, today, ask, say)
        rubric = load_rubric(profile.rubric)
        dates, onsite = parse_stage_flags(options.stage_dates, rubric, today)
        if onsite is not False and options.profile.interview_date is not None:
            raise UsageError(f"--interview-date and --stage-date {onsite_stage_id(rubric)}=: "
                             "both give the onsite's date; give it once")
        profile = with_stage_dates(profile, dates, onsite)
        if ask is not None and not options.stage_dates:
            profile = ask_stage_dates(profile, rubric, today, ask, say)
        check_order(profile, rubric)
    except (KeyboardInterrupt, EOFError):
        raise Stopped("Stopped: your profile is unchanged.") from None
    return profile, rubric


def with_week(profile: Any, flags: Any, today: dt.date, ask: Ask | None, say: Say) -> Any:
    """The profile with the week from the flags, or (``ask`` given, no flags) from prompts."""
    from dataclasses import replace

    from assess.rubric.availability import ask_availability, resolve_availability

    avail = profile.availability()
    if flags is not None and (flags.given or flags.blackouts):
        days, off = resolve_availability(flags, avail.day_hours, avail.blackouts, today)
    elif ask is not None:
        days, off = ask_availability(avail.day_hours, avail.blackouts, today, ask, say)
    else:
        return profile
    return replace(profile, day_hours=days, blackouts=off)


def run_start(home: Path, today: dt.date, options: StartOptions, ask: Ask | None, say: Say,
              note: Say, progress: Say | None = None) -> Printout:
    """The first run: the profile, the ratings (the questionnaire, or ``--answers``), then
    the report for the mentor. Exit 1 when the ratings are incomplete (no plan to write).

    From a file (``ask`` None) the profile, the ratings and the report are one transaction: a
    refusal or a report that cannot be written saves nothing. On a terminal each answer is
    saved as it is given, so an interrupted first run resumes."""
    if ask is None and options.answers_file is None:
        raise UsageError(
            "assess start asks its questions on a terminal. Without one, pass --no-input with "
            "--name NAME and --answers FILE (`assess rate --template` prints one to fill in)"
        )
    try:
        return _start(home, today, options, ask, say, note, progress)
    except Stopped as stop:
        return stop.printout()


def _start(home: Path, today: dt.date, options: StartOptions, ask: Ask | None, say: Say,
           note: Say, progress: Say | None) -> Printout:
    from assess.app.history import target_level_of
    from assess.rubric.model import load_rubric

    path, kind = report_target(home, today, options.output, None)
    printout = Printout()
    opener = Store.open if ask is not None else Store.all_or_nothing
    with opener(home) as store:
        existing = store.get_profile()
        if ask is not None:
            say("Welcome to assess. Three steps: your profile, the questionnaire "
                "(about two minutes; Ctrl-C keeps your answers), then your report.")
            say("")
        try:
            profile = resolve_profile(existing, options.profile, today, load_rubric, ask=ask,
                                      say=say)
            profile = with_week(profile, options.week, today, ask, say)
            if ask is not None:  # each stage's date, so the screens are planned for
                from assess.app.stages import ask_stage_dates, check_order

                stage_rubric = load_rubric(profile.rubric)
                profile = ask_stage_dates(profile, stage_rubric, today, ask, say)
                check_order(profile, stage_rubric)
        except (KeyboardInterrupt, EOFError):
            raise Stopped("Stopped before your profile was saved; run `assess start` again."
                          ) from None
        rubric = load_rubric(profile.rubric)
        answers = _start_answers(options.answers_file, rubric, today)
        store.save_profile(profile)
        saved = f"Profile {'updated' if existing else 'saved'}: {profile_line(profile, today)}"
        if ask is not None:
            say(saved)
        if answers is None and ask is not None:
            result = rate_on_terminal(store, rubric, "self", today, ask, say)
        else:
            result = _apply_all(store, rubric, answers, today)
        rated = result.assessment.complete and result.assessment.rater == "self"
        if rated:
            written = write_report(home, today, path, kind, note, progress)
    if ask is None:
        printout.out(for_terminal(saved))
    with Store.open(home) as store:
        rate_summary(store, result, target_level_of(profile), printout)
    if not rated:
        printout.note("Not every topic has a self-rating yet, so there is no plan to write: "
                      "run `assess rate` to finish, then `assess report`.")
        printout.exit_code = 1
        return printout
    printout.out(f"Report: {written.resolve()}")
    printout.note("Next week: `assess checkin` (Enter keeps this week's answers).")
    return printout


def _start_answers(answers_file: str | None, rubric: Any, today: dt.date) -> Any:
    """The answers file, checked in full before anything is saved (None without one)."""
    if answers_file is None:
        return None
    from assess.inputs.answers import read_answers

    answers = read_answers(answers_file, rubric, today)
    if answers.rater == "mentor":
        raise UsageError(
            f"{answers.label}: rater: mentor; `assess start` takes your own ratings. "
            "Your mentor's go in with `assess rate --rater mentor --answers FILE`"
        )
    return answers


def _apply_all(store: Any, rubric: Any, answers: Any, today: dt.date) -> Any:
    """Save the file's ratings; a first run needs every topic rated (else nothing is kept)."""
    from assess.app.questionnaire import apply_answers

    result = apply_answers(store, rubric, answers, None, today)
    if not result.assessment.complete:
        missing = len(rubric.topics) - len(result.assessment.ratings)
        raise UsageError(
            f"{answers.label}: ratings: {missing} topic(s) have no rating, so there is "
            "no plan to write; nothing was saved. Rate every topic (null skips one)"
        )
    return result
