"""Write a report as CSV: raw numbers, ``\\n`` line ends, no ``$``, no ``%``, no colour.

Layout:

* One table: plain RFC 4180 CSV, a header row of column names, then one row per table row.
* Several tables: one section per table, sections separated by one empty line.  Each
  section starts with its header row whose first column is ``table``; every data row's
  first cell is the table's name, so ``grep``/spreadsheet filters can pick one table.

Cells: ints as ints, floats to 12 significant digits in Python's shortest round-trip form
(``0.1``, not ``0.10000000000000002``), rates as
fractions, ``NA`` as ``n/a``, an empty cell for ``None``.  A text cell starting with
``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading ``'`` so that a
spreadsheet does not run it as a formula (OWASP CSV injection advice); numbers are never
touched.

Dialects: ``rfc`` (comma, no BOM); ``excel`` (UTF-8 BOM so Excel detects the encoding,
comma); ``excel-semicolon`` (BOM, ``;`` separator and a decimal comma in numbers, for
locales where the comma is the decimal mark).  Every dialect ends lines with ``\\n``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from salesplan.choices import CsvDialect
from salesplan.render.cells import NA_TEXT, check_finite, tidy_float
from salesplan.report.table import NA, Cell, Report, Table

BOM = "\ufeff"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """Return text that a spreadsheet will not run as a formula.

    >>> neutralise("=SUM(A1)")
    "'=SUM(A1)"
    >>> neutralise("Enterprise")
    'Enterprise'
    """
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def raw_number(value: int | float, *, decimal_comma: bool = False) -> str:
    """Return a number raw: ints as ints, floats to 12 significant digits (:func:`tidy_float`)
    in shortest round-trip form.

    >>> raw_number(0.1)
    '0.1'
    >>> raw_number(-0.0)
    '0.0'
    >>> raw_number(1234.5, decimal_comma=True)
    '1234,5'
    """
    if isinstance(value, float):
        check_finite(value, "CSV cell")
        text = repr(tidy_float(value))
    else:
        text = str(int(value))
    return text.replace(".", ",") if decimal_comma else text


def raw_cell(cell: Cell, *, decimal_comma: bool = False) -> str:
    """Return one cell as CSV text."""
    if cell is None:
        return ""
    if isinstance(cell, NA):
        return NA_TEXT
    if isinstance(cell, str):
        return neutralise(cell)
    return raw_number(cell, decimal_comma=decimal_comma)


def _rows(table: Table, *, prefix: Sequence[str], decimal_comma: bool) -> list[list[str]]:
    """Return a table's header and data rows, each starting with ``prefix``."""
    header = [*(["table"] if prefix else []), *(neutralise(c.name) for c in table.columns)]
    body = [
        [*prefix, *(raw_cell(cell, decimal_comma=decimal_comma) for cell in row)]
        for row in table.rows
    ]
    return [header, *body]


def render_csv(report: Report, dialect: CsvDialect = CsvDialect.RFC) -> str:
    """Return the report's tables as CSV text in the given dialect."""
    semicolon = dialect is CsvDialect.EXCEL_SEMICOLON
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=";" if semicolon else ",",
        lineterminator="\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    several = len(report.tables) > 1
    for i, table in enumerate(report.tables):
        if i:
            buffer.write("\n")
        prefix = [neutralise(table.name)] if several else []
        writer.writerows(_rows(table, prefix=prefix, decimal_comma=semicolon))
    bom = "" if dialect is CsvDialect.RFC else BOM
    return bom + buffer.getvalue()
