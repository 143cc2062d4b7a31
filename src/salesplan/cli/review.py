"""``salesplan diff`` and ``compare``: review plan changes and set plans side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat
from salesplan.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    emit,
    note,
    print_problems,
    project_config,
    usage,
)
from salesplan.cli.options import (
    BaseArg,
    DialectOpt,
    FormatOpt,
    HeadArg,
    OutputOpt,
    TableOpt,
    WidthOpt,
)

if TYPE_CHECKING:
    from salesplan.report.diff import Side


def diff(
    base: BaseArg,
    head: HeadArg,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    fail_on: Annotated[
        list[str] | None,
        typer.Option(
            "--fail-on",
            metavar="METRIC:[+|-]N[%]",
            help="Exit 1 when an outcome (a metric key of the report) moves beyond N or N%, "
            "e.g. heads:+5, heads:ae:+2, sm_cost:+500000, cac:smb:+5%, cac:+10% (cac and crc: "
            "blended and every tier), ending_arr:-5%; no sign means either way (repeatable).  "
            "A gate never trips on an n/a outcome; one n/a on only one side gets a note.",
        ),
    ] = None,
) -> None:
    """Review a plan change: the inputs that changed (with their lines in each file), then
    outcome deltas (ARR, revenue, S&M cost, CAC/CRC by tier, heads by role, hires, gaps).

    A side may be REV:path, e.g. origin/main:configs/plan.yaml, read with git show; its
    relative extends resolves from the working tree.  Exit 0 when both plans load, 1 when a
    side has errors or a --fail-on gate trips, 2 on usage errors.
    """
    from salesplan.report.diff import diff_report
    from salesplan.report.gates import parse_gate, tripped, unchecked
    from salesplan.report.outcomes import key_outcomes

    base_side, head_side = _sides([base, head])
    before, after = key_outcomes(base_side.evaluation), key_outcomes(head_side.evaluation)
    try:
        gates = [parse_gate(spec, [*before, *after]) for spec in fail_on or ()]
    except ValueError as err:
        usage(str(err))
    emit(diff_report(base_side, head_side), fmt, output, width, csv_dialect, table)
    messages = tripped(gates, before, after)
    for message in [*messages, *unchecked(gates, before, after)]:
        note(message)
    raise typer.Exit(EXIT_PROBLEMS if messages else EXIT_OK)


def compare(
    plans: Annotated[
        list[str],
        typer.Argument(
            metavar="PLAN...",
            help="Plan files (or REV:path) to set side by side.",
            show_default=False,
        ),
    ],
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print key outcomes of plans side by side: ending ARR, first-year revenue, S&M cost,
    CAC/CRC by tier, heads at end by role, hires, requisitions and capacity gaps."""
    from salesplan.report.outcomes import compare_report, key_outcomes

    sides = _sides(plans)
    currencies = sorted({s.evaluation.plan.structure.currency for s in sides})
    if len(currencies) > 1:
        note(f"the plans use different currencies ({', '.join(currencies)})")
    report = compare_report(
        [s.label for s in sides], [key_outcomes(s.evaluation) for s in sides], currencies[0]
    )
    emit(report, fmt, output, width, csv_dialect, table)


def _sides(specs: list[str]) -> list[Side]:
    """Take every plan along the route, printing its problems; exit 1 when one cannot be
    planned (after printing every side's problems), 2 when one cannot be read at all."""
    from salesplan.load.git import SourceError, spec_path
    from salesplan.pipeline import run_spec
    from salesplan.report.diff import Side

    config = project_config()
    try:
        runs = []
        for spec in specs:
            settings = config.settings(spec_path(spec))
            runs.append((spec, run_spec(spec, select=settings.select, ignore=settings.ignore)))
    except SourceError as err:
        usage(str(err))
    sides = []
    for spec, checked in runs:
        if checked.evaluation is None:
            note(f"{spec} cannot be planned:")
        else:
            sides.append(Side(spec, checked.evaluation))
        print_problems(checked.problems)
    if len(sides) < len(runs):
        raise typer.Exit(EXIT_PROBLEMS)
    return sides
