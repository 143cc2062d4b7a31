"""``salesplan report``: the plan for a board deck, as one self-contained HTML page."""

from __future__ import annotations

import os
import sys
from typing import Annotated

import typer

from salesplan.choices import FORMAT_OF_EXTENSION, OutputFormat, Period
from salesplan.cli.common import evaluate, usage
from salesplan.cli.options import FileOpt, PeriodOpt, PlanArg, SeedOpt, trials_option
from salesplan.cli.output import with_article, write
from salesplan.cli.parsing import Example, in_range

REPORT_TRIALS = 2_000
MAX_TRIALS = 100_000

# Shown under the command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "report": (
        (
            "salesplan report configs/series-a.yaml -o board.html",
            "the board page, to open or print",
        ),
        (
            "salesplan report configs/series-a.yaml -n 500 --seed 3 -o board.html",
            "fewer trials for the bands, another seed",
        ),
    ),
}


def report(
    plan_file: PlanArg,
    output: FileOpt = None,
    period: PeriodOpt = Period.QUARTER,
    trials: Annotated[
        int,
        trials_option(
            1, MAX_TRIALS, f"Trials for the P10–P90 bands and odds, 1 to {MAX_TRIALS:,}."
        ),
    ] = REPORT_TRIALS,
    seed: SeedOpt = 0,
    swing: Annotated[
        float,
        typer.Option(
            "--swing",
            metavar="F",
            callback=in_range(0.01, 0.9),
            help="Swing of an input with no range, 0.01 to 0.9 (0.2: ±20%).",
        ),
    ] = 0.2,
) -> None:
    """Write the plan as one HTML page for a board deck: the headline, ARR and new ARR by
    month with their P10–P90 band, heads by role, the hiring timeline, the funnel, CAC,
    payback and NRR by tier, the sensitivity tornado, every table, the plan's inputs and
    its problems.  Self-contained (no network) and made to print.
    """
    from salesplan.render.html import render_html
    from salesplan.render.output import STDOUT_TARGETS
    from salesplan.report.board_report import board_report

    if (output is None or output in STDOUT_TARGETS) and sys.stdout.isatty():
        usage("report writes an HTML page: give -o FILE (for example -o board.html)")
    named = FORMAT_OF_EXTENSION.get(os.path.splitext(output or "")[1].lower())
    if named is not None and named is not OutputFormat.HTML:
        usage(
            f"-o {output} names {with_article(named.value)} file; report writes HTML "
            "(-o board.html)"
        )
    evaluation = evaluate(plan_file)
    outlook = evaluation.outlook(trials, seed)
    sens = evaluation.sensitivity(swing)
    write(render_html(board_report(evaluation, outlook, sens, period)), output)
