"""The tables of ``salesplan solve``: the value that meets a goal, and the values tried first.

The engine's :class:`~salesplan.engine.solve.Solution` is laid out here: one row with the
answer (or the best reachable outcome), the grid that shows how the outcome moves with the
input, and a sentence or two that say it plainly.  Column names are the CSV headers and
JSON keys (docs/tables.md).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from salesplan.engine.goals import METRICS
from salesplan.engine.solve import SPLITS, Solution
from salesplan.report.table import AS_WRITTEN, NA, Cell, Column, Kind, Report, Table, with_meta

if TYPE_CHECKING:
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

# How an input's number is shown, by what it measures: (kind, unit, digits).
INPUT_COLUMNS: dict[str, tuple[Kind, str, int]] = {
    "money": (MONEY, "", 0),
    "months": (NUMBER, "months", AS_WRITTEN),
    "days": (NUMBER, "days", AS_WRITTEN),
    "heads": (COUNT, "heads", 0),
    "hours": (NUMBER, "hours", AS_WRITTEN),
    "years": (NUMBER, "years", AS_WRITTEN),
}
# How an outcome is shown, by what it measures: (kind, unit, digits).
OUTCOME_COLUMNS: dict[str, tuple[Kind, str, int]] = {
    "money": (MONEY, "", 0),
    "rate": (RATE, "", 1),
    "count": (COUNT, "", 1),
    "months": (NUMBER, "months", 1),
    "number": (NUMBER, "", 2),
}
UNDEFINED = {
    "cac": "no new customers at this value, or the opening base already meets the target",
    "payback": "no new customers at this value, or the opening base already meets the target",
    "ltv_cac": "no CAC or no churn at this value, or the opening base already meets the target",
    "first_year_revenue": "the plan is shorter than a year",
    "sm_share": "no revenue at this value, or the opening base already meets the target",
}
ALREADY_MET = "the opening base already meets the target at this value"


def _input_column(name: str, title: str, solution: Solution) -> Column:
    kind, unit, digits = INPUT_COLUMNS.get(solution.lever.unit, (NUMBER, "", AS_WRITTEN))
    if kind is MONEY and solution.tolerance < 1:
        digits = 2
    return Column(name, title, kind, unit, digits)


def _outcome_column(name: str, title: str, solution: Solution) -> Column:
    kind, unit, digits = OUTCOME_COLUMNS[METRICS[solution.goal.metric].unit]
    if solution.goal.metric in ("heads", "hires", "gaps", "months_short"):
        digits = 0
    return Column(name, title, kind, unit, digits)


def _outcome(value: float | None, solution: Solution) -> Cell:
    """Return an outcome cell: the number, or n/a with why it is undefined."""
    if value is None or not math.isfinite(value):
        return NA(UNDEFINED.get(solution.goal.metric, ALREADY_MET))
    return float(value)


STATUS = {
    "solved": "solved",
    "everywhere": "every value meets the goal",
    "unmet": "no value meets the goal",
}


def solve_report(evaluation: Evaluation, solution: Solution, written: str = "") -> Report:
    """Return the tables of ``salesplan solve`` for one solution.

    ``written`` is a line about the plan ``--write-plan`` wrote, when it wrote one.
    """
    s = evaluation.plan.structure
    goal = solution.goal
    meta = {
        "currency": s.currency,
        "plan": s.plan_name,
        "input": solution.lever.name,
        "goal": goal.text,
        "grid_points": str(len(solution.grid)),
        "splits": str(SPLITS),
    }
    if solution.trials:
        meta |= {"trials": str(solution.trials), "seed": str(solution.seed)}
    summary = list(solve_lines(solution, s.currency))
    if written:
        summary.append(written)
    tables = (_answer_table(solution), _grid_table(solution))
    return Report(
        kind="solve",
        title=f"Solve: {s.plan_name}",
        tables=with_meta(tables, meta),
        meta=meta,
        summary=tuple(summary),
    )


def _answer_table(solution: Solution) -> Table:
    """One row: the input, the goal, the plan's value and outcome, the answer."""
    goal, lv = solution.goal, solution.lever
    metric = METRICS[goal.metric]
    columns = (
        Column("input", "Input", TEXT),
        Column("goal", "Goal", TEXT),
        Column("status", "Status", TEXT),
        _input_column("plan_value", "Plan value", solution),
        _outcome_column("plan_outcome", "Outcome at the plan value", solution),
        _input_column("solved_value", "Solved value", solution),
        _outcome_column("solved_outcome", "Outcome at the solved value", solution),
        Column("meets", "Values that meet the goal", TEXT),
        _input_column("best_value", "Best value", solution),
        _outcome_column("best_outcome", "Best outcome", solution),
        _input_column("low", "Searched from", solution),
        _input_column("high", "Searched to", solution),
        Column("tolerance", "Tolerance", NUMBER, digits=AS_WRITTEN),
        Column("trend", "Outcome as the input rises", TEXT),
        Column("crossings", "Crossings in the grid", COUNT),
        Column("evaluations", "Variants run", COUNT),
    )
    not_solved = NA("no value in the searched range meets the goal")
    everywhere = NA("every value searched meets the goal")
    if solution.status == "solved":
        solved: Cell = _plan_number(solution.value, lv.integer)
        solved_outcome = _outcome(solution.outcome, solution)
        side = "at least" if solution.above else "at most"
        meets: Cell = f"{side} the solved value"
        best: tuple[Cell, Cell] = (NA("the goal is met"), NA("the goal is met"))
    else:
        reason = not_solved if solution.status == "unmet" else everywhere
        solved, solved_outcome = reason, reason
        meets = "none" if solution.status == "unmet" else "all"
        found = solution.best
        best = (
            (_plan_number(found[0], lv.integer), _outcome(found[1], solution))
            if found is not None
            else (reason, reason)
        )
    row: tuple[Cell, ...] = (
        lv.name,
        f"{goal.text} ({metric.title})",
        STATUS[solution.status],
        _plan_number(lv.value, lv.integer),
        _outcome(solution.at_plan, solution),
        solved,
        solved_outcome,
        meets,
        *best,
        solution.low,
        solution.high,
        float(f"{solution.tolerance:.6g}"),
        solution.trend,
        float(solution.crossings),
        float(solution.evaluations),
    )
    tolerance = (
        "one whole unit" if lv.integer else f"{_rtol(solution):g} of the largest value searched"
    )
    notes = [
        f"The first {len(solution.grid)} values tried are in the next table; each round "
        f"then tries up to {SPLITS} values inside the interval where the goal starts to hold, "
        f"until it is narrower than the tolerance ({tolerance}).",
        _measured(solution),
    ]
    return Table("solve", "Solution", columns, (row,), key_columns=2, notes=tuple(notes))


def _rtol(solution: Solution) -> float:
    """Return the tolerance as a share of the largest value searched."""
    scale = max(abs(solution.low), abs(solution.high))
    return float(f"{solution.tolerance / scale:.3g}") if scale else solution.tolerance


def _measured(solution: Solution) -> str:
    """Return how the goal's outcome is measured, in a sentence."""
    family = solution.goal.family
    if family == "planned":
        return (
            "Outcome: the plan planned again for its target with the input at each value "
            "(docs/model.md §1-6)."
        )
    if family == "forwards":
        return (
            "Outcome: the plan's hires and arrivals held fixed and run forwards with the "
            "input at each value (docs/model.md §9)."
        )
    return (
        f"Outcome: the share of {solution.trials} drawn worlds (seed {solution.seed}, the "
        "same worlds for every value, the input set in each) whose forwards figure of the "
        "target's kind reaches the target, with the plan's hires (docs/model.md §9)."
    )


def _grid_table(solution: Solution) -> Table:
    """The values tried first and the outcome at each: how the outcome moves."""
    columns = (
        _input_column("value", "Value", solution),
        _outcome_column("outcome", "Outcome", solution),
        Column("meets_goal", "Meets the goal", TEXT),
    )
    ok = solution.goal.meets(solution.outcomes)
    rows = tuple(
        (
            _plan_number(float(x), solution.lever.integer),
            _outcome(float(y), solution),
            ("yes" if good else "no") if math.isfinite(y) else "n/a",
        )
        for x, y, good in zip(solution.grid, solution.outcomes, ok, strict=True)
    )
    return Table(
        "solve_grid",
        f"{solution.lever.name}: the values tried first",
        columns,
        rows,
        notes=(f"{solution.goal.key}: {METRICS[solution.goal.metric].title}.",),
    )


def _plan_number(value: float | None, integer: bool) -> Cell:
    """Return an input's value as the plan would hold it (whole numbers whole)."""
    if value is None:
        return None
    return float(round(value)) if integer else float(value)


def solve_lines(solution: Solution, currency: str) -> tuple[str, ...]:
    """Return the answer in plain sentences (a ``!`` line when no value meets the goal)."""
    lv, goal = solution.lever, solution.goal
    metric = METRICS[goal.metric]

    def given(x: float) -> str:
        return _say(x, lv.unit, currency, lv.integer)

    def out(y: float | None) -> str:
        if y is None or not math.isfinite(y):
            return "n/a"
        return _say(y, metric.unit, currency, goal.metric in ("heads", "hires", "gaps"))

    plan = f"the plan's {given(lv.value)} gives {out(solution.at_plan)}"
    span = f"from {given(solution.low)} to {given(solution.high)}"
    shape = (
        f"the outcome {solution.trend} with the input over the {len(solution.grid)} values "
        f"tried {span}"
        if solution.trend in ("rises", "falls")
        else f"the outcome is {solution.trend} over the {len(solution.grid)} values tried {span}"
    )
    if solution.status == "unmet":
        if solution.best is None:
            return (f"! No value of {lv.name} {span} gives {goal.key} a defined value.",)
        value, best = solution.best
        return (
            f"! No value of {lv.name} {span} meets {goal.text}: the best is {out(best)} at "
            f"{given(value)} ({plan}).",
            f"{shape[0].upper()}{shape[1:]}.",
        )
    if solution.status == "everywhere":
        return (
            f"Every value of {lv.name} {span} meets {goal.text} ({plan}).",
            f"{shape[0].upper()}{shape[1:]}.",
        )
    assert solution.value is not None
    side = "Larger" if solution.above else "Smaller"
    many = (
        f"; the goal starts or stops holding in {solution.crossings} places, and this is the "
        "one nearest the plan's value"
        if solution.crossings > 1
        else ""
    )
    tol = "exactly (whole numbers)" if lv.integer else f"within {solution.tolerance:.3g}"
    return (
        f"{lv.name} = {given(solution.value)} meets {goal.text}: {metric.title} is "
        f"{out(solution.outcome)} there ({plan}).",
        f"{side} values meet it too: {shape}{many}, {tol} of where the goal starts to hold.",
    )


def _say(value: float, unit: str, currency: str, whole: bool = False) -> str:
    """Return a number for a sentence: money with separators and the currency, a rate as a
    percentage, months with one decimal, others as a plan writes them.

    >>> _say(4_664_220.0, "money", "USD"), _say(0.8, "rate", "USD"), _say(0.25221, "rate", "")
    ('4,664,220 USD', '80.0%', '25.221%')
    >>> _say(1.0, "months", "", True), _say(29.38, "months", "")
    ('1 month', '29.4 months')
    """
    if unit == "money":
        return f"{value:,.0f} {currency}".strip()
    if unit == "rate":
        text = f"{value * 100:.3f}".rstrip("0")
        return f"{text}0%" if text.endswith(".") else f"{text}%"
    if unit == "months":
        if whole or float(value).is_integer():
            return f"{value:.0f} month" + ("" if round(value) == 1 else "s")
        return f"{value:.1f} months"
    if whole or float(value).is_integer():
        return f"{value:,.0f}"
    return f"{round(value, 6):g}"


def written_line(
    path: str, solution: Solution, outcome: float, warnings: int, currency: str
) -> str:
    """Return the sentence about a plan ``--write-plan`` wrote and checked."""
    lv, goal = solution.lever, solution.goal
    unit = METRICS[goal.metric].unit
    value = _say(float(solution.value or 0.0), lv.unit, currency, lv.integer)
    got = _say(outcome, unit, currency) if math.isfinite(outcome) else "n/a"
    met = "meets" if goal.meets(np.array([outcome]))[0] else "misses"
    return (
        f"Wrote {path}: it extends the plan with {lv.name} = {value} and passes check "
        f"({warnings} warning(s)); read back from the file, {goal.key} is {got}, which "
        f"{met} the goal."
    )
