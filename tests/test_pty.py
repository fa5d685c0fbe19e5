"""The questionnaire on a real pseudo-terminal: answer, Ctrl-C, resume, finish, nothing lost."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pexpect

from assess.rubric.model import load_rubric

TODAY = "2026-11-25"
PROMPT = r"Your level \(1-5 rate, \? questions, n note, s skip, b back\)"


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ASSESS_")}
    env.update(ASSESS_HOME=str(home), ASSESS_TODAY=TODAY, NO_COLOR="1", TERM="dumb")
    return env


def assess(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assess", *args], env=env_for(home),
                          capture_output=True, text=True, check=False)


def spawn(home: Path, *args: str) -> pexpect.spawn:
    child = pexpect.spawn(sys.executable, ["-m", "assess", *args], env=env_for(home),
                          encoding="utf-8", timeout=30, dimensions=(50, 120))
    child.delaybeforesend = None
    return child


def test_ctrl_c_then_resume_keeps_every_answer(assess_home: Path) -> None:
    init = assess(assess_home, "init", "--name", "Pty", "--interview-date", "2026-12-23",
                  "--no-input")
    assert init.returncode == 0, init.stderr
    rubric = load_rubric("discord-mle")
    topics = list(rubric.topics.values())
    first_three = [2, 4, 3]

    child = spawn(assess_home, "rate")
    child.expect_exact(f"== {rubric.rounds[0].title} (round 1 of {len(rubric.rounds)}) ==")
    for n, level in enumerate(first_three, start=1):
        child.expect_exact(f"[{n}/{len(topics)}] {topics[n - 1].title}")
        child.expect(PROMPT)
        child.sendline(str(level))
    child.expect_exact(f"[4/{len(topics)}] {topics[3].title}")
    child.expect(PROMPT)
    child.sendintr()  # Ctrl-C
    child.expect_exact(f"Stopped. 3 of {len(topics)} answers are saved;")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")

    child = spawn(assess_home, "rate")
    child.expect_exact(f"(3 of {len(topics)} topics answered)")
    child.expect_exact("Resume it? [y]: ")
    child.sendline("")  # Enter says yes
    child.expect_exact(f"Resuming at topic 4 of {len(topics)}.")
    rest = [1 + i % 5 for i in range(len(topics) - 3)]
    for n, level in enumerate(rest, start=4):
        child.expect_exact(f"[{n}/{len(topics)}] {topics[n - 1].title}")
        child.expect(PROMPT)
        child.sendline(str(level))
    child.expect_exact("Readiness by round (target level 4):")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0

    history = assess(assess_home, "history", "--json")
    assert history.returncode == 0, history.stderr
    rows = json.loads(history.stdout)
    assert len(rows) == 1
    assert rows[0]["complete"] is True
    expected = dict(zip([t.id for t in topics], first_three + rest, strict=True))
    assert rows[0]["ratings"] == expected


def test_notes_skip_and_back_on_a_terminal(assess_home: Path, tmp_path: Path) -> None:
    rubric_file = Path(__file__).parent / "fixtures" / "mini-rubric.yaml"
    assert assess(assess_home, "init", "--name", "Pty", "--rubric", str(rubric_file),
                  "--no-input").returncode == 0
    child = spawn(assess_home, "rate")
    child.expect(PROMPT)
    child.sendline("?")
    child.expect_exact("Design a feature store for message spam detection. (45 min)")
    child.expect(PROMPT)
    child.sendline("n")
    child.expect_exact("Note (Enter to keep it as it is, '-' to remove it): ")
    child.sendline("never built one")
    child.expect_exact("Note saved.")
    child.expect(PROMPT)
    child.sendline("2")
    child.expect_exact("[2/5]")
    child.expect(PROMPT)
    child.sendline("b")
    child.expect_exact("[1/5]")
    child.expect_exact("You answered 2 (Aware). Enter keeps it.")
    child.expect(PROMPT)
    child.sendline("")
    for reply in ("s", "4", "5", "1"):
        child.expect(PROMPT)
        child.sendline(reply)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    rows = json.loads(assess(assess_home, "history", "--json").stdout)
    assert rows[0]["ratings"] == {"sd-feature-pipelines": 2, "sd-serving": None,
                                  "sd-federated": 4, "code-graphs": 5, "beh-conflict": 1}
    assert rows[0]["notes"] == {"sd-feature-pipelines": "never built one"}


def test_init_on_a_terminal_asks_for_each_screen_date(assess_home: Path) -> None:
    child = spawn(assess_home, "init")
    child.expect_exact("Your name (for the report)")
    child.sendline("Pty Stages")
    child.expect_exact("Rubric (a bundled id, or a rubric file)")
    child.sendline("")
    child.expect_exact("Interview date")
    child.sendline("2026-12-23")
    child.expect_exact("Hours per week you can study")
    child.sendline("")
    child.expect_exact("Target level for every topic")
    child.sendline("")
    for prompt in ("Hours on a weekday", "Hours on a weekend day", "Rest days", "Days off"):
        child.expect_exact(prompt)
        child.sendline("")
    child.expect_exact("Date of the Recruiter screen")
    child.sendline("done")
    child.expect_exact("Date of the Technical phone screen")
    child.sendline("2027-01-10")  # after the onsite: asked again
    child.expect_exact("on or after the onsite (2026-12-23)")
    child.expect_exact("Date of the Technical phone screen")
    child.sendline("2026-12-02")
    child.expect_exact("Profile saved: Pty Stages")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    listed = json.loads(assess(assess_home, "stage", "list", "--json").stdout)
    assert [(r["stage"], r["date"], r["status"]) for r in listed[:3]] == [
        ("recruiter", None, "done"),
        ("technical-screen", "2026-12-02", "upcoming"),
        ("onsite", "2026-12-23", "upcoming"),
    ]


def _ready_for_practice(home: Path) -> None:
    init = assess(home, "init", "--name", "Pty", "--interview-date", "2026-12-23", "--no-input")
    assert init.returncode == 0, init.stderr


def test_practice_runs_a_countdown_and_takes_the_checklist(assess_home: Path) -> None:
    _ready_for_practice(assess_home)
    child = spawn(assess_home, "practice", "--question", "sd-serving-latency-q1")
    child.expect_exact("Time box: 45 min. Press Enter to start the clock")
    child.sendline("")
    child.expect(r"44:5\d left")  # the clock runs ...
    child.expect(r"44:[45]\d left")  # ... and the same line updates in place
    child.sendline("")
    child.expect_exact("What a strong answer covers:")
    child.expect_exact("Points you covered")
    child.sendline("1 99")  # a typo: asked again
    child.expect_exact("point 99 is out of range")
    child.sendline("1 3")
    child.expect_exact("A note for next time")
    child.sendline("start with the latency budget")
    child.expect(r"Saved: 2/\d+ points in 0\.\d of 45 min")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    listed = json.loads(assess(assess_home, "practice", "--list", "--json").stdout)["attempts"]
    assert [(a["question_id"], a["covered"], a["note"]) for a in listed] == [
        ("sd-serving-latency-q1", [1, 3], "start with the latency budget")]


def test_ctrl_c_during_the_countdown_saves_nothing(assess_home: Path) -> None:
    _ready_for_practice(assess_home)
    db = assess_home / "assess.db"
    before = db.read_bytes()
    child = spawn(assess_home, "practice", "--question", "co-algorithms-q1")
    child.expect_exact("Press Enter to start the clock")
    child.sendline("")
    child.expect(r"\d\d:\d\d left")
    child.sendintr()
    child.expect_exact("Stopped: nothing was saved.")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130
    assert "Traceback" not in (child.before or "")
    assert json.loads(assess(assess_home, "practice", "--list", "--json").stdout) == {
        "schema": 1, "attempts": []}
    assert db.read_bytes() == before


def test_done_on_a_terminal_ticks_sessions_and_records_an_attempt(assess_home: Path,
                                                                  tmp_path: Path) -> None:
    _ready_for_practice(assess_home)
    rubric = load_rubric("discord-mle")
    answers = tmp_path / "a.json"
    answers.write_text(json.dumps({"ratings": {t: 2 for t in rubric.topics}}))
    assert assess(assess_home, "rate", "--answers", str(answers)).returncode == 0
    plan = json.loads(assess(assess_home, "plan", "--json").stdout)
    today = [s for s in plan["weeks"][0]["sessions"] if s["date"] == TODAY]
    assert today
    child = spawn(assess_home, "done")
    child.expect_exact("Which did you finish?")
    child.sendline("1")
    child.expect(r"Marked 1 session\(s\) done \([\d.]+ h logged\)\.")
    if child.expect([r"Record the attempt at .* now\? \(y/N\)", pexpect.EOF]) == 0:
        child.sendline("n")  # a practice or a mock: recording the attempt can wait
        child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    later = json.loads(assess(assess_home, "plan", "--json").stdout)
    assert today[0]["id"] not in {s["id"] for w in later["weeks"] for s in w["sessions"]}
