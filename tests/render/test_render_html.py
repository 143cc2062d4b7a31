"""HTML: one self-contained page, every chart and table by id, escaped, print-ready."""

from __future__ import annotations

from html.parser import HTMLParser

from render_sample import GOLDEN, HOSTILE, chart_report, sample_report
from tests.golden import assert_golden

from salesplan.render.html import render_html

VOID = {"meta", "br", "img", "link", "input", "hr", "col", "source", "wbr", "area", "base"}


class Page(HTMLParser):
    """Collect ids, tags, attributes and nesting errors of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: dict[str, str] = {}
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str, str]] = []
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._tag(tag, attrs)

    def _tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attrs.append((tag, name, value or ""))
            if name == "id":
                self.ids[value or ""] = tag

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(text: str) -> Page:
    page = Page()
    page.feed(text)
    page.close()
    assert not page.errors and not page.stack, (page.errors, page.stack)
    return page


def test_golden() -> None:
    assert_golden(render_html(chart_report()), GOLDEN / "report.html")


def test_every_chart_and_table_by_id() -> None:
    report = chart_report()
    page = parse(render_html(report))
    for chart in report.charts:
        assert page.ids[f"chart-{chart.name}"] == "figure"
    for table in report.tables:
        assert page.ids[f"table-{table.name}"] == "table"
    assert page.tags.count("svg") == len(report.charts)
    assert page.tags.count("figcaption") == len(report.charts)


def test_no_network_at_all() -> None:
    text = render_html(chart_report())
    page = parse(text)
    assert "http://" not in text and "https://" not in text
    for tag, name, value in page.attrs:
        if name in ("src", "href", "xlink:href", "action", "srcset", "poster", "data"):
            raise AssertionError(f"<{tag} {name}={value!r}> may load something")
        assert "//" not in value or name == "content", (tag, name, value)
    assert not {"script", "link", "img", "iframe", "object", "embed", "base"} & set(page.tags)
    assert "@import" not in text and "url(" not in text and "@font-face" not in text
    # The browser itself refuses anything that would load: see test_render_browser.
    assert "default-src 'none'" in text


def test_head_and_print_css() -> None:
    text = render_html(chart_report())
    assert text.startswith('<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n')
    assert "<title>Acme 2027 sales plan &lt;board&gt; &amp; review</title>" in text
    assert "@page { size: landscape;" in text
    assert "figure, section.table, table, tr, ul.headline li { break-inside: avoid;" in text
    assert "@media print" in text and "background: #ffffff" in text
    assert text.endswith("</html>\n")


def test_hostile_text_is_cleaned_and_escaped() -> None:
    text = render_html(chart_report())
    assert HOSTILE not in text and "<script>" not in text and "<board>" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in text
    for control in ("\x1b", "\x07", "\u202e"):
        assert control not in text
    assert "SMB, &quot;self-serve&quot;<br>online" in text  # a line break in a cell kept


def test_summary_meta_and_tables() -> None:
    text = render_html(chart_report())
    assert "<li>Target: $10M new ARR in 2027</li>" in text
    assert (
        '<li class="warning"><strong>Warning:</strong> Capacity gap: 3 more AEs needed in Q2</li>'
        in text
    )
    assert "<div><dt>plan</dt><dd>acme.yaml</dd></div>" in text
    assert '<td class="num">$1,234,567</td>' in text  # human cells, right-aligned
    assert '<th scope="row">Enterprise</th>' in text  # the key column labels the row
    assert '<td class="num">€2,500,000.50</td>' in text  # the table's own currency
    assert '<p class="note">¹ no new customers in the period</p>' in text
    assert '<p class="note">Win rate is per qualified opportunity.</p>' in text
    assert '<th scope="col" class="num">Heads<span class="unit">people</span></th>' in text


def test_deterministic_and_without_charts() -> None:
    assert render_html(chart_report()) == render_html(chart_report())
    plain = render_html(sample_report())
    assert "<svg" not in plain and "<h2>Charts</h2>" not in plain
    assert 'id="table-plan"' in plain


def test_a_wide_one_row_table_reads_down() -> None:
    from salesplan.report.table import Column, Kind, Report, Table

    columns = tuple(Column(f"c{i}", f"Figure {i}", Kind.MONEY, unit="per year") for i in range(8))
    table = Table("summary", "Summary", columns, ((*(1e6 * i for i in range(8)),),))
    page = parse(text := render_html(Report("plan", "P", (table,))))
    assert page.ids["table-summary"] == "table" and 'class="transposed"' in text
    assert (
        '<tr><th scope="row">Figure 7<span class="unit">per year</span></th>'
        '<td class="num">$7,000,000</td></tr>'
    ) in text
    narrow = Table("one", "One", columns[:3], ((1.0, 2.0, 3.0),))
    assert "transposed" not in render_html(Report("plan", "P", (narrow,))).split("</style>")[1]
