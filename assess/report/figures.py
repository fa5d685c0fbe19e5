"""The report's figures: each chart's SVG built from the context, and the rounds' colours."""

from __future__ import annotations

from typing import Any

from assess.report import charts
from assess.report.context_common import Context
from assess.report.formatting import _day, pct, shortdate
from assess.report.trend_chart import Point, trend_chart


def round_colors(ctx: Context) -> dict[str, str]:
    """A colour per round, stable for a rubric; system design keeps the accent colour."""
    ids = [r["id"] for r in ctx["readiness"]["rounds"]]
    ordered = ([i for i in ids if i == ctx["allocation"]["floor_round"]]
               + [i for i in ids if i != ctx["allocation"]["floor_round"]])
    return {rid: charts.PALETTE[i % len(charts.PALETTE)] for i, rid in enumerate(ordered)}


def _listing(items: list[tuple[str, Any]]) -> str:
    return "; ".join(f"{name} {pct(value)}" for name, value in items)


def build_charts(ctx: Context) -> dict[str, str]:
    """Every chart of the report, as SVG markup strings. Each chart's label (its title and
    alt text) states the numbers it draws, for readers who cannot see it."""
    colors = round_colors(ctx)
    ready = ctx["readiness"]
    rounds = charts.bar_chart(
        [charts.Bar(r["title"], r["value"], r["previous"], colors[r["id"]])
         for r in ready["rounds"]],
        label="Readiness per interview round, 0 to 100%: "
        + _listing([(r["title"], r["value"]) for r in ready["rounds"]])
        + (". Last check-in: " + _listing([(r["title"], r["previous"])
                                          for r in ready["rounds"]])
           if all(r["previous"] is not None for r in ready["rounds"]) and ready["rounds"]
           else ""),
    )
    criteria = charts.radar_chart(
        [charts.Spoke(c["title"], c["value"], c["previous"], c["mentor"])
         for c in ready["criteria"]],
        label="Readiness per evaluation criterion, 0 to 100%: "
        + _listing([(c["title"], c["value"]) for c in ready["criteria"]])
        + (". Mentor's view: " + _listing([(c["title"], c["mentor"])
                                          for c in ready["criteria"]])
           if ready["criteria"] and all(c["mentor"] is not None for c in ready["criteria"])
           else ""),
    )
    alloc = ctx["allocation"]
    first = alloc["floor_round"]
    order = sorted(alloc["rounds"], key=lambda r: r["id"] != first)

    def strip(label: str, key: str) -> charts.Strip:
        return charts.Strip(label, tuple(
            charts.Segment(_short_round(r["title"]), r[key], colors[r["id"]]) for r in order))

    floor = alloc["floor"]
    logged = alloc["logged_total"]
    time = charts.share_chart(
        [strip("Planned", "planned"), strip("Logged", "logged")],
        label="Share of hours per round. Planned: "
        + _listing([(r["title"], r["planned_share"]) for r in order])
        + (". Logged: " + _listing([(r["title"], r["logged_share"]) for r in order])
           if logged else ". Nothing logged yet")
        + (f". Guidance line at {pct(floor)} for {alloc['floor_round_title']}"
           if floor is not None else ""),
        guide=floor,
        guide_label=f"{pct(floor)} guidance" if floor is not None else "",
    )
    points = ctx["progress"]["trend"]
    trend = trend_chart(
        [Point(shortdate(p["date"]), p["readiness"], p["rater"] == "mentor",
                      _day(p["date"]))
         for p in points],
        label="Overall readiness at each check-in, 0 to 100%"
        + (": " + "; ".join(f"{shortdate(p['date'])} {pct(p['readiness'])}"
                            f"{' (mentor)' if p['rater'] == 'mentor' else ''}"
                            for p in points) if points else ": no check-ins yet"),
    )
    return {"rounds": rounds, "criteria": criteria, "time": time, "trend": trend}


def _short_round(title: str) -> str:
    words = title.replace("/", " ").split()
    short = " ".join(words[:2]) if len(title) > 14 else title
    return short
