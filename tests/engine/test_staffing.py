"""Staffing (docs/model.md §4): whole people, ramp, attrition, lead time, requisitions, gaps.

The cases are worked month by month in the comments.  ``people.simulate`` (a person-by-person
model written for the tests) replays the engine's starts and departures to check capacity.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from salesplan.engine import staffing
from salesplan.engine.staffing import (
    EPS,
    Staffing,
    _starts_needed,
    _Window,
    monthly_attrition,
    staff,
)

from .people import linear_ramp, simulate
from .plans import evaluated, motion, plan, role, stage, tier

M30 = 1 - 0.7 ** (1 / 12)  # monthly attrition for 30%/yr: 0.0292855…


def _staff(
    need: list[float],
    months: int,
    *,
    opening: int,
    attrition: float,
    ramp: int,
    lead: int,
    open_reqs: int = 0,
) -> Staffing:
    curve = linear_ramp(ramp)
    return staff(
        np.array([need], dtype=np.float64),
        months,
        np.array([float(opening)]),
        np.array([attrition]),
        np.array([curve]),
        np.array([ramp]),
        np.array([lead]),
        np.array([float(open_reqs)]),
    )


def test_ramp_attrition_and_a_stepping_need_month_by_month() -> None:
    # Linear ramp R = 2 (a start works 1/3, 2/3, then 1), 30%/yr attrition (m = 0.0292855 a
    # month), lead time h = 1, 2 opening heads; T = 12 and the engine looks R = 2 months past
    # the horizon (months 12–14 shown for completeness; coverage runs to T - 1 + R = 13).
    # Need steps up from 2 to 4 in month 4 and to 6 in month 8.
    #
    # Departures: acc += heads[t-1] × m each month; the whole part leaves.
    #   acc by month (in units of m): 2, 4, 6 (heads 2) | 10, 14, 18, 22 (heads 4)
    #   | 29 (heads 7) | 36 = 1.054 → 1 leaves in month 8, 0.054 carries | +6 a month:
    #   42-1 … 66-1 = 0.933 in month 13 | 72-1 = 1.109 → 1 leaves in month 14.
    # Starts (the fewest that cover month s + R; none before month h = 1):
    #   month 1 looks at need[3] = 2: 2 heads do → none.
    #   month 2 looks at need[4] = 4: 2 heads, no departure due by month 4 → 2 starts
    #     (requisitions opened in month 1).
    #   months 3–5 look at need[5..7] = 4: 4 heads do.
    #   month 6 looks at need[8] = 6: with 2 starts (6 heads) acc reaches 34m = 0.996 by
    #     month 8, but 40m = 1.17 in month 9: one leaves and 5 < 6.  A 7th person starting
    #     in month 7 would raise the accrual to 35m = 1.025 in month 8 and only work 2/3 then
    #     (5.67 < 6); so 3 start in month 6 (requisitions opened in month 5), 7 heads, one
    #     leaves in month 8 and 6 remain — exactly the need through month 13.
    # Capacity: month 2: 2 + 2/3 = 2.667; month 3: 2 + 4/3 = 3.333; month 6: 4 + 3/3 = 5;
    #   month 7: 4 + 3 × 2/3 = 6; month 8: 7 - 1 = 6.
    # Coverage from h + R = 3: capacity ≥ need in months 3–13; months 0–2 need 2 and have
    # at least 2, so no capacity gap.
    need = [2.0] * 4 + [4.0] * 4 + [6.0] * 7
    s = _staff(need, 12, opening=2, attrition=0.3, ramp=2, lead=1)
    assert s.starts[0].tolist() == [0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0]
    assert s.departures[0].tolist() == [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1]
    assert s.heads[0].tolist() == [2, 2, 4, 4, 4, 4, 7, 7, 6, 6, 6, 6, 6, 6, 5]
    third = 1 / 3
    expected_capacity = [2, 2, 2 + 2 * third, 2 + 4 * third, 4, 4, 5, 6, 6, 6, 6, 6, 6, 6, 5]
    np.testing.assert_allclose(s.capacity[0], expected_capacity, rtol=1e-12)
    assert s.reqs_opened[0].tolist() == [0, 2, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert s.reqs_before[0] == 0
    assert s.gap[0].tolist() == [0.0] * 15
    assert int(s.covered_from[0]) == 3
    # The accrual behind the departures, as worked above.
    accrued = np.cumsum(np.concatenate([[2.0], s.heads[0, :-1]]) * M30)
    assert accrued[8] == pytest.approx(36 * M30) and 1 < accrued[8] < 2
    assert accrued[14] == pytest.approx(72 * M30) and 2 < accrued[14] < 3
    # The person-by-person model agrees on heads and capacity.
    heads, capacity = simulate(2, s.starts[0], s.departures[0], linear_ramp(2))
    assert heads == s.heads[0].tolist()
    np.testing.assert_allclose(capacity, s.capacity[0], rtol=1e-12)


def test_late_hiring_is_a_capacity_gap() -> None:
    # Need 3 from month 0, 1 opening head, R = 1 (a start works 1/2, then 1), lead h = 2,
    # no attrition.  Nobody can start before month 2: months 0 and 1 have capacity 1 (gap 2).
    # Month 2 looks at need[3] = 3: 2 starts (requisitions opened in month 0), capacity
    # 1 + 2 × 1/2 = 2 in month 2 (gap 1), 3 from month 3 = h + R on.
    s = _staff([3.0] * 10, 8, opening=1, attrition=0.0, ramp=1, lead=2)
    assert s.starts[0].tolist() == [0, 0, 2, 0, 0, 0, 0, 0, 0, 0]
    assert s.reqs_opened[0].tolist() == [2, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert s.capacity[0].tolist() == [1, 1, 2, 3, 3, 3, 3, 3, 3, 3]
    assert s.gap[0].tolist() == [2, 2, 1, 0, 0, 0, 0, 0, 0, 0]
    assert s.heads[0].tolist() == [1, 1, 3, 3, 3, 3, 3, 3, 3, 3]


def test_open_requisitions_start_before_the_lead_time() -> None:
    # As above with 1 requisition already open: it starts in month 0 (month 0 looks at
    # need[1] = 3 but only 1 start is allowed before h): capacity 1 + 1/2 = 1.5 (gap 1.5),
    # month 1: 2 (gap 1); month 2 looks at need[3] = 3 with 2 heads: 1 start (requisition
    # opened in month 0), capacity 2 + 1/2 = 2.5 (gap 0.5); 3 from month 3 on.
    s = _staff([3.0] * 10, 8, opening=1, attrition=0.0, ramp=1, lead=2, open_reqs=1)
    assert s.starts[0].tolist() == [1, 0, 1, 0, 0, 0, 0, 0, 0, 0]
    assert s.reqs_before[0] == 1
    assert s.reqs_opened[0].tolist() == [1, 0, 0, 0, 0, 0, 0, 0, 0, 0]
    assert s.capacity[0].tolist() == [1.5, 2, 2.5, 3, 3, 3, 3, 3, 3, 3]
    assert s.gap[0].tolist() == [1.5, 1, 0.5, 0, 0, 0, 0, 0, 0, 0]


def test_a_start_in_the_last_months_covers_the_months_past_the_horizon() -> None:
    # T = 6, R = 2, h = 0, need 1 through month 6 and 2 from month 7 (past the horizon).
    # Coverage runs to T - 1 + R = 7, so month 5 (the last start month) starts one person
    # for month 7: it works 1/3 in month 5, 2/3 in month 6 and fully in month 7.
    s = _staff([1.0] * 7 + [2.0] * 2, 6, opening=1, attrition=0.0, ramp=2, lead=0)
    assert s.starts[0].tolist() == [0, 0, 0, 0, 0, 1, 0, 0, 0]
    np.testing.assert_allclose(s.capacity[0], [1, 1, 1, 1, 1, 4 / 3, 5 / 3, 2, 2], rtol=1e-12)


def test_departures_take_ramped_people_first_and_backfills_ramp_again() -> None:
    # 50%/yr attrition (m = 0.0559), 10 opening heads, need 10 throughout, R = 1, h = 0.
    # Accrual 10m a month: 0.559, 1.118 → one leaves in month 1 (a ramped opening head).
    # Month 0 looks at need[1] = 10: projecting the month-1 departure, 1 start in month 0,
    # who works 1/2 in month 0 and fully from month 1; capacity 10.5, then 10.
    s = _staff([10.0] * 8, 6, opening=10, attrition=0.5, ramp=1, lead=0)
    m = 1 - 0.5 ** (1 / 12)
    assert 10 * m < 1 < 10 * m + 11 * m  # month 0 accrues 10m; month 1 (11 heads) 11m more
    assert s.starts[0, :2].tolist() == [1, 0]
    assert s.departures[0, :2].tolist() == [0, 1]
    assert s.capacity[0, :2].tolist() == [10.5, 10]
    heads, capacity = simulate(10, s.starts[0], s.departures[0], linear_ramp(1))
    assert heads == s.heads[0].tolist()
    np.testing.assert_allclose(capacity, s.capacity[0], rtol=1e-12)


def test_explicit_ramp_curve_through_a_plan() -> None:
    # A plan: 20 wins a month at p = 500 (10,000 new MRR), AEs close 5 each at full ramp:
    # need 4.  No opening heads, ramp curve [0.25, 0.5, 1] (R = 2), lead 1, no attrition.
    # Month 1 (first allowed) looks at need[3] = 4: 4 starts; capacity 1 (month 1), 2, 4.
    # Months 0–2 fall short (gap 4, 3, 2) and are reported; from h + R = 3 on, covered.
    t = {"only": tier(500, motions={"direct": motion(stage("opp", 1.0))})}
    roles = {
        "ae": role(
            {"stage": "won", "capacity": 5}, ramp_curve=[0.25, 0.5, 1.0], hiring_lead_months=1
        )
    }
    res = evaluated(plan({"new_mrr_per_month": 10_000}, tiers=t, roles=roles, horizon=6)).result
    assert res.starts[0, 0, :6].tolist() == [0, 4, 0, 0, 0, 0]
    assert res.capacity[0, 0, :6].tolist() == [0, 1, 2, 4, 4, 4]
    assert res.gap[0, 0, :6].tolist() == [4, 3, 2, 0, 0, 0]
    assert res.reqs_opened[0, 0, :6].tolist() == [4, 0, 0, 0, 0, 0]
    assert int(res.covered_from[0, 0]) == 3


def test_no_ramp_people_stay() -> None:
    # Every role with ramp_months 0 (the default): a start works fully from its first month.
    # Need 3 a month, nobody at the start, h = 0, no attrition: 3 start in month 0 and stay;
    # heads 3, capacity 3 every month, no more starts.
    s = _staff([3.0] * 6, 5, opening=0, attrition=0.0, ramp=0, lead=0)
    assert s.starts[0].tolist() == [3, 0, 0, 0, 0, 0]
    assert s.heads[0].tolist() == [3] * 6
    assert s.capacity[0].tolist() == [3] * 6
    # The same through a plan whose only role has the default ramp: 20 wins, 5 per AE.
    t = {"only": tier(500, motions={"direct": motion(stage("opp", 1.0))})}
    roles = {"ae": role({"stage": "won", "capacity": 5})}
    res = evaluated(plan({"new_mrr_per_month": 10_000}, tiers=t, roles=roles, horizon=6)).result
    assert res.starts[0, 0, :6].tolist() == [4, 0, 0, 0, 0, 0]
    assert res.heads[0, 0, :6].tolist() == [4] * 6


def test_open_requisitions_are_not_spent_on_a_gap_coverage_does_not_need() -> None:
    # The smallest case of "every start is needed" for declared open requisitions.
    # Need 2 in month 0, then 1; 1 opening head; 1 requisition already open; h = 1, R = 0,
    # no attrition.  Coverage starts at h + R = 1 and the opening head covers every month of
    # it, so a start in month 0 would only shrink month 0's gap and then never be needed
    # (removing it breaks no covered month).  The plan starts nobody and reports the gap.
    s = _staff([2.0, 1.0, 1.0, 1.0], 3, opening=1, attrition=0.0, ramp=0, lead=1, open_reqs=1)
    assert s.starts[0].tolist() == [0, 0, 0, 0]
    assert s.gap[0].tolist() == [1, 0, 0, 0]
    # When the covered months do need the person, the open requisition starts at once:
    # need 2 throughout → start in month 0, no gap at all.
    s = _staff([2.0] * 4, 3, opening=1, attrition=0.0, ramp=0, lead=1, open_reqs=1)
    assert s.starts[0].tolist() == [1, 0, 0, 0]
    assert s.gap[0].tolist() == [0, 0, 0, 0]


def test_backfill_under_attrition_feedback_leaves_no_unneeded_start() -> None:
    # The smallest case where a backfill speeds up the departure it backfills.
    # 1 opening head, need 1 every month, 60%/yr attrition (m = 0.0735), ramp curve
    # [0.1, 0.1, 0.5, 1] (R = 3), h = 0, T = 11: coverage runs from month 3 to 13.
    # With 1 head the accrual is (t + 1) m: 14m = 1.03 in month 13, so someone must start by
    # month 10.  But a second head doubles the accrual, and the opening head leaves sooner:
    #   start in month 10 → acc 11m + 2m + 2m = 1.10 in month 12: leaves; the start works 1/2;
    #   start in month 9  → 10m + 2m + 2m = 1.03 in month 11: leaves; the start works 1/2;
    #   start in month 8  →  9m + 2m + 2m + 2m = 1.10 in month 11: leaves; the start is at
    #   full capacity (tenure 3) and covers months 11–13 alone (acc 0.10 + 3m < 1).
    # So one start in month 8 is the plan.  (The engine used to keep its repairs at 9 and 10
    # as well — removing either broke no month, against "every start is needed".)
    curve = [0.1, 0.1, 0.5, 1.0]
    s = staff(
        np.ones((1, 15)),
        11,
        np.array([1.0]),
        np.array([0.6]),
        np.array([curve]),
        np.array([3]),
        np.array([0]),
        np.zeros(1),
    )
    assert s.starts[0].tolist() == [0] * 8 + [1] + [0] * 6
    assert s.departures[0].tolist() == [0] * 11 + [1] + [0] * 3
    assert (s.capacity[0, 3:14] >= 1).all()
    # Without the month-8 start (departures as planned) month 11 has nobody.
    _, capacity = simulate(1, [0] * 15, s.departures[0], curve)
    assert capacity[11] == 0


def _heads_after(heads: float, acc: float, m: float, full: int) -> float:
    """Heads ``full`` months on with no more starts, departures as the month loop takes them
    (the whole part of the accrual leaves, the fraction carries)."""
    for _ in range(full):
        acc += heads * m
        d = min(math.floor(acc + EPS), heads)
        heads -= d
        acc -= d
    return heads


@pytest.mark.parametrize("rows", [1, 7, 64, 65, 400])
def test_a_few_rows_and_many_get_the_same_fewest_starts(rows: int) -> None:
    # A few rows guess the projection of no starts and project the guesses' estimates with
    # it; many rows project no starts first.  Both must give the same starts (a batch equals
    # its variants one by one), enough for the need, with one fewer not enough.  Big and
    # small teams, heavy attrition and long ramps: where the guesses are furthest off and
    # where floor() makes more starts now leave fewer people later.
    rng = np.random.default_rng(rows)
    heads = rng.integers(0, 300, rows).astype(np.float64)
    acc = rng.uniform(0.0, 0.999, rows)
    m = monthly_attrition(rng.choice([0.0, 0.1, 0.3, 0.6, 0.95], rows))
    full = rng.integers(0, 13, rows)
    need = np.maximum(heads + rng.uniform(-40.0, 60.0, rows), 0.0)
    window = _Window.of(m, full)
    got = {}
    for few_rows in (0, 10**9):
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(staffing, "FEW_ROWS", few_rows)
            x = _starts_needed(heads, acc, window, need)
        got[few_rows] = np.zeros(rows) if x is None else x
    assert got[0].tolist() == got[10**9].tolist()
    for args, x in zip(zip(heads, acc, m, full, need, strict=True), got[0], strict=True):
        h, a, mm, f, n = args
        assert _heads_after(h + x, a, mm, f) >= n - EPS
        assert x == 0 or _heads_after(h + x - 1, a, mm, f) < n - EPS
