"""Hypothesis strategies for charts of every kind: any finite number, any label text."""

from __future__ import annotations

from hypothesis import strategies as st

from salesplan.report.chart import BAND_KINDS, NON_NEGATIVE_KINDS, Chart, ChartKind, Series
from salesplan.report.table import Kind

UNITS = (Kind.MONEY, Kind.COUNT, Kind.RATE, Kind.NUMBER)
# Any text a plan could hold: controls, bidi overrides, wide and combining characters.
labels = st.text(max_size=40)
numbers = st.floats(allow_nan=False, allow_infinity=False)
# Counts: non-negative, small enough that sixty of them add up to a finite total.
counts = st.floats(min_value=0, max_value=1e300, allow_nan=False)


@st.composite
def series(draw: st.DrawFn, n: int, values: st.SearchStrategy[float], band: bool) -> Series:
    """Return a series of ``n`` values, with a band around them when ``band``."""
    drawn = draw(st.lists(values, min_size=n, max_size=n))
    if not (band and draw(st.booleans())):
        return Series(draw(labels), tuple(drawn))
    others = draw(st.lists(st.tuples(values, values), min_size=n, max_size=n))
    low = tuple(min(v, a) for v, (a, _) in zip(drawn, others, strict=True))
    high = tuple(max(v, b) for v, (_, b) in zip(drawn, others, strict=True))
    return Series(draw(labels), tuple(drawn), low, high)


@st.composite
def charts(draw: st.DrawFn, kinds: tuple[ChartKind, ...] = tuple(ChartKind)) -> Chart:
    """Return a valid chart of one of ``kinds`` with 1 to 60 x labels."""
    kind = draw(st.sampled_from(kinds))
    n = draw(st.integers(min_value=1, max_value=60))
    count = {ChartKind.BARS: 1, ChartKind.TORNADO: 2}.get(kind)
    if count is None:
        count = draw(st.integers(min_value=1, max_value=7))
    values = counts if kind in NON_NEGATIVE_KINDS else numbers
    if kind is ChartKind.STACKED:  # columns of up to seven must add up to a finite total
        values = st.floats(min_value=0, max_value=1e306, allow_nan=False)
    drawn = tuple(draw(series(n, values, kind in BAND_KINDS)) for _ in range(count))
    return Chart(
        name=draw(st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)),
        title=draw(labels),
        kind=kind,
        x_labels=tuple(draw(st.lists(labels, min_size=n, max_size=n))),
        series=drawn,
        unit=draw(st.sampled_from(UNITS)),
        base=draw(numbers) if kind is ChartKind.TORNADO else None,
        meta={"currency": draw(st.sampled_from(["USD", "EUR", "CHF", "JPY"]))},
    )
