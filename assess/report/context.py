"""The report context: everything a report shows, as plain, JSON-ready data.

The context is built once and fed to every format (PDF, HTML, Markdown, JSON, iCalendar), so
they cannot disagree. It holds only plain values (str, int, float, bool, None, lists, dicts):
no rubric models, no markup. Text from rubrics and notes is kept as it was written; escaping is
the renderers' job.

``assemble_context`` takes plain inputs (a rubric, a profile, ratings, the plan in its
``assess plan --json`` form, the history); ``build_context`` pulls those out of the engine's
``State``. Scores of earlier or other ratings (the last check-in, the mentor's view) come from
``assess.evidence.scoring``, the same functions the plan uses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from assess import __version__
from assess.evidence.scoring import score
from assess.report.context_common import Context, _iso  # noqa: F401 - re-exported
from assess.report.context_plan import _allocation, _appendix, _feasibility, _timeline, _weeks  # noqa: F401 - re-exported
from assess.report.context_progress import (  # noqa: F401 - re-exported
    _calibration,
    _gaps,
    _mentor_questions,
    _progress,
    _readiness,
)
from assess.report.practice_context import practice_context
from assess.rubric.model import Rubric
from assess.rubric.profile import DEFAULT_STUDY_TIME, Profile

if TYPE_CHECKING:
    from assess.app.engine import State
    from assess.stories.star import Story

SCHEMA = 1


# ----- pieces ----------------------------------------------------------------------------------


def _triage(plan: Mapping[str, Any]) -> dict[str, Any]:
    """The week's shape, the topics the plan protects and those it leaves out this time."""
    return {
        "week_shape": str(plan.get("week_shape") or ""),
        "protect": [dict(p) for p in plan.get("protect") or []],
        "not_this_time": [dict(p) for p in plan.get("not_this_time") or []],
    }


def _interview(rubric: Rubric, profile: Profile, today: dt.date, weeks: int) -> dict[str, Any]:
    tl = rubric.timeline
    when = profile.interview_date
    days_left = (when - today).days if when else None
    plural = "s" if weeks != 1 else ""
    if when is None:
        status = "no date"
        advice = (
            f"No interview date is set, so the plan assumes {weeks} week{plural}. "
            "Set one with: assess init --interview-date YYYY-MM-DD"
        )
    elif days_left is not None and days_left < 0:
        status = "past"
        advice = (
            f"The interview date {when.isoformat()} has passed; the plan assumes "
            f"{weeks} week{plural}."
        )
    elif weeks < tl.min_weeks:
        status = "compressed"
        advice = (
            f"{days_left} day{'s' if days_left != 1 else ''} to the onsite: a compressed plan "
            "that takes the biggest gaps first. (The guide's "
            f"{tl.min_weeks}-{tl.max_weeks} weeks is the whole process from screen to offer, "
            "not a preparation window.)"
        )
    elif weeks > tl.max_weeks:
        status = "long"
        advice = (
            f"{weeks} weeks to the onsite: a long runway. The plan spreads the work out and "
            "re-balances each week you check in."
        )
    else:
        status = "in window"
        advice = f"{weeks} week{plural} to the onsite."
    return {
        "date": _iso(when),
        "days_left": days_left,
        "weeks": weeks,
        "min_weeks": tl.min_weeks,
        "max_weeks": tl.max_weeks,
        "status": status,
        "advice": advice,
    }


# ----- assembly ------------------------------------------------------------------------------


def assemble_context(
    *,
    rubric: Rubric,
    profile: Profile,
    today: dt.date,
    plan: Mapping[str, Any],
    ratings: Mapping[str, int | None],
    notes: Mapping[str, str] | None = None,
    assessed_on: dt.date | None = None,
    previous: Mapping[str, Any] | None = None,
    mentor: Mapping[str, Any] | None = None,
    history: Sequence[Mapping[str, Any]] = (),
    attempts: Sequence[Mapping[str, Any]] = (),
    stories: Sequence[Story] = (),
) -> Context:
    """Build the report context from plain inputs.

    - ``plan``: the ``assess plan --json`` object (readiness, gaps, allocation, weeks,
      feasibility, notes): what the plan uses, mentor-lowered ratings included;
    - ``ratings`` and ``notes``: the current self-assessment (topic id -> level or None);
    - ``previous``: the previous complete self check-in, ``{"date", "ratings"}``, or None;
    - ``mentor``: the mentor's standing rating per topic, ``{"date", "ratings", "notes"}`` and
      optionally ``"dates"`` (topic id -> the day that rating was given);
    - ``history``: every assessment, oldest first, each with ``date``, ``rater``,
      ``complete`` and ``readiness``;
    - ``stories``: the STAR story bank (``stories_context`` gives the grid and the flags).
    """
    notes = dict(notes or {})
    target = profile.target_level
    weeks = _weeks(rubric, plan.get("weeks") or [])
    self_scores = score(rubric, ratings, target)
    previous_scores = score(rubric, previous["ratings"], target) if previous else None
    mentor_view = None
    if mentor and mentor.get("ratings"):
        view = {**dict(ratings), **{k: v for k, v in mentor["ratings"].items() if v is not None}}
        mentor_view = score(rubric, view, target)
    study_time = profile.study_time or DEFAULT_STUDY_TIME
    ctx: Context = {
        "schema": SCHEMA,
        "generator": f"assess {__version__}",
        "lang": "en",
        "date": today.isoformat(),
        "plan_id": str(plan.get("plan_id") or ""),
        "assessed_on": _iso(assessed_on or today),
        "title": f"Interview readiness: {profile.name}",
        "subject": f"{rubric.meta.title}: readiness, gaps and a {len(weeks)}-week study plan",
        "candidate": {
            "name": profile.name,
            "target_level": target,
            "hours_per_week": profile.hours_per_week,
            "study_time": study_time.strftime("%H:%M"),
        },
        "rubric": {
            "id": rubric.meta.id,
            "title": rubric.meta.title,
            "company": rubric.meta.company,
            "role": rubric.meta.role,
            "version": rubric.meta.version,
            "source": rubric.meta.source,
        },
        "interview": _interview(rubric, profile, today, len(weeks)),
        "scale": [
            {"level": lv.level, "label": lv.label, "descriptor": lv.descriptor}
            for lv in rubric.scale
        ],
        "rated": sum(1 for t in rubric.topics if ratings.get(t) is not None),
        "topics": len(rubric.topics),
        "mentor_marked": [str(t) for t in plan.get("mentor_marked") or []],
        "readiness": _readiness(
            rubric, plan.get("readiness") or {}, self_scores, previous_scores, mentor_view
        ),
        "gaps": _gaps(rubric, plan.get("gaps") or [], notes,
                      (mentor or {}).get("dates") or {}),
        "allocation": _allocation(rubric, plan.get("allocation") or {}),
        "feasibility": _feasibility(rubric, plan.get("feasibility")),
        "weeks": weeks,
        "timeline": _timeline(rubric, plan),
        "plan_notes": [str(n) for n in plan.get("notes") or []],
        "notes": {k: str(notes[k]) for k in rubric.topics if notes.get(k)},
        "triage": _triage(plan),
        "ratings": {k: ratings[k] for k in rubric.topics if ratings.get(k) is not None},
    }
    ctx["progress"] = _progress(
        rubric, target, today, ratings, self_scores.overall, previous,
        previous_scores.overall if previous_scores else None, history,
    )
    ctx["calibration"] = _calibration(rubric, ratings, mentor)
    ctx["practice"] = practice_context(rubric, plan, attempts)
    ctx["mentor_questions"] = _mentor_questions(ctx)
    ctx["mentor_page"] = None  # page 1, from the record: see build_context
    ctx["appendix"] = _appendix(rubric, weeks)
    ctx["stories"] = stories_context(rubric, stories)
    return ctx


def build_context(state: State) -> Context:
    """The report context from the engine's ``State`` (see ``assess.app.engine.current_state``)."""
    current = state.self_assessment
    previous = (
        {"date": state.previous_self.date, "ratings": dict(state.previous_self.ratings)}
        if state.previous_self is not None
        else None
    )
    mentor = None
    if state.mentor_ratings:
        notes: dict[str, str] = {}
        for assessment in state.mentor_assessments:  # oldest first: the newest note wins
            notes.update({k: v for k, v in assessment.notes.items() if v})
        latest = state.latest_mentor
        signed = [a for a in state.mentor_assessments if a.comment or a.rater_name]
        mentor = {
            # the newest overall comment and name, from a mentor's form
            "comment": signed[-1].comment if signed else "",
            "name": signed[-1].rater_name if signed else "",
            "date": latest.date if latest is not None else None,
            "ratings": dict(state.mentor_ratings),
            "dates": {k: v.isoformat() for k, v in state.mentor_dates.items()},
            "notes": notes,
        }
    # A note from the last check-in still explains a rating unless this one replaced it.
    notes = dict(state.previous_self.notes) if state.previous_self is not None else {}
    notes.update({k: v for k, v in current.notes.items() if v})
    ctx = assemble_context(
        rubric=state.rubric,
        profile=state.profile,
        today=state.today,
        plan=state.plan_json(),
        ratings=dict(current.ratings),
        notes=notes,
        assessed_on=current.date,
        previous=previous,
        mentor=mentor,
        history=[entry.to_json() for entry in state.history],
        attempts=[a.to_json() for a in state.attempts],
        stories=state.stories,
    )
    from assess.report.mentor_page import mentor_page

    ctx["mentor_page"] = mentor_page(state, ctx)
    return ctx


def stories_context(rubric: Rubric, stories: Sequence[Story]) -> dict[str, Any]:
    """The story grid: each behavioral question (grouped by topic) with the ids of the
    stories answering it, each story with its flags, and what is uncovered or stretched."""
    from assess.stories.star import coverage, story_json

    cover = coverage(rubric, stories)
    questions = {q.id: q.text for t in rubric.topics.values() for q in t.questions}
    grid = [
        {
            "topic": tid,
            "title": rubric.topics[tid].title,
            "round_title": rubric.round(rubric.round_of[tid]).title,
            "questions": [
                {"id": qid, "text": questions[qid], "stories": list(cover.questions[qid])}
                for qid in qids
            ],
        }
        for tid, qids in cover.topics.items()
    ]
    return {
        "items": [story_json(s) for s in stories],
        "grid": grid,
        "uncovered": [{"id": qid, "text": questions[qid],
                       "topic_title": rubric.topics[rubric.questions[qid][0].id].title}
                      for qid in cover.uncovered],
        "stretched": list(cover.stretched),
        "flagged": sum(1 for item in (story_json(s) for s in stories) if item["flags"]),
    }
