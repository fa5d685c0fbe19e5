"""Each defence has a test that fails without it: a review planted small bugs in these and
the rest of the suite let them through."""

from __future__ import annotations

import math
import re
import sqlite3
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from assess.evidence.scoring import score
from assess.report import charts
from assess.report.charts import Bar, Spoke
from assess.report.fetcher import BlockedResource, TemplateFolders, make_fetcher
from assess.report.trend_chart import Point, trend_chart
from assess.rubric.model import Rubric
from assess.store import Store, migrations

FIXTURES = Path(__file__).parent / "fixtures"
pytestmark = pytest.mark.timeout(60)


# ----- the fetcher: a file URL naming another host is refused, even for a path inside -------


@pytest.mark.parametrize("host", ["otherhost", "127.0.0.1", "evil.example:445"])
def test_a_file_url_for_another_host_is_refused_even_inside_the_folder(
    tmp_path: Path, host: str
) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "report.css").write_text("/* ok */")
    fetcher = make_fetcher(TemplateFolders([folder]))
    inside = str((folder / "report.css").resolve())
    with pytest.raises(BlockedResource):
        fetcher.fetch(f"file://{host}{inside}")  # UNC-like: \\otherhost\... on Windows
    assert fetcher.served == []
    assert fetcher.fetch(f"file://localhost{inside}").read() == b"/* ok */"


# ----- a migration step that fails is rolled back whole ----------------------------------------


def test_a_failing_migration_step_is_rolled_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(tmp_path / "home"):
        pass
    path = tmp_path / "home" / "assess.db"

    def boom(conn: sqlite3.Connection) -> None:
        conn.execute("INSERT INTO half_done VALUES (1)")
        raise RuntimeError("disk went away")

    broken = migrations.Migration(
        migrations.LATEST + 1, "a step that fails half way",
        ("CREATE TABLE half_done (x INTEGER)", boom),
    )
    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, broken))
    conn = sqlite3.connect(path, isolation_level=None)
    with pytest.raises(RuntimeError, match="disk went away"):
        migrations.migrate(conn, upto=broken.number)
    assert not conn.in_transaction
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "half_done" not in tables
    assert migrations.current_version(conn) == migrations.LATEST
    conn.close()


# ----- scoring: a criterion assessed only by rounds of weight 0 still has a readiness -------------


def test_a_criterion_of_zero_weight_rounds_falls_back_to_its_own_weights() -> None:
    data = yaml.safe_load((FIXTURES / "mini-rubric.yaml").read_text())
    weights = {"system-design": 0.6, "coding": 0.4, "behavioral": 0.0}
    for rnd in data["rounds"]:
        rnd["weight"] = weights[rnd["id"]]
        rnd.pop("min_share", None)
    from assess.rubric.schema import RubricSchema

    rubric = Rubric.from_dict(RubricSchema.model_validate(data).model_dump(mode="json"))
    behavioral = [t.id for t in rubric.round("behavioral").topics]
    ratings = {t: 1 for t in rubric.topics} | dict.fromkeys(behavioral, 5)
    scores = score(rubric, ratings, 4)
    assert scores.rounds["behavioral"] == 1.0
    # culture-values is assessed by the behavioral round alone, whose weight is 0: its
    # readiness is that round's, not 0 (and not a division by zero)
    assert scores.criteria["culture-values"] == 1.0
    assert scores.overall < 0.5


# ----- charts: out-of-range values stay inside the plot ------------------------------------


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def _coordinates(svg: str) -> tuple[float, float, list[tuple[str, float]]]:
    """The chart's size and every x/y coordinate drawn in it (attributes and points)."""
    root = ET.fromstring(svg)
    width, height = float(root.get("width", 0)), float(root.get("height", 0))
    found: list[tuple[str, float]] = []
    for element in root.iter():
        for key in ("x", "x1", "x2", "cx"):
            if element.get(key) is not None:
                found.append(("x", float(element.get(key))))
        for key in ("y", "y1", "y2", "cy"):
            if element.get(key) is not None:
                found.append(("y", float(element.get(key))))
        if element.get("width") is not None and element.get("x") is not None:
            found.append(("x", float(element.get("x")) + float(element.get("width"))))
        if element.get("height") is not None and element.get("y") is not None:
            found.append(("y", float(element.get("y")) + float(element.get("height"))))
        if element.get("points"):
            numbers = [float(n) for n in _NUMBER.findall(element.get("points"))]
            found += [("x", n) for n in numbers[0::2]] + [("y", n) for n in numbers[1::2]]
    return width, height, found


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, -3.0, 7.5, 1.0001])
def test_out_of_range_values_are_drawn_inside_the_chart(value: float) -> None:
    drawn = {
        "bar": charts.bar_chart([Bar("x", value, value), Bar("y", 0.5, 0.5)], label="x"),
        "radar": charts.radar_chart([Spoke("x", value, value, value)] * 3, label="x"),
        "trend": trend_chart([Point("a", value), Point("b", 0.5)], label="x"),
    }
    for name, svg in drawn.items():
        width, height, coordinates = _coordinates(svg)
        assert coordinates, name
        for axis, number in coordinates:
            bound = width if axis == "x" else height
            assert 0 <= number <= bound, (name, axis, number, bound)


def test_a_value_above_one_draws_a_full_bar_not_a_longer_one() -> None:
    full = charts.bar_chart([Bar("x", 1.0, None)], label="x")
    over = charts.bar_chart([Bar("x", 7.5, None)], label="x")
    assert over.replace("750%", "100%") == full.replace("750%", "100%")
