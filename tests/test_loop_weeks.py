"""Three weeks of the loop, as a candidate lives it: rate, practise (well and poorly), tick
sessions, log hours, check in, twice. Each week's plan reflects every fact recorded the week
before; nothing recorded changes after a re-plan; the weekly PDF opens with the mentor's page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from pdf_text import pdf_pages
from pypdf import PdfReader

from assess.cli import cli
from assess.rubric.model import load_rubric
from assess.store import Store

RUBRIC = load_rubric("discord-mle")
WEEKS = ["2026-11-30", "2026-12-07", "2026-12-14"]
ONSITE = "2026-12-28"
A4 = (595, 842)


def invoke(*args: str, today: str) -> Result:
    result = CliRunner().invoke(cli, ["--today", today, *args])
    assert result.exit_code == 0, (args, result.output)
    return result


def plan(today: str) -> dict[str, Any]:
    return json.loads(invoke("plan", "--json", today=today).stdout)


def sessions(p: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for w in p["weeks"] for s in w["sessions"]]


def facts(home: Path) -> dict[str, Any]:
    """Every record the candidate made (saved plans aside: they are views on record)."""
    with Store.open(home) as store:
        data = store.export_data()
    return {k: data[k] for k in ("assessments", "hours", "attempts", "completions", "stories")}


def kept(before: dict[str, Any], after: dict[str, Any]) -> None:
    """Every earlier record is still there, unchanged."""
    for kind, rows in before.items():
        for row in rows:
            assert row in after[kind], (kind, row)


def week_of_work(p: dict[str, Any], today: str, end: str, tmp: Path, n: int) -> dict[str, Any]:
    """One week: a good and a poor attempt at the plan's practice questions, three sessions
    ticked, an hour logged; returns what was done."""
    week = [s for s in sessions(p) if today <= s["date"] < end]
    practice = [s for s in week if s["question_id"] and s["activity"] == "practice"
                and RUBRIC.question(s["question_id"])[1].checklist]
    good, poor = practice[0], next(s for s in practice[1:] if s["topic"] != practice[0]["topic"])
    for s, share, minutes in ((good, 1.0, 20), (poor, 0.25, 25)):
        total = len(RUBRIC.question(s["question_id"])[1].checklist)
        covered = ",".join(str(i) for i in range(1, max(1, int(total * share)) + 1))
        invoke("practice", "--log", s["question_id"], "--minutes", str(minutes), "--covered",
               covered, "--date", s["date"], today=s["date"])
    ticked = [s for s in week if s["activity"] == "study"][:3]
    invoke("done", *[x for s in ticked for x in ("--session", s["id"])], today=end)
    invoke("log", "behavioral", "1", "--date", today, today=today)
    return {"good": good, "poor": poor, "ticked": ticked}


def test_three_weeks_of_the_loop(tmp_path: Path, assess_home: Path) -> None:
    invoke("init", "--no-input", "--name", "Sam", "--interview-date", ONSITE,
           "--hours-per-week", "10", today=WEEKS[0])
    for stage in ("recruiter", "technical-screen"):
        invoke("stage", "done", stage, today=WEEKS[0])
    levels = {"sd": 2, "co": 3, "am": 3, "bh": 3, "ps": 3, "rs": 3}
    ratings = {t: levels[t.split("-")[0]] for t in RUBRIC.topics}
    first = tmp_path / "w0.yaml"
    first.write_text(yaml.safe_dump({"rubric": "discord-mle", "rater": "self",
                                     "ratings": ratings}))
    invoke("rate", "--answers", str(first), today=WEEKS[0])
    plans = [plan(WEEKS[0])]
    for n in (1, 2):
        today, end = WEEKS[n - 1], WEEKS[n]
        did = week_of_work(plans[-1], today, end, tmp_path, n)
        before = facts(assess_home)
        checkin = tmp_path / f"w{n}.yaml"
        checkin.write_text(yaml.safe_dump({"ratings": {"am-nlp": 3 + n},
                                           "hours": {"system-design": 2}}))
        out = tmp_path / f"week{n + 1}.pdf"
        invoke("checkin", "--answers", str(checkin), "-o", str(out), today=end)
        kept(before, facts(assess_home))
        p = plan(end)
        plans.append(p)
        ids = {s["id"] for s in sessions(p)}
        # every fact of the week is in the next plan
        assert not {s["id"] for s in did["ticked"]} & ids  # ticked: not planned again
        for s in (did["good"], did["poor"]):
            again = [x for x in sessions(p) if x["question_id"] == s["question_id"]]
            assert all(x["kind"] == "reattempt" for x in again)  # only as a spaced redo
        good_again = [x for x in sessions(p) if x["question_id"] == did["good"]["question_id"]]
        assert all(x["date"] >= "2026-12-18" for x in good_again)  # the last 10 days
        ev = p["evidence"][did["poor"]["topic"]]
        assert ev["cap"] is not None and ev["cap"]["level"] == 2
        assert p["allocation"]["logged"]["behavioral"] >= n
        assert p["allocation"]["logged"]["system-design"] >= 2 * n
        with Store.open(assess_home) as store:
            done = {c.session_id: c for c in store.completions()}
        for s in did["ticked"]:
            assert (done[s["id"]].hours, done[s["id"]].date.isoformat()) == (s["hours"],
                                                                              s["date"])
    # a baseline mock once per round, whatever the re-plans
    baselines: dict[str, set[str]] = {}
    for p in plans:
        for s in sessions(p):
            if s["kind"] == "baseline":
                baselines.setdefault(s["round"], set()).add(s["id"])
    assert baselines and all(len(v) == 1 for v in baselines.values()), baselines
    assert not [s for p in plans[1:] for s in sessions(p) if s["kind"] == "baseline"]
    # the weekly PDF of week 3: the mentor's page first, at most 4 A4 pages
    pdf = tmp_path / "week3.pdf"
    pages = pdf_pages(pdf)
    assert len(pages) <= 4
    assert all((round(float(pg.mediabox.width)), round(float(pg.mediabox.height))) == A4
               for pg in PdfReader(pdf).pages)
    one = pages[0]
    week2, week3 = plans[1], plans[2]
    for expected in [f"PLAN {week3['plan_id'].upper()}",
                     f"plan {week2['plan_id']} of Mon 7 Dec", "Next: Onsite loop", "in 14 days",
                     "Last week, planned vs done",
                     "Mon 7 Dec to Sun 13 Dec", "Sessions ticked", "3 of ",
                     "Attempts this week", "Capped, unverified, disputed",
                     "capped at 2 by your attempt on", "Protect, and not this time",
                     "Three questions for you", "1.", "2.", "3."]:
        assert expected in one, expected
    assert PdfReader(pdf).metadata["/Keywords"].endswith(f"plan {week3['plan_id']}")


def test_the_demo_pdf_opens_with_the_mentors_page(tmp_path: Path, assess_home: Path) -> None:
    out = tmp_path / "demo.pdf"
    invoke("demo", "-o", str(out), today="2026-12-03")
    pages = pdf_pages(out)
    assert len(pages) <= 4
    one = pages[0]
    for expected in ["FOR THE MENTOR", "Next: Onsite loop", "in 21 days",
                     "Last week, planned vs done", "Thu 26 Nov to Wed 2 Dec",
                     "Sessions ticked", "3 of ", "Attempts this week", "7/7",
                     "Capped, unverified, disputed", "Disputed", "Three questions for you"]:
        assert expected in one, expected
    full = tmp_path / "full.pdf"
    invoke("demo", "-o", str(full), "--full", today="2026-12-03")
    assert len(pdf_pages(full)) > 4
