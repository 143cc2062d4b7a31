"""The outlook (docs/model.md §11): what a plan's hires deliver against its target."""

from __future__ import annotations

import numpy as np
import pytest

from salesplan.api import Evaluation, evaluate
from salesplan.engine.outlook import Outlook, outlook
from salesplan.engine.simulate import probability_reached
from tests.engine.plans import evaluated, motion, plan, role, stage, tier
from tests.paths import ROOT

# docs/model.md §4, "Worked example, month by month": 10 wins a month at $1,000 MRR, two
# opening AEs who close 4 deals a month each (need 2.5 FTE), one month of lead time and one of
# ramp.  Month 0 is short by 0.5 FTE and nothing can start in time.
STAFFING_EXAMPLE = plan(
    {"new_mrr_per_month": 10_000},
    tiers={"smb": tier(1000.0, {"direct": motion(stage("opp", 1.0))})},
    roles={
        "ae": role(
            {"stage": "won", "capacity": 4},
            opening_heads=2,
            ramp_months=1,
            hiring_lead_months=1,
            attrition_rate=0.5,
        )
    },
    horizon=9,
)


def test_hand_worked_outlook_of_the_staffing_example() -> None:
    """Month 0: two AEs close 2 x 4 = 8 of the 10 deals, so 8 x $1,000 = $8,000 of the
    $10,000 new MRR the target asks of month 0 is booked.  Filling the gap (a third AE from
    the start) wins back the 2 deals: 2 x $1,000 x 12 = $24,000 of new ARR at risk.  No
    input has a range: a point forecast, no trials, and the target is missed (probability 0).
    """
    ev = evaluated(STAFFING_EXAMPLE)
    o = outlook(ev.result, ev.compiled.inputs)
    assert o.target_kind == "new_mrr_per_month"
    assert o.target == pytest.approx(10_000)
    assert o.delivered == pytest.approx(8_000)
    assert not o.reaches and o.share == pytest.approx(0.8)
    assert [ev.plan.structure.roles[g.role] for g in o.gaps] == ["ae"]
    assert o.gaps[0].months == (0,)
    assert o.at_risk == pytest.approx((24_000.0,))
    assert (o.trials, o.probability, o.arr_band) == (0, 0.0, None)
    assert o.band == (o.delivered, o.delivered, o.delivered)


def test_a_plan_without_gaps_delivers_its_target() -> None:
    data = plan(
        {"ending_arr": 1_200_000},
        roles={"ae": role({"stage": "won", "capacity": 10}, opening_heads=50)},
        horizon=12,
    )
    ev = evaluated(data)
    o = outlook(ev.result, ev.compiled.inputs)
    assert o.gaps == () and o.at_risk == ()
    assert o.reaches and o.delivered == pytest.approx(1_200_000)
    assert o.probability == 1.0
    # ARR by month is the plan's own path when nothing is rationed
    planned = 12 * ev.plan.revenue.mrr[:, :12].sum(axis=0)
    np.testing.assert_allclose(o.likely_arr, planned, rtol=1e-9)


@pytest.fixture(scope="module")
def series_a_outlook() -> tuple[Evaluation, Outlook]:
    ev = evaluate(str(ROOT / "configs" / "series-a.yaml"))
    return ev, ev.outlook(trials=400, seed=3)


def test_simulated_outlook_is_the_simulation_of_the_plans_hires(
    series_a_outlook: tuple[Evaluation, Outlook],
) -> None:
    ev, o = series_a_outlook
    sim = ev.simulate(400, 3, sample=0)
    assert o.trials == 400 and o.seed == 3
    assert o.probability == probability_reached(sim.outcomes["target"], o.target)
    assert o.delivered == sim.at_likely["target"]
    np.testing.assert_allclose(o.arr_band, sim.arr_band)
    p10, _, p90 = o.band
    assert p10 <= o.delivered <= p90 or not (p10 <= p90)


def test_the_outlook_runs_only_what_is_read(series_a_outlook: tuple[Evaluation, Outlook]) -> None:
    """What the hires deliver needs no simulation (the plan by year as CSV reads only that);
    the figures are the same whatever order they are read in."""
    ev, o = series_a_outlook
    fresh = ev.outlook(trials=400, seed=3)
    assert fresh.delivered == o.delivered and fresh.likely_arr.tolist() == o.likely_arr.tolist()
    assert "_worlds" not in vars(fresh) and "_ends" not in vars(fresh)
    backwards = ev.outlook(trials=400, seed=3)
    assert backwards.total_at_confidence == o.total_at_confidence
    assert backwards.band == o.band and backwards.at_risk == o.at_risk
    assert backwards.delivered == o.delivered


def test_same_seed_same_outlook(
    series_a_outlook: tuple[Evaluation, Outlook],
) -> None:
    ev, o = series_a_outlook
    again = ev.outlook(trials=400, seed=3)
    assert (again.probability, again.band) == (o.probability, o.band)
    other = ev.outlook(trials=400, seed=4)
    assert other.band != o.band
