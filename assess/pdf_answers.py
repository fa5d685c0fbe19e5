"""Reading a filled-in PDF back: a mentor's form as an answers file, and the ticked sessions.

``assess report --mentor-form`` writes fillable pages (see ``assess.report.mentor_form``); a
mentor fills them in any PDF viewer. ``parse_pdf_answers`` reads the fields with pypdf, turns
them into the mapping an answers file holds, and validates it with ``validate_answers``, so a
form goes through exactly the checks a YAML answers file does. Before that it refuses, with
one line naming the file: a PDF that cannot be read (malformed or encrypted), a PDF without
the form, and a form made for another data home, rubric or rubric version.

``ticked_sessions`` returns the ids of the plan's session checkboxes that are ticked.

Plain Python; pypdf is imported only when a PDF is read. No Click, no store.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from assess import form_fields as names
from assess.answers import MAX_NOTE_CHARS, Answers, validate_answers
from assess.errors import AnswersError
from assess.rubric import Rubric
from assess.textsafety import shown

MAX_FIELDS = 20_000  # far above any report's fields; a bigger form is not one of ours
MAX_NAME_CHARS = 200
_OFF = {"", "/Off", "Off", "/off", "off", "/No", "No"}


def _fields(raw: bytes, label: str) -> dict[str, Any]:
    """Field name -> value of every form field in the PDF (empty without a form)."""
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise AnswersError(f"{label}: the PDF is encrypted; save an unencrypted copy "
                               "(without a password) and read that")
        fields = reader.get_fields() or {}
        if len(fields) > MAX_FIELDS:
            raise AnswersError(f"{label}: the PDF has more than {MAX_FIELDS} form fields; "
                               "not a form assess wrote")
        out: dict[str, Any] = {}
        for name, field in fields.items():
            value = field.get("/V")
            if value is None and field.get("/FT") == "/Btn":
                value = _widget_state(field)
            out[str(name)] = value
        return out
    except AnswersError:
        raise
    except PyPdfError as exc:
        raise AnswersError(f"{label}: not a readable PDF ({type(exc).__name__})") from None
    except Exception as exc:  # noqa: BLE001 - a damaged file trips pypdf in many ways
        raise AnswersError(f"{label}: not a readable PDF ({type(exc).__name__})") from None
        raise AnswersError(f"{label}: not a readable PDF ({type(exc).__name__})") from None
    finally:
        quiet.level = level


def _widget_state(field: Mapping[str, Any]) -> Any:
    """A checkbox some viewers mark only on its widget (``/AS``) rather than in ``/V``."""
    state = field.get("/AS")
    for kid in field.get("/Kids") or []:
        try:
            state = kid.get_object().get("/AS", state)
        except AttributeError:
            continue
    return state


def _text(value: Any) -> str:
    """A field's value as text (pypdf gives strings, names and sometimes lists)."""
    if value is None:
        return ""
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value).strip()


def _level(value: str) -> Any:
    """A level field's text: a whole number when it is one, else the text (refused later)."""
    return int(value) if value.isdigit() and len(value) <= 3 else value


def form_mapping(fields: Mapping[str, Any], label: str, rubric: Rubric,
                 profile_id: str) -> dict[str, Any]:
    """The answers mapping a mentor's form holds, after checking what the form belongs to."""
    identity = {key: _text(fields.get(key)) for key in names.IDENTITY}
    if identity[names.FORM_KIND] != "mentor":
        raise AnswersError(
            f"{label}: this PDF has no mentor's form (write one with "
            "`assess report --mentor-form -o FILE.pdf`)"
        )
    if identity[names.PROFILE] != profile_id:
        raise AnswersError(
            f"{label}: {names.PROFILE}: this form was made for another profile (another data "
            "home); it can only be read into the history it came from"
        )
    if identity[names.RUBRIC] != rubric.meta.id:
        raise AnswersError(
            f"{label}: {names.RUBRIC}: this form is for rubric {shown(identity[names.RUBRIC])}, "
            f"but the profile uses {rubric.meta.id!r}"
        )
    if identity[names.RUBRIC_VERSION] != rubric.meta.version:
        raise AnswersError(
            f"{label}: {names.RUBRIC_VERSION}: this form is for {rubric.meta.id} version "
            f"{shown(identity[names.RUBRIC_VERSION])}, but the rubric is now version "
            f"{rubric.meta.version!r}; write a new form with `assess report --mentor-form`"
        )
    ratings: dict[str, Any] = {}
    notes: dict[str, Any] = {}
    for name, value in fields.items():
        text = _text(value)
        if not text:  # blank: not rated this time (a standing rating stays in force)
            continue
        if name.startswith(names.LEVEL):
            ratings[_decoded(name[len(names.LEVEL):], label)] = _level(text)
        elif name.startswith(names.NOTE):
            notes[_decoded(name[len(names.NOTE):], label)] = text
    data: dict[str, Any] = {"rubric": rubric.meta.id, "rater": "mentor", "ratings": ratings}
    if notes:
        data["notes"] = notes
    day = _text(fields.get(names.MENTOR_DATE))
    if day:
        data["date"] = day
    return data


def _decoded(part: str, label: str) -> str:
    try:
        return names.decode(part)
    except UnicodeDecodeError:
        raise AnswersError(f"{label}: field {shown(part)}: not a name assess wrote") from None


def _checked_text(fields: Mapping[str, Any], key: str, label: str, limit: int) -> str:
    from assess.textsafety import unsafe_character

    text = _text(fields.get(key))
    if len(text) > limit:
        raise AnswersError(f"{label}: {key}: longer than {limit} characters")
    if code := unsafe_character(text, multiline=key == names.COMMENT):
        raise AnswersError(f"{label}: {key}: control character {code} is not allowed "
                           "(plain text only)")
    return text


def parse_pdf_answers(raw: bytes, label: str, rubric: Rubric, today: dt.date,
                      profile_id: str, scope: str | None = None) -> Answers:
    """A mentor's filled-in form as validated ``Answers``; ``AnswersError`` (exit 2) when it
    cannot be read, has no form, belongs elsewhere, or holds a value out of range."""
    fields = _fields(raw, label)
    data = form_mapping(fields, label, rubric, profile_id)
    comment = _checked_text(fields, names.COMMENT, label, MAX_NOTE_CHARS)
    mentor = _checked_text(fields, names.MENTOR_NAME, label, MAX_NAME_CHARS)
    if not data["ratings"]:
        raise AnswersError(f"{label}: the form has no level filled in: choose a level 1..5 for "
                           "at least one topic")
    answers = validate_answers(data, label, rubric, today, scope=scope)
    return Answers(
        label=answers.label, rubric=answers.rubric, rater=answers.rater, date=answers.date,
        ratings=answers.ratings, notes=answers.notes, hours=answers.hours,
        comment=comment, rater_name=mentor,
    )


def read_pdf_fields(path: str | Path) -> dict[str, Any]:
    """Every form field of the PDF at ``path`` (bounded read), name -> value."""
    from assess.inputs import MAX_PDF_BYTES, read_input

    raw, label = read_input(path, AnswersError, "a PDF", limit=MAX_PDF_BYTES)
    return _fields(raw, label)


def plan_date(path: str | Path) -> dt.date | None:
    """The day the plan in the PDF was made (its creation date, which assess sets to the
    report's date), or None when the PDF does not say."""
    import re

    from pypdf import PdfReader

    from assess.inputs import MAX_PDF_BYTES, read_input

    raw, _label = read_input(path, AnswersError, "a PDF", limit=MAX_PDF_BYTES)
    try:
        meta = PdfReader(io.BytesIO(raw), strict=False).metadata or {}
        found = re.match(r"D:(\d{4})(\d{2})(\d{2})", str(meta.get("/CreationDate") or ""))
        return dt.date(*(int(x) for x in found.groups())) if found else None
    except Exception:  # noqa: BLE001 - any doubt: no date, the caller searches instead
        return None


def ticked_sessions(path: str | Path) -> list[str]:
    """The ids of the plan's sessions whose checkbox is ticked in the PDF at ``path``, in the
    order the PDF lists them, each once. ``AnswersError`` when the PDF cannot be read."""
    out: list[str] = []
    for name, value in read_pdf_fields(path).items():
        if not name.startswith(names.SESSION) or _text(value) in _OFF:
            continue
        session_id = _decoded(name[len(names.SESSION):], str(path))
        if session_id and session_id not in out:
            out.append(session_id)
    return out
