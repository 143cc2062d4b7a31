"""Sensitivity: swings within bounds, one batched run equal to one-by-one runs, tornado order."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from salesplan.api import Evaluation, evaluate
from salesplan.engine.compile import set_input
from salesplan.engine.cost import plan_costs
from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.run import run
from salesplan.engine.sensitivity import swing_params, swings
from salesplan.report.outcomes import key_outcomes
from salesplan.report.simulate import bar, sensitivity_report
from tests.paths import ROOT

SERIES_A = str(ROOT / "configs" / "series-a.yaml")


@pytest.fixture(scope="module")
def series_a() -> Evaluation:
    return evaluate(SERIES_A)


def test_swings_use_ranges_else_the_swing_within_bounds(series_a: Evaluation) -> None:
    compiled = series_a.compiled
    cases = {c.input.label: c for c in swings(compiled.inputs, compiled.params, 0.2)}
    churn = cases["smb churn"]
    assert (churn.low, churn.high, churn.from_range) == (0.01, 0.03, True)
    mql = cases["smb/inbound mql rate"]
    assert (mql.low, mql.high, mql.from_range) == pytest.approx((0.08, 0.12, False))
    # Whole months round: ±20% of 3 is 2 … 4, but of 2 (or 1) rounds back: left out.
    assert (cases["se ramp months"].low, cases["se ramp months"].high) == (2.0, 4.0)
    assert "mdr ramp months" not in cases
    assert "ae hiring lead time" not in cases
    assert (cases["smb/inbound lead days"].low, cases["smb/inbound lead days"].high) == (
        pytest.approx(5.6),
        pytest.approx(8.4),
    )


def test_swings_respect_bounds() -> None:
    ev = evaluate(SERIES_A)
    compiled = ev.compiled
    for case in swings(compiled.inputs, compiled.params, 0.9):
        inp = case.input
        assert inp.lower <= case.low < case.high <= inp.upper, inp.label
        if inp.integer:
            assert case.low == round(case.low) and case.high == round(case.high)
        if inp.field == "rate":
            assert case.high <= 1.0


def test_one_batched_run_equals_runs_one_by_one(series_a: Evaluation) -> None:
    compiled, s = series_a.compiled, series_a.result.structure
    cases = swings(compiled.inputs, compiled.params, 0.2)[:6]
    batch = run(s, swing_params(compiled.params, cases))
    for n, case in enumerate(cases):
        for side, value in enumerate((case.low, case.high)):
            alone = run(s, set_input(compiled.params, case.input, np.array([value])))
            assert np.array_equal(alone.heads[0], batch.heads[2 * n + side]), case.input.label


def test_tornado_is_largest_first_with_the_plans_values(series_a: Evaluation) -> None:
    report = sensitivity_report(series_a, series_a.sensitivity(0.2))
    assert [t.name for t in report.tables] == ["heads", "sm_cost", "cac", "ending_arr"]
    r = series_a.result
    T = r.months
    heads = report.table("heads")
    effects = heads.column("effect")
    assert effects == sorted(effects, reverse=True)  # type: ignore[type-var]
    assert set(heads.column("plan")) == {float(r.heads[0, :, T - 1].sum())}
    plan = key_outcomes(series_a)
    cost = report.table("sm_cost")
    assert set(cost.column("plan")) == {plan["sm_cost"].value}
    cac = report.table("cac")
    assert set(cac.column("plan")) == {plan["cac"].value}
    fixed = fixed_plan(r)
    likely = run_forward(r.structure, series_a.compiled.params, fixed)
    arr = report.table("ending_arr")
    assert set(arr.column("plan")) == {float(12 * likely.mrr[0, :, T - 1].sum())}
    # The top ARR driver of series A is the mid-market price: its range is wide and skewed.
    assert arr.records()[0]["input"] == "mid_market ACV"


def test_bars_are_only_a_picture(series_a: Evaluation) -> None:
    with_bars = sensitivity_report(series_a, series_a.sensitivity(0.2), bars=True).table("heads")
    without = sensitivity_report(series_a, series_a.sensitivity(0.2), bars=False).table("heads")
    assert [c.name for c in with_bars.columns] == [*(c.name for c in without.columns), "bar"]
    assert with_bars.records()[0]["bar"] == "█" * 12
    assert [row[:-1] for row in with_bars.rows] == list(without.rows)


def test_bar_scales_to_the_largest() -> None:
    assert bar(2.0, 4.0, 8) == "████"
    assert bar(1e-9, 4.0, 8) == "▏"
    assert bar(0.0, 4.0, 8) == ""


def test_cac_swings_are_the_economics_of_each_swing_alone(series_a: Evaluation) -> None:
    # Each tornado row's CAC at low and at high is what `economics --period plan` gives for
    # the plan with only that input changed.
    compiled = series_a.compiled
    cases = {c.input.label: c for c in swings(compiled.inputs, compiled.params, 0.2)}
    rows = sensitivity_report(series_a, series_a.sensitivity(0.2)).table("cac").records()
    assert rows, "some input moves CAC"
    for row in rows[:3]:
        case = cases[str(row["input"])]
        for value, column in ((case.low, "at_low"), (case.high, "at_high")):
            params = set_input(compiled.params, case.input, np.array([value]))
            alone = replace(series_a, result=run(series_a.result.structure, params))
            assert row[column] == pytest.approx(key_outcomes(alone)["cac"].value, rel=1e-12)


def test_sm_cost_by_hand(series_a: Evaluation) -> None:
    r = series_a.result
    p = r.params
    T = r.months
    people = 0.0
    for i in range(len(r.structure.roles)):
        month = (
            p.ote[0, i] / 12 * (1 + p.burden_rate[0, i]) + p.tools_per_month[0, i]
        )  # payout 1: all of OTE
        people += r.heads[0, i, :T].sum() * month
        people += r.starts[0, i, :T].sum() * p.cost_per_hire[0, i]
    first = np.nonzero(r.structure.first_stage)[0]
    marketing = (r.funnel.volume[0, first, :T].sum(axis=1) * p.cost_per_entry[0]).sum()
    marketing += T * p.programme_per_month[0].sum() + p.programme_spend[0, :, :T].sum()
    total = float(plan_costs(r).total[0, :T].sum())
    assert total == pytest.approx(people + marketing, rel=1e-12)
