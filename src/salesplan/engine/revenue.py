"""Revenue (docs/model.md §1): solve new MRR from the target, then tier MRR and customers.

Pure numpy on a leading variant axis S; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.structure import BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class Revenue:
    """Revenue and customers by variant, tier and month (months 0 … TE-1)."""

    new_mrr_solved: FloatArray  # [S] n: new MRR a month from share tiers in month 0
    target_met: BoolArray  # [S] the opening base already meets the target (n <= 0)
    new_mrr: FloatArray  # [S, K, TE] N_k[t]
    new_customers: FloatArray  # [S, K, TE] W_k[t]
    mrr: FloatArray  # [S, K, TE]
    customers: FloatArray  # [S, K, TE]
    churned_customers: FloatArray  # [S, K, TE]
    churned_mrr: FloatArray  # [S, K, TE]
    expansion_mrr: FloatArray  # [S, K, TE]
    booking_curve: FloatArray  # [S, K] W_k[t] = booking_curve * g**t (new customers)


def growth_powers(growth: FloatArray, months: int) -> FloatArray:
    """Return ``g**t`` for t = 0 … months-1, with ``g = 1 + growth``; shape [S, months].

    >>> growth_powers(np.array([0.0, 0.1]), 3).round(4).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.1, 1.21]]
    """
    g = 1.0 + np.asarray(growth, dtype=np.float64)
    return np.power(g[:, None], np.arange(months)[None, :])


def tier_recurrence(opening: FloatArray, keep: FloatArray, inflow: FloatArray) -> FloatArray:
    """Return ``X[t] = X[t-1] * keep + inflow[t]`` with ``X[-1] = opening``.

    Shapes: opening and keep [S, K]; inflow [S, K, TE]; result [S, K, TE].

    Notes
    -----
    MRR uses ``keep = (1 - c) (1 + e)`` and inflow ``N_k[t]``; customers use ``keep = 1 - c``
    and inflow ``W_k[t] = N_k[t] / p_k``.

    >>> tier_recurrence(np.array([[100.0]]), np.array([[0.9]]), np.full((1, 1, 3), 10.0))
    array([[[100., 100., 100.]]])
    """
    out = np.empty_like(inflow)
    prev = opening
    for t in range(inflow.shape[2]):
        prev = prev * keep + inflow[:, :, t]
        out[:, :, t] = prev
    return out


def solve_new_mrr(
    kind: str,
    value: FloatArray,
    months: int,
    base_mrr: FloatArray,
    unit_mrr: FloatArray,
    gpow: FloatArray,
    explicit: FloatArray,
    year: IntArray | None = None,
) -> FloatArray:
    """Solve n (new MRR a month in month 0, share tiers) exactly from one target.

    Parameters
    ----------
    kind : one of ending_arr, first_year_revenue, new_arr_per_year, new_mrr_per_month.
    value : [S] the target.
    base_mrr : [S, TE] total MRR with n = 0 (opening base and explicit tiers).
    unit_mrr : [S, TE] total MRR added per unit of n.
    gpow : [S, TE] g**t.
    explicit : [S] total explicit month-0 new MRR F.
    year : [S] months of the first year still ahead, Y_m (None: 12, a new plan's).

    Notes
    -----
    Everything is linear in n, ``MRR[t] = base[t] + n * unit[t]``:

    - ending ARR A: ``12 * MRR[T-1] = A``;
    - first-year revenue Y: ``sum_{t<Y_m} MRR[t] = Y``;
    - new ARR per year B: ``12 * sum_{t<Y_m} (n + F) g**t = B``;
    - new MRR per month: ``n + F = value``.

    The book's rule: with no base, churn or expansion and g = 1, ``unit[t] = t + 1`` and
    ``n = Y / 78``.

    >>> t = np.arange(12.0)[None, :]
    >>> solve_new_mrr("first_year_revenue", np.array([1_560_000.0]), 12,
    ...               np.zeros((1, 12)), t + 1, np.ones((1, 12)), np.zeros(1))
    array([20000.])
    """
    if kind == "ending_arr":
        n = (value / 12 - base_mrr[:, months - 1]) / _nonzero(unit_mrr[:, months - 1])
    elif kind == "first_year_revenue":
        base, unit = first_year_sum(base_mrr, year), first_year_sum(unit_mrr, year)
        n = (value - base) / _nonzero(unit)
    elif kind == "new_arr_per_year":
        n = value / (12 * first_year_sum(gpow, year)) - explicit
    else:
        n = value - explicit
    return np.asarray(n, dtype=np.float64)


def first_year_sum(values: FloatArray, year: IntArray | None) -> FloatArray:
    """Return the sum of ``values`` [S, TE] over each variant's first ``year`` months
    (None: 12), the months of the first year the plan still holds.

    >>> first_year_sum(np.arange(14.0)[None, :], np.array([3])).tolist()
    [3.0]
    """
    if year is None or (year == year[0]).all():
        return np.asarray(values[:, : 12 if year is None else int(year[0])].sum(axis=1))
    first = np.arange(values.shape[1])[None, :] < year[:, None]
    return np.asarray(np.where(first, values, 0.0).sum(axis=1))


def _nonzero(x: FloatArray) -> FloatArray:
    return np.where(x == 0, np.inf, x)


def revenue(
    kind: str,
    value: FloatArray,
    months: int,
    extended: int,
    growth: FloatArray,
    price: FloatArray,
    churn: FloatArray,
    expansion: FloatArray,
    share: FloatArray,
    explicit: FloatArray,
    opening_mrr: FloatArray,
    opening_customers: FloatArray,
    year: IntArray | None = None,
) -> Revenue:
    """Solve n and run tier MRR and customers for ``extended`` months (docs/model.md §1).

    New MRR ``N_k[t] = (s_k n + F_k) g**t``; ``MRR_k[t] = MRR_k[t-1](1-c_k)(1+e_k) + N_k[t]``;
    ``C_k[t] = C_k[t-1](1-c_k) + N_k[t]/p_k``.  Variants whose target the opening base
    already meets (n <= 0) are flagged and run with n = 0.

    >>> r = revenue("new_mrr_per_month", np.array([1000.0]), 2, 2, np.zeros(1),
    ...             np.array([[100.0]]), np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
    ...             np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)))
    >>> r.new_customers[0, 0].tolist(), r.mrr[0, 0].tolist()
    ([10.0, 10.0], [1000.0, 2000.0])
    """
    gpow = growth_powers(growth, extended)  # [S, TE]
    keep_mrr = (1 - churn) * (1 + expansion)
    # The base (opening MRR and explicit new MRR) and the unit (MRR per unit of n) run as one
    # recurrence over the tiers twice over.
    K = share.shape[1]
    both = tier_recurrence(
        np.concatenate([opening_mrr, np.zeros_like(opening_mrr)], axis=1),
        np.concatenate([keep_mrr, keep_mrr], axis=1),
        np.concatenate([explicit, share], axis=1)[:, :, None] * gpow[:, None, :],
    )
    base, unit = both[:, :K], both[:, K:]
    has_share = share.sum(axis=1) > 0
    n = solve_new_mrr(
        kind, value, months, base.sum(axis=1), unit.sum(axis=1), gpow, explicit.sum(axis=1), year
    )
    n = np.where(has_share, n, 0.0)
    met = has_share & ~(n > 0)
    n = np.where(met, 0.0, n)
    monthly = share * n[:, None] + explicit  # [S, K] month-0 new MRR by tier
    new_mrr = monthly[:, :, None] * gpow[:, None, :]
    mrr = base + n[:, None, None] * unit
    curve = monthly / price
    new_customers = curve[:, :, None] * gpow[:, None, :]
    customers = tier_recurrence(opening_customers, 1 - churn, new_customers)
    prev_c = np.concatenate([opening_customers[:, :, None], customers[:, :, :-1]], axis=2)
    prev_m = np.concatenate([opening_mrr[:, :, None], mrr[:, :, :-1]], axis=2)
    return Revenue(
        new_mrr_solved=n,
        target_met=met,
        new_mrr=new_mrr,
        new_customers=new_customers,
        mrr=mrr,
        customers=customers,
        churned_customers=prev_c * churn[:, :, None],
        churned_mrr=prev_m * churn[:, :, None],
        expansion_mrr=prev_m * (1 - churn[:, :, None]) * expansion[:, :, None],
        booking_curve=curve,
    )
