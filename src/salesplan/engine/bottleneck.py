"""Bottlenecks (docs/model.md §11): which role binds each month, and what one more head adds.

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
where its role is short.  Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.cost import head_cost
from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.run import PlanResult
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
    binding = np.where(working.any(axis=0), ranked.argmax(axis=0), -1)

    # One batch forwards: the plan's hires, then one more start of each role in each month.
    sized = np.nonzero(~s.role_fixed)[0]
    TE = result.starts.shape[2]
    extra = np.zeros((1 + len(sized) * T, R, TE))
    for i, r in enumerate(sized):
        extra[1 + i * T + np.arange(T), r, np.arange(T)] = 1.0
    fwd = run_forward(s, result.params.repeat(len(extra)), fixed_plan(result), extra)
    new_arr = 12.0 * fwd.new_mrr.sum(axis=(1, 2))  # [variants]
    per_head = head_cost(
        v.params.ote, v.params.base_share, v.params.payout_rate, v.params.burden_rate,
        v.params.tools_per_month,
    )  # fmt: skip
    added_heads = fwd.heads[1:].sum(axis=2) - fwd.heads[0].sum(axis=1)  # [variants - 1, R]
    extra_new_arr = np.full((R, T), np.nan)
    extra_cost = np.full((R, T), np.nan)
    for i, r in enumerate(sized):
        rows = i * T + np.arange(T)
        extra_new_arr[r] = new_arr[1 + rows] - new_arr[0]
        extra_cost[r] = added_heads[rows, r] * per_head[r] + v.params.cost_per_hire[r]
    planned_new_mrr = v.revenue.new_mrr[:, :T].sum(axis=0)
    return Bottlenecks(
        utilisation=util,
        gates=gates,
        binding=np.asarray(binding, dtype=np.int64),
        short=np.asarray(fwd.short[0]),
        lost_wins=np.maximum(v.funnel.wins[:, :T].sum(axis=0) - fwd.wins[0].sum(axis=0), 0.0),
        lost_new_arr=np.maximum(12.0 * (planned_new_mrr - fwd.new_mrr[0].sum(axis=0)), 0.0),
        extra_new_arr=extra_new_arr,
        extra_cost=extra_cost,
    )


__all__ = ["Bottlenecks", "bottlenecks", "gating_roles", "utilisation"]
