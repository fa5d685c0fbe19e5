"""Two processes writing to the same history at once both succeed (WAL + busy timeout)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from assess.store import Store
from assess.store.migrations import LATEST

WRITER = textwrap.dedent(
    """
    import datetime as dt, sys, time
    from pathlib import Path
    from assess.rubric.model import load_rubric
    from assess.store import Store

    home, go, name, rubric_path = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3], sys.argv[4]
    rubric = load_rubric(rubric_path)
    while not go.exists():
        time.sleep(0.005)
    with Store.open(home) as store:  # both open a brand-new database at once
        for i in range(40):
            store.log_hours("coding", 0.5, dt.date(2026, 11, 25), f"{name} {i}")
            aid = store.begin_assessment("self" if name == "a" else "mentor",
                                         dt.date(2026, 11, 25), rubric)
            for topic in rubric.topics:
                store.record_rating(aid, topic, 1 + i % 5)
            store.finish_assessment(aid)
    print("ok", name)
    """
)


def test_two_processes_writing_at_once_both_succeed(tmp_path: Path, assess_home: Path) -> None:
    rubric = Path(__file__).parent / "fixtures" / "mini-rubric.yaml"
    go = tmp_path / "go"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(assess_home), str(go), name, str(rubric)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for name in ("a", "b")
    ]
    go.touch()
    outputs = [p.communicate(timeout=120) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.startswith("ok ")
    with Store.open(assess_home) as store:
        assert store.schema_version() == LATEST
        assert len(store.hours_entries()) == 80
        assert store.logged_by_round() == {"coding": 40.0}
        everyone = store.assessments()
        assert len(everyone) == 80
        assert all(a.complete and len(a.ratings) == 5 for a in everyone)
        assert len(store.assessments("mentor")) == 40
