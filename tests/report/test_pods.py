"""Pods (docs/model.md §5): a layout worked by hand with a fractional member, and properties.

Hand-worked plan (flat, no churn): one tier at $1,000 MRR and $10,000 new MRR a month, so
10 wins a month from one stage 'sql' at 25%: 40 SQLs a month.

    ae   works wins, 4 a month   → need 10 / 4   = 2.5 FTE
    sdr  works SQLs, 20 a month  → need 40 / 20  = 2.0 FTE
    se   works SQLs, 100 a month → need 40 / 100 = 0.4 FTE

Pod {ae: 1, sdr: 1, se: 0.5}: need per member 2.5, 2.0 and 0.8 → P = ceil(2.5) = 3 pods,
set by the AE.  Heads 3 AE, 3 SDR and ceil(3 x 0.5) = 2 SEs (one SE per 2 pods, the third
pod's half an SE rounds up).  Capacity 3, 3 and 1.5 FTE; utilisation 2.5/3, 2/3, 0.4/1.5.
Role by role: ceil(2.5) + ceil(2.0) + ceil(0.4) = 3 + 2 + 1 = 6 heads; pods take 8: slack 2.
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
from salesplan.engine.periods import Period
from salesplan.report.pods import (
    heads_by_pod,
    month_index,
    pod_and_role_fte,
    pods_report,
    sharing,
)
from salesplan.report.table import NA
from tests.engine.plans import evaluated, motion, plan, role, stage, tier
from tests.engine.test_properties import plans

PROPS = settings(
    max_examples=int(os.environ.get("COST_EXAMPLES", "25")),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
EPS = 1e-9


def pod_plan(staffing: str = "pod") -> dict[str, Any]:
    tiers = {"smb": tier(1000.0, motions={"inbound": motion(stage("sql", 0.25))}, share=1.0)}
    roles = {
        "ae": role({"stage": "won", "capacity": 4.0}, opening_heads=3),
        "sdr": role({"stage": "sql", "capacity": 20.0}, opening_heads=3),
        "se": role({"stage": "sql", "capacity": 100.0}, opening_heads=2),
    }
    data = plan({"new_mrr_per_month": 10_000.0}, tiers=tiers, roles=roles, horizon=12)
    data["pods"] = {"core": {"tiers": ["smb"], "members": {"ae": 1, "sdr": 1, "se": 0.5}}}
    data["staffing"] = staffing
    return data


def test_pod_layout_by_hand() -> None:
    report = pods_report(evaluated(pod_plan()), "2027-06")
    rows = {r["role"]: r for r in report.table("pods").records()}
    assert {k: rows[k]["members"] for k in rows} == {"ae": 1.0, "sdr": 1.0, "se": 0.5}
    assert {k: rows[k]["pods"] for k in rows} == {"ae": 3.0, "sdr": 3.0, "se": 3.0}
    assert {k: rows[k]["heads"] for k in rows} == {"ae": 3.0, "sdr": 3.0, "se": 2.0}
    assert rows["se"]["shared"] == "1 per 2 pods" and rows["ae"]["shared"] is None
    assert rows["se"]["capacity_fte"] == pytest.approx(1.5)
    assert rows["ae"]["need_fte"] == pytest.approx(2.5)
    assert rows["ae"]["utilisation"] == pytest.approx(2.5 / 3)
    assert rows["sdr"]["utilisation"] == pytest.approx(2.0 / 3)
    assert rows["se"]["utilisation"] == pytest.approx(0.4 / 1.5)
    (template,) = report.table("pod_templates").records()
    assert template["pods"] == 3.0 and template["sets_pods"] == "ae"
    assert template["people_per_pod"] == 2.5 and template["heads"] == 8.0


def test_slack_by_hand() -> None:
    report = pods_report(evaluated(pod_plan()))
    slack = {r["role"]: r for r in report.table("pod_slack").records()}
    assert {k: slack[k]["pod_heads"] for k in slack} == {
        "ae": 3.0,
        "sdr": 3.0,
        "se": 2.0,
        "total": 8.0,
    }
    assert {k: slack[k]["role_heads"] for k in slack} == {
        "ae": 3.0,
        "sdr": 2.0,
        "se": 1.0,
        "total": 6.0,
    }
    assert slack["total"]["slack_heads"] == 2.0
    assert slack["se"]["pod_capacity_fte"] == pytest.approx(1.5)
    assert slack["total"]["idle_fte"] == pytest.approx(8 - 4.9)  # 8 heads, 4.9 FTE of work
    assert "2 heads of slack" in " ".join(report.summary)


def test_pod_staffing_hires_whole_pods() -> None:
    # Staffed by pod, the engine covers 3, 3 and 2 people; by role, 2.5, 2.0 and 0.4 FTE.
    by_pod, by_role = evaluated(pod_plan()).result, evaluated(pod_plan("role")).result
    assert by_pod.staffed_need[0, :, 6].tolist() == [3.0, 3.0, 2.0]
    assert by_role.staffed_need[0, :, 6].tolist() == pytest.approx([2.5, 2.0, 0.4])
    assert by_pod.heads[0, :, 11].tolist() == [3.0, 3.0, 2.0]


def test_two_templates_sharing_a_cell_split_its_work() -> None:
    # Two templates serve the same tier with AEs: each takes half the AE work, 1.25 FTE.
    data = pod_plan()
    data["pods"]["second"] = {"tiers": ["smb"], "members": {"ae": 1}}
    report = pods_report(evaluated(data))
    ae = [r for r in report.table("pods").records() if r["role"] == "ae"]
    assert [r["need_fte"] for r in ae] == pytest.approx([1.25, 1.25])
    assert [r["pods"] for r in ae] == [2.0, 2.0]  # core: max(1.25, 2.0, 0.8) → 2


def test_pods_by_period_and_at() -> None:
    ev = evaluated(pod_plan())
    report = pods_report(ev, None, Period.QUARTER)
    rows = report.table("pods_by_period").records()
    assert [r["period"] for r in rows] == ["2027-Q1", "2027-Q2", "2027-Q3", "2027-Q4"]
    assert all(r["pods"] == 3.0 and r["heads"] == 8.0 for r in rows)
    assert report.meta["at"] == "2027-12"
    assert month_index("2027-01", 24, "2027-01") == 0


@pytest.mark.parametrize("at", ["2026-12", "2028-01", "2027-1", "June", ""])
def test_a_month_outside_the_plan_is_a_value_error(at: str) -> None:
    with pytest.raises(ValueError, match=r"not a month of the plan; use YYYY-MM from 2027-01"):
        pods_report(evaluated(pod_plan()), at)


def test_a_plan_without_pods_says_so() -> None:
    data = pod_plan("role")
    del data["pods"]
    report = pods_report(evaluated(data))
    assert report.table("pods").rows == ()
    assert report.summary[0].startswith("The plan defines no pod templates")


def test_utilisation_without_pods_is_na() -> None:
    # A template serving a tier with no work in the month needs no pods: n/a, never 0/0.
    data = pod_plan()
    data["tiers"]["ent"] = tier(5000.0, share=0.0)
    data["tiers"]["smb"]["share"] = 1.0
    data["pods"]["ent_pod"] = {"tiers": ["ent"], "members": {"ae": 1}}
    rows = pods_report(evaluated(data)).table("pods").records()
    ent = next(r for r in rows if r["template"] == "ent_pod")
    assert ent["pods"] == 0.0 and isinstance(ent["utilisation"], NA)


def test_sharing_text() -> None:
    assert [sharing(x) for x in (0.5, 0.25, 1 / 3, 1.5, 1.0, 3.0)] == [
        "1 per 2 pods",
        "1 per 4 pods",
        "1 per 3 pods",
        "3 per 2 pods",
        None,
        None,
    ]


# -- properties -----------------------------------------------------------------------------


@st.composite
def pod_plans(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a random plan and one or two pod templates over its roles, some fractional."""
    data = draw(plans())
    names = sorted(data["roles"])
    tiers = sorted(data["tiers"])
    pods = {}
    for i in range(draw(st.integers(1, 2))):
        members = draw(st.lists(st.sampled_from(names), min_size=1, unique=True))
        pods[f"p{i}"] = {
            "tiers": draw(st.lists(st.sampled_from(tiers), min_size=1, unique=True)),
            "members": {m: draw(st.sampled_from([0.25, 0.5, 1.0, 1.5, 2.0])) for m in members},
        }
    data["pods"] = pods
    return data


def _run(data: dict[str, Any], staffing: str) -> Any:
    d = copy.deepcopy(data)
    d["staffing"] = staffing
    try:
        return evaluated(d).result
    except PlanError:
        return None


@PROPS
@given(pod_plans())
def test_whole_pods_never_have_less_capacity_than_role_staffing(data: dict[str, Any]) -> None:
    by_role, by_pod = _run(data, "role"), _run(data, "pod")
    if by_role is None or by_pod is None:
        return
    T = by_role.months
    # Managers are left out: their need follows the heads they manage, and month by month
    # those heads depend on each plan's hiring history (attrition, ramp), not on pods alone.
    direct = by_role.structure.role_level == 0
    # Work to cover: pods (whole, rounded up) plus work outside pods is never less than
    # each role's need, in every month.
    pod_need, role_need = by_pod.staffed_need[0, direct, :T], by_role.staffed_need[0, direct, :T]
    assert (pod_need >= role_need - EPS).all()
    # People at full ramp: pod heads >= role-by-role heads in every month (slack >= 0).
    for t in range(T):
        in_pods, outside, need = pod_and_role_fte(by_role.view(0), t)
        assert (heads_by_pod(in_pods, outside) >= np.ceil(need - EPS)).all()
    # Staffed capacity: once hires can reach full ramp, pods cover the role-by-role need.
    p = by_pod.params
    for r in np.nonzero(direct)[0]:
        ready = int(p.lead_months[0, r] + p.ramp_months[0, r])
        cap, need = by_pod.capacity[0, r, ready:T], by_role.role_need[0, r, ready:T]
        assert (cap >= need - 1e-6).all(), by_pod.structure.roles[r]
