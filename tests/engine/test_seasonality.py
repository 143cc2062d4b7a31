"""Seasonality (docs/model.md §14): new bookings by calendar month, solved exactly.

The hand-worked cases are in the comments; the properties run small random plans.
"""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.run import PlanResult, run

from .plans import compiled, evaluated, motion, plan, role, stage, tier
from .test_properties import plans

PROPS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
FIRST_HALF_OFF = [0.0] * 6 + [1.0] * 6  # nothing booked January to June


def _year(target: dict[str, float], weights: list[float] | None = None) -> PlanResult:
    data = plan(target, {"smb": tier(500)}, horizon=12)
    if weights is not None:
        data["seasonality"] = weights
    return evaluated(data).result


def test_a_flat_year_is_the_78_rule() -> None:
    # No opening MRR, churn or expansion, g = 1: MRR[t] = (t + 1) n, and the first year's
    # revenue is (1 + 2 + … + 12) n = 78 n.  $10,000 new MRR a month: $780,000 of revenue
    # and an exit ARR of 12 × 12 × 10,000 = $1,440,000.
    r = _year({"ending_arr": 1_440_000})
    assert r.revenue.new_mrr_solved[0] == 10_000
    assert r.revenue.mrr[0, 0, :12].sum() == 780_000
    assert 12 * r.revenue.mrr[0, 0, 11] == 1_440_000


def test_the_same_bookings_in_the_second_half_earn_far_less() -> None:
    # Weights 0 January–June and 1 July–December, divided by their mean 0.5: 2 in each month
    # of the second half.  The same exit ARR of $1,440,000 needs the same $120,000 of new MRR
    # (n = 10,000 for an average month), now booked at 20,000 a month from July:
    #   MRR in July … December = 20,000 × 1, 2, 3, 4, 5, 6 and nothing before,
    #   first-year revenue = 20,000 × (6 + 5 + 4 + 3 + 2 + 1) = 20,000 × 21 = $420,000.
    r = _year({"ending_arr": 1_440_000}, FIRST_HALF_OFF)
    assert r.revenue.new_mrr_solved[0] == 10_000
    assert r.revenue.new_mrr[0, 0, :12].tolist() == [0.0] * 6 + [20_000.0] * 6
    assert r.revenue.mrr[0, 0, :12].sum() == 20_000 * (6 + 5 + 4 + 3 + 2 + 1) == 420_000
    assert 12 * r.revenue.mrr[0, 0, 11] == 1_440_000


def test_first_year_revenue_solves_the_back_loaded_year_exactly() -> None:
    # A $780,000 first-year revenue target in the back-loaded year: 21 × 2n = 780,000, so
    # n = 18,571.43 and the second half books 37,142.86 a month: an exit ARR of
    # 12 × 6 × 37,142.86 = $2,674,285.71, not the flat year's $1,440,000.
    r = _year({"first_year_revenue": 780_000}, FIRST_HALF_OFF)
    n = r.revenue.new_mrr_solved[0]
    assert n == pytest.approx(780_000 / 42)
    assert r.revenue.mrr[0, 0, :12].sum() == pytest.approx(780_000, rel=1e-12)
    assert 12 * r.revenue.mrr[0, 0, 11] == pytest.approx(12 * 6 * 2 * n)


def test_every_target_kind_is_met_with_seasonality_and_growth() -> None:
    weights = [0.7, 0.8, 1.3, 0.9, 0.9, 1.2, 0.6, 0.6, 1.2, 1.0, 1.1, 1.7]
    tiers = {
        "smb": tier(500, churn_rate=0.02, expansion_rate=0.01, share=1.0, opening_arr=60_000),
        "partner": tier(900, new_mrr=1_500, seasonality=[1.0] * 11 + [4.0]),
    }
    for kind, value in (
        ("ending_arr", 2_000_000),
        ("first_year_revenue", 900_000),
        ("new_arr_per_year", 1_500_000),
        ("new_mrr_per_month", 12_000),
    ):
        data = plan({kind: value}, tiers, horizon=18, growth=0.02)
        data["seasonality"] = weights
        data["company"]["start"] = "2027-04"
        rev = evaluated(data).result.revenue
        measured = {
            "ending_arr": 12 * rev.mrr[0, :, 17].sum(),
            "first_year_revenue": rev.mrr[0, :, :12].sum(),
            "new_arr_per_year": 12 * rev.new_mrr[0, :, :12].sum(),
            "new_mrr_per_month": rev.new_mrr[0, :, 0].sum(),
        }[kind]
        assert measured == pytest.approx(value, rel=1e-12), kind
        # April is the plan's first month: the weight of April falls on month 0.
        assert rev.new_mrr[0, 1, 8] == pytest.approx(1_500 * 1.02**8 * 4 / (15 / 12))


def test_the_weights_follow_the_calendar_not_the_plans_months() -> None:
    # A plan starting in November books December's weight in its second month.
    data = plan({"new_mrr_per_month": 1_000}, {"smb": tier(500)}, horizon=3)
    data["company"]["start"] = "2027-11"
    data["seasonality"] = [1.0] * 11 + [2.0]
    new = evaluated(data).result.revenue.new_mrr[0, 0, :3]
    assert (new / new[0]).tolist() == [1.0, 2.0, 1.0]


def test_a_motions_own_weights_and_the_tiers_customers() -> None:
    # Two motions 3:1; inbound books only in December, outbound evenly: the tier books
    # (0.75 × 12 + 0.25 × 1) in December and 0.25 otherwise (relative to an average month).
    motions = {
        "inbound": {**motion(share=0.75), "seasonality": [0.0] * 11 + [1.0]},
        "outbound": motion(share=0.25),
    }
    data = plan({"new_mrr_per_month": 1_000}, {"smb": tier(500, motions)}, horizon=12)
    data["company"]["start"] = "2027-12"
    r = evaluated(data).result
    wins = r.funnel.wins[0, :, :12]
    assert wins[0, 0] == pytest.approx(12 * wins[1, 0] * 3) and not wins[0, 1:].any()
    np.testing.assert_allclose(wins.sum(axis=0), r.revenue.new_customers[0, 0, :12], rtol=1e-12)


def test_the_opening_pipeline_integrates_the_seasonal_curve() -> None:
    # One stage 45 days (1.4784 months) ahead of won, rate 0.5, a plan starting in January
    # with February at weight 3: O = (1 / 0.5) ∫_0^L W(x) dx, the wins of months 0 … L
    # joined linearly: W(0) = w_Jan, W(1) = w_Feb, W(2) = w_Mar.
    weights = [1.0, 3.0] + [1.0] * 10
    data = plan(
        {"new_mrr_per_month": 1_000},
        {"smb": tier(100, {"direct": motion(stage("opp", 0.5, 45))})},
        horizon=6,
    )
    data["seasonality"] = weights
    r = evaluated(data).result
    w = np.array(weights) / np.mean(weights)
    a = r.revenue.new_mrr_solved[0] / 100  # wins of an average month
    L = 45 / 30.4375
    f = L - 1
    area = (w[0] + w[1]) / 2 + f * w[1] + f**2 * (w[2] - w[1]) / 2
    assert r.funnel.opening[0, 0] == pytest.approx(a * area / 0.5, rel=1e-12)


# -- properties ------------------------------------------------------------------------------


def _arrays(res: PlanResult) -> dict[str, np.ndarray]:
    out = {f"revenue.{f.name}": getattr(res.revenue, f.name) for f in fields(res.revenue)}
    out |= {f"funnel.{f.name}": getattr(res.funnel, f.name) for f in fields(res.funnel)}
    out |= {
        f.name: getattr(res, f.name)
        for f in fields(res)
        if isinstance(getattr(res, f.name), np.ndarray)
    }
    return out


@PROPS
@given(plans(), st.sampled_from([0.5, 1.0, 3.0, 0.1]), st.sampled_from(["plan", "tier", "motion"]))
def test_equal_weights_give_the_unseasonal_plan_exactly(
    data: dict[str, Any], weight: float, where: str
) -> None:
    seasonal = {**data, "tiers": {k: dict(t) for k, t in data["tiers"].items()}}
    if where == "plan":
        seasonal["seasonality"] = [weight] * 12
    for t in seasonal["tiers"].values():
        if where == "tier":
            t["seasonality"] = [weight] * 12
        if where == "motion":
            t["motions"] = {
                m: {**mo, "seasonality": [weight] * 12} for m, mo in t["motions"].items()
            }
    flat, bent = compiled(data), compiled(seasonal)
    one, two = _arrays(run(flat.structure, flat.params)), _arrays(run(bent.structure, bent.params))
    for name, value in one.items():
        assert np.array_equal(value, two[name]), name


@PROPS
@given(
    plans(),
    st.lists(st.sampled_from([0.0, 0.5, 1.0, 1.5, 3.0]), min_size=12, max_size=12).filter(any),
    st.sampled_from(["2027-01", "2027-07", "2027-12"]),
)
def test_forwards_reproduces_a_seasonal_plans_wins(
    data: dict[str, Any], weights: list[float], start: str
) -> None:
    # At the likely values and with people to spare, forwards wins what the plan planned,
    # month by month, whatever the weights, lags and growth.
    data = {**data, "seasonality": weights, "company": {**data["company"], "start": start}}
    data["roles"] = {"rep": role({"stage": "won", "capacity": 1.0}, opening_heads=10**5)}
    # A year's target: every calendar month is in it, so any weights book something.
    data["target"] = {"first_year_revenue": 1e6, "growth_rate": data["target"]["growth_rate"]}
    data["company"]["horizon_months"] = max(12, data["company"]["horizon_months"])
    ev = evaluated(data)
    r = ev.result
    T = r.months
    fwd = run_forward(r.structure, ev.compiled.params, fixed_plan(r))
    planned = r.funnel.wins[0, :, :T]
    assert np.abs(fwd.wins[0] - planned).max() <= 1e-9 * max(planned.max(), 1.0)


@PROPS
@given(plans(), st.lists(st.sampled_from([0.6, 0.8, 1.0]), min_size=12, max_size=12))
def test_capacity_seasonality_covers_the_need_with_less_of_each_person(
    data: dict[str, Any], season: list[float]
) -> None:
    # A role working a share c of each calendar month is staffed so that c × ramped
    # capacity covers the need from h + R on; with c = 1 every month it is §4's plan.
    c = compiled(data)
    plain = run(c.structure, c.params)
    for spec in data["roles"].values():
        spec["capacity_seasonality"] = season
    c2 = compiled(data)
    res = run(c2.structure, c2.params)
    T = c2.structure.months
    if not plain.target_met[0]:
        for r in range(len(c2.structure.roles)):
            start = int(res.covered_from[0, r])
            end = T + int(c2.params.ramp_months[0, r])
            cap, need = res.capacity[0, r, start:end], res.staffed_need[0, r, start:end]
            assert (cap >= need - 1e-9).all()
    if all(x == 1.0 for x in season):
        for name, value in _arrays(plain).items():
            assert np.array_equal(value, _arrays(res)[name]), name
