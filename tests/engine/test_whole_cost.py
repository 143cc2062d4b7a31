"""The whole cost of selling (docs/model.md §10): fixed roles, recruiters, interviewing,
overhead and programmes, and the board's figures.

Hand-worked cases first (the numbers are in the comments), then properties on random plans.
"""

from __future__ import annotations

import copy
import os
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.api import PlanError
from salesplan.engine.cost import to_tiers
from salesplan.pipeline import Evaluation
from tests.engine.plans import evaluated, plan, role, tier
from tests.engine.test_cost import costed_plans

PROPS = settings(
    max_examples=int(os.environ.get("COST_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _one_tier(new_mrr: float = 2_000.0, **roles: dict[str, Any]) -> dict[str, Any]:
    """A one-tier plan booking ``new_mrr`` a month (2 customers at 1,000), 12 months."""
    return plan({"new_mrr_per_month": new_mrr}, tiers={"t": tier(1000.0)}, roles=roles, horizon=12)


def _worker(**kw: Any) -> dict[str, Any]:
    """An AE winning 4 deals a month, no interviews of its own hires unless asked."""
    kw.setdefault("interview_hours_per_hire", 0)
    return role({"stage": "won", "capacity": 4.0}, **kw)


def _fixed(heads: dict[str, int], **kw: Any) -> dict[str, Any]:
    return {"heads": heads, **kw}


def _index(ev: Evaluation, name: str) -> int:
    return list(ev.plan.structure.roles).index(name)


# -- fixed roles --------------------------------------------------------------------------------


def test_a_schedule_is_staffed_from_its_months_with_the_lead_time() -> None:
    # One head from the start, two from July; a two-month lead time opens July's requisition
    # in May.  Nobody leaves, so heads are exactly the schedule.
    data = _one_tier(
        ops=_fixed({"2027-01": 1, "2027-07": 2}, opening_heads=1, hiring_lead_months=2)
    )
    ev = evaluated(data)
    r = _index(ev, "ops")
    assert ev.plan.heads[r, :12].tolist() == [1.0] * 6 + [2.0] * 6
    assert ev.plan.starts[r, :12].tolist() == [0.0] * 6 + [1.0] + [0.0] * 5
    assert ev.plan.reqs_opened[r, 4] == 1.0  # 2027-05
    assert ev.plan.staffed_need[r, :12].tolist() == [1.0] * 6 + [2.0] * 6


def test_a_schedule_no_lead_time_can_reach_is_a_capacity_gap() -> None:
    # A head wanted from January with a three-month lead time and nobody in post: short in
    # January to March (SP301), the start lands in April.
    ev = evaluated(_one_tier(ops=_fixed({"2027-01": 1}, hiring_lead_months=3)))
    r = _index(ev, "ops")
    assert ev.plan.gap[r, :4].tolist() == [1.0, 1.0, 1.0, 0.0]
    assert ev.plan.starts[r, :4].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert "SP301" in [p.code for p in ev.problems]


def test_a_fixed_role_ramps_its_capacity_but_not_its_heads() -> None:
    # A start in month 0 with a 2-month ramp works 1/3, 2/3, then 1 of capacity: the heads
    # meet the schedule at once, the capacity (for recruiting or interviewing) ramps.
    ev = evaluated(_one_tier(ops=_fixed({"2027-01": 1}, ramp_months=2)))
    r = _index(ev, "ops")
    assert ev.plan.heads[r, :3].tolist() == [1.0, 1.0, 1.0]
    assert ev.plan.capacity[r, :3].tolist() == pytest.approx([1 / 3, 2 / 3, 1.0])
    assert ev.plan.gap[r, :12].sum() == 0.0


def test_a_fixed_role_backfills_its_departures() -> None:
    # 12 people at 50% attrition a year: departures happen, and heads never fall under the
    # schedule from the lead time on.
    data = _one_tier(ops=_fixed({"2027-01": 12}, opening_heads=12, attrition_rate=0.5))
    ev = evaluated(data)
    r = _index(ev, "ops")
    assert ev.plan.departures[r, :12].sum() > 0
    assert (ev.plan.heads[r, :12] >= 12).all()
    assert ev.plan.starts[r, :12].sum() == ev.plan.departures[r, :12].sum()


# -- recruiters and interviewing ----------------------------------------------------------------


def test_a_recruiter_needs_starts_over_hires_a_month() -> None:
    # The AE grows from 1 to 3 heads in month 0: 2 starts; 2 / 3 hires a month = 0.67 FTE.
    data = _one_tier(
        8_000.0,
        ae=_worker(opening_heads=1),
        recruiter=role({"starts": ["ae"], "capacity": 3.0}, opening_heads=1),
    )
    ev = evaluated(data)
    ae, rec = _index(ev, "ae"), _index(ev, "recruiter")
    starts = ev.plan.starts[ae, :12]
    assert starts[0] == 1.0  # 8 wins / 4 a head = 2 heads: one more
    assert ev.plan.need[rec, :12] == pytest.approx(starts / 3.0)


def test_a_hiring_wave_takes_interviewers_capacity() -> None:
    # 8 AE starts in month 3 (the team goes from 1 to 9) with a 2-month lead time and 20
    # hours each: 160 hours, 80 in each of months 1 and 2, for the one manager: 0.5 of its
    # 160-hour month.  Its span need is heads / 8; with the interviews it is 1/8 + 0.5.
    ae = _fixed(
        {"2027-04": 9}, opening_heads=1, hiring_lead_months=2, interview_hours_per_hire=20.0
    )
    boss = role({"manages": ["ae"], "capacity": 8.0}, opening_heads=1)
    ev = evaluated(_one_tier(ae=ae, boss=boss))
    a, b = _index(ev, "ae"), _index(ev, "boss")
    assert ev.plan.starts[a, :6].tolist() == [0, 0, 0, 8, 0, 0]
    assert ev.plan.interview_hours[b, :5].tolist() == [0, 80, 80, 0, 0]
    need = ev.plan.heads[a, :12] / 8.0 + ev.plan.interview_hours[b, :12] / 160.0
    assert ev.plan.need[b, :12] == pytest.approx(need)
    assert ev.plan.need[b, 1] == pytest.approx(1 / 8 + 0.5)


def test_interview_hours_raise_a_managers_heads() -> None:
    # A growing team: the same plan with and without interviews; the interviews only ever
    # add manager heads, never take them away.
    def team(hours: float) -> Evaluation:
        ae = role(
            {"stage": "won", "capacity": 2.0}, opening_heads=1, hiring_lead_months=1,
            interview_hours_per_hire=hours,
        )  # fmt: skip
        boss = role({"manages": ["ae"], "capacity": 3.0}, opening_heads=1)
        return evaluated(
            plan({"new_mrr_per_month": 2_000.0}, tiers={"t": tier(1000.0)},
                 roles={"ae": ae, "boss": boss}, horizon=24, growth=0.1)
        )  # fmt: skip

    quiet, busy = team(0.0), team(120.0)
    b = _index(quiet, "boss")
    assert (busy.plan.heads[b] >= quiet.plan.heads[b]).all()
    assert busy.plan.heads[b].sum() > quiet.plan.heads[b].sum()


# -- overhead and programmes --------------------------------------------------------------------


def test_a_vp_of_sales_adds_its_loaded_cost_shared_like_the_direct_cost() -> None:
    # VP at $300,000 OTE, 60/40, 20% burden: 300,000 / 12 x 1.2 = 30,000 a month, 360,000 a
    # year.  Direct cost a month: AE 10,000 acquisition, CSM 5,000 retention; so the VP goes
    # 2/3 to acquisition (20,000) and 1/3 to retention (10,000).
    roles = {
        "ae": _worker(
            opening_heads=1, comp={"ote": 120_000.0, "base_share": 1.0, "burden_rate": 0}
        ),
        "csm": role(
            {"stock": "customers", "capacity": 1_000.0}, function="retention", opening_heads=1,
            interview_hours_per_hire=0, comp={"ote": 60_000.0, "base_share": 1.0, "burden_rate": 0},
        ),
    }  # fmt: skip
    base = evaluated(_one_tier(**roles))
    vp = _fixed(
        {"2027-01": 1}, opening_heads=1, function="overhead", category="leadership",
        comp={"ote": 300_000.0, "base_share": 0.6, "burden_rate": 0.2},
    )  # fmt: skip
    ev = evaluated(_one_tier(**roles, vp_sales=vp))
    r = _index(ev, "vp_sales")
    costs = ev.plan.costs
    assert costs.role_cost[r, :12].sum() == pytest.approx(360_000)
    assert costs.role_acquisition[r, 0] == pytest.approx(20_000)
    assert costs.role_retention[r, 0] == pytest.approx(10_000)
    assert ev.whole_plan.sm_cost - base.whole_plan.sm_cost == pytest.approx(360_000)
    assert (costs.acquisition + costs.retention).sum(axis=0)[:12] == pytest.approx(
        costs.total[:12], rel=1e-12
    )
    for name in ("ae", "csm"):
        assert (ev.plan.heads[_index(ev, name)] == base.plan.heads[_index(base, name)]).all()


def test_programmes_go_to_their_cells_by_new_mrr_or_mrr() -> None:
    # Two tiers 3:1 in new MRR; an acquisition programme of 4,000 a month splits 3,000 : 1,000;
    # a retention programme follows the tiers' MRR; growth compounds from month 1.
    data = plan(
        {"new_mrr_per_month": 4_000.0},
        tiers={"a": tier(1000.0, share=0.75), "b": tier(1000.0, share=0.25)},
        horizon=12,
    )
    data["programmes"] = {
        "events": {"per_month": 4_000.0, "growth_rate": 0.1},
        "community": {"per_month": 1_000.0, "function": "retention", "tiers": ["b"]},
    }
    ev = evaluated(data)
    c = ev.plan.costs
    cell_tier = ev.plan.structure.cell_tier
    acq = to_tiers(c.programme_acquisition[None], cell_tier, 2)[0]
    ret = to_tiers(c.programme_retention[None], cell_tier, 2)[0]
    assert acq[:, 0].tolist() == pytest.approx([3_000, 1_000])
    assert acq[:, 1].sum() == pytest.approx(4_400)
    assert ret[:, 0].tolist() == pytest.approx([0, 1_000])
    assert c.programmes[:, :12].sum() == pytest.approx(
        4_000 * sum(1.1**t for t in range(12)) + 12_000
    )


# -- the board's figures ------------------------------------------------------------------------


def test_no_churn_and_no_expansion_keep_all_revenue() -> None:
    data = _one_tier(ae=_worker(opening_heads=1))
    data["tiers"]["t"].update(opening_arr=120_000.0, opening_customers=10.0)
    e = evaluated(data).whole_plan.economics
    assert (e.grr[:, 0] == 1.0).all() and (e.nrr[:, 0] == 1.0).all()


def test_smb_nrr_by_hand() -> None:
    # (0.985 x 1.005)^12 = 0.8856; GRR 0.985^12 = 0.8341.
    data = plan(
        {"new_mrr_per_month": 2_000.0},
        tiers={"smb": tier(800.0, churn_rate=0.015, expansion_rate=0.005)},
        horizon=12,
    )
    e = evaluated(data).whole_plan.economics
    assert round(float(e.nrr[0, 0]), 4) == 0.8856
    assert round(float(e.grr[0, 0]), 4) == 0.8341


def test_capped_ltv_by_hand() -> None:
    # $2,500 MRR at 80% margin, 1% churn: 2,000 x (1 - 0.99^60) / 0.01 = 90,569 over 5
    # years, against 200,000 uncapped; a 10-year cap gives 2,000 x (1 - 0.99^120) / 0.01.
    data = plan(
        {"new_mrr_per_month": 2_500.0}, tiers={"mm": tier(2_500.0, churn_rate=0.01)}, horizon=12
    )
    e = evaluated(data).whole_plan.economics
    assert round(float(e.ltv_capped[0, 0])) == 90_569
    assert float(e.ltv[0, 0]) == pytest.approx(200_000)
    data["economics"] = {"ltv_cap_years": 10}
    e = evaluated(data).whole_plan.economics
    assert float(e.ltv_capped[0, 0]) == pytest.approx(2_000 * (1 - 0.99**120) / 0.01)


def test_cac_with_a_lag_counts_earlier_cost() -> None:
    # With a lag of one month, CAC over the plan sets months -1 … 10's acquisition cost
    # (month -1 costs what month 0 does) against months 0 … 11's customers.
    data = _one_tier(ae=_worker(opening_heads=1, attrition_rate=0.3))
    data["economics"] = {"cac_lag_months": 1}
    ev = evaluated(data)
    c = ev.plan.costs
    acquisition = c.acquisition.sum(axis=0)[:12]
    lagged = np.concatenate([acquisition[:1], acquisition[:11]])
    won = ev.plan.revenue.new_customers[:, :12].sum()
    assert float(ev.whole_plan.economics.cac[-1, 0]) == pytest.approx(lagged.sum() / won)


# -- properties ---------------------------------------------------------------------------------


@st.composite
def whole_cost_plans(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a costed plan and add an overhead leader, a fixed acquisition team and programmes."""
    data = draw(costed_plans())
    months = [f"2027-{m:02d}" for m in range(1, 7)]
    data["roles"]["lead"] = _fixed(
        {draw(st.sampled_from(months)): draw(st.integers(0, 2))},
        opening_heads=draw(st.integers(0, 1)), function="overhead",
        comp={"ote": 250_000.0, "base_share": 0.6, "burden_rate": 0.2},
    )  # fmt: skip
    data["roles"]["marketers"] = _fixed(
        {"2027-01": draw(st.integers(1, 3))}, opening_heads=1,
        function=draw(st.sampled_from(["acquisition", "retention"])),
        comp={"ote": 120_000.0, "base_share": 1.0},
    )  # fmt: skip
    data["programmes"] = {
        "events": {"per_month": draw(st.sampled_from([0.0, 5_000.0])), "growth_rate": 0.02},
        "software": {"per_month": 2_000.0, "function": "overhead"},
        "community": {"per_month": 1_000.0, "function": "retention"},
    }
    return data


def _or_none(data: dict[str, Any]) -> Evaluation | None:
    try:
        return evaluated(data)
    except PlanError:  # a target the opening base already meets
        return None


@PROPS
@given(whole_cost_plans())
def test_attributed_costs_add_up_to_the_total_with_overhead(data: dict[str, Any]) -> None:
    ev = _or_none(data)
    if ev is None:
        return
    c = ev.plan.costs
    scale = np.maximum(np.abs(c.total), 1.0)
    assert (np.abs((c.acquisition + c.retention).sum(axis=0) - c.total) <= 1e-9 * scale).all()
    assert np.allclose(c.role_acquisition + c.role_retention, c.role_cost, rtol=1e-12, atol=1e-9)
    by_tier = to_tiers((c.acquisition + c.retention)[None], ev.plan.structure.cell_tier, 1 + 0)
    assert by_tier.shape[1] >= 1


@PROPS
@given(costed_plans(), st.integers(1, 3), st.sampled_from([0.0, 0.3]))
def test_a_fixed_role_adds_exactly_its_cost_and_moves_no_one_else(
    data: dict[str, Any], heads: int, attrition: float
) -> None:
    base = _or_none(data)
    if base is None:
        return
    more = copy.deepcopy(data)
    more["roles"]["ops"] = _fixed(
        {"2027-01": heads}, opening_heads=heads, function="overhead", attrition_rate=attrition,
        comp={"ote": 150_000.0, "base_share": 0.8, "burden_rate": 0.2, "cost_per_hire": 9_000.0},
    )  # fmt: skip
    ev = evaluated(more)
    r = _index(ev, "ops")
    T = ev.plan.months
    own = float(ev.plan.costs.role_cost[r, :T].sum())
    assert ev.whole_plan.sm_cost - base.whole_plan.sm_cost == pytest.approx(own, rel=1e-9)
    for name in base.plan.structure.roles:
        assert (ev.plan.heads[_index(ev, name)] == base.plan.heads[_index(base, name)]).all()
