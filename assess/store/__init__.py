"""SQLite: the connection, numbered migrations, one module per kind of record, exchange.
May import inputs, evidence, stories, rubric, core.

The history database: profile, assessments with their ratings and notes, hours logged,
exported calendar events, STAR stories, saved plans. One module per kind of record; ``Store``
joins them.

This package knows SQL; it knows nothing of Click and applies no rubric rules beyond integrity
(a rating must name a topic of the assessment's rubric, a level is 1..5 or skipped).
"""

from __future__ import annotations

from assess.store.assessments import Assessment, AssessmentStore
from assess.store.base import (
    BUSY_TIMEOUT_S,
    CACHE_DIR,
    DB_NAME,
    EXPORT_FORMAT,
    EXPORT_VERSION,
    StoreBase,
    rubric_json,
)
from assess.store.calendar import CalendarStore
from assess.store.exchange import ExchangeStore, ImportResult
from assess.store.hours import HoursEntry, HoursStore
from assess.store.plans import PlanStore, SavedPlan
from assess.store.practice import Completion, PracticeStore
from assess.store.profile import ProfileStore
from assess.store.stories import StoryStore

__all__ = [
    "BUSY_TIMEOUT_S", "CACHE_DIR", "DB_NAME", "EXPORT_FORMAT", "EXPORT_VERSION", "Assessment",
    "Completion", "HoursEntry", "ImportResult", "SavedPlan", "Store", "StoreBase", "rubric_json",
]


class Store(ProfileStore, AssessmentStore, HoursStore, PracticeStore, ExchangeStore,
            CalendarStore, StoryStore, PlanStore):
    """The history database. Use as a context manager; every write commits immediately
    (inside ``Store.all_or_nothing``, every write commits at the end of the block, or none)."""
