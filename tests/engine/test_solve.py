"""Solve (docs/model.md §13): goals, outcomes, and solve finding planted values.

Plant a value, measure the outcome there, and solve for that outcome: the planted value
comes back within the stated tolerance, across generated plans.
"""

from __future__ import annotations

import copy
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from salesplan.api import evaluate
from salesplan.engine.compile import compile_plan
from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.goals import Goal, Setting, forwards, measure, parse_goal
from salesplan.engine.levers import lever
from salesplan.engine.run import run
from salesplan.engine.simulate import outcomes_of
from salesplan.engine.solve import bracket, solve
from tests.paths import CONFIGS

from .plans import evaluated, load, motion, plan, role, stage, tier
from .test_properties import plans

SOLVES = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("payback < 18", "write METRIC<=N"),
        ("speed<=3", "no metric 'speed'"),
        ("heads:cfo<=3", "no 'cfo'"),
        ("sm_cost<=lots", "not a number"),
    ],
)
def test_a_bad_goal_says_what_a_goal_is(text: str, message: str) -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    with pytest.raises(ValueError, match=message):
        parse_goal(text, ev.plan.structure)


def test_goals_read_names_percentages_and_separators() -> None:
    s = evaluate(str(CONFIGS / "series-a.yaml")).plan.structure
    assert parse_goal("heads:ae<=12", s) == Goal("heads", "ae", True, 12.0)
    assert parse_goal("probability >= 80%", s).bound == pytest.approx(0.8)
    assert parse_goal("sm_cost<=4_500_000", s).bound == 4.5e6
    assert parse_goal("cac:smb>=1,000", s).text == "cac:smb >= 1000"


def test_forwards_outcomes_are_simulate_s() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    s, p = ev.compiled.structure, ev.compiled.params
    fwd = run_forward(s, p, fixed_plan(ev.result))
    sim = outcomes_of(s, p, fwd)
    for key in ("ending_arr", "new_arr", "new_customers", "first_year_revenue", "months_short"):
        assert forwards(s, fwd, key)[0] == sim[key][0], key
    assert forwards(s, fwd, "target")[0] == sim["target"][0]


def test_the_outcome_at_the_plan_value_is_the_plan_s_own_figure() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    for goal, figure in (
        ("sm_cost<=1", ev.whole_plan.sm_cost),
        ("cac:smb<=1", float(ev.whole_plan.economics.cac[0, 0])),
        ("heads<=1", float(ev.plan.heads[:, ev.plan.months - 1].sum())),
    ):
        solution = ev.solve("roles.ae.comp.quota", goal)
        assert solution.at_plan == pytest.approx(figure, rel=1e-12), goal


# -- plant a value, solve for its outcome, get the value back ----------------------------------


def _with_marketing(data: dict[str, Any]) -> dict[str, Any]:
    """Give every motion a cost per entry, so that S&M cost moves with every volume."""
    out = copy.deepcopy(data)
    for t in out["tiers"].values():
        for m in t["motions"].values():
            m["marketing"] = {"cost_per_entry": 40.0}
    return out


@SOLVES
@given(
    plans(),
    st.sampled_from(["target", "rate", "price"]),
    st.sampled_from([0.35, 0.8, 1.7, 4.0]),
)
def test_solve_recovers_a_planted_value(data: dict[str, Any], which: str, factor: float) -> None:
    loaded = load(_with_marketing(data))
    c = compile_plan(loaded.plan)
    result = run(c.structure, c.params)
    assume(not result.target_met[0])
    s = c.structure
    tier_name, cell = s.cells[0]
    key = {
        "target": f"target.{s.target_kind}",
        "rate": f"tiers.{tier_name}.motions.{cell}.stages.0.rate",
        "price": f"tiers.{tier_name}.mrr",
    }[which]
    lv = lever(loaded.plan, c.structure, c.params, c.inputs, key)
    low, high = bracket(lv)
    planted = min(max(lv.value * factor, low + 0.05 * (high - low)), high - 0.05 * (high - low))
    setting = Setting(c.structure, c.params, fixed_plan(result))
    at = float(measure(setting, lv, Goal("sm_cost", "", True, 0.0), np.array([planted]))[0])
    assume(math.isfinite(at) and at > 0)  # the opening base may meet a planted low target
    solution = solve(setting, lv, Goal("sm_cost", "", True, at))
    assert solution.status == "solved"
    assert solution.trend == ("rises" if which == "target" else "falls")
    assert solution.value is not None and solution.outcome is not None
    assert abs(solution.value - planted) <= solution.tolerance
    assert solution.outcome <= at * (1 + 1e-9)
    assert solution.above is (which != "target")


def test_solve_recovers_a_planted_win_rate_forwards() -> None:
    # Enough AEs that forwards never rations: new ARR is proportional to the win rate.
    data = plan(
        {"new_mrr_per_month": 10_000},
        tiers={"smb": tier(1000.0, {"direct": motion(stage("sql", 0.5, 15.0))})},
        roles={"ae": role({"stage": "won", "capacity": 100.0}, opening_heads=3)},
        horizon=12,
    )
    ev = evaluated(data)
    key = "tiers.smb.motions.direct.stages.sql.rate"
    c = ev.compiled
    lv = lever(ev.loaded.plan, c.structure, c.params, c.inputs, key)
    setting = Setting(c.structure, c.params, fixed_plan(ev.result))
    at = float(measure(setting, lv, Goal("new_arr", "", False, 0.0), np.array([0.43]))[0])
    solution = solve(setting, lv, Goal("new_arr", "", False, at))
    assert solution.status == "solved" and solution.trend == "rises" and solution.above
    assert solution.value == pytest.approx(0.43, abs=solution.tolerance)


def test_a_whole_number_is_solved_exactly() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    solution = ev.solve("roles.ae.opening_heads", "hires<=28")
    assert solution.status == "solved" and solution.value is not None
    assert float(solution.value).is_integer() and solution.tolerance == 1.0
    assert solution.above and solution.outcome is not None and solution.outcome <= 28
    assert solution.grid.tolist() == list(range(17))  # every whole number from 0 to 16
    one_less = ev.solve("roles.ae.opening_heads", "hires<=28", low=0, high=solution.value - 1)
    assert one_less.status == "unmet"


def test_no_value_meets_the_goal_gives_the_best_reachable() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    solution = ev.solve("roles.ae.comp.quota", "payback<=18")
    assert solution.status == "unmet" and solution.value is None
    assert solution.best is not None
    value, best = solution.best
    assert best == np.nanmin(solution.outcomes) and best > 18 and solution.trend == "falls"
    assert value == solution.grid[np.nanargmin(solution.outcomes)]


def test_every_value_meets_a_loose_goal() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    solution = ev.solve("roles.ae.comp.quota", "heads<=1000")
    assert solution.status == "everywhere" and solution.crossings == 0


def test_the_budget_form_finds_the_largest_target_within_it() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    solution = ev.solve("target.ending_arr", "sm_cost<=9000000")
    assert solution.status == "solved" and not solution.above and solution.value is not None
    assert solution.outcome is not None and solution.outcome <= 9e6
    past = ev.solve("target.ending_arr", "sm_cost<=9000000", low=solution.value, high=1e8)
    assert past.outcomes[1] > 9e6


def test_a_probability_goal_is_met_at_the_value_and_missed_just_past_it() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    solution = ev.solve("target.ending_arr", "probability>=0.6", trials=100, seed=3)
    assert solution.status == "solved" and solution.trend == "falls"
    assert solution.value is not None and solution.beyond is not None
    assert solution.outcome is not None and solution.outcome >= 0.6
    assert solution.trials == 100 and solution.evaluations % 100 == 0
    again = ev.solve("target.ending_arr", "probability>=0.6", trials=100, seed=3)
    assert again.value == solution.value  # the same worlds: the same answer


def test_a_zero_gives_no_scale_and_asks_for_one() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    with pytest.raises(ValueError, match="give --low and --high"):
        ev.solve("tiers.smb.onboarding_cost", "sm_cost<=1")
    solution = ev.solve("tiers.smb.onboarding_cost", "payback<=40", low=0, high=10_000)
    assert solution.status == "everywhere"  # onboarding cost is not in CAC payback
