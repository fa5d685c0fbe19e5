"""Shared fixtures: every test gets its own empty data home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from local_server import LocalServer

from assess.rubric import Rubric, load_rubric
from assess.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def assess_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point ASSESS_HOME at a fresh folder so no test touches real user data."""
    home = tmp_path / "home"
    monkeypatch.setenv("ASSESS_HOME", str(home))
    monkeypatch.delenv("ASSESS_TODAY", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    return home


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
