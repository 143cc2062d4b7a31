"""Numbers no plan means: integers too large for a float, and values so small that the engine
would divide by next to nothing.  ``check`` and ``plan`` agree on them, and neither tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.paths import PLANS

BASE = (PLANS / "every_number.yaml").read_text("utf-8")
HUGE = "1" + "0" * 400

# (what is replaced, by what, where the number starts: line:col)
HUGE_INTEGERS = [
    ("horizon_months: 12", f"horizon_months: {HUGE}", "6:19"),
    ("    opening_heads: 2\n", f"    opening_heads: {HUGE}\n", "48:20"),
    ("ramp_months: {low: 1, likely: 2, high: 3}", f"ramp_months: {HUGE}", "49:18"),
    ("ramp_months: {low: 1, likely: 2, high: 3}", f"ramp_months: {{low: 1, high: {HUGE}}}", ""),
    ("    hiring_lead_months: 1\n", f"    hiring_lead_months: {HUGE}\n", "50:25"),
    (
        "hiring_lead_months: {low: 1, likely: 2, high: 3}",
        f"hiring_lead_months: {{low: 1, likely: 2, high: {HUGE}}}",
        "60:51",
    ),
    ("open_requisitions: 1", f"open_requisitions: {HUGE}", "52:24"),
    ("ote: 70_000", f"ote: {HUGE}", "56:17"),
    ("capacity: 100}", f"capacity: {HUGE}}}", "74:38"),
]


@pytest.mark.parametrize(("old", "new", "at"), HUGE_INTEGERS, ids=lambda x: str(x)[:30])
def test_an_integer_too_large_for_a_float_is_a_located_range_error(
    cli: Cli, tmp_path: Path, old: str, new: str, at: str
) -> None:
    assert BASE.count(old) == 1
    plan = tmp_path / "plan.yaml"
    plan.write_text(BASE.replace(old, new), encoding="utf-8")
    for command in ("check", "plan"):
        code, out, err = cli(command, str(plan))
        shown = out if command == "check" else err
        assert code == 1, shown
        assert HUGE not in shown  # "a 401-digit number", not the digits
        if at:
            assert f"{plan}:{at}: SP203 error: " in shown, shown
            assert "(got a 401-digit number)" in shown
        else:  # a range missing an end: said as such, without the digits
            assert f"{plan}:49:" in shown and " error: " in shown
