"""Golden outputs of every example plan in every format: plan, pods, comp and economics.

The Series A plan has its own goldens by month (tests/test_cli_plan.py, test_cli_issue4.py);
the other example plans are kept by quarter here, so that any change to what they print is
seen in review.  ``SALESPLAN_UPDATE_GOLDEN=1`` rewrites them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.golden import assert_golden
from typer.testing import CliRunner

from salesplan.cli import app

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = Path(__file__).parent / "golden" / "examples"
PLANS = ("seed", "series-b", "growth")
COMMANDS = ("plan", "pods", "comp", "economics")
FORMATS = {"table": "txt", "csv": "csv", "json": "json", "markdown": "md"}


@pytest.fixture(autouse=True)
def _repo_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("plan", PLANS)
def test_example_golden(plan: str, command: str, fmt: str) -> None:
    args = [command, f"configs/{plan}.yaml", "--width", "100", "--format", fmt]
    args += ["--period", "year" if command == "economics" else "quarter"]
    result = CliRunner().invoke(app, args)
    assert (result.exit_code, result.stderr) == (0, ""), result.output
    if fmt == "json":
        assert json.loads(result.stdout)["kind"] == command
    else:
        assert "\x1b" not in result.stdout
    assert_golden(result.stdout, GOLDEN / plan / f"{command}.{FORMATS[fmt]}")
