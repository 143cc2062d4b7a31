"""docs/model.md cannot drift from the engine: every worked example in it is run here.

Each test takes an example's inputs (a whole plan written in the document, or the inputs the
document states), runs the engine, formats the results the way the document prints them
and asserts that those lines are in the document's section.  A change to the engine that
moves a number, or an edit of the document that changes one, fails here.
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import numpy as np
import pytest
import yaml

from salesplan.engine.compile import ramp_curve
from salesplan.engine.cost import head_cost, work_shares
from salesplan.engine.forward import fixed_plan, run_forward
from salesplan.engine.periods import Period, spans
from salesplan.engine.quota import first_year_quota, quota_coverage
from salesplan.engine.simulate import at_confidence, pert, triangular
from salesplan.engine.staffing import forward as replay
from salesplan.engine.staffing import monthly_attrition
from salesplan.engine.structure import month_labels
from salesplan.pipeline import Evaluation, run_plan
from salesplan.problems import has_errors
from salesplan.report.comp import comp_report
from salesplan.report.economics import economics_report
from salesplan.report.plan import hires_table
from salesplan.report.pods import pods_report
from tests.engine.plans import evaluated, motion, plan, role, stage, tier
from tests.paths import ROOT

MODEL = ROOT / "docs" / "model.md"


@cache
def text() -> str:
    """Return docs/model.md."""
    return MODEL.read_text("utf-8")


def section(number: int) -> str:
    """Return the text of section ``number`` (from its ``## N.`` heading to the next)."""
    parts = re.split(r"^## ", text(), flags=re.M)
    (found,) = [p for p in parts if p.startswith(f"{number}. ")]
    return found


def words(s: str) -> str:
    """Return ``s`` with every run of white space made one space (line breaks and the
    alignment of columns are the document's to choose)."""
    return " ".join(s.split())


def shows(number: int, *lines: str) -> None:
    """Assert that section ``number`` contains every one of ``lines`` (white space aside)."""
    body = words(section(number))
    for line in lines:
        assert words(line) in body, f"docs/model.md §{number} should show: {line!r}"


@cache
def example_plans() -> dict[str, str]:
    """Return every plan written in the document (```yaml blocks), by company name."""
    out = {}
    for block in re.findall(r"```yaml\n(.*?)```", text(), re.S):
        out[yaml.safe_load(block)["company"]["name"]] = block
    return out


def example(name: str, extra: str = "") -> Evaluation:
    """Take the document's plan ``name`` (with ``extra`` YAML appended) along the route."""
    checked = run_plan(f"{name}.yaml", text=(example_plans()[name] + extra).encode())
    assert checked.evaluation is not None, [str(p) for p in checked.problems]
    return checked.evaluation


def num(x: float, digits: int = 0) -> str:
    """Return ``x`` with thousands separators and ``digits`` decimals, as the document does."""
    return f"{x:,.{digits}f}"


def g(x: float) -> str:
    """Return ``x`` in its shortest form (float noise rounded away)."""
    return f"{round(float(x), 6):g}"


def key(x: float) -> str:
    """Return a whole number as a plan file writes it: ``2_400_000``."""
    return f"{int(x):_}"


# -- the plans in the document ---------------------------------------------------------------


def test_the_document_holds_its_example_plans() -> None:
    assert set(example_plans()) == {
        "Recurrence example",
        "Blueprints example",
        "Staffing example",
        "Pods example",
        "Costs example",
        "Forwards example",
        "Whole cost example",
        "Seasonality example",
        "Quota example",
        "Hiring limits example",
        "Confidence example",
    }


@pytest.mark.parametrize("name", sorted(example_plans()))
def test_every_example_plan_passes_check(name: str) -> None:
    checked = run_plan(f"{name}.yaml", text=example_plans()[name].encode())
    assert not has_errors(checked.problems), [str(p) for p in checked.problems]


# -- 1. Revenue --------------------------------------------------------------------------------


def test_revenue_recurrence() -> None:
    v = example("Recurrence example").plan
    r, p = v.revenue, v.params
    c, e = float(p.churn_rate_monthly[0]), float(p.expansion_rate_monthly[0])
    m0, c0, price = float(p.opening_mrr[0]), float(p.opening_customers[0]), p.mrr_per_customer[0]
    n0, n1 = r.new_mrr[0, :2]
    mrr0, mrr1 = r.mrr[0, :2]
    shows(
        1,
        f"month 0: N = {num(n0)} W = {num(n0)} / {num(price)} = {g(r.new_customers[0, 0])}",
        f"MRR = {num(m0)} × {g(1 - c)} × {g(1 + e)} + {num(n0)} = {num(mrr0)}",
        f"(churned {num(r.churned_mrr[0, 0])}, expansion {num(r.expansion_mrr[0, 0])})",
        f"C   = {g(c0)} × {g(1 - c)} + {g(r.new_customers[0, 0])} = {g(r.customers[0, 0])}",
        f"(churned {g(r.churned_customers[0, 0])})",
        f"month 1: N = {num(n0)} × {g(1 + p.growth_rate_monthly)} = {num(n1)}",
        f"W = {g(r.new_customers[0, 1])}",
        f"MRR = {num(mrr0)} × {g(1 - c)} × {g(1 + e)} + {num(n1)} = {num(mrr1, 2)}",
        f"C   = {g(r.customers[0, 0])} × {g(1 - c)} + {g(r.new_customers[0, 1])} = "
        f"{g(r.customers[0, 1])}",
    )


def test_the_78_rule() -> None:
    v = example("Blueprints example").plan
    r = v.revenue
    target, n = float(v.params.target_value), float(r.new_mrr_solved)
    assert r.mrr[:, :12].sum() == pytest.approx(target)
    price = float(v.params.mrr_per_customer[0])
    shows(
        1,
        f"first-year revenue target of ${num(target)} needs",
        f"n = {num(target)} / 78 = {num(n)} new MRR a month",
        f"At `mrr: {g(price)}` that is {num(n)} / {g(price)} = {g(r.new_customers[0, 0])} new "
        "customers a month",
        f"12 × 12 × {num(n)} = {num(12 * r.mrr[0, 11])}",
    )


def one_tier(target: dict[str, float], growth: float = 0.0, **kw: Any) -> Evaluation:
    """Return a one-tier plan at mrr 500 with no churn, 12 months (§1's examples)."""
    return evaluated(plan(target, {"smb": tier(500, **kw)}, horizon=12, growth=growth))


def test_solving_n_for_each_target() -> None:
    ending, opening = 2_400_000, 1_200_000
    v = one_tier({"ending_arr": ending}, opening_arr=opening).plan
    n = float(v.revenue.new_mrr_solved)
    assert 12 * v.revenue.mrr[:, 11].sum() == pytest.approx(ending)
    shows(
        1,
        "one-tier plan at `mrr: 500` with no churn or expansion and a 12-month",
        f"ending_arr: {key(ending)} with opening_arr: {key(opening)}:",
        f"base[11] = {num(opening / 12)}, unit[11] = 12, "
        f"n = ({num(ending / 12)} - {num(opening / 12)}) / 12 = {num(n, 2)}",
    )
    bookings, growth = 1_200_000, 0.02
    v = one_tier({"new_arr_per_year": bookings}, growth).plan
    n = float(v.revenue.new_mrr_solved)
    powers = float(((1 + growth) ** np.arange(12)).sum())
    assert 12 * v.revenue.new_mrr[:, :12].sum() == pytest.approx(bookings)
    shows(
        1,
        f"new_arr_per_year: {key(bookings)} with growth_rate: {g(growth)}:",
        f"Σ g^t = {powers:.4f}, n = {num(bookings)} / (12 × {powers:.4f}) = {num(n, 2)}",
    )


def test_fixed_new_mrr() -> None:
    fixed = 2_000
    tiers = {"smb": tier(500, share=1.0), "partner": tier(1000, new_mrr=fixed)}
    v = evaluated(plan({"new_mrr_per_month": 10_000}, tiers, horizon=12)).plan
    n = float(v.revenue.new_mrr_solved)
    assert v.revenue.new_mrr[:, 0].tolist() == [n, fixed]
    ending = 2_400_000
    e = evaluated(plan({"ending_arr": ending}, tiers, horizon=12)).plan
    assert 12 * e.revenue.mrr[:, 11].sum() == pytest.approx(ending)
    shows(
        1,
        f"With a second tier `partner` at `new_mrr: {key(fixed)}`:",
        f"new_mrr_per_month: 10_000:                 n = 10,000 - {num(fixed)} = {num(n)}",
        f"ending_arr: {key(ending)} (no opening ARR):    12 × 12 × (n + {num(fixed)}) = "
        f"{num(ending)}, n = {num(float(e.revenue.new_mrr_solved), 2)}",
    )


def test_a_target_already_met() -> None:
    data = plan({"ending_arr": 2_400_000}, {"smb": tier(500, opening_arr=3_000_000)}, horizon=12)
    checked = run_plan("met.yaml", text=yaml.safe_dump(data).encode())
    (problem,) = [p for p in checked.problems if p.code == "SP300"]
    shows(
        1,
        "With `opening_arr: 3_000_000`, no churn and\n`ending_arr: 2_400_000`, "
        "`n = (200,000 - 250,000) / 12 < 0`",
        f"SP300 error: {problem.message}",
    )


# -- 2. Funnel ---------------------------------------------------------------------------------


def test_blueprints_funnel() -> None:
    v = example("Blueprints example").plan
    f = v.funnel
    wins = f.wins[:, 0]  # inbound, outbound
    volume, lag, opening = f.volume[:, 0], float(f.lag[0]), f.opening
    shares = v.params.cell_share
    total = float(v.revenue.new_customers[0, 0])
    n, price = float(v.revenue.new_mrr_solved), float(v.params.mrr_per_customer[0])
    shows(
        2,
        f"n = 780,000 / 78 = {num(n)}; W = {num(n)} / {g(price)} = {g(total)} new customers",
        f"inbound:  W = {g(shares[0])} × {g(total)} = {g(wins[0])}, "
        f"V_sql = {g(wins[0])} / 0.25 = {g(volume[0])} SQLs a month",
        f"outbound: W = {g(shares[1])} × {g(total)} = {g(wins[1])},  "
        f"V_sql = {g(wins[1])} / 0.25 = {g(volume[1])} SQLs a month    "
        f"(together {g(volume.sum())})",
        f"L_sql = 21 / 30.4375 = {lag:.2f} months",
        f"opening pipeline: inbound {g(volume[0])} × {lag:.2f} = {opening[0]:.1f} SQLs, "
        f"outbound {g(volume[1])} × {lag:.2f} = {opening[1]:.1f} SQLs",
    )


def test_growth_and_fractional_lags() -> None:
    steps = motion(stage("mql", 0.5, 30.4375), stage("sql", 0.25, 15.21875))
    runs = {}
    for growth in (0.0, 0.1):
        data = plan({"new_mrr_per_month": 10_000}, {"smb": tier(1000, {"direct": steps})})
        data["target"]["growth_rate"] = growth
        runs[growth] = evaluated(data).plan.funnel
    flat, grown = runs[0.0], runs[0.1]
    assert flat.lag[:].tolist() == [1.5, 0.5] and flat.to_win.tolist() == [0.125, 0.25]
    shows(
        2,
        "`{name: mql, rate: 0.5, days: 30.4375}` then\n`{name: sql, rate: 0.25, days: 15.21875}`",
        f"{g(flat.wins[0, 0])} wins in month 0, `L = {g(flat.lag[0])}` and `{g(flat.lag[1])}` "
        f"months, `Q = {g(flat.to_win[0])}` and\n`{g(flat.to_win[1])}`",
        f"V_mql = 10 / 0.125 = {g(flat.volume[0, 0])}, V_sql = 10 / 0.25 = "
        f"{g(flat.volume[1, 0])} every month",
        f"O_mql = 80 × 1.5 = {g(flat.opening[0])}, O_sql = 40 × 0.5 = {g(flat.opening[1])}",
        f"W(1.5) = 10 × 1.1 × (1 + 0.5 × 0.1) = {g(grown.volume[0, 0] * 0.125)}, "
        f"V_mql[0] = {g(grown.volume[0, 0] * 0.125)} / 0.125 = {g(grown.volume[0, 0])}",
        f"V_sql[0] = {g(grown.volume[1, 0] * 0.25)} / 0.25 = {g(grown.volume[1, 0])}",
        f"O_mql = 80 × ((1 + 1.1) / 2 + 1.1 × (0.5 + 0.25 × 0.1 / 2)) = {g(grown.opening[0])}",
        f"O_sql = 40 × (0.5 + 0.25 × 0.1 / 2) = {g(grown.opening[1])}",
    )


# -- 3. Work -----------------------------------------------------------------------------------


def test_work_of_each_driver() -> None:
    v = example("Blueprints example").plan
    roles = list(v.structure.roles)
    ae, sdr, csm, manager = (roles.index(r) for r in ("ae", "sdr", "csm", "manager"))
    capacity = float(v.params.driver_capacity[ae])
    need = v.need_by_cell[:, :, 0]  # [role, cell] in month 0
    heads = v.heads[:, 0]
    shows(
        3,
        f"capacity = 500,000 × 0.7 / 12 = {num(capacity, 2)} new ARR a month",
        f"work = {g(v.revenue.new_customers[0, 0])} deals × 12 × 500 = "
        f"{num(v.revenue.new_customers[0, 0] * 12 * 500)} new ARR",
        f"need = 120,000 / {num(capacity, 2)} = {need[ae].sum():.2f} FTE "
        f"(inbound {need[ae, 0]:.2f}, outbound {need[ae, 1]:.2f})",
        f"need = 32 outbound SQLs / 12 = {need[sdr].sum():.2f} FTE (all outbound)",
        f"20 customers / 40 = {g(need[csm].sum())} FTE (inbound {g(need[csm, 0])}, outbound "
        f"{g(need[csm, 1])}); 240 customers by month 11: {v.need[csm, 11]:.1f} FTE",
        f"({g(heads[ae])} ae + {g(heads[sdr])} sdr heads) / 8 = {need[manager].sum():.1f} FTE "
        f"(inbound {g(need[manager, 0])}, outbound {g(need[manager, 1])})",
    )
    shows(
        3,
        f"inbound is 3 / 8 = {g(need[manager, 0])} and outbound (2 + 3) / 8 = "
        f"{g(need[manager, 1])}",
    )
    assert need[sdr, 0] == 0 and v.revenue.customers[0, 11] == pytest.approx(240)


# -- 4. Staffing -------------------------------------------------------------------------------


def test_ramp_and_attrition_rates() -> None:
    assert ramp_curve(3, None, 4).tolist() == ramp_curve(0, [0.25, 0.5, 0.75, 1.0], 4).tolist()
    monthly = float(monthly_attrition(np.array(0.3)))
    shows(
        4,
        "`ramp_months: 3` and `ramp_curve: [0.25, 0.5, 0.75, 1]` are the same ramp",
        f"`attrition_rate: 0.3` is\n{monthly:.4%} a month",
    )


def accruals(v: Any) -> list[float]:
    """Return the attrition accrued in each month of §4's example, before departures leave."""
    m = float(monthly_attrition(v.params.attrition_rate_annual[0]))
    out, acc, previous, left = [], 0.0, float(v.params.opening_heads[0]), 0.0
    for t in range(v.months):
        acc = acc - left + previous * m
        out.append(acc)
        left, previous = float(v.departures[0, t]), float(v.heads[0, t])
    return out


def test_staffing_month_by_month() -> None:
    ev = example("Staffing example")
    v = ev.plan
    m = float(monthly_attrition(v.params.attrition_rate_annual[0]))
    labels = month_labels(v.structure.start, v.months)
    rows = [" t  month       acc  departures  starts  heads  capacity  gap  reqs opened"]
    for t, acc in enumerate(accruals(v)):
        departures = float(v.departures[0, t])
        previous = v.heads[0, t - 1] if t else v.params.opening_heads[0]
        assert departures == min(np.floor(acc + 1e-9), previous)  # the accrual's whole part
        gap = float(v.gap[0, t])
        shown = f"{gap:.1f}" if gap > 0 else "—"
        rows.append(
            f"{t:>2}  {labels[t]}  {acc:6.4f}  {departures:>10.0f}  {v.starts[0, t]:>6.0f}  "
            f"{v.heads[0, t]:>5.0f}  {v.capacity[0, t]:>8.1f}  {shown:>3}  "
            f"{v.reqs_opened[0, t]:>11.0f}"
        )
    shows(4, *rows)
    acc = accruals(v)
    shows(
        4,
        f"`need = {g(v.need[0, 0])}` FTE every month",
        f"due from month `h + R = {int(v.covered_from[0])}`",
        f"`m = 1 - 0.5^(1/12) = {m:.5f}`",
        f"({acc[1]:.4f} + 2 × {m:.5f} = {acc[1] + 2 * m:.4f})",
        f"{acc[5]:.4f} + 3 × {m:.5f} = {acc[5] + 3 * m:.4f}, one person",
        f"the accrual {acc[5]:.4f} + 4 × {m:.5f} = {acc[5] + 4 * m:.4f}, one leaves",
        f"the accrued {acc[6]:.4f} sends one person",
        f"the fraction {acc[6] - 1:.4f}\n  carries on",
    )
    (gap,) = [p for p in ev.problems if p.code == "SP301"]
    assert "opened by 2026-11" in gap.message
    shows(4, "the requisition should have opened by month `0 - 2`, 2026-11")
    assert v.starts[0, : v.months].tolist() == [0, 1, 0, 0, 0, 1, 0, 0, 0]
    # Every start is needed: without either one, a month from h + R on falls short.
    p = v.params
    covered = slice(int(v.covered_from[0]), v.months + int(p.ramp_months[0]))
    for month in (1, 5):
        fewer = v.starts[:1].copy()
        fewer[0, month] -= 1
        _, capacity = replay(
            fewer,
            p.opening_heads[:1],
            p.attrition_rate_annual[:1],
            p.ramp_fraction[:1],
            p.ramp_months[:1],
        )
        assert (capacity[0, covered] < v.need[0, covered] - 1e-9).any(), month


def test_an_open_requisition_closes_the_gap() -> None:
    v = example("Staffing example", "    open_requisitions: 1\n").plan
    assert float(v.params.open_reqs[0]) == 1 and float(v.reqs_before[0]) == 1
    assert v.starts[0, 0] == 1 and not v.gap[0].any()
    shows(
        4,
        "With `open_requisitions: 1` the same role starts one person in month 0",
        f"capacity in month 0 is 2 + 0.5 = {g(v.capacity[0, 0])} and there is no gap",
    )


# -- 5. Pods -----------------------------------------------------------------------------------


def test_pods_and_slack() -> None:
    ev = example("Pods example")
    report = pods_report(ev)
    pods = {r["role"]: r for r in report.table("pods").records()}
    slack = {r["role"]: r for r in report.table("pod_slack").records()}
    (template,) = report.table("pod_templates").records()
    need = {role: pods[role]["need_fte"] for role in pods}
    members = {role: pods[role]["members"] for role in pods}
    shows(
        5,
        f"ae   need = 10 wins / 4 = {g(need['ae'])} FTE        {g(need['ae'])} / "
        f"{g(members['ae'])}   = {g(need['ae'] / members['ae'])}",
        f"sdr  need = 40 SQLs / 12 = {need['sdr']:.2f} FTE      {need['sdr']:.2f} / "
        f"{g(members['sdr'])} = {need['sdr'] / members['sdr']:.2f}",
        f"P = ceil({g(need['ae'])}) = {g(template['pods'])} pods, set by {template['sets_pods']}",
        f"heads by pod: ae {g(template['pods'])} × 1 = {g(slack['ae']['pod_heads'])}, "
        f"sdr ceil({g(template['pods'])} × 1.5) = {g(slack['sdr']['pod_heads'])}      "
        f"({g(slack['total']['pod_heads'])})",
        f"heads by role: ae ceil({g(need['ae'])}) = {g(slack['ae']['role_heads'])}, "
        f"sdr ceil({need['sdr']:.2f}) = {g(slack['sdr']['role_heads'])}    "
        f"({g(slack['total']['role_heads'])})",
        f"slack: {g(slack['total']['slack_heads'])} head (an SDR); idle: ae "
        f"{slack['ae']['idle_fte']:.1f}, sdr {slack['sdr']['idle_fte']:.2f} FTE",
    )
    by_pod = example("Pods example", "staffing: pod\n").plan
    sdr = list(by_pod.structure.roles).index("sdr")
    shows(
        5,
        f"With `staffing: pod` this plan staffs {g(by_pod.heads[sdr, 0])} SDRs; with "
        f"`staffing: role`, {g(ev.plan.heads[sdr, 0])}.",
    )


# -- 6. Cost, CAC and CRC ----------------------------------------------------------------------


def test_loaded_cost_of_a_head() -> None:
    cost = float(head_cost(*(np.array(x) for x in (130_000.0, 0.5, 1.0, 0.2, 250.0))))
    shows(
        6,
        "`ote: 130_000`, `base_share: 0.5`, `burden_rate: 0.2`, `tools_per_month: 250`",
        f"(65,000 + 65,000 × 1) / 12 × 1.2 + 250 = {num(cost)} a month",
    )


def test_attribution_example() -> None:
    need = np.array([[[[1.0, 0.0, 2.0], [1.0, 0.0, 0.0]]]])
    even = np.array([[0.5, 0.5]])
    shares = work_shares(need, even)[0, 0]
    totals = (shares * np.array([10.0, 20.0, 40.0])).sum(axis=1)
    shows(
        6,
        "need `[1, 0, 2]` in cell A and `[1, 0, 0]` in cell B",
        f"sends {g(shares[0, 0])}, {g(shares[0, 1])} and {g(shares[0, 2])} of its cost to A",
        f"and {g(shares[1, 0])}, {g(shares[1, 1])} and {g(shares[1, 2])} to B",
        f"A gets {g(totals[0])} and B {g(totals[1])}",
    )


def test_unit_economics_example() -> None:
    ev = example("Costs example")
    by_month = economics_report(ev, Period.MONTH)
    first, second = by_month.table("economics").records()[:2]
    (entries,) = [r for r in by_month.table("marketing").records() if r["period"] == "2027-01"]
    mrr = ev.plan.revenue.mrr[0]
    shows(
        6,
        f"3 new customers from {g(entries['entries'])} entries",
        f"marketing   = 100 × {g(entries['entries'])} + 400 = {num(first['marketing_cost'])};  "
        f"ae = 24,000 / 12 = {num(first['sales_cost'])};  "
        f"acquisition = {num(first['acquisition_cost'])}",
        f"CAC         = {num(first['acquisition_cost'])} / {g(first['new_customers'])} = "
        f"{num(first['cac'])}",
        f"CRC         = {num(first['retention_cost'])} / {g(first['average_customers'])} customers "
        f"= {first['crc']:.2f};  CRC / revenue = {num(first['retention_cost'])} / {num(mrr[0])} = "
        f"{first['crc_revenue_rate']:.2%}",
        f"CAC payback = {num(first['cac'])} / (500 × 0.8) = {g(first['payback_months'])} months",
        f"LTV = 500 × 0.8 / 0.02 = {num(first['ltv'])}; capped at 5 years: 400 × (1 - 0.98^60) "
        f"/ 0.02 = {num(first['ltv_capped'])}",
        f"LTV : CAC = {num(first['ltv_capped'])} / {num(first['cac'])} = "
        f"{first['ltv_cac']:.1f} (on the capped LTV)",
        "magic number: n/a in month 0 (the first period)",
        f"month 1: net new ARR = 12 × ({num(mrr[1])} - {num(mrr[0])}) = "
        f"{num(second['net_new_arr'])}; magic number = {num(second['net_new_arr'])} / 4,000 = "
        f"{g(second['magic_number'])}",
    )
    assert "first period" in first["magic_number"].reason
    sm = first["acquisition_cost"] + first["retention_cost"]
    assert sm == 4_000
    quarter = economics_report(ev, Period.QUARTER).table("economics").records()[0]
    customers = ev.plan.revenue.customers[0, :3]
    shows(
        6,
        f"the first quarter's CRC is {num(quarter['retention_cost'])} / "
        f"{quarter['average_customers']:.2f} = {quarter['crc']:.2f} per customer",
        f"average of {g(customers[0])}, {g(customers[1])} and {customers[2]:.2f} customers",
    )


# -- 7. Compensation ---------------------------------------------------------------------------


def test_compensation_example() -> None:
    comp = {"ote": 130_000, "base_share": 0.5, "quota": 650_000}
    roles = {"ae": role({"stage": "won", "measure": "new_arr"}, comp=comp)}
    ev = evaluated(plan({"new_mrr_per_month": 10_000}, roles=roles))
    (row,) = comp_report(ev).table("comp").records()
    shows(
        7,
        "`ote: 130_000`,\n`base_share: 0.5`, `quota: 650_000`",
        f"base = {num(row['base'])}; variable = {num(row['variable'])}; commission rate = "
        f"{num(row['variable'])} / {num(row['quota'])} = {row['commission_rate']:.1%}; "
        f"quota : OTE = {row['quota_ote']:.1f}",
    )


# -- 9. Forwards, simulation and sensitivity ---------------------------------------------------


def test_forwards_example() -> None:
    ev = example("Forwards example")
    result, v = ev.result, ev.plan
    fwd = run_forward(result.structure, result.params, fixed_plan(result))
    likely = ev.simulate(trials=1, seed=0).at_likely
    capacity, need = v.capacity[0, 0], v.need[0, 0]
    starts = np.nonzero(v.starts[0, : v.months])[0].tolist()
    shows(
        9,
        f"10 wins a month need 10 / 2 = {g(need)} AEs; {g(v.params.opening_heads[0])} at the "
        f"start, the fifth starts in month {starts[0]}",
        f"capacity gaps of {g(v.gap[0, 0])} FTE in months 0 and 1; "
        f"{g(v.revenue.new_customers[0, : v.months].sum())} new customers in 12 months",
        f"load {g(need)} > capacity {g(capacity)}, the AEs pass {g(capacity)} / {g(need)} = "
        f"{capacity / need:.0%}: {g(fwd.wins[0, 0, 0])} wins each",
        f"{g(likely['new_customers'])} new customers; new MRR in month 0 is "
        f"{num(likely['target'])}, short of the {num(float(v.params.target_value))} target",
    )
    assert fwd.wins[0, 0, 1] == fwd.wins[0, 0, 0] and starts == [2]


def test_draws() -> None:
    low, likely, high = 0.55, 0.7, 0.8
    alpha = 1 + 4 * (likely - low) / (high - low)
    beta = 1 + 4 * (high - likely) / (high - low)
    mean_pert = (low + 4 * likely + high) / 6
    mean_triangular = (low + likely + high) / 3
    rng = np.random.default_rng(0)
    assert pert(rng, low, likely, high, 400_000).mean() == pytest.approx(mean_pert, abs=5e-4)
    drawn = triangular(rng, low, likely, high, 400_000).mean()
    assert drawn == pytest.approx(mean_triangular, abs=5e-4)
    assert alpha / (alpha + beta) * (high - low) + low == pytest.approx(mean_pert)
    shows(
        9,
        f"`attainment:\n{{low: {g(low)}, likely: {g(likely)}, high: {g(high)}}}`",
        f"`α = {g(alpha)}`, `β = {g(beta)}`, mean {mean_pert:.4f}",
        f"(triangular: {mean_triangular:.4f})",
    )


def test_heads_at_confidence() -> None:
    worlds = np.array([[1.0], [2.0], [3.0], [4.0], [5.0]])
    heads = at_confidence(worlds, 0.8)
    shows(9, f"1, 2, 3, 4 and 5 heads give {g(heads[0])} at confidence 0.8")


def test_sensitivity_example() -> None:
    ev = example("Forwards example")
    result = ev.sensitivity(0.2)
    (i,) = [i for i, c in enumerate(result.cases) if c.input.label == "ae capacity (won)"]
    case = result.cases[i]
    low, high = result.swung["heads"][2 * i : 2 * i + 2]
    at_plan = result.plan["heads"]
    effect = max(low, high, at_plan) - min(low, high, at_plan)
    shows(
        9,
        f"the AE capacity of 2 swings to {g(case.low)} and {g(case.high)}",
        f"10 / {g(case.low)} =\n{10 / case.low:.2f} FTE takes {g(low)} heads at the end and "
        f"10 / {g(case.high)} = {10 / case.high:.2f} takes {g(high)}, against the plan's "
        f"{g(at_plan)}, an\neffect of {g(effect)} heads",
    )


# -- links -------------------------------------------------------------------------------------


def slugs(markdown: str) -> set[str]:
    """Return the anchors GitHub makes of a document's headings."""
    seen: dict[str, int] = {}
    out = set()
    in_code = False
    for line in markdown.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        if in_code or not line.startswith("#"):
            continue
        title = line.lstrip("#").strip().lower()
        slug = re.sub(r"[^\w\- ]", "", title).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        out.add(slug if not count else f"{slug}-{count}")
    return out


@pytest.mark.parametrize(
    "name", ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
)
def test_links_resolve_in_the_repository(name: str) -> None:
    # The repository stands alone: the README and the docs link only within it.
    doc = ROOT / name
    for target in re.findall(r"\]\(([^)\s]+)\)", doc.read_text("utf-8")):
        assert "://" not in target, f"{name} links outside the repository: {target}"
        path, _, anchor = target.partition("#")
        file = (doc.parent / path).resolve() if path else doc
        assert file.exists() and ROOT in (file, *file.parents), f"{name}: no such file {target}"
        if anchor:
            assert anchor in slugs(file.read_text("utf-8")), f"{name}: no heading #{anchor}"


@pytest.mark.parametrize(
    "name", ["README.md", *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "docs").glob("*.md"))]
)
def test_no_web_address_anywhere(name: str) -> None:
    # Not in a code block either: a snippet to copy names no site the reader may not have.
    assert not re.findall(r"\b[a-z]+://\S+", (ROOT / name).read_text("utf-8"))


@pytest.mark.parametrize("name", ["docs/model.md", "docs/sources.md"])
def test_plain_markdown_without_html(name: str) -> None:
    # GitHub renders these pages as they are: no HTML outside code.
    body = re.sub(r"```.*?```", "", (ROOT / name).read_text("utf-8"), flags=re.S)
    body = re.sub(r"`[^`\n]*`", "", body)
    assert not re.findall(r"<[A-Za-z!/][^>]*>", body)


# -- §10: the whole cost and the board's figures ----------------------------------------------


def test_whole_cost_example() -> None:
    ev = example("Whole cost example")
    v = ev.plan
    roles = list(v.structure.roles)
    vp, ae, csm = (roles.index(r) for r in ("vp_sales", "ae", "csm"))
    per_head = v.costs.per_head
    assert v.costs.role_cost[vp, :12].sum() == pytest.approx(360_000)
    month = v.costs
    share_acq = month.role_acquisition[vp, 0]
    shows(
        10,
        f"The VP of Sales costs `300,000 / 12 × 1.2 = {num(per_head[vp])}` a month",
        f"the AE's {num(per_head[ae])} and the events' 1,000 of acquisition and the CSM's "
        f"{num(per_head[csm])} of retention",
        f"11/16 to acquisition ({num(share_acq)}) and 5/16 to retention "
        f"({num(month.role_retention[vp, 0])})",
        f"S&M cost = 10,000 + 5,000 + 30,000 + 1,000 = {num(month.total[0])} a month",
    )
    (row,) = [
        r
        for r in economics_report(ev, Period.MONTH).table("economics").records()
        if r["tier"] == "mm" and r["period"] == "2027-01"
    ]
    assert row["new_customers"] == pytest.approx(1.0)
    shows(10, f"CAC = (10,000 + 1,000 + 20,625) / 1 = {num(row['cac'])}")


def test_retention_and_capped_ltv_examples() -> None:
    from salesplan.engine.economics import capped_ltv, lagged, retention_12

    grr, nrr = retention_12(np.array(0.015), np.array(0.005))
    still = retention_12(np.array(0.0), np.array(0.0))
    assert [float(x) for x in still] == [1.0, 1.0]
    capped = float(capped_ltv(np.array(2_000.0), np.array(0.01), np.array(60.0)))
    shows(
        10,
        f"`(0.985 × 1.005)^12 = {float(nrr):.2%}`",
        f"(GRR `0.985^12 = {float(grr):.2%}`)",
        f"`2,000 × (1 - 0.99^60) / 0.01 = {num(capped)}` over 5 years, against "
        f"{num(2_000 / 0.01)} uncapped",
        f"monthly costs `1, 2, 3, 4` are counted as "
        f"`{', '.join(g(x) for x in lagged(np.array([1.0, 2.0, 3.0, 4.0]), 2))}`",
    )


def test_interviewing_and_recruiting_examples() -> None:
    from salesplan.engine.work import interview_hours

    starts = np.zeros((1, 1, 6))
    starts[0, 0, 3] = 8
    hours = interview_hours(starts, np.array([[2]]), np.array([[20.0]]))[0, 0]
    shows(
        10,
        f"Eight AE starts in month 3 with a two-month lead time and 20 hours each are "
        f"{num(hours.sum())} hours, {num(hours[1])} in each of months 1 and 2: half a 160-hour "
        "month",
        "Six starts in a month at three a recruiter need 2 FTE",
    )
    assert hours[1] / 160 == 0.5


# -- 11. The outlook -------------------------------------------------------------------------


def test_outlook_example() -> None:
    from salesplan.engine.outlook import outlook
    from salesplan.render.prose import sentence_text
    from salesplan.report.screen import actions

    ev = example("Staffing example")
    v = ev.plan
    o = outlook(ev.result, ev.compiled.inputs)
    (gap,) = o.gaps
    need, have = float(v.need[0, 0]), float(v.capacity[0, 0])
    price = float(v.params.mrr_per_customer[0])
    lost = o.at_risk[0] / 12 / price
    shows(
        11,
        f"month 0 has {have:.1f}: a gap of {need - have:.1f} FTE",
        f"{o.delivered / price:.0f} wins × {num(price)} = {num(o.delivered)}",
        f"against the {num(o.target)} target: {o.share:.1%}",
        f"{lost:.0f} more wins in month 0",
        f"{lost:.0f} × {num(price)} × 12 = {num(o.at_risk[0])} of new ARR",
        "probability      no input has a range: a point forecast",
    )
    said = [sentence_text(s, "USD", str) for s in actions(v, o)]
    assert said[0].startswith("Open 1 requisition in 2027-01")
    assert said[1].startswith(f"ae: up to {gap.worst_fte:.2f} FTE short in 2027-01, about $24k")
    shows(11, "ae: up to 0.50 FTE\n short in 2027-01, about $24k of new ARR at risk")


# -- §12: actuals: variance, realised rates, pace -------------------------------------------


def test_actuals_example() -> None:
    from salesplan.pipeline import run_actuals

    checked = run_plan(str(ROOT / "tests" / "plans" / "track" / "blueprints.yaml"))
    assert checked.evaluation is not None
    evaluation = checked.evaluation
    read = run_actuals(evaluation, str(ROOT / "tests" / "plans" / "track" / "blueprints-q1.csv"))
    assert read.actuals is not None
    actual = evaluation.actual_arrays(read.actuals)
    ytd = evaluation.track(actual, Period.MONTH)
    quarter = evaluation.track(actual, Period.QUARTER)
    assert ytd.new_mrr is not None and quarter.arr is not None
    new_plan, new_actual = float(ytd.new_mrr.plan[-1, -1]), float(ytd.new_mrr.actual[-1, -1])
    arr_plan, arr_actual = float(quarter.arr.plan[-1, 0]), float(quarter.arr.actual[-1, 0])
    r, p = ytd.rates, ytd.pace
    lag = 21 / 30.4375
    shows(
        12,
        f"new MRR, 2027 YTD {num(new_actual)} − {num(new_plan)} = "
        f"{num(new_actual - new_plan)}: {ytd.new_mrr.percent[-1, -1]:.0%}".replace("-", "−"),
        "ARR, 2027-Q1 "
        + f"12 × {num(arr_actual / 12)} = {num(arr_actual)} against "
        f"{num(arr_plan)}: {quarter.arr.percent[-1, 0]:.0%}".replace("-", "−"),
        f"λ = 21 / 30.4375 = {lag:.5f}",
        f"n = {1 - lag:.5f} × 50 + {lag:.5f} × 48 + {1 - lag:.5f} × 46 + {lag:.5f} × 50 = "
        f"{r.entered[0]:.3f}",
        f"s = 9 + 11 = {g(r.conversions[0])}, rate {r.rate[0]:.2%}, 90% interval "
        f"{r.low[0]:.2%}–{r.high[0]:.2%}: 25% inside",
        f"k = 0.25 × 0.75 × 3600 − 1 = {g(r.strength[0])}, (168.5 + 20) / "
        f"{r.strength[0] + r.entered[0]:.3f} = {r.blended[0]:.2%}",
        f"N̄ = {num(p.new_mrr[-1])}; 25,500 + 9 × 8,500 = {num(p.arr[-1, 0] / 12)} MRR at 2027-12:",
        f"ARR {num(p.arr[-1, 0])} against {num(p.plan_arr[-1, 0])} planned",
    )
    assert r.position[0] == 0


# -- §13: solve, bottlenecks and explain -----------------------------------------------------


def test_solve_examples() -> None:
    ev = example("Costs example")
    sm = ev.whole_plan.sm_cost
    n = float(ev.plan.revenue.new_mrr[0, 0])
    assert sm == pytest.approx(4.8 * n + 40_800)
    budget = ev.solve("target.new_mrr_per_month", "sm_cost<=50000")
    exact = (50_000 - 40_800) / 4.8
    assert budget.value is not None and abs(budget.value - exact) <= budget.tolerance
    assert budget.outcome is not None and budget.outcome <= 50_000
    shows(
        13,
        f"sm_cost = 12 × (0.4 n + 400 + 2,000 + 1,000) = 4.8 n + {num(sm - 4.8 * n)}",
        f"n = (50,000 - 40,800) / 4.8 = {num(exact, 2)}",
        f"searches `n` from {num(budget.low)} to {num(budget.high)}",
        f"S&M cost {budget.trend} with it, and answers {num(budget.value, 3)}",
        f"tolerance of {g(budget.tolerance)}",
    )
    fwd = example("Forwards example").solve("roles.ae.drivers.0.capacity", "new_customers>=120")
    assert fwd.value is not None and abs(fwd.value - 2.5) <= fwd.tolerance
    shows(13, f"answers {g(fwd.value)} (tolerance {fwd.tolerance:.0e})")


def _paid_forwards() -> Evaluation:
    """Return the forwards example with its AE paid as §13 says."""
    data = yaml.safe_load(example_plans()["Forwards example"])
    data["roles"]["ae"]["comp"] = {
        "ote": 120_000,
        "base_share": 1.0,
        "burden_rate": 0,
        "cost_per_hire": 5_000,
    }
    checked = run_plan("paid.yaml", text=yaml.safe_dump(data).encode())
    assert checked.evaluation is not None
    return checked.evaluation


def test_bottleneck_example() -> None:
    from salesplan.report.bottleneck import bottleneck_line

    ev = _paid_forwards()
    b, v = ev.bottlenecks, ev.plan
    per_head = float(v.costs.per_head[0])
    first = b.utilisation[0, 0]
    assert b.binding[:2].tolist() == [0, 0] and b.short[0].nonzero()[0].tolist() == [0, 1]
    shows(
        13,
        f"utilisation 5 / 4 = {first:.0%}: ae binds; forwards wins "
        f"{g(v.funnel.wins[0, 0] - b.lost_wins[0])} of the plan's {g(v.funnel.wins[0, 0])}",
        f"wins lost {g(b.lost_wins[0])} a month, new ARR lost 12 × 2 × 1,000 = "
        f"{num(b.lost_new_arr[0])} a month",
        f"one more AE from month 0: adds {num(b.extra_new_arr[0, 0])} of new ARR for "
        f"12 × {num(per_head)} + 5,000 = {num(b.extra_cost[0, 0])}",
        f"one more AE from month 1: adds {num(b.extra_new_arr[0, 1])} for 11 × 10,000 + 5,000 = "
        f"{num(b.extra_cost[0, 1])}",
        bottleneck_line(ev),
    )
    assert b.extra_new_arr[0, 2:].max() == 0.0


def test_explain_example() -> None:
    from salesplan.choices import OutputFormat
    from salesplan.render.tree import render_tree
    from salesplan.report.explain import explain_tree

    checked = run_plan("example.yaml", text=example_plans()["Blueprints example"].encode())
    assert checked.evaluation is not None
    ev = checked.evaluation
    block = re.search(
        r"\$ salesplan explain example.yaml (.*?) --depth (\d)\n(.*?)```", section(13), re.S
    )
    assert block is not None
    words, depth, shown = block.group(1), int(block.group(2)), block.group(3)
    tree = explain_tree(ev, ev.explain(words.split(), depth), "example.yaml")
    printed = iter(render_tree(tree, OutputFormat.TABLE, width=100).splitlines())
    for line in shown.splitlines():
        assert any(line == out for out in printed), f"docs/model.md §13 shows {line!r}"


# -- §14: seasonality, ramped quotas, hiring limits and confidence ---------------------------

JULY_ON = "seasonality: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]\n"


def test_seasonality_example() -> None:
    flat = example("Seasonality example").plan
    bent = example("Seasonality example", JULY_ON).plan
    for v in (flat, bent):
        assert 12 * v.revenue.mrr[0, 11] == pytest.approx(1_440_000)
    n_flat, n_bent = float(flat.revenue.new_mrr_solved), float(bent.revenue.new_mrr_solved)
    july = float(bent.revenue.new_mrr[0, 6])
    assert bent.revenue.new_mrr[0, :6].sum() == 0
    shows(
        14,
        f"n = (1,440,000 / 12) / 12 = {num(n_flat)} new MRR a month",
        f"first-year revenue = 78 × {num(n_flat)} = {num(flat.revenue.mrr[0, :12].sum())}; "
        f"exit ARR {num(12 * flat.revenue.mrr[0, 11])}",
        f"`{JULY_ON.strip()}`".replace("`", "") + ", weights 2 from July",
        f"the same 120,000 of new MRR at {num(july)} a month from July: n = {num(n_bent)}",
        f"first-year revenue = {num(july)} × (6 + 5 + 4 + 3 + 2 + 1) = "
        f"{num(bent.revenue.mrr[0, :12].sum())}; exit ARR {num(12 * bent.revenue.mrr[0, 11])}",
        f"earns {num(flat.revenue.mrr[0, :12].sum() - bent.revenue.mrr[0, :12].sum())} less",
    )
    f = bent.funnel
    lag = float(f.lag[0])
    wins = bent.funnel.wins[0]
    frac = lag - 1
    may = 0 + frac * (wins[6] - 0)
    november = wins[11] + frac * (wins[12] - wins[11])
    assert wins[12] == 0  # January 2028 books nothing
    shows(
        14,
        f"`L = 45 / 30.4375 = {lag:.4f}`".replace("`", ""),
        f"May W({4 + lag:.4f}) = 0 + {frac:.4f} × ({g(wins[6])} - 0) = {may:.2f}; "
        f"V = {may:.2f} / 0.25 = {f.volume[0, 4]:.2f}",
        f"June W({5 + lag:.4f}) = {g(wins[6])}; V = {g(f.volume[0, 5])}",
        f"November W({10 + lag:.4f}) = {g(wins[11])} + {frac:.4f} × (0 - {g(wins[11])}) = "
        f"{november:.2f}; V = {f.volume[0, 10]:.2f}",
        f"opening pipeline: {g(f.opening[0])} (nothing is won in January or February)",
    )
    assert f.volume[0, 4] == pytest.approx(may / 0.25)


def test_ramped_quota_examples() -> None:
    first = float(first_year_quota(np.array(650_000.0), np.array([0.25, 0.5, 0.75, 1.0])))
    shows(
        14,
        f"650,000 / 12 × (0.25 + 0.5 + 0.75 + 9 × 1) = 54,166.67 × 10.5 = {num(first)} "
        f"({first / 650_000:.1%} of 650,000)",
    )
    ev = example("Quota example")
    v = ev.plan
    capacity = float(v.params.driver_capacity[0])
    c = quota_coverage(ev.result, 0, spans(v.structure.start, 12, Period.MONTH))
    year = quota_coverage(ev.result, 0, spans(v.structure.start, 12, Period.YEAR))
    assert v.starts[0, :12].tolist() == [1] + [0] * 11
    shows(
        14,
        f"capacity = 650,000 × 0.8 / 12 = {num(capacity, 2)} a month; need = 120,000 / "
        f"{num(capacity, 2)} = {v.need[0, 0]:.2f} FTE",
        f"month 0: 54,166.67 × 2.25 = {num(c.quota[0, 0])} against {num(c.bookings[0, 0])} of "
        f"new ARR: coverage {c.ratio[0, 0]:.2f}",
        f"month 3: 54,166.67 × 3 = {num(c.quota[0, 3])}: coverage {c.ratio[0, 3]:.2f}",
        f"the year: 54,166.67 × (2.25 + 2.5 + 2.75 + 9 × 3) = {num(year.quota[0, 0])} against "
        f"{num(year.bookings[0, 0])}: coverage {year.ratio[0, 0]:.2f}",
    )


def test_hiring_limits_example() -> None:
    ev = example("Hiring limits example")
    v = ev.plan
    labels = month_labels(v.structure.start, v.months)
    rows = []
    for t in (4, 5, 6):
        rows.append(
            f"{labels[t]} {g(v.staffed_need[0, t])} {g(v.free_starts[0, t])} "
            f"{g(v.free_heads[0, t])} {g(v.starts[0, t])} {g(v.heads[0, t])} {labels[t - 1]}"
        )
        assert v.reqs_opened[0, t - 1] == v.starts[0, t]
    extra = float((v.heads[0, :12] - v.free_heads[0, :12]).sum())
    cost = sum(r["extra_cost"] for r in hires_table(v).records())  # type: ignore[misc]
    shows(
        14,
        *rows,
        f"heads over the unconstrained plan: 2 + 4 = {g(extra)} head-months at 120,000 / 12 = "
        f"{num(v.costs.per_head[0])}: {num(cost)}",
    )
    data = yaml.safe_load(example_plans()["Hiring limits example"])
    data["roles"]["team"]["hiring_lead_months"] = 5
    checked = run_plan("late.yaml", text=yaml.safe_dump(data).encode())
    assert checked.evaluation is not None
    (gap,) = [p for p in checked.problems if p.code == "SP301"]
    assert checked.evaluation.plan.starts[0, :12].tolist() == [0] * 5 + [2, 2, 2] + [0] * 4
    shows(14, f"SP301 warning: {gap.message}")


def test_confidence_example() -> None:
    ev = example("Confidence example")
    v = ev.plan
    likely = ev.probability()
    sized = ev.at_confidence(0.8)
    how = sized.confidence
    assert how is not None
    s = sized.plan
    other = sized.probability(10_000, 1)
    first_start = int(np.nonzero(s.starts[0, :12] - v.starts[0, :12])[0][0])
    shows(
        14,
        f"{g(v.revenue.new_customers[0, 0])} wins a month need {g(v.funnel.volume[0, 0])} "
        f"opportunities and {g(v.need[0, 0])} AEs",
        f"probability of reaching 1,440,000 ARR: {likely.probability:.1%} "
        f"({likely.trials} trials, seed {likely.seed})",
        f"confidence 0.8: q = {g(how.quantile)}; pipeline × {how.pipeline[0]:.4f}: "
        f"{s.funnel.volume[0, 0]:.2f} opportunities a month",
        f"AEs staffed to {s.need[0, 1]:.2f} FTE of work: {g(s.heads[0, first_start])} from "
        f"{['January', 'February', 'March'][first_start]}",
        f"probability: {how.achieved.probability:.1%} ({how.achieved.trials} trials, seed "
        f"{how.achieved.seed}); in 10,000 other worlds (seed 1): {other.probability:.1%}",
    )
    assert how.achieved.probability >= 0.8
    # The standard error of a share of 500 trials is largest at one half.
    shows(14, f"`sqrt(p (1 - p) / 500)`, at most {(0.25 / 500) ** 0.5 * 100:.1f} points")


# -- §15: reforecast ---------------------------------------------------------------------------


def test_reforecast_example() -> None:
    from salesplan.choices import Rates
    from salesplan.pipeline import run_actuals
    from salesplan.reforecast.route import run_reforecast

    folder = ROOT / "tests" / "plans" / "reforecast"
    checked = run_plan(str(folder / "blueprints.yaml"))
    assert checked.evaluation is not None
    read = run_actuals(checked.evaluation, str(folder / "blueprints-q1.csv"))
    assert read.actuals is not None
    plan_rates, actual = (
        run_reforecast(checked.evaluation, read.actuals, "q1.csv", rates, trials=0)
        for rates in (Rates.PLAN, Rates.ACTUAL)
    )
    st = plan_rates.start.state
    mrr = [float(x) for x in read.actuals.series("mrr", _key("smb"))]
    left = plan_rates.rebased.target_left
    assert left is not None and plan_rates.evaluation is not None
    b = plan_rates.evaluation.plan
    n = float(b.revenue.new_mrr_solved)
    wins = n / 500
    volume = b.funnel.volume[:, 0]
    sdr = b.structure.roles.index("sdr")
    assert actual.evaluation is not None
    a = actual.evaluation.plan
    used = actual.rates.used
    shows(
        15,
        f"revenue to date {' + '.join(num(x) for x in mrr)} = {num(st.revenue_to_date)} "
        f"(the plan: {num(checked.evaluation.plan.revenue.mrr[:, :3].sum())})",
        f"left 780,000 − {num(st.revenue_to_date)} = {num(left)} over 9 months "
        f"(first_year_months: {plan_rates.rebased.data['target']['first_year_months']})",
        f"9 × {num(st.mrr.sum())} + 45 n' = {num(left)}",
        f"n' = {num(left - 9 * st.mrr.sum())} / 45 = {num(n, 2)} new MRR a month from 2027-04, "
        f"{wins:.2f} deals",
        f"{wins:.2f} / 0.25 = {volume.sum():.2f} SQLs a month (80 planned): {volume[0]:.2f} "
        f"inbound, {volume[1]:.2f} outbound",
        f"SDRs {volume[1]:.2f} / 12 = {b.need[sdr, 0]:.2f} FTE: a 4th SDR in 2027-04",
        f"27 / 180 = 18 / 120 = {used[0]:.0%}: {a.funnel.volume[:, 0].sum():.2f} SQLs a month: "
        f"{a.funnel.volume[0, 0]:.2f} inbound, {a.funnel.volume[1, 0]:.2f} outbound",
        f"SDRs {a.funnel.volume[1, 0]:.2f} / 12 = {a.need[sdr, 0]:.2f} FTE: "
        f"{a.starts[sdr, 0]:.0f} more SDRs in 2027-04",
        f"{num(st.revenue_to_date)} + {num(left)} = 780,000, the target",
    )
    assert b.starts[sdr, 0] == 1 and used[1] == used[0]
    assert st.revenue_to_date + float(b.revenue.mrr[:, :9].sum()) == pytest.approx(780_000)


def _key(tier: str) -> Any:
    from salesplan.load.actuals import Key

    return Key(tier)


def test_opening_state_example() -> None:
    from salesplan.engine.rebase import plan_state
    from salesplan.reforecast.rebased import plan_text, rebased_plan

    ev = example("Staffing example")
    v = ev.plan
    state = plan_state(v, 5)
    rebased = rebased_plan(ev.loaded.plan, v, state, "staffing.yaml")
    written = plan_text(rebased.data)
    block = re.search(r"```text\n(extends: staffing\.yaml\n.*?)```", section(15), re.S)
    assert block is not None
    assert written == block.group(1)
    m = float(monthly_attrition(v.params.attrition_rate_annual)[0])
    shows(
        15,
        f"`0.5613 + 3 × {m:.5f} = {state.accrued[0]:.4f}`",
        f"`{state.accrued[0]:.4f} + 3 × {m:.5f} = {state.accrued[0] + 3 * m:.4f}` in 2027-06",
        f"`{state.accrued[0] + 3 * m:.4f} + 4 × {m:.5f} = {state.accrued[0] + 7 * m:.4f}` in "
        "2027-07",
    )
    checked = run_plan(
        "restart.yaml",
        text=written.encode(),
        read=lambda p: (
            (read_doc(p, example_plans()["Staffing example"]), [])
            if p.endswith("staffing.yaml")
            else None
        ),
    )
    assert checked.evaluation is not None, [str(p) for p in checked.problems]
    again = checked.evaluation.plan
    assert again.starts[0, :4].tolist() == v.starts[0, 5:9].tolist() == [1, 0, 0, 0]
    assert again.departures[0, :4].tolist() == v.departures[0, 5:9].tolist() == [0, 1, 0, 0]


def read_doc(path: str, text: str) -> Any:
    from salesplan.load.yamlread import read_yaml

    doc, problems = read_yaml(path, text.encode())
    assert doc is not None and not problems
    return doc
