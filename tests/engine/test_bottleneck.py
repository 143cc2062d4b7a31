"""Bottlenecks (docs/model.md §13): the binding role, what is lost, what one more head adds.

A planted binding constraint (a role with no one in post while its hires are still months
away) is the role the plan reports, in the engine, the ``bottlenecks`` table and the line.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from salesplan.api import PlanError, evaluate
from salesplan.engine.bottleneck import bottlenecks, gating_roles
from salesplan.engine.cost import head_cost
from salesplan.engine.periods import Period
from salesplan.report.bottleneck import bottleneck_line
from salesplan.report.plan import plan_report
from tests.paths import CONFIGS

from .plans import evaluated, motion, plan, role, stage, tier
from .test_properties import plans

PLANTED = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
LEAD = 3  # months the planted role has no one in post


def _planted(data: dict[str, Any], which: int) -> tuple[dict[str, Any], str]:
    """Return the plan with one role that works deals starved for LEAD months, the others
    staffed far beyond their work, and that role's name."""
    out = copy.deepcopy(data)
    flows = [n for n, r in out["roles"].items() if "stage" in r["drivers"][0]]
    assume(flows)
    starved = flows[which % len(flows)]
    for name, spec in out["roles"].items():
        spec["attrition_rate"] = 0.0
        spec.pop("ramp_curve", None)
        spec["ramp_months"] = 0
        if name == starved:
            spec.update(opening_heads=0, open_requisitions=0, hiring_lead_months=LEAD)
        elif name in flows:
            spec["opening_heads"] = 100_000
    return out, starved


@PLANTED
@given(plans(), st.integers(0, 3))
def test_a_planted_binding_constraint_is_the_one_plan_reports(
    data: dict[str, Any], which: int
) -> None:
    planted, starved = _planted(data, which)
    try:
        ev = evaluated(planted)
    except PlanError:
        assume(False)
    s = ev.plan.structure
    r = s.roles.index(starved)
    assume((ev.plan.need[r, :LEAD] > 1e-6).all())
    b = ev.bottlenecks
    assert b.binding[:LEAD].tolist() == [r] * LEAD
    assert np.isinf(b.utilisation[r, :LEAD]).all()
    others = [g for g in range(len(s.roles)) if b.gates[g] and g != r]
    assert b.short[r, :LEAD].all() and not b.short[others].any()
    # The whole plan report, its outlook from few trials (the bottlenecks do not use them).
    rows = plan_report(ev, ev.outlook(trials=10), Period.MONTH).table("bottlenecks").records()
    assert [row["role"] for row in rows[:LEAD]] == [starved] * LEAD
    assert bottleneck_line(ev).startswith(f"{starved} binds in ")


def test_series_a_se_binds_and_one_more_recovers_what_it_loses() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    s = ev.plan.structure
    b = ev.bottlenecks
    se = s.roles.index("se")
    assert b.binding[:2].tolist() == [se, se]
    assert b.short[se].nonzero()[0].tolist() == [0, 1]
    # One SE more from month 0 clears its shortfall: it wins back every deal lost.
    assert b.extra_new_arr[se, 0] == pytest.approx(b.lost_new_arr.sum(), rel=1e-9)
    assert bottleneck_line(ev) == (
        "se binds in 2027-01..2027-02; one more se then adds about 12,600 USD of new ARR "
        "for about 304,000 USD"
    )
    # Roles that do not gate deals add none.
    gates = gating_roles(ev.result)
    assert not gates[s.roles.index("csm")] and not gates[s.roles.index("sales_manager")]
    assert np.all(b.extra_new_arr[~gates & ~s.role_fixed] == 0.0)
    assert np.isnan(b.extra_new_arr[s.role_fixed]).all()


def test_one_more_head_costs_its_pay_while_in_post_and_its_hire() -> None:
    data = plan(
        {"new_mrr_per_month": 10_000},
        tiers={"smb": tier(1000.0, {"direct": motion(stage("opp", 0.5))})},
        roles={
            "ae": role(
                {"stage": "won", "capacity": 2.0},
                opening_heads=4,
                hiring_lead_months=2,
                comp={"ote": 120_000, "base_share": 1.0, "burden_rate": 0, "cost_per_hire": 5_000},
            )
        },
        horizon=12,
    )
    ev = evaluated(data)
    b = ev.bottlenecks
    p = ev.plan.params
    per_head = float(
        head_cost(p.ote, p.base_share, p.payout_rate, p.burden_rate, p.tools_per_month)[0]
    )
    assert per_head == 10_000
    # No attrition: a start in month t is paid for the 12 - t months left, plus its hire.
    assert b.extra_cost[0].tolist() == [10_000 * (12 - t) + 5_000 for t in range(12)]
    # The plan's gap is months 0 and 1 (4 AEs for 5 FTE of work): one more AE then wins
    # back the deals forwards loses, one more later adds nothing (arrivals are held).
    assert b.lost_wins[:2].tolist() == pytest.approx([2.0, 2.0])
    assert b.extra_new_arr[0, 0] == pytest.approx(12 * 1000 * 4)
    assert b.extra_new_arr[0, 1] == pytest.approx(12 * 1000 * 2)
    assert b.extra_new_arr[0, 2:].tolist() == [0.0] * 10


def test_a_plan_whose_hires_lose_nothing_names_the_tightest_role() -> None:
    line = bottleneck_line(evaluate(str(CONFIGS / "series-b.yaml")))
    assert line == (
        "No role holds deals back: ae runs closest to capacity (80% in 2028-12), so one more ae "
        "adds no new ARR; the funnel's arrivals limit output"
    )


def test_bottlenecks_of_a_batch_of_one_match_the_evaluation() -> None:
    ev = evaluate(str(CONFIGS / "seed.yaml"))
    again = bottlenecks(ev.result)
    assert np.array_equal(again.binding, ev.bottlenecks.binding)
    assert np.array_equal(again.extra_new_arr, ev.bottlenecks.extra_new_arr, equal_nan=True)


def test_the_readme_quotes_series_a_s_line() -> None:
    from tests.paths import ROOT

    readme = " ".join((ROOT / "README.md").read_text("utf-8").replace("> ", " ").split())
    assert bottleneck_line(evaluate(str(CONFIGS / "series-a.yaml"))) in readme


@pytest.mark.parametrize("name", ["seed", "series-a"])
def test_only_starts_that_can_move_a_deal_run_forwards(name: str) -> None:
    # The engine runs forwards only the starts that change some month's rationing; running
    # every one of them gives the same worth, to float noise.
    from salesplan.engine.forward import fixed_plan, run_forward

    res = evaluate(str(CONFIGS / f"{name}.yaml")).result
    s = res.structure
    T, R = s.months, len(s.roles)
    b = bottlenecks(res)
    sized = np.nonzero(~s.role_fixed)[0]
    extra = np.zeros((1 + len(sized) * T, R, res.starts.shape[2]))
    for i, r in enumerate(sized):
        extra[1 + i * T + np.arange(T), r, np.arange(T)] = 1.0
    fwd = run_forward(s, res.params.repeat(len(extra)), fixed_plan(res), extra)
    new_arr = 12.0 * fwd.new_mrr.sum(axis=(1, 2))
    for i, r in enumerate(sized):
        every = new_arr[1 + i * T + np.arange(T)] - new_arr[0]
        assert np.allclose(every, b.extra_new_arr[r], rtol=0, atol=1e-6)
