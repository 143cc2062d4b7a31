"""Trace a quantity over a period (docs/model.md §13): months added up, the month at the
period's end, the monthly mean, or the unit economics of the period as a whole.

:func:`trace` is the entry: a month's quantity is :class:`~salesplan.engine.trace.Trace`'s;
a period adds its months (flows), takes its last (stocks) or averages them (need,
capacity).  CAC, CRC, payback and LTV are taken over the whole period, as ``economics``
prints them, and traced to the period's costs and customers
(:mod:`salesplan.engine.trace_economics`).  Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

from salesplan.engine.explain import KINDS, Query, Step
from salesplan.engine.run import PlanResult
from salesplan.engine.trace import _sum
from salesplan.engine.trace_cost import PlanTrace
from salesplan.engine.trace_economics import unit_economics_step
from salesplan.load.schema import Plan


def trace(plan: Plan, result: PlanResult, query: Query, depth: int) -> Step:
    """Return the trace of ``query`` in a planned batch of one, ``depth`` levels deep."""
    tr = PlanTrace(plan, result, depth, query.text)
    kind = KINDS[query.kind]
    if kind.over == "ratio":
        return unit_economics_step(tr, query)
    return _over_period(tr, query)


def _over_period(tr: PlanTrace, query: Query) -> Step:
    """Return a month's step, or a period's: the sum, the month at its end, or the mean."""
    kind = KINDS[query.kind]
    span = query.span
    month = _month_step(tr, query)
    if span.first == span.last:
        return month(span.first, 0)
    if kind.over == "end":
        child = month(span.last, 1)
        return Step(query.text, child.value, child.unit, "at the period's end", "c0", (child,))
    children = [month(t, 1) for t in range(span.first, span.last + 1)]
    total = float(sum(c.value for c in children))
    if kind.over == "mean":
        n = len(children)
        return Step(
            query.text,
            total / n,
            children[0].unit,
            "the monthly average",
            f"({_sum(n)}) / {n}",
            tuple(children),
        )
    return Step(
        query.text,
        total,
        children[0].unit,
        "Σ months of the period",
        _sum(len(children)),
        tuple(children),
    )


def _month_step(tr: PlanTrace, query: Query) -> Callable[[int, int], Step]:
    """Return the builder of the query's quantity for one month (at a level)."""
    s, names = tr.s, query.names
    kind = query.kind
    if kind in ("heads", "starts", "need", "capacity", "cost"):
        r = s.roles.index(names[0])
        return lambda t, level: getattr(tr, kind)(r, t, level)
    if kind == "volume":
        m = s.cells.index((names[0], names[1]))
        return lambda t, level: tr.volume(m, names[2], t, level)
    if kind == "sm_cost":
        return tr.sm_cost
    if kind == "marketing":
        k = s.tiers.index(names[0]) if names[0] else None
        return lambda t, level: tr.marketing(k, t, level)
    per_tier: dict[str, Callable[[int, int, int], Step]] = {
        "new_mrr": tr.new_mrr,
        "new_arr": lambda k, t, level: _twelve(tr, k, t, level),
        "new_customers": tr.new_customers,
        "mrr": tr.mrr,
        "arr": tr.arr,
        "customers": tr.customers,
        "revenue": tr.mrr,
    }
    of = per_tier[kind]
    if names[0]:
        k = s.tiers.index(names[0])
        return lambda t, level: of(k, t, level)

    def every_tier(t: int, level: int) -> Step:
        parts = [of(k, t, level + 1) for k in range(len(s.tiers))]
        value = float(sum(p.value for p in parts))
        return Step(
            f"{kind} {tr.labels[t]}",
            value,
            parts[0].unit,
            "Σ tiers",
            _sum(len(parts)),
            tuple(parts),
        )

    return every_tier


def _twelve(tr: PlanTrace, k: int, t: int, level: int) -> Step:
    """Return new ARR = 12 × new MRR of a tier in month t."""
    new = tr.new_mrr(k, t, level + 1)
    return Step(
        f"new_arr {tr.s.tiers[k]} {tr.labels[t]}",
        12 * new.value,
        "money",
        "new ARR = 12 × N",
        "12 * c0",
        (new,),
        section="§1",
    )


__all__ = ["trace"]
