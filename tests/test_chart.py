"""The neutral chart: shapes checked when it is made, numbers kept as plain floats."""

from __future__ import annotations

import math

import numpy as np
import pytest

from salesplan.report.chart import Chart, ChartKind, Series
from salesplan.report.table import Kind, Report

X = ("2027-01", "2027-02", "2027-03")


def line(*series: Series, **kwargs: object) -> Chart:
    return Chart("arr", "ARR", ChartKind.LINE, X, series, Kind.MONEY, **kwargs)


def test_values_become_a_tuple_of_floats() -> None:
    s = Series("plan", np.array([1, 2, 3]))
    assert s.values == (1.0, 2.0, 3.0) and all(type(v) is float for v in s.values)
    banded = Series("plan", (1, 2, 3), low=[0, 1, 2], high=np.array([2.0, 3.0, 4.0]))
    assert banded.low == (0.0, 1.0, 2.0) and banded.high == (2.0, 3.0, 4.0)
    assert banded.has_band and banded.extent() == (0.0, 4.0)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_numbers_are_finite(bad: float) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        Series("plan", (1.0, bad, 3.0))
    with pytest.raises(ValueError, match="not a finite number"):
        Series("plan", (1.0, 2.0, 3.0), low=(0.0, bad, 0.0), high=(5.0, 5.0, 5.0))


def test_band_needs_both_ends_in_order_and_length() -> None:
    with pytest.raises(ValueError, match="both low and high"):
        Series("plan", (1.0,), low=(0.0,))
    with pytest.raises(ValueError, match="above high"):
        Series("plan", (1.0,), low=(2.0,), high=(1.5,))
    with pytest.raises(ValueError, match="differ in length"):
        Series("plan", (1.0, 2.0), low=(0.0,), high=(3.0,))


def test_series_match_the_x_labels() -> None:
    with pytest.raises(ValueError, match="2 values for 3 x labels"):
        line(Series("plan", (1.0, 2.0)))
    with pytest.raises(ValueError, match="no x labels"):
        Chart("c", "C", ChartKind.LINE, (), (Series("s", ()),))
    with pytest.raises(ValueError, match="no series"):
        Chart("c", "C", ChartKind.LINE, X, ())


def test_kind_rules() -> None:
    three = (1.0, 2.0, 3.0)
    banded = Series("s", three, low=three, high=three)
    with pytest.raises(ValueError, match="has no bands"):
        Chart("c", "C", ChartKind.STACKED, X, (banded,))
    with pytest.raises(ValueError, match="negative"):
        Chart("c", "C", ChartKind.TIMELINE, X, (Series("AE", (0.0, -1.0, 2.0)),))
    with pytest.raises(ValueError, match="one series"):
        Chart("c", "C", ChartKind.BARS, X, (Series("a", three), Series("b", three)))
    with pytest.raises(ValueError, match="two series"):
        Chart("c", "C", ChartKind.TORNADO, X, (Series("a", three),), base=1.0)
    with pytest.raises(ValueError, match="needs a base"):
        Chart("c", "C", ChartKind.TORNADO, X, (Series("a", three), Series("b", three)))
    with pytest.raises(ValueError, match="only a tornado"):
        line(Series("s", three), base=2.0)
    with pytest.raises(ValueError, match="not a finite"):
        Chart(
            "c", "C", ChartKind.TORNADO, X, (Series("a", three), Series("b", three)), base=math.nan
        )
    with pytest.raises(ValueError, match="not a quantity"):
        Chart("c", "C", ChartKind.LINE, X, (Series("s", three),), Kind.TEXT)


def test_extent_and_totals() -> None:
    chart = Chart(
        "heads",
        "Heads",
        ChartKind.STACKED,
        X,
        (Series("AE", (1.0, 2.0, 3.0)), Series("SDR", (0.1, 0.2, 0.3))),
        Kind.COUNT,
    )
    assert chart.extent() == (0.1, 3.0)
    assert chart.totals() == (1.1, 2.2, 3.3)
    tornado = Chart(
        "t", "T", ChartKind.TORNADO, ("a",), (Series("lo", (4.0,)), Series("hi", (6.0,))), base=9
    )
    assert tornado.extent() == (4.0, 9.0) and tornado.base == 9.0


def test_report_charts_default_empty_and_last() -> None:
    assert Report("plan", "P", ()).charts == ()
    chart = line(Series("s", (1.0, 2.0, 3.0)))
    report = Report("plan", "P", (), {}, (), (chart,))
    assert report.charts == (chart,)


def test_totals_must_be_finite() -> None:
    big = Series("a", (1e308, 1e308, 0.0))
    with pytest.raises(ValueError, match="stacked total"):
        Chart("c", "C", ChartKind.STACKED, X, (big, big))
    with pytest.raises(ValueError, match="total of a"):
        Chart("c", "C", ChartKind.TIMELINE, X, (big,))
    assert Chart("c", "C", ChartKind.LINE, X, (big, big)).extent() == (0.0, 1e308)
