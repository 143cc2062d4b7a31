"""``salesplan track PLAN ACTUALS``: the plan against what happened, and where it is heading."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat, Period
from salesplan.cli.common import EXIT_PROBLEMS, emit, note, print_problems, project_config, usage
from salesplan.cli.options import (
    DialectOpt,
    FormatOpt,
    OutputOpt,
    PeriodOpt,
    PlanArg,
    TableOpt,
    WidthOpt,
)

ActualsArg = Annotated[
    Path,
    typer.Argument(metavar="ACTUALS", help="CSV of actuals (docs/actuals.md).", show_default=False),
]


def track(
    plan_file: PlanArg,
    actuals: ActualsArg,
    period: PeriodOpt = Period.MONTH,
    table: TableOpt = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Compare a plan with its actuals: variance by period and year to date (funnel, new
    MRR, ARR, customers, heads, starts, marketing), realised conversion rates with a 90%
    credible interval, days in stage, and where ARR ends at the current pace.

    The plan's problems, then the actuals', go to stderr as `check PLAN --actuals FILE`
    prints them; errors in either exit 1, a missing file 2.  Example:

        salesplan track configs/series-a.yaml configs/actuals/series-a-2027-q1.csv
    """
    from salesplan.pipeline import run_actuals, run_plan
    from salesplan.report.track import track_report

    missing = [str(p) for p in (plan_file, actuals) if not p.exists()]
    if missing:
        usage(f"no such file: {', '.join(missing)}")
    settings = project_config().settings(str(plan_file))
    select, ignore = settings.select, settings.ignore
    checked = run_plan(str(plan_file), select=select, ignore=ignore)
    print_problems(checked.problems)
    if checked.evaluation is None:
        note(f"{actuals} was not read: the plan {plan_file} has errors")
        raise typer.Exit(EXIT_PROBLEMS)
    evaluation = checked.evaluation
    read = run_actuals(evaluation, str(actuals), select=select, ignore=ignore)
    print_problems(read.problems)
    if read.actuals is None:
        raise typer.Exit(EXIT_PROBLEMS)
    tracked = evaluation.track(evaluation.actual_arrays(read.actuals), period)
    report = track_report(evaluation, tracked, str(actuals))
    emit(report, fmt, output, width, csv_dialect, table)
