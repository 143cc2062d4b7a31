"""Turn one raw cell into human text: currency signs, percent, thousands separators, n/a.

The human formats (terminal, markdown) share this module; CSV and JSON keep raw numbers
and never come here.  An undefined figure (``NA``) reads ``n/a`` plus a footnote marker
whose reason is listed once below its table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from salesplan.report.table import AS_WRITTEN, NA, SIGNIFICANT, Cell, Column, Kind, Report, Table

NUMERIC_KINDS = frozenset({Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER})

CURRENCY_SYMBOLS: Mapping[str, str] = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥"}

DEFAULT_CURRENCY = "USD"

NA_TEXT = "n/a"

# (divisor, suffix), largest first.  B, not bn: the usual board-deck spelling.
SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k"))
# Beyond these a figure is no plan's: print it in scientific notation.
LARGEST_SUFFIXED = 1e15
# Significant figures of a SIGNIFICANT column: $5.99M beside $6.00M still shows the gap.
FIGURES = 3

_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def is_numeric(column: Column) -> bool:
    """Return True if the column holds numbers (right-aligned in the human formats)."""
    return column.kind in NUMERIC_KINDS


def currency_of(table: Table, report: Report | None = None) -> str:
    """Return the ISO currency code of a table: its meta, else the report's, else USD."""
    code = table.meta.get("currency") or (report.meta.get("currency") if report else None)
    return (code or DEFAULT_CURRENCY).upper()


def superscript(n: int) -> str:
    """Return ``n`` in superscript digits.

    >>> superscript(12)
    '¹²'
    """
    return str(n).translate(_SUPERSCRIPTS)


def check_finite(value: float, where: str) -> None:
    """Raise ValueError for NaN or infinity: an undefined figure must be an ``NA``."""
    if not math.isfinite(value):
        raise ValueError(f"{where}: {value!r} is not a finite number; use NA(reason)")


SIGNIFICANT_DIGITS = 12


def tidy_float(value: float) -> float:
    """Return a float for CSV and JSON: 12 significant digits, no negative zero.

    The engine's arithmetic leaves noise in the last bits (a $6M target solved back to
    5,999,999.999999999); 12 digits drop it and keep every figure a plan can mean, to a
    thousandth of a cent on a billion.

    >>> tidy_float(5999999.999999999), tidy_float(0.15000000000000002), tidy_float(-0.0)
    (6000000.0, 0.15, 0.0)
    >>> tidy_float(256.7492815636512)
    256.749281564
    """
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}") + 0.0


def _grouped(value: float, digits: int, *, separators: bool = True) -> tuple[bool, str]:
    """Return (negative, magnitude text) rounded to ``digits``, never a negative zero."""
    spec = f"{',' if separators else ''}.{max(digits, 0)}f"
    text = format(abs(value), spec)
    # A value that rounds to zero prints as 0, never -0.
    negative = value < 0 and any(ch in "123456789" for ch in text)
    return negative, text


def format_money(value: float, digits: int = 0, currency: str = DEFAULT_CURRENCY) -> str:
    """Return money with its currency sign and thousands separators.

    >>> format_money(1234567)
    '$1,234,567'
    >>> format_money(-1234.4, currency="EUR")
    '-€1,234'
    >>> format_money(1234, currency="CHF")
    'CHF 1,234'
    >>> format_money(-0.2)
    '$0'
    """
    negative, text = _grouped(value, digits)
    symbol = CURRENCY_SYMBOLS.get(currency.upper())
    body = f"{symbol}{text}" if symbol else f"{currency.upper()} {text}"
    return f"-{body}" if negative else body


def suffix_of(magnitude: float) -> tuple[float, str]:
    """Return the divisor and suffix that write ``magnitude`` with at most three digits.

    >>> suffix_of(2_500_000), suffix_of(999)
    ((1000000.0, 'M'), (1.0, ''))
    """
    for divisor, suffix in SUFFIXES:
        if magnitude >= divisor:
            return divisor, suffix
    return 1.0, ""


def format_significant(value: float, kind: Kind, currency: str = DEFAULT_CURRENCY) -> str:
    """Return money or a count in three significant figures with a k/M/B/T suffix, for a
    view that must stay narrow (the first screen's money by year).

    >>> format_significant(5_987_379, Kind.MONEY), format_significant(6_000_000, Kind.MONEY)
    ('$5.99M', '$6.00M')
    >>> format_significant(10_879_738, Kind.MONEY), format_significant(-33_915, Kind.MONEY)
    ('$10.9M', '-$33.9k')
    >>> format_significant(999_999, Kind.MONEY), format_significant(257, Kind.COUNT)
    ('$1.00M', '257')
    """
    magnitude = abs(value)
    if magnitude >= LARGEST_SUFFIXED:
        text = f"{value:.2e}"
        return format_money(1, 0, currency).replace("1", text) if kind is Kind.MONEY else text
    divisor, suffix = suffix_of(magnitude)
    scaled = magnitude / divisor
    digits = 0 if scaled >= 100 or not suffix else FIGURES - len(str(int(scaled)))
    if round(scaled, digits) >= 1000 and divisor < SUFFIXES[0][0]:
        # 999,999 rounds to 1,000k: one suffix up.
        divisor, suffix = suffix_of(divisor * 1000)
        scaled, digits = magnitude / divisor, FIGURES - 1
    elif round(scaled, digits) >= 10 ** (FIGURES - digits) and digits > 0:
        digits -= 1  # 9.996M is 10.0M, not 10.00M
    signed = -scaled if value < 0 else scaled
    if kind is Kind.MONEY:
        return format_money(signed, digits, currency) + suffix
    return format_count(signed, digits) + suffix


def format_rate(value: float, digits: int = 0) -> str:
    """Return a fraction as a percentage.

    >>> format_rate(0.253, 1)
    '25.3%'
    >>> format_rate(-0.0001, 1)
    '0.0%'
    """
    negative, text = _grouped(value * 100, digits)
    return f"{'-' if negative else ''}{text}%"


def format_count(value: float, digits: int = 0) -> str:
    """Return a count with thousands separators.

    >>> format_count(12345.678, 1)
    '12,345.7'
    """
    negative, text = _grouped(value, digits)
    return f"{'-' if negative else ''}{text}"


def format_number(value: float, digits: int = 0) -> str:
    """Return a plain number with ``digits`` decimals and no separators.

    >>> format_number(3.14159, 2)
    '3.14'
    >>> format_number(-0.004, 2)
    '0.00'
    >>> format_number(24000.0, AS_WRITTEN), format_number(0.015, AS_WRITTEN)
    ('24000', '0.015')
    """
    if digits == AS_WRITTEN:
        return str(int(value)) if float(value).is_integer() else repr(round(float(value), 10))
    negative, text = _grouped(value, digits, separators=False)
    return f"{'-' if negative else ''}{text}"


class Footnotes:
    """Number the n/a reasons of one table in order of first use, each reason once."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}

    def mark(self, na: NA) -> str:
        """Return the superscript marker for an n/a reason, numbering it on first use."""
        number = self._numbers.setdefault(na.reason, len(self._numbers) + 1)
        return superscript(number)

    def lines(self) -> list[str]:
        """Return one ``¹ reason`` line per reason, in marker order."""
        return [f"{superscript(n)} {reason}" for reason, n in self._numbers.items()]

    def __bool__(self) -> bool:
        return bool(self._numbers)


def format_cell(
    cell: Cell,
    column: Column,
    currency: str = DEFAULT_CURRENCY,
    footnotes: Footnotes | None = None,
) -> str:
    """Return one cell as human text for its column's kind.

    >>> from salesplan.report.table import Column, Kind
    >>> format_cell(0.253, Column("win_rate", "Win rate", Kind.RATE, digits=1))
    '25.3%'
    >>> format_cell(NA("no new customers"), Column("cac", "CAC", Kind.MONEY), "USD", Footnotes())
    'n/a¹'
    >>> format_cell(None, Column("note", "Note", Kind.TEXT))
    ''
    """
    if cell is None:
        return ""
    if isinstance(cell, NA):
        return NA_TEXT + (footnotes.mark(cell) if footnotes is not None else "")
    if isinstance(cell, str):
        return cell
    if isinstance(cell, float):
        check_finite(cell, f"column {column.name}")
    if column.digits == SIGNIFICANT and column.kind in (Kind.MONEY, Kind.COUNT):
        return format_significant(cell, column.kind, currency)
    match column.kind:
        case Kind.MONEY:
            return format_money(cell, column.digits, currency)
        case Kind.RATE:
            return format_rate(cell, column.digits)
        case Kind.COUNT:
            return format_count(cell, column.digits)
        case Kind.NUMBER:
            return format_number(cell, column.digits)
        case Kind.TEXT:
            return str(cell)


def header_text(column: Column, *, separator: str = " ") -> str:
    """Return a column's human header: its title, then its unit in parentheses when set."""
    return f"{column.title}{separator}({column.unit})" if column.unit else column.title


def format_rows(table: Table, currency: str, footnotes: Footnotes) -> list[list[str]]:
    """Return every cell of a table as human text, marking n/a reasons in ``footnotes``."""
    return [
        [
            format_cell(cell, col, currency, footnotes)
            for cell, col in zip(row, table.columns, strict=True)
        ]
        for row in table.rows
    ]
