"""The tables of ``salesplan simulate`` and ``salesplan sensitivity``.

Column names are the CSV headers and JSON keys.  Numbers stay numbers; the only text made
here from numbers is the sensitivity tornado's bar, a picture of the ``effect`` column that
the CLI asks for only in the table and markdown formats (CSV and JSON carry the numbers).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.sensitivity import Sensitivity
from salesplan.engine.simulate import (
    OUTCOMES,
    PLANNING_SAMPLE,
    Simulation,
    at_confidence,
    band,
    cost_keys,
    probability_reached,
    uncertain,
)
from salesplan.engine.structure import FloatArray
from salesplan.report.outcomes import first_year_revenue, key_outcomes
from salesplan.report.table import (
    AS_WRITTEN,
    NA,
    Cell,
    Column,
    Kind,
    Report,
    Table,
    ranked,
    with_meta,
)

if TYPE_CHECKING:
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

TARGET_MEASURES = {
    "ending_arr": "ARR at the end of the horizon",
    "first_year_revenue": "revenue in months 1-{year}",
    "new_arr_per_year": "new ARR booked in months 1-{year}",
    "new_mrr_per_month": "new MRR booked in month 1",
}
SHORT_YEAR = NA("the plan is shorter than its first year")
NO_NEW = NA("no new customers in any trial")
NO_NEW_LIKELY = NA("no new customers forwards at the likely values")
BAR_WIDTH = 12
EIGHTHS = " ▏▎▍▌▋▊▉"


# What the columns of the outcome tables and the tornadoes mean (said once where they follow
# one another).
FORWARDS_NOTE = (
    "Plan: the plan's own figure.  Forwards: the plan's hires and top-of-funnel volume held "
    "fixed, deals the org cannot work lost."
)
SWING_NOTE = (
    "Plan: every input at its likely value.  Effect: the width of the outcome's swing, from "
    "the lowest to the highest of plan, at low and at high."
)


def simulate_report(evaluation: Evaluation, sim: Simulation, confidence: float) -> Report:
    """Return the tables of ``salesplan simulate``: outcome bands, the target, heads."""
    v = evaluation.plan
    s = v.structure
    trials, seed = sim.trials, sim.seed
    drawn = len(uncertain(evaluation.compiled.inputs))
    meta = {
        "currency": s.currency,
        "plan": s.plan_name,
        "seed": str(seed),
        "trials": str(trials),
        "confidence": repr(float(confidence)),
        "planning_sample": str(min(trials, PLANNING_SAMPLE)),
        "chunk": str(sim.chunk),
        "uncertain_inputs": str(drawn),
        "numpy": np.__version__,
    }
    plan_values = _plan_outcomes(v)
    tables = (
        _outcomes_table(
            "revenue",
            "Revenue the hiring plan delivers",
            True,
            sim.outcomes,
            sim.at_likely,
            plan_values,
        ),
        _outcomes_table(
            "delivery", "Customers and capacity", False, sim.outcomes, sim.at_likely, plan_values
        ),
        _cost_table(evaluation, sim.outcomes, sim.at_likely),
        _target_table(v, sim.outcomes["target"], sim.at_likely["target"]),
        _heads_table(
            v,
            sim.needed_heads_end,
            sim.needed_heads_peak,
            sim.months_short_by_role,
            confidence,
        ),
    )
    summary = [
        f"{trials:,} trials with seed {seed}: the same seed and trials give the same figures.",
    ]
    if not drawn:
        summary.append("! No input has a range: every trial is the plan's likely case.")
    if sim.at_likely["months_short"] > 0:
        summary.append(
            "! At the likely values the hiring plan is short of capacity in "
            f"{int(sim.at_likely['months_short'])} role-month(s); forwards loses the volume "
            "it cannot work."
        )
    return Report(
        kind="simulate",
        title=f"Simulation: {s.plan_name}",
        tables=with_meta(tables, meta),
        meta=meta,
        summary=tuple(summary),
        once=(FORWARDS_NOTE,),
    )


def _plan_outcomes(v: PlanView) -> dict[str, Cell]:
    """Return the plan's own figure for each outcome."""
    T = v.months
    rev = v.revenue
    return {
        "new_customers": float(rev.new_customers[:, :T].sum()),
        "new_arr": float(12 * rev.new_mrr[:, :T].sum()),
        "ending_arr": float(12 * rev.mrr[:, T - 1].sum()),
        "first_year_revenue": first_year_revenue(v),
        "months_short": float((v.gap[:, :T] > 0).sum()),
    }


def _cell(value: float, undefined: NA = SHORT_YEAR) -> Cell:
    return undefined if np.isnan(value) else float(value)


def _stats(values: FloatArray, undefined: NA) -> tuple[list[Cell], int]:
    """Return [P10, P50, P90, mean] over the trials where ``values`` is defined (not NaN),
    and how many trials it is undefined in; all ``undefined`` if it is in none.

    >>> _stats(np.append(np.arange(11.0), np.nan), NO_NEW)
    ([1.0, 5.0, 9.0, 5.0], 1)
    >>> _stats(np.array([np.nan]), NO_NEW)[0][0]
    NA(reason='no new customers in any trial')
    """
    defined = values[~np.isnan(values)]
    missing = len(values) - len(defined)
    if not len(defined):
        return [undefined] * 4, missing
    return [*band(defined), float(defined.mean())], missing


def _band_columns(kind: Kind) -> tuple[Column, ...]:
    """Return the columns of an outcome band: metric, plan, forwards, P10/P50/P90, mean."""
    return (
        Column("metric", "Metric", TEXT, machine=True),
        Column("outcome", "Outcome", TEXT),
        Column("plan", "Plan", kind),
        Column("likely", "Forwards, likely values", kind),
        Column("p10", "P10", kind),
        Column("p50", "P50", kind),
        Column("p90", "P90", kind),
        Column("mean", "Mean", kind, priority=99),  # too narrow for all: the band before the mean
    )


def _outcomes_table(
    name: str,
    title: str,
    money: bool,
    outcomes: dict[str, FloatArray],
    at_likely: dict[str, float],
    plan_values: dict[str, Cell],
) -> Table:
    columns = _band_columns(MONEY if money else COUNT)
    rows = []
    for key, label, is_money in OUTCOMES:
        if is_money != money:
            continue
        stats, _ = _stats(outcomes[key], SHORT_YEAR)
        rows.append((key, label, plan_values[key], _cell(at_likely[key]), *stats))
    short = any(row[0] == "months_short" for row in rows)
    own = ("The plan's months short are its capacity gaps.",) if short else ()
    return Table(name, title, columns, tuple(rows), key_columns=2, notes=(FORWARDS_NOTE, *own))


def _cost_table(
    evaluation: Evaluation, outcomes: dict[str, FloatArray], at_likely: dict[str, float]
) -> Table:
    """Return S&M cost and CAC (blended, by tier) over the plan: plan, forwards and bands."""
    s = evaluation.plan.structure
    plan = key_outcomes(evaluation)
    columns = _band_columns(MONEY)
    rows = []
    notes = [
        "Over the whole plan, as salesplan economics --period plan gives them, for the org "
        "each trial actually has (its heads and starts, at the plan's pay) and the work it was "
        "offered: CAC = (marketing + acquisition cost) / new customers.",
    ]
    for key in cost_keys(s):
        stats, missing = _stats(outcomes[key], NO_NEW)
        outcome = plan[key]
        rows.append(
            (key, outcome.label, outcome.value, _cell(at_likely[key], NO_NEW_LIKELY), *stats)
        )
        if missing and missing < len(outcomes[key]):
            notes.append(
                f"{key}: undefined in {missing} trial(s) with no new customers, which its "
                "band leaves out."
            )
    return Table("cost", "What the hiring plan costs", columns, tuple(rows), 2, tuple(notes))


def _target_table(v: PlanView, values: FloatArray, likely: float) -> Table:
    s = v.structure
    target = float(v.params.target_value)
    columns = (
        Column("target_kind", "Target", TEXT),
        Column("target", "Target value", MONEY),
        Column("probability", "Probability of reaching it", RATE),
        Column("likely", "Forwards, likely values", MONEY),
        Column("p10", "P10", MONEY),
        Column("p50", "P50", MONEY),
        Column("p90", "P90", MONEY),
    )
    row: tuple[Cell, ...] = (
        s.target_kind,
        target,
        probability_reached(values, target),
        likely,
        *band(values),
    )
    measure = TARGET_MEASURES[s.target_kind].format(year=int(v.params.first_year_months))
    notes = (
        f"Measured like the plan's target: {measure}, forwards with "
        "the plan's hires; reached within 1e-9 of the target.",
    )
    return Table("target", "Reaching the target", columns, (row,), notes=notes)


def _heads_table(
    v: PlanView,
    needed_end: FloatArray,
    needed_peak: FloatArray,
    short: np.ndarray,
    confidence: float,
) -> Table:
    s = v.structure
    T = s.months
    pct = f"{confidence * 100:g}%"
    columns = (
        Column("role", "Role", TEXT),
        Column("plan_heads", "Plan heads at end", COUNT),
        Column("heads_at_confidence", f"Heads at end, {pct} confidence", COUNT),
        Column("extra_heads", "Extra heads", COUNT),
        Column("plan_peak", "Plan peak heads", COUNT),
        Column("peak_at_confidence", f"Peak heads, {pct} confidence", COUNT),
        Column("months_short_mean", "Months short (mean)", NUMBER, digits=1),
        Column("short_probability", "Probability short", RATE),
    )
    plan_end = v.heads[:, T - 1]
    plan_peak = v.heads[:, :T].max(axis=1)
    end = at_confidence(needed_end, confidence)
    peak = at_confidence(needed_peak, confidence)
    rows: list[tuple[Cell, ...]] = []
    for r, role in enumerate(s.roles):
        rows.append(
            (
                role,
                float(plan_end[r]),
                float(end[r]),
                float(end[r] - plan_end[r]),
                float(plan_peak[r]),
                float(peak[r]),
                float(short[:, r].mean()),
                float((short[:, r] > 0).mean()),
            )
        )
    total_end = float(at_confidence(needed_end.sum(axis=1), confidence))
    total_peak = float(at_confidence(needed_peak.sum(axis=1), confidence))
    rows.append(
        (
            "total",
            float(plan_end.sum()),
            total_end,
            total_end - float(plan_end.sum()),
            float(plan_peak.sum()),
            total_peak,
            float(short.sum(axis=1).mean()),
            float((short.sum(axis=1) > 0).mean()),
        )
    )
    notes = (
        f"Heads at {pct} confidence: the planning engine re-plans the first "
        f"{min(len(needed_end), PLANNING_SAMPLE)} drawn worlds for the same target; each role "
        f"gets the smallest head count that is enough in {pct} of them (total: of the totals, "
        "so it is not the sum of the roles).  Months short: forwards, the plan's hires.",
    )
    return Table("heads", "Heads the target needs", columns, tuple(rows), notes=notes)


# -- sensitivity ---------------------------------------------------------------------------
def sensitivity_report(evaluation: Evaluation, sens: Sensitivity, bars: bool = True) -> Report:
    """Return the tornado tables of ``salesplan sensitivity``, largest effect first."""
    s = evaluation.plan.structure
    swing = sens.swing
    meta = {"currency": s.currency, "plan": s.plan_name, "swing": repr(float(swing))}
    tables = tuple(
        _tornado(name, title, kind, sens.plan[name], sens.swung[name], sens, bars, meta)
        for name, title, kind in TORNADOES
        if name in sens.plan
    )
    summary = (
        f"Each input swung alone: its range where the plan gives one, else ±{swing * 100:g}%.",
    )
    if not sens.cases:
        summary = ("! No input can be swung.",)
    return Report(
        "sensitivity", f"Sensitivity: {s.plan_name}", tables, meta, summary, once=(SWING_NOTE,)
    )


# The tornadoes, in order: metric of the engine's sensitivity, title, kind.
TORNADOES = (
    ("heads", "Heads at end", COUNT),
    ("sm_cost", "Sales and marketing cost over the plan", MONEY),
    ("cac", "CAC (blended) over the plan", MONEY),
    ("ending_arr", "Ending ARR, the plan's hires forwards", MONEY),
)


def _tornado(
    name: str,
    title: str,
    kind: Kind,
    base: float,
    values: FloatArray,
    sens: Sensitivity,
    bars: bool,
    meta: dict[str, str],
) -> Table:
    """Return one tornado: inputs by the width of the outcome's swing, largest first."""
    cases, swing = sens.cases, sens.swing
    low, high = values[0::2], values[1::2]
    effect = np.maximum(np.maximum(low, high), base) - np.minimum(np.minimum(low, high), base)
    order = sorted(
        (i for i in range(len(cases)) if effect[i] > 1e-9 * max(1.0, abs(base))),
        key=lambda i: (-effect[i], i),
    )
    largest = float(effect[order[0]]) if order else 0.0
    named = [
        Column("input", "Input", TEXT),
        Column("swing", "Swing", TEXT),
        Column("low", "Low", NUMBER, digits=AS_WRITTEN),
        Column("high", "High", NUMBER, digits=AS_WRITTEN),
        Column("plan", "Plan", kind),
        Column("at_low", "At low", kind),
        Column("at_high", "At high", kind),
        Column("effect", "Effect", kind),
    ]
    if bars:
        named.append(Column("bar", "", TEXT))
    # Too narrow for all: the effect, the outcome at each end and the bar first; the plan's
    # figure (the same in every row) before the input's own values.
    first = ("effect", "at_low", "at_high", *(("bar",) if bars else ()), "plan")
    columns = ranked(named, first)
    rows = []
    for i in order:
        case = cases[i]
        row: list[Cell] = [
            case.input.label,
            "range" if case.from_range else f"±{swing * 100:g}%",
            case.low,
            case.high,
            base,
            float(low[i]),
            float(high[i]),
            float(effect[i]),
        ]
        if bars:
            row.append(bar(float(effect[i]), largest))
        rows.append(tuple(row))
    left_out = len(cases) - len(order)
    notes = [SWING_NOTE]
    if left_out:
        notes.append(f"{left_out} input(s) with no effect on this outcome are left out.")
    return Table(name, title, tuple(columns), tuple(rows), notes=tuple(notes), meta=meta)


def bar(value: float, largest: float, width: int = BAR_WIDTH) -> str:
    """Return a bar of block characters, ``width`` long for the largest value.

    >>> bar(1.0, 1.0, 4), bar(0.5, 1.0, 4), bar(0.3, 1.0, 4), bar(0.0, 1.0, 4)
    ('████', '██', '█▎', '')
    """
    if largest <= 0 or value <= 0:
        return ""
    eighths = round(value / largest * width * 8)
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "") or "▏"
