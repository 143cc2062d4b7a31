"""The Python API: load a plan, run it, get its tables and problems.

>>> import salesplan.api as sp                                        # doctest: +SKIP
>>> ev = sp.evaluate(sp.load("configs/series-a.yaml"))                # doctest: +SKIP
>>> ev.result.heads[0]            # numpy [role, month] for the plan  # doctest: +SKIP
>>> sp.plan_report(ev, "quarter").table("headcount").records()        # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesplan.problems import Problem, has_errors, sorted_problems

if TYPE_CHECKING:
    from salesplan.engine.compile import Compiled
    from salesplan.engine.run import PlanResult
    from salesplan.load import LoadedPlan
    from salesplan.report.table import Report


class PlanError(Exception):
    """A plan that cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass(frozen=True)
class Evaluation:
    """A loaded plan, its compiled form and the engine's result (a batch of one)."""

    loaded: LoadedPlan
    compiled: Compiled
    result: PlanResult
    problems: tuple[Problem, ...]  # warnings from loading and running (errors raise)


def load(path: str) -> LoadedPlan:
    """Load and validate a plan file; raise PlanError with located problems."""
    from salesplan.load import load_plan

    loaded, problems = load_plan(path)
    if loaded is None or has_errors(problems):
        raise PlanError(problems)
    return loaded


def evaluate(loaded: LoadedPlan) -> Evaluation:
    """Run the engine on a loaded plan; raise PlanError if the plan cannot be planned."""
    from salesplan.engine.compile import compile_plan
    from salesplan.engine.run import run
    from salesplan.engine_checks import engine_problems

    compiled = compile_plan(loaded.plan)
    result = run(compiled.structure, compiled.params)
    problems = engine_problems(loaded, result)
    if has_errors(problems):
        raise PlanError(problems)
    return Evaluation(loaded, compiled, result, tuple(problems))


def plan_report(evaluation: Evaluation, period: str = "month") -> Report:
    """Return the tables of ``salesplan plan`` as a Report."""
    from salesplan.report.periods import Period
    from salesplan.report.plan import plan_report as build

    return build(evaluation, Period(period))


def simulate_report(
    evaluation: Evaluation,
    trials: int = 10_000,
    seed: int = 0,
    confidence: float = 0.8,
    progress: Callable[[int, int], None] | None = None,
) -> Report:
    """Return the tables of ``salesplan simulate``: Monte Carlo over the plan's ranges."""
    from salesplan.report.simulate import simulate_report as build

    return build(evaluation, trials, seed, confidence, progress)


def sensitivity_report(evaluation: Evaluation, swing: float = 0.2, bars: bool = True) -> Report:
    """Return the tornado tables of ``salesplan sensitivity``."""
    from salesplan.report.simulate import sensitivity_report as build

    return build(evaluation, swing, bars)


def pods_report(evaluation: Evaluation, at: str | None = None, period: str = "quarter") -> Report:
    """Return the tables of ``salesplan pods`` at month ``at`` (YYYY-MM; default the last).

    Raise ValueError for a month outside the plan.
    """
    from salesplan.report.periods import Period
    from salesplan.report.pods import pods_report as build

    return build(evaluation, at, Period(period))


def comp_report(evaluation: Evaluation, period: str = "quarter") -> Report:
    """Return the tables of ``salesplan comp``: pay per role and its cost by period."""
    from salesplan.report.comp import comp_report as build
    from salesplan.report.periods import Period

    return build(evaluation, Period(period))


def economics_report(evaluation: Evaluation, period: str = "quarter") -> Report:
    """Return the tables of ``salesplan economics``: CAC, CRC, payback, LTV and costs."""
    from salesplan.report.economics import economics_report as build
    from salesplan.report.periods import Period

    return build(evaluation, Period(period))
