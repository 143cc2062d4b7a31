"""Revenue (docs/model.md §1): the target solves new MRR n exactly; tiers follow the recurrences.

Expected values are worked by hand in the comments or computed by ``reference_mrr``, a plain
Python loop written here from the MODEL's formulas (it shares no code with the engine).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from salesplan.api import PlanError
from salesplan.engine.revenue import revenue

from .plans import evaluated, motion, plan, stage, tier

REL = 1e-12


def reference_mrr(
    tiers: dict[str, dict[str, Any]], n: float, growth: float, months: int
) -> dict[str, dict[str, list[float]]]:
    """Return per tier the lists N (new MRR), W, MRR and C for months 0 … months-1.

    ``N_k[t] = (s_k n + F_k) g**t``; ``MRR_k[t] = MRR_k[t-1](1-c)(1+e) + N_k[t]``;
    ``C_k[t] = C_k[t-1](1-c) + N_k[t] / p_k``.  A tier without share or new_mrr takes all.
    """
    out = {}
    g = 1.0 + growth
    for name, t in tiers.items():
        c, e, p = t.get("churn_rate", 0.0), t.get("expansion_rate", 0.0), t["mrr"]
        first = t["new_mrr"] if "new_mrr" in t else t.get("share", 1.0) * n
        mrr, cust = t.get("opening_arr", 0.0) / 12, t.get("opening_customers", 0.0)
        rows: dict[str, list[float]] = {"N": [], "W": [], "MRR": [], "C": []}
        for month in range(months):
            new = first * g**month
            mrr = mrr * (1 - c) * (1 + e) + new
            cust = cust * (1 - c) + new / p
            rows["N"].append(new)
            rows["W"].append(new / p)
            rows["MRR"].append(mrr)
            rows["C"].append(cust)
        out[name] = rows
    return out


def reference_target(
    kind: str, tiers: dict[str, dict[str, Any]], n: float, growth: float, months: int
) -> float:
    """Return what the target measures when share tiers book ``n`` in month 0."""
    ref = reference_mrr(tiers, n, growth, months)
    total = [sum(r["MRR"][t] for r in ref.values()) for t in range(months)]
    new = [sum(r["N"][t] for r in ref.values()) for t in range(12)]
    if kind == "ending_arr":
        return 12 * total[months - 1]
    if kind == "first_year_revenue":
        return sum(total[:12])
    if kind == "new_arr_per_year":
        return 12 * sum(new)
    return new[0]


def reference_solve(
    kind: str, value: float, tiers: dict[str, dict[str, Any]], growth: float, months: int
) -> float:
    """Solve n by two plain-Python runs (the target is affine in n: f(n) = f(0) + n·slope)."""
    f0 = reference_target(kind, tiers, 0.0, growth, months)
    slope = reference_target(kind, tiers, 1.0, growth, months) - f0
    return (value - f0) / slope


# -- the book's 78 rule ------------------------------------------------------------------


def test_78_rule_target_to_new_mrr() -> None:
    # No opening MRR, no churn, no expansion, g = 1: MRR[t] = n (t + 1), so the first year's
    # revenue is n (1 + 2 + … + 12) = 78 n.  Y = $1,560,000 gives n = 1,560,000 / 78 = 20,000.
    ev = evaluated(plan({"first_year_revenue": 1_560_000}, horizon=12))
    assert ev.result.revenue.new_mrr_solved[0] == pytest.approx(20_000, rel=REL)


def test_78_rule_new_mrr_to_revenue_and_exit_arr() -> None:
    # n = 20,000 a month: MRR[t] = 20,000 (t + 1): 20k, 40k, …, 240k in month 11.
    # First-year revenue = 20,000 × 78 = 1,560,000; exit ARR = 12 × 240,000 = 2,880,000.
    ev = evaluated(plan({"new_mrr_per_month": 20_000}, horizon=12))
    mrr = ev.result.revenue.mrr[0].sum(axis=0)
    assert mrr[:12].tolist() == [20_000.0 * (t + 1) for t in range(12)]
    assert mrr[:12].sum() == pytest.approx(1_560_000, rel=REL)
    assert 12 * mrr[11] == pytest.approx(2_880_000, rel=REL)
    # ... and the other way round: an exit ARR of $2.88M over 12 months needs n = 20,000.
    back = evaluated(plan({"ending_arr": 2_880_000}, horizon=12))
    assert back.result.revenue.new_mrr_solved[0] == pytest.approx(20_000, rel=REL)
    # New ARR booked in the year: 12 × (12 × 20,000) = 2,880,000 also gives n = 20,000.
    booked = evaluated(plan({"new_arr_per_year": 2_880_000}, horizon=12))
    assert booked.result.revenue.new_mrr_solved[0] == pytest.approx(20_000, rel=REL)


# -- hand-worked targets with churn and expansion ----------------------------------------


def test_ending_arr_with_churn_by_hand() -> None:
    # One tier, c = 10%, e = 0, opening ARR 12,000 (M0 = 1,000), T = 3:
    #   MRR[0] = 1000·0.9 + n            =  900 + n
    #   MRR[1] = (900 + n)·0.9 + n       =  810 + 1.9 n
    #   MRR[2] = (810 + 1.9 n)·0.9 + n   =  729 + 2.71 n
    # A = 12 (729 + 2.71 n); A = 41,268 gives 3,439 = 729 + 2.71 n, n = 1,000.
    t = {"only": tier(churn_rate=0.1, opening_arr=12_000)}
    ev = evaluated(plan({"ending_arr": 41_268}, tiers=t, horizon=3))
    assert ev.result.revenue.new_mrr_solved[0] == pytest.approx(1_000, rel=REL)
    assert ev.result.revenue.mrr[0, 0, :3] == pytest.approx([1_900, 2_710, 3_439], rel=REL)


def test_ending_arr_with_churn_and_expansion_by_hand() -> None:
    # As above with e = 10%: keep = 0.9 × 1.1 = 0.99.
    #   MRR[0] = 990 + n;  MRR[1] = 980.1 + 1.99 n;  MRR[2] = 970.299 + 2.9701 n
    # n = 1,000: MRR[2] = 3,940.399, A = 12 × 3,940.399 = 47,284.788.
    t = {"only": tier(churn_rate=0.1, expansion_rate=0.1, opening_arr=12_000)}
    ev = evaluated(plan({"ending_arr": 47_284.788}, tiers=t, horizon=3))
    assert ev.result.revenue.new_mrr_solved[0] == pytest.approx(1_000, rel=1e-9)
    # Customers (p = 1,000, no opening customers): C = 1, 0.9 + 1 = 1.9, 1.71 + 1 = 2.71.
    assert ev.result.revenue.customers[0, 0, :3] == pytest.approx([1, 1.9, 2.71], rel=1e-9)


def test_first_year_revenue_with_churn_by_hand() -> None:
    # c = 50%, no opening, g = 1: MRR[t] = n (1 + 0.5 + … + 0.5**t) = n (2 - 0.5**t).
    # Σ_{t<12} = n (24 - (1 - 0.5**12) / 0.5) = n (22 + 2 / 4096) = n × 22.00048828125.
    # Y = 2,200,048.828125 gives n = 100,000.
    t = {"only": tier(churn_rate=0.5)}
    ev = evaluated(plan({"first_year_revenue": 2_200_048.828125}, tiers=t, horizon=12))
    assert ev.result.revenue.new_mrr_solved[0] == pytest.approx(100_000, rel=REL)


def test_new_arr_per_year_with_growth_by_hand() -> None:
    # g = 1.1: B = 12 n Σ_{t<12} 1.1**t = 12 n (1.1**12 - 1) / 0.1 = 12 n × 21.38428376721.
    # n = 1,000 gives B = 256,611.40520652.  Churn and expansion do not enter new bookings.
    t = {"only": tier(churn_rate=0.05, expansion_rate=0.02, opening_arr=50_000)}
    ev = evaluated(plan({"new_arr_per_year": 256_611.40520652}, tiers=t, growth=0.1))
    rev = ev.result.revenue
    assert rev.new_mrr_solved[0] == pytest.approx(1_000, rel=1e-11)
    # N[t] = 1000 × 1.1**t: 1000, 1100, 1210, 1331 …
    assert rev.new_mrr[0, 0, :4] == pytest.approx([1000, 1100, 1210, 1331], rel=1e-11)


def test_new_mrr_per_month_is_n() -> None:
    # n given directly: N[0] = n; with shares 0.25/0.75 and prices 500/3000 the tiers book
    # 5,000 and 15,000 → W = 10 and 5 new customers in month 0; with g = 1.05, 10.5 and 5.25
    # in month 1.
    t = {"a": tier(500, share=0.25, churn_rate=0.02), "b": tier(3000, share=0.75)}
    ev = evaluated(plan({"new_mrr_per_month": 20_000}, tiers=t, growth=0.05))
    rev = ev.result.revenue
    assert rev.new_mrr_solved[0] == 20_000
    assert rev.new_mrr[0, :, 0].tolist() == [5_000, 15_000]
    assert rev.new_customers[0, :, :2] == pytest.approx(np.array([[10, 10.5], [5, 5.25]]), rel=REL)


def test_explicit_new_mrr_tier_with_share_tiers_by_hand() -> None:
    # A partner tier books an explicit 2,000 new MRR a month; the direct tier takes the rest.
    # No churn, T = 12: 12 × MRR[11] = 12 (12 × 2,000 + 12 n) = 2,880,000 → n = 18,000.
    t = {"partner": tier(new_mrr=2_000), "direct": tier(share=1.0)}
    ev = evaluated(plan({"ending_arr": 2_880_000}, tiers=t, horizon=12))
    rev = ev.result.revenue
    assert rev.new_mrr_solved[0] == pytest.approx(18_000, rel=REL)
    assert rev.new_mrr[0, :, 0] == pytest.approx([2_000, 18_000], rel=REL)
    # A new-MRR or new-ARR target counts every tier's bookings, so explicit tiers reduce n:
    # 20,000 a month in total = 2,000 explicit + n = 18,000 …
    per_month = evaluated(plan({"new_mrr_per_month": 20_000}, tiers=t, horizon=12))
    assert per_month.result.revenue.new_mrr_solved[0] == pytest.approx(18_000, rel=REL)
    # … and B = 12 × 12 × (2,000 + n) = 2,880,000 likewise gives n = 18,000.
    per_year = evaluated(plan({"new_arr_per_year": 2_880_000}, tiers=t, horizon=12))
    assert per_year.result.revenue.new_mrr_solved[0] == pytest.approx(18_000, rel=REL)


# -- every target kind against the plain-Python reference ---------------------------------

TIER_SETS: dict[str, dict[str, dict[str, Any]]] = {
    "plain": {"only": tier(800.0)},
    "churn": {"only": tier(800.0, churn_rate=0.03, opening_arr=120_000, opening_customers=12)},
    "churn+expansion": {
        "smb": tier(500.0, share=0.4, churn_rate=0.03, expansion_rate=0.01, opening_arr=60_000),
        "mm": tier(2_500.0, share=0.6, churn_rate=0.01, expansion_rate=0.02, opening_arr=240_000),
    },
    "explicit+shares": {
        "smb": tier(500.0, share=0.3, churn_rate=0.02, expansion_rate=0.005),
        "mm": tier(2_500.0, share=0.7, churn_rate=0.01, opening_arr=100_000),
        "partner": tier(1_000.0, new_mrr=3_000.0, churn_rate=0.015, expansion_rate=0.01),
    },
}
TARGETS = {
    "ending_arr": 4_000_000.0,
    "first_year_revenue": 2_000_000.0,
    "new_arr_per_year": 1_500_000.0,
    "new_mrr_per_month": 25_000.0,
}


@pytest.mark.parametrize("growth", [0.0, 0.04, -0.02])
@pytest.mark.parametrize("kind", list(TARGETS))
@pytest.mark.parametrize("tiers", list(TIER_SETS))
def test_target_kinds_match_reference(kind: str, tiers: str, growth: float) -> None:
    spec = TIER_SETS[tiers]
    months = 18
    ev = evaluated(plan({kind: TARGETS[kind]}, tiers=spec, horizon=months, growth=growth))
    rev = ev.result.revenue
    n = reference_solve(kind, TARGETS[kind], spec, growth, months)
    assert n > 0
    assert rev.new_mrr_solved[0] == pytest.approx(n, rel=1e-10)
    # The solved plan meets its target (measured by the reference loop on the engine's n) …
    measured = reference_target(kind, spec, float(rev.new_mrr_solved[0]), growth, months)
    assert measured == pytest.approx(TARGETS[kind], rel=1e-10)
    # … and every tier array matches the reference month by month, past the horizon too.
    te = rev.mrr.shape[2]
    ref = reference_mrr(spec, n, growth, te)
    for k, name in enumerate(spec):
        assert rev.new_mrr[0, k] == pytest.approx(ref[name]["N"], rel=1e-10)
        assert rev.new_customers[0, k] == pytest.approx(ref[name]["W"], rel=1e-10)
        assert rev.mrr[0, k] == pytest.approx(ref[name]["MRR"], rel=1e-10)
        assert rev.customers[0, k] == pytest.approx(ref[name]["C"], rel=1e-10)


def test_mrr_movements_add_up() -> None:
    # MRR[t] = MRR[t-1] - churned[t] + expansion[t] + new[t], churned = MRR[t-1] c,
    # expansion = MRR[t-1] (1 - c) e; customers likewise without expansion.
    spec = TIER_SETS["churn+expansion"]
    rev = evaluated(plan({"ending_arr": 4_000_000}, tiers=spec)).result.revenue
    opening = np.array([[60_000 / 12], [240_000 / 12]])
    prev = np.concatenate([opening, rev.mrr[0, :, :-1]], axis=1)
    moved = prev - rev.churned_mrr[0] + rev.expansion_mrr[0] + rev.new_mrr[0]
    np.testing.assert_allclose(moved, rev.mrr[0], rtol=1e-12)
    churn = np.array([[0.03], [0.01]])
    np.testing.assert_allclose(rev.churned_mrr[0], prev * churn, rtol=1e-12)
    prev_c = np.concatenate([np.zeros((2, 1)), rev.customers[0, :, :-1]], axis=1)
    np.testing.assert_allclose(
        prev_c - rev.churned_customers[0] + rev.new_customers[0], rev.customers[0], rtol=1e-12
    )


def test_acv_is_twelve_times_mrr() -> None:
    # p = ACV / 12: an ACV of 36,000 is 3,000 MRR; 30,000 new MRR a month wins 10 customers.
    t = {"only": {"acv": 36_000, "motions": {"direct": motion(stage("opp", 1.0))}}}
    rev = evaluated(plan({"new_mrr_per_month": 30_000}, tiers=t)).result.revenue
    assert rev.new_customers[0, 0, 0] == pytest.approx(10, rel=REL)


# -- a target the opening base already meets ----------------------------------------------


def _codes(err: PlanError) -> list[str]:
    return [p.code for p in err.problems]


@pytest.mark.parametrize(
    ("target", "opening_arr", "churn"),
    [
        # M0 = 300,000 and no churn: exit ARR 3.6M already beats A = 2.88M (n = -60,000/12).
        ({"ending_arr": 2_880_000}, 3_600_000, 0.0),
        # Exactly met: M0 = 100,000 stays 100,000; A = 1.2M gives n = 0 (n <= 0 is an error).
        ({"ending_arr": 1_200_000}, 1_200_000, 0.0),
        # First-year revenue: 12 × 200,000 = 2.4M > Y = 2M even with 1% churn
        # (Σ_{t<12} 200,000 × 0.99**(t+1) = 2,249,579.54 > 2M).
        ({"first_year_revenue": 2_000_000}, 2_400_000, 0.01),
    ],
)
def test_target_already_met_is_sp300(
    target: dict[str, float], opening_arr: float, churn: float
) -> None:
    t = {"only": tier(opening_arr=opening_arr, churn_rate=churn)}
    with pytest.raises(PlanError) as err:
        evaluated(plan(target, tiers=t, horizon=12))
    assert "SP300" in _codes(err.value)


def test_target_just_above_the_base_is_a_plan() -> None:
    # M0 = 100,000, no churn, T = 12: A = 1,200,012 needs 12 × 12 n = 12, n = 1/12.
    t = {"only": tier(opening_arr=1_200_000)}
    ev = evaluated(plan({"ending_arr": 1_200_012}, tiers=t, horizon=12))
    assert ev.result.revenue.new_mrr_solved[0] == pytest.approx(1 / 12, rel=1e-6)
    assert not math.isnan(float(ev.result.revenue.new_mrr_solved[0]))


def test_the_engine_tells_the_opening_base_from_explicit_new_mrr() -> None:
    def met(opening: float, explicit: float) -> tuple[bool, bool]:
        r = revenue(
            "ending_arr", np.array([1_200_000.0]), 12, 12, np.zeros(1),
            np.array([[500.0, 10_000.0]]), np.zeros((1, 2)), np.zeros((1, 2)),
            np.array([[1.0, 0.0]]), np.array([[0.0, explicit]]),
            np.array([[opening, 0.0]]), np.zeros((1, 2)),
        )  # fmt: skip
        return bool(r.target_met[0]), bool(r.met_by_opening[0])

    assert met(0.0, 20_000.0) == (True, False)  # the explicit tier alone books enough
    assert met(200_000.0, 0.0) == (True, True)  # the opening base alone is enough
    assert met(200_000.0, 20_000.0) == (True, True)  # both: the opening base suffices
    assert met(0.0, 1_000.0) == (False, False)  # the share tiers still have work to do
