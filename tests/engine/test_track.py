"""Variance, realised rates, the blend and the pace line, worked by hand (docs/model.md,
"Actuals"; docs/track.md).

The plan is docs/model.md §2's ÷ 78 example (tests/plans/track/blueprints.yaml): $780,000
of first-year revenue is 10,000 new MRR a month, 20 deals at $500, 12 inbound from 48 SQLs
and 8 outbound from 32, SQLs converting at 1 in 4 after 21 days.  Its first quarter went
(tests/plans/track/blueprints-q1.csv):

    month     inbound SQLs  wins   outbound SQLs  wins   new MRR   MRR      customers  AEs
    2027-01   48            10     30             8      9,000     9,000    18         5
    2027-02   50            9      32             6      7,500     16,500   33         5
    2027-03   46            11     34             7      9,000     25,500   51         6
"""

from __future__ import annotations

import numpy as np
import pytest

from salesplan.choices import Period
from salesplan.engine.actuals import empty_arrays
from salesplan.engine.periods import Span
from salesplan.engine.realised import lagged_entries
from salesplan.engine.track import Track, compare, pace_months, track_periods
from salesplan.pipeline import run_actuals, run_plan
from tests.paths import PLANS

PLAN = str(PLANS / "track" / "blueprints.yaml")
ACTUALS = str(PLANS / "track" / "blueprints-q1.csv")


def tracked(period: Period) -> Track:
    evaluation = run_plan(PLAN).evaluation
    assert evaluation is not None
    read = run_actuals(evaluation, ACTUALS)
    assert read.actuals is not None, read.problems
    return evaluation.track(evaluation.actual_arrays(read.actuals), period)


def test_new_mrr_and_arr_by_month_and_quarter() -> None:
    by_month = tracked(Period.MONTH)
    assert [p.label for p in by_month.periods] == ["2027-01", "2027-02", "2027-03", "2027 YTD"]
    v = by_month.new_mrr
    assert v is not None
    # Plan 10,000 a month.  2027-01: 9,000 − 10,000 = −1,000, −1,000 / 10,000 = −10%;
    # 2027-02: 7,500, −2,500, −25%; 2027-03: 9,000, −10%; the year to date 25,500 against
    # 30,000: −4,500, −15%.
    assert v.plan[0].tolist() == pytest.approx([10_000, 10_000, 10_000, 30_000])
    assert v.actual[0].tolist() == [9_000, 7_500, 9_000, 25_500]
    assert v.difference[0].tolist() == pytest.approx([-1_000, -2_500, -1_000, -4_500])
    assert v.percent[0].tolist() == pytest.approx([-0.10, -0.25, -0.10, -0.15])
    # ARR is a stock: the quarter takes its last month, 12 × 25,500 = 306,000 against
    # 12 × 30,000 = 360,000 (no churn: the plan's MRR in month 3 is 3 × 10,000).
    by_quarter = tracked(Period.QUARTER)
    arr = by_quarter.arr
    assert arr is not None
    assert [p.label for p in by_quarter.periods] == ["2027-Q1", "2027 YTD"]
    assert arr.plan[0].tolist() == pytest.approx([360_000, 360_000])
    assert arr.actual[0].tolist() == [306_000, 306_000]
    assert arr.percent[0].tolist() == pytest.approx([-0.15, -0.15])


def test_funnel_heads_and_missing_metrics() -> None:
    t = tracked(Period.QUARTER)
    assert t.entries is not None and t.wins is not None and t.heads is not None
    # SQLs: inbound 48 + 50 + 46 = 144 against 3 × 48; outbound 96 against 3 × 32.
    assert t.entries.actual[:, 0].tolist() == [144, 96]
    assert t.entries.difference[:, 0].tolist() == pytest.approx([0, 0])
    # Wins: inbound 30 against 36 (−16.7%), outbound 21 against 24, all 51 against 60.
    assert t.wins.actual[:, 0].tolist() == [30, 21, 51]
    assert t.wins.percent[:, 0].tolist() == pytest.approx([-6 / 36, -3 / 24, -9 / 60])
    # Heads, a stock: 6 AEs at the quarter's end against the plan's 5.
    assert t.heads.actual[:, 0].tolist() == [6, 6]
    assert t.heads.plan[:, 0].tolist() == [5, 5]
    # What the file does not give is not compared.
    assert t.starts is None and t.marketing is None


def test_a_rate_with_a_fractional_lag() -> None:
    r = tracked(Period.MONTH).rates
    # 21 days is λ = 21 / 30.4375 = 0.68994 months: the wins of month t come from the SQLs
    # of months t and t − 1, (1 − λ) E[t] + λ E[t − 1].  Month 0 would need SQLs of the
    # month before the data, so the window is months 1–2:
    #   inbound  n = 0.31006 × 50 + 0.68994 × 48 + 0.31006 × 46 + 0.68994 × 50 = 97.380
    #            s = 9 + 11 = 20, rate 20 / 97.380 = 20.54%
    lag = 21 / 30.4375
    n = (1 - lag) * 50 + lag * 48 + (1 - lag) * 46 + lag * 50
    assert r.first.tolist() == [1, 1]
    assert r.entered[0] == pytest.approx(n) == pytest.approx(97.380, abs=5e-4)
    assert r.conversions.tolist() == [20, 13]
    assert r.rate[0] == pytest.approx(0.2054, abs=5e-5)
    # Beta(20.5, 77.88): 14.49%–27.87%, the plan's 25% inside.
    assert (r.low[0], r.high[0]) == pytest.approx((0.1449, 0.2787), abs=5e-5)
    assert r.position.tolist() == [0, 0]
    # Blend: no range, so ±20% of 25%: sd = 0.4 × 0.25 / 6 = 1/60, k = 0.1875 × 3600 − 1
    # = 674; (674 × 0.25 + 20) / (674 + 97.380) = 188.5 / 771.380 = 24.44%.
    assert r.strength.tolist() == pytest.approx([674, 674])
    assert r.blended[0] == pytest.approx(188.5 / (674 + n)) == pytest.approx(0.2444, abs=5e-5)


def test_the_pace_line() -> None:
    p = tracked(Period.MONTH).pace
    # New MRR a month: (9,000 + 7,500 + 9,000) / 3 = 8,500; no churn or expansion (the file
    # says 0).  From 25,500 at 2027-03, nine more months: 25,500 + 9 × 8,500 = 102,000 MRR,
    # ARR 1,224,000 at 2027-12 against the plan's 12 × 120,000 = 1,440,000 (−15%).
    assert p.window == range(0, 3) and p.months == (11,)
    assert p.new_mrr.tolist() == [8_500, 8_500]
    assert p.churn_rate.tolist() == [0, 0] and p.expansion_rate.tolist() == [0, 0]
    assert not p.rates_from_plan.any()
    assert p.arr[:, 0].tolist() == pytest.approx([1_224_000, 1_224_000])
    assert p.plan_arr[:, 0].tolist() == pytest.approx([1_440_000, 1_440_000])


def test_compare_flows_add_up_and_stocks_take_the_last_month() -> None:
    plan = np.array([[10.0, 20.0, 30.0, 40.0]])
    actual = np.array([[12.0, 18.0, 33.0, 0.0]])
    present = np.array([False, True, True, True])  # the metric starts in month 1
    periods = [Span("A", 0, 1), Span("B", 2, 3), Span("none", 0, 0)]
    flow = compare(plan, actual, present, periods, stock=False)
    # A: month 1 only, 18 against 20; B: 33 + 0 against 30 + 40; month 0 has no data.
    assert flow.plan.tolist() == [[20, 70, 0]] and flow.actual.tolist() == [[18, 33, 0]]
    assert flow.months.tolist() == [1, 2, 0]
    stock = compare(plan, actual, present, periods, stock=True)
    assert stock.plan.tolist() == [[20, 40, 0]] and stock.actual.tolist() == [[18, 0, 0]]
    assert stock.percent.tolist() == [[-0.1, -1.0, 0.0]]


def test_percent_is_undefined_where_the_plan_is_zero() -> None:
    v = compare(
        np.array([[0.0, 5.0]]),
        np.array([[2.0, 5.0]]),
        np.array([True, True]),
        [Span("m0", 0, 0), Span("m1", 1, 1)],
        stock=False,
    )
    assert v.percent_defined.tolist() == [[False, True]]
    assert v.difference.tolist() == [[2.0, 0.0]]
    assert np.isfinite(v.percent).all()


@pytest.mark.parametrize(
    ("start", "through", "period", "labels"),
    [
        ("2027-01", 2, Period.MONTH, ["2027-01", "2027-02", "2027-03", "2027 YTD"]),
        ("2027-11", 3, Period.MONTH, ["2027-11", "2027-12", "2028-01", "2028-02", "2028 YTD"]),
        ("2027-02", 4, Period.QUARTER, ["2027-Q1", "2027-Q2", "2027 YTD"]),
        ("2027-11", 3, Period.YEAR, ["2027", "2028"]),
        ("2027-11", 3, Period.PLAN, ["2027-11..2028-02"]),
    ],
)
def test_periods_end_at_the_last_month_of_actuals(
    start: str, through: int, period: Period, labels: list[str]
) -> None:
    periods = track_periods(start, through, period)
    assert [p.label for p in periods] == labels
    assert periods[-1].last == through
    if labels[-1].endswith("YTD"):
        year = labels[-1][:4]
        first = next(p for p in periods if p.label.startswith(year))
        assert periods[-1].first == first.first


def test_pace_months_are_the_year_end_and_the_horizon_end() -> None:
    assert pace_months("2027-01", 24, 2) == (11, 23)
    assert pace_months("2027-07", 24, 8) == (17, 23)  # 2027-07 + 8 = 2028-03: to 2028-12
    assert pace_months("2027-01", 6, 2) == (5,)  # the plan ends before December
    assert pace_months("2027-01", 24, 11) == (11, 23)  # the year ended with the data


def test_lagged_entries_whole_and_part_months() -> None:
    e = np.array([10.0, 20.0, 30.0, 40.0, 50.0])
    whole, first = lagged_entries(e, 1.0, 0)
    assert whole.tolist() == [0, 10, 20, 30, 40] and first == 1
    half, first = lagged_entries(e, 1.5, 0)  # half of months t − 1 and t − 2
    assert half.tolist() == [0, 0, 15, 25, 35] and first == 2
    late, first = lagged_entries(e, 0.0, 2)  # entries reported from month 2
    assert late.tolist() == [0, 0, 30, 40, 50] and first == 2


def test_empty_arrays_have_the_plan_shapes() -> None:
    a = empty_arrays(2, 3, 5, 4, 2)
    assert a.at_end("mrr") is None and a.first == 3 and a.since("heads") is None
    with pytest.raises(KeyError):
        a.series("nope")
