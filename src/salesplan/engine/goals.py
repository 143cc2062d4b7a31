"""Goals (docs/model.md §13): an outcome with a bound, and how it is measured in a batch.

A goal bounds one outcome, ``metric <= bound`` or ``metric >= bound``, measured one of three
ways (:data:`METRICS`):

- **planned**: the plan planned again for its target with the input changed (heads, hires,
  S&M cost, CAC, payback, LTV : CAC over the whole plan, as ``economics --period plan``);
- **forwards**: the point plan's hires and arrivals held fixed and run forwards with the
  input changed (ending ARR, new ARR, new customers; docs/model.md §9);
- **probability**: the share of drawn worlds (``simulate``'s draws, the input set in every
  one of them) whose forwards figure of the target's kind reaches the target.

:func:`measure` gives a goal's outcome for a lever at many values in one batch.  Pure: no
I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from salesplan.engine.compile import Input
from salesplan.engine.economics import whole_plan
from salesplan.engine.forward import FixedPlan, Forward, run_forward
from salesplan.engine.levers import Lever
from salesplan.engine.run import PlanResult, run
from salesplan.engine.simulate import (
    REACHED,
    chunk_size,
    draw_inputs,
    uncertain,
    with_inputs,
)
from salesplan.engine.structure import FloatArray, Params, Structure

TRIALS = 1_000  # drawn worlds per value for a probability goal

Family = Literal["planned", "forwards", "probability"]


@dataclass(frozen=True)
class Metric:
    """An outcome a goal may bound: how it is measured and what it is."""

    family: Family
    unit: Literal["money", "rate", "count", "months", "number"]
    title: str
    per: Literal["", "role", "tier"] = ""  # may be qualified: heads:ae, cac:smb


METRICS: dict[str, Metric] = {
    "heads": Metric("planned", "count", "heads at the end", "role"),
    "hires": Metric("planned", "count", "starts over the plan"),
    "gaps": Metric("planned", "count", "role-months short of capacity"),
    "sm_cost": Metric("planned", "money", "S&M cost over the plan"),
    "sm_share": Metric("planned", "rate", "S&M cost / revenue over the plan"),
    "cac": Metric("planned", "money", "CAC over the plan", "tier"),
    "payback": Metric("planned", "months", "CAC payback over the plan", "tier"),
    "ltv_cac": Metric("planned", "number", "LTV : CAC over the plan", "tier"),
    "ending_arr": Metric("forwards", "money", "ending ARR, forwards with the plan's hires"),
    "new_arr": Metric("forwards", "money", "new ARR booked, forwards with the plan's hires"),
    "new_customers": Metric("forwards", "count", "new customers, forwards with the plan's hires"),
    "first_year_revenue": Metric(
        "forwards", "money", "first-year revenue, forwards with the plan's hires"
    ),
    "months_short": Metric(
        "forwards", "count", "role-months short, forwards with the plan's hires"
    ),
    "probability": Metric("probability", "rate", "probability of reaching the target"),
}

_GOAL = re.compile(r"^\s*([a-z_]+)(?::([A-Za-z][A-Za-z0-9_\-]*))?\s*(<=|>=)\s*(\S+?)\s*$")


@dataclass(frozen=True)
class Goal:
    """A bound on one outcome: ``metric <= bound`` (``at_most``) or ``metric >= bound``."""

    metric: str  # a key of METRICS
    of: str  # the role or tier it is taken for ("" for the whole plan)
    at_most: bool
    bound: float

    @property
    def key(self) -> str:
        """Return the outcome's key as ``diff`` names it: ``cac:smb``, ``heads``."""
        return f"{self.metric}:{self.of}" if self.of else self.metric

    @property
    def text(self) -> str:
        """Return the goal as written: ``payback <= 18``."""
        return f"{self.key} {'<=' if self.at_most else '>='} {self.bound:.12g}"

    @property
    def family(self) -> Family:
        """Return how the outcome is measured."""
        return METRICS[self.metric].family

    def meets(self, values: FloatArray) -> np.ndarray:
        """Return where ``values`` meet the goal (within a relative 1e-9; NaN never does)."""
        slack = REACHED * abs(self.bound)
        with np.errstate(invalid="ignore"):
            if self.at_most:
                return np.asarray(values <= self.bound + slack)
            return np.asarray(values >= self.bound - slack)


def parse_goal(text: str, structure: Structure) -> Goal:
    """Return the goal written ``METRIC[:NAME]<=N`` or ``>=N`` (N may end in ``%``).

    Raise ValueError with the metrics and names known when it is not one.

    >>> from types import SimpleNamespace as NS
    >>> parse_goal("payback<=18", NS(roles=("ae",), tiers=("smb",))).text
    'payback <= 18'
    >>> parse_goal("probability >= 80%", NS(roles=(), tiers=())).bound
    0.8
    """
    match = _GOAL.match(text)
    if not match:
        raise ValueError(
            f"goal {text!r}: write METRIC<=N or METRIC>=N, quoted in a shell "
            f"(--to 'sm_cost<=4500000'); metrics: " + ", ".join(METRICS)
        )
    name, of, op, number = match.groups()
    if name not in METRICS:
        raise ValueError(f"goal {text!r}: no metric {name!r}; metrics: {', '.join(METRICS)}")
    per = METRICS[name].per
    names = {"role": structure.roles, "tier": structure.tiers, "": ()}[per]
    if of and of not in names:
        which = f"{per}s: {', '.join(names)}" if per else "it is taken over the whole plan"
        raise ValueError(f"goal {text!r}: {name} has no {of!r} ({which})")
    try:
        bound = float(number.rstrip("%").replace("_", "").replace(",", ""))
    except ValueError:
        raise ValueError(f"goal {text!r}: {number!r} is not a number") from None
    if number.endswith("%"):
        bound /= 100.0
    if not math.isfinite(bound):
        raise ValueError(f"goal {text!r}: the bound must be a finite number")
    return Goal(name, of or "", op == "<=", bound)


@dataclass(frozen=True)
class Setting:
    """What every variant of a solve shares: the point plan, its hires and its worlds."""

    structure: Structure
    params: Params  # the point plan, a batch of one
    fixed: FixedPlan  # its hires and arrivals, held for forwards and probability goals
    worlds: Params | None = None  # drawn worlds, for a probability goal
    seed: int = 0

    @property
    def trials(self) -> int:
        """Return the drawn worlds each value is tried in (0 without a probability goal)."""
        return 0 if self.worlds is None else self.worlds.size


def worlds(params: Params, inputs: Sequence[Input], trials: int, seed: int) -> Params:
    """Return ``trials`` drawn worlds: simulate's draws (docs/model.md §9) from ``seed``.

    Every value a solve tries runs in the same worlds (common random numbers), so the
    probability moves only with the value.
    """
    drawn = uncertain(inputs)
    rng = np.random.default_rng(seed)
    return with_inputs(params, drawn, draw_inputs(drawn, trials, rng))


def measure(setting: Setting, lv: Lever, goal: Goal, values: FloatArray) -> FloatArray:
    """Return the goal's outcome with the lever at each of ``values`` (NaN: undefined)."""
    s = setting.structure
    if goal.family == "probability":
        return _probability(setting, lv, values)
    batch = lv.apply(setting.params.repeat(len(values)), values)
    if goal.family == "forwards":
        return forwards(s, run_forward(s, batch, setting.fixed), goal.metric)
    return planned(s, run(s, batch), goal)


def forwards(structure: Structure, fwd: Forward, metric: str) -> FloatArray:
    """Return a forwards outcome per variant, as ``simulate`` measures it (docs/model.md §9).

    ``target`` is the figure of the plan's target kind: ending ARR, revenue of months
    0 … 11, new ARR booked in months 0 … 11, or new MRR booked in month 0.  Cost is not
    needed here, so it is not computed.
    """
    T = structure.months
    if metric == "target":
        metric = structure.target_kind
    if metric == "ending_arr":
        out = 12.0 * fwd.mrr[:, :, T - 1].sum(axis=1)
    elif metric == "first_year_revenue":
        out = fwd.mrr[:, :, :12].sum(axis=(1, 2)) if T >= 12 else np.full(fwd.mrr.shape[0], np.nan)
    elif metric == "new_arr_per_year":
        out = 12.0 * fwd.new_mrr[:, :, :12].sum(axis=(1, 2))
    elif metric == "new_mrr_per_month":
        out = fwd.new_mrr[:, :, 0].sum(axis=1)
    elif metric == "new_arr":
        out = 12.0 * fwd.new_mrr.sum(axis=(1, 2))
    elif metric == "new_customers":
        out = fwd.new_customers.sum(axis=(1, 2))
    else:  # months_short
        out = fwd.months_short.astype(np.float64)
    return np.asarray(out, dtype=np.float64)


def planned(structure: Structure, result: PlanResult, goal: Goal) -> FloatArray:
    """Return a planned outcome per variant of a run; NaN where the target is already met."""
    T, K = structure.months, len(structure.tiers)
    name = goal.metric
    if name == "heads":
        heads = result.heads[:, :, T - 1]
        out = heads[:, structure.roles.index(goal.of)] if goal.of else heads.sum(axis=1)
    elif name == "hires":
        out = result.starts[:, :, :T].sum(axis=(1, 2))
    elif name == "gaps":
        out = (result.gap[:, :, :T] > 0).sum(axis=(1, 2)).astype(np.float64)
    else:
        sm_cost, e = whole_plan(result)
        k = structure.tiers.index(goal.of) if goal.of else K
        out = {
            "sm_cost": sm_cost,
            "sm_share": e.sm_share[:, K, 0],
            "cac": e.cac[:, k, 0],
            "payback": e.payback_months[:, k, 0],
            "ltv_cac": e.ltv_cac[:, k, 0],
        }[name]
    return np.asarray(np.where(result.target_met, np.nan, out), dtype=np.float64)


def _probability(setting: Setting, lv: Lever, values: FloatArray) -> FloatArray:
    """Return, per value, the share of the drawn worlds that reach the target forwards."""
    s, drawn = setting.structure, setting.worlds
    assert drawn is not None, "a probability goal is solved in drawn worlds"
    n = drawn.size
    # As many values a batch as keep it within simulate's memory budget for this plan.
    per_batch = max(1, chunk_size(s, drawn.scheduled_heads.shape[2]) // n)
    out = np.empty(len(values))
    for begin in range(0, len(values), per_batch):
        chunk = values[begin : begin + per_batch]
        batch = lv.apply(Params.concat([drawn] * len(chunk)), np.repeat(chunk, n))
        reached = forwards(s, run_forward(s, batch, setting.fixed), "target")
        target = batch.target_value
        hit = reached >= target - REACHED * np.abs(target)
        out[begin : begin + len(chunk)] = hit.reshape(len(chunk), n).mean(axis=1)
    return out


def budget_goal(budget: float) -> Goal:
    """Return the goal of the budget form: S&M cost over the plan at most ``budget``."""
    return Goal("sm_cost", "", True, budget)


__all__ = [
    "METRICS",
    "TRIALS",
    "Goal",
    "Metric",
    "Setting",
    "budget_goal",
    "forwards",
    "measure",
    "parse_goal",
    "planned",
    "worlds",
]
