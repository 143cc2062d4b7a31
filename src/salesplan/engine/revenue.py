"""Revenue (docs/model.md §1, §14): solve new MRR from the target, then tier MRR and customers.

New bookings may be seasonal: ``N_k[t] = (s_k n + F_k) g**t ω_k[t]`` with relative weights
``ω`` by calendar month (1 every month without seasonality, which is §1 to the last bit).
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
    target_met: BoolArray  # [S] the target is met without the share tiers (n <= 0)
    met_by_opening: BoolArray  # [S] ... by the opening base alone, before explicit new MRR
    new_mrr: FloatArray  # [S, K, TE] N_k[t]
    new_customers: FloatArray  # [S, K, TE] W_k[t]
    mrr: FloatArray  # [S, K, TE]
    customers: FloatArray  # [S, K, TE]
    churned_customers: FloatArray  # [S, K, TE]
    churned_mrr: FloatArray  # [S, K, TE]
    expansion_mrr: FloatArray  # [S, K, TE]
    booking_curve: FloatArray  # [S, K] W_k[t] = booking_curve * g**t * ω_k[t] (customers)


def growth_powers(growth: FloatArray, months: int) -> FloatArray:
    """Return ``g**t`` for t = 0 … months-1, with ``g = 1 + growth``; shape [S, months].

    >>> growth_powers(np.array([0.0, 0.1]), 3).round(4).tolist()
    [[1.0, 1.0, 1.0], [1.0, 1.1, 1.21]]
    """
    g = 1.0 + np.asarray(growth, dtype=np.float64)
    return np.power(g[:, None], np.arange(months)[None, :])


def tier_season(
    cell_season: FloatArray, cell_tier: IntArray, cell_share: FloatArray, tiers: int
) -> FloatArray:
    """Return each tier's weight of new bookings by month, ``[S, K, TE]``.

    A tier books what its motions win: ``ω_k[t] = Σ_m share_m w_m[t] / Σ_m share_m`` over
    its motions, from each motion's weights ``cell_season`` [S, M, TE].  Equal weights give
    exactly 1 (``x / x``), so a plan without seasonality is unchanged.

    >>> w = np.array([[[2.0, 0.5], [1.0, 1.0]]])  # two motions of one tier, two months
    >>> tier_season(w, np.array([0, 0]), np.array([[0.25, 0.75]]), 1).tolist()
    [[[1.25, 0.875]]]
    """
    in_tier = (cell_tier[:, None] == np.arange(tiers)[None, :]).astype(np.float64)  # [M, K]
    weighted = np.einsum("smt,sm,mk->skt", cell_season, cell_share, in_tier)
    shares = cell_share @ in_tier  # [S, K]
    return np.asarray(weighted / np.where(shares > 0, shares, 1.0)[:, :, None])


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
    booked: FloatArray | None = None,
    fixed: FloatArray | None = None,
    year: IntArray | None = None,
) -> FloatArray:
    """Solve n (new MRR of an average month in month 0, share tiers) exactly from one target.

    Parameters
    ----------
    kind : one of ending_arr, first_year_revenue, new_arr_per_year, new_mrr_per_month.
    value : [S] the target.
    base_mrr : [S, TE] total MRR with n = 0 (opening base and explicit tiers).
    unit_mrr : [S, TE] total MRR added per unit of n.
    gpow : [S, TE] g**t.
    explicit : [S] total explicit month-0 new MRR F.
    booked : [S, TE] σ[t], the share tiers' weight of month t, ``Σ_k s_k ω_k / Σ_k s_k``
        (default 1: no seasonality).
    fixed : [S, TE] ψ[t], the explicit tiers' weight, ``Σ_k F_k ω_k / F`` (default 1).
    year : [S] months of the first year still ahead, Y_m (None: 12, a new plan's; fewer in
        a plan that starts part-way, §15).

    Notes
    -----
    Everything is linear in n, ``MRR[t] = base[t] + n * unit[t]``; seasonal weights are in
    the base and the unit already:

    - ending ARR A: ``12 * MRR[T-1] = A``;
    - first-year revenue Y: ``sum_{t<Y_m} MRR[t] = Y``;
    - new ARR per year B: ``12 * sum_{t<Y_m} (n σ[t] + F ψ[t]) g**t = B``, so
      ``n = B / (12 Σ σ g**t) - F Σ ψ g**t / Σ σ g**t``;
    - new MRR per month V, booked in month 0: ``n σ[0] + F ψ[0] = V``.

    With σ = ψ = 1 the last two are §1's ``n = B / (12 Σ g**t) - F`` and ``n = V - F``
    exactly.  The book's rule: with no base, churn or expansion and g = 1,
    ``unit[t] = t + 1`` and ``n = Y / 78``.

    >>> t = np.arange(12.0)[None, :]
    >>> solve_new_mrr("first_year_revenue", np.array([1_560_000.0]), 12,
    ...               np.zeros((1, 12)), t + 1, np.ones((1, 12)), np.zeros(1))
    array([20000.])
    """
    sigma = np.ones_like(gpow) if booked is None else booked
    psi = np.ones_like(gpow) if fixed is None else fixed
    if kind == "ending_arr":
        n = (value / 12 - base_mrr[:, months - 1]) / _nonzero(unit_mrr[:, months - 1])
    elif kind == "first_year_revenue":
        base, unit = first_year_sum(base_mrr, year), first_year_sum(unit_mrr, year)
        n = (value - base) / _nonzero(unit)
    elif kind == "new_arr_per_year":
        weighted = first_year_sum(sigma * gpow, year)
        n = value / (12 * weighted) - explicit * first_year_sum(psi * gpow, year) / weighted
    else:
        n = (value - explicit * psi[:, 0]) / _nonzero(sigma[:, 0])
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
    season: FloatArray | None = None,
    year: IntArray | None = None,
) -> Revenue:
    """Solve n and run tier MRR and customers for ``extended`` months (docs/model.md §1).

    New MRR ``N_k[t] = (s_k n + F_k) g**t ω_k[t]``; ``MRR_k[t] = MRR_k[t-1](1-c_k)(1+e_k) +
    N_k[t]``; ``C_k[t] = C_k[t-1](1-c_k) + N_k[t]/p_k``.  ``season`` [S, K, TE] holds the
    tiers' weights ω (:func:`tier_season`; none: 1 every month).  Variants whose target is
    met without the share tiers (n <= 0) are flagged and run with n = 0; ``met_by_opening``
    tells whether the opening base alone meets it, or only with the explicit tiers' new MRR
    (``F``).

    >>> r = revenue("new_mrr_per_month", np.array([1000.0]), 2, 2, np.zeros(1),
    ...             np.array([[100.0]]), np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
    ...             np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)))
    >>> r.new_customers[0, 0].tolist(), r.mrr[0, 0].tolist()
    ([10.0, 10.0], [1000.0, 2000.0])

    The same $120,000 of new MRR booked July to December instead of over the year (§14):

    >>> july = np.array([[[0.0] * 6 + [2.0] * 6]])
    >>> r = revenue("ending_arr", np.array([1_440_000.0]), 12, 12, np.zeros(1),
    ...             np.array([[500.0]]), np.zeros((1, 1)), np.zeros((1, 1)), np.ones((1, 1)),
    ...             np.zeros((1, 1)), np.zeros((1, 1)), np.zeros((1, 1)), july)
    >>> float(r.new_mrr_solved[0]), float(r.new_mrr[0, 0, 6]), float(r.mrr[0, 0].sum())
    (10000.0, 20000.0, 420000.0)
    """
    gpow = growth_powers(growth, extended)  # [S, TE]
    keep_mrr = (1 - churn) * (1 + expansion)
    # The base (opening MRR and explicit new MRR) and the unit (MRR per unit of n) run as one
    # recurrence over the tiers twice over.
    K = share.shape[1]
    booked = np.concatenate([explicit, share], axis=1)[:, :, None] * gpow[:, None, :]
    if season is not None:
        booked = booked * np.concatenate([season, season], axis=1)
    both = tier_recurrence(
        np.concatenate([opening_mrr, np.zeros_like(opening_mrr)], axis=1),
        np.concatenate([keep_mrr, keep_mrr], axis=1),
        booked,
    )
    base, unit = both[:, :K], both[:, K:]
    has_share = share.sum(axis=1) > 0
    sigma = psi = None
    if season is not None:
        sigma = _weighted(season, share)
        psi = _weighted(season, explicit)
    n = solve_new_mrr(
        kind,
        value,
        months,
        base.sum(axis=1),
        unit.sum(axis=1),
        gpow,
        explicit.sum(axis=1),
        sigma,
        psi,
        year,
    )
    n = np.where(has_share, n, 0.0)
    met = has_share & ~(n > 0)
    # The same target against the opening base alone (its MRR decays by keep each month, no
    # explicit new MRR): what is left when the explicit tiers are taken away.
    months_on = np.arange(1, extended + 1, dtype=np.float64)
    opening_only = (opening_mrr[:, :, None] * np.power(keep_mrr[:, :, None], months_on)).sum(1)
    n_opening = solve_new_mrr(
        kind, value, months, opening_only, unit.sum(axis=1), gpow, np.zeros_like(value), year=year
    )
    met_by_opening = met & ~(n_opening > 0)
    n = np.where(met, 0.0, n)
    monthly = share * n[:, None] + explicit  # [S, K] month-0 new MRR by tier, before weights
    new_mrr = monthly[:, :, None] * gpow[:, None, :]
    if season is not None:
        new_mrr = new_mrr * season
    mrr = base + n[:, None, None] * unit
    curve = monthly / price
    new_customers = curve[:, :, None] * gpow[:, None, :]
    if season is not None:
        new_customers = new_customers * season
    customers = tier_recurrence(opening_customers, 1 - churn, new_customers)
    prev_c = np.concatenate([opening_customers[:, :, None], customers[:, :, :-1]], axis=2)
    prev_m = np.concatenate([opening_mrr[:, :, None], mrr[:, :, :-1]], axis=2)
    return Revenue(
        new_mrr_solved=n,
        target_met=met,
        met_by_opening=met_by_opening,
        new_mrr=new_mrr,
        new_customers=new_customers,
        mrr=mrr,
        customers=customers,
        churned_customers=prev_c * churn[:, :, None],
        churned_mrr=prev_m * churn[:, :, None],
        expansion_mrr=prev_m * (1 - churn[:, :, None]) * expansion[:, :, None],
        booking_curve=curve,
    )


def _weighted(season: FloatArray, amounts: FloatArray) -> FloatArray:
    """Return the tiers' weights [S, K, TE] averaged by ``amounts`` [S, K], [S, TE] (1 where
    the amounts are all 0: nothing to weigh)."""
    total = amounts.sum(axis=1)
    mean = np.einsum("skt,sk->st", season, amounts) / np.where(total > 0, total, 1.0)[:, None]
    return np.asarray(np.where(total[:, None] > 0, mean, 1.0))
