"""Rules on what the engine finds: a target already met (SP300) and capacity gaps (SP301)."""

from __future__ import annotations

from salesplan.engine.gaps import capacity_gaps
from salesplan.pipeline import run_plan
from salesplan.report.screen import actions
from tests.paths import PLANS

GAP = str(PLANS / "cli" / "gap.yaml")  # lead time plus ramp within the horizon
LATE = str(PLANS / "checks" / "late_coverage.yaml")  # 6 + 8 months on a 12-month plan


def _gap_messages(path: str) -> list[str]:
    return [p.message for p in run_plan(path).problems if p.code == "SP301"]


def test_a_gap_whose_coverage_begins_after_the_plan_says_when() -> None:
    (message,) = _gap_messages(LATE)
    assert message.startswith("ae is short of capacity in 12 month(s), 2027-01..2027-12, ")
    assert message.endswith(
        "(hiring lead time plus ramp is 14 months); coverage begins in 2028-03, after the plan ends"
    )


def test_the_gap_records_when_coverage_begins() -> None:
    checked = run_plan(LATE)
    assert checked.evaluation is not None
    view = checked.evaluation.plan
    (gap,) = capacity_gaps(view)
    assert (gap.covered_from, gap.covered_after(view.months)) == (14, True)


def _gap_lines(path: str) -> list[str]:
    """Return the plan report's lines about capacity gaps (its first screen's actions)."""
    checked = run_plan(path)
    assert checked.evaluation is not None
    evaluation = checked.evaluation
    lines = [a.fill(str, str) for a in actions(evaluation.plan, evaluation.outlook())]
    return [line for line in lines if "short" in line]


def test_the_plan_reports_gap_line_says_when_coverage_begins() -> None:
    (line,) = _gap_lines(LATE)
    assert line.startswith("ae: up to ")
    assert line.endswith("Coverage begins in 2028-03, after the plan ends.")


def test_a_gap_covered_within_the_plan_says_nothing_more() -> None:
    checked = run_plan(GAP)
    assert checked.evaluation is not None
    view = checked.evaluation.plan
    (gap,) = capacity_gaps(view)
    assert gap.covered_from == 5 and not gap.covered_after(view.months)
    (message,) = _gap_messages(GAP)
    assert message.endswith("(hiring lead time plus ramp is 5 months)")
    assert "overage begins" not in " ".join(_gap_lines(GAP))


def test_a_gap_of_whole_pods_only_says_its_work_is_covered() -> None:
    # Series B staffs in whole pods: fae is short of its pods' members, not of its work.
    (message,) = _gap_messages(str(PLANS.parent.parent / "configs" / "series-b.yaml"))
    assert "by up to 1.50 FTE of the whole pods it is staffed to (its own work is covered" in (
        message
    )
    assert "whole pods" not in " ".join(_gap_messages(GAP))  # role by role: its work is short


# -- SP300: a target already met, and by what ----------------------------------------------

EXPLICIT = (PLANS / "checks" / "explicit_new_mrr.yaml").read_text("utf-8")


def _target_met(text: str) -> list[str]:
    checked = run_plan("plan.yaml", text=text.encode())
    assert checked.evaluation is None
    return [f"{p.location.line} {p.message}" for p in checked.problems if p.code == "SP300"]


def test_explicit_new_mrr_above_the_target_is_named_as_the_cause() -> None:
    assert _target_met(EXPLICIT) == [
        "3 the new_mrr given by tier(s) enterprise (20,000 USD a month in all) already meets "
        "the ending arr target, leaving nothing for the tiers that share new MRR: raise the "
        "target or lower that new_mrr"
    ]


def test_an_opening_base_above_the_target_is_named_as_the_cause() -> None:
    text = EXPLICIT.replace("    mrr: 500\n", "    mrr: 500\n    opening_arr: 5_000_000\n")
    assert _target_met(text) == [
        "3 the opening base already meets the ending arr target without new bookings: raise "
        "the target or lower the opening ARR"
    ]


def test_a_target_of_zero_is_named_as_the_cause() -> None:
    text = EXPLICIT.replace("ending_arr: 1_200_000", "ending_arr: 0")
    assert _target_met(text) == [
        "3 the ending arr target is 0: give the revenue the plan should reach"
    ]
