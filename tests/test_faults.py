"""Faults: nothing a crash, a full disk, a lock or a strange file does may lose or damage history.

- a file at the database path that is not an assess database (garbage, a truncated copy):
  exit 1, one clear line, the file byte-identical afterwards;
- a database locked by another program: a short wait, then a clear message; reads still work
  while another process only writes;
- a database from a newer assess: refused, byte-identical afterwards, whatever its journal mode;
- ``kill -9`` while a report renders, or between writing the new report and renaming it: the
  old report stays byte-identical, and the only debris is a hidden ``.NAME.*.tmp`` file;
- ``kill -9`` while writing history: every committed write is there, nothing half-written;
- a full disk (ENOSPC at write, fsync or rename; SQLITE_FULL in the database) and a folder
  that cannot be written: one clear line, exit 1, the old file and the history unchanged.
"""

from __future__ import annotations

import errno
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import assess.store.base
from assess.cli import cli
from assess.store import CACHE_DIR, DB_NAME, Store
from assess.store.migrations import LATEST

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini-rubric.yaml")
TODAY = "2026-11-25"
ANSWERS = ("rater: self\nratings: {sd-feature-pipelines: 2, sd-serving: 3, sd-federated: 1, "
           "code-graphs: 4, beh-conflict: 2}\n")
COMMANDS: list[list[str]] = [
    ["plan", "--json"],
    ["log", "coding", "1.5"],
    ["history", "--json"],
    ["init", "--name", "Ana", "--no-input"],
    ["export", "-"],
    ["report", "-o", "-"],
]


def run(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, ["--today", TODAY, *args], input=input)


def setup_history(home: Path, tmp_path: Path) -> None:
    """A profile on the mini rubric and one complete self-assessment."""
    steps = [
        run("init", "--name", "Ana", "--rubric", MINI, "--interview-date", "2026-12-23",
            "--hours-per-week", "10", "--no-input"),
        run("rate", "--answers", str(write(tmp_path / "answers.yaml", ANSWERS))),
    ]
    for step in steps:
        assert step.exit_code == 0, step.output
    assert (home / DB_NAME).is_file()


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file in a folder (not below), by name, with its bytes."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def history(home: Path) -> dict[str, Any]:
    with Store.open(home) as store:
        data = store.export_data()
    return {k: data[k] for k in ("profile", "assessments", "hours")}


def subprocess_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSESS_")}
    return {**env, "ASSESS_HOME": str(home), "ASSESS_TODAY": TODAY, "NO_COLOR": "1"}


# ----- not a database -------------------------------------------------------------------------


def _valid_db_bytes(tmp_path: Path) -> bytes:
    other = tmp_path / "other-home"
    with Store.open(other) as store:
        for i in range(200):
            store.log_hours("coding", 1.0, __import__("datetime").date(2026, 11, 1),
                            f"entry {i} " + "x" * 200)
    return (other / DB_NAME).read_bytes()


BAD_FILES: dict[str, Callable[[Path], bytes]] = {
    "text": lambda tmp: b"these are my interview notes, not a database\n" * 50,
    "random bytes": lambda tmp: bytes((i * 7919 + 13) % 256 for i in range(8192)),
    "sqlite header, garbage after": lambda tmp: b"SQLite format 3\x00" + b"\xff" * 8176,
    "truncated copy": lambda tmp: _valid_db_bytes(tmp)[:4096 * 3],
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_a_file_that_is_not_an_assess_database_is_refused_untouched(
    kind: str, assess_home: Path, tmp_path: Path
) -> None:
    assess_home.mkdir(parents=True)
    db = assess_home / DB_NAME
    db.write_bytes(BAD_FILES[kind](tmp_path))
    before = snapshot(assess_home)
    for command in COMMANDS:
        result = run(*command)
        assert result.exit_code == 1, (command, result.output)
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"Error: {db}: "), (command, lines)
        assert "unexpected" not in result.stderr
        assert snapshot(assess_home) == before, command  # same bytes, and no -wal/-shm debris


def test_not_a_database_message_is_plain(assess_home: Path) -> None:
    assess_home.mkdir(parents=True)
    (assess_home / DB_NAME).write_bytes(b"not a database at all\n" * 100)
    result = run("plan")
    assert (result.exit_code, result.stderr) == (1, (
        f"Error: {assess_home / DB_NAME}: cannot use the history database (file is not a "
        "database)\n"
    ))


def test_a_folder_at_the_database_path(assess_home: Path) -> None:
    (assess_home / DB_NAME).mkdir(parents=True)
    result = run("log", "coding", "1")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {assess_home / DB_NAME}: ")
    assert list((assess_home / DB_NAME).iterdir()) == []


# ----- a database from a newer assess ----------------------------------------------------------


@pytest.mark.parametrize("journal", ["wal", "delete"])
def test_a_newer_database_is_refused_and_left_byte_identical(
    journal: str, assess_home: Path, tmp_path: Path
) -> None:
    setup_history(assess_home, tmp_path)
    conn = sqlite3.connect(assess_home / DB_NAME, isolation_level=None)
    conn.execute(f"INSERT INTO schema_version VALUES ({LATEST + 1}, 'from the future', 'now')")
    conn.execute("CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT)")
    conn.execute(f"PRAGMA journal_mode = {journal}")
    conn.close()
    before = snapshot(assess_home)
    assert sorted(before) == [DB_NAME]
    for command in [*COMMANDS, ["rate", "--answers", str(tmp_path / "answers.yaml")],
                    ["checkin", "--no-input", "-o", str(tmp_path / "x.md")]]:
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, (
            f"Error: {assess_home / DB_NAME}: written by a newer assess (schema {LATEST + 1}, "
            f"this one knows {LATEST}); upgrade assess to read it\n"
        )), command
        assert snapshot(assess_home) == before, command
    assert not (tmp_path / "x.md").exists()


# ----- locks ------------------------------------------------------------------------------------

LOCKER = textwrap.dedent(
    """
    import sqlite3, sys, time
    conn = sqlite3.connect(sys.argv[1], isolation_level=None)
    if sys.argv[2] == "exclusive":  # like a database browser that keeps the file to itself
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("UPDATE profile SET name = name")
        conn.execute("COMMIT")  # the exclusive lock stays until the connection closes
    else:  # another program in the middle of a write
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("UPDATE profile SET name = name")
    print("locked", flush=True)
    sys.stdin.readline()  # hold the lock until the test says so
    if sys.argv[2] != "exclusive":
        conn.execute("ROLLBACK")
    conn.close()
    """
)


@pytest.fixture()
def locked(assess_home: Path, tmp_path: Path, request: pytest.FixtureRequest,
           monkeypatch: pytest.MonkeyPatch) -> Iterator[subprocess.Popen[str]]:
    setup_history(assess_home, tmp_path)
    monkeypatch.setattr(assess.store.base, "BUSY_TIMEOUT_S", 0.3)  # the test need not wait long
    proc = subprocess.Popen(
        [sys.executable, "-c", LOCKER, str(assess_home / DB_NAME), request.param],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None and proc.stdout.readline() == "locked\n"
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.communicate("go\n", timeout=30)


def locked_message(home: Path) -> str:
    return (f"Error: {home / DB_NAME}: the history database is locked by another program "
            "(waited 0.3 s). Try again when it is done, or close the program holding it.\n")


@pytest.mark.parametrize("locked", ["write"], indirect=True)
def test_a_write_lock_held_elsewhere_waits_briefly_then_says_so(
    locked: subprocess.Popen[str], assess_home: Path, tmp_path: Path
) -> None:
    before = history(assess_home)
    result = run("log", "coding", "1.5")
    # the message reports the configured wait: it waited, then gave up with a clear line
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", locked_message(assess_home))
    # reading goes on while someone else writes (WAL)
    plan = run("plan", "--json")
    assert plan.exit_code == 0, plan.output
    locked.communicate("go\n", timeout=30)
    assert history(assess_home) == before
    again = run("log", "coding", "1.5")
    assert again.exit_code == 0, again.output
    assert len(history(assess_home)["hours"]) == 1


@pytest.mark.parametrize("locked", ["exclusive"], indirect=True)
def test_an_exclusive_lock_held_elsewhere_waits_briefly_then_says_so(
    locked: subprocess.Popen[str], assess_home: Path
) -> None:
    for command in (["log", "coding", "1.5"], ["plan", "--json"], ["history"]):
        result = run(*command)
        assert (result.exit_code, result.stderr) == (1, locked_message(assess_home)), command
    locked.communicate("go\n", timeout=30)
    assert run("plan", "--json").exit_code == 0
    assert history(assess_home)["profile"]["name"] == "Ana"


# ----- kill -9 ----------------------------------------------------------------------------------

PAUSED_REPORT = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path
    mark, where = Path(sys.argv[1]), sys.argv[2]
    if where == "render":  # the mark appears as WeasyPrint starts laying out the pages
        import weasyprint
        layout = weasyprint.HTML.render
        def render(self, *args, **kwargs):
            mark.touch()
            return layout(self, *args, **kwargs)
        weasyprint.HTML.render = render
    else:  # the new report is written in full, not yet renamed over the old one
        import assess.report.atomic as atomic
        def replace(src, dst):
            mark.touch()
            time.sleep(120)
        atomic.os = type("os", (), {**vars(os), "replace": staticmethod(replace)})
    from assess.cli import main
    sys.argv = ["assess", "report", "-o", sys.argv[3]]
    main()
    """
)


@pytest.mark.parametrize("where", ["render", "rename"])
def test_kill_9_during_a_report_keeps_the_old_report(
    where: str, assess_home: Path, tmp_path: Path
) -> None:
    setup_history(assess_home, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "plan.pdf"
    old = b"%PDF-1.7 last week's report, which the mentor has a link to\n"
    target.write_bytes(old)
    mark = tmp_path / "mark"
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSED_REPORT, str(mark), where, str(target)],
        env=subprocess_env(assess_home), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while not mark.exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the report never reached the kill point"
            time.sleep(0.01)
        if where == "render":
            time.sleep(0.1)  # inside the layout, which takes a second or more
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    assert target.read_bytes() == old
    debris = sorted(p.name for p in out_dir.iterdir() if p.name != "plan.pdf")
    if where == "render":
        assert debris == []  # nothing is written before the PDF is complete
    else:  # a complete new PDF under a hidden temporary name, never under the report's name
        assert len(debris) == 1 and debris[0].startswith(".plan.pdf.")
        assert debris[0].endswith(".tmp")
        assert (out_dir / debris[0]).read_bytes().startswith(b"%PDF-")
        # the debris is in nobody's way: the next run writes the report as usual
        again = run("report", "-o", str(target))
        assert again.exit_code == 0, again.output
        assert target.read_bytes().startswith(b"%PDF-") and target.read_bytes() != old


WRITER = textwrap.dedent(
    """
    import datetime as dt, sys
    from pathlib import Path
    from assess.rubric.model import load_rubric
    from assess.store import Store
    rubric = load_rubric(sys.argv[2])
    day = dt.date(2026, 11, 25)
    with Store.open(Path(sys.argv[1])) as store:
        i = 0
        while True:
            store.log_hours("coding", 0.5, day, f"entry {i}")
            store.add_assessment("self", day, rubric, {t: 1 + i % 5 for t in rubric.topics},
                                 notes={"sd-serving": f"note {i}"}, hours={"coding": 1.0})
            aid = store.begin_assessment("mentor", day, rubric)
            for topic in rubric.topics:
                store.record_rating(aid, topic, 3)
            store.finish_assessment(aid)
            i += 1
            print(i, flush=True)
    """
)


def test_kill_9_while_writing_history_loses_nothing_committed(
    assess_home: Path, tmp_path: Path
) -> None:
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(assess_home), MINI],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    done = 0
    try:
        while done < 15:
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            done = int(line)
        proc.send_signal(signal.SIGKILL)  # somewhere inside the next round of writes
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        if proc.stderr is not None:
            proc.stderr.close()
    conn = sqlite3.connect(assess_home / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    with Store.open(assess_home) as store:
        selfs = store.assessments("self")
        mentors = store.assessments("mentor")
        hours = store.hours_entries()
    assert len(selfs) >= done and len(hours) >= 2 * done
    assert all(a.complete and len(a.ratings) == 5 and a.notes for a in selfs)  # all or nothing
    finished = [a for a in mentors if a.finished]
    assert len(finished) >= done and all(a.complete for a in finished)
    assert len(mentors) - len(finished) <= 1  # at most the one being answered: resumable
    assert run("history", "--json").exit_code == 0


# ----- a full disk and folders that cannot be written ------------------------------------------


def _enospc(*args: Any, **kwargs: Any) -> Any:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullFile:
    """A file on a full disk: opening works, writing fails."""

    def __init__(self, fd: int, mode: str = "wb") -> None:
        self._file = os.fdopen(fd, mode)

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._file.close()

    def write(self, data: bytes) -> int:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._file, name)


@pytest.mark.parametrize("step", ["write", "fsync", "replace"])
@pytest.mark.parametrize("command", ["report", "export"])
def test_disk_full_while_writing_a_file(
    step: str, command: str, assess_home: Path, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    setup_history(assess_home, tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / ("plan.md" if command == "report" else "history.json")
    target.write_bytes(b"the previous file")
    before = snapshot(assess_home)
    import assess.report.atomic as atomic

    fake_os = type("os", (), dict(vars(os)))
    if step == "write":
        fake_os.fdopen = staticmethod(lambda fd, mode="r", *a, **k: _FullFile(fd, mode))
    else:
        setattr(fake_os, step, staticmethod(_enospc))
    monkeypatch.setattr(atomic, "os", fake_os)
    args = ["report", "-o", str(target)] if command == "report" else ["export", str(target)]
    result = run(*args)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", f"Error: {target}: cannot write (No space left on device)\n")
    assert target.read_bytes() == b"the previous file"
    assert sorted(p.name for p in out_dir.iterdir()) == [target.name]  # no debris
    assert snapshot(assess_home) == before


def test_disk_full_in_the_database_writes_nothing_half(
    assess_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    setup_history(assess_home, tmp_path)
    before = history(assess_home)
    big_notes = "notes: {" + ", ".join(
        f"{t}: '{'long note ' * 150}'" for t in
        ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]
    ) + "}\n"
    answers = write(tmp_path / "big.yaml", ANSWERS + big_notes + "hours: {coding: 2}\n")
    connect = sqlite3.connect

    def capped(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        conn = connect(*args, **kwargs)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages}")
        return conn

    with monkeypatch.context() as patch:
        patch.setattr(assess.store.base.sqlite3, "connect", capped)
        result = run("rate", "--answers", str(answers))
    assert result.exit_code == 1, result.output
    assert result.stderr == (f"Error: {assess_home / DB_NAME}: write failed (database or disk "
                             "is full)\n")
    assert history(assess_home) == before  # no half assessment, no hours
    again = run("rate", "--answers", str(answers))
    assert again.exit_code == 0, again.output  # room again: it works


def unwritable_folder(tmp_path: Path) -> Path:
    """A real folder nobody may create files in: a read-only copy for a normal user; for root
    (who ignores permissions) sysfs, which refuses new files to everyone."""
    if os.geteuid() != 0:
        folder = tmp_path / "read-only"
        folder.mkdir()
        folder.chmod(0o555)
        return folder
    return Path("/sys")


@pytest.mark.parametrize("command", ["report", "export", "checkin"])
def test_an_output_folder_that_cannot_be_written(
    command: str, assess_home: Path, tmp_path: Path
) -> None:
    setup_history(assess_home, tmp_path)
    folder = unwritable_folder(tmp_path)
    target = folder / ("plan.md" if command != "export" else "history.json")
    contents = sorted(p.name for p in folder.iterdir())
    before = history(assess_home)
    args = {
        "report": ["report", "-o", str(target)],
        "export": ["export", str(target)],
        "checkin": ["checkin", "--no-input", "-o", str(target)],
    }[command]
    result = run(*args)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1] == f"Error: {target}: cannot write (Permission denied)"
    assert sorted(p.name for p in folder.iterdir()) == contents
    assert history(assess_home) == before


def test_a_data_home_that_cannot_be_created(tmp_path: Path) -> None:
    home = unwritable_folder(tmp_path) / "assess-home"
    result = CliRunner().invoke(cli, ["--home", str(home), "log", "coding", "1"])
    # sysfs says "Operation not permitted" where a read-only folder says "Permission denied"
    assert result.exit_code == 1
    assert result.stderr in (
        f"Error: {home}: cannot create the data folder ({os.strerror(code)})\n"
        for code in (errno.EACCES, errno.EPERM)
    )
    assert not home.exists()


# ----- the validated-rubric cache under the data home ------------------------------------------


def _cache_entries(home: Path) -> list[Path]:
    return sorted((home / CACHE_DIR).glob("rubric-*.json"))


def test_a_rubric_file_is_validated_once_and_again_when_it_changes(
    assess_home: Path, tmp_path: Path
) -> None:
    rubric = tmp_path / "mine.yaml"
    rubric.write_text(Path(MINI).read_text(encoding="utf-8"), encoding="utf-8")
    assert run("init", "--name", "Ana", "--rubric", str(rubric), "--no-input").exit_code == 0
    answers = write(tmp_path / "answers.yaml", ANSWERS)
    assert run("rate", "--answers", str(answers)).exit_code == 0
    [entry] = _cache_entries(assess_home)
    assert run("plan", "--json").exit_code == 0
    assert _cache_entries(assess_home) == [entry]  # the same bytes: the same entry, reused
    code = ("import sys\nfrom assess.cli import main\nsys.argv = ['assess', 'plan', '--json']\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pydantic', 'yaml', 'jinja2', 'weasyprint') "
            "if m in sys.modules), file=sys.stderr)\n")
    planned = subprocess.run([sys.executable, "-c", code], env=subprocess_env(assess_home),
                             capture_output=True, text=True, check=True)
    assert planned.stderr == "[]\n"  # planning from the cached copy validates nothing
    # an edited file is validated afresh: a new title shows, a broken edit is refused
    rubric.write_text(rubric.read_text(encoding="utf-8").replace(
        "title: Mini MLE loop", "title: Mini MLE loop, edited"), encoding="utf-8")
    shown = run("plan")
    assert shown.exit_code == 0 and "Mini MLE loop, edited" in shown.stdout
    assert len(_cache_entries(assess_home)) == 2
    rubric.write_text(rubric.read_text(encoding="utf-8").replace("weight: 0.5", "weight: 7"),
                      encoding="utf-8")
    broken = run("plan")
    assert broken.exit_code == 2 and broken.stderr.startswith(f"Error: {rubric}: line ")
    assert len(_cache_entries(assess_home)) == 2


@pytest.mark.parametrize("damage", [b"", b"{not json", b"{}", b"[" * 100_000, b'{"meta": 1}'])
def test_a_damaged_cache_entry_is_ignored(damage: bytes, assess_home: Path,
                                          tmp_path: Path) -> None:
    rubric = tmp_path / "mine.yaml"
    rubric.write_text(Path(MINI).read_text(encoding="utf-8"), encoding="utf-8")
    assert run("init", "--name", "Ana", "--rubric", str(rubric), "--no-input").exit_code == 0
    assert run("rate", "--answers", str(write(tmp_path / "a.yaml", ANSWERS))).exit_code == 0
    expected = run("plan", "--json").stdout
    [entry] = _cache_entries(assess_home)
    entry.write_bytes(damage)
    again = run("plan", "--json")  # the plan on record: no rubric to read
    assert (again.exit_code, again.stdout) == (0, expected)
    view = run("plan")  # planning again reads the rubric through the cache
    assert view.exit_code == 0, view.output
    assert entry.read_bytes() != damage  # rewritten from the file


def test_an_unwritable_cache_is_no_failure(assess_home: Path, tmp_path: Path) -> None:
    assess_home.mkdir(parents=True)
    (assess_home / CACHE_DIR).write_text("a file where the cache folder would be")
    rubric = tmp_path / "mine.yaml"
    rubric.write_text(Path(MINI).read_text(encoding="utf-8"), encoding="utf-8")
    assert run("init", "--name", "Ana", "--rubric", str(rubric), "--no-input").exit_code == 0
    result = run("rate", "--answers", str(write(tmp_path / "a.yaml", ANSWERS)))
    assert result.exit_code == 0, result.output
    assert run("plan", "--json").exit_code == 0
    assert (assess_home / CACHE_DIR).read_text() == "a file where the cache folder would be"
