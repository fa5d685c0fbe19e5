"""The published JSON Schemas: printed by `assess schema`, shipped in the package, and strict
enough to catch a broken output. (conftest checks every JSON output of the suite.)"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import check_schema, schema_validator
from test_report_sample import sample_context

from assess.cli import cli
from assess.report.render import render
from assess.schemas import schema_path


@pytest.mark.parametrize("name", ["plan", "report"])
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
    assert "'history' is not one of 'plan', 'report'" in result.stderr


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
