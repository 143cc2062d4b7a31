"""The state at the last month of actuals (docs/model.md §15, "The state from actuals"),
worked by hand on a small plan: tenure from the starts and departures, heads they do not
account for, the accrual, requisitions matched to starts, what the file does not give, and
the pipeline in flight."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from salesplan.choices import Rates
from salesplan.engine.rebase_actuals import ActualStart, actual_start
from salesplan.engine.staffing import monthly_attrition
from salesplan.pipeline import Evaluation, run_actuals
from salesplan.reforecast.route import run_reforecast
from salesplan.render.prose import sentence_text
from salesplan.report.reforecast import headline

from .plans import evaluated, plan, role, tier

M = float(monthly_attrition(np.array(0.5)))  # 0.05613 a month


def small(lead: int = 2) -> Evaluation:
    """Return 10 wins a month from opportunities that take a month at 1 in 2, worked by AEs
    (2 at the start, ramp 2 months, attrition 50%, lead time ``lead``), over 6 months."""
    opp = {"name": "opp", "rate": 0.5, "days": 30.4375}
    return evaluated(
        plan(
            {"new_mrr_per_month": 10_000},
            tiers={"smb": tier(1000.0, motions={"direct": {"share": 1.0, "stages": [opp]}})},
            roles={
                "ae": role(
                    {"stage": "won", "capacity": 4},
                    opening_heads=2,
                    ramp_months=2,
                    attrition_rate=0.5,
                    hiring_lead_months=lead,
                )
            },
            horizon=6,
        )
    )


def start(ev: Evaluation, **series: list[float]) -> ActualStart:
    """Return the state after 2027-01 and 2027-02 of the given AE series (and pipeline)."""
    rows = ["month,metric,tier,motion,stage,role,value"]
    for metric, values in series.items():
        for month, value in zip(("2027-01", "2027-02"), values, strict=True):
            if metric == "pipeline":
                rows.append(f"{month},pipeline,smb,direct,opp,,{value:g}")
            else:
                rows.append(f"{month},{metric},,,,ae,{value:g}")
    read = run_actuals(ev, "a.csv", text=("\n".join(rows) + "\n").encode())
    assert read.actuals is not None, read.problems
    return actual_start(ev.plan, ev.actual_arrays(read.actuals))


def test_tenure_the_accrual_and_requisitions() -> None:
    # Heads 2 then 3: a start in 2027-02 (tenure 1 in 2027-03, ramp 2: still ramping).
    # Accrual: 2 × m in each month, nobody left: 0.2245.
    # Requisitions open 2 then 2: 2 opened in 2027-01 (they can start 2 months on, in
    # 2027-03); in 2027-02 one more opened (2 - 2 + 1 start) and the start took the oldest
    # (none could start yet: a hire faster than the lead time).  Left: one opened in 2027-01
    # and one in 2027-02, starting 2027-03 and 2027-04: months 0 and 1 of the reforecast.
    s = start(
        small(),
        heads=[2, 3],
        starts=[0, 1],
        departures=[0, 0],
        open_requisitions=[2, 2],
    )
    st = s.state
    assert (st.month, st.heads.tolist()) == (2, [3.0])
    assert st.ramping[0].tolist()[:3] == [0.0, 1.0, 0.0]
    assert st.accrued[0] == pytest.approx(4 * M) and round(4 * M, 4) == 0.2245
    assert st.dated[0].tolist() == [1.0, 1.0, 0.0, 0.0]
    assert s.planned == ("mrr", "customers", "new_mrr")  # the file gives only the AEs
    assert s.unexplained.tolist() == [0.0] and s.in_flight is None


def test_departures_leave_the_longest_serving_and_the_accrual_stops_at_zero() -> None:
    # One leaves in 2027-02: an opening head, not the start of 2027-02.  The accrual,
    # 4 × m - 1 below 0 (more left than the rate accrued), is 0.
    st = start(small(), heads=[2, 2], starts=[0, 1], departures=[0, 1]).state
    assert st.ramping[0].tolist()[:2] == [0.0, 1.0]
    assert st.accrued[0] == 0.0


def test_an_accrual_past_a_whole_person_keeps_its_fraction() -> None:
    # The 2 opening heads accrue 2 × m in 2027-01; the 30 heads at its end 30 × m in
    # 2027-02: 32 × m = 1.796 departures, and nobody left (the heads the starts do not
    # account for came in): the next departure is 0.796 accrued.
    st = start(small(), heads=[30, 30], starts=[0, 0], departures=[0, 0]).state
    assert pytest.approx(1.796, abs=5e-4) == 32 * M
    assert st.accrued[0] == pytest.approx(32 * M - 1, rel=1e-12)


def test_heads_the_starts_and_departures_do_not_account_for() -> None:
    # One more than 2 + 1 - 0: fully ramped; the start of 2027-02 still ramps.
    s = start(small(), heads=[2, 4], starts=[0, 1], departures=[0, 0])
    assert s.unexplained.tolist() == [1.0]
    assert s.state.ramping[0].sum() == 1 and s.state.heads.tolist() == [4.0]
    # Two fewer: the two opening heads went (the longest-serving); the start remains.
    s = start(small(), heads=[2, 1], starts=[0, 1], departures=[0, 0])
    assert s.unexplained.tolist() == [-2.0]
    assert s.state.ramping[0].sum() == 1 and s.state.heads.tolist() == [1.0]


def test_withdrawn_requisitions_go_newest_first() -> None:
    # 3 opened in 2027-01; in 2027-02 one is withdrawn (open 2, no start): the newest of
    # the three, all opened in 2027-01, so 2 remain to start in 2027-03.
    st = start(small(), heads=[2, 2], starts=[0, 0], open_requisitions=[3, 2]).state
    assert st.dated[0].tolist() == [2.0, 0.0, 0.0, 0.0]


def test_requisitions_that_could_start_only_past_the_plan() -> None:
    # A lead time of 5: the requisition opened in 2027-02 could start in 2027-07, after the
    # plan's last month (2027-06); the one opened in 2027-01 starts in its last month.
    s = start(small(lead=5), heads=[2, 2], starts=[0, 0], open_requisitions=[1, 2])
    assert s.state.dated[0].tolist() == [0.0, 0.0, 0.0, 1.0]
    assert s.beyond.tolist() == [1.0]


def test_what_the_file_does_not_give_comes_from_the_plan() -> None:
    ev = small()
    s = start(ev, heads=[2, 2])
    assert s.planned == ("mrr", "customers", "new_mrr", "starts", "departures", "open_requisitions")
    v = ev.plan
    assert s.state.mrr.tolist() == v.revenue.mrr[:, 1].tolist()
    assert s.state.revenue_to_date == pytest.approx(float(v.revenue.mrr[:, :2].sum()))


def test_the_pipeline_in_flight_against_what_the_first_months_need() -> None:
    # 10 wins a month at 1 in 2 after a month in stage: 20 opportunities enter a month and
    # each stays a month, so the reforecast needs 20 in the stage at its start.  12 are in
    # flight: 8 short, 4 wins its first month will not see.
    ev = small()
    read = run_actuals(
        ev,
        "a.csv",
        text=(
            b"month,metric,tier,motion,stage,role,value\n"
            b"2027-01,pipeline,smb,direct,opp,,20\n"
            b"2027-02,pipeline,smb,direct,opp,,12\n"
        ),
    )
    assert read.actuals is not None
    rf = run_reforecast(ev, read.actuals, "a.csv", Rates.PLAN, trials=0, read=_reader(ev))
    assert rf.start.in_flight is not None and rf.start.in_flight.tolist() == [12.0]
    said = [sentence_text(x, "USD", str) for x in headline(rf)]
    assert (
        "Pipeline in flight at the end of 2027-02: 8 deals short of what the first months "
        "need (most in smb/direct opp), about 4 wins the reforecast counts on; fill it, or "
        "expect the first months to fall short."
    ) in said


def _reader(ev: Evaluation) -> Any:
    import yaml

    from salesplan.load.yamlread import read_yaml

    def read(path: str) -> Any:
        data = ev.loaded.source.data
        return read_yaml(path, yaml.safe_dump(data, sort_keys=False).encode())

    return read
