"""The history store: schema, profile, assessments, snapshots, hours, export/import."""

from __future__ import annotations

import dataclasses
import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from assess.errors import InputError, NotFoundError, StoreError
from assess.rubric.model import Rubric, load_rubric
from assess.rubric.profile import Profile
from assess.store import DB_NAME, Store
from assess.store.migrations import LATEST, MIGRATIONS

FIXTURES = Path(__file__).parent / "fixtures"
DAY = dt.date(2026, 11, 25)
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]


def rate_all(store: Store, rubric: Rubric, levels: dict[str, int | None], rater: str = "self",
             day: dt.date = DAY) -> int:
    aid = store.begin_assessment(rater, day, rubric)
    for topic, level in levels.items():
        store.record_rating(aid, topic, level)
    store.finish_assessment(aid)
    return aid


def test_open_creates_database_with_wal_foreign_keys_and_versions(assess_home: Path) -> None:
    with Store.open(assess_home) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert store.schema_version() == LATEST == MIGRATIONS[-1].number
        rows = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
        assert [r[0] for r in rows] == [m.number for m in MIGRATIONS]
    assert (assess_home / DB_NAME).is_file()
    with Store.open(assess_home) as again:  # reopening applies nothing twice
        assert again.schema_version() == LATEST


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        store._conn.execute("INSERT INTO ratings VALUES (999, 'x', 3, 'now')")


def test_newer_database_is_refused_without_damage(assess_home: Path) -> None:
    with Store.open(assess_home) as store:
        store._conn.execute("INSERT INTO schema_version VALUES (99, 'from the future', 'now')")
    with pytest.raises(StoreError, match="newer assess"):
        Store.open(assess_home)


def test_a_file_that_is_not_a_database_is_a_store_error(assess_home: Path) -> None:
    assess_home.mkdir(parents=True)
    (assess_home / DB_NAME).write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(StoreError, match="assess.db"):
        Store.open(assess_home)


def test_profile_round_trip_and_update(store: Store) -> None:
    assert store.get_profile() is None
    first = Profile(name="Ana", interview_date=dt.date(2026, 12, 20), hours_per_week=12,
                    target_level=4)
    store.save_profile(first)
    assert store.get_profile() == first
    second = dataclasses.replace(first, hours_per_week=20.5, interview_date=None)
    store.save_profile(second)
    assert store.get_profile() == second


def test_assessment_lifecycle(store: Store, rubric: Rubric) -> None:
    aid = store.begin_assessment("self", DAY, rubric)
    assert store.unfinished("self").id == aid
    assert store.unfinished("mentor") is None
    store.record_rating(aid, "sd-serving", 3, note="  p99 budgets  ")
    store.record_rating(aid, "sd-feature-pipelines", None)
    store.record_rating(aid, "sd-serving", 4)  # changing an answer keeps its note
    partial = store.get_assessment(aid)
    assert partial.ratings == {"sd-feature-pipelines": None, "sd-serving": 4}
    assert partial.notes == {"sd-serving": "p99 budgets"}
    assert partial.finished is False and partial.complete is False
    for topic in TOPICS[2:]:
        store.record_rating(aid, topic, 2)
    done = store.finish_assessment(aid)
    assert done.complete is True and done.finished is True
    assert list(done.ratings) == TOPICS  # rubric order
    assert done.rubric_id == "mini-mle" and done.rubric_version == "1.0"
    assert done.scope is None and len(done.uid) == 32
    assert store.unfinished("self") is None
    assert store.latest_complete("self") == done
    with pytest.raises(StoreError, match="already finished"):
        store.record_rating(aid, "sd-serving", 1)


def test_finishing_with_topics_missing_is_incomplete(store: Store, rubric: Rubric) -> None:
    aid = store.begin_assessment("mentor", DAY, rubric)
    store.record_rating(aid, "code-graphs", 2)
    done = store.finish_assessment(aid)
    assert done.complete is False and done.finished is True
    assert store.latest_complete("mentor") is None


@pytest.mark.parametrize("level", [0, 6, True, 2.5, "3"])
def test_record_rating_refuses_bad_levels(store: Store, rubric: Rubric, level: object) -> None:
    aid = store.begin_assessment("self", DAY, rubric)
    with pytest.raises(InputError, match="level must be 1..5"):
        store.record_rating(aid, "sd-serving", level)  # type: ignore[arg-type]
    assert store.get_assessment(aid).ratings == {}


def test_record_rating_refuses_unknown_topic_and_assessment(store: Store, rubric: Rubric) -> None:
    aid = store.begin_assessment("self", DAY, rubric)
    with pytest.raises(NotFoundError, match="unknown topic 'nope'"):
        store.record_rating(aid, "nope", 3)
    with pytest.raises(NotFoundError, match="no assessment with id 999"):
        store.record_rating(999, "sd-serving", 3)
    with pytest.raises(InputError, match="unknown rater"):
        store.begin_assessment("friend", DAY, rubric)


def test_each_answer_is_visible_to_another_connection_at_once(
    assess_home: Path, store: Store, rubric: Rubric
) -> None:
    aid = store.begin_assessment("self", DAY, rubric)
    store.record_rating(aid, "sd-serving", 5)
    store.record_note(aid, "sd-serving", "committed")
    with Store.open(assess_home) as other:
        seen = other.get_assessment(aid)
    assert seen.ratings == {"sd-serving": 5}
    assert seen.notes == {"sd-serving": "committed"}


def test_notes_can_be_removed(store: Store, rubric: Rubric) -> None:
    aid = store.begin_assessment("self", DAY, rubric)
    store.record_note(aid, "code-graphs", "first")
    store.record_note(aid, "code-graphs", "  ")
    assert store.get_assessment(aid).notes == {}


def test_ordering_latest_and_last_ratings(store: Store, rubric: Rubric) -> None:
    week1 = dict.fromkeys(TOPICS, 2)
    later = rate_all(store, rubric, {**week1, "sd-serving": 4}, day=DAY)
    earlier = rate_all(store, rubric, week1, day=DAY - dt.timedelta(days=7))
    skip = store.begin_assessment("self", DAY + dt.timedelta(days=1), rubric)
    store.record_rating(skip, "code-graphs", None)  # a skip does not erase a level
    store.record_rating(skip, "beh-conflict", 5)
    mentor = rate_all(store, rubric, dict.fromkeys(TOPICS, 1), rater="mentor")
    assert [a.id for a in store.assessments()] == [earlier, later, mentor, skip]
    assert [a.id for a in store.assessments("self")] == [earlier, later, skip]
    assert store.latest_complete("self").id == later
    assert store.latest_complete("self", on_or_before=DAY - dt.timedelta(days=1)).id == earlier
    assert store.latest_complete("self", on_or_before=DAY - dt.timedelta(days=8)) is None
    assert store.last_ratings("self") == {
        "sd-feature-pipelines": 2, "sd-serving": 4, "sd-federated": 2, "code-graphs": 2,
        "beh-conflict": 5,
    }
    assert store.last_ratings("mentor") == dict.fromkeys(TOPICS, 1)
    assert store.last_answers("self") == {
        "sd-feature-pipelines": 2, "sd-serving": 4, "sd-federated": 2, "code-graphs": None,
        "beh-conflict": 5,
    }


def test_round_scoped_assessment_copies_the_other_topics(store: Store, rubric: Rubric) -> None:
    rate_all(store, rubric, {**dict.fromkeys(TOPICS, 3), "beh-conflict": None})
    aid = store.begin_assessment("self", DAY, rubric, scope="coding")
    copied = store.get_assessment(aid)
    assert copied.scope == "coding"
    assert copied.ratings == {"sd-feature-pipelines": 3, "sd-serving": 3, "sd-federated": 3,
                              "beh-conflict": None}
    store.record_rating(aid, "code-graphs", 5)
    done = store.finish_assessment(aid)
    assert done.complete is True and done.ratings["code-graphs"] == 5
    with pytest.raises(NotFoundError, match="unknown round 'nope'"):
        store.begin_assessment("self", DAY, rubric, scope="nope")


def test_round_scoped_first_assessment_is_incomplete(store: Store, rubric: Rubric) -> None:
    aid = store.begin_assessment("self", DAY, rubric, scope="coding")
    store.record_rating(aid, "code-graphs", 4)
    done = store.finish_assessment(aid)
    assert done.ratings == {"code-graphs": 4} and done.complete is False


def test_rubric_snapshot_survives_a_changed_rubric_file(
    store: Store, rubric: Rubric, tmp_path: Path
) -> None:
    old = rate_all(store, rubric, dict.fromkeys(TOPICS, 3))
    text = (FIXTURES / "mini-rubric.yaml").read_text()
    changed_file = tmp_path / "changed.yaml"
    changed_file.write_text(
        text.replace('version: "1.0"', 'version: "2.0"').replace(
            "title: Graphs and BFS", "title: Graph algorithms"
        )
    )
    changed = load_rubric(str(changed_file))
    new = rate_all(store, changed, dict.fromkeys(TOPICS, 4))
    assert store.rubric_snapshot(old) == rubric
    assert store.rubric_snapshot(old).topics["code-graphs"].title == "Graphs and BFS"
    assert store.rubric_snapshot(new).topics["code-graphs"].title == "Graph algorithms"
    assert store.get_assessment(new).rubric_version == "2.0"
    rate_all(store, rubric, dict.fromkeys(TOPICS, 5))  # same rubric again: snapshot reused
    count = store._conn.execute("SELECT COUNT(*) FROM rubric_snapshots").fetchone()[0]
    assert count == 2


def test_add_assessment_writes_all_at_once(store: Store, rubric: Rubric) -> None:
    done = store.add_assessment(
        "self", DAY, rubric, {t: 3 for t in TOPICS}, {"sd-serving": "note"},
        hours={"coding": 2.0}, hours_note="from file",
    )
    assert done.complete and done.finished and done.notes == {"sd-serving": "note"}
    assert [(e.round, e.hours, e.note) for e in store.hours_entries()] == [
        ("coding", 2.0, "from file")
    ]
    with pytest.raises(NotFoundError):
        store.add_assessment("self", DAY, rubric, {"nope": 3})
    with pytest.raises(InputError):
        store.add_assessment("self", DAY, rubric, {"sd-serving": 9})
    assert len(store.assessments()) == 1


def test_hours(store: Store) -> None:
    store.log_hours("coding", 2, DAY, "graphs")
    store.log_hours("system-design", 1.5, DAY - dt.timedelta(days=2))
    store.log_hours("coding", 0.5, DAY)
    entries = store.hours_entries()
    assert [(e.round, e.hours, e.date, e.note) for e in entries] == [
        ("system-design", 1.5, DAY - dt.timedelta(days=2), None),
        ("coding", 2.0, DAY, "graphs"),
        ("coding", 0.5, DAY, None),
    ]
    assert store.logged_by_round() == {"coding": 2.5, "system-design": 1.5}
    for bad in (0, -1, float("nan"), float("inf"), True):
        with pytest.raises(InputError, match="hours must be a number above 0"):
            store.log_hours("coding", bad, DAY)  # type: ignore[arg-type]
    assert len(store.hours_entries()) == 3


def _fill(store: Store, rubric: Rubric) -> None:
    store.save_profile(Profile(name="Ana", interview_date=dt.date(2026, 12, 20)))
    rate_all(store, rubric, dict.fromkeys(TOPICS, 2), day=DAY - dt.timedelta(days=7))
    rate_all(store, rubric, dict.fromkeys(TOPICS, 1), rater="mentor")
    aid = store.begin_assessment("self", DAY, rubric)
    store.record_rating(aid, "sd-serving", 3, note="in progress <script>")
    store.log_hours("coding", 2, DAY)


def test_export_import_round_trip_is_idempotent(
    store: Store, rubric: Rubric, tmp_path: Path
) -> None:
    _fill(store, rubric)
    data = store.export_data()
    assert data["format"] == "assess-export" and data["version"] == 1
    with Store.open(tmp_path / "other") as other:
        first = other.import_data(data)
        assert (first.assessments_added, first.hours_added, first.profile_imported) == (3, 1, True)
        second = other.import_data(data)
        assert (second.assessments_added, second.assessments_present, second.hours_added,
                second.hours_present) == (0, 3, 0, 1)

        def view(s: Store) -> list[tuple]:
            return [(a.uid, a.date, a.rater, a.complete, a.finished, a.ratings, a.notes)
                    for a in s.assessments()]

        assert view(other) == view(store)
        assert other.hours_entries()[0].hours == 2.0
        assert other.get_profile() == store.get_profile()
        assert other.export_data() == data


def test_import_completes_an_assessment_finished_elsewhere(
    store: Store, rubric: Rubric, tmp_path: Path
) -> None:
    aid = store.begin_assessment("self", DAY, rubric)
    store.record_rating(aid, "sd-serving", 3)
    partial = store.export_data()
    for topic in TOPICS:
        if topic != "sd-serving":
            store.record_rating(aid, topic, 4)
    store.finish_assessment(aid)
    with Store.open(tmp_path / "other") as other:
        other.import_data(partial)
        assert other.unfinished("self") is not None
        merged = other.import_data(store.export_data())
        assert merged.assessments_merged == 1
        assert other.unfinished("self") is None
        assert other.latest_complete("self").ratings == store.latest_complete("self").ratings


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.update(format="zip"), "format: not an assess export"),
        (lambda d: d["assessments"][0]["ratings"].update({"sd-serving": 7}), "level must be 1..5"),
        (lambda d: d["assessments"][0]["ratings"].update({"nope": 2}), "ratings.nope: unknown"),
        (lambda d: d["assessments"][0].update(rater="friend"), "assessments.0.rater"),
        (lambda d: d["hours"][0].update(hours=-2), "hours.0.hours"),
        (lambda d: d["assessments"][0].update(rubric_sha256="f" * 64), "no such rubric"),
    ],
)
def test_bad_import_changes_nothing(
    store: Store, rubric: Rubric, tmp_path: Path, mutate: object, message: str
) -> None:
    _fill(store, rubric)
    data = store.export_data()
    mutate(data)  # type: ignore[operator]
    with Store.open(tmp_path / "other") as other:
        with pytest.raises(InputError, match=message):
            other.import_data(data, "x.json")
        assert other.assessments() == [] and other.hours_entries() == []
        assert other.get_profile() is None
