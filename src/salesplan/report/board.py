"""The figures a board asks for, by calendar year and over the whole plan (docs/model.md,
"Board figures"): revenue, the whole S&M cost and its share of revenue, new and net new
ARR, the magic number, CAC and payback, retention, capped LTV, time to profitability and
new ARR per ramped quota carrier.

Blended over all tiers; the tiers' own figures are in the economics table.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from salesplan.engine.periods import Period, spans
from salesplan.engine.structure import FloatArray
from salesplan.report.table import NA, Cell, Column, Kind, Table

if TYPE_CHECKING:
    from salesplan.engine.economics import UnitEconomics
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

WHOLE_PLAN = "plan"
NO_NEW = NA("no new customers in the period")
NO_REVENUE = NA("no revenue in the period")
FIRST_YEAR = NA("first year: no previous year's S&M cost")
NOT_FOR_PLAN = NA("the whole plan has no previous period of equal length")
NO_PREVIOUS_COST = NA("no S&M cost in the previous year")
NO_MRR = NA("no MRR at the period's start")
NEVER_PROFITABLE = NA("margin does not cover the retention cost: never profitable")
NO_CARRIERS = NA("no role carries a quota")

COLUMNS = (
    Column("period", "Period", TEXT),
    Column("revenue", "Revenue", MONEY),
    Column("sm_cost", "S&M cost", MONEY),
    Column("people_cost", "People", MONEY),
    Column("marketing_cost", "Marketing", MONEY),
    Column("programme_cost", "Programmes", MONEY),
    Column("sm_revenue_rate", "S&M / revenue", RATE),
    Column("new_arr", "New ARR", MONEY),
    Column("net_new_arr", "Net new ARR", MONEY),
    Column("ending_arr", "Ending ARR", MONEY),
    Column("magic_number", "Magic number", NUMBER, digits=2),
    Column("cac", "CAC", MONEY),
    Column("payback_months", "CAC payback", NUMBER, "months", 1),
    Column("grr_rate", "GRR", RATE, digits=1),
    Column("nrr_rate", "NRR", RATE, digits=1),
    Column("ltv_capped", "LTV (capped)", MONEY),
    Column("ltv_cac", "LTV : CAC", NUMBER, digits=1),
    Column("time_to_profit_months", "Time to profit", NUMBER, "months", 1),
    Column("new_arr_per_quota_carrier", "New ARR a year per ramped quota carrier", MONEY),
)


def board_table(evaluation: Evaluation) -> Table:
    """Year (then the whole plan): the board's figures, blended over the tiers."""
    s = evaluation.plan.structure
    years = spans(s.start, s.months, Period.YEAR)
    by_year = evaluation.economics([(y.first, y.last) for y in years])
    whole = evaluation.whole_plan.economics
    rows = [_row(y.label, by_year, i, FIRST_YEAR) for i, y in enumerate(years)]
    rows.append(_row(WHOLE_PLAN, whole, 0, NOT_FOR_PLAN))
    lag = s.cac_lag_months
    notes = [
        "S&M cost = people (loaded, with hiring) + marketing + programmes; S&M / revenue "
        "over the same months.  Magic number = net new ARR / the previous year's S&M cost.",
        "GRR and NRR: what a cohort of MRR keeps in 12 months with no new customers, "
        "weighted by each tier's MRR at the period's start; LTV capped at "
        f"{evaluation.plan.params.ltv_cap_months / 12:g} years; LTV : CAC on the capped LTV.",
    ]
    if lag:
        notes.append(f"CAC and payback count acquisition cost {lag} month(s) before the wins.")
    return Table(
        "board",
        "Board figures",
        COLUMNS,
        tuple(rows),
        key_columns=1,
        notes=tuple(notes),
    )


def _row(label: str, e: UnitEconomics, i: int, no_previous: NA) -> tuple[Cell, ...]:
    """Return the board's cells for one period of ``e`` (blended row)."""
    k = e.sm_cost.shape[0] - 1

    def at(a: FloatArray) -> float:
        return float(a[k, i])

    def defined(value: float, na: NA) -> Cell:
        return value if math.isfinite(value) else na

    no_new = at(e.new_customers) <= 1e-9
    return (
        label,
        at(e.revenue),
        at(e.sm_cost),
        at(e.people),
        at(e.marketing),
        at(e.programmes),
        defined(at(e.sm_share), NO_REVENUE),
        at(e.new_arr),
        at(e.net_new_arr),
        at(e.arr_end),
        defined(at(e.magic_number), no_previous if i == 0 else NO_PREVIOUS_COST),
        defined(at(e.cac), NO_NEW),
        defined(at(e.payback_months), NO_NEW),
        defined(at(e.grr), NO_MRR),
        defined(at(e.nrr), NO_MRR),
        defined(at(e.ltv_capped), NO_NEW),
        defined(at(e.ltv_cac), NO_NEW),
        defined(at(e.time_to_profit_months), NO_NEW if no_new else NEVER_PROFITABLE),
        defined(at(e.new_arr_per_quota_carrier), NO_CARRIERS),
    )
