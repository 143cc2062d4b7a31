"""The tables of ``salesplan track`` that read the funnel's pace and the revenue's: realised
conversion rates with their credible intervals and blend, days in stage, and the pace line
(docs/track.md).  :mod:`salesplan.report.track` puts them in the report.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesplan.report.table import NA, Cell, Column, Kind, Table, ranked

if TYPE_CHECKING:
    from salesplan.engine.structure import Structure
    from salesplan.engine.track import Track

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

PLAN_ZERO = NA("the plan is 0")
NO_PACE = "No pace: the actuals file does not give `mrr` and `new_mrr`."
POSITION = {-1: "plan below", 0: "plan inside", 1: "plan above"}
# The key columns of a table with a row per stage.
STAGE_COLUMNS = (
    Column("tier", "Tier", TEXT),
    Column("motion", "Motion", TEXT),
    Column("stage", "Stage", TEXT),
)


# -- realised rates and days in stage --------------------------------------------------------


def next_stage(s: Structure, j: int) -> str:
    """Return what stage j converts to: the next stage of its motion, or won."""
    last = j + 1 == len(s.stages) or s.stage_cell[j + 1] != s.stage_cell[j]
    return "won" if last else s.stages[j + 1][1]


def span_text(labels: list[str], first: int, through: int) -> str:
    """Return a span of months as text: ``2027-02..2027-03``, one month alone."""
    if first > through:
        return ""
    return labels[first] if first == through else f"{labels[first]}..{labels[through]}"


def rates_table(s: Structure, tracked: Track, labels: list[str]) -> Table:
    """Each stage's realised rate, its 90% interval, where the plan lies, and the blend."""
    r = tracked.rates
    named = (
        *STAGE_COLUMNS,
        Column("to", "To", TEXT),
        Column("months", "Months", TEXT),
        Column("entered", "Entered", COUNT, digits=1),
        Column("converted", "Converted", COUNT),
        Column("plan_rate", "Plan rate", RATE, digits=1),
        Column("rate", "Realised", RATE, digits=1),
        Column("low", "90% low", RATE, digits=1),
        Column("high", "90% high", RATE, digits=1),
        Column("plan_vs_data", "Plan vs data", TEXT),
        Column("blended", "Blended", RATE, digits=1),
    )
    # Too narrow for all: the rates and their verdict before the counts they come from.
    first = ("plan_rate", "rate", "low", "high", "plan_vs_data", "blended")
    columns = ranked(named, first)
    rows: list[tuple[Cell, ...]] = []
    for j, (cell, stage) in enumerate(s.stages):
        tier, motion = s.cells[cell]
        none = NA(r.why[j]) if r.why[j] else None
        no_interval = NA(r.interval_why[j]) if r.interval_why[j] else None
        rows.append(
            (
                tier,
                motion,
                stage,
                next_stage(s, j),
                span_text(labels, int(r.first[j]), tracked.through),
                none or float(r.entered[j]),
                none or float(r.conversions[j]),
                float(r.plan_rate[j]),
                none or float(r.rate[j]),
                no_interval or float(r.low[j]),
                no_interval or float(r.high[j]),
                no_interval or POSITION[int(r.position[j])],
                float(r.blended[j]),
            )
        )
    notes = (
        "Realised = converted / entered: the entries into the next stage (or the wins) in "
        "the months shown, over the entries into this stage the plan's days earlier (part "
        "months joined as the model's lags).  90% low and high: the equal-tailed credible "
        "interval of Beta(converted + ½, entered − converted + ½), the Jeffreys prior; plan "
        "below or above: the plan's rate lies outside it.",
        "Blended = (k × plan rate + converted) / (k + entered), k = q(1 − q) / sd² − 1 from "
        "the plan's range (sd = (high − low) / 6), else from ±20% of the plan's rate.",
    )
    return Table("rates", "Realised conversion rates", columns, tuple(rows), 3, notes)


def days_table(s: Structure, tracked: Track, labels: list[str]) -> Table:
    """Each stage's days in stage by Little's law, where the file gives pipeline."""
    d = tracked.stays
    named = (
        *STAGE_COLUMNS,
        Column("months", "Months", TEXT),
        Column("mean_pipeline", "Mean in stage", COUNT, digits=1),
        Column("mean_entries", "Mean entries a month", COUNT, digits=1),
        Column("plan_days", "Plan", NUMBER, "days", 1),
        Column("days", "Realised", NUMBER, "days", 1),
        Column("difference", "Difference", NUMBER, "days", 1),
    )
    # Too narrow for all: the days and their difference before what they come from.
    columns = ranked(named, ("plan_days", "days", "difference"))
    rows: list[tuple[Cell, ...]] = []
    for j, (cell, stage) in enumerate(s.stages):
        tier, motion = s.cells[cell]
        given = d.why[j] in ("", "no entries")  # the file gives both metrics
        none = NA(d.why[j]) if d.why[j] else None
        days = float(d.days[j])
        rows.append(
            (
                tier,
                motion,
                stage,
                span_text(labels, int(d.first[j]), tracked.through) if given else "",
                float(d.mean_pipeline[j]) if given else NA(d.why[j]),
                float(d.mean_entries[j]) if given else NA(d.why[j]),
                float(d.plan_days[j]),
                none or days,
                none or days - float(d.plan_days[j]),
            )
        )
    notes = (
        "Little's law: realised days = mean deals in the stage at a month's end / mean "
        "entries a month × 30.4375 days, over the months the file gives both.",
    )
    return Table("days", "Days in stage", columns, tuple(rows), 3, notes)


# -- the pace line ---------------------------------------------------------------------------


def pace_basis_table(s: Structure, tracked: Track, labels: list[str]) -> Table:
    """The pace per tier: mean new MRR of the last months, churn and expansion rates."""
    p = tracked.pace
    columns = (
        Column("tier", "Tier", TEXT),
        Column("months", "Months", TEXT),
        Column("new_mrr", "New MRR", MONEY),
        Column("churn_rate", "Churn", RATE, digits=2),
        Column("expansion_rate", "Expansion", RATE, digits=2),
        Column("rates_from", "Rates from", TEXT),
        Column("arr", "ARR now", MONEY),
    )
    rows: list[tuple[Cell, ...]] = []
    if len(p.window):
        months = span_text(labels, p.window.start, p.window.stop - 1)
        for k, tier in enumerate((*s.tiers, "total")):
            total = k == len(s.tiers)
            mixed = (
                NA("tiers' rates come from the plan") if total and p.rates_from_plan[k] else None
            )
            rows.append(
                (
                    tier,
                    months,
                    float(p.new_mrr[k]),
                    mixed or float(p.churn_rate[k]),
                    mixed or float(p.expansion_rate[k]),
                    "plan" if p.rates_from_plan[k] else "actuals",
                    float(p.arr_now[k]),
                )
            )
    notes = [
        "New MRR: a month, the mean of the last months of actuals (up to 3).  Churn, a month: "
        "churned MRR / MRR at each month's start; expansion: expansion MRR / the MRR that stayed, "
        "over the same months (the plan's rates where the file lacks churned or expansion "
        "MRR).  ARR now: 12 × MRR at the last month of actuals."
    ]
    if not len(p.window):
        notes.append(NO_PACE)
    return Table("pace_basis", "The pace of the last months", columns, tuple(rows), 1, tuple(notes))


def pace_table(s: Structure, tracked: Track, labels: list[str]) -> Table:
    """ARR at the year's end and the horizon's end at the pace, against the plan."""
    p = tracked.pace
    columns = (
        Column("tier", "Tier", TEXT),
        Column("month", "Month", TEXT),
        Column("arr", "ARR at pace", MONEY),
        Column("plan_arr", "Plan ARR", MONEY),
        Column("difference", "Difference", MONEY),
        Column("percent", "Difference %", RATE, digits=1),
    )
    rows: list[tuple[Cell, ...]] = []
    if len(p.window):
        for k, tier in enumerate((*s.tiers, "total")):
            for i, t in enumerate(p.months):
                arr, plan = float(p.arr[k, i]), float(p.plan_arr[k, i])
                pct: Cell = (arr - plan) / plan if plan else PLAN_ZERO
                rows.append((tier, labels[t], arr, plan, arr - plan, pct))
    notes = (
        "ARR at pace: from MRR at the last month of actuals, each month "
        "MRR × (1 − churn) × (1 + expansion) + new MRR, at the pace above, to December of "
        "the last actual month's year and to the plan's last month.",
    )
    return Table("pace", "Where ARR ends at this pace", columns, tuple(rows), 2, notes)
