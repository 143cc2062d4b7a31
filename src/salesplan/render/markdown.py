"""Write a report as GitHub-flavoured markdown: for pull requests, wikis and plan reviews.

Layout: ``# report title``, the summary lines as a bullet list (warnings in bold), then per
table a ``## table title``, a pipe table with human-formatted cells (numbers right-aligned),
and below it the n/a footnotes and the table's notes, one paragraph each.
"""

from __future__ import annotations

from salesplan.render.cells import Footnotes, currency_of, format_rows, header_text, is_numeric
from salesplan.report.table import Report, Table


def escape_cell(text: str) -> str:
    r"""Return text safe inside a pipe-table cell: one line, ``|`` and ``\`` escaped.

    >>> escape_cell("a|b")
    'a\\|b'
    >>> escape_cell("two\nlines")
    'two<br>lines'
    """
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return text.replace("\r\n", "<br>").replace("\n", "<br>").replace("\r", "<br>")


def summary_line(line: str) -> str:
    """Return one summary line as a bullet; a leading ``!`` marks a bold warning."""
    if line.startswith("!"):
        return f"- **Warning:** {line[1:].strip()}"
    return f"- {line}"


def table_markdown(table: Table, currency: str) -> str:
    """Return one table as a markdown section."""
    footnotes = Footnotes()
    rows = format_rows(table, currency, footnotes)
    header = [escape_cell(header_text(c)) for c in table.columns]
    align = ["---:" if is_numeric(c) else ":---" for c in table.columns]
    lines = [f"## {table.title}", ""]
    for cells in (header, align, *([escape_cell(t) for t in row] for row in rows)):
        lines.append("| " + " | ".join(cells) + " |")
    for extra in (*footnotes.lines(), *table.notes):
        lines += ["", extra]
    return "\n".join(lines) + "\n"


def render_markdown(report: Report) -> str:
    """Return the report as markdown text ending in a newline."""
    parts = [f"# {report.title}\n"]
    if report.summary:
        parts.append("\n".join(summary_line(s) for s in report.summary) + "\n")
    parts += [table_markdown(t, currency_of(t, report)) for t in report.tables]
    return "\n".join(parts)
