"""``salesplan reforecast PLAN ACTUALS``: the rest of the plan, planned again from actuals."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat, Period, Rates
from salesplan.cli.common import (
    EXIT_PROBLEMS,
    note,
    print_problems,
    usage,
)
from salesplan.cli.options import (
    DialectOpt,
    FormatOpt,
    OutputOpt,
    PagerOpt,
    PeriodOpt,
    PlanArg,
    SeedOpt,
    TableOpt,
    WidthOpt,
    trials_option,
)
from salesplan.cli.output import destination, emit, write
from salesplan.cli.parsing import Example
from salesplan.cli.track import ActualsArg, plan_and_actuals

# Shown under the command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "reforecast": (
        (
            "salesplan reforecast configs/series-a.yaml configs/actuals/series-a-2027-q1.csv",
            "the rest of the year from the first quarter's actuals",
        ),
        (
            "salesplan reforecast configs/series-a.yaml configs/actuals/series-a-2027-q1.csv "
            "--rates blend --write-plan rebased.yaml",
            "carry blended rates forward and keep the re-based plan",
        ),
    ),
}


def reforecast(
    plan_file: PlanArg,
    actuals: ActualsArg,
    rates: Annotated[
        Rates,
        typer.Option(
            "--rates",
            help="Conversion rates to carry forward: the plan's, the realised ones, or the "
            "plan's blended with the realised by the evidence.",
        ),
    ] = Rates.PLAN,
    write_plan: Annotated[
        str | None,
        typer.Option(
            "--write-plan",
            metavar="FILE",
            help="Also write the reforecast as a plan file that extends PLAN (written "
            "atomically; never PLAN itself).",
        ),
    ] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Every table of the re-based plan after the reforecast.")
    ] = False,
    trials: Annotated[
        int,
        trials_option(
            0, 1_000_000, "Simulated worlds of the months left, 0 (forwards only) to 1,000,000."
        ),
    ] = 500,
    seed: SeedOpt = 0,
    period: PeriodOpt = Period.QUARTER,
    table: TableOpt = None,
    fmt: FormatOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Plan the rest of a plan again from where its actuals leave the company: re-solve the
    target that is left over the months that are left, re-plan the hires, and say what the
    company must now do (new MRR a month, entries a month by stage, hires more or fewer by
    when, requisitions to open), or that hiring can no longer reach the target, what it can
    reach and how likely that is (a seeded simulation of the months left).

    The plan's problems, then the actuals', go to stderr as `check PLAN --actuals FILE`
    prints them; errors in either exit 1, a missing file 2.  CSV is one table (the plan
    against the reforecast) unless --table names others.
    """
    from salesplan.reforecast.route import run_reforecast
    from salesplan.report.reforecast import PRIMARY, reforecast_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    if write_plan is not None:
        _writable(write_plan, (str(plan_file),))
    original, read = plan_and_actuals(plan_file, actuals)
    if write_plan is not None:
        source = original.loaded.source
        _writable(write_plan, (source.root.path, *(d.path for d in source.origins.values())))
    try:
        rf = run_reforecast(
            original, read, str(actuals), rates, path=write_plan, trials=trials, seed=seed
        )
    except ValueError as err:
        note(f"nothing to reforecast: {err}")
        raise typer.Exit(EXIT_PROBLEMS) from None
    if not rf.met and rf.evaluation is None:
        print_problems(rf.problems)
        note(f"the reforecast of {plan_file} cannot be planned (the problems above)")
        raise typer.Exit(EXIT_PROBLEMS)
    if write_plan is not None:
        if rf.met:
            note(f"{write_plan} was not written: the target is already met")
        else:
            write(rf.text, write_plan)
            note(f"wrote {write_plan} (extends {plan_file}); try: salesplan plan {write_plan}")
    report = reforecast_report(rf, period, every or bool(table))
    if where.fmt is OutputFormat.CSV and where.directory is None and not table:
        report = report.only([PRIMARY])
    emit(report, where)


def _writable(path: str, sources: tuple[str, ...]) -> None:
    """Refuse to write the re-based plan over the plan or a plan it extends (usage error)."""
    target = os.path.realpath(path)
    for source in sources:
        if os.path.realpath(source) == target:
            usage(f"--write-plan {path}: that is {source}, which the reforecast extends")
    if os.path.isdir(target):
        usage(f"--write-plan {path}: it is a directory")
