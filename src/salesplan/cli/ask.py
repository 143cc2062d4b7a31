"""``salesplan solve`` and ``explain``: ask the plan what meets a goal, and why a number is so."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesplan.choices import FORMAT_OF_EXTENSION, CsvDialect, OutputFormat
from salesplan.cli.common import EXIT_PROBLEMS, evaluate, print_problems, usage
from salesplan.cli.options import (
    DialectOpt,
    FormatOpt,
    OutputOpt,
    PagerOpt,
    PlanArg,
    SeedOpt,
    TableOpt,
    WidthOpt,
    trials_option,
)
from salesplan.cli.output import destination, emit, page_or_write, write
from salesplan.cli.parsing import Example, in_range

if TYPE_CHECKING:
    from salesplan.engine.solve import Solution
    from salesplan.pipeline import Evaluation

# Shown under each command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "solve": (
        (
            "salesplan solve configs/series-a.yaml --for roles.ae.comp.quota --to 'payback<=30'",
            "the AE quota that brings CAC payback to 30 months",
        ),
        ("salesplan solve configs/series-a.yaml --budget 9000000", "the largest target $9M buys"),
    ),
    "explain": (
        ("salesplan explain configs/series-a.yaml need se 2027-03", "why the plan needs SEs"),
        (
            "salesplan explain configs/series-a.yaml cac mid_market 2027-Q2 -f markdown",
            "mid-market CAC, step by step, for a document",
        ),
    ),
}
# Formats a tree is drawn in; CSV and XLSX get its steps as a table.
TREE_FORMATS = frozenset(
    {OutputFormat.TABLE, OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.JSON}
)


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
            help="The goal, 'METRIC<=N' or 'METRIC>=N' (quoted: < and > are the shell's): "
            "planned again (heads, heads:ROLE, hires, gaps, sm_cost, sm_share, cac, cac:TIER, "
            "payback, payback:TIER, ltv_cac), "
            "forwards with the plan's hires (ending_arr, new_arr, new_customers, "
            "first_year_revenue, months_short) or simulated ('probability>=0.8').",
        ),
    ] = None,
    budget: Annotated[
        float | None,
        typer.Option(
            "--budget",
            metavar="AMOUNT",
            callback=in_range(0),
            help="Solve the largest target whose S&M cost over the plan stays within AMOUNT "
            "(the same as --for target.<kind> --to sm_cost<=AMOUNT).",
        ),
    ] = None,
    low: Annotated[
        float | None,
        typer.Option(
            "--low", metavar="X", help="Lowest value to search (default: from the plan's value)."
        ),
    ] = None,
    high: Annotated[
        float | None,
        typer.Option(
            "--high", metavar="X", help="Highest value to search (default: from the plan's value)."
        ),
    ] = None,
    tolerance: Annotated[
        float,
        typer.Option(
            "--tolerance",
            metavar="F",
            callback=in_range(1e-12, 0.1),
            help="Stop when the answer is within this share of the largest value searched, "
            "1e-12 to 0.1.",
        ),
    ] = 1e-6,
    trials: Annotated[
        int, trials_option(10, 100_000, "Drawn worlds for a probability goal, 10 to 100,000.")
    ] = 1_000,
    seed: SeedOpt = 0,
    write_plan: Annotated[
        Path | None,
        typer.Option(
            "--write-plan",
            metavar="FILE",
            help="Write a plan that extends PLAN with the solved value, then check it.",
        ),
    ] = None,
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Solve for the value of one plan input that meets a goal, or the largest target a budget
    allows: --for roles.ae.comp.quota --to 'payback<=18', or --budget 4500000.

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
    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    # An answer on a terminal says the plan's warnings in one line, as the first screen does.
    evaluation = evaluate(plan_file, fold_warnings=where.on_screen)
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
    emit(solve_report(evaluation, solution, written), where)
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
            metavar="N",
            callback=in_range(1, 60),
            help="Levels of quantities to expand, 1 to 60 (the steps that only gather a "
            "quantity's parts, and the plan's inputs, come with it); a quantity cut short "
            "names the query that explains it.",
        ),
    ] = 3,
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="A tree (table, text), markdown, JSON, or its steps as a table: csv (a row a "
            "step) or xlsx; default: by the extension of -o FILE, else a tree on a terminal "
            "and JSON otherwise.",
            show_default=False,
        ),
    ] = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Explain a number the plan prints: each step's formula (docs/model.md) with its
    numbers, down to the plan's inputs and the lines that set them (following extends)."""
    import sys

    from salesplan.render.tree import render_tree
    from salesplan.report.explain import explain_report, explain_tree

    where = destination(fmt, output, width, csv_dialect, None, no_pager)
    named = FORMAT_OF_EXTENSION.get(os.path.splitext(where.target or "")[1].lower())
    chosen = fmt is not None or named is not None or where.directory is not None
    if not chosen and not (where.to_stdout and sys.stdout.isatty()):
        # No format asked for and none named by -o: a tree for people, JSON for programs.
        where = replace(where, fmt=OutputFormat.JSON)
    if where.fmt is OutputFormat.HTML:
        usage("explain draws a tree as table, markdown or JSON, or its steps as csv or xlsx")
    evaluation = evaluate(plan_file, fold_warnings=where.on_screen)
    try:
        explained = evaluation.explain(quantity, depth)
    except ValueError as err:
        usage(str(err))
    tree = explain_tree(evaluation, explained, str(plan_file))
    if where.fmt not in TREE_FORMATS:
        emit(explain_report(tree), where)
        return
    shown = where.fmt
    page_or_write(lambda width, color: render_tree(tree, shown, width=width, color=color), where)
