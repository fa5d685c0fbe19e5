"""Export and import of the whole history, all or nothing; importing twice adds nothing."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from assess.rubric.model import rubric_from_snapshot
from assess.store.base import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    StoreBase,
    _json_loads,
    _new_uid,
    _now,
)


@dataclass(frozen=True)
class ImportResult:
    assessments_added: int = 0
    assessments_merged: int = 0
    assessments_present: int = 0
    hours_added: int = 0
    hours_present: int = 0
    stories_added: int = 0
    stories_present: int = 0
    profile_imported: bool = False
    profile_kept: bool = False
    messages: list[str] = field(default_factory=list)



def _import_stories(conn: sqlite3.Connection, stories: list[Any], label: str,
                    messages: list[str]) -> tuple[int, int]:
    """Add the file's stories: (added, already here). A story whose text and tags are here
    already adds nothing; one whose uid is here with other text is a conflict: it is added
    beside the one here (a new uid), never dropped, and ``messages`` says so."""
    from assess.store.stories import _COLUMNS, _row, check_story_count
    from assess.stories.star import Story

    here = [_row(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM stories")]
    by_content = {s.content_key(): s for s in here}
    by_uid = {s.uid: s for s in here}
    added = present = 0
    for index, item in enumerate(stories):
        story = Story(title=item.title, situation=item.situation, task=item.task,
                      action=item.action, result=item.result, metric=item.metric,
                      topics=tuple(item.topics), questions=tuple(item.questions))
        if story.content_key() in by_content:
            present += 1
            continue
        uid = item.uid
        twin = by_uid.get(uid)
        if twin is not None:
            uid = _new_uid()
        cur = conn.execute(
            "INSERT INTO stories (uid, title, situation, task, action, result, "
            "metric, topics, questions, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (uid, story.title, story.situation, story.task, story.action, story.result,
             story.metric, json.dumps(list(story.topics)), json.dumps(list(story.questions)),
             item.created_at or _now(), item.updated_at or _now()),
        )
        saved = Story(**{**story.__dict__, "id": int(cur.lastrowid or 0), "uid": uid})
        by_content[saved.content_key()] = saved
        by_uid[uid] = saved
        added += 1
        if twin is not None:
            messages.append(
                f"{label}: stories.{index}: story {twin.id} here has the same uid but other "
                f"text; the file's version is added as story {saved.id} beside it (compare "
                f"them with `assess story show`, remove one with `assess story rm`)"
            )
    check_story_count(conn, f"{label}: stories")
    return added, present


class ExchangeStore(StoreBase):
    # ----- export and import ------------------------------------------------------------------

    def export_data(self) -> dict[str, Any]:
        """The whole history as plain JSON-ready data (see ``ExportFile``)."""
        with self._read() as conn:
            snaps = conn.execute(
                "SELECT id, sha256, body FROM rubric_snapshots ORDER BY id"
            ).fetchall()
            sha_of = {int(r[0]): r[1] for r in snaps}
            snap_rows = conn.execute(
                "SELECT a.uid, a.snapshot_id, a.started_at, a.finished_at FROM assessments a"
            ).fetchall()
            hours = conn.execute(
                "SELECT uid, round, hours, date, note, logged_at, topic FROM hours "
                "ORDER BY date, id"
            ).fetchall()
        extra = {r[0]: (sha_of[int(r[1])], r[2], r[3]) for r in snap_rows}
        profile = self.get_profile()
        assessments = []
        for a in self.assessments():
            sha, started, finished = extra[a.uid]
            assessments.append(
                {
                    "uid": a.uid,
                    "rater": a.rater,
                    "date": a.date.isoformat(),
                    "rubric_id": a.rubric_id,
                    "rubric_version": a.rubric_version,
                    "rubric_sha256": sha,
                    "scope": a.scope,
                    "complete": a.complete,
                    "started_at": started,
                    "finished_at": finished,
                    "ratings": a.ratings,
                    "notes": a.notes,
                    **({"comment": a.comment} if a.comment else {}),
                    **({"rater_name": a.rater_name} if a.rater_name else {}),
                }
            )
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "profile": profile.to_dict() if profile else None,
            "rubrics": {r[1]: _json_loads(r[2]) for r in snaps},
            "assessments": assessments,
            "hours": [
                {"uid": r[0], "round": r[1], "hours": float(r[2]), "date": r[3], "note": r[4],
                 "logged_at": r[5], **({"topic": r[6]} if r[6] else {})}
                for r in hours
            ],
            "attempts": [
                {"uid": a.uid, "question_id": a.question, "topic": a.topic,
                 "date": a.date.isoformat(), "minutes": a.minutes, "covered": list(a.covered),
                 "total": a.total, "time_box": a.time_box, "rater": a.rater,
                 "note": a.note or None}
                for a in self.attempts()
            ],
            "completions": [
                {"session_id": c.session_id, "round": c.round, "topic": c.topic,
                 "activity": c.activity, "question_id": c.question_id, "hours": c.hours,
                 "date": c.date.isoformat()}
                for c in self.completions()
            ],
            "stories": self.story_rows_for_export(),  # type: ignore[attr-defined]
        }

    def import_data(self, data: Any, label: str = "import file",
                    today: dt.date | None = None) -> ImportResult:
        """Merge an export into this store, all or nothing. Importing twice adds nothing.

        Nothing in it may be dated after ``today`` (when given).
        """
        from assess.inputs.transfer import parse_export

        with self._read() as conn:
            bodies = [r[0] for r in conn.execute("SELECT body FROM rubric_snapshots")]
        stored = [rubric_from_snapshot(body) for body in bodies]
        known = {r.id for rubric in stored for r in rubric.rounds}
        parsed = parse_export(data, label, today, known, stored)
        added = merged = present = hours_added = hours_present = 0
        stories_added = stories_present = 0
        profile_imported = profile_kept = False
        messages: list[str] = []
        with self._write() as conn:
            snap_ids: dict[str, int] = {}
            for sha, rubric in parsed.rubric_models.items():
                snap_ids[sha] = self._snapshot_id(conn, rubric)
            for item in parsed.assessments:
                row = conn.execute(
                    "SELECT id, finished_at FROM assessments WHERE uid = ?", (item.uid,)
                ).fetchone()
                rubric = parsed.rubric_models[item.rubric_sha256]
                if row is None:
                    cur = conn.execute(
                        "INSERT INTO assessments (uid, rater, date, rubric_id, rubric_version, "
                        "snapshot_id, scope, complete, started_at, finished_at, comment, "
                        "rater_name) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?, ?)",
                        (
                            item.uid,
                            item.rater,
                            item.date.isoformat(),
                            item.rubric_id,
                            item.rubric_version,
                            snap_ids[item.rubric_sha256],
                            item.scope,
                            item.started_at or _now(),
                            item.finished_at,
                            item.comment,
                            item.rater_name,
                        ),
                    )
                    aid = int(cur.lastrowid or 0)
                    added += 1
                    changed = True
                else:
                    aid = int(row[0])
                    changed = False
                now = _now()
                for topic_id, level in item.ratings.items():
                    cur = conn.execute(
                        "INSERT OR IGNORE INTO ratings (assessment_id, topic_id, level, "
                        "answered_at) VALUES (?, ?, ?, ?)",
                        (aid, topic_id, level, now),
                    )
                    changed = changed or cur.rowcount > 0
                for topic_id, text in item.notes.items():
                    cur = conn.execute(
                        "INSERT OR IGNORE INTO notes (assessment_id, topic_id, text) "
                        "VALUES (?, ?, ?)",
                        (aid, topic_id, text),
                    )
                    changed = changed or cur.rowcount > 0
                if row is not None and item.finished_at and row[1] is None:
                    conn.execute(
                        "UPDATE assessments SET finished_at = ? WHERE id = ?",
                        (item.finished_at, aid),
                    )
                    changed = True
                answered = {
                    r[0]
                    for r in conn.execute(
                        "SELECT topic_id FROM ratings WHERE assessment_id = ?", (aid,)
                    )
                }
                finished = conn.execute(
                    "SELECT finished_at IS NOT NULL FROM assessments WHERE id = ?", (aid,)
                ).fetchone()[0]
                complete = bool(finished) and set(rubric.topics) <= answered
                conn.execute(
                    "UPDATE assessments SET complete = ? WHERE id = ?", (int(complete), aid)
                )
                if row is not None:
                    if changed:
                        merged += 1
                    else:
                        present += 1
            for entry in parsed.hours:
                cur = conn.execute(
                    "INSERT OR IGNORE INTO hours (uid, round, hours, date, note, logged_at, "
                    "topic) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry.uid,
                        entry.round,
                        entry.hours,
                        entry.date.isoformat(),
                        entry.note,
                        entry.logged_at or _now(),
                        entry.topic,
                    ),
                )
                if cur.rowcount > 0:
                    hours_added += 1
                else:
                    hours_present += 1
            for a in parsed.attempts:
                conn.execute(
                    "INSERT OR IGNORE INTO attempts (uid, question_id, topic, date, minutes, "
                    "covered, total, time_box, rater, note, recorded_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (a.uid, a.question_id, a.topic, a.date.isoformat(), a.minutes,
                     json.dumps(sorted(a.covered)), a.total, a.time_box, a.rater, a.note,
                     _now()),
                )
            for c in parsed.completions:
                conn.execute(
                    "INSERT OR IGNORE INTO completions (session_id, round, topic, activity, "
                    "question_id, hours, date, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (c.session_id, c.round, c.topic, c.activity, c.question_id, c.hours,
                     c.date.isoformat(), _now()),
                )
            stories_added, stories_present = _import_stories(conn, parsed.stories, label,
                                                             messages)
        if parsed.profile is not None:
            current = self.get_profile()
            if current is None:
                self.save_profile(parsed.profile)
                profile_imported = True
            elif current != parsed.profile:
                profile_kept = True
                messages.append(
                    "kept the profile already here (run `assess init` to change it)"
                )
        return ImportResult(
            assessments_added=added,
            assessments_merged=merged,
            assessments_present=present,
            hours_added=hours_added,
            hours_present=hours_present,
            stories_added=stories_added,
            stories_present=stories_present,
            profile_imported=profile_imported,
            profile_kept=profile_kept,
            messages=messages,
        )

