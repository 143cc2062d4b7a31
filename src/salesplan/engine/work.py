"""Work (docs/model.md §3): from volumes to the fully ramped FTE each role needs, by business cell.

A cell is one (tier, motion).  Keeping need by cell is what lets cost follow the work to
tiers (§6) and pods take their share of it (§5).  Pure numpy; no I/O.
"""

from __future__ import annotations

import numpy as np

from salesplan.engine.funnel import Funnel
from salesplan.engine.revenue import Revenue
from salesplan.engine.structure import FLOW, MANAGES, STOCK_ARR, FloatArray, Params, Structure


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
        if d.kind in (FLOW, MANAGES):
            continue
        cap = params.driver_capacity[:, d_index][:, None, None]
        stock = mrr * 12.0 if d.kind == STOCK_ARR else customers  # [S, K, T]
        stock = stock * d.tier_mask[None, :, None]
        need[:, d.role] += stock[:, structure.cell_tier] * params.cell_share[:, :, None] / cap
    return need


def manager_need(
    structure: Structure,
    params: Params,
    need: FloatArray,
    heads: FloatArray,
    level: int,
) -> FloatArray:
    """Add the need of managers at ``level`` from the heads of the roles they manage.

    A manager's need is ``sum(heads of managed roles) / span``; it is attributed to cells in
    the proportion of the managed roles' own need (managers follow their people).
    """
    role_need = need.sum(axis=2)  # [S, R, TE]
    spread = _fallback_weights(structure, params)  # [S, M]
    for d_index, d in enumerate(structure.drivers):
        if d.kind != MANAGES or structure.role_level[d.role] != level:
            continue
        span = params.driver_capacity[:, d_index][:, None, None]
        for r in np.nonzero(d.managed)[0]:
            # Heads per unit of need spread the managed people over cells like their work;
            # people with no work that month are spread like new business.
            has_work = role_need[:, r] > 0
            per_need = np.where(has_work, heads[:, r] / np.where(has_work, role_need[:, r], 1.0), 0)
            idle = np.where(has_work, 0.0, heads[:, r])  # [S, TE]
            work = need[:, r] * per_need[:, None, :] + spread[:, :, None] * idle[:, None, :]
            need[:, d.role] += work / span
    return need


def _fallback_weights(structure: Structure, params: Params) -> FloatArray:
    """Return each cell's share of new business [S, M] (for people with no work)."""
    weights = (params.tier_share + (params.tier_new_mrr > 0))[:, structure.cell_tier]
    weights = weights * params.cell_share
    return np.asarray(weights / np.maximum(weights.sum(axis=1, keepdims=True), 1e-300))
