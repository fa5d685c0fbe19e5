"""Codemod: turn the flat ``assess/`` into domain packages, a lazy Click package and no circles.

Usage:  python apply.py /path/to/checkout [--no-ruff]

Run it once on a clean checkout (the merged tree). It stops with a clear message when the tree
is not clean, when it was already applied, or when an expected piece of code is missing. It
prints, loudly, every module and every CLI function it did not know and where it put them:
extend the maps at the top of this file and run it again on a fresh checkout.

Steps (in this order):
  1. break the three import circles with targeted moves of top-level definitions;
  2. ``git mv`` every module into its package (MODULES; unknown modules by prefix rules);
  3. rewrite imports and dotted/path references in assess/, tests/, benchmarks/, docs, config;
  4. split assess/cli.py into assess/cli/ (one module per command group, a lazy group);
  5. re-point test patch targets ("assess.cli.X") and the help test at the lazy group;
  6. write each package's __init__.py docstring, the layout tests and the README section;
  7. ``ruff check --fix --select F401,I001`` on the files it touched, then ``ruff check``.

Stdlib only (ast, re, subprocess); ruff (a test dependency of the project) tidies imports.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

HERE = Path(__file__).resolve().parent

# ----- the map: old module (under assess/) -> new module --------------------------------------

MODULES: dict[str, str] = {
    # core: text safety, bounded readers, path guards, bounds, YAML parsing
    "textsafety": "core.textsafety",
    "bounds": "core.bounds",
    "safepath": "core.safepath",
    "inputs": "core.readers",
    "parsing": "core.parsing",
    # rubric: the yardstick and the candidate's target against it
    "rubric": "rubric.model",
    "rubric_schema": "rubric.schema",
    "views": "rubric.view",
    "profile": "rubric.profile",
    "availability": "rubric.availability",  # the week the candidate has (issue 19)
    # evidence: scores and attempts
    "scoring": "evidence.scoring",
    "levels": "evidence.levels",  # the 1..5 scale, split out of scoring (step 1b)
    "practice": "evidence.practice",
    # stories: STAR rules and their views
    "stories": "stories.star",
    "story_view": "stories.view",
    # inputs: the candidate's files read into models
    "answers": "inputs.answers",
    "answers_model": "inputs.answers_model",
    "pdf_answers": "inputs.pdf_answers",
    "story_file": "inputs.story_file",
    "transfer": "inputs.transfer",
    "form_fields": "inputs.form_fields",
    # store
    "migrations": "store.migrations",
    # plan
    "planner": "plan.planner",
    # app: flows and the state the commands and reports share
    "engine": "app.engine",
    "questionnaire": "app.questionnaire",
    "demo": "app.demo",
    "checkin": "app.checkin",  # the check-in's baseline, a use-case helper (issue 20)
    "done": "app.done",  # ticking sessions done from the plans on record (issue 20)
    "saved_plans": "app.saved_plans",  # today's plan on record, out of store/plans (step 1b)
    "history_view": "app.history",
    "stages": "app.stages",
    "profile_rubric": "app.profile_rubric",
    "practice_run": "app.practice_run",
    "prompts": "app.prompts",
    "profile_questions": "app.profile_questions",
    "checkin_questions": "app.checkin_questions",
    # cli
    "stdio": "cli.stdio",
}
# plan_<x>.py -> plan/<x>.py, story_<x>.py -> stories/<x>.py, practice_<x> -> evidence/...
PREFIXES = {"plan_": "plan.", "story_": "stories.", "practice_": "evidence.practice_",
            "scoring_": "evidence.scoring_", "profile_": "app.profile_"}
STAY = {"__init__", "__main__", "errors", "resources", "cli"}
DEFAULT_PACKAGE = "app"  # an unknown module goes here (the top layer under cli), loudly
FOLDERS = {"demo_data": "app/demo_data"}  # data folders that move with their module

# command -> cli module; a command not listed goes to DEFAULT_CLI_MODULE, loudly
COMMANDS: dict[str, str] = {
    "init": "profile", "start": "profile", "stage": "profile",
    "rate": "checkin", "checkin": "checkin", "log": "checkin",
    "plan": "plan", "done": "plan",
    "practice": "practice",
    "story": "stories",
    "report": "report", "schema": "report", "demo": "report",
    "history": "history", "export": "history", "import": "history",
    "rubric": "rubric",
}
DEFAULT_CLI_MODULE = "other"
CLI_DOCS = {
    "profile": "The profile and its stages: ``assess init``, ``assess start``, ``assess stage``.",
    "checkin": "Ratings and hours: ``assess rate``, ``assess checkin``, ``assess log``.",
    "plan": "The plan and ticking it off: ``assess plan``, ``assess done``.",
    "practice": "Timed practice attempts: ``assess practice``.",
    "stories": "Behavioural stories: ``assess story add|list|show|edit|rm|coverage``.",
    "report": "Reports: ``assess report``, ``assess schema``, ``assess demo``.",
    "history": "History and moving it: ``assess history``, ``assess export``, ``assess import``.",
    "rubric": "Rubrics: ``assess rubric list|show|validate|path``.",
    "other": "Commands the restructuring did not know yet (move them to their group).",
    "common": "What every command module shares: the App, the store, prompts, output helpers.",
}
# cli.py's definitions that make up the group itself (they go to cli/__init__.py)
CLI_ROOT = {"cli", "main", "AssessGroup", "AssessContext", "_examples_last"}

PACKAGE_DOCS = {
    "cli": """Click only: the ``assess`` group, its global options, the one error boundary and a lazy
registry of subcommands (one module per command group). The only package that imports Click;
it may import every other package.""",
    "app": """Use cases: one plain function per flow (start, check-in, done, practice, stories, import),
given ``ask``/``say`` callables, plus the state the commands and reports share. No Click.
May import plan, report, store, inputs, evidence, stories, rubric, core.""",
    "plan": """The plan: its model, calendar, sessions, weeks and days, the planner and the terminal view.
Pure functions of ratings, evidence and the calendar. May import evidence, stories, rubric,
core (never the store, never a report).""",
    "report": """Reports: context (built once) -> render to pdf, html, md, json, ics; forms and charts.
May import store, inputs, evidence, stories, rubric, core.""",
    "store": """SQLite: the connection, numbered migrations, one module per kind of record, exchange.
May import inputs, evidence, stories, rubric, core.""",
    "inputs": """The candidate's files read into models: answers files, PDF forms, story files, the export
bundle, the names of form fields. May import evidence, stories, rubric, core.""",
    "evidence": """What the candidate has shown: scoring (readiness, gaps), attempts, grades and FSRS.
Pure. May import rubric and core.""",
    "stories": """Behavioural stories: the STAR rules (critique, coverage) and their terminal views.
May import rubric and core.""",
    "rubric": """The yardstick: the rubric's frozen dataclasses, its pydantic file schema, the bundled
rubrics' lookup and views, and the candidate's profile (target level, hours, stages).
May import core.""",
    "core": """Untrusted bytes in, safely: bounded readers, path guards, text safety, date bounds, YAML
parsing with readable errors. Imports only ``assess.errors`` and the standard library.""",
}

# ----- helpers ---------------------------------------------------------------------------------

ROOT: Path
TOUCHED: set[Path] = set()
WARNINGS: list[str] = []


class Stop(SystemExit):
    pass


def stop(message: str) -> None:
    raise Stop(f"apply.py: STOP: {message}")


def warn(message: str) -> None:
    WARNINGS.append(message)
    print(f"  !! {message}")


def git(*args: str) -> str:
    result = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True)
    if result.returncode:
        stop(f"git {' '.join(args)} failed: {result.stderr.strip()}")
    return result.stdout


def read(rel: str | Path) -> str:
    return (ROOT / rel).read_text(encoding="utf-8")


def write(rel: str | Path, text: str) -> None:
    path = ROOT / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    TOUCHED.add(path)


def py_files() -> list[Path]:
    out: list[Path] = []
    for top in ("assess", "tests", "benchmarks"):
        out += sorted((ROOT / top).rglob("*.py"))
    return out


def segment(lines: list[str], node: ast.stmt) -> tuple[int, int]:
    """0-based [start, end) line range of a top-level statement with decorators and the
    comment lines right above it (but not section banners)."""
    start = min([node.lineno] + [d.lineno for d in getattr(node, "decorator_list", [])]) - 1
    while start > 0 and lines[start - 1].startswith("#") and not lines[start - 1].startswith(
            "# -----"):
        start -= 1
    return start, node.end_lineno or node.lineno


def defined_names(node: ast.stmt) -> list[str]:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return [node.name]
    if isinstance(node, ast.Assign):
        return [t.id for t in node.targets if isinstance(t, ast.Name)]
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return [node.target.id]
    return []


def used_names(node: ast.AST) -> set[str]:
    """Global names a statement uses: loads, minus a function's own locals."""
    names = {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        local: set[str] = set()
        for sub in ast.walk(node):
            if isinstance(sub, ast.arg):
                local.add(sub.arg)
            elif isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                local.add(sub.id)
            elif isinstance(sub, (ast.Import, ast.ImportFrom)):
                local |= {a.asname or a.name.split(".")[0] for a in sub.names}
            elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef)) and sub is not node:
                local.add(sub.name)
        decorators = set().union(*(used_names(d) for d in node.decorator_list)) \
            if node.decorator_list else set()
        annotations = {n.id for a in ast.walk(node.args) if isinstance(a, ast.arg)
                       and a.annotation is not None for n in ast.walk(a.annotation)
                       if isinstance(n, ast.Name)}
        if node.returns is not None:
            annotations |= {n.id for n in ast.walk(node.returns) if isinstance(n, ast.Name)}
        defaults = {n.id for d in [*node.args.defaults, *node.args.kw_defaults] if d is not None
                    for n in ast.walk(d) if isinstance(n, ast.Name)}
        names = (names - local) | decorators | annotations | defaults
    # quoted annotations
    for n in ast.walk(node):
        if isinstance(n, ast.arg) and isinstance(n.annotation, ast.Constant):
            names |= set(re.findall(r"[A-Za-z_]\w*", str(n.annotation.value)))
    return names


def is_type_checking(node: ast.stmt) -> bool:
    return isinstance(node, ast.If) and isinstance(node.test, ast.Name) and \
        node.test.id == "TYPE_CHECKING"


def import_pool(tree: ast.Module) -> dict[str, tuple[str, bool]]:
    """Every top-level import (also inside ``if TYPE_CHECKING:``), as bound name ->
    (one-line import statement, type-checking only)."""
    pool: dict[str, tuple[str, bool]] = {}

    def add(node: ast.stmt, tc: bool) -> None:
        if isinstance(node, ast.Import):
            for a in node.names:
                bound = a.asname or a.name.split(".")[0]
                text = f"import {a.name}" + (f" as {a.asname}" if a.asname else "")
                pool[bound] = (text, tc)
        elif isinstance(node, ast.ImportFrom) and node.module != "__future__":
            mod = "." * node.level + (node.module or "")
            for a in node.names:
                bound = a.asname or a.name
                text = f"from {mod} import {a.name}" + (f" as {a.asname}" if a.asname else "")
                pool[bound] = (text, tc)

    for node in tree.body:
        if is_type_checking(node):
            for sub in node.body:
                add(sub, True)
        else:
            add(node, False)
    return pool


def import_block(needed: set[str], pool: dict[str, tuple[str, bool]]) -> str:
    plain = sorted({pool[n][0] for n in needed if n in pool and not pool[n][1]})
    typed = sorted({pool[n][0] for n in needed if n in pool and pool[n][1]})
    lines = ["from __future__ import annotations", "", *plain]
    if typed:
        if "from typing import TYPE_CHECKING" not in plain:
            lines.append("from typing import TYPE_CHECKING")
        lines += ["", "if TYPE_CHECKING:", *("    " + t for t in typed)]
    return "\n".join(lines) + "\n"


# ----- step 1: circles -------------------------------------------------------------------------


def move_defs(src: str, dst: str, names: list[str], doc: str,
              optional: tuple[str, ...] = (), reexport: bool = True) -> None:
    """Move top-level definitions ``names`` (and the module-level helpers they use, found by
    closure) from module ``src`` to ``dst`` (dotted, under assess); ``src`` imports back what
    it still uses (and, with ``reexport``, every public moved name), and every
    ``from assess.<src> import <moved>`` in the tree is re-pointed. A move UP a layer needs
    ``reexport=False``: the lower module must not import the higher one back."""
    src_rel = Path("assess", *src.split(".")).with_suffix(".py")
    dst_rel = Path("assess", *dst.split(".")).with_suffix(".py")
    text = read(src_rel)
    tree = ast.parse(text)
    lines = text.splitlines()
    by_name: dict[str, ast.stmt] = {}
    for node in tree.body:
        for name in defined_names(node):
            by_name[name] = node
    names = names + [n for n in optional if n in by_name]
    missing = [n for n in names if n not in by_name]
    if missing:
        stop(f"{src_rel}: expected top-level {missing} to move to {dst_rel}; not found. "
             f"Look at what {dst_rel.name} should hold and update move_defs() in apply.py.")
    moving: list[ast.stmt] = []
    todo = list(names)
    while todo:
        node = by_name[todo.pop()]
        if node in moving:
            continue
        moving.append(node)
        todo += [n for n in used_names(node) if n in by_name and by_name[n] not in moving]
    moving.sort(key=lambda n: n.lineno)
    moved_names = {name for node in moving for name in defined_names(node)}
    pool = import_pool(tree)
    body = joined(lines, moving)
    used_by_moved = set().union(*(used_names(n) for n in moving))
    if (ROOT / dst_rel).exists():  # append to a module that exists: add what it lacks
        old = read(dst_rel)
        old_tree = ast.parse(old)
        have = set(import_pool(old_tree)) | {n for node in old_tree.body
                                             for n in defined_names(node)}
        lacking = (used_by_moved - moved_names) - have
        clash = moved_names & have
        if clash:
            stop(f"{dst_rel} already defines {sorted(clash)}; cannot move them there")
        plain = sorted({pool[n][0] for n in lacking if n in pool})
        old_lines = old.splitlines()
        last = max((n.end_lineno or n.lineno) for n in old_tree.body
                   if isinstance(n, (ast.Import, ast.ImportFrom)))
        old_lines[last:last] = plain
        new = "\n".join(old_lines).rstrip() + "\n\n\n" + body + "\n"
    else:
        new = f'"""{doc}"""\n\n' + import_block(used_by_moved - moved_names, pool) + \
            "\n\n" + body + "\n"
    write(dst_rel, new)
    # src: drop the moved statements, import back what the rest still uses
    keep = [n for n in tree.body if n not in moving]
    # what the rest still uses, and the public names (``module.name`` keeps working)
    still = (set().union(*(used_names(n) for n in keep)) & moved_names) | \
        {n for n in moved_names if not n.startswith("_") and reexport}
    drop: set[int] = set()
    for node in moving:
        a, b = segment(lines, node)
        drop |= set(range(a, b))
    out = [line for i, line in enumerate(lines) if i not in drop]
    if still:
        last_import = max((n.end_lineno or n.lineno) for n in tree.body
                          if isinstance(n, (ast.Import, ast.ImportFrom)))
        shift = len([i for i in drop if i < last_import])
        out.insert(last_import - shift, f"from assess.{dst} import (  # noqa: F401\n"
                   + "".join(f"    {n},\n" for n in sorted(still)) + ")")
    write(src_rel, re.sub(r"\n{4,}", "\n\n\n", "\n".join(out)).rstrip() + "\n")
    repoint_imports(f"assess.{src}", f"assess.{dst}", moved_names)


def joined(lines: list[str], nodes: list[ast.stmt]) -> str:
    """The statements' source, two blank lines apart; constants that were adjacent (no def or
    class between them) stay together as they were."""
    out = ""
    prev: ast.stmt | None = None
    for node in nodes:
        a, b = segment(lines, node)
        part = "\n".join(lines[a:b])
        simple = not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
        if prev is None:
            out = part
        elif simple and not isinstance(prev, (ast.FunctionDef, ast.AsyncFunctionDef,
                                               ast.ClassDef)) \
                and a == (prev.end_lineno or prev.lineno):
            out += "\n" + part
        else:
            out += "\n\n\n" + part
        prev = node
    return out


def repoint_imports(src: str, dst: str, names: set[str]) -> None:
    for path in py_files():
        text = path.read_text(encoding="utf-8")
        if src not in text:
            continue
        tree = ast.parse(text)
        lines = text.splitlines(keepends=True)
        edits = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == src and not node.level:
                moved = [a for a in node.names if a.name in names]
                if not moved:
                    continue
                rest = [a for a in node.names if a.name not in names]
                indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
                stmts = []
                if rest:
                    stmts.append(ast.unparse(ast.ImportFrom(src, rest, 0)))
                stmts.append(ast.unparse(ast.ImportFrom(dst, moved, 0)))
                edits.append((node.lineno - 1, node.end_lineno,
                              "".join(indent + s + "\n" for s in stmts)))
        for a, b, new in sorted(edits, reverse=True):
            lines[a:b] = [new]
        if edits:
            path.write_text("".join(lines), encoding="utf-8")
            TOUCHED.add(path)


def drop_def(rel: str, name: str, must_mention: str) -> None:
    text = read(rel)
    tree = ast.parse(text)
    lines = text.splitlines()
    for node in tree.body:
        if name in defined_names(node):
            a, b = segment(lines, node)
            body = "\n".join(lines[a:b])
            if must_mention not in body:
                stop(f"{rel}: {name} no longer mentions {must_mention!r}; check it by hand")
            write(rel, re.sub(r"\n{4,}", "\n\n\n", "\n".join(lines[:a] + lines[b:])).rstrip()
                  + "\n")
            return
    warn(f"{rel}: no {name} to drop (fine if the circle is gone already)")


def break_circles() -> None:
    print("step 1: break the import circles")
    # answers <-> pdf_answers: the answers model moves down; the PDF reader imports it
    move_defs("answers", "answers_model", ["Answers", "validate_answers", "MAX_NOTE_CHARS"],
              "The answers model: what a rating file or form holds, and its full validation.\n\n"
              "Shared by the YAML reader (``answers``) and the PDF form reader (``pdf_answers``).")
    # report/render <-> report/ics: dates and formatting move down into report/formatting
    move_defs("report.render", "report.formatting",
              ["_day", "pct", "points", "hours", "signed", "weekday", "shortdate", "daymonth",
               "session_field", "longdate", "md_escape", "document_datetime"],
              "Dates and small formatting helpers shared by the templates, the renderer and "
              "the calendar.")
    # report/charts <-> report/trend_chart: charts stops re-exporting the trend chart
    drop_def("assess/report/charts.py", "__getattr__", "trend_chart")
    repoint_imports("assess.report.charts", "assess.report.trend_chart", {"Point", "trend_chart"})
    for path in py_files():
        text = path.read_text(encoding="utf-8")
        found = sorted(set(re.findall(r"\bcharts\.(trend_chart|Point)\b", text)))
        if not found or path.name == "charts.py":
            continue
        text = re.sub(r"\bcharts\.(trend_chart|Point)\b", r"\1", text)
        tree = ast.parse(text)
        have = set(import_pool(tree))
        need = [n for n in found if n not in have]
        if need:
            last = max(n.end_lineno or n.lineno for n in tree.body
                       if isinstance(n, (ast.Import, ast.ImportFrom)))
            lines = text.splitlines(keepends=True)
            lines.insert(last, f"from assess.report.trend_chart import {', '.join(need)}\n")
            text = "".join(lines)
        path.write_text(text, encoding="utf-8")
        TOUCHED.add(path)


def split_big_modules() -> None:
    """Modules over 500 lines, split by section (names listed; helpers follow by closure)."""
    print("step 1b: split report/context.py and questionnaire.py by section")
    move_defs("report.context", "report.context_common",
              ["_iso", "_date", "_r", "_hours", "_round_title", "_on", "Context"],
              "Small conversions every section of the report context uses.")
    move_defs("report.context", "report.context_plan",
              ["_allocation", "_weeks", "_timeline", "_feasibility", "_appendix"],
              "The report context's plan sections: time split, weeks, timeline, feasibility "
              "and the appendix.")
    move_defs("report.context", "report.context_progress",
              ["_readiness", "_gaps", "_calibration", "_trend", "_progress",
               "_mentor_questions"],
              "The report context's progress sections: readiness, gaps, calibration, the "
              "trend,\nprogress since last time and the questions for the mentor.")
    move_defs("questionnaire", "prompts", ["_wrap", "ask_yes_no", "Ask", "Say", "WIDTH"],
              "The terminal's ``ask`` and ``say`` callables and the small prompts built on "
              "them.")
    # the checks of the profile's fields sit with the profile (the planner's availability
    # uses the hours check: it goes there when there is one, as the profile imports it)
    hours_home = "availability" if (ROOT / "assess/availability.py").exists() else "profile"
    move_defs("questionnaire", hours_home, ["check_hours_per_week"], "")
    move_defs("questionnaire", "profile",
              ["check_name", "check_rubric", "check_interview_date", "check_target_level"], "")
    # scoring: the 1..5 scale (bounds, targets, weights, gaps, topic readiness) moves down
    # into its own module; scoring, calibration and the forecast build on it
    move_defs("scoring", "levels",
              ["MIN_LEVEL", "MAX_LEVEL", "MAX_GAP", "_check_level", "topic_weight",
               "topic_target", "targets", "level_used", "gap_levels", "topic_readiness"],
              "The 1..5 scale: level bounds, a topic's target and weight, the level used, the "
              "gap and\nthe topic's readiness. Pure; scoring builds on it.")
    # store/plans: reading today's plan on record opens a Store (the package that imports
    # store/plans): a use case, it moves up into the app (no re-export: store never imports
    # app); the plan's input hash (hash_extra) goes with it
    move_defs("store.plans", "saved_plans", ["saved_plan_json"],
              "The plan on record for today's facts: the plan's input hash beyond the database "
              "and the\nlookup of the plan saved for it (``assess plan --json`` answers from it "
              "without\nscoring or planning anything).", reexport=False)
    # the report's charts as data, out of the renderer
    move_defs("report.render", "report.figures", ["build_charts", "round_colors"],
              "The report's figures: each chart's SVG built from the context, and the rounds' "
              "colours.")
    move_defs("questionnaire", "profile_questions",
              ["PROFILE_FIELDS", "ProfileInput", "resolve_profile", "profile_line"],
              "The profile questions: each answer checked, then the profile resolved from "
              "flags,\nprompts and the current values.")
    move_defs("questionnaire", "checkin_questions",
              ["check_checkin_hours", "parse_hours_flags", "ask_hours",
               "readiness_change_line"],
              "The weekly check-in's own questions: hours per round, and the change in "
              "readiness.")


# ----- step 2 and 3: moves and references ------------------------------------------------------


def plan_moves() -> dict[str, str]:
    moves: dict[str, str] = {}
    for path in sorted((ROOT / "assess").glob("*.py")):
        old = path.stem
        if old in STAY:
            continue
        if old in MODULES:
            moves[old] = MODULES[old]
            continue
        for prefix, package in PREFIXES.items():
            if old.startswith(prefix):
                moves[old] = package + old[len(prefix):]
                print(f"  {old}: by prefix -> {moves[old]}")
                break
        else:
            moves[old] = f"{DEFAULT_PACKAGE}.{old}"
            warn(f"UNKNOWN MODULE assess/{old}.py -> assess/{DEFAULT_PACKAGE}/{old}.py "
                 f"(add it to MODULES in apply.py)")
    for old in MODULES:
        if old not in moves and not (ROOT / "assess" / f"{old}.py").exists():
            print(f"  (map entry {old} has no module here; skipped)")
    return moves


def move_modules(moves: dict[str, str]) -> None:
    print("step 2: git mv into packages")
    git("add", "-A", "assess")  # the modules step 1 wrote
    for old, new in moves.items():
        dst = Path("assess", *new.split(".")).with_suffix(".py")
        (ROOT / dst.parent).mkdir(parents=True, exist_ok=True)
        git("mv", f"assess/{old}.py", str(dst))
        TOUCHED.add(ROOT / dst)
    for old, new in FOLDERS.items():
        if (ROOT / "assess" / old).exists():
            git("mv", f"assess/{old}", f"assess/{new}")
    (ROOT / "assess/cli").mkdir(exist_ok=True)
    git("mv", "assess/cli.py", "assess/cli/__init__.py")


def rewrite_references(moves: dict[str, str]) -> None:
    print("step 3: rewrite imports and references")
    names = sorted(moves, key=len, reverse=True)
    dotted = re.compile(r"\bassess\.(" + "|".join(map(re.escape, names)) + r")\b")
    slashed = re.compile(r"\bassess/(" + "|".join(map(re.escape, names)) + r")\.py\b")
    folders = re.compile(r"\bassess/(" + "|".join(map(re.escape, FOLDERS)) + r")\b")

    def fix_text(text: str) -> str:
        text = dotted.sub(lambda m: "assess." + moves[m.group(1)], text)
        text = slashed.sub(lambda m: "assess/" + moves[m.group(1)].replace(".", "/") + ".py",
                           text)
        return folders.sub(lambda m: "assess/" + FOLDERS[m.group(1)], text)

    for path in py_files():
        text = path.read_text(encoding="utf-8")
        new = fix_text(text)
        # from assess import <module> [as x]
        tree = ast.parse(new)
        lines = new.splitlines(keepends=True)
        edits = []
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "assess" and not node.level \
                    and any(a.name in moves for a in node.names):
                indent = re.match(r"\s*", lines[node.lineno - 1]).group(0)
                stmts = []
                for a in node.names:
                    if a.name in moves:
                        package, _, leaf = ("assess." + moves[a.name]).rpartition(".")
                        alias = a.asname or a.name
                        stmts.append(f"from {package} import {leaf}"
                                     + (f" as {alias}" if alias != leaf else ""))
                    else:
                        stmts.append(f"from assess import {a.name}"
                                     + (f" as {a.asname}" if a.asname else ""))
                edits.append((node.lineno - 1, node.end_lineno,
                              "".join(indent + s + "\n" for s in stmts)))
        for a, b, stmt in sorted(edits, reverse=True):
            lines[a:b] = [stmt]
        new = "".join(lines)
        if new != text:
            path.write_text(new, encoding="utf-8")
            TOUCHED.add(path)
    others = [ROOT / "pyproject.toml", ROOT / "README.md", *sorted((ROOT / ".ci").rglob("*"))]
    for path in others:
        if path.is_file():
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            new = fix_text(text)
            if new != text:
                path.write_text(new, encoding="utf-8")


# ----- step 4: the CLI package -----------------------------------------------------------------


def command_of(node: ast.stmt) -> str | None:
    """The command name when ``node`` is a ``@cli.command``/``@cli.group`` function."""
    if not isinstance(node, ast.FunctionDef):
        return None
    for dec in node.decorator_list:
        call = dec if isinstance(dec, ast.Call) else None
        func = call.func if call else dec
        if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and \
                func.value.id == "cli" and func.attr in ("command", "group"):
            if call and call.args and isinstance(call.args[0], ast.Constant):
                return str(call.args[0].value)
            name = node.name.lower().replace("_", "-")
            for suffix in ("-command", "-cmd", "-group", "-grp"):
                if name.endswith(suffix):
                    name = name[: -len(suffix)]
            return name
    return None


def short_help(node: ast.FunctionDef) -> str:
    for dec in node.decorator_list:
        if isinstance(dec, ast.Call) and isinstance(dec.func, ast.Attribute) and \
                dec.func.attr in ("command", "group"):
            for kw in dec.keywords:
                if kw.arg in ("short_help", "help") and isinstance(kw.value, ast.Constant):
                    return textwrap.dedent(str(kw.value.value)).strip().partition("\n\n")[0]
    doc = ast.get_docstring(node) or ""
    if "Example:" in doc:
        doc = doc.rpartition("Example:")[0].rstrip()
    return doc.split("\f")[0].partition("\n\n")[0].strip()


LAZY = '''

class LazyGroup(click.Group):
    """Click's lazy-loading group: a command's module is imported only when the command runs.

    ``COMMANDS`` maps a name to ``"module:attribute"`` and the command's short help, so
    ``assess --help`` lists every command without importing any of them (a test keeps the
    short help here equal to the command's own).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in COMMANDS and cmd_name not in self.commands:
            from importlib import import_module

            module, _, attr = COMMANDS[cmd_name][0].partition(":")
            command = getattr(import_module(module), attr)
            _examples_last(command)
            self.add_command(command, cmd_name)
        return super().get_command(ctx, cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = self.list_commands(ctx)
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            if name in COMMANDS and name not in self.commands:
                text = click.Command(name, help=COMMANDS[name][1]).get_short_help_str(limit)
            else:
                command = self.get_command(ctx, name)
                if command is None or command.hidden:
                    continue
                text = command.get_short_help_str(limit)
            rows.append((name, text))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
'''

EXAMPLES_LAST = '''

def _examples_last(command: click.Command) -> None:
    """Move a command's "Example:" paragraph into its epilog, so help ends with it."""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            _examples_last(sub)
    text = command.help or ""
    if "Example:" in text and not command.epilog:
        body, _, example = text.rpartition("Example:")
        command.help = body.rstrip()
        command.epilog = "\\b\\nExample: " + " ".join(example.split())
'''


def split_cli(moves: dict[str, str]) -> dict[str, str]:
    """Split assess/cli/__init__.py (the old cli.py) into modules; returns name -> module."""
    print("step 4: split the CLI")
    rel = "assess/cli/__init__.py"
    text = read(rel)
    tree = ast.parse(text)
    lines = text.splitlines()
    pool = import_pool(tree)
    doc = ast.get_docstring(tree) or ""
    stmts = [n for n in tree.body if not isinstance(n, (ast.Import, ast.ImportFrom))
             and not is_type_checking(n)
             and not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
    dest: dict[str, set[str]] = {}
    owner: dict[str, ast.stmt] = {}
    commands: dict[str, tuple[str, str, str]] = {}  # name -> (module, attr, short help)
    for node in stmts:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call) and \
                isinstance(node.value.func, ast.Name) and node.value.func.id == "_examples_last":
            continue  # the lazy group applies it per command
        names = defined_names(node)
        if not names:
            warn(f"cli: top-level statement at line {node.lineno} is not a definition; "
                 f"kept in cli/__init__.py:\n      {lines[node.lineno - 1]}")
            names = [f"<stmt {node.lineno}>"]
        for name in names:
            owner[name] = node
        cmd = command_of(node)
        if cmd is not None:
            module = COMMANDS.get(cmd)
            if module is None:
                module = DEFAULT_CLI_MODULE
                warn(f"UNKNOWN COMMAND {cmd!r} ({node.name}) -> assess/cli/{module}.py "
                     f"(add it to COMMANDS in apply.py)")
            commands[cmd] = (module, node.name, short_help(node))
            dest[node.name] = {module}
        elif names[0] in CLI_ROOT or names[0].startswith("<stmt"):
            dest[names[0]] = {"__init__"}
    missing_root = CLI_ROOT - set(owner) - {"_examples_last"}
    if missing_root:
        stop(f"cli.py no longer defines {sorted(missing_root)}; update CLI_ROOT in apply.py")
    # subcommands follow their group: @story.command -> same module as story
    refs = {name: used_names(node) for name, node in owner.items()}
    changed = True
    while changed:
        changed = False
        for name, node in owner.items():
            if name in dest and (command_of(node) or name in CLI_ROOT or name.startswith("<")):
                continue
            want: set[str] = set()
            for user, used in refs.items():
                if name in used and user != name and user in dest:
                    want |= dest[user]
            # a @group.command follows its group
            if isinstance(node, ast.FunctionDef):
                for dec in node.decorator_list:
                    func = dec.func if isinstance(dec, ast.Call) else dec
                    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) \
                            and func.value.id in dest and func.value.id != "cli" \
                            and func.attr in ("command", "group"):
                        want = set(dest[func.value.id])
            if len(want) > 1:
                want = {"common"}
            if want and dest.get(name) != want:
                dest[name] = want
                changed = True
    placed: dict[str, str] = {}
    for name in owner:
        where = dest.get(name)
        if not where:
            where = {"common"}
            warn(f"cli: {name} is used by nothing known; put in cli/common.py")
        placed[name] = next(iter(where))
    # everything a common helper uses must be in common (or the root uses it: common too)
    for name, module in list(placed.items()):
        if module == "common":
            for dep in refs[name] & set(owner):
                if placed[dep] not in ("common",) and placed[dep] != "__init__":
                    stop(f"cli: common helper {name} uses {dep} placed in {placed[dep]}")
                if placed[dep] == "__init__" and dep not in CLI_ROOT:
                    placed[dep] = "common"
    # names tests patch as "assess.cli.X" are looked up through the module at call time
    patched = set()
    for path in (ROOT / "tests").rglob("*.py"):
        patched |= set(re.findall(r"assess\.cli\.(\w+)", path.read_text(encoding="utf-8")))
    patched &= {n for n, m in placed.items() if m == "common"}
    modules: dict[str, list[ast.stmt]] = {}
    for name, node in owner.items():
        bucket = modules.setdefault(placed[name], [])
        if node not in bucket:
            bucket.append(node)
    common_names = {n for n, m in placed.items() if m == "common"}
    for module, nodes in sorted(modules.items()):
        nodes.sort(key=lambda n: n.lineno)
        if module == "__init__":  # the lazy group's own _examples_last replaces the old one
            nodes = [n for n in nodes if "_examples_last" not in defined_names(n)]
        body = []
        for node in nodes:
            a, b = segment(lines, node)
            part = "\n".join(lines[a:b])
            if command_of(node) is not None:
                part = re.sub(r"^@cli\.(command|group)\b", r"@click.\1", part, flags=re.M)
            body.append(part)
        code = "\n\n\n".join(body)
        own = {n for node in nodes for n in defined_names(node)}
        used = set().union(*(used_names(n) for n in nodes))
        needed_imports = used - own
        shared: list[str] = []
        if module != "common":
            shared = sorted((used & common_names) - own - patched)
            for name in sorted((used & patched) - own):
                code = re.sub(rf"(?<![\w.]){name}\b", f"common.{name}", code)
        header = import_block(needed_imports - common_names, pool)
        if shared:
            header += f"from assess.cli.common import {', '.join(shared)}\n"
        if module != "common" and used & patched - own:
            header += "from assess.cli import common\n"
        if module == "__init__":
            cmd_map = "\n".join(f'    "{name}": (\n        "assess.cli.{m}:{attr}",\n'
                                 f"        {wrapped_literal(h, 8)},\n    ),"
                                 for name, (m, attr, h) in sorted(commands.items()))
            module_doc = doc.strip() + (
                "\n\nSubcommands live in one module per command group and are imported only "
                "when they run\n(``LazyGroup``): `assess --help` imports Click and this "
                "package, nothing more.")
            code = re.sub(r"^class AssessGroup\(click\.Group\)", "class AssessGroup(LazyGroup)",
                          code, flags=re.M)
            if "class AssessGroup(LazyGroup)" not in code:
                stop("cli: class AssessGroup(click.Group) not found; the lazy group needs it")
            header = header.replace("from __future__ import annotations\n",
                                    "from __future__ import annotations\n\nimport click\n", 1) \
                if "import click" not in header else header
            code = (f"# command -> (module:attribute, short help)\nCOMMANDS: dict[str, "
                    f"tuple[str, str]] = {{\n{cmd_map}\n}}\n" + EXAMPLES_LAST + LAZY
                    + "\n\n" + code)
            out = f'"""{module_doc}\n"""\n\n' + header + "\n\n" + code + "\n"
        else:
            out = f'"""{CLI_DOCS.get(module, module)}\n\nClick only: parse, call, print."""\n\n' \
                + header + "\n\n" + code + "\n"
        write(f"assess/cli/{module}.py", re.sub(r"\n{4,}", "\n\n\n", out))
        print(f"  cli/{module}.py: {len(out.splitlines())} lines")
    return placed


def wrapped_literal(text: str, indent: int, width: int = 96) -> str:
    """A string literal as implicitly joined pieces, each line within ``width``."""
    words = re.split(r"(?<= )", text)
    pieces, line = [], ""
    for word in words:
        if line and len(repr(line + word)) + indent > width:
            pieces.append(line)
            line = ""
        line += word
    pieces.append(line)
    return ("\n" + " " * indent).join(json.dumps(p, ensure_ascii=False) for p in pieces)


def fix_long_lines(path: Path, limit: int = 100) -> None:
    """Wrap comment and docstring lines the longer module paths pushed over ``limit``."""
    import io
    import tokenize

    text = path.read_text(encoding="utf-8")
    if all(len(line) <= limit for line in text.splitlines()):
        return
    prose: set[int] = set()
    comments: set[int] = set()
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        if tok.type == tokenize.COMMENT and tok.line.lstrip().startswith("#"):
            comments.add(tok.start[0])
        elif tok.type == tokenize.STRING and tok.start[0] != tok.end[0]:
            prose |= set(range(tok.start[0] + 1, tok.end[0]))  # inner lines of a docstring
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        while len(line) > limit and (number in prose or number in comments):
            cut = line.rfind(" ", 0, limit + 1)
            head_indent = len(line) - len(line.lstrip())
            if cut <= head_indent + 2:
                break
            prefix = " " * head_indent + ("# " if number in comments else "")
            if number not in comments and line.lstrip().startswith(("- ", "* ")):
                prefix += "  "
            out.append(line[:cut].rstrip())
            line = prefix + line[cut + 1:]
        out.append(line)
    path.write_text("\n".join(out) + ("\n" if text.endswith("\n") else ""), encoding="utf-8")


def retarget_tests(placed: dict[str, str]) -> None:
    print("step 5: test patch targets and the help test")
    for path in sorted((ROOT / "tests").rglob("*.py")):
        text = path.read_text(encoding="utf-8")

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            module = placed.get(name)
            if module is None or module == "__init__":
                return m.group(0)
            return f"assess.cli.{module}.{name}"

        new = re.sub(r"assess\.cli\.(\w+)", sub, text)
        new = new.replace(
            "sorted(group.commands.items())",
            "sorted((n, group.get_command(click.Context(group), n))\n"
            "                             for n in group.list_commands(click.Context(group)))")
        if new != text:
            path.write_text(new, encoding="utf-8")
            TOUCHED.add(path)


# ----- step 6: docs, tests, README --------------------------------------------------------------

README_SECTION = """\
### Layout

Folders read as the flow of the data, top to bottom; each layer imports only the layers below
it (`tests/test_layout.py` checks it with `ast`):

```
assess/
  cli/        Click only: the group, the error boundary, a lazy registry; one module per group
  app/        use cases (start, check-in, done, practice, stories, import) and the shared state
  plan/       the planning model, calendar, sessions, weeks, days, the planner, the plan's view
  report/     context -> render: pdf, html, md, json, ics; formatting, forms, charts
  store/      SQLite: connection, migrations, one module per kind of record, exchange
  inputs/     the candidate's files: answers (YAML, PDF form), story files, the export bundle
  evidence/   scoring (readiness, gaps), attempts and FSRS
  stories/    STAR rules (critique, coverage) and their views
  rubric/     the rubric model, its file schema, bundled lookup, the candidate's profile
  core/       bounded readers, path guards, text safety, bounds, YAML parsing
  errors.py, resources.py   the error types and where bundled files live
```
"""


def write_docs() -> None:
    print("step 6: package docstrings, layout tests, README")
    for package, doc in PACKAGE_DOCS.items():
        init = ROOT / "assess" / package / "__init__.py"
        if package in ("cli",) or not init.parent.is_dir():
            continue
        old = init.read_text(encoding="utf-8") if init.exists() else ""
        rest = ""
        if old:
            tree = ast.parse(old)
            if tree.body and isinstance(tree.body[0], ast.Expr) and \
                    isinstance(tree.body[0].value, ast.Constant):
                rest = "\n".join(old.splitlines()[tree.body[0].end_lineno:]).strip("\n")
                olddoc = ast.get_docstring(tree) or ""
                doc = doc + "\n\n" + olddoc
            else:
                rest = old.strip("\n")
        write(init.relative_to(ROOT), f'"""{doc}\n"""\n' + (f"\n{rest}\n" if rest else ""))
    for test in sorted((HERE / "files" / "tests").glob("*.py")):
        shutil.copy(test, ROOT / "tests" / test.name)
        TOUCHED.add(ROOT / "tests" / test.name)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    if "### Layout" not in text:
        match = re.search(r"^## Development.*?$", text, flags=re.M)
        if match is None:
            warn("README has no '## Development' section; layout appended at the end")
            text = text.rstrip() + "\n\n## Development\n\n" + README_SECTION
        else:
            nxt = re.search(r"^## ", text[match.end():], flags=re.M)
            at = match.end() + nxt.start() if nxt else len(text)
            text = text[:at].rstrip() + "\n\n" + README_SECTION + "\n" + text[at:]
        readme.write_text(text, encoding="utf-8")


def tidy(use_ruff: bool) -> None:
    print("step 7: ruff --fix (unused imports, import order)")
    files = sorted(str(p) for p in TOUCHED if p.suffix == ".py" and p.exists())
    if not use_ruff:
        warn("--no-ruff: imports are not tidied")
        return
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    subprocess.run([ruff, "check", "--fix", "--select", "F401,I001", "-q", *files], cwd=ROOT)
    for name in files:
        fix_long_lines(Path(name))
    result = subprocess.run([ruff, "check", "assess", "tests", "benchmarks"], cwd=ROOT,
                            capture_output=True, text=True)
    if result.returncode:
        warn("ruff check is not clean:\n" + result.stdout[-3000:])


def main() -> None:
    global ROOT
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) != 1:
        sys.exit(__doc__)
    ROOT = Path(args[0]).resolve()
    if not (ROOT / "assess" / "cli.py").is_file():
        stop(f"{ROOT}/assess/cli.py not found (already applied, or not a checkout)")
    if git("status", "--porcelain", "--untracked-files=no").strip():
        stop(f"{ROOT} has uncommitted changes; run on a clean checkout")
    break_circles()
    split_big_modules()
    moves = plan_moves()
    move_modules(moves)
    rewrite_references(moves)
    placed = split_cli(moves)
    retarget_tests(placed)
    write_docs()
    tidy("--no-ruff" not in sys.argv)
    git("add", "-A", "assess", "tests", "benchmarks", "README.md", "pyproject.toml")
    print(f"\ndone: {len(moves)} modules moved; {len(WARNINGS)} warning(s)")
    for w in WARNINGS:
        print(f"  !! {w}")


if __name__ == "__main__":
    main()
