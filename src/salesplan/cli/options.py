"""The options the commands share, each defined once (their help text is the user's)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from salesplan.choices import CsvDialect, OutputFormat, Period

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
ConfidenceOpt = Annotated[
    float | None,
    typer.Option(
        "--confidence",
        min=0.05,
        max=0.99,
        metavar="LEVEL",
        help="Size the plan to reach its target with this probability under its ranges "
        "(0.8: in 80% of simulated worlds; default: the plan's confidence key, else its "
        "likely values).",
        show_default=False,
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
