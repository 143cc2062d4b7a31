"""Ramped quotas and quota coverage (docs/model.md §14), worked by hand in the comments."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from salesplan.engine.periods import Period, spans
from salesplan.engine.quota import first_year_quota, quota_coverage
from salesplan.report.comp import comp_report

from .plans import evaluated, plan, role

QUOTA = 650_000
MONTH = QUOTA / 12  # 54,166.67 of quota a month at full quota


def _plan(**comp: Any) -> dict[str, Any]:
    # 10,000 new MRR a month is 120,000 of new ARR booked a month.  An AE's capacity is
    # 650,000 × 0.8 / 12 = 43,333.33 of new ARR a month: the need is 2.77 FTE.  2 opening
    # AEs; a linear ramp of R = 3 months (25/50/75/100%), no lead time, no attrition: one
    # start in month 0 covers month 3 on (months 0–2 are short, a capacity gap).
    ae = role(
        {"stage": "won", "measure": "new_arr"},
        opening_heads=2,
        ramp_months=3,
        comp={"ote": 130_000, "base_share": 0.5, "quota": QUOTA, "attainment": 0.8, **comp},
    )
    return plan({"new_mrr_per_month": 10_000}, roles={"ae": ae}, horizon=12)


def test_a_four_month_linear_quota_ramp_on_650000() -> None:
    # The role ramps 25/50/75/100% (ramp_months: 3); its quota follows by default.  A hire's
    # first twelve months of tenure carry
    #   650,000 / 12 × (0.25 + 0.5 + 0.75 + 9 × 1) = 54,166.67 × 10.5 = 568,750
    # (87.5% of the full 650,000); a role with `quota_ramp: full` carries all 650,000.
    assert float(first_year_quota(np.array(650_000.0), np.array([0.25, 0.5, 0.75, 1.0]))) == (
        568_750
    )
    for comp in ({}, {"quota_ramp": [0.25, 0.5, 0.75, 1.0]}):
        ev = evaluated(_plan(**comp))
        (row,) = comp_report(ev).table("quota_cohorts").records()
        assert row["first_year_quota"] == pytest.approx(568_750)
        assert row["ramped_rate"] == pytest.approx(0.875)
        assert row["start_month"] == "2027-01" and row["starts"] == 1
        assert row["cohort_quota"] == pytest.approx(568_750)
    (row,) = comp_report(evaluated(_plan(quota_ramp="full"))).table("quota_cohorts").records()
    assert row["first_year_quota"] == QUOTA and row["ramped_rate"] == 1.0


def test_quota_coverage_month_by_month() -> None:
    # The team's quota in month t is 54,166.67 × (2 + q(t)), q = 0.25, 0.5, 0.75, then 1:
    #   month 0: 54,166.67 × 2.25 = 121,875 against 120,000 booked: coverage 1.02
    #   month 3 on: 54,166.67 × 3 = 162,500: coverage 1.35 (3 heads for 2.77 FTE at 0.8)
    #   the year: 54,166.67 × (2.25 + 2.5 + 2.75 + 9 × 3) = 54,166.67 × 34.5 = 1,868,750
    #   over 12 × 120,000 = 1,440,000: coverage 1.30
    ev = evaluated(_plan())
    v = ev.plan
    assert v.starts[0, :12].tolist() == [1] + [0] * 11
    months = spans(v.structure.start, 12, Period.MONTH)
    c = quota_coverage(ev.result, 0, months)
    assert c.bookings[0, 0] == pytest.approx(120_000)
    assert c.quota[0, :4] == pytest.approx(MONTH * np.array([2.25, 2.5, 2.75, 3.0]))
    assert c.ratio[0, 0] == pytest.approx(121_875 / 120_000)
    assert c.ratio[0, 3] == pytest.approx(162_500 / 120_000)
    (year,) = spans(v.structure.start, 12, Period.YEAR)
    yearly = quota_coverage(ev.result, 0, [year])
    assert yearly.quota[0, 0] == pytest.approx(1_868_750)
    assert yearly.ratio[0, 0] == pytest.approx(1_868_750 / 1_440_000)


def test_full_quota_from_the_start_counts_every_head_whole() -> None:
    ev = evaluated(_plan(quota_ramp="full"))
    months = spans(ev.plan.structure.start, 12, Period.MONTH)
    c = quota_coverage(ev.result, 0, months)
    assert c.quota[0, :3] == pytest.approx([3 * MONTH] * 3)


def test_the_coverage_table_has_the_team_and_a_reason_where_nothing_is_booked() -> None:
    data = _plan()
    data["roles"]["sdr"] = role(
        {"stage": "opp", "capacity": 40},
        opening_heads=1,
        comp={"ote": 70_000, "quota": 100_000},
    )
    data["roles"]["sdr"]["drivers"][0]["tiers"] = ["only"]
    ev = evaluated(data)
    rows = comp_report(ev, Period.YEAR).table("quota_coverage").records()
    assert [r["role"] for r in rows] == ["ae", "sdr", "team"]
    team = rows[2]
    assert team["ramped_quota"] == pytest.approx(rows[0]["ramped_quota"] + rows[1]["ramped_quota"])
    assert team["bookings"] == pytest.approx(rows[0]["bookings"])  # the same cells
