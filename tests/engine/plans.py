"""Build small plans as dicts for the engine tests: dict -> YAML text -> load -> evaluate.

Every helper goes through the real loader (``load_plan_text``) so the plans the tests use
are plans a user could write.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from salesplan.api import Evaluation, PlanError
from salesplan.engine.compile import Compiled, compile_plan
from salesplan.load.plan import LoadedPlan, load_plan_text
from salesplan.pipeline import run_plan
from salesplan.problems import has_errors

PLAN_PATH = "engine-test-plan.yaml"


def stage(name: str, rate: float, days: float = 0.0) -> dict[str, Any]:
    """Return one funnel stage."""
    return {"name": name, "rate": rate, "days": days}


def motion(*stages: dict[str, Any], share: float = 1.0) -> dict[str, Any]:
    """Return a motion with ``stages`` (default: one stage 'opp' that always wins at once)."""
    return {"share": share, "stages": list(stages) or [stage("opp", 1.0)]}


def tier(mrr: float = 1000.0, motions: dict[str, Any] | None = None, **kw: Any) -> dict[str, Any]:
    """Return a tier; ``kw`` sets churn_rate, expansion_rate, share, new_mrr, opening_arr …"""
    return {"mrr": mrr, **kw, "motions": motions or {"direct": motion()}}


def role(*drivers: dict[str, Any], **kw: Any) -> dict[str, Any]:
    """Return a role; ``kw`` sets opening_heads, ramp_months, attrition_rate, …"""
    return {**kw, "drivers": list(drivers)}


def plan(
    target: dict[str, Any],
    tiers: dict[str, Any] | None = None,
    roles: dict[str, Any] | None = None,
    horizon: int = 24,
    growth: float = 0.0,
) -> dict[str, Any]:
    """Return a plan dict (company, target with growth, tiers, roles)."""
    return {
        "company": {"name": "Engine test", "start": "2027-01", "horizon_months": horizon},
        "target": {**target, "growth_rate": growth},
        "tiers": copy.deepcopy(tiers) if tiers is not None else {"only": tier()},
        "roles": copy.deepcopy(roles) if roles is not None else {},
    }


def load(data: dict[str, Any]) -> LoadedPlan:
    """Load a plan dict through YAML and the real loader; fail on any error."""
    loaded, problems = load_plan_text(PLAN_PATH, yaml.safe_dump(data, sort_keys=False))
    assert loaded is not None and not has_errors(problems), problems
    return loaded


def compiled(data: dict[str, Any]) -> Compiled:
    """Return the compiled engine form of a plan dict."""
    return compile_plan(load(data).plan)


def evaluated(data: dict[str, Any]) -> Evaluation:
    """Take a plan dict along the route; raise PlanError when an error stops it."""
    checked = run_plan(PLAN_PATH, text=yaml.safe_dump(data, sort_keys=False).encode())
    if checked.evaluation is None:
        raise PlanError(checked.problems)
    return checked.evaluation
