"""STAR stories: add, list, show, replace and remove.

Topics and questions are stored as JSON lists of ids; checking them against a rubric is the
caller's job (``assess.inputs.story_file``). Every text is checked here once more for control
characters and size, whatever the source.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

from assess.core.textsafety import check_text
from assess.errors import InputError, NotFoundError
from assess.store.base import StoreBase, _new_uid, _now
from assess.stories.star import (
    MAX_METRIC_CHARS,
    MAX_PART_CHARS,
    MAX_STORIES_PER_HOME,
    MAX_TITLE_CHARS,
    PARTS,
    Story,
)


def check_story_count(conn: sqlite3.Connection, where: str = "stories") -> None:
    """Inside a write: refuse (InputError, exit 2; the write is rolled back) when the home
    now holds more than ``MAX_STORIES_PER_HOME`` stories."""
    (count,) = conn.execute("SELECT COUNT(*) FROM stories").fetchone()
    if count > MAX_STORIES_PER_HOME:
        raise InputError(
            f"{where}: this would make {count} stories, more than the {MAX_STORIES_PER_HOME} "
            "a data home holds; nothing was added (remove some with `assess story rm ID`)"
        )


_COLUMNS = "id, uid, title, situation, task, action, result, metric, topics, questions"


def check_story(story: Story, where: str = "story") -> None:
    """Refuse empty parts, oversized fields and control characters (InputError, exit 2)."""
    check_text(story.title, f"{where}.title", max_chars=MAX_TITLE_CHARS)
    if not story.title.strip():
        raise InputError(f"{where}.title: empty; give the story a short title")
    for part in PARTS:
        text = getattr(story, part)
        check_text(text, f"{where}.{part}", multiline=True, max_chars=MAX_PART_CHARS)
        if not text.strip():
            raise InputError(f"{where}.{part}: empty; every STAR part needs a sentence or two")
    if story.metric is not None:
        check_text(story.metric, f"{where}.metric", max_chars=MAX_METRIC_CHARS)
    for key in ("topics", "questions"):
        for i, value in enumerate(getattr(story, key)):
            check_text(value, f"{where}.{key}.{i}", max_chars=200)


def _row(r: sqlite3.Row | tuple) -> Story:
    return Story(id=int(r[0]), uid=r[1], title=r[2], situation=r[3], task=r[4], action=r[5],
                 result=r[6], metric=r[7], topics=tuple(json.loads(r[8])),
                 questions=tuple(json.loads(r[9])))


class StoryStore(StoreBase):
    # ----- STAR stories -------------------------------------------------------------------------

    def stories(self) -> list[Story]:
        """Every story, oldest first."""
        with self._read() as conn:
            rows = conn.execute(f"SELECT {_COLUMNS} FROM stories ORDER BY id").fetchall()
        return [_row(r) for r in rows]

    def story(self, story_id: int) -> Story:
        """The story with this id; ``NotFoundError`` naming it if none."""
        with self._read() as conn:
            row = conn.execute(f"SELECT {_COLUMNS} FROM stories WHERE id = ?",
                               (story_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"ID: no story {story_id} (`assess story list` shows the ids)")
        return _row(row)

    def add_stories(self, stories: Iterable[Story]) -> tuple[list[Story], list[Story]]:
        """Save stories in one transaction: (added, already here). A story with the same uid,
        or the same text and tags as one already saved, is not added twice."""
        stories = list(stories)
        for i, s in enumerate(stories):
            check_story(s, f"stories.{i}")
        added: list[Story] = []
        present: list[Story] = []
        with self._write() as conn:
            existing = {_row(r).content_key(): _row(r)
                        for r in conn.execute(f"SELECT {_COLUMNS} FROM stories")}
            by_uid = {s.uid: s for s in existing.values()}
            for s in stories:
                if s.uid in by_uid or s.content_key() in existing:
                    present.append(by_uid.get(s.uid) or existing[s.content_key()])
                    continue
                uid = s.uid or _new_uid()
                now = _now()
                cur = conn.execute(
                    "INSERT INTO stories (uid, title, situation, task, action, result, metric, "
                    "topics, questions, created_at, updated_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (uid, s.title, s.situation, s.task, s.action, s.result, s.metric or None,
                     json.dumps(list(s.topics)), json.dumps(list(s.questions)), now, now),
                )
                saved = Story(**{**s.__dict__, "id": int(cur.lastrowid or 0), "uid": uid})
                added.append(saved)
                existing[saved.content_key()] = saved
                by_uid[uid] = saved
            check_story_count(conn)  # the new ones included: rolled back when over
        return added, present

    def add_story(self, story: Story) -> Story:
        """Save one story; returns it with its id and uid (the one already here if a copy)."""
        added, present = self.add_stories([story])
        return (added or present)[0]

    def replace_story(self, story_id: int, story: Story) -> Story:
        """Overwrite a story's text and tags (its id and uid stay)."""
        check_story(story)
        old = self.story(story_id)
        with self._write() as conn:
            conn.execute(
                "UPDATE stories SET title = ?, situation = ?, task = ?, action = ?, result = ?, "
                "metric = ?, topics = ?, questions = ?, updated_at = ? WHERE id = ?",
                (story.title, story.situation, story.task, story.action, story.result,
                 story.metric or None, json.dumps(list(story.topics)),
                 json.dumps(list(story.questions)), _now(), story_id),
            )
        return Story(**{**story.__dict__, "id": old.id, "uid": old.uid})

    def remove_story(self, story_id: int) -> Story:
        """Delete a story; returns what was deleted."""
        old = self.story(story_id)
        with self._write() as conn:
            conn.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        return old

    def story_rows_for_export(self) -> list[dict[str, object]]:
        """Every story with its uid and times, as the export file holds them."""
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_COLUMNS}, created_at, updated_at FROM stories ORDER BY id"
            ).fetchall()
        return [
            {"uid": r[1], **_row(r).fields(), "created_at": r[10], "updated_at": r[11]}
            for r in rows
        ]
