"""Key outcomes of ``diff`` and ``compare``: S&M cost, CAC and CRC over the whole plan.

They must be the figures ``salesplan economics --period plan`` prints, to the last bit, and
an undefined one is ``NA`` with a reason, never 0, inf or NaN.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from salesplan.api import evaluate
from salesplan.cli import app
from salesplan.engine.periods import Period
from salesplan.report.economics import economics_report
from salesplan.report.outcomes import compare_report, delta_tables, key_outcomes
from salesplan.report.table import NA, Kind
from tests.engine.plans import evaluated, plan, role, tier
from tests.paths import ROOT

PLANS = [
    "configs/seed.yaml",
    "configs/series-a.yaml",
    "configs/series-b.yaml",
    "configs/growth.yaml",
]


@pytest.fixture(autouse=True)
def _at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


def _economics(path: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Return the plan-period rows of the economics report: by tier, and by cost row."""
    report = economics_report(evaluate(path), Period.PLAN)
    tiers = {r["tier"]: r for r in report.table("economics").records()}
    costs = {r["role"]: r for r in report.table("costs").records()}
    return tiers, costs


@pytest.mark.parametrize("path", PLANS)
def test_cost_outcomes_are_the_economics_reports_plan_figures(path: str) -> None:
    outcomes = key_outcomes(evaluate(path))
    tiers, costs = _economics(path)
    assert outcomes["sm_cost"].value == costs["total"]["cost"]
    assert outcomes["cac"].value == tiers["blended"]["cac"]
    assert outcomes["crc"].value == tiers["blended"]["crc"]
    for name, row in tiers.items():
        if name != "blended":
            assert outcomes[f"cac:{name}"].value == row["cac"]
            assert outcomes[f"crc:{name}"].value == row["crc"]


def _cli_json(*args: str) -> dict[str, Any]:
    result = CliRunner().invoke(app, [*args, "--format", "json"])
    assert result.exit_code == 0, result.stderr
    data: dict[str, Any] = json.loads(result.stdout)
    return data


@pytest.mark.parametrize("path", ["configs/series-a.yaml", "configs/series-b.yaml"])
def test_compare_prints_what_economics_period_plan_prints(path: str) -> None:
    """Through the CLI and JSON both ways: the same numbers, not merely close ones."""
    economics = _cli_json("economics", path, "--period", "plan")
    tables = {t["name"]: t["rows"] for t in economics["tables"]}
    compare = _cli_json("compare", path)
    (money,) = [t["rows"] for t in compare["tables"] if t["name"] == "money"]
    column = Path(path).stem
    got = {r["metric"]: r[column] for r in money}
    (total,) = [r for r in tables["costs"] if r["role"] == "total"]
    want = {"sm_cost": total["cost"]}
    for r in tables["economics"]:
        suffix = "" if r["tier"] == "blended" else f":{r['tier']}"
        want[f"cac{suffix}"], want[f"crc{suffix}"] = r["cac"], r["crc"]
    assert {k: got[k] for k in want} == want


def test_money_outcomes_read_in_order() -> None:
    outcomes = key_outcomes(evaluate("configs/series-b.yaml"))
    money = [k for k, o in outcomes.items() if o.kind is Kind.MONEY]
    assert money == [
        "ending_arr",
        "first_year_revenue",
        "sm_cost",
        "cac",
        "cac:smb",
        "cac:mid_market",
        "cac:enterprise",
        "crc",
        "crc:smb",
        "crc:mid_market",
        "crc:enterprise",
    ]
    assert outcomes["cac:smb"].label == "CAC: smb" and outcomes["crc"].label == "CRC (blended)"


def two_tier_plan(ent_share: float) -> dict[str, Any]:
    """An SMB tier at $500 MRR with two CSMs on 100 customers, and an enterprise tier at
    $8,000 MRR that takes ``ent_share`` of new business and has no opening customers."""
    tiers = {
        "smb": tier(
            500.0,
            share=1.0 - ent_share,
            churn_rate=0.02,
            opening_arr=600_000.0,
            opening_customers=100.0,
        ),
        "ent": tier(8_000.0, share=ent_share, churn_rate=0.0),
    }
    roles = {
        "ae": role({"stage": "opp", "capacity": 4.0}, opening_heads=1),
        "csm": role(
            {"stock": "customers", "capacity": 50.0}, opening_heads=2, function="retention"
        ),
    }
    for r in roles.values():
        r["comp"] = {"ote": 96_000, "base_share": 1.0, "burden_rate": 0.0}
    return plan({"new_mrr_per_month": 2_000.0}, tiers=tiers, roles=roles, horizon=12, growth=0.0)


def test_a_tier_with_no_new_customers_has_na_cac_and_crc() -> None:
    outcomes = key_outcomes(evaluated(two_tier_plan(ent_share=0.0)))
    assert outcomes["cac:ent"].value == NA("no new customers over the plan")
    assert outcomes["crc:ent"].value == NA("no active customers over the plan")
    # The blended figures are over the tiers that have customers: defined.
    for key in ("sm_cost", "cac", "cac:smb", "crc", "crc:smb"):
        value = outcomes[key].value
        assert isinstance(value, float) and math.isfinite(value) and value > 0, key


def test_na_cost_outcomes_stay_na_in_deltas_and_side_by_side() -> None:
    before = key_outcomes(evaluated(two_tier_plan(ent_share=0.0)))
    after = key_outcomes(evaluated(two_tier_plan(ent_share=0.25)))
    money = delta_tables(before, after, "USD")[0].records()
    ent = {r["metric"]: r for r in money}["cac:ent"]
    no_new = NA("no new customers over the plan")
    assert ent["base"] == no_new and isinstance(ent["head"], float)
    assert ent["change"] == no_new and ent["change_rate"] == no_new and ent["trend"] == ""
    side = compare_report(["a.yaml", "b.yaml"], [before, after], "USD").table("money").records()
    assert {r["metric"]: (r["a"], r["b"]) for r in side}["crc:ent"][0] == NA(
        "no active customers over the plan"
    )


def test_a_tier_one_plan_lacks_is_na_not_zero() -> None:
    a = key_outcomes(evaluate("configs/series-a.yaml"))
    b = key_outcomes(evaluate("configs/series-b.yaml"))
    rows = compare_report(["a", "b"], [a, b], "USD").table("money").records()
    ent = {r["metric"]: r for r in rows}["cac:enterprise"]
    assert ent["a"] == NA("no such tier in this plan") and isinstance(ent["b"], float)
