"""Markdown: headings, alignment, escaped pipes, footnotes."""

from __future__ import annotations

from render_sample import GOLDEN, sample_report
from tests.golden import assert_golden

from salesplan.render.markdown import render_markdown


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
