"""``salesplan simulate`` and ``sensitivity``: what the plan's uncertain inputs do."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat
from salesplan.cli.common import evaluate
from salesplan.cli.options import (
    DialectOpt,
    FormatOpt,
    OutputOpt,
    PagerOpt,
    PlanArg,
    TableOpt,
    WidthOpt,
)
from salesplan.cli.output import destination, emit

PROGRESS_FROM_TRIALS = 50_000  # below this a run takes a few seconds: no bar


def simulate(
    plan_file: PlanArg,
    trials: Annotated[
        int, typer.Option("--trials", "-n", min=1, max=10_000_000, help="Trials to draw.")
    ] = 10_000,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed; the same seed gives the same output.")
    ] = 0,
    confidence: Annotated[
        float,
        typer.Option(
            "--confidence",
            min=0.01,
            max=0.99,
            help="Confidence for the heads the target needs (0.8: enough in 80% of trials).",
        ),
    ] = 0.8,
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Simulate the plan's hiring against its uncertain inputs (values given as ranges):
    P10/P50/P90 of new customers, new ARR, ending ARR, first-year revenue, S&M cost and
    CAC by tier, the probability of reaching the target, and the heads per role the target
    needs at a confidence.  The hiring plan and top-of-funnel volume are held fixed."""
    from salesplan.report.simulate import simulate_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    evaluation = evaluate(plan_file)
    show = trials >= PROGRESS_FROM_TRIALS and sys.stderr.isatty()
    if not show:
        sim = evaluation.simulate(trials, seed)
    else:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("simulating", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            sim = evaluation.simulate(trials, seed, progress=advance)
    emit(simulate_report(evaluation, sim, confidence), where)


def sensitivity(
    plan_file: PlanArg,
    swing: Annotated[
        float,
        typer.Option(
            "--swing",
            min=0.01,
            max=0.9,
            help="Fraction to swing an input with no range (0.2: ±20%).",
        ),
    ] = 0.2,
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Swing each input alone across its range (or ±swing) and show tornadoes of the effect
    on heads at the end, sales and marketing cost, CAC and ending ARR, largest first."""
    from salesplan.report.simulate import sensitivity_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    evaluation = evaluate(plan_file)
    # The bars are a picture of the effect column: CSV and JSON carry the numbers alone.
    bars = where.fmt in (OutputFormat.TABLE, OutputFormat.TEXT, OutputFormat.MARKDOWN)
    report = sensitivity_report(evaluation, evaluation.sensitivity(swing), bars)
    emit(report, where)
