"""Where a company stands at the last month of actuals: the state its reforecast opens in.

docs/model.md §15, "The state from actuals".  From an :class:`ActualArrays` through month
``k - 1`` and the plan it was read against:

- **MRR and customers** per tier at the end of month k-1; revenue and new MRR to date over
  months 0 … k-1 (what the target is reduced by);
- **heads** per role at the end of month k-1, and their **tenure** from the starts and
  departures month by month: departures leave the longest-serving first (§4), so the
  people left from each month's starts are known, and those with less tenure than the ramp
  are still ramping.  Heads the starts and departures do not account for (a transfer, a
  late correction) are taken as fully ramped when there are more, and leave the
  longest-serving first when there are fewer;
- the **accrual** of the next departure: the plan's attrition on the actual heads, less the
  actual departures (its fraction when fewer left than the rate accrued, 0 when more did);
- **open requisitions** and when their hire can start: requisitions opened in a month are
  ``open[t] - open[t-1] + starts[t]`` (fewer open than that: the newest were withdrawn),
  each start takes the oldest requisition it could start on, and an open requisition can
  start ``h`` months after it opened (at once, in month k, when that is past);
- the **pipeline in flight** by stage at the end of month k-1, to set against the opening
  pipeline the reforecast needs.

A metric the file does not give, or the months before it starts, is taken from the plan's
own figures, and :attr:`ActualStart.planned` names it.  Pure numpy; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.actuals import ActualArrays
from salesplan.engine.rebase import (
    StartState,
    accrued_after,
    cohorts_at,
    opening_requisitions,
    plan_open_requisitions,
)
from salesplan.engine.staffing import monthly_attrition
from salesplan.engine.structure import FloatArray
from salesplan.engine.view import PlanView

# What the state reads from an actuals file, in the order a note lists what is missing.
STATE_METRICS = (
    "mrr",
    "customers",
    "new_mrr",
    "heads",
    "starts",
    "departures",
    "open_requisitions",
)


@dataclass(frozen=True)
class ActualStart:
    """The state at the end of the last month of actuals, and how it was found."""

    state: StartState
    planned: tuple[str, ...]  # metrics the file does not give (the plan's figures are used)
    in_flight: FloatArray | None  # [J] deals in each stage at the end of month k-1 (None:
    # the file gives no pipeline)
    unexplained: FloatArray  # [R] heads the starts and departures do not account for
    # (+ more, - fewer than the opening team with its starts and departures)
    beyond: FloatArray  # [R] open requisitions whose hire could start only past the horizon


def actual_start(view: PlanView, actual: ActualArrays) -> ActualStart:
    """Return the state at the end of month ``actual.through`` (docs/model.md §15)."""
    s, p = view.structure, view.params
    k, T = actual.through + 1, s.months
    if not 1 <= k < T:
        raise ValueError(f"actuals through month {k - 1} leave no month of the plan to reforecast")
    rev = view.revenue
    mrr = _filled(actual, "mrr", rev.mrr, k)
    customers = _filled(actual, "customers", rev.customers, k)
    new_mrr = _filled(actual, "new_mrr", rev.new_mrr, k)
    heads = _filled(actual, "heads", view.heads, k)
    starts = _filled(actual, "starts", view.starts, k)
    departures = _filled(actual, "departures", view.departures, k)
    open_reqs = _filled(actual, "open_requisitions", plan_open_requisitions(view), k)
    R, Q = len(s.roles), p.ramping_heads.shape[1]
    ramping, accrued, unexplained = np.zeros((R, Q)), np.zeros(R), np.zeros(R)
    dated, beyond = np.zeros((R, T - k)), np.zeros(R)
    m = monthly_attrition(p.attrition_rate_annual)
    for r in range(R):
        opening = float(p.opening_heads[r])
        young = cohorts_at(opening, p.ramping_heads[r], starts[r], departures[r], k, _ramp(view, r))
        accounted = opening + float(starts[r].sum() - departures[r].sum())
        unexplained[r] = float(heads[r, k - 1]) - accounted
        ramping[r] = _fewer(young, float(heads[r, k - 1]))
        acc = accrued_after(float(p.accrued_departures[r]), opening, heads[r], departures[r], m[r])
        accrued[r] = acc - np.floor(acc) if acc >= 1 else max(acc, 0.0)
        dated[r], beyond[r] = _requisitions(view, r, open_reqs[r], starts[r], k)
    in_flight = None
    if actual.has("pipeline") and actual.present["pipeline"][k - 1]:
        in_flight = actual.pipeline[:, k - 1].copy()
    state = StartState(
        month=k,
        mrr=mrr[:, k - 1].copy(),
        customers=customers[:, k - 1].copy(),
        heads=heads[:, k - 1].copy(),
        ramping=ramping,
        accrued=accrued,
        dated=dated,
        revenue_to_date=float(mrr.sum()),
        new_mrr_to_date=float(new_mrr.sum()),
    )
    planned = tuple(
        metric
        for metric in STATE_METRICS
        if not actual.has(metric) or not actual.present[metric][:k].all()
    )
    return ActualStart(state, planned, in_flight, unexplained, beyond)


def _filled(actual: ActualArrays, metric: str, planned: FloatArray, k: int) -> FloatArray:
    """Return a metric over months 0 … k-1: the actuals where the file gives them, the
    plan's figures where it does not."""
    out = np.array(planned[:, :k], dtype=np.float64)
    if actual.has(metric):
        given = actual.present[metric][:k]
        out[:, given] = actual.series(metric)[:, :k][:, given]
    return out


def _ramp(view: PlanView, r: int) -> int:
    return int(view.params.ramp_months[r])


def _fewer(young: FloatArray, heads: float) -> FloatArray:
    """Return the people still ramping by tenure, no more than ``heads`` in all.

    The ramping are the newest, so when there are fewer heads than the starts and
    departures account for, the longest-serving go first: the fully ramped, then the
    oldest ramping (the highest tenure).
    """
    out = young.copy()
    extra = float(out.sum()) - heads
    for j in range(len(out) - 1, -1, -1):
        if extra <= 0:
            break
        gone = min(extra, float(out[j]))
        out[j] -= gone
        extra -= gone
    return out


def _requisitions(
    view: PlanView, r: int, open_reqs: FloatArray, starts: FloatArray, k: int
) -> tuple[FloatArray, float]:
    """Return role r's open requisitions at the end of month k-1 by the month of the
    reforecast their hire can start [T - k], and those that could start only past it.

    Requisitions are kept oldest first as (opened, can start, count).  At the start the
    plan's own are open: undated ones (can start at once), dated ones, and those it opened
    before month 0 for starts in months 0 … h-1.
    """
    p, T = view.params, view.structure.months
    lead = int(p.lead_months[r])
    queue: list[list[float]] = []
    if p.open_reqs[r] > 0:
        queue.append([-1, 0, float(p.open_reqs[r])])
    early = opening_requisitions(view)[r]  # [T] opened before month 0, by start month
    for t in range(T):
        if early[t] > 0:
            queue.append([-1, t, float(early[t])])
    queue.sort(key=lambda q: (q[0], q[1]))
    before = sum(q[2] for q in queue)
    for t in range(k):
        opened = float(open_reqs[t]) - before + float(starts[t])
        if opened > 0:
            queue.append([t, t + lead, opened])
        else:
            _take(queue, -opened, newest=True)
        left = _take(queue, float(starts[t]), can_start=t)
        _take(queue, left)  # a start sooner than its lead time: the oldest requisition
        before = float(open_reqs[t])
    dated, beyond = np.zeros(T - k), 0.0
    for _, can_start, count in queue:
        when = max(int(can_start), k) - k
        if when < T - k:
            dated[when] += count
        else:
            beyond += count
    return dated, beyond


def _take(
    queue: list[list[float]], n: float, *, can_start: int | None = None, newest: bool = False
) -> float:
    """Take ``n`` requisitions from the queue: the oldest (or the newest) first, only those
    that can start by ``can_start`` when given; return how many were not there to take."""
    order = range(len(queue) - 1, -1, -1) if newest else range(len(queue))
    for i in order:
        if n <= 0:
            break
        if can_start is not None and queue[i][1] > can_start:
            continue
        gone = min(n, queue[i][2])
        queue[i][2] -= gone
        n -= gone
    queue[:] = [q for q in queue if q[2] > 0]
    return n
