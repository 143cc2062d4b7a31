"""Cost (docs/model.md, "Cost"): what the people, the marketing and the programmes cost, and
for whom.

Pure numpy on a leading variant axis S; no I/O.  A *cell* is one (tier, motion).  Costs
are direct or shared:

- A role that works in cells (its ``need_by_cell``, which already carries the work that
  follows people: managing, hiring and interviewing them) costs those cells, by its work
  there; its function splits the cost into acquisition and retention.
- Marketing (cost per entry into a motion's first stage, and the motion's own programme
  spend) is acquisition of its cell; an acquisition programme goes to its cells by their
  share of new MRR, a retention programme by their share of MRR.
- The rest is shared out month by month like the direct cost: a role with no work in any
  cell (a fixed role: leaders, RevOps) by the direct cost of its function, and overhead
  (roles of function ``overhead``, overhead programmes) by all direct cost, acquisition
  and retention in the proportions the direct cost has them.

Every attributed array adds up to the total, so nothing is lost or counted twice between
the role, cell and tier views.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.structure import BoolArray, FloatArray, IntArray

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult

# Below this a count of customers (fractional in the model) is taken as none.
MIN_CUSTOMERS = 1e-9


@dataclass(frozen=True)
class Costs:
    """Monthly cost of a batch of plans, by role, cell and tier (months 0 … TE-1)."""

    per_head: FloatArray  # [S, R] loaded cost of one head a month
    people: FloatArray  # [S, R, TE] heads x per_head
    hiring: FloatArray  # [S, R, TE] starts x cost per hire
    role_cost: FloatArray  # [S, R, TE] people + hiring
    role_acquisition: FloatArray  # [S, R, TE] the acquisition part of each role's cost
    role_retention: FloatArray  # [S, R, TE]
    acquisition_by_cell: FloatArray  # [S, M, TE] roles' acquisition cost
    retention_by_cell: FloatArray  # [S, M, TE] roles' retention cost
    entries: FloatArray  # [S, M, TE] entries into each motion's first stage
    marketing: FloatArray  # [S, M, TE] cost per entry x entries + the motion's programme
    programmes: FloatArray  # [S, G, TE] programme lines' spend
    programme_acquisition: FloatArray  # [S, M, TE] programmes' acquisition part by cell
    programme_retention: FloatArray  # [S, M, TE]

    @property
    def total(self) -> FloatArray:
        """Return all sales and marketing cost a month [S, TE] ([TE] for one variant)."""
        return np.asarray(
            self.role_cost.sum(axis=-2) + self.marketing.sum(axis=-2) + self.programmes.sum(axis=-2)
        )

    @property
    def acquisition(self) -> FloatArray:
        """Return all acquisition cost by cell [S, M, TE]: roles, marketing, programmes."""
        return np.asarray(self.acquisition_by_cell + self.marketing + self.programme_acquisition)

    @property
    def retention(self) -> FloatArray:
        """Return all retention cost by cell [S, M, TE]: roles and programmes."""
        return np.asarray(self.retention_by_cell + self.programme_retention)


def head_cost(
    ote: FloatArray,
    base_share: FloatArray,
    payout: FloatArray,
    burden: FloatArray,
    tools: FloatArray,
) -> FloatArray:
    """Return the loaded cost of one head a month; arrays broadcast.

    Notes
    -----
    ``(base + variable * payout) / 12 * (1 + burden) + tools`` with ``base = ote * base_share``
    and ``variable = ote - base``; ``payout`` is 1 at plan.

    Examples
    --------
    A $130K OTE AE at 50/50 with 20% burden and $250 of tools a month:

    >>> float(head_cost(np.array(130_000.0), np.array(0.5), np.array(1.0),
    ...                 np.array(0.2), np.array(250.0)))
    13250.0

    A VP of Sales at $300,000 OTE with a 20% burden costs $360,000 a year:

    >>> 12 * float(head_cost(np.array(300_000.0), np.array(0.6), np.array(1.0),
    ...                      np.array(0.2), np.array(0.0)))
    360000.0
    """
    base = ote * base_share
    variable = ote - base
    return np.asarray((base + variable * payout) / 12.0 * (1.0 + burden) + tools)


def role_costs(
    heads: FloatArray, starts: FloatArray, per_head: FloatArray, cost_per_hire: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Return each role's people cost and hiring cost by month, ``[S, R, T]`` each.

    >>> people, hiring = role_costs(np.full((1, 1, 2), 2.0), np.array([[[1.0, 0.0]]]),
    ...                             np.array([[1000.0]]), np.array([[500.0]]))
    >>> people.tolist(), hiring.tolist()
    ([[[2000.0, 2000.0]]], [[[500.0, 0.0]]])
    """
    return heads * per_head[:, :, None], starts * cost_per_hire[:, :, None]


def _average_share(need_by_cell: FloatArray, fallback: FloatArray) -> FloatArray:
    """Return each role's share of its need over all months by cell, ``[S, R, M]``:
    ``fallback`` [S, M] for a role with no need at all."""
    all_need = need_by_cell.sum(axis=3)  # [S, R, M]
    all_total = all_need.sum(axis=2, keepdims=True)  # [S, R, 1]
    return np.asarray(
        np.where(
            all_total > 0,
            all_need / np.where(all_total > 0, all_total, 1.0),
            fallback[:, None, :],
        )
    )


def work_shares(need_by_cell: FloatArray, fallback: FloatArray) -> FloatArray:
    """Return each role's share of its cost going to each cell, ``[S, R, M, TE]``.

    Notes
    -----
    ``share[r, m, t] = need[r, m, t] / sum_m need[r, m, t]``.  In a month where the role has
    no need (heads kept through a lull, opening heads before the work arrives) it is the
    role's share of its need over all months; a role with no need at all is spread like
    ``fallback`` ``[S, M]``.  Shares sum to 1 over cells.

    Examples
    --------
    One role, two cells; month 1 has no need and takes the average share 3:1.

    >>> need = np.array([[[[1.0, 0.0, 2.0], [1.0, 0.0, 0.0]]]])
    >>> work_shares(need, np.array([[0.5, 0.5]]))[0, 0].tolist()
    [[0.5, 0.75, 1.0], [0.5, 0.25, 0.0]]
    """
    month_need = need_by_cell.sum(axis=2, keepdims=True)  # [S, R, 1, TE]
    average = _average_share(need_by_cell, fallback)
    share = np.where(
        month_need > 0,
        need_by_cell / np.where(month_need > 0, month_need, 1.0),
        average[:, :, :, None],
    )
    return np.asarray(share)


def spread(need_by_cell: FloatArray, fallback: FloatArray, amount: FloatArray) -> FloatArray:
    """Return ``Σ_r work_shares[s, r, m, t] · amount[s, r, t]``, ``[S, M, TE]``: each role's
    ``amount`` [S, R, TE] spread over cells by its work, without building the shares.

    The same sum as with :func:`work_shares`, in two parts: months with need, where the share
    is ``need / month_need``, and months without, which take the role's average share.

    >>> need = np.array([[[[1.0, 0.0, 2.0], [1.0, 0.0, 0.0]]]])
    >>> amount = np.array([[[4.0, 4.0, 4.0]]])
    >>> spread(need, np.array([[0.5, 0.5]]), amount)[0].tolist()
    [[2.0, 3.0, 4.0], [2.0, 1.0, 0.0]]
    >>> np.einsum("srmt,srt->smt", work_shares(need, np.array([[0.5, 0.5]])), amount).tolist()
    [[[2.0, 3.0, 4.0], [2.0, 1.0, 0.0]]]
    """
    return spreads(need_by_cell, fallback, (amount,))[0]


def spreads(
    need_by_cell: FloatArray,
    fallback: FloatArray,
    amounts: Sequence[FloatArray],
    month_need: FloatArray | None = None,
) -> list[FloatArray]:
    """Return :func:`spread` of each of ``amounts`` over the same work, which is summed and
    averaged once for all of them (cost spreads acquisition and retention alike);
    ``month_need`` is ``need_by_cell`` summed over cells, where the caller has it."""
    if month_need is None:
        month_need = need_by_cell.sum(axis=2)  # [S, R, TE]
    average = _average_share(need_by_cell, fallback)
    busy = month_need > 0
    divisor = np.where(busy, month_need, 1.0)
    out = []
    for amount in amounts:
        per_need = np.where(busy, amount / divisor, 0.0)  # [S, R, TE]
        idle = np.where(busy, 0.0, amount)  # [S, R, TE]
        out.append(
            np.asarray(
                np.einsum("srmt,srt->smt", need_by_cell, per_need)
                + np.einsum("srm,srt->smt", average, idle)
            )
        )
    return out


def weights(amount: FloatArray, fallback: FloatArray) -> FloatArray:
    """Return ``amount`` [S, M, TE] as shares over cells, ``fallback`` [S, M] where it is 0.

    >>> weights(np.array([[[1.0, 0.0], [3.0, 0.0]]]), np.array([[0.5, 0.5]]))[0].tolist()
    [[0.25, 0.5], [0.75, 0.5]]
    """
    total = amount.sum(axis=1, keepdims=True)
    return np.asarray(
        np.where(total > 0, amount / np.where(total > 0, total, 1.0), fallback[:, :, None])
    )


def new_mrr_weights(new_mrr: FloatArray, cell_tier: IntArray, cell_share: FloatArray) -> FloatArray:
    """Return each cell's share of all new MRR, ``[S, M]`` (uniform if there is none).

    Examples
    --------
    >>> new_mrr_weights(np.array([[[30.0], [10.0]]]), np.array([0, 0, 1]),
    ...                 np.array([[0.5, 0.5, 1.0]])).tolist()
    [[0.375, 0.375, 0.25]]
    """
    tier_total = new_mrr.sum(axis=2)  # [S, K]
    by_cell = tier_total[:, cell_tier] * cell_share  # [S, M]
    total = by_cell.sum(axis=1, keepdims=True)
    uniform = np.full_like(by_cell, 1.0 / max(by_cell.shape[1], 1))
    return np.asarray(np.where(total > 0, by_cell / np.where(total > 0, total, 1.0), uniform))


def first_stage_entries(
    volume: FloatArray, first_stage: np.ndarray, stage_cell: IntArray, cells: int
) -> FloatArray:
    """Return entries into each motion's first stage, ``[S, M, TE]`` from ``volume [S, J, TE]``.

    Examples
    --------
    >>> v = np.array([[[10.0, 12.0], [3.0, 4.0], [7.0, 7.0]]])
    >>> first_stage_entries(v, np.array([True, False, True]), np.array([0, 0, 1]), 2).tolist()
    [[[10.0, 12.0], [7.0, 7.0]]]
    """
    S, _, TE = volume.shape
    out = np.zeros((S, cells, TE))
    for j in np.nonzero(first_stage)[0]:
        out[:, stage_cell[j]] += volume[:, j]
    return out


def marketing_cost(
    entries: FloatArray, cost_per_entry: FloatArray, programme: FloatArray
) -> FloatArray:
    """Return a motion's marketing cost by cell and month, ``[S, M, TE]``.

    Notes
    -----
    ``marketing[m, t] = cost_per_entry[m] * entries[m, t] + programme[m]`` (the motion's own
    programme spend is per month).

    Examples
    --------
    >>> marketing_cost(np.array([[[100.0, 150.0]]]), np.array([[40.0]]),
    ...                np.array([[8000.0]])).tolist()
    [[[12000.0, 14000.0]]]
    """
    return np.asarray(entries * cost_per_entry[:, :, None] + programme[:, :, None])


def to_tiers(by_cell: FloatArray, cell_tier: IntArray, tiers: int) -> FloatArray:
    """Return ``[S, M, TE]`` summed into tiers, ``[S, K, TE]``.

    Examples
    --------
    >>> to_tiers(np.array([[[1.0], [2.0], [4.0]]]), np.array([0, 0, 1]), 2).tolist()
    [[[3.0], [4.0]]]
    """
    onehot = (cell_tier[:, None] == np.arange(tiers)[None, :]).astype(np.float64)  # [M, K]
    return np.asarray(np.einsum("smt,mk->skt", by_cell, onehot))


@dataclass(frozen=True)
class Revenues:
    """Where new business and recurring revenue sit by cell, for sharing out programmes."""

    new_mrr_by_cell: FloatArray  # [S, M, TE]
    mrr_by_cell: FloatArray  # [S, M, TE]
    fallback: FloatArray  # [S, M] each cell's share of all new MRR


def revenues(
    new_mrr: FloatArray, mrr: FloatArray, cell_tier: IntArray, cell_share: FloatArray
) -> Revenues:
    """Return new MRR and MRR by cell (a tier's by its motions' shares) and the fallback."""
    return Revenues(
        new_mrr_by_cell=new_mrr[:, cell_tier] * cell_share[:, :, None],
        mrr_by_cell=mrr[:, cell_tier] * cell_share[:, :, None],
        fallback=new_mrr_weights(new_mrr, cell_tier, cell_share),
    )


def programme_costs(
    spend: FloatArray,
    function: tuple[str, ...],
    serves: BoolArray,
    rev: Revenues,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return programmes' acquisition and retention cost by cell [S, M, TE], and the overhead
    programmes' spend a month [S, TE] (shared out later like overhead roles).

    An acquisition programme goes to the cells it serves by their new MRR that month, a
    retention programme by their MRR (evenly over them when they have none).

    >>> rev = Revenues(np.array([[[1.0], [3.0]]]), np.array([[[5.0], [5.0]]]),
    ...                np.array([[0.25, 0.75]]))
    >>> acq, ret, over = programme_costs(np.array([[[100.0], [10.0]]]),
    ...                                  ("acquisition", "retention"),
    ...                                  np.array([[True, True], [True, False]]), rev)
    >>> acq[0, :, 0].tolist(), ret[0, :, 0].tolist(), over.tolist()
    ([25.0, 75.0], [10.0, 0.0], [[0.0]])
    """
    S, _, TE = spend.shape
    M = serves.shape[1]
    acq, ret = np.zeros((S, M, TE)), np.zeros((S, M, TE))
    overhead = np.zeros((S, TE))
    for g, kind in enumerate(function):
        if kind == "overhead":
            overhead += spend[:, g]
            continue
        base = rev.new_mrr_by_cell if kind == "acquisition" else rev.mrr_by_cell
        even = serves[g] / max(int(serves[g].sum()), 1)
        share = weights(base * serves[g][None, :, None], np.broadcast_to(even, (S, M)))
        (acq if kind == "acquisition" else ret)[:] += share * spend[:, g][:, None, :]
    return acq, ret, overhead


@dataclass(frozen=True)
class Shared:
    """How cost with no work of its own is shared out: like the direct cost of each month."""

    acquisition: FloatArray  # [S, M, TE] the direct acquisition cost by cell
    retention: FloatArray  # [S, M, TE]
    fallback: FloatArray  # [S, M] where there is no direct cost

    def by_function(
        self, acquisition: FloatArray, retention: FloatArray
    ) -> tuple[FloatArray, FloatArray]:
        """Return acquisition and retention cost [S, TE] shared out to cells like the direct
        cost of the same function, [S, M, TE] each."""
        return (
            weights(self.acquisition, self.fallback) * acquisition[:, None, :],
            weights(self.retention, self.fallback) * retention[:, None, :],
        )

    def overhead_parts(self) -> tuple[FloatArray, FloatArray]:
        """Return the shares [S, M, TE] of overhead going to each cell's acquisition and
        retention: those of all direct cost (the fallback, as acquisition, where none)."""
        total = (self.acquisition + self.retention).sum(axis=1, keepdims=True)
        has = total > 0
        safe = np.where(has, total, 1.0)
        return (
            np.where(has, self.acquisition / safe, self.fallback[:, :, None]),
            np.where(has, self.retention / safe, 0.0),
        )


def cost_arrays(
    *,
    heads: FloatArray,
    starts: FloatArray,
    need_by_cell: FloatArray,
    entries: FloatArray,
    revenue: Revenues,
    cell_tier: IntArray,
    ote: FloatArray,
    base_share: FloatArray,
    payout: FloatArray,
    burden: FloatArray,
    tools: FloatArray,
    cost_per_hire: FloatArray,
    acquisition_share: FloatArray,
    overhead: BoolArray,
    cost_per_entry: FloatArray,
    motion_programme: FloatArray,
    programme_spend: FloatArray,
    programme_function: tuple[str, ...],
    programme_cells: BoolArray,
    month_need: FloatArray | None = None,
) -> Costs:
    """Return the cost of a batch of plans by role and cell (docs/model.md, "Cost").

    ``month_need`` is ``need_by_cell`` summed over cells [S, R, TE] where the caller has it
    (an engine run's ``role_need``, forwards' ``load``): the same sum, not taken twice.

    Notes
    -----
    ``role_cost[r, t] = heads[r, t] * head_cost_r + starts[r, t] * cost_per_hire_r``.  A role
    with work in some cell goes to cells by :func:`work_shares` and splits by its
    ``acquisition_share``; marketing and programmes are direct too
    (:func:`marketing_cost`, :func:`programme_costs`).  A role with no work anywhere, an
    ``overhead`` role [R] and overhead programmes are then shared out like that month's
    direct cost (:func:`share_out`).  Everything adds up to :attr:`Costs.total`.

    Examples
    --------
    One role (half acquisition) working two cells 1:3 in two tiers, and an overhead role
    of the same cost, no marketing: the overhead follows the direct cost, half and half.

    >>> one = np.ones((1, 2))
    >>> c = cost_arrays(
    ...     heads=np.ones((1, 2, 1)), starts=np.zeros((1, 2, 1)),
    ...     need_by_cell=np.array([[[[1.0], [3.0]], [[0.0], [0.0]]]]),
    ...     entries=np.zeros((1, 2, 1)),
    ...     revenue=revenues(np.ones((1, 2, 1)), np.ones((1, 2, 1)), np.array([0, 1]),
    ...                      np.ones((1, 2))),
    ...     cell_tier=np.array([0, 1]), ote=one * 120_000, base_share=one, payout=one,
    ...     burden=one * 0.0, tools=one * 0.0, cost_per_hire=one * 0.0,
    ...     acquisition_share=one * 0.5, overhead=np.array([False, True]),
    ...     cost_per_entry=np.zeros((1, 2)), motion_programme=np.zeros((1, 2)),
    ...     programme_spend=np.zeros((1, 0, 1)), programme_function=(),
    ...     programme_cells=np.zeros((0, 2), dtype=bool))
    >>> c.acquisition_by_cell[0, :, 0].tolist(), c.retention_by_cell[0, :, 0].tolist()
    ([2500.0, 7500.0], [2500.0, 7500.0])
    """
    per_head = head_cost(ote, base_share, payout, burden, tools)  # [S, R]
    people, hiring = role_costs(heads, starts, per_head, cost_per_hire)
    role_cost = people + hiring
    if month_need is None:
        month_need = need_by_cell.sum(axis=2)
    # Need is never negative: its sum is above 0 exactly where some month and cell is.
    works = (month_need.sum(axis=2) > 0) & ~overhead[None, :]  # [S, R]
    direct = np.where(works, 1.0, 0.0)[:, :, None] * role_cost  # [S, R, TE]
    # Each role's cost to cells by its work (work_shares), acquisition and retention apart.
    acq = acquisition_share[:, :, None]
    acquisition, retention = spreads(
        need_by_cell, revenue.fallback, (direct * acq, direct * (1.0 - acq)), month_need
    )
    marketing = marketing_cost(entries, cost_per_entry, motion_programme)
    prog_acq, prog_ret, prog_overhead = programme_costs(
        programme_spend, programme_function, programme_cells, revenue
    )
    by = Shared(acquisition + marketing + prog_acq, retention + prog_ret, revenue.fallback)
    # What has no work of its own: a role's own function splits it, overhead is shared out
    # in the proportions of the direct cost.
    idle = np.where(works, 0.0, 1.0)[:, :, None] * role_cost  # [S, R, TE]
    is_over = overhead[None, :, None]
    own = np.where(is_over, 0.0, idle)
    shared_acq, shared_ret = by.by_function(
        (own * acquisition_share[:, :, None]).sum(axis=1),
        (own * (1.0 - acquisition_share[:, :, None])).sum(axis=1),
    )
    part_acq, part_ret = by.overhead_parts()
    over = np.where(is_over, idle, 0.0).sum(axis=1) + prog_overhead  # [S, TE]
    over_rate = part_acq.sum(axis=1)  # [S, TE] the acquisition share of overhead
    role_acq = role_cost * np.where(works, acquisition_share, 0.0)[:, :, None]
    role_acq += own * acquisition_share[:, :, None]
    role_acq += np.where(is_over, idle, 0.0) * over_rate[:, None, :]
    prog_share = np.where(over > 0, prog_overhead / np.where(over > 0, over, 1.0), 0.0)
    over_acq, over_ret = part_acq * over[:, None, :], part_ret * over[:, None, :]
    return Costs(
        per_head=per_head,
        people=people,
        hiring=hiring,
        role_cost=role_cost,
        role_acquisition=role_acq,
        role_retention=role_cost - role_acq,
        acquisition_by_cell=acquisition + shared_acq + over_acq * (1 - prog_share[:, None, :]),
        retention_by_cell=retention + shared_ret + over_ret * (1 - prog_share[:, None, :]),
        entries=entries,
        marketing=marketing,
        programmes=programme_spend,
        programme_acquisition=prog_acq + over_acq * prog_share[:, None, :],
        programme_retention=prog_ret + over_ret * prog_share[:, None, :],
    )


def plan_costs(
    result: PlanResult, heads: FloatArray | None = None, starts: FloatArray | None = None
) -> Costs:
    """Return the cost of an engine run by role and cell (see :func:`cost_arrays`).

    ``heads`` and ``starts`` [S, R, TE] replace the run's, e.g. to cost the continuous need
    (``result.need``, no starts) rather than whole people.
    """
    s, p = result.structure, result.params
    rev = result.revenue
    return cost_arrays(
        heads=result.heads if heads is None else heads,
        starts=result.starts if starts is None else starts,
        need_by_cell=result.need_by_cell,
        month_need=result.role_need,
        entries=first_stage_entries(
            result.funnel.volume, s.first_stage, s.stage_cell, len(s.cells)
        ),
        revenue=revenues(rev.new_mrr, rev.mrr, s.cell_tier, p.cell_share),
        cell_tier=s.cell_tier,
        ote=p.ote,
        base_share=p.base_share,
        payout=p.payout_rate,
        burden=p.burden_rate,
        tools=p.tools_per_month,
        cost_per_hire=p.cost_per_hire,
        acquisition_share=p.acquisition_share,
        overhead=np.array([f == "overhead" for f in s.role_function], dtype=bool),
        cost_per_entry=p.cost_per_entry,
        motion_programme=p.programme_per_month,
        programme_spend=p.programme_spend,
        programme_function=s.programme_function,
        programme_cells=s.programme_cells,
    )
