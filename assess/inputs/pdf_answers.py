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
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from assess.core.textsafety import shown
from assess.errors import AnswersError
from assess.inputs import form_fields as names
from assess.inputs.answers_model import MAX_NOTE_CHARS, Answers, validate_answers
from assess.rubric.model import Rubric

MAX_FIELDS = 20_000  # far above any report's fields; a bigger form is not one of ours
MAX_NAME_CHARS = 200
MAX_INFLATED_BYTES = 20_000_000  # all the streams pypdf decompresses to read one form
# the object streams among them (parsed byte by byte): a report's form needs a few 100 kB
MAX_OBJECT_STREAM_BYTES = 2_000_000
_OFF = {"", "/Off", "Off", "/off", "off", "/No", "No"}


class _TooMuchInside(Exception):
    """The PDF's compressed parts inflate past what is read (see ``_inflate_budget``)."""


@contextmanager
def _inflate_budget(limit: int, objects: int) -> Iterator[list[int]]:
    """While pypdf reads inside the block, bound what it decompresses: every stream may only
    inflate to what is left of ``limit`` bytes in all, past that nothing more is decoded, and
    object streams (which pypdf parses byte by byte) hold at most ``objects`` bytes in all.
    The blanks that end an object stream are dropped before pypdf parses it (they hold no
    object, and parsing them is slow). Yields ``[bytes inflated, object stream bytes]``; a
    value over its limit means the cap was hit."""
    from pypdf import apply_configuration, filters
    from pypdf.errors import LimitReachedError

    used = [0, 0]
    decode = filters.decode_stream_data

    def bounded(stream: Any) -> bytes:
        left = limit - used[0]
        if left <= 0 or used[1] > objects:
            raise _TooMuchInside
        caps = {key: left + 1 for key in _OUTPUT_CAPS}
        with apply_configuration(**caps):
            try:
                data = decode(stream)
            except LimitReachedError:
                used[0] = limit + 1
                raise _TooMuchInside from None
        used[0] += len(data)
        if used[0] > limit:
            raise _TooMuchInside
        if stream.get("/Type") == "/ObjStm":
            used[1] += len(data)
            if used[1] > objects:
                raise _TooMuchInside
            data = data.rstrip(_PDF_BLANKS)
        return data

    filters.decode_stream_data = bounded  # get_data() looks it up on each call
    try:
        yield used
    finally:
        filters.decode_stream_data = decode


_PDF_BLANKS = b" \t\r\n\f\x00"
_OUTPUT_CAPS = (
    "zlib_maximum_output_length", "lzw_maximum_output_length", "run_length_maximum_output_length",
    "jbig2_maximum_output_length", "brotli_maximum_output_length",
    "array_based_stream_maximum_output_length", "image_maximum_buffer_size",
    "maximum_declared_stream_length",
)


def _too_big(label: str, used: list[int]) -> AnswersError:
    if used[1] > MAX_OBJECT_STREAM_BYTES:
        what, limit = "object streams", MAX_OBJECT_STREAM_BYTES
    else:
        what, limit = "compressed parts", MAX_INFLATED_BYTES
    return AnswersError(f"{label}: the PDF's {what} inflate to more than "
                        f"{limit // 1_000_000} MB; not a form assess wrote, not read")


def _over(used: list[int]) -> bool:
    return used[0] > MAX_INFLATED_BYTES or used[1] > MAX_OBJECT_STREAM_BYTES


def _fields(raw: bytes, label: str) -> dict[str, Any]:
    """Field name -> value of every form field in the PDF (empty without a form)."""
    from pypdf import PdfReader

    quiet = logging.getLogger("pypdf")
    level, quiet.level = quiet.level, logging.CRITICAL
    try:
        with _inflate_budget(MAX_INFLATED_BYTES, MAX_OBJECT_STREAM_BYTES) as used:
            try:
                out = _read_fields(PdfReader, raw, label)
            except AnswersError:
                raise
            except _TooMuchInside:
                raise _too_big(label, used) from None
            except Exception as exc:  # noqa: BLE001 - a damaged file trips pypdf in many ways
                if _over(used):
                    raise _too_big(label, used) from None
                if _is_encryption_error(exc):
                    raise _encrypted(label) from None
                raise AnswersError(f"{label}: not a readable PDF ({type(exc).__name__})") from None
        if _over(used):  # pypdf swallowed the refusal somewhere inside
            raise _too_big(label, used)
        return out
    finally:
        quiet.level = level


def _encrypted(label: str) -> AnswersError:
    return AnswersError(f"{label}: the PDF is encrypted; save an unencrypted copy "
                        "(without a password) and read that")


def _is_encryption_error(exc: Exception) -> bool:
    """pypdf says "DependencyError" for an AES-encrypted file when no AES library is installed
    and "FileNotDecryptedError" for a file with a password: both are an encrypted PDF."""
    text = f"{type(exc).__name__} {exc}".lower()
    return "decrypt" in text or "encrypt" in text or "aes" in text or "cryptography" in text


def _read_fields(reader_class: Any, raw: bytes, label: str) -> dict[str, Any]:
    reader = reader_class(io.BytesIO(raw), strict=False)
    if reader.is_encrypted:
        raise _encrypted(label)
    fields = reader.get_fields() or {}
    if len(fields) > MAX_FIELDS:
        raise AnswersError(f"{label}: the PDF has more than {MAX_FIELDS} form fields; "
                           "not a form assess wrote")
    out: dict[str, Any] = {}
    for name, field in fields.items():
        value = field.get("/V")
        if field.get("/FT") == "/Btn" or str(name).startswith(names.SESSION):
            if value is None:
                value = _widget_state(field)
            value = _box_state(str(name), value, field.get("/_States_"), label)
        out[str(name)] = value
    return out


_ON_TEXT = {"yes", "on", "true", "1"}  # a value some tools write as text rather than a name


def _box_state(name: str, value: Any, states: Any, label: str) -> str:
    """A checkbox's value as "" (off) or its on-state name. Only a name (``/Yes``, or one of
    the states the box's appearance offers) or plain on/off text counts; anything else (a
    dictionary, a number, an array, an unknown text) is refused, never counted as a tick."""
    from pypdf.generic import NameObject

    if value is None:
        return ""
    if isinstance(value, NameObject):
        text = str(value)
        if text in _OFF:
            return ""
        known = [str(s) for s in states] if isinstance(states, (list, tuple)) else []
        if known and text not in known:
            raise AnswersError(f"{label}: field {shown(name)}: {shown(text)} is not one of the "
                               "checkbox's states; tick or untick it in a PDF viewer")
        return text
    if isinstance(value, str) and not isinstance(value, bytes):
        text = value.strip()
        if text in _OFF:
            return ""
        if text.lower() in _ON_TEXT:
            return "/" + text
    raise AnswersError(f"{label}: field {shown(name)}: a checkbox's value must be a name such "
                       f"as /Yes or /Off, not {_kind(value)}")


def _kind(value: Any) -> str:
    if isinstance(value, Mapping):
        return "a dictionary"
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, str):
        return f"the text {shown(str(value))}"
    return f"a {type(value).__name__}"


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
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 3 else value


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
    seen: dict[tuple[str, str], str] = {}  # (prefix, topic) -> the field that gave it
    for name, value in fields.items():
        for prefix, into in ((names.LEVEL, ratings), (names.NOTE, notes)):
            if not name.startswith(prefix):
                continue
            topic = _decoded(name[len(prefix):], label)
            first = seen.setdefault((prefix, topic), name)
            if first != name:
                raise AnswersError(
                    f"{label}: fields {shown(first)} and {shown(name)} are both the "
                    f"{'level' if prefix == names.LEVEL else 'note'} of {shown(topic)}; "
                    "a form has one of each per topic"
                )
            text = _text(value)
            if text:  # blank: not rated this time (a standing rating stays in force)
                into[topic] = _level(text) if prefix == names.LEVEL else text
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
    from assess.core.textsafety import unsafe_character

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
    from assess.core.readers import MAX_PDF_BYTES, read_input

    raw, label = read_input(path, AnswersError, "a PDF", limit=MAX_PDF_BYTES)
    return _fields(raw, label)


def plan_date(path: str | Path) -> dt.date | None:
    """The day the plan in the PDF was made (its creation date, which assess sets to the
    report's date), or None when the PDF does not say."""
    import re

    from pypdf import PdfReader

    from assess.core.readers import MAX_PDF_BYTES, read_input

    raw, _label = read_input(path, AnswersError, "a PDF", limit=MAX_PDF_BYTES)
    try:
        with _inflate_budget(MAX_INFLATED_BYTES, MAX_OBJECT_STREAM_BYTES):
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
        if not name.startswith(names.SESSION) or not value:
            continue
        session_id = _decoded(name[len(names.SESSION):], str(path))
        if session_id and session_id not in out:
            out.append(session_id)
    return out
