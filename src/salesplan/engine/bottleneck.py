"""Bottlenecks (docs/model.md §13): which role binds each month, and what one more head adds.

A role *binds* in a month when, of the roles whose capacity gates deals (those with a flow
driver: they ration the stages they work forwards, §9), it runs nearest or above 100% of its
ramped capacity in the plan: ``utilisation = need / capacity``.  Roles sized by a stock or
by other roles' people (CSMs, managers, recruiters) never gate a deal in the model, so they
never bind output; their shortfalls are capacity gaps (§4).

Forwards at the likely values with the plan's hires says what the binding costs: the deals
(and their new ARR) the plan's hires lose where a role is short.  The marginal value of one
more head of role r in month t is forwards again with one more start of r in month t (it
ramps and leaves like any start): the new ARR booked over the horizon above the plan's hires'
forwards, and the S&M cost it adds over the horizon, its loaded cost for the months it is
in post and its cost per hire (§6).  With the arrivals held fixed, a head adds new ARR only
where its role is short: a start that changes no month's rationing of its role (its
capacity moves only in months its load stays within) adds none, and only the starts that
may move a deal run forwards.  Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.cost import head_cost
from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.run import PlanResult
from salesplan.engine.staffing import forward as replay
from salesplan.engine.structure import EPS, FLOW, BoolArray, FloatArray, IntArray


@dataclass(frozen=True)
class Bottlenecks:
    """The binding role of each plan month and the worth of one more head, months 0 … T-1."""

    utilisation: FloatArray  # [R, T] need / ramped capacity; inf with need and no one in post;
    # NaN for a role sized by a headcount schedule (it has no work to be short of)
    gates: BoolArray  # [R] roles with a flow driver: their capacity gates deals
    binding: IntArray  # [T] the gating role with the highest utilisation; -1: none has work
    short: BoolArray  # [R, T] forwards with the plan's hires: load above ramped capacity
    lost_wins: FloatArray  # [T] deals the plan's hires lose forwards, against the plan's wins
    lost_new_arr: FloatArray  # [T] their new ARR, 12 x new MRR
    extra_new_arr: FloatArray  # [R, T] new ARR over the horizon one more start adds (NaN:
    # a role sized by a schedule, which is not hired one head at a time)
    extra_cost: FloatArray  # [R, T] S&M cost over the horizon that start adds


def gating_roles(result: PlanResult) -> BoolArray:
    """Return the roles whose capacity gates deals: those with a flow driver [R]."""
    gates = np.zeros(len(result.structure.roles), dtype=bool)
    for d in result.structure.drivers:
        gates[d.role] |= d.kind == FLOW
    return gates


def utilisation(need: FloatArray, capacity: FloatArray) -> FloatArray:
    """Return ``need / capacity``; inf where there is need and no capacity, 0 with no need.

    >>> utilisation(np.array([1.0, 1.0, 0.0]), np.array([2.0, 0.0, 0.0])).tolist()
    [0.5, inf, 0.0]
    """
    has = capacity > EPS
    ratio = need / np.where(has, capacity, 1.0)
    return np.asarray(np.where(has, ratio, np.where(need > EPS, np.inf, 0.0)))


def bottlenecks(result: PlanResult) -> Bottlenecks:
    """Return the binding role of every month and the worth of one more head of each role
    in each month, for a planned batch of one (variant 0)."""
    s, v = result.structure, result.view(0)
    T, R = s.months, len(s.roles)
    need, capacity = v.need[:, :T], v.capacity[:, :T]
    util = utilisation(need, capacity)
    util[s.role_fixed] = np.nan
    gates = gating_roles(result)
    working = gates[:, None] & (need > EPS)
    ranked = np.where(working, util, -np.inf)
    # The top-ranked role of each month (none in a plan with no roles).
    top = ranked.argmax(axis=0) if R else np.zeros(T, dtype=np.int64)
    binding = np.where(working.any(axis=0), top, -1)

    fixed = fixed_plan(result)
    base = run_forward(s, result.params, fixed)
    per_head = head_cost(
        v.params.ote, v.params.base_share, v.params.payout_rate, v.params.burden_rate,
        v.params.tools_per_month,
    )  # fmt: skip
    extra_new_arr = np.full((R, T), np.nan)
    extra_cost = np.full((R, T), np.nan)
    runs: list[tuple[int, int]] = []  # (role, month) whose one more start can move a deal
    for role in np.nonzero(~s.role_fixed)[0]:
        r = int(role)
        heads, ramped = _one_more(result, fixed.starts[r], r)
        extra_cost[r] = (heads[1:, :T] - heads[0, :T]).sum(axis=1) * per_head[r]
        extra_cost[r] += v.params.cost_per_hire[r]
        extra_new_arr[r] = 0.0
        if gates[r]:
            # A role's rationing (forwards, docs/model.md §9) passes min(1, capacity / load);
            # where one more start leaves that share the same in every month, no deal moves.
            load = base.load[0, r]
            moved = ramped[1:, :T] != ramped[0, :T]
            cut = (load > ramped[0, :T] + EPS) | (load > ramped[1:, :T] + EPS)
            runs += [(r, int(t)) for t in np.nonzero((moved & cut).any(axis=1))[0]]
    if runs:
        extra = np.zeros((len(runs), R, result.starts.shape[2]))
        for i, (r, t) in enumerate(runs):
            extra[i, r, t] = 1.0
        fwd = run_forward(s, result.params.repeat(len(runs)), fixed, extra)
        added = 12.0 * (fwd.new_mrr.sum(axis=(1, 2)) - base.new_mrr[0].sum())
        for i, (r, t) in enumerate(runs):
            extra_new_arr[r, t] = added[i]
    planned_new_mrr = v.revenue.new_mrr[:, :T].sum(axis=0)
    return Bottlenecks(
        utilisation=util,
        gates=gates,
        binding=np.asarray(binding, dtype=np.int64),
        short=np.asarray(base.short[0]),
        lost_wins=_lost(v.funnel.wins[:, :T].sum(axis=0), base.wins[0].sum(axis=0)),
        lost_new_arr=_lost(12.0 * planned_new_mrr, 12.0 * base.new_mrr[0].sum(axis=0)),
        extra_new_arr=extra_new_arr,
        extra_cost=extra_cost,
    )


def _lost(planned: FloatArray, forwards: FloatArray) -> FloatArray:
    """Return what forwards falls short of the plan by, month by month; a shortfall within
    1e-9 of the plan's figure is float noise (forwards at enough capacity wins the plan's
    deals exactly, docs/model.md §9), not a loss.

    >>> _lost(np.array([10.0, 10.0]), np.array([8.0, 10.0 - 1e-12])).tolist()
    [2.0, 0.0]
    """
    short = planned - forwards
    return np.asarray(np.where(short > 1e-9 * np.maximum(np.abs(planned), 1.0), short, 0.0))


def _one_more(result: PlanResult, starts: FloatArray, r: int) -> tuple[FloatArray, FloatArray]:
    """Return role r's heads and ramped capacity [1 + T, TE] forwards at the likely values:
    the plan's starts, then the plan's starts and one more in each month 0 … T-1 (§4)."""
    T = result.structure.months
    batch = np.repeat(starts[None, :], 1 + T, axis=0)
    batch[1 + np.arange(T), np.arange(T)] += 1.0
    p = result.params
    return replay(
        batch,
        np.full(1 + T, p.opening_heads[0, r]),
        np.full(1 + T, p.attrition_rate_annual[0, r]),
        np.repeat(p.ramp_fraction[0, r][None, :], 1 + T, axis=0),
        np.full(1 + T, p.ramp_months[0, r]),
    )


__all__ = ["Bottlenecks", "bottlenecks", "gating_roles", "utilisation"]
