"""One variant of a batch: the plan's own figures, without the variant axis.

The engine runs batches (axis 0 of every array is the variant); a plan is a batch of one,
and reports and checks read *its* figures.  A :class:`PlanView` is variant ``s`` of a
:class:`~salesplan.engine.run.PlanResult` with that axis dropped, so ``view.heads[r, t]``
is role r's heads in month t and nothing downstream indexes the batch by hand.  The arrays
are numpy views: making one copies nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, is_dataclass, replace
from typing import TYPE_CHECKING, Any, TypeVar

import numpy as np

from salesplan.engine.cost import Costs
from salesplan.engine.funnel import Funnel
from salesplan.engine.revenue import Revenue
from salesplan.engine.structure import FloatArray, IntArray, Params, Structure

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult

T = TypeVar("T")


def variant_of(batch: T, s: int) -> T:
    """Return a dataclass of batch arrays with every array's variant axis taken at ``s``.

    >>> from salesplan.engine.funnel import Funnel
    >>> f = Funnel(*(np.arange(2.0 * k).reshape(2, k) for k in (1, 2, 3, 4, 5)))
    >>> variant_of(f, 1).volume.tolist()
    [2.0, 3.0]
    """
    assert is_dataclass(batch) and not isinstance(batch, type)
    taken: dict[str, Any] = {
        f.name: getattr(batch, f.name)[s]
        for f in fields(batch)
        if isinstance(getattr(batch, f.name), np.ndarray)
    }
    return replace(batch, **taken)


@dataclass(frozen=True)
class PlanView:
    """The figures of one variant: the arrays of a PlanResult with the variant axis dropped.

    Months run 0 … TE-1 (the horizon plus the longest ramp); reports read 0 … T-1.
    """

    structure: Structure
    params: Params  # every field without its variant axis
    revenue: Revenue  # [K, TE] …
    funnel: Funnel  # [M, TE], [J, TE] …
    costs: Costs  # [R, TE], [M, TE], [K, TE] …
    need_by_cell: FloatArray  # [R, M, TE]
    role_need: FloatArray  # [R, TE]
    staffed_need: FloatArray  # [R, TE] what staffing covered (pods: whole pods' members)
    heads: FloatArray  # [R, TE]
    starts: FloatArray  # [R, TE]
    departures: FloatArray  # [R, TE]
    capacity: FloatArray  # [R, TE]
    reqs_opened: FloatArray  # [R, TE]
    reqs_before: FloatArray  # [R]
    gap: FloatArray  # [R, TE]
    covered_from: IntArray  # [R]
    interview_hours: FloatArray  # [R, TE] hours each role spends interviewing
    pods_needed: FloatArray  # [P, TE]
    pod_need: FloatArray  # [P, R, TE]
    free_heads: FloatArray  # [R, TE] heads of the plan without its hiring caps
    free_starts: FloatArray  # [R, TE] starts of the plan without its hiring caps
    bound: IntArray  # [R, TE] CAP_* bits of the caps that held starts back
    gap_cause: IntArray  # [R, TE] CAP_* bits of the caps behind a gap (0: late hiring)

    @property
    def months(self) -> int:
        """Return T, the months reported."""
        return self.structure.months

    @property
    def need(self) -> FloatArray:
        """Return fully ramped FTE needed [R, TE]."""
        return np.asarray(self.need_by_cell.sum(axis=1))


# The arrays a PlanResult and its view share, by name.
_ARRAYS = (
    "need_by_cell",
    "role_need",
    "staffed_need",
    "heads",
    "starts",
    "departures",
    "capacity",
    "reqs_opened",
    "reqs_before",
    "gap",
    "covered_from",
    "interview_hours",
    "pods_needed",
    "pod_need",
    "free_heads",
    "free_starts",
    "bound",
    "gap_cause",
)


def view_of(result: PlanResult, s: int = 0) -> PlanView:
    """Return variant ``s`` of an engine run as a :class:`PlanView`."""
    return PlanView(
        structure=result.structure,
        params=result.params.take(s),
        revenue=variant_of(result.revenue, s),
        funnel=variant_of(result.funnel, s),
        costs=variant_of(result.costs, s),
        **{name: getattr(result, name)[s] for name in _ARRAYS},
    )
