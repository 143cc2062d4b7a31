"""``salesplan diff`` and ``compare``: review plan changes and set plans side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat
from salesplan.cli.common import (
    EXIT_OK,
    EXIT_PROBLEMS,
    STDIN,
    STDIN_LABEL,
    note,
    one_stdin,
    print_problems,
    project_config,
    run_named,
    usage,
)
from salesplan.cli.options import (
    BaseArg,
    DialectOpt,
    FormatOpt,
    HeadArg,
    OutputOpt,
    PagerOpt,
    TableOpt,
    WidthOpt,
)
from salesplan.cli.output import destination, emit
from salesplan.cli.parsing import Example

if TYPE_CHECKING:
    from salesplan.report.diff import Side

# The formats a person reads a diff in: only the outcomes that moved are listed.
READERS_FORMATS = frozenset(
    {OutputFormat.TABLE, OutputFormat.TEXT, OutputFormat.MARKDOWN, OutputFormat.HTML}
)


# Shown under each command's --help (tests run every one).
EXAMPLES: dict[str, tuple[Example, ...]] = {
    "diff": (
        (
            "salesplan diff configs/series-a.yaml configs/scenarios/hire-faster.yaml",
            "what a scenario changes",
        ),
        (
            "salesplan diff HEAD:configs/series-a.yaml configs/series-a.yaml -f markdown",
            "your edits as a pull-request comment",
        ),
        (
            "salesplan diff configs/series-a.yaml configs/scenarios/lower-win-rate.yaml "
            "--fail-on heads:+5",
            "exit 1 if heads at the end rise by more than 5",
        ),
    ),
    "compare": (("salesplan compare configs/scenarios/*.yaml", "the scenarios side by side"),),
}


def diff(
    base: BaseArg,
    head: HeadArg,
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
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

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    base_side, head_side = _sides([base, head])
    before, after = key_outcomes(base_side.evaluation), key_outcomes(head_side.evaluation)
    try:
        gates = [parse_gate(spec, [*before, *after]) for spec in fail_on or ()]
    except ValueError as err:
        usage(str(err))
    # People read only what moved; programs (JSON, CSV, a workbook) get every outcome.
    changed_only = where.fmt in READERS_FORMATS
    emit(diff_report(base_side, head_side, gates, changed_only=changed_only), where)
    messages = tripped(gates, before, after)
    for message in [*messages, *unchecked(gates, before, after)]:
        note(message)
    raise typer.Exit(EXIT_PROBLEMS if messages else EXIT_OK)


def compare(
    plans: Annotated[
        list[str],
        typer.Argument(
            metavar="PLAN",
            help="Plan files (or REV:path, or - for stdin) to set side by side.",
            show_default=False,
        ),
    ],
    fmt: FormatOpt = None,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
    no_pager: PagerOpt = False,
) -> None:
    """Print key outcomes of plans side by side: ending ARR, first-year revenue, S&M cost,
    CAC/CRC by tier, heads at end by role, hires, requisitions and capacity gaps."""
    from salesplan.report.outcomes import compare_report, key_outcomes

    where = destination(fmt, output, width, csv_dialect, table, no_pager)
    sides = _sides(plans)
    currencies = sorted({s.evaluation.plan.structure.currency for s in sides})
    if len(currencies) > 1:
        note(f"the plans use different currencies ({', '.join(currencies)})")
    report = compare_report(
        [s.label for s in sides], [key_outcomes(s.evaluation) for s in sides], currencies[0]
    )
    emit(report, where)


def _sides(specs: list[str]) -> list[Side]:
    """Take every plan along the route, printing its problems; exit 1 when one cannot be
    planned (after printing every side's problems), 2 when one cannot be read at all."""
    from salesplan.load.git import SourceError, spec_path
    from salesplan.pipeline import run_spec
    from salesplan.report.diff import Side

    one_stdin(specs)
    config = project_config()
    try:
        runs = []
        for spec in specs:
            if spec == STDIN:
                settings = config.settings(STDIN_LABEL)
                checked = run_named(spec, select=settings.select, ignore=settings.ignore)
                runs.append((STDIN_LABEL, checked))
                continue
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
