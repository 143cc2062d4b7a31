"""Unit economics and comp (docs/model.md §6–7): CAC, CRC, payback, LTV, magic number, pay.

Worked by hand on small plans built through the real loader; undefined figures must be
``NA`` with a reason, never 0, inf or NaN.
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from salesplan.api import evaluate
from salesplan.engine.periods import Period
from salesplan.report.comp import comp_report
from salesplan.report.economics import economics_report
from salesplan.report.table import NA, Report
from tests.engine.plans import evaluated, motion, plan, role, stage, tier

SERIES_A = "configs/series-a.yaml"


def comp(ote: float, base_share: float = 1.0, burden: float = 0.0, **kw: Any) -> dict[str, Any]:
    return {"ote": ote, "base_share": base_share, "burden_rate": burden, **kw}


def rows(report: Report, table: str = "economics") -> dict[tuple[str, str], dict[str, Any]]:
    return {(r[next(iter(r))], r["period"]): r for r in report.table(table).records()}


# -- a team CAC by hand (Skok) ------------------------------------------------------------


def skok_plan(start: str = "2027-01", horizon: int = 12) -> dict[str, Any]:
    """Skok's enterprise team: field AE $230K + SE $140K + half an inside rep $90K, +35%.

    One tier at $10,000 MRR and 10 deals a year: new MRR 10/12 x 10,000 = $8,333.33 a month.
    Each role has one head from the start and needs less than one (no hires, no attrition).
    The inside rep is split 50/50 between acquisition and retention: half of them is on the
    team.  Acquisition cost a year: (230K + 140K + 45K) x 1.35 = $560,250; 10 deals → CAC
    $56,025.  No churn.
    """
    tiers = {"ent": tier(10_000.0, motions={"field": motion(stage("opp", 0.5, 0.0))})}
    roles = {
        "fae": role(
            {"stage": "won", "capacity": 1.0},
            opening_heads=1,
            comp=comp(230_000, 0.5, 0.35),
        ),
        "se": role(
            {"stage": "opp", "capacity": 2.0}, opening_heads=1, comp=comp(140_000, 0.7, 0.35)
        ),
        "inside": role(
            {"stage": "opp", "capacity": 4.0},
            opening_heads=1,
            function="split",
            acquisition_share=0.5,
            comp=comp(90_000, 0.6, 0.35),
        ),
    }
    data = plan({"new_mrr_per_month": 10_000 * 10 / 12}, tiers=tiers, roles=roles, horizon=horizon)
    data["company"]["start"] = start
    return data


def test_skok_team_cac_by_hand() -> None:
    ev = evaluated(skok_plan())
    assert ev.result.heads[0, :, :12].tolist() == [[1.0] * 12] * 3  # nobody hired or lost
    year = rows(economics_report(ev, Period.PLAN))[("ent", "2027-01..2027-12")]
    assert year["new_customers"] == pytest.approx(10.0)
    assert year["acquisition_cost"] == pytest.approx(560_250.0)
    assert year["marketing_cost"] == 0.0
    assert year["cac"] == pytest.approx(56_025.0)
    # The other half of the inside rep is retention: 45K x 1.35.
    assert year["retention_cost"] == pytest.approx(60_750.0)
    # Payback: 56,025 / (10,000 MRR x 80% margin) = 7.0 months.
    assert year["payback_months"] == pytest.approx(56_025 / 8_000)
    # No churn: the uncapped LTV is undefined, not infinite; capped at 5 years it is 60
    # months of $8,000 margin, $480,000, and LTV : CAC is 480,000 / 56,025 = 8.57.
    assert year["ltv"] == NA("no churn: lifetime value is unbounded")
    assert year["ltv_capped"] == pytest.approx(480_000.0)
    assert year["ltv_cac"] == pytest.approx(480_000 / 56_025)
    # One period: no previous period for the magic number.
    assert isinstance(year["magic_number"], NA)


def test_magic_number_by_hand_per_month_of_each_period() -> None:
    # Every month: net new ARR 12 x 8,333.33 = 100,000 (no churn); S&M (560,250 + 60,750)
    # / 12 = 51,750.  Magic number 100,000 / 51,750 = 1.932 in every period after the
    # first, also when the first quarter is cut short (Feb-Mar: 2 months vs 3).
    expected = 100_000 / 51_750
    for start, period in (("2027-01", Period.MONTH), ("2027-02", Period.QUARTER)):
        table = rows(economics_report(evaluated(skok_plan(start)), period))
        values = [r["magic_number"] for (t, _), r in table.items() if t == "ent"]
        assert values[0] == NA("first period: no previous period's S&M cost")
        assert values[1:] == pytest.approx([expected] * (len(values) - 1))


# -- a CRC case by hand ---------------------------------------------------------------------


def crc_plan() -> dict[str, Any]:
    """100 customers at $500 MRR, 2% churn, 2 new a month: customers and MRR stay flat.

    C = 100 x 0.98 + 2 = 100; MRR = 50,000 x 0.98 + 1,000 = 50,000.  Two CSMs (100 customers
    at 50 each) at $96K, base only, no burden: $16,000 a month of retention.
    """
    tiers = {
        "smb": tier(
            500.0,
            churn_rate=0.02,
            gross_margin=0.8,
            opening_arr=600_000.0,
            opening_customers=100.0,
        )
    }
    roles = {
        "csm": role(
            {"stock": "customers", "capacity": 50.0},
            opening_heads=2,
            function="retention",
            comp=comp(96_000),
        )
    }
    return plan({"new_mrr_per_month": 1_000.0}, tiers=tiers, roles=roles, horizon=6)


def test_crc_by_hand() -> None:
    table = rows(economics_report(evaluated(crc_plan()), Period.QUARTER))
    q1 = table[("smb", "2027-Q1")]
    assert q1["average_customers"] == pytest.approx(100.0)
    assert q1["retention_cost"] == pytest.approx(48_000.0)
    # 48,000 over the quarter per average customer; 48,000 / (3 x 50,000) of revenue.
    assert q1["crc"] == pytest.approx(480.0)
    assert q1["crc_revenue_rate"] == pytest.approx(0.32)
    # No acquisition cost at all: CAC 0, CAC:CRC 0, payback 0; LTV:CAC undefined.
    assert q1["cac"] == 0.0 and q1["cac_crc"] == 0.0 and q1["payback_months"] == 0.0
    assert q1["ltv"] == pytest.approx(500 * 0.8 / 0.02)
    assert q1["ltv_cac"] == NA("no acquisition cost in the period")
    # Flat MRR: no net new ARR, magic number 0.
    assert table[("smb", "2027-Q2")]["net_new_arr"] == pytest.approx(0.0, abs=1e-6)
    assert table[("smb", "2027-Q2")]["magic_number"] == pytest.approx(0.0, abs=1e-9)


# -- n/a and blended ------------------------------------------------------------------------


def test_a_tier_with_no_new_customers_has_no_cac() -> None:
    data = crc_plan()
    data["target"] = {"new_mrr_per_month": 1_000.0, "growth_rate": 0.0}
    data["tiers"]["smb"]["share"] = 1.0
    data["tiers"]["ent"] = tier(8_000.0, share=0.0, churn_rate=0.0)
    table = rows(economics_report(evaluated(data), Period.YEAR))
    ent = table[("ent", "2027")]
    no_new = NA("no new customers in the period")
    assert ent["new_customers"] == 0.0
    assert ent["cac"] == no_new and ent["payback_months"] == no_new
    assert ent["cac_crc"] == no_new
    assert ent["crc"] == NA("no active customers in the period")
    assert ent["crc_revenue_rate"] == NA("no revenue in the period")
    # Blended LTV is over the tiers that won customers: ent (no churn) won none.
    blended = table[("blended", "2027")]
    assert blended["ltv"] == pytest.approx(20_000.0)


def test_blended_ltv_is_undefined_if_a_winning_tier_never_churns() -> None:
    data = crc_plan()
    data["tiers"]["smb"]["share"] = 0.5
    data["tiers"]["ent"] = tier(8_000.0, share=0.5, churn_rate=0.0)
    blended = rows(economics_report(evaluated(data), Period.YEAR))[("blended", "2027")]
    assert blended["ltv"] == NA("no churn: lifetime value is unbounded")


def test_blended_sums_the_tiers() -> None:
    report = economics_report(evaluate(SERIES_A), Period.YEAR)
    table = rows(report)
    for year in ("2027", "2028"):
        tiers = [table[(t, year)] for t in ("smb", "mid_market")]
        blended = table[("blended", year)]
        for key in ("new_customers", "acquisition_cost", "retention_cost", "net_new_arr"):
            assert blended[key] == pytest.approx(sum(t[key] for t in tiers), rel=1e-12)
        assert blended["cac"] == pytest.approx(
            blended["acquisition_cost"] / blended["new_customers"]
        )


@pytest.mark.parametrize("period", list(Period))
def test_series_a_figures_are_finite_or_na(period: Period) -> None:
    ev = evaluate(SERIES_A)
    for report in (economics_report(ev, period), comp_report(ev, period)):
        for table in report.tables:
            for row in table.rows:
                for cell in row:
                    assert not (isinstance(cell, float) and not math.isfinite(cell))


def test_costs_table_adds_up() -> None:
    report = economics_report(evaluate(SERIES_A), Period.PLAN)
    records = report.table("costs").records()
    parts = [r for r in records if r["role"] != "total"]
    (total,) = [r for r in records if r["role"] == "total"]
    assert total["cost"] == pytest.approx(sum(r["cost"] for r in parts), rel=1e-12)
    for r in records:
        assert r["cost"] == pytest.approx(r["acquisition_cost"] + r["retention_cost"])
    marketing = report.table("marketing").records()
    (m,) = [r for r in records if r["role"] == "marketing"]
    assert m["cost"] == pytest.approx(sum(r["marketing_cost"] for r in marketing))


# -- comp ----------------------------------------------------------------------------------


def test_comp_of_series_a() -> None:
    report = comp_report(evaluate(SERIES_A), Period.YEAR)
    by_role = {r["role"]: r for r in report.table("comp").records()}
    ae = by_role["ae"]
    # $130K at 50/50, quota $650K: commission 65K / 650K = 10%, quota:OTE 5.
    assert (ae["base"], ae["variable"], ae["quota"]) == (65_000.0, 65_000.0, 650_000.0)
    assert ae["commission_rate"] == pytest.approx(0.10)
    assert ae["quota_ote"] == pytest.approx(5.0)
    assert ae["attainment_rate"] == pytest.approx(0.7)
    assert ae["pay_basis"] == "new bookings"
    assert ae["cost_per_head_month"] == pytest.approx(13_250.0)
    sdr = by_role["sdr"]
    assert sdr["quota"] == NA("no quota: the role carries none")
    assert sdr["commission_rate"] == NA("no quota: the role carries none")
    cost = {(r["role"], r["period"]): r for r in report.table("comp_cost").records()}
    for year in ("2027", "2028"):
        r = cost[("ae", year)]
        parts = ("base_cost", "variable_cost", "burden_cost", "tools_cost", "hiring_cost")
        assert r["cost"] == pytest.approx(sum(r[k] for k in parts))


def test_comp_split_function_and_no_variable() -> None:
    data = skok_plan()
    data["roles"]["fae"]["comp"] = comp(200_000, 1.0, quota=1_000_000)
    by_role = {r["role"]: r for r in comp_report(evaluated(data)).table("comp").records()}
    assert by_role["inside"]["function"] == "split (50% acquisition)"
    assert by_role["fae"]["commission_rate"] == NA("no variable pay")
    assert by_role["fae"]["quota_ote"] == pytest.approx(5.0)


def test_comp_quota_with_no_ote_says_so() -> None:
    # A quota carrier paid nothing: quota : OTE is undefined for that reason, not "no quota".
    data = skok_plan()
    data["roles"]["fae"]["comp"] = comp(0, 1.0, quota=1_000_000)
    by_role = {r["role"]: r for r in comp_report(evaluated(data)).table("comp").records()}
    assert by_role["fae"]["quota"] == 1_000_000
    assert by_role["fae"]["quota_ote"] == NA("no OTE: quota : OTE is undefined")
