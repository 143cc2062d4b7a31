"""The command line: the ``salesplan`` app and its commands, registered here in help order.

The cli package is the only code that talks to typer and the only place that exits.  Each
command module holds thin commands over the stages (:mod:`salesplan.pipeline`, reports,
renderers); what they share is defined once in :mod:`salesplan.cli.options` and
:mod:`salesplan.cli.common`.
"""

from __future__ import annotations

from typing import Annotated

import typer

from salesplan import __version__
from salesplan.cli import ask, check, plan, reforecast, report, review, setup, simulate, track

app = typer.Typer(
    name="salesplan",
    help=(
        "Plan a B2B SaaS sales org from a revenue target: the funnel, the hires month by "
        "month, PODs, and CAC/CRC per tier.  Plans are YAML files; see `salesplan init`."
    ),
    no_args_is_help=True,
    add_completion=False,
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


for command in (
    check.check,
    plan.plan,
    report.report,
    setup.schema,
    setup.init,
    review.diff,
    review.compare,
    simulate.simulate,
    simulate.sensitivity,
    track.track,
    reforecast.reforecast,
    ask.solve,
    ask.explain,
    plan.pods,
    plan.comp,
    plan.economics,
):
    app.command()(command)


def main() -> None:
    """Run the command line."""
    app(prog_name="salesplan")
