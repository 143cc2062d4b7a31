"""Levers (engine/levers.py): every number of a plan by its key path, set as compiling sets it.

Every numeric key of a plan either resolves to a lever or is refused with a reason; a lever
at the plan's own value changes nothing, and at another value sets Params exactly as
compiling the changed plan does.
"""

from __future__ import annotations

import copy
from dataclasses import fields
from typing import Any

import numpy as np
import pytest
from pydantic import BaseModel

from salesplan.api import evaluate
from salesplan.engine.compile import compile_plan
from salesplan.engine.levers import LeverError, lever, parse_path
from salesplan.load.schema import Plan, Range
from salesplan.pipeline import Evaluation
from tests.paths import CONFIGS

from .plans import evaluated, motion, plan, role, stage, tier


def leaves(node: Any, path: tuple[str | int, ...] = ()) -> Any:
    """Yield the key path and value of every number in a plan (a range is one number)."""
    if isinstance(node, Range):
        yield path, node
    elif isinstance(node, BaseModel):
        for key in type(node).model_fields:
            yield from leaves(getattr(node, key), (*path, key))
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, node


def _set(data: dict[str, Any], path: tuple[str | int, ...], value: float) -> dict[str, Any]:
    out = copy.deepcopy(data)
    node: Any = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


# Kinds of number the shipped plans do not show: a ramp curve, a split role, pods, a
# programme schedule, a fixed role whose schedule starts after the plan does.
EVERY_KIND = plan(
    {"ending_arr": 2_400_000},
    tiers={
        "smb": tier(
            800.0,
            {"direct": motion(stage("sql", 0.25, 21.0), stage("opp", 0.5, 10.0))},
            opening_arr=240_000.0,
            opening_customers=25.0,
            churn_rate=0.01,
        )
    },
    roles={
        "ae": role(
            {"stage": "won", "measure": "new_arr"},
            opening_heads=2,
            ramp_curve=[0.25, 0.5, 1.0],
            comp={"ote": 120_000, "quota": 600_000, "attainment": 0.7},
        ),
        "sdr": role(
            {"stage": "sql", "capacity": 20.0},
            opening_heads=1,
            function="split",
            acquisition_share=0.8,
        ),
        "ops": {"opening_heads": 1, "heads": {"2027-04": 2}, "comp": {"ote": 90_000}},
    },
)
EVERY_KIND["pods"] = {"team": {"members": {"ae": 1.0, "sdr": 0.5}}}
EVERY_KIND["programmes"] = {"ads": {"per_month": 1_000.0, "schedule": {"2027-06": 2_000.0}}}


def _every_number(ev: Evaluation) -> tuple[list[str], list[str]]:
    """Check every number of a plan's lever; return the keys solved and refused."""
    c, loaded = ev.compiled, ev.loaded
    solvable, refused = [], []
    width = c.params.ramp_fraction.shape[2]
    data = loaded.plan.model_dump()
    for path, _ in leaves(loaded.plan):
        key = ".".join(str(p) for p in path)
        try:
            lv = lever(loaded.plan, c.structure, c.params, c.inputs, key)
        except LeverError as err:
            assert str(err), key
            refused.append(key)
            continue
        solvable.append(key)
        same = lv.apply(c.params, np.array([lv.value]))
        for f in fields(same):
            assert np.array_equal(getattr(same, f.name), getattr(c.params, f.name)), (key, f.name)
        new = lv.value + 1 if lv.integer else lv.value * 0.9 + (0.01 if lv.value == 0 else 0)
        new = min(max(new, lv.lower), lv.upper)
        changed = Plan.model_validate(_set(data, path, int(new) if lv.integer else float(new)))
        want = compile_plan(changed, ramp_width=width).params
        got = lv.apply(c.params, np.array([new]))
        for f in fields(got):
            a, b = getattr(got, f.name), getattr(want, f.name)
            assert np.allclose(a, b, rtol=1e-12, atol=0), (key, f.name)
    return solvable, refused


@pytest.mark.parametrize("name", ["series-a", "every kind"])
def test_a_lever_sets_what_compiling_the_changed_plan_sets(name: str) -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml")) if name == "series-a" else evaluated(EVERY_KIND)
    solvable, refused = _every_number(ev)
    assert len(solvable) > 3 * len(refused)
    if name == "every kind":
        for key in (
            "roles.ae.ramp_curve.1",
            "roles.sdr.acquisition_share",
            "pods.team.members.sdr",
            "programmes.ads.schedule.2027-06",
            "programmes.ads.per_month",
            "roles.ops.heads.2027-04",
            "roles.ops.opening_heads",
            "roles.ae.comp.quota",
            "tiers.smb.opening_arr",
        ):
            assert key in solvable, key


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("tiers.smb.share", "sum to 1"),
        ("tiers.smb.motions.inbound.share", "sum to 1"),
        ("company.horizon_months", "structure"),
        ("economics.cac_lag_months", "structure"),
        ("roles.se.comp.attainment", "carries no quota"),
        ("tiers.smb.acv", "not set in this plan"),
        ("company.name", "not a number"),
        ("roles.aee.ote", "did you mean 'ae'"),
        ("tiers.smb.motions.inbound.stages.demo.rate", "it has lead, mql, sql"),
        ("target.first_year_revenue", "not set in this plan"),
        ("roles.ae.comp", "not a number"),
    ],
)
def test_a_number_that_cannot_be_solved_says_why(key: str, why: str) -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    c = ev.compiled
    with pytest.raises(LeverError, match=why):
        lever(ev.loaded.plan, c.structure, c.params, c.inputs, key)


def test_a_stage_is_found_by_name_or_position() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    c = ev.compiled
    by_name = lever(
        ev.loaded.plan, c.structure, c.params, c.inputs, "tiers.smb.motions.inbound.stages.sql.rate"
    )
    by_position = lever(
        ev.loaded.plan, c.structure, c.params, c.inputs, "tiers.smb.motions.inbound.stages.2.rate"
    )
    assert by_name.path == by_position.path == parse_path("tiers.smb.motions.inbound.stages.2.rate")
    assert by_name.value == 0.25 and by_name.inputs == by_position.inputs
