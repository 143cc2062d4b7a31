"""The outlook of a plan: will its own hires reach its target (docs/model.md §11)?

The plan is solved backwards from the target, so its figures echo the target.  Its hires
are whole people who start when lead time allows, so in the months no requisition can
reach in time (capacity gaps, §4) fewer deals close than the target needs.  The outlook
runs the plan *forwards* with its hires (§9): at the likely values, for what the hiring
plan delivers, and over a quick seeded simulation of the inputs' ranges, for the chance
that it reaches the target.  Each capacity gap is priced by the new ARR it costs.

Pure: figures in, figures out.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.compile import Input
from salesplan.engine.confidence import QUICK_SEED, QUICK_TRIALS, worlds
from salesplan.engine.forward import Forward, fixed_plan, run_forward
from salesplan.engine.gaps import Gap, arr_at_risk, capacity_gaps, filled_gaps
from salesplan.engine.run import run
from salesplan.engine.simulate import (
    at_confidence,
    probability_reached,
    quantiles,
    target_outcome,
    uncertain,
)
from salesplan.engine.structure import FloatArray, Params

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult

CONFIDENCE = 0.8  # the confidence the first screen sizes heads for
PLANNED_WORLDS = 200  # of the drawn worlds, those planned again for the heads they need
BAND = (0.1, 0.5, 0.9)  # the quantiles of a band: P10, P50, P90


class Outlook:
    """What a plan's hires deliver against its target, and how likely the target is.

    Each part is worked out when it is first read, once: the likely values forwards with
    every capacity gap filled in turn (one batch: ``delivered``, the likely paths and
    ``at_risk``), the drawn worlds forwards (``probability``, ``band`` and the month
    bands) and the first ``PLANNED_WORLDS`` of them planned again (the heads at
    ``confidence``).  So a view that reads only what the hires deliver (the plan by year
    as CSV) runs no simulation, and the first screen, which reads everything, runs each
    part once.  The figures do not depend on the order they are read in.
    """

    confidence = CONFIDENCE

    def __init__(
        self,
        result: PlanResult,
        inputs: Sequence[Input],
        trials: int = QUICK_TRIALS,
        seed: int = QUICK_SEED,
    ) -> None:
        self._result = result
        self._inputs = tuple(inputs)
        self._params = result.params.take(slice(0, 1))
        s = result.structure
        self.target_kind: str = s.target_kind
        self.target = float(self._params.target_value[0])
        self.seed = seed
        # 0 trials when no input has a range: the plan is a point forecast.
        self.trials = trials if uncertain(inputs) and trials > 0 else 0

    # -- the likely values, forwards ---------------------------------------------------------

    @cached_property
    def gaps(self) -> tuple[Gap, ...]:
        """Return the plan's capacity gaps (docs/model.md §4)."""
        return capacity_gaps(self._result.view())

    @cached_property
    def _likely(self) -> Forward:
        """Return the likely values forwards with the plan's hires (variant 0), then once
        per gap with that role's gap filled from the start (variants 1 …)."""
        batch = filled_gaps(self._params, self.gaps)
        return run_forward(self._result.structure, batch, fixed_plan(self._result), loads=False)

    @cached_property
    def delivered(self) -> float:
        """Return the target's measure, forwards at the likely values."""
        s, likely = self._result.structure, self._likely
        return float(target_outcome(s, likely, self._params.first_year_months)[0])

    @cached_property
    def likely_arr(self) -> FloatArray:
        """Return ARR by month [T], forwards at the likely values."""
        arr: FloatArray = 12.0 * self._likely.mrr[0].sum(axis=0)
        return arr

    @cached_property
    def likely_new_arr(self) -> FloatArray:
        """Return new ARR booked by month [T], forwards at the likely values."""
        arr: FloatArray = 12.0 * self._likely.new_mrr[0].sum(axis=0)
        return arr

    @cached_property
    def at_risk(self) -> tuple[float, ...]:
        """Return the new ARR each gap costs, forwards (same order as ``gaps``)."""
        return arr_at_risk(self._likely, len(self.gaps))

    @property
    def reaches(self) -> bool:
        """Return whether the hires reach the target at the likely values."""
        return self.delivered >= self.target * (1 - 1e-9)

    @property
    def share(self) -> float:
        """Return what the hires deliver as a share of the target (1 when the target is 0)."""
        return self.delivered / self.target if self.target else 1.0

    # -- the drawn worlds -------------------------------------------------------------------

    @cached_property
    def _drawn(self) -> Params:
        """Return the worlds drawn from the plan's ranges (those of ``simulate``)."""
        return worlds(self._params, self._inputs, self.trials, self.seed)

    @cached_property
    def _worlds(self) -> tuple[FloatArray, FloatArray, FloatArray] | None:
        """Return each world's target measure and the bands of ARR and new ARR by month
        [3, T] (None: no ranges).  The worlds' forward run is dropped once they are read."""
        if not self.trials:
            return None
        s, drawn = self._result.structure, self._drawn
        fwd = run_forward(s, drawn, fixed_plan(self._result), loads=False)
        return (
            target_outcome(s, fwd, drawn.first_year_months),
            quantiles(12.0 * fwd.mrr.sum(axis=1), BAND),
            quantiles(12.0 * fwd.new_mrr.sum(axis=1), BAND),
        )

    @cached_property
    def probability(self) -> float:
        """Return the share of trials reaching the target (1 or 0 with no ranges)."""
        if self._worlds is None:
            return float(self.reaches)
        return probability_reached(self._worlds[0], self.target)

    @cached_property
    def band(self) -> tuple[float, float, float]:
        """Return the P10, P50 and P90 of the target's measure."""
        if self._worlds is None:
            return (self.delivered, self.delivered, self.delivered)
        p10, p50, p90 = (float(v) for v in quantiles(self._worlds[0], BAND))
        return (p10, p50, p90)

    @property
    def arr_band(self) -> FloatArray | None:
        """Return the P10, P50 and P90 of ARR by month [3, T] (None with no ranges)."""
        return None if self._worlds is None else self._worlds[1]

    @property
    def new_arr_band(self) -> FloatArray | None:
        """Return the P10, P50 and P90 of new ARR booked by month [3, T]."""
        return None if self._worlds is None else self._worlds[2]

    # -- the worlds planned again -----------------------------------------------------------

    @property
    def planned_worlds(self) -> int:
        """Return how many of the drawn worlds are planned again for the heads they need."""
        return min(self.trials, PLANNED_WORLDS)

    @cached_property
    def _ends(self) -> FloatArray | None:
        """Return the heads at the end each planned world needs [planned_worlds, R]."""
        if not self.trials:
            return None
        s = self._result.structure
        planned = run(s, self._drawn.take(np.arange(self.planned_worlds)))
        return planned.heads[:, :, s.months - 1]

    @cached_property
    def heads_at_confidence(self) -> FloatArray | None:
        """Return the heads per role [R] the target needs in ``confidence`` of the planned
        worlds (docs/model.md §9); None with no ranges."""
        return None if self._ends is None else at_confidence(self._ends, CONFIDENCE)

    @cached_property
    def total_at_confidence(self) -> float | None:
        """Return the heads in total the target needs in ``confidence`` of the planned
        worlds (the quantile of the worlds' totals, not the sum of the roles')."""
        if self._ends is None:
            return None
        return float(at_confidence(self._ends.sum(axis=1)[:, None], CONFIDENCE)[0])


def outlook(
    result: PlanResult,
    inputs: Sequence[Input],
    trials: int = QUICK_TRIALS,
    seed: int = QUICK_SEED,
) -> Outlook:
    """Return the outlook of variant 0 of a planned batch (docs/model.md §11).

    The drawn worlds are those of ``Evaluation.probability`` with the same trials and seed
    (and of ``simulate``), run forwards with the plan's hires; the roles that gate no deals
    are not loaded (what a world wins does not depend on them).
    """
    return Outlook(result, inputs, trials, seed)
