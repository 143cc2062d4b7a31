"""Terminal charts: golden lines, never wider than asked, a few lines, monochrome."""

from __future__ import annotations

import pytest
from chart_strategies import charts
from hypothesis import given, settings
from hypothesis import strategies as st
from render_sample import GOLDEN, sample_charts
from rich.cells import cell_len
from tests.golden import assert_golden

from salesplan.render.terminal_chart import MAX_LINES, chart_lines, fit
from salesplan.report.chart import Chart, ChartKind, Series
from salesplan.report.table import Kind


def test_golden() -> None:
    out = []
    for width in (40, 72, 120):
        for chart in sample_charts():
            out += [f"## {chart.kind.value} at {width}", *chart_lines(chart, width), ""]
    assert_golden("\n".join(out), GOLDEN / "terminal-charts.txt")


@settings(max_examples=300, deadline=None)
@given(charts(), st.integers(min_value=40, max_value=400))
def test_no_line_is_wider_than_the_width(chart: Chart, width: int) -> None:
    lines = chart_lines(chart, width)
    assert 1 <= len(lines) <= MAX_LINES
    for line in lines:
        assert cell_len(line) <= width, (width, line)
        assert "\n" not in line and "\x1b" not in line and "\r" not in line


@pytest.mark.parametrize("width", [40, 41, 57, 100, 400])
def test_sample_charts_fit_every_width(width: int) -> None:
    for chart in sample_charts():
        lines = chart_lines(chart, width)
        assert len(lines) <= MAX_LINES
        assert max(cell_len(line) for line in lines) <= width


def test_wide_and_hostile_labels() -> None:
    name = "営業\u202e\x1b[2J" + "x" * 300
    chart = Chart("c", name, ChartKind.BARS, (name, "b"), (Series(name, (1.0, 2.0)),), Kind.MONEY)
    for line in chart_lines(chart, 40):
        assert cell_len(line) <= 40 and "\u202e" not in line and "\x1b" not in line
    assert fit("営業", 3) == "営…"


def test_line_shares_one_scale_and_shows_the_band() -> None:
    chart = Chart(
        "arr",
        "ARR",
        ChartKind.LINE,
        ("2027-01", "2027-02", "2027-03"),
        (
            Series("Plan", (0.0, 5e5, 1e6), low=(0.0, 4e5, 8e5), high=(0.0, 6e5, 1.2e6)),
            Series("Floor", (0.0, 0.0, 0.0)),
        ),
        Kind.MONEY,
    )
    title, plan, floor, axis = chart_lines(chart, 60)
    assert title == "ARR"
    assert plan.startswith("Plan  $0 ▁▁▁") and "$1M P10–P90 $800k–$1.2M" in plan
    assert floor.startswith("Floor $0 ▁▁▁▁▁▁▁▁▁ $0")  # flat at zero on the shared scale
    assert axis.split() == ["2027-01", "–", "2027-03"]


def test_tornado_sides_and_timeline_buckets() -> None:
    tornado = Chart(
        "t",
        "Sensitivity",
        ChartKind.TORNADO,
        ("churn",),
        (Series("at low", (120.0,)), Series("at high", (90.0,))),
        Kind.COUNT,
        base=100.0,
    )
    _, legend, row = chart_lines(tornado, 40)
    assert legend == "▒ at low  █ at high  │ Plan 100"
    left, _, right = row.partition("│")
    assert left.strip().endswith("█") and right.startswith("▒")  # high input lowers it
    months = tuple(f"m{i}" for i in range(400))
    hires = Chart(
        "h", "Hires", ChartKind.TIMELINE, months, (Series("AE", (1.0,) * 400),), Kind.COUNT
    )
    title, row, _ = chart_lines(hires, 40)
    assert "a column" in title and "+" not in row[:3] and row.split()[-1] == "400"
