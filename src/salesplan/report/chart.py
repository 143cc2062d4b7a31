"""A neutral chart: named series of raw numbers over labels; renderers decide how it looks.

Like a ``Table``, a ``Chart`` holds numbers, never text made from numbers: the SVG and
terminal renderers (``salesplan.render``) pick the scale, the ticks, the currency sign and
the colours.  What each kind expects:

``LINE``
    one or more series over the ``x_labels`` (months), each optionally with a band
    (``low`` and ``high``, e.g. P10 to P90 of a simulation; ``meta["band"]`` names it).
``STACKED``
    series that add up, drawn on top of each other over the ``x_labels`` (heads by role
    by month); values are not negative.
``BARS``
    one series, a value per category in ``x_labels`` (volume by funnel stage, CAC by
    tier), optionally with ``low`` and ``high`` whiskers.
``TORNADO``
    exactly two series over the inputs in ``x_labels`` (largest effect first): the outcome
    with each input at its low, then at its high; ``base`` is the outcome with every input
    at its likely value.
``TIMELINE``
    one series per row (role) over the ``x_labels`` (months), a count in each cell (hires
    that month), zero for none; values are not negative.

``base`` belongs to the tornado alone; every other kind leaves it ``None``.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from salesplan.report.table import Column, Kind, Table


class ChartKind(enum.StrEnum):
    """The picture a chart is drawn as; decides which shapes its series may take."""

    LINE = "line"
    STACKED = "stacked"
    BARS = "bars"
    TORNADO = "tornado"
    TIMELINE = "timeline"


# Kinds whose values add up or count things, so a negative value has no picture.
NON_NEGATIVE_KINDS = frozenset({ChartKind.STACKED, ChartKind.TIMELINE})
# Kinds whose series may carry a low-high band (LINE) or whiskers (BARS).
BAND_KINDS = frozenset({ChartKind.LINE, ChartKind.BARS})
# TEXT is a label, not a quantity: no axis can be drawn for it.
CHART_UNITS = frozenset({Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER})


def _numbers(values: Iterable[float], where: str) -> tuple[float, ...]:
    """Return the values as a tuple of finite Python floats, or raise ValueError."""
    out = tuple(float(v) for v in values)
    for i, v in enumerate(out):
        if not math.isfinite(v):
            raise ValueError(f"{where}[{i}]: {v!r} is not a finite number")
    return out


@dataclass(frozen=True)
class Series:
    """A named row of values, one per x label, with an optional band (``low`` to ``high``)."""

    name: str
    values: tuple[float, ...]
    low: tuple[float, ...] | None = None
    high: tuple[float, ...] | None = None

    def __post_init__(self) -> None:
        # Frozen, so the tidy tuples (numpy scalars and ints made floats) go in this way.
        object.__setattr__(self, "values", _numbers(self.values, f"series {self.name}"))
        if (self.low is None) != (self.high is None):
            raise ValueError(f"series {self.name}: a band needs both low and high")
        if self.low is not None and self.high is not None:
            low = _numbers(self.low, f"series {self.name} low")
            high = _numbers(self.high, f"series {self.name} high")
            if not len(low) == len(high) == len(self.values):
                raise ValueError(
                    f"series {self.name}: low, high and values differ in length "
                    f"({len(low)}, {len(high)}, {len(self.values)})"
                )
            for i, (lo, hi) in enumerate(zip(low, high, strict=True)):
                if lo > hi:
                    raise ValueError(f"series {self.name}: low {lo} is above high {hi} at {i}")
            object.__setattr__(self, "low", low)
            object.__setattr__(self, "high", high)

    @property
    def has_band(self) -> bool:
        """Return True if the series carries a low-high band."""
        return self.low is not None

    def extent(self) -> tuple[float, float]:
        """Return the smallest and largest number of the series, its band included."""
        numbers = [*self.values, *(self.low or ()), *(self.high or ())]
        return min(numbers), max(numbers)


@dataclass(frozen=True)
class Chart:
    """Series over labelled x positions, with the unit of every value; see the module doc."""

    name: str
    title: str
    kind: ChartKind
    x_labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: Kind = Kind.NUMBER
    base: float | None = None
    notes: tuple[str, ...] = ()
    # What a renderer needs to draw the values: "currency" (ISO code), "band" (what a band
    # or whisker spans, "P10–P90" unless set), "base" (a tornado's base, "Plan" unless set).
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        where = f"chart {self.name}"
        if self.unit not in CHART_UNITS:
            raise ValueError(f"{where}: unit {self.unit.value} is not a quantity")
        if not self.x_labels:
            raise ValueError(f"{where}: no x labels")
        if not self.series:
            raise ValueError(f"{where}: no series")
        for s in self.series:
            if len(s.values) != len(self.x_labels):
                raise ValueError(
                    f"{where}: series {s.name} has {len(s.values)} values "
                    f"for {len(self.x_labels)} x labels"
                )
            if s.has_band and self.kind not in BAND_KINDS:
                raise ValueError(f"{where}: a {self.kind.value} chart has no bands")
            if self.kind in NON_NEGATIVE_KINDS and min(s.values) < 0:
                raise ValueError(f"{where}: series {s.name} has a negative value")
        if self.kind is ChartKind.STACKED and not all(map(math.isfinite, self.totals())):
            raise ValueError(f"{where}: a stacked total is not a finite number")
        if self.kind is ChartKind.TIMELINE:
            for s in self.series:
                if not math.isfinite(sum(s.values)):
                    raise ValueError(f"{where}: the total of {s.name} is not a finite number")
        if self.kind is ChartKind.BARS and len(self.series) != 1:
            raise ValueError(f"{where}: a bars chart has one series, not {len(self.series)}")
        if self.kind is ChartKind.TORNADO:
            if len(self.series) != 2:
                raise ValueError(f"{where}: a tornado has two series (at low, at high)")
            if self.base is None:
                raise ValueError(f"{where}: a tornado needs a base value")
        elif self.base is not None:
            raise ValueError(f"{where}: only a tornado has a base value")
        if self.base is not None:
            object.__setattr__(self, "base", _numbers([self.base], f"{where} base")[0])

    def extent(self) -> tuple[float, float]:
        """Return the smallest and largest number drawn: every series, band and base."""
        lows, highs = zip(*(s.extent() for s in self.series), strict=True)
        extra = () if self.base is None else (self.base,)
        return min([*lows, *extra]), max([*highs, *extra])

    def table(self) -> Table:
        """Return the chart's numbers as a table, one row per series and x label: what a
        format that draws no pictures (CSV, XLSX) writes for a chart asked for by name.

        Columns: ``series``, ``label``, ``value``; ``low`` and ``high`` when a series has a
        band (empty for one that has none); ``base`` for a tornado.

        >>> chart = Chart("c", "C", ChartKind.BARS, ("a", "b"), (Series("n", (1, 2)),))
        >>> chart.table().records()
        [{'series': 'n', 'label': 'a', 'value': 1.0}, {'series': 'n', 'label': 'b', 'value': 2.0}]
        """
        banded = any(s.has_band for s in self.series)
        columns = [
            Column("series", "Series", Kind.TEXT),
            Column("label", "Label", Kind.TEXT),
            Column("value", "Value", self.unit, digits=2 if self.unit is Kind.NUMBER else 0),
        ]
        if banded:
            band = self.meta.get("band", "band")
            columns += [
                Column("low", f"Low ({band})", self.unit),
                Column("high", f"High ({band})", self.unit),
            ]
        if self.base is not None:
            columns.append(Column("base", self.meta.get("base", "Base"), self.unit))
        rows = []
        for s in self.series:
            for i, label in enumerate(self.x_labels):
                row: list[str | float | None] = [s.name, label, s.values[i]]
                if banded:
                    row += [s.low[i], s.high[i]] if s.low and s.high else [None, None]
                if self.base is not None:
                    row.append(self.base)
                rows.append(tuple(row))
        return Table(
            self.name, self.title, tuple(columns), tuple(rows), 2, self.notes, dict(self.meta)
        )

    def totals(self) -> tuple[float, ...]:
        """Return the sum of the series at each x (the top of a stacked chart)."""
        # sum, not fsum: fsum raises on overflow, and an infinite total is refused when made.
        return tuple(sum(column) for column in zip(*(s.values for s in self.series), strict=True))
