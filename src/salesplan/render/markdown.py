"""Write a report as GitHub-flavoured markdown: for pull requests, wikis and plan reviews.

Layout: ``# report title``, the summary lines as a bullet list (warnings in bold), the
report's charts, then per table a ``## table title``, a pipe table with human-formatted
cells (numbers right-aligned), and below it the n/a footnotes and the table's notes, one
paragraph each.

A chart is the terminal's picture of it (:func:`~salesplan.render.terminal_chart.chart_lines`
at :data:`CHART_WIDTH` columns) in a fenced ``text`` block, title first, its notes below:
block characters read in any monospace font, on GitHub as in a terminal.  The fence is
longer than any run of backticks in the lines, so plan text cannot close it.

Plan text (the company name, titles, labels, notes) is shown as written and never makes
markup: a plan reviewed in a pull request comment must not be able to add a heading, a
link, an image or HTML.  Every piece goes through :func:`~salesplan.render.text.clean`,
then what would start inline markup gets a backslash: the backslash itself, the backtick,
``*``, ``|``, a ``]`` that a ``(`` or ``[`` follows (a link or image), an ``_`` but one
inside a word (``sales_manager`` cannot make emphasis), ``~`` when there are two (a lone
``~25%`` cannot strike anything through), an ``&`` that would start an entity; a ``<``
that would start a tag or autolink becomes ``&lt;``.  Ordinary text stays readable.
Headings, bullets and paragraphs are one line (each line break, with the white space
around it, becomes one space; leading white space goes) that starts no block: a leading
``#``, ``>``, ``+``, ``-``, ``=``, ``[`` (a link definition) or list number is escaped, and
so is a heading's trailing run of ``#``.  A table cell keeps its line breaks as ``<br>``.
"""

from __future__ import annotations

import re

from salesplan.render.cells import Footnotes, currency_of, format_rows, header_text, is_numeric
from salesplan.render.prose import headline_lines
from salesplan.render.text import clean
from salesplan.report.chart import Chart
from salesplan.report.prose import Tone
from salesplan.report.table import Report, Table

# What starts inline markup: see the module docstring.  ``[^\W_]`` is a letter or digit.
_INLINE = re.compile(
    r"[\\`*|]|\](?=[(\[])|(?<![^\W_])_|_(?![^\W_])|&(?=#?[0-9A-Za-z]+;)|<(?=[A-Za-z/!?])"
)
# What starts a block at the beginning of a line: a heading, a quote, a list item, a
# thematic break or setext underline, a link definition, an ordered list item
# (``2027. Plan``, ``1) x``).
_BLOCK_START = re.compile(r"[#>+=\[-]|\d{1,9}(?=[.)])")
# A heading's closing sequence: a run of ``#`` at the end, after white space.
_CLOSING = re.compile(r"(?<=\s)#+$")


def escape_inline(text: str) -> str:
    r"""Return plan text cleaned and with every inline markup character escaped.

    >>> escape_inline("<b>*Acme*</b> [x](y) & R&amp;D")
    '&lt;b>\\*Acme\\*&lt;/b> [x\\](y) & R\\&amp;D'
    >>> escape_inline("sales_manager _new_ < 12 > 3, ~25%")
    'sales_manager \\_new\\_ < 12 > 3, ~25%'
    >>> escape_inline("~~gone~~")
    '\\~\\~gone\\~\\~'
    """
    text = _INLINE.sub(lambda m: "&lt;" if m[0] == "<" else "\\" + m[0], clean(text))
    # Strikethrough takes a pair of tildes within one piece of text (a cell, a heading).
    return text.replace("~", "\\~") if text.count("~") > 1 else text


def line_text(text: str) -> str:
    r"""Return plan text as one markdown line that starts no block and ends no heading.

    >>> line_text("Acme\n# Injected heading")
    'Acme # Injected heading'
    >>> line_text("# x #"), line_text("- item"), line_text("2027. Plan")
    ('\\# x \\#', '\\- item', '2027\\. Plan')
    """
    line = " ".join(part.strip() for part in escape_inline(text).split("\n")).strip()
    start = _BLOCK_START.match(line)
    if start:
        at = start.end() if start[0][0].isdigit() else 0
        line = f"{line[:at]}\\{line[at:]}"
    return _CLOSING.sub(lambda m: "\\" + m[0], line)


def escape_cell(text: str) -> str:
    r"""Return text safe inside a pipe-table cell: markup escaped, line breaks as ``<br>``.

    >>> escape_cell("a|b")
    'a\\|b'
    >>> escape_cell("two\nlines")
    'two<br>lines'
    """
    return escape_inline(text).replace("\n", "<br>")


# How a headline sentence opens: actions are a task list, warnings are marked.
MARKDOWN_TONES = {
    Tone.INFO: "- ",
    Tone.GOOD: "- ",
    Tone.WARNING: "- **Warning:** ",
    Tone.ACTION: "- [ ] ",
}


def summary_line(line: str) -> str:
    """Return one summary line as a bullet; a leading ``!`` marks a bold warning."""
    if line.startswith("!"):
        return f"- **Warning:** {line_text(line[1:])}"
    return f"- {line_text(line)}"


def table_markdown(table: Table, currency: str) -> str:
    """Return one table as a markdown section."""
    footnotes = Footnotes()
    rows = format_rows(table, currency, footnotes)
    header = [escape_cell(header_text(c)) for c in table.columns]
    align = ["---:" if is_numeric(c) else ":---" for c in table.columns]
    lines = [f"## {line_text(table.title)}", ""]
    for cells in (header, align, *([escape_cell(t) for t in row] for row in rows)):
        lines.append("| " + " | ".join(cells) + " |")
    for extra in (*footnotes.lines(), *table.notes):
        lines += ["", line_text(extra)]
    return "\n".join(lines) + "\n"


CHART_WIDTH = 80

_BACKTICKS = re.compile(r"`+")


def chart_markdown(chart: Chart, currency: str | None) -> str:
    """Return one chart as a fenced text block of its terminal lines, then its notes."""
    # Imported here: drawing a chart needs Rich's cell widths, and most reports have none.
    from salesplan.render.terminal_chart import chart_lines

    lines = chart_lines(chart, CHART_WIDTH, currency=currency)
    longest = max((len(run) for line in lines for run in _BACKTICKS.findall(line)), default=0)
    fence = "`" * max(3, longest + 1)
    out = [f"{fence}text", *lines, fence]
    for note in chart.notes:
        out += ["", line_text(note)]
    return "\n".join(out) + "\n"


def render_markdown(report: Report) -> str:
    """Return the report as markdown text ending in a newline."""
    parts = [f"# {line_text(report.title)}\n"]
    if report.headline:
        currency = report.meta.get("currency", "USD")
        lines = headline_lines(report.headline, currency, line_text)
        parts.append("\n".join(MARKDOWN_TONES[tone] + text for tone, text in lines) + "\n")
    if report.summary:
        parts.append("\n".join(summary_line(s) for s in report.summary) + "\n")
    parts += [chart_markdown(c, report.meta.get("currency")) for c in report.charts]
    parts += [table_markdown(t, currency_of(t, report)) for t in report.read_in_turn()]
    return "\n".join(parts)
