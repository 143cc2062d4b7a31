"""A plan sized to a confidence level, and the probability that a plan reaches its target
(docs/model.md §14).

Planning uses the likely value of every uncertain input.  A plan *at confidence x* is the
fewest people (and the least pipeline) that reach the target in at least x of the drawn
worlds:

1. Draw the worlds (the plan's ranges, seed and trials stated) and plan each one backwards
   for the same target: the first-stage entries each motion needs, and the fully ramped
   work of each role that works the funnel or the customers (§1–3).
2. For a quantile q: buy each motion ``q``-quantile of the worlds' entries, as a multiple
   of the likely plan's (the *pipeline*), and staff each role, month by month, to the
   ``q``-quantile of the worlds' work with the plan's own ramp, attrition and lead time
   (§4, caps included; managers and recruiters follow the people they manage and hire).
3. Run that plan forwards in the same worlds (§9): the share whose figure of the target's
   kind reaches the target is the probability it achieves.
4. The smallest q on a grid of 1/64 whose plan reaches the level is the plan at
   confidence (a bisection, the probability rising with q).  Where even q = 1 falls short
   (deals lost in months no hire can reach), the q = 1 plan is kept and SP303 says so.

Every probability is a share of trials: its standard error is ``sqrt(p (1 - p) / n)``.
Pure numpy; no I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from salesplan.engine.compile import Input
from salesplan.engine.forward import FixedPlan, fixed_plan, run_forward
from salesplan.engine.run import PlanResult, plan_work, run
from salesplan.engine.simulate import (
    draw_inputs,
    probability_reached,
    target_outcome,
    uncertain,
    with_inputs,
)
from salesplan.engine.structure import FloatArray, Params, Structure

QUICK_TRIALS = 500  # trials of the quick probability: a standard error of 2 points or less
QUICK_SEED = 0
GRID = 64  # quantiles tried: k / GRID


@dataclass(frozen=True)
class TargetProbability:
    """The share of drawn worlds in which a plan's hires reach its target."""

    probability: float
    trials: int
    seed: int

    @property
    def standard_error(self) -> float:
        """Return the simulation's standard error, ``sqrt(p (1 - p) / trials)``.

        >>> round(TargetProbability(0.8, 400, 0).standard_error, 4)
        0.02
        """
        p = self.probability
        return math.sqrt(p * (1 - p) / self.trials)


@dataclass(frozen=True)
class Confidence:
    """How a plan was sized to a confidence level."""

    level: float  # the probability asked for
    quantile: float  # q: the quantile of the worlds' needs the plan is staffed to
    achieved: TargetProbability  # what the plan reaches in the same worlds
    pipeline: FloatArray  # [M] entries bought per entry the likely plan needs

    @property
    def attainable(self) -> bool:
        """Return whether the plan reaches the level asked for."""
        return self.achieved.probability >= self.level


def worlds(params: Params, inputs: Sequence[Input], trials: int, seed: int) -> Params:
    """Return ``trials`` drawn worlds of a batch-of-one: the same draws as ``simulate``
    with the same seed and up to 10,000 trials."""
    drawn = uncertain(inputs)
    rng = np.random.default_rng(seed)
    return with_inputs(params, drawn, draw_inputs(drawn, trials, rng))


def reached(
    structure: Structure, drawn: Params, fixed: FixedPlan, target: float
) -> TargetProbability:
    """Return the share of worlds ``drawn`` in which the fixed plan reaches ``target``."""
    fwd = run_forward(structure, drawn, fixed, loads=False)
    return TargetProbability(
        probability_reached(target_outcome(structure, fwd, drawn.first_year_months), target),
        drawn.size,
        -1,
    )


def target_probability(
    result: PlanResult, inputs: Sequence[Input], trials: int, seed: int
) -> TargetProbability:
    """Return the probability that a planned batch-of-one reaches its target: its hires
    (and pipeline) run forwards in ``trials`` worlds drawn with ``seed``."""
    drawn = worlds(result.params, inputs, trials, seed)
    odds = reached(
        result.structure, drawn, fixed_plan(result), float(result.params.target_value[0])
    )
    return TargetProbability(odds.probability, trials, seed)


def at_confidence(
    likely: PlanResult,
    inputs: Sequence[Input],
    level: float,
    trials: int = QUICK_TRIALS,
    seed: int = QUICK_SEED,
) -> tuple[PlanResult, Confidence]:
    """Return the plan sized to reach its target with probability ``level``, and how.

    ``likely`` is the plan at the likely values (a batch of one).  See the module notes
    for the method.
    """
    structure, params = likely.structure, likely.params
    T = structure.months
    drawn = worlds(params, inputs, trials, seed)
    _, fun, work = plan_work(structure, drawn)
    first = np.nonzero(structure.first_stage)[0]  # the first stage row of each cell
    entries = fun.volume[:, first, :T].sum(axis=2)  # [N, M] what each world must buy
    planned = likely.funnel.volume[0, first, :T].sum(axis=1)  # [M]
    ratio = np.where(planned > 0, entries / np.where(planned > 0, planned, 1.0), 1.0)
    by_role = work.sum(axis=2)  # [N, R, TE]
    # A role's work goes to cells in the worlds' average proportions, month by month.
    mean = work.mean(axis=0)  # [R, M, TE]
    total = mean.sum(axis=1, keepdims=True)
    split = np.where(total > 0, mean / np.where(total > 0, total, 1.0), 0.0)
    target = float(params.target_value[0])
    tried: dict[int, tuple[PlanResult, FloatArray, TargetProbability]] = {}

    def plan_at(k: int) -> tuple[PlanResult, FloatArray, TargetProbability]:
        if k not in tried:
            q = k / GRID
            pipeline = _quantile(ratio, q)  # [M]
            need = _quantile(by_role, q)[:, None, :] * split  # [R, M, TE]
            result = run(structure, params, need=need[None], pipeline=pipeline[None])
            odds = reached(structure, drawn, fixed_plan(result), target)
            tried[k] = (result, pipeline, TargetProbability(odds.probability, trials, seed))
        return tried[k]

    k = _smallest(lambda k: plan_at(k)[2].probability >= level, math.ceil(level * GRID))
    result, pipeline, achieved = plan_at(k)
    return result, Confidence(level, k / GRID, achieved, pipeline)


def _quantile(values: FloatArray, q: float) -> FloatArray:
    """Return the ``q`` quantile over the worlds (axis 0), taken as an observed value."""
    return np.asarray(np.quantile(values, q, axis=0, method="inverted_cdf"))


def _smallest(enough: Callable[[int], bool], guess: int) -> int:
    """Return the smallest k in 0 … GRID for which ``enough(k)`` (GRID when none is).

    ``enough`` rises with k; the search starts from ``guess`` (the level itself).

    >>> _smallest(lambda k: k >= 40, 51), _smallest(lambda k: k >= 60, 51)
    (40, 60)
    >>> _smallest(lambda k: False, 51)
    64
    """
    guess = min(max(guess, 0), GRID)
    if enough(guess):
        low, high = -1, guess  # enough(high); not enough below low + 1 is unknown
    else:
        low, high = guess, GRID
        if not enough(GRID):
            return GRID
    while high - low > 1:
        middle = (low + high) // 2
        if enough(middle):
            high = middle
        else:
            low = middle
    return high
