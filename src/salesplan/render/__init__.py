"""The render room: the only place where numbers become text ($, %, separators, colour).

``render_report`` turns a neutral ``Report`` into one ``OutputFormat``; ``render_problems``
prints problems; ``write_output`` puts the text on stdout, atomically into a file, or
through to a device or FIFO (``salesplan.render.output`` has the rules), raising
``OutputError`` or, when the reader went away, ``BrokenPipe``.
Rich is imported only when the terminal view is drawn, to keep start-up fast.
"""

from __future__ import annotations

from salesplan.choices import CsvDialect, OutputFormat, ProblemFormat
from salesplan.render.csv_out import render_csv
from salesplan.render.json_out import render_json
from salesplan.render.markdown import render_markdown
from salesplan.render.output import BrokenPipe, OutputError, write_output
from salesplan.render.problems import render_problems
from salesplan.report.table import Report

__all__ = [
    "BrokenPipe",
    "CsvDialect",
    "OutputError",
    "OutputFormat",
    "ProblemFormat",
    "render_problems",
    "render_report",
    "write_output",
]


def render_report(
    report: Report,
    fmt: OutputFormat,
    *,
    width: int | None = None,
    color: bool = False,
    csv_dialect: CsvDialect = CsvDialect.RFC,
) -> str:
    """Return the report as text in the given format (width and colour apply to tables)."""
    match fmt:
        case OutputFormat.TABLE | OutputFormat.TEXT:
            from salesplan.render.terminal import render_terminal  # lazy: rich is slow to import

            return render_terminal(report, width=width, color=color)
        case OutputFormat.CSV:
            return render_csv(report, csv_dialect)
        case OutputFormat.JSON:
            return render_json(report)
        case OutputFormat.MARKDOWN:
            return render_markdown(report)
    raise ValueError(f"unknown output format: {fmt!r}")
