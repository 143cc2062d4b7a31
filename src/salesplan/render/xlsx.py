"""Write a report as an Excel workbook (.xlsx) with XlsxWriter: typed cells, one sheet per table.

Layout:

* A first sheet ``About``: the report's title, its meta as key/value rows, its summary
  lines (a warning, marked ``!`` in the report, in bold red behind ``Warning:``) and a
  list of the tables, each linking to its sheet.
* One sheet per table, named after ``table.name`` (see :func:`sheet_names`).  Row 1 holds
  the column titles with their units, bold; panes are frozen below it and right of the
  key columns; an autofilter spans the header and the data.  The table's notes follow
  the data after one blank row, outside the filter range, so sorting leaves them alone.

Cells: numbers stay numbers (floats to 12 significant digits, as in CSV and JSON) with a
number format by column kind: money in the table's currency, rates as percentages,
counts with thousands separators, each with the column's digits.  An ``NA`` cell reads
``n/a`` and carries its reason as a cell comment, so the reason travels with its row
when the sheet is sorted or filtered.  ``None`` (and empty text) is an empty cell.  Text
is always written as a string, never parsed as a formula, after :func:`clean`.

The output is deterministic: the same report gives the same bytes (a fixed creation date
in the document properties; in memory, XlsxWriter dates every part of the zip 1980-01-01).
XlsxWriter is imported when a workbook is written, not when this module is, to keep the
CLI's start-up fast.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Any

from salesplan.render.cells import (
    CURRENCY_SYMBOLS,
    NA_TEXT,
    check_finite,
    currency_of,
    format_cell,
    header_text,
    is_numeric,
    tidy_float,
)
from salesplan.render.prose import headline_lines
from salesplan.render.text import clean
from salesplan.report.prose import Tone
from salesplan.report.table import AS_WRITTEN, NA, Cell, Column, Kind, Report, Table

if TYPE_CHECKING:
    from xlsxwriter.format import Format
    from xlsxwriter.workbook import Workbook
    from xlsxwriter.worksheet import Worksheet

ABOUT_SHEET = "About"

# Excel refuses a sheet name longer than 31 UTF-16 units, holding one of these characters,
# starting or ending with an apostrophe, or equal to "History" (it reserves that name for
# change tracking); names are compared case-insensitively.
SHEET_NAME_MAX = 31
SHEET_NAME_FORBIDDEN = "[]:*?/\\"
SHEET_NAME_RESERVED = ("History",)

# Excel's grid and its longest cell text (in UTF-16 units).
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_TEXT = 32_767

# Column widths in characters: room for the header's filter button, and a cap so that one
# long label does not push every other column off the screen.
WIDTH_PADDING = 2
FILTER_BUTTON = 2
MIN_WIDTH = 6
MAX_WIDTH = 60

# A workbook records when it was made; a fixed date keeps the bytes the same on every run.
CREATED = datetime(2000, 1, 1)

COMMENT_AUTHOR = "salesplan"

WARNING_COLOR = "#9C0006"

NA_HINT = "An n/a cell's comment says why it has no value."

_SHEET_NAME_TABLE = str.maketrans(dict.fromkeys(SHEET_NAME_FORBIDDEN, "_"))
# Lone surrogates cannot be encoded as UTF-8, so no XML file can hold them.
_SURROGATES = dict.fromkeys(range(0xD800, 0xE000))


def cell_text(text: str) -> str:
    """Return text as a workbook stores it: :func:`clean`, without lone surrogates."""
    return clean(text).translate(_SURROGATES)


def _utf16_len(text: str) -> int:
    """Return the length of text in UTF-16 units, as Excel counts it."""
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def _fit(text: str, units: int) -> str:
    """Return the longest prefix of text that takes at most ``units`` UTF-16 units."""
    used = 0
    for i, ch in enumerate(text):
        used += 2 if ord(ch) > 0xFFFF else 1
        if used > units:
            return text[:i]
    return text


def _sheet_base(name: str) -> str:
    """Return a name Excel accepts for a sheet, possibly empty; uniqueness comes later."""
    # Tabs and line breaks would be kept by clean(); a sheet tab shows one line.
    text = " ".join(cell_text(name).translate(_SHEET_NAME_TABLE).split())
    return _fit(text, SHEET_NAME_MAX).strip("' ")


def sheet_names(names: Iterable[str], taken: Iterable[str] = (ABOUT_SHEET,)) -> list[str]:
    """Return one valid, unique sheet name per table name, in order.

    A name that Excel refuses is repaired (forbidden characters become ``_``, long names
    are cut to 31); a name already taken, ignoring case, gets `` (2)``, `` (3)`` ...

    >>> sheet_names(["plan", "Plan", "a/b", "", "about"])
    ['plan', 'Plan (2)', 'a_b', 'Sheet 4', 'about (2)']
    """
    used: set[str] = set()

    def is_used(name: str) -> bool:
        # Excel and XlsxWriter ignore case; casefold also equates "ß" and "ss".
        return name.lower() in used or name.casefold() in used

    for name in (*taken, *SHEET_NAME_RESERVED):
        used.update((name.lower(), name.casefold()))
    result = []
    for i, name in enumerate(names):
        base = _sheet_base(name) or f"Sheet {i + 1}"
        unique, n = base, 2
        while is_used(unique):
            suffix = f" ({n})"
            unique = _fit(base, SHEET_NAME_MAX - len(suffix)).rstrip() + suffix
            n += 1
        used.update((unique.lower(), unique.casefold()))
        result.append(unique)
    return result


def _currency_prefix(currency: str) -> str:
    """Return the number-format text before a money amount: ``$`` or a quoted code."""
    if currency == "USD":
        return "$"
    symbol = CURRENCY_SYMBOLS.get(currency)
    if symbol:
        return f'"{symbol}"'
    # A quote would end the literal early and break the format.
    code = "".join(ch for ch in currency if ch.isalnum())
    return f'"{code} "' if code else ""


def number_format(column: Column, currency: str) -> str:
    """Return the Excel number format of a column's numbers.

    >>> number_format(Column("arr", "ARR", Kind.MONEY, digits=2), "EUR")
    '"€"#,##0.00'
    >>> number_format(Column("win", "Win", Kind.RATE, digits=1), "USD")
    '0.0%'
    >>> number_format(Column("x", "X", Kind.NUMBER, digits=AS_WRITTEN), "USD")
    'General'
    """
    decimals = "." + "0" * column.digits if column.digits > 0 else ""
    match column.kind:
        case Kind.MONEY:
            return f"{_currency_prefix(currency)}#,##0{decimals}"
        case Kind.RATE:
            return f"0{decimals}%"
        case Kind.COUNT:
            return f"#,##0{decimals}"
        case Kind.NUMBER:
            return "General" if column.digits == AS_WRITTEN else f"0{decimals}"
        case Kind.TEXT:
            return "General"


def _display_width(text: str) -> int:
    """Return the width of the widest line of text, counting East Asian wide characters twice."""
    return max(
        (
            sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
            for line in text.split("\n")
        ),
        default=0,
    )


def _column_width(column: Column, cells: Sequence[Cell], currency: str) -> float:
    """Return a column's width in characters: its longest formatted value, capped."""
    texts = [cell_text(format_cell(cell, column, currency)) for cell in cells]
    header = _display_width(cell_text(header_text(column))) + FILTER_BUTTON
    return _capped(max([header, *(_display_width(text) for text in texts)]))


def _capped(longest: int) -> float:
    """Return a column width for text ``longest`` characters wide: padded, within bounds."""
    return float(min(max(longest + WIDTH_PADDING, MIN_WIDTH), MAX_WIDTH))


class _Formats:
    """Create each distinct cell format once: Excel keeps a table of them."""

    def __init__(self, workbook: Workbook) -> None:
        self._workbook = workbook
        self._made: dict[tuple[tuple[str, Any], ...], Format] = {}

    def get(self, **properties: Any) -> Format:
        """Return the format with these XlsxWriter properties, creating it on first use."""
        key = tuple(sorted(properties.items()))
        if key not in self._made:
            self._made[key] = self._workbook.add_format(properties)
        return self._made[key]


def _write_text(
    sheet: Worksheet, row: int, col: int, text: str, fmt: Format | None, where: str
) -> None:
    """Write text a plan wrote as a string cell, cleaned, never read as a formula.

    Empty text leaves the cell empty: Excel would count a cell holding "" as filled.
    """
    text = cell_text(text)
    if not text:
        return
    if _utf16_len(text) > MAX_TEXT:
        raise ValueError(f"{where}: {len(text)} characters are more than an Excel cell holds")
    sheet.write_string(row, col, text, fmt)


def _write_cell(
    sheet: Worksheet,
    row: int,
    col: int,
    cell: Cell,
    column: Column,
    formats: _Formats,
    number_fmt: str,
    where: str,
) -> None:
    """Write one table cell: a typed number, a string, or ``n/a`` with its reason."""
    if cell is None:
        return
    if isinstance(cell, NA):
        align = "right" if is_numeric(column) else "left"
        sheet.write_string(row, col, NA_TEXT, formats.get(italic=True, align=align))
        reason = cell_text(cell.reason)
        if _utf16_len(reason) > MAX_TEXT:
            raise ValueError(f"{where}: the n/a reason is longer than an Excel comment holds")
        sheet.write_comment(row, col, reason, {"author": COMMENT_AUTHOR})
        return
    if isinstance(cell, str):
        # A line break shows only in a cell that wraps.
        wrap = formats.get(text_wrap=True) if "\n" in cell_text(cell) else None
        _write_text(sheet, row, col, cell, wrap, where)
        return
    if isinstance(cell, float):
        check_finite(cell, where)
        cell = tidy_float(cell)
    sheet.write_number(row, col, cell, formats.get(num_format=number_fmt))


def _write_table(sheet: Worksheet, table: Table, currency: str, formats: _Formats) -> None:
    """Write one table: header, typed rows, frozen panes, autofilter, widths, notes."""
    width = len(table.columns)
    if len(table.rows) + len(table.notes) + 2 > MAX_ROWS or width > MAX_COLUMNS:
        raise ValueError(f"table {table.name}: too large for an Excel sheet")
    number_fmts = [number_format(column, currency) for column in table.columns]
    # The cells first: they refuse NaN and infinity with the row and column named.
    for i, row in enumerate(table.rows):
        for col, (cell, column) in enumerate(zip(row, table.columns, strict=True)):
            where = f"table {table.name} row {i} column {column.name}"
            _write_cell(sheet, i + 1, col, cell, column, formats, number_fmts[col], where)
    for col, column in enumerate(table.columns):
        where = f"table {table.name} column {column.name} header"
        _write_text(sheet, 0, col, header_text(column), formats.get(bold=True), where)
        cells = [row[col] for row in table.rows]
        sheet.set_column(col, col, _column_width(column, cells, currency))
    if width:
        sheet.freeze_panes(1, min(max(table.key_columns, 0), width))
        sheet.autofilter(0, 0, len(table.rows), width - 1)
    first_note = len(table.rows) + 2
    for i, note in enumerate(table.notes):
        where = f"table {table.name} note {i + 1}"
        _write_text(sheet, first_note + i, 0, note, formats.get(italic=True), where)


def _internal_link(sheet: str) -> str:
    """Return a hyperlink target for cell A1 of a sheet in this workbook."""
    quoted = sheet.replace("'", "''")
    return f"internal:'{quoted}'!A1"


def _write_about(sheet: Worksheet, report: Report, names: Sequence[str], formats: _Formats) -> None:
    """Write the first sheet: title, meta, summary lines and links to the tables."""
    bold = formats.get(bold=True)
    _write_text(sheet, 0, 0, report.title, formats.get(bold=True, font_size=14), "report title")
    row = 2
    for key, value in report.meta.items():
        _write_text(sheet, row, 0, key, bold, f"report meta {key!r}")
        _write_text(sheet, row, 1, value, None, f"report meta {key!r}")
        row += 1
    row += bool(report.meta)
    warning = formats.get(bold=True, font_color=WARNING_COLOR)
    currency = report.meta.get("currency", "USD")
    for i, (tone, text) in enumerate(headline_lines(report.headline, currency, clean)):
        style = warning if tone is Tone.WARNING else bold if tone is Tone.ACTION else None
        _write_text(sheet, row, 0, text, style, f"report headline line {i + 1}")
        row += 1
    row += bool(report.headline)
    for i, line in enumerate(report.summary):
        where = f"report summary line {i + 1}"
        if line.startswith("!"):
            _write_text(sheet, row, 0, "Warning: " + line[1:].strip(), warning, where)
        else:
            _write_text(sheet, row, 0, line, None, where)
        row += 1
    row += bool(report.summary)
    if report.tables:
        _write_text(sheet, row, 0, "Sheet", bold, "tables header")
        _write_text(sheet, row, 1, "Table", bold, "tables header")
        row += 1
    for name, table in zip(names, report.tables, strict=True):
        sheet.write_url(row, 0, _internal_link(name), string=name)
        _write_text(sheet, row, 1, table.title, None, f"table {table.name} title")
        row += 1
    if any(isinstance(cell, NA) for table in report.tables for r in table.rows for cell in r):
        _write_text(sheet, row + 1, 0, NA_HINT, None, "n/a hint")
    keys = [*report.meta, *names, "Sheet"]
    values = [*report.meta.values(), *(table.title for table in report.tables), "Table"]
    for col, texts in enumerate((keys, values)):
        longest = max((_display_width(cell_text(text)) for text in texts), default=0)
        sheet.set_column(col, col, _capped(longest))


def render_xlsx(report: Report) -> bytes:
    """Return the report as the bytes of an .xlsx workbook."""
    import xlsxwriter  # lazy: only a run that writes a workbook pays for the import

    buffer = io.BytesIO()
    # in_memory: build the parts in memory, not in temporary files; it is also the mode in
    # which XlsxWriter dates every part of the zip 1980-01-01 (from files it would take a
    # time in the local zone).
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"title": cell_text(report.title), "created": CREATED})
    formats = _Formats(workbook)
    names = sheet_names(table.name for table in report.tables)
    _write_about(workbook.add_worksheet(ABOUT_SHEET), report, names, formats)
    for name, table in zip(names, report.tables, strict=True):
        _write_table(workbook.add_worksheet(name), table, currency_of(table, report), formats)
    workbook.close()
    return buffer.getvalue()
