"""Numbers no plan means: integers too large for a float, and values so small that the engine
would divide by next to nothing.  ``check`` and ``plan`` agree on them, and neither tracebacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.paths import PLANS

BASE = (PLANS / "every_number.yaml").read_text("utf-8")
HUGE = "1" + "0" * 400

# (what is replaced, by what); the problem is located where the digits start
HUGE_INTEGERS = [
    ("horizon_months: 12", f"horizon_months: {HUGE}"),
    ("    opening_heads: 2\n", f"    opening_heads: {HUGE}\n"),
    ("ramp_months: {low: 1, likely: 2, high: 3}", f"ramp_months: {HUGE}"),
    ("ramp_months: {low: 1, likely: 2, high: 3}", f"ramp_months: {{low: 1, high: {HUGE}}}"),
    ("    hiring_lead_months: 1\n", f"    hiring_lead_months: {HUGE}\n"),
    (
        "hiring_lead_months: {low: 1, likely: 2, high: 3}",
        f"hiring_lead_months: {{low: 1, likely: 2, high: {HUGE}}}",
    ),
    ("open_requisitions: 1", f"open_requisitions: {HUGE}"),
    ("ote: 70_000", f"ote: {HUGE}"),
    ("capacity: 100}", f"capacity: {HUGE}}}"),
]


def _where(text: str) -> str:
    """Return line:col of the digits in ``text``."""
    before = text[: text.index(HUGE)].split("\n")
    return f"{len(before)}:{len(before[-1]) + 1}"


@pytest.mark.parametrize(("old", "new"), HUGE_INTEGERS, ids=lambda x: str(x)[:30])
def test_an_integer_too_large_for_a_float_is_a_located_range_error(
    cli: Cli, tmp_path: Path, old: str, new: str
) -> None:
    assert BASE.count(old) == 1
    text = BASE.replace(old, new)
    plan = tmp_path / "plan.yaml"
    plan.write_text(text, encoding="utf-8")
    for command in ("check", "plan"):
        code, out, err = cli(command, str(plan))
        shown = out if command == "check" else err
        assert code == 1, shown
        assert HUGE not in shown  # "a 401-digit number", not the digits
        assert f"{plan}:{_where(text)}: SP203 error: " in shown, shown
        assert "(got a 401-digit number)" in shown
