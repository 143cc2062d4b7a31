"""Sensitivity: swing each input alone and see what it does to heads, cost, CAC and ARR.

Each input is swung to its range's low and high (or ``± swing`` where it has none), with
every swing in one batched run (2 variants per input).  Heads, S&M cost and CAC come from
re-planning for the same target; ending ARR from running the point plan's hires forwards
(the target fixes the planned ARR).  Pure numpy; no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from salesplan.engine.compile import Input, set_input
from salesplan.engine.economics import whole_plan
from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.run import PlanResult, run
from salesplan.engine.simulate import outcomes_of
from salesplan.engine.structure import FloatArray, Params

METRICS = ("heads", "sm_cost", "cac", "ending_arr")


@dataclass(frozen=True)
class Swing:
    """One input swung to a low and a high value (plan units), one at a time."""

    input: Input
    low: float
    high: float
    from_range: bool  # True: the plan's range; False: ± the swing fraction


def swings(inputs: Sequence[Input], params: Params, swing: float) -> tuple[Swing, ...]:
    """Return each input's low and high: its range, else ``value · (1 ± swing)``.

    Values stay within the input's bounds, integer inputs are rounded (a ramp also within
    the longest ramp the plan allows), and an input whose low equals its high is left out.
    """
    out = []
    longest_ramp = params.ramp_fraction.shape[2] - 1
    for inp in inputs:
        value = inp.value * inp.divisor  # plan units
        if inp.range is not None:
            low, high = inp.range.low, inp.range.high
        else:
            low, high = value - abs(value) * swing, value + abs(value) * swing
        low, high = (float(np.clip(x, inp.lower, inp.upper)) for x in (low, high))
        if inp.integer:
            top = longest_ramp if inp.field == "ramp_months" else inp.upper
            low, high = (float(min(np.rint(x), top)) for x in (low, high))
        if low != high:
            out.append(Swing(inp, low, high, inp.range is not None))
    return tuple(out)


def swing_params(params: Params, cases: Sequence[Swing]) -> Params:
    """Return 2 variants per swing, low then high, each with only that input changed."""
    parts = []
    for case in cases:
        pair = set_input(params.repeat(2), case.input, np.array([case.low, case.high]))
        parts.append(pair)
    return Params.concat(parts) if parts else params.take(np.arange(0))


@dataclass(frozen=True)
class Sensitivity:
    """Every swing and each metric at the plan, at each swing's low and high."""

    swing: float
    cases: tuple[Swing, ...]
    plan: dict[str, float]  # metric -> the plan's value
    swung: dict[str, FloatArray]  # metric -> [2 x cases]: low, high, low, high …


def sensitivity(result: PlanResult, inputs: Sequence[Input], swing: float) -> Sensitivity:
    """Swing each input of a planned batch of one alone; return the metrics of every swing.

    ``heads`` is heads at the end, ``sm_cost`` and ``cac`` (blended) are over the whole plan,
    all re-planned for the same target; ``ending_arr`` runs the plan's hires forwards.
    """
    s, params = result.structure, result.params
    cases = swings(inputs, params, swing)
    if not cases:
        return Sensitivity(swing, cases, {}, {})
    batch = swing_params(params, cases)
    T, K = s.months, len(s.tiers)
    planned = run(s, batch)
    sm, e = whole_plan(planned)
    sm_plan, e_plan = whole_plan(result)
    fixed = fixed_plan(result)
    forward = outcomes_of(s, batch, run_forward(s, batch, fixed))
    likely = outcomes_of(s, params, run_forward(s, params, fixed))
    plan = {
        "heads": float(result.heads[0, :, T - 1].sum()),
        "sm_cost": float(sm_plan[0]),
        "cac": float(e_plan.cac[0, K, 0]),
        "ending_arr": float(likely["ending_arr"][0]),
    }
    swung = {
        "heads": planned.heads[:, :, T - 1].sum(axis=1),
        "sm_cost": sm,
        "cac": e.cac[:, K, 0],
        "ending_arr": forward["ending_arr"],
    }
    return Sensitivity(swing, cases, plan, swung)
