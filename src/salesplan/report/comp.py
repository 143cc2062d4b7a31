"""The tables of ``salesplan comp``: pay per role, what it costs by period (docs/model.md §6–7),
and ramped quotas with quota coverage (§14).

Pay, quota, attainment, pay basis and the pooled share come from the compiled plan; cost
from the engine's cost model; ramped quotas from the people the engine staffed.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.periods import Period, Span, end, spans, total
from salesplan.engine.quota import first_year_quota, months_to_full, quota_coverage
from salesplan.engine.structure import month_labels
from salesplan.report.table import NA, Cell, Column, Kind, Report, Table, with_meta

if TYPE_CHECKING:
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

NO_QUOTA = NA("no quota: the role carries none")
NO_VARIABLE = NA("no variable pay")
NO_OTE = NA("no OTE: quota : OTE is undefined")
NO_BOOKINGS = NA("no new bookings in the tiers and motions it works")


def comp_report(evaluation: Evaluation, period: Period = Period.QUARTER) -> Report:
    """Return pay per role (OTE, split, quota, commission rate …) and its cost by period."""
    v = evaluation.plan
    s = v.structure
    meta = {"currency": s.currency, "plan": s.plan_name, "period": period.value}
    periods = spans(s.start, s.months, period)
    tables = (
        comp_table(v),
        comp_cost_table(v, periods),
        quota_cohorts_table(v),
        quota_coverage_table(evaluation, periods),
    )
    return Report(
        kind="comp",
        title=f"Compensation: {s.plan_name}",
        tables=with_meta(tables, meta),
        meta=meta,
    )


def comp_table(v: PlanView) -> Table:
    """Role: OTE, base, variable, quota, commission rate, quota : OTE, pay basis, cost a head."""
    s, p, costs = v.structure, v.params, v.costs
    columns = (
        Column("role", "Role", TEXT),
        Column("function", "Function", TEXT),
        Column("ote", "OTE", MONEY),
        Column("base_rate", "Base share", RATE),
        Column("base", "Base", MONEY),
        Column("variable", "Variable", MONEY),
        Column("quota", "Quota", MONEY),
        Column("commission_rate", "Commission rate", RATE, digits=1),
        Column("quota_ote", "Quota : OTE", NUMBER, digits=1),
        Column("pay_basis", "Pay basis", TEXT),
        Column("pooled_rate", "Team-pooled share", RATE),
        Column("attainment_rate", "Attainment", RATE),
        Column("burden_rate", "Burden", RATE),
        Column("tools_per_month", "Tools", MONEY, "a month"),
        Column("cost_per_head_month", "Loaded cost per head", MONEY, "a month"),
        Column("cost_per_hire", "Cost per hire", MONEY),
    )
    rows: list[tuple[Cell, ...]] = []
    for r, role in enumerate(s.roles):
        ote = float(p.ote[r])
        base = ote * float(p.base_share[r])
        variable = ote - base
        quota = float(p.quota[r]) if p.quota[r] else None
        commission: Cell
        if quota is None:
            commission = NO_QUOTA
        elif variable <= 0:
            commission = NO_VARIABLE
        else:
            commission = variable / quota
        rows.append(
            (
                role,
                _function(s.role_function[r], float(p.acquisition_share[r])),
                ote,
                float(p.base_share[r]),
                base,
                variable,
                quota if quota is not None else NO_QUOTA,
                commission,
                NO_QUOTA if quota is None else _quota_ote(quota, ote),
                s.role_pay_basis[r].replace("_", " ") if quota is not None else NO_QUOTA,
                float(p.pooled_share[r]),
                float(p.attainment[r]) if quota is not None else NO_QUOTA,
                float(p.burden_rate[r]),
                float(p.tools_per_month[r]),
                float(costs.per_head[r]),
                float(p.cost_per_hire[r]),
            )
        )
    return Table(
        "comp",
        "Compensation by role",
        tuple(columns),
        tuple(rows),
        key_columns=1,
        notes=(
            "Per person a year unless marked; commission rate = variable / quota; loaded "
            "cost = (base + variable x payout) / 12 x (1 + burden) + tools, payout 1 at plan.",
        ),
    )


def _function(function: str, acquisition_share: float) -> str:
    """Return a role's function, with the split when it is split.

    >>> _function("split", 0.25)
    'split (25% acquisition)'
    """
    if function == "split":
        return f"split ({acquisition_share:.0%} acquisition)"
    return function


def comp_cost_table(v: PlanView, periods: list[Span]) -> Table:
    """Role x period: heads, base, variable, burden, tools, hiring and total cost."""
    s, p, costs = v.structure, v.params, v.costs
    columns = (
        Column("role", "Role", TEXT),
        Column("period", "Period", TEXT),
        Column("heads", "Heads", COUNT),
        Column("base_cost", "Base", MONEY),
        Column("variable_cost", "Variable", MONEY),
        Column("burden_cost", "Burden", MONEY),
        Column("tools_cost", "Tools", MONEY),
        Column("hiring_cost", "Hiring", MONEY),
        Column("cost", "Total", MONEY),
    )
    rows: list[tuple[Cell, ...]] = []
    sums = np.zeros((len(periods), 6))  # base, variable, burden, tools, hiring, total
    for r, role in enumerate(s.roles):
        heads = v.heads[r]
        base = float(p.ote[r] * p.base_share[r])
        variable = float((p.ote[r] - base) * p.payout_rate[r])
        monthly = (
            heads * base / 12.0,
            heads * variable / 12.0,
            heads * (base + variable) / 12.0 * float(p.burden_rate[r]),
            heads * float(p.tools_per_month[r]),
            costs.hiring[r],
            costs.role_cost[r],
        )
        for i, span in enumerate(periods):
            values = [float(total(v, span)) for v in monthly]
            sums[i] += values
            rows.append((role, span.label, float(end(heads, span)), *values))
    all_heads = v.heads.sum(axis=0)
    for i, span in enumerate(periods):
        rows.append(("total", span.label, float(end(all_heads, span)), *map(float, sums[i])))
    return Table(
        "comp_cost",
        "Compensation cost by role",
        columns,
        tuple(rows),
        key_columns=2,
        notes=("Heads at the period's end; costs are totals over the period's months.",),
    )


def _quota_ote(quota: float, ote: float) -> Cell:
    """Return quota : OTE, undefined without an OTE (or one too small to divide by)."""
    ratio = quota / ote if ote > 0 else math.inf
    return ratio if math.isfinite(ratio) else NO_OTE


def quota_cohorts_table(v: PlanView) -> Table:
    """Role x start month: each hire cohort's ramped first-year quota (docs/model.md §14).

    A start carries ``quota / 12 × Σ_{k<12} q(k)`` in its first twelve months of tenure,
    ``q`` the role's quota ramp (``comp.quota_ramp``); opening heads carry the whole quota.
    """
    s, p = v.structure, v.params
    labels = month_labels(s.start, s.months)
    columns = (
        Column("role", "Role", TEXT),
        Column("start_month", "Start month", TEXT),
        Column("starts", "Starts", COUNT),
        Column("first_year_quota", "Ramped first-year quota", MONEY, "a head"),
        Column("ramped_rate", "Of full quota", RATE, digits=1),
        Column("cohort_quota", "Cohort's first-year quota", MONEY),
    )
    rows: list[tuple[Cell, ...]] = []
    notes = []
    for r, role in enumerate(s.roles):
        quota = float(p.quota[r])
        if quota <= 0:
            continue
        curve = p.quota_ramp[r]
        first = float(first_year_quota(np.array(quota), curve))
        full = int(months_to_full(curve))
        steps = ", ".join(f"{x:.0%}" for x in curve[:full])
        ramp = f"{steps}, then 100%" if full else "100% from the start"
        notes.append(f"{role}: {quota:,.0f} a year; by month of tenure {ramp}.")
        for t in range(s.months):
            n = float(v.starts[r, t])
            if n > 0:
                rows.append((role, labels[t], n, first, first / quota, first * n))
    notes.append(
        "A start's first 12 months of tenure carry quota / 12 x the sum of its monthly "
        "shares of quota; opening heads carry the whole quota."
    )
    return Table(
        "quota_cohorts",
        "Ramped first-year quota by hire cohort",
        columns,
        tuple(rows),
        key_columns=2,
        notes=tuple(notes),
    )


def quota_coverage_table(evaluation: Evaluation, periods: list[Span]) -> Table:
    """Quota carrier (and the team) x period: ramped quota, bookings and their ratio."""
    v = evaluation.plan
    s = v.structure
    coverage = quota_coverage(evaluation.result, 0, periods)
    columns = (
        Column("role", "Role", TEXT),
        Column("period", "Period", TEXT),
        Column("ramped_quota", "Ramped quota", MONEY),
        Column("bookings", "New ARR booked", MONEY),
        Column("coverage", "Quota coverage", NUMBER, digits=2),
    )
    names = [s.roles[r] for r in coverage.roles]
    if len(names) > 1:
        names.append("team")
    rows: list[tuple[Cell, ...]] = []
    ratio = coverage.ratio
    for i, name in enumerate(names):
        for j, span in enumerate(periods):
            booked = float(coverage.bookings[i, j])
            rows.append(
                (
                    name,
                    span.label,
                    float(coverage.quota[i, j]),
                    booked,
                    float(ratio[i, j]) if booked > 0 else NO_BOOKINGS,
                )
            )
    return Table(
        "quota_coverage",
        "Quota coverage",
        columns,
        tuple(rows),
        key_columns=2,
        notes=(
            "Quota coverage = the quota the role's people carry in the period, ramped by "
            "tenure, over the new ARR the plan books in the tiers and motions it works; "
            "SP414 warns under 1.0 and over 2.0 in a calendar year.",
        ),
    )
