"""The state a company is in after some months of a plan: what a plan starting then opens in.

A reforecast (docs/model.md §15) runs §1–4 again from the end of month ``k - 1``: MRR and
customers per tier, heads per role with their tenure (so a ramp goes on), the part of the
next departure already accrued, and the requisitions open, dated by the month their hire
starts.  :func:`plan_state` reads that state from a plan's own figures, so that a plan
started from it can be checked against the rest of the original (it must give the same
months exactly); the reforecast reads it from actuals.  Pure numpy; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.staffing import monthly_attrition
from salesplan.engine.structure import FloatArray
from salesplan.engine.view import PlanView


@dataclass(frozen=True)
class StartState:
    """Where a company stands at the end of month ``month - 1`` of a plan.

    Month ``month`` (k) is the first month of a plan started from it, of ``T - k`` months.
    """

    month: int  # k, in the original plan's months (1 … T-1)
    mrr: FloatArray  # [K] MRR at the end of month k-1
    customers: FloatArray  # [K] active customers at the end of month k-1
    heads: FloatArray  # [R] people at the end of month k-1
    ramping: FloatArray  # [R, Q] of those, the ones still ramping, by tenure in month k
    accrued: FloatArray  # [R] the part of the next departure already accrued, 0 <= x < 1
    dated: FloatArray  # [R, T-k] open requisitions by the month (of the new plan) their hire
    # starts: hires already in motion
    revenue_to_date: float  # sum of MRR over months 0 … k-1, all tiers
    new_mrr_to_date: float  # new MRR booked in months 0 … k-1, all tiers


def plan_state(view: PlanView, k: int) -> StartState:
    """Return the state a plan's own figures reach at the end of month ``k - 1``.

    People are whole and leave longest-serving first (docs/model.md §4), so replaying the
    plan's starts and departures from its opening team gives each start month's people
    still there; those with less tenure than the ramp in month k are still ramping.  The
    accrual is replayed with the same arithmetic as the staffing loop, so a plan opening
    from it sends the same people at the same months.  The requisitions open at k are the
    hires that start in the next ``h`` months (opened before k), and the requisitions the
    plan declared open (undated) that it has not used yet, dated by the month of the start
    the plan uses each for (one it never uses is never counted).
    """
    s, p = view.structure, view.params
    T = s.months
    if not 1 <= k < T:
        raise ValueError(f"a plan of {T} months restarts in months 1 … {T - 1}, not {k}")
    R, Q = len(s.roles), p.ramping_heads.shape[1]
    ramping = np.zeros((R, Q))
    accrued = np.zeros(R)
    dated = np.zeros((R, T - k))
    m = monthly_attrition(p.attrition_rate_annual)
    for r in range(R):
        ramping[r] = _tenure_at(view, r, k)
        accrued[r] = max(
            accrued_after(
                float(p.accrued_departures[r]),
                float(p.opening_heads[r]),
                view.heads[r, :k],
                view.departures[r, :k],
                float(m[r]),
            ),
            0.0,
        )
        lead = int(p.lead_months[r])
        # Starts in months k … k+h-1 are on requisitions already open at k (new ones open h
        # months ahead); later, the plan's own dated requisitions and the undated ones it
        # uses (every start takes an undated requisition first, while any is left).
        near = min(k + lead, T)
        dated[r, : near - k] = view.starts[r, k:near]
        undated = p.dated_reqs[r, :T] + _undated_used(view, r)
        dated[r, near - k :] = undated[near:T]
    rev = view.revenue
    return StartState(
        month=k,
        mrr=rev.mrr[:, k - 1].copy(),
        customers=rev.customers[:, k - 1].copy(),
        heads=view.heads[:, k - 1].copy(),
        ramping=ramping,
        accrued=accrued,
        dated=dated,
        revenue_to_date=float(rev.mrr[:, :k].sum()),
        new_mrr_to_date=float(rev.new_mrr[:, :k].sum()),
    )


def cohorts_at(
    opening: float,
    opening_ramping: FloatArray,
    starts: FloatArray,
    departures: FloatArray,
    k: int,
    ramp_months: int,
) -> FloatArray:
    """Return the people still ramping in month ``k`` by tenure [Q] (tenure j: started in
    month k - j), from an opening team and the starts and departures of months 0 … k-1.

    The opening team is ``opening`` people, ``opening_ramping[j]`` of them started j months
    before month 0.  Each month the departures leave first, longest-serving first, then the
    month's starts join (docs/model.md §4).

    >>> cohorts_at(2, np.zeros(4), np.array([1.0, 1, 0]), np.array([0.0, 0, 2]), 3, 3).tolist()
    [0.0, 0.0, 1.0, 0.0]
    """
    Q = len(opening_ramping)
    # People by start month, oldest first; the fully ramped opening team started "long ago".
    since = [-(10**9), *range(-(Q - 1), 0)]
    count = [opening - float(opening_ramping.sum())]
    count += [float(opening_ramping[j]) for j in range(Q - 1, 0, -1)]
    for t in range(k):
        leave = float(departures[t])
        for i, here in enumerate(count):  # longest-serving first
            gone = min(leave, here)
            count[i] -= gone
            leave -= gone
        if starts[t]:
            since.append(t)
            count.append(float(starts[t]))
    out = np.zeros(Q)
    for start, people in zip(since, count, strict=True):
        tenure = k - start
        if people > 0 and tenure < ramp_months:
            out[min(tenure, Q - 1)] += people
    return out


def plan_open_requisitions(view: PlanView) -> FloatArray:
    """Return the requisitions a plan has open at the end of each month [R, T].

    At the end of month t: those for the starts on new requisitions in months t+1 … t+h
    (opened h months ahead), the dated ones not started yet, and the undated ones the plan
    has not used.
    """
    p, T = view.params, view.structure.months
    out = np.zeros((len(view.structure.roles), T))
    for r in range(len(view.structure.roles)):
        lead = int(p.lead_months[r])
        used = _undated_used(view, r)
        new = view.starts[r, :T] - p.dated_reqs[r, :T] - used
        dated_after = np.cumsum(p.dated_reqs[r, :T][::-1])[::-1]  # dated in months >= t
        undated_left = float(p.open_reqs[r]) - np.cumsum(used)  # left after month t
        for t in range(T):
            ahead = float(new[t + 1 : t + 1 + lead].sum())
            later = float(dated_after[t + 1]) if t + 1 < T else 0.0
            out[r, t] = ahead + later + float(undated_left[t])
    return out


def opening_requisitions(view: PlanView) -> FloatArray:
    """Return the dated requisitions a plan has open before month 0, by the month their
    hire starts [R, T]: its own dated ones, and those for the starts on new requisitions in
    months 0 … h-1 (which opened before the plan).  Undated ones are not in it."""
    p, T = view.params, view.structure.months
    out = np.array(p.dated_reqs[:, :T], dtype=np.float64)
    for r in range(len(view.structure.roles)):
        lead = min(int(p.lead_months[r]), T)
        new = view.starts[r, :T] - p.dated_reqs[r, :T] - _undated_used(view, r)
        out[r, :lead] += new[:lead]
    return out


def _undated_used(view: PlanView, r: int) -> FloatArray:
    """Return the undated open requisitions role r's starts use, by month [T].

    Starts beyond the dated ones take an undated requisition while any is left
    (engine/staffing.py), so what is left before month t is ``open - Σ (starts - dated)``.

    """
    p, T = view.params, view.structure.months
    beyond = view.starts[r, :T] - p.dated_reqs[r, :T]
    left = np.maximum(float(p.open_reqs[r]) - np.concatenate([[0.0], np.cumsum(beyond)]), 0.0)
    return np.asarray(left[:-1] - left[1:])


def _tenure_at(view: PlanView, r: int, k: int) -> FloatArray:
    """Return role r's people still ramping in month k by tenure, from the plan's figures."""
    p = view.params
    return cohorts_at(
        float(p.opening_heads[r]),
        p.ramping_heads[r],
        view.starts[r],
        view.departures[r],
        k,
        int(p.ramp_months[r]),
    )


def accrued_after(
    start: float, opening: float, heads: FloatArray, departures: FloatArray, m: float
) -> float:
    """Return the accrual of departures left after the months of ``heads`` and
    ``departures`` [k], from ``start`` with ``opening`` heads before them.

    The staffing loop adds ``heads[t-1] * m`` and takes away the month's departures, in
    that order (engine/staffing.py); the same operations give the same number to the last
    bit, so a plan opening from it sends the same people at the same months.  The loop may
    leave it a hair below 0 (its floor carries a tolerance).

    The staffing example of docs/model.md §4 after its month 5 (attrition 50% a year):

    >>> m = float(monthly_attrition(np.array(0.5)))
    >>> round(accrued_after(0.0, 2, np.array([2.0, 3, 3, 3, 3, 4]), np.zeros(6), m), 4)
    0.898
    """
    acc = np.float64(start)
    heads_prev = np.float64(opening)
    for t in range(len(heads)):
        acc = acc + heads_prev * np.float64(m)
        acc = acc - departures[t]
        heads_prev = heads[t]
    return float(acc)
