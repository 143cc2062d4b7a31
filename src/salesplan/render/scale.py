"""What the chart renderers share: round ticks, short labels ($1.5M, 250k, 25%), names.

Shared by the SVG and the terminal charts so both read alike.  Labels go through the cell
formatting of ``render.cells`` (currency signs, minus signs, never -0) with a k/M/B/T
suffix added after it; every label is made from a rounded figure, so no float noise
(``0.30000000000000004``) ever reaches the text.
"""

from __future__ import annotations

import math
from decimal import Decimal

from salesplan.render.cells import (
    DEFAULT_CURRENCY,
    LARGEST_SUFFIXED,
    format_count,
    format_money,
    format_number,
    format_rate,
    suffix_of,
)
from salesplan.render.text import clean
from salesplan.report.chart import Chart
from salesplan.report.table import Kind

SMALLEST_TICK = 1e-4
NICE_STEPS = (1.0, 2.0, 2.5, 5.0, 10.0)
# What a band and a tornado's base are called when the chart's meta does not say.
DEFAULT_BAND = "P10–P90"
DEFAULT_BASE = "Plan"


# Not characters at all, and XML (an SVG) refuses them.
_NONCHARACTERS = dict.fromkeys([0xFFFE, 0xFFFF])


def one_line(text: str) -> str:
    r"""Return plan-written text cleaned and on one line (runs of white space become one).

    >>> one_line("SMB,\n self-serve\x1b[31m")
    'SMB, self-serve[31m'
    """
    return " ".join(clean(text).translate(_NONCHARACTERS).split())


def currency_of_chart(chart: Chart, fallback: str | None = None) -> str:
    """Return the ISO currency of a chart: its meta, else ``fallback``, else USD."""
    return (chart.meta.get("currency") or fallback or DEFAULT_CURRENCY).upper()


def nice_step(span: float, count: int) -> float:
    """Return a round step (1, 2, 2.5 or 5 times a power of ten) for ``count`` intervals.

    >>> nice_step(1_000_000, 5), nice_step(0.37, 4), nice_step(0, 5)
    (200000.0, 0.1, 1.0)
    """
    raw = span / max(count, 1)
    # Far below any plan's figure a power of ten would underflow: a unit step will do.
    if not 1e-290 < raw < math.inf:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    for step in NICE_STEPS:
        if raw <= step * power * (1 + 1e-9):
            return step * power
    return 10.0 * power


def nice_ticks(low: float, high: float, count: int = 5) -> tuple[float, ...]:
    """Return round tick values covering ``low`` to ``high``, about ``count`` intervals.

    >>> nice_ticks(0, 9.3)
    (0.0, 2.0, 4.0, 6.0, 8.0, 10.0)
    >>> nice_ticks(-0.05, 0.3, 4)
    (-0.1, 0.0, 0.1, 0.2, 0.3)
    >>> nice_ticks(5, 5)
    (5.0, 10.0)
    """
    if high < low:
        low, high = high, low
    if not math.isfinite(high - low) or abs(high) > 1e300 or abs(low) > 1e300:
        # No round step that far out stays finite: the ends will do.
        return (min(low, 0.0), max(high, 0.0))
    step = nice_step(high - low, count) if high != low else nice_step(abs(high), 1)
    # The slack forgives float noise only (0.30000000000000004 / 0.1 is not above 3).
    first = math.floor(low / step + 1e-12)
    last = math.ceil(high / step - 1e-12)
    if last <= first:
        last = first + 1
    # A multiple of the step times an integer, rounded to the step's digits: no float noise.
    digits = max(0, -math.floor(math.log10(step)) + 2)
    ticks = sorted({round(n * step, digits) + 0.0 for n in range(first, last + 1)})
    if len(ticks) < 2:
        # A span below the floats' resolution at this size: its ends are the only ticks.
        return (min(low, ticks[0]), high if high > ticks[0] else ticks[0] + step)
    # Steps finer than a float's spacing there round together: each tick once.
    return tuple(ticks)


def _decimals(value: float, limit: int = 6) -> int:
    """Return the fewest decimals (up to ``limit``) that write ``value`` exactly.

    >>> _decimals(2.5), _decimals(200.0), _decimals(0.125)
    (1, 0, 3)
    """
    for d in range(limit + 1):
        if abs(round(value, d) - value) <= 1e-9 * max(abs(value), 1e-12):
            return d
    return limit


def _plain(value: float, digits: int, unit: Kind, currency: str) -> str:
    """Return an already scaled value in the unit's cell format."""
    if unit is Kind.MONEY:
        return format_money(value, digits, currency)
    if unit is Kind.COUNT:
        return format_count(value, digits)
    return format_number(value, digits)


def _scientific(value: float, unit: Kind, currency: str) -> str:
    """Return a figure too large for a suffix in scientific notation."""
    text = f"{value:.2e}"
    if unit is Kind.MONEY:
        body = format_money(1, 0, currency).replace("1", text.lstrip("-"))
        return f"-{body}" if value < 0 else body
    return text


def _scientific_rate(value: float) -> str:
    """Return a fraction too large for a percentage in scientific notation, as percent."""
    # Decimal: a fraction near the largest float would overflow when multiplied by 100.
    return format(Decimal(repr(value)) * 100, ".2e") + "%"


def short(value: float, unit: Kind, currency: str, *, digits: int | None = None) -> str:
    """Return a value in a few characters: ``$1.5M``, ``12k``, ``25.3%``, ``3.2``.

    ``digits`` fixes the decimals after scaling (tick labels share one); by default a
    scaled value under 100 keeps one decimal (or none when it is whole).

    >>> short(1_500_000, Kind.MONEY, "USD"), short(-2500, Kind.MONEY, "EUR")
    ('$1.5M', '-€2.5k')
    >>> short(0.253, Kind.RATE, "USD"), short(12.0, Kind.COUNT, "USD")
    ('25.3%', '12')
    >>> short(1_200_000, Kind.MONEY, "CHF", digits=2), short(0, Kind.MONEY, "USD", digits=1)
    ('CHF 1.20M', '$0')
    """
    if unit is Kind.RATE:
        if abs(value) * 100 >= LARGEST_SUFFIXED:
            return _scientific_rate(value)
        if digits is None:
            digits = 0 if _decimals(value * 100, 1) == 0 else 1
        return format_rate(value, digits)
    magnitude = abs(value)
    if magnitude >= LARGEST_SUFFIXED:
        return _scientific(value, unit, currency)
    divisor, suffix = suffix_of(magnitude)
    scaled = value / divisor
    if round(abs(scaled), 1) == 0:
        return _plain(0.0, 0, unit, currency)
    if digits is None:
        digits = 0 if abs(scaled) >= 100 or _decimals(scaled, 1) == 0 else 1
    return _plain(scaled, digits, unit, currency) + suffix


def tick_labels(ticks: tuple[float, ...], unit: Kind, currency: str) -> list[str]:
    """Return the labels of an axis's ticks, each with its own suffix and no trailing zeros.

    >>> tick_labels((0.0, 500_000.0, 1_000_000.0, 1_500_000.0), Kind.MONEY, "USD")
    ['$0', '$500k', '$1M', '$1.5M']
    >>> tick_labels((0.0, 0.025, 0.05), Kind.RATE, "USD")
    ['0%', '2.5%', '5%']
    >>> tick_labels((-2.5, 0.0, 2.5, 5.0), Kind.COUNT, "USD")
    ['-2.5', '0', '2.5', '5']
    """
    return [tick_label(t, unit, currency) for t in ticks]


def tick_label(value: float, unit: Kind, currency: str) -> str:
    """Return one tick's label: the figure exactly, in as few characters as it takes."""
    tiny = 0 < abs(value) < SMALLEST_TICK
    if unit is Kind.RATE:
        if abs(value) * 100 >= LARGEST_SUFFIXED or 0 < abs(value) * 100 < SMALLEST_TICK:
            return _scientific_rate(value)
        return format_rate(value, _decimals(value * 100, 6))
    if abs(value) >= LARGEST_SUFFIXED or tiny:
        return _scientific(value, unit, currency)
    divisor, suffix = suffix_of(abs(value))
    scaled = value / divisor
    return _plain(scaled, _decimals(scaled, 6), unit, currency) + suffix
