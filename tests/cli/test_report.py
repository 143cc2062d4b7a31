"""``salesplan report``: the board report as one self-contained HTML page."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.conftest import Cli, warnings_of

SERIES_A = "configs/series-a.yaml"
CHARTS = (
    "arr",
    "new_arr",
    "heads",
    "hiring",
    "stages",
    "cac_by_tier",
    "payback_by_tier",
    "nrr_by_tier",
    "tornado",
)


def test_report_writes_every_chart_and_table(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "board.html"
    code, out, err = cli("report", SERIES_A, "-o", str(page), "--trials", "200")
    assert (code, out, err) == (0, "", warnings_of(SERIES_A))
    text = page.read_text("utf-8")
    assert text.startswith("<!DOCTYPE html>")
    ids = set(re.findall(r'id="([^"]+)"', text))
    for chart in CHARTS:
        assert f"chart-{chart}" in ids, chart
    _, tables, _ = cli("plan", SERIES_A, "--all", "-f", "json")
    for table in [t["name"] for t in json.loads(tables)["tables"]] + ["inputs", "problems"]:
        assert f"table-{table}" in ids, table
    # the headline leads, the problems are listed, nothing is fetched
    assert "hires deliver $5,987,379 of the $6,000,000 target" in text
    assert "SP301" in text and "tiers.smb.motions.inbound.stages[sql].rate" in text
    assert "http://" not in text and "https://" not in text
    assert not re.search(r"""(src|href)\s*=\s*["'](?!#)""", text)


def test_report_is_deterministic(cli: Cli, tmp_path: Path) -> None:
    one, two = tmp_path / "one.html", tmp_path / "two.html"
    for page in (one, two):
        assert cli("report", SERIES_A, "-o", str(page), "--trials", "100", "--seed", "5").code == 0
    assert one.read_bytes() == two.read_bytes()


def test_report_of_a_bad_plan_writes_nothing(cli: Cli, tmp_path: Path) -> None:
    page = tmp_path / "board.html"
    code, out, err = cli("report", "tests/plans/cli/bad.yaml", "-o", str(page))
    assert (code, out) == (1, "")
    assert "SP207 error" in err
    assert not page.exists()
