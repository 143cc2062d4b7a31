"""The command line: parse options, call the stages, choose the exit code.

This is the only module that talks to typer and the only place that exits.  Data goes to
stdout; problems, progress and messages go to stderr.  Exit codes: 0 clean, 1 problems
found (or a --fail-on gate tripped), 2 usage error (bad option, missing file).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TextIO

import typer

from salesplan import __version__
from salesplan.choices import CsvDialect, OutputFormat, Period, ProblemFormat

if TYPE_CHECKING:
    from salesplan.api import Evaluation
    from salesplan.diff import Side
    from salesplan.problems import Problem
    from salesplan.report.table import Report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

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


class Stage(StrEnum):
    """Company stages that `init` has a starter plan for."""

    SEED = "seed"
    SERIES_A = "series-a"
    SERIES_B = "series-b"
    GROWTH = "growth"


# -- options shared by the report commands (defined once) ----------------------------------
PlanArg = Annotated[
    Path, typer.Argument(metavar="PLAN", help="Plan file (YAML).", show_default=False)
]
FormatOpt = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        help="Output format: a Rich table (text is the same), CSV, JSON or markdown.",
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically); '-' is stdout."
    ),
]
PeriodOpt = Annotated[Period, typer.Option("--period", "-p", help="Group months into periods.")]
TableOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--table", "-t", metavar="NAME", help="Only this table (repeatable; see docs/tables.md)."
    ),
]
WidthOpt = Annotated[
    int | None,
    typer.Option("--width", min=60, max=400, help="Table width (default: the terminal's)."),
]
DialectOpt = Annotated[
    CsvDialect,
    typer.Option(
        "--csv-dialect",
        help="CSV flavour: rfc (RFC 4180), excel (UTF-8 BOM), excel-semicolon (BOM, ';' and "
        "decimal commas for comma-decimal locales).",
    ),
]


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


# -- check ---------------------------------------------------------------------------------
@app.command()
def check(
    plans: Annotated[
        list[Path],
        typer.Argument(metavar="PLAN...", help="Plan files to check.", show_default=False),
    ],
    fmt: Annotated[
        ProblemFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json or github (the default under GitHub Actions) annotations.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="CODE", help="Only these codes (or prefixes)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODE", help="Skip these codes (or prefixes)."),
    ] = None,
) -> None:
    """Check plan files for CI: every problem as path:line:col: CODE severity: message.

    Exit 0 when clean, 1 when a plan has errors (or warnings under --strict), 2 when a file
    is missing or an option is wrong.
    """
    from salesplan.checking import check_files
    from salesplan.codes import CODES
    from salesplan.render import render_problems

    missing = [str(p) for p in plans if not p.exists()]
    if missing:
        _usage(f"no such file: {', '.join(missing)}")
    # A mistyped code would silently select nothing (or ignore nothing): refuse it.
    codes = sorted(c.code for c in CODES)
    asked = (*(select or ()), *(ignore or ()))
    unknown = [c for c in asked if not any(code.startswith(c) for code in codes)]
    if unknown:
        listed = ", ".join(map(repr, unknown))
        _usage(f"no check code is or starts with {listed} (codes run {codes[0]} to {codes[-1]})")
    if fmt is None:
        on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        fmt = ProblemFormat.GITHUB if on_actions else ProblemFormat.TEXT
    problems = check_files([str(p) for p in plans], select or (), ignore or ())
    text = render_problems(problems, fmt)
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    failing = [p for p in problems if strict or p.severity.value == "error"]
    if fmt is ProblemFormat.TEXT:
        errors = sum(p.severity.value == "error" for p in problems)
        warnings = len(problems) - errors
        _note(f"{len(plans)} plan(s) checked: {errors} error(s), {warnings} warning(s)")
    raise typer.Exit(EXIT_PROBLEMS if failing else EXIT_OK)


# -- plan ----------------------------------------------------------------------------------
@app.command()
def plan(
    plan_file: PlanArg,
    period: PeriodOpt = Period.QUARTER,
    table: TableOpt = None,
    fmt: FormatOpt = OutputFormat.TABLE,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print the plan: summary, headcount, hires, gaps, funnel, pipeline, revenue, pods,
    comp, costs and unit economics, from a revenue target to hires month by month."""
    from salesplan.api import plan_report

    evaluation = _evaluate(plan_file)
    report = plan_report(evaluation, period.value)
    _emit(report, fmt, output, width, csv_dialect, table)


# -- schema and init -----------------------------------------------------------------------
@app.command()
def schema(output: OutputOpt = None) -> None:
    """Print the JSON Schema of the plan format (for editors and validators)."""
    import json

    from salesplan.schema import json_schema

    _write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", output)


@app.command()
def init(
    stage: Annotated[Stage, typer.Option("--stage", "-s", help="Company stage.")] = Stage.SERIES_A,
    output: Annotated[
        str, typer.Option("--output", "-o", metavar="FILE", help="Where to write the plan.")
    ] = "plan.yaml",
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented starter plan for a company stage (never overwrites without --force).

    Also writes plan.schema.json beside it, if there is none, so editors can validate and
    complete the plan.
    """
    from importlib.resources import files

    text = files("salesplan").joinpath("starters", f"{stage.value}.yaml").read_text("utf-8")
    if output != "-" and os.path.exists(output) and not force:
        _usage(f"{output} exists; use --force to overwrite it")
    _write(text, output)
    if output == "-":
        return
    # The starter's first line points editors at plan.schema.json beside it.
    schema_path = os.path.join(os.path.dirname(output) or ".", "plan.schema.json")
    if os.path.exists(schema_path):
        _note(f"wrote {output} (kept the existing {schema_path}); try: salesplan plan {output}")
        return
    import json

    from salesplan.schema import json_schema

    _write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n", schema_path)
    _note(f"wrote {output} (and {schema_path} for editors); try: salesplan plan {output}")


# -- diff and compare ----------------------------------------------------------------------
BaseArg = Annotated[
    str,
    typer.Argument(
        metavar="BASE",
        help="Plan file, or REV:path: the file at a git revision.",
        show_default=False,
    ),
]
HeadArg = Annotated[
    str, typer.Argument(metavar="HEAD", help="Plan file, or REV:path.", show_default=False)
]


@app.command()
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
    from salesplan.diff import diff_report, parse_gate, tripped, unchecked
    from salesplan.report.outcomes import key_outcomes

    base_side, head_side = _sides([base, head])
    before, after = key_outcomes(base_side.evaluation), key_outcomes(head_side.evaluation)
    try:
        gates = [parse_gate(spec, [*before, *after]) for spec in fail_on or ()]
    except ValueError as err:
        _usage(str(err))
    _emit(diff_report(base_side, head_side), fmt, output, width, csv_dialect, table)
    messages = tripped(gates, before, after)
    for message in [*messages, *unchecked(gates, before, after)]:
        _note(message)
    raise typer.Exit(EXIT_PROBLEMS if messages else EXIT_OK)


@app.command()
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
    currencies = sorted({s.evaluation.result.structure.currency for s in sides})
    if len(currencies) > 1:
        _note(f"the plans use different currencies ({', '.join(currencies)})")
    report = compare_report(
        [s.label for s in sides], [key_outcomes(s.evaluation) for s in sides], currencies[0]
    )
    _emit(report, fmt, output, width, csv_dialect, table)


def _sides(specs: list[str]) -> list[Side]:
    """Load every side, or print every side's problems and exit 1 (2 on a usage error)."""
    from salesplan.api import PlanError
    from salesplan.diff import SideError, load_side

    sides, failed = [], False
    for spec in specs:
        try:
            sides.append(load_side(spec))
        except SideError as err:
            _usage(str(err))
        except PlanError as err:
            _note(f"{spec} cannot be planned:")
            _problems(err.problems)
            failed = True
    if failed:
        raise typer.Exit(EXIT_PROBLEMS)
    return sides


# -- simulate and sensitivity --------------------------------------------------------------
PROGRESS_FROM_TRIALS = 50_000  # below this a run takes a few seconds: no bar


@app.command()
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
    from salesplan.api import simulate_report

    evaluation = _evaluate(plan_file)
    show = trials >= PROGRESS_FROM_TRIALS and sys.stderr.isatty()
    if not show:
        report = simulate_report(evaluation, trials, seed, confidence)
    else:
        from rich.console import Console
        from rich.progress import Progress

        with Progress(console=Console(stderr=True), transient=True) as bar:
            task = bar.add_task("simulating", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            report = simulate_report(evaluation, trials, seed, confidence, advance)
    _emit(report, fmt, output, width, csv_dialect, table)


@app.command()
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
    from salesplan.api import sensitivity_report

    evaluation = _evaluate(plan_file)
    # The bars are a picture of the effect column: CSV and JSON carry the numbers alone.
    bars = fmt in (OutputFormat.TABLE, OutputFormat.TEXT, OutputFormat.MARKDOWN)
    _emit(sensitivity_report(evaluation, swing, bars), fmt, output, width, csv_dialect, table)


# -- pods, comp and economics --------------------------------------------------------------
@app.command()
def pods(
    plan_file: PlanArg,
    at: Annotated[
        str | None,
        typer.Option("--at", metavar="YYYY-MM", help="Month of the layout (default: the last)."),
    ] = None,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print each pod template's pods at a month: members (fractional ones shared between
    pods), capacity and utilisation per role, pods by period, and the slack whole pods cost
    against role-by-role staffing."""
    from salesplan.api import pods_report
    from salesplan.report.pods import month_index

    evaluation = _evaluate(plan_file)
    try:
        month_index(evaluation.result, at)  # a bad --at is a usage error; nothing else is
    except ValueError as err:
        _usage(str(err))
    _emit(pods_report(evaluation, at, period.value), fmt, output, width, csv_dialect, table)


@app.command()
def comp(
    plan_file: PlanArg,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print pay per role (OTE, base/variable, quota, commission rate, quota : OTE, pay basis,
    pooled share, loaded cost per head) and what it costs by period."""
    from salesplan.api import comp_report

    evaluation = _evaluate(plan_file)
    _emit(comp_report(evaluation, period.value), fmt, output, width, csv_dialect, table)


@app.command()
def economics(
    plan_file: PlanArg,
    period: PeriodOpt = Period.QUARTER,
    fmt: FormatOpt = OutputFormat.TABLE,
    table: TableOpt = None,
    output: OutputOpt = None,
    width: WidthOpt = None,
    csv_dialect: DialectOpt = CsvDialect.RFC,
) -> None:
    """Print unit economics per tier and blended by period: CAC, CRC, CAC : CRC, payback,
    LTV, LTV : CAC and the magic number, with the cost by role and marketing by motion."""
    from salesplan.api import economics_report

    evaluation = _evaluate(plan_file)
    _emit(economics_report(evaluation, period.value), fmt, output, width, csv_dialect, table)


# -- helpers -------------------------------------------------------------------------------
def _evaluate(path: Path) -> Evaluation:
    """Load and run a plan, or print its problems to stderr and exit 1 (2 if missing)."""
    from salesplan.api import PlanError, evaluate, load

    if not path.exists():
        _usage(f"no such file: {path}")
    try:
        return evaluate(load(str(path)))
    except PlanError as err:
        _problems(err.problems)
        raise typer.Exit(EXIT_PROBLEMS) from None


def _problems(problems: list[Problem]) -> None:
    from salesplan.render import render_problems

    sys.stderr.write(render_problems(problems, ProblemFormat.TEXT))


def _select_tables(report: Report, names: list[str] | None) -> Report:
    if not names:
        return report
    known = [t.name for t in report.tables]
    unknown = [n for n in names if n not in known]
    if unknown:
        _usage(f"no table {', '.join(unknown)}; tables: {', '.join(known)}")
    return report.only(names)


def _emit(
    report: Report,
    fmt: OutputFormat,
    output: str | None,
    width: int | None,
    csv_dialect: CsvDialect = CsvDialect.RFC,
    tables: list[str] | None = None,
) -> None:
    """Render a report (only ``tables``, when named) and write it to stdout or a file."""
    from salesplan.render import render_report

    report = _select_tables(report, tables)

    to_stdout = output in (None, "-")
    color = to_stdout and use_color(sys.stdout, os.environ)
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns if to_stdout else 100
    text = render_report(report, fmt, width=width, color=color, csv_dialect=csv_dialect)
    _write(text, output)


def use_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Return whether to colour what goes to ``stream``: only a terminal, and never when
    ``NO_COLOR`` holds anything (no-color.org: an empty value does not count)."""
    return stream.isatty() and not environ.get("NO_COLOR")


def _write(text: str, output: str | None) -> None:
    from salesplan.render import OutputError, write_output

    try:
        write_output(text, output, stdout=sys.stdout)
    except OutputError as err:
        _usage(str(err))


def _note(message: str) -> None:
    sys.stderr.write(f"salesplan: {message}\n")


def _usage(message: str) -> NoReturn:
    sys.stderr.write(f"salesplan: error: {message}\n")
    raise typer.Exit(EXIT_USAGE)


def main() -> None:
    """Run the command line."""
    app(prog_name="salesplan")
