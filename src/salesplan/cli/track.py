"""``salesplan track PLAN ACTUALS``: the plan against what happened, and where it is heading."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesplan.choices import CsvDialect, Period
from salesplan.cli.common import (
    EXIT_PROBLEMS,
    STDIN,
    note,
    print_problems,
    project_config,
    run_named,
    usage,
)
from salesplan.cli.options import (
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

if TYPE_CHECKING:
    from salesplan.load.actuals_data import Actuals
    from salesplan.pipeline import Evaluation

# Shown under the command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "track": (
        (
            "salesplan track configs/series-a.yaml configs/actuals/series-a-2027-q1.csv",
            "the first quarter against the plan",
        ),
        (
            "salesplan track configs/series-a.yaml configs/actuals/series-a-2027-q1.csv "
            "-p quarter -t revenue",
            "revenue against plan by quarter",
        ),
    ),
}

ActualsArg = Annotated[
    Path,
    typer.Argument(metavar="ACTUALS", help="CSV of actuals (docs/actuals.md).", show_default=False),
]


def track(
    plan_file: PlanArg,
    actuals: ActualsArg,
    period: PeriodOpt = Period.MONTH,
    table: TableOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Compare a plan with its actuals: variance by period and year to date (funnel, new
    MRR, ARR, customers, heads, starts, marketing), realised conversion rates with a 90%
    credible interval, days in stage, and where ARR ends at the current pace.

    The plan's problems, then the actuals', go to stderr as `check PLAN --actuals FILE`
    prints them; errors in either exit 1, a missing file 2.
    """
    from salesplan.report.track import track_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    evaluation, read = plan_and_actuals(plan_file, actuals)
    tracked = evaluation.track(evaluation.actual_arrays(read), period)
    report = track_report(evaluation, tracked, str(actuals))
    emit(report, where)


def plan_and_actuals(plan_file: Path, actuals: Path) -> tuple[Evaluation, Actuals]:
    """Take a plan and its actuals along the route, as ``check PLAN --actuals FILE`` does:
    the plan's problems, then the actuals', on stderr; errors in either exit 1, a missing
    file 2."""
    from salesplan.pipeline import run_actuals

    named = (plan_file, actuals)
    missing = [str(p) for p in named if str(p) != STDIN and not p.exists()]
    if missing:
        usage(f"no such file: {', '.join(missing)}")
    settings = project_config().settings(str(plan_file))
    select, ignore = settings.select, settings.ignore
    checked = run_named(str(plan_file), select=select, ignore=ignore)
    print_problems(checked.problems)
    if checked.evaluation is None:
        note(f"{actuals} was not read: the plan {plan_file} has errors")
        raise typer.Exit(EXIT_PROBLEMS)
    read = run_actuals(checked.evaluation, str(actuals), select=select, ignore=ignore)
    print_problems(read.problems)
    if read.actuals is None:
        raise typer.Exit(EXIT_PROBLEMS)
    return checked.evaluation, read.actuals
