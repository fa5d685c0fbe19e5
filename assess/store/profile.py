"""The profile row: who, which rubric, the dates and the hours."""

from __future__ import annotations

import datetime as dt
import json

from assess.core.textsafety import check_text
from assess.rubric.profile import Profile
from assess.store.base import (
    StoreBase,
    _json_loads,
    _now,
)


class ProfileStore(StoreBase):
    # ----- profile --------------------------------------------------------------------------

    def get_profile(self) -> Profile | None:
        with self._read() as conn:
            row = conn.execute(
                "SELECT name, rubric, interview_date, hours_per_week, target_level, study_time, "
                "stage_dates, stages_done, availability FROM profile WHERE id = 1"
            ).fetchone()
        if row is None:
            return None
        name, rubric, interview, hours, target, study, stages, done, avail = row
        week = _json_loads(avail) or {}
        return Profile(
            name=name,
            rubric=rubric,
            interview_date=dt.date.fromisoformat(interview) if interview else None,
            hours_per_week=hours,
            target_level=target,
            study_time=dt.time.fromisoformat(study),
            stage_dates={k: dt.date.fromisoformat(v) for k, v in _json_loads(stages).items()},
            stages_done=tuple(_json_loads(done)),
            day_hours=tuple(week.get("day_hours") or ()),
            blackouts=tuple(
                (dt.date.fromisoformat(a), dt.date.fromisoformat(b))
                for a, b in week.get("blackouts") or ()
            ),
        )

    def save_profile(self, profile: Profile) -> None:
        """Create or replace the profile (history is untouched)."""
        check_text(profile.name, "name")
        check_text(profile.rubric, "rubric")
        with self._write() as conn:
            conn.execute(
                "INSERT INTO profile (id, name, rubric, interview_date, hours_per_week, "
                "target_level, study_time, updated_at, stage_dates, stages_done, availability) "
                "VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET name = excluded.name, rubric = excluded.rubric, "
                "interview_date = excluded.interview_date, "
                "hours_per_week = excluded.hours_per_week, target_level = excluded.target_level, "
                "study_time = excluded.study_time, updated_at = excluded.updated_at, "
                "stage_dates = excluded.stage_dates, stages_done = excluded.stages_done, "
                "availability = excluded.availability",
                (
                    profile.name,
                    profile.rubric,
                    profile.interview_date.isoformat() if profile.interview_date else None,
                    float(profile.hours_per_week),
                    int(profile.target_level),
                    profile.study_time.isoformat(timespec="minutes"),
                    _now(),
                    json.dumps(profile.to_dict()["stage_dates"], sort_keys=True),
                    json.dumps(list(profile.stages_done)),
                    json.dumps({"day_hours": list(profile.day_hours),
                                "blackouts": profile.to_dict()["blackouts"]}, sort_keys=True),
                ),
            )

