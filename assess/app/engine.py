"""The engine: read the store once, score, plan. The one function ``assess plan`` and the report
call is ``current_state``.

This is the only part of scoring and planning that touches the store. For a profile on a
bundled rubric, the rubric is the snapshot stored with the assessment (see
``_rubric_and_assessment``), so planning validates no file and imports no pydantic. It reads
only what a plan needs (the profile, the latest complete self-assessment and the one before it,
mentor ratings, hours logged); the full history, which the report needs for its trend, is read
lazily the first time ``State.history`` is asked for.

Which ratings are used: the latest complete self-assessment dated on or before today, for the
rubric being planned (matched by rubric id), and the mentor's standing ratings: the mentor's
latest rating of each topic (up to today) stays in force until the mentor rates that topic
again, whatever self check-ins came after it. The plan uses the lower of the two (marked
``mentor``); a self-rating above the mentor's is ``disputed`` and the mentor's is used until
evidence supports the self-rating. Hours logged up to today count toward the round split.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any

from assess.app.saved_plans import hash_extra
from assess.errors import UsageError
from assess.evidence.levels import targets
from assess.evidence.practice import Attempt, Evidence, caps_for, evidence_for, unverified_jumps
from assess.evidence.scoring import (
    DIGITS,
    Calibration,
    EffectiveRating,
    Scores,
    calibration,
    effective_ratings,
    readiness_series,
    score,
    score_effective,
    standing_levels,
    with_evidence,
)
from assess.plan.planner import Plan, build_plan
from assess.rubric.model import Rubric, load_rubric
from assess.rubric.profile import Profile
from assess.store import CACHE_DIR, Assessment, HoursEntry, Store
from assess.store.plans import plan_id_of
from assess.stories.star import Story


@dataclass(frozen=True)
class HistoryEntry:
    """One past assessment with its readiness (scored against its own rubric snapshot)."""

    assessment: Assessment
    readiness: float
    rounds: dict[str, float]
    criteria: dict[str, float]

    def to_json(self) -> dict[str, Any]:
        a = self.assessment
        return {
            "id": a.id,
            "date": a.date.isoformat(),
            "rater": a.rater,
            "complete": a.complete,
            "readiness": round(self.readiness, DIGITS),
            "rounds": {k: round(v, DIGITS) for k, v in self.rounds.items()},
            "criteria": {k: round(v, DIGITS) for k, v in self.criteria.items()},
            "ratings": dict(a.ratings),
        }


@dataclass(frozen=True)
class Move:
    """A topic whose self-rating changed since the previous complete self-assessment."""

    topic: str
    round: str
    title: str
    before: int | None
    after: int | None

    @property
    def delta(self) -> int:
        return (self.after or 1) - (self.before or 1)

    def to_json(self) -> dict[str, Any]:
        return {
            "topic": self.topic,
            "round": self.round,
            "title": self.title,
            "before": self.before,
            "after": self.after,
            "delta": self.delta,
        }


@dataclass
class State:
    """Everything ``assess plan`` and the report need, read once.

    - ``self_assessment``: the complete self-assessment the plan uses;
    - ``mentor_assessments``: mentor assessments (same rubric, up to today), oldest first;
      each topic's newest mentor rating among them stands and shapes ``effective``;
    - ``effective``: topic id -> ``EffectiveRating`` (level used, self, mentor, source);
    - ``scores``: scores of the effective ratings; ``self_scores``: of the self ratings alone;
    - ``plan``: the ``Plan`` (``plan.to_json()`` is ``assess plan --json``);
    - ``logged``: round id -> hours logged up to today; ``hours_entries``: those entries;
    - ``previous_self`` / ``previous_scores``: the complete self-assessment before this one
      (for "what moved"), or None; ``moves``: the topics whose self-rating changed;
    - ``calibration``: self vs the mentor's standing rating per topic, where both rated;
    - ``mentor_ratings`` / ``mentor_dates``: the standing mentor rating per topic, its date;
    - ``history``: every assessment up to today with readiness, oldest first (read lazily).
    """

    home: Path
    today: dt.date
    profile: Profile
    rubric: Rubric
    self_assessment: Assessment
    mentor_assessments: list[Assessment]
    effective: dict[str, EffectiveRating]
    scores: Scores
    self_scores: Scores
    plan: Plan
    logged: dict[str, float]
    hours_entries: list[HoursEntry]
    previous_self: Assessment | None
    previous_scores: Scores | None
    calibration: list[Calibration]
    mentor_ratings: dict[str, int] = field(default_factory=dict)
    attempts: list[Attempt] = field(default_factory=list)
    evidence: dict[str, Evidence] = field(default_factory=dict)
    stories: list[Story] = field(default_factory=list)  # the STAR story bank, oldest first
    mentor_dates: dict[str, dt.date] = field(default_factory=dict)
    plan_id: str = ""  # the saved plan's id (see ``assess.store.plans``)
    inputs_hash: str = ""
    saved_plan: dict[str, Any] | None = None  # the saved plan's JSON, when one was reused

    def plan_json(self) -> dict[str, Any]:
        """``assess plan --json``: the saved plan with these inputs when there is one (so
        every output of the day shows the plan on record), with its ``plan_id``."""
        if self.saved_plan is not None:
            return self.saved_plan
        return {**self.plan.to_json(), "plan_id": self.plan_id}

    @property
    def disputed(self) -> list[EffectiveRating]:
        """Topics whose self-rating is above the standing mentor rating, in rubric order."""
        return [e for e in self.effective.values() if e.disputed]

    @property
    def latest_mentor(self) -> Assessment | None:
        return self.mentor_assessments[-1] if self.mentor_assessments else None

    @property
    def moves(self) -> list[Move]:
        """Topics whose self-rating changed since the previous complete self-assessment."""
        if self.previous_self is None:
            return []
        before, after = self.previous_self.ratings, self.self_assessment.ratings
        out = []
        for tid, topic in self.rubric.topics.items():
            if before.get(tid) != after.get(tid):
                out.append(Move(tid, self.rubric.round_of[tid], topic.title,
                                before.get(tid), after.get(tid)))
        return out

    @cached_property
    def history(self) -> list[HistoryEntry]:
        """Every assessment dated up to today, oldest first, with readiness."""
        return read_history(self.home, self.today, self.profile.target_level)


def _matching(assessment: Assessment | None, rubric: Rubric) -> bool:
    return assessment is not None and assessment.rubric_id == rubric.meta.id


def _latest_complete_self(store: Store, rubric: Rubric, on_or_before: dt.date) -> Assessment | None:
    found = store.latest_complete("self", on_or_before=on_or_before)
    if found is None or _matching(found, rubric):
        return found
    # the newest one is for another rubric: look further back for this one
    for a in reversed(store.assessments("self")):
        if a.complete and a.date <= on_or_before and _matching(a, rubric):
            return a
    return None


def _rubric_and_assessment(
    store: Store, profile: Profile, rubric_ref: str | None, today: dt.date
) -> tuple[Rubric, Assessment | None]:
    """The rubric to plan with, and the latest complete self-assessment rated against it.

    When the profile names a bundled rubric by id and the latest complete self-assessment was
    rated against that id, the rubric is the snapshot stored with it (no file to read or
    validate: fast, and exactly the rubric the ratings were given against). A rubric named by
    ``--rubric`` or a profile's file path is loaded from the file, through the validated-rubric
    cache under the data home (a file already validated with the same bytes is not re-parsed).
    """
    if rubric_ref is None:
        latest = store.latest_complete("self", on_or_before=today)
        if latest is not None and latest.rubric_id == profile.rubric:
            return store.rubric_snapshot(latest.id), latest
    cache = store.path.parent / CACHE_DIR
    if rubric_ref:
        rubric = load_rubric(rubric_ref, cache=cache)
    else:  # a profile's rubric file missing here: the snapshot stored with the history
        from assess.app.profile_rubric import profile_rubric

        rubric = profile_rubric(store, profile.rubric, cache)[0]
    return rubric, _latest_complete_self(store, rubric, today)


def current_state(home: Path, today: dt.date, rubric_ref: str | None = None,
                  keep: bool = True) -> State:
    """Read the store under ``home`` and build scores and the plan as of ``today``.

    The plan is saved (``keep``), with an id and the hash of its inputs, unless one with the
    same inputs is on record already: then that one is what ``State.plan_json`` gives.

    ``rubric_ref`` (a bundled id or a file) overrides the profile's rubric. Raises
    ``UsageError`` when there is no profile or no complete self-assessment yet.
    """
    with Store.open(home) as store:
        profile = store.get_profile()
        if profile is None:
            raise UsageError(
                "no profile yet. Run `assess init` first (or `assess start` for a guided "
                "first run), then `assess rate`."
            )
        if profile.interview_date is not None:
            from assess.core.bounds import check_ahead

            check_ahead(profile.interview_date, today, "profile interview_date")
        rubric, current = _rubric_and_assessment(store, profile, rubric_ref, today)
        if current is None:
            open_one = store.unfinished("self")
            hint = (
                " You have an unfinished one: run `assess rate` to pick up where you left off."
                if open_one is not None
                else " Run `assess rate` to rate every topic (a couple of minutes; "
                "`assess rate --answers FILE` works without a terminal)."
            )
            raise UsageError(
                f"no complete self-assessment for {rubric.meta.id} yet, so there is nothing to "
                "plan from." + hint
            )
        previous = _latest_complete_self(store, rubric, current.date - dt.timedelta(days=1))
        mentors = [
            a for a in store.assessments("mentor") if a.date <= today and _matching(a, rubric)
        ]
        entries = [e for e in store.hours_entries() if e.date <= today]
        attempts = [a for a in store.attempts() if a.date <= today]
        completions = [c for c in store.completions() if c.date <= today]
        stories = store.stories()
        checkins = [(a.date, a.ratings) for a in store.assessments("self")
                    if a.complete and a.date <= current.date and _matching(a, rubric)]
        baselines = baselines_done(store.saved_plans(on_or_before=today), completions, today)
        inputs_hash = store.inputs_hash(today, hash_extra(profile.rubric, rubric_ref))
        saved = store.plan_by_hash(inputs_hash)

    mentor_levels, mentor_dates = standing_levels((a.date, a.ratings) for a in mentors)
    effective = effective_ratings(rubric, current.ratings, mentor_levels, mentor_dates)
    rated_on = {t: mentor_dates[t] for t in mentor_levels}  # the mentor's standing ratings
    evidence = evidence_for(
        {k: e.level for k, e in effective.items()},
        {k: current.date for k in rubric.topics},
        targets(rubric, profile.target_level),
        attempts,
        today,
        caps=caps_for(attempts, rated_on),
        jumps=unverified_jumps(checkins, attempts, rated_on),
    )
    supported: dict[str, dt.date] = {}
    for attempt in attempts:
        if attempt.supports:
            supported[attempt.topic] = max(attempt.date, supported.get(attempt.topic, attempt.date))
    effective = with_evidence(effective, evidence, supported)
    scores = score_effective(rubric, effective, profile.target_level)
    topic_logged: dict[str, float] = {}
    for entry in entries:
        if entry.topic and entry.date >= current.date:
            topic_logged[entry.topic] = topic_logged.get(entry.topic, 0.0) + entry.hours
    logged: dict[str, float] = {}
    for entry in entries:
        logged[entry.round] = logged.get(entry.round, 0.0) + entry.hours
    plan = build_plan(
        rubric,
        scores,
        hours_per_week=profile.hours_per_week,
        today=today,
        interview_date=profile.interview_date,
        logged=logged,
        stage_dates=profile.stage_dates,
        stages_done=profile.stages_done,
        attempts=attempts,
        evidence=evidence,
        topic_logged=topic_logged,
        done_questions={c.question_id for c in completions if c.question_id},
        completed={c.session_id for c in completions},
        stories=stories,
        availability=profile.availability(),
        baselines_done=baselines,
    )
    if mentor_levels:
        marked = scores.mentor_marked
        plan = _with_note(
            plan,
            f"Your mentor rated {len(marked)} topic(s) lower than you did, so the plan uses "
            f"the mentor's rating there until the mentor rates them again: "
            f"{', '.join(rubric.topics[t].title for t in marked)}."
            if marked
            else "Your mentor's standing ratings are no lower than yours.",
        )
    body = saved.body if saved is not None else None
    if saved is None:
        body = {**plan.to_json(), "plan_id": plan_id_of(inputs_hash)}
        if keep:
            _keep_plan(home, inputs_hash, today, body)
    return State(
        home=Path(home),
        today=today,
        profile=profile,
        rubric=rubric,
        self_assessment=current,
        mentor_assessments=mentors,
        effective=effective,
        scores=scores,
        self_scores=score(rubric, current.ratings, profile.target_level),
        plan=plan,
        logged={r.id: logged.get(r.id, 0.0) for r in rubric.rounds},
        hours_entries=entries,
        previous_self=previous,
        previous_scores=(
            score(rubric, previous.ratings, profile.target_level) if previous else None
        ),
        calibration=calibration(rubric, current.ratings, mentor_levels),
        mentor_ratings=mentor_levels,
        mentor_dates={t: mentor_dates[t] for t in mentor_levels},
        attempts=attempts,
        evidence=evidence,
        stories=stories,
        plan_id=plan_id_of(inputs_hash),
        inputs_hash=inputs_hash,
        saved_plan=body,
    )


def baselines_done(plans: list[Any], completions: list[Any], today: dt.date) -> set[str]:
    """Rounds whose baseline mock is behind the candidate: ticked done, or dated before today
    in a plan on record (a baseline is booked once per round, not at every re-plan)."""
    done = {c.round for c in completions if c.activity == "mock" and "-baseline" in c.session_id}
    for p in plans:
        for w in p.body.get("weeks") or []:
            for s in w.get("sessions") or []:
                if s.get("kind") == "baseline" and s.get("date") and s["date"] < today.isoformat():
                    done.add(str(s["round"]))
    return done


def keep_plan(state: State) -> None:
    """Save the plan of a state made with ``keep=False`` (once its report is written)."""
    if state.inputs_hash:
        _keep_plan(state.home, state.inputs_hash, state.today, state.plan_json())


def _keep_plan(home: Path, inputs_hash: str, today: dt.date, body: dict[str, Any]) -> None:
    """Save the plan; a home that cannot be written (read-only, locked) still plans."""
    from assess.errors import StoreError

    try:
        with Store.open(home) as store:
            store.save_plan(inputs_hash, today, body)
    except StoreError:
        pass


def _with_note(plan: Plan, note: str) -> Plan:
    return replace(plan, notes=(*plan.notes, note))


def read_history(
    home: Path, today: dt.date | None = None, target_level: int | None = None
) -> list[HistoryEntry]:
    """Every assessment (up to ``today`` when given), oldest first, scored against its own
    rubric snapshot at ``target_level`` (the profile's, else 4)."""
    from assess.rubric.profile import DEFAULT_TARGET_LEVEL

    with Store.open(home) as store:
        if target_level is None:
            profile = store.get_profile()
            target_level = profile.target_level if profile else DEFAULT_TARGET_LEVEL
        every = [a for a in store.assessments() if today is None or a.date <= today]
        snaps = [store.rubric_snapshot(a.id) for a in every]
    ready = readiness_series(((a.rater, a.complete, a.ratings, snap)
                              for a, snap in zip(every, snaps, strict=True)), target_level)
    out = []
    for a, snap, overall in zip(every, snaps, ready, strict=True):
        s = score(snap, a.ratings, target_level)
        out.append(HistoryEntry(a, overall, dict(s.rounds), dict(s.criteria)))
    return out
