"""Plant each known bug class in the code, one at a time, and check that a test catches it.

    python tests/planted_bugs.py            # every bug; exit 1 if one passes its tests
    python tests/planted_bugs.py 3 7        # only bugs 3 and 7 (numbers as listed)

Each bug is a small edit (an operator, a boundary, a dropped check) that a user would see; the
tests named beside it must fail while it is in place. The file is restored after each run, even
when the run is interrupted. Not collected by pytest (no ``test_`` prefix): it runs pytest.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
B = "tests/test_rule_boundaries.py"
P = "tests/test_rule_plans.py"
IN = "tests/test_rule_inputs.py"

# (what the bug does, file, text, replacement, tests that must fail)
BUGS: list[tuple[str, str, str, str, list[str]]] = [
    ("exactly 50% of the points is Again", "assess/evidence/practice.py",
     "if self.share < CONTRADICT_SHARE or", "if self.share <= CONTRADICT_SHARE or", [B]),
    ("exactly 75% of the points is Hard", "assess/evidence/practice.py",
     "if self.share < SUPPORT_SHARE or not", "if self.share <= SUPPORT_SHARE or not", [B]),
    ("exactly 75% of the points does not support", "assess/evidence/practice.py",
     "return self.share >= SUPPORT_SHARE and", "return self.share > SUPPORT_SHARE and", [B]),
    ("exactly 90% of the points is not Easy", "assess/evidence/practice.py",
     "if self.share >= EASY_SHARE and", "if self.share > EASY_SHARE and", [B]),
    ("exactly 1.5x the time box is Again", "assess/evidence/practice.py",
     "self.minutes > AGAIN_OVERTIME * self.time_box",
     "self.minutes >= AGAIN_OVERTIME * self.time_box", [B]),
    ("1 of 6 points inside the time box supports a 4", "assess/evidence/practice.py",
     "return self.share >= SUPPORT_SHARE and self.inside_time",
     "return self.share >= SUPPORT_SHARE or self.inside_time", [B]),
    ("an attempt exactly 21 days old is dropped", "assess/evidence/practice.py",
     "since <= a.date <= today", "since < a.date <= today", [B]),
    ("a weak attempt (50-75% of the points) sets no cap", "assess/evidence/practice.py",
     "elif a.share < SUPPORT_SHARE and", "elif a.share < CONTRADICT_SHARE and", [B]),
    ("a mentor's rating before the attempt lifts its cap", "assess/evidence/practice.py",
     "rated is None or rated < cap.attempt.date", "rated is None", [B]),
    ("each attempt starts a fresh FSRS card", "assess/evidence/practice.py",
     "card = cards.get(attempt.question) or fsrs.Card(", "card = fsrs.Card(", [B]),
    ("a verification session for a verified topic", "assess/plan/grid.py",
     'if (ev.status != "unverified" or getattr(ev, "jump", None) is not None',
     'if (ev.status not in ("unverified", "verified") or getattr(ev, "jump", None) is not None',
     [P]),
    ("re-attempts for closed rounds", "assess/plan/grid.py",
     "        rid = rubric.round_of[topic.id]\n        if rid in closed:\n            continue\n",
     "        rid = rubric.round_of[topic.id]\n", [P]),
    ("a same-day attempt overrides a mentor's lower rating", "assess/evidence/scoring.py",
     "when > current.mentor_date", "when >= current.mentor_date", [P]),
    ("a stage dated today is still open", "assess/plan/calendar.py",
     "self.date is not None and self.date <= today)",
     "self.date is not None and self.date < today)", [P]),
    ("a screen on the onsite day is accepted", "assess/app/stages.py",
     "if onsite is not None and day >= onsite:", "if onsite is not None and day > onsite:", [P]),
    ("a stage dated today is refused", "assess/app/stages.py",
     "            if day < today:", "            if day <= today:", [B]),
    ("the screen mock on the first full day", "assess/plan/grid.py",
     "[d for d in normal if d.date < limit])[::-1])",
     "[d for d in normal if d.date < limit]))", [P]),
    # the checker re-solves around a broken rule, so a plan's exact figures catch this one
    ("practice before study", "assess/plan/planner.py",
     'order = {"study": 0, "story": 0, "practice": 1, "review": 2, "mock": 3}',
     'order = {"study": 1, "story": 1, "practice": 0, "review": 2, "mock": 3}',
     [P, "tests/test_plan_check.py::test_the_personas_plans"]),
    ("more than 2 h of one topic in a day", "assess/plan/place.py",
     "TOPIC_DAY = 4  #", "TOPIC_DAY = 8  #", [P]),
    ("a setup of exactly 80 words is long", "assess/stories/star.py",
     "if setup > SETUP_WORD_LIMIT:", "if setup >= SETUP_WORD_LIMIT:", [B]),
    ("an Action as long as another part is fine", "assess/stories/star.py",
     'counts["action"] <= counts[p]', 'counts["action"] < counts[p]', [B]),
    ('"doubled" is no number', "assess/stories/star.py",
     '"double", "doubled", "tripled"', '"double", "tripled"', [B]),
    ("a question listed 4 times counts 4 times", "assess/stories/star.py",
     "answered = len(set(story.questions))", "answered = len(story.questions)", [B]),
    ("a story file keeps repeated questions", "assess/inputs/story_file.py",
     "            if item not in out:\n                out.append(item)",
     "            out.append(item)", [B]),
    ("an imported attempt dated in the future", "assess/inputs/transfer.py",
     '        check_past(attempt.date, last, f"{where}.date")\n', "", [IN]),
    ("an imported completion on an unknown round", "assess/inputs/transfer.py",
     "        if done.round not in rounds:\n            raise InputError(f\"{where}.round: "
     "unknown round {shown(done.round)}\")\n", "", [IN]),
    ("a 3,000-character mentor comment is read", "assess/inputs/pdf_answers.py",
     "comment = _checked_text(fields, names.COMMENT, label, MAX_NOTE_CHARS)",
     "comment = _checked_text(fields, names.COMMENT, label, 5000)", [IN]),
    ("a re-tick stores a second hours row", "assess/store/practice.py",
     "if cur.rowcount and c.hours:", "if c.hours:", [IN]),
    ("a failed write is not rolled back", "assess/store/base.py",
     "        except BaseException:\n            if conn.in_transaction:\n"
     "                conn.execute(\"ROLLBACK\")\n            raise",
     "        except BaseException:\n            raise", [IN]),
    ("a failed SQLite write is not rolled back", "assess/store/base.py",
     "        except sqlite3.Error as exc:\n            if conn.in_transaction:\n"
     "                conn.execute(\"ROLLBACK\")\n            if _is_busy(exc):",
     "        except sqlite3.Error as exc:\n            if _is_busy(exc):", [IN]),
]


def plant(number: int) -> bool:
    """True when the tests catch bug ``number`` (1-based)."""
    what, name, old, new, tests = BUGS[number - 1]
    path = ROOT / name
    original = path.read_text(encoding="utf-8")
    if original.count(old) != 1:
        print(f"{number:2} {what}: the text to change is not in {name} once; update this list")
        return False
    try:
        path.write_text(original.replace(old, new), encoding="utf-8")
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider",
                              "-p", "no:randomly", *tests], cwd=ROOT, capture_output=True,
                             text=True)
    finally:
        path.write_text(original, encoding="utf-8")
    caught = run.returncode == 1
    lines = [line for line in run.stdout.splitlines() if line.startswith("FAILED")]
    print(f"{number:2} {'caught' if caught else 'MISSED'}: {what}"
          + (f" ({lines[0].split('::')[1].split(' ')[0]})" if lines else ""))
    return caught


def main(argv: list[str]) -> int:
    numbers = [int(a) for a in argv] or list(range(1, len(BUGS) + 1))
    missed = [n for n in numbers if not plant(n)]
    print(f"{len(numbers) - len(missed)} of {len(numbers)} planted bugs caught")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
