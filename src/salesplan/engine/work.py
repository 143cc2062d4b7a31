"""Work (docs/model.md §3): from volumes to the fully ramped FTE each role needs, by business cell.

A cell is one (tier, motion).  Keeping need by cell is what lets cost follow the work to
tiers (§6) and pods take their share of it (§5).  Pure numpy; no I/O.
"""

from __future__ import annotations

import numpy as np

from salesplan.engine.funnel import Funnel
from salesplan.engine.revenue import Revenue
from salesplan.engine.structure import (
    FLOW,
    MANAGES,
    STARTS,
    STOCK_ARR,
    BoolArray,
    FloatArray,
    IntArray,
    Params,
    Structure,
)


def direct_need(structure: Structure, params: Params, rev: Revenue, fun: Funnel) -> FloatArray:
    """Return need [S, R, M, TE] from flow and stock drivers (managers come later).

    ``need_r[t] = sum_drivers volume[t] / capacity``: a flow driver counts entries into its
    stages (or their new ARR, ``entries x 12 p_k``); a stock driver counts active customers
    (or their ARR), split across a tier's motions by the motions' shares of new customers
    (:func:`stock_need`).
    """
    S, _, TE = fun.volume.shape
    M = len(structure.cells)
    R = len(structure.roles)
    need = np.zeros((S, R, M, TE))
    stage_cell = structure.stage_cell
    arr_per_deal = 12.0 * params.mrr_per_customer[:, structure.cell_tier]  # [S, M]
    for d_index, d in enumerate(structure.drivers):
        if d.kind != FLOW:
            continue
        cap = params.driver_capacity[:, d_index][:, None, None]
        work = np.zeros((S, M, TE))
        rows = np.nonzero(d.stage_mask)[0]
        # Sum stage rows into their cells (several stages of one motion may be worked).
        for j in rows:
            work[:, stage_cell[j]] += fun.volume[:, j]
        work += fun.wins * d.won_mask[None, :, None]
        if d.new_arr:
            work *= arr_per_deal[:, :, None]
        need[:, d.role] += work / cap
    return stock_need(structure, params, rev.mrr, rev.customers, need)


def stock_need(
    structure: Structure,
    params: Params,
    mrr: FloatArray,
    customers: FloatArray,
    need: FloatArray,
) -> FloatArray:
    """Add the need of stock drivers to ``need`` [S, R, M, T] in place and return it.

    A stock driver counts a tier's active customers ``customers`` (or their ARR, ``12 mrr``),
    both [S, K, T]; a tier's stock goes to its cells by the motions' shares ``cell_share``.

    >>> from types import SimpleNamespace as NS
    >>> d = NS(kind=1, role=0, tier_mask=np.array([True]))  # a count of customers
    >>> st = NS(drivers=[d], cell_tier=np.array([0, 0]))
    >>> pa = NS(driver_capacity=np.array([[50.0]]), cell_share=np.array([[0.25, 0.75]]))
    >>> out = stock_need(st, pa, np.zeros((1, 1, 1)), np.full((1, 1, 1), 100.0),
    ...                  np.zeros((1, 1, 2, 1)))
    >>> out[0, 0, :, 0].tolist()
    [0.5, 1.5]
    """
    for d_index, d in enumerate(structure.drivers):
        if d.kind in (FLOW, MANAGES, STARTS):
            continue
        cap = params.driver_capacity[:, d_index][:, None, None]
        stock = mrr * 12.0 if d.kind == STOCK_ARR else customers  # [S, K, T]
        stock = stock * d.tier_mask[None, :, None]
        need[:, d.role] += stock[:, structure.cell_tier] * params.cell_share[:, :, None] / cap
    return need


def follow(own: FloatArray, amount: FloatArray, spread: FloatArray) -> FloatArray:
    """Return ``amount`` [S, TE] spread over cells like a role's own work ``own`` [S, M, TE].

    Work that follows people (managing them, hiring them, interviewing their candidates) goes
    to the cells those people work in, in the proportion of their need there; in a month
    they have no work it is spread like new business (``spread`` [S, M]).

    >>> own = np.array([[[1.0, 0.0], [3.0, 0.0]]])  # two cells, work only in month 0
    >>> follow(own, np.array([[8.0, 2.0]]), np.array([[0.5, 0.5]]))[0].tolist()
    [[2.0, 1.0], [6.0, 1.0]]
    """
    total = own.sum(axis=1)  # [S, TE]
    has_work = total > 0
    per_need = np.where(has_work, amount / np.where(has_work, total, 1.0), 0.0)
    out: FloatArray = own * per_need[:, None, :]
    if not has_work.all():  # else every idle amount is 0 and adds nothing, not even a bit
        out += spread[:, :, None] * np.where(has_work, 0.0, amount)[:, None, :]
    return out


def people_need(
    structure: Structure,
    params: Params,
    need: FloatArray,
    heads: FloatArray,
    starts: FloatArray,
    level: int,
) -> FloatArray:
    """Add the need of the roles at ``level`` that are sized by other roles' people.

    A manager needs ``sum(heads of the roles it manages) / span``; a recruiter needs
    ``sum(starts of the roles it hires) / hires a month``, counting each hire in its start
    month.  Both follow those people's work to cells (:func:`follow`).
    """
    spread = _fallback_weights(structure, params)  # [S, M]
    for d_index, d in enumerate(structure.drivers):
        if d.kind not in (MANAGES, STARTS) or structure.role_level[d.role] != level:
            continue
        people = heads if d.kind == MANAGES else starts
        capacity = params.driver_capacity[:, d_index][:, None, None]
        for r in np.nonzero(d.roles)[0]:
            part = follow(need[:, r], people[:, r], spread)
            part /= capacity
            need[:, d.role] += part
    return need


def interview_hours(starts: FloatArray, lead: IntArray, hours: FloatArray) -> FloatArray:
    """Return the interviewing hours each role's hires take a month, [S, R, TE].

    A start in month s with hiring lead time h takes ``hours`` of interviews spread evenly
    over the h months before it, while its requisition is open (in month s itself when
    h is 0); hours before month 0 were spent before the plan.

    >>> interview_hours(np.array([[[0.0, 0.0, 2.0, 0.0]]]), np.array([[2]]),
    ...                 np.array([[20.0]]))[0, 0].tolist()
    [20.0, 20.0, 0.0, 0.0]
    """
    S, R, TE = starts.shape
    total = starts * hours[:, :, None]
    # Hours in month t come from the starts in months t+1 … t+h: a difference of cumsums.
    cum = np.zeros((S, R, TE + 1))
    np.cumsum(total, axis=2, out=cum[:, :, 1:])
    # cum[s, r, min(t + 1 + h, TE)] as one flat take (the values take_along_axis would
    # gather, without building its indexes); cum[s, r, t + 1] is a slice.
    upto = np.minimum(np.arange(TE)[None, None, :] + 1 + lead[:, :, None], TE)
    rows = np.arange(S * R).reshape(S, R, 1) * (TE + 1)
    ahead = cum.take(rows + upto) - cum[:, :, 1:]
    spread = ahead / np.maximum(lead, 1)[:, :, None]
    return np.asarray(np.where(lead[:, :, None] > 0, spread, total))


def interview_need(
    structure: Structure,
    params: Params,
    need: FloatArray,
    hours: FloatArray,
    interviewers: BoolArray,
) -> tuple[FloatArray, FloatArray]:
    """Add the interviewing load of each interviewer role in ``interviewers`` [R] to ``need``.

    ``hours`` [S, R, TE] are the interviewing hours each role's hires take
    (:func:`interview_hours`); a role's hires are interviewed by the roles
    ``structure.interviewers`` names, who share the hours equally.  The hours come off an
    interviewer's capacity: ``hours / work_hours_per_month`` FTE more need, following the
    hired people's work to cells.  Return the need and the interviewing hours [S, R, TE] of
    each role in ``interviewers`` (zero for the rest), summed over the roles it interviews
    for in role order.
    """
    spread = _fallback_weights(structure, params)
    share = structure.interviewers / np.maximum(structure.interviewers.sum(axis=1), 1)[:, None]
    load = np.zeros_like(hours)  # [S, R(interviewer), TE]
    for i in np.nonzero(interviewers)[0]:
        for r in np.nonzero(structure.interviewers[:, i])[0]:
            spent = hours[:, r] * share[r, i]
            load[:, i] += spent
            need[:, i] += follow(need[:, r], spent / structure.work_hours_per_month, spread)
    return need, load


def _fallback_weights(structure: Structure, params: Params) -> FloatArray:
    """Return each cell's share of new business [S, M] (for people with no work)."""
    weights = (params.tier_share + (params.tier_new_mrr > 0))[:, structure.cell_tier]
    weights = weights * params.cell_share
    return np.asarray(weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-300))
