"""SVG charts: golden per kind, well-formed, accessible, self-contained, escaped, exact."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest
from chart_strategies import charts
from hypothesis import given, settings
from render_sample import GOLDEN, HOSTILE, sample_charts
from tests.golden import assert_golden

from salesplan.render.svg import chart_svg
from salesplan.render.svg_canvas import PALETTE, color
from salesplan.report.chart import Chart, ChartKind, Series
from salesplan.report.table import Kind

ELEMENTS = {"svg", "title", "g", "rect", "line", "polyline", "polygon", "circle", "text"}
GEOMETRY = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "points"}
# Coordinates to a tenth at most: more decimals would be float noise.
NUMBERS = re.compile(r"-?\d+(\.\d)?([ ,]-?\d+(\.\d)?)*")


@pytest.mark.parametrize("chart", sample_charts(), ids=lambda c: c.kind.value)
def test_golden(chart: Chart) -> None:
    assert_golden(chart_svg(chart), GOLDEN / f"chart-{chart.kind.value}.svg")


def check_svg(svg: str) -> ET.Element:
    """Assert what every chart SVG must be, and return it parsed."""
    root = ET.fromstring(svg)  # well-formed XML, so every plan-written string was escaped
    assert root.tag == "svg" and "xmlns" not in svg
    assert re.fullmatch(r"0 0 \d+ \d+", root.attrib["viewBox"])
    assert root.attrib["role"] == "img" and "aria-label" in root.attrib
    first = root[0]
    assert first.tag == "title" and first.text == root.attrib["aria-label"] != ""
    for element in root.iter():
        assert element.tag in ELEMENTS, element.tag  # no script, image, link or foreign object
        for name, value in element.attrib.items():
            assert "href" not in name and "//" not in value and "url(" not in value, name
            if name in GEOMETRY:
                assert NUMBERS.fullmatch(value), (name, value)  # no nan, inf or noise
    return root


@pytest.mark.parametrize("chart", sample_charts(), ids=lambda c: c.kind.value)
def test_structure(chart: Chart) -> None:
    svg = chart_svg(chart)
    root = check_svg(svg)
    assert svg == chart_svg(chart)  # deterministic
    assert root.attrib["aria-label"] == " ".join(chart.title.split())
    assert PALETTE[0] in svg


def test_hostile_text_is_cleaned_and_escaped() -> None:
    svg = chart_svg(sample_charts()[1])  # a role named with markup, an escape and an override
    assert HOSTILE not in svg and "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in svg
    assert "\x1b" not in svg and "\u202e" not in svg


def test_noncharacters_are_dropped() -> None:
    chart = Chart("c", "A\uffffB\ufffe", ChartKind.BARS, ("x\uffff",), (Series("s", (1.0,)),))
    root = check_svg(chart_svg(chart))
    assert root.attrib["aria-label"] == "AB"


def test_ticks_read_as_money_and_rates() -> None:
    arr = chart_svg(sample_charts()[0])
    for label in ("$0", "$2M", "$4M", "$6M", "$8M"):
        assert f">{label}</text>" in arr
    assert ">€5M</text>" in chart_svg(sample_charts()[3])
    rates = Chart(
        "win",
        "Win rate",
        ChartKind.LINE,
        ("Q1", "Q2"),
        (Series("SMB", (0.18, 0.243)),),
        Kind.RATE,
    )
    svg = chart_svg(rates)
    assert ">0%</text>" in svg and ">25%</text>" in svg and ">24.3%</text>" in svg


def test_currency_falls_back_to_the_argument() -> None:
    chart = Chart("c", "C", ChartKind.BARS, ("a",), (Series("s", (2e6,)),), Kind.MONEY)
    assert ">£2M</text>" in chart_svg(chart, currency="GBP")
    assert ">$2M</text>" in chart_svg(chart)


def test_full_titles_of_cut_row_labels_stay_as_tips() -> None:
    long = "mid_market/outbound opportunity rate, the long way round"
    chart = Chart("c", "C", ChartKind.BARS, (long,), (Series("s", (1.0,)),))
    svg = chart_svg(chart)
    assert f"<title>{long}</title>" in svg and "…" in svg


def test_labels_that_share_a_beginning_stay_apart() -> None:
    # A tornado's inputs often differ only after "mid_market/…": cut at the end, they read alike.
    stages = ("opportunity", "lead", "sql")
    cells = [f"mid_market/{m} {s} rate" for m in ("inbound", "outbound") for s in stages]
    names = (*cells, "mid_market ACV")
    both = (Series("low", (1.0,) * 7), Series("high", (3.0,) * 7))
    chart = Chart("c", "C", ChartKind.TORNADO, names, both, base=2.0)
    root = check_svg(chart_svg(chart))
    drawn: dict[str, list[str]] = {}
    for text in root.iter("text"):
        tip = text.find("title")
        label = tip.text if tip is not None else text.text
        if label in names:
            drawn.setdefault(label, []).append("".join(text.itertext()).replace(label, "", 1))
    shown = {name: " ".join(parts) for name, parts in drawn.items()}
    assert set(shown) == set(names) and len(set(shown.values())) == len(names)


def test_a_dozen_series_never_share_a_colour() -> None:
    roles = tuple(f"role {i}" for i in range(12))
    series = tuple(Series(r, (1.0, 2.0)) for r in roles)
    svg = chart_svg(Chart("c", "C", ChartKind.STACKED, ("a", "b"), series))
    fills = {f for f in re.findall(r'fill="(#[0-9A-Fa-f]{6})"', svg) if f.upper() != "#FFFFFF"}
    assert len(fills & {color(i) for i in range(12)}) == 12


@settings(max_examples=150, deadline=None)
@given(charts())
def test_any_chart_draws_as_valid_svg(chart: Chart) -> None:
    check_svg(chart_svg(chart))
