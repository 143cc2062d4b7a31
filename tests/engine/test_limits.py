"""Hiring limits (docs/model.md §14): caps on starts move them earlier, never later.

The hand-worked cases are in the comments.  The properties run the random plans of
``test_properties`` with random caps, and check the capped plan against the same plan
without its caps, person by person where it matters (``people.py``).
"""

from __future__ import annotations

import copy
import math
from dataclasses import fields
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from salesplan.api import evaluate
from salesplan.engine.run import PlanResult, run
from salesplan.engine.staffing import (
    CAP_INDIRECT,
    CAP_ORG,
    CAP_RAMPING,
    CAP_RECRUITING,
    CAP_ROLE,
    Limits,
    staff,
)
from salesplan.engine.structure import Params
from salesplan.pipeline import run_plan
from salesplan.report.plan import hires_table
from tests.paths import ROOT

from .people import linear_ramp, simulate
from .plans import compiled, evaluated, plan, role
from .test_properties import plans

PROPS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TOL = 1e-9


def _capped(
    need: list[float], months: int, *, opening: int, ramp: int, lead: int, cap: float
) -> Any:
    TE = len(need)
    return staff(
        np.array([need]),
        months,
        np.array([float(opening)]),
        np.zeros(1),
        np.array([linear_ramp(ramp) + [1.0] * (TE - ramp - 1)])[:, : max(ramp + 1, 1)],
        np.array([ramp]),
        np.array([lead]),
        np.zeros(1),
        Limits(np.full((1, TE), cap), np.full((1, TE), CAP_ROLE), np.ones(1)),
    )


def test_a_jump_of_six_heads_with_a_cap_of_two_month_by_month() -> None:
    # Need 4 FTE until month 5, then 10 from month 6; 4 opening heads; ramp R = 1 (a start
    # works 1/2, then 1); lead h = 1; no attrition; a cap of 2 starts a month.
    # Without the cap, month 5 starts all 6 (fully ramped in month 6 = 5 + R).
    # With it, month 5 takes 2 and the other 4 move to the latest months with room:
    #   month 4: 2, month 3: 2.
    #   t   starts  heads  capacity              need
    #   3      2      6    4 + 2 × 1/2 = 5         4
    #   4      2      8    6 + 2 × 1/2 = 7         4
    #   5      2     10    8 + 2 × 1/2 = 9         4
    #   6      0     10    10                     10
    # The heads over the uncapped plan: +2 in month 3 and +4 in month 4, 6 head-months.
    need = [4.0] * 6 + [10.0] * 6
    free = _capped(need, 10, opening=4, ramp=1, lead=1, cap=np.inf)
    assert free.starts[0].tolist() == [0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0, 0]
    s = _capped(need, 10, opening=4, ramp=1, lead=1, cap=2)
    assert s.starts[0].tolist() == [0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0, 0]
    assert s.heads[0, :7].tolist() == [4, 4, 4, 6, 8, 10, 10]
    assert s.capacity[0, 3:7].tolist() == [5.0, 7.0, 9.0, 10.0]
    assert not s.gap.any()
    assert (s.heads[0] - free.heads[0]).sum() == 6
    assert s.bound[0].tolist() == [0, 0, 0, 0, 0, CAP_ROLE, 0, 0, 0, 0, 0, 0]


def test_a_cap_the_lead_time_leaves_no_room_for_is_a_gap() -> None:
    # The same jump with a lead time of 4: new starts only from month 4.  Month 5 takes 2
    # and month 4 takes 2: 4 of the 6.  Month 6 has 8 ramped + the 2 month-6 starts at half
    # = 9 < 10: short by 1 FTE, a gap the cap causes (the uncapped plan covers it).  Month 7
    # has the month-6 starts ramped: 10.
    need = [4.0] * 6 + [10.0] * 6
    s = _capped(need, 10, opening=4, ramp=1, lead=4, cap=2)
    assert s.starts[0].tolist() == [0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0]
    assert s.capacity[0, 6] == 9.0 and s.capacity[0, 7] == 10.0
    assert s.gap[0].tolist() == [0.0] * 6 + [1.0] + [0.0] * 5


def _schedule_plan(**hiring: Any) -> dict[str, Any]:
    # A fixed role whose schedule jumps from 4 to 10 heads in July (month 6), hired a month
    # ahead, with a cap of 2 starts a month.
    data = plan(
        {"new_mrr_per_month": 10_000},
        roles={
            "ae": role({"stage": "won", "capacity": 10}, opening_heads=10),
            "team": {
                "opening_heads": 4,
                "hiring_lead_months": 1,
                "heads": {"2027-01": 4, "2027-07": 10},
                "max_starts_per_month": 2,
                "comp": {"ote": 120_000, "base_share": 1.0, "burden_rate": 0},
            },
        },
        horizon=12,
    )
    data["hiring"] = hiring
    return data


def test_a_schedule_jump_through_the_plan() -> None:
    # Heads must be 10 from month 6 and may rise by 2 a month: 2 start in months 4, 5 and
    # 6 (requisitions in months 3, 4 and 5).  Heads 6, 8, 10 in months 4–6 against the
    # uncapped 4, 4, 10: 6 head-months more, at 120,000 / 12 = 10,000 each: 60,000.
    ev = evaluated(_schedule_plan())
    v = ev.plan
    team = list(v.structure.roles).index("team")
    assert v.starts[team, :12].tolist() == [0, 0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0]
    assert v.free_starts[team, :12].tolist() == [0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 0, 0]
    assert (v.heads[team, :12] - v.free_heads[team, :12]).sum() == 6
    rows = [r for r in hires_table(v).records() if r["role"] == "team"]
    assert [r["start_month"] for r in rows] == ["2027-05", "2027-06", "2027-07"]
    assert [r["capped_by"] for r in rows] == ["", "", "max_starts_per_month (2 a month)"]
    assert [r["extra_heads"] for r in rows] == [2.0, 4.0, 0.0]
    assert sum(r["extra_cost"] for r in rows) == 60_000  # type: ignore[misc]
    assert not [p for p in ev.problems if p.code == "SP301"]


def test_an_org_wide_cap_is_shared_in_staffing_order() -> None:
    # Two fixed roles jump together by 3 heads each in month 6; at most 4 starts a month
    # over the plan.  The first role takes what it needs first: 3 in month 6 … the second
    # role gets the 1 left there, and its other 2 move to month 5.
    data = plan(
        {"new_mrr_per_month": 10_000},
        roles={
            "a": {"opening_heads": 1, "heads": {"2027-01": 1, "2027-07": 4}},
            "b": {"opening_heads": 1, "heads": {"2027-01": 1, "2027-07": 4}},
        },
        horizon=9,
    )
    data["hiring"] = {"max_starts_per_month": 4}
    v = evaluated(data).plan
    assert v.starts[0, :9].tolist() == [0, 0, 0, 0, 0, 0, 3, 0, 0]
    assert v.starts[1, :9].tolist() == [0, 0, 0, 0, 0, 2, 1, 0, 0]
    assert v.bound[1, 6] == CAP_ORG


def test_recruiting_capacity_holds_the_starts_its_recruiters_hire() -> None:
    # A team whose schedule rises from 2 to 7 heads in March (month 2), hired by one
    # recruiter at 2 hires a month.  A new recruiter takes lead time 2 + ramp 1 = 3 months,
    # so until month 3 the opening recruiter's 2 hires a month are all there are: March
    # keeps 2 of its 5 starts, February takes 2 and January the last 1.  From month 3 on the
    # plan would hire recruiters for any starts (they are sized by them): no cap there.
    data = plan(
        {"new_mrr_per_month": 10_000},
        roles={
            "team": {"opening_heads": 2, "heads": {"2027-01": 2, "2027-03": 7}},
            "recruiter": role(
                {"starts": ["team"], "capacity": 2},
                opening_heads=1,
                hiring_lead_months=2,
                ramp_months=1,
            ),
        },
        horizon=9,
    )
    data["hiring"] = {"recruiting_capacity": True}
    v = evaluated(data).plan
    assert v.free_starts[0, :9].tolist() == [0, 0, 5] + [0] * 6
    assert v.starts[0, :9].tolist() == [1, 2, 2] + [0] * 6
    assert v.bound[0, 2] == CAP_RECRUITING and not v.gap.any()
    # The recruiter's need is the starts over 2 a month: 0.5, 1 and 1, its one head's work.
    assert v.need[1, :3].tolist() == [0.5, 1.0, 1.0] and v.heads[1, :9].max() == 1


def test_a_ramping_share_holds_back_a_fast_wave() -> None:
    # 8 AEs at one win a month each, no lead time, ramp R = 3 (a start works 1/4, 1/2, 3/4,
    # then 1); bookings weighted 1 January–June and 2 July–December (2/3 and 4/3 of an
    # average month), 8,000 new MRR in January at 1,000 each: need 8 FTE, then 16 from July.
    # Without a cap all 8 start in April (month 3, ramped by July).  With at most a quarter
    # of the heads still ramping (at least 1 may always ramp):
    #   month 0: 10 heads allow 2 ramping (2 / 10 = 20%; a third start: 3 / 11 > 25%)
    #   months 1–2: those 2 still ramp: no room
    #   month 3: they are ramped; 3 start, 3 / 13 = 23% (a fourth: 4 / 14 > 25%)
    #   month 6: 3 more, 16 heads; capacity 13 + 3 × 1/4 = 13.75 against 16
    # July to September are short (2.25, 1.5 and 0.75 FTE): gaps the cap causes, since the
    # plan without it covers them.
    base = plan(
        {"new_mrr_per_month": 8_000},
        roles={"ae": role({"stage": "won", "capacity": 1}, opening_heads=8, ramp_months=3)},
        horizon=12,
    )
    base["seasonality"] = [1.0] * 6 + [2.0] * 6
    free = evaluated(base).plan
    assert free.starts[0, :12].tolist() == [0, 0, 0, 8] + [0] * 8
    data = copy.deepcopy(base)
    data["roles"]["ae"]["max_ramping_share"] = 0.25
    ev = evaluated(data)
    v = ev.plan
    assert v.starts[0, :12].tolist() == [2, 0, 0, 3, 0, 0, 3] + [0] * 5
    assert v.heads[0, [0, 3, 6]].tolist() == [10, 13, 16]
    assert v.capacity[0, 6] == 13.75
    assert v.gap[0, :12].tolist() == [0.0] * 6 + [2.25, 1.5, 0.75] + [0.0] * 3
    assert (v.gap_cause[0, 6:9] == CAP_RAMPING).all()
    (gap,) = [p for p in ev.problems if p.code == "SP301"]
    assert "max_ramping_share (25%)" in gap.message


# -- properties ------------------------------------------------------------------------------


@st.composite
def capped_plans(draw: st.DrawFn) -> dict[str, Any]:
    """Draw a random plan with random caps on its hiring."""
    data = draw(plans())
    for spec in data["roles"].values():
        cap = draw(st.sampled_from([None, None, 0, 1, 2, 3]))
        if cap is not None:
            spec["max_starts_per_month"] = cap
        share = draw(st.sampled_from([None, None, 0.25, 0.5]))
        if share is not None:
            spec["max_ramping_share"] = share
    hiring: dict[str, Any] = {}
    org = draw(st.sampled_from([None, None, 1, 2, 4]))
    if org is not None:
        hiring["max_starts_per_month"] = org
    if draw(st.booleans()):
        hired = sorted(data["roles"])
        data["roles"]["recruiter"] = role(
            {"starts": hired, "capacity": draw(st.sampled_from([1.0, 2.0, 4.0]))},
            opening_heads=draw(st.integers(0, 2)),
            hiring_lead_months=draw(st.integers(0, 3)),
            ramp_months=draw(st.integers(0, 2)),
        )
        hiring["recruiting_capacity"] = draw(st.booleans())
    data["hiring"] = hiring
    return data


def _free(data: dict[str, Any]) -> dict[str, Any]:
    """Return the plan without its caps."""
    out = copy.deepcopy(data)
    out.pop("hiring", None)
    for spec in out["roles"].values():
        spec.pop("max_starts_per_month", None)
        spec.pop("max_ramping_share", None)
    return out


def _run(data: dict[str, Any]) -> PlanResult:
    c = compiled(data)
    res = run(c.structure, c.params)
    assume(not res.target_met[0])
    return res


def _ramp(spec: dict[str, Any]) -> list[float]:
    curve = spec.get("ramp_curve")
    return list(curve) if curve is not None else linear_ramp(spec.get("ramp_months", 0))


def _ramping(opening: int, starts: np.ndarray, departures: np.ndarray, R: int) -> list[int]:
    """People still ramping (tenure < R) after each month's starts, person by person."""
    cohorts: list[list[int]] = [[-(10**9), opening]] if opening else []
    out = []
    for t, (d, s) in enumerate(zip(departures, starts, strict=True)):
        leave = round(d)
        while leave and cohorts:
            gone = min(leave, cohorts[0][1])
            cohorts[0][1] -= gone
            leave -= gone
            if not cohorts[0][1]:
                cohorts.pop(0)
        if round(s):
            cohorts.append([t, round(s)])
        out.append(sum(n for start, n in cohorts if t - start < R))
    return out


@PROPS
@given(capped_plans())
def test_starts_never_exceed_any_cap_in_any_month(data: dict[str, Any]) -> None:
    res = _run(data)
    T = data["company"]["horizon_months"]
    roles = res.structure.roles
    starts = res.starts[0, :, :T]
    for r, name in enumerate(roles):
        spec = data["roles"][name]
        if "max_starts_per_month" in spec:
            assert starts[r].max() <= spec["max_starts_per_month"], name
        share = spec.get("max_ramping_share")
        if share is not None:
            R = len(_ramp(spec)) - 1
            opening = spec.get("opening_heads", 0)
            ramping = _ramping(opening, res.starts[0, r], res.departures[0, r], R)
            allowed = np.maximum(1.0, share * res.heads[0, r])
            # The share holds when people start (later departures may raise it).
            started = res.starts[0, r] > 0
            assert (np.array(ramping)[started] <= allowed[started] + TOL).all(), name
    org = data["hiring"].get("max_starts_per_month")
    if org is not None:
        assert starts.sum(axis=0).max() <= org
    if data["hiring"].get("recruiting_capacity"):
        rec = data["roles"]["recruiter"]
        per_start = 1.0 / rec["drivers"][0]["capacity"]
        window = rec.get("hiring_lead_months", 0) + rec.get("ramp_months", 0)
        hired = [roles.index(n) for n in rec["drivers"][0]["starts"]]
        # The opening recruiters, leaving at the recruiter's attrition (none here).
        fte = rec.get("opening_heads", 0)
        for t in range(min(window, T)):
            assert starts[hired, t].sum() * per_start <= fte + TOL, t


@PROPS
@given(plans(), st.integers(0, 2), st.integers(0, 3))
def test_caps_that_never_bind_give_the_unconstrained_plan_bit_for_bit(
    data: dict[str, Any], spare: int, org_spare: int
) -> None:
    free = _run(data)
    T = data["company"]["horizon_months"]
    capped = copy.deepcopy(data)
    for r, name in enumerate(free.structure.roles):
        capped["roles"][name]["max_starts_per_month"] = int(free.starts[0, r, :T].max()) + spare
    capped["hiring"] = {
        "max_starts_per_month": int(free.starts[0, :, :T].sum(axis=0).max()) + org_spare
    }
    res = _run(capped)
    for f in fields(res):
        value = getattr(res, f.name)
        if isinstance(value, np.ndarray):
            assert np.array_equal(value, getattr(free, f.name)), f.name
    for part in ("revenue", "funnel"):
        for f in fields(getattr(res, part)):
            assert np.array_equal(
                getattr(getattr(res, part), f.name), getattr(getattr(free, part), f.name)
            )


@PROPS
@given(capped_plans())
def test_a_binding_cap_reports_every_month_it_leaves_short(data: dict[str, Any]) -> None:
    res = _run(data)
    free = _run(_free(data))
    T = data["company"]["horizon_months"]
    short = res.capacity[0, :, :T] < res.staffed_need[0, :, :T] - TOL
    covered = free.capacity[0, :, :T] >= free.staffed_need[0, :, :T] - TOL
    for r, t in zip(*np.nonzero(short & covered), strict=True):
        assert res.gap[0, r, t] > 0, (res.structure.roles[r], t)
        assert res.gap_cause[0, r, t] != 0, (res.structure.roles[r], t)
    # The unconstrained plan on the result is the plan without caps.
    assert np.array_equal(res.free_starts, free.starts)
    assert np.array_equal(res.free_heads, free.heads)
    # And every gap is a short month.
    assert ((res.gap[0, :, :T] > 0) <= short).all()


@PROPS
@given(capped_plans())
def test_every_capped_start_is_still_needed(data: dict[str, Any]) -> None:
    # Without any one start (departures held), some month from h + R on is short, or a
    # month already short is shorter.
    res = _run(data)
    T = data["company"]["horizon_months"]
    for r, name in enumerate(res.structure.roles):
        spec = data["roles"][name]
        if "heads" in spec or not res.starts[0, r, :T].any():
            continue
        season = 1.0  # no capacity seasonality in these plans
        ramp = _ramp(spec)
        R = len(ramp) - 1
        h = spec["hiring_lead_months"]
        opening = spec["opening_heads"]
        need = res.staffed_need[0, r]
        starts, deps = res.starts[0, r], res.departures[0, r]
        window = np.zeros(len(need), dtype=bool)
        window[h + R : T + R] = True
        for s in np.nonzero(starts)[0]:
            fewer = starts.copy()
            fewer[s] -= 1
            _, cap = simulate(opening, fewer, deps, ramp)
            assert (window & (np.array(cap) * season < need - TOL)).any(), (name, int(s))


@PROPS
@given(capped_plans(), st.lists(st.sampled_from([0.5, 1.25, 2.0]), min_size=1, max_size=3))
def test_a_capped_batch_equals_its_variants_run_one_by_one(
    data: dict[str, Any], factors: list[float]
) -> None:
    c = compiled(data)
    variants = [c.params]
    for f in factors:
        from dataclasses import replace

        variants.append(replace(c.params, driver_capacity=c.params.driver_capacity * f))
    batch = run(c.structure, Params.concat(variants))
    for s, params in enumerate(variants):
        alone = run(c.structure, params)
        for f in fields(alone):
            value = getattr(alone, f.name)
            if isinstance(value, np.ndarray):
                assert np.array_equal(getattr(batch, f.name)[s], value[0]), (s, f.name)


def test_capped_gaps_name_their_cap_in_sp301() -> None:
    data = _schedule_plan()
    data["roles"]["team"]["hiring_lead_months"] = 5  # only month 5 and 6 can start anyone
    ev = evaluated(data)
    (gap,) = [p for p in ev.problems if p.code == "SP301"]
    assert "because of a hiring cap: max_starts_per_month (2 a month) holds its starts" in (
        gap.message
    )
    v = ev.plan
    team = list(v.structure.roles).index("team")
    assert v.gap[team, 6] == 2 and v.gap_cause[team, 6] & CAP_ROLE
    assert not v.gap_cause[team, 6] & CAP_INDIRECT
    assert math.isclose(float(v.gap[team, :12].sum()), 2.0)


def test_a_cap_of_zero_freezes_hiring_and_says_so() -> None:
    data = plan(
        {"new_mrr_per_month": 10_000},
        roles={
            "ae": role({"stage": "won", "capacity": 2}, opening_heads=2, max_starts_per_month=0)
        },
        horizon=6,
    )
    ev = evaluated(data)
    assert not ev.plan.starts.any()
    (gap,) = [p for p in ev.problems if p.code == "SP301"]
    assert "max_starts_per_month (0 a month)" in gap.message
    assert ev.plan.gap[0, :6].tolist() == [3.0] * 6


def test_the_starts_move_earlier_not_later_through_series_b() -> None:
    # Series B caps AE starts at 3 a month.  Before the first month the cap binds, the
    # capped plan has started at least as many AEs as the plan without it (the starts above
    # the cap moved earlier, to the latest months with room), and that month starts 3.
    v = evaluate(str(ROOT / "configs" / "series-b.yaml")).plan
    ae = list(v.structure.roles).index("ae")
    T = v.months
    bound = np.nonzero(v.bound[ae, :T])[0]
    assert len(bound)
    first = int(bound[0])
    capped, free = np.cumsum(v.starts[ae, :T]), np.cumsum(v.free_starts[ae, :T])
    assert (capped[:first] >= free[:first]).all()
    assert v.free_starts[ae, first] > 3 == v.starts[ae, first]
    assert v.starts[ae, :T].max() <= 3


@pytest.mark.parametrize("share", [0.0, 1.5])
def test_ramping_share_bounds(share: float) -> None:
    data = plan({"new_mrr_per_month": 1}, roles={"ae": role({"stage": "won", "capacity": 2})})
    data["roles"]["ae"]["max_ramping_share"] = share
    checked = run_plan("p.yaml", text=yaml.safe_dump(data).encode())
    assert [p.code for p in checked.problems] == ["SP203"]
