"""Markdown: headings, alignment, escaped pipes, footnotes, charts as fenced text."""

from __future__ import annotations

from dataclasses import replace

from render_sample import GOLDEN, chart_report, funnel_chart, sample_report
from tests.golden import assert_golden

from salesplan.render.markdown import CHART_WIDTH, render_markdown
from salesplan.render.terminal_chart import chart_lines
from salesplan.report.chart import Series


def test_golden() -> None:
    assert_golden(render_markdown(sample_report()), GOLDEN / "report.md")


def test_structure() -> None:
    text = render_markdown(sample_report())
    assert text.startswith("# Acme 2027 sales plan\n\n- Target: $10M new ARR in 2027\n")
    assert "- **Warning:** Capacity gap" in text
    assert "| :--- | ---: | ---: | ---: | ---: | :--- |" in text
    assert "| Pod \\|A\\| | 5 | €2,500,000.50 |" in text
    assert "| Mid-market | 1,234.0 | -$1,234 | 10.0% | n/a¹ | -foo |" in text
    assert "\n¹ no new customers in the period\n" in text
    assert "\x1b" not in text


def test_charts_are_their_terminal_lines_in_fenced_blocks() -> None:
    report = chart_report()
    text = render_markdown(report)
    assert_golden(text, GOLDEN / "report-charts.md")
    for chart in report.charts:
        lines = chart_lines(chart, CHART_WIDTH, currency="USD")
        assert "```text\n" + "\n".join(lines) + "\n```\n" in text
    # After the summary, before the tables.
    assert text.index("Capacity gap") < text.index("```text") < text.index("## Plan by tier")
    assert "Band: P10 to P90 of 2,000 simulated trials." in text  # a chart's note


def test_a_label_cannot_close_the_fence() -> None:
    chart = funnel_chart()
    hostile = replace(chart, series=(Series("```` # Owned", chart.series[0].values),))
    hostile = replace(hostile, x_labels=("```` # Owned", *chart.x_labels[1:]))
    text = render_markdown(replace(sample_report(), charts=(hostile,)))
    # Four backticks in a label: the fence is five, so only its own closing line ends it
    # (CommonMark: a closing fence is at least as long as the opening one).
    fences = [line for line in text.splitlines() if line.startswith("`````")]
    assert fences == ["`````text", "`````"], fences
    assert "```` # Owned  ██" in text
    assert "\n# Owned" not in text
