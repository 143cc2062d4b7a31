"""``salesplan plan``, ``pods``, ``comp`` and ``economics``: the plan and its views."""

from __future__ import annotations

from typing import Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat, Period
from salesplan.cli.common import emit, evaluate, usage
from salesplan.cli.options import (
    ConfidenceOpt,
    DialectOpt,
    FormatOpt,
    OutputOpt,
    PeriodOpt,
    PlanArg,
    TableOpt,
    WidthOpt,
)


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
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    confidence: ConfidenceOpt = None,
) -> None:
    """Print the plan's first screen: will its hires reach the target, what it costs, what
    to do now, people by role.  --all adds every table: summary, board, headcount, hires,
    gaps, funnel, pipeline, revenue, pods, comp, costs and unit economics.

    CSV is one table: the plan by year unless --table names another.
    """
    from salesplan.report.plan import plan_report
    from salesplan.report.screen import PRIMARY, screen_report

    evaluation = evaluate(plan_file, confidence)
    outlook = evaluation.outlook()
    if every or table:
        report = plan_report(evaluation, outlook, period)
    else:
        report = screen_report(evaluation, outlook)
        if fmt is OutputFormat.CSV:
            report = report.only([PRIMARY])
    emit(report, fmt, output, width, csv_dialect, table)


def pods(
    plan_file: PlanArg,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="YYYY-MM", help="Month of the layout (default: the last)."),
    ] = None,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print each pod template's pods at a month: members (fractional ones shared between
    pods), capacity and utilisation per role, pods by period, and the slack whole pods cost
    against role-by-role staffing."""
    from salesplan.report.pods import month_index, pods_report

    evaluation = evaluate(plan_file)
    s = evaluation.plan.structure
    try:
        month_index(s.start, s.months, at)  # a bad --at is a usage error; nothing else is
    except ValueError as err:
        usage(str(err))
    emit(pods_report(evaluation, at, period), fmt, output, width, csv_dialect, table)


def comp(
    plan_file: PlanArg,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print pay per role (OTE, base/variable, quota, commission rate, quota : OTE, pay basis,
    pooled share, loaded cost per head) and what it costs by period."""
    from salesplan.report.comp import comp_report

    evaluation = evaluate(plan_file)
    emit(comp_report(evaluation, period), fmt, output, width, csv_dialect, table)


def economics(
    plan_file: PlanArg,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print unit economics per tier and blended by period: CAC, CRC, CAC : CRC, payback,
    LTV, LTV : CAC and the magic number, with the cost by role and marketing by motion."""
    from salesplan.report.economics import economics_report

    evaluation = evaluate(plan_file)
    emit(economics_report(evaluation, period), fmt, output, width, csv_dialect, table)
