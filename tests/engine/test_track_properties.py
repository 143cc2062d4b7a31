"""Properties of tracking (docs/model.md §11): a plan's own figures, written as an actuals
file and read back, give zero variance everywhere, realised rates equal to the plan's, and
a pace line on the plan's ARR.

The plans drawn here have whole counts (an actuals file's counts are whole, see
``plan_actuals.py``): flat bookings (growth 0) of a whole number of wins a month per
motion, rates of 1, ½ or ¼ so every stage's entries are whole, no churn so customers stay
whole.  Money (MRR, expansion, marketing) is whatever the plan makes of it.
"""

from __future__ import annotations

import os
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.choices import Period
from salesplan.engine.track import Track, Variance

from .plan_actuals import COUNT_TOLERANCE, plan_actuals
from .plans import evaluated, plan

EXAMPLES = int(os.environ.get("ENGINE_EXAMPLES", "0"))
PROPS = settings(
    max_examples=EXAMPLES or 40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=not EXAMPLES,
)
STAGES = ("lead", "mql", "sql")
MONEY_TOLERANCE = 1e-9  # relative: money goes through the file to the last bit


@st.composite
def whole_plans(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    """Draw a plan whose monthly counts are whole, and how many months of it to track."""
    price = draw(st.sampled_from([250.0, 500.0, 1000.0]))
    wins = 4 * draw(st.integers(1, 3))  # a tier's wins a month: whole for 1 or 2 motions
    n_tiers = draw(st.integers(1, 2))
    tiers: dict[str, Any] = {}
    stage_names: set[str] = set()
    for k in range(n_tiers):
        n_motions = draw(st.integers(1, 2))
        motions = {}
        for m in range(n_motions):
            depth = draw(st.integers(1, 3))
            names = STAGES[-depth:]
            stage_names.update(names)
            motions[f"m{m}"] = {
                "share": 1 / n_motions,
                "marketing": {
                    "cost_per_entry": draw(st.sampled_from([0.0, 20.0, 7.5])),
                    "programme_per_month": draw(st.sampled_from([0.0, 1000.0])),
                },
                "stages": [
                    {
                        "name": name,
                        "rate": draw(st.sampled_from([1.0, 0.5, 0.25])),
                        "days": draw(st.sampled_from([0.0, 7.0, 15.21875, 30.4375, 45.0])),
                    }
                    for name in names
                ],
            }
        tiers[f"t{k}"] = {
            "mrr": price,
            "share": 1 / n_tiers,
            "churn_rate": 0.0,
            "expansion_rate": draw(st.sampled_from([0.0, 0.01, 0.025])),
            "opening_arr": draw(st.sampled_from([0.0, 60_000.0])),
            "opening_customers": draw(st.sampled_from([0.0, 10.0])),
            "motions": motions,
        }
    roles: dict[str, Any] = {
        "ae": {
            "opening_heads": draw(st.integers(0, 3)),
            "ramp_months": draw(st.integers(0, 2)),
            "attrition_rate": draw(st.sampled_from([0.0, 0.3])),
            "hiring_lead_months": draw(st.integers(0, 2)),
            "drivers": [{"stage": "won", "capacity": draw(st.sampled_from([3.0, 5.0]))}],
        }
    }
    if draw(st.booleans()):
        roles["sdr"] = {
            "opening_heads": 1,
            "attrition_rate": 0.4,
            "drivers": [{"stage": sorted(stage_names)[0], "capacity": 40.0}],
        }
    data = plan({"new_mrr_per_month": n_tiers * wins * price}, tiers=tiers, roles=roles, horizon=15)
    data["company"]["start"] = f"2027-{draw(st.integers(1, 12)):02d}"
    return data, draw(st.integers(1, 7))


def tracked_against_itself(data: dict[str, Any], months: int, period: Period) -> Track:
    evaluation = evaluated(data)
    read = plan_actuals(evaluation, months)
    assert read.actuals is not None, read.problems
    arrays = evaluation.actual_arrays(read.actuals)
    assert arrays.through == months - 1
    return evaluation.track(arrays, period)


def assert_zero(v: Variance | None, tolerance: float) -> None:
    assert v is not None
    assert v.months.sum() > 0
    scale = np.maximum(1.0, np.abs(v.plan))
    assert (np.abs(v.difference) <= tolerance * scale).all(), v.difference
    assert (np.abs(v.percent) <= tolerance * scale).all()


@PROPS
@given(whole_plans(), st.sampled_from(list(Period)))
def test_actuals_equal_to_the_plan_give_zero_variance_everywhere(
    drawn: tuple[dict[str, Any], int], period: Period
) -> None:
    t = tracked_against_itself(*drawn, period)
    for counts in (t.entries, t.wins, t.customers, t.heads, t.starts):
        assert_zero(counts, COUNT_TOLERANCE)
    for money in (t.new_mrr, t.arr, t.marketing, t.new_mrr_to_date):
        assert_zero(money, MONEY_TOLERANCE)
    # Every period compared is in the months given, and the last one ends with them.
    assert all(span.last <= t.through for span in t.periods)
    assert max(span.last for span in t.periods) == t.through


@PROPS
@given(whole_plans())
def test_actuals_equal_to_a_flat_plan_realise_its_rates_and_keep_its_pace(
    drawn: tuple[dict[str, Any], int],
) -> None:
    t = tracked_against_itself(*drawn, Period.MONTH)
    r = t.rates
    has = np.array([not why for why in r.why])
    assert np.allclose(r.rate[has], r.plan_rate[has], rtol=1e-12, atol=0)
    assert (r.position == 0).all()  # the plan's own rate is inside its own data's interval
    assert (r.low[has] <= r.plan_rate[has]).all() and (r.plan_rate[has] <= r.high[has]).all()
    # Flat bookings, no churn, the plan's expansion: the pace is the plan.
    assert np.allclose(t.pace.arr, t.pace.plan_arr, rtol=1e-9, atol=1e-6)
    assert np.allclose(t.pace.new_mrr[:-1], t.pace.new_mrr[-1] / len(t.pace.new_mrr[:-1]))
