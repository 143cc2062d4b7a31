"""The drawing primitives of the SVG charts: palette, text sizes, axes, legend, labels.

Every coordinate is written to a tenth of a unit (``_n``), every text is escaped here, on
its way into the SVG, so the chart kinds in ``render.svg`` only place things.  Text widths
are estimated, not measured (no font is read): a little wide, so that a label never clips.
"""

from __future__ import annotations

import html
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from salesplan.render.scale import nice_ticks, one_line, short, tick_label
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
ROW_HEIGHT = 32.0  # of a BARS, TORNADO or TIMELINE row
EM = 0.6  # estimated width of a character, in font sizes


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
    """Return the estimated width of a one-line label at a font size."""
    wide = sum(1 for ch in text if unicodedata.east_asian_width(ch) in "WF")
    return (len(text) + wide) * size * EM


def fit(text: str, width: float, size: float) -> str:
    """Return one-line ``text`` cut with … in its middle where it is wider than ``width`` at
    ``size``: labels that share a beginning (``mid_market/outbound …``) keep the end that
    tells them apart.  The whole text is the chart's tooltip.

    >>> fit("Enterprise account executive", 80, 12)
    'Ente…cutive'
    >>> fit("mid_market/outbound sql rate", 100, 12), fit("mid_market/outbound sql days", 100, 12)
    ('mid_…sql rate', 'mid_…sql days')
    """
    if text_width(text, size) <= width:
        return text
    keep = min(len(text), max(0, int(width / (size * EM))))  # no more than could fit
    while keep > 0:
        head = keep * 2 // 5  # the end tells labels apart: it gets the larger part
        shown = text[:head].rstrip() + "…" + text[len(text) - (keep - head) :].lstrip()
        if text_width(shown, size) <= width:
            return shown
        keep -= 1
    return "…"


def two_lines(text: str, width: float, size: float) -> tuple[str, str] | None:
    """Return ``text`` broken into two lines at the space or slash nearest its middle that
    leaves both within ``width`` at ``size`` (else the most even break), or None when it has
    nowhere to break.

    >>> two_lines("mid_market/outbound opportunity rate", 160, 13)
    ('mid_market/outbound', 'opportunity rate')
    >>> two_lines("mid_market", 40, 13) is None
    True
    """
    breaks = [i + 1 for i, ch in enumerate(text) if ch in " /" and 0 < i < len(text) - 1]
    if not breaks:
        return None

    def split(at: int) -> tuple[str, str]:
        return text[:at].rstrip(), text[at:].lstrip()

    def widest(at: int) -> float:
        return max(text_width(part, size) for part in split(at))

    fitting = [at for at in breaks if widest(at) <= width]
    middle = len(text) / 2
    return split(min(fitting or breaks, key=lambda at: (abs(at - middle), widest(at))))


def color(index: int) -> str:
    """Return the colour of the ``index``-th series: the palette, then its colours lightened
    halfway to white, then darkened a third to black, so that up to 24 series (a plan's
    roles) never share a colour.

    >>> color(0), color(8), color(16)
    ('#0072B2', '#80B8D8', '#004C77')
    >>> len({color(i) for i in range(24)})
    24
    """
    base = PALETTE[index % len(PALETTE)]
    turn = (index // len(PALETTE)) % 3
    if turn == 0:
        return base
    rgb = [int(base[i : i + 2], 16) for i in (1, 3, 5)]
    to, share = (255, 0.5) if turn == 1 else (0, 1 / 3)
    return "#" + "".join(f"{round(c + (to - c) * share):02X}" for c in rgb)


def dash(index: int) -> str:
    """Return the stroke-dasharray attribute of the ``index``-th line ('' when solid)."""
    pattern = DASHES[index % len(DASHES)]
    return f' stroke-dasharray="{pattern}"' if pattern else ""


@dataclass(frozen=True)
class Axis:
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


class Canvas:
    """The elements of one chart being drawn, and its unit and currency for labels."""

    def __init__(self, chart: Chart, currency: str) -> None:
        self.chart = chart
        self.currency = currency
        self.parts: list[str] = []

    def value(self, value: float) -> str:
        """Return a data label: a bar's value, a line's last value."""
        return short(value, self.chart.unit, self.currency)

    def tick(self, value: float) -> str:
        """Return a tick label."""
        return tick_label(value, self.chart.unit, self.currency)

    def add(self, element: str) -> None:
        """Add an element written by the caller (numbers through ``_n``, text escaped)."""
        self.parts.append(element)

    def text(
        self,
        x: float,
        y: float,
        text: str,
        *,
        anchor: str = "start",
        size: int = TICK_SIZE,
        fill: str = MUTED,
        bold: bool = False,
        tip: str = "",
    ) -> None:
        """Add a text, escaped, with a hover tip when given (the whole of a cut label)."""
        weight = ' font-weight="600"' if bold else ""
        middle = "" if anchor == "start" else f' text-anchor="{anchor}"'
        size_attr = "" if size == TICK_SIZE else f' font-size="{size}"'
        title = f"<title>{_esc(tip)}</title>" if tip else ""
        self.parts.append(
            f'<text x="{_n(x)}" y="{_n(y)}"{middle}{size_attr} fill="{fill}"{weight}>'
            f"{title}{_esc(text)}</text>"
        )

    def line(
        self, x1: float, y1: float, x2: float, y2: float, stroke: str, extra: str = ""
    ) -> None:
        """Add a straight line; ``extra`` holds further attributes."""
        self.parts.append(
            f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}" '
            f'stroke="{stroke}"{extra}/>'
        )

    def rect(
        self, x: float, y: float, w: float, h: float, fill: str = "", tip: str = "", extra: str = ""
    ) -> None:
        """Add a rectangle (no ``fill``: its group's), with a hover tip when given."""
        shape = f'x="{_n(x)}" y="{_n(y)}" width="{_n(max(w, 0.0))}" height="{_n(max(h, 0.0))}"'
        paint = f' fill="{fill}"' if fill else ""
        if tip:
            self.parts.append(f"<rect {shape}{paint}{extra}><title>{_esc(tip)}</title></rect>")
        else:
            self.parts.append(f"<rect {shape}{paint}{extra}/>")

    def legend(self, items: Sequence[tuple[str, str, str]]) -> float:
        """Draw legend items in rows across the top; return the height they take."""
        # An item is (name, colour, shape): "box", "band", or "line N" for the N-th dash.
        if not items:
            return 0.0
        x, y = 0.0, 14.0
        for name, fill, shape in items:
            body = fit(one_line(name), 260, LABEL_SIZE)
            width = 24 + text_width(body, LABEL_SIZE) + 20
            if x and x + width > WIDTH:
                x, y = 0.0, y + 22
            if shape.startswith("line"):
                index = int(shape.partition(" ")[2])
                self.line(x, y - 4, x + 18, y - 4, fill, f' stroke-width="3"{dash(index)}')
            else:
                opacity = f' fill-opacity="{BAND_OPACITY}"' if shape == "band" else ""
                self.rect(x, y - 10, 18, 12, fill, extra=f' rx="2"{opacity}')
            tip = one_line(name) if body != one_line(name) else ""
            self.text(x + 24, y, body, size=LABEL_SIZE, fill=INK, tip=tip)
            x += width
        return y + 14

    def value_ticks(self) -> tuple[float, ...]:
        """Return the ticks of the value axis."""
        # Zero is on the axis, as bars start there; but a tornado's bars start at its base.
        lo, hi = self.chart.extent()
        if self.chart.kind is ChartKind.TORNADO:
            return nice_ticks(lo, hi, 4)
        if self.chart.kind is ChartKind.STACKED:
            hi = max(hi, *self.chart.totals())
        return nice_ticks(min(lo, 0.0), max(hi, 0.0), 5)

    def tick_width(self, ticks: Sequence[float]) -> float:
        """Return the width of the widest tick label."""
        return max(text_width(self.tick(t), TICK_SIZE) for t in ticks)

    def y_axis(
        self, ticks: tuple[float, ...], left: float, right: float, top: float, bottom: float
    ) -> Axis:
        """Draw horizontal grid lines with labels left of ``left``; return the axis."""
        axis = Axis(ticks, bottom, top)
        for t in ticks:
            y = axis.at(t)
            self.line(left, y, right, y, AXIS if t == 0 else GRID)
            self.text(left - 8, y + 4, self.tick(t), anchor="end")
        return axis

    def x_axis(self, left: float, right: float, top: float, bottom: float) -> Axis:
        """Draw vertical grid lines with labels under ``bottom``; return the axis."""
        axis = Axis(self.value_ticks(), left, right)
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
            shown = fit(labels[i], room, TICK_SIZE)
            tip = labels[i] if shown != labels[i] else ""
            self.text(xs[i], y, shown, anchor="middle", tip=tip)

    def row_labels(self, names: Sequence[str], top: float) -> float:
        """Draw one label per row, right-aligned; return the x where the plot starts."""
        names = [one_line(n) for n in names]
        widest = min(max(text_width(n, LABEL_SIZE) for n in names), ROW_LABEL_MAX)
        for i, name in enumerate(names):
            y = top + ROW_HEIGHT * i + ROW_HEIGHT / 2 + 4
            lines = (
                two_lines(name, widest, TICK_SIZE)
                if text_width(name, LABEL_SIZE) > widest
                else None
            )
            if lines is None:
                shown = fit(name, widest, LABEL_SIZE)
                tip = name if shown != name else ""
                self.text(widest, y, shown, anchor="end", size=LABEL_SIZE, fill=INK, tip=tip)
                continue
            # Too long for one line: two smaller lines in the row, cut only if still too long,
            # each with the whole label as its tip.
            for dy, part in zip((-7.5, 7.5), lines, strict=True):
                shown = fit(part, widest, TICK_SIZE)
                self.text(widest, y + dy, shown, anchor="end", size=TICK_SIZE, fill=INK, tip=name)
        return widest + 12
