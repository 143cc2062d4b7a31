"""Properties of the engine on small random plans (docs/model.md §1–4).

Plans are generated as dicts (1–3 tiers, 1–2 motions, 1–4 stages, 1–4 roles with an optional
manager), loaded through the real loader and run.  The staffing invariants are checked on the
result arrays with a person-by-person model written for the tests (``people.simulate``).
"""

from __future__ import annotations

import itertools
import math
import os
from dataclasses import fields, replace
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from salesplan.engine import staffing
from salesplan.engine.compile import set_input
from salesplan.engine.run import PlanResult, run
from salesplan.engine.structure import Params

from .people import linear_ramp, simulate
from .plans import compiled, plan

# ENGINE_EXAMPLES=5000 runs a longer, random search (the default is quick and repeatable).
EXAMPLES = int(os.environ.get("ENGINE_EXAMPLES", "0"))
PROPS = settings(
    max_examples=EXAMPLES or 100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=not EXAMPLES,
)
DAY = 30.4375
STAGES = ["lead", "mql", "sql", "opp"]
TOL = 1e-9

# -- strategies -----------------------------------------------------------------------------


def _weights(draw: st.DrawFn, n: int) -> list[float]:
    w = [draw(st.integers(1, 4)) for _ in range(n)]
    return [x / sum(w) for x in w]


@st.composite
def plans(
    draw: st.DrawFn, *, explicit: bool = True, opening: bool = True, kinds: bool = True
) -> dict[str, Any]:
    """Draw a small valid plan whose target the opening base does not meet (mostly)."""
    horizon = draw(st.integers(6, 36))
    growth = draw(st.sampled_from([-0.05, -0.01, 0.0, 0.02, 0.05, 0.1]))
    kind = (
        draw(
            st.sampled_from(
                ["ending_arr", "first_year_revenue", "new_arr_per_year", "new_mrr_per_month"]
            )
        )
        if kinds
        else "new_mrr_per_month"
    )
    if kind == "first_year_revenue":
        horizon = max(horizon, 12)
    value = {
        "ending_arr": draw(st.floats(1e6, 5e6)),
        "first_year_revenue": draw(st.floats(5e5, 3e6)),
        "new_arr_per_year": draw(st.floats(2e5, 2e6)),
        "new_mrr_per_month": draw(st.floats(5e3, 5e4)),
    }[kind]
    n_tiers = draw(st.integers(1, 3))
    shares = _weights(draw, n_tiers)
    explicit_tier = explicit and n_tiers > 1 and draw(st.booleans())
    tiers: dict[str, Any] = {}
    for k in range(n_tiers):
        n_motions = draw(st.integers(1, 2))
        mshares = _weights(draw, n_motions)
        motions = {}
        for m in range(n_motions):
            depth = draw(st.integers(1, 4))
            motions[f"m{m}"] = {
                "share": mshares[m],
                "stages": [
                    {
                        "name": name,
                        "rate": draw(st.sampled_from([0.25, 0.3, 0.5, 0.8, 1.0])),
                        # whole, half and odd fractions of a month
                        "days": draw(st.sampled_from([0.0, 7.0, 15.21875, DAY, 45.0, 2 * DAY])),
                    }
                    for name in STAGES[-depth:]
                ],
            }
        t: dict[str, Any] = {
            "mrr": draw(st.sampled_from([300.0, 800.0, 1500.0, 3000.0])),
            "churn_rate": draw(st.sampled_from([0.0, 0.01, 0.03, 0.05])),
            "expansion_rate": draw(st.sampled_from([0.0, 0.005, 0.02])),
            "motions": motions,
        }
        if opening:
            t["opening_arr"] = draw(st.sampled_from([0.0, 12_000.0, 30_000.0]))
            t["opening_customers"] = draw(st.sampled_from([0.0, 5.0, 20.0]))
        if explicit_tier and k == n_tiers - 1:
            t["new_mrr"] = draw(st.sampled_from([100.0, 500.0]))
        else:
            t["share"] = shares[k] if not explicit_tier else shares[k] / (1 - shares[-1])
        tiers[f"t{k}"] = t
    if explicit_tier:  # renormalise the share tiers
        total = sum(t["share"] for t in tiers.values() if "share" in t)
        for t in tiers.values():
            if "share" in t:
                t["share"] /= total
    stage_names = sorted(
        {s["name"] for t in tiers.values() for m in t["motions"].values() for s in m["stages"]}
    )
    roles: dict[str, Any] = {}
    for r in range(draw(st.integers(1, 3))):
        what = draw(st.sampled_from(["flow", "flow", "won_arr", "stock"]))
        if what == "flow":
            driver = {
                "stage": draw(st.sampled_from(stage_names)),
                "capacity": draw(st.sampled_from([40.0, 150.0, 600.0])),
            }
        elif what == "won_arr":
            driver = {
                "stage": "won",
                "measure": "new_arr",
                "capacity": draw(st.sampled_from([20_000.0, 60_000.0])),
            }
        else:
            driver = {"stock": "customers", "capacity": draw(st.sampled_from([25.0, 80.0]))}
        roles[f"r{r}"] = _role(draw, driver)
    if draw(st.booleans()):
        managed = draw(st.lists(st.sampled_from(sorted(roles)), min_size=1, unique=True))
        roles["mgr"] = _role(
            draw, {"manages": managed, "capacity": draw(st.sampled_from([3.0, 6.0]))}
        )
    return plan({kind: value}, tiers=tiers, roles=roles, horizon=horizon, growth=growth)


def _role(draw: st.DrawFn, driver: dict[str, Any]) -> dict[str, Any]:
    r: dict[str, Any] = {
        "drivers": [driver],
        "opening_heads": draw(st.integers(0, 3)),
        "attrition_rate": draw(st.sampled_from([0.0, 0.15, 0.3, 0.6])),
        "hiring_lead_months": draw(st.integers(0, 4)),
        "open_requisitions": draw(st.integers(0, 2)),
    }
    if draw(st.booleans()):
        r["ramp_months"] = draw(st.integers(0, 6))
    else:
        head = draw(st.lists(st.sampled_from([0.1, 0.25, 0.5, 0.75]), max_size=4))
        r["ramp_curve"] = [*sorted(head), 1.0]
    return r


def _result(data: dict[str, Any]) -> PlanResult:
    c = compiled(data)
    res = run(c.structure, c.params)
    assume(not res.target_met[0])
    return res


def _ramp(spec: dict[str, Any]) -> list[float]:
    curve = spec.get("ramp_curve")
    return list(curve) if curve is not None else linear_ramp(spec.get("ramp_months", 0))


# -- staffing invariants (docs/model.md §4) -------------------------------------------------------


def check_staffing(data: dict[str, Any], res: PlanResult) -> None:
    """Assert every staffing invariant of docs/model.md §4 for every role of a batch of one."""
    T = data["company"]["horizon_months"]
    for r, name in enumerate(res.structure.roles):
        spec = data["roles"][name]
        ramp = _ramp(spec)
        R = len(ramp) - 1  # months to full capacity
        h = spec["hiring_lead_months"]
        opening = spec["opening_heads"]
        heads, starts, deps = res.heads[0, r], res.starts[0, r], res.departures[0, r]
        need, cap, gap = res.staffed_need[0, r], res.capacity[0, r], res.gap[0, r]
        reqs = res.reqs_opened[0, r]
        TE = len(heads)
        assert TE >= T + R
        # People are whole.
        for a in (heads, starts, deps, reqs):
            assert np.array_equal(a, np.round(a)) and (a >= 0).all(), name
        # heads[t] = heads[t-1] + starts[t] - departures[t], heads[-1] = opening.
        prev = np.concatenate([[opening], heads[:-1]])
        assert np.array_equal(heads, prev + starts - deps), name
        # Departures follow the rate: within one person of the accrued Σ heads[t-1] m.
        m = 1 - (1 - spec["attrition_rate"]) ** (1 / 12)
        behind = np.cumsum(prev * m) - np.cumsum(deps)
        assert (behind > -1e-6).all() and (behind < 1).all(), (name, behind)
        # Starts happen only in months 0 … T-1; before month h only from open requisitions.
        assert not starts[T:].any(), name
        early = starts[: min(h, T)].sum()
        assert early <= spec["open_requisitions"], name
        # Every requisition opens h months before its start: starts[t] = reqs[t - h] + starts
        # from requisitions already open, and those are at most the declared ones.
        opened_for = np.concatenate([np.zeros(h), reqs])[:TE]
        from_open = starts - opened_for
        assert (from_open >= 0).all(), name
        assert from_open.sum() == res.reqs_before[0, r] <= spec["open_requisitions"], name
        assert not reqs[max(T - h, 0) :].any(), name
        # Capacity is what the people who are there work (person-by-person replay).
        sim_heads, sim_cap = simulate(opening, starts, deps, ramp)
        assert sim_heads == heads.tolist(), name
        np.testing.assert_allclose(sim_cap, cap, rtol=1e-12, atol=1e-12)
        # Coverage from month h + R to T - 1 + R.
        window = np.zeros(TE, dtype=bool)
        window[h + R : T + R] = True
        assert (cap[window] >= need[window] - TOL).all(), (
            name,
            np.nonzero(window & (cap < need - TOL)),
        )
        # Every shortfall before h + R (within the horizon) is a reported gap, and only those.
        t = np.arange(TE)
        short = np.maximum(need - cap, 0.0)
        reported = (t < h + R) & (t < T) & (short > TOL)
        np.testing.assert_allclose(gap, np.where(reported, short, 0.0), atol=1e-9)
        # Every start is needed: without any one of them (departures held), some month of
        # the coverage window falls short.
        for s in np.nonzero(starts)[0]:
            fewer = starts.copy()
            fewer[s] -= 1
            _, cap_without = simulate(opening, fewer, deps, ramp)
            broken = window & (np.array(cap_without) < need - TOL)
            assert broken.any(), (name, int(s))


@PROPS
@given(plans())
def test_staffing_invariants(data: dict[str, Any]) -> None:
    check_staffing(data, _result(data))


# -- monotonicity ----------------------------------------------------------------------------


def _run_params(data: dict[str, Any], **changes: Any) -> PlanResult:
    c = compiled(data)
    return run(c.structure, replace(c.params, **changes))


def _direct(res: PlanResult) -> np.ndarray:
    """Need of the roles that manage nobody [R0, TE] (managers follow heads, not volumes)."""
    return np.asarray(res.need[0, res.structure.role_level == 0])


@PROPS
@given(plans(), st.sampled_from([1.1, 1.5, 2.0]))
def test_more_conversion_or_capacity_never_needs_more(data: dict[str, Any], factor: float) -> None:
    c = compiled(data)
    base = run(c.structure, c.params)
    assume(not base.target_met[0])
    T = c.structure.months
    for changed in (
        {"stage_rate": np.minimum(c.params.stage_rate * factor, 1.0)},
        {"driver_capacity": c.params.driver_capacity * factor},
    ):
        better = run(c.structure, replace(c.params, **changed))
        assert (_direct(better) <= _direct(base) * (1 + 1e-12) + 1e-12).all()
        slack = _attrition_slack(c.params)
        assert (better.heads[0, :, T - 1] <= base.heads[0, :, T - 1] + slack).all(), changed


@PROPS
@given(plans(), st.sampled_from([1.1, 1.5, 2.0]))
def test_a_higher_target_never_needs_fewer(data: dict[str, Any], factor: float) -> None:
    c = compiled(data)
    base = run(c.structure, c.params)
    assume(not base.target_met[0])
    higher = run(c.structure, replace(c.params, target_value=c.params.target_value * factor))
    assert higher.revenue.new_mrr_solved[0] > base.revenue.new_mrr_solved[0]
    assert (_direct(higher) >= _direct(base) * (1 - 1e-12) - 1e-12).all()
    T = c.structure.months
    slack = _attrition_slack(c.params)
    assert (higher.heads[0, :, T - 1] >= base.heads[0, :, T - 1] - slack).all()


def _attrition_slack(params: Params) -> np.ndarray:
    """People by which end heads may break monotonicity: none without attrition, one with.

    With attrition a bigger team accrues departures sooner, so who leaves when (and the
    backfill) can shift by a month, and the end month may then hold one person more or less
    (found by this test: e.g. 7 vs 6 heads for more capacity at 30%/yr).  Coverage holds in
    both plans; only the whole-person timing differs.
    """
    return np.where(params.attrition_rate_annual[0] > 0, 1.0, 0.0)


# -- scaling ---------------------------------------------------------------------------------


@PROPS
@given(plans(explicit=False, opening=False))
def test_doubling_the_target_doubles_every_volume(data: dict[str, Any]) -> None:
    c = compiled(data)
    one = run(c.structure, c.params)
    two = run(c.structure, replace(c.params, target_value=c.params.target_value * 2))
    for get in (
        lambda r: r.revenue.new_mrr_solved,
        lambda r: r.revenue.new_mrr,
        lambda r: r.revenue.new_customers,
        lambda r: r.revenue.mrr,
        lambda r: r.revenue.customers,
        lambda r: r.funnel.wins,
        lambda r: r.funnel.volume,
        lambda r: r.funnel.opening,
        _direct,
    ):
        np.testing.assert_allclose(get(two), 2 * get(one), rtol=1e-12, atol=1e-300)


# -- funnel identities -----------------------------------------------------------------------


@PROPS
@given(plans())
def test_volume_times_remaining_rates_is_wins_at_the_lag(data: dict[str, Any]) -> None:
    res = _result(data)
    T = data["company"]["horizon_months"]
    g = 1 + data["target"]["growth_rate"]
    n = float(res.revenue.new_mrr_solved[0])
    TE = res.extended
    j = 0
    for m_index, (tname, mname) in enumerate(res.structure.cells):
        t = data["tiers"][tname]
        first = t["new_mrr"] if "new_mrr" in t else t["share"] * n
        a = first / t["mrr"] * t["motions"][mname]["share"]  # wins in month 0

        def wins(x: float, a: float = a) -> float:
            """The wins curve at whole months, joined linearly between them."""
            i = math.floor(x)
            return a * g**i + (x - i) * (a * g ** (i + 1) - a * g**i)

        np.testing.assert_allclose(
            res.funnel.wins[0, m_index], [wins(i) for i in range(TE)], rtol=1e-12
        )
        stages = t["motions"][mname]["stages"]
        for i in range(len(stages)):
            lag = sum(s["days"] for s in stages[i:]) / DAY
            rates = math.prod(s["rate"] for s in stages[i:])
            volume = res.funnel.volume[0, j]
            expected = [wins(t_ + lag) for t_ in range(TE)]
            np.testing.assert_allclose(volume * rates, expected, rtol=1e-11)
            if lag == int(lag):  # whole months: exactly the wins that many months later
                L = int(lag)
                np.testing.assert_allclose(
                    volume[: TE - L] * rates, res.funnel.wins[0, m_index, L:], rtol=1e-12
                )
            # Opening pipeline: ∫_0^L wins(x) dx / rates, trapezoids between the breakpoints.
            points = [*range(math.floor(lag) + 1), lag]
            area = sum((b - x) * (wins(x) + wins(b)) / 2 for x, b in itertools.pairwise(points))
            assert res.funnel.opening[0, j] * rates == pytest.approx(area, rel=1e-11, abs=1e-12)
            j += 1
    assert j == res.funnel.volume.shape[1]
    assert T <= TE


# -- batches ---------------------------------------------------------------------------------


@PROPS
@given(
    plans(),
    st.lists(st.sampled_from([0.5, 0.8, 1.25, 2.0]), min_size=1, max_size=4),
    st.randoms(use_true_random=False),
)
def test_a_batch_equals_its_variants_run_one_by_one(
    data: dict[str, Any], factors: list[float], rnd: Any
) -> None:
    c = compiled(data)
    inputs = [
        i
        for i in c.inputs
        if i.field
        in (
            "stage_rate",
            "driver_capacity",
            "attrition_rate_annual",
            "churn_rate_monthly",
            "mrr_per_customer",
            "ramp_months",
            "lead_months",
            "stage_days",
        )
    ]
    variants = [c.params]
    for f in factors:
        inp = rnd.choice(inputs)
        value = min(
            max(inp.value * f * inp.divisor, inp.lower * inp.divisor), inp.upper * inp.divisor
        )
        if inp.field in ("ramp_months", "lead_months"):
            value = float(round(inp.value * f))
        variants.append(set_input(c.params, inp, np.array([value])))
    batch = run(c.structure, Params.concat(variants))
    for s, params in enumerate(variants):
        alone = run(c.structure, params)
        for name, got in _arrays(batch).items():
            assert np.array_equal(got[s], _arrays(alone)[name][0]), (s, name)


def _arrays(res: PlanResult) -> dict[str, np.ndarray]:
    """Every output array of a run with the variant on axis 0."""
    out = {f"revenue.{f.name}": getattr(res.revenue, f.name) for f in fields(res.revenue)}
    out |= {f"funnel.{f.name}": getattr(res.funnel, f.name) for f in fields(res.funnel)}
    out |= {
        f.name: getattr(res, f.name)
        for f in fields(res)
        if isinstance(getattr(res, f.name), np.ndarray)
    }
    return out


@PROPS
@given(plans())
def test_the_few_rows_path_finds_the_same_starts_as_the_many_rows_path(
    data: dict[str, Any],
) -> None:
    # A few rows guess the starts and project the guesses together; many rows project no
    # starts first.  Both must find the fewest starts, so every array is equal.
    c = compiled(data)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(staffing, "FEW_ROWS", 0)
        many = _arrays(run(c.structure, c.params))
        mp.setattr(staffing, "FEW_ROWS", 10**9)
        few = _arrays(run(c.structure, c.params))
    for name, got in few.items():
        assert np.array_equal(got, many[name]), name
