"""Export and import of the whole history, all or nothing; importing twice adds nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from assess.rubric import rubric_from_snapshot
from assess.store.base import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    StoreBase,
    _json_loads,
    _now,
)


@dataclass(frozen=True)
class ImportResult:
    assessments_added: int = 0
    assessments_merged: int = 0
    assessments_present: int = 0
    hours_added: int = 0
    hours_present: int = 0
    profile_imported: bool = False
    profile_kept: bool = False
    messages: list[str] = field(default_factory=list)



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
                "SELECT uid, round, hours, date, note, logged_at FROM hours ORDER BY date, id"
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
                 "logged_at": r[5]}
                for r in hours
            ],
        }

    def import_data(self, data: Any, label: str = "import file",
                    today: dt.date | None = None) -> ImportResult:
        """Merge an export into this store, all or nothing. Importing twice adds nothing.

        Nothing in it may be dated after ``today`` (when given).
        """
        from assess.transfer import parse_export

        with self._read() as conn:
            bodies = [r[0] for r in conn.execute("SELECT body FROM rubric_snapshots")]
        known = {r.id for body in bodies for r in rubric_from_snapshot(body).rounds}
        parsed = parse_export(data, label, today, known)
        added = merged = present = hours_added = hours_present = 0
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
                    "INSERT OR IGNORE INTO hours (uid, round, hours, date, note, logged_at) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        entry.uid,
                        entry.round,
                        entry.hours,
                        entry.date.isoformat(),
                        entry.note,
                        entry.logged_at or _now(),
                    ),
                )
                if cur.rowcount > 0:
                    hours_added += 1
                else:
                    hours_present += 1
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
            profile_imported=profile_imported,
            profile_kept=profile_kept,
            messages=messages,
        )

