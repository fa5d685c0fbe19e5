"""The published JSON Schemas: printed by `assess schema`, shipped in the package, and strict
enough to catch a broken output. (conftest checks every JSON output of the suite.)"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import check_schema, schema_validator
from test_report_sample import sample_context

from assess.cli import cli
from assess.report.render import render
from assess.schemas import schema_path

NAMES = ["plan", "week", "report", "stories", "attempts"]


@pytest.mark.parametrize("name", NAMES)
def test_schema_command_prints_the_shipped_schema(name: str) -> None:
    result = CliRunner().invoke(cli, ["schema", name])
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == schema_path(name).read_text(encoding="utf-8")
    schema = json.loads(result.stdout)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema_path(name).parent == Path(__import__("assess").__file__).parent / "schemas"


def test_unknown_schema_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["schema", "history"])
    assert result.exit_code == 2
    assert ("'history' is not one of 'plan', 'week', 'report', 'stories', 'attempts'"
            in result.stderr)


def test_report_json_validates_and_a_broken_one_does_not() -> None:
    data = json.loads(render(sample_context(), "json"))
    check_schema("report", data)
    validator = schema_validator("report")
    for path, value in [(("readiness", "overall"), 1.5), (("weeks", 0, "start"), "25/11/2026"),
                        (("schema",), 2), (("gaps", 0, "target"), 7)]:
        broken = copy.deepcopy(data)
        node = broken
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value
        assert not validator.is_valid(broken), path
    missing = copy.deepcopy(data)
    del missing["weeks"]
    assert not validator.is_valid(missing)


def test_plan_json_validates_and_a_broken_one_does_not() -> None:
    runner = CliRunner()
    for args in (["init", "--no-input", "--name", "Sam Lee", "--interview-date", "2026-12-20"],
                 ["rate", "--template"]):
        result = runner.invoke(cli, ["--today", "2026-11-25", *args])
        assert result.exit_code == 0
    template = result.stdout.replace(": null", ": 2")
    result = runner.invoke(cli, ["--today", "2026-11-25", "rate", "--answers", "-"],
                           input=template)
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["--today", "2026-11-25", "plan", "--json"])
    data = json.loads(result.stdout)
    check_schema("plan", data)
    data["weeks"][0]["sessions"][0]["activity"] = "nap"
    assert not schema_validator("plan").is_valid(data)


# ----- every JSON output against the schema `assess schema NAME` prints -----------------------

DEMO_TODAY = "2026-12-02"


def _printed_schema(name: str) -> Any:
    result = CliRunner().invoke(cli, ["schema", name])
    assert result.exit_code == 0
    schema = json.loads(result.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def demo_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every JSON output of a home with check-ins, a mentor, stories and practice attempts."""
    import datetime as dt

    from assess.app.demo import build_demo_home

    tmp = tmp_path_factory.mktemp("demo")
    home = tmp / "home"
    build_demo_home(home, dt.date.fromisoformat(DEMO_TODAY))
    runner = CliRunner()

    def run(*args: str) -> str:
        result = runner.invoke(cli, ["--home", str(home), "--today", DEMO_TODAY, *args])
        assert result.exit_code == 0, result.output
        return result.stdout

    run("practice", "--log", "sd-trust-safety-q1", "--minutes", "42", "--covered", "1,2")
    run("practice", "--log", "am-production-debugging-q3", "--minutes", "10", "--covered",
        "1,2,3,4", "--note", "fine")
    report = tmp / "r.json"
    run("report", "-o", str(report))
    return {
        "plan": json.loads(run("plan", "--json")),
        "week": json.loads(run("plan", "--week", "1", "--json")),
        "report": json.loads(report.read_text(encoding="utf-8")),
        "stories": json.loads(run("story", "list", "--json")),
        "attempts": json.loads(run("practice", "--list", "--json")),
    }


@pytest.mark.parametrize("name", NAMES)
def test_every_json_output_validates_against_its_printed_schema(
        name: str, demo_outputs: dict[str, Any]) -> None:
    data = demo_outputs[name]
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}"
              for e in _printed_schema(name).iter_errors(data)]
    assert errors == []
    # the outputs hold what makes them worth checking: sessions with ids, attempts, stories
    if name == "plan":
        assert all(s["id"] for w in data["weeks"] for s in w["sessions"])
        assert data["reattempts"] and data["stages"] and data["timeline"]
    if name == "week":
        assert data["index"] == 1 and data["sessions"]
    if name == "report":
        assert len(data["practice"]["attempts"]) == 2
    if name in ("stories", "attempts"):
        assert data["schema"] == 1 and len(data[name]) >= 2


def _objects(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "properties" in node:
            yield path, node
        for key, value in node.items():
            yield from _objects(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _objects(value, f"{path}/{i}")


@pytest.mark.parametrize("name", NAMES)
def test_the_schemas_declare_every_key_the_outputs_print(
        name: str, demo_outputs: dict[str, Any]) -> None:
    schema = json.loads(schema_path(name).read_text(encoding="utf-8"))
    open_objects = [path for path, obj in _objects(schema)
                    if obj.get("additionalProperties") is not False]
    assert open_objects == []
    # so a key the schema does not declare, anywhere, fails validation
    data = copy.deepcopy(demo_outputs[name])
    node = data
    while True:
        if isinstance(node, list):
            node = node[0]
        elif name == "plan" and node is data:
            node = node["weeks"]
        elif "sessions" in node:
            node = node["sessions"]
        elif name in ("stories", "attempts") and node is data:
            node = node[name]
        else:
            break
    node["surprise"] = 1
    assert not _printed_schema(name).is_valid(data)


def test_the_week_schema_is_the_plan_s_week() -> None:
    plan = json.loads(schema_path("plan").read_text(encoding="utf-8"))
    week = json.loads(schema_path("week").read_text(encoding="utf-8"))
    assert week["$defs"] == {"week": plan["$defs"]["week"], "session": plan["$defs"]["session"]}
