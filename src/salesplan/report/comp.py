"""The tables of ``salesplan comp``: pay per role and what it costs by period (MODEL.md §6–7).

Quota, attainment, pay basis and the pooled share are read from the plan (the engine folds
quota and attainment into a capacity); cost comes from the engine's cost model.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from salesplan.engine.cost import Costs, plan_costs
from salesplan.report.periods import Period, Span, end, spans, total
from salesplan.report.table import NA, Cell, Column, Kind, Report, Table

if TYPE_CHECKING:
    from salesplan.api import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

NO_QUOTA = NA("no quota: the role carries none")
NO_VARIABLE = NA("no variable pay")
NO_OTE = NA("no OTE: quota : OTE is undefined")


def comp_report(evaluation: Evaluation, period: Period = Period.QUARTER) -> Report:
    """Return pay per role (OTE, split, quota, commission rate …) and its cost by period."""
    result = evaluation.result
    s = result.structure
    costs = plan_costs(result)
    meta = {"currency": s.currency, "plan": s.plan_name, "period": period.value}
    tables = (
        comp_table(evaluation, costs),
        comp_cost_table(evaluation, costs, spans(s.start, s.months, period)),
    )
    return Report(
        kind="comp",
        title=f"Compensation: {s.plan_name}",
        tables=tuple(
            Table(t.name, t.title, t.columns, t.rows, t.key_columns, t.notes, meta) for t in tables
        ),
        meta=meta,
    )


def _point(value: Any) -> float:
    """Return the likely value of a plan number that may be a range."""
    from salesplan.schema import point

    return float(point(value))


def comp_table(evaluation: Evaluation, costs: Costs) -> Table:
    """Role: OTE, base, variable, quota, commission rate, quota : OTE, pay basis, cost a head."""
    result = evaluation.result
    s, p = result.structure, result.params
    plan = evaluation.loaded.plan
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
        comp = plan.roles[role].comp
        ote = float(p.ote[0, r])
        base = ote * float(p.base_share[0, r])
        variable = ote - base
        quota = float(comp.quota) if comp.quota else None
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
                _function(s.role_function[r], float(p.acquisition_share[0, r])),
                ote,
                float(p.base_share[0, r]),
                base,
                variable,
                quota if quota is not None else NO_QUOTA,
                commission,
                NO_QUOTA if quota is None else quota / ote if ote > 0 else NO_OTE,
                comp.pay_basis.replace("_", " ") if quota is not None else NO_QUOTA,
                float(comp.pooled_share),
                _point(comp.attainment) if quota is not None else NO_QUOTA,
                float(p.burden[0, r]),
                float(p.tools[0, r]),
                float(costs.per_head[0, r]),
                float(p.cost_per_hire[0, r]),
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


def comp_cost_table(evaluation: Evaluation, costs: Costs, periods: list[Span]) -> Table:
    """Role x period: heads, base, variable, burden, tools, hiring and total cost."""
    result = evaluation.result
    s, p = result.structure, result.params
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
        heads = result.heads[0, r]
        base = float(p.ote[0, r] * p.base_share[0, r])
        variable = float((p.ote[0, r] - base) * p.payout[0, r])
        monthly = (
            heads * base / 12.0,
            heads * variable / 12.0,
            heads * (base + variable) / 12.0 * float(p.burden[0, r]),
            heads * float(p.tools[0, r]),
            costs.hiring[0, r],
            costs.role_cost[0, r],
        )
        for i, span in enumerate(periods):
            values = [float(total(v, span)) for v in monthly]
            sums[i] += values
            rows.append((role, span.label, float(end(heads, span)), *values))
    all_heads = result.heads[0].sum(axis=0)
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
