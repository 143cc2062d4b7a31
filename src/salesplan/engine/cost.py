"""Cost, CAC and CRC (docs/model.md §6): what the people and the marketing cost, and for whom.

Pure numpy on a leading variant axis S; no I/O.  A *cell* is one (tier, motion).  Each
role's cost goes to cells by its work there (``need_by_cell``, which already carries the
managers' need after their people), then to tiers; it splits into acquisition and retention
by the role's ``acquisition_share``.  Marketing is all acquisition.  Every attributed array
adds up to the total, so nothing is lost or counted twice between the role view and the
tier view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.structure import FloatArray, IntArray

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult

# Below this a count of customers (fractional in the model) is taken as none.
MIN_CUSTOMERS = 1e-9


@dataclass(frozen=True)
class Costs:
    """Monthly cost of a batch of plans, by role, cell and tier (months 0 … TE-1)."""

    per_head: FloatArray  # [S, R] loaded cost of one head a month
    people: FloatArray  # [S, R, TE] heads x per_head
    hiring: FloatArray  # [S, R, TE] starts x cost per hire
    role_cost: FloatArray  # [S, R, TE] people + hiring
    role_share: FloatArray  # [S, R, M, TE] share of a role's cost going to each cell
    role_acquisition: FloatArray  # [S, R, TE]
    role_retention: FloatArray  # [S, R, TE]
    acquisition_by_cell: FloatArray  # [S, M, TE] roles' acquisition cost (marketing apart)
    retention_by_cell: FloatArray  # [S, M, TE]
    acquisition_by_tier: FloatArray  # [S, K, TE] roles' acquisition cost (marketing apart)
    retention_by_tier: FloatArray  # [S, K, TE]
    entries: FloatArray  # [S, M, TE] entries into each motion's first stage
    marketing: FloatArray  # [S, M, TE] cost per entry x entries + programme
    marketing_by_tier: FloatArray  # [S, K, TE]

    @property
    def total(self) -> FloatArray:
        """Return all sales and marketing cost a month [S, TE] ([TE] for one variant)."""
        return np.asarray(self.role_cost.sum(axis=-2) + self.marketing.sum(axis=-2))


def head_cost(
    ote: FloatArray,
    base_share: FloatArray,
    payout: FloatArray,
    burden: FloatArray,
    tools: FloatArray,
) -> FloatArray:
    """Return the loaded cost of one head a month; arrays broadcast.

    Notes
    -----
    ``(base + variable * payout) / 12 * (1 + burden) + tools`` with ``base = ote * base_share``
    and ``variable = ote - base``; ``payout`` is 1 at plan.

    Examples
    --------
    A $130K OTE AE at 50/50 with 20% burden and $250 of tools a month:

    >>> float(head_cost(np.array(130_000.0), np.array(0.5), np.array(1.0),
    ...                 np.array(0.2), np.array(250.0)))
    13250.0
    """
    base = ote * base_share
    variable = ote - base
    return np.asarray((base + variable * payout) / 12.0 * (1.0 + burden) + tools)


def role_costs(
    heads: FloatArray, starts: FloatArray, per_head: FloatArray, cost_per_hire: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Return each role's people cost and hiring cost by month, ``[S, R, T]`` each.

    >>> people, hiring = role_costs(np.full((1, 1, 2), 2.0), np.array([[[1.0, 0.0]]]),
    ...                             np.array([[1000.0]]), np.array([[500.0]]))
    >>> people.tolist(), hiring.tolist()
    ([[[2000.0, 2000.0]]], [[[500.0, 0.0]]])
    """
    return heads * per_head[:, :, None], starts * cost_per_hire[:, :, None]


def attribution_shares(need_by_cell: FloatArray, fallback: FloatArray) -> FloatArray:
    """Return each role's share of its cost going to each cell, ``[S, R, M, TE]``.

    Notes
    -----
    ``share[r, m, t] = need[r, m, t] / sum_m need[r, m, t]``.  In a month where the role has
    no need (heads kept through a lull, opening heads before the work arrives) it is the
    role's share of its need over all months computed; a role with no need at all is
    spread like ``fallback`` ``[S, M]`` (the cells' shares of new MRR).  Shares sum to 1
    over cells, so attributed cost adds up to the role's cost.

    Examples
    --------
    One role, two cells; month 1 has no need and takes the average share 3:1.

    >>> need = np.array([[[[1.0, 0.0, 2.0], [1.0, 0.0, 0.0]]]])
    >>> attribution_shares(need, np.array([[0.5, 0.5]]))[0, 0].tolist()
    [[0.5, 0.75, 1.0], [0.5, 0.25, 0.0]]
    """
    month_need = need_by_cell.sum(axis=2, keepdims=True)  # [S, R, 1, TE]
    all_need = need_by_cell.sum(axis=3)  # [S, R, M]
    all_total = all_need.sum(axis=2, keepdims=True)  # [S, R, 1]
    average = np.where(
        all_total > 0,
        all_need / np.where(all_total > 0, all_total, 1.0),
        fallback[:, None, :],
    )  # [S, R, M]
    share = np.where(
        month_need > 0,
        need_by_cell / np.where(month_need > 0, month_need, 1.0),
        average[:, :, :, None],
    )
    return np.asarray(share)


def attributed_total(
    need_by_cell: FloatArray, role_cost: FloatArray, fallback: FloatArray
) -> FloatArray:
    """Return each role's cost over all months by cell, ``[S, R, M]``.

    The same attribution as :func:`attribution_shares` summed over months,
    ``sum_t share[r, m, t] * role_cost[r, t]``, without building the ``[S, R, M, T]``
    shares (the simulation costs 10,000 orgs at a time).

    Examples
    --------
    The example of :func:`attribution_shares` with a cost of 10, 20 and 40 in months 0 … 2:

    >>> need = np.array([[[[1.0, 0.0, 2.0], [1.0, 0.0, 0.0]]]])
    >>> cost = np.array([[[10.0, 20.0, 40.0]]])
    >>> attributed_total(need, cost, np.array([[0.5, 0.5]]))[0, 0].tolist()
    [60.0, 10.0]
    >>> (attribution_shares(need, np.array([[0.5, 0.5]])) * cost[:, :, None]).sum(3)[0, 0].tolist()
    [60.0, 10.0]
    """
    month_need = need_by_cell.sum(axis=2)  # [S, R, T]
    worked = month_need > 0
    per_need = np.where(worked, role_cost / np.where(worked, month_need, 1.0), 0.0)
    idle_cost = np.where(worked, 0.0, role_cost).sum(axis=2)  # [S, R]
    all_need = need_by_cell.sum(axis=3)  # [S, R, M]
    all_total = all_need.sum(axis=2, keepdims=True)
    average = np.where(
        all_total > 0, all_need / np.where(all_total > 0, all_total, 1.0), fallback[:, None, :]
    )
    by_cell = np.matmul(need_by_cell, per_need[:, :, :, None])[..., 0]  # [S, R, M]
    return np.asarray(by_cell + average * idle_cost[:, :, None])


def cac(acquisition: FloatArray, won: FloatArray) -> FloatArray:
    """Return ``acquisition / won``, NaN where fewer than :data:`MIN_CUSTOMERS` were won.

    >>> cac(np.array([3000.0, 500.0]), np.array([3.0, 0.0])).tolist()
    [1000.0, nan]
    """
    return _ratio(acquisition, won, won > MIN_CUSTOMERS)


def new_mrr_weights(new_mrr: FloatArray, cell_tier: IntArray, cell_share: FloatArray) -> FloatArray:
    """Return each cell's share of all new MRR, ``[S, M]`` (uniform if there is none).

    Examples
    --------
    >>> new_mrr_weights(np.array([[[30.0], [10.0]]]), np.array([0, 0, 1]),
    ...                 np.array([[0.5, 0.5, 1.0]])).tolist()
    [[0.375, 0.375, 0.25]]
    """
    tier_total = new_mrr.sum(axis=2)  # [S, K]
    weights = tier_total[:, cell_tier] * cell_share  # [S, M]
    total = weights.sum(axis=1, keepdims=True)
    uniform = np.full_like(weights, 1.0 / max(weights.shape[1], 1))
    return np.asarray(np.where(total > 0, weights / np.where(total > 0, total, 1.0), uniform))


def first_stage_entries(
    volume: FloatArray, first_stage: np.ndarray, stage_cell: IntArray, cells: int
) -> FloatArray:
    """Return entries into each motion's first stage, ``[S, M, TE]`` from ``volume [S, J, TE]``.

    Examples
    --------
    >>> v = np.array([[[10.0, 12.0], [3.0, 4.0], [7.0, 7.0]]])
    >>> first_stage_entries(v, np.array([True, False, True]), np.array([0, 0, 1]), 2).tolist()
    [[[10.0, 12.0], [7.0, 7.0]]]
    """
    S, _, TE = volume.shape
    out = np.zeros((S, cells, TE))
    for j in np.nonzero(first_stage)[0]:
        out[:, stage_cell[j]] += volume[:, j]
    return out


def marketing_cost(
    entries: FloatArray, cost_per_entry: FloatArray, programme: FloatArray
) -> FloatArray:
    """Return marketing cost by cell and month, ``[S, M, TE]``.

    Notes
    -----
    ``marketing[m, t] = cost_per_entry[m] * entries[m, t] + programme[m]`` (programme spend is
    per month).

    Examples
    --------
    >>> marketing_cost(np.array([[[100.0, 150.0]]]), np.array([[40.0]]),
    ...                np.array([[8000.0]])).tolist()
    [[[12000.0, 14000.0]]]
    """
    return np.asarray(entries * cost_per_entry[:, :, None] + programme[:, :, None])


def to_tiers(by_cell: FloatArray, cell_tier: IntArray, tiers: int) -> FloatArray:
    """Return ``[S, M, TE]`` summed into tiers, ``[S, K, TE]``.

    Examples
    --------
    >>> to_tiers(np.array([[[1.0], [2.0], [4.0]]]), np.array([0, 0, 1]), 2).tolist()
    [[[3.0], [4.0]]]
    """
    onehot = (cell_tier[:, None] == np.arange(tiers)[None, :]).astype(np.float64)  # [M, K]
    return np.asarray(np.einsum("smt,mk->skt", by_cell, onehot))


def cost_arrays(
    *,
    heads: FloatArray,
    starts: FloatArray,
    need_by_cell: FloatArray,
    new_mrr: FloatArray,
    entries: FloatArray,
    cell_tier: IntArray,
    cell_share: FloatArray,
    ote: FloatArray,
    base_share: FloatArray,
    payout: FloatArray,
    burden: FloatArray,
    tools: FloatArray,
    cost_per_hire: FloatArray,
    acquisition_share: FloatArray,
    cost_per_entry: FloatArray,
    programme: FloatArray,
) -> Costs:
    """Return the cost of a batch of plans by role, cell and tier (docs/model.md §6).

    Notes
    -----
    ``role_cost[r, t] = heads[r, t] * head_cost_r + starts[r, t] * cost_per_hire_r``; it goes
    to cells by :func:`attribution_shares`, then acquisition takes ``acquisition_share_r`` of
    it and retention the rest.  Marketing (:func:`marketing_cost` of ``entries [S, M, TE]``,
    the entries into each motion's first stage) is all acquisition.  The planning engine
    (:func:`plan_costs`) and forwards (engine/simulate.py) both cost their runs here.

    Examples
    --------
    One role (half acquisition) working two cells 1:3 in two tiers, one head, no marketing:

    >>> one = np.ones((1, 1))
    >>> c = cost_arrays(
    ...     heads=np.ones((1, 1, 1)), starts=np.zeros((1, 1, 1)),
    ...     need_by_cell=np.array([[[[1.0], [3.0]]]]), new_mrr=np.ones((1, 2, 1)),
    ...     entries=np.zeros((1, 2, 1)), cell_tier=np.array([0, 1]),
    ...     cell_share=np.ones((1, 2)), ote=one * 120_000, base_share=one, payout=one,
    ...     burden=one * 0.0, tools=one * 0.0, cost_per_hire=one * 0.0,
    ...     acquisition_share=one * 0.5, cost_per_entry=np.zeros((1, 2)),
    ...     programme=np.zeros((1, 2)))
    >>> c.acquisition_by_tier[0, :, 0].tolist(), c.retention_by_tier[0, :, 0].tolist()
    ([1250.0, 3750.0], [1250.0, 3750.0])
    """
    per_head = head_cost(ote, base_share, payout, burden, tools)  # [S, R]
    people, hiring = role_costs(heads, starts, per_head, cost_per_hire)
    role_cost = people + hiring
    fallback = new_mrr_weights(new_mrr, cell_tier, cell_share)
    share = attribution_shares(need_by_cell, fallback)
    by_cell = share * role_cost[:, :, None, :]  # [S, R, M, TE]
    acq = acquisition_share[:, :, None, None]
    acquisition_by_cell = np.asarray((by_cell * acq).sum(axis=1))
    retention_by_cell = np.asarray((by_cell * (1.0 - acq)).sum(axis=1))
    K = int(new_mrr.shape[1])
    marketing = marketing_cost(entries, cost_per_entry, programme)
    return Costs(
        per_head=per_head,
        people=people,
        hiring=hiring,
        role_cost=role_cost,
        role_share=share,
        role_acquisition=role_cost * acquisition_share[:, :, None],
        role_retention=role_cost * (1.0 - acquisition_share[:, :, None]),
        acquisition_by_cell=acquisition_by_cell,
        retention_by_cell=retention_by_cell,
        acquisition_by_tier=to_tiers(acquisition_by_cell, cell_tier, K),
        retention_by_tier=to_tiers(retention_by_cell, cell_tier, K),
        entries=entries,
        marketing=marketing,
        marketing_by_tier=to_tiers(marketing, cell_tier, K),
    )


def plan_costs(
    result: PlanResult, heads: FloatArray | None = None, starts: FloatArray | None = None
) -> Costs:
    """Return the cost of an engine run by role, cell and tier (see :func:`cost_arrays`).

    ``heads`` and ``starts`` [S, R, TE] replace the run's, e.g. to cost the continuous need
    (``result.need``, no starts) rather than whole people.
    """
    s, p = result.structure, result.params
    return cost_arrays(
        heads=result.heads if heads is None else heads,
        starts=result.starts if starts is None else starts,
        need_by_cell=result.need_by_cell,
        new_mrr=result.revenue.new_mrr,
        entries=first_stage_entries(
            result.funnel.volume, s.first_stage, s.stage_cell, len(s.cells)
        ),
        cell_tier=s.cell_tier,
        cell_share=p.cell_share,
        ote=p.ote,
        base_share=p.base_share,
        payout=p.payout_rate,
        burden=p.burden_rate,
        tools=p.tools_per_month,
        cost_per_hire=p.cost_per_hire,
        acquisition_share=p.acquisition_share,
        cost_per_entry=p.cost_per_entry,
        programme=p.programme_per_month,
    )


@dataclass(frozen=True)
class UnitEconomics:
    """Unit economics per tier and period; axis 1 is the K tiers, then one blended row.

    Every array is ``[S, K + 1, P]`` for P periods.  NaN marks an undefined figure (no new
    customers, no churn, no previous period …); the report layer says why.
    """

    new_customers: FloatArray
    marketing: FloatArray
    sales_acquisition: FloatArray  # roles' acquisition cost
    acquisition: FloatArray  # marketing + sales_acquisition
    retention: FloatArray
    average_customers: FloatArray
    revenue: FloatArray  # sum of MRR over the period's months
    sm_cost: FloatArray  # acquisition + retention
    net_new_arr: FloatArray  # ARR at the period's end less ARR at the previous period's end
    cac: FloatArray
    crc: FloatArray  # retention cost over the period per average active customer
    crc_share: FloatArray  # retention cost / revenue
    cac_crc: FloatArray
    payback_months: FloatArray
    ltv: FloatArray
    ltv_cac: FloatArray
    magic_number: FloatArray


def _ratio(top: FloatArray, bottom: FloatArray, defined: np.ndarray) -> FloatArray:
    """Return top / bottom where ``defined``, NaN elsewhere (never a division warning)."""
    safe = np.where(defined, bottom, 1.0)
    return np.asarray(np.where(defined, top / safe, np.nan))


def unit_economics(
    costs: Costs,
    *,
    new_customers: FloatArray,
    customers: FloatArray,
    mrr: FloatArray,
    opening_mrr: FloatArray,
    price: FloatArray,
    gross_margin: FloatArray,
    churn: FloatArray,
    bounds: Sequence[tuple[int, int]],
) -> UnitEconomics:
    """Return CAC, CRC, payback, LTV and the magic number per tier and period (docs/model.md §6).

    ``bounds`` are the periods' (first, last) plan months; revenue arrays are ``[S, K, TE]``,
    ``price``, ``gross_margin`` and ``churn`` ``[S, K]``.

    Notes
    -----
    Over a period, per tier k (blended: the sums over tiers):

    - ``CAC = (marketing + acquisition cost) / new customers``;
    - ``CRC = retention cost / mean(C_k)`` over the period's months, and as a share of
      revenue ``retention cost / sum(MRR_k)`` (CRC per customer grows with the period);
    - ``payback months = CAC / (p_k * gm_k)``; blended, acquisition cost over the gross
      margin of the new customers' MRR, ``sum_k W_k p_k gm_k``;
    - ``LTV = p_k * gm_k / c_k``, undefined when ``c_k = 0``; blended, the new customers'
      average, undefined if a tier that won customers has no churn;
    - magic number = net new ARR in the period / S&M cost of the previous period, each per
      month of its period (so a short first quarter compares fairly; with equal periods it
      is the usual ``net new ARR / previous period's S&M``); undefined for the first period.

    Examples
    --------
    One tier, one month: $1,000 marketing + $2,000 sales for 3 new customers at $500 MRR,
    80% margin and 2% churn: CAC $1,000, payback 2.5 months, LTV $20,000, LTV:CAC 20.

    >>> z = np.zeros((1, 1, 1))
    >>> c = Costs(per_head=np.zeros((1, 1)), people=z, hiring=z, role_cost=z,
    ...           role_share=np.ones((1, 1, 1, 1)), role_acquisition=z, role_retention=z,
    ...           acquisition_by_cell=z + 2000, retention_by_cell=z + 300,
    ...           acquisition_by_tier=z + 2000, retention_by_tier=z + 300, entries=z,
    ...           marketing=z + 1000, marketing_by_tier=z + 1000)
    >>> e = unit_economics(c, new_customers=z + 3, customers=z + 100, mrr=z + 50_000,
    ...                    opening_mrr=np.zeros((1, 1)), price=np.array([[500.0]]),
    ...                    gross_margin=np.array([[0.8]]), churn=np.array([[0.02]]),
    ...                    bounds=[(0, 0)])
    >>> [round(float(a[0, 0, 0]), 4) for a in (e.cac, e.payback_months, e.ltv, e.ltv_cac,
    ...                                         e.crc, e.crc_share, e.cac_crc)]
    [1000.0, 2.5, 20000.0, 20.0, 3.0, 0.006, 333.3333]
    """
    S, K, _ = new_customers.shape
    P = len(bounds)

    def per_period(values: FloatArray, how: str) -> FloatArray:
        out = np.zeros((S, K + 1, P))
        for i, (first, last) in enumerate(bounds):
            part = values[:, :, first : last + 1]
            if how == "sum":
                tier = part.sum(axis=2)
            elif how == "mean":
                tier = part.mean(axis=2)
            else:  # end
                tier = part[:, :, -1]
            out[:, :K, i] = tier
            out[:, K, i] = tier.sum(axis=1)
        return out

    won = per_period(new_customers, "sum")
    marketing = per_period(costs.marketing_by_tier, "sum")
    sales = per_period(costs.acquisition_by_tier, "sum")
    acquisition = marketing + sales
    retention = per_period(costs.retention_by_tier, "sum")
    average = per_period(customers, "mean")
    revenue = per_period(mrr, "sum")
    sm = acquisition + retention
    arr_end = 12.0 * per_period(mrr, "end")
    opening_arr = np.zeros((S, K + 1))
    opening_arr[:, :K] = 12.0 * opening_mrr
    opening_arr[:, K] = opening_arr[:, :K].sum(axis=1)
    previous_arr = np.concatenate([opening_arr[:, :, None], arr_end[:, :, :-1]], axis=2)
    net_new_arr = arr_end - previous_arr

    has_won = won > MIN_CUSTOMERS
    cac_ = cac(acquisition, won)
    crc = _ratio(retention, average, average > MIN_CUSTOMERS)
    crc_share = _ratio(retention, revenue, revenue > 0)
    cac_crc = _ratio(cac_, crc, np.isfinite(cac_) & np.isfinite(crc) & (crc > 0))

    margin_mrr = price * gross_margin  # [S, K] gross margin of one new customer a month
    margin_new = np.zeros((S, K + 1, P))
    margin_new[:, :K] = won[:, :K] * margin_mrr[:, :, None]
    margin_new[:, K] = margin_new[:, :K].sum(axis=1)
    payback = _ratio(acquisition, margin_new, has_won & (margin_new > 0))

    ltv_tier = _ratio(margin_mrr, churn, churn > 0)  # [S, K]
    ltv = np.full((S, K + 1, P), np.nan)
    ltv[:, :K] = ltv_tier[:, :, None]
    # Blended: the new customers' average lifetime value; undefined if one of them has none.
    weighted = np.where(has_won[:, :K], won[:, :K] * ltv_tier[:, :, None], 0.0)
    blended = _ratio(weighted.sum(axis=1), won[:, K], has_won[:, K])
    ltv[:, K] = blended
    ltv_cac = _ratio(ltv, cac_, np.isfinite(ltv) & np.isfinite(cac_) & (np.nan_to_num(cac_) > 0))

    lengths = np.array([last - first + 1 for first, last in bounds], dtype=np.float64)
    magic = np.full((S, K + 1, P), np.nan)
    if P > 1:
        now = net_new_arr[:, :, 1:] / lengths[1:]
        before = sm[:, :, :-1] / lengths[:-1]
        magic[:, :, 1:] = _ratio(now, before, before > 0)
    return UnitEconomics(
        new_customers=won,
        marketing=marketing,
        sales_acquisition=sales,
        acquisition=acquisition,
        retention=retention,
        average_customers=average,
        revenue=revenue,
        sm_cost=sm,
        net_new_arr=net_new_arr,
        cac=cac_,
        crc=crc,
        crc_share=crc_share,
        cac_crc=cac_crc,
        payback_months=payback,
        ltv=ltv,
        ltv_cac=ltv_cac,
        magic_number=magic,
    )


def plan_economics(
    result: PlanResult, costs: Costs, bounds: Sequence[tuple[int, int]]
) -> UnitEconomics:
    """Return the unit economics of an engine run over periods (see :func:`unit_economics`)."""
    rev, p = result.revenue, result.params
    return unit_economics(
        costs,
        new_customers=rev.new_customers,
        customers=rev.customers,
        mrr=rev.mrr,
        opening_mrr=p.opening_mrr,
        price=p.mrr_per_customer,
        gross_margin=p.gross_margin,
        churn=p.churn_rate_monthly,
        bounds=bounds,
    )


def whole_plan(result: PlanResult) -> tuple[FloatArray, UnitEconomics]:
    """Return each variant's S&M cost [S] and unit economics over one period of every plan
    month: the figures of ``salesplan economics --period plan`` for a batch of plans."""
    T = result.structure.months
    sm_cost = np.asarray(result.costs.total[:, :T].sum(axis=1))
    return sm_cost, plan_economics(result, result.costs, [(0, T - 1)])
