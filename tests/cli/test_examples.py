"""Golden outputs of every example plan in every format: plan, pods, comp and economics.

The Series A plan has its own goldens by month (tests/test_cli_plan.py, test_cli_issue4.py);
the other example plans are kept by quarter here, so that any change to what they print is
seen in review.  ``SALESPLAN_UPDATE_GOLDEN=1`` rewrites them.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli, in_format, warnings_of
from tests.golden import assert_golden
from tests.paths import GOLDEN as GOLDEN_ROOT

GOLDEN = GOLDEN_ROOT / "examples"
PLANS = ("seed", "series-b", "growth")
COMMANDS = ("plan", "pods", "comp", "economics")
FORMATS = {"table": "txt", "csv": "csv", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("plan", PLANS)
def test_example_golden(cli: Cli, plan: str, command: str, fmt: str, tmp_path: Path) -> None:
    args = [command, f"configs/{plan}.yaml", "--width", "100"]
    args += ["--period", "year" if command == "economics" else "quarter"]
    result = in_format(cli, *args, fmt=fmt, directory=tmp_path)
    assert (result.code, result.err) == (0, warnings_of(f"configs/{plan}.yaml")), result.err
    if fmt == "json":
        assert json.loads(result.out)["kind"] == command
    else:
        assert "\x1b" not in result.out
    assert_golden(result.out, GOLDEN / plan / f"{command}.{FORMATS[fmt]}")
