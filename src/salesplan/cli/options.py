"""The options the commands share, each defined once (their help text is the user's)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from salesplan.choices import FORMAT_OF_EXTENSION, CsvDialect, OutputFormat, Period
from salesplan.cli.parsing import in_range

# The widths the terminal view may be asked for.
WIDTH_MIN, WIDTH_MAX = 60, 400


def extension_help() -> str:
    """Return the extensions ``-o FILE`` picks a format by, for the options' help.

    >>> extension_help()
    '.csv csv, .json json, .md markdown, .html html, .xlsx xlsx, .txt table'
    """
    return ", ".join(f"{ext} {fmt.value}" for ext, fmt in FORMAT_OF_EXTENSION.items())


PlanArg = Annotated[
    Path,
    typer.Argument(
        metavar="PLAN", help="Plan file (YAML); - reads it from stdin.", show_default=False
    ),
]
FormatOpt = Annotated[
    OutputFormat | None,
    typer.Option(
        "--format",
        "-f",
        help="Output format: table (the terminal view; text is the same), csv (one table), "
        "json, markdown, html or xlsx.  Default: by the extension of -o FILE "
        f"({extension_help()}), else table.",
        show_default=False,
    ),
]
OutputOpt = Annotated[
    str | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write to FILE (atomically; '-' is stdout); its extension picks the format.  "
        "A directory (DIR/) gets one CSV file per table, named TABLE.csv.",
    ),
]
FileOpt = Annotated[
    str | None,
    typer.Option(
        "--output", "-o", metavar="FILE", help="Write to FILE (atomically); '-' is stdout."
    ),
]
PagerOpt = Annotated[
    bool,
    typer.Option(
        "--no-pager",
        help="Print straight to the terminal, even when the view is longer than the screen "
        "(by default it opens in $PAGER, else less).",
    ),
]
PeriodOpt = Annotated[Period, typer.Option("--period", "-p", help="Group months into periods.")]
TableOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--table",
        "-t",
        metavar="NAME",
        help="Only this table, or chart, under the headline (repeatable; see docs/tables.md).",
    ),
]
ConfidenceOpt = Annotated[
    float | None,
    typer.Option(
        "--confidence",
        callback=in_range(0.05, 0.99),
        metavar="LEVEL",
        help="Size the plan to reach its target with this probability under its ranges, "
        "0.05 to 0.99 (0.8: in 80% of simulated worlds; default: the plan's confidence key, "
        "else its likely values).",
        show_default=False,
    ),
]


def trials_option(low: int, high: int, help: str) -> Any:
    """Return a command's ``--trials`` / ``-n`` option: its own range and help (each command
    draws worlds for its own purpose, so each has its own bounds and default)."""
    return typer.Option("--trials", "-n", metavar="N", callback=in_range(low, high), help=help)


SeedOpt = Annotated[
    int,
    typer.Option(
        "--seed",
        metavar="N",
        callback=in_range(0),
        help="Random seed, 0 or more; the same seed gives the same output.",
    ),
]
WidthOpt = Annotated[
    int | None,
    typer.Option(
        "--width",
        metavar="N",
        callback=in_range(WIDTH_MIN, WIDTH_MAX),
        help=f"Width of the terminal view in columns, {WIDTH_MIN} to {WIDTH_MAX} "
        "(default: the terminal's; 100 into a file).",
    ),
]
DialectOpt = Annotated[
    CsvDialect,
    typer.Option(
        "--csv-dialect",
        help="CSV flavour: rfc (RFC 4180), excel (UTF-8 BOM), excel-semicolon (BOM, ';' and "
        "decimal commas for comma-decimal locales).",
    ),
]


BaseArg = Annotated[
    str,
    typer.Argument(
        metavar="BASE",
        help="Plan file, REV:path (the file at a git revision), or - for stdin.",
        show_default=False,
    ),
]
HeadArg = Annotated[
    str,
    typer.Argument(metavar="HEAD", help="Plan file, REV:path, or -.", show_default=False),
]
