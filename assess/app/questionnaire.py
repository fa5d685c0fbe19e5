"""The rating loop and the profile questions, driven by an ``ask`` and a ``say`` callable.

``ask(prompt, default)`` returns one line typed by the user (``default`` when they press Enter,
or ``""`` when there is no default); ``say(text)`` prints. The CLI passes thin wrappers around
``click.prompt`` and ``click.echo``; tests pass scripted fakes. Nothing here imports Click.

Every answer goes to the store the moment it is given, so an interrupt (Ctrl-C raises out of
``ask``) loses nothing, and the next run offers to resume.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assess.app.prompts import (  # noqa: F401
    WIDTH,
    Ask,
    Say,
    _wrap,
    ask_yes_no,
)
from assess.errors import InputError, UsageError
from assess.inputs.answers_model import Answers
from assess.plan.view import bar
from assess.store import Assessment, Store

LEVEL_HELP = "1-5 rate, ? questions, n note, s skip, b back"


# ----- the questionnaire ------------------------------------------------------------------------


@dataclass(frozen=True)
class RateResult:
    """What a questionnaire run ended with."""

    assessment: Assessment
    resumed: bool = False
    set_aside: Assessment | None = None  # an unfinished assessment the user chose not to resume
    logged_hours: dict[str, float] = field(default_factory=dict)
    stories_added: int = 0  # STAR stories from the answers file (copies already here skipped)


def scoped_topics(rubric: Any, scope: str | None) -> list[Any]:
    """The topics a run asks about, in rubric order (one round's with ``scope``)."""
    rounds = [rubric.round(scope)] if scope else list(rubric.rounds)
    return [topic for round_ in rounds for topic in round_.topics]


def rate_interactively(
    store: Store,
    rubric: Any,
    rater: str,
    today: dt.date,
    ask: Ask,
    say: Say,
    scope: str | None = None,
    defaults: Mapping[str, int | None] | None = None,
) -> RateResult:
    """Run the questionnaire on a terminal: offer to resume, then ask each topic in turn.

    ``rubric`` is used for a new assessment; a resumed one keeps the rubric it started with.
    ``defaults`` (topic -> level or None for skip) replaces the rater's last answers as what
    Enter keeps.
    """
    resumed = False
    set_aside = None
    open_one = store.unfinished(rater)
    if open_one is not None:
        snapshot = store.rubric_snapshot(open_one.id)
        asked = scoped_topics(snapshot, open_one.scope)
        done = sum(1 for t in asked if t.id in open_one.ratings)
        what = f"round {open_one.scope}" if open_one.scope else "assessment"
        say(
            f"You have an unfinished {rater} {what} from {open_one.date.isoformat()} "
            f"({done} of {len(asked)} topics answered)."
        )
        if ask_yes_no(ask, say, "Resume it?", default=True):
            resumed = True
            rubric, scope, assessment_id = snapshot, open_one.scope, open_one.id
        else:
            set_aside = store.finish_assessment(open_one.id)
            say("Kept its answers in your history as an incomplete assessment; starting afresh.")
    if not resumed:
        assessment_id = store.begin_assessment(rater, today, rubric, scope=scope)
    assessment = run_topics(store, assessment_id, rubric, ask, say, scope, defaults=defaults)
    return RateResult(assessment=assessment, resumed=resumed, set_aside=set_aside)


def run_topics(
    store: Store,
    assessment_id: int,
    rubric: Any,
    ask: Ask,
    say: Say,
    scope: str | None = None,
    defaults: Mapping[str, int | None] | None = None,
) -> Assessment:
    """Ask every topic not yet answered (``b`` goes back to answered ones); then finish."""
    current = store.get_assessment(assessment_id)
    rater = current.rater
    topics = scoped_topics(rubric, scope)
    last: dict[str, int | None] = (
        store.last_answers(rater) if defaults is None else dict(defaults)
    )
    answers: dict[str, int | None] = {t.id: current.ratings[t.id] for t in topics
                                      if t.id in current.ratings}
    notes = dict(current.notes)
    round_of = {t.id: r for r in rubric.rounds for t in r.topics}
    round_index = {r.id: n for n, r in enumerate(rubric.rounds, start=1)}
    total = len(topics)
    evidence = _evidence_lines(store, topics, current.date)
    index = next((n for n, t in enumerate(topics) if t.id not in answers), total)
    if 0 < index < total:
        say(f"Resuming at topic {index + 1} of {total}.")
    shown_round: str | None = None
    while index < total:
        topic = topics[index]
        round_ = round_of[topic.id]
        if round_.id != shown_round:
            shown_round = round_.id
            say("")
            say(f"== {round_.title} (round {round_index[round_.id]} of {len(rubric.rounds)}) ==")
        _show_topic(say, rubric, topic, index, total)
        if topic.id in evidence:
            say(f"  {evidence[topic.id]}")
        if topic.id in answers:
            given = answers[topic.id]
            default = "s" if given is None else str(given)
            if given is not None:
                say(f"  You answered {given} ({_label(rubric, given)}). Enter keeps it.")
            else:
                say("  You skipped this one. Enter keeps it skipped.")
        elif topic.id in last and last[topic.id] is None:
            default = "s"
            say("  Last time: skipped. Enter skips it again.")
        elif topic.id in last:
            level = last[topic.id]
            default = str(level)
            say(f"  Last time: {default} ({_label(rubric, level)}). Enter keeps it.")
        else:
            default = None
        step = _ask_topic(store, assessment_id, rubric, topic, ask, say, default, notes)
        if step == "back":
            if index == 0:
                say("This is the first topic; there is nothing to go back to.")
            else:
                index -= 1
                shown_round = None
            continue
        answers[topic.id] = step
        index += 1
    return store.finish_assessment(assessment_id)


def _evidence_lines(store: Store, topics: Any, today: dt.date) -> dict[str, str]:
    """Topic id -> "evidence: 2 attempts, best 5/6 points in 38 of 45 min" for topics with
    recent attempts, shown beside the prompt so a rating can lean on what was done."""
    from assess.evidence.practice import caps_for, evidence

    attempts = [a for a in store.attempts() if a.date <= today]
    mentor_dates: dict[str, dt.date] = {}
    for a in store.assessments("mentor"):
        if a.date <= today:
            mentor_dates.update({k: a.date for k, v in a.ratings.items() if v is not None})
    caps = caps_for(attempts, mentor_dates)
    out = {}
    for topic in topics:
        ev = evidence(topic.id, None, None, 5, attempts, today)
        line = ev.line() if ev.attempts else ""
        if topic.id in caps:  # a self-rating does not lift it: say so before the answer
            line = "; ".join(x for x in (line, caps[topic.id].reason()) if x)
        if line:
            out[topic.id] = line
    return out


def _label(rubric: Any, level: int) -> str:
    return next((lvl.label for lvl in rubric.scale if lvl.level == level), str(level))


def _show_topic(say: Say, rubric: Any, topic: Any, index: int, total: int) -> None:
    tag = " (advanced)" if getattr(topic, "depth", "core") == "advanced" else ""
    say("")
    say(f"[{index + 1}/{total}] {topic.title}{tag}")
    say(_wrap(topic.covers, "      "))
    width = max(len(lvl.label) for lvl in rubric.scale)
    for lvl in rubric.scale:
        say(_level_line(lvl, width))


def _level_line(lvl: Any, width: int) -> str:
    head = f"  {lvl.level} {lvl.label.ljust(width)}  "
    return textwrap.fill(
        " ".join(str(lvl.descriptor).split()),
        width=WIDTH,
        initial_indent=head,
        subsequent_indent=" " * len(head),
    )


def _ask_topic(
    store: Store,
    assessment_id: int,
    rubric: Any,
    topic: Any,
    ask: Ask,
    say: Say,
    default: str | None,
    notes: dict[str, str],
) -> int | None | str:
    """Ask until the user rates, skips or goes back. Returns the level, None, or "back"."""
    while True:
        reply = ask(f"Your level ({LEVEL_HELP})", default).strip().lower()
        if reply in ("1", "2", "3", "4", "5"):
            level = int(reply)
            store.record_rating(assessment_id, topic.id, level)
            return level
        if reply == "s":
            store.record_rating(assessment_id, topic.id, None)
            return None
        if reply == "b":
            return "back"
        if reply == "?":
            _show_questions(say, topic)
            continue
        if reply == "n":
            existing = notes.get(topic.id)
            if existing:
                say(f"  Current note: {existing}")
            text = ask("Note (Enter to keep it as it is, '-' to remove it)", "").strip()
            if text == "-":
                store.record_note(assessment_id, topic.id, "")
                notes.pop(topic.id, None)
                say("  Note removed.")
            elif (problem := _note_problem(text)) is not None:
                say(f"  {problem}")
            elif text:
                store.record_note(assessment_id, topic.id, text)
                notes[topic.id] = text
                say("  Note saved.")
            continue
        if reply == "":
            say("Type a level from 1 to 5 and press Enter (or ? for questions, s to skip).")
        else:
            say(f"{reply!r} is not an answer here: type {LEVEL_HELP}.")


def _show_questions(say: Say, topic: Any) -> None:
    questions = list(getattr(topic, "questions", ()) or ())
    if not questions:
        say("  No practice questions for this topic in the rubric. Its scope:")
        say(_wrap(topic.covers, "    "))
        return
    say("  Practice questions:")
    for question in questions:
        say(_wrap(f"- {question.text} ({question.minutes} min)", "    "))


# ----- rating from an answers file ----------------------------------------------------------


def apply_answers(
    store: Store,
    rubric: Any,
    answers: Answers,
    rater: str | None,
    today: dt.date,
    scope: str | None = None,
    log_hours: bool = True,
) -> RateResult:
    """Save a validated answers file as one new assessment (and its hours), in one transaction.

    Topics the file leaves out keep this rater's last answer (a mentor's: their standing
    rating, which is not copied into the new assessment). ``rater`` is the --rater flag
    (None when not given); it must agree with the file's ``rater`` when both are there.
    """
    if rater is not None and answers.rater is not None and rater != answers.rater:
        raise UsageError(
            f"--rater {rater} does not match {answers.label}: rater: {answers.rater}"
        )
    who = rater or answers.rater or "self"
    if who == "mentor" and answers.hours:
        raise UsageError(
            f"{answers.label}: hours: a mentor's ratings log no hours; the candidate logs "
            "their own with `assess log` or `assess checkin`"
        )
    if who == "mentor" and answers.stories:
        raise UsageError(
            f"{answers.label}: stories: a mentor's ratings carry no stories; the candidate adds "
            "their own with `assess story add`"
        )
    day = answers.date or today
    # A mentor's rating stands until the mentor rates that topic again, so a mentor's topics
    # left out are not copied forward: a copy would look like a new rating on a new date.
    keep_last = who != "mentor"
    last = store.last_answers(who) if keep_last else {}
    ratings: dict[str, int | None] = {}
    for topic in scoped_topics(rubric, scope):
        if topic.id in answers.ratings:
            ratings[topic.id] = answers.ratings[topic.id]
        elif topic.id in last:
            ratings[topic.id] = last[topic.id]
    hours = answers.hours if log_hours else {}
    assessment = store.add_assessment(
        who,
        day,
        rubric,
        ratings,
        answers.notes,
        scope=scope,
        hours=hours,
        hours_note=f"from {Path(answers.label).name}" if hours else None,
        keep_last=keep_last,
        comment=answers.comment,
        rater_name=answers.rater_name,
    )
    for attempt in answers.practice:
        store.add_attempt(attempt)
    added = store.add_stories(answers.stories)[0] if answers.stories else []
    return RateResult(assessment=assessment, logged_hours=dict(hours),
                      stories_added=len(added))


# ----- summaries --------------------------------------------------------------------------------


def readiness_lines(rubric: Any, ratings: Mapping[str, int | None], target_level: int) -> list[str]:
    """``Readiness by round (target level N):`` then one line per round, with the overall."""
    from assess.evidence.scoring import overall_readiness, round_readiness

    per_round = round_readiness(rubric, ratings, target_level)
    width = max(len(r.title) for r in rubric.rounds)
    lines = [f"Readiness by round (target level {target_level}):"]
    for round_ in rubric.rounds:
        value = per_round.get(round_.id, 0.0)
        lines.append(f"  {round_.title.ljust(width)}  {bar(value)} {value:4.0%}")
    overall = overall_readiness(rubric, ratings, target_level)
    lines.append(f"  {'Overall'.ljust(width)}  {bar(overall)} {overall:4.0%}")
    return lines


def assessment_line(assessment: Assessment, rubric: Any) -> str:
    """``Saved a complete self assessment: 24 of 24 topics (2 skipped), dated 2026-11-25.``"""
    topics = scoped_topics(rubric, None)
    answered = sum(1 for t in topics if t.id in assessment.ratings)
    skipped = sum(
        1 for t in topics if t.id in assessment.ratings and assessment.ratings[t.id] is None
    )
    state = "a complete" if assessment.complete else "an incomplete"
    scope = f" (round {assessment.scope})" if assessment.scope else ""
    extra = f" ({skipped} skipped)" if skipped else ""
    return (
        f"Saved {state} {assessment.rater} assessment{scope}: {answered} of {len(topics)} "
        f"topics answered{extra}, dated {assessment.date.isoformat()}."
    )


def moved_lines(
    rubric: Any, before: Mapping[str, int | None], after: Mapping[str, int | None]
) -> list[str]:
    """One line per topic whose level changed between two rating sets, in rubric order.

    A topic missing from ``after`` has not been answered again and is not listed.
    """
    lines = []
    for topic in scoped_topics(rubric, None):
        if topic.id not in after:
            continue
        old, new = before.get(topic.id), after[topic.id]
        if old == new:
            continue
        if old is None:
            how = f"- -> {new} (first rating)"
        elif new is None:
            how = f"{old} -> skipped"
        else:
            how = f"{old} -> {new} ({'up' if new > old else 'down'} {abs(new - old)})"
        lines.append(f"  {topic.title}: {how}")
    return lines


# ----- the profile questions --------------------------------------------------------------------


def _note_problem(text: str) -> str | None:
    """Why a typed note cannot be saved (too long, control characters), or None."""
    from assess.core.textsafety import check_text
    from assess.inputs.answers_model import MAX_NOTE_CHARS

    try:
        check_text(text, "note", max_chars=MAX_NOTE_CHARS)
    except InputError as exc:
        return f"{str(exc).split(': ', 1)[1]}; the note was not saved."
    return None


# ----- the weekly check-in ------------------------------------------------------------------
