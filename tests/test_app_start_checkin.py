"""The first run, the weekly check-in and the profile as plain flows (``assess.app.start``,
``assess.app.checkin``): driven with scripted ``ask`` callables and lists for ``say`` and
``note``, without Click or a terminal."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assess.app.checkin import CheckinOptions, run_checkin
from assess.app.flow_steps import Printout
from assess.app.profile_questions import ProfileInput
from assess.app.start import InitOptions, StartOptions, run_init, run_start
from assess.errors import UsageError
from assess.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
MINI = str(FIXTURES / "mini-rubric.yaml")
TOPICS = ["sd-feature-pipelines", "sd-serving", "sd-federated", "code-graphs", "beh-conflict"]
WEEK1, WEEK2 = dt.date(2026, 11, 25), dt.date(2026, 12, 2)
WEEK_PROMPTS = [  # the week's shape, offered from 10 h/week (Enter keeps each)
    ("Hours on a weekday (0-16, in 0.5 h steps)", "2"),
    ("Hours on a weekend day (0-16, in 0.5 h steps)", "2"),
    ("Rest days (e.g. sun, or none)", "sun"),
    ("Days off (DATE or DATE..DATE, comma-separated; Enter for none)", ""),
]
LEVEL = "Your level (1-5 rate, ? questions, n note, s skip, b back)"


class Script:
    """An ``ask`` that gives the replies in turn, as a terminal does: Enter (``""``) gives the
    default; past the last reply it raises EOFError (input ended, like Ctrl-D)."""

    def __init__(self, *replies: str) -> None:
        self.replies = list(replies)
        self.prompts: list[tuple[str, str | None]] = []

    def __call__(self, prompt: str, default: str | None) -> str:
        self.prompts.append((prompt, default))
        if not self.replies:
            raise EOFError
        return self.replies.pop(0) or (default or "")


class Lines(list[str]):
    """A ``say`` or ``note`` that keeps every line."""

    def __call__(self, text: str) -> None:
        self.append(text)


def ratings(home: Path) -> list[dict[str, int | None]]:
    with Store.open(home) as store:
        return [dict(a.ratings) for a in store.assessments("self")]


def first_week(home: Path, tmp_path: Path) -> Printout:
    """``assess start --no-input --name Ana --answers FILE``: every topic rated 2."""
    answers = tmp_path / "w1.yaml"
    answers.write_text("ratings: {" + ", ".join(f"{t}: 2" for t in TOPICS) + "}\n")
    options = StartOptions(ProfileInput("Ana", MINI, "2026-12-23"), str(answers),
                           str(tmp_path / "w1.md"))
    return run_start(home, WEEK1, options, None, Lines(), Lines())


def test_first_run_on_a_terminal_asks_everything_again_until_valid(
    assess_home: Path, tmp_path: Path
) -> None:
    ask = Script("", "Ana",                    # an empty name is asked again
                 "nope.yaml", MINI,            # so is a rubric file that is not there
                 "soon", "2026-12-23",         # and a date that is not one
                 "99", "10",                   # hours out of range
                 "",                           # Enter keeps the target level 4
                 "", "", "", "",               # and the week: 10 h/week's shape, no days off
                 "7", "2", "3", "s", "4",      # a level off the scale, then one skip
                 "", "1")                      # Enter without a last rating is asked again
    say, note = Lines(), Lines()
    out = tmp_path / "plan.md"
    printout = run_start(assess_home, WEEK1, StartOptions(output=str(out)), ask, say, note)
    assert ask.prompts == [
        ("Your name (for the report)", ""), ("Your name (for the report)", ""),
        ("Rubric (a bundled id, or a rubric file)", "discord-mle"),
        ("Rubric (a bundled id, or a rubric file)", "discord-mle"),
        ("Interview date (YYYY-MM-DD; Enter or 'none' if not known yet)", ""),
        ("Interview date (YYYY-MM-DD; Enter or 'none' if not known yet)", ""),
        ("Hours per week you can study (1-80)", "10"),
        ("Hours per week you can study (1-80)", "10"),
        ("Target level for every topic (1-5)", "4"),
        *WEEK_PROMPTS,
        *[(LEVEL, None)] * 7,
    ]
    assert say[:7] == [
        "Welcome to assess. Three steps: your profile, the questionnaire (about two minutes; "
        "Ctrl-C keeps your answers), then your report.",
        "",
        "  give a name (it goes on the report)",
        "  no such file",
        "  'soon' is not a date in YYYY-MM-DD form",
        "  must be between 1 and 80 (got 99)",
        f"Profile saved: Ana: rubric {MINI}, onsite 2026-12-23 (28 days, 4 weeks away), "
        "10 h/week, target level 4",
    ]
    assert [line for line in say if line.startswith(("==", "[", "'", "Type"))] == [
        "== ML System Design (round 1 of 3) ==",
        "[1/5] Feature pipelines and stores",
        "'7' is not an answer here: type 1-5 rate, ? questions, n note, s skip, b back.",
        "[2/5] Model serving and latency budgets",
        "[3/5] Federated learning (advanced)",
        "== Coding and Algorithms (round 2 of 3) ==",
        "[4/5] Graphs and BFS",
        "== Behavioral and Collaboration (round 3 of 3) ==",
        "[5/5] Conflict with a teammate",
        "Type a level from 1 to 5 and press Enter (or ? for questions, s to skip).",
    ]
    assert note == []  # no font is missing for the Markdown report; stderr is no terminal
    assert printout.exit_code == 0
    assert printout.lines == [
        ("err", "Saved a complete self assessment: 5 of 5 topics answered (1 skipped), "
                "dated 2026-11-25."),
        ("out", "Readiness by round (target level 4):\n"
                "  ML System Design              ████████░░░░░░░░░░░░  40%\n"
                "  Coding and Algorithms         ████████████████████ 100%\n"
                "  Behavioral and Collaboration  ░░░░░░░░░░░░░░░░░░░░   0%\n"
                "  Overall                       ██████████░░░░░░░░░░  50%"),
        ("out", f"Report: {out}"),
        ("err", "Next week: `assess checkin` (Enter keeps this week's answers)."),
    ]
    assert printout.stdout[0] == "Readiness by round (target level 4):"
    assert out.read_text().startswith("# ")
    assert ratings(assess_home) == [dict(zip(TOPICS, [2, 3, None, 4, 1], strict=True))]


def test_first_run_stopped_keeps_the_answers_given(assess_home: Path, tmp_path: Path) -> None:
    ask = Script("Ana", MINI, "", "", "", "", "", "", "", "4", "3")  # ends at the third topic
    out = tmp_path / "plan.md"
    printout = run_start(assess_home, WEEK1, StartOptions(output=str(out)), ask, Lines(),
                         Lines())
    assert (printout.exit_code, printout.lines) == (130, [
        ("err", ""),
        ("err", "Stopped. 2 of 5 answers are saved; run `assess rate` again to pick up where "
                "you left off."),
    ])
    assert not out.exists()
    with Store.open(assess_home) as store:
        assert store.get_profile().name == "Ana"
        assert store.unfinished("self").ratings == {"sd-feature-pipelines": 4, "sd-serving": 3}


def test_start_without_a_terminal_needs_an_answers_file(assess_home: Path) -> None:
    with pytest.raises(UsageError) as caught:
        run_start(assess_home, WEEK1, StartOptions(ProfileInput("Ana")), None, Lines(), Lines())
    assert str(caught.value) == (
        "assess start asks its questions on a terminal. Without one, pass --no-input with "
        "--name NAME and --answers FILE (`assess rate --template` prints one to fill in)")


def test_checkin_from_an_answers_file(assess_home: Path, tmp_path: Path) -> None:
    week1 = first_week(assess_home, tmp_path)
    assert week1.exit_code == 0
    assert week1.stdout[0] == f"Profile saved: Ana: rubric {MINI}, onsite 2026-12-23 (28 days, " \
                              "4 weeks away), 10 h/week, target level 4"
    assert week1.stdout[-1] == f"Report: {tmp_path / 'w1.md'}"
    answers = tmp_path / "w2.yaml"
    answers.write_text("ratings: {sd-serving: 4, beh-conflict: 1}\n"
                       "hours: {system-design: 3, coding: 1.5}\n")
    out = tmp_path / "plan.md"
    say, note = Lines(), Lines()
    printout = run_checkin(assess_home, WEEK2, CheckinOptions(str(answers), output=str(out)),
                           None, say, note)
    assert (say, note) == ([], [])
    assert printout.exit_code == 0
    assert printout.lines == [
        ("err", "Logged 3 h on ML System Design."),
        ("err", "Logged 1.5 h on Coding and Algorithms."),
        ("out", "Since your check-in on 2026-11-25:"),
        ("out", "  Model serving and latency budgets: 2 -> 4 (up 2)"),
        ("out", "  Conflict with a teammate: 2 -> 1 (down 1)"),
        ("out", "Readiness: 35% -> 42% (+7 points since 2026-11-25)."),
        ("out", f"Report: {out}"),
    ]
    assert ratings(assess_home)[-1] == {**dict.fromkeys(TOPICS, 2), "sd-serving": 4,
                                        "beh-conflict": 1}
    with Store.open(assess_home) as store:
        assert [(h.round, h.hours, h.note) for h in store.hours_entries()] == [
            ("system-design", 3.0, "weekly check-in"), ("coding", 1.5, "weekly check-in")]


def test_checkin_on_a_terminal(assess_home: Path, tmp_path: Path) -> None:
    first_week(assess_home, tmp_path)
    ask = Script("", "4", "", "", "",            # Enter keeps four of last week's answers
                 "2.5", "lots", "1", "")         # hours per round, one reply not a number
    say, note = Lines(), Lines()
    out = tmp_path / "plan.md"
    printout = run_checkin(assess_home, WEEK2, CheckinOptions(output=str(out)), ask, say, note)
    assert ask.prompts == [
        *[(LEVEL, "2")] * 5,
        ("  ML System Design", "0"), ("  Coding and Algorithms", "0"),
        ("  Coding and Algorithms", "0"), ("  Behavioral and Collaboration", "0"),
    ]
    assert say[0] == "Weekly check-in for Ana. Enter keeps last week's answer."
    assert say[-3:] == [
        "",
        "Hours spent on each round since your last check-in on 2026-11-25 (Enter = 0).",
        "  'lots' is not a number of hours",
    ]
    assert note == []
    assert printout.lines == [
        ("err", "Logged 2.5 h on ML System Design."),
        ("err", "Logged 1 h on Coding and Algorithms."),
        ("out", "Since your check-in on 2026-11-25:"),
        ("out", "  Model serving and latency budgets: 2 -> 4 (up 2)"),
        ("out", "Readiness: 35% -> 48% (+13 points since 2026-11-25)."),
        ("out", f"Report: {out}"),
    ]
    assert ratings(assess_home)[-1] == {**dict.fromkeys(TOPICS, 2), "sd-serving": 4}


def test_checkin_stopped_at_the_hours_keeps_the_ratings(assess_home: Path,
                                                        tmp_path: Path) -> None:
    first_week(assess_home, tmp_path)
    ask = Script("3", "", "", "", "")  # input ends at the first round's hours
    out = tmp_path / "plan.md"
    printout = run_checkin(assess_home, WEEK2, CheckinOptions(output=str(out)), ask, Lines(),
                           Lines())
    assert (printout.exit_code, printout.lines) == (130, [
        ("err", ""),
        ("err", "Stopped. Your ratings are saved; log hours with `assess log ROUND HOURS` and "
                "run `assess report` for the PDF."),
    ])
    assert ratings(assess_home)[-1] == {**dict.fromkeys(TOPICS, 2), "sd-feature-pipelines": 3}
    assert not out.exists()
    with Store.open(assess_home) as store:
        assert (store.hours_entries(), store.last_checkin(WEEK2)) == ([], None)


def test_checkin_without_a_terminal_or_a_file_asks_for_one(assess_home: Path,
                                                           tmp_path: Path) -> None:
    first_week(assess_home, tmp_path)
    with pytest.raises(UsageError) as caught:
        run_checkin(assess_home, WEEK2, CheckinOptions(output=str(tmp_path / "p.md")), None,
                    Lines(), Lines())
    assert str(caught.value) == (
        "no terminal to ask on: pass --answers FILE to re-rate from a file, or --no-input to "
        "keep your ratings (with --hours ROUND=HOURS)")


def test_init_with_flags_only(assess_home: Path) -> None:
    say = Lines()
    options = InitOptions(ProfileInput("Ana", "discord-mle", "2026-12-23", "12", "3"),
                          ("technical-screen=2026-12-04",))
    printout = run_init(assess_home, WEEK1, options, None, say)
    assert say == []
    assert (printout.exit_code, printout.lines) == (0, [
        ("out", "Profile saved: Ana: rubric discord-mle, onsite 2026-12-23 (28 days, 4 weeks "
                "away), technical-screen 2026-12-04, 12 h/week, target level 3"),
        ("err", "Next: `assess rate` to rate yourself on every topic."),
    ])
    again = run_init(assess_home, WEEK1, InitOptions(ProfileInput(hours_per_week="8")), None,
                     say)
    assert again.lines == [
        ("out", "Profile updated: Ana: rubric discord-mle, onsite 2026-12-23 (28 days, 4 weeks "
                "away), technical-screen 2026-12-04, 8 h/week, target level 3"),
    ]
    with Store.open(assess_home) as store:
        profile = store.get_profile()
    assert (profile.name, profile.hours_per_week, profile.target_level,
            profile.stage_dates) == ("Ana", 8, 3, {"technical-screen": dt.date(2026, 12, 4)})
    with pytest.raises(UsageError) as caught:
        run_init(assess_home, WEEK1, InitOptions(
            ProfileInput(interview_date="2026-12-24"),
            ("onsite=2026-12-24",)), None, say)
    assert str(caught.value) == ("--interview-date and --stage-date onsite=: both give the "
                                 "onsite's date; give it once")
