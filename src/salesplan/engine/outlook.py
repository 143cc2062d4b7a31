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
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.compile import Input
from salesplan.engine.confidence import QUICK_SEED, QUICK_TRIALS, worlds
from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.gaps import Gap, capacity_gaps, new_arr_at_risk
from salesplan.engine.run import run
from salesplan.engine.simulate import (
    at_confidence,
    probability_reached,
    target_outcome,
    uncertain,
)
from salesplan.engine.structure import FloatArray

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult

CONFIDENCE = 0.8  # the confidence the first screen sizes heads for
PLANNED_WORLDS = 200  # of the drawn worlds, those planned again for the heads they need


@dataclass(frozen=True)
class Outlook:
    """What a plan's hires deliver against its target, and how likely the target is."""

    target_kind: str
    target: float
    delivered: float  # the target's measure, forwards at the likely values
    # Simulation: 0 trials when no input has a range (the plan is a point forecast).
    trials: int
    seed: int
    probability: float  # share of trials reaching the target (1 or 0 with no ranges)
    band: tuple[float, float, float]  # P10, P50, P90 of the target's measure
    likely_arr: FloatArray  # [T] ARR by month, forwards at the likely values
    arr_band: FloatArray | None  # [3, T] P10, P50, P90 by month; None with no ranges
    likely_new_arr: FloatArray  # [T] new ARR booked by month, forwards at the likely values
    new_arr_band: FloatArray | None  # [3, T]
    gaps: tuple[Gap, ...]
    at_risk: tuple[float, ...]  # new ARR each gap costs, forwards (same order as gaps)
    # Heads at the end the target needs in CONFIDENCE of the first PLANNED_WORLDS drawn
    # worlds, each planned again backwards (docs/model.md §9): per role [R] and in total
    # (the quantile of the worlds' totals).  None with no ranges.
    heads_at_confidence: FloatArray | None = None
    total_at_confidence: float | None = None
    planned_worlds: int = 0
    confidence: float = 0.8  # CONFIDENCE

    @property
    def reaches(self) -> bool:
        """Return whether the hires reach the target at the likely values."""
        return self.delivered >= self.target * (1 - 1e-9)

    @property
    def share(self) -> float:
        """Return what the hires deliver as a share of the target (1 when the target is 0)."""
        return self.delivered / self.target if self.target else 1.0


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
    s, params = result.structure, result.params.take(slice(0, 1))
    target = float(params.target_value[0])
    fixed = fixed_plan(result)
    gaps = capacity_gaps(result.view())
    at_risk = new_arr_at_risk(result, gaps)
    likely = run_forward(s, params, fixed, loads=False)
    delivered = float(target_outcome(s, likely, params.first_year_months)[0])
    likely_arr = 12.0 * likely.mrr[0].sum(axis=0)
    likely_new_arr = 12.0 * likely.new_mrr[0].sum(axis=0)
    if not uncertain(inputs) or trials <= 0:
        return Outlook(
            target_kind=s.target_kind,
            target=target,
            delivered=delivered,
            trials=0,
            seed=seed,
            probability=float(delivered >= target * (1 - 1e-9)),
            band=(delivered, delivered, delivered),
            likely_arr=likely_arr,
            arr_band=None,
            likely_new_arr=likely_new_arr,
            new_arr_band=None,
            gaps=gaps,
            at_risk=at_risk,
        )
    drawn = worlds(params, inputs, trials, seed)
    fwd = run_forward(s, drawn, fixed, loads=False)
    values = target_outcome(s, fwd, drawn.first_year_months)
    sample = min(trials, PLANNED_WORLDS)
    ends = run(s, drawn.take(np.arange(sample))).heads[:, :, s.months - 1]  # [sample, R]
    quantiles = [0.1, 0.5, 0.9]
    p10, p50, p90 = (float(v) for v in np.quantile(values, quantiles))
    return Outlook(
        target_kind=s.target_kind,
        target=target,
        delivered=delivered,
        trials=trials,
        seed=seed,
        probability=probability_reached(values, target),
        band=(p10, p50, p90),
        likely_arr=likely_arr,
        arr_band=np.quantile(12.0 * fwd.mrr.sum(axis=1), quantiles, axis=0),
        likely_new_arr=likely_new_arr,
        new_arr_band=np.quantile(12.0 * fwd.new_mrr.sum(axis=1), quantiles, axis=0),
        gaps=gaps,
        at_risk=at_risk,
        heads_at_confidence=at_confidence(ends, CONFIDENCE),
        total_at_confidence=float(at_confidence(ends.sum(axis=1)[:, None], CONFIDENCE)[0]),
        planned_worlds=sample,
    )
