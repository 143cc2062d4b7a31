"""``salesplan report``: the plan for a board deck, as one self-contained HTML page."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from salesplan.choices import Period
from salesplan.cli.common import evaluate, usage, write
from salesplan.cli.options import OutputOpt, PeriodOpt, PlanArg

REPORT_TRIALS = 2_000


def report(
    plan_file: PlanArg,
    output: OutputOpt = None,
    period: PeriodOpt = Period.QUARTER,
    trials: Annotated[
        int,
        typer.Option(
            "--trials", "-n", min=1, max=100_000, help="Trials for the P10–P90 bands and odds."
        ),
    ] = REPORT_TRIALS,
    seed: Annotated[
        int, typer.Option("--seed", min=0, help="Random seed; the same seed gives the same page.")
    ] = 0,
    swing: Annotated[
        float,
        typer.Option(
            "--swing", min=0.01, max=0.9, help="Swing of an input with no range (0.2: ±20%)."
        ),
    ] = 0.2,
) -> None:
    """Write the plan as one HTML page for a board deck: the headline, ARR and new ARR by
    month with their P10–P90 band, heads by role, the hiring timeline, the funnel, CAC,
    payback and NRR by tier, the sensitivity tornado, every table, the plan's inputs and
    its problems.  Self-contained (no network) and made to print.

    Example: salesplan report configs/series-a.yaml -o board.html
    """
    from salesplan.render.html import render_html
    from salesplan.report.board_report import board_report

    if output in (None, "-") and sys.stdout.isatty():
        usage("report writes an HTML page: give -o FILE (for example -o board.html)")
    evaluation = evaluate(plan_file)
    outlook = evaluation.outlook(trials, seed)
    sens = evaluation.sensitivity(swing)
    write(render_html(board_report(evaluation, outlook, sens, period)), output)
