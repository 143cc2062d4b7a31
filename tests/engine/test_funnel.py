"""Funnel (docs/model.md §2) and work (§3): stage volumes, lags, the opening pipeline, need.

``V_j[t] = W(t + L_j) / Π_{i≥j} q_i`` with ``W`` joined linearly between whole months and
continued past the horizon by ``n · g**t``; the opening pipeline of stage j is
``∫_{-L_j}^0 V_j(t) dt``.  Every expected number is worked by hand in the comments.
"""

from __future__ import annotations

import numpy as np
import pytest

from .plans import evaluated, motion, plan, role, stage, tier

DAY = 30.4375  # days in a month: λ = d / 30.4375
REL = 1e-12


def test_fractional_lags_with_growth_by_hand() -> None:
    # n = 10,000 new MRR at p = 1,000: a = 10 wins in month 0, W(t) = 10 × 1.1**t at whole
    # months, joined linearly: W(t + f) = 10 × 1.1**t × (1 + f × 0.1).
    # Stages: sql (q = 0.5, 30.4375 days: λ = 1), opp (q = 0.25, 15.21875 days: λ = 0.5).
    # L_opp = 0.5, L_sql = 1.5; Π q from opp = 0.25, from sql = 0.125.
    t = {
        "only": tier(
            1000, motions={"direct": motion(stage("sql", 0.5, DAY), stage("opp", 0.25, DAY / 2))}
        )
    }
    ev = evaluated(plan({"new_mrr_per_month": 10_000}, tiers=t, growth=0.1))
    fun = ev.result.funnel
    assert fun.lag[0].tolist() == [1.5, 0.5]
    assert fun.to_win[0].tolist() == [0.125, 0.25]
    # wins: 10, 11, 12.1, …
    assert fun.wins[0, 0, :3] == pytest.approx([10, 11, 12.1], rel=REL)
    # V_opp[t] = W(t + 0.5) / 0.25 = 10 × 1.1**t × 1.05 / 0.25 = 42 × 1.1**t: 42, 46.2, 50.82
    # V_sql[t] = W(t + 1.5) / 0.125 = 10 × 1.1**(t+1) × 1.05 / 0.125 = 92.4 × 1.1**t:
    #            92.4, 101.64, 111.804
    sql, opp = fun.volume[0]
    assert opp[:3] == pytest.approx([42, 46.2, 50.82], rel=REL)
    assert sql[:3] == pytest.approx([92.4, 101.64, 111.804], rel=REL)
    # Opening pipeline, ∫_{-L}^0 V(t) dt = ∫_0^L W(x) dx / Π q:
    #   opp: ∫_0^0.5 W = 0.5 × (W(0) + W(0.5)) / 2 = 0.5 × (10 + 10.5) / 2 = 5.125 → / 0.25 = 20.5
    #   sql: ∫_0^1 W = (10 + 11) / 2 = 10.5; ∫_1^1.5 W = 0.5 × (11 + 11.55) / 2 = 5.6375;
    #        total 16.1375 → / 0.125 = 129.1
    assert fun.opening[0] == pytest.approx([129.1, 20.5], rel=REL)


def test_fractional_lags_flat_by_hand() -> None:
    # g = 1: W = 10 every month, so V = 10 / Π q whatever the lag, and the opening pipeline is
    # 10 × L / Π q: sql 10 × 2.5 / 0.2 = 125, opp 10 × 0.75 / 0.4 = 18.75.
    # Stages: sql q = 0.5, 53.265625 days (λ = 1.75); opp q = 0.4, 22.828125 days (λ = 0.75).
    t = {
        "only": tier(
            1000,
            motions={
                "direct": motion(stage("sql", 0.5, 1.75 * DAY), stage("opp", 0.4, 0.75 * DAY))
            },
        )
    }
    fun = evaluated(plan({"new_mrr_per_month": 10_000}, tiers=t)).result.funnel
    assert fun.lag[0] == pytest.approx([2.5, 0.75], rel=REL)
    assert fun.volume[0, 0] == pytest.approx(np.full(fun.volume.shape[2], 50.0), rel=REL)
    assert fun.volume[0, 1] == pytest.approx(np.full(fun.volume.shape[2], 25.0), rel=REL)
    assert fun.opening[0] == pytest.approx([125, 18.75], rel=REL)


def test_whole_month_lags_two_motions_by_hand() -> None:
    # 12,000 new MRR at p = 1,200: 10 wins a month, growth 5%: W(t) = 10 × 1.05**t.
    # inbound takes 60% (6 × 1.05**t), outbound 40% (4 × 1.05**t).
    # inbound: lead (q 0.1, 2 months) → mql (q 0.2, 1 month) → sql (q 0.25, 0 days) → won
    #   L = 3, 1, 0; Π q = 0.005, 0.05, 0.25
    #   V_lead[t] = 6 × 1.05**(t+3) / 0.005 = 1200 × 1.157625 × 1.05**t = 1389.15 × 1.05**t
    #   V_mql[t]  = 6 × 1.05**(t+1) / 0.05  = 126 × 1.05**t
    #   V_sql[t]  = 6 × 1.05**t / 0.25      = 24 × 1.05**t
    # outbound: prospect (q 0.05, 1 month) → won: L = 1,
    #   V[t] = 4 × 1.05**(t+1) / 0.05 = 84 × 1.05**t
    inbound = motion(
        stage("lead", 0.1, 2 * DAY), stage("mql", 0.2, DAY), stage("sql", 0.25), share=0.6
    )
    outbound = motion(stage("prospect", 0.05, DAY), share=0.4)
    t = {"only": tier(1200, motions={"inbound": inbound, "outbound": outbound})}
    fun = evaluated(plan({"new_mrr_per_month": 12_000}, tiers=t, growth=0.05)).result.funnel
    TE = fun.volume.shape[2]
    grow = 1.05 ** np.arange(TE)
    np.testing.assert_allclose(fun.wins[0, 0], 6 * grow, rtol=REL)
    np.testing.assert_allclose(fun.wins[0, 1], 4 * grow, rtol=REL)
    np.testing.assert_allclose(fun.volume[0, 0], 1389.15 * grow, rtol=1e-12)
    np.testing.assert_allclose(fun.volume[0, 1], 126 * grow, rtol=1e-12)
    np.testing.assert_allclose(fun.volume[0, 2], 24 * grow, rtol=1e-12)
    np.testing.assert_allclose(fun.volume[0, 3], 84 * grow, rtol=1e-12)
    # Opening pipeline with whole lags: trapezoids of the wins curve.
    #   lead: ∫_0^3 W = 6 × ((1 + 1.05) + (1.05 + 1.1025) + (1.1025 + 1.157625)) / 2
    #       = 6 × (2.05 + 2.1525 + 2.260125) / 2 = 6 × 3.2313125 = 19.387875 → / 0.005
    #       = 3877.575
    #   mql: ∫_0^1 = 6 × 1.025 = 6.15 → / 0.05 = 123;  sql: L = 0 → 0
    #   prospect: 4 × 1.025 = 4.1 → / 0.05 = 82
    assert fun.opening[0] == pytest.approx([3877.575, 123, 0, 82], rel=1e-12)


def test_volume_past_the_horizon_continues_the_schedule() -> None:
    # T = 6, a ramp of 3 months makes the engine look past the horizon; a 2-month lag needs
    # wins up to month TE - 1 + 2, continued as 10 × 1.1**t: V[t] = 10 × 1.1**(t+2) / 0.5.
    t = {"only": tier(1000, motions={"direct": motion(stage("opp", 0.5, 2 * DAY))})}
    roles = {"ae": role({"stage": "opp", "capacity": 10}, ramp_months=3)}
    res = evaluated(
        plan({"new_mrr_per_month": 10_000}, tiers=t, roles=roles, horizon=6, growth=0.1)
    ).result
    TE = res.extended
    assert TE >= 6 + 3
    np.testing.assert_allclose(res.funnel.volume[0, 0], 20 * 1.1 ** (np.arange(TE) + 2), rtol=REL)


# -- work: need = volume / capacity (docs/model.md §3) ------------------------------------------


def test_need_from_flows_stocks_quota_and_span_by_hand() -> None:
    # 10 wins a month at p = 1,000 (12,000 ARR each), no churn, 1 stage opp (q = 0.5).
    #  - sdr works opp entries, 5 a month each: 20 entries → need 4.
    #  - ae carries a quota of 480,000 at 75% attainment: 30,000 new ARR a month; the wins
    #    bring 120,000 new ARR → need 4.
    #  - csm covers 40 customers: C[t] = 10 (t + 1) → need (t + 1) / 4.
    #  - manager, span 4, manages sdr and ae: need = (heads_sdr + heads_ae) / 4.
    t = {"only": tier(1000, motions={"direct": motion(stage("opp", 0.5))})}
    roles = {
        "sdr": role({"stage": "opp", "capacity": 5}, opening_heads=4),
        "ae": role(
            {"stage": "won", "measure": "new_arr"},
            opening_heads=4,
            comp={"quota": 480_000, "attainment": 0.75},
        ),
        "csm": role({"stock": "customers", "capacity": 40}),
        "boss": role({"manages": ["sdr", "ae"], "capacity": 4}),
    }
    res = evaluated(plan({"new_mrr_per_month": 10_000}, tiers=t, roles=roles, horizon=12)).result
    order = res.structure.roles
    need = dict(zip(order, res.need[0], strict=True))
    heads = dict(zip(order, res.heads[0], strict=True))
    TE = res.extended
    np.testing.assert_allclose(need["sdr"], np.full(TE, 4.0), rtol=REL)
    np.testing.assert_allclose(need["ae"], np.full(TE, 4.0), rtol=REL)
    np.testing.assert_allclose(need["csm"], (np.arange(TE) + 1) / 4, rtol=REL)
    np.testing.assert_allclose(need["boss"], (heads["sdr"] + heads["ae"]) / 4, rtol=REL)
    # Opening heads 4 + 4 already cover the flat need: no starts, and the manager needs 2.
    assert heads["sdr"].tolist() == [4.0] * TE
    assert need["boss"].tolist() == [2.0] * TE
