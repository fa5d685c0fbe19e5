"""Fuzzing the loaders of untrusted files: rubric files, answers files, export files.

Whatever bytes or YAML structure comes in, the loader returns a valid model or raises an
``AssessError`` (exit 2 at the CLI), never another exception. Three kinds of input:

- raw bytes and YAML-flavoured text (syntax soup: flow collections, tags, anchors, quotes);
- random YAML documents (nested mappings and lists of every scalar YAML can make: null, bools,
  huge integers, inf and nan, dates, binary, long and odd strings);
- mutations of a valid file: one node somewhere replaced, deleted or duplicated, which reaches
  deep into validation where a type confusion would otherwise escape as a ``TypeError``.

A valid result is checked too: a rubric survives its stored snapshot unchanged, an answers
file holds only known topics with levels 1..5 and finite hours.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assess.cli import cli
from assess.core.parsing import control_character
from assess.errors import AnswersError, AssessError, InputError, RubricError
from assess.inputs.answers import parse_answers
from assess.inputs.answers_model import Answers
from assess.rubric.model import Rubric, load_rubric_file, parse_rubric, rubric_from_snapshot
from assess.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
MINI_PATH = FIXTURES / "mini-rubric.yaml"
MINI_TEXT = MINI_PATH.read_text(encoding="utf-8")
MINI_DATA = yaml.safe_load(MINI_TEXT)
MINI = load_rubric_file(MINI_PATH)
TODAY = dt.date(2026, 11, 25)

FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# ----- strategies ------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.integers(min_value=10**300, max_value=10**400),  # beyond any float
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, 2, 3, 4, 5, 6, -1, 0.5, 1.0, 4.0, 24.0, 1e308, -0.0]),
    st.text(max_size=12),
    st.sampled_from(["", " ", "self", "mentor", "system-design", "sd-serving", "core",
                     "advanced", "design", "onsite", "2026-11-25", "../../etc/passwd",
                     "<script>x</script>", "\u202e", "*a", "&a", "!!python/object", "~"]),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2200, 1, 1)),
    st.binary(max_size=8),
)
KEYS = st.one_of(
    st.text(max_size=10),
    st.sampled_from(["meta", "id", "rounds", "topics", "weight", "ratings", "notes", "hours",
                     "rater", "date", "rubric", "sd-serving", "coding", "questions"]),
    st.integers(-3, 10**20),
    st.booleans(),
    st.none(),
    st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2100, 1, 1)),
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(KEYS, inner, max_size=4),
    ),
    max_leaves=16,
)
YAML_SOUP = st.lists(
    st.sampled_from(list("abz019 -:_.,[]{}!&*?|>'\"#%@\n\t\\/~=")
                    + ["!!binary ", "!!python/name:os.system ", "&a ", "*a ", "<<: ", "? ",
                       "- ", ": ", "\n  ", "meta:", "ratings:", "2026-13-01", "1.0e+400",
                       ".nan", "0x1F", "0o17", "%YAML 1.1", "---", "...", "\ufeff", "\x85",
                       "\u2028", "\x00"]),
    max_size=60,
).map("".join)


def dump(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8")


@st.composite
def mutated(draw: st.DrawFn, base: Any) -> Any:
    """``base`` with one node replaced, deleted or duplicated, or a mapping key renamed."""
    doc = copy.deepcopy(base)
    parent: Any = None
    key: Any = None
    node = doc
    while isinstance(node, (dict, list)) and node and draw(st.integers(0, 5)) > 0:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        parent, key = node, draw(st.sampled_from(keys))
        node = node[key]
    action = draw(st.sampled_from(["replace", "replace", "delete", "duplicate", "rename"]))
    if parent is None:
        return draw(VALUES) if action == "replace" else doc
    if action == "replace":
        parent[key] = draw(VALUES)
    elif action == "delete":
        del parent[key]
    elif action == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(node))
    elif isinstance(parent, dict):
        new_key = draw(KEYS)
        value = parent.pop(key)
        parent[new_key] = value
    return doc


# ----- the rubric loader -----------------------------------------------------------------------


def check_rubric(raw: bytes) -> Rubric | None:
    try:
        rubric = parse_rubric(raw, "fuzz.yaml")
    except RubricError as exc:
        lines = str(exc).splitlines()
        assert 1 <= len(lines) <= 4, lines  # up to three problems and "... and N more"
        assert all(line.startswith("fuzz.yaml: ") for line in lines), lines
        return None
    assert isinstance(rubric, Rubric)
    # what the store keeps is what comes back
    assert rubric_from_snapshot(rubric.snapshot_json()) == rubric
    assert len(rubric.topics) == sum(len(r.topics) for r in rubric.rounds)
    assert not any(control_character(text) for text in strings(rubric.to_json_dict()))
    return rubric


def strings(value: Any) -> Any:
    """Every string in a JSON-like value, keys included."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from strings(key)
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


@FUZZ
@given(raw=st.binary(max_size=300))
def test_rubric_any_bytes(raw: bytes) -> None:
    check_rubric(raw)


@FUZZ
@given(text=YAML_SOUP)
def test_rubric_yaml_soup(text: str) -> None:
    check_rubric(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(value=VALUES)
def test_rubric_any_yaml_document(value: Any) -> None:
    check_rubric(dump(value))


@settings(max_examples=250, deadline=None)
@given(doc=mutated(MINI_DATA))
def test_rubric_one_mutation_of_a_valid_file(doc: Any) -> None:
    check_rubric(dump(doc))


def test_the_unmutated_rubric_is_valid() -> None:
    """The mutation test starts from a valid file (else it would prove nothing)."""
    assert check_rubric(dump(MINI_DATA)) == MINI


@pytest.mark.parametrize("text", [
    "[" * 5000,                                   # nesting deep enough for a RecursionError
    "a: &x [1]\n" + "".join(f"b{i}: &x{i} [*x, *x]\n" for i in range(120)),  # aliases
    "meta: !!python/object/apply:os.system ['true']\n",
    "meta: {id: x}\nmeta: {id: y}\n",              # duplicate keys
    "? [a, b]\n: 1\n",                             # an unhashable key
    "timeline: {min_weeks: 2026-13-01}\n",         # an impossible date
    "meta:\t2026-13-01\n",                         # a date after a tab: libyaml reads it
    "rounds: [{weight: 1.0e+400}]\n",              # infinity
    "rounds: [{weight: " + "9" * 5000 + "}]\n",    # an integer beyond any float
    "\ufeff\ufeff",                                # two byte order marks
])
def test_rubric_nasty_yaml_is_an_assess_error(text: str) -> None:
    with pytest.raises(RubricError):
        parse_rubric(text.encode("utf-8"), "nasty.yaml")


def test_rubric_key_with_a_newline_stays_on_one_line() -> None:
    doc = copy.deepcopy(MINI_DATA)
    doc["meta"]["evil\nError: forged line"] = 1
    with pytest.raises(RubricError) as caught:
        parse_rubric(dump(doc), "nasty.yaml")
    assert str(caught.value) == (
        "nasty.yaml: line 11: meta.'evil\\nError: forged line': unknown field (not allowed here)"
    )


# ----- the answers loader ----------------------------------------------------------------------

VALID_ANSWERS = {
    "rubric": "mini-mle",
    "rater": "self",
    "date": TODAY,
    "ratings": {t: 3 for t in MINI.topics},
    "notes": {"sd-serving": "latency budgets are new to me"},
    "hours": {"system-design": 3.5, "coding": 1},
}
SCOPES = st.sampled_from([None, *(r.id for r in MINI.rounds)])


def check_answers(raw: bytes, scope: str | None = None) -> Answers | None:
    try:
        answers = parse_answers(raw, "answers.yaml", MINI, TODAY, scope=scope)
    except AnswersError as exc:
        message = str(exc)
        assert message.startswith("answers.yaml: "), message
        assert len(message.splitlines()) <= 2
        return None
    assert isinstance(answers, Answers)
    allowed = ({t.id for t in MINI.round(scope).topics} if scope else set(MINI.topics))
    assert set(answers.ratings) <= allowed
    assert all(v is None or (type(v) is int and 1 <= v <= 5) for v in answers.ratings.values())
    assert set(answers.notes) <= set(MINI.topics)
    assert all(isinstance(v, str) and v.strip() == v and v for v in answers.notes.values())
    assert not any(control_character(v) for v in answers.notes.values())
    assert set(answers.hours) <= {r.id for r in MINI.rounds}
    assert all(type(h) is float and math.isfinite(h) and h > 0 for h in answers.hours.values())
    assert answers.rater in (None, "self", "mentor")
    assert answers.date is None or answers.date <= TODAY
    return answers


@FUZZ
@given(raw=st.binary(max_size=300), scope=SCOPES)
def test_answers_any_bytes(raw: bytes, scope: str | None) -> None:
    check_answers(raw, scope)


@FUZZ
@given(text=YAML_SOUP)
def test_answers_yaml_soup(text: str) -> None:
    check_answers(text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(value=VALUES, scope=SCOPES)
def test_answers_any_yaml_document(value: Any, scope: str | None) -> None:
    check_answers(dump(value), scope)


@FUZZ
@given(
    ratings=st.dictionaries(st.one_of(st.sampled_from(sorted(MINI.topics)), KEYS), SCALARS,
                            max_size=8),
    notes=st.one_of(st.none(), st.dictionaries(st.one_of(st.sampled_from(sorted(MINI.topics)),
                                                         KEYS), SCALARS, max_size=3)),
    hours=st.one_of(st.none(), st.dictionaries(
        st.one_of(st.sampled_from([r.id for r in MINI.rounds]), KEYS), SCALARS, max_size=4)),
    rater=st.one_of(st.sampled_from(["self", "mentor"]), SCALARS),
    date=st.one_of(st.dates(max_value=dt.date(2100, 1, 1)), SCALARS),
    scope=SCOPES,
)
def test_answers_random_fields(ratings: Any, notes: Any, hours: Any, rater: Any, date: Any,
                               scope: str | None) -> None:
    doc = {"rubric": "mini-mle", "rater": rater, "date": date, "ratings": ratings,
           "notes": notes, "hours": hours}
    check_answers(dump(doc), scope)


@settings(max_examples=250, deadline=None)
@given(doc=mutated(VALID_ANSWERS), scope=SCOPES)
def test_answers_one_mutation_of_a_valid_file(doc: Any, scope: str | None) -> None:
    check_answers(dump(doc), scope)


def test_the_unmutated_answers_are_valid() -> None:
    answers = check_answers(dump(VALID_ANSWERS))
    assert answers is not None and answers.hours == {"system-design": 3.5, "coding": 1.0}


@pytest.mark.parametrize("value", ["9" * 400, "-" + "9" * 400, "1.0e+400", "-.inf", ".nan",
                                   "0x1000", "true"])
def test_answers_hours_beyond_any_float_are_refused(value: str) -> None:
    text = f"ratings: {{sd-serving: 3}}\nhours: {{coding: {value}}}\n"
    with pytest.raises(AnswersError, match=r"answers\.yaml: line 2: hours\.coding: "):
        parse_answers(text.encode(), "answers.yaml", MINI, TODAY)


def test_answers_key_with_a_newline_stays_on_one_line() -> None:
    text = 'ratings: {sd-serving: 3}\n"a\\r\\nError: forged": 1\n'
    with pytest.raises(AnswersError) as caught:
        parse_answers(text.encode(), "answers.yaml", MINI, TODAY)
    assert str(caught.value) == (
        "answers.yaml: line 2: 'a\\r\\nError: forged': unknown field "
        "(allowed: rubric, rater, date, ratings, notes, hours, practice, stories)"
    )


@pytest.mark.parametrize("value", ["9" * 400, "1.0e+400", "true", "3.0", "'3'"])
def test_answers_levels_that_are_not_small_whole_numbers_are_refused(value: str) -> None:
    text = f"ratings: {{sd-serving: {value}}}\n"
    with pytest.raises(AnswersError, match=r"answers\.yaml: line 1: ratings\.sd-serving: "):
        parse_answers(text.encode(), "answers.yaml", MINI, TODAY)


# ----- the export file (assess import) ---------------------------------------------------------


def jsonable(value: Any) -> Any:
    """What ``json.loads`` could give for ``value``: the export file is JSON."""
    if isinstance(value, dict):
        return {str(k) if not isinstance(k, str) else k: jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [jsonable(v) for v in value]
    if isinstance(value, (dt.date, bytes)):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _export(home: Path) -> dict[str, Any]:
    with Store.open(home) as store:
        store.add_assessment("self", TODAY, MINI, {t: 2 for t in MINI.topics},
                             notes={"sd-serving": "x"}, hours={"coding": 1.5})
        return store.export_data()


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_import_of_any_json_changes_nothing_or_validates(data: st.DataObject,
                                                         tmp_path_factory: Any) -> None:
    source = tmp_path_factory.mktemp("src")
    target = tmp_path_factory.mktemp("dst")
    valid = _export(source)
    doc = data.draw(st.one_of(mutated(valid), VALUES))
    with Store.open(target) as store:
        try:
            store.import_data(jsonable(doc), "fuzz.json")
        except InputError:
            assert store.assessments() == [] and store.hours_entries() == []
            assert store.get_profile() is None


# ----- the CLI boundary ------------------------------------------------------------------------


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.one_of(st.binary(max_size=200), mutated(MINI_DATA).map(dump)))
def test_cli_rubric_validate_exits_0_or_2_with_plain_lines(raw: bytes, tmp_path: Path) -> None:
    path = tmp_path / "fuzz.yaml"
    path.write_bytes(raw)
    result = CliRunner().invoke(cli, ["rubric", "validate", str(path)])
    assert result.exit_code in (0, 2), result.output
    if result.exit_code == 2:
        lines = result.stderr.splitlines()
        assert 1 <= len(lines) <= 4 and all(line.startswith("Error: ") for line in lines)
        # no internal error ("Error: unexpected KeyError: ..."); YAML's own "found unexpected
        # end of stream" is a plain message about the file
        assert "Error: unexpected " not in result.stderr and "Traceback" not in result.stderr
        assert result.stdout == ""


def test_assess_error_is_the_only_family() -> None:
    """The fuzz tests catch exactly these: every loader error is an AssessError (exit 2)."""
    for kind in (RubricError, AnswersError, InputError):
        assert issubclass(kind, AssessError) and kind.exit_code == 2
