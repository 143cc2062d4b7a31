"""Credible intervals, the blend and days in stage, worked by hand (docs/track.md).

The interval of s conversions of n entries is the 5% and 95% points of
``Beta(s + ½, n − s + ½)``.  Where the Beta's quantile has a closed form the values are
worked here from it; elsewhere the density is integrated numerically (not through scipy)
to check that the points leave 5% in each tail.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from salesplan.engine.actuals import empty_arrays
from salesplan.engine.realised import (
    RateRanges,
    beta_interval,
    blend,
    days_in_stage,
    prior_strength,
)
from salesplan.load.actuals import Key
from salesplan.pipeline import run_actuals, run_plan
from tests.paths import CONFIGS


def interval(s: float, n: float) -> tuple[float, float]:
    low, high, _ = beta_interval(np.array([s]), np.array([n]))
    return float(low[0]), float(high[0])


def test_beta_1_1_is_uniform() -> None:
    # s = ½ of n = 1 gives Beta(1, 1): its quantiles are the probabilities themselves.
    assert interval(0.5, 1.0) == pytest.approx((0.05, 0.95), abs=1e-12)


def test_beta_a_1_quantile_is_p_to_the_one_over_a() -> None:
    # s = 1.5 of n = 2 gives Beta(2, 1), CDF x², quantile √p: √0.05 = 0.2236, √0.95 = 0.9747.
    assert interval(1.5, 2.0) == pytest.approx((math.sqrt(0.05), math.sqrt(0.95)), abs=1e-12)
    # s = 2.5 of n = 3 gives Beta(3, 1): 0.05^(1/3) = 0.3684, 0.95^(1/3) = 0.9830.
    assert interval(2.5, 3.0) == pytest.approx((0.05 ** (1 / 3), 0.95 ** (1 / 3)), abs=1e-12)


def test_beta_1_b_quantile_is_one_less_the_power() -> None:
    # s = ½ of n = 3 gives Beta(1, 3), CDF 1 − (1 − x)³: 1 − 0.95^(1/3) = 0.0170 and
    # 1 − 0.05^(1/3) = 0.6316.
    low, high = interval(0.5, 3.0)
    assert (low, high) == pytest.approx((1 - 0.95 ** (1 / 3), 1 - 0.05 ** (1 / 3)), abs=1e-12)
    assert (round(low, 4), round(high, 4)) == (0.0170, 0.6316)


def _cdf(a: float, b: float, x: float, steps: int = 200_000) -> float:
    """Return the Beta(a, b) CDF at x by the midpoint rule on the density (no scipy)."""
    grid = (np.arange(steps) + 0.5) / steps
    density = grid ** (a - 1) * (1 - grid) ** (b - 1)
    norm = math.exp(math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b))
    return float((density * (grid <= x)).sum() / steps * norm)


def test_three_wins_of_ten_reads_0_12_to_0_56() -> None:
    # Beta(3.5, 7.5): 11.7% to 55.8%, not "a new 30% win rate".
    low, high = interval(3.0, 10.0)
    assert (round(low, 3), round(high, 3)) == (0.117, 0.558)
    assert _cdf(3.5, 7.5, low) == pytest.approx(0.05, abs=2e-4)
    assert _cdf(3.5, 7.5, high) == pytest.approx(0.95, abs=2e-4)


def test_the_edges_reach_0_and_1() -> None:
    assert interval(0.0, 20.0)[0] == 0.0  # nothing converted: the rate may be 0
    assert interval(20.0, 20.0)[1] == 1.0  # all converted: the rate may be 1
    _low, high = interval(0.0, 20.0)
    assert 0 < high < 0.15


def test_the_plan_tail_says_how_clearly_the_data_disagrees() -> None:
    # Beta(1, 1) is uniform: the smaller tail beyond 0.3 is 0.3, beyond 0.8 it is 0.2.
    _, _, tail = beta_interval(np.array([0.5, 0.5]), np.array([1.0, 1.0]), np.array([0.3, 0.8]))
    assert tail.tolist() == pytest.approx([0.3, 0.2])


def test_prior_strength_from_a_range_and_from_the_default() -> None:
    # Range 0.2–0.3 about 0.25: sd = 0.1 / 6 = 1/60, k = 0.25 × 0.75 × 3600 − 1 = 674.
    # No range, q = 0.5: sd = 2 × 0.2 × 0.5 / 6 = 1/30, k = 0.25 × 900 − 1 = 224.
    k = prior_strength([0.25, 0.5], [0.2, 0.0], [0.3, 0.0], [True, False])
    assert k.tolist() == pytest.approx([674, 224])
    # A wider default: ±50% of 0.5 is sd = 1/12, k = 0.25 × 144 − 1 = 35.
    assert prior_strength([0.5], half_width=0.5).tolist() == pytest.approx([35])
    # The widest range, 0–1: sd = 1/6, k = 0.25 × 36 − 1 = 8.  A plan rate of 1 has no
    # Beta around it (q(1 − q) = 0): no weight.  A range of no width: all the weight.
    assert prior_strength([0.5], [0.0], [1.0], [True]).tolist() == pytest.approx([8])
    assert prior_strength([1.0]).tolist() == [0.0]
    assert prior_strength([0.5], [0.5], [0.5], [True]).tolist() == [math.inf]


def test_blend_is_the_posterior_mean() -> None:
    # k = 674 at q = 0.25, 4 wins of 25.3 SQLs: (168.5 + 4) / 699.3 = 24.67%.
    assert blend([0.25], [4], [25.3], [674]).tolist() == pytest.approx([172.5 / 699.3])
    # k = 24 (a weak plan) at q = 0.5, 30 of 40: (12 + 30) / 64 = 65.6%.
    assert blend([0.5], [30], [40], [24]).tolist() == pytest.approx([42 / 64])
    # No data leaves the plan's rate; no weight takes the data's; a blend stays a rate.
    assert blend([0.5], [0], [0], [24]).tolist() == [0.5]
    assert blend([0.5], [3], [4], [0]).tolist() == [0.75]
    assert blend([0.5], [6], [4], [0]).tolist() == [1.0]


def test_rate_ranges_come_from_the_plan() -> None:
    evaluation = run_plan(str(CONFIGS / "series-a.yaml")).evaluation
    assert evaluation is not None
    s = evaluation.compiled.structure
    ranges = RateRanges.of(evaluation.compiled.inputs, len(s.stages))
    sql = s.stages.index((s.cells.index(("smb", "inbound")), "sql"))
    assert ranges.given.sum() == 2  # smb inbound sql and mid-market inbound opportunity
    assert (ranges.low[sql], ranges.high[sql]) == (0.2, 0.3)


def test_days_in_stage_by_littles_law() -> None:
    a = empty_arrays(1, 1, 2, 0, 2)
    a.entries[:] = [[40, 40, 40], [10, 0, 0]]
    a.pipeline[:] = [[20, 30, 40], [5, 5, 5]]
    present = {m: np.ones(3, dtype=bool) for m in ("entries", "pipeline")}
    stays = days_in_stage(np.array([21.0, 30.0]), a.__class__(**{**a.__dict__, "present": present}))
    # Stage 0: 30 in flight on average, 40 entries a month: 0.75 months = 22.83 days.
    assert stays.days[0] == pytest.approx(0.75 * 30.4375)
    assert stays.mean_pipeline.tolist() == [30, 5] and stays.why == ("", "")
    # Stage 1: 5 in flight, 10/3 a month: 1.5 months.
    assert stays.days[1] == pytest.approx(1.5 * 30.4375)
    assert days_in_stage(np.array([21.0, 30.0]), a).why[0] == "the file gives no pipeline"


def test_the_state_at_the_last_month_of_actuals() -> None:
    evaluation = run_plan(str(CONFIGS / "series-a.yaml")).evaluation
    assert evaluation is not None
    read = run_actuals(evaluation, str(CONFIGS / "actuals" / "series-a-2027-q1.csv"))
    assert read.actuals is not None
    a = evaluation.actual_arrays(read.actuals)
    s = evaluation.compiled.structure
    assert a.through == 2 and a.months == 3 and a.first == 0
    heads = a.at_end("heads")
    assert heads is not None and heads[s.roles.index("ae")] == 4
    mrr = a.at_end("mrr")
    assert mrr is not None
    assert mrr.tolist() == [read.actuals.value("mrr", Key(tier), 2) for tier in s.tiers]
    assert a.at_end("pipeline") is None  # the sample gives no pipeline
    # Marketing is given per motion: the cells add up to the tiers and the total.
    assert a.marketing_breakdown == ("tier", "motion")
    assert np.allclose(a.marketing_by_cell.sum(0), a.marketing_cost)
    assert np.allclose(a.marketing_by_tier.sum(0), a.marketing_cost)
    # Every value lands where the file wrote it.
    for metric, months in read.actuals.months.items():
        for key, values in read.actuals.values[metric].items():
            if metric == "marketing_cost":
                continue
            arr = a.series(metric)
            rows = arr[:, months.start :]
            assert any(np.array_equal(row, values) for row in rows), (metric, key)
