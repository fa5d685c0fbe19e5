"""The flows behind `assess done` and `assess practice`, driven directly: scripted answers in,
the said lines out. No Click runner for the flows themselves, no pty; the CLI only sets up the
home, as a user would."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

from assess.app import done, engine, practice
from assess.app.practice_run import summary
from assess.app.prompts import Stopped
from assess.cli import cli
from assess.errors import InputError, StoreError, UsageError
from assess.rubric.model import load_rubric
from assess.store import Store

TODAY = "2026-11-30"
DAY = dt.date(2026, 11, 30)
NEXT = dt.date(2026, 12, 1)
ONSITE = dt.date(2027, 1, 4)
RUBRIC = load_rubric("discord-mle")
WEAK = {"sd": 2, "co": 2, "am": 3, "bh": 3, "ps": 3, "rs": 3}
WHICH = "Which did you finish? (numbers, e.g. 1 3; Enter for none)"
POINTS = "Points you covered (numbers, e.g. 1 3 4; Enter for none)"
NOTE = "A note for next time (Enter to skip)"


def invoke(*args: str, today: str = TODAY) -> Result:
    return CliRunner().invoke(cli, ["--today", today, *args])


@pytest.fixture()
def home(tmp_path: Path, assess_home: Path) -> Path:
    """A profile, the early stages done and a complete self-assessment: a plan to follow."""
    assert invoke("init", "--no-input", "--name", "Sam", "--interview-date",
                  ONSITE.isoformat(), "--hours-per-week", "10").exit_code == 0
    for stage in ("recruiter", "technical-screen"):
        assert invoke("stage", "done", stage).exit_code == 0
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self", "ratings": {
        t: WEAK[t.split("-")[0]] for t in RUBRIC.topics}}))
    assert invoke("rate", "--answers", str(answers)).exit_code == 0
    return assess_home


class Terminal:
    """A scripted person: each answer in turn (an exception class is raised instead), and
    every line said (standard output) and warned (standard error)."""

    def __init__(self, *answers: Any) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.said: list[str] = []
        self.warned: list[str] = []

    def ask(self, text: str, _default: str | None = None) -> str:
        self.asked.append(text)
        answer = self.answers.pop(0)
        if isinstance(answer, type) and issubclass(answer, BaseException):
            raise answer
        return str(answer)

    def say(self, text: str) -> None:
        self.said.append(text)

    def warn(self, text: str) -> None:
        self.warned.append(text)


def plan_json(today: str = TODAY) -> dict:
    result = invoke("plan", "--json", today=today)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def due_by(p: dict, day: dt.date) -> list[dict]:
    return [s for w in p["weeks"] for s in w["sessions"] if s["date"] <= day.isoformat()]


def listed(due: list[dict]) -> list[str]:
    return [f"  {n:>2}. {dt.date.fromisoformat(s['date']):%a %d}  {s['hours']:g} h  "
            f"{s['activity']:<8} {s['title']}" for n, s in enumerate(due, start=1)]


def record(home: Path) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """(completions, hours logged by done, attempts) on record."""
    with Store.open(home) as store:
        return ([(c.session_id, c.plan_id, c.date) for c in store.completions()],
                [(e.note, e.hours, e.date) for e in store.hours_entries()
                 if e.note.startswith("done: ")],
                [(a.question, a.minutes, a.covered, a.note, a.date, a.rater)
                 for a in store.attempts()])


def marked_line(hours: float) -> str:
    return f"Marked 1 session(s) done ({hours:g} h logged)."


# ----- done on a terminal ------------------------------------------------------------------------


def test_done_on_a_terminal_asks_again_after_bad_input_and_ticks_the_pick(home: Path) -> None:
    p = plan_json()
    due = due_by(p, DAY)
    number = next(n for n, s in enumerate(due, start=1) if not s["question_id"])
    pick = due[number - 1]
    t = Terminal(str(len(due) + 1), "x", f"{number} {number}", str(number))
    result = done.run(home, DAY, t.ask, t.say, t.warn, interactive=True)
    assert t.asked == [WHICH] * 4
    assert t.said == [
        *listed(due),
        f"  point {len(due) + 1} is out of range (the checklist has 1-{len(due)})",
        "  'x' is not a point number",
        f"  point {number} is given twice",
        marked_line(pick["hours"]),
    ]
    assert t.warned == [] and t.answers == []
    assert [f.id for f in result.outcome.marked] == [pick["id"]]
    assert result.attempts == [] and result.message is None
    assert record(home) == ([(pick["id"], p["plan_id"], DAY)],
                            [(f"done: {pick['id']}", pick["hours"], DAY)], [])


def test_done_on_a_terminal_enter_ticks_nothing(home: Path) -> None:
    due = due_by(plan_json(), DAY)
    t = Terminal("")
    result = done.run(home, DAY, t.ask, t.say, t.warn, interactive=True)
    assert t.said == listed(due) and t.asked == [WHICH] and t.warned == []
    assert result.outcome.marked == [] and result.message is None
    assert record(home) == ([], [], [])


def test_done_on_a_terminal_with_nothing_due_asks_nothing(
        home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = SimpleNamespace(plan_id="0" * 12, plan_json=lambda: {"weeks": []})
    monkeypatch.setattr(engine, "current_state", lambda *_args, **_kw: empty)
    t = Terminal()
    result = done.run(home, DAY, t.ask, t.say, t.warn, interactive=True)
    assert result.message == "Nothing planned up to today. Well ahead!"
    assert t.asked == [] and t.said == [] and record(home) == ([], [], [])


def test_done_without_a_terminal_or_sessions_is_refused(home: Path) -> None:
    t = Terminal()
    with pytest.raises(UsageError) as refused:
        done.run(home, DAY, t.ask, t.say, t.warn)
    assert str(refused.value) == (
        "assess done asks on a terminal. Without one, name the sessions with --session ID "
        "(`assess plan --json` lists the ids)")
    assert t.asked == [] and t.said == [] and record(home) == ([], [], [])


@pytest.fixture()
def planned_yesterday(home: Path, monkeypatch: pytest.MonkeyPatch) -> dict:
    """On NEXT, the plan is still the one made on DAY (as a plan saved in a PDF would be)."""
    p = plan_json()
    made = engine.current_state
    monkeypatch.setattr(engine, "current_state",
                        lambda home, _day, *args, **kw: made(home, DAY, *args, **kw))
    return p


def test_a_ticked_mock_records_its_attempt_asking_again_for_bad_minutes(
        home: Path, planned_yesterday: dict) -> None:
    due = due_by(planned_yesterday, NEXT)
    number = next(n for n, s in enumerate(due, start=1)
                  if s["question_id"] and s["activity"] in ("practice", "mock"))
    mock = due[number - 1]
    qid = mock["question_id"]
    _topic, question = RUBRIC.question(qid)
    box = f"Minutes it took (time box {question.minutes})"
    t = Terminal(str(number), "y", "soon", "50", "1 2", "Start with the budget.")
    result = done.run(home, NEXT, t.ask, t.say, t.warn, interactive=True)
    assert t.asked == [WHICH, f"Record the attempt at {qid} now? (y/N)", box, box, POINTS,
                       NOTE]
    [attempt] = result.attempts
    assert t.said == [
        *listed(due),
        marked_line(mock["hours"]),
        "  'soon' is not a number of minutes; type one, e.g. 45",
        "What a strong answer covers:",
        *[f"  {n}. {point}" for n, point in enumerate(question.checklist, start=1)],
        summary(attempt, None),
    ]
    assert t.warned == []
    completions, hours, attempts = record(home)
    assert [c[0] for c in completions] == [mock["id"]]
    assert hours == [(f"done: {mock['id']}", mock["hours"], dt.date.fromisoformat(mock["date"]))]
    assert attempts == [(qid, 50.0, (1, 2), "Start with the budget.", NEXT, "self")]


def test_stopping_at_the_attempt_keeps_the_ticks_and_saves_no_attempt(
        home: Path, planned_yesterday: dict) -> None:
    due = due_by(planned_yesterday, NEXT)
    number = next(n for n, s in enumerate(due, start=1)
                  if s["question_id"] and s["activity"] in ("practice", "mock"))
    t = Terminal(str(number), KeyboardInterrupt)
    with pytest.raises(Stopped) as stopped:
        done.run(home, NEXT, t.ask, t.say, t.warn, interactive=True)
    assert str(stopped.value) == "the sessions are marked; no attempt was saved."
    assert t.said[-1] == marked_line(due[number - 1]["hours"])
    completions, _hours, attempts = record(home)
    assert [c[0] for c in completions] == [due[number - 1]["id"]] and attempts == []


# ----- done --session: each session on its own, each all or nothing ------------------------------


def test_done_sessions_marks_the_known_ones_and_names_each_unknown_one(home: Path) -> None:
    p = plan_json()
    good = due_by(p, DAY)[0]
    t = Terminal()
    with pytest.raises(InputError) as unknown:
        done.run(home, DAY, t.ask, t.say, t.warn,
                 session_ids=("bad-one", good["id"], "bad-two"))
    assert str(unknown.value) == (
        "--session: no session 'bad-one' in your plans (`assess plan --json` lists the ids)\n"
        "--session: no session 'bad-two' in your plans (`assess plan --json` lists the ids)")
    assert t.said == [marked_line(good["hours"])] and t.warned == [] and t.asked == []
    assert record(home) == ([(good["id"], p["plan_id"], DAY)],
                            [(f"done: {good['id']}", good["hours"], DAY)], [])
    again = Terminal()
    result = done.run(home, DAY, again.ask, again.say, again.warn, session_ids=(good["id"],))
    assert again.said == [f"Marked 0 session(s) done (0 h logged); 1 were done already: "
                          f"{good['id']}."]
    assert result.outcome.already == [good["id"]] and result.outcome.marked == []
    assert len(record(home)[1]) == 1


def test_a_failed_write_marks_no_session_at_all(home: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = due_by(plan_json(), DAY)[:2]
    calls: list[float] = []

    def fail_on_the_second(hours: float) -> None:
        calls.append(hours)
        if len(calls) == 2:
            raise StoreError("disk full")

    monkeypatch.setattr("assess.store.practice._check_hours", fail_on_the_second)
    t = Terminal()
    with pytest.raises(StoreError, match="disk full"):
        done.run(home, DAY, t.ask, t.say, t.warn, session_ids=(first["id"], second["id"]))
    assert len(calls) == 2
    assert t.said == [] and record(home) == ([], [], [])


def test_done_session_of_a_mock_says_how_to_record_it(home: Path) -> None:
    p = plan_json()
    mock = next(s for s in due_by(p, dt.date(2026, 12, 31))
                if s["question_id"] and s["activity"] in ("practice", "mock"))
    t = Terminal()
    done.run(home, DAY, t.ask, t.say, t.warn, session_ids=(mock["id"],))
    assert t.said == [marked_line(mock["hours"])]
    assert t.warned == [f"Record how the practice went: `assess practice --log "
                        f"{mock['question_id']} --minutes N --covered 1,3,4`."]


# ----- practice ----------------------------------------------------------------------------------


def test_logging_an_attempt_saves_it_and_says_when_it_is_due(home: Path) -> None:
    line = practice.log_attempt(home, "co-algorithms-q1", 30.0, "1,2,3", DAY, "peer",
                                "  slow start ")
    assert line == ("Saved: 3/7 points in 30 of 35 min (try it again soon). "
                    "Next attempt due Tue 01 Dec.")
    assert record(home)[2] == [("co-algorithms-q1", 30.0, (1, 2, 3), "slow start", DAY, "peer")]


@pytest.mark.parametrize(("question", "covered", "message"), [
    ("co-algorithms-q1", "1,9", "--covered: point 9 is out of range (the checklist has 1-7)"),
    ("co-algorithms-q1", "1,x", "--covered: 'x' is not a point number"),
    ("no-such-q1", "1", "--log: unknown question id 'no-such-q1' in rubric discord-mle (ids "
     "look like 'rs-pitch-q1'; 'assess rubric show' lists them)"),
])
def test_a_bad_logged_attempt_is_refused_and_saves_nothing(home: Path, question: str,
                                                           covered: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        practice.log_attempt(home, question, 30.0, covered, DAY)
    assert str(refused.value) == message
    assert record(home)[2] == []


def test_the_attempt_list_orders_what_is_due(home: Path) -> None:
    assert practice.attempt_list(home, DAY) == practice.AttemptList([], {}, ONSITE)
    assert practice.attempt_list(home, DAY).to_json() == {"schema": 1, "attempts": []}
    practice.log_attempt(home, "co-algorithms-q1", 30.0, "1,2,3,4,5,6,7", DAY)
    practice.log_attempt(home, "sd-serving-latency-q1", 50.0, "1", DAY, note="budget")
    listing = practice.attempt_list(home, DAY)
    assert listing.onsite == ONSITE
    assert [(a.question, a.grade) for a in listing.attempts] == [
        ("co-algorithms-q1", "Easy"), ("sd-serving-latency-q1", "Again")]
    due = [(sp.question, sp.due, sp.last_grade) for sp in listing.next_due()]
    assert due[0] == ("sd-serving-latency-q1", NEXT, "Again")
    assert [d[0] for d in due] == ["sd-serving-latency-q1", "co-algorithms-q1"]
    data = listing.to_json()
    assert data["schema"] == 1
    assert [(a["question_id"], a["covered"], a["note"], a["next_due"]) for a in
            data["attempts"]] == [
        ("co-algorithms-q1", [1, 2, 3, 4, 5, 6, 7], "", due[1][1].isoformat()),
        ("sd-serving-latency-q1", [1], "budget", "2026-12-01")]
    assert [a["recall_onsite"] for a in data["attempts"]] == [
        listing.recall("co-algorithms-q1"), listing.recall("sd-serving-latency-q1")]
    assert practice.attempt_list(home, ONSITE).onsite is None  # the onsite day is not ahead


def test_a_timed_attempt_runs_the_clock_and_asks_again_for_points(home: Path) -> None:
    topic, question = RUBRIC.question("sd-serving-latency-q2")
    clocked: list[int] = []

    def clock(minutes: int) -> float:
        clocked.append(minutes)
        return 40.0

    t = Terminal("", "1 99", "1 3", "budget first")
    line = practice.timed_attempt(home, DAY, t.ask, t.say, clock,
                                  question_id="sd-serving-latency-q2", rater="mentor")
    assert clocked == [45]
    assert t.asked == ["Time box: 45 min. Press Enter to start the clock", POINTS, POINTS, NOTE]
    assert t.said == [
        f"{topic.title} (chosen)",
        f"Question sd-serving-latency-q2: {question.text}",
        "What a strong answer covers:",
        *[f"  {n}. {point}" for n, point in enumerate(question.checklist, start=1)],
        "  point 99 is out of range (the checklist has 1-8)",
    ]
    assert line == ("Saved: 2/8 points in 40 of 45 min (try it again soon). "
                    "Next attempt due Tue 01 Dec.")
    assert record(home)[2] == [("sd-serving-latency-q2", 40.0, (1, 3), "budget first", DAY,
                                "mentor")]


def test_a_timed_attempt_picks_todays_planned_question(home: Path) -> None:
    p = plan_json()
    planned = sorted((s["date"], s["question_id"]) for w in p["weeks"] for s in w["sessions"]
                     if s["question_id"] and s["activity"] in ("practice", "mock", "story"))
    when, qid = planned[0]
    topic, _question = RUBRIC.question(qid)
    t = Terminal("", "", "")
    practice.timed_attempt(home, DAY, t.ask, t.say, lambda _m: 1.0)
    why = ("planned for today" if when == TODAY else
           f"next in your plan ({dt.date.fromisoformat(when):%a %d %b})")
    assert t.said[0] == f"{topic.title} ({why})"
    assert record(home)[2][0][0] == qid


def test_stopping_a_timed_attempt_saves_nothing(home: Path) -> None:
    def stopped_clock(_minutes: int) -> float:
        raise KeyboardInterrupt

    t = Terminal("")
    with pytest.raises(Stopped) as stopped:
        practice.timed_attempt(home, DAY, t.ask, t.say, stopped_clock,
                               question_id="co-algorithms-q1")
    assert str(stopped.value) == "nothing was saved."
    assert len(t.said) == 2 and record(home)[2] == []
