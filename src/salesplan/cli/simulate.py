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
    SeedOpt,
    TableOpt,
    WidthOpt,
    trials_option,
)
from salesplan.cli.output import destination, emit
from salesplan.cli.parsing import Example, in_range

# A progress bar on stderr (a terminal's) once a simulation runs this many chunks of trials.
PROGRESS_FROM_CHUNKS = 3
MAX_TRIALS = 1_000_000


# Shown under each command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "simulate": (
        ("salesplan simulate configs/series-a.yaml -n 2000", "2,000 trials with seed 0"),
        (
            "salesplan simulate configs/series-a.yaml -n 2000 --seed 7 --confidence 0.9",
            "another seed, and the heads enough in 90% of trials",
        ),
    ),
    "sensitivity": (
        (
            "salesplan sensitivity configs/series-a.yaml --swing 0.3",
            "±30% where an input has no range",
        ),
    ),
}


def simulate(
    plan_file: PlanArg,
    trials: Annotated[
        int, trials_option(1, MAX_TRIALS, f"Trials to draw, 1 to {MAX_TRIALS:,}.")
    ] = 10_000,
    seed: SeedOpt = 0,
    confidence: Annotated[
        float,
        typer.Option(
            "--confidence",
            metavar="P",
            callback=in_range(0.01, 0.99),
            help="Confidence for the heads the target needs, 0.01 to 0.99 (0.8: enough in "
            "80% of trials).",
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
    from salesplan.engine.simulate import chunk_size
    from salesplan.report.simulate import simulate_report

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
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
    emit(simulate_report(evaluation, sim, confidence), where)


def sensitivity(
    plan_file: PlanArg,
    swing: Annotated[
        float,
        typer.Option(
            "--swing",
            metavar="F",
            callback=in_range(0.01, 0.9),
            help="Fraction to swing an input with no range, 0.01 to 0.9 (0.2: ±20%).",
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
