"""The tables of ``salesplan economics``: the board's figures by year, CAC, CRC, payback, LTV,
retention and the magic number per tier and period, and the costs behind them
(docs/model.md, "Cost" and "Unit economics").

The engine (``salesplan.engine.economics``) gives the numbers, with NaN where a figure is
undefined; here each undefined figure becomes ``NA`` with the reason a reader needs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

from salesplan.engine.cost import MIN_CUSTOMERS
from salesplan.engine.economics import UnitEconomics
from salesplan.engine.periods import Period, Span, end, spans, total
from salesplan.engine.structure import FloatArray
from salesplan.report.board import board_table
from salesplan.report.table import NA, Cell, Column, Kind, Report, Table, ranked, with_meta

if TYPE_CHECKING:
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

BLENDED = "blended"
NO_NEW = NA("no new customers in the period")
NO_ACTIVE = NA("no active customers in the period")
NO_REVENUE = NA("no revenue in the period")
NO_RETENTION = NA("no retention cost in the period")
NO_CHURN = NA("no churn: lifetime value is unbounded")
NO_ACQUISITION = NA("no acquisition cost in the period")
FIRST_PERIOD = NA("first period: no previous period's S&M cost")
NO_PREVIOUS_COST = NA("no S&M cost in the previous period")
NEVER_PROFITABLE = NA("margin does not cover the retention cost: never profitable")
NO_MRR = NA("no MRR at the period's start")


def economics_report(evaluation: Evaluation, period: Period = Period.QUARTER) -> Report:
    """Return unit economics per tier and period, the cost by role and marketing by motion."""
    v = evaluation.plan
    s = v.structure
    periods = spans(s.start, s.months, period)
    meta = {"currency": s.currency, "plan": s.plan_name, "period": period.value}
    tables = (
        board_table(evaluation),
        economics_table(evaluation, periods),
        costs_table(v, periods),
        marketing_table(v, periods),
    )
    return Report(
        kind="economics",
        title=f"Unit economics: {s.plan_name}",
        tables=with_meta(tables, meta),
        meta=meta,
    )


def _defined(value: float, *reasons: tuple[bool, NA]) -> Cell:
    """Return a finite value, else the NA of the first reason that holds."""
    if math.isfinite(value):
        return value
    for holds, na in reasons:
        if holds:
            return na
    return NA("undefined")


def economics_table(evaluation: Evaluation, periods: Sequence[Span]) -> Table:
    """Tier (then blended) x period: new customers, CAC, CRC, payback, LTV, magic number."""
    v = evaluation.plan
    s = v.structure
    e = evaluation.economics([(x.first, x.last) for x in periods])
    cap = f"LTV, {v.params.ltv_cap_months / 12:g}-year cap"
    named = (
        Column("tier", "Tier", TEXT),
        Column("period", "Period", TEXT),
        Column("new_customers", "New customers", COUNT, digits=1),
        Column("marketing_cost", "Marketing", MONEY),
        Column("sales_cost", "Sales (acquisition)", MONEY),
        Column("programme_cost", "Programmes (acquisition)", MONEY),
        Column("acquisition_cost", "Acquisition cost", MONEY),
        Column("cac", "CAC", MONEY),
        Column("retention_cost", "Retention cost", MONEY),
        Column("average_customers", "Average customers", COUNT),
        Column("crc", "CRC per customer", MONEY),
        Column("crc_revenue_rate", "CRC / revenue", RATE, digits=1),
        Column("cac_crc", "CAC : CRC", NUMBER, digits=1),
        Column("payback_months", "CAC payback", NUMBER, "months", 1),
        Column("ltv", "LTV, uncapped", MONEY),
        Column("ltv_capped", cap, MONEY),
        Column("ltv_cac", "LTV : CAC", NUMBER, digits=1),
        Column("grr_rate", "GRR", RATE, digits=1),
        Column("nrr_rate", "NRR", RATE, digits=1),
        Column("time_to_profit_months", "Time to profit", NUMBER, "months", 1),
        Column("net_new_arr", "Net new ARR", MONEY),
        Column("magic_number", "Magic number", NUMBER, digits=2),
    )
    # Too narrow for all: what a customer costs and returns before how it adds up.
    columns = ranked(
        named,
        ("new_customers", "cac", "payback_months", "ltv_cac", "crc", "nrr_rate", "magic_number"),
    )
    rows: list[tuple[Cell, ...]] = []
    for k, tier in enumerate((*s.tiers, BLENDED)):
        for i, span in enumerate(periods):
            rows.append((tier, span.label, *_economics_row(v, e, k, i)))
    return Table(
        "economics",
        "Unit economics by tier",
        columns,
        tuple(rows),
        key_columns=2,
        notes=(
            "CAC = (marketing + acquisition cost of the roles) / new customers in the period; "
            "CRC = retention cost in the period / average active customers, and / the sum "
            "of the tier's MRR in the period.",
            "Payback = CAC / (MRR per new customer x gross margin); LTV = MRR x gross margin "
            "/ monthly churn, capped: over the cap's months only; LTV : CAC uses the capped "
            "LTV; blended: over all tiers' new customers.",
            "GRR = (1 - churn)^12 and NRR = ((1 - churn)(1 + expansion))^12 of a cohort of "
            "MRR; blended by each tier's MRR at the period's start.  Time to profit = (CAC + "
            "onboarding) / (MRR x gross margin - CRC a customer-month).",
            "Magic number = net new ARR in the period / S&M cost of the previous period, "
            "each per month of its period.",
        ),
    )


def _economics_row(v: PlanView, e: UnitEconomics, k: int, i: int) -> list[Cell]:
    """Return the value cells of one tier (or blended, k = K) and period."""
    K = len(v.structure.tiers)

    def at(a: FloatArray) -> float:
        return float(a[k, i])

    no_new = at(e.new_customers) <= MIN_CUSTOMERS
    no_active = at(e.average_customers) <= MIN_CUSTOMERS
    churn = v.params.churn_rate_monthly
    if k < K:
        no_churn = bool(churn[k] <= 0)
    else:
        won = e.new_customers[:K, i] > MIN_CUSTOMERS
        no_churn = bool((won & (churn <= 0)).any())
    cac = _defined(at(e.cac), (no_new, NO_NEW))
    crc = _defined(at(e.crc), (no_active, NO_ACTIVE))
    ltv = _defined(at(e.ltv), (no_churn, NO_CHURN), (no_new, NO_NEW))
    capped = _defined(at(e.ltv_capped), (no_new, NO_NEW))
    return [
        at(e.new_customers),
        at(e.marketing),
        at(e.sales_acquisition),
        at(e.programme_acquisition),
        at(e.acquisition),
        cac,
        at(e.retention),
        at(e.average_customers),
        crc,
        _defined(at(e.crc_share), (True, NO_REVENUE)),
        _defined(
            at(e.cac_crc),
            (isinstance(cac, NA), cac if isinstance(cac, NA) else NO_NEW),
            (isinstance(crc, NA), crc if isinstance(crc, NA) else NO_ACTIVE),
            (True, NO_RETENTION),
        ),
        _defined(at(e.payback_months), (no_new, NO_NEW)),
        ltv,
        capped,
        _defined(
            at(e.ltv_cac),
            (isinstance(capped, NA), capped if isinstance(capped, NA) else NO_NEW),
            (isinstance(cac, NA), cac if isinstance(cac, NA) else NO_NEW),
            (True, NO_ACQUISITION),
        ),
        _defined(at(e.grr), (True, NO_MRR)),
        _defined(at(e.nrr), (True, NO_MRR)),
        _defined(at(e.time_to_profit_months), (no_new, NO_NEW), (True, NEVER_PROFITABLE)),
        at(e.net_new_arr),
        _defined(at(e.magic_number), (i == 0, FIRST_PERIOD), (True, NO_PREVIOUS_COST)),
    ]


def costs_table(v: PlanView, periods: Sequence[Span]) -> Table:
    """Role x period: heads at the end, cost, and its acquisition and retention parts."""
    s = v.structure
    costs = v.costs
    columns = (
        Column("role", "Role", TEXT),
        Column("period", "Period", TEXT),
        Column("heads", "Heads", COUNT),
        Column("cost", "Cost", MONEY),
        Column("acquisition_cost", "Acquisition", MONEY),
        Column("retention_cost", "Retention", MONEY),
    )
    marketing = costs.marketing.sum(axis=0)
    programmes = costs.programmes.sum(axis=0)
    programme_acq = costs.programme_acquisition.sum(axis=0)
    # (name, heads or None, cost, acquisition part) a month
    series: list[tuple[str, FloatArray | None, FloatArray, FloatArray]] = [
        (role, v.heads[r], costs.role_cost[r], costs.role_acquisition[r])
        for r, role in enumerate(s.roles)
    ]
    series.append(("marketing", None, marketing, marketing))
    if len(s.programmes):
        series.append(("programmes", None, programmes, programme_acq))
    series.append(
        (
            "total",
            v.heads.sum(axis=0),
            costs.total,
            costs.role_acquisition.sum(axis=0) + marketing + programme_acq,
        )
    )
    rows: list[tuple[Cell, ...]] = []
    for name, heads, cost, acquisition in series:
        for span in periods:
            c, a = float(total(cost, span)), float(total(acquisition, span))
            heads_cell: Cell = None if heads is None else float(end(heads, span))
            rows.append((name, span.label, heads_cell, c, a, c - a))
    return Table(
        "costs",
        "Sales and marketing cost",
        columns,
        tuple(rows),
        key_columns=2,
        notes=(
            "Cost of heads (loaded) and hires, over the period; a role's cost is "
            "acquisition or retention by its function (split: by its stated share; "
            "overhead: in the proportions of the rest of the month's cost).",
        ),
    )


def marketing_table(v: PlanView, periods: Sequence[Span]) -> Table:
    """Tier x motion x period: entries into the first stage, their cost and programme spend."""
    s, p, costs = v.structure, v.params, v.costs
    columns = (
        Column("tier", "Tier", TEXT),
        Column("motion", "Motion", TEXT),
        Column("period", "Period", TEXT),
        Column("entries", "Entries", COUNT),
        Column("cost_per_entry", "Cost per entry", MONEY, digits=2),
        Column("entry_cost", "Entry cost", MONEY),
        Column("programme_cost", "Programme", MONEY),
        Column("marketing_cost", "Marketing", MONEY),
    )
    rows: list[tuple[Cell, ...]] = []
    for m, (tier, motion) in enumerate(s.cells):
        per_entry = float(p.cost_per_entry[m])
        for span in periods:
            entries = float(total(costs.entries[m], span))
            months = span.last - span.first + 1
            rows.append(
                (
                    tier,
                    motion,
                    span.label,
                    entries,
                    per_entry,
                    entries * per_entry,
                    months * float(p.programme_per_month[m]),
                    float(total(costs.marketing[m], span)),
                )
            )
    return Table(
        "marketing",
        "Marketing by motion",
        columns,
        tuple(rows),
        key_columns=3,
        notes=("Entries into each motion's first stage; programme spend is per month.",),
    )
