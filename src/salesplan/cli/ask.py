"""``salesplan solve`` and ``explain``: ask the plan what meets a goal, and why a number is so."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat
from salesplan.cli.common import EXIT_PROBLEMS, emit, evaluate, print_problems, usage, write
from salesplan.cli.options import DialectOpt, FormatOpt, OutputOpt, PlanArg, TableOpt, WidthOpt

if TYPE_CHECKING:
    from salesplan.engine.solve import Solution
    from salesplan.pipeline import Evaluation


def solve(
    plan_file: PlanArg,
    key: Annotated[
        str | None,
        typer.Option(
            "--for",
            metavar="KEY",
            help="The plan input to solve for, by its key path: roles.ae.comp.quota, "
            "tiers.smb.motions.inbound.stages.sql.rate (a stage by name or position), "
            "target.ending_arr, ...",
        ),
    ] = None,
    goal: Annotated[
        str | None,
        typer.Option(
            "--to",
            metavar="GOAL",
            help="The goal, METRIC<=N or METRIC>=N: planned again (heads, heads:ROLE, hires, "
            "gaps, sm_cost, sm_share, cac, cac:TIER, payback, payback:TIER, ltv_cac), "
            "forwards with the plan's hires (ending_arr, new_arr, new_customers, "
            "first_year_revenue, months_short) or simulated (probability>=0.8).",
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            metavar="AMOUNT",
            min=0,
            help="Solve the largest target whose S&M cost over the plan stays within AMOUNT "
            "(the same as --for target.<kind> --to sm_cost<=AMOUNT).",
        ),
    ] = None,
    low: Annotated[
        float | None,
        typer.Option("--low", help="Lowest value to search (default: from the plan's value)."),
    ] = None,
    high: Annotated[
        float | None,
        typer.Option("--high", help="Highest value to search (default: from the plan's value)."),
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            min=1e-12,
            max=0.1,
            help="Stop when the answer is within this share of the largest value searched.",
        ),
    ] = 1e-6,
    trials: Annotated[
        int,
        typer.Option(
            "--trials", "-n", min=10, max=100_000, help="Drawn worlds for a probability goal."
        ),
    ] = 1_000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed for a probability goal.")
    ] = 0,
    write_plan: Annotated[
        Path | None,
        typer.Option(
            "--write-plan",
            metavar="FILE",
            help="Write a plan that extends PLAN with the solved value, then check it.",
        ),
    ] = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Solve for the value of one plan input that meets a goal, e.g. --for roles.ae.comp.quota
    --to payback<=18, or the largest target a budget allows (--budget 4500000).

    A grid of values runs in one batch, then the interval where the goal starts to hold is
    narrowed to the tolerance; the report says whether the outcome moves one way with the
    input.  Exit 0 when a value (or every value) meets the goal, 1 when none does.
    """
    from salesplan.engine.goals import budget_goal
    from salesplan.report.solve import solve_report

    if budget is not None and (key or goal):
        usage("--budget is --for target.<kind> --to sm_cost<=AMOUNT: give one or the other")
    if budget is None and not (key and goal):
        usage("give --for KEY and --to GOAL, or --budget AMOUNT")
    evaluation = evaluate(plan_file)
    key = key or f"target.{evaluation.plan.structure.target_kind}"
    wanted = goal if goal is not None else budget_goal(float(budget or 0.0))
    try:
        solution = evaluation.solve(
            key, wanted, low=low, high=high, rtol=tolerance, trials=trials, seed=seed
        )
    except ValueError as err:
        usage(str(err))
    written = ""
    if write_plan is not None:
        written = _write_plan(evaluation, solution, plan_file, write_plan)
    emit(solve_report(evaluation, solution, written), fmt, output, width, csv_dialect, table)
    if solution.status == "unmet":
        raise typer.Exit(EXIT_PROBLEMS)


def _write_plan(evaluation: Evaluation, solution: Solution, base: Path, target: Path) -> str:
    """Write the scenario of a solved value, check it, and return a line that says so."""
    from salesplan.cli.common import note
    from salesplan.load.scenario import scenario_text
    from salesplan.pipeline import run_plan
    from salesplan.report.solve import written_line

    if solution.status != "solved" or solution.value is None:
        note(f"no plan written to {target}: nothing was solved")
        return ""
    lv = solution.lever
    comments = [
        f"Solved by salesplan solve: {lv.name} for {solution.goal.text}.",
        f"It changes one value of {base.name}; see docs/model.md §13.",
    ]
    data = evaluation.loaded.source.data
    write(
        scenario_text(str(base), str(target), data, lv.path, solution.value, comments), str(target)
    )
    checked = run_plan(str(target))
    if checked.evaluation is None:
        print_problems(checked.problems)
        note(f"the plan written to {target} does not pass check")
        raise typer.Exit(EXIT_PROBLEMS)
    outcome = checked.evaluation.outcome_for(
        evaluation, lv.name, solution.goal, trials=max(solution.trials, 1), seed=solution.seed
    )
    currency = evaluation.plan.structure.currency
    return written_line(str(target), solution, outcome, len(checked.problems), currency)


def explain(
    plan_file: PlanArg,
    quantity: Annotated[
        list[str],
        typer.Argument(
            metavar="QUANTITY",
            help="KIND [NAMES] PERIOD, e.g. heads ae 2027-06, need se 2027-03, new_mrr 2027-01, "
            "cac mid_market 2027-Q2; a period is YYYY-MM, YYYY-Qn, YYYY or plan.  Kinds: heads, "
            "starts, need, capacity, cost (a role); new_mrr, new_arr, new_customers, mrr, arr, "
            "customers, revenue, marketing (a tier, or every tier); volume TIER MOTION STAGE; "
            "sm_cost; cac, crc, payback, ltv, ltv_capped, ltv_cac (a tier or blended).",
            show_default=False,
        ),
    ],
    depth: Annotated[
        int,
        typer.Option(
            "--depth",
            min=1,
            max=60,
            help="Levels of steps to show; a step cut short names the quantity that explains it.",
        ),
    ] = 3,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="A tree (table, text), markdown, JSON or CSV (a row a step); default: a tree "
            "on a terminal, JSON otherwise.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Explain a number the plan prints: each step's formula (docs/model.md) with its
    numbers, down to the plan's inputs and the lines that set them (following extends)."""
    import os
    import shutil
    import sys

    from salesplan.cli.common import use_color
    from salesplan.render.tree import render_tree
    from salesplan.report.explain import explain_report, explain_tree

    evaluation = evaluate(plan_file)
    try:
        explained = evaluation.explain(quantity, depth)
    except ValueError as err:
        usage(str(err))
    tree = explain_tree(evaluation, explained, str(plan_file))
    to_stdout = output in (None, "-")
    if fmt is None:
        terminal = to_stdout and sys.stdout.isatty()
        fmt = OutputFormat.TABLE if terminal else OutputFormat.JSON
    if fmt is OutputFormat.CSV:
        emit(explain_report(tree), fmt, output, width, csv_dialect)
        return
    color = to_stdout and use_color(sys.stdout, os.environ)
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns if to_stdout else 100
    write(render_tree(tree, fmt, width=width, color=color), output)
