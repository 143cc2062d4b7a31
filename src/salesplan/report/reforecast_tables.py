"""The tables of ``salesplan reforecast``: the reforecast against the plan for the months left.

Each compares the original plan over months k … T-1 (k the first month after the actuals)
with the re-based plan over the same months, or the plan's state at the end of month k-1
with the actual one.  Column names are the CSV headers and JSON keys (docs/tables.md);
docs/reforecast.md says what each means.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.funnel import in_stage
from salesplan.engine.structure import month_labels
from salesplan.report.outcomes import first_year_revenue
from salesplan.report.table import NA, Cell, Column, Kind, Table

if TYPE_CHECKING:
    from salesplan.engine.view import PlanView
    from salesplan.reforecast.route import Reforecast

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER
NO_PLAN = NA("the target is already met: there is no plan for the months left")


def rest(rf: Reforecast) -> tuple[PlanView, PlanView | None, int]:
    """Return the original plan, the re-based one (None when the target is met) and k."""
    v = rf.original.plan
    ev = rf.evaluation
    return v, None if ev is None else ev.plan, rf.start.state.month


def _row(metric: str, title: str, plan: float, new: float | NA) -> tuple[Cell, ...]:
    diff: Cell = new - plan if isinstance(new, float) else new
    return (metric, title, plan, new, diff)


def _columns(new: str) -> tuple[Column, ...]:
    return (
        Column("metric", "Metric", TEXT, machine=True),
        Column("title", "", TEXT),
        Column("plan", "Plan", MONEY),
        Column("reforecast", new, MONEY),
        Column("difference", "Difference", MONEY),
    )


def money_table(rf: Reforecast) -> Table:
    """Revenue and cost: where the company stands, and the plan against the reforecast."""
    v, b, k = rest(rf)
    T, st = v.months, rf.start.state
    rev = v.revenue

    def new(get: float | None) -> float | NA:
        return NO_PLAN if get is None else float(get)

    rows = [
        _row("arr_now", "ARR now", float(12 * rev.mrr[:, k - 1].sum()), float(12 * st.mrr.sum())),
        _row(
            "revenue_to_date",
            "Revenue to date",
            float(rev.mrr[:, :k].sum()),
            st.revenue_to_date,
        ),
        _row(
            "new_arr_to_date",
            "New ARR booked to date",
            float(12 * rev.new_mrr[:, :k].sum()),
            12 * st.new_mrr_to_date,
        ),
        _row(
            "new_mrr_next",
            "New MRR, first month left",
            float(rev.new_mrr[:, k].sum()),
            new(None if b is None else float(b.revenue.new_mrr[:, 0].sum())),
        ),
        _row(
            "new_arr_rest",
            "New ARR booked in the months left",
            float(12 * rev.new_mrr[:, k:T].sum()),
            new(None if b is None else float(12 * b.revenue.new_mrr[:, : b.months].sum())),
        ),
        _row(
            "ending_arr",
            "Ending ARR",
            float(12 * rev.mrr[:, T - 1].sum()),
            new(None if b is None else float(12 * b.revenue.mrr[:, b.months - 1].sum())),
        ),
    ]
    year = int(v.params.first_year_months)
    if T >= year > k:
        planned = first_year_revenue(v)
        left = None if b is None else first_year_revenue(b)
        rows.append(
            _row(
                "first_year_revenue",
                "First-year revenue",
                float(planned) if isinstance(planned, float) else 0.0,
                NO_PLAN if not isinstance(left, float) else st.revenue_to_date + float(left),
            )
        )
    rows.append(
        _row(
            "sm_cost_rest",
            "S&M cost in the months left",
            float(v.costs.total[k:T].sum()),
            new(None if b is None else float(b.costs.total[: b.months].sum())),
        )
    )
    labels = month_labels(v.structure.start, T)
    return Table(
        "reforecast",
        "The plan against the reforecast",
        _columns("Reforecast"),
        tuple(rows),
        key_columns=2,
        notes=(
            f"Now: the end of {labels[k - 1]}, planned against actual; to date: months "
            f"{labels[0]} to {labels[k - 1]}; the months left: {labels[k]} to {labels[-1]}, "
            "the plan's against the re-based plan's.",
        ),
    )


def people_table(rf: Reforecast) -> Table:
    """Customers, heads and hires: the plan against the reforecast."""
    v, b, k = rest(rf)
    T, st = v.months, rf.start.state

    def new(get: float | None) -> float | NA:
        return NO_PLAN if get is None else float(get)

    rows = [
        _row(
            "customers_now",
            "Customers now",
            float(v.revenue.customers[:, k - 1].sum()),
            float(st.customers.sum()),
        ),
        _row("heads_now", "Heads now", float(v.heads[:, k - 1].sum()), float(st.heads.sum())),
        _row(
            "new_customers_rest",
            "New customers in the months left",
            float(v.revenue.new_customers[:, k:T].sum()),
            new(None if b is None else float(b.revenue.new_customers[:, : b.months].sum())),
        ),
        _row(
            "hires_rest",
            "Hires in the months left",
            float(v.starts[:, k:T].sum()),
            new(None if b is None else float(b.starts[:, : b.months].sum())),
        ),
        _row(
            "heads_end",
            "Heads at the end",
            float(v.heads[:, T - 1].sum()),
            new(None if b is None else float(b.heads[:, b.months - 1].sum())),
        ),
        _row(
            "gap_months_rest",
            "Role-months short in the months left",
            float((v.gap[:, k:T] > 0).sum()),
            new(None if b is None else float((b.gap[:, : b.months] > 0).sum())),
        ),
    ]
    columns = tuple(
        Column(c.name, c.title, COUNT) if c.kind is MONEY else c for c in _columns("Reforecast")
    )
    return Table(
        "reforecast_people",
        "Customers and people: the plan against the reforecast",
        columns,
        tuple(rows),
        key_columns=2,
        notes=(
            "Now is planned against actual; the months left are the plan's against the "
            "re-based plan's.",
        ),
    )


def entries_table(rf: Reforecast) -> Table:
    """Entries into each stage (and wins) in the first month left and in all the months
    left: the plan's against the reforecast's."""
    v, b, k = rest(rf)
    s, T = v.structure, v.months
    labels = month_labels(s.start, T)
    columns = (
        Column("tier", "Tier", TEXT),
        Column("motion", "Motion", TEXT),
        Column("stage", "Stage", TEXT),
        Column("plan_next", "Plan", COUNT, labels[k]),
        Column("reforecast_next", "Reforecast", COUNT, labels[k]),
        Column("difference_next", "Difference", COUNT, labels[k]),
        Column("plan_rest", "Plan", COUNT, "months left"),
        Column("reforecast_rest", "Reforecast", COUNT, "months left"),
    )
    rows: list[tuple[Cell, ...]] = []

    def add(tier: str, motion: str, stage: str, plan: np.ndarray, new: np.ndarray | None) -> None:
        if new is None:
            planned = (float(plan[k]), float(plan[k:T].sum()))
            rows.append((tier, motion, stage, planned[0], NO_PLAN, NO_PLAN, planned[1], NO_PLAN))
            return
        rows.append(
            (
                tier,
                motion,
                stage,
                float(plan[k]),
                float(new[0]),
                float(new[0] - plan[k]),
                float(plan[k:T].sum()),
                float(new[: T - k].sum()),
            )
        )

    for m, (tier, motion) in enumerate(s.cells):
        for j, (cell, stage) in enumerate(s.stages):
            if cell == m:
                add(
                    tier,
                    motion,
                    stage,
                    v.funnel.volume[j],
                    None if b is None else b.funnel.volume[j],
                )
        add(tier, motion, "won", v.funnel.wins[m], None if b is None else b.funnel.wins[m])
    return Table(
        "entries",
        "Entries into each stage: the plan against the reforecast",
        columns,
        tuple(rows),
        key_columns=3,
        notes=(
            f"Entries the first month left ({labels[k]}) and over the months left, as the "
            "plan has them and as the reforecast needs them; won is the stage's wins.",
        ),
    )


def hiring_change(plan: np.ndarray, new: np.ndarray) -> tuple[float, int]:
    """Return how many more (or, negative, fewer) starts the reforecast makes than the plan
    by some month of the months left, and that month (an index into them; -1: the same).

    The most more starts by any month, and the first month it is reached; with never more,
    the most fewer.

    >>> hiring_change(np.array([1.0, 0, 1, 0]), np.array([2.0, 1, 0, 0]))
    (2.0, 1)
    >>> hiring_change(np.array([1.0, 1]), np.array([0.0, 1])), hiring_change(np.ones(2), np.ones(2))
    ((-1.0, 0), (0.0, -1))
    """
    ahead = np.cumsum(new) - np.cumsum(plan)
    if not len(ahead) or not np.any(ahead):
        return 0.0, -1
    most = float(ahead.max())
    if most > 0:
        return most, int(np.argmax(ahead >= most))
    least = float(ahead.min())
    return least, int(np.argmax(ahead <= least))


def hiring_table(rf: Reforecast) -> Table:
    """Per role: heads now (planned and actual), those still ramping, the requisitions in
    motion, hires in the months left (the plan's and the reforecast's), how many more or
    fewer by when, and the requisitions to open in the first month left."""
    v, b, k = rest(rf)
    s, T, st = v.structure, v.months, rf.start.state
    labels = month_labels(s.start, T)
    columns = (
        Column("role", "Role", TEXT),
        Column("heads_plan", "Planned", COUNT, "heads now"),
        Column("heads", "Actual", COUNT, "heads now"),
        Column("ramping", "Ramping", COUNT, "now"),
        Column("open_reqs", "Reqs open", COUNT, "now"),
        Column("hires_plan", "Plan", COUNT, "hires left"),
        Column("hires", "Reforecast", COUNT, "hires left"),
        Column("more", "More (fewer)", COUNT),
        Column("by", "By", TEXT),
        Column("reqs_to_open", "Reqs to open", COUNT, labels[k]),
    )
    rows: list[tuple[Cell, ...]] = []
    for r, role in enumerate(s.roles):
        plan = v.starts[r, k:T]
        if b is None:
            new_cells: tuple[Cell, ...] = (NO_PLAN, NO_PLAN, NO_PLAN, NO_PLAN)
            hires: Cell = NO_PLAN
        else:
            more, when = hiring_change(plan, b.starts[r, : T - k])
            hires = float(b.starts[r, : T - k].sum())
            new_cells = (more, labels[k + when] if when >= 0 else "", float(b.reqs_opened[r, 0]))
            new_cells = (hires, *new_cells)
        rows.append(
            (
                role,
                float(v.heads[r, k - 1]),
                float(st.heads[r]),
                float(st.ramping[r].sum()),
                float(st.dated[r].sum()),
                float(plan.sum()),
                *new_cells,
            )
        )
    return Table(
        "hiring",
        "Hiring: the plan against the reforecast",
        columns,
        tuple(rows),
        key_columns=1,
        notes=(
            "More (fewer): the most more starts than the plan by one month of the months left "
            "(or the most fewer), and By that month.  Reqs open now start in the months left as "
            "hires in motion; reqs to open are the reforecast's new requisitions in its first "
            "month.",
        ),
    )


def rates_table(rf: Reforecast) -> Table:
    """Each stage's rate: the plan's, what the actuals realised (with its 90% interval), the
    blend, and the rate the reforecast runs on."""
    s = rf.original.plan.structure
    c = rf.rates
    r = c.realised
    columns = (
        Column("tier", "Tier", TEXT),
        Column("motion", "Motion", TEXT),
        Column("stage", "Stage", TEXT),
        Column("plan_rate", "Plan", RATE, digits=1),
        Column("realised_rate", "Realised", RATE, digits=1),
        Column("low", "90% low", RATE, digits=1),
        Column("high", "90% high", RATE, digits=1),
        Column("blended_rate", "Blend", RATE, digits=1),
        Column("used_rate", "Used", RATE, digits=1),
    )
    rows: list[tuple[Cell, ...]] = []
    for j, (cell, stage) in enumerate(s.stages):
        shown = not r.why[j] and r.entered[j] > 0
        interval = not r.interval_why[j]
        rows.append(
            (
                *s.cells[cell],
                stage,
                float(c.plan[j]),
                float(r.rate[j]) if shown else NA(r.why[j] or "no entries"),
                float(r.low[j]) if interval else NA(r.interval_why[j]),
                float(r.high[j]) if interval else NA(r.interval_why[j]),
                float(r.blended[j]),
                float(c.used[j]),
            )
        )
    return Table(
        "rates",
        f"Conversion rates carried forward ({c.mode.value})",
        columns,
        tuple(rows),
        key_columns=3,
        notes=(
            "Realised: conversions over the entries the plan's days earlier, with its 90% "
            "credible interval (docs/track.md); blend: the plan's rate as a prior updated "
            "with them.  Used: the plan's (--rates plan), the realised where the actuals show "
            "one (actual), or the blend (blend).",
        ),
    )


def needed_in_stage(b: PlanView) -> np.ndarray:
    """Return the deals the re-based plan needs in each stage at its start [J]."""
    s, p = b.structure, b.params
    return np.asarray(in_stage(b.funnel.opening[None, :], p.stage_rate[None, :], s.stage_cell)[0])


def in_flight_table(rf: Reforecast) -> Table:
    """Each stage's pipeline: what the reforecast's first months need in flight, what the
    actuals have in flight, the shortfall and the wins it stands for."""
    v, b, _ = rest(rf)
    s = v.structure
    given = rf.start.in_flight
    why = NA("the actuals give no pipeline")
    columns = (
        Column("tier", "Tier", TEXT),
        Column("motion", "Motion", TEXT),
        Column("stage", "Stage", TEXT),
        Column("needed", "Needed", COUNT),
        Column("in_flight", "In flight", COUNT),
        Column("short", "Short", COUNT),
        Column("wins_short", "Wins it stands for", COUNT),
    )
    rows: list[tuple[Cell, ...]] = []
    wanted = None if b is None else needed_in_stage(b)
    for j, (cell, stage) in enumerate(s.stages):
        if b is None or wanted is None:
            rows.append((*s.cells[cell], stage, NO_PLAN, NO_PLAN, NO_PLAN, NO_PLAN))
            continue
        needed = float(wanted[j])
        if given is None:
            rows.append((*s.cells[cell], stage, needed, why, why, why))
            continue
        short = max(needed - float(given[j]), 0.0)
        rows.append(
            (
                *s.cells[cell],
                stage,
                needed,
                float(given[j]),
                short,
                short * float(b.funnel.to_win[j]),
            )
        )
    return Table(
        "in_flight",
        "Pipeline in flight at the start of the reforecast",
        columns,
        tuple(rows),
        key_columns=3,
        notes=(
            "Needed: the deals the re-based plan's opening pipeline has in each stage, those "
            "that entered it within its days in stage (docs/model.md §15).  The reforecast "
            "assumes them; deals short of them are wins its first months will not see "
            "(short × rate to won).",
        ),
    )
