"""Benchmarks: whole-process timings of assess against fixed baselines, as ratios.

Usage: python benchmarks/run.py [--runs N] [--only TEXT]

Every pair runs in alternation (A, B, A, B, ...) on this machine, N times each; the script
prints the medians and their ratio against the target, and exits 1 if a ratio is over target.
It uses the Python that runs it and the `assess` installed beside it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import yaml

PY = sys.executable
BIN = Path(PY).parent
TODAY = dt.date(2026, 11, 25)
ONLY: list[str] = []  # --only: run just the pairs whose name contains one of these


def assess_cmd(*args: str) -> list[str]:
    exe = BIN / "assess"
    base = [str(exe)] if exe.exists() else [PY, "-m", "assess"]
    return [*base, "--today", TODAY.isoformat(), *args]


def replan_cmd(home: Path) -> list[str]:
    """`assess plan --json` with no saved plan to reuse (a little Python drops them first)."""
    drop = ("import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "c.execute('DELETE FROM plans WHERE id NOT IN (SELECT plan_id FROM completions "
            "WHERE plan_id IS NOT NULL)'); c.commit()")
    plan = " ".join(shlex.quote(a) for a in assess_cmd("plan", "--json"))
    return ["sh", "-c", f"{shlex.quote(PY)} -c {shlex.quote(drop)} "
            f"{shlex.quote(str(home / 'assess.db'))} && {plan}"]


def run(cmd: Sequence[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"benchmark command failed ({proc.returncode}): {' '.join(cmd)}\n"
                 f"{proc.stderr.decode(errors='replace')}")
    return elapsed


def pair(
    name: str, a: Sequence[str], b: Sequence[str], target: float, runs: int,
    env_a: dict[str, str], env_b: dict[str, str] | None = None,
) -> bool | None:
    """Time a against b in alternation; True when within target, None when not selected."""
    if ONLY and not any(word in name for word in ONLY):
        return None
    env_b = env_b or env_a
    run(a, env_a), run(b, env_b)  # warm the file cache once
    times_a: list[float] = []
    times_b: list[float] = []
    for _ in range(runs):
        times_a.append(run(a, env_a))
        times_b.append(run(b, env_b))
    med_a, med_b = statistics.median(times_a), statistics.median(times_b)
    ratio = med_a / med_b
    ok = ratio <= target
    print(f"{name:<46} {med_a * 1000:8.1f} ms {med_b * 1000:8.1f} ms {ratio:6.2f}x"
          f"  target <= {target:.1f}x  {'ok' if ok else 'OVER'}")
    return ok


def random_ratings(topics: list[str], rng: random.Random) -> dict[str, int]:
    return {t: rng.randint(1, 5) for t in topics}


CJK_NOTES = ("需要练习系统设计", "日本語で説明する練習", "한국어 메모: 연습 필요")


def make_home(home: Path, rubric_ref: str, checkins: int, rng: random.Random,
              notes: Sequence[str] = ()) -> None:
    """A data home with a profile, `checkins` weekly self-assessments and some hours; the
    last check-in carries ``notes``, one a topic."""
    from assess.rubric.model import load_rubric
    from assess.rubric.profile import Profile
    from assess.store import Store

    rubric = load_rubric(rubric_ref)
    topics = list(rubric.topics)
    with Store.open(home) as store:
        store.save_profile(Profile(
            name="Bench Candidate", rubric=rubric_ref,
            interview_date=TODAY + dt.timedelta(days=28), hours_per_week=10, target_level=4,
        ))
        first = TODAY - dt.timedelta(days=7 * (checkins - 1))
        for i in range(checkins):
            day = first + dt.timedelta(days=7 * i)
            aid = store.begin_assessment("self", day, rubric)
            last = i == checkins - 1
            for j, (topic, level) in enumerate(random_ratings(topics, rng).items()):
                note = notes[j] if last and j < len(notes) else None
                store.record_rating(aid, topic, level, note)
            store.finish_assessment(aid)
            store.log_hours(rubric.rounds[i % len(rubric.rounds)].id, 2.0, day)


def big_rubric(path: Path, n_topics: int) -> None:
    """The default rubric, grown to n_topics topics spread over its rounds."""
    from assess.resources import rubrics_dir

    data = yaml.safe_load((rubrics_dir() / "discord-mle.yaml").read_text())
    data["meta"]["id"] = "bench-big"
    rounds = data["rounds"]
    count = sum(len(r["topics"]) for r in rounds)
    i = 0
    while count < n_topics:
        r = rounds[i % len(rounds)]
        src = r["topics"][i % len(r["topics"])]
        topic = {**src, "id": f"{r['id'][:2]}-gen-{i}", "title": f"{src['title']} ({i})"}
        topic["questions"] = [{**q, "id": f"{topic['id']}-q{j + 1}",
                               "text": f"{q['text']} (variant {i})"}
                              for j, q in enumerate(src.get("questions", []))]
        r["topics"].append(topic)
        count += 1
        i += 1
    path.write_text(yaml.dump(data, Dumper=_NoAliases, sort_keys=False))


class _NoAliases(yaml.SafeDumper):
    """Write shared values (a checklist reused by generated questions) out in full: assess
    refuses files with many YAML aliases."""

    def ignore_aliases(self, data: object) -> bool:
        return True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="timed runs per command (median)")
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="run only the pairs whose name contains TEXT (repeatable)")
    args = parser.parse_args()
    ONLY[:] = args.only
    runs = args.runs
    rng = random.Random(7)
    work = Path(tempfile.mkdtemp(prefix="assess-bench-"))
    # Like an installed package (pip compiles bytecode at install), every process here runs
    # from cached bytecode: PYTHONDONTWRITEBYTECODE is dropped and the cache goes to a
    # private folder (PYTHONPYCACHEPREFIX), so no __pycache__ lands in the source tree. The
    # warm-up run of each pair fills it for both sides alike.
    base_env = {k: v for k, v in os.environ.items()
                if not k.startswith("ASSESS_") and k != "PYTHONDONTWRITEBYTECODE"}
    base_env["NO_COLOR"] = "1"
    base_env["PYTHONPYCACHEPREFIX"] = str(work / "pycache")

    def env(home: Path) -> dict[str, str]:
        return {**base_env, "ASSESS_HOME": str(home)}

    try:
        print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {platform.platform()}")
        print(f"{'pair':<46} {'assess':>11} {'baseline':>11} {'ratio':>7}")
        home1, home100, home_big = work / "h1", work / "h100", work / "hbig"
        home_cjk = work / "hcjk"
        make_home(home1, "discord-mle", 1, rng)
        make_home(home_cjk, "discord-mle", 1, random.Random(7), notes=CJK_NOTES)
        make_home(home100, "discord-mle", 100, rng)
        big = work / "big.yaml"
        big_rubric(big, 500)
        make_home(home_big, str(big), 1, rng)

        results = [
            pair("assess --help  vs  import click",
                 assess_cmd("--help"), [PY, "-c", "import click"], 1.5, runs, env(home1)),
            pair("assess plan --json  vs  import click+pydantic+yaml+sqlite3",
                 assess_cmd("plan", "--json"),
                 [PY, "-c", "import click, pydantic, yaml, sqlite3"], 1.5, runs, env(home1)),
        ]
        html, pdf = work / "x.html", work / "x.pdf"
        run(assess_cmd("report", "-o", str(html)), env(home1))
        results.append(pair(
            "assess report -o x.pdf  vs  weasyprint x.html",
            assess_cmd("report", "-o", str(pdf)),
            [str(BIN / "weasyprint"), str(html), str(work / "y.pdf")], 1.2, runs, env(home1),
        ))
        import_weasyprint = [PY, "-c", "import weasyprint"]
        results.append(pair(
            "weekly report -o x.pdf  vs  import weasyprint",
            assess_cmd("report", "-o", str(pdf)), import_weasyprint, 3.0, runs, env(home1),
        ))
        cjk_pdf = work / "cjk.pdf"
        results.append(pair(
            "weekly report, CJK notes  vs  import weasyprint",
            assess_cmd("report", "-o", str(cjk_pdf)), import_weasyprint, 3.5, runs,
            env(home_cjk),
        ))
        if pdf.exists() and cjk_pdf.exists():
            print(f"file sizes: weekly PDF {pdf.stat().st_size / 1000:.0f} kB (target <= 400), "
                  f"with CJK notes {cjk_pdf.stat().st_size / 1000:.0f} kB (target <= 600)")
        results.append(pair(
            "plan over 100 check-ins  vs  over 1",
            assess_cmd("plan", "--json"), assess_cmd("plan", "--json"), 1.3, runs,
            env(home100), env(home1),
        ))
        default_path = subprocess.run(assess_cmd("rubric", "path"), capture_output=True,
                                      text=True, env=env(home1), check=True).stdout.strip()
        results += [
            pair("500-topic rubric: validate  vs  default",
                 assess_cmd("rubric", "validate", str(big)),
                 assess_cmd("rubric", "validate", default_path), 3.0, runs, env(home1)),
            pair("500-topic rubric: plan --json  vs  default",
                 assess_cmd("plan", "--json"), assess_cmd("plan", "--json"), 3.0, runs,
                 env(home_big), env(home1)),
            pair("500-topic rubric: report -o x.pdf  vs  default",
                 assess_cmd("report", "-o", str(work / "big.pdf")),
                 assess_cmd("report", "-o", str(pdf)), 3.0, max(3, runs // 2),
                 env(home_big), env(home1)),
        ]
        # a re-plan (the model solved afresh: the saved plans are dropped before each run, as
        # a check-in's new inputs would) against importing the solver alone
        import_highs = [PY, "-c", "import highspy"]
        results += [
            pair("re-plan --json  vs  import highspy",
                 replan_cmd(home1), import_highs, 2.0, runs, env(home1)),
            pair("500-topic rubric: re-plan --json  vs  import highspy",
                 replan_cmd(home_big), import_highs, 4.0, runs, env(home_big)),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)
    done = [r for r in results if r is not None]
    failed = done.count(False)
    print(f"{len(done) - failed} of {len(done)} within target")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
