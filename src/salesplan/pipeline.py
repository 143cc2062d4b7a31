"""The one route from a plan file to every answer.

    read (bounded YAML, ``extends``) ─► schema ─► plan rules ─► compile ─► run ─► result rules

Every command (``plan``, ``check``, ``pods``, ``comp``, ``economics``, ``diff``, ``compare``,
``simulate``, ``sensitivity``) and the Python API go through :func:`run_plan`, so a report
prints exactly the problems ``check`` finds for the same plan.  Each stage returns problems
as values; the route stops at the first stage with errors (nothing downstream of an error
can be trusted) and never prints or exits.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

from salesplan.checks.registry import run_rules
from salesplan.checks.rule import Context, Needs
from salesplan.engine.compile import Compiled, compile_plan
from salesplan.engine.confidence import (
    QUICK_SEED,
    QUICK_TRIALS,
    Confidence,
    TargetProbability,
    target_probability,
)
from salesplan.engine.confidence import at_confidence as sized_to
from salesplan.engine.economics import UnitEconomics, plan_economics, whole_plan
from salesplan.engine.run import PlanResult, run
from salesplan.engine.sensitivity import Sensitivity, sensitivity
from salesplan.engine.simulate import Progress, Simulation, simulate_plan
from salesplan.engine.view import PlanView, variant_of
from salesplan.load.git import at_revision, read_spec
from salesplan.load.plan import LoadedPlan, load_plan, load_plan_text
from salesplan.load.sources import ReadPlan, read_working_tree
from salesplan.problems import Problem, Severity, has_errors, sorted_problems
from salesplan.problems.codes import selected


@dataclass(frozen=True)
class WholePlan:
    """What the plan costs and earns over one period of every plan month."""

    sm_cost: float  # all sales and marketing cost, months 0 … T-1
    economics: UnitEconomics  # [K + 1, 1]: each tier, then blended


@dataclass(frozen=True)
class Evaluation:
    """A plan that passed every check that stops planning, run by the engine.

    ``result`` is the engine's batch of one; ``plan`` is its figures with the variant axis
    dropped, which is what reports and checks read.  ``problems`` are the warnings the
    route found (errors never get this far).
    """

    loaded: LoadedPlan
    compiled: Compiled
    result: PlanResult
    problems: tuple[Problem, ...] = ()
    # How the plan was sized to a confidence level (None: the likely values).
    confidence: Confidence | None = None
    _probabilities: dict[tuple[int, int], TargetProbability] = field(
        default_factory=dict, compare=False, repr=False
    )
    _sized: dict[float, Evaluation] = field(default_factory=dict, compare=False, repr=False)

    @cached_property
    def plan(self) -> PlanView:
        """Return the plan's own figures (variant 0, no variant axis)."""
        return self.result.view(0)

    def economics(self, bounds: Sequence[tuple[int, int]]) -> UnitEconomics:
        """Return the unit economics per tier and period (``[K + 1, P]`` arrays)."""
        return variant_of(plan_economics(self.result, bounds), 0)

    @cached_property
    def whole_plan(self) -> WholePlan:
        """Return S&M cost and unit economics over the whole plan (``economics --period
        plan``)."""
        sm_cost, economics = whole_plan(self.result)
        return WholePlan(float(sm_cost[0]), variant_of(economics, 0))

    def simulate(self, trials: int, seed: int, *, progress: Progress | None = None) -> Simulation:
        """Return ``trials`` drawn worlds run forwards with the plan's hires (docs/model.md §9)."""
        return simulate_plan(self.result, self.compiled.inputs, trials, seed, progress=progress)

    def sensitivity(self, swing: float) -> Sensitivity:
        """Return each input swung alone (its range, else ``± swing``) and what it does."""
        return sensitivity(self.result, self.compiled.inputs, swing)

    def probability(self, trials: int = QUICK_TRIALS, seed: int = QUICK_SEED) -> TargetProbability:
        """Return the probability that this plan reaches its target (docs/model.md §11).

        Its hires (and, for a plan sized to a confidence, its pipeline) run forwards in
        ``trials`` worlds drawn from the plan's ranges with ``seed``: the share that reach
        the target, with the trials, the seed and the standard error
        ``sqrt(p (1 - p) / trials)``.  The default, 500 trials with seed 0, is quick (the
        first screen states it for every plan) and equals ``simulate --trials 500 --seed 0``.
        """
        key = (trials, seed)
        if key not in self._probabilities:
            inputs = self.compiled.inputs
            self._probabilities[key] = target_probability(self.result, inputs, trials, seed)
        return self._probabilities[key]

    def at_confidence(self, level: float) -> Evaluation:
        """Return the plan sized to reach its target with probability ``level``, with the
        problems the result rules find in it (docs/model.md §11)."""
        if self.confidence is not None and self.confidence.level == level:
            return self
        if level not in self._sized:
            likely = self if self.confidence is None else self._likely()
            self._sized[level] = _sized(likely, level)
        return self._sized[level]

    def _likely(self) -> Evaluation:
        """Return the plan at its likely values."""
        compiled = self.compiled
        return Evaluation(self.loaded, compiled, run(compiled.structure, compiled.params))


@dataclass(frozen=True)
class Checked:
    """Where the route got with one plan: its problems, and its evaluation if it got there."""

    path: str
    problems: tuple[Problem, ...] = field(default=())
    evaluation: Evaluation | None = None


def _sized(likely: Evaluation, level: float) -> Evaluation:
    """Return the likely plan's evaluation sized to ``level``, with its result rules run."""
    result, how = sized_to(likely.result, likely.compiled.inputs, level)
    sized = Evaluation(likely.loaded, likely.compiled, result, confidence=how)
    skip = tuple(s.code for s in likely.loaded.plan.suppress)
    found = tuple(run_rules(Context(likely.loaded, sized), Needs.RESULT, (), skip))
    return replace(sized, problems=tuple(sorted_problems(list(found))))


def run_plan(
    path: str,
    *,
    text: bytes | None = None,
    read: ReadPlan = read_working_tree,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    confidence: float | None = None,
) -> Checked:
    """Take one plan along the route: every problem, and its evaluation when nothing stops it.

    ``text`` is the plan's bytes when it does not come from the file at ``path`` (a git
    revision, standard input); ``read`` reads the plans it extends.  ``select`` and
    ``ignore`` choose rules by code prefix; errors that stop the route are always kept.
    ``confidence`` sizes the plan to reach its target with that probability (else the
    plan's own ``confidence:``, else its likely values; docs/model.md §11).
    """
    select, ignore = tuple(select), tuple(ignore)
    loaded, problems = load_plan(path) if text is None else load_plan_text(path, text, read)
    if loaded is None:
        return Checked(path, _shown(problems, path, select, ignore))
    problems += _plan_problems(loaded, problems)
    if loaded.repaired or has_errors(problems):
        return Checked(path, _shown(problems, path, select, ignore))
    compiled = compile_plan(loaded.plan)
    evaluation = Evaluation(loaded, compiled, run(compiled.structure, compiled.params))
    level = loaded.plan.confidence if confidence is None else confidence
    if level is not None and not evaluation.result.target_met[0]:
        result, how = sized_to(evaluation.result, compiled.inputs, level)
        evaluation = Evaluation(loaded, compiled, result, confidence=how)
    skip = (*ignore, *(s.code for s in loaded.plan.suppress))
    found = list(run_rules(Context(loaded, evaluation), Needs.RESULT, select, skip))
    shown = _shown(problems + found, path, select, ignore)
    if has_errors(found):
        return Checked(path, shown)
    return Checked(path, shown, replace(evaluation, problems=shown))


def _plan_problems(loaded: LoadedPlan, before: list[Problem]) -> list[Problem]:
    """Return what the plan rules find that loading did not already report.

    A plan repaired past the schema's errors may have had a number moved to its bound: a
    sum of shares over it would misquote the plan, so SP211 is left out then.
    """
    seen = {(str(p.location), p.code) for p in before}
    left_out = {"SP211"} if loaded.moved else set()
    return [
        p
        for p in run_rules(Context(loaded), Needs.PLAN)
        if p.code not in left_out and (str(p.location), p.code) not in seen
    ]


def _shown(
    problems: list[Problem], path: str, select: tuple[str, ...], ignore: tuple[str, ...]
) -> tuple[Problem, ...]:
    """Return the problems to show, in file order, each naming the plan being checked."""
    kept = [p for p in problems if _stops(p) or selected(p.code, select, ignore)]
    return tuple(_via(p, path) for p in sorted_problems(kept))


def _stops(p: Problem) -> bool:
    """Return whether a problem stopped the plan loading (never filtered: nothing else ran)."""
    return p.severity is Severity.ERROR and p.code < "SP300"


def _via(p: Problem, path: str) -> Problem:
    """Name the checked plan in a problem located in a file it extends.

    A scenario's problem points at the line that causes it, often in its base plan; several
    scenarios of one base would otherwise print the same location with nothing to tell
    which plan it came from.
    """
    where = p.location.path
    if not where or os.path.realpath(where) == os.path.realpath(path):
        return p
    return replace(p, message=f"{p.message} (checking {path}, which builds on this file)")


def run_spec(spec: str, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Checked:
    """Take a plan named as a file or ``REV:path`` (a file at a git revision) along the route.

    A plan read at a revision reads the plans it extends at the same revision.  Raise
    :class:`~salesplan.load.git.SourceError` when the plan cannot be read at all.
    """
    path, text = read_spec(spec)
    if text is None:
        return run_plan(path, select=select, ignore=ignore)
    rev = spec.split(":", 1)[0]
    return run_plan(path, text=text, read=at_revision(rev), select=select, ignore=ignore)


def check_files(
    paths: Iterable[str], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Problem]:
    """Check several plan files in one process; problems in file order."""
    return [p for path in paths for p in run_plan(path, select=select, ignore=ignore).problems]
