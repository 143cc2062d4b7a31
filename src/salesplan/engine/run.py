"""Run the whole engine on a batch of variants: revenue, funnel, work, pods, staffing.

``run`` is pure: arrays in, arrays out, no I/O.  Axis 0 of every array is the variant.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np

from salesplan.engine.cost import Costs, plan_costs
from salesplan.engine.funnel import Funnel, funnel
from salesplan.engine.revenue import Revenue, revenue
from salesplan.engine.staffing import Opening, Staffing, staff
from salesplan.engine.staffing import forward as replay
from salesplan.engine.structure import EPS, BoolArray, FloatArray, IntArray, Params, Structure
from salesplan.engine.view import PlanView, view_of
from salesplan.engine.work import direct_need, interview_hours, interview_need, people_need


@dataclass(frozen=True)
class PlanResult:
    """Everything the engine computed for a batch, months 0 … TE-1 (report 0 … T-1)."""

    structure: Structure
    params: Params
    extended: int  # TE = T + the longest ramp: the plan looks this far past its horizon
    revenue: Revenue
    funnel: Funnel
    need_by_cell: FloatArray  # [S, R, M, TE]
    role_need: FloatArray  # [S, R, TE] need when staffing role by role (for pod slack)
    heads: FloatArray  # [S, R, TE]
    starts: FloatArray  # [S, R, TE]
    departures: FloatArray  # [S, R, TE]
    capacity: FloatArray  # [S, R, TE]
    reqs_opened: FloatArray  # [S, R, TE]
    reqs_before: FloatArray  # [S, R] starts from requisitions open before the plan
    gap: FloatArray  # [S, R, TE]
    covered_from: IntArray  # [S, R]
    staffed_need: FloatArray  # [S, R, TE] what staffing covered (pods: whole pods' members;
    # fixed roles: their schedule's heads)
    interview_hours: FloatArray  # [S, R, TE] hours each role spends interviewing others' hires

    @cached_property
    def costs(self) -> Costs:
        """Return what the batch costs by role, cell and tier (docs/model.md §6), computed once."""
        return plan_costs(self)

    def view(self, s: int = 0) -> PlanView:
        """Return variant ``s`` with the variant axis dropped (the plan's own figures)."""
        return view_of(self, s)

    @cached_property
    def _pods(self) -> tuple[FloatArray, FloatArray]:
        S, R, _, TE = self.need_by_cell.shape
        P = len(self.structure.pods)
        empty = (np.zeros((S, P, TE)), np.zeros((S, P, R, TE)))
        return pods_for(self.params, self.need_by_cell, np.arange(R), *empty)

    @property
    def pods_needed(self) -> FloatArray:
        """Return whole pods of each template needed [S, P, TE] (docs/model.md §5)."""
        return self._pods[0]

    @property
    def pod_need(self) -> FloatArray:
        """Return each role's need from each pod's business [S, P, R, TE]."""
        return self._pods[1]

    @property
    def months(self) -> int:
        """Return T, the months reported."""
        return self.structure.months

    @property
    def need(self) -> FloatArray:
        """Return fully ramped FTE needed [S, R, TE]."""
        return np.asarray(self.need_by_cell.sum(axis=2))

    @property
    def target_met(self) -> np.ndarray:
        """Return [S] True where the opening base already meets the target."""
        return self.revenue.target_met


def extended_months(structure: Structure, params: Params) -> int:
    """Return TE: the horizon plus the longest ramp (need continues past the horizon)."""
    return structure.months + int(params.ramp_fraction.shape[2])


def run(structure: Structure, params: Params) -> PlanResult:
    """Run a batch of variants of one plan through docs/model.md §1–5."""
    T = structure.months
    TE = extended_months(structure, params)
    rev = revenue(
        structure.target_kind,
        params.target_value,
        T,
        TE,
        params.growth_rate_monthly,
        params.mrr_per_customer,
        params.churn_rate_monthly,
        params.expansion_rate_monthly,
        params.tier_share,
        params.tier_new_mrr,
        params.opening_mrr,
        params.opening_customers,
        params.first_year_months,
    )
    fun = funnel(
        rev.booking_curve,
        structure.cell_tier,
        params.cell_share,
        structure.stage_cell,
        params.stage_rate,
        params.stage_days,
        params.growth_rate_monthly,
        TE,
    )
    direct = direct_need(structure, params, rev, fun)
    staffed = _staff_levels(structure, params, direct, None, T)
    # Interviewers at the level of the roles they hire for (or below) are staffed before
    # those hires are known: take the hires of the previous pass until they stop changing.
    # The pass that finds the same hires is kept: its interviewing is that of its own hires.
    for _ in range(MAX_INTERVIEW_PASSES if _interviews_ahead(structure, params) else 0):
        again = _staff_levels(structure, params, direct, staffed.starts, T)
        settled = np.array_equal(again.starts, staffed.starts)
        staffed = again
        if settled:
            break
    return PlanResult(
        structure=structure,
        params=params,
        extended=TE,
        revenue=rev,
        funnel=fun,
        need_by_cell=staffed.need,
        role_need=staffed.need.sum(axis=2),
        heads=staffed.heads,
        starts=staffed.starts,
        departures=staffed.departures,
        capacity=staffed.capacity,
        reqs_opened=staffed.reqs_opened,
        reqs_before=staffed.reqs_before,
        gap=staffed.gap,
        covered_from=staffed.covered_from,
        staffed_need=staffed.staffed_need,
        interview_hours=staffed.interview_hours,
    )


# Passes that settle the hires of roles whose interviewers are staffed alongside them.
MAX_INTERVIEW_PASSES = 8


def _interviews_ahead(structure: Structure, params: Params) -> bool:
    """Return whether some role's hires are interviewed by a role at its level or below."""
    level = structure.role_level
    hired, interviewer = np.nonzero(structure.interviewers)
    ahead = level[interviewer] <= level[hired]
    return bool((params.interview_hours_per_hire[:, hired[ahead]] > 0).any())


@dataclass(frozen=True)
class _Staffed:
    """The people of a batch, level by level: need by cell and whole people."""

    need: FloatArray  # [S, R, M, TE]
    staffed_need: FloatArray  # [S, R, TE]
    heads: FloatArray
    starts: FloatArray
    departures: FloatArray
    capacity: FloatArray
    reqs_opened: FloatArray
    reqs_before: FloatArray  # [S, R]
    gap: FloatArray
    covered_from: IntArray  # [S, R]
    interview_hours: FloatArray  # [S, R, TE] hours each role spends interviewing


def _staff_levels(
    structure: Structure,
    params: Params,
    direct: FloatArray,
    earlier: FloatArray | None,
    months: int,
) -> _Staffed:
    """Staff every role, level by level (docs/model.md §4), from the direct need by cell.

    A level's need adds what follows the people of lower levels (managers, recruiters) and
    the interviewing of hires; ``earlier`` [S, R, TE] are the starts a previous pass found,
    for the hires of roles not staffed yet (None: no such hires are known).
    """
    need = direct.copy()
    S, R, _, TE = need.shape
    out = {k: np.zeros((S, R, TE)) for k in ("heads", "starts", "departures", "capacity")}
    out |= {k: np.zeros((S, R, TE)) for k in ("reqs_opened", "gap", "staffed_need")}
    out |= {"reqs_before": np.zeros((S, R)), "covered_from": np.zeros((S, R))}
    interviews = _Interviews.of(structure, params, earlier)
    P = len(structure.pods)
    pods_needed, pod_need = np.zeros((S, P, TE)), np.zeros((S, P, R, TE))
    for level in sorted(set(structure.role_level.tolist())) or [0]:
        rows = np.nonzero(structure.role_level == level)[0]
        if level > 0:
            need = people_need(structure, params, need, out["heads"], out["starts"], level)
        need = interviews.add_need(structure, params, need, rows)
        level_need = need[:, rows].sum(axis=2)  # [S, r, TE]
        if structure.staffing == "pod" and P:
            pods_needed, pod_need = pods_for(params, need, rows, pods_needed, pod_need)
            level_need = _pod_heads(params, need, rows, pods_needed, level_need)
        fixed = structure.role_fixed[rows]
        level_need[:, fixed] = params.scheduled_heads[:, rows[fixed]]
        out["staffed_need"][:, rows] = level_need
        result = _staff_rows(params, level_need, rows, fixed, months)
        for name in ("heads", "starts", "departures", "capacity", "reqs_opened", "gap"):
            out[name][:, rows] = getattr(result, name).reshape(S, len(rows), TE)
        for name in ("reqs_before", "covered_from"):
            out[name][:, rows] = getattr(result, name).reshape(S, len(rows))
        interviews.hired(params, out["starts"], rows)
    return _Staffed(
        need=need,
        staffed_need=out["staffed_need"],
        heads=out["heads"],
        starts=out["starts"],
        departures=out["departures"],
        capacity=out["capacity"],
        reqs_opened=out["reqs_opened"],
        reqs_before=out["reqs_before"],
        gap=out["gap"],
        covered_from=out["covered_from"].astype(np.int64),
        interview_hours=interviews.spent,
    )


@dataclass
class _Interviews:
    """The interviewing hours of each role's hires as they become known, level by level."""

    interviewed: IntArray  # roles whose hires take interviewing hours
    by_hire: FloatArray  # [S, R, TE] hours each role's hires take (known or from a pass before)
    spent: FloatArray  # [S, R, TE] hours each interviewer role spends

    @classmethod
    def of(cls, structure: Structure, params: Params, earlier: FloatArray | None) -> _Interviews:
        """Start with the hours of the hires an earlier pass found (none in a first pass)."""
        takes = structure.interviewers.any(axis=1) & (params.interview_hours_per_hire > 0).any(0)
        interviewed = np.nonzero(takes)[0]
        S, R = params.opening_heads.shape
        TE = params.scheduled_heads.shape[2]
        out = cls(interviewed, np.zeros((S, R, TE)), np.zeros((S, R, TE)))
        if earlier is not None:
            out.hired(params, earlier, interviewed)
        return out

    def hired(self, params: Params, starts: FloatArray, rows: IntArray) -> None:
        """Take the hours of the hires of ``rows`` from their (now known) starts."""
        rows = np.intersect1d(rows, self.interviewed)
        if len(rows):
            self.by_hire[:, rows] = interview_hours(
                starts[:, rows],
                params.lead_months[:, rows],
                params.interview_hours_per_hire[:, rows],
            )

    def add_need(
        self, structure: Structure, params: Params, need: FloatArray, rows: IntArray
    ) -> FloatArray:
        """Add the interviewing need of the interviewer roles among ``rows``."""
        at_level = np.zeros(len(structure.roles), dtype=bool)
        at_level[rows] = True
        if not (structure.interviewers[self.interviewed][:, at_level]).any():
            return need
        need, load = interview_need(structure, params, need, self.by_hire, at_level)
        self.spent[:, rows] = load[:, rows]
        return need


def _staff_rows(
    params: Params, need: FloatArray, rows: IntArray, fixed: BoolArray, months: int
) -> Staffing:
    """Staff some roles of every variant as one batch of rows (variant x role).

    A fixed role's schedule counts people, not capacity: it is staffed as if everyone were
    fully ramped from the start, and its ramped capacity is then replayed from its starts.
    """
    S, r, TE = need.shape

    def pick(a: np.ndarray) -> np.ndarray:
        return np.asarray(a[:, rows].reshape(S * r, *a.shape[2:]))

    ramp, full = pick(params.ramp_fraction), pick(params.ramp_months)
    counted = np.broadcast_to(fixed, (S, r)).reshape(S * r)
    state = opening_state(params, rows)
    result = staff(
        need.reshape(S * r, TE),
        months,
        pick(params.opening_heads),
        pick(params.attrition_rate_annual),
        np.where(counted[:, None], 1.0, ramp),
        np.where(counted, 0, full),
        pick(params.lead_months),
        pick(params.open_reqs),
        state,
    )
    if not counted.any():
        return result
    _, capacity = replay(
        result.starts[counted],
        pick(params.opening_heads)[counted],
        pick(params.attrition_rate_annual)[counted],
        ramp[counted],
        full[counted],
        None if state is None else state.rows(np.flatnonzero(counted)),
    )
    ramped = result.capacity.copy()
    ramped[counted] = capacity
    return replace(result, capacity=ramped)


def opening_state(params: Params, rows: IntArray) -> Opening | None:
    """Return the opening state of some roles of every variant as rows (variant x role), or
    None when they open as a new plan does (every head ramped, nothing accrued or dated)."""
    S, r = params.size, len(rows)
    parts = (params.ramping_heads, params.accrued_departures, params.dated_reqs)
    if not any(np.count_nonzero(a[:, rows]) for a in parts):
        return None
    ramping, accrued, dated = (np.asarray(a[:, rows].reshape(S * r, *a.shape[2:])) for a in parts)
    return Opening(ramping, accrued, dated)


def pods_for(
    params: Params,
    need: FloatArray,
    rows: np.ndarray,
    pods_needed: FloatArray,
    pod_need: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Return pods needed [S, P, TE] and each role's need from each pod's business.

    ``P[t] = ceil(max_r need_r,pod[t] / members_r)`` over the pod's roles (docs/model.md §5).  A
    cell served by several templates that share a role splits that role's need evenly.
    """
    members = params.pod_members  # [S, P, R]
    serves = params.pod_cells  # [S, P, M]
    has = members > 0
    # How many templates serve each cell with each role: [S, R, M]
    sharing = np.einsum("spr,spm->srm", has.astype(np.float64), serves)
    share = np.where(sharing > 0, 1.0 / np.maximum(sharing, 1.0), 0.0)
    weighted = need * share[:, :, :, None]  # [S, R, M, TE]
    this = np.einsum("spm,srmt->sprt", serves, weighted) * has[:, :, :, None]  # [S, P, R, TE]
    pod_need = pod_need.copy()
    pod_need[:, :, rows] = this[:, :, rows]
    ratio = np.where(has[:, :, :, None], pod_need / np.where(has, members, 1.0)[:, :, :, None], 0.0)
    pods = np.ceil(ratio.max(axis=2, initial=0.0) - EPS)
    return np.maximum(pods, pods_needed), pod_need


def _pod_heads(
    params: Params,
    need: FloatArray,
    rows: np.ndarray,
    pods: FloatArray,
    level_need: FloatArray,
) -> FloatArray:
    """Return what pod staffing must cover: whole pods' members, plus work outside pods.

    The pods' members ``sum_p P_p m_p`` are rounded up across pods (a shared person is a
    whole person); work no pod serves goes first to the spare capacity that rounding left,
    so the cover is ``max(ceil(sum_p P_p m_p), sum_p P_p m_p + outside)``.
    """
    members = params.pod_members[:, :, rows]  # [S, P, r]
    in_pods = np.einsum("spt,spr->srt", pods, members)
    served = (
        np.einsum("spr,spm->srm", (params.pod_members > 0).astype(np.float64), params.pod_cells) > 0
    )  # [S, R, M]
    outside = (need * ~served[:, :, :, None]).sum(axis=2)[:, rows]
    return np.asarray(np.maximum(np.ceil(in_pods - EPS), in_pods + outside))
