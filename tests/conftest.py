"""Shared fixtures: every test gets its own empty data home."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from local_server import LocalServer


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
