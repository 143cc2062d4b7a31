"""Draw a neutral ``Chart`` as a few lines of plain text, for a one-screen terminal summary.

At most :data:`MAX_LINES` lines a chart, the first its title, none wider than the width
asked for (measured in terminal cells with Rich's ``cell_len``, so wide characters count
twice).  Block characters carry the shape and the figures are printed beside them, so
the picture reads without colour:

- LINE: a sparkline a series on one shared scale, first and last value beside it (and the
  band at the end), the first and last x label under it; one series takes one line, its
  title and first x label before it, its last x label after it (two where it will not fit);
- STACKED: the total as a sparkline from zero, and each series on a scale they share;
- BARS: a labelled bar a category, its value after it;
- TORNADO: a bar a input, growing from the base to the left (below it) and the right;
- TIMELINE: a row a series, a digit where the count is not 0 (``+`` for 10 or more).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from rich.cells import cell_len, set_cell_size

from salesplan.render.scale import DEFAULT_BAND, DEFAULT_BASE, currency_of_chart, one_line, short
from salesplan.report.chart import Chart, ChartKind

MAX_LINES = 10
BLOCKS = "▁▂▃▄▅▆▇█"
EIGHTHS = " ▏▎▍▌▋▊▉"
LOW_GLYPH = "▒"  # the tornado's outcome with the input at its low
HIGH_GLYPH = "█"
AXIS_GLYPH = "│"
MORE = "…"
LABEL_SHARE = 5  # a row label takes at most a fifth of the width
MIN_LABEL = 6
MAX_REPEAT = 3  # a short series is stretched at most this much to fill the width
MAX_BAR = 60  # cells of the longest bar, and of each half of a tornado: small charts


def fit(text: str, width: int) -> str:
    """Return ``text`` cut with … to at most ``width`` terminal cells.

    >>> fit("Enterprise", 6), fit("日本語", 4), fit("ok", 6)
    ('Enter…', '日…', 'ok')
    """
    if cell_len(text) <= width:
        return text
    if width <= 0:
        return ""
    cut = set_cell_size(text, width - 1).rstrip() + MORE
    while cell_len(cut) > width:  # a grapheme wider than counted: drop more
        cut = cut[:-2] + MORE
    return cut


def pad(text: str, width: int, *, right: bool = False) -> str:
    """Return ``text`` fitted and padded with spaces to exactly ``width`` cells."""
    text = fit(text, width)
    gap = " " * (width - cell_len(text))
    return gap + text if right else text + gap


def _resample(
    values: Sequence[float], cells: int, combine: Callable[[list[float]], float]
) -> list[float]:
    """Return ``values`` fitted to ``cells`` columns: buckets combined, or each repeated."""
    n = len(values)
    if n > cells:
        return [combine(list(values[j * n // cells : (j + 1) * n // cells])) for j in range(cells)]
    repeat = max(1, min(cells // n, MAX_REPEAT))
    return [v for v in values for _ in range(repeat)]


def _mean(values: list[float]) -> float:
    """Return the mean, worked on values scaled to at most 1 so no sum can overflow.

    >>> _mean([1.7e308, 1.7e308, -1e308])
    7.999999999999999e+307
    """
    top = max(abs(v) for v in values)
    if top == 0:
        return 0.0
    return top * (math.fsum(v / top for v in values) / len(values))


def sparkline(values: Sequence[float], lo: float, hi: float) -> str:
    """Return one block character a value, ``▁`` at ``lo`` and ``█`` at ``hi``.

    >>> sparkline([0, 1, 2, 3, 4, 5, 6, 7], 0, 7)
    '▁▂▃▄▅▆▇█'
    """
    span = hi / 2 - lo / 2  # halves: finite even for the largest floats
    if span <= 0:
        return BLOCKS[3] * len(values)
    top = len(BLOCKS) - 1
    return "".join(BLOCKS[min(top, max(0, round((v / 2 - lo / 2) / span * top)))] for v in values)


def bar(value: float, largest: float, cells: int) -> str:
    """Return a bar of eighth blocks, ``cells`` long for ``largest``.

    >>> bar(1, 1, 4), bar(0.3, 1, 4), bar(0, 1, 4)
    ('████', '█▎', '')
    """
    if largest <= 0 or value <= 0 or cells <= 0:
        return ""
    eighths = min(cells * 8, round(value / largest * cells * 8))
    full, part = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[part] if part else "") or "▏"


class _Drawer:
    """The lines of one chart: labels fitted to a width, values in the chart's unit."""

    def __init__(self, chart: Chart, width: int, currency: str) -> None:
        self.chart = chart
        self.width = width
        self.currency = currency

    def value(self, value: float) -> str:
        """Return a value's short label."""
        return short(value, self.chart.unit, self.currency)

    def label_width(self, names: Sequence[str]) -> int:
        """Return the width of the row label column."""
        widest = max(cell_len(one_line(n)) for n in names)
        return max(1, min(widest, max(MIN_LABEL, self.width // LABEL_SHARE)))

    def title(self, extra: str = "") -> str:
        """Return the title line, ``extra`` appended."""
        title = one_line(self.chart.title)
        return fit(f"{title}{extra}", self.width)

    def x_axis(self, indent: int, cells: int) -> str:
        """Return the first and last x label under a plot ``cells`` wide."""
        labels = self.chart.x_labels
        first, last = one_line(labels[0]), one_line(labels[-1])
        if len(labels) == 1:
            return " " * indent + first
        gap = cells - cell_len(first) - cell_len(last)
        if gap >= 1:
            return " " * indent + first + " " * gap + last
        # A plot narrower than its two labels: the range, from where the plot starts.
        return " " * indent + f"{first} – {last}"

    def rows_note(self, shown: int, total: int) -> str:
        """Return what the title says when some rows are left out."""
        return f" ({shown} of {total} shown)" if shown < total else ""


# A sparkline row: label, values, text after the last value, and the (low, high) of its scale.
_Row = tuple[str, Sequence[float], str, tuple[float, float]]


def _sparkline_rows(d: _Drawer, rows: Sequence[_Row]) -> tuple[list[str], int, int]:
    """Return rows of ``label first ▁▂▃ last extra``, the sparklines' indent and width."""
    label_w = d.label_width([row[0] for row in rows])
    firsts = [d.value(row[1][0]) for row in rows]
    lasts = [d.value(row[1][-1]) for row in rows]
    first_w = max(cell_len(f) for f in firsts)
    last_w = max(cell_len(f) for f in lasts)
    extra_w = max(cell_len(row[2]) for row in rows)
    cells = d.width - label_w - first_w - last_w - 3
    if extra_w and cells - extra_w - 1 >= 8:
        cells -= extra_w + 1
    else:
        extra_w = 0
    if cells < 4:  # too narrow for the first value: the last one stays
        first_w, cells = 0, cells + first_w + 1
    cells = max(1, cells)
    out = []
    for (name, values, extra, (lo, hi)), first, last in zip(rows, firsts, lasts, strict=True):
        points = _resample(values, cells, _mean)
        parts = [pad(one_line(name), label_w)]
        if first_w:
            parts.append(pad(first, first_w, right=True))
        parts += [sparkline(points, lo, hi), last]
        line = " ".join(parts)
        if extra_w:
            line += " " + extra
        out.append(fit(line.rstrip(), d.width))
    indent = label_w + 1 + (first_w + 1 if first_w else 0)
    return out, indent, len(_resample(rows[0][1], cells, _mean))


def _line(d: _Drawer) -> list[str]:
    """Return a LINE chart's lines."""
    chart = d.chart
    shown = chart.series[: MAX_LINES - 2]
    band = one_line(chart.meta.get("band", DEFAULT_BAND))
    scale = chart.extent()  # one for all: a plan and its target compare at a glance
    rows: list[_Row] = []
    for s in shown:
        extra = ""
        if s.low is not None and s.high is not None:
            extra = f"{band} {d.value(s.low[-1])}–{d.value(s.high[-1])}"
        rows.append((s.name, s.values, extra, scale))
    if len(chart.series) == 1:
        one = _one_line(d, rows[0])
        if one:
            return [one]
    body, indent, cells = _sparkline_rows(d, rows)
    note = d.rows_note(len(shown), len(chart.series))
    return [d.title(note), *body, d.x_axis(indent, cells)]


# The narrowest sparkline worth drawing on a chart's one line.
MIN_SPARK = 12


def _one_line(d: _Drawer, row: _Row) -> str:
    """Return a one-series LINE chart on one line, ``title first-x first ▁▂▃ last last-x
    extra``, or '' when the width leaves too little room for the sparkline."""
    _, values, extra, (lo, hi) = row
    labels = d.chart.x_labels
    head = f"{one_line(d.chart.title)}  {one_line(labels[0])} {d.value(values[0])}"
    tail = f"{d.value(values[-1])} {one_line(labels[-1])}"
    cells = d.width - cell_len(head) - cell_len(tail) - 2
    if extra and cells - cell_len(extra) - 2 >= MIN_SPARK:
        cells -= cell_len(extra) + 2
        tail += "  " + extra
    if cells < MIN_SPARK:
        return ""
    points = _resample(values, cells, _mean)
    return f"{head} {sparkline(points, lo, hi)} {tail}"


def _stacked(d: _Drawer) -> list[str]:
    """Return a STACKED chart's lines."""
    chart = d.chart
    shown = chart.series[: MAX_LINES - 3]
    # From zero, the total on its own scale and the series on one they share: a role of
    # 1 to 2 heads must not look like one of 10 to 20.
    total = chart.totals()
    shared = (0.0, max(max(s.values) for s in shown))
    rows: list[_Row] = [("Total", total, "", (0.0, max(total)))]
    rows += [(s.name, s.values, "", shared) for s in shown]
    body, indent, cells = _sparkline_rows(d, rows)
    note = d.rows_note(len(shown), len(chart.series))
    return [d.title(note), *body, d.x_axis(indent, cells)]


def _bars(d: _Drawer) -> list[str]:
    """Return a BARS chart's lines."""
    chart = d.chart
    s = chart.series[0]
    count = len(chart.x_labels)
    shown = count if count <= MAX_LINES - 1 else MAX_LINES - 2
    label_w = d.label_width(chart.x_labels[:shown])
    values = [d.value(v) for v in s.values[:shown]]
    extras = [""] * shown
    if s.low is not None and s.high is not None:
        extras = [f" ({d.value(lo)}–{d.value(hi)})" for lo, hi in zip(s.low, s.high, strict=True)]
    value_w = max(cell_len(v) for v in values)
    extra_w = max(cell_len(e) for e in extras[:shown])
    cells = min(d.width - label_w - value_w - 2, MAX_BAR)
    if cells - extra_w >= 8:
        cells -= extra_w
    else:
        extras = [""] * shown
    largest = max(abs(v) for v in s.values)
    lines = [d.title(d.rows_note(shown, count))]
    for i in range(shown):
        drawn = pad(bar(abs(s.values[i]), largest, cells), cells)
        row = f"{pad(one_line(chart.x_labels[i]), label_w)} {drawn} {values[i]}{extras[i]}"
        lines.append(fit(row.rstrip(), d.width))
    if shown < count:
        lines.append(fit(f"{MORE} {count - shown} more", d.width))
    return lines


def _side(glyph_near: str, near: int, glyph_far: str, far: int) -> list[str]:
    """Return the cells of one side of a tornado bar, from the base outwards."""
    return [glyph_near] * near + [glyph_far] * max(far - near, 0)


def _tornado(d: _Drawer) -> list[str]:
    """Return a TORNADO's lines."""
    chart = d.chart
    at_low, at_high = chart.series
    base = chart.base if chart.base is not None else 0.0
    shown = min(len(chart.x_labels), MAX_LINES - 2)
    base_name = one_line(chart.meta.get("base", DEFAULT_BASE))
    legend = (
        f"{LOW_GLYPH} {one_line(at_low.name)}  {HIGH_GLYPH} {one_line(at_high.name)}  "
        f"{AXIS_GLYPH} {base_name} {d.value(base)}"
    )
    if cell_len(legend) > d.width:  # the base's value matters more than the names
        legend = f"{LOW_GLYPH} low  {HIGH_GLYPH} high  {AXIS_GLYPH} {base_name} {d.value(base)}"
    label_w = d.label_width(chart.x_labels[:shown])
    texts = [f"{d.value(at_low.values[i])}/{d.value(at_high.values[i])}" for i in range(shown)]
    text_w = max(cell_len(t) for t in texts)
    half = max(1, min((d.width - label_w - text_w - 3) // 2, MAX_BAR // 2))
    # Halves: the distance between two of the largest floats would overflow.
    largest = max(abs(v / 2 - base / 2) for v in (*at_low.values, *at_high.values)) or 1.0

    def cells(value: float) -> int:
        return round(abs(value / 2 - base / 2) / largest * half)

    lines = [d.title(d.rows_note(shown, len(chart.x_labels))), fit(legend, d.width)]
    for i in range(shown):
        lo, hi = at_low.values[i], at_high.values[i]
        sides: dict[bool, list[tuple[int, str]]] = {True: [], False: []}
        for value, glyph in ((lo, LOW_GLYPH), (hi, HIGH_GLYPH)):
            if value != base:
                sides[value > base].append((cells(value), glyph))
        drawn: list[list[str]] = []
        for above in (False, True):
            parts = sorted(sides[above])
            if not parts:
                drawn.append([])
            elif len(parts) == 1:
                drawn.append([parts[0][1]] * parts[0][0])
            else:
                (n1, g1), (n2, g2) = parts
                drawn.append(_side(g1, n1, g2, n2))
        left = "".join(reversed(drawn[0]))
        right = "".join(drawn[1])
        row = f"{pad(one_line(chart.x_labels[i]), label_w)} {left:>{half}}{AXIS_GLYPH}"
        row += f"{right:<{half}} {texts[i]}"
        lines.append(fit(row.rstrip(), d.width))
    return lines


def _count_glyph(value: float) -> str:
    """Return the glyph of a count: ``·`` for none, a digit, ``+`` for 10 or more."""
    if value <= 0:
        return "·"
    count = max(1, round(value))
    return str(count) if count < 10 else "+"


def _timeline(d: _Drawer) -> list[str]:
    """Return a TIMELINE's lines."""
    chart = d.chart
    shown = chart.series[: MAX_LINES - 2]
    label_w = d.label_width([s.name for s in shown])
    totals = [d.value(sum(s.values)) for s in shown]  # finite: the chart checks it
    total_w = max(cell_len(t) for t in totals)
    cells = max(1, d.width - label_w - total_w - 2)
    n = len(chart.x_labels)
    per = math.ceil(n / cells)  # x labels a column
    columns = math.ceil(n / per)
    note = d.rows_note(len(shown), len(chart.series))
    if per > 1:
        note += f", {per} a column"
    lines = [d.title(note)]
    for s, total in zip(shown, totals, strict=True):
        grid = "".join(_count_glyph(sum(s.values[c * per : (c + 1) * per])) for c in range(columns))
        row = f"{pad(one_line(s.name), label_w)} {grid:<{columns}} {total}"
        lines.append(fit(row.rstrip(), d.width))
    lines.append(fit(d.x_axis(label_w + 1, columns), d.width))
    return lines


DRAW: dict[ChartKind, Callable[[_Drawer], list[str]]] = {
    ChartKind.LINE: _line,
    ChartKind.STACKED: _stacked,
    ChartKind.BARS: _bars,
    ChartKind.TORNADO: _tornado,
    ChartKind.TIMELINE: _timeline,
}


def chart_lines(chart: Chart, width: int, *, currency: str | None = None) -> list[str]:
    """Return the chart as at most ``MAX_LINES`` lines, none wider than ``width`` cells."""
    drawer = _Drawer(chart, width, currency_of_chart(chart, currency))
    lines = DRAW[chart.kind](drawer)[:MAX_LINES]
    # Every piece is fitted already; this is the promise, kept whatever a label holds.
    return [fit(line.rstrip(), width) for line in lines]
