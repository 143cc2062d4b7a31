"""The bottleneck tables of ``salesplan plan`` and the line its first screen can print.

``bottlenecks``: for each period, the role that binds (of the roles that work deals, the one
running nearest or above 100% of its ramped capacity), what it works, the deals and new ARR
the plan's hires lose forwards, and what one more head of it would add and cost.
``marginal_heads``: for each role sized by its work, what one more head now adds and costs.
:func:`bottleneck_line` says the gist in one sentence.  The engine computed every figure
(``Evaluation.bottlenecks``, docs/model.md §13); nothing here runs it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.periods import Span
from salesplan.engine.structure import (
    EPS,
    FLOW,
    MANAGES,
    STARTS,
    STOCK_ARR,
    Structure,
    month_labels,
)
from salesplan.report.prose import Figure, Sentence, money, rate
from salesplan.report.table import NA, Cell, Column, Kind, Table

if TYPE_CHECKING:
    from salesplan.engine.bottleneck import Bottlenecks
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

NO_ONE = NA("work and no one in post to do it")
NO_WORK = NA("no role that works deals has work this period")


def works(structure: Structure, r: int) -> str:
    """Return what a role works, from its drivers: stages (with the tiers or motions they are
    limited to), customers or ARR covered, the roles it manages or hires."""
    out = []
    for d in structure.drivers:
        if d.role != r:
            continue
        if d.kind == FLOW:
            stages = [name for j, (_, name) in enumerate(structure.stages) if d.stage_mask[j]]
            names = list(dict.fromkeys(stages)) + (["won"] if d.won_mask.any() else [])
            where = _cells(structure, d.cell_mask)
            out.append("/".join(names) + (f" ({where})" if where else ""))
        elif d.kind in (MANAGES, STARTS):
            roles = ", ".join(n for n, on in zip(structure.roles, d.roles, strict=True) if on)
            out.append(f"{'manages' if d.kind == MANAGES else 'hires'} {roles}")
        else:
            tiers = [t for t, on in zip(structure.tiers, d.tier_mask, strict=True) if on]
            which = "" if len(tiers) == len(structure.tiers) else f" ({', '.join(tiers)})"
            out.append(f"{'ARR' if d.kind == STOCK_ARR else 'customers'} covered{which}")
    return "; ".join(out)


def _cells(structure: Structure, mask: np.ndarray) -> str:
    """Return the cells a driver may work as words: '' for all, else tiers, motions, or
    tier/motion pairs."""
    cells = {m for m in range(len(structure.cells)) if mask[m]}
    if len(cells) == len(structure.cells):
        return ""
    tiers = [
        t
        for k, t in enumerate(structure.tiers)
        if {m for m in range(len(structure.cells)) if structure.cell_tier[m] == k} <= cells
    ]
    covered = {m for m in cells if structure.tiers[structure.cell_tier[m]] in tiers}
    if covered == cells:
        return ", ".join(tiers)
    motions = list(dict.fromkeys(structure.cells[m][1] for m in sorted(cells)))
    if {m for m, (_, mo) in enumerate(structure.cells) if mo in motions} == cells:
        return ", ".join(motions)
    return ", ".join(f"{t}/{mo}" for t, mo in (structure.cells[m] for m in sorted(cells)))


def month_ranges(months: Sequence[int], labels: Sequence[str]) -> str:
    """Return plan months as labels, runs of months joined: ``2027-01..2027-03, 2027-06``.

    >>> month_ranges([0, 1, 2, 5], ["a", "b", "c", "d", "e", "f"])
    'a..c, f'
    """
    runs: list[list[int]] = []
    for t in months:
        if runs and t == runs[-1][-1] + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    return ", ".join(
        labels[run[0]] if len(run) == 1 else f"{labels[run[0]]}..{labels[run[-1]]}" for run in runs
    )


def bottleneck_tables(evaluation: Evaluation, periods: Sequence[Span]) -> tuple[Table, Table]:
    """Return the ``bottlenecks`` table by period and the ``marginal_heads`` table by role."""
    b = evaluation.bottlenecks
    v = evaluation.plan
    return _by_period(b, v.structure, v.need, v.capacity, periods), _by_role(b, v.structure)


def _by_period(
    b: Bottlenecks,
    s: Structure,
    need: np.ndarray,
    capacity: np.ndarray,
    periods: Sequence[Span],
) -> Table:
    """For each period, the binding role at its tightest month and what binding costs."""
    labels = month_labels(s.start, s.months)
    columns = (
        Column("period", "Period", TEXT),
        Column("role", "Binding role", TEXT),
        Column("works", "Works", TEXT),
        Column("utilisation", "Utilisation", RATE),
        Column("peak_month", "At its peak in", TEXT),
        Column("short_fte", "Short", COUNT, "FTE", 1),
        Column("wins_lost", "Wins lost", COUNT, digits=1),
        Column("new_arr_lost", "New ARR lost", MONEY),
        Column("one_more_new_arr", "One more head adds", MONEY),
        Column("one_more_cost", "and costs", MONEY),
        Column("also_short", "Also short", TEXT),
    )
    rows: list[tuple[Cell, ...]] = []
    for span in periods:
        months = np.arange(span.first, span.last + 1)
        candidates = [int(t) for t in months if b.binding[t] >= 0]
        short = [
            s.roles[r]
            for r in range(len(s.roles))
            if (need[r, span.months] - capacity[r, span.months] > EPS).any()
            or b.short[r, span.months].any()
        ]
        lost = (float(b.lost_wins[span.months].sum()), float(b.lost_new_arr[span.months].sum()))
        if not candidates:
            rows.append(
                (
                    span.label,
                    NO_WORK,
                    "",
                    NO_WORK,
                    "",
                    NO_WORK,
                    *lost,
                    NO_WORK,
                    NO_WORK,
                    ", ".join(short),
                )
            )
            continue
        # The tightest month of the period decides: the binding role there.
        peak = max(candidates, key=lambda t: b.utilisation[b.binding[t], t])
        r = int(b.binding[peak])
        u = float(b.utilisation[r, peak])
        rows.append(
            (
                span.label,
                s.roles[r],
                works(s, r),
                u if math.isfinite(u) else NO_ONE,
                labels[peak],
                max(float(need[r, peak] - capacity[r, peak]), 0.0),
                *lost,
                float(b.extra_new_arr[r, span.first]),
                float(b.extra_cost[r, span.first]),
                ", ".join(x for x in short if x != s.roles[r]),
            )
        )
    return Table(
        "bottlenecks",
        "Bottlenecks",
        columns,
        tuple(rows),
        key_columns=2,
        notes=(
            "Binding role: of the roles that work deals (a flow driver), the one nearest or "
            "above 100% of its ramped capacity (need / capacity) at the period's tightest "
            "month; short: need less capacity there.",
            "Wins and new ARR lost: the plan's wins in the period that forwards at the likely "
            "values, with the plan's hires, does not make (a deal lost at an early stage is a "
            "win lost when it would have closed).  One more head: one more start of the "
            "binding role in "
            "the period's first month, forwards: the new ARR it adds over the horizon and its "
            "cost over the horizon (loaded cost while in post, plus cost per hire).",
            "Also short: other roles short of capacity in the period (CSMs and managers "
            "never bind deals in the model).",
        ),
    )


def _by_role(b: Bottlenecks, s: Structure) -> Table:
    """For each role sized by its work: when it binds, its peak and what one more head adds."""
    labels = month_labels(s.start, s.months)
    columns = (
        Column("role", "Role", TEXT),
        Column("works", "Works", TEXT),
        Column("gates_deals", "Gates deals", TEXT),
        Column("binds", "Binds in", TEXT),
        Column("peak_utilisation", "Peak utilisation", RATE),
        Column("peak_month", "Peak in", TEXT),
        Column("months_short", "Months short", COUNT, "forwards"),
        Column("one_more_new_arr", "One more head now adds", MONEY),
        Column("one_more_cost", "and costs", MONEY),
        Column("new_arr_per_cost", "New ARR per cost", NUMBER, digits=2),
    )
    rows: list[tuple[Cell, ...]] = []
    for r, role in enumerate(s.roles):
        if s.role_fixed[r]:
            continue
        util = b.utilisation[r]
        peak = int(np.argmax(np.where(np.isnan(util), -np.inf, util)))
        u = float(util[peak])
        added, cost = float(b.extra_new_arr[r, 0]), float(b.extra_cost[r, 0])
        rows.append(
            (
                role,
                works(s, r),
                "yes" if b.gates[r] else "no",
                month_ranges([t for t in range(s.months) if b.binding[t] == r], labels),
                u if math.isfinite(u) else NO_ONE,
                labels[peak],
                float(b.short[r].sum()),
                added,
                cost,
                _per_cost(added, cost),
            )
        )
    return Table(
        "marginal_heads",
        "One more head",
        columns,
        tuple(rows),
        notes=(
            "One more head now: one more start in the plan's first month, forwards at the "
            "likely values with the plan's hires and arrivals: the new ARR it adds over the "
            "horizon and its cost over the horizon.  It adds new ARR only where its role is "
            "short; roles that do not gate deals add none.  Roles on a headcount schedule are "
            "left out.",
        ),
    )


def _per_cost(added: float, cost: float) -> Cell:
    """Return new ARR per unit of cost, n/a where a head costs nothing (or next to it)."""
    ratio = added / cost if cost > 0 else math.inf
    return ratio if math.isfinite(ratio) else NA("one more head costs nothing")


def _about(value: float, currency: str) -> str:
    """Return money rounded to three significant figures, for a sentence.

    >>> _about(12_646.3, "USD"), _about(303_800.0, "USD"), _about(0.0, "USD")
    ('12,600 USD', '304,000 USD', '0 USD')
    """
    if value == 0 or not math.isfinite(value):
        return f"0 {currency}"
    digits = 2 - math.floor(math.log10(abs(value)))
    return f"{round(value, digits):,.0f} {currency}"


def bottleneck_sentence(evaluation: Evaluation) -> Sentence:
    """Return one sentence: which role binds, from when, and what one more head of it adds.

    A role binds where it is short of the deals it works forwards (at the likely values,
    with the plan's hires); of several, the one whose next head adds the most new ARR:
    "se binds in 2027-01..2027-02; one more se then adds about 12,600 USD of new ARR for about
    304,000 USD" (that head starting in the first month it is short).  Where no role is
    short, the role running closest to capacity, and that one more of it adds no new ARR.
    """
    b = evaluation.bottlenecks
    s = evaluation.plan.structure
    labels = month_labels(s.start, s.months)
    if not b.gates.any():
        return Sentence("No role works deals in this plan, so none binds its output")
    short = [r for r in range(len(s.roles)) if b.gates[r] and b.short[r].any()]
    if short:
        # Of the roles short of the deals they work, the one a head relieves most.
        firsts = {r: int(np.argmax(b.short[r])) for r in short}
        r = max(short, key=lambda x: (b.extra_new_arr[x, firsts[x]], -x))
        months = [int(t) for t in np.nonzero(b.short[r])[0]]
        first = months[0]
        runs_out = months == list(range(first, s.months)) and first > 0
        when = f"from {labels[first]}" if runs_out else f"in {month_ranges(months, labels)}"
        role = s.roles[r]
        return Sentence(
            "{} binds {}; one more {} then adds about {} of new ARR for about {}",
            (
                role,
                when,
                role,
                money(float(b.extra_new_arr[r, first])),
                money(float(b.extra_cost[r, first])),
            ),
        )
    util = np.where(b.gates[:, None], np.nan_to_num(b.utilisation, nan=-np.inf), -np.inf)
    r, t = (int(x) for x in np.unravel_index(np.argmax(util), util.shape))
    role = s.roles[r]
    return Sentence(
        "No role holds deals back: {} runs closest to capacity ({} in {}), so one more {} "
        "adds no new ARR; the funnel's arrivals limit output",
        (role, rate(float(util[r, t])), labels[t], role),
    )


def bottleneck_line(evaluation: Evaluation) -> str:
    """Return :func:`bottleneck_sentence` as plain text: money to three significant figures
    with the currency's code ("12,600 USD"), rates as whole percentages."""
    currency = evaluation.plan.structure.currency

    def write(figure: Figure) -> str:
        if figure.kind is Kind.RATE:
            return f"{figure.value:.0%}"
        return _about(figure.value, currency)

    return bottleneck_sentence(evaluation).fill(write, str)


__all__ = ["bottleneck_line", "bottleneck_sentence", "bottleneck_tables", "month_ranges", "works"]
