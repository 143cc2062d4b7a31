"""Compile a typed Plan into index structures and parameter arrays with a leading scenario axis.

The engine never sees YAML or pydantic: it sees a :class:`Structure` (names and index maps
that all variants share) and :class:`Params` (numbers, one row per variant on axis 0).  A plan
is a batch of one; simulation and sensitivity make batches of thousands by replacing rows.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

DAYS_PER_MONTH = 30.4375  # 365.25 / 12

# Tolerance when comparing people, FTE and capacity (sums of ramp fractions carry float noise).
EPS = 1e-9

FLOW, STOCK_CUSTOMERS, STOCK_ARR, MANAGES, STARTS = 0, 1, 2, 3, 4


@dataclass(frozen=True)
class Driver:
    """One driver of one role, resolved to indexes."""

    role: int
    kind: int  # FLOW, STOCK_CUSTOMERS, STOCK_ARR, MANAGES or STARTS
    stage_mask: BoolArray  # [J] stage rows it works (FLOW); a won row per cell is J_won
    won_mask: BoolArray  # [M] cells whose wins it works (FLOW on stage 'won')
    tier_mask: BoolArray  # [K] (STOCK)
    cell_mask: BoolArray  # [M] cells it may work (tier and motion filters)
    roles: BoolArray  # [R] roles whose heads it manages (MANAGES) or whose starts it hires
    new_arr: bool  # FLOW measured in new ARR


@dataclass(frozen=True)
class PodTemplate:
    """What a pod template serves and how it is labelled (its members are in Params)."""

    title: str | None
    tiers: tuple[str, ...] | None  # None: every tier
    motions: tuple[str, ...] | None  # None: every motion
    region: str | None
    industry: str | None


@dataclass(frozen=True)
class Structure:
    """Names and index maps shared by every variant of one plan."""

    plan_name: str
    currency: str
    start: str  # YYYY-MM
    months: int  # T
    tiers: tuple[str, ...]  # K
    cells: tuple[tuple[str, str], ...]  # M: (tier, motion)
    cell_tier: IntArray  # [M]
    cell_kind: tuple[str, ...]  # [M] motion kind or ""
    stages: tuple[tuple[int, str], ...]  # J: (cell, stage name), in motion order
    stage_cell: IntArray  # [J]
    stage_pos: IntArray  # [J] position within its motion
    first_stage: BoolArray  # [J] first stage of its motion (marketing buys entries here)
    roles: tuple[str, ...]  # R, in staffing order (managed roles before their managers)
    role_level: IntArray  # [R] 0 for roles sized by work or a schedule, 1 for roles sized by
    # their heads or starts (managers, recruiters), 2 for roles sized by those, ...
    role_fixed: BoolArray  # [R] sized by a headcount schedule, not by drivers
    role_category: tuple[str, ...]  # [R] sales, leadership, recruiting, ... or ""
    interviewers: BoolArray  # [R, R] [hired, interviewer]: who interviews each role's hires
    drivers: tuple[Driver, ...]
    target_kind: str
    share_tier: BoolArray  # [K] tier takes a share of the solved new MRR
    role_function: tuple[str, ...]  # acquisition | retention | split | overhead
    role_pay_basis: tuple[str, ...]  # new_bookings | net_bookings
    pods: tuple[str, ...]
    pod_templates: tuple[PodTemplate, ...]
    staffing: str  # role | pod
    work_hours_per_month: float
    programmes: tuple[str, ...]  # G programme spend lines
    programme_function: tuple[str, ...]  # [G] acquisition | retention | overhead
    programme_cells: BoolArray  # [G, M] cells a programme serves
    cac_lag_months: int  # months acquisition cost precedes the wins it buys
    recruiting_caps: bool = False  # recruiters' capacity holds the starts they hire (§14)

    def calendar(self, offsets: IntArray) -> IntArray:
        """Return the calendar month (0 = January) of each month offset from the start."""
        return calendar_months(self.start, offsets)


@dataclass(frozen=True)
class Params:
    """Every number the engine uses; axis 0 is the variant (scenario) axis of size S."""

    target_value: FloatArray  # [S]
    growth_rate_monthly: FloatArray  # [S] monthly growth of new bookings (g - 1)
    first_year_months: IntArray  # [S] months of the first year still ahead (12 in a new plan)
    mrr_per_customer: FloatArray  # [S, K] MRR per new customer
    churn_rate_monthly: FloatArray  # [S, K] monthly
    expansion_rate_monthly: FloatArray  # [S, K] monthly
    tier_share: FloatArray  # [S, K] share of solved new MRR (0 for explicit tiers)
    tier_new_mrr: FloatArray  # [S, K] explicit month-0 new MRR (0 for share tiers)
    opening_mrr: FloatArray  # [S, K]
    opening_customers: FloatArray  # [S, K]
    gross_margin: FloatArray  # [S, K]
    cell_share: FloatArray  # [S, M] motion share of the tier's new customers
    stage_rate: FloatArray  # [S, J] conversion to next stage
    stage_days: FloatArray  # [S, J] days to next stage
    driver_capacity: FloatArray  # [S, D] per driver
    ramp_fraction: FloatArray  # [S, R, Q] capacity fraction by tenure month; ends with 1s
    ramp_months: IntArray  # [S, R] months to full capacity (first tenure at 1)
    attrition_rate_annual: FloatArray  # [S, R] annual
    lead_months: IntArray  # [S, R] months
    opening_heads: FloatArray  # [S, R]
    open_reqs: FloatArray  # [S, R] requisitions open at the start, undated (used when needed)
    # The state a plan opens in (docs/model.md §4, "Opening state"): all 0 in a new plan.
    ramping_heads: FloatArray  # [S, R, Q] opening heads still ramping, by tenure at month 0
    accrued_departures: FloatArray  # [S, R] the part of the next departure already accrued
    dated_reqs: FloatArray  # [S, R, TE] open requisitions by the month their hire starts
    scheduled_heads: FloatArray  # [S, R, TE] heads a fixed role's schedule asks for (else 0)
    # cost inputs (docs/model.md §6)
    ote: FloatArray  # [S, R]
    base_share: FloatArray  # [S, R]
    quota: FloatArray  # [S, R] annual quota; 0 for a role that carries none
    attainment: FloatArray  # [S, R] expected quota attainment (1 without a quota)
    pooled_share: FloatArray  # [S, R] team-pooled share of variable pay
    payout_rate: FloatArray  # [S, R] variable payout at plan = 1
    burden_rate: FloatArray  # [S, R]
    tools_per_month: FloatArray  # [S, R] per head per month
    cost_per_hire: FloatArray  # [S, R]
    acquisition_share: FloatArray  # [S, R] share of a role's cost that is acquisition
    interview_hours_per_hire: FloatArray  # [S, R] manager hours per start of this role
    cost_per_entry: FloatArray  # [S, M]
    programme_per_month: FloatArray  # [S, M] a motion's own programme spend a month
    programme_spend: FloatArray  # [S, G, TE] programme lines' spend a month
    onboarding_cost: FloatArray  # [S, K] one-off cost of onboarding a new customer
    ltv_cap_months: FloatArray  # [S] months of margin LTV counts
    pod_members: FloatArray  # [S, P, R]
    pod_cells: FloatArray  # [S, P, M] 1 where the pod serves the cell
    # seasonality, ramped quotas and hiring limits (docs/model.md §14)
    cell_season: FloatArray  # [S, M, 12] weight of a cell's new customers by calendar month
    capacity_season: FloatArray  # [S, R, 12] share of ramped capacity by calendar month
    quota_ramp: FloatArray  # [S, R, Q] share of full quota by tenure month; ends with 1s
    max_starts: FloatArray  # [S, R] most starts a month (inf: no cap)
    ramping_share: FloatArray  # [S, R] most share of heads still ramping (1: no cap)
    org_max_starts: FloatArray  # [S] most starts a month over all roles (inf: no cap)

    @property
    def size(self) -> int:
        """Return the number of variants S."""
        return int(self.target_value.shape[0])

    def take(self, index: Any) -> Params:
        """Return the variants at ``index`` (keeps axis 0)."""
        return replace(self, **{f.name: getattr(self, f.name)[index] for f in fields(self)})

    def repeat(self, n: int) -> Params:
        """Return ``n`` copies of a batch-of-one."""
        return self.take(np.zeros(n, dtype=np.int64))

    @staticmethod
    def concat(parts: list[Params]) -> Params:
        """Stack batches along the variant axis."""
        first = parts[0]
        return replace(
            first,
            **{
                f.name: np.concatenate([getattr(p, f.name) for p in parts], axis=0)
                for f in fields(first)
            },
        )


def ramp_curve(months: int | IntArray, curve: list[float] | None, width: int) -> FloatArray:
    """Return capacity fractions by tenure month, padded with 1s to ``width``.

    Linear by default: a start in month s works ``min(1, (t - s + 1) / (R + 1))`` in month t.
    ``months`` may be an array of R (one ramp per row, ``[n, width]``).

    >>> ramp_curve(3, None, 6).tolist()
    [0.25, 0.5, 0.75, 1.0, 1.0, 1.0]
    >>> ramp_curve(0, [0.5, 1.0], 3).tolist()
    [0.5, 1.0, 1.0]
    >>> ramp_curve(np.array([0, 1]), None, 3).tolist()
    [[1.0, 1.0, 1.0], [0.5, 1.0, 1.0]]
    """
    if curve is not None:
        out = np.ones(width)
        n = min(len(curve), width)
        out[:n] = curve[:n]
        return out
    tenure = np.arange(width)
    return np.asarray(np.minimum(1.0, (tenure + 1) / (np.asarray(months)[..., None] + 1)))


def month_labels(start: str, count: int) -> list[str]:
    """Return ``count`` month labels from ``start`` (YYYY-MM); negative offsets allowed.

    >>> month_labels("2027-11", 3)
    ['2027-11', '2027-12', '2028-01']
    """
    year, month = (int(x) for x in start.split("-"))
    return [month_label(year, month, i) for i in range(count)]


def calendar_months(start: str, offsets: IntArray) -> IntArray:
    """Return the calendar month (0 = January … 11 = December) of month ``offsets`` after
    ``start``; offsets before the start (negative) continue the calendar backwards.

    >>> calendar_months("2027-11", np.array([-10, 0, 1, 2])).tolist()
    [0, 10, 11, 0]
    """
    first = int(start.split("-")[1]) - 1
    return np.asarray((first + np.asarray(offsets, dtype=np.int64)) % 12, dtype=np.int64)


def by_calendar(weights: FloatArray, start: str, offsets: IntArray) -> FloatArray:
    """Return ``weights`` [..., 12] (by calendar month) at month ``offsets`` from ``start``.

    >>> by_calendar(np.arange(12.0)[None], "2027-11", np.arange(-1, 3)).tolist()
    [[9.0, 10.0, 11.0, 0.0]]
    """
    return np.asarray(np.take(weights, calendar_months(start, offsets), axis=-1))


def month_offset(start: str, label: str) -> int:
    """Return how many months ``label`` (YYYY-MM) is after ``start`` (negative: before).

    >>> month_offset("2027-11", "2028-02"), month_offset("2027-11", "2027-09")
    (3, -2)
    """
    (y0, m0), (y1, m1) = ((int(x) for x in s.split("-")) for s in (start, label))
    return (y1 - y0) * 12 + (m1 - m0)


def month_label(year: int, month: int, offset: int) -> str:
    """Return the label of month ``offset`` after ``year-month``.

    >>> month_label(2027, 1, -2)
    '2026-11'
    """
    total = year * 12 + (month - 1) + offset
    return f"{total // 12:04d}-{total % 12 + 1:02d}"
