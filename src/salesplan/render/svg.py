"""Draw a neutral ``Chart`` as inline SVG: for HTML5 pages, hand-written, no dependencies.

The SVG has a ``viewBox`` (it scales to its box), a ``<title>`` and an ``aria-label``, no
``xmlns`` (inline SVG in HTML5 needs none), no script and no link.  Colours come from the
Okabe–Ito palette, which readers with any common colour-vision deficiency can tell apart;
lines also differ by dash, so a black-and-white print still reads.  Coordinates are
written to a tenth of a unit and labels through ``render.scale``, so the text is the same
on every run and machine.  Text a plan wrote passes :func:`clean`, then XML escaping
(``render.svg_canvas``).  What each kind draws:

- LINE: a line a series over x, the band a translucent area, the last value at the end;
- STACKED: a column a x, the series stacked bottom to top, the last total on top;
- BARS: a horizontal bar a category from zero, whiskers for a band, the value after it;
- TORNADO: two thin bars an input from the base (dashed), at low and at high;
- TIMELINE: a row a series, a cell shaded by its count with the count in it, row totals.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from salesplan.render.scale import DEFAULT_BAND, DEFAULT_BASE, currency_of_chart, one_line
from salesplan.render.svg_canvas import (
    BAND_OPACITY,
    FONT,
    INK,
    MUTED,
    ROW_HEIGHT,
    TICK_SIZE,
    WIDTH,
    Canvas,
    _esc,
    _n,
    color,
    dash,
    text_width,
)
from salesplan.report.chart import Chart, ChartKind

PLOT_HEIGHT = 240.0  # of a LINE or STACKED chart, between the legend and the x labels
TIMELINE_EMPTY = "#f5f7fa"  # the track of a timeline row


def _line(c: Canvas) -> float:
    """Draw a LINE chart; return its height."""
    chart = c.chart
    band = chart.meta.get("band", DEFAULT_BAND)
    items = []
    for i, s in enumerate(chart.series):
        items.append((s.name, color(i), f"line {i}"))
        if s.has_band:
            items.append((f"{s.name}: {band}", color(i), "band"))
    top = c.legend(items if len(items) > 1 else []) + 10  # one line needs no legend
    bottom = top + PLOT_HEIGHT
    ticks = c.value_ticks()
    left = c.tick_width(ticks) + 14
    ends = [c.value(s.values[-1]) for s in chart.series]
    right = WIDTH - max(text_width(e, TICK_SIZE) for e in ends) - 12
    y = c.y_axis(ticks, left, right, top, bottom)
    n = len(chart.x_labels)
    xs = [left + (right - left) * (i / (n - 1)) for i in range(n)] if n > 1 else [left]

    def points(values: Sequence[float]) -> list[str]:
        return [f"{_n(x)},{_n(y.at(v))}" for x, v in zip(xs, values, strict=True)]

    for i, s in enumerate(chart.series):
        if s.low is not None and s.high is not None:
            outline = " ".join(points(s.high) + points(s.low)[::-1])
            c.add(f'<polygon points="{outline}" fill="{color(i)}" fill-opacity="{BAND_OPACITY}"/>')
    for i, s in enumerate(chart.series):
        c.add(
            f'<polyline points="{" ".join(points(s.values))}" fill="none" stroke="{color(i)}" '
            f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"{dash(i)}/>'
        )
        if n <= 13:  # few points: mark them, a reader reads values off the dots
            for x, v in zip(xs, s.values, strict=True):
                c.add(f'<circle cx="{_n(x)}" cy="{_n(y.at(v))}" r="3" fill="{color(i)}"/>')
    # The last value of each series at the right end, pushed apart where they would overlap.
    order = sorted(range(len(ends)), key=lambda i: y.at(chart.series[i].values[-1]))
    placed: list[float] = []
    for i in order:
        at = max(y.at(chart.series[i].values[-1]) + 4, (placed[-1] + 15) if placed else top)
        placed.append(at)
        c.text(right + 8, at, ends[i], fill=color(i), bold=True)
    c.x_labels(xs, bottom + 20)
    return bottom + 28


def _stacked(c: Canvas) -> float:
    """Draw a STACKED chart; return its height."""
    chart = c.chart
    top = c.legend([(s.name, color(i), "box") for i, s in enumerate(chart.series)]) + 10
    bottom = top + PLOT_HEIGHT
    ticks = c.value_ticks()
    left = c.tick_width(ticks) + 14
    right = WIDTH - 8
    y = c.y_axis(ticks, left, right, top, bottom)
    n = len(chart.x_labels)
    slot = (right - left) / n
    width = slot * (0.8 if n > 1 else 0.4)
    xs = [left + slot * (i + 0.5) for i in range(n)]
    stacked = [0.0] * n
    labels = [one_line(label) for label in chart.x_labels]
    for k, s in enumerate(chart.series):
        name = one_line(s.name)
        c.add(f'<g fill="{color(k)}">')  # one fill for the series' columns
        for i, v in enumerate(s.values):
            if v > 0:
                y0, y1 = y.at(stacked[i]), y.at(stacked[i] + v)
                tip = f"{name}, {labels[i]}: {c.value(v)}"
                c.rect(xs[i] - width / 2, y1, width, y0 - y1, tip=tip)
                stacked[i] += v
        c.add("</g>")
    # The total on the last column: the figure a board asks for first.
    total = chart.totals()[-1]
    c.text(xs[-1], y.at(total) - 6, c.value(total), anchor="middle", fill=INK, bold=True)
    c.x_labels(xs, bottom + 20)
    return bottom + 28


def _bars(c: Canvas) -> float:
    """Draw a BARS chart; return its height."""
    chart = c.chart
    s = chart.series[0]
    top = 8.0
    left = c.row_labels(chart.x_labels, top)
    widest = max(text_width(c.value(v), TICK_SIZE) for v in s.values)
    bottom = top + ROW_HEIGHT * len(chart.x_labels)
    x = c.x_axis(left, WIDTH - widest - 16, top, bottom)
    zero = x.at(0.0)
    for i, (label, v) in enumerate(zip(chart.x_labels, s.values, strict=True)):
        mid = top + ROW_HEIGHT * (i + 0.5)
        end = x.at(v)
        c.rect(
            min(zero, end),
            mid - 9,
            abs(end - zero),
            18,
            color(0),
            f"{one_line(label)}: {c.value(v)}",
        )
        reach = end
        if s.low is not None and s.high is not None:
            lo, hi = x.at(s.low[i]), x.at(s.high[i])
            for x1, y1, x2, y2 in (
                (lo, mid, hi, mid),
                (lo, mid - 5, lo, mid + 5),
                (hi, mid - 5, hi, mid + 5),
            ):
                c.line(x1, y1, x2, y2, INK, ' stroke-width="1.5"')
            reach = max(end, hi) if v >= 0 else min(end, lo)
        if v >= 0:
            c.text(reach + 6, mid + 4, c.value(v), fill=INK)
        else:
            c.text(reach - 6, mid + 4, c.value(v), anchor="end", fill=INK)
    if s.has_band:
        band = one_line(chart.meta.get("band", DEFAULT_BAND))
        c.text(left, bottom + 36, f"Whiskers: {band}", fill=MUTED)
        return bottom + 44
    return bottom + 26


def _tornado(c: Canvas) -> float:
    """Draw a TORNADO; return its height."""
    chart = c.chart
    at_low, at_high = chart.series
    base = chart.base if chart.base is not None else 0.0
    fills = (color(1), color(0))  # the input's high in the first colour, as on the other charts
    top = c.legend([(at_low.name, fills[0], "box"), (at_high.name, fills[1], "box")]) + 22
    left = c.row_labels(chart.x_labels, top)
    bottom = top + ROW_HEIGHT * len(chart.x_labels)
    widest = max(text_width(c.value(v), TICK_SIZE) for v in (*at_low.values, *at_high.values))
    x = c.x_axis(left + widest + 8, WIDTH - widest - 8, top, bottom)
    centre = x.at(base)
    for i, label in enumerate(chart.x_labels):
        row = top + ROW_HEIGHT * i
        for k, (s, fill) in enumerate(zip((at_low, at_high), fills, strict=True)):
            v = s.values[i]
            end = x.at(v)
            y0 = row + 4 + k * 11
            tip = f"{one_line(label)}, {one_line(s.name)}: {c.value(v)}"
            c.rect(min(centre, end), y0, max(abs(end - centre), 1.0), 10, fill, tip)
            if v >= base:
                c.text(max(end, centre) + 5, y0 + 9, c.value(v), size=11, fill=INK)
            else:
                c.text(end - 5, y0 + 9, c.value(v), anchor="end", size=11, fill=INK)
    name = one_line(chart.meta.get("base", DEFAULT_BASE))
    c.line(centre, top - 6, centre, bottom, INK, ' stroke-width="1.5" stroke-dasharray="4 3"')
    c.text(centre, top - 10, f"{name}: {c.value(base)}", anchor="middle", fill=INK, bold=True)
    return bottom + 26


def _timeline(c: Canvas) -> float:
    """Draw a TIMELINE; return its height."""
    chart = c.chart
    top = 24.0  # room for the totals' heading, clear of the last x label
    left = c.row_labels([s.name for s in chart.series], top)
    totals = [c.value(sum(s.values)) for s in chart.series]  # finite: the chart checks it
    right = WIDTH - max(text_width(t, TICK_SIZE) for t in (*totals, "Total")) - 14
    n = len(chart.x_labels)
    slot = (right - left) / n
    largest = max(max(s.values) for s in chart.series) or 1.0
    labels = [one_line(label) for label in chart.x_labels]
    size = 11 if slot >= 16 else 9
    for k, s in enumerate(chart.series):
        row = top + ROW_HEIGHT * k
        mid = row + ROW_HEIGHT / 2 + 4
        c.rect(left, row + 2, right - left, ROW_HEIGHT - 4, TIMELINE_EMPTY)
        name = one_line(s.name)
        for i, v in enumerate(s.values):
            if v <= 0:
                continue
            shade = 0.25 + 0.75 * v / largest  # more hires, a darker cell
            x0 = left + slot * i
            tip = f"{name}, {labels[i]}: {c.value(v)}"
            opacity = f' fill-opacity="{shade:.2f}"'
            c.rect(x0 + 0.5, row + 3, slot - 1, ROW_HEIGHT - 6, color(0), tip, opacity)
            text = c.value(v)
            if text_width(text, size) <= slot - 2:
                ink = "#ffffff" if shade > 0.6 else INK
                c.text(x0 + slot / 2, mid, text, anchor="middle", size=size, fill=ink)
        c.text(WIDTH - 2, mid, totals[k], anchor="end", fill=INK, bold=True)
    bottom = top + ROW_HEIGHT * len(chart.series)
    c.text(WIDTH - 2, top - 6, "Total", anchor="end")
    c.x_labels([left + slot * (i + 0.5) for i in range(n)], bottom + 18)
    return bottom + 26


DRAW: dict[ChartKind, Callable[[Canvas], float]] = {
    ChartKind.LINE: _line,
    ChartKind.STACKED: _stacked,
    ChartKind.BARS: _bars,
    ChartKind.TORNADO: _tornado,
    ChartKind.TIMELINE: _timeline,
}


def chart_svg(chart: Chart, *, currency: str | None = None) -> str:
    """Return the chart as an inline ``<svg>`` element (``currency``: when meta has none)."""
    canvas = Canvas(chart, currency_of_chart(chart, currency))
    height = math.ceil(DRAW[chart.kind](canvas))
    title = _esc(one_line(chart.title) or chart.name)  # never an empty accessible name
    head = (
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}" '
        f'font-family="{_esc(FONT)}" font-size="{TICK_SIZE}">'
    )
    return "\n".join([head, f"<title>{title}</title>", *canvas.parts, "</svg>"]) + "\n"
