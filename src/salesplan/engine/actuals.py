"""Actuals as the engine reads them: arrays on the plan's own axes, months 0 … through.

An actuals file (docs/actuals.md) is read by ``salesplan.load.actuals`` into values by
metric, key and month; the pipeline lays them on the plan's :class:`Structure` indexes
(:func:`salesplan.pipeline.actual_arrays`), so that what happened and what was planned
line up: ``actual.heads[r, t]`` beside ``plan.heads[r, t]``.  Pure data, no I/O.  The
variance, the realised rates and the pace line (:mod:`salesplan.engine.track`,
:mod:`salesplan.engine.realised`) read this, and so does a reforecast, which starts from
the state at the last month of actuals (:meth:`ActualArrays.at_end`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np

from salesplan.engine.structure import BoolArray, FloatArray

# Each metric of an actuals file, the axis it is laid on and the ActualArrays field that
# holds it.  Axes: K tiers, M cells (tier x motion), J stages (structure.stages), R roles.
METRIC_AXES: Mapping[str, str] = {
    "entries": "stage",
    "pipeline": "stage",
    "wins": "cell",
    "new_mrr": "tier",
    "churned_mrr": "tier",
    "expansion_mrr": "tier",
    "mrr": "tier",
    "customers": "tier",
    "churned_customers": "tier",
    "heads": "role",
    "starts": "role",
    "departures": "role",
    "open_requisitions": "role",
    "marketing_cost": "total",
}

# Stocks stand at a month's end; every other metric is a flow over the month.
STOCKS = frozenset({"pipeline", "mrr", "customers", "heads", "open_requisitions"})


@dataclass(frozen=True)
class ActualArrays:
    """What happened, month by month, on the plan's axes: months 0 … ``through``.

    Every array's last axis is the month, ``N = through + 1`` long, month 0 being the
    plan's first month (``company.start``), so ``actual.mrr[k, t]`` is plan month t.  The
    other axes are the plan's :class:`~salesplan.engine.structure.Structure` indexes:

    - tiers ``K`` (``structure.tiers``): ``new_mrr``, ``churned_mrr``, ``expansion_mrr``,
      ``mrr``, ``customers``, ``churned_customers`` — ``[K, N]``;
    - stages ``J`` (``structure.stages``, every motion's stages in order): ``entries`` (a
      flow) and ``pipeline`` (deals in the stage at the month's end) — ``[J, N]``;
    - cells ``M`` (``structure.cells``, one motion of one tier): ``wins`` — ``[M, N]``;
    - roles ``R`` (``structure.roles``, in staffing order): ``heads`` and
      ``open_requisitions`` at the month's end, ``starts`` and ``departures`` in it —
      ``[R, N]``; ``starts`` by month give the tenure of the people who started;
    - ``marketing_cost``: the total ``[N]``; ``marketing_by_tier`` ``[K, N]`` and
      ``marketing_by_cell`` ``[M, N]`` as far as the file breaks it down
      (``marketing_breakdown``).

    ``present[metric]`` is a ``[N]`` mask of the months a metric reports (an actuals file
    gives each metric from its first month to ``through``, every month); a metric the
    file does not give has no entry and its array is all 0.  Within a month a metric
    reports, a key without a row is 0.
    """

    through: int  # the last month of actuals (every metric the file gives reaches it)
    present: Mapping[str, BoolArray]  # metric -> [N] months it reports
    new_mrr: FloatArray  # [K, N] MRR of the customers won in the month
    churned_mrr: FloatArray  # [K, N] MRR lost with the customers who left (positive)
    expansion_mrr: FloatArray  # [K, N] MRR added by customers who stayed
    mrr: FloatArray  # [K, N] MRR at the month's end
    customers: FloatArray  # [K, N] active customers at the month's end
    churned_customers: FloatArray  # [K, N] customers who left in the month
    entries: FloatArray  # [J, N] deals that entered each stage in the month
    pipeline: FloatArray  # [J, N] deals in each stage at the month's end
    wins: FloatArray  # [M, N] deals won in the month by each cell (tier x motion)
    heads: FloatArray  # [R, N] people at the month's end
    starts: FloatArray  # [R, N] people who started in the month
    departures: FloatArray  # [R, N] people who left in the month
    open_requisitions: FloatArray  # [R, N] requisitions open at the month's end
    marketing_cost: FloatArray  # [N] marketing spent in the month, all motions
    marketing_by_tier: FloatArray  # [K, N] when given per tier or per motion, else 0
    marketing_by_cell: FloatArray  # [M, N] when given per motion, else 0
    marketing_breakdown: tuple[str, ...] = ()  # (), ("tier",) or ("tier", "motion")

    @property
    def months(self) -> int:
        """Return N, the length of the month axis (``through + 1``)."""
        return self.through + 1

    @property
    def first(self) -> int:
        """Return the earliest month any metric reports (``through + 1`` with none)."""
        starts = [int(np.argmax(mask)) for mask in self.present.values() if mask.any()]
        return min(starts, default=self.months)

    def has(self, metric: str) -> bool:
        """Return whether the file gives a metric (in at least its last month)."""
        return metric in self.present

    def since(self, metric: str) -> int | None:
        """Return the first month a metric reports, or None when the file does not give it."""
        mask = self.present.get(metric)
        return None if mask is None else int(np.argmax(mask))

    def at_end(self, metric: str) -> FloatArray | None:
        """Return a metric at the last month of actuals (e.g. heads ``[R]``, MRR ``[K]``,
        pipeline ``[J]``), or None when the file does not give it.

        This is the state a reforecast starts from: MRR and customers per tier, heads and
        open requisitions per role, the pipeline in flight by stage.
        """
        if metric not in self.present:
            return None
        return np.asarray(self.series(metric)[..., self.through])

    def series(self, metric: str) -> FloatArray:
        """Return a metric's array by its name in an actuals file (``marketing_cost``: the
        total)."""
        if metric not in METRIC_AXES:
            raise KeyError(metric)
        return np.asarray(getattr(self, metric))


def empty_arrays(tiers: int, cells: int, stages: int, roles: int, through: int) -> ActualArrays:
    """Return arrays of zeros with no metric present: the shapes a plan's actuals take.

    >>> a = empty_arrays(2, 3, 5, 4, 2)
    >>> a.mrr.shape, a.entries.shape, a.wins.shape, a.heads.shape, a.months, a.has("mrr")
    ((2, 3), (5, 3), (3, 3), (4, 3), 3, False)
    """
    n = through + 1
    axis = {"tier": tiers, "stage": stages, "cell": cells, "role": roles}
    arrays: dict[str, Any] = {
        name: np.zeros((axis[kind], n)) if kind != "total" else np.zeros(n)
        for name, kind in METRIC_AXES.items()
    }
    return ActualArrays(
        through=through,
        present={},
        marketing_by_tier=np.zeros((tiers, n)),
        marketing_by_cell=np.zeros((cells, n)),
        **arrays,
    )
