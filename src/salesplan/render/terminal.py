"""Draw a report for people at a terminal with Rich: title, summary, charts, aligned tables,
notes.

The only module that talks to Rich for tables.  A console is built per call (Rich reads
width and colour when a console is made), writing into a string, so the caller decides where
the text goes.

Nothing drawn is wider than the width asked for.  A table too wide for it keeps the columns
that matter: its key columns always, then its value columns by
:meth:`~salesplan.report.table.Table.by_importance` (a column's ``priority``, else its
position), as many as fit at their narrowest readable width; text columns and long headers
wrap between words to make room.  A dim note under the table names the columns left out and
how to see them.  A table of one row too wide for the width reads as "title  value" lines
instead.  The report's charts (:mod:`salesplan.render.terminal_chart`) are drawn after the
summary, before the tables; its footer (where to look next) ends the view.

Every piece of plan text drawn (titles, summary, headers, cells, notes) goes through
:func:`~salesplan.render.text.clean` first: an escape written ``"\\e"`` in a plan's company
name would drive the terminal, and a bidi override would make a row read backwards.  Line
breaks stay (a carriage return becomes a line break); a tab becomes a space, whose width
is known.
"""

from __future__ import annotations

import io
import re
from dataclasses import replace
from itertools import pairwise

from rich.cells import cell_len, chop_cells
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
from salesplan.render.terminal_chart import chart_lines
from salesplan.render.text import clean
from salesplan.report.prose import Tone
from salesplan.report.table import Column, Report, Table

DEFAULT_WIDTH = 100

# A text column may wrap, but never narrower than this (or its widest cell, if narrower).
TEXT_MIN_WIDTH = 12

WARNING_STYLE = "bold yellow"
TONE_STYLES = {Tone.INFO: "", Tone.GOOD: "green", Tone.WARNING: WARNING_STYLE, Tone.ACTION: "bold"}
NOTE_STYLE = "dim"
TITLE_STYLE = "italic"


def _width(text: str) -> int:
    """Return the terminal cells a string takes (its length when it is ASCII, the usual case)."""
    return len(text) if text.isascii() else cell_len(text)


def _text(text: str) -> str:
    """Return plan text for the terminal: cleaned, a tab as one space."""
    return clean(text).replace("\t", " ")


def _natural_width(lines: list[str]) -> int:
    """Return the width of the widest line."""
    return max((_width(line) for text in lines for line in text.splitlines() or [""]), default=0)


def _header_parts(column: Column) -> list[str]:
    """Return a column header's pieces: the title, then the unit when set (on its own line)."""
    title = _text(column.title)
    return [title, _text(column.unit)] if column.unit else [title]


def _longest_word(lines: list[str]) -> int:
    """Return the width of the longest word: a label such as ``2027-01..2028-12`` never breaks."""
    return max((_width(word) for text in lines for word in text.split()), default=0)


def _narrowest(column: Column, cells: list[str]) -> int:
    """Return the narrowest readable width of a column, padding excluded: a number whole, a
    header broken only between words, text wrapped down to TEXT_MIN_WIDTH or its longest
    word."""
    header = _header_parts(column)
    natural = _natural_width([*header, *cells])
    if is_numeric(column):
        return max(_natural_width(cells), _longest_word(header), 1)
    return max(min(natural, max(TEXT_MIN_WIDTH, _longest_word([*header, *cells]))), 1)


def _table_width(widths: list[int]) -> int:
    """Return the width of a SIMPLE_HEAD table: cells, 1-char padding each side, separators."""
    return sum(widths) + 3 * len(widths) + 1


def _shown(table: Table, floors: list[int], max_width: int) -> tuple[list[int], list[int]]:
    """Return the columns to draw, in table order, and the columns left out: a key column
    for machines (``Column.machine``) first, then the least important value columns, until
    the rest fit at their narrowest."""
    keys = list(range(min(table.key_columns, len(table.columns))))
    kept = table.by_importance()
    left_out: list[int] = []
    if _table_width([floors[i] for i in [*keys, *kept]]) > max_width:
        left_out = [i for i in keys if table.columns[i].machine]
        keys = [i for i in keys if i not in left_out]
    while kept and _table_width([floors[i] for i in [*keys, *kept]]) > max_width:
        left_out.append(kept.pop())
    return sorted([*keys, *kept]), sorted(left_out)


def _fit(floors: list[int], naturals: list[int], max_width: int) -> list[int]:
    """Return column widths: natural where they fit, the widest narrowed first to its floor,
    and below it (folding) only when the floors alone are too wide."""
    widths = list(naturals)
    for floor_of in (floors, [1] * len(widths)):
        while _table_width(widths) > max_width:
            narrowable = [n for n, w in enumerate(widths) if w > floor_of[n]]
            if not narrowable:
                break
            widest = max(narrowable, key=lambda n: widths[n])
            widths[widest] -= 1
    return widths


def _fold(word: str, width: int) -> list[str]:
    """Return a word cut into pieces of at most ``width`` cells: after a dot, underscore,
    slash, colon or hyphen where it can (a key path breaks between its parts), else anywhere.

    >>> _fold("tiers.mid_market.motions.inbound.stages.opportunity.rate", 20)
    ['tiers.mid_market.', 'motions.inbound.', 'stages.opportunity.', 'rate']
    >>> _fold("abcdefgh", 3)
    ['abc', 'def', 'gh']
    """
    pieces: list[str] = []
    current = ""
    for part in re.split(r"(?<=[._/:-])", word):
        for chunk in chop_cells(part, width) if _width(part) > width else [part]:
            if current and _width(current + chunk) > width:
                pieces.append(current)
                current = ""
            current += chunk
    return [*pieces, current] if current or not pieces else pieces


def _cell_lines(text: str, width: int) -> list[str]:
    """Return a cell's lines: its own line breaks, then wrapped between words to the column
    width (a word longer than the column is cut)."""
    width = max(width, 1)
    lines: list[str] = []
    for line in text.split("\n"):
        if _width(line) <= width:
            lines.append(line)
            continue
        current = ""
        for word in line.split():
            pieces = _fold(word, width) if _width(word) > width else [word]
            for piece in pieces:
                joined = f"{current} {piece}" if current else piece
                if _width(joined) <= width:
                    current = joined
                else:
                    if current:
                        lines.append(current)
                    current = piece
        lines.append(current)
    return lines or [""]


def _layout(
    table: Table,
    rows: list[list[str]],
    indices: list[int],
    widths: list[int],
    *,
    color: bool,
) -> list[Text]:
    """Return the lines of a table laid out like Rich's SIMPLE_HEAD box.

    Laid out here rather than by ``rich.table.Table``, whose per-cell measuring made a plan
    of a few hundred rows take a tenth of a second to draw.
    """
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

    heads = [
        [piece for part in _header_parts(c) for piece in _cell_lines(part, widths[n])]
        for n, c in enumerate(columns)
    ]
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


def _transposed(table: Table, row: list[str], max_width: int, *, color: bool) -> list[Text]:
    """Return a one-row table as lines of "title (unit)  value", title first; titles wrap
    (and values, if they must) so that no line is wider than ``max_width``."""
    titles = [_titled(c) for c in table.columns]
    right = max(_natural_width(row), 1)
    right = min(right, max(max_width // 2 - 3, 1))
    left = max(min(_natural_width(titles), max_width - right - 5), 1)
    lines = [Text(_text(table.title), style=TITLE_STYLE if color else ""), Text("")]
    for title, value in zip(titles, row, strict=True):
        names, values = _cell_lines(title, left), _cell_lines(value, right)
        # The value sits on the title's last line, as a figure ends its label.
        names = [*names, *[""] * (len(values) - 1)]
        values = [""] * (len(names) - len(values)) + values
        for name, shown in zip(names, values, strict=True):
            line = Text("  ")
            line.append(name + " " * (left - _width(name)), style="bold" if color else "")
            line.append("   " + " " * (right - _width(shown)) + shown)
            lines.append(line)
    lines.append(Text(""))
    return lines


def _titled(column: Column) -> str:
    """Return a column as one line of text reads it: its title (its name if untitled), with
    its unit in brackets (a quarter's year, a figure's currency or months)."""
    title = column.title or column.name
    return _text(f"{title} ({column.unit})" if column.unit else title)


def _left_out_note(
    table: Table, report: Report, left_out: list[int], needed: int, max_width: int
) -> str:
    """Return the note that names the columns left out and how to see them."""
    # As the header reads (a quarter with its year, a figure with its unit); titles that hold
    # a comma themselves ("LTV, uncapped") are set apart by semicolons.
    titles = [_titled(table.columns[i]) for i in left_out]
    names = ("; " if any("," in t for t in titles) else ", ").join(titles)
    return (
        f"Not shown at {max_width} columns: {names}.  See every column with --width {needed}, "
        f"-t {_text(table.name)} -f csv, or -o {_text(report.kind)}.xlsx."
    )


def _only_columns(table: Table, indices: list[int]) -> Table:
    """Return the table with only the columns at ``indices`` (its key columns among them)."""
    return replace(
        table,
        columns=tuple(table.columns[i] for i in indices),
        rows=tuple(tuple(row[i] for i in indices) for row in table.rows),
    )


def _floors(table: Table, rows: list[list[str]]) -> list[int]:
    """Return the narrowest readable width of every column."""
    return [_narrowest(c, [row[i] for row in rows]) for i, c in enumerate(table.columns)]


def _formatted(table: Table, report: Report, footnotes: Footnotes) -> list[list[str]]:
    """Return a table's cells as terminal text, n/a reasons marked in ``footnotes``."""
    rows = format_rows(table, currency_of(table, report), footnotes)
    return [[_text(cell) for cell in row] for row in rows]


def _table_lines(table: Table, report: Report, max_width: int, *, color: bool) -> list[Text]:
    """Return the lines of one table: title, the columns that fit, footnotes and notes."""
    footnotes = Footnotes()
    rows = _formatted(table, report, footnotes)
    floors = _floors(table, rows)
    out: list[Text] = [Text("")]
    left_out: list[int] = []
    if len(rows) == 1 and _table_width(floors) > max_width:
        # One wide row (a summary) reads better as a list of "title  value" lines.
        out.extend(_transposed(table, rows[0], max_width, color=color))
    else:
        indices, left_out = _shown(table, floors, max_width)
        shown = table
        if left_out:
            # Footnotes again, for the cells shown: a reason whose n/a is left out goes too.
            shown, footnotes = _only_columns(table, indices), Footnotes()
            rows = _formatted(shown, report, footnotes)
        every = list(range(len(shown.columns)))
        naturals = [
            _natural_width([*_header_parts(c), *(r[i] for r in rows)])
            for i, c in enumerate(shown.columns)
        ]
        widths = _fit(_floors(shown, rows), naturals, max_width)
        out.append(Text(_text(table.title), style=TITLE_STYLE if color else ""))
        out.extend(_layout(shown, rows, every, widths, color=color))
    notes = [*footnotes.lines(), *table.notes]
    if left_out:
        notes.append(_left_out_note(table, report, left_out, _table_width(floors), max_width))
    out.extend(Text(_text(line), style=NOTE_STYLE if color else "") for line in notes)
    return out


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
    out = [Text(_text(report.title), style="bold" if color else "")]
    if report.headline:
        out.append(Text(""))
        currency = report.meta.get("currency", "USD")
        for tone, line in headline_lines(report.headline, currency, _text):
            out.append(Text(line, style=TONE_STYLES[tone] if color else ""))
    if report.summary:
        out.append(Text(""))
        out.extend(_summary_line(_text(line), color=color) for line in report.summary)
    for chart in report.charts:
        out.append(Text(""))
        drawn = chart_lines(chart, console.width, currency=report.meta.get("currency"))
        for n, line in enumerate(drawn):
            out.append(Text(line, style=TITLE_STYLE if color and n == 0 else ""))
    for table in report.read_in_turn():
        out.extend(_table_lines(table, report, console.width, color=color))
    if report.footer:
        out.append(Text(""))
        out.extend(Text(_text(line), style=NOTE_STYLE if color else "") for line in report.footer)
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
