"""Shared fixtures: every test gets its own empty data home, and every JSON output of the
suite (each plan's JSON, each JSON report) is validated against the published schemas."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from local_server import LocalServer

from assess.rubric.model import Rubric, load_rubric
from assess.store import Store

FIXTURES = Path(__file__).parent / "fixtures"

# Hypothesis: in CI (CI=true) every run draws the same examples, so a red run is the code's
# doing and can be repeated; on a developer's machine it explores new examples each run.
# HYPOTHESIS_PROFILE=ci selects the CI behaviour anywhere.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("ci" if os.environ.get("CI", "").lower() in ("true", "1") else "dev"))


@pytest.fixture(autouse=True)
def assess_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ASSESS_HOME at a fresh folder so no test touches real user data."""
    home = tmp_path / "home"
    monkeypatch.setenv("ASSESS_HOME", str(home))
    monkeypatch.delenv("ASSESS_TODAY", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


@cache
def schema_validator(name: str) -> Any:
    """A draft 2020-12 validator of the named published schema (see ``assess.schemas``)."""
    import jsonschema

    from assess.schemas import schema_text

    schema = json.loads(schema_text(name))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema,
                                           format_checker=jsonschema.FormatChecker())


def check_schema(name: str, data: Any) -> None:
    """Fail with every schema error of ``data``, one a line, naming its path."""
    errors = sorted(schema_validator(name).iter_errors(data), key=lambda e: list(e.path))
    assert not errors, "\n".join(
        f"{name} schema: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}"
        for e in errors[:10])


@pytest.fixture(autouse=True)
def json_outputs_follow_the_schemas(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every plan, week and JSON report a test produces is checked against its schema."""
    from assess.plan import model as plan_model
    from assess.report import render

    plan_to_json = plan_model.Plan.to_json
    week_to_json = plan_model.Week.to_json
    render_json = render.render_json

    def checked_plan(self: Any) -> Any:
        data = plan_to_json(self)
        check_schema("plan", data)
        return data

    def checked_week(self: Any) -> Any:
        data = week_to_json(self)
        check_schema("week", data)
        return data

    def checked_report(ctx: Any, options: Any = None) -> bytes:
        data = render_json(ctx, options)
        check_schema("report", json.loads(data))
        return data

    monkeypatch.setattr(plan_model.Plan, "to_json", checked_plan)
    monkeypatch.setattr(plan_model.Week, "to_json", checked_week)
    monkeypatch.setattr(render, "render_json", checked_report)
    monkeypatch.setitem(render.RENDERERS, "json", checked_report)


@pytest.fixture()
def server() -> Iterator[LocalServer]:
    """A local HTTP server standing for the network; ``.requests`` lists what it received."""
    with LocalServer() as srv:
        yield srv


@pytest.fixture()
def rubric() -> Rubric:
    """The small rubric of tests/fixtures/mini-rubric.yaml."""
    return load_rubric(str(FIXTURES / "mini-rubric.yaml"))


@pytest.fixture()
def store(assess_home: Path) -> Iterator[Store]:
    """A store in the test's own data home."""
    s = Store.open(assess_home)
    yield s
    s.close()
