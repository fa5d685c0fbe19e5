"""What the mentor's fillable pages show: every topic with the candidate's own rating, the
standing mentor rating, and the fields to fill in; and what the form belongs to.

Plain data for the template ``sections/mentor_form.html``; the PDF renderer turns its
``<select>``, ``<input>`` and ``<textarea>`` elements into PDF form fields, and
``assess.inputs.pdf_answers`` reads them back.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from assess.inputs import form_fields

if TYPE_CHECKING:
    from assess.app.engine import State


def mentor_form(state: State, profile_id: str) -> dict[str, Any]:
    """The form's content for ``state``: identity fields, then one row per topic by round."""
    rubric = state.rubric
    ratings = state.self_assessment.ratings
    effective = state.effective
    rounds = []
    for rnd in rubric.rounds:
        topics = []
        for topic in rnd.topics:
            eff = effective.get(topic.id)
            mentor_date = state.mentor_dates.get(topic.id)
            topics.append({
                "id": topic.id,
                "title": topic.title,
                "advanced": topic.depth == "advanced",
                "self": ratings.get(topic.id),
                "mentor": state.mentor_ratings.get(topic.id),
                "mentor_date": mentor_date.isoformat() if mentor_date else None,
                "disputed": bool(eff and eff.disputed),
                "level_field": form_fields.level_field(topic.id),
                "note_field": form_fields.note_field(topic.id),
            })
        rounds.append({"id": rnd.id, "title": rnd.title, "topics": topics})
    return {
        "identity": {
            form_fields.FORM_KIND: "mentor",
            form_fields.PROFILE: profile_id,
            form_fields.RUBRIC: rubric.meta.id,
            form_fields.RUBRIC_VERSION: rubric.meta.version,
            form_fields.REPORT_DATE: state.today.isoformat(),
        },
        "candidate": state.profile.name,
        "date": state.today.isoformat(),
        "scale": [{"level": lv.level, "label": lv.label} for lv in rubric.scale],
        "rounds": rounds,
        "fields": {
            "comment": form_fields.COMMENT,
            "name": form_fields.MENTOR_NAME,
            "date": form_fields.MENTOR_DATE,
        },
    }
