"""Draw a neutral ``Chart`` as inline SVG: for HTML5 pages, hand-written, no dependencies.

The SVG has a ``viewBox`` (it scales to its box), a ``<title>`` and an ``aria-label``, no
``xmlns`` (inline SVG in HTML5 needs none), no script and no link.  Colours come from the
Okabe–Ito palette, which readers with any common colour-vision deficiency can tell apart;
lines also differ by dash, so a black-and-white print still reads.  Coordinates are
written to a tenth of a unit and labels through ``render.scale``, so the text is the same
on every run and machine.  Text a plan wrote passes :func:`clean`, then XML escaping.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from salesplan.render.scale import (
    DEFAULT_BAND,
    DEFAULT_BASE,
    currency_of_chart,
    nice_ticks,
    one_line,
    short,
    tick_label,
)
from salesplan.report.chart import Chart, ChartKind

WIDTH = 640
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"
# Okabe–Ito, reordered so that the strongest colours on white come first (yellow last).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#999999")
DASHES = ("", "7 4", "2 3", "9 3 2 3")
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#e4e7eb"
AXIS = "#9aa5b1"
BAND_OPACITY = "0.18"
TICK_SIZE = 13
LABEL_SIZE = 14
ROW_LABEL_MAX = 180.0  # widest row label (bars, tornado, timeline) before it is cut with …
PLOT_HEIGHT = 240.0  # of a LINE or STACKED chart, between the legend and the x labels
ROW_HEIGHT = 32.0  # of a BARS, TORNADO or TIMELINE row


def _n(x: float) -> str:
    """Return a coordinate to a tenth, without a trailing ``.0`` or a negative zero.

    >>> _n(12.3000001), _n(-0.04), _n(40.0)
    ('12.3', '0', '40')
    """
    text = f"{x:.1f}".removesuffix(".0")
    return "0" if text == "-0" else text


def _esc(text: str) -> str:
    """Return text escaped for an XML text node or a quoted attribute."""
    return html.escape(text, quote=True)


def text_width(text: str, size: float) -> float:
    """Return the estimated width of a label in a sans-serif font (no font is measured)."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    # 0.6 em a character: a little wider than most, so that an estimate never clips.
    return (len(text) + wide) * size * 0.6


def fit(text: str, width: float, size: float) -> str:
    """Return one-line ``text`` cut with … where it is wider than ``width`` at ``size``.

    >>> fit("Enterprise account executive", 80, 12)
    'Enterprise…'
    """
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def color(index: int) -> str:
    """Return the palette colour of the ``index``-th series."""
    return PALETTE[index % len(PALETTE)]


@dataclass(frozen=True)
class _Axis:
    """A value axis: round ticks from ``ticks[0]`` to ``ticks[-1]`` mapped onto a range."""

    ticks: tuple[float, ...]
    start: float  # where ticks[0] falls
    end: float  # where ticks[-1] falls

    def at(self, value: float) -> float:
        """Return the coordinate of a value."""
        lo, hi = self.ticks[0], self.ticks[-1]
        # Halves keep the span finite even for the largest floats.
        span = hi / 2 - lo / 2
        if span <= 0:
            return self.start
        return self.start + (self.end - self.start) * ((value / 2 - lo / 2) / span)


class _Canvas:
    """The elements of one chart being drawn, and its unit and currency for labels."""

    def __init__(self, chart: Chart, currency: str) -> None:
        self.chart = chart
        self.currency = currency
        self.parts: list[str] = []

    def value(self, value: float) -> str:
        """Return a data label (a bar's value, a line's last value), escaped."""
        return _esc(short(value, self.chart.unit, self.currency))

    def tick(self, value: float) -> str:
        """Return a tick label, escaped."""
        return _esc(tick_label(value, self.chart.unit, self.currency))

    def text(
        self,
        x: float,
        y: float,
        body: str,
        *,
        anchor: str = "start",
        size: int = TICK_SIZE,
        fill: str = MUTED,
        bold: bool = False,
    ) -> None:
        """Add a text element; ``body`` is already escaped."""
        weight = ' font-weight="600"' if bold else ""
        middle = "" if anchor == "start" else f' text-anchor="{anchor}"'
        size_attr = "" if size == TICK_SIZE else f' font-size="{size}"'
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}"{middle}{size_attr} fill="{fill}"{weight}>{body}</text>'
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = ""
    ) -> None:
        """Add a straight line."""
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{stroke}"{extra}/>'
        )

    def rect(self, x: float, y: float, w: float, h: float, fill: str, tip: str = "") -> None:
        """Add a rectangle, with a hover tip (already escaped) when given."""
        shape = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0.0))}" height="{_n(max(h, 0.0))}"'
        if tip:
            self.parts.append(f'<rect {shape} fill="{fill}"><title>{tip}</title></rect>')
        else:
            self.parts.append(f'<rect {shape} fill="{fill}"/>')

    def legend(self, items: Sequence[tuple[str, str, str]]) -> float:
        """Draw legend items (name, colour, shape: ``box``, ``band`` or ``line DASH``) in
        rows across the top; return the height they take."""
        if not items:
            return 0.0
        x, y = 0.0, 14.0
        for name, fill, shape in items:
            body = fit(one_line(name), 260, LABEL_SIZE)
            width = 24 + text_width(body, LABEL_SIZE) + 20
            if x and x + width > WIDTH:
                x, y = 0.0, y + 22
            if shape.startswith("line"):
                dash = shape.partition(" ")[2]
                dashes = f' stroke-dasharray="{dash}"' if dash else ""
                self.line(x, y - 4, x + 18, y - 4, fill, f' stroke-width="3"{dashes}')
            else:
                opacity = f' fill-opacity="{BAND_OPACITY}"' if shape == "band" else ""
                self.parts.append(
                    f'<rect x="{_n(x)}" y="{_n(y - 10)}" width="18" height="12" rx="2" '
                    f'fill="{fill}"{opacity}/>'
                )
            self.text(x + 24, y, _esc(body), size=LABEL_SIZE, fill=INK)
            x += width
        return y + 14

    def value_ticks(self) -> tuple[float, ...]:
        """Return the value axis ticks; zero is on the axis (bars start at zero) but for a
        tornado, whose bars start at its base."""
        lo, hi = self.chart.extent()
        if self.chart.kind is ChartKind.TORNADO:
            return nice_ticks(lo, hi, 4)
        if self.chart.kind is ChartKind.STACKED:
            hi = max(hi, *self.chart.totals())
        return nice_ticks(min(lo, 0.0), max(hi, 0.0), 5)

    def y_axis(
        self, ticks: tuple[float, ...], left: float, right: float, top: float, bottom: float
    ) -> _Axis:
        """Draw horizontal grid lines with labels left of ``left``; return the axis."""
        axis = _Axis(ticks, bottom, top)
        for t in ticks:
            y = axis.at(t)
            self.line(left, y, right, y, AXIS if t == 0 else GRID)
            self.text(left - 8, y + 4, self.tick(t), anchor="end")
        return axis

    def x_axis(self, left: float, right: float, top: float, bottom: float) -> _Axis:
        """Draw vertical grid lines with labels under ``bottom``; return the axis."""
        axis = _Axis(self.value_ticks(), left, right)
        for t in axis.ticks:
            x = axis.at(t)
            self.line(x, top, x, bottom, AXIS if t == 0 else GRID)
            self.text(x, bottom + 16, self.tick(t), anchor="middle")
        return axis

    def x_labels(self, xs: Sequence[float], y: float) -> None:
        """Draw the x labels under a plot, thinned so that they never overlap."""
        labels = [one_line(label) for label in self.chart.x_labels]
        slot = (xs[-1] - xs[0]) / (len(xs) - 1) if len(xs) > 1 else float(WIDTH)
        widest = max(text_width(label, TICK_SIZE) for label in labels) + 12
        step = max(1, math.ceil(widest / max(slot, 1e-9)))
        room = slot * step - 8
        for i in range(0, len(xs), step):
            self.text(xs[i], y, _esc(fit(labels[i], room, TICK_SIZE)), anchor="middle")

    def row_labels(self, names: Sequence[str], top: float) -> float:
        """Draw one label per row, right-aligned; return the x where the plot starts."""
        names = [one_line(n) for n in names]
        widest = min(max(text_width(n, LABEL_SIZE) for n in names), ROW_LABEL_MAX)
        for i, name in enumerate(names):
            y = top + ROW_HEIGHT * i + ROW_HEIGHT / 2 + 4
            shown = fit(name, widest, LABEL_SIZE)
            # A cut label keeps its whole text as a hover tip.
            body = _esc(shown) if shown == name else f"<title>{_esc(name)}</title>{_esc(shown)}"
            self.text(widest, y, body, anchor="end", size=LABEL_SIZE, fill=INK)
        return widest + 12


# -- the kinds -----------------------------------------------------------------------------
def _line(c: _Canvas) -> float:
    """Draw a LINE chart: series as lines over x, bands as translucent areas."""
    chart = c.chart
    band = chart.meta.get("band", DEFAULT_BAND)
    items = []
    for i, s in enumerate(chart.series):
        items.append((s.name, color(i), f"line {DASHES[i % len(DASHES)]}"))
        if s.has_band:
            items.append((f"{s.name}: {band}", color(i), "band"))
    top = c.legend(items if len(items) > 1 else []) + 10
    bottom = top + PLOT_HEIGHT
    ticks = c.value_ticks()
    left = max(text_width(tick_label(t, chart.unit, c.currency), TICK_SIZE) for t in ticks) + 14
    ends = [c.value(s.values[-1]) for s in chart.series]
    right = WIDTH - max(text_width(html.unescape(e), TICK_SIZE) for e in ends) - 12
    y = c.y_axis(ticks, left, right, top, bottom)
    n = len(chart.x_labels)
    xs = [left + (right - left) * (i / (n - 1)) for i in range(n)] if n > 1 else [left]

    def points(values: Sequence[float]) -> str:
        return " ".join(f"{_n(x)},{_n(y.at(v))}" for x, v in zip(xs, values, strict=True))

    for i, s in enumerate(chart.series):
        if s.low is not None and s.high is not None:
            outline = f"{points(s.high)} {_reverse_points(points(s.low))}"
            c.parts.append(
                f'<polygon points="{outline}" fill="{color(i)}" fill-opacity="{BAND_OPACITY}"/>'
            )
    for i, s in enumerate(chart.series):
        dash = DASHES[i % len(DASHES)]
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        c.parts.append(
            f'<polyline points="{points(s.values)}" fill="none" stroke="{color(i)}" '
            f'stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"{dashes}/>'
        )
        if n <= 13:  # few points: mark them, a reader reads values off the dots
            for x, v in zip(xs, s.values, strict=True):
                c.parts.append(f'<circle cx="{_n(x)}" cy="{_n(y.at(v))}" r="3" fill="{color(i)}"/>')
    # The last value of each series at the right end, pushed apart where they would overlap.
    order = sorted(range(len(ends)), key=lambda i: y.at(chart.series[i].values[-1]))
    placed: list[float] = []
    for i in order:
        at = max(y.at(chart.series[i].values[-1]) + 4, (placed[-1] + 15) if placed else top)
        placed.append(at)
        c.text(right + 8, at, ends[i], fill=color(i), bold=True)
    c.x_labels(xs, bottom + 20)
    return bottom + 28


def _reverse_points(points: str) -> str:
    """Return an SVG points list in reverse order (the lower edge of a band, right to left)."""
    return " ".join(reversed(points.split(" ")))


def _stacked(c: _Canvas) -> float:
    """Draw a STACKED chart: a column per x, the series stacked bottom to top."""
    chart = c.chart
    items = [(s.name, color(i), "box") for i, s in enumerate(chart.series)]
    top = c.legend(items) + 10
    bottom = top + PLOT_HEIGHT
    ticks = c.value_ticks()
    left = max(text_width(tick_label(t, chart.unit, c.currency), TICK_SIZE) for t in ticks) + 14
    totals = chart.totals()
    right = WIDTH - 8
    y = c.y_axis(ticks, left, right, top, bottom)
    n = len(chart.x_labels)
    slot = (right - left) / n
    bar = slot * (0.8 if n > 1 else 0.4)
    xs = [left + slot * (i + 0.5) for i in range(n)]
    heights = [0.0] * n
    labels = [_esc(one_line(label)) for label in chart.x_labels]
    for k, s in enumerate(chart.series):
        name = _esc(one_line(s.name))
        c.parts.append(f'<g fill="{color(k)}">')
        for i, v in enumerate(s.values):
            if v > 0:
                y0, y1 = y.at(heights[i]), y.at(heights[i] + v)
                tip = f"{name}, {labels[i]}: {c.value(v)}"
                c.parts.append(
                    f'<rect x="{_n(xs[i] - bar / 2)}" y="{_n(y1)}" width="{_n(bar)}" '
                    f'height="{_n(y0 - y1)}"><title>{tip}</title></rect>'
                )
                heights[i] += v
        c.parts.append("</g>")
    # The total on the last column: the figure a board asks for first.
    c.text(xs[-1], y.at(totals[-1]) - 6, c.value(totals[-1]), anchor="middle", fill=INK, bold=True)
    c.x_labels(xs, bottom + 20)
    return bottom + 28


def _bars(c: _Canvas) -> float:
    """Draw a BARS chart: a horizontal bar per category, its value at the end."""
    chart = c.chart
    s = chart.series[0]
    top = 8.0
    left = c.row_labels(chart.x_labels, top)
    widest = max(text_width(html.unescape(c.value(v)), TICK_SIZE) for v in s.values)
    bottom = top + ROW_HEIGHT * len(chart.x_labels)
    x = c.x_axis(left, WIDTH - widest - 16, top, bottom)
    zero = x.at(0.0)
    for i, (label, v) in enumerate(zip(chart.x_labels, s.values, strict=True)):
        mid = top + ROW_HEIGHT * (i + 0.5)
        end = x.at(v)
        tip = f"{_esc(one_line(label))}: {c.value(v)}"
        c.rect(min(zero, end), mid - 9, abs(end - zero), 18, color(0), tip)
        reach = end
        if s.low is not None and s.high is not None:
            lo, hi = x.at(s.low[i]), x.at(s.high[i])
            c.line(lo, mid, hi, mid, INK, ' stroke-width="1.5"')
            c.line(lo, mid - 5, lo, mid + 5, INK, ' stroke-width="1.5"')
            c.line(hi, mid - 5, hi, mid + 5, INK, ' stroke-width="1.5"')
            reach = max(end, hi) if v >= 0 else min(end, lo)
        if v >= 0:
            c.text(reach + 6, mid + 4, c.value(v), fill=INK)
        else:
            c.text(reach - 6, mid + 4, c.value(v), anchor="end", fill=INK)
    band = chart.meta.get("band", DEFAULT_BAND)
    if s.has_band:
        c.text(left, bottom + 36, _esc(f"Whiskers: {one_line(band)}"), fill=MUTED)
        return bottom + 44
    return bottom + 26


def _tornado(c: _Canvas) -> float:
    """Draw a TORNADO: per input, the outcome at its low and at its high around the base."""
    chart = c.chart
    at_low, at_high = chart.series
    base = chart.base if chart.base is not None else 0.0
    items = [(at_low.name, color(1), "box"), (at_high.name, color(0), "box")]
    top = c.legend(items) + 22
    left = c.row_labels(chart.x_labels, top)
    bottom = top + ROW_HEIGHT * len(chart.x_labels)
    widest = max(
        text_width(html.unescape(c.value(v)), TICK_SIZE) for v in (*at_low.values, *at_high.values)
    )
    x = c.x_axis(left + widest + 8, WIDTH - widest - 8, top, bottom)
    centre = x.at(base)
    for i, label in enumerate(chart.x_labels):
        row = top + ROW_HEIGHT * i
        name = _esc(one_line(label))
        for k, (s, fill) in enumerate(((at_low, color(1)), (at_high, color(0)))):
            v = s.values[i]
            end = x.at(v)
            y0 = row + 4 + k * 11
            tip = f"{name}, {_esc(one_line(s.name))}: {c.value(v)}"
            c.rect(min(centre, end), y0, max(abs(end - centre), 1.0), 10, fill, tip)
            if v >= base:
                c.text(max(end, centre) + 5, y0 + 9, c.value(v), size=11, fill=INK)
            else:
                c.text(end - 5, y0 + 9, c.value(v), anchor="end", size=11, fill=INK)
    name = _esc(one_line(chart.meta.get("base", DEFAULT_BASE)))
    c.line(centre, top - 6, centre, bottom, INK, ' stroke-width="1.5" stroke-dasharray="4 3"')
    c.text(centre, top - 10, f"{name}: {c.value(base)}", anchor="middle", fill=INK, bold=True)
    return bottom + 26


def _timeline(c: _Canvas) -> float:
    """Draw a TIMELINE: a row per series, a shaded cell with the count where it is not 0."""
    chart = c.chart
    top = 8.0
    left = c.row_labels([s.name for s in chart.series], top)
    totals = [c.value(sum(s.values)) for s in chart.series]
    total_width = max(text_width(html.unescape(t), TICK_SIZE) for t in (*totals, "Total"))
    right = WIDTH - total_width - 14
    n = len(chart.x_labels)
    slot = (right - left) / n
    largest = max(max(s.values) for s in chart.series) or 1.0
    labels = [_esc(one_line(label)) for label in chart.x_labels]
    size = 11 if slot >= 16 else 9
    for k, s in enumerate(chart.series):
        row = top + ROW_HEIGHT * k
        c.rect(left, row + 2, right - left, ROW_HEIGHT - 4, "#f5f7fa")
        name = _esc(one_line(s.name))
        for i, v in enumerate(s.values):
            if v <= 0:
                continue
            shade = 0.25 + 0.75 * v / largest
            x0 = left + slot * i
            c.parts.append(
                f'<rect x="{_n(x0 + 0.5)}" y="{_n(row + 3)}" width="{_n(slot - 1)}" '
                f'height="{_n(ROW_HEIGHT - 6)}" fill="{color(0)}" fill-opacity="{shade:.2f}">'
                f"<title>{name}, {labels[i]}: {c.value(v)}</title></rect>"
            )
            text = c.value(v)
            if text_width(html.unescape(text), size) <= slot - 2:
                ink = "#ffffff" if shade > 0.6 else INK
                c.text(
                    x0 + slot / 2,
                    row + ROW_HEIGHT / 2 + 4,
                    text,
                    anchor="middle",
                    size=size,
                    fill=ink,
                )
        c.text(WIDTH - 2, row + ROW_HEIGHT / 2 + 4, totals[k], anchor="end", fill=INK, bold=True)
    bottom = top + ROW_HEIGHT * len(chart.series)
    c.text(WIDTH - 2, bottom + 18, "Total", anchor="end")
    c.x_labels([left + slot * (i + 0.5) for i in range(n)], bottom + 18)
    return bottom + 26


DRAW = {
    ChartKind.LINE: _line,
    ChartKind.STACKED: _stacked,
    ChartKind.BARS: _bars,
    ChartKind.TORNADO: _tornado,
    ChartKind.TIMELINE: _timeline,
}


def chart_svg(chart: Chart, *, currency: str | None = None) -> str:
    """Return the chart as an inline ``<svg>`` element (``currency``: when meta has none)."""
    canvas = _Canvas(chart, currency_of_chart(chart, currency))
    height = math.ceil(DRAW[chart.kind](canvas))
    title = _esc(one_line(chart.title) or chart.name)  # never an empty accessible name
    head = (
        f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{title}" '
        f'font-family="{_esc(FONT)}" font-size="{TICK_SIZE}">'
    )
    return "\n".join([head, f"<title>{title}</title>", *canvas.parts, "</svg>"]) + "\n"
