"""The Python API: load a plan, run it, get its tables and problems.

>>> import salesplan.api as sp                                        # doctest: +SKIP
>>> ev = sp.evaluate("configs/series-a.yaml")                         # doctest: +SKIP
>>> ev.plan.heads             # numpy [role, month] of the plan        # doctest: +SKIP
>>> sp.plan_report(ev, "quarter").table("headcount").records()        # doctest: +SKIP

Everything goes through :func:`salesplan.pipeline.run_plan`, the route the command line
takes, so a plan that ``salesplan check`` rejects raises :class:`PlanError` here with the
same problems, and ``Evaluation.problems`` holds the warnings ``check`` would print.
"""

from __future__ import annotations

from salesplan.choices import Period
from salesplan.engine.outlook import Outlook
from salesplan.pipeline import Evaluation, run_plan
from salesplan.problems import Problem, sorted_problems
from salesplan.report.comp import comp_report as _comp
from salesplan.report.economics import economics_report as _economics
from salesplan.report.plan import plan_report as _plan
from salesplan.report.pods import pods_report as _pods
from salesplan.report.table import Report

__all__ = [
    "Evaluation",
    "PlanError",
    "comp_report",
    "economics_report",
    "evaluate",
    "plan_report",
    "pods_report",
]


class PlanError(Exception):
    """A plan that cannot be used; ``problems`` says where and why."""

    def __init__(self, problems: list[Problem] | tuple[Problem, ...]) -> None:
        self.problems = sorted_problems(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def evaluate(path: str) -> Evaluation:
    """Load, check and run a plan file; raise PlanError with located problems."""
    checked = run_plan(path)
    if checked.evaluation is None:
        raise PlanError(checked.problems)
    return checked.evaluation


def plan_report(
    evaluation: Evaluation, period: str = "quarter", outlook: Outlook | None = None
) -> Report:
    """Return ``salesplan plan --all`` as a Report: the first screen, then every table.

    ``outlook`` is what the plan's hires deliver and how likely the target is
    (``evaluation.outlook()``, a quick seeded simulation, when not given).
    """
    return _plan(evaluation, outlook or evaluation.outlook(), Period(period))


def pods_report(evaluation: Evaluation, at: str | None = None, period: str = "quarter") -> Report:
    """Return the tables of ``salesplan pods`` at month ``at`` (YYYY-MM; default the last).

    Raise ValueError for a month outside the plan.
    """
    return _pods(evaluation, at, Period(period))


def comp_report(evaluation: Evaluation, period: str = "quarter") -> Report:
    """Return the tables of ``salesplan comp``: pay per role and its cost by period."""
    return _comp(evaluation, Period(period))


def economics_report(evaluation: Evaluation, period: str = "quarter") -> Report:
    """Return the tables of ``salesplan economics``: CAC, CRC, payback, LTV and costs."""
    return _economics(evaluation, Period(period))
