"""Draw a report for people at a terminal with Rich: title, summary, aligned tables, notes.

The only module that talks to Rich.  A console is built per call (Rich reads width and
colour when a console is made), writing into a string, so the caller decides where the
text goes.  A table too wide for the width is split into parts that each repeat the key
columns, rather than squeezing cells into unreadable one-character columns.

Every piece of plan text drawn (titles, summary, headers, cells, notes) goes through
:func:`~salesplan.render.text.clean` first: an escape written ``"\\e"`` in a plan's company
name would drive the terminal, and a bidi override would make a row read backwards.  Tabs
and line breaks stay (a carriage return becomes a line break).
"""

from __future__ import annotations

import io
from itertools import pairwise

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console
from rich.style import Style
from rich.text import Span, Text

from salesplan.render.cells import (
    Footnotes,
    currency_of,
    format_rows,
    is_numeric,
)
from salesplan.render.prose import headline_lines
from salesplan.render.text import clean
from salesplan.report.prose import Tone
from salesplan.report.table import Column, Report, Table

DEFAULT_WIDTH = 100

# A text column may wrap, but never narrower than this (or its widest cell, if narrower).
TEXT_MIN_WIDTH = 12

WARNING_STYLE = "bold yellow"
TONE_STYLES = {Tone.INFO: "", Tone.GOOD: "green", Tone.WARNING: WARNING_STYLE, Tone.ACTION: "bold"}
NOTE_STYLE = "dim"


def _width(text: str) -> int:
    """Return the terminal cells a string takes (its length when it is ASCII, the usual case)."""
    return len(text) if text.isascii() else cell_len(text)


def _natural_width(lines: list[str]) -> int:
    """Return the width of the widest line."""
    return max((_width(line) for text in lines for line in text.splitlines() or [""]), default=0)


def _header(column: Column) -> Text:
    """Return a column header: the title, with the unit on a second line when set."""
    title = clean(column.title)
    return Text(f"{title}\n{clean(column.unit)}" if column.unit else title)


def _longest_word(lines: list[str]) -> int:
    """Return the width of the longest word: a label such as ``2027-01..2028-12`` never breaks."""
    return max((_width(word) for text in lines for word in text.split()), default=0)


def _narrowest(column: Column, cells: list[str]) -> int:
    """Return the narrowest readable width of a column, padding excluded."""
    lines = [_header(column).plain, *cells]
    natural = _natural_width(lines)
    if is_numeric(column):
        return natural
    return min(natural, max(TEXT_MIN_WIDTH, _longest_word(lines)))


def _needed_widths(table: Table, rows: list[list[str]]) -> list[int]:
    """Return the narrowest readable width of each column, padding excluded."""
    return [_narrowest(column, [row[i] for row in rows]) for i, column in enumerate(table.columns)]


def _table_width(widths: list[int]) -> int:
    """Return the width of a SIMPLE_HEAD table: cells, 1-char padding each side, separators."""
    return sum(widths) + 3 * len(widths) + 1


def _parts(table: Table, widths: list[int], max_width: int) -> list[list[int]]:
    """Split the value columns into few, even groups that fit beside the key columns."""
    keys = list(range(min(table.key_columns, len(table.columns))))
    values = list(range(len(keys), len(table.columns)))

    def fits(group: list[int]) -> bool:
        return _table_width([widths[i] for i in [*keys, *group]]) <= max_width

    # Greedy packing gives the fewest parts; then spread the columns evenly over that many.
    greedy: list[list[int]] = [[]]
    for index in values:
        if greedy[-1] and not fits([*greedy[-1], index]):
            greedy.append([])
        greedy[-1].append(index)
    count = len(greedy)
    size, extra = divmod(len(values), count)
    even, start = [], 0
    for n in range(count):
        end = start + size + (1 if n < extra else 0)
        even.append(values[start:end])
        start = end
    groups = even if all(fits(g) for g in even) else greedy
    return [[*keys, *group] for group in groups]


def _fit(table: Table, rows: list[list[str]], indices: list[int], max_width: int) -> list[int]:
    """Return column widths for a part: natural widths, text columns narrowed to fit."""
    widths = [
        _natural_width([_header(table.columns[i]).plain, *(r[i] for r in rows)]) for i in indices
    ]
    text = [n for n, i in enumerate(indices) if not is_numeric(table.columns[i])]
    floor = {n: _narrowest(table.columns[indices[n]], [r[indices[n]] for r in rows]) for n in text}
    while _table_width(widths) > max_width:
        narrowable = [n for n in text if widths[n] > floor[n]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda n: widths[n])
        widths[widest] -= 1
    return widths


def _cell_lines(text: str, width: int) -> list[str]:
    """Return a cell's lines: its own line breaks, then folded to the column width."""
    lines: list[str] = []
    for line in text.split("\n") or [""]:
        while _width(line) > width:
            cut = line.rfind(" ", 0, width + 1)
            if cut <= 0:  # one word longer than the column: fold it
                lines.append(line[:width])
                line = line[width:]
            else:
                lines.append(line[:cut].rstrip())
                line = line[cut + 1 :].lstrip()
        lines.append(line)
    return lines


def _layout(
    table: Table, rows: list[list[str]], indices: list[int], max_width: int, *, color: bool
) -> list[Text]:
    """Return the lines of a table laid out like Rich's SIMPLE_HEAD box.

    Laid out here rather than by ``rich.table.Table``, whose per-cell measuring made a plan
    of a few hundred rows take a tenth of a second to draw.
    """
    widths = _fit(table, rows, indices, max_width)
    columns = [table.columns[i] for i in indices]
    right = [is_numeric(c) for c in columns]
    keys = [i < table.key_columns for i in indices]

    def line(cells: list[str], *, header: bool = False) -> Text:
        # One plain string and its bold spans: far cheaper than a Text.append per cell.
        pieces, spans, at = [" "], [], 1
        for n, cell in enumerate(cells):
            pad = widths[n] - _width(cell)
            body = " " * pad + cell if right[n] else cell + " " * pad
            if (header or keys[n]) and color:
                spans.append(Span(at + 1, at + 1 + len(body), "bold"))
            gap = " " if n == len(cells) - 1 else "  "
            pieces += [" ", body, gap]
            at += 1 + len(body) + len(gap)
        return Text("".join(pieces), spans=spans)

    heads = [_header(c).plain.split("\n") for c in columns]
    height = max(len(h) for h in heads)
    # Headers sit at the bottom of the header row, as in Rich.
    heads = [[""] * (height - len(h)) + h for h in heads]
    lines = [line([h[k] for h in heads], header=True) for k in range(height)]
    lines.append(Text(" " + "─" * (sum(widths) + 3 * len(widths) - 1)))
    for row in rows:
        cells = [_cell_lines(row[i], widths[n]) for n, i in enumerate(indices)]
        for k in range(max(len(c) for c in cells)):
            lines.append(line([c[k] if k < len(c) else "" for c in cells]))
    lines.append(Text(""))
    return lines


def _transposed(table: Table, row: list[str], *, color: bool) -> list[Text]:
    """Return a one-row table as lines of "title (unit)  value", title first."""
    titles = [clean(f"{c.title} ({c.unit})" if c.unit else c.title) for c in table.columns]
    left = max(_width(t) for t in titles)
    right = max(_width(v) for v in row)
    lines = [Text(clean(table.title), style="italic" if color else ""), Text("")]
    for title, value in zip(titles, row, strict=True):
        line = Text("  ")
        line.append(title + " " * (left - _width(title)), style="bold" if color else "")
        line.append("   " + " " * (right - _width(value)) + value)
        lines.append(line)
    lines.append(Text(""))
    return lines


def _summary_line(line: str, *, color: bool) -> Text:
    """Return one summary line; a leading ``!`` marks a warning, shown bold when coloured."""
    if line.startswith("!"):
        return Text(line[1:].strip(), style=WARNING_STYLE if color else "")
    return Text(line)


def render_terminal(report: Report, *, width: int | None = None, color: bool = False) -> str:
    """Return the report drawn as Rich text, with ANSI colour only when ``color`` is set."""
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width or DEFAULT_WIDTH,
        height=50,  # fixed so that a dumb TERM cannot override the width
        color_system="standard" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
        soft_wrap=False,
    )
    out = [Text(clean(report.title), style="bold")]
    if report.headline:
        out.append(Text(""))
        currency = report.meta.get("currency", "USD")
        for tone, line in headline_lines(report.headline, currency, clean):
            out.append(Text(line, style=TONE_STYLES[tone] if color else ""))
    if report.summary:
        out.append(Text(""))
        out.extend(_summary_line(clean(line), color=color) for line in report.summary)
    for table in report.tables:
        footnotes = Footnotes()
        rows = format_rows(table, currency_of(table, report), footnotes)
        rows = [[clean(cell) for cell in row] for row in rows]
        widths = _needed_widths(table, rows)
        if len(rows) == 1 and _table_width(widths) > console.width:
            # One wide row (a summary) reads better as a list of "title  value" lines.
            out.append(Text(""))
            out.extend(_transposed(table, rows[0], color=color))
        else:
            parts = _parts(table, widths, console.width)
            for n, indices in enumerate(parts, start=1):
                title = clean(table.title)
                title = title if len(parts) == 1 else f"{title} ({n}/{len(parts)})"
                out += [Text(""), Text(title, style="italic" if color else ""), Text("")]
                out.extend(_layout(table, rows, indices, console.width, color=color))
        notes = (*footnotes.lines(), *table.notes)
        out.extend(Text(clean(line), style=NOTE_STYLE) for line in notes)
    # Table lines are laid out to fit; only prose (titles, summary, notes) needs wrapping.
    # One print of the whole, unwrapped, costs a fraction of a print per line.
    lines: list[Text] = []
    for text in out:
        if _width(text.plain) <= console.width:
            lines.append(text)
        else:
            lines.extend(text.wrap(console, console.width))
    if not color:
        return _tidy("\n".join(line.plain for line in lines))
    return _tidy("\n".join(_ansi(line) for line in lines))


def _ansi(text: Text) -> str:
    """Return one line with its styles as ANSI codes, as Rich's standard colour system writes
    them (one Rich print of a few hundred lines took longer than laying them out)."""
    plain = text.plain
    base = Style.parse(text.style) if isinstance(text.style, str) else text.style
    cuts = sorted({0, len(plain), *(s.start for s in text.spans), *(s.end for s in text.spans)})
    out = []
    for a, b in pairwise(cuts):
        style = base
        for span in text.spans:
            if span.start <= a and b <= span.end:
                extra = span.style
                style += Style.parse(extra) if isinstance(extra, str) else extra
        out.append(style.render(plain[a:b], color_system=ColorSystem.STANDARD))
    return "".join(out)


def _tidy(text: str) -> str:
    """Drop trailing spaces and repeated blank lines (Rich pads lines and table edges)."""
    lines: list[str] = []
    for line in text.splitlines():
        line = line.rstrip(" ")
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
