"""``salesplan simulate`` and ``sensitivity``: what the plan's uncertain inputs do."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat
from salesplan.cli.common import emit, evaluate
from salesplan.cli.options import DialectOpt, FormatOpt, OutputOpt, PlanArg, TableOpt, WidthOpt

# A progress bar on stderr (a terminal's) once a simulation runs this many chunks of trials.
PROGRESS_FROM_CHUNKS = 3


def simulate(
    plan_file: PlanArg,
    trials: Annotated[
        int,
        typer.Option(
            "--trials", "-n", min=1, max=1_000_000, help="Trials to draw (1 to 1,000,000)."
        ),
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
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Simulate the plan's hiring against its uncertain inputs (values given as ranges):
    P10/P50/P90 of new customers, new ARR, ending ARR, first-year revenue, S&M cost and
    CAC by tier, the probability of reaching the target, and the heads per role the target
    needs at a confidence.  The hiring plan and top-of-funnel volume are held fixed."""
    from salesplan.engine.simulate import chunk_size
    from salesplan.report.simulate import simulate_report

    evaluation = evaluate(plan_file)
    chunk = chunk_size(evaluation.plan.structure, evaluation.plan.heads.shape[1])
    show = trials >= PROGRESS_FROM_CHUNKS * chunk and sys.stderr.isatty()
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
    emit(simulate_report(evaluation, sim, confidence), fmt, output, width, csv_dialect, table)


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
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Swing each input alone across its range (or ±swing) and show tornadoes of the effect
    on heads at the end, sales and marketing cost, CAC and ending ARR, largest first."""
    from salesplan.report.simulate import sensitivity_report

    evaluation = evaluate(plan_file)
    # The bars are a picture of the effect column: CSV and JSON carry the numbers alone.
    bars = fmt in (OutputFormat.TABLE, OutputFormat.TEXT, OutputFormat.MARKDOWN)
    report = sensitivity_report(evaluation, evaluation.sensitivity(swing), bars)
    emit(report, fmt, output, width, csv_dialect, table)
