"""The render room: the only place where numbers become text ($, %, separators, colour).

``render_report`` turns a neutral ``Report`` into one ``OutputFormat`` (text, or bytes for
XLSX); ``render_problems`` prints problems; ``write_output`` puts the text or bytes on
stdout, atomically into a file, or through to a device or FIFO (``salesplan.render.output``
has the rules), raising ``OutputError``, ``WriteFailed`` when the disk is full or, when the
reader went away, ``BrokenPipe``.  Each format's renderer is imported when it is asked
for (Rich only when the terminal view is drawn, XlsxWriter only when a workbook is
written), to keep start-up fast.
"""

from __future__ import annotations

from salesplan.choices import CsvDialect, OutputFormat, ProblemFormat
from salesplan.render.csv_out import render_csv
from salesplan.render.output import BrokenPipe, OutputError, WriteFailed, write_output
from salesplan.render.problems import render_problems
from salesplan.report.table import Report

__all__ = [
    "BrokenPipe",
    "CsvDialect",
    "OutputError",
    "OutputFormat",
    "ProblemFormat",
    "WriteFailed",
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
) -> str | bytes:
    """Return the report in the given format: text, or bytes for XLSX (width and colour
    apply to the terminal view)."""
    match fmt:
        case OutputFormat.TABLE | OutputFormat.TEXT:
            from salesplan.render.terminal import render_terminal  # lazy: rich is slow to import

            return render_terminal(report, width=width, color=color)
        case OutputFormat.CSV:
            return render_csv(report, csv_dialect)
        case OutputFormat.JSON:
            from salesplan.render.json_out import render_json

            return render_json(report)
        case OutputFormat.MARKDOWN:
            from salesplan.render.markdown import render_markdown

            return render_markdown(report)
        case OutputFormat.HTML:
            from salesplan.render.html import render_html  # lazy: only this format draws SVG

            return render_html(report)
        case OutputFormat.XLSX:
            from salesplan.render.xlsx import render_xlsx  # lazy: XlsxWriter is slow to import

            return render_xlsx(report)
    raise ValueError(f"unknown output format: {fmt!r}")
