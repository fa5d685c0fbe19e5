"""The plan in the terminal: readiness bars, the biggest gaps, hours against the 40% line,
logged hours, feasibility and the week's sessions.

Plain text built from a ``Plan``; no Click. Bars use unicode blocks (eighths); colour (ANSI) is
added only when the caller says so (the CLI asks ``use_color``: a TTY and no ``NO_COLOR``).
"""

from __future__ import annotations

import datetime as dt
import textwrap

from assess.plan.planner import Plan, Session, Week
from assess.rubric.model import Rubric

WIDTH = 96
BAR = 20
PARTIAL = " ▏▎▍▌▋▊▉"
FULL = "█"
EMPTY = "░"
LINE = "│"
TOP_GAPS = 5

_RESET = "\033[0m"
_STYLES = {"bold": "\033[1m", "dim": "\033[2m", "red": "\033[31m", "yellow": "\033[33m",
           "green": "\033[32m", "cyan": "\033[36m"}


class _Painter:
    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, style: str) -> str:
        if not self.color or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"

    def level(self, text: str, value: float) -> str:
        return self(text, "green" if value >= 0.75 else "yellow" if value >= 0.5 else "red")


def bar(fraction: float, width: int = BAR) -> str:
    """A bar ``width`` cells wide, filled to ``fraction`` (0..1) in eighths of a cell."""
    fraction = min(1.0, max(0.0, fraction))
    eighths = round(fraction * width * 8)
    full, part = divmod(eighths, 8)
    text = FULL * full + (PARTIAL[part] if part else "")
    return text + EMPTY * (width - len(text))


def marked_bar(fraction: float, mark: float | None, width: int = BAR) -> str:
    """A bar with a ``│`` at ``mark`` (0..1), e.g. the 40% line; the mark sits on the bar."""
    cells = list(bar(fraction, width))
    if mark is not None:
        at = min(width - 1, max(0, round(mark * width)))
        cells[at] = LINE
    return "".join(cells)


def _pct(value: float) -> str:
    return f"{value:4.0%}"


def _h(hours: float) -> str:
    return f"{hours:g} h"


def _day(day: dt.date) -> str:
    return day.strftime("%a %d %b")


def _wrap(text: str, indent: str) -> list[str]:
    return textwrap.wrap(text, width=WIDTH, initial_indent=indent, subsequent_indent=indent) or [
        indent
    ]


def _header(plan: Plan, rubric: Rubric, name: str | None) -> list[str]:
    who = f"Plan for {name}: " if name else "Plan: "
    lines = [f"{who}{rubric.meta.title}"]
    when = f"today {plan.today.isoformat()}"
    if plan.interview_date is not None and plan.interview_date >= plan.today:
        days = (plan.interview_date - plan.today).days
        when += f", interview {plan.interview_date.isoformat()} ({days} days)"
    else:
        when += ", no interview date"
    weeks = f"{plan.weeks_total} week{'s' if plan.weeks_total != 1 else ''}"
    lines.append(f"{when}; {weeks} x {_h(plan.week_hours)}"
                 + (" (compressed)" if plan.compressed else ""))
    if plan.week_shape:
        lines.append(f"your week: {plan.week_shape}")
    return lines


def _triage(plan: Plan, paint: _Painter) -> list[str]:
    """What the plan protects (with the level each should reach) and leaves out, and why."""
    out = [paint("Protect, and not this time", "bold")]
    if plan.protect:
        out += _wrap("Protect: " + "; ".join(
            f"{p['title']} {p['rating']} -> {p['reaches']:g}" for p in plan.protect) + ".", "  ")
    if plan.not_this_time:
        out.append("  Not this time:")
    for p in plan.not_this_time:
        out += textwrap.wrap(f"- {p['title']} ({p['rating']} -> {p['target']}): {p['why']}",
                             width=WIDTH, initial_indent="    ", subsequent_indent="      ")
    return out


def _readiness(plan: Plan, rubric: Rubric, paint: _Painter) -> list[str]:
    s = plan.scores
    titles = [r.title for r in rubric.rounds] + [c.title for c in rubric.criteria
                                                 if c.id in s.criteria]
    width = max(len(t) for t in [*titles, "Overall"])
    out = [paint(f"Readiness (target level {s.target_level})", "bold")]
    out.append(f"  {'Overall'.ljust(width)}  {paint.level(bar(s.overall), s.overall)} "
               f"{_pct(s.overall)}")
    for r in rubric.rounds:
        value = s.rounds[r.id]
        out.append(f"  {r.title.ljust(width)}  {paint.level(bar(value), value)} {_pct(value)}")
    if s.criteria:
        out.append("  " + paint("By criterion", "dim"))
        for c in rubric.criteria:
            if c.id in s.criteria:
                value = s.criteria[c.id]
                out.append(f"  {c.title.ljust(width)}  {paint.level(bar(value), value)} "
                           f"{_pct(value)}")
    return out


def _gaps(plan: Plan, rubric: Rubric, paint: _Painter) -> list[str]:
    gaps = plan.scores.gaps
    if not gaps:
        return [paint("Gaps", "bold"), "  None: every topic is at its target. Keep it warm."]
    shown = gaps[:TOP_GAPS]
    out = [paint(f"Biggest gaps ({len(shown)} of {len(gaps)})", "bold")]
    levels = []
    for g in shown:
        mark = " (mentor)" if g.source == "mentor" else " (unrated)" if g.rating is None else ""
        levels.append(f"{g.level} -> {g.target}{mark}")
    level_width = max(len(x) for x in levels)
    for i, (g, lv) in enumerate(zip(shown, levels, strict=True), 1):
        out += textwrap.wrap(
            f"{i}. {lv.ljust(level_width)}  {g.title} ({rubric.round(g.round).title})",
            width=WIDTH, initial_indent="  ", subsequent_indent=" " * (7 + level_width),
        )
    return out


def _hours(plan: Plan, rubric: Rubric, paint: _Painter) -> list[str]:
    a = plan.allocation
    total = a.planned_total
    sd = a.system_design_round
    floor = a.min_shares.get(sd)
    width = max(len(r.title) for r in rubric.rounds)
    head = f"Planned hours per round ({_h(total)})"
    if floor:
        head += f"; {LINE} marks the {floor:.0%} line for {rubric.round(sd).title}"
    out = [paint(head, "bold")]
    for r in rubric.rounds:
        hours = a.planned[r.id]
        share = hours / total if total else 0.0
        line_at = a.min_shares.get(r.id)
        out.append(
            f"  {r.title.ljust(width)}  {marked_bar(share, line_at)} {hours:5.1f} h {_pct(share)}"
        )
    logged = a.logged_total
    if logged:
        out.append(
            f"  Logged so far: {_h(round(logged, 2))}, of which {rubric.round(sd).title} "
            f"{_h(round(a.logged.get(sd, 0.0), 2))} ({a.logged_system_design_share:.0%})."
        )
    else:
        out.append("  Logged so far: nothing yet (`assess log ROUND HOURS` records your time).")
    whole = a.overall_share(sd)
    verdict = ""
    if floor:
        ok = whole + 1e-9 >= floor
        verdict = (
            paint(f" (meets the {floor:.0%} guidance)", "green")
            if ok
            else paint(f" (below the {floor:.0%} guidance)", "red")
        )
    out.append(
        f"  {rubric.round(sd).title}, logged and planned together: {whole:.0%} of "
        f"{_h(round(total + logged, 2))}{verdict}."
    )
    return out


def _timeline(plan: Plan, rubric: Rubric, paint: _Painter) -> list[str]:
    """The stage dates on a strip of weeks, with each week's hours per round."""
    out = [paint("Timeline", "bold")]
    dated = [st for st in plan.stages if st.date is not None or st.status == "done"]
    for st in dated:
        when = _day(st.date) if st.date else "no date"
        out.append(f"  {st.title}: {when} ({st.status})")
    for row in plan.timeline_json():
        marks = [st.title for st in plan.stages if st.stage in row["stages"]]
        parts = ", ".join(
            f"{rid} {_h(h)}" for rid, h in row["rounds"].items()
        )
        start = dt.date.fromisoformat(row["start"])
        end = dt.date.fromisoformat(row["end"])
        line = f"  W{row['week']} {_day(start)}-{_day(end)}  {parts}"
        out += _wrap(line.strip(), "  ") if len(line) > WIDTH else [line]
        for mark in marks:
            out.append(f"     ▲ {mark}")
    return out


def _feasibility(plan: Plan, paint: _Painter) -> list[str]:
    f = plan.feasibility
    head = paint("Feasibility", "bold")
    lead = [f"  {line}" for line in f.headline]
    need, have = _h(f.hours_needed), _h(f.hours_available)
    if f.fits:
        out = [head, *lead,
               paint(f"  Fits: {need} needed to close every gap, {have} planned.", "green")]
        if f.unreachable:
            out.append(f"  At this split {len(f.unreachable)} topic(s) stay below target:")
    else:
        out = [
            head,
            *lead,
            paint(f"  {_h(round(f.short_by, 2))} more needed: {need} to close every gap, "
                  f"{have} planned.", "yellow"),
        ]
        if f.unreachable:
            out.append(f"  {len(f.unreachable)} topic(s) will not reach their target in time; "
                       "the three that matter most:")
    for u in f.top_shortfalls:
        out += textwrap.wrap(
            f"{u.title}: {u.rating} -> {u.target}; {_h(u.hours_planned)} planned of "
            f"{_h(u.hours_needed)} needed, reaches about {u.reachable}",
            width=WIDTH, initial_indent="    ", subsequent_indent="      ",
        )
    if len(f.unreachable) > len(f.top_shortfalls):
        out.append(f"    ... and {len(f.unreachable) - len(f.top_shortfalls)} more "
                   "(`assess plan --json` and the report list them all).")
    if not f.fits:
        lower = ""
        if f.lower_target is not None:
            lower = " " + f.lower_target.sentence
        out += _wrap(
            "More hours per week or a later date would close the difference; meanwhile the "
            "plan puts the hours you have where they count most." + lower,
            "  ",
        )
    return out


def _session_lines(s: Session, rubric: Rubric) -> list[str]:
    day = s.date.strftime("%a %d") if s.date else ""
    what = f"{rubric.round(s.round).title}: {s.title}"
    out = [f"  {day:<6}  {s.hours:3g} h  {s.activity:<8}  {what}"]
    if s.question:
        out += _wrap(f"Q: {s.question}", " " * 28)
    if s.detail and (not s.question or s.activity == "mock"
                     or s.kind in ("reattempt", "verify", "rehearsal")):
        out += _wrap(s.detail, " " * 28)
    return out


def render_week(week: Week, rubric: Rubric, color: bool = False, title: str = "Week") -> str:
    """One week: dates, hours, focus, and each session (with its practice question)."""
    paint = _Painter(color)
    head = (f"{title} {week.index}: {_day(week.start)} to {_day(week.end)}, "
            f"{_h(week.hours)}")
    out = [paint(head, "bold")]
    if week.focus:
        out.append(f"  Focus: {week.focus}")
    for s in week.sessions:
        out += _session_lines(s, rubric)
    return "\n".join(out)


def render_plan(
    plan: Plan,
    rubric: Rubric,
    *,
    name: str | None = None,
    week: int | None = None,
    color: bool = False,
) -> str:
    """The whole terminal view, or with ``week`` only that week (1-based)."""
    if week is not None:
        return render_week(plan.week(week), rubric, color)
    paint = _Painter(color)
    blocks = [
        _header(plan, rubric, name),
        _readiness(plan, rubric, paint),
        _gaps(plan, rubric, paint),
        _hours(plan, rubric, paint),
        _timeline(plan, rubric, paint),
        _feasibility(plan, paint),
    ]
    if plan.protect or plan.not_this_time:
        blocks.append(_triage(plan, paint))
    if plan.notes:
        notes = [paint("Notes", "bold")]
        for note in plan.notes:
            notes += textwrap.wrap(note, width=WIDTH, initial_indent="  - ",
                                   subsequent_indent="    ")
        blocks.append(notes)
    text = "\n\n".join("\n".join(b) for b in blocks)
    this_week = render_week(plan.weeks[0], rubric, color, title="This week: week")
    more = (
        f"Weeks 2 to {plan.weeks_total}: `assess plan --week N` shows one, "
        "`assess plan --json` all of them."
        if plan.weeks_total > 1
        else ""
    )
    return text + "\n\n" + this_week + ("\n\n" + more if more else "")
