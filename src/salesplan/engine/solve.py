"""Solve (docs/model.md §13): the value of one plan input that meets a goal on an outcome.

A goal (:mod:`salesplan.engine.goals`) bounds one outcome, measured planned again,
forwards with the plan's hires, or as a probability over drawn worlds.

The method: a grid of :data:`GRID_POINTS` values over a bracket is evaluated in one batch;
the grid says whether the outcome rises or falls with the input (or neither) and where the
goal starts to hold.  The interval where it does is cut into :data:`SPLITS` + 1 pieces per
round, each round one batch, until it is narrower than half the tolerance; the answer is
the end of the last interval that meets the goal, rounded toward the side that meets it to
the last digit of half the tolerance, so it is within the tolerance of the boundary.  Pure: no
I/O.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from salesplan.engine.compile import Compiled, compile_plan
from salesplan.engine.forward import fixed_plan
from salesplan.engine.goals import TRIALS, Goal, Setting, measure, parse_goal, worlds
from salesplan.engine.levers import Lever, lever
from salesplan.engine.run import PlanResult, run
from salesplan.engine.structure import FloatArray
from salesplan.load.schema import Plan

GRID_POINTS = 17  # values the first batch tries over the bracket
SPLITS = 8  # values each refining batch tries inside the interval left
ROUND_WORLDS = 2_000  # drawn worlds a refining round of a probability goal runs, at most
RTOL = 1e-6  # default tolerance: this share of the bracket's largest magnitude
MAX_ROUNDS = 60
LONGEST_RAMP = 36  # the schema's bound on ramp_months
FLAT = 1e-9  # relative change of an outcome below which it counts as unchanged

Trend = Literal["rises", "falls", "flat", "not monotone", "undefined"]
Status = Literal["solved", "everywhere", "unmet"]


@dataclass(frozen=True)
class Solution:
    """What a solve found: the value that meets the goal, or the best reachable outcome."""

    lever: Lever
    goal: Goal
    low: float  # the bracket searched, plan units
    high: float
    tolerance: float  # the answer is within this of where the goal starts to hold
    grid: FloatArray  # [GRID_POINTS] values tried first
    outcomes: FloatArray  # [GRID_POINTS] the outcome at each (NaN: undefined)
    at_plan: float  # the outcome at the plan's own value (NaN: undefined)
    trend: Trend  # how the outcome moves with the input over the grid
    status: Status
    value: float | None  # solved: the value nearest the boundary that meets the goal
    outcome: float | None  # the outcome at ``value``
    beyond: float | None  # the value just past the boundary (within the tolerance)
    above: bool  # solved: values above ``value`` meet the goal (else those below)
    crossings: int  # intervals of the grid where the goal starts or stops holding
    best: tuple[float, float] | None  # unmet: (value, outcome) nearest the goal
    evaluations: int  # variants run (worlds included for a probability goal)
    trials: int  # drawn worlds per value (probability goals; 0 otherwise)
    seed: int


@dataclass(frozen=True)
class _Found:
    """What a solve found, to put in its :class:`Solution`."""

    value: float | None = None
    outcome: float | None = None
    beyond: float | None = None
    above: bool = False
    best: tuple[float, float] | None = None


def bracket(lv: Lever, low: float | None = None, high: float | None = None) -> tuple[float, float]:
    """Return the values to search: ``low`` and ``high`` if given, else from the plan's value.

    A fraction bounded on both sides searches its whole range; another number a tenth to ten
    times its value; a whole number (months, heads) 0 to twice its value or 12 more.  Every
    bracket stays within the input's bounds.  Raise ValueError when there is no scale to
    search (another number that is 0 in the plan) or the bracket is empty.
    """
    v, lower, upper = lv.value, lv.lower, lv.upper
    if low is not None and high is not None:
        lo, hi = low, high
    elif lv.integer:
        lo, hi = max(lower, 0.0), min(upper, max(2 * v, v + 12))
    elif lv.unit == "rate" and math.isfinite(upper) and upper <= 1.0:
        lo, hi = lower, upper
    elif v > 0:
        lo, hi = max(lower, v / 10), min(upper, v * 10)
    else:
        raise ValueError(
            f"{lv.name} is {v:g} in the plan, which gives no scale to search: give --low and --high"
        )
    lo = lo if low is None else low
    hi = hi if high is None else high
    if not lower <= lo < hi <= upper:
        raise ValueError(
            f"{lv.name}: the values searched must satisfy {lower:g} <= low < high <= {upper:g} "
            f"(got {lo:g} and {hi:g})"
        )
    return lo, hi


def grid(lv: Lever, low: float, high: float) -> FloatArray:
    """Return the first values tried: evenly spaced, or by ratio over a span of 10 or more
    (not for a fraction); every whole number of a short integer span.

    >>> from salesplan.engine.levers import Lever
    >>> grid(Lever((), "x", 1.0, 0.0, 10.0, False, "number"), 0.1, 10.0)[[0, 8, 16]].tolist()
    [0.1, 1.0, 10.0]
    """
    if lv.integer and high - low + 1 <= 4 * GRID_POINTS:
        return np.arange(math.ceil(low), math.floor(high) + 1, dtype=np.float64)
    if _geometric(lv, low, high):
        out = np.geomspace(low, high, GRID_POINTS)
    else:
        # A rate's bound just above 0 (0 itself is no rate): the grid steps from 0.
        start = 0.0 if 0 < low < 1e-3 * (high - low) else low
        out = np.maximum(np.linspace(start, high, GRID_POINTS), low)
    return np.unique(np.rint(out)) if lv.integer else out


def _geometric(lv: Lever, low: float, high: float) -> bool:
    """Return whether the grid spaces values by ratio (a scale over a factor of 10 or more)."""
    return lv.unit != "rate" and not lv.integer and low > 0 and high / low >= 10


def trend(values: FloatArray, outcomes: FloatArray) -> Trend:
    """Return how outcomes move as values rise, NaN (undefined) points left out.

    >>> trend(np.arange(4.0), np.array([1.0, 1.0, 2.0, np.nan]))
    'rises'
    >>> trend(np.arange(3.0), np.array([3.0, 1.0, 2.0]))
    'not monotone'
    """
    y = outcomes[np.isfinite(outcomes)]
    if len(y) == 0:
        return "undefined"
    steps = np.diff(y)
    noise = FLAT * max(float(np.abs(y).max()), 1e-300)
    up, down = bool((steps > noise).any()), bool((steps < -noise).any())
    if up and down:
        return "not monotone"
    return "rises" if up else "falls" if down else "flat"


def solve(
    setting: Setting,
    lv: Lever,
    goal: Goal,
    *,
    low: float | None = None,
    high: float | None = None,
    rtol: float = RTOL,
) -> Solution:
    """Return the value of ``lv`` where ``goal`` starts to hold, nearest the plan's value.

    Grid first (one batch, with the plan's own value), then rounds of :data:`SPLITS` values
    inside the interval where the goal starts to hold until it is narrower than the
    tolerance, ``rtol`` of the bracket's largest magnitude (1 for a whole number).
    """
    lo, hi = bracket(lv, low, high)
    xs = grid(lv, lo, hi)
    first = measure(setting, lv, goal, np.append(xs, lv.value))
    ys, at_plan = first[:-1], float(first[-1])
    per_value = max(setting.trials, 1)
    count = len(first)
    ok = goal.meets(ys)
    valid = np.isfinite(ys)
    moves = trend(xs, ys)
    tolerance = 1.0 if lv.integer else rtol * max(abs(lo), abs(hi))
    flips = [
        (i, j)
        for i, j in zip(np.nonzero(valid)[0][:-1], np.nonzero(valid)[0][1:], strict=True)
        if ok[i] != ok[j]
    ]

    def done(status: Status, found: _Found | None = None) -> Solution:
        found = found or _Found()
        return Solution(
            lever=lv,
            goal=goal,
            low=lo,
            high=hi,
            tolerance=tolerance,
            grid=xs,
            outcomes=ys,
            at_plan=at_plan,
            trend=moves,
            status=status,
            value=found.value,
            outcome=found.outcome,
            beyond=found.beyond,
            above=found.above,
            crossings=len(flips),
            best=found.best,
            evaluations=count * per_value,
            trials=setting.trials,
            seed=setting.seed,
        )

    if not ok.any():
        best = None
        if valid.any():
            pick = np.nanargmin(ys) if goal.at_most else np.nanargmax(ys)
            best = (float(xs[pick]), float(ys[pick]))
        return done("unmet", _Found(best=best))
    if not flips:
        return done("everywhere")
    # The interval nearest the plan's value, measured as the grid spaces values.
    geometric = _geometric(lv, lo, hi)

    def scale(x: float) -> float:
        return math.log(x) if geometric else x

    def distance(pair: tuple[int, int]) -> float:
        a, b = scale(float(xs[pair[0]])), scale(float(xs[pair[1]]))
        v = scale(min(max(lv.value, lo), hi))
        return 0.0 if a <= v <= b else min(abs(v - a), abs(v - b))

    i, j = min(flips, key=distance)
    # A probability round runs every value in all the worlds: fewer values a round.
    splits = SPLITS if not setting.trials else max(1, min(SPLITS, ROUND_WORLDS // setting.trials))
    a, b, a_ok = float(xs[i]), float(xs[j]), bool(ok[i])
    a_y, b_y = float(ys[i]), float(ys[j])
    narrow = tolerance if lv.integer else tolerance / 2
    for _ in range(MAX_ROUNDS):
        if b - a <= narrow:
            break
        inner = np.linspace(a, b, splits + 2)[1:-1]
        if lv.integer:
            inner = np.unique(np.rint(inner))
            inner = inner[(inner > a) & (inner < b)]
        if not len(inner):
            break
        yv = measure(setting, lv, goal, inner)
        count += len(inner)
        xs_round = [a, *inner.tolist(), b]
        ys_round = [a_y, *yv.tolist(), b_y]
        oks = [a_ok, *goal.meets(yv).tolist(), not a_ok]
        k = next(n for n in range(len(oks) - 1) if oks[n] != oks[n + 1])
        a, b, a_ok = xs_round[k], xs_round[k + 1], oks[k]
        a_y, b_y = ys_round[k], ys_round[k + 1]
    value, outcome, beyond = (a, a_y, b) if a_ok else (b, b_y, a)
    rounded = _rounded(value, beyond, tolerance, lo, hi, lv.integer)
    if rounded != value:
        y_rounded = float(measure(setting, lv, goal, np.array([rounded]))[0])
        count += 1
        if goal.meets(np.array([y_rounded]))[0]:
            value, outcome = rounded, y_rounded
    return done("solved", _Found(value, outcome, beyond, not a_ok))


def _rounded(
    value: float, beyond: float, tolerance: float, lo: float, hi: float, integer: bool
) -> float:
    """Return ``value`` rounded away from ``beyond`` to the last digit of half the tolerance.

    >>> _rounded(812_345.678, 812_345.1, 6.5, 0.0, 1e9, False)
    812346.0
    """
    if integer or tolerance <= 0:
        return value
    step = 10.0 ** math.floor(math.log10(tolerance / 2))
    up = value > beyond
    out = (math.ceil if up else math.floor)(value / step) * step
    out = float(f"{out:.12g}")  # drop the float noise of the multiplication
    return min(max(out, lo), hi)


def solve_for(
    plan: Plan,
    compiled: Compiled,
    result: PlanResult,
    key: str,
    goal: Goal | str,
    *,
    low: float | None = None,
    high: float | None = None,
    rtol: float = RTOL,
    trials: int = TRIALS,
    seed: int = 0,
) -> Solution:
    """Solve the number at key path ``key`` of a planned plan for a goal (see :func:`solve`).

    Raise ValueError (:class:`~salesplan.engine.levers.LeverError` for the key) with a
    message for the user when the key or the goal cannot be solved.
    """
    setting, lv, wanted = _prepare(plan, compiled, result, result, key, goal, trials, seed)
    return solve(setting, lv, wanted, low=low, high=high, rtol=rtol)


def outcome_for(
    plan: Plan,
    compiled: Compiled,
    result: PlanResult,
    hires: PlanResult,
    key: str,
    goal: Goal,
    *,
    trials: int = TRIALS,
    seed: int = 0,
) -> float:
    """Return a goal's outcome for a plan at its own value of ``key``, measured as a solve
    measures it: planned from the plan itself, forwards and in drawn worlds with the hires
    and arrivals of ``hires`` (the plan it was solved from).  NaN when undefined.

    A plan written by ``solve --write-plan`` gives the solved outcome here.
    """
    setting, lv, _ = _prepare(plan, compiled, result, hires, key, goal, trials, seed)
    return float(measure(setting, lv, goal, np.array([lv.value]))[0])


def _prepare(
    plan: Plan,
    compiled: Compiled,
    result: PlanResult,
    hires: PlanResult,
    key: str,
    goal: Goal | str,
    trials: int,
    seed: int,
) -> tuple[Setting, Lever, Goal]:
    """Return the setting, lever and goal of a solve of ``key`` in a planned plan.

    Ramp months are tried on ramp arrays as wide as the longest ramp a plan may give (the
    figures of the plan's months do not depend on the width).
    """
    own = hires is result
    if key.strip().endswith(".ramp_months"):
        compiled = compile_plan(plan, compiled.structure.plan_name, ramp_width=LONGEST_RAMP + 1)
        result = run(compiled.structure, compiled.params)
    lv = lever(plan, compiled.structure, compiled.params, compiled.inputs, key)
    wanted = parse_goal(goal, compiled.structure) if isinstance(goal, str) else goal
    drawn = None
    if wanted.family == "probability":
        drawn = worlds(compiled.params, compiled.inputs, trials, seed)
    fixed = fixed_plan(result if own else hires)
    return Setting(compiled.structure, compiled.params, fixed, drawn, seed), lv, wanted


__all__ = [
    "GRID_POINTS",
    "RTOL",
    "SPLITS",
    "TRIALS",
    "Goal",
    "Solution",
    "bracket",
    "grid",
    "outcome_for",
    "solve",
    "solve_for",
    "trend",
]
