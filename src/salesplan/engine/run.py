"""Run the whole engine on a batch of variants: revenue, funnel, work, pods, staffing.

``run`` is pure: arrays in, arrays out, no I/O.  Axis 0 of every array is the variant.

Hiring limits (docs/model.md §14) are applied in two stages: every variant is staffed as
§4 would (the *unconstrained* plan); a variant whose unconstrained starts break no cap keeps
that plan, to the last bit, and only the others are staffed again within their caps.  The
unconstrained heads and starts stay on the result, so reports can say what the caps cost.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from functools import cached_property

import numpy as np

from salesplan.engine.cost import Costs, plan_costs
from salesplan.engine.funnel import Funnel, funnel
from salesplan.engine.quota import quota_fte
from salesplan.engine.revenue import Revenue, revenue, tier_season
from salesplan.engine.staffing import (
    CAP_INDIRECT,
    CAP_ORG,
    CAP_RECRUITING,
    CAP_ROLE,
    Limits,
    Opening,
    Staffing,
    over_caps,
    staff,
    still_ramping,
)
from salesplan.engine.staffing import forward as replay
from salesplan.engine.structure import (
    EPS,
    STARTS,
    BoolArray,
    FloatArray,
    IntArray,
    Params,
    Structure,
    by_calendar,
)
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
    # Hiring limits (docs/model.md §14): the plan without its caps, and where the caps bound.
    free_heads: FloatArray  # [S, R, TE] heads of the unconstrained plan
    free_starts: FloatArray  # [S, R, TE] starts of the unconstrained plan
    bound: IntArray  # [S, R, TE] CAP_* bits of the caps that held starts back
    gap_cause: IntArray  # [S, R, TE] CAP_* bits of the caps behind a gap (0: late hiring)
    pipeline: FloatArray  # [S, M] entries bought per entry the target needs (1; §14 confidence)

    @cached_property
    def costs(self) -> Costs:
        """Return what the batch costs by role, cell and tier (docs/model.md §6), computed once."""
        return plan_costs(self)

    @cached_property
    def quota_fte(self) -> FloatArray:
        """Return each role's people weighted by their share of full quota [S, R, TE]
        (docs/model.md §14), computed once."""
        return quota_fte(self)

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


def run(
    structure: Structure,
    params: Params,
    *,
    need: FloatArray | None = None,
    pipeline: FloatArray | None = None,
) -> PlanResult:
    """Run a batch of variants of one plan through docs/model.md §1–5 and §14.

    ``need`` [S, R, M, TE] replaces the direct need of the roles sized by their work, and
    ``pipeline`` [S, M] scales each motion's entries: a plan sized to a confidence buys more
    pipeline and hires for more work than its likely values need (docs/model.md §14).
    """
    T = structure.months
    TE = extended_months(structure, params)
    rev, fun, own = plan_work(structure, params)
    direct = _within_reach(own if need is None else need)
    if pipeline is None:
        pipeline = np.ones_like(params.cell_share)
    else:
        scale = pipeline[:, structure.stage_cell]
        fun = replace(fun, volume=fun.volume * scale[:, :, None], opening=fun.opening * scale)
    season = _capacity_weights(structure, params, TE)
    free = _staff_all(structure, params, direct, T, season, limited=False)
    staffed, bound, cause = free, np.zeros_like(free.heads, dtype=np.int64), None
    binding = _binding(structure, params, free, T) if _has_limits(structure, params) else None
    if binding is not None and binding.any():
        idx = np.flatnonzero(binding)
        capped = _staff_all(
            structure,
            params.take(idx),
            direct[idx],
            T,
            None if season is None else season[idx],
            limited=True,
            free=_variants(free, idx),
        )
        staffed = _merged(free, capped, idx)
        bound = staffed.bound
        cause = _gap_causes(staffed.gap, free.gap, bound)
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
        free_heads=free.heads,
        free_starts=free.starts,
        bound=bound,
        gap_cause=np.zeros_like(bound) if cause is None else cause,
        pipeline=pipeline,
    )


MAX_NEED = 1e9
"""The most FTE one cell may ask of a role: far beyond any company (the plan format's own
bound on a role's people is 100,000), and low enough that whole people stay exact in floats,
which staffing counts one by one.  A plan whose need reaches it is refused (SP302)."""


def _within_reach(need: FloatArray) -> FloatArray:
    """Return the need with every finite figure above :data:`MAX_NEED` brought down to it
    (one that is not finite stays, for SP302 to name); the same array when none is.

    >>> _within_reach(np.array([1.0, 1e25, np.inf])).tolist()
    [1.0, 1000000000.0, inf]
    >>> _within_reach(np.array([np.nan, 1e25])).tolist()
    [nan, 1000000000.0]
    """
    if not np.fmax.reduce(need, axis=None, initial=0.0) > MAX_NEED:  # one pass, NaN skipped
        return need
    over = np.isfinite(need) & (need > MAX_NEED)
    return np.asarray(np.where(over, MAX_NEED, need))


def plan_work(structure: Structure, params: Params) -> tuple[Revenue, Funnel, FloatArray]:
    """Return a batch's revenue, funnel and direct need by cell [S, R, M, TE]: docs/model.md
    §1–3 (and §14's seasonality), before anyone is staffed."""
    T = structure.months
    TE = extended_months(structure, params)
    seasonal = not (params.cell_season == 1).all()
    first = int(structure.calendar(np.zeros(1, dtype=np.int64))[0])
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
        _tier_weights(structure, params, TE) if seasonal else None,
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
        params.cell_season if seasonal else None,
        first,
    )
    return rev, fun, direct_need(structure, params, rev, fun)


def _tier_weights(structure: Structure, params: Params, months: int) -> FloatArray:
    """Return each tier's weight of new bookings by month [S, K, TE] (docs/model.md §14)."""
    by_cell = by_calendar(params.cell_season, structure.start, np.arange(months))
    return tier_season(by_cell, structure.cell_tier, params.cell_share, len(structure.tiers))


def _capacity_weights(structure: Structure, params: Params, months: int) -> FloatArray | None:
    """Return each role's share of ramped capacity by month [S, R, TE], or None when every
    role works a full month every month."""
    if (params.capacity_season == 1).all():
        return None
    return by_calendar(params.capacity_season, structure.start, np.arange(months))


def _staff_all(
    structure: Structure,
    params: Params,
    direct: FloatArray,
    months: int,
    season: FloatArray | None,
    *,
    limited: bool,
    free: _Staffed | None = None,
) -> _Staffed:
    """Staff every role, with the passes that settle interviewers' hires; within the
    hiring caps when ``limited`` (``free``: the same variants staffed without them)."""
    staffed = _staff_levels(structure, params, direct, None, months, season, limited, free)
    # Interviewers at the level of the roles they hire for (or below) are staffed before
    # those hires are known: take the hires of the previous pass until they stop changing.
    # The pass that finds the same hires is kept: its interviewing is that of its own hires.
    for _ in range(MAX_INTERVIEW_PASSES if _interviews_ahead(structure, params) else 0):
        again = _staff_levels(
            structure, params, direct, staffed.starts, months, season, limited, free
        )
        settled = np.array_equal(again.starts, staffed.starts)
        staffed = again
        if settled:
            break
    return staffed


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
    bound: IntArray  # [S, R, TE] CAP_* bits of the caps that held starts back


def _staff_levels(
    structure: Structure,
    params: Params,
    direct: FloatArray,
    earlier: FloatArray | None,
    months: int,
    season: FloatArray | None,
    limited: bool,
    free: _Staffed | None = None,
) -> _Staffed:
    """Staff every role, level by level (docs/model.md §4), from the direct need by cell.

    A level's need adds what follows the people of lower levels (managers, recruiters) and
    the interviewing of their hires; ``earlier`` [S, R, TE] are the starts a previous pass
    found, for the hires of roles not staffed yet (None: none are known).  ``season``
    [S, R, TE] is each role's share of ramped capacity by month.  ``limited`` staffs within
    the hiring caps (§14): with a cap shared by several roles (the org-wide cap, recruiters'
    capacity) one role at a time, in staffing order, each taking what the roles before it
    left.  A role whose need
    is the unconstrained plan's (``free``) and whose unconstrained starts fit its caps keeps
    that staffing: staffing it again would find the same.
    """
    need = direct.copy()
    S, R, _, TE = need.shape
    out = {k: np.zeros((S, R, TE)) for k in ("heads", "starts", "departures", "capacity")}
    out |= {k: np.zeros((S, R, TE)) for k in ("reqs_opened", "gap", "staffed_need")}
    out |= {"reqs_before": np.zeros((S, R)), "covered_from": np.zeros((S, R))}
    out["bound"] = np.zeros((S, R, TE))
    interviews = _Interviews.of(structure, params, earlier)
    shared = _SharedCaps.of(structure, params, months, TE, season) if limited else None
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
        if shared is None or not shared.any:
            groups = [np.arange(len(rows))]  # the whole level as one batch
        else:
            groups = [np.array([i]) for i in range(len(rows))]  # role by role, in order
        for group in groups:
            these = rows[group]
            limits = None
            if limited:
                limits = _limits(params, these, TE, shared)
            result = None
            if free is not None and limits is not None:
                result = _kept(
                    params, free, these, level_need[:, group], limits, months, fixed[group]
                )
            if result is None:
                result = _staff_rows(
                    params, level_need[:, group], these, fixed[group], months, season, limits
                )
            for name in ("heads", "starts", "departures", "capacity", "reqs_opened", "gap"):
                out[name][:, these] = getattr(result, name).reshape(S, len(these), TE)
            out["bound"][:, these] = result.bound.reshape(S, len(these), TE)
            for name in ("reqs_before", "covered_from"):
                out[name][:, these] = getattr(result, name).reshape(S, len(these))
            if shared is not None:
                shared.use(these, out["starts"][:, these])
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
        bound=out["bound"].astype(np.int64),
    )


@dataclass
class _Interviews:
    """The interviewing hours of each role's hires as they become known, level by level."""

    interviewed: IntArray  # roles whose hires take interviewing hours
    takes: BoolArray  # [R] the same, as a mask
    by_hire: FloatArray  # [S, R, TE] hours each role's hires take (known or from a pass before)
    spent: FloatArray  # [S, R, TE] hours each interviewer role spends

    @classmethod
    def of(cls, structure: Structure, params: Params, earlier: FloatArray | None) -> _Interviews:
        """Start with the hours of the hires an earlier pass found (none in a first pass)."""
        takes = structure.interviewers.any(axis=1) & (params.interview_hours_per_hire > 0).any(0)
        interviewed = np.nonzero(takes)[0]
        S, R = params.opening_heads.shape
        TE = params.scheduled_heads.shape[2]
        out = cls(interviewed, np.asarray(takes), np.zeros((S, R, TE)), np.zeros((S, R, TE)))
        if earlier is not None:
            out.hired(params, earlier, interviewed)
        return out

    def hired(self, params: Params, starts: FloatArray, rows: IntArray) -> None:
        """Take the hours of the hires of ``rows`` from their (now known) starts."""
        rows = rows[self.takes[rows]]
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
        # The rest of the level interviews nobody: their hours stay the zeros they start at.
        hosts = rows[structure.interviewers[:, rows].any(axis=0)]
        self.spent[:, hosts] = load[:, hosts]
        return need


def _staff_rows(
    params: Params,
    need: FloatArray,
    rows: IntArray,
    fixed: BoolArray,
    months: int,
    season: FloatArray | None = None,
    limits: Limits | None = None,
) -> Staffing:
    """Staff some roles of every variant as one batch of rows (variant x role).

    A fixed role's schedule counts people, not capacity: it is staffed as if everyone were
    fully ramped from the start, and its ramped capacity is then replayed from its starts.
    With capacity seasonality a role works ``c[t]`` of its ramped capacity in month t, so it
    is staffed to ``need / c`` and its capacity and gaps are ``c`` times the staffing's.
    """
    S, r, TE = need.shape

    def pick(a: np.ndarray) -> np.ndarray:
        return np.asarray(a[:, rows].reshape(S * r, *a.shape[2:]))

    ramp, full = pick(params.ramp_fraction), pick(params.ramp_months)
    counted = np.broadcast_to(fixed, (S, r)).reshape(S * r)
    state = opening_state(params, rows)
    flat = need.reshape(S * r, TE)
    share = None if season is None else pick(season)
    if share is not None:
        # A schedule counts people, whatever share of a month they work.
        flat = np.where(counted[:, None], flat, flat / share)
    result = staff(
        flat,
        months,
        pick(params.opening_heads),
        pick(params.attrition_rate_annual),
        np.where(counted[:, None], 1.0, ramp),
        np.where(counted, 0, full),
        pick(params.lead_months),
        pick(params.open_reqs),
        limits,
        state,
    )
    ramped = result.capacity
    if counted.any():
        _, capacity = replay(
            result.starts[counted],
            pick(params.opening_heads)[counted],
            pick(params.attrition_rate_annual)[counted],
            ramp[counted],
            full[counted],
            None if state is None else state.rows(np.flatnonzero(counted)),
        )
        ramped = ramped.copy()
        ramped[counted] = capacity
    if share is None:
        return result if ramped is result.capacity else replace(result, capacity=ramped)
    gap = np.where(counted[:, None], result.gap, result.gap * share)
    return replace(result, capacity=ramped * share, gap=gap)


def opening_state(params: Params, rows: IntArray) -> Opening | None:
    """Return the opening state of some roles of every variant as rows (variant x role), or
    None when they open as a new plan does (every head ramped, nothing accrued or dated)."""
    S, r = params.size, len(rows)
    parts = (params.ramping_heads, params.accrued_departures, params.dated_reqs)
    if not any(np.count_nonzero(a[:, rows]) for a in parts):
        return None
    ramping, accrued, dated = (np.asarray(a[:, rows].reshape(S * r, *a.shape[2:])) for a in parts)
    return Opening(ramping, accrued, dated)


# -- hiring limits (docs/model.md §14) ---------------------------------------------------------


def _has_limits(structure: Structure, params: Params) -> bool:
    """Return whether the plan caps hiring anywhere."""
    return bool(
        np.isfinite(params.max_starts).any()
        or (params.ramping_share < 1).any()
        or np.isfinite(params.org_max_starts).any()
        or (structure.recruiting_caps and any(d.kind == STARTS for d in structure.drivers))
    )


@dataclass
class _SharedCaps:
    """Caps several roles share, and what is left of them as roles are staffed in order.

    ``org`` [S, TE] is the org-wide cap less the starts so far; each recruiter role's
    ``budget`` [S, TE] is its opening recruiters' FTE in the months before a new recruiter
    can be hired and ramped (lead time plus ramp; no cap after: the plan hires recruiters
    for the starts), less the starts so far at ``weight`` FTE each: a start of role r takes
    ``Σ_d 1 / capacity_d`` of a recruiter's month over the recruiter's drivers that hire r.
    """

    org: FloatArray  # [S, TE]
    budget: FloatArray  # [S, Q, TE] recruiters' FTE left
    weight: FloatArray  # [S, Q, R] recruiter FTE a start of each role takes
    any: bool  # some cap is shared (else roles are staffed a level at a time)

    @classmethod
    def of(
        cls,
        structure: Structure,
        params: Params,
        months: int,
        extended: int,
        season: FloatArray | None,
    ) -> _SharedCaps:
        """Return the shared caps of a batch before any role is staffed."""
        S, R = params.size, len(structure.roles)
        t = np.arange(extended)[None, :]
        org = np.where(t < months, params.org_max_starts[:, None], 0.0)
        recruiters = sorted({d.role for d in structure.drivers if d.kind == STARTS})
        if not structure.recruiting_caps:
            recruiters = []
        budget = np.zeros((S, len(recruiters), extended))
        weight = np.zeros((S, len(recruiters), R))
        for q, role in enumerate(recruiters):
            for d_index, d in enumerate(structure.drivers):
                if d.role == role and d.kind == STARTS:
                    weight[:, q, d.roles] += 1.0 / params.driver_capacity[:, d_index][:, None]
            _, fte = replay(
                np.zeros((S, extended)),
                params.opening_heads[:, role],
                params.attrition_rate_annual[:, role],
                params.ramp_fraction[:, role],
                params.ramp_months[:, role],
            )
            if season is not None:
                fte = fte * season[:, role]
            ahead = (params.lead_months[:, role] + params.ramp_months[:, role])[:, None]
            budget[:, q] = np.where(t < ahead, fte, np.inf)
        shared = bool(np.isfinite(params.org_max_starts).any()) or bool(recruiters)
        return cls(org=org, budget=budget, weight=weight, any=shared)

    def use(self, rows: IntArray, starts: FloatArray) -> None:
        """Take the starts [S, r, TE] of roles ``rows`` off what is left."""
        self.org = self.org - starts.sum(axis=1)
        self.budget = self.budget - np.einsum("sqr,srt->sqt", self.weight[:, :, rows], starts)


def _limits(params: Params, rows: IntArray, extended: int, shared: _SharedCaps | None) -> Limits:
    """Return the caps on the starts of roles ``rows`` (rows variant x role), with what the
    shared caps have left."""
    S, r = params.size, len(rows)
    cap = np.broadcast_to(params.max_starts[:, rows, None], (S, r, extended)).copy()
    code = np.where(np.isfinite(cap), CAP_ROLE, 0)
    if shared is not None and shared.any:
        org = np.broadcast_to(np.floor(shared.org + EPS)[:, None, :], cap.shape)
        code = np.where(org < cap, CAP_ORG, code)
        cap = np.minimum(cap, org)
        for q in range(shared.budget.shape[1]):
            w = shared.weight[:, q, rows][:, :, None]  # [S, r, 1]
            hires = np.where(
                w > 0,
                np.floor(shared.budget[:, q, None, :] / np.where(w > 0, w, 1.0) + EPS),
                np.inf,
            )
            code = np.where(hires < cap, CAP_RECRUITING, code)
            cap = np.minimum(cap, hires)
    cap = np.maximum(cap, 0.0)
    return Limits(
        cap=cap.reshape(S * r, extended),
        code=code.reshape(S * r, extended).astype(np.int64),
        ramping=params.ramping_share[:, rows].reshape(S * r),
    )


def _binding(structure: Structure, params: Params, free: _Staffed, months: int) -> BoolArray:
    """Return [S] whether the unconstrained plan breaks a cap of that variant."""
    starts = free.starts[:, :, :months]
    over = (starts > params.max_starts[:, :, None] + EPS).any(axis=(1, 2))
    over |= (starts.sum(axis=1) > params.org_max_starts[:, None] + EPS).any(axis=1)
    ramping = params.ramping_share < 1  # [S, R]
    if ramping.any():
        S, R, TE = free.starts.shape
        still = still_ramping(
            free.starts.reshape(S * R, TE),
            free.departures.reshape(S * R, TE),
            params.opening_heads.reshape(S * R),
            np.where(structure.role_fixed[None, :], 0, params.ramp_months).reshape(S * R),
            params.ramping_heads.reshape(S * R, -1),
        ).reshape(S, R, TE)
        allowed = np.maximum(1.0, params.ramping_share[:, :, None] * free.heads)
        # The share is held when people start; departures later may raise it.
        started = free.starts > 0
        over |= (ramping[:, :, None] & started & (still > allowed + EPS)).any(axis=(1, 2))
    if structure.recruiting_caps:
        TE = free.starts.shape[2]
        shared = _SharedCaps.of(structure, params, months, TE, None)
        used = np.einsum("sqr,srt->sqt", shared.weight, free.starts)
        over |= (used > shared.budget + EPS).any(axis=(1, 2))
    return np.asarray(over)


def _merged(free: _Staffed, capped: _Staffed, idx: IntArray) -> _Staffed:
    """Return ``free`` with variants ``idx`` replaced by their capped staffing."""
    out = {}
    for f in fields(free):
        values = getattr(free, f.name).copy()
        values[idx] = getattr(capped, f.name)
        out[f.name] = values
    return _Staffed(**out)


def _variants(staffed: _Staffed, idx: IntArray) -> _Staffed:
    """Return the staffing of variants ``idx`` only."""
    return _Staffed(**{f.name: getattr(staffed, f.name)[idx] for f in fields(staffed)})


def _kept(
    params: Params,
    free: _Staffed,
    rows: IntArray,
    need: FloatArray,
    limits: Limits,
    months: int,
    fixed: BoolArray,
) -> Staffing | None:
    """Return the unconstrained staffing of roles ``rows`` when their need [S, r, TE] is the
    one it was staffed for and its starts fit ``limits``; else None.  ``fixed`` [r] marks
    the roles on a headcount schedule (staffed as fully ramped: nobody is ramping)."""
    if not np.array_equal(need, free.staffed_need[:, rows]):
        return None
    S, r, TE = need.shape

    def flat(a: np.ndarray) -> np.ndarray:
        return np.asarray(a[:, rows].reshape(S * r, *a.shape[2:]))

    full = np.where(fixed[None, :], 0, params.ramp_months[:, rows]).reshape(S * r)
    if over_caps(
        flat(free.starts),
        flat(free.departures),
        flat(free.heads),
        limits,
        months,
        flat(params.opening_heads),
        full,
        flat(params.ramping_heads),
    ).any():
        return None
    return Staffing(
        heads=flat(free.heads),
        starts=flat(free.starts),
        departures=flat(free.departures),
        capacity=flat(free.capacity),
        reqs_opened=flat(free.reqs_opened),
        reqs_before=flat(free.reqs_before),
        gap=flat(free.gap),
        covered_from=flat(free.covered_from),
        bound=np.zeros((S * r, TE), dtype=np.int64),
    )


def _gap_causes(gap: FloatArray, free_gap: FloatArray, bound: IntArray) -> IntArray:
    """Return the CAP_* bits behind each gap the unconstrained plan did not have [S, R, TE].

    A role short in a month the unconstrained plan covered is short because of a cap: its
    own caps that bound up to that month, or, when none did, the caps that moved other
    roles' starts (CAP_INDIRECT with theirs): a manager whose people arrive sooner.
    """
    own = np.bitwise_or.accumulate(bound, axis=2)
    anyone = np.bitwise_or.accumulate(np.bitwise_or.reduce(bound, axis=1), axis=1)[:, None, :]
    caused = (gap > 0) & ~(free_gap > 0)
    indirect = np.where(own == 0, anyone | CAP_INDIRECT, own)
    return np.asarray(np.where(caused, indirect, 0), dtype=np.int64)


def pod_sharing(members: FloatArray, cells: FloatArray) -> FloatArray:
    """Return how many pod templates serve each cell with each role, ``[..., R, M]`` from
    members ``[..., P, R]`` and the cells each template serves ``[..., P, M]`` (0: no pod
    serves that role's work in the cell).

    >>> pod_sharing(np.array([[1.0, 0.0], [0.5, 1.0]]), np.array([[1.0, 0.0], [1.0, 1.0]]))
    array([[2., 1.],
           [1., 1.]])
    """
    return np.asarray(np.einsum("...pr,...pm->...rm", (members > 0).astype(np.float64), cells))


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
    sharing = pod_sharing(members, serves)  # [S, R, M]
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
    served = pod_sharing(params.pod_members, params.pod_cells) > 0  # [S, R, M]
    outside = (need * ~served[:, :, :, None]).sum(axis=2)[:, rows]
    return np.asarray(np.maximum(np.ceil(in_pods - EPS), in_pods + outside))
