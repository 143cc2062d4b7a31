"""Write a report as CSV: raw numbers, ``\\n`` line ends, no ``$``, no ``%``, no colour.

Layout: a CSV file is always one rectangular table, as every CSV reader expects: a header
row of column names, then one row per table row, every row as long as the header.  A report
of several tables is several files (the CLI's ``-o DIR/`` writes one per table, and refuses
to put several in one stream); :func:`render_csv` refuses a report of more than one table.

Cells: ints as ints, floats to 12 significant digits in Python's shortest round-trip form
(``0.1``, not ``0.10000000000000002``), rates as
fractions, ``NA`` as ``n/a``, an empty cell for ``None``.  Numbers are never touched.

Text (cells, column names, table names) first goes through
:func:`salesplan.render.text.clean`: no escape sequence, hyperlink, bidi override or
carriage return reaches the file, and every line break is a ``\\n``, which the writer always
quotes (it quotes the characters of its line terminator), so a cell is one value to every
reader that honours quotes.  Python's writer does not quote a lone ``\\r``, which is why one
must never get this far: a reader would end the row there.

Then each *line* of the text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return gets a leading ``'``, so that a spreadsheet does not run it as a formula
(OWASP CSV injection advice).  Excel, LibreOffice and Google Sheets decide on a cell's
first character only, quoted or not, so for them the first line is what matters; the
later lines are neutralised as well because some readers split at every line break
whatever the quoting (Excel's legacy text import wizard, line-oriented tools feeding a
sheet), and there each line starts a row of its own.  The cost is a ``'`` before such a
line in a multi-line label, which plan text hardly ever has.

Dialects: ``rfc`` (comma, no BOM); ``excel`` (UTF-8 BOM so Excel detects the encoding,
comma); ``excel-semicolon`` (BOM, ``;`` separator and a decimal comma in numbers, for
locales where the comma is the decimal mark).  Every dialect ends lines with ``\\n``.
"""

from __future__ import annotations

import csv
import io

from salesplan.choices import CsvDialect
from salesplan.render.cells import NA_TEXT, check_finite, tidy_float
from salesplan.render.text import clean
from salesplan.report.table import NA, Cell, Report, Table

BOM = "\ufeff"

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    r"""Return text that a spreadsheet will not run as a formula, on any of its lines.

    >>> neutralise("=SUM(A1)")
    "'=SUM(A1)"
    >>> neutralise("Enterprise")
    'Enterprise'
    >>> neutralise("two\n-lines")
    "two\n'-lines"
    """
    return "\n".join(
        f"'{line}" if line.startswith(FORMULA_PREFIXES) else line for line in text.split("\n")
    )


def text_cell(text: str) -> str:
    r"""Return plan text as a CSV cell: cleaned, then neutralised line by line.

    >>> text_cell("\r=2+2\x1b[31m")
    "\n'=2+2[31m"
    """
    return neutralise(clean(text))


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
        return text_cell(cell)
    return raw_number(cell, decimal_comma=decimal_comma)


def _rows(table: Table, *, decimal_comma: bool) -> list[list[str]]:
    """Return a table's header and data rows."""
    header = [text_cell(c.name) for c in table.columns]
    body = [[raw_cell(cell, decimal_comma=decimal_comma) for cell in row] for row in table.rows]
    return [header, *body]


def render_csv_table(table: Table, dialect: CsvDialect = CsvDialect.RFC) -> str:
    """Return one table as CSV text in the given dialect."""
    semicolon = dialect is CsvDialect.EXCEL_SEMICOLON
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=";" if semicolon else ",",
        lineterminator="\n",
        quoting=csv.QUOTE_MINIMAL,
    )
    writer.writerows(_rows(table, decimal_comma=semicolon))
    bom = "" if dialect is CsvDialect.RFC else BOM
    return bom + buffer.getvalue()


def render_csv(report: Report, dialect: CsvDialect = CsvDialect.RFC) -> str:
    """Return the report's one table as CSV text; raise ValueError for several (a CSV file
    is one table: write each with :func:`render_csv_table`)."""
    if len(report.tables) != 1:
        names = ", ".join(t.name for t in report.tables) or "none"
        raise ValueError(f"CSV holds one table; the report has {len(report.tables)}: {names}")
    return render_csv_table(report.tables[0], dialect)
