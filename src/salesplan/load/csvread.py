"""Read a bounded CSV file into records that know the line they start on.

The first step of reading an actuals file: bytes become text (UTF-8, with or without the
BOM Excel writes; anything else is refused with the reason), the dialect is found from the
header line (``,``, or ``;`` as Excel writes for comma-decimal locales), and RFC 4180 records
are split by a small regex scanner rather than the ``csv`` module, so that a problem is
located at the record's line and the 1-based number of the cell (``3`` is column C in a
spreadsheet) and nothing about the file can raise.  Blank lines, and rows whose cells are
all empty (spreadsheets pad a sheet with them), are skipped.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from dataclasses import dataclass

from salesplan.problems import Location, Problem
from salesplan.problems.codes import problem

MAX_BYTES = 16_000_000
"""Largest actuals file read, in bytes: ten years of the largest plan's metrics fit in it."""

MAX_CELLS = 64
"""Most cells a record may hold: a row of actuals has seven."""

# C0 controls but tab, line feed and carriage return; DEL; the C1 range; line separators.
_CONTROL = re.compile("[\x01-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")
_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Dialect:
    """How a CSV file was written: its separator (``;`` means decimal commas) and BOM."""

    delimiter: str = ","
    bom: bool = False

    @property
    def decimal_comma(self) -> bool:
        """Return whether numbers are written with a decimal comma (the ``;`` dialect)."""
        return self.delimiter == ";"


@dataclass(frozen=True)
class Record:
    """One CSV record: the line it starts on and its cells, as written (unquoted)."""

    line: int
    cells: tuple[str, ...]


@dataclass(frozen=True)
class CsvFile:
    """A CSV file read into its header and its records."""

    path: str
    dialect: Dialect
    header: Record
    records: tuple[Record, ...]


def _line_at(text: str, index: int) -> int:
    """Return the 1-based line of a character index, counting CR LF, CR and LF as breaks."""
    return len(_BREAK.findall(text, 0, index)) + 1


def decode(path: str, raw: bytes) -> tuple[str | None, bool, list[Problem]]:
    """Turn bytes into text; return it, whether it had a UTF-8 BOM, and why it is not text."""
    if len(raw) > MAX_BYTES:
        msg = f"the file is larger than {MAX_BYTES:,} bytes, too large for a file of actuals"
        return None, False, [problem("SP500", Location(path), msg)]
    if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        msg = "the file is UTF-16 (Excel's 'Unicode Text'): save it as 'CSV UTF-8'"
        return None, False, [problem("SP501", Location(path, 1, 1), msg)]
    bom = raw.startswith(codecs.BOM_UTF8)
    raw = raw.removeprefix(codecs.BOM_UTF8)
    nul = raw.find(b"\0")
    if nul >= 0:
        before = raw[:nul].decode("utf-8", "replace")
        loc = Location(path, _line_at(before, len(before)), 1)
        msg = "the file holds NUL bytes: it is binary (or UTF-16 without a BOM), not CSV text"
        return None, bom, [problem("SP501", loc, msg)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        before = raw[: err.start].decode("utf-8")  # everything before the first bad byte is valid
        loc = Location(path, _line_at(before, len(before)), 1)
        msg = (
            f"the file is not UTF-8 (byte 0x{raw[err.start]:02x} on this line): save it as "
            "'CSV UTF-8'"
        )
        return None, bom, [problem("SP501", loc, msg)]
    bad = _CONTROL.search(text)
    if bad:
        loc = Location(path, _line_at(text, bad.start()), 1)
        msg = f"the file holds the control character U+{ord(bad.group()):04X}: it is not CSV text"
        return None, bom, [problem("SP501", loc, msg)]
    if not text.strip():
        return None, bom, [problem("SP502", Location(path), "the file is empty")]
    return text, bom, []


def dialect_of(first_line: str, bom: bool) -> Dialect:
    """Return the dialect a header line is written in: ``;`` when it has more ``;`` than ``,``.

    >>> dialect_of("month;metric;value", True)
    Dialect(delimiter=';', bom=True)
    """
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return Dialect(delimiter, bom)


class _Scanner:
    """Split CSV text into records, RFC 4180 style, with the line each starts on."""

    def __init__(self, path: str, text: str, delimiter: str) -> None:
        self.path = path
        self.text = text
        self.delimiter = delimiter
        self.pos = 0
        self.line = 1
        d = re.escape(delimiter)
        self.unquoted = re.compile(f'[^{d}"\r\n]*')
        self.plain_line = re.compile('[^"\r\n]*(?:\r\n|\r|\n|$)')
        self.quoted = re.compile('"([^"]*(?:""[^"]*)*)"')
        self.problems: list[Problem] = []

    def records(self) -> list[Record]:
        """Return every record; stop at the first syntax error (nothing after it is certain)."""
        out: list[Record] = []
        while self.pos < len(self.text):
            record = self.record()
            if record is None:
                break
            if any(cell.strip() for cell in record.cells):
                out.append(record)
        return out

    def record(self) -> Record | None:
        """Scan one record from ``pos``; return None after reporting a syntax error."""
        start = self.line
        text = self.text
        plain = self.plain_line.match(text, self.pos)
        if plain is not None:
            # A line without quotes is its cells split at the separator: the common case,
            # taken without the cell-by-cell scan.
            self.pos = plain.end()
            body = plain.group().rstrip("\r\n")
            if body != plain.group():
                self.line += 1
            cells = body.split(self.delimiter, MAX_CELLS)
            return self.bounded(Record(start, tuple(cells)))
        cells = []
        while True:
            self.skip_spaces()
            col = len(cells) + 1
            if self.pos < len(text) and text[self.pos] == '"':
                cell = self.quoted_cell(start, col)
                if cell is None:
                    return None
            else:
                found = self.unquoted.match(text, self.pos)
                assert found is not None  # the pattern matches the empty string
                cell, self.pos = found.group(), found.end()
                if self.pos < len(text) and text[self.pos] == '"':
                    self.syntax(
                        start,
                        col,
                        "a quote inside an unquoted cell: quote the whole cell and write the "
                        'quote twice ("")',
                    )
                    return None
            cells.append(cell)
            if self.pos < len(text) and text[self.pos] == self.delimiter:
                self.pos += 1
                if len(cells) < MAX_CELLS:
                    continue
                cells.append("")  # more follow: enough to say the record is too long
            end = _BREAK.match(text, self.pos)
            if end is not None:
                self.pos = end.end()
                self.line += 1
            return self.bounded(Record(start, tuple(cells)))

    def bounded(self, record: Record) -> Record | None:
        """Return the record, or None (reading stops) when it has more than MAX_CELLS cells."""
        if len(record.cells) <= MAX_CELLS:
            return record
        msg = f"the row has more than {MAX_CELLS} cells: a row of actuals has 7"
        self.problems.append(problem("SP505", Location(self.path, record.line, MAX_CELLS + 1), msg))
        return None

    def quoted_cell(self, start: int, col: int) -> str | None:
        """Scan a quoted cell at ``pos``; report what is wrong with it (None: stop reading)."""
        text = self.text
        found = self.quoted.match(text, self.pos)
        if found is None:
            where = Location(self.path, self.line, col)
            msg = "a quote opened here is never closed"
            self.problems.append(problem("SP503", where, msg))
            return None
        cell = found.group(1).replace('""', '"')
        breaks = len(_BREAK.findall(cell))
        if breaks:
            msg = (
                "the cell holds a line break (a quoted cell over several lines): an actuals "
                "cell is one line"
            )
            self.problems.append(problem("SP504", Location(self.path, start, col), msg))
            self.line += breaks
        self.pos = found.end()
        self.skip_spaces()
        if self.pos < len(text) and text[self.pos] not in (self.delimiter, "\r", "\n"):
            self.syntax(
                start,
                col,
                'text after a closing quote: a quote inside a quoted cell is written twice ("")',
            )
            return None
        return cell

    def skip_spaces(self) -> None:
        """Move past spaces and tabs beside a cell, as spreadsheets and people write them."""
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        self.pos = pos

    def syntax(self, line: int, col: int, message: str) -> None:
        """Report a CSV syntax error at a cell."""
        self.problems.append(problem("SP503", Location(self.path, line, col), message))


def read_csv(path: str, raw: bytes) -> tuple[CsvFile | None, list[Problem]]:
    """Read bytes as a CSV file: its dialect, header and records, or why it cannot be read.

    A syntax error ends the records at the one before it (what follows is not certain).
    """
    text, bom, problems = decode(path, raw)
    if text is None:
        return None, problems
    first = _BREAK.split(text.lstrip("\r\n"), maxsplit=1)[0]
    dialect = dialect_of(first, bom)
    scanner = _Scanner(path, text, dialect.delimiter)
    records = scanner.records()
    problems = scanner.problems
    if not records:
        if not problems:
            problems = [problem("SP502", Location(path), "the file holds only empty rows")]
        return None, problems
    header, body = records[0], records[1:]
    if not body and not problems:
        where = Location(path, header.line, 1)
        problems = [problem("SP502", where, "the file has a header and no rows")]
    return CsvFile(path, dialect, header, tuple(body)), problems


def even_records(csv_file: CsvFile) -> tuple[list[Record], list[Problem]]:
    """Return the records with as many cells as the header; report the others (ragged)."""
    width = len(csv_file.header.cells)
    kept: list[Record] = []
    problems: list[Problem] = []
    for record in csv_file.records:
        cells = len(record.cells)
        if cells == width:
            kept.append(record)
            continue
        more = cells > width
        col = width + 1 if more else cells + 1
        msg = f"the row has {cells} cell(s), the header {width}: " + (
            "a cell too many (a separator inside a number?)" if more else "cells are missing"
        )
        problems.append(problem("SP505", Location(csv_file.path, record.line, col), msg))
    return kept, problems


def read_file(path: str) -> tuple[bytes | None, list[Problem]]:
    """Read at most MAX_BYTES + 1 bytes of a file; say why not (SP500) when it cannot be."""
    try:
        mode = os.stat(path).st_mode
        if stat.S_ISDIR(mode):
            return None, [problem("SP500", Location(path), "this is a directory, not a file")]
        if not stat.S_ISREG(mode):
            return None, [problem("SP500", Location(path), "this is not a regular file")]
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1), []
    except FileNotFoundError:
        return None, [problem("SP500", Location(path), "no such file")]
    except PermissionError:
        return None, [problem("SP500", Location(path), "permission denied: cannot read the file")]
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return None, [problem("SP500", Location(path), f"cannot read the file: {reason}")]
