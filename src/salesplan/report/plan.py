"""``salesplan plan --all``: the first screen (report/screen.py) with heads by role and the
funnel charted too, then every table: summary,
board, headcount, hires, gaps, funnel, pipeline, revenue, then pods, comp, costs and
economics (built in report/pods.py, comp.py and economics.py).

Column names are documented in docs/tables.md; they are the CSV headers and JSON keys.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.gaps import cap_bound, capacity_gaps, hiring_capped
from salesplan.engine.periods import Period, Span, end, mean, spans, total
from salesplan.engine.structure import FloatArray, month_label, month_labels
from salesplan.report.board import board_table
from salesplan.report.bottleneck import bottleneck_tables
from salesplan.report.comp import comp_table
from salesplan.report.economics import costs_table, economics_table
from salesplan.report.outcomes import first_year_revenue
from salesplan.report.pods import pods_table
from salesplan.report.screen import funnel_chart, heads_chart, screen_report
from salesplan.report.table import NA, Cell, Column, Kind, Report, Table, with_meta

if TYPE_CHECKING:
    from salesplan.engine.outlook import Outlook
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER


def plan_report(evaluation: Evaluation, outlook: Outlook, period: Period) -> Report:
    """Return the whole plan report of an evaluation: the first screen, then every table."""
    v = evaluation.plan
    s = v.structure
    periods = spans(s.start, s.months, period)
    meta = {"currency": s.currency, "plan": s.plan_name, "period": period.value}
    screen = screen_report(evaluation, outlook)
    tables = (
        *screen.tables,
        summary_table(v),
        board_table(evaluation),
        headcount_table(v, periods),
        hires_table(v),
        gaps_table(v),
        funnel_table(v, periods),
        pipeline_table(v),
        revenue_table(v, periods),
        pods_table(v, s.months - 1),
        comp_table(v),
        costs_table(v, periods),
        economics_table(evaluation, periods),
        *bottleneck_tables(evaluation, periods),
    )
    charts = (*screen.charts, heads_chart(v), funnel_chart(v))
    # No footer: every table is here already.
    return replace(screen, tables=with_meta(tables, meta), meta=meta, charts=charts, footer=())


def summary_table(v: PlanView) -> Table:
    """One row: the target, the solved new MRR and what the plan takes to get there."""
    s = v.structure
    T = s.months
    rev = v.revenue
    first_year = first_year_revenue(v)
    columns = [
        Column("target_kind", "Target", TEXT),
        Column("target", "Target value", MONEY),
        Column("new_mrr_per_month", "New MRR, month 1", MONEY),
        Column("growth_rate", "Monthly growth of new MRR", RATE, digits=1),
        Column("first_year_revenue", "First-year revenue", MONEY),
        Column("ending_arr", "Ending ARR", MONEY),
        Column("new_customers", "New customers", COUNT),
        *(Column(f"new_customers_{tier}", f"New customers: {tier}", COUNT) for tier in s.tiers),
        Column("heads_start", "Heads at start", COUNT),
        Column("heads_end", "Heads at end", COUNT),
        Column("starts", "Starts (hires)", COUNT),
        Column("requisitions", "Requisitions", COUNT),
        Column("gap_months", "Role-months short", COUNT),
    ]
    row: list[Cell] = [
        s.target_kind,
        float(v.params.target_value),
        float(rev.new_mrr[:, 0].sum()),
        float(v.params.growth_rate_monthly),
        None if isinstance(first_year, NA) else first_year,
        float(12 * rev.mrr[:, T - 1].sum()),
        float(rev.new_customers[:, :T].sum()),
        *(float(rev.new_customers[k, :T].sum()) for k in range(len(s.tiers))),
        float(v.params.opening_heads.sum()),
        float(v.heads[:, T - 1].sum()),
        float(v.starts[:, :T].sum()),
        float(v.reqs_opened[:, :T].sum() + v.reqs_before.sum()),
        int((v.gap[:, :T] > 0).sum()),
    ]
    return Table("summary", "Summary", tuple(columns), (tuple(row),), key_columns=1)


def headcount_table(v: PlanView, periods: list[Span]) -> Table:
    """Role x period: heads at the end, starts, departures, requisitions, capacity vs need."""
    s = v.structure
    columns = (
        Column("role", "Role", TEXT),
        Column("period", "Period", TEXT),
        Column("heads", "Heads", COUNT),
        Column("starts", "Starts", COUNT),
        Column("departures", "Departures", COUNT),
        Column("reqs_opened", "Reqs opened", COUNT),
        Column("capacity_fte", "Capacity", COUNT, "FTE", 1),
        Column("need_fte", "Need", COUNT, "FTE", 1),
        Column("coverage", "Coverage", RATE),
        Column("gap_fte", "Gap", COUNT, "FTE", 1),
    )
    rows: list[tuple[Cell, ...]] = []
    for r, role in enumerate(s.roles):
        for span in periods:
            cap = float(mean(v.capacity[r], span))
            need = float(mean(v.staffed_need[r], span))
            rows.append(
                (
                    role,
                    span.label,
                    float(end(v.heads[r], span)),
                    float(total(v.starts[r], span)),
                    float(total(v.departures[r], span)),
                    float(total(v.reqs_opened[r], span)),
                    cap,
                    need,
                    cap / need if need > 0 else None,
                    float(v.gap[r, span.months].max()),
                )
            )
    return Table(
        "headcount",
        "Headcount by role",
        columns,
        tuple(rows),
        key_columns=2,
        notes=(
            "Heads at the period's end; capacity and need are monthly averages "
            "in fully ramped FTE; gap is the largest monthly shortfall no hire "
            "could cover in time.",
        ),
    )


def hires_table(v: PlanView) -> Table:
    """Every start month by role with the month its requisitions open; in a plan that caps
    its hiring, also what the caps change against the same plan without them (docs/model.md
    §14): the starts it would have, the cap that held starts back, and the heads and cost
    over it in that month (their sums are the extra head-months and what they cost)."""
    s = v.structure
    year, month = (int(x) for x in s.start.split("-"))
    labels = month_labels(s.start, s.months)
    capped = hiring_capped(v)
    columns: tuple[Column, ...] = (
        Column("role", "Role", TEXT),
        Column("start_month", "Start month", TEXT),
        Column("starts", "Starts", COUNT),
        Column("req_month", "Requisition opens", TEXT),
        Column("lead_months", "Lead time", NUMBER, "months"),
        Column("from_open_reqs", "From reqs already open", COUNT),
    )
    if capped:
        columns += (
            Column("uncapped_starts", "Starts without caps", COUNT),
            Column("capped_by", "Held back by", TEXT),
            Column("extra_heads", "Heads over uncapped", COUNT),
            Column("extra_cost", "Cost over uncapped", MONEY),
        )
    rows: list[tuple[Cell, ...]] = []
    notes = ["Requisitions open the hiring lead time before the start month."]
    per_head, per_hire = v.costs.per_head, v.params.cost_per_hire
    extra_total = months_total = 0.0
    for r, role in enumerate(s.roles):
        lead = int(v.params.lead_months[r])
        from_open = float(v.reqs_before[r])
        extra = v.heads[r, : s.months] - v.free_heads[r, : s.months]
        cost = extra * float(per_head[r]) + (
            v.starts[r, : s.months] - v.free_starts[r, : s.months]
        ) * float(per_hire[r])
        for t in range(s.months):
            n = float(v.starts[r, t])
            caps = cap_bound(v, r, t)
            if n <= 0 and v.free_starts[r, t] <= 0 and not caps and not extra[t]:
                continue
            used = min(n, from_open)
            from_open -= used
            if n <= 0:
                req = ""
            else:
                req = "already open" if used == n else month_label(year, month, t - lead)
            row: tuple[Cell, ...] = (role, labels[t], n, req, lead, used)
            if capped:
                row += (
                    float(v.free_starts[r, t]),
                    " and ".join(caps),
                    float(extra[t]),
                    float(cost[t]),
                )
            rows.append(row)
        if extra.any() or cost.any():
            months_total += float(extra.sum())
            extra_total += float(cost.sum())
            notes.append(
                f"Hiring caps give {role} {extra.sum():+,.0f} head-months and "
                f"{cost.sum():+,.0f} {s.currency} of cost against the plan without them."
            )
    if len(notes) > 1:
        notes.append(
            "Caps move starts earlier, to the latest months they fit in; heads and cost over "
            f"uncapped are against the same plan without its caps (in all: {months_total:+,.0f} "
            f"head-months, {extra_total:+,.0f} {s.currency})."
        )
    return Table(
        "hires",
        "Hiring plan",
        columns,
        tuple(rows),
        key_columns=2,
        notes=tuple(notes),
    )


def gaps_table(v: PlanView) -> Table:
    """Every month a role is short of capacity, with the shortfall."""
    s = v.structure
    year, month = (int(x) for x in s.start.split("-"))
    labels = month_labels(s.start, s.months)
    columns = (
        Column("role", "Role", TEXT),
        Column("month", "Month", TEXT),
        Column("need_fte", "Need", COUNT, "FTE", 1),
        Column("capacity_fte", "Capacity", COUNT, "FTE", 1),
        Column("shortfall_fte", "Shortfall", COUNT, "FTE", 1),
        Column("req_should_have_opened", "Reqs should have opened", TEXT),
    )
    rows: list[tuple[Cell, ...]] = []
    for gap in capacity_gaps(v):
        r = gap.role
        for t, short in zip(gap.months, gap.shortfall_fte, strict=True):
            rows.append(
                (
                    s.roles[r],
                    labels[t],
                    float(v.staffed_need[r, t]),
                    float(v.capacity[r, t]),
                    short,
                    month_label(year, month, t - gap.ahead_months),
                )
            )
    return Table(
        "gaps",
        "Capacity gaps",
        columns,
        tuple(rows),
        key_columns=2,
        notes=("Months before hiring lead time plus ramp, where no start can help.",),
    )


def funnel_table(v: PlanView, periods: list[Span]) -> Table:
    """Tier x motion x stage x period: entries into each stage, then wins."""
    s = v.structure
    fun = v.funnel
    columns = (
        Column("tier", "Tier", TEXT),
        Column("motion", "Motion", TEXT),
        Column("stage", "Stage", TEXT),
        Column("period", "Period", TEXT),
        Column("volume", "Entries", COUNT),
    )
    rows: list[tuple[Cell, ...]] = []
    for m, (tier, motion) in enumerate(s.cells):
        stage_rows = [j for j, (cell, _) in enumerate(s.stages) if cell == m]
        for span in periods:
            for j in stage_rows:
                rows.append(
                    (tier, motion, s.stages[j][1], span.label, float(total(fun.volume[j], span)))
                )
            rows.append((tier, motion, "won", span.label, float(total(fun.wins[m], span))))
    return Table("funnel", "Funnel volumes", columns, tuple(rows), key_columns=4)


def pipeline_table(v: PlanView) -> Table:
    """Each stage's lag to won, conversion to won and the pipeline needed at the start."""
    s = v.structure
    fun = v.funnel
    columns = (
        Column("tier", "Tier", TEXT),
        Column("motion", "Motion", TEXT),
        Column("stage", "Stage", TEXT),
        Column("rate", "Rate to next", RATE, digits=1),
        Column("to_win", "Rate to won", RATE, digits=2),
        Column("lag_months", "Months to won", NUMBER, "months", 1),
        Column("opening_pipeline", "Pipeline at start", COUNT),
    )
    rows = tuple(
        (
            s.cells[cell][0],
            s.cells[cell][1],
            name,
            float(v.params.stage_rate[j]),
            float(fun.to_win[j]),
            float(fun.lag[j]),
            float(fun.opening[j]),
        )
        for j, (cell, name) in enumerate(s.stages)
    )
    return Table(
        "pipeline",
        "Opening pipeline",
        columns,
        rows,
        key_columns=3,
        notes=(
            "Pipeline at start: what must already be in each stage at month 1 "
            "for the first months' wins.",
        ),
    )


def revenue_table(v: PlanView, periods: list[Span]) -> Table:
    """Tier x period: MRR, ARR, customers, new, churned and expansion."""
    s = v.structure
    rev = v.revenue
    columns = (
        Column("tier", "Tier", TEXT),
        Column("period", "Period", TEXT),
        Column("mrr", "MRR", MONEY),
        Column("arr", "ARR", MONEY),
        Column("customers", "Customers", COUNT),
        Column("new_customers", "New", COUNT),
        Column("churned_customers", "Churned", COUNT),
        Column("new_mrr", "New MRR", MONEY),
        Column("churned_mrr", "Churned MRR", MONEY),
        Column("expansion_mrr", "Expansion MRR", MONEY),
    )
    rows: list[tuple[Cell, ...]] = []
    for k, tier in enumerate((*s.tiers, "total")):
        mrr, customers = _tier_series(rev.mrr, k), _tier_series(rev.customers, k)
        flows = [
            _tier_series(a, k)
            for a in (
                rev.new_customers,
                rev.churned_customers,
                rev.new_mrr,
                rev.churned_mrr,
                rev.expansion_mrr,
            )
        ]
        for span in periods:
            rows.append(
                (
                    tier,
                    span.label,
                    float(end(mrr, span)),
                    12 * float(end(mrr, span)),
                    float(end(customers, span)),
                    *(float(total(f, span)) for f in flows),
                )
            )
    return Table(
        "revenue",
        "Revenue by tier",
        columns,
        tuple(rows),
        key_columns=2,
        notes=("MRR, ARR and customers at the period's end; the rest are totals.",),
    )


def _tier_series(values: FloatArray, k: int) -> FloatArray:
    """Return one tier's series [TE], or the sum over tiers when k is past them."""
    if k >= values.shape[0]:
        return np.asarray(values.sum(axis=0))
    return np.asarray(values[k])
