"""The command line: the ``salesplan`` app and its commands, registered here in help order.

The cli package is the only code that talks to typer and the only place that exits.  Each
command module holds thin commands over the stages (:mod:`salesplan.pipeline`, reports,
renderers) and the examples its help shows; what they share is defined once in
:mod:`salesplan.cli.options`, :mod:`salesplan.cli.common` and :mod:`salesplan.cli.output`;
:mod:`salesplan.cli.parsing` makes the help and the usage errors read as salesplan's own.
Shell completion is Typer's (``--install-completion``, ``--show-completion``): it costs
``--help`` nothing, as Typer loads its completion code only when a shell asks.
"""

from __future__ import annotations

import os
from typing import Annotated

import typer

from salesplan import __version__
from salesplan.cli import (
    ask,
    check,
    plan,
    reforecast,
    report,
    review,
    setup,
    simulate,
    track,
)
from salesplan.cli.parsing import Command, Group, examples_epilog

EXAMPLES = (
    ("salesplan init --stage series-a -o plan.yaml", "start a plan"),
    ("salesplan check plan.yaml", "every problem in it"),
    ("salesplan plan configs/series-a.yaml", "the example Series A plan"),
    ("salesplan plan configs/series-a.yaml -o plan.xlsx", "every table in a workbook"),
)

# The commands are registered here and built by the app when one is first looked up: a run
# builds only the command it runs (see salesplan.cli.parsing.Commands).
commands = typer.Typer()


class App(Group):
    """The ``salesplan`` group, whose commands are those registered on ``commands``."""

    source = commands


app = typer.Typer(
    name="salesplan",
    cls=App,
    help=(
        "Plan a B2B SaaS sales org from a revenue target: the funnel, the hires month by "
        "month, PODs, and CAC/CRC per tier.  Plans are YAML files; see `salesplan init`."
    ),
    epilog=examples_epilog(EXAMPLES),
    no_args_is_help=True,
    add_completion=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"salesplan {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Plan a B2B SaaS sales org from a revenue target."""


for module, command in (
    (check, check.check),
    (plan, plan.plan),
    (report, report.report),
    (setup, setup.schema),
    (setup, setup.init),
    (review, review.diff),
    (review, review.compare),
    (simulate, simulate.simulate),
    (simulate, simulate.sensitivity),
    (track, track.track),
    (reforecast, reforecast.reforecast),
    (ask, ask.solve),
    (ask, ask.explain),
    (plan, plan.pods),
    (plan, plan.comp),
    (plan, plan.economics),
):
    epilog = examples_epilog(module.EXAMPLES[command.__name__])
    commands.command(cls=Command, epilog=epilog)(command)


def main() -> None:
    """Run the command line.

    pydantic's plugins are off unless ``PYDANTIC_DISABLE_PLUGINS`` says otherwise: a plan is
    validated the same way whatever else is installed beside salesplan, and finding plugins
    would read the entry points of every installed package (3 ms with salesplan's own
    dependencies, more in a crowded environment).

    numpy's OpenBLAS works on one thread unless ``OPENBLAS_NUM_THREADS`` says otherwise
    (numpy is not imported yet, so it reads this when it is).  salesplan's matrix products
    are tiny, and the threads OpenBLAS starts beside the first spin while they wait for
    work: on a 2-core machine that was a quarter of ``salesplan plan``'s CPU time and made
    it slower by the clock too.  Every figure is the same either way.  The Python API
    leaves both settings alone.
    """
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    app(prog_name="salesplan")
