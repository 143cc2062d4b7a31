"""Ramped quotas and quota coverage (docs/model.md §14).

A quota carrier (a role with ``comp.quota``) carries a share of its full quota in each
month of tenure: ``comp.quota_ramp`` (by default the role's own ramp, so that pay, quota
and capacity agree; ``full`` is the whole quota from the start month).  The team's ramped
quota is what its people carry, month by month; **quota coverage** sets it against the new
bookings the plan needs from the cells those people work.  Pure numpy; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.periods import Span, total
from salesplan.engine.staffing import forward as replay
from salesplan.engine.structure import EPS, FLOW, BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult

MONTHS_A_YEAR = 12


def months_to_full(curve: FloatArray) -> IntArray:
    """Return the first month of tenure at full quota of each curve ``[..., Q]``.

    The curves rise to 1 and stay there.

    >>> months_to_full(np.array([[0.25, 0.5, 0.75, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0, 1.0]]))
    array([3, 0])
    """
    return np.asarray((curve < 1 - EPS).sum(axis=-1), dtype=np.int64)


def first_year_quota(quota: FloatArray, curve: FloatArray) -> FloatArray:
    """Return the quota a start carries in its first 12 months of tenure.

    Notes
    -----
    ``quota / 12 × Σ_{k=0..11} q(k)``, with ``q(k)`` the share of full quota in month k of
    tenure (1 past the curve).  A 4-month linear ramp, 25/50/75/100%, on $650,000:
    ``650,000 / 12 × (0.25 + 0.5 + 0.75 + 9 × 1) = 650,000 / 12 × 10.5 = 568,750``.

    >>> float(first_year_quota(np.array(650_000.0), np.array([0.25, 0.5, 0.75, 1.0])))
    568750.0
    """
    curve = np.asarray(curve, dtype=np.float64)
    padded = np.ones((*curve.shape[:-1], MONTHS_A_YEAR))
    n = min(curve.shape[-1], MONTHS_A_YEAR)
    padded[..., :n] = curve[..., :n]
    return np.asarray(quota / MONTHS_A_YEAR * padded.sum(axis=-1))


def quota_fte(result: PlanResult) -> FloatArray:
    """Return each role's people weighted by their share of full quota, [S, R, TE].

    The plan's own starts and departures are replayed (:func:`salesplan.engine.staffing.
    forward`) with the quota ramp in place of the capacity ramp: the same people, in the
    same months, carrying ``q(tenure)`` of a quota each.  Opening heads carry a full quota.
    Roles without a quota carry none (0).
    """
    p = result.params
    S, R, TE = result.starts.shape
    out = np.zeros((S, R, TE))
    carriers = np.nonzero((p.quota > 0).any(axis=0))[0]
    if not len(carriers):
        return out
    curve = p.quota_ramp[:, carriers]  # [S, r, Q]
    _, carried = replay(
        result.starts[:, carriers].reshape(-1, TE),
        p.opening_heads[:, carriers].reshape(-1),
        p.attrition_rate_annual[:, carriers].reshape(-1),
        curve.reshape(-1, curve.shape[2]),
        months_to_full(curve).reshape(-1),
    )
    out[:, carriers] = carried.reshape(S, len(carriers), TE)
    return np.asarray(out * (p.quota > 0)[:, :, None])


@dataclass(frozen=True)
class Coverage:
    """Quota coverage of one variant by period: each quota carrier, then the whole team."""

    roles: tuple[int, ...]  # the quota-carrying roles (indexes into structure.roles)
    quota: FloatArray  # [len(roles) + 1, P] ramped quota carried in the period
    bookings: FloatArray  # [len(roles) + 1, P] new ARR the plan books in their cells

    @property
    def ratio(self) -> FloatArray:
        """Return ramped quota / bookings (NaN where nothing is booked)."""
        booked = self.bookings > 0
        return np.asarray(
            np.where(booked, self.quota / np.where(booked, self.bookings, 1.0), np.nan)
        )


def quota_coverage(result: PlanResult, s: int, periods: Sequence[Span]) -> Coverage:
    """Return variant ``s``'s quota coverage in each period.

    Notes
    -----
    ``coverage = Σ_t quota_r / 12 × quota_fte_r[t] / Σ_t new ARR[t]`` over the period's
    months, where new ARR is ``12 × p_k × W_m[t]`` summed over the cells (tier x motion)
    the role's flow drivers work (the team: every quota carrier's cells).  Above 1 the
    quotas on the street add up to more than the plan's bookings (over-assignment); the
    team's ratio is about ``1 / attainment`` when the plan staffs quota carriers from
    ``quota × attainment / 12`` of capacity.
    """
    st, p = result.structure, result.params
    roles = tuple(int(r) for r in np.nonzero(p.quota[s] > 0)[0])
    if not roles:
        return Coverage((), np.zeros((1, len(periods))), np.zeros((1, len(periods))))
    fte = result.quota_fte[s]  # [R, TE]
    price = 12.0 * p.mrr_per_customer[s, st.cell_tier]  # [M] new ARR per win
    booked_by_cell = result.funnel.wins[s] * price[:, None]  # [M, TE]
    cells: list[BoolArray] = []
    for r in roles:
        mask = np.zeros(len(st.cells), dtype=bool)
        for d in st.drivers:
            if d.role == r and d.kind == FLOW:
                mask |= d.cell_mask
        cells.append(mask)
    cells.append(np.any(cells, axis=0))  # the team: every quota carrier's cells
    carried = [float(p.quota[s, r]) / MONTHS_A_YEAR * fte[r] for r in roles]
    monthly_quota = [*carried, np.sum(carried, axis=0)]
    monthly_booked = [booked_by_cell[mask].sum(axis=0) for mask in cells]
    return Coverage(
        roles=roles,
        quota=np.array([[float(total(q, span)) for span in periods] for q in monthly_quota]),
        bookings=np.array([[float(total(b, span)) for span in periods] for b in monthly_booked]),
    )
