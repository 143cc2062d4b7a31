"""The clean actuals file the actuals tests edit, and the plan it is read against."""

from __future__ import annotations

from salesplan.load.actuals import PlanNames
from salesplan.load.plan import load_plan
from tests.paths import PLANS

PLAN = PLANS / "actuals" / "plan.yaml"
PLAN_ARG = "tests/plans/actuals/plan.yaml"

BASE = """\
month,metric,tier,motion,stage,role,value
2027-01,entries,smb,inbound,lead,,400
2027-01,entries,smb,inbound,sql,,40
2027-01,wins,smb,inbound,,,9
2027-01,new_mrr,smb,,,,4500
2027-01,heads,,,,ae,6
2027-01,marketing_cost,smb,inbound,,,8000
2027-02,entries,smb,inbound,lead,,410
2027-02,entries,smb,inbound,sql,,38
2027-02,wins,smb,inbound,,,11
2027-02,new_mrr,smb,,,,5500
2027-02,heads,,,,ae,7
2027-02,marketing_cost,smb,inbound,,,8200
2027-03,entries,smb,inbound,lead,,395
2027-03,entries,smb,inbound,sql,,41
2027-03,wins,smb,inbound,,,10
2027-03,new_mrr,smb,,,,5000
2027-03,heads,,,,ae,7
2027-03,marketing_cost,smb,inbound,,,7900
"""


def names() -> PlanNames:
    """Return the names of the plan BASE is read against."""
    loaded, problems = load_plan(str(PLAN))
    assert loaded is not None and problems == []
    return PlanNames.of(loaded.plan)
