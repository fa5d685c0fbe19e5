"""Run `assess` in a child process under a memory limit and report the child's peak memory.

The child is a small Python program that runs the CLI in-process and writes its own peak
resident size (``ru_maxrss`` of itself alone, not of other children of the test process) to a
file: a test can then bound both the time and the memory a hostile input costs.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

_CHILD = """
import resource, sys
rss_file, block = sys.argv[1], sys.argv[2]
if block:
    for name in block.split(","):
        sys.modules[name] = None  # as if the package were not installed
sys.argv = ["assess", *sys.argv[3:]]
from assess.cli import main
try:
    main()
    code = 0
except SystemExit as exc:
    code = exc.code
finally:
    use = resource.getrusage(resource.RUSAGE_SELF)
    with open(rss_file, "w") as out:
        out.write(f"{use.ru_maxrss} {use.ru_utime + use.ru_stime}")
sys.exit(code)
"""


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str
    seconds: float  # wall-clock time, which a loaded machine stretches
    cpu_seconds: float  # the child's own processor time: what the input cost
    peak_mb: float


def run_assess(tmp: Path, home: Path, *args: str, memory_mb: int = 1024, timeout: float = 60,
               block: tuple[str, ...] = (), stdin: str | None = None) -> Run:
    """``assess ARGS`` with ASSESS_HOME=home, address space capped at ``memory_mb``."""
    rss_file = tmp / f"rss-{time.monotonic_ns()}"
    limit = memory_mb << 20

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

    start = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, str(rss_file), ",".join(block), *args],
        capture_output=True, text=True, timeout=timeout, preexec_fn=cap, input=stdin,
        env={**os.environ, "ASSESS_HOME": str(home), "NO_COLOR": "1"},
    )
    seconds = time.monotonic() - start
    rss, cpu = rss_file.read_text().split() if rss_file.exists() else ("inf", "inf")
    return Run(proc.returncode, proc.stdout, proc.stderr, seconds, float(cpu),
               float(rss) / 1024)
