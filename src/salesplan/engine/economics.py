"""Unit economics and the board's figures per tier and period (docs/model.md, "Unit
economics" and "Board figures").

Pure numpy on a leading variant axis S; no I/O.  Every array is ``[S, K + 1, P]``: the K
tiers, then one blended row, for P periods.  NaN marks an undefined figure (no new
customers, no churn, no previous period …); the report layer says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.cost import MIN_CUSTOMERS, Costs, to_tiers
from salesplan.engine.structure import FloatArray

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult


@dataclass(frozen=True)
class UnitEconomics:
    """Unit economics and board figures per tier and period; axis 1 is K tiers + blended."""

    new_customers: FloatArray
    marketing: FloatArray  # per-motion marketing
    sales_acquisition: FloatArray  # roles' acquisition cost
    programme_acquisition: FloatArray  # programmes' acquisition cost
    acquisition: FloatArray  # marketing + roles + programmes
    acquisition_lagged: FloatArray  # acquisition cost cac_lag_months earlier
    retention: FloatArray  # roles' and programmes' retention cost
    people: FloatArray  # roles' cost (acquisition and retention)
    programmes: FloatArray  # programmes' cost (acquisition and retention)
    average_customers: FloatArray
    customer_months: FloatArray  # sum of month-end customers over the period
    revenue: FloatArray  # sum of MRR over the period's months
    sm_cost: FloatArray  # acquisition + retention = people + marketing + programmes
    sm_share: FloatArray  # S&M cost / revenue
    new_arr: FloatArray  # 12 x new MRR booked in the period
    arr_start: FloatArray  # ARR at the end of the month before the period
    arr_end: FloatArray
    net_new_arr: FloatArray  # arr_end - arr_start
    cac: FloatArray  # lagged acquisition cost / new customers
    crc: FloatArray  # retention cost per average active customer
    crc_share: FloatArray  # retention cost / revenue
    cac_crc: FloatArray
    payback_months: FloatArray
    ltv: FloatArray  # uncapped: p gm / c
    ltv_capped: FloatArray  # p gm (1 - (1 - c)^H) / c over H months
    ltv_cac: FloatArray  # on the capped LTV
    grr: FloatArray  # 12-month gross revenue retention
    nrr: FloatArray  # 12-month net revenue retention
    time_to_profit_months: FloatArray  # (CAC + onboarding) / (p gm - CRC a month)
    magic_number: FloatArray
    quota_carrier_fte: FloatArray  # mean ramped FTE of roles with a quota (blended row only)
    new_arr_per_quota_carrier: FloatArray  # new ARR a year / quota_carrier_fte (blended only)


def _ratio(top: FloatArray, bottom: FloatArray, defined: np.ndarray) -> FloatArray:
    """Return top / bottom where ``defined``, NaN elsewhere (never a division warning).

    A quotient too large to be a number (a cost or churn next to nothing, far below a cent)
    is undefined too: it is no ratio anyone can read.

    >>> _ratio(np.array([1.0, 1.0, 1.0]), np.array([4.0, 0.0, 1e-320]), np.array([1, 0, 1]) > 0)
    array([0.25,  nan,  nan])
    """
    safe = np.where(defined, bottom, 1.0)
    with np.errstate(over="ignore"):
        quotient = top / safe
    return np.asarray(np.where(defined & np.isfinite(quotient), quotient, np.nan))


def capped_ltv(margin: FloatArray, churn: FloatArray, months: FloatArray) -> FloatArray:
    """Return the margin a customer brings over at most ``months``: ``m (1 - (1 - c)^H) / c``,
    ``m H`` without churn.

    A mid-market customer at $2,500 MRR and 80% margin ($2,000 a month) with 1% monthly
    churn, capped at 60 months (against $200,000 uncapped):

    >>> round(float(capped_ltv(np.array(2000.0), np.array(0.01), np.array(60.0))), 2)
    90568.67
    >>> float(capped_ltv(np.array(2000.0), np.array(0.0), np.array(60.0)))
    120000.0
    """
    kept = np.power(1.0 - churn, months)
    safe = np.where(churn > 0, churn, 1.0)
    return np.asarray(np.where(churn > 0, margin * (1.0 - kept) / safe, margin * months))


def retention_12(churn: FloatArray, expansion: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Return 12-month gross and net revenue retention of a cohort of MRR, ``(1 - c)^12`` and
    ``((1 - c)(1 + e))^12`` (no new customers in the cohort).

    SMB at 1.5% churn and 0.5% expansion a month keeps 88.6% of its MRR in a year:

    >>> grr, nrr = retention_12(np.array(0.015), np.array(0.005))
    >>> round(float(grr), 4), round(float(nrr), 4)
    (0.8341, 0.8856)
    """
    return np.power(1.0 - churn, 12), np.power((1.0 - churn) * (1.0 + expansion), 12)


@dataclass(frozen=True)
class Periods:
    """Sums, means and ends of [S, K, TE] arrays over periods, with a blended row."""

    bounds: Sequence[tuple[int, int]]

    def of(self, values: FloatArray, how: str) -> FloatArray:
        """Return ``values`` per period ``[S, K + 1, P]``: sum, mean or end; blended sums."""
        S, K = values.shape[:2]
        out = np.zeros((S, K + 1, len(self.bounds)))
        for i, (first, last) in enumerate(self.bounds):
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


def lagged(values: FloatArray, months: int) -> FloatArray:
    """Return ``values`` [..., TE] ``months`` earlier; before month 0, month 0's value.

    Cost precedes the deals it buys: CAC with a lag sets the cost of month t - m against the
    customers won in month t.  Before the plan, the opening team is taken to have cost what
    it costs in month 0.

    >>> lagged(np.array([1.0, 2.0, 3.0, 4.0]), 2).tolist()
    [1.0, 1.0, 1.0, 2.0]
    """
    if months <= 0:
        return values
    before = np.repeat(values[..., :1], months, axis=-1)
    return np.concatenate([before, values[..., :-months]], axis=-1)


def unit_economics(
    result: PlanResult, costs: Costs, bounds: Sequence[tuple[int, int]]
) -> UnitEconomics:
    """Return CAC, CRC, payback, LTV, retention and the board figures per tier and period.

    Notes
    -----
    Over a period, per tier k (blended: the sums over tiers):

    - ``CAC = acquisition cost of months t - m / new customers`` (m = ``cac_lag_months``);
    - ``CRC = retention cost / mean(C_k)``, and ``retention cost / sum(MRR_k)``;
    - ``payback = CAC / (p_k gm_k)``; blended, over the new customers' margin MRR;
    - ``LTV = p_k gm_k / c_k`` (none without churn) and capped at H months,
      ``p_k gm_k (1 - (1 - c_k)^H) / c_k``; LTV : CAC uses the capped one;
    - ``GRR = (1 - c_k)^12`` and ``NRR = ((1 - c_k)(1 + e_k))^12``; blended, weighted by each
      tier's MRR at the period's start;
    - ``S&M share = S&M cost / revenue``; new ARR ``12 sum N_k``; net new ARR the change of
      ARR over the period;
    - time to profitability ``(CAC + onboarding) / (p_k gm_k - CRC a customer-month)``;
    - new ARR per ramped quota carrier: new ARR a year over the mean ramped FTE of the
      roles that carry a quota (blended only);
    - magic number = net new ARR / S&M cost of the previous period, each per month of its
      period (equal periods: the usual ratio); none for the first period.
    """
    s, p, rev = result.structure, result.params, result.revenue
    K = len(s.tiers)
    per = Periods(bounds)

    def tiers(by_cell: FloatArray) -> FloatArray:
        return to_tiers(by_cell, s.cell_tier, K)

    won = per.of(rev.new_customers, "sum")
    marketing = per.of(tiers(costs.marketing), "sum")
    sales = per.of(tiers(costs.acquisition_by_cell), "sum")
    programme_acq = per.of(tiers(costs.programme_acquisition), "sum")
    acquisition = marketing + sales + programme_acq
    lag_cost = lagged(tiers(costs.acquisition), s.cac_lag_months)
    acquisition_lagged = per.of(lag_cost, "sum")
    retention = per.of(tiers(costs.retention), "sum")
    programmes = programme_acq + per.of(tiers(costs.programme_retention), "sum")
    people = acquisition + retention - marketing - programmes
    average = per.of(rev.customers, "mean")
    customer_months = per.of(rev.customers, "sum")
    revenue = per.of(rev.mrr, "sum")
    sm = acquisition + retention
    arr_end = 12.0 * per.of(rev.mrr, "end")
    mrr_before = np.concatenate([p.opening_mrr[:, :, None], rev.mrr], axis=2)  # month t-1
    arr_start = _starts(mrr_before, bounds)
    has_won = won > MIN_CUSTOMERS
    cac = _ratio(acquisition_lagged, won, has_won)
    crc = _ratio(retention, average, average > MIN_CUSTOMERS)
    margin_mrr = p.mrr_per_customer * p.gross_margin  # [S, K]
    margin_new = _blend(won[:, :K] * margin_mrr[:, :, None])
    ltv, capped = _ltvs(margin_mrr, p.churn_rate_monthly, p.ltv_cap_months, won)
    grr_k, nrr_k = retention_12(p.churn_rate_monthly, p.expansion_rate_monthly)
    start_mrr = arr_start[:, :K] / 12.0
    crc_month = _ratio(retention, customer_months, customer_months > MIN_CUSTOMERS)
    onboarding = _blend(won[:, :K] * p.onboarding_cost[:, :, None])
    profit_month = margin_new - crc_month * won  # margin less retention, a month, of the cohort
    new_arr = 12.0 * per.of(rev.new_mrr, "sum")
    carriers = _quota_carriers(result, bounds)
    return UnitEconomics(
        new_customers=won,
        marketing=marketing,
        sales_acquisition=sales,
        programme_acquisition=programme_acq,
        acquisition=acquisition,
        acquisition_lagged=acquisition_lagged,
        retention=retention,
        people=people,
        programmes=programmes,
        average_customers=average,
        customer_months=customer_months,
        revenue=revenue,
        sm_cost=sm,
        sm_share=_ratio(sm, revenue, revenue > 0),
        new_arr=new_arr,
        arr_start=arr_start,
        arr_end=arr_end,
        net_new_arr=arr_end - arr_start,
        cac=cac,
        crc=crc,
        crc_share=_ratio(retention, revenue, revenue > 0),
        cac_crc=_ratio(cac, crc, np.isfinite(cac) & np.isfinite(crc) & (np.nan_to_num(crc) > 0)),
        payback_months=_ratio(acquisition_lagged, margin_new, has_won & (margin_new > 0)),
        ltv=ltv,
        ltv_capped=capped,
        ltv_cac=_ratio(capped, cac, np.isfinite(capped) & (np.nan_to_num(cac) > 0)),
        grr=_weighted(grr_k, start_mrr),
        nrr=_weighted(nrr_k, start_mrr),
        time_to_profit_months=_ratio(
            acquisition_lagged + onboarding, profit_month, has_won & (profit_month > 0)
        ),
        magic_number=_magic(arr_end - arr_start, sm, bounds),
        quota_carrier_fte=carriers,
        new_arr_per_quota_carrier=_ratio(
            new_arr * 12.0 / _lengths(bounds), carriers, np.nan_to_num(carriers) > 0
        ),
    )


def _quota_carriers(result: PlanResult, bounds: Sequence[tuple[int, int]]) -> FloatArray:
    """Return the mean ramped FTE of the roles that carry a quota, per period, in the
    blended row ``[S, K + 1, P]`` (the tier rows are undefined: quota carriers are not
    split by tier)."""
    S, K = result.params.mrr_per_customer.shape
    carriers = result.params.quota > 0  # [S, R]
    out = np.full((S, K + 1, len(bounds)), np.nan)
    for i, (first, last) in enumerate(bounds):
        fte = (result.capacity[:, :, first : last + 1].mean(axis=2) * carriers).sum(axis=1)
        out[:, K, i] = fte
    return out


def _blend(by_tier: FloatArray) -> FloatArray:
    """Return ``[S, K, P]`` with the blended row (the sum over tiers) added."""
    return np.concatenate([by_tier, by_tier.sum(axis=1, keepdims=True)], axis=1)


def _starts(mrr_before: FloatArray, bounds: Sequence[tuple[int, int]]) -> FloatArray:
    """Return ARR at each period's start (the end of the month before it) ``[S, K + 1, P]``."""
    at = np.array([first for first, _ in bounds])
    by_tier = 12.0 * mrr_before[:, :, at]  # mrr_before[t] is MRR at the end of month t - 1
    return _blend(by_tier)


def _ltvs(
    margin: FloatArray, churn: FloatArray, cap_months: FloatArray, won: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Return LTV uncapped and capped per tier and period, blended over the new customers."""
    K, P = won.shape[1] - 1, won.shape[2]
    uncapped = _ratio(margin, churn, churn > 0)  # [S, K]
    capped = capped_ltv(margin, churn, cap_months[:, None])
    out = []
    has_won = won[:, :K] > MIN_CUSTOMERS
    for tier_values in (uncapped, capped):
        values = np.repeat(tier_values[:, :, None], P, axis=2)
        # Blended: the new customers' average; undefined if one of them has none.
        weighted = np.where(has_won, won[:, :K] * values, 0.0)
        blended = _ratio(weighted.sum(axis=1), won[:, K], won[:, K] > MIN_CUSTOMERS)
        out.append(np.concatenate([values, blended[:, None, :]], axis=1))
    return out[0], out[1]


def _weighted(tier_values: FloatArray, start_mrr: FloatArray) -> FloatArray:
    """Return a per-tier figure [S, K] for each period, blended by MRR at the period's start
    ``[S, K, P]`` (undefined with no MRR at all)."""
    values = np.repeat(tier_values[:, :, None], start_mrr.shape[2], axis=2)
    total = start_mrr.sum(axis=1)
    blended = _ratio((values * start_mrr).sum(axis=1), total, total > 0)
    return np.concatenate([values, blended[:, None, :]], axis=1)


def _lengths(bounds: Sequence[tuple[int, int]]) -> FloatArray:
    """Return the months in each period."""
    return np.array([last - first + 1 for first, last in bounds], dtype=np.float64)


def _magic(net_new: FloatArray, sm: FloatArray, bounds: Sequence[tuple[int, int]]) -> FloatArray:
    """Return net new ARR per S&M cost of the previous period, each per month of its period."""
    lengths = _lengths(bounds)
    magic = np.full(net_new.shape, np.nan)
    if len(bounds) > 1:
        now = net_new[:, :, 1:] / lengths[1:]
        before = sm[:, :, :-1] / lengths[:-1]
        magic[:, :, 1:] = _ratio(now, before, before > 0)
    return magic


def plan_economics(result: PlanResult, bounds: Sequence[tuple[int, int]]) -> UnitEconomics:
    """Return the unit economics of an engine run over periods (see :func:`unit_economics`)."""
    return unit_economics(result, result.costs, bounds)


def whole_plan(result: PlanResult) -> tuple[FloatArray, UnitEconomics]:
    """Return each variant's S&M cost [S] and unit economics over one period of every plan
    month: the figures of ``salesplan economics --period plan`` for a batch of plans."""
    T = result.structure.months
    sm_cost = np.asarray(result.costs.total[:, :T].sum(axis=1))
    return sm_cost, plan_economics(result, [(0, T - 1)])
