"""The first screen (report/screen.py): headline, actions, the plan by year, people, charts."""

from __future__ import annotations

import numpy as np
import pytest

from salesplan.engine.outlook import outlook
from salesplan.render.prose import sentence_text
from salesplan.report.prose import Figure, Sentence, Tone
from salesplan.report.screen import PRIMARY, screen_report, stage_order, years_report
from salesplan.report.table import Kind
from tests.engine.plans import evaluated, motion, plan, role, stage, tier
from tests.engine.test_outlook import STAFFING_EXAMPLE


def _text(s: Sentence) -> str:
    return sentence_text(s, "USD", str)


def test_staffing_example_headline_and_actions() -> None:
    """The hand-worked outlook of tests/engine/test_outlook.py, said in words."""
    ev = evaluated(STAFFING_EXAMPLE)
    report = screen_report(ev, outlook(ev.result, ev.compiled.inputs))
    lines = [_text(s) for s in report.headline]
    assert lines[0].startswith("Engine test plans $10k of new MRR a month from 2027-01")
    assert lines[1] == (
        "At the likely values its hires deliver $8,000 of the $10,000 target (80.0%). "
        "A point forecast: no input has a range (give inputs low, likely and high values "
        "to see the odds)."
    )
    assert report.headline[1].tone is Tone.WARNING
    gap = next(s for s in report.headline if "FTE short" in _text(s))
    assert gap.tone is Tone.ACTION
    assert _text(gap).startswith(
        "ae: up to 0.50 FTE short in 2027-01, about $24k of new ARR at risk. A hire on the "
        "1-month lead time comes too late"
    )


def test_month_zero_requisitions_are_an_action() -> None:
    ev = evaluated(STAFFING_EXAMPLE)
    opened = ev.plan.reqs_opened[:, 0].sum()
    report = screen_report(ev, outlook(ev.result, ev.compiled.inputs))
    first = next(s for s in report.headline if s.tone is Tone.ACTION)
    assert opened == 1
    assert _text(first) == "Open 1 requisition in 2027-01: 1 ae."


def _managed_plan(extra_heads: int) -> dict[str, object]:
    """A plan whose manager starts short (managers gate no deals) and whose AEs may too."""
    return plan(
        {"ending_arr": 2_400_000},
        tiers={"smb": tier(1000.0, {"direct": motion(stage("opp", 0.5, 10))})},
        roles={
            "ae": role(
                {"stage": "won", "capacity": 8},
                opening_heads=2 + extra_heads,
                hiring_lead_months=2,
                ramp_months=2,
            ),
            "manager": role({"manages": ["ae"], "capacity": 3}, hiring_lead_months=3),
        },
        horizon=18,
    )


def test_gaps_that_put_nothing_at_risk_share_one_line() -> None:
    ev = evaluated(_managed_plan(extra_heads=40))
    o = outlook(ev.result, ev.compiled.inputs)
    names = [ev.plan.structure.roles[g.role] for g in o.gaps]
    assert names == ["manager"] and o.at_risk == (0.0,)
    lines = [_text(s) for s in screen_report(ev, o).headline]
    quiet = [line for line in lines if "with no new ARR at risk" in line]
    assert len(quiet) == 1 and quiet[0].startswith("manager: up to ")
    assert quiet[0].endswith(" FTE short in 2027-01 to 2027-03, with no new ARR at risk.")


def test_years_table_sets_delivered_arr_beside_the_plans() -> None:
    ev = evaluated(STAFFING_EXAMPLE)
    o = outlook(ev.result, ev.compiled.inputs)
    years = screen_report(ev, o).table(PRIMARY)
    assert [c.name for c in years.columns][:3] == ["period", "ending_arr", "arr_delivered"]
    assert years.column("period") == ["2027", "plan"]
    # 9 months: the year's last month and the plan's last month are month 8
    assert years.column("arr_delivered") == [pytest.approx(float(o.likely_arr[8]))] * 2
    assert years.column("arr_delivered")[0] < years.column("ending_arr")[0]


def test_years_report_is_the_screens_primary_table_without_a_simulation() -> None:
    ev = evaluated(_managed_plan(extra_heads=0))
    o = outlook(ev.result, ev.compiled.inputs)
    alone = years_report(ev, o)
    assert "_worlds" not in vars(o) and "_ends" not in vars(o)  # nothing simulated for it
    screen = screen_report(ev, o)
    assert alone.tables == (screen.table(PRIMARY),)
    assert (alone.kind, alone.title, alone.meta) == (screen.kind, screen.title, screen.meta)


def test_people_table_has_a_row_a_role_and_hires_by_quarter() -> None:
    ev = evaluated(_managed_plan(extra_heads=0))
    v = ev.plan
    people = screen_report(ev, outlook(ev.result, ev.compiled.inputs)).table("people")
    names = [c.name for c in people.columns]
    assert names[:4] == ["role", "heads_start", "heads_end", "hires"]
    assert names[4:] == [f"hires_{y}_q{q}" for y in (2027,) for q in (1, 2, 3, 4)] + [
        "hires_2028_q1",
        "hires_2028_q2",
    ]
    assert people.column("role") == ["ae", "manager", "total"]
    for row in people.rows:
        assert row[3] == pytest.approx(sum(row[4:]))  # type: ignore[arg-type]
    assert people.rows[-1][3] == pytest.approx(float(v.starts[:, :18].sum()))


def test_long_plans_count_hires_by_year() -> None:
    data = plan({"ending_arr": 3_000_000}, roles={"ae": role({"stage": "won", "capacity": 8})})
    data["company"]["horizon_months"] = 48  # type: ignore[index]
    ev = evaluated(data)
    people = screen_report(ev, outlook(ev.result, ev.compiled.inputs)).table("people")
    assert [c.name for c in people.columns][4:] == [f"hires_{y}" for y in range(2027, 2031)]


def test_charts_arr_by_month_then_heads_and_funnel_with_every_table() -> None:
    from salesplan.engine.periods import Period
    from salesplan.report.plan import plan_report

    ev = evaluated(_managed_plan(extra_heads=0))
    o = outlook(ev.result, ev.compiled.inputs)
    (arr,) = screen_report(ev, o).charts
    full = plan_report(ev, o, Period.QUARTER)
    assert [c.name for c in full.charts] == ["arr", "heads", "stages"]
    # -t picks a table or a chart by name: no chart may share a table's.
    assert not {c.name for c in full.charts} & {t.name for t in full.tables}
    funnel = plan_report(ev, o, Period.QUARTER).chart("stages")
    assert arr.x_labels[0] == "2027-01" and len(arr.x_labels) == 18
    np.testing.assert_allclose(arr.series[0].values, o.likely_arr)
    assert funnel.x_labels == ("opp", "won")
    opp, won = funnel.series[0].values
    assert won == pytest.approx(opp * 0.5, rel=0.05)  # a 1:2 win rate, 10 days from entry


def test_stage_order_follows_every_motion() -> None:
    assert stage_order([["a", "b"], ["b", "c"], ["x", "c"]]) == ("a", "b", "x", "c")
    assert stage_order([["a", "b"], ["b", "a"]]) == ("a", "b")  # a cycle: first seen
    assert stage_order([]) == ()


def test_sentence_fields_must_match_parts() -> None:
    with pytest.raises(ValueError, match="2 field"):
        Sentence("{} and {}", ("one",))
    with pytest.raises(ValueError):
        Sentence("a {brace}", ())
    s = Sentence("{} hires for {}", (Figure(3, Kind.COUNT, exact=True), Figure(2.5e6, Kind.MONEY)))
    assert _text(s) == "3 hires for $2.5M"


def test_heads_at_confidence_are_said_with_the_roles_that_differ() -> None:
    """Series A: the worlds planned again need the plan's 37 people in 80% of cases, one
    AE more and one recruiter fewer (the per-role quantiles do not add up to the total's)."""
    from salesplan.api import evaluate
    from tests.paths import ROOT

    ev = evaluate(str(ROOT / "configs" / "series-a.yaml"))
    o = ev.outlook()
    assert o.trials == 500 and o.planned_worlds == 200
    said = [_text(s) for s in screen_report(ev, o).headline]
    line = next(x for x in said if x.startswith("80% of 200 replanned worlds"))
    total = int(o.total_at_confidence or 0)
    assert f"need at most {total} people at the end, as many in all (" in line
    assert o.heads_at_confidence is not None
    for r, name in enumerate(ev.plan.structure.roles):
        diff = int(o.heads_at_confidence[r] - ev.plan.heads[r, ev.plan.months - 1])
        if diff:
            assert f"{name} {diff:+d}" in line


def test_with_nothing_at_risk_the_screen_names_the_tightest_role() -> None:
    from salesplan.api import evaluate
    from tests.paths import ROOT

    ev = evaluate(str(ROOT / "configs" / "series-b.yaml"))
    said = [_text(s) for s in screen_report(ev, ev.outlook()).headline]
    assert any(x.startswith("No role holds deals back: ") and x.endswith(".") for x in said)


def test_a_gap_a_cap_causes_names_the_cap() -> None:
    data = plan(
        {"ending_arr": 12_000_000},
        tiers={"smb": tier(1000.0, {"direct": motion(stage("opp", 0.5, 10))})},
        roles={
            "ae": role(
                {"stage": "won", "capacity": 8},
                opening_heads=2,
                hiring_lead_months=2,
                ramp_months=2,
                max_starts_per_month=1,
            )
        },
        horizon=18,
        growth=0.05,
    )
    ev = evaluated(data)
    o = outlook(ev.result, ev.compiled.inputs)
    capped = [g for g in o.gaps if g.capped]
    assert capped, "the test needs a gap the cap causes"
    said = [_text(s) for s in screen_report(ev, o).headline]
    assert any("max_starts_per_month (1 a month) holds its starts back" in x for x in said), said


def test_a_plan_sized_to_a_confidence_says_so_and_its_over_delivery() -> None:
    """Series A sized to 80% hires for more than the likely values need: the headline gives
    what it delivers against the target, and how it was sized instead of the heads at 80%
    (which would be its own heads again)."""
    from salesplan.api import evaluate
    from tests.paths import ROOT

    ev = evaluate(str(ROOT / "configs" / "series-a.yaml")).at_confidence(0.8)
    o = ev.outlook()
    said = [_text(s) for s in screen_report(ev, o).headline]
    assert o.share > 1
    assert any("against the $6,000,000 target (" in x for x in said), said
    assert not any(x.startswith("For 80% odds") for x in said)
    sized = next(x for x in said if x.startswith("Sized to reach the target in 80% of worlds"))
    assert ev.confidence is not None
    assert f"the {round(100 * ev.confidence.quantile)}% quantile" in sized


def test_a_short_year_is_noted_under_the_money_by_year() -> None:
    from salesplan.api import evaluate
    from tests.paths import ROOT

    ev = evaluate(str(ROOT / "configs" / "seed.yaml"))  # 18 months from 2027-01
    years = screen_report(ev, ev.outlook()).table(PRIMARY)
    assert years.notes == ("2028 is 6 months (2028-01 to 2028-06).",)
