"""The history database's connection: opening with migrations, transactions, locks.

SQLite under the data home (``<home>/assess.db``), in WAL mode with foreign keys on and a busy
timeout, so that two assess processes writing at once both succeed. Every write is its own
``BEGIN IMMEDIATE`` transaction and commits before the method returns: an answer given is an
answer kept, even if the questionnaire is interrupted right after. The schema is versioned
and migrated forward by ``assess.store.migrations``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import math
import os
import sqlite3
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any

from assess.errors import InputError, StoreError
from assess.rubric.model import Rubric
from assess.store.migrations import LATEST, current_version, migrate, newer_schema_error

MAX_NOTE_CHARS = 2000  # as an answers file allows

DB_NAME = "assess.db"
CACHE_DIR = "cache"  # <home>/cache: validated rubric files (see rubric.load_rubric)
RATERS = ("self", "mentor")
BUSY_TIMEOUT_S = 5.0  # how long to wait for another program holding the database, at most
EXPORT_FORMAT = "assess-export"
EXPORT_VERSION = 1


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def _new_uid() -> str:
    return uuid.uuid4().hex


def rubric_json(rubric: Rubric) -> str:
    """The canonical JSON text of a rubric, as snapshotted."""
    return rubric.snapshot_json()


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# Stores opened with ``StoreBase.all_or_nothing``, by database path: while one is open, this
# process's ``StoreBase.open`` of the same home shares its connection (and so its transaction).
_SHARED: dict[str, StoreBase] = {}


def _key(path: Path) -> str:
    return str(path.absolute().resolve())


class StoreBase:
    """The connection: opening (with migrations), closing, and the read and write
    transactions every kind of record uses."""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, owner: bool = True) -> None:
        self._conn = conn
        self.path = path
        self._snapshots: dict[int, Rubric] = {}
        self._owner = owner

    # ----- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, home: Path, *, migrate_to: int | None = None) -> StoreBase:
        """Open (creating if needed) ``<home>/assess.db`` and migrate it to the latest schema."""
        home = Path(home)
        shared = _SHARED.get(_key(home / DB_NAME))
        if shared is not None and migrate_to is None:
            return cls(shared._conn, shared.path, owner=False)
        try:
            home.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{home}: cannot create the data folder ({exc.strerror})") from None
        path = home / DB_NAME
        label = str(path)
        _check_regular(path, label)
        if path.is_file() and not _writable(home, path):
            return cls(_open_read_only(path, label, migrate_to), path)
        try:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_S, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"{label}: cannot open the history database ({exc})") from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            # a newer schema is refused before anything here writes (even the journal mode)
            found = current_version(conn)
            if found > LATEST:
                raise newer_schema_error(label, found)
            _retry_locked(lambda: conn.execute("PRAGMA journal_mode = WAL").fetchone())
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = NORMAL")
            wanted = LATEST if migrate_to is None else migrate_to
            if current_version(conn) != wanted:
                migrate(conn, upto=migrate_to, label=label)
        except sqlite3.DatabaseError as exc:
            conn.close()
            if _is_busy(exc):
                raise _locked_error(label) from None
            raise StoreError(f"{label}: cannot use the history database ({exc})") from None
        except BaseException:
            conn.close()
            raise
        return cls(conn, path)

    def close(self) -> None:
        if self._owner:
            self._conn.close()

    @classmethod
    @contextmanager
    def all_or_nothing(cls, home: Path) -> Iterator[StoreBase]:
        """The store with every write in the block as one transaction: committed when the
        block ends normally, rolled back (the database untouched) when it raises.

        ``StoreBase.open`` of the same home inside the block (the engine, the report) shares this
        connection, so it reads what the block wrote so far.
        """
        store = cls.open(home)
        conn = store._conn
        key = _key(store.path)
        try:
            _begin(conn, str(store.path))
            _SHARED[key] = store
            try:
                yield store
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"{store.path}: write failed ({exc})") from None
        finally:
            _SHARED.pop(key, None)
            if conn.in_transaction:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
            store.close()

    def __enter__(self) -> StoreBase:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One immediate transaction; committed on success, rolled back on any error."""
        conn = self._conn
        if conn.in_transaction:  # inside all_or_nothing: a savepoint of the one transaction
            yield from _savepoint(conn, str(self.path))
            return
        _begin(conn, str(self.path))
        try:
            yield conn
            conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if _is_busy(exc):
                raise _locked_error(str(self.path)) from None
            raise StoreError(f"{self.path}: write failed ({exc})") from None
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """A consistent read (one deferred transaction)."""
        conn = self._conn
        if conn.in_transaction:  # inside all_or_nothing: read what it wrote so far
            yield conn
            return
        try:
            conn.execute("BEGIN")
            try:
                yield conn
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if _is_busy(exc):
                raise _locked_error(str(self.path)) from None
            raise StoreError(f"{self.path}: read failed ({exc})") from None

    def schema_version(self) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        return int(row[0] or 0)


def _check_regular(path: Path, label: str) -> None:
    """Refuse a database path that is a FIFO, a device, a folder (symlinks followed)."""
    from assess.core.safepath import kind_of

    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # none yet (it is created), or the open reports the problem
    kind = kind_of(mode)
    if kind is not None:
        raise StoreError(f"{label}: is {kind}, expected the history database")


def _writable(home: Path, path: Path) -> bool:
    """Whether the database and its folder (for the -wal and -shm files) can be written."""
    return os.access(home, os.W_OK) and os.access(path, os.W_OK)


def _open_read_only(path: Path, label: str, migrate_to: int | None) -> sqlite3.Connection:
    """The database of a read-only home, opened for reading: plans, reports, history and
    export work; a write fails with one line. Without the -shm file (which a read-only
    folder cannot hold) the file is opened as immutable."""
    from urllib.parse import quote

    uri = f"file:{quote(str(path.absolute()))}?mode=ro"
    wal = path.with_name(path.name + "-wal")
    shm = path.with_name(path.name + "-shm")
    if not shm.exists() and not (wal.exists() and wal.stat().st_size):
        uri += "&immutable=1"
    try:
        conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        found = current_version(conn)
    except sqlite3.Error as exc:
        raise StoreError(f"{label}: cannot open the history database read-only ({exc})") \
            from None
    if found > LATEST:
        conn.close()
        raise newer_schema_error(label, found)
    if found != (LATEST if migrate_to is None else migrate_to):
        conn.close()
        raise StoreError(f"{label}: the data folder is read-only, and the history needs an "
                         "upgrade first; run assess once where it can be written")
    return conn


def _savepoint(conn: sqlite3.Connection, label: str) -> Iterator[sqlite3.Connection]:
    """One write inside an open transaction: undone alone when it fails."""
    conn.execute("SAVEPOINT write")
    try:
        yield conn
        conn.execute("RELEASE write")
    except sqlite3.Error as exc:
        conn.execute("ROLLBACK TO write")
        conn.execute("RELEASE write")
        raise StoreError(f"{label}: write failed ({exc})") from None
    except BaseException:
        conn.execute("ROLLBACK TO write")
        conn.execute("RELEASE write")
        raise


def _check_rater(rater: str) -> None:
    if rater not in RATERS:
        raise InputError(f"unknown rater {rater!r} (use self or mentor)")


def _check_level(topic_id: str, level: int | None) -> None:
    if level is not None and (
        isinstance(level, bool) or not isinstance(level, int) or not 1 <= level <= 5
    ):
        raise InputError(f"{topic_id}: level must be 1..5 or skipped (got {level!r})")


MAX_HOURS_ENTRY = 168.0  # one entry covers at most a week (a check-in's hours per round)


def _check_hours(hours: float) -> None:
    if (
        isinstance(hours, bool)
        or not isinstance(hours, (int, float))
        or not math.isfinite(hours)
        or not 0 < hours <= MAX_HOURS_ENTRY
    ):
        raise InputError(
            f"hours must be a number above 0 and at most {MAX_HOURS_ENTRY:g} (got {hours!r})"
        )


def _retry_locked(action: Any) -> Any:
    """Run ``action``, retrying while another process holds the lock, for at most
    ``BUSY_TIMEOUT_S`` (switching the journal mode can report "locked" at once, without
    waiting on the busy timeout, while another process opens the database)."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    while True:
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or time.monotonic() >= deadline:
                raise
            time.sleep(0.05)


def _begin(conn: sqlite3.Connection, label: str) -> None:
    """``BEGIN IMMEDIATE``: a write lock now, or a clear error (busy, or cannot write)."""
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        if _is_busy(exc):
            raise _locked_error(label) from None
        raise StoreError(f"{label}: cannot write ({exc})") from None


def _is_busy(exc: sqlite3.Error) -> bool:
    """True for SQLITE_BUSY / SQLITE_LOCKED: another connection holds the database."""
    text = str(exc).lower()
    return "database is locked" in text or "table is locked" in text or "busy" in text


def _locked_error(label: str) -> StoreError:
    return StoreError(
        f"{label}: the history database is locked by another program (waited "
        f"{BUSY_TIMEOUT_S:g} s). Try again when it is done, or close the program holding it."
    )


def _json_loads(text: str) -> Any:
    return json.loads(text)
