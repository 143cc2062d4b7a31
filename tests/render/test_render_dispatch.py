"""The format enum drives dispatch; importing the render room does not import Rich."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from render_sample import sample_report

from salesplan.render import CsvDialect, OutputFormat, render_report
from salesplan.render.csv_out import render_csv
from salesplan.render.html import render_html
from salesplan.render.json_out import render_json
from salesplan.render.markdown import render_markdown
from salesplan.render.terminal import render_terminal
from salesplan.render.xlsx import render_xlsx


def test_dispatch() -> None:
    report = sample_report()
    assert render_report(report, OutputFormat.JSON) == render_json(report)
    assert render_report(report, OutputFormat.MARKDOWN) == render_markdown(report)
    one = report.only(["plan"])
    assert render_report(one, OutputFormat.CSV) == render_csv(one)
    excel = render_report(one, OutputFormat.CSV, csv_dialect=CsvDialect.EXCEL)
    assert excel == render_csv(one, CsvDialect.EXCEL)
    assert render_report(report, OutputFormat.HTML) == render_html(report)
    assert render_report(report, OutputFormat.XLSX) == render_xlsx(report)
    table = render_report(report, OutputFormat.TABLE, width=80, color=True)
    assert table == render_terminal(report, width=80, color=True)


def test_unknown_format() -> None:
    with pytest.raises(ValueError, match="unknown output format"):
        render_report(sample_report(), "xml")  # type: ignore[arg-type]


def test_enum_values() -> None:
    assert [f.value for f in OutputFormat] == [
        "table",
        "text",
        "csv",
        "json",
        "markdown",
        "html",
        "xlsx",
    ]
    assert [d.value for d in CsvDialect] == ["rfc", "excel", "excel-semicolon"]


def test_import_does_not_load_rich() -> None:
    code = "import sys, salesplan.render; print('rich' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "False"
