"""The opening state a plan may give (docs/model.md §15, "The opening state"), worked by hand.

Heads still ramping go on ramping and leave after the fully ramped; the accrual of the next
departure starts where it is; dated requisitions start in their month; the first year may
be shorter than 12 months; a schedule month before the start sets the level at the start.
Forwards (simulation) starts from the same state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from salesplan.engine.forward import fixed_plan, run_forward

from .plans import evaluated, plan, role, tier

AE = {"stage": "won", "capacity": 4}  # 10 wins a month at 4 each: 2.5 FTE of work


def team(**kw: Any) -> dict[str, Any]:
    """Return the §4 staffing example with the AE role's keys ``kw`` changed."""
    return plan(
        {"new_mrr_per_month": 10_000},
        tiers={"smb": tier(1000.0)},
        roles={"ae": role(AE, **kw)},
        horizon=6,
    )


def test_heads_still_ramping_go_on_ramping() -> None:
    # Ramp 3 months: f = 0.25, 0.5, 0.75, 1.  Of 3 opening AEs, one started in 2026-12, a
    # month before the plan: tenure 1 in 2027-01, so 0.5, then 0.75, then 1.  The other two
    # are fully ramped: 2.5, 2.75, 3.0, never short of the 2.5 FTE of work: nobody is hired.
    v = evaluated(
        team(opening_heads=3, ramp_months=3, hiring_lead_months=2, ramping={"2026-12": 1})
    ).plan
    assert v.capacity[0, :4].tolist() == [2.5, 2.75, 3.0, 3.0]
    assert v.starts[0, :6].sum() == 0
    # One who started long enough ago is fully ramped.
    v = evaluated(team(opening_heads=3, ramp_months=3, ramping={"2026-06": 1})).plan
    assert v.capacity[0, 0] == 3.0


def test_the_fully_ramped_leave_before_the_ramping() -> None:
    # 2 opening AEs, one of them started in 2026-12 (tenure 1 of a 3-month ramp); 0.99 of the
    # next departure already accrued: month 0 adds 2 × m (m = 1 - 0.5^(1/12) = 0.05613) to
    # make 1.102, so one leaves, the fully ramped one.  The one left works f(1) = 0.5.
    v = evaluated(
        team(
            opening_heads=2,
            ramp_months=3,
            attrition_rate=0.5,
            hiring_lead_months=6,
            accrued_departures=0.99,
            ramping={"2026-12": 1},
        )
    ).plan
    assert v.departures[0, 0] == 1 and v.heads[0, 0] == 1
    assert v.capacity[0, :3].tolist() == [0.5, 0.75, 1.0]


def test_the_accrual_starts_where_it_is() -> None:
    # The §4 example sends its first person in month 6 (accrual 1.1225).  With 0.9 already
    # accrued, month 0 makes 0.9 + 2 × 0.05613 = 1.0123: one of the two leaves at once.
    base = evaluated(team(opening_heads=2, ramp_months=1, hiring_lead_months=1, attrition_rate=0.5))
    assert base.plan.departures[0, :6].tolist() == [0, 0, 0, 0, 0, 0]
    v = evaluated(
        team(
            opening_heads=2,
            ramp_months=1,
            hiring_lead_months=1,
            attrition_rate=0.5,
            accrued_departures=0.9,
        )
    ).plan
    assert v.departures[0, 0] == 1
    assert v.heads[0, 0] == 1


def test_dated_requisitions_start_in_their_month() -> None:
    # 3 AEs cover 2.5 FTE, so the plan hires nobody; two requisitions in motion for 2027-03
    # start then all the same (a hire in motion is a commitment), counted as opened before
    # the plan.
    v = evaluated(
        team(opening_heads=3, hiring_lead_months=2, open_requisitions={"2027-03": 2})
    ).plan
    assert v.starts[0, :6].tolist() == [0, 0, 2, 0, 0, 0]
    assert v.reqs_before[0] == 2 and v.reqs_opened[0].sum() == 0
    # They count towards what a month needs: with 1 AE, the month the lead time first
    # allows (month 2) needs 2 more; the 2 in motion are those, not 2 more again.
    v = evaluated(
        team(opening_heads=1, hiring_lead_months=2, open_requisitions={"2027-03": 2})
    ).plan
    assert v.starts[0, :6].tolist() == [0, 0, 2, 0, 0, 0]


def test_the_first_year_may_be_shorter() -> None:
    # The ÷ 78 rule over 9 months is ÷ 45 (1 + 2 + … + 9): 450,000 of revenue in 9 months
    # is 10,000 new MRR a month.
    data = plan(
        {"first_year_revenue": 450_000},
        tiers={"smb": tier(500.0)},
        horizon=12,
    )
    data["target"]["first_year_months"] = 9
    v = evaluated(data).plan
    assert float(v.revenue.new_mrr_solved) == pytest.approx(10_000, rel=1e-12)
    data["target"] = {"new_arr_per_year": 1_080_000, "first_year_months": 9, "growth_rate": 0}
    v = evaluated(data).plan
    assert float(v.revenue.new_mrr[:, 0].sum()) == pytest.approx(10_000, rel=1e-12)


def test_a_schedule_month_before_the_start_sets_the_level_at_the_start() -> None:
    data = plan({"new_mrr_per_month": 10_000}, tiers={"smb": tier(1000.0)}, horizon=6)
    data["roles"] = {
        "ae": role(AE, opening_heads=3),
        "lead": {"opening_heads": 1, "heads": {"2026-06": 1, "2026-09": 2, "2027-04": 3}},
    }
    v = evaluated(data).plan
    r = v.structure.roles.index("lead")
    assert v.staffed_need[r, :6].tolist() == [2, 2, 2, 3, 3, 3]


def test_forwards_starts_from_the_same_state() -> None:
    ev = evaluated(
        team(
            opening_heads=4,
            ramp_months=3,
            attrition_rate=0.5,
            hiring_lead_months=1,
            accrued_departures=0.7,
            ramping={"2026-11": 1, "2026-12": 1},
            open_requisitions={"2027-02": 1},
        )
    )
    result = ev.result
    fwd = run_forward(result.structure, result.params, fixed_plan(result))
    T = result.structure.months
    assert np.array_equal(fwd.heads[0], result.heads[0, :, :T])
    np.testing.assert_allclose(fwd.capacity[0], result.capacity[0, :, :T], rtol=0, atol=1e-12)
