"""``salesplan report``: the plan for a board deck, in one file.

The first screen's headline and actions, then the pictures a board reads (ARR and new ARR
by month with the simulation's P10–P90 band, heads by role stacked over time, the hiring
timeline, the funnel, CAC, payback and NRR by tier, the sensitivity tornado of ending
ARR), then every table of ``plan --all``, the plan's inputs and its problems.  HTML draws it
as one self-contained page; the other formats carry the same report.
"""

from __future__ import annotations

import math
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from salesplan.report.chart import Chart, ChartKind, Series
from salesplan.report.diff import flatten, line_of, value_text
from salesplan.report.plan import plan_report
from salesplan.report.screen import likely_chart, role_chart
from salesplan.report.table import Cell, Column, Kind, Report, Table, with_meta

if TYPE_CHECKING:
    from salesplan.engine.outlook import Outlook
    from salesplan.engine.periods import Period
    from salesplan.engine.sensitivity import Sensitivity
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

# The tornado shows this many inputs, largest effect first.
TORNADO_INPUTS = 10


def board_report(
    evaluation: Evaluation, outlook: Outlook, sens: Sensitivity, period: Period
) -> Report:
    """Return the board report: headline, charts, every table, the inputs, the problems."""
    v = evaluation.plan
    s = v.structure
    full = plan_report(evaluation, outlook, period)
    charts = (
        full.chart("arr"),
        new_arr_chart(v, outlook),
        full.chart("heads"),
        hiring_chart(v),
        full.chart("stages"),
        *tier_charts(evaluation),
        *tornado_charts(sens),
    )
    tables = (*full.tables, inputs_table(evaluation), problems_table(evaluation))
    meta = {**full.meta, "trials": str(outlook.trials), "seed": str(outlook.seed)}
    return replace(
        full,
        kind="report",
        title=f"Sales plan: {s.plan_name}",
        tables=with_meta(tables, meta),
        charts=charts,
        meta=meta,
    )


def new_arr_chart(v: PlanView, o: Outlook) -> Chart:
    """New ARR booked by month, forwards with the plan's hires, with its P10–P90 band."""
    return likely_chart(
        v,
        o,
        "new_arr",
        "New ARR booked by month",
        "New ARR, likely",
        o.likely_new_arr,
        o.new_arr_band,
    )


def hiring_chart(v: PlanView) -> Chart:
    """Starts by role and month: when each hire joins."""
    note = "Requisitions open hiring lead time months before each start."
    title = "Hiring timeline: starts by month"
    return role_chart(v, "hiring", title, ChartKind.TIMELINE, v.starts, "starts", (note,))


def tier_charts(evaluation: Evaluation) -> tuple[Chart, ...]:
    """CAC, CAC payback and NRR by tier over the whole plan (tiers with no figure left out)."""
    s = evaluation.plan.structure
    e = evaluation.whole_plan.economics
    out = []
    for name, title, kind, values in (
        ("cac_by_tier", "CAC by tier", MONEY, e.cac),
        ("payback_by_tier", "CAC payback by tier, months", NUMBER, e.payback_months),
        ("nrr_by_tier", "Net revenue retention by tier", RATE, e.nrr),
    ):
        shown = [
            (tier, float(values[k, 0]))
            for k, tier in enumerate(s.tiers)
            if math.isfinite(float(values[k, 0]))
        ]
        if shown:
            labels, numbers = zip(*shown, strict=True)
            out.append(
                Chart(
                    name,
                    title,
                    ChartKind.BARS,
                    labels,
                    (Series(title, numbers),),
                    unit=kind,
                    meta={"currency": s.currency},
                )
            )
    return tuple(out)


def tornado_charts(sens: Sensitivity) -> tuple[Chart, ...]:
    """Ending ARR with each input swung alone, largest effect first (none without swings)."""
    if "ending_arr" not in sens.plan:
        return ()
    base = sens.plan["ending_arr"]
    values = sens.swung["ending_arr"]
    low, high = values[0::2], values[1::2]
    effect = np.maximum(np.maximum(low, high), base) - np.minimum(np.minimum(low, high), base)
    order = sorted(
        (i for i in range(len(sens.cases)) if effect[i] > 1e-9 * max(1.0, abs(base))),
        key=lambda i: (-effect[i], i),
    )[:TORNADO_INPUTS]
    if not order:
        return ()
    return (
        Chart(
            "tornado",
            "Ending ARR with each input at its low and high",
            ChartKind.TORNADO,
            tuple(sens.cases[i].input.label for i in order),
            (
                Series("at low", tuple(float(low[i]) for i in order)),
                Series("at high", tuple(float(high[i]) for i in order)),
            ),
            unit=MONEY,
            base=base,
            notes=(
                "Each input alone at its range's ends, or ±"
                f"{sens.swing * 100:g}% where it has none; the plan's hires run forwards.",
            ),
        ),
    )


def inputs_table(evaluation: Evaluation) -> Table:
    """Every value the plan file sets (after ``extends``), with where it is set."""
    loaded = evaluation.loaded
    rows: list[tuple[Cell, ...]] = [
        (key, value_text(value), line_of(loaded, path))
        for key, (path, value) in flatten(loaded.source.data).items()
    ]
    columns = (
        Column("key", "Input", TEXT),
        Column("value", "Value", TEXT),
        Column("where", "Set at", TEXT),
    )
    return Table("inputs", "The plan's inputs", columns, tuple(rows), key_columns=1)


def problems_table(evaluation: Evaluation) -> Table:
    """The plan's problems, as ``salesplan check`` reports them."""
    rows: list[tuple[Cell, ...]] = [
        (str(p.location), p.code, p.severity.value, p.message) for p in evaluation.problems
    ]
    columns = (
        Column("where", "Where", TEXT),
        Column("code", "Code", TEXT),
        Column("severity", "Severity", TEXT),
        Column("message", "Message", TEXT),
    )
    notes = () if rows else ("salesplan check finds no problem.",)
    return Table("problems", "Problems", columns, tuple(rows), key_columns=1, notes=notes)
