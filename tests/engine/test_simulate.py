"""Monte Carlo simulation (docs/model.md §9): draws, forwards, statistics and the report."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.api import Evaluation, evaluate
from salesplan.engine.compile import Input
from salesplan.engine.forward import FixedPlan, fixed_plan, run_forward, shifted_starts
from salesplan.engine.run import run
from salesplan.engine.simulate import (
    band,
    cost_keys,
    draw_inputs,
    outcomes_of,
    pert,
    probability_reached,
    quantiles,
    simulate,
    triangular,
    uncertain,
    with_inputs,
)
from salesplan.load.schema import Range
from salesplan.render import OutputFormat, render_report
from salesplan.report.outcomes import key_outcomes
from salesplan.report.simulate import simulate_report
from tests.engine.plans import evaluated, motion, plan, role, stage, tier
from tests.paths import ROOT

SERIES_A = str(ROOT / "configs" / "series-a.yaml")
TOL = 1e-9
PROPS = settings(
    max_examples=30, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)


@pytest.fixture(scope="module")
def series_a() -> Evaluation:
    return evaluate(SERIES_A)


def _fixed(ev: Evaluation) -> FixedPlan:
    return fixed_plan(ev.result)


def _ample(ev: Evaluation) -> Any:
    """Return the point params with capacity to spare in every role (nothing is rationed)."""
    p = ev.compiled.params
    return replace(p, opening_heads=p.opening_heads + 1000.0)


# -- draws ----------------------------------------------------------------------------------


@given(
    rows=st.integers(1, 60),
    cols=st.integers(1, 4),
    qs=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=4),
    seed=st.integers(0, 2**32 - 1),
    scale=st.sampled_from([1e-3, 1.0, 1e6]),
    kind=st.sampled_from(["any", "whole", "signed zeros"]),
    nan=st.booleans(),
)
@PROPS
def test_quantiles_are_numpys_to_the_last_bit(
    rows: int, cols: int, qs: list[float], seed: int, scale: float, kind: str, nan: bool
) -> None:
    # Ties (whole values; 0.0 beside -0.0), both ends (q 0 and 1), a NaN in a column: the
    # same bytes as np.quantile, whose linear method would import numpy.ma.
    rng = np.random.default_rng(seed)
    values = rng.normal(size=(rows, cols)) * scale
    if kind == "whole":
        values = np.round(values)
    elif kind == "signed zeros":
        values = np.where(values < 0, -0.0, 0.0)
        values[0, 0] = 1.0
    if nan:
        values[rng.integers(rows), rng.integers(cols)] = np.nan
    for data in (values, values[:, 0]):
        expected = np.quantile(data, qs, axis=0)
        got = quantiles(data, qs)
        assert got.shape == expected.shape
        assert got.tobytes() == expected.tobytes()


@given(
    groups=st.lists(st.integers(1, 5), min_size=1, max_size=8),
    rows=st.integers(1, 30),
    seed=st.integers(0, 2**32 - 1),
)
@PROPS
def test_products_per_node_are_reduceats_to_the_last_bit(
    groups: list[int], rows: int, seed: int
) -> None:
    # Pairs grouped by the node they lead to, a node skipped now and then: the same bytes
    # as np.multiply.reduceat, which the month loop of forwards used to call.
    from salesplan.engine.forward import _Groups

    rng = np.random.default_rng(seed)
    nodes = np.cumsum(rng.integers(1, 3, len(groups)))
    node = np.repeat(nodes, groups)
    values = rng.uniform(0.0, 1.0, (rows, len(node)))
    first = np.flatnonzero(np.r_[True, node[1:] != node[:-1]])
    expected = np.ones((rows, int(nodes[-1]) + 1))
    expected[:, node[first]] = np.multiply.reduceat(values, first, axis=1)
    got = _Groups.of(node, int(nodes[-1]) + 1).product(values)
    assert got.tobytes() == expected.tobytes()


def test_pert_matches_its_mean_and_stays_in_range() -> None:
    x = pert(np.random.default_rng(1), 10.0, 20.0, 60.0, 100_000)
    assert x.min() >= 10.0 and x.max() <= 60.0
    assert x.mean() == pytest.approx((10 + 4 * 20 + 60) / 6, rel=0.005)


def test_triangular_matches_its_mean() -> None:
    x = triangular(np.random.default_rng(1), 10.0, 20.0, 60.0, 100_000)
    assert x.mean() == pytest.approx(30.0, rel=0.005)


@pytest.mark.parametrize("sample", [pert, triangular])
def test_zero_width_gives_the_point_exactly(sample: Any) -> None:
    assert sample(np.random.default_rng(0), 0.3, 0.3, 0.3, 4).tolist() == [0.3] * 4


def test_integer_inputs_are_drawn_whole(series_a: Evaluation) -> None:
    drawn = uncertain(series_a.compiled.inputs)
    values = draw_inputs(drawn, 500, np.random.default_rng(0))
    for i, inp in enumerate(drawn):
        assert inp.range is not None
        assert values[:, i].min() >= inp.range.low and values[:, i].max() <= inp.range.high
        if inp.integer:
            assert np.array_equal(values[:, i], np.rint(values[:, i]))


# -- forwards reproduces the plan -----------------------------------------------------------


def test_forwards_reproduces_the_plans_wins(series_a: Evaluation) -> None:
    """Point values, enough capacity: the plan's wins month by month, and its target."""
    r = series_a.result
    T = r.months
    fwd = run_forward(r.structure, _ample(series_a), _fixed(series_a))
    planned = r.funnel.wins[0, :, :T]
    assert np.abs(fwd.wins[0] - planned).max() <= TOL * planned.max()
    assert 12 * fwd.mrr[0, :, T - 1].sum() == pytest.approx(6_000_000, rel=TOL)
    assert fwd.months_short[0] == 0


def test_forwards_at_point_values_has_the_plans_capacity_gaps(series_a: Evaluation) -> None:
    r = series_a.result
    T = r.months
    fwd = run_forward(r.structure, series_a.compiled.params, _fixed(series_a))
    assert np.array_equal(fwd.heads[0], r.heads[0, :, :T])
    assert np.array_equal(fwd.short[0].sum(axis=1), (r.gap[0, :, :T] > 0).sum(axis=1))


def test_every_roles_people_replay_as_one_batch_as_they_would_alone(series_a: Evaluation) -> None:
    """Drawn worlds (attrition, ramps, lead times), a role's extra start: the batch of every
    role's replays gives each role's heads and capacity to the bit, as replayed alone."""
    from salesplan.engine.forward import _people
    from salesplan.engine.staffing import Opening
    from salesplan.engine.staffing import forward as replay

    r, compiled = series_a.result, series_a.compiled
    drawn = uncertain(compiled.inputs)
    p = with_inputs(compiled.params, drawn, draw_inputs(drawn, 40, np.random.default_rng(3)))
    extra = np.zeros((40, *r.starts.shape[1:]))
    extra[::3, 1, 2] = 1.0
    fixed, T = _fixed(series_a), r.months
    heads, capacity, starts = _people(p, fixed, T, extra)
    for k in range(len(r.structure.roles)):
        one = replace(fixed, starts=fixed.starts[k : k + 1],
                      reqs_before=fixed.reqs_before[k : k + 1],
                      lead=fixed.lead[k : k + 1])  # fmt: skip
        alone = shifted_starts(one, p.lead_months[:, k : k + 1])[:, 0] + extra[:, k]
        state = Opening(p.ramping_heads[:, k], p.accrued_departures[:, k], p.dated_reqs[:, k])
        h, c = replay(alone, p.opening_heads[:, k], p.attrition_rate_annual[:, k],
                      p.ramp_fraction[:, k], p.ramp_months[:, k], state)  # fmt: skip
        assert heads[:, k].tobytes() == h[:, :T].tobytes()
        assert capacity[:, k].tobytes() == c[:, :T].tobytes()
        assert starts[:, k].tobytes() == alone[:, :T].tobytes()


def _random_plan(growth: float, days: list[float], rates: list[float], kind: str) -> Any:
    stages = [stage(f"s{i}", q, d) for i, (q, d) in enumerate(zip(rates, days, strict=False))]
    target = {"ending_arr": 3e6, "new_mrr_per_month": 2e4}[kind]
    return plan(
        {kind: target},
        tiers={
            "a": tier(
                800.0,
                {"in": motion(*stages, share=0.7), "out": motion(share=0.3)},
                churn_rate=0.01,
                share=0.6,
                opening_arr=6e5,
            ),
            "b": tier(3000.0, {"in": motion(*stages)}, expansion_rate=0.01, share=0.4),
        },
        roles={
            "rep": role({"stage": "won", "capacity": 10}, opening_heads=2000),
            "sdr": role({"stage": "s0", "capacity": 100}, opening_heads=9000),
        },
        growth=growth,
    )


@PROPS
@given(
    growth=st.sampled_from([-0.03, 0.0, 0.02, 0.1]),
    days=st.lists(st.floats(0, 120), min_size=1, max_size=4),
    rates=st.lists(st.floats(0.05, 1.0), min_size=1, max_size=4),
    kind=st.sampled_from(["ending_arr", "new_mrr_per_month"]),
)
def test_forwards_reproduces_any_plans_wins(
    growth: float, days: list[float], rates: list[float], kind: str
) -> None:
    ev = evaluated(_random_plan(growth, days, rates, kind))
    r = ev.result
    T = r.months
    fwd = run_forward(r.structure, ev.compiled.params, _fixed(ev))
    planned = r.funnel.wins[0, :, :T]
    assert np.abs(fwd.wins[0] - planned).max() <= TOL * planned.max()


def test_zero_width_ranges_reproduce_the_deterministic_plan(series_a: Evaluation) -> None:
    compiled = series_a.compiled
    point: list[Input] = [
        replace(i, range=Range(low=i.range.likely, likely=i.range.likely, high=i.range.likely))
        if i.range is not None
        else i
        for i in compiled.inputs
    ]
    r = series_a.result
    T = r.months
    sim = simulate(r.structure, _ample(series_a), point, _fixed(series_a), 50, 3, sample=0)
    ending = sim.outcomes["ending_arr"]
    assert np.all(ending == ending[0])
    assert ending[0] == pytest.approx(6_000_000, rel=TOL)
    customers = sim.outcomes["new_customers"][0]
    assert customers == pytest.approx(r.revenue.new_customers[0, :, :T].sum(), rel=TOL)
    assert sim.outcomes["new_arr"][0] == pytest.approx(12 * r.revenue.new_mrr[0, :, :T].sum())


# -- statistics -----------------------------------------------------------------------------


def _symmetric(inputs: tuple[Input, ...]) -> list[Input]:
    """Return the inputs with every range made symmetric about its likely value."""
    out = []
    for i in inputs:
        if i.range is not None:
            half = min(i.range.likely - i.range.low, i.range.high - i.range.likely)
            half = max(half, 0.0)
            i = replace(
                i,
                range=Range(
                    low=i.range.likely - half, likely=i.range.likely, high=i.range.likely + half
                ),
            )
        out.append(i)
    return out


def test_symmetric_ranges_put_the_p50_near_the_plan(series_a: Evaluation) -> None:
    """P50 within 1% of the forwards figure at the likely values (4,000 trials)."""
    r = series_a.result
    inputs = _symmetric(series_a.compiled.inputs)
    sim = simulate(r.structure, _ample(series_a), inputs, _fixed(series_a), 4000, 0, sample=0)
    for key in ("ending_arr", "new_arr", "new_customers", "first_year_revenue"):
        p50 = band(sim.outcomes[key])[1]
        assert p50 == pytest.approx(sim.at_likely[key], rel=0.01), key


def _one_range_plan(rate: Range) -> Any:
    data = plan(
        {"ending_arr": 2e6},
        tiers={
            "a": tier(
                1000.0,
                {"in": motion(stage("lead", 0.2, 20), stage("opp", 0.5, 40))},
                opening_arr=3e5,
                churn_rate=0.01,
            )
        },
        roles={
            "ae": role(
                {"stage": "won", "capacity": 4},
                opening_heads=3,
                ramp_months=2,
                hiring_lead_months=1,
            )
        },
        growth=0.02,
    )
    data["tiers"]["a"]["motions"]["in"]["stages"][1]["rate"] = rate.model_dump()
    return data


@PROPS
@given(
    below=st.floats(0.01, 0.3),
    above=st.floats(0.01, 0.3),
    scale=st.floats(1.1, 2.5),
    seed=st.integers(0, 2**32 - 1),
    dist=st.sampled_from(["pert", "triangular"]),
)
def test_wider_ranges_never_narrow_the_band(
    below: float, above: float, scale: float, seed: int, dist: str
) -> None:
    def width(k: float) -> float:
        rng = Range(low=0.5 - below * k / 2.5, likely=0.5, high=0.5 + above * k / 2.5, dist=dist)  # type: ignore[arg-type]
        ev = evaluated(_one_range_plan(rng))
        r = ev.result
        sim = simulate(
            r.structure, ev.compiled.params, ev.compiled.inputs, _fixed(ev), 300, seed, sample=0
        )
        p10, _, p90 = band(sim.outcomes["ending_arr"])
        return p90 - p10

    narrow, wide = width(1.0), width(scale)
    assert wide >= narrow - 1e-6


def test_probability_of_target_rises_with_more_people(series_a: Evaluation) -> None:
    r = series_a.result
    fixed = _fixed(series_a)
    params = series_a.compiled.params
    inputs = series_a.compiled.inputs
    base = simulate(r.structure, params, inputs, fixed, 1000, 5, sample=0)
    more = replace(params, opening_heads=params.opening_heads + 2.0)
    grown = simulate(r.structure, more, inputs, fixed, 1000, 5, sample=0)
    p_base = probability_reached(base.outcomes["target"], 6e6)
    p_grown = probability_reached(grown.outcomes["target"], 6e6)
    assert p_grown > p_base
    assert np.all(grown.outcomes["target"] >= base.outcomes["target"] - 1e-6)


def test_later_starts_deliver_less(series_a: Evaluation) -> None:
    r = series_a.result
    fixed = _fixed(series_a)
    late = replace(fixed, lead=fixed.lead - 2)  # every start two months later than planned
    params = series_a.compiled.params
    on_time = run_forward(r.structure, params, fixed)
    delayed = run_forward(r.structure, params, late)
    assert delayed.mrr[0, :, -1].sum() < on_time.mrr[0, :, -1].sum()
    assert delayed.months_short[0] > on_time.months_short[0]


def test_open_requisitions_keep_their_months() -> None:
    f = FixedPlan(
        np.array([[2.0, 1.0, 0.0, 0.0]]), np.array([2.0]), np.array([1]), np.zeros(0), np.zeros(0)
    )
    assert shifted_starts(f, np.array([[3]])).tolist() == [[[2.0, 0.0, 0.0, 1.0]]]


def test_heads_at_confidence_come_from_replanning(series_a: Evaluation) -> None:
    r = series_a.result
    sim = simulate(
        r.structure,
        series_a.compiled.params,
        series_a.compiled.inputs,
        _fixed(series_a),
        40,
        0,
        sample=40,
    )
    assert sim.needed_heads_end.shape == (40, len(r.structure.roles))
    # The first world re-planned by hand gives the same heads.
    compiled = series_a.compiled
    drawn = uncertain(compiled.inputs)
    from salesplan.engine.simulate import with_inputs

    values = draw_inputs(drawn, 40, np.random.default_rng(0))
    again = run(r.structure, with_inputs(compiled.params, drawn, values))
    assert np.array_equal(again.heads[:, :, r.months - 1], sim.needed_heads_end)


# -- report ---------------------------------------------------------------------------------


def test_same_seed_same_bytes_in_every_format(series_a: Evaluation) -> None:
    first = simulate_report(series_a, series_a.simulate(300, 11), 0.8)
    second = simulate_report(series_a, series_a.simulate(300, 11), 0.8)
    other = simulate_report(series_a, series_a.simulate(300, 12), 0.8)
    for fmt in OutputFormat:
        # CSV is one table a file: each table alone.
        names = [[t.name] for t in first.tables] if fmt is OutputFormat.CSV else [None]
        for only in names:
            a, b = (r.only(only) if only else r for r in (first, second))
            assert render_report(a, fmt, width=100) == render_report(b, fmt, width=100)
    assert render_report(first, OutputFormat.JSON) != render_report(other, OutputFormat.JSON)


def test_report_records_seed_trials_and_numpy(series_a: Evaluation) -> None:
    report = simulate_report(series_a, series_a.simulate(200, 9), 0.9)
    assert report.meta["seed"] == "9" and report.meta["trials"] == "200"
    assert report.meta["numpy"] == np.__version__
    assert report.meta["confidence"] == "0.9"
    assert [t.name for t in report.tables] == ["revenue", "delivery", "cost", "target", "heads"]
    heads = report.table("heads").records()
    assert heads[-1]["role"] == "total"
    target = report.table("target").records()[0]
    assert 0.0 <= float(target["probability"]) <= 1.0  # type: ignore[arg-type]


def test_progress_is_reported_to_the_end(series_a: Evaluation) -> None:
    calls: list[tuple[int, int]] = []
    series_a.simulate(120, 0, progress=lambda done, total: calls.append((done, total)))
    assert calls and calls[-1][0] == calls[-1][1]


# -- cost of each trial's org ---------------------------------------------------------------


def test_forward_cost_at_likely_values_is_the_plans_economics() -> None:
    # Series B has no capacity gap: forwards at the likely values is the plan itself, so the
    # org's S&M cost and CAC by tier are exactly what `economics --period plan` prints.
    ev = evaluate(str(ROOT / "configs" / "series-b.yaml"))
    r = ev.result
    sim = simulate(r.structure, ev.compiled.params, ev.compiled.inputs, _fixed(ev), 5, 1, sample=0)
    plan = key_outcomes(ev)
    keys = cost_keys(r.structure)
    assert keys == ("sm_cost", "cac", "cac:smb", "cac:mid_market", "cac:enterprise")
    for key in keys:
        assert sim.at_likely[key] == pytest.approx(plan[key].value, rel=TOL), key


def test_trial_cost_is_each_trials_heads_pay_and_marketing(series_a: Evaluation) -> None:
    # Worked independently of the cost module: each trial's people (heads x loaded cost at
    # its drawn attainment), hires, and marketing for the entries its funnel received.
    r = series_a.result
    s, T = r.structure, r.months
    drawn = uncertain(series_a.compiled.inputs)
    batch = with_inputs(
        series_a.compiled.params, drawn, draw_inputs(drawn, 40, np.random.default_rng(5))
    )
    fwd = run_forward(s, batch, _fixed(series_a))
    out = outcomes_of(s, batch, fwd)
    p = batch
    base = p.ote * p.base_share
    per_head = (base + (p.ote - base) * p.payout_rate) / 12 * (
        1 + p.burden_rate
    ) + p.tools_per_month  # [S, R]
    people = (fwd.heads * per_head[:, :, None]).sum(axis=(1, 2))
    hires = (fwd.starts * p.cost_per_hire[:, :, None]).sum(axis=(1, 2))
    marketing = (fwd.entries.sum(axis=2) * p.cost_per_entry).sum(axis=1)
    marketing += T * p.programme_per_month.sum(1) + p.programme_spend[:, :, :T].sum(axis=(1, 2))
    assert out["sm_cost"] == pytest.approx(people + hires + marketing, rel=1e-12)
    assert len(set(out["sm_cost"].round(6))) > 1, "drawn pay and attrition move the cost"
    # Blended CAC is the tiers' acquisition cost over all their new customers.
    won = fwd.new_customers.sum(axis=2)  # [S, K]
    by_tier = sum(out[f"cac:{t}"] * won[:, k] for k, t in enumerate(s.tiers))
    assert out["cac"] == pytest.approx(by_tier / won.sum(axis=1), rel=1e-12)


def test_cac_is_undefined_in_trials_that_win_no_one() -> None:
    # An org with nobody to work the deals (no opening heads, no hires) wins no one: CAC is
    # NaN per trial, and the report's band says n/a with the reason, never 0 or inf.
    ev = evaluated(_one_range_plan(Range(low=0.4, likely=0.5, high=0.6)))
    r = ev.result
    nobody = replace(_fixed(ev), starts=np.zeros_like(_fixed(ev).starts))
    params = replace(ev.compiled.params, opening_heads=ev.compiled.params.opening_heads * 0)
    out = outcomes_of(r.structure, params, run_forward(r.structure, params, nobody))
    assert out["new_customers"][0] == 0.0
    assert np.isnan(out["cac:a"]).all() and np.isnan(out["cac"]).all()
    assert out["sm_cost"][0] == 0.0  # nobody to pay, and this plan buys no marketing


def test_simulate_report_has_the_cost_table(series_a: Evaluation) -> None:
    report = simulate_report(series_a, series_a.simulate(200, 4), 0.8)
    cost = report.table("cost")
    assert cost.column("metric") == ["sm_cost", "cac", "cac:smb", "cac:mid_market"]
    plan = key_outcomes(series_a)
    assert cost.column("plan") == [plan[k].value for k in cost.column("metric")]  # type: ignore[index]
    for row in cost.records():
        assert float(row["p10"]) <= float(row["p50"]) <= float(row["p90"])  # type: ignore[arg-type]


# -- bands and gaps -------------------------------------------------------------------------


def test_zero_width_bands_are_the_likely_path(series_a: Evaluation) -> None:
    """With no uncertainty every trial is the likely world: P10 = P50 = P90 = likely, by month."""
    compiled = series_a.compiled
    point = [
        replace(i, range=Range(low=i.range.likely, likely=i.range.likely, high=i.range.likely))
        if i.range is not None
        else i
        for i in compiled.inputs
    ]
    r = series_a.result
    sim = simulate(r.structure, compiled.params, point, _fixed(series_a), 30, 1, sample=0)
    assert sim.arr_band.shape == (3, r.months)
    for row in sim.arr_band:
        np.testing.assert_allclose(row, sim.likely_arr, rtol=TOL)
    for row in sim.new_arr_band:
        np.testing.assert_allclose(row, sim.likely_new_arr, rtol=TOL)
    # the last month's ARR is the outcome the report calls ending ARR
    assert sim.likely_arr[-1] == pytest.approx(sim.at_likely["ending_arr"], rel=TOL)


def test_bands_are_ordered_and_bracket_the_outcomes(series_a: Evaluation) -> None:
    sim = series_a.simulate(400, 7, sample=0)
    assert np.all(sim.arr_band[0] <= sim.arr_band[1] + TOL)
    assert np.all(sim.arr_band[1] <= sim.arr_band[2] + TOL)
    # the band's last month is the ending-ARR band of the same trials
    np.testing.assert_allclose(sim.arr_band[:, -1], band(sim.outcomes["ending_arr"]), rtol=TOL)


def test_new_arr_at_risk_is_what_filling_the_gap_wins_back(series_a: Evaluation) -> None:
    """Filling a role's gap from month one wins back new ARR only where the role gates deals."""
    from dataclasses import replace as with_

    from salesplan.engine.gaps import capacity_gaps

    r = series_a.result
    gaps = capacity_gaps(r.view())
    at_risk = series_a.outlook().at_risk
    assert len(at_risk) == len(gaps) > 0
    assert all(v >= 0 for v in at_risk)
    fwd = run_forward(r.structure, series_a.compiled.params, _fixed(series_a))
    planned_new_arr = 12 * fwd.new_mrr[0].sum()
    for gap, value in zip(gaps, at_risk, strict=True):
        assert value <= planned_new_arr, gap
        # The same figure run on its own, every role loaded: the plan with that role's
        # worst shortfall (rounded up to whole heads) there from month 0, less the plan.
        params = series_a.compiled.params
        opening = params.opening_heads.copy()
        opening[0, gap.role] += np.ceil(gap.worst_fte - 1e-9)
        filled = run_forward(r.structure, with_(params, opening_heads=opening), _fixed(series_a))
        alone = 12 * (filled.new_mrr[0].sum() - fwd.new_mrr[0].sum())
        assert value == pytest.approx(max(alone, 0.0), rel=1e-9, abs=1e-6)
