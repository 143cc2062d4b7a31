"""Write a report as one self-contained HTML5 page: for a board deck, on screen or printed.

Layout: the title and the report's meta, the summary lines as the headline (a leading
``!`` marks a warning), every chart as a ``<figure id="chart-NAME">`` with inline SVG, then
every table as ``<table id="table-NAME">`` with human-formatted cells, numbers
right-aligned, and the n/a footnotes and notes below it.

The page loads nothing: no URL, font, script or image, only inline CSS and SVG, and a
Content-Security-Policy that forbids any load, so it opens the same offline, from a mail
attachment or a shared drive.  Print CSS lays it out landscape with no figure or table cut
across pages.  Text a plan wrote passes :func:`clean`, then ``html.escape``; nothing
depends on the clock, so the same report gives the same bytes.
"""

from __future__ import annotations

import html

from salesplan.render.cells import Footnotes, currency_of, format_rows, is_numeric
from salesplan.render.prose import headline_lines
from salesplan.render.svg import chart_svg
from salesplan.render.svg_canvas import FONT, INK, MUTED
from salesplan.render.text import clean
from salesplan.report.chart import Chart
from salesplan.report.table import Report, Table

# A one-row table wider than this many columns is drawn down the page instead.
TRANSPOSE_ABOVE = 6
# Nothing may load: an injected <img> or <link> would be refused by the browser itself.
CSP = "default-src 'none'; style-src 'unsafe-inline'"

STYLE = f"""
:root {{ color-scheme: light; }}
* {{ box-sizing: border-box; }}
html {{ background: #ffffff; }}
body {{
  margin: 0 auto; max-width: 1280px; padding: 28px 40px 40px;
  font: 15px/1.45 {FONT}; color: {INK}; background: #ffffff;
}}
header {{ border-bottom: 2px solid {INK}; padding-bottom: 10px; margin-bottom: 18px; }}
h1 {{ font-size: 28px; line-height: 1.2; margin: 0 0 6px; letter-spacing: -0.01em; }}
h2 {{ font-size: 13px; text-transform: uppercase; letter-spacing: 0.08em; color: {MUTED};
  margin: 28px 0 12px; }}
dl.meta {{ display: flex; flex-wrap: wrap; gap: 2px 20px; margin: 0; font-size: 13px;
  color: {MUTED}; }}
dl.meta div {{ display: flex; gap: 6px; }}
dl.meta dt {{ font-weight: 600; }}
dl.meta dd {{ margin: 0; }}
ul.headline {{ list-style: none; padding: 0; margin: 0 0 8px; display: grid; gap: 8px; }}
ul.headline li {{ font-size: 19px; line-height: 1.35; padding: 8px 14px;
  border-left: 4px solid #0072B2; background: #f3f7fb; }}
ul.headline li.warning {{ border-left-color: #D55E00; background: #fdf3ec; }}
ul.headline strong {{ color: #a63d00; }}
.charts {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr));
  gap: 20px; }}
figure {{ margin: 0; padding: 14px 18px 12px; border: 1px solid #d9dee4; border-radius: 6px;
  break-inside: avoid; page-break-inside: avoid; }}
figcaption {{ font-weight: 600; font-size: 16px; margin: 0 0 10px; }}
figure svg {{ display: block; width: 100%; height: auto; }}
p.note {{ color: {MUTED}; font-size: 13px; margin: 6px 0 0; }}
section.table {{ margin: 0 0 24px; overflow-x: auto; break-inside: avoid;
  page-break-inside: avoid; }}
table {{ border-collapse: collapse; font-size: 14px; font-variant-numeric: tabular-nums; }}
caption {{ text-align: left; font-weight: 600; font-size: 16px; padding: 0 0 8px; }}
th, td {{ padding: 5px 12px; border-bottom: 1px solid #e4e7eb; text-align: left;
  vertical-align: top; }}
thead th {{ border-bottom: 2px solid {INK}; vertical-align: bottom; font-weight: 600; }}
tbody th {{ font-weight: 600; }}
.num {{ text-align: right; white-space: nowrap; }}
.unit {{ display: block; font-weight: 400; font-size: 12px; color: {MUTED}; }}
table.transposed .unit {{ display: inline; margin-left: 6px; }}
table.transposed th {{ font-weight: 400; }}
tbody tr:nth-child(even) {{ background: #f9fafb; }}
footer {{ margin-top: 32px; font-size: 12px; color: {MUTED}; }}
@page {{ size: landscape; margin: 12mm; }}
@media print {{
  body {{ max-width: none; padding: 0; font-size: 10pt; }}
  h1 {{ font-size: 20pt; }}
  ul.headline li {{ font-size: 13pt; }}
  .charts {{ grid-template-columns: 1fr 1fr; gap: 10mm; }}
  figure, section.table, table, tr, ul.headline li {{ break-inside: avoid;
    page-break-inside: avoid; }}
  section.table {{ overflow: visible; }}
  table {{ font-size: 9pt; }}
  thead {{ display: table-header-group; }}
  figure {{ border-color: #c4cbd4; }}
}}
""".strip()


def _esc(text: str) -> str:
    """Return plan-written text cleaned and escaped for HTML, line breaks kept as ``<br>``."""
    return html.escape(clean(text), quote=True).replace("\n", "<br>")


def _id(prefix: str, name: str) -> str:
    """Return an element id for a chart or table name, escaped for an attribute."""
    return html.escape(f"{prefix}-{' '.join(clean(name).split())}", quote=True)


def _meta(report: Report) -> list[str]:
    """Return the report's meta as a description list (plan, currency, seed ...)."""
    if not report.meta:
        return []
    items = [
        f"<div><dt>{_esc(key.replace('_', ' '))}</dt><dd>{_esc(value)}</dd></div>"
        for key, value in report.meta.items()
    ]
    return ['<dl class="meta">', *items, "</dl>"]


def _headline(summary: tuple[str, ...]) -> list[str]:
    """Return the summary lines as the headline list; ``!`` lines are warnings."""
    if not summary:
        return []
    lines = ['<ul class="headline">']
    for line in summary:
        if line.startswith("!"):
            body = _esc(line[1:].strip())
            lines.append(f'<li class="warning"><strong>Warning:</strong> {body}</li>')
        else:
            lines.append(f"<li>{_esc(line)}</li>")
    return [*lines, "</ul>"]


def _sentences(report: Report) -> list[str]:
    """Return the report's headline sentences as a list, each marked by its tone."""
    if not report.headline:
        return []
    currency = report.meta.get("currency", "USD")
    lines = headline_lines(report.headline, currency, _esc)
    items = [f'<li class="{tone.value}">{text}</li>' for tone, text in lines]
    return ['<ul class="headline">', *items, "</ul>"]


def _notes(lines: tuple[str, ...] | list[str]) -> list[str]:
    """Return notes as paragraphs."""
    return [f'<p class="note">{_esc(line)}</p>' for line in lines]


def chart_html(chart: Chart, currency: str | None = None) -> str:
    """Return one chart as a figure: caption, SVG, notes (``currency`` if meta has none)."""
    return "\n".join(
        [
            f'<figure id="{_id("chart", chart.name)}">',
            f"<figcaption>{_esc(chart.title)}</figcaption>",
            chart_svg(chart, currency=currency).rstrip("\n"),
            *_notes(chart.notes),
            "</figure>",
        ]
    )


def _transposed(table: Table, row: list[str]) -> list[str]:
    """Return the body of a one-row table as "title (unit) | value" rows."""
    lines = []
    for column, text in zip(table.columns, row, strict=True):
        unit = f'<span class="unit">{_esc(column.unit)}</span>' if column.unit else ""
        cls = ' class="num"' if is_numeric(column) else ""
        lines.append(
            f'<tr><th scope="row">{_esc(column.title)}{unit}</th><td{cls}>{_esc(text)}</td></tr>'
        )
    return lines


def table_html(table: Table, currency: str) -> str:
    """Return one table with its caption, footnotes and notes."""
    # A wide table of one row (a summary) reads down, a figure a line, as in the terminal.
    footnotes = Footnotes()
    rows = format_rows(table, currency, footnotes)
    if len(rows) == 1 and len(table.columns) > TRANSPOSE_ABOVE:
        lines = [
            '<section class="table">',
            f'<table id="{_id("table", table.name)}" class="transposed">',
            f"<caption>{_esc(table.title)}</caption>",
            "<tbody>",
            *_transposed(table, rows[0]),
            "</tbody>",
            "</table>",
            *_notes(footnotes.lines()),
            *_notes(table.notes),
        ]
        return "\n".join([*lines, "</section>"])
    align = [' class="num"' if is_numeric(c) else "" for c in table.columns]
    head = []
    for column, cls in zip(table.columns, align, strict=True):
        unit = f'<span class="unit">{_esc(column.unit)}</span>' if column.unit else ""
        head.append(f'<th scope="col"{cls}>{_esc(column.title)}{unit}</th>')
    lines = [
        '<section class="table">',
        f'<table id="{_id("table", table.name)}">',
        f"<caption>{_esc(table.title)}</caption>",
        f"<thead><tr>{''.join(head)}</tr></thead>",
        "<tbody>",
    ]
    keys = table.key_columns
    for row in rows:
        cells = [
            f'<th scope="row"{cls}>{_esc(text)}</th>' if i < keys else f"<td{cls}>{_esc(text)}</td>"
            for i, (text, cls) in enumerate(zip(row, align, strict=True))
        ]
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines += ["</tbody>", "</table>", *_notes(footnotes.lines()), *_notes(table.notes)]
    return "\n".join([*lines, "</section>"])


def render_html(report: Report) -> str:
    """Return the report as one self-contained HTML5 page ending in a newline."""
    title = _esc(report.title)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light">',
        '<meta name="generator" content="salesplan">',
        f"<title>{title}</title>",
        f"<style>\n{STYLE}\n</style>",
        "</head>",
        "<body>",
        "<header>",
        f"<h1>{title}</h1>",
        *_meta(report),
        "</header>",
        *_sentences(report),
        *_headline(report.summary),
    ]
    if report.charts:
        parts += ["<h2>Charts</h2>", '<div class="charts">']
        parts += [chart_html(chart, report.meta.get("currency")) for chart in report.charts]
        parts.append("</div>")
    if report.tables:
        parts.append("<h2>Tables</h2>")
        parts += [table_html(t, currency_of(t, report)) for t in report.read_in_turn()]
    parts += [
        f"<footer>Made with salesplan ({_esc(report.kind)} report).</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"
