"""Capacity gaps (docs/model.md §4, §14): the months a role is short of its work and no start
can help.

Staffing guarantees coverage from month ``h + R`` (hiring lead time plus ramp), which may
fall after the plan ends; before that a role whose opening team cannot carry the work is
short, and the only fix is requisitions that should have opened before the plan starts.  A
hiring cap can leave months short too, from ``h + R`` on or before it (a month the
unconstrained plan covered): those gaps name the caps that caused them.  The check (SP301)
and the reports read the gaps from here, so they always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.staffing import (
    CAP_INDIRECT,
    CAP_ORG,
    CAP_RAMPING,
    CAP_RECRUITING,
    CAP_ROLE,
)
from salesplan.engine.structure import EPS, Params
from salesplan.engine.view import PlanView

if TYPE_CHECKING:
    from salesplan.engine.forward import Forward


@dataclass(frozen=True)
class Gap:
    """One role's capacity gaps: the plan months it is short, and by how much."""

    role: int  # index into structure.roles
    months: tuple[int, ...]  # plan months short, in order
    shortfall_fte: tuple[float, ...]  # need - capacity in each of those months
    ahead_months: int  # hiring lead time plus ramp: how far ahead a requisition must open
    covered_from: int  # h + R: the first month a start can cover (past the horizon, maybe)
    caps: tuple[str, ...] = ()  # the caps that caused it, in words (none: late hiring)
    indirect: bool = False  # the caps bound on other roles, whose people this role follows

    @property
    def first(self) -> int:
        """Return the first month short."""
        return self.months[0]

    @property
    def last(self) -> int:
        """Return the last month short."""
        return self.months[-1]

    @property
    def worst_fte(self) -> float:
        """Return the largest monthly shortfall, in fully ramped FTE."""
        return max(self.shortfall_fte)

    def covered_after(self, months: int) -> bool:
        """Return whether coverage begins only after a plan of ``months`` months ends."""
        return self.covered_from >= months

    @property
    def opened_by(self) -> int:
        """Return the month (possibly before month 0) requisitions should have opened by."""
        return self.first - self.ahead_months

    @property
    def capped(self) -> bool:
        """Return whether a hiring cap caused the gap (else: hiring that started too late)."""
        return bool(self.caps)


def capacity_gaps(view: PlanView) -> tuple[Gap, ...]:
    """Return every role's capacity gaps within the horizon, in staffing order.

    A role has at most two: the months short for lack of earlier requisitions, then the
    months short because of a hiring cap (with the caps named).
    """
    out = []
    T = view.months
    for r in range(len(view.structure.roles)):
        short = view.gap[r, :T] > 0
        cause = view.gap_cause[r, :T]
        ahead = int(view.params.lead_months[r] + view.params.ramp_months[r])
        for months in (short & (cause == 0), short & (cause != 0)):
            at = np.nonzero(months)[0]
            if not len(at):
                continue
            bits = int(np.bitwise_or.reduce(cause[at]))
            out.append(
                Gap(
                    role=r,
                    months=tuple(int(t) for t in at),
                    shortfall_fte=tuple(float(view.gap[r, t]) for t in at),
                    ahead_months=ahead,
                    caps=cap_names(view, r, bits),
                    indirect=bool(bits & CAP_INDIRECT),
                    covered_from=int(view.covered_from[r]),
                )
            )
    return tuple(out)


def filled_gaps(params: Params, gaps: tuple[Gap, ...]) -> Params:
    """Return a batch of the plan as it is (variant 0, of a batch of one), then once per gap
    with that role's gap filled from the start: as many more opening heads as its worst
    shortfall rounds up to (variant ``i`` for gap ``i - 1``)."""
    batch = params.repeat(len(gaps) + 1)
    opening = batch.opening_heads.copy()
    for i, gap in enumerate(gaps, start=1):
        opening[i, gap.role] += np.ceil(gap.worst_fte - EPS)
    return replace(batch, opening_heads=opening)


def arr_at_risk(fwd: Forward, gaps: int) -> tuple[float, ...]:
    """Return, per gap, the new ARR the plan's hires lose forwards because of that role's
    gap, from the forward run of :func:`filled_gaps`' batch.

    Forwards at the likely values (docs/model.md §9) with the plan's hires as they are,
    against the same run with the role's gap filled from the start: the difference in new
    ARR booked over the horizon.  Roles that do not gate deals (customer success,
    managers) lose none.  Worked example: the plan books 1.00M of new ARR and, with its
    2 missing AEs there from month 0, 1.05M: 50k is at risk.
    """
    new_arr = 12.0 * fwd.new_mrr.sum(axis=(1, 2))
    return tuple(max(float(new_arr[i] - new_arr[0]), 0.0) for i in range(1, gaps + 1))


def cap_names(view: PlanView, r: int, bits: int) -> tuple[str, ...]:
    """Return the caps in ``bits`` (CAP_* of role r) in the plan's words.

    With ``CAP_INDIRECT`` the other bits are the caps on the roles it follows.
    """
    p = view.params
    out = []
    if bits & CAP_ROLE:
        cap = float(p.max_starts[r]) if not bits & CAP_INDIRECT else None
        out.append("max_starts_per_month" + (f" ({cap:g} a month)" if cap is not None else ""))
    if bits & CAP_ORG:
        out.append(f"hiring.max_starts_per_month ({float(p.org_max_starts):g} a month)")
    if bits & CAP_RECRUITING:
        out.append("the recruiters' capacity (hiring.recruiting_capacity)")
    if bits & CAP_RAMPING:
        share = float(p.ramping_share[r]) if not bits & CAP_INDIRECT else None
        out.append("max_ramping_share" + (f" ({share:.0%})" if share is not None else ""))
    if bits & CAP_INDIRECT and not out:
        out.append("caps on other roles")
    return tuple(out)


def hiring_capped(view: PlanView) -> bool:
    """Return whether the plan caps its hiring anywhere (docs/model.md §14)."""
    p, s = view.params, view.structure
    return bool(
        np.isfinite(p.max_starts).any()
        or (p.ramping_share < 1).any()
        or np.isfinite(p.org_max_starts)
        or s.recruiting_caps
    )


def cap_bound(view: PlanView, r: int, t: int) -> tuple[str, ...]:
    """Return the caps that held role r's starts back in month t, in the plan's words."""
    return cap_names(view, r, int(view.bound[r, t]) & ~CAP_INDIRECT)
