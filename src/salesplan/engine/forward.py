"""Forwards (docs/model.md §9): what a fixed hiring plan delivers, for a batch of drawn variants.

Planning runs the funnel backwards from a target; this module runs it forwards.  The hiring
plan (starts per role and month) and the top-of-funnel arrivals are taken from the point
plan and held fixed; the variants differ in their drawn rates, lags, prices, churn,
expansion, capacities, ramps, attrition and hiring lead times.  Pure numpy, no I/O; axis 0
of every array is the variant (trial).

The rules
---------
* **Arrivals.**  Each motion's first stage receives the point plan's arrivals,
  ``V_0(x) = W(x + L_0) / prod q`` with the plan's own lag and rates, for every month
  including the months before month 0 (the opening pipeline the plan assumes).  With
  seasonality ``W`` carries the motion's weights by calendar month, continued backwards
  before month 0 (docs/model.md §14); a plan sized to a confidence buys ``pipeline`` times
  the entries its target needs.
* **Passing on.**  Volume reaching stage k at month t is the arrivals carried through the
  drawn rates and lags, ``prod_{i<k} q_i * V_0(t - (L_0 - L_k))``, times the share that
  survived each earlier stage's rationing: a stage's monthly survival factor ``c_i[s]`` is
  read at ``t - (L_i - L_k)``, joined linearly between whole months like the funnel's
  fractional lags (engine/funnel.py).  Because the arrival curve is the plan's own
  continuous curve, no interpolation error builds up: at point values and with enough
  capacity the wins are the plan's wins.
* **Rationing.**  A role with flow drivers has a load ``sum_drivers volume / capacity``
  (FTE) each month; when it exceeds the role's ramped capacity, every stream it works
  passes only ``capacity / load`` of its volume, and the rest is lost (not queued).  A stage
  worked by several roles passes the smallest of their shares.  A stage's rationing in
  month t can change the volume a later stage receives in the same month (lags under a
  month), so month t is solved by sweeps until the shares settle.
* **Stocks and managers** (CSMs, span of control) do not gate deals: they count months
  short but cut no flow.  Load is kept by cell like the planning engine's need
  (engine/work.py: stocks by the motions' shares, managers after their people), so the cost
  of each trial's org follows its work to tiers as in docs/model.md §6.
* **People.**  Each role's starts move by (drawn − planned) hiring lead time, except the
  starts from requisitions already open before the plan; heads and ramped capacity follow
  from :func:`salesplan.engine.staffing.forward` with the drawn attrition and ramp, times
  the role's capacity seasonality.
* **Revenue.**  Wins become customers and MRR with the drawn price, churn and expansion
  by the recurrences of docs/model.md §1 (:func:`salesplan.engine.revenue.tier_recurrence`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.funnel import interpolated_growth, lags_and_rates, seasonal_at
from salesplan.engine.revenue import growth_powers, tier_recurrence
from salesplan.engine.run import PlanResult
from salesplan.engine.staffing import Opening
from salesplan.engine.staffing import forward as replay
from salesplan.engine.structure import (
    EPS,
    FLOW,
    BoolArray,
    FloatArray,
    IntArray,
    Params,
    Structure,
    by_calendar,
)
from salesplan.engine.work import interview_hours, interview_need, people_need, stock_need

# Sweeps that settle one month's rationing; a chain of stages needs one sweep per link.
MAX_SWEEPS = 16


@dataclass(frozen=True)
class FixedPlan:
    """What forwards holds fixed, taken from the point plan (one variant)."""

    starts: FloatArray  # [R, TE] starts per role and month
    reqs_before: FloatArray  # [R] starts from requisitions open before the plan (not moved)
    lead: IntArray  # [R] planned hiring lead time, months
    arrivals: FloatArray  # [M] planned first-stage entries in month 0 without lag, a / prod q
    # (times the pipeline a plan sized to a confidence buys)
    first_lag: FloatArray  # [M] planned lag from a motion's first stage to won, L_0


@dataclass(frozen=True)
class Forward:
    """What a batch of variants delivers, months 0 … T-1."""

    wins: FloatArray  # [S, M, T] new customers by cell after rationing
    new_customers: FloatArray  # [S, K, T]
    new_mrr: FloatArray  # [S, K, T]
    mrr: FloatArray  # [S, K, T]
    customers: FloatArray  # [S, K, T]
    load: FloatArray  # [S, R, T] FTE of work offered to each role
    load_by_cell: FloatArray  # [S, R, M, T] the same by cell (managers follow their people)
    capacity: FloatArray  # [S, R, T] ramped capacity, FTE
    heads: FloatArray  # [S, R, T]
    starts: FloatArray  # [S, R, T] the plan's starts, moved by the drawn hiring lead time
    entries: FloatArray  # [S, M, T] entries into each motion's first stage
    short: BoolArray  # [S, R, T] load above ramped capacity

    @property
    def months_short(self) -> IntArray:
        """Return role-months short of capacity per variant [S]."""
        return np.asarray(self.short.sum(axis=(1, 2)), dtype=np.int64)


def fixed_plan(result: PlanResult) -> FixedPlan:
    """Return the parts of a point plan (variant 0 of a run) that forwards holds fixed.

    The hires are the plan's starts; the arrivals come from its booking curve and funnel.
    """
    s, p = result.structure, result.params
    first = np.nonzero(s.first_stage)[0]
    wins0 = result.revenue.booking_curve[0, s.cell_tier] * p.cell_share[0]  # [M] in month 0
    return FixedPlan(
        starts=result.starts[0].copy(),
        reqs_before=result.reqs_before[0].copy(),
        lead=p.lead_months[0].copy(),
        arrivals=wins0 / result.funnel.to_win[0, first] * result.pipeline[0],
        first_lag=result.funnel.lag[0, first],
    )


def shifted_starts(fixed: FixedPlan, lead: IntArray) -> FloatArray:
    """Return starts [S, R, TE] moved by each variant's (drawn − planned) lead time.

    The first ``reqs_before`` starts (requisitions open before the plan) keep their months.
    A start moved before month 0 starts in month 0; one moved past the last month is lost.

    >>> f = FixedPlan(np.array([[1.0, 0.0, 2.0, 0.0]]), np.zeros(1), np.array([2]),
    ...               np.zeros(0), np.zeros(0))
    >>> shifted_starts(f, np.array([[4], [0]])).tolist()
    [[[0.0, 0.0, 1.0, 0.0]], [[3.0, 0.0, 0.0, 0.0]]]
    """
    R, TE = fixed.starts.shape
    total = np.cumsum(fixed.starts, axis=1)  # [R, TE]
    kept = np.minimum(total, fixed.reqs_before[:, None])
    moved = total - kept
    shift = lead - fixed.lead[None, :]  # [S, R]
    source = np.arange(TE)[None, None, :] - shift[:, :, None]  # [S, R, TE]
    at = np.clip(source, 0, TE - 1)
    rows = np.arange(R)[None, :, None]
    cum = np.where(source < 0, 0.0, moved[rows, at]) + kept[None, :, :]
    return np.asarray(np.diff(cum, axis=2, prepend=0.0))


def run_forward(
    structure: Structure,
    params: Params,
    fixed: FixedPlan,
    extra: FloatArray | None = None,
    *,
    loads: bool = True,
) -> Forward:
    """Run a batch of variants forwards with the hiring plan held fixed (docs/model.md §9).

    ``extra`` [S, R, TE] are starts each variant makes beyond the plan's (one more head).
    ``loads=False`` leaves out the load of the roles that gate no deals (stocks, managers,
    recruiters, interviewing): what a trial wins is the same, only its cost and months
    short of those roles are not counted (for the probability of reaching the target).
    """
    T = structure.months
    heads, capacity, starts = _people(params, fixed, T, extra)
    if not (params.capacity_season == 1).all():
        capacity = capacity * by_calendar(params.capacity_season, structure.start, np.arange(T))
    wins, load_by_cell, entries = _funnel_forward(structure, params, fixed, capacity)
    K = len(structure.tiers)
    cell_in_tier = (structure.cell_tier[:, None] == np.arange(K)[None, :]).astype(np.float64)
    new_customers = np.einsum("smt,mk->skt", wins, cell_in_tier)
    new_mrr = new_customers * params.mrr_per_customer[:, :, None]
    keep = (1 - params.churn_rate_monthly) * (1 + params.expansion_rate_monthly)
    mrr = tier_recurrence(params.opening_mrr, keep, new_mrr)
    churn = params.churn_rate_monthly
    customers = tier_recurrence(params.opening_customers, 1 - churn, new_customers)
    if loads:
        stock_need(structure, params, mrr, customers, load_by_cell)
        # Interviewing hours of the roles someone interviews for (the rest take none).
        hours = np.zeros_like(starts)
        hired = np.flatnonzero(structure.interviewers.any(axis=1))
        per_hire = params.interview_hours_per_hire[:, hired]
        hours[:, hired] = interview_hours(starts[:, hired], params.lead_months[:, hired], per_hire)
        for level in sorted(set(structure.role_level.tolist())):
            if level > 0:
                people_need(structure, params, load_by_cell, heads, starts, level)
            at_level = structure.role_level == level
            interview_need(structure, params, load_by_cell, hours, at_level)
    load = load_by_cell.sum(axis=2)
    return Forward(
        wins=wins,
        new_customers=new_customers,
        new_mrr=new_mrr,
        mrr=mrr,
        customers=customers,
        load=load,
        load_by_cell=load_by_cell,
        capacity=capacity,
        heads=heads,
        starts=starts,
        entries=entries,
        short=load > capacity + EPS,
    )


def _people(
    params: Params, fixed: FixedPlan, months: int, extra: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return heads, ramped capacity and starts [S, R, T] of the fixed hiring plan (and each
    variant's ``extra`` starts).

    Variants that share a role's drawn lead time, attrition and ramp share its people, so
    each role is replayed once per distinct set of its inputs (most roles have one; a role
    whose attrition or ramp is drawn is replayed for every variant, which costs less than
    finding the distinct ones).  Every role's replays run as the rows of one batch: rows are
    independent, so each comes out as it would alone, at one month loop's overhead.
    """
    S, R = params.size, params.opening_heads.shape[1]
    heads = np.zeros((S, R, months))
    capacity = np.zeros((S, R, months))
    moved_out = np.zeros((S, R, months))
    if not R:  # a plan with no roles has nobody to replay
        return heads, capacity, moved_out
    parts = []  # (role, first variant of each distinct set, which set each variant has)
    starts = []
    for r in range(R):
        first, inverse = _distinct(params, r, None if extra is None else extra[:, r])
        one = FixedPlan(
            fixed.starts[r : r + 1],
            fixed.reqs_before[r : r + 1],
            fixed.lead[r : r + 1],
            fixed.arrivals,
            fixed.first_lag,
        )
        moved = shifted_starts(one, params.lead_months[first, r : r + 1])[:, 0]
        starts.append(moved if extra is None else moved + extra[first, r])
        parts.append((r, first, inverse.reshape(-1)))
    role = np.concatenate([np.full(len(first), r) for r, first, _ in parts])
    variant = np.concatenate([first for _, first, _ in parts])
    state = Opening(
        params.ramping_heads[variant, role],
        params.accrued_departures[variant, role],
        params.dated_reqs[variant, role],
    )
    h, c = replay(
        np.concatenate(starts),
        params.opening_heads[variant, role],
        params.attrition_rate_annual[variant, role],
        params.ramp_fraction[variant, role],
        params.ramp_months[variant, role],
        state,
    )
    row = 0
    for (r, first, inverse), moved in zip(parts, starts, strict=True):
        at = row + inverse
        heads[:, r] = h[at, :months]
        capacity[:, r] = c[at, :months]
        moved_out[:, r] = moved[inverse, :months]
        row += len(first)
    return heads, capacity, moved_out


def _distinct(params: Params, r: int, extra: FloatArray | None = None) -> tuple[IntArray, IntArray]:
    """Return the first variant of each distinct set of role r's people inputs, and which
    set each variant has.

    Variants with the same lead time and ramp months (whose ramp is the same curve) share
    a replay; where attrition, the opening team (heads, those still ramping, the accrual) or
    ``extra`` starts [S, TE] differ every variant is its own, which costs less than finding
    the distinct ones.
    """
    every = np.arange(params.size)
    if (
        (params.attrition_rate_annual[:, r] != params.attrition_rate_annual[0, r]).any()
        or (params.opening_heads[:, r] != params.opening_heads[0, r]).any()
        or (extra is not None and (extra != extra[0]).any())
        or (params.ramping_heads[:, r] != params.ramping_heads[0, r]).any()
        or (params.accrued_departures[:, r] != params.accrued_departures[0, r]).any()
    ):
        return every, every
    key = params.lead_months[:, r] * 1000 + params.ramp_months[:, r]
    if (key == key[0]).all():
        first, inverse = np.zeros(1, dtype=np.int64), np.zeros(params.size, dtype=np.int64)
    else:
        _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    curves = params.ramp_fraction[:, r]
    if (curves[first][inverse] != curves).any():
        return every, every
    return np.asarray(first, dtype=np.int64), np.asarray(inverse, dtype=np.int64).reshape(-1)


def _funnel_forward(
    structure: Structure, params: Params, fixed: FixedPlan, capacity: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return wins [S, M, T], flow drivers' load by cell [S, R, M, T] and first-stage entries.

    See the module notes; entries [S, M, T] are never rationed (nothing comes before them).
    """
    S, T = params.size, structure.months
    J, M, R = len(structure.stages), len(structure.cells), len(structure.roles)
    N = J + M  # nodes: every stage, then one 'won' node per cell
    node_cell = np.concatenate([structure.stage_cell, np.arange(M)])
    lag, to_win = lags_and_rates(structure.stage_cell, params.stage_rate, params.stage_days)
    lag = np.concatenate([lag, np.zeros((S, M))], axis=1)  # [S, N] months to won
    to_win = np.concatenate([to_win, np.ones((S, M))], axis=1)
    first = np.nonzero(structure.first_stage)[0]  # [M] first stage row of each cell
    first_node = first[node_cell]  # [N]
    # Rates passed before reaching the node: prod_{i<k} q_i = to_win(first) / to_win(k).
    before = to_win[:, first_node] / to_win
    delta = lag[:, first_node] - lag  # [S, N] months from the first stage to the node
    g = 1.0 + params.growth_rate_monthly[:, None]
    gpow = growth_powers(params.growth_rate_monthly, T)[:, None, :]
    at = fixed.first_lag[node_cell][None, :] - delta  # [S, N] the curve's offset at month 0
    if (params.cell_season == 1).all():
        base = before * fixed.arrivals[node_cell][None, :] * interpolated_growth(g, at)
        uncut = base[:, :, None] * gpow  # [S, N, T]
    else:
        first_month = int(structure.calendar(np.zeros(1, dtype=np.int64))[0])
        curve = seasonal_at(g, params.cell_season[:, node_cell], first_month, at, T)
        uncut = ((before * fixed.arrivals[node_cell][None, :])[:, :, None] * curve) * gpow
    entries = np.asarray(uncut[:, first])

    weights, works = _flow_weights(structure, params, N, node_cell)  # [S, N, R], [N, R]
    gated: BoolArray = np.asarray(works.any(axis=1))  # nodes some role rations
    if not gated.any():
        return uncut[:, J:], np.zeros((S, R, M, T)), entries
    roles = [
        (r, nodes, weights[:, nodes, r])
        for r in range(R)
        if len(nodes := np.nonzero(works[:, r])[0])
    ]

    # Pairs (i, k), sorted by k: a gated node i before node k in the same motion.  Volume
    # reaching k at month t survived i's rationing at t - (L_i - L_k), a fractional month.
    pairs = [
        (i, k)
        for k in range(N)
        for i in range(N)
        if gated[i] and node_cell[i] == node_cell[k] and _before(structure, i, k, J)
    ]
    up = np.array([i for i, _ in pairs], dtype=np.int64)
    down = np.array([k for _, k in pairs], dtype=np.int64)
    gap = lag[:, up] - lag[:, down]  # [S, P] months, >= 0
    whole = np.floor(gap + 1e-12).astype(np.int64)
    frac = np.clip(gap - whole, 0.0, 1.0)
    # Pairs less than a month apart in some trial read month t's own shares: solved by sweeps.
    inside = np.nonzero((whole == 0).any(axis=0))[0]
    same_month = whole[:, inside] == 0
    inside_frac = frac[:, inside]
    # What every month reads, worked out once: the weights of the two months a pair joins,
    # and the pairs grouped by the node they lead to.
    later_weight, inside_later = 1 - frac, 1 - inside_frac
    apart = whole > 0
    up_inside = up[inside]
    by_node, by_node_inside = _Groups.of(down, N), _Groups.of(down[inside], N)

    # Shares and wins month-major while filling (a month is one contiguous block).
    pad = int(whole.max(initial=0)) + 2
    factor = np.ones((pad + T, S, N))  # each node's surviving share by month, left-padded
    # Pair (s, p) reads node up[p] of variant s at month t - whole[s, p]: as flat indexes
    # into ``factor`` (C order), a month's look-up is one ``take``.
    SN = S * N
    flat_pair = (pad - whole) * SN + np.arange(S)[:, None] * N + up[None, :]
    uncut_by_month = np.ascontiguousarray(uncut.transpose(2, 0, 1))  # [T, S, N]
    arrived = np.empty((S, N, T))  # volume reaching each node, after earlier rationing
    wins = np.empty((T, S, M))
    for t in range(T):
        older = factor.take(flat_pair + (t - 1) * SN)  # c_i[t - D - 1]
        newer = factor.take(flat_pair + t * SN)  # c_i[t - D]
        known = np.where(apart, frac * older + later_weight * newer, 1.0)
        offered = uncut_by_month[t] * by_node.product(known)
        last_month = older[:, inside]  # c_i[t - 1] for the pairs within the month
        now = np.ones((S, N))
        load = np.zeros((S, R))
        for _ in range(MAX_SWEEPS):
            arriving = offered
            if len(inside):
                mixed = inside_frac * last_month + inside_later * now[:, up_inside]
                within = np.where(same_month, mixed, 1.0)
                arriving = offered * by_node_inside.product(within)
            updated = np.ones((S, N))
            for r, nodes, w in roles:
                load[:, r] = (arriving[:, nodes] * w).sum(axis=1)
                cap = capacity[:, r, t]
                share = np.where(load[:, r] > cap + EPS, cap / np.maximum(load[:, r], EPS), 1.0)
                updated[:, nodes] = np.minimum(updated[:, nodes], share[:, None])
            settled = not len(inside) or bool(np.abs(updated - now).max() <= 1e-13)
            now = updated
            if settled:
                break
        factor[pad + t] = now
        arrived[:, :, t] = arriving
        np.multiply(arriving[:, J:], now[:, J:], out=wins[t])
    # The same loads as the sweeps', kept by cell so that cost can follow the work.
    loads = np.zeros((S, R, M, T))
    for r, nodes, w in roles:
        in_cell = (node_cell[nodes][:, None] == np.arange(M)[None, :]).astype(np.float64)
        worked = (arrived[:, nodes] * w[:, :, None]).transpose(0, 2, 1)  # [S, T, n]
        loads[:, r] = np.matmul(worked, in_cell).transpose(0, 2, 1)
    return np.ascontiguousarray(wins.transpose(1, 2, 0)), loads, entries


@dataclass(frozen=True)
class _Groups:
    """Pairs grouped by the node they lead to, for the product of their values per node.

    The product is taken as ``numpy.multiply.reduceat`` takes it, left to right within a
    group, but a column at a time across groups: the first pair of every group, then the
    second of the groups that have one, and so on (a node has a few pairs; reducing along
    the rows of a C-ordered array costs more than these few column products).
    """

    node: IntArray  # the node of each group
    first: IntArray  # each group's first pair
    more: tuple[tuple[IntArray, IntArray], ...]  # (nodes, their j-th pair) for j = 1, 2, …
    nodes: int

    @classmethod
    def of(cls, node: IntArray, nodes: int) -> _Groups:
        """Group pairs by ``node`` [P], which is sorted (the pairs of one node are adjacent)."""
        first = np.flatnonzero(np.r_[True, node[1:] != node[:-1]]) if len(node) else node
        sizes = np.diff(np.r_[first, len(node)])
        more = tuple(
            (node[first][sizes > j], first[sizes > j] + j) for j in range(1, sizes.max(initial=1))
        )
        return cls(node[first], first, more, nodes)

    def product(self, values: FloatArray) -> FloatArray:
        """Return the product of pair values [S, P] per node [S, nodes] (1 where a node has
        none).

        >>> _Groups.of(np.array([1, 1, 3]), 4).product(np.array([[2.0, 3.0, 5.0]])).tolist()
        [[1.0, 6.0, 1.0, 5.0]]
        """
        out = np.ones((values.shape[0], self.nodes))
        if len(self.first):
            out[:, self.node] = values[:, self.first]
            for node, pair in self.more:
                out[:, node] *= values[:, pair]
        return out


def _before(structure: Structure, i: int, k: int, J: int) -> bool:
    """Return whether node i comes before node k (both in one motion; 'won' comes last)."""
    pos_i = structure.stage_pos[i] if i < J else J
    pos_k = structure.stage_pos[k] if k < J else J
    return bool(pos_i < pos_k)


def _flow_weights(
    structure: Structure, params: Params, N: int, node_cell: IntArray
) -> tuple[FloatArray, BoolArray]:
    """Return FTE per unit of volume at each node for each role [S, N, R], and who works it."""
    S, R = params.size, len(structure.roles)
    weights = np.zeros((S, N, R))
    works = np.zeros((N, R), dtype=bool)
    arr_per_deal = 12.0 * params.mrr_per_customer[:, structure.cell_tier[node_cell]]  # [S, N]
    for d_index, d in enumerate(structure.drivers):
        if d.kind != FLOW:
            continue
        mask = np.concatenate([d.stage_mask, d.won_mask])  # [N]
        unit = arr_per_deal if d.new_arr else np.ones((S, N))
        weights[:, :, d.role] += unit * mask[None, :] / params.driver_capacity[:, d_index][:, None]
        works[:, d.role] |= mask
    return weights, works
