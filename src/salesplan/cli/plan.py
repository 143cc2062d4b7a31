"""``salesplan plan``, ``pods``, ``comp`` and ``economics``: the plan and its views."""

from __future__ import annotations

from typing import Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat, Period
from salesplan.cli.common import evaluate, usage
from salesplan.cli.options import (
    ConfidenceOpt,
    DialectOpt,
    FormatOpt,
    OutputOpt,
    PagerOpt,
    PeriodOpt,
    PlanArg,
    TableOpt,
    WidthOpt,
)
from salesplan.cli.output import destination, emit
from salesplan.cli.parsing import Example

# Shown under each command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "plan": (
        (
            "salesplan plan configs/series-a.yaml",
            "the first screen: will the hires reach the target",
        ),
        ("salesplan plan configs/series-a.yaml --all", "every table after it, in a pager"),
        ("salesplan plan configs/series-a.yaml -t headcount -p month", "one table, month by month"),
        ("salesplan plan configs/series-a.yaml -o plan.xlsx", "every table in a workbook"),
        ("salesplan plan configs/series-a.yaml -o tables/", "one CSV file per table"),
        ("salesplan plan - < configs/series-a.yaml", "the plan read from stdin"),
    ),
    "pods": (("salesplan pods configs/series-a.yaml --at 2028-06", "the layout in June 2028"),),
    "comp": (
        ("salesplan comp configs/series-a.yaml -p year", "pay per role, and what it costs by year"),
    ),
    "economics": (
        ("salesplan economics configs/series-a.yaml -p year -t board", "the board figures by year"),
        (
            "salesplan economics configs/series-a.yaml -p plan -f json",
            "CAC, CRC and LTV over the whole plan, for scripts",
        ),
    ),
}


def plan(
    plan_file: PlanArg,
    every: Annotated[
        bool,
        typer.Option(
            "--all", help="Every table after the first screen (--table picks some of them)."
        ),
    ] = False,
    period: PeriodOpt = Period.QUARTER,
    table: TableOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    confidence: ConfidenceOpt = None,
    no_pager: PagerOpt = False,
) -> None:
    """Print the plan's first screen: will its hires reach the target (at the likely values,
    and the odds from 500 seeded simulated worlds), what it costs, what to do now, the money
    by year, people by role.  --all adds the heads and funnel charts and every table:
    summary, board, headcount, hires, gaps, funnel, pipeline, revenue, pods, comp, costs,
    unit economics, bottlenecks and one more head.  A workbook (-o plan.xlsx) or a
    directory (-o DIR/) takes every table.  On a terminal the plan's warnings are one line
    (salesplan check prints each); piped or redirected, each is printed in full.

    CSV to one stream is one table: the plan by year unless --table names another.
    """
    from salesplan.report.screen import screen_report, years_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    # A workbook or a directory of CSV files is where every table goes.
    every = every or where.fmt is OutputFormat.XLSX or where.directory is not None
    screen = not (every or table)
    # The first screen on a terminal must fit it: warnings there are one line.
    evaluation = evaluate(plan_file, confidence, fold_warnings=screen and where.on_screen)
    outlook = evaluation.outlook()
    if every or table:
        from salesplan.report.plan import plan_report  # every table: imported when asked for

        report = plan_report(evaluation, outlook, period)
    elif where.fmt is OutputFormat.CSV:
        # CSV to one stream is one table: the plan by year (-o DIR/ takes them all).
        report = years_report(evaluation, outlook)
    else:
        report = screen_report(evaluation, outlook)
    emit(report, where)


def pods(
    plan_file: PlanArg,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="YYYY-MM", help="Month of the layout (default: the last)."),
    ] = None,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Print each pod template's pods at a month: members (fractional ones shared between
    pods), capacity and utilisation per role, pods by period, and the slack whole pods cost
    against role-by-role staffing."""
    from salesplan.report.pods import month_index, pods_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    evaluation = evaluate(plan_file)
    s = evaluation.plan.structure
    try:
        month_index(s.start, s.months, at)  # a bad --at is a usage error; nothing else is
    except ValueError as err:
        usage(str(err))
    emit(pods_report(evaluation, at, period), where)


def comp(
    plan_file: PlanArg,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Print pay per role (OTE, base/variable, quota, commission rate, quota : OTE, pay basis,
    pooled share, loaded cost per head) and what it costs by period."""
    from salesplan.report.comp import comp_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    evaluation = evaluate(plan_file)
    emit(comp_report(evaluation, period), where)


def economics(
    plan_file: PlanArg,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Print unit economics per tier and blended by period: CAC, CRC, CAC : CRC, payback,
    LTV, LTV : CAC and the magic number, with the cost by role and marketing by motion."""
    from salesplan.report.economics import economics_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    evaluation = evaluate(plan_file)
    emit(economics_report(evaluation, period), where)
