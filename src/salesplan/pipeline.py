"""The one route from a plan file to every answer.

    read (bounded YAML, ``extends``) ─► schema ─► plan rules ─► compile ─► run ─► result rules

Every command (``plan``, ``check``, ``pods``, ``comp``, ``economics``, ``diff``, ``compare``,
``simulate``, ``sensitivity``) and the Python API go through :func:`run_plan`, so a report
prints exactly the problems ``check`` finds for the same plan.  Each stage returns problems
as values; the route stops at the first stage with errors (nothing downstream of an error
can be trusted) and never prints or exits.  A file of actuals is read against a plan that
went the whole route (:func:`run_actuals`): its names and calendar are the plan's.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING

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
from salesplan.engine.outlook import Outlook, outlook
from salesplan.engine.run import PlanResult, run
from salesplan.engine.simulate import PLANNING_SAMPLE, Progress, Simulation, simulate_plan
from salesplan.engine.view import PlanView, variant_of
from salesplan.load.plan import LoadedPlan, load_plan, load_plan_text
from salesplan.load.sources import ReadPlan, read_working_tree
from salesplan.problems import Problem, Severity, has_errors, sorted_problems
from salesplan.problems.codes import selected

# What only some commands ask for (solve, explain, track, sensitivity, bottlenecks, actuals,
# plans at a git revision) is imported where it is asked for: every run would otherwise pay
# for modules it never calls (some 25 ms).
if TYPE_CHECKING:
    from salesplan.engine.actuals import ActualArrays
    from salesplan.engine.bottleneck import Bottlenecks
    from salesplan.engine.explain import Explained
    from salesplan.engine.goals import Goal
    from salesplan.engine.periods import Period
    from salesplan.engine.sensitivity import Sensitivity
    from salesplan.engine.solve import Solution
    from salesplan.engine.structure import Structure
    from salesplan.engine.track import Track
    from salesplan.load.actuals import Actuals, Key


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

    @cached_property
    def bottlenecks(self) -> Bottlenecks:
        """Return the binding role of each month and the worth of one more head of each role
        (docs/model.md §13), forwards with the plan's hires."""
        from salesplan.engine.bottleneck import bottlenecks

        return bottlenecks(self.result)

    def simulate(
        self,
        trials: int,
        seed: int,
        *,
        progress: Progress | None = None,
        sample: int = PLANNING_SAMPLE,
    ) -> Simulation:
        """Return ``trials`` drawn worlds run forwards with the plan's hires (docs/model.md §9);
        the first ``sample`` are re-planned for the heads the target needs."""
        return simulate_plan(
            self.result, self.compiled.inputs, trials, seed, progress=progress, sample=sample
        )

    def outlook(self, trials: int = QUICK_TRIALS, seed: int = QUICK_SEED) -> Outlook:
        """Return what the plan's hires deliver against its target and how likely it is
        (docs/model.md §11), from a quick seeded simulation."""
        return outlook(self.result, self.compiled.inputs, trials, seed)

    def sensitivity(self, swing: float) -> Sensitivity:
        """Return each input swung alone (its range, else ``± swing``) and what it does."""
        from salesplan.engine.sensitivity import sensitivity

        return sensitivity(self.result, self.compiled.inputs, swing)

    def probability(self, trials: int = QUICK_TRIALS, seed: int = QUICK_SEED) -> TargetProbability:
        """Return the probability that this plan reaches its target (docs/model.md §14).

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
        problems the result rules find in it (docs/model.md §14)."""
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

    def actual_arrays(self, actuals: Actuals) -> ActualArrays:
        """Return actuals read against this plan on the plan's axes (tiers, cells, stages,
        roles; months 0 … the last month of actuals)."""
        return actual_arrays(self.compiled.structure, actuals)

    def track(self, actual: ActualArrays, period: Period) -> Track:
        """Return the plan tracked against actual arrays: variance by ``period`` and to
        date, realised rates (intervals and the blend), days in stage and the pace line."""
        from salesplan.engine.realised import RateRanges
        from salesplan.engine.track import track

        ranges = RateRanges.of(self.compiled.inputs, len(self.compiled.structure.stages))
        return track(self.plan, actual, period, ranges)

    def solve(
        self,
        key: str,
        goal: Goal | str,
        *,
        low: float | None = None,
        high: float | None = None,
        rtol: float | None = None,
        trials: int | None = None,
        seed: int = 0,
    ) -> Solution:
        """Return the value of the input at key path ``key`` that meets ``goal``, or the best
        reachable outcome (docs/model.md §13); ValueError says why a key or goal cannot be
        solved.  ``rtol`` and ``trials`` default to solve's (1e-6 of the bracket, 1,000
        worlds a value for a probability goal)."""
        from salesplan.engine.goals import TRIALS
        from salesplan.engine.solve import RTOL, solve_for

        plan, compiled = self.loaded.plan, self.compiled
        return solve_for(
            plan, compiled, self.result, key, goal, low=low, high=high,
            rtol=RTOL if rtol is None else rtol, trials=TRIALS if trials is None else trials,
            seed=seed,
        )  # fmt: skip

    def explain(self, words: Sequence[str], depth: int | None = None) -> Explained:
        """Return the trace of the quantity ``words`` name (``heads ae 2027-06``) through
        docs/model.md's formulas to the plan's inputs, each with its line (docs/model.md §13),
        ``depth`` levels deep (default 3); ValueError says why the words name no quantity,
        or an undefined one."""
        from salesplan.engine.explain import DEPTH, Explained, inputs_of, parse_query
        from salesplan.engine.trace_periods import trace

        query = parse_query(words, self.plan.structure)
        step = trace(self.loaded.plan, self.result, query, DEPTH if depth is None else depth)
        data = self.loaded.source.data
        where = {p: (self.loaded.where(p), _written(data, p)) for p in inputs_of(step)}
        return Explained(query, step, where)

    def outcome_for(
        self, solved_from: Evaluation, key: str, goal: Goal, *, trials: int, seed: int
    ) -> float:
        """Return a goal's outcome for this plan as a solve of ``solved_from`` measured it
        (its hires for forwards and probability goals): a written plan's check."""
        from salesplan.engine.solve import outcome_for

        plan, compiled = self.loaded.plan, self.compiled
        return outcome_for(
            plan, compiled, self.result, solved_from.result, key, goal, trials=trials, seed=seed
        )


def _written(data: object, path: tuple[str | int, ...]) -> bool:
    """Return whether the merged plan data writes a value at ``path`` (else the schema's
    default is used)."""
    for part in path:
        there = isinstance(data, dict) and part in data
        there = there or (isinstance(data, list) and isinstance(part, int) and part < len(data))
        if not there:
            return False
        data = data[part]  # type: ignore[index]
    return True


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
    plan's own ``confidence:``, else its likely values; docs/model.md §14).
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


@dataclass(frozen=True)
class CheckedActuals:
    """An actuals file read against a plan: its problems, and its actuals if without errors."""

    path: str
    problems: tuple[Problem, ...] = field(default=())
    actuals: Actuals | None = None


def run_actuals(
    evaluation: Evaluation,
    path: str,
    *,
    text: bytes | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
) -> CheckedActuals:
    """Read an actuals file against a plan that went the whole route; never raise.

    ``text`` is the file's bytes when they do not come from ``path``.  ``select`` and
    ``ignore`` choose which problems to show, as for plans; the problems that stop the
    reading (the file, its CSV and its header, too many problems: SP500–SP508) are always
    shown.  The actuals are given only when the file has no errors.
    """
    from salesplan.load.actuals import PlanNames, read_actuals, read_actuals_file

    select, ignore = tuple(select), tuple(ignore)
    names = PlanNames.of(evaluation.loaded.plan)
    if text is None:
        actuals, problems = read_actuals_file(path, names)
    else:
        actuals, problems = read_actuals(path, text, names)
    kept = [p for p in problems if _stops_actuals(p) or selected(p.code, select, ignore)]
    return CheckedActuals(path, tuple(sorted_problems(kept)), actuals)


def actual_arrays(structure: Structure, actuals: Actuals) -> ActualArrays:
    """Lay actuals read against a plan on the plan's indexes (docs/actuals.md, metrics).

    Each metric's values go to the row of their tier, cell (tier and motion), stage or
    role; a metric's months are ``present``; marketing given per tier or per motion adds up
    to its total as well.  The actuals were read against the same plan's names, so every
    key has its row.
    """
    import numpy as np

    from salesplan.engine.actuals import METRIC_AXES, empty_arrays

    s = structure
    out = empty_arrays(len(s.tiers), len(s.cells), len(s.stages), len(s.roles), actuals.through)
    rows = {
        "tier": lambda k: s.tiers.index(k.tier),
        "cell": lambda k: s.cells.index((k.tier, k.motion)),
        "stage": lambda k: s.stages.index((s.cells.index((k.tier, k.motion)), k.stage)),
        "role": lambda k: s.roles.index(k.role),
    }
    present = {}
    for metric, months in actuals.months.items():
        present[metric] = np.isin(np.arange(out.months), months)
        target = out.series(metric)
        for key, values in actuals.values[metric].items():
            if metric == "marketing_cost":
                _add_marketing(out, s, key, months, values)
                continue
            target[rows[METRIC_AXES[metric]](key), months.start :] = values
    breakdown = actuals.breakdowns.get("marketing_cost", ())
    return replace(out, present=present, marketing_breakdown=tuple(breakdown))


def _add_marketing(
    out: ActualArrays, s: Structure, key: Key, months: range, values: tuple[float, ...]
) -> None:
    """Add one key's marketing to the total, and to its tier and cell where it names them."""
    out.marketing_cost[months.start :] += values
    if key.tier:
        out.marketing_by_tier[s.tiers.index(key.tier), months.start :] += values
    if key.motion:
        out.marketing_by_cell[s.cells.index((key.tier, key.motion)), months.start :] += values


def _stops_actuals(p: Problem) -> bool:
    """Return whether a problem stopped an actuals file's reading (never filtered)."""
    return p.severity is Severity.ERROR and "SP500" <= p.code < "SP510"


def _plan_problems(loaded: LoadedPlan, before: list[Problem]) -> list[Problem]:
    """Return what the plan rules find that loading did not already report.

    A plan repaired past the schema's errors may have had a share moved to its bound: a
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
    same = {"": True, path: True}  # whether a problem's file is the checked plan, by its path
    return tuple(_via(p, path, same) for p in sorted_problems(kept))


def _stops(p: Problem) -> bool:
    """Return whether a problem stopped the plan (never filtered: nothing after it ran).

    Errors of loading, plan rules and the engine's rules (SP1xx-SP3xx) all stop it; were
    one left out by ``select``, a plan refused would look clean.
    """
    return p.severity is Severity.ERROR and p.code < "SP400"


def _via(p: Problem, path: str, same: dict[str, bool]) -> Problem:
    """Name the checked plan in a problem located in a file it extends.

    A scenario's problem points at the line that causes it, often in its base plan; several
    scenarios of one base would otherwise print the same location with nothing to tell
    which plan it came from.
    """
    where = p.location.path
    if where not in same:  # resolved once a file: a plan's problems mostly share one
        same[where] = os.path.realpath(where) == os.path.realpath(path)
    if same[where]:
        return p
    return replace(p, message=f"{p.message} (checking {path}, which builds on this file)")


def run_spec(spec: str, *, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Checked:
    """Take a plan named as a file or ``REV:path`` (a file at a git revision) along the route.

    A plan read at a revision reads the plans it extends at the same revision.  Raise
    :class:`~salesplan.load.git.SourceError` when the plan cannot be read at all.
    """
    from salesplan.load.git import at_revision, read_spec

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
