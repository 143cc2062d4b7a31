"""The reforecast worked by hand (docs/model.md §15): the ÷ 78 plan, three months below plan.

tests/plans/reforecast/blueprints.yaml is docs/model.md §2's worked example with SQLs that
close in the month they enter: $780,000 of first-year revenue is 780,000 / 78 = 10,000 new
MRR a month, 20 deals at $500, from 48 inbound and 32 outbound SQLs at a 1:4 win rate; 3
SDRs work the outbound SQLs, 12 a month each (32 / 12 = 2.67 FTE).

blueprints-q1.csv: January to March as they went.  As many SQLs as planned and more (60
inbound, 40 outbound a month), but only 15% of them won: 27 of 180 inbound, 18 of 120
outbound; 14, 16 and 15 deals, so new MRR of 7,000, 8,000 and 7,500 and MRR of 7,000,
15,000 and 22,500 (no churn).  Heads as planned: 3 SDRs and 5 AEs.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplan.choices import Rates
from salesplan.pipeline import run_actuals, run_plan
from salesplan.reforecast.route import Reforecast, run_reforecast
from salesplan.render.prose import sentence_text
from salesplan.report.reforecast import headline
from tests.paths import ROOT

PLAN = ROOT / "tests" / "plans" / "reforecast" / "blueprints.yaml"
ACTUALS = PLAN.parent / "blueprints-q1.csv"

# Revenue to date: 7,000 + 15,000 + 22,500 = 44,500 (the plan: 10,000 + 20,000 + 30,000).
TO_DATE = 44_500.0
# What is left of the target, over the 9 months left of the first year (April–December).
LEFT = 780_000.0 - TO_DATE  # 735,500
# From 22,500 of MRR, booking n a month from April: MRR in the t-th month left is
# 22,500 + t n, so the 9 months make 9 × 22,500 + (1 + 2 + … + 9) n = 202,500 + 45 n.
N = (LEFT - 9 * 22_500.0) / 45  # 533,000 / 45 = 11,844.44 new MRR a month
WINS = N / 500  # 23.69 deals a month


def reforecast(rates: Rates) -> Reforecast:
    checked = run_plan(str(PLAN))
    assert checked.evaluation is not None, checked.problems
    read = run_actuals(checked.evaluation, str(ACTUALS))
    assert read.actuals is not None, read.problems
    return run_reforecast(checked.evaluation, read.actuals, str(ACTUALS), rates, trials=0)


def test_the_remaining_first_year_revenue_is_resolved_exactly() -> None:
    rf = reforecast(Rates.PLAN)
    assert rf.start.state.month == 3
    assert rf.start.state.revenue_to_date == TO_DATE
    assert rf.rebased.target_left == LEFT
    assert rf.rebased.data["target"] == {"first_year_revenue": LEFT, "first_year_months": 9}
    b = rf.evaluation
    assert b is not None
    assert float(b.plan.revenue.new_mrr_solved) == pytest.approx(N, rel=1e-12)
    assert pytest.approx(11_844.444444, rel=1e-9) == N
    # Revenue to date plus the remainder of the year is the target.
    assert TO_DATE + float(b.plan.revenue.mrr[:, :9].sum()) == pytest.approx(780_000, rel=1e-12)


def test_the_sqls_a_month_it_now_needs_under_the_plans_rates() -> None:
    # 23.69 deals a month at 1:4: 94.76 SQLs, 56.85 inbound (60%) and 37.90 outbound (40%),
    # against the plan's 48 and 32.  The SDRs need 37.90 / 12 = 3.16 FTE: a 4th SDR, from
    # April (no lead time, no ramp).
    rf = reforecast(Rates.PLAN)
    b = rf.evaluation
    assert b is not None
    volume = b.plan.funnel.volume[:, 0]  # [inbound sql, outbound sql] in April
    assert volume.tolist() == pytest.approx([0.6 * WINS / 0.25, 0.4 * WINS / 0.25], rel=1e-12)
    assert volume.sum() == pytest.approx(94.76, abs=0.005)
    sdr = b.plan.structure.roles.index("sdr")
    assert b.plan.need[sdr, 0] == pytest.approx(0.4 * WINS / 0.25 / 12, rel=1e-12)
    assert b.plan.starts[sdr, :9].tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0]
    assert rf.rates.replaced == {}


def test_the_sqls_a_month_it_now_needs_under_the_actual_rates() -> None:
    # Realised win rates: 27 / 180 = 18 / 120 = 15%.  23.69 deals need 157.93 SQLs: 94.76
    # inbound and 63.17 outbound; the SDRs 63.17 / 12 = 5.26 FTE, 6 heads: 3 more in April.
    rf = reforecast(Rates.ACTUAL)
    assert rf.rates.replaced == {0: pytest.approx(0.15), 1: pytest.approx(0.15)}
    assert rf.rates.realised.conversions.tolist() == [27, 18]
    assert rf.rates.realised.entered.tolist() == [180, 120]
    b = rf.evaluation
    assert b is not None
    volume = b.plan.funnel.volume[:, 0]
    assert volume.tolist() == pytest.approx([0.6 * WINS / 0.15, 0.4 * WINS / 0.15], rel=1e-12)
    assert volume.sum() == pytest.approx(157.93, abs=0.005)
    sdr = b.plan.structure.roles.index("sdr")
    assert b.plan.starts[sdr, :9].tolist() == [3, 0, 0, 0, 0, 0, 0, 0, 0]
    # The revenue is re-solved the same way whatever the rates: they size the funnel only.
    assert float(b.plan.revenue.new_mrr_solved) == pytest.approx(N, rel=1e-12)


def test_the_sqls_a_month_it_now_needs_under_the_blend() -> None:
    # The plan's 25% without a range is taken as known to ±20%: sd = 2 × 0.2 × 0.25 / 6,
    # a Beta prior of strength 0.25 × 0.75 / sd² − 1 = 674 SQLs (docs/track.md).  Inbound
    # (674 × 0.25 + 27) / (674 + 180) = 195.5 / 854 = 22.89%; outbound 186.5 / 794 = 23.49%.
    rf = reforecast(Rates.BLEND)
    inbound, outbound = 195.5 / 854, 186.5 / 794
    assert rf.rates.used.tolist() == pytest.approx([inbound, outbound], rel=1e-9)
    b = rf.evaluation
    assert b is not None
    volume = b.plan.funnel.volume[:, 0]
    assert volume.tolist() == pytest.approx([0.6 * WINS / inbound, 0.4 * WINS / outbound], rel=1e-9)
    assert volume.sum() == pytest.approx(102.43, abs=0.005)  # 62.09 inbound, 40.34 outbound
    # Outbound 40.34 SQLs need 3.36 SDRs: one more.
    sdr = b.plan.structure.roles.index("sdr")
    assert b.plan.starts[sdr, :9].tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0]


def test_a_first_year_target_whose_year_is_over_keeps_the_planned_bookings(
    tmp_path: Path,
) -> None:
    # The same plan over 15 months, and 13 months of actuals that are its own figures: the
    # first year ended in 2027-12, so its target is history; the reforecast keeps the plan's
    # 10,000 new MRR a month from 2028-02.
    from tests.engine.plan_actuals import plan_actuals_text

    plan = tmp_path / "plan.yaml"
    plan.write_text(PLAN.read_text("utf-8").replace("horizon_months: 12", "horizon_months: 15"))
    checked = run_plan(str(plan))
    assert checked.evaluation is not None
    text = plan_actuals_text(checked.evaluation.plan, 13)
    read = run_actuals(checked.evaluation, "own.csv", text=text.encode())
    assert read.actuals is not None, read.problems
    rf = run_reforecast(checked.evaluation, read.actuals, "own.csv", trials=0)
    assert rf.rebased.year_over
    assert rf.rebased.data["target"] == {"first_year_revenue": None, "new_mrr_per_month": 10_000}
    said = [sentence_text(s, "USD", str) for s in headline(rf)]
    assert (
        "The first year ended in 2027-12, so its target is behind the company: the reforecast "
        "keeps the plan's bookings, new MRR of $10,000 a month from 2028-02."
    ) in said
