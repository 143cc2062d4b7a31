"""Explain (docs/model.md §13): every step of a trace recomputes, every input is the plan's.

For every kind of quantity, on every shipped plan, the trace of a number is walked: each
formula's expression, evaluated with its children's values, gives the step's value; each
input is the number the plan file gives at its key path, located at the line that sets
it (following ``extends``); the root is the figure the reports print.
"""

from __future__ import annotations

import math
import re
from typing import Any

import pytest

from salesplan.api import evaluate
from salesplan.engine.explain import KINDS, Step, parse_query
from salesplan.engine.explain import evaluate as recompute
from salesplan.engine.levers import value_at
from salesplan.engine.periods import Period
from salesplan.load.schema import Range, point
from salesplan.pipeline import Evaluation
from salesplan.render.tree import tree_json
from salesplan.report.economics import economics_report
from salesplan.report.explain import explain_tree
from tests.paths import CONFIGS

from .plans import evaluated, motion, plan, stage, tier

# One quantity of every kind on series A, with the figure the reports print for it.
SERIES_A = {
    "heads": "heads ae 2027-06",
    "starts": "starts ae 2027-Q2",
    "need": "need se 2027-03",
    "capacity": "capacity ae 2027-06",
    "cost": "cost ae 2027-06",
    "new_mrr": "new_mrr 2027-01",
    "new_arr": "new_arr smb 2027-04",
    "new_customers": "new_customers 2027-Q1",
    "mrr": "mrr smb 2027-03",
    "arr": "arr plan",
    "customers": "customers mid_market 2027-05",
    "revenue": "revenue 2027",
    "volume": "volume smb inbound lead 2027-02",
    "marketing": "marketing smb 2027-06",
    "sm_cost": "sm_cost 2027-06",
    "cac": "cac mid_market 2027-Q2",
    "crc": "crc smb 2027-Q2",
    "payback": "payback blended 2027",
    "ltv": "ltv smb 2027",
    "ltv_capped": "ltv_capped blended 2028",
    "ltv_cac": "ltv_cac mid_market plan",
}
# Quantities that reach the rest of the engine: managers, recruiters, stocks, interviewing,
# fixed roles, pods staffing, every kind of input.
MORE = {
    "series-a": [
        "need sales_manager 2027-06",
        "need recruiter 2027-04",
        "need csm 2027-08",
        "need cs_manager 2027-05",
        "capacity sdr 2028-02",
        "heads vp_sales 2027-06",
        "capacity revops 2028-02",
        "starts revops 2028-01",
        "sm_cost 2027",
        "cac blended 2027-01",
    ],
    "seed": ["need founder 2027-02", "cac blended plan", "capacity marketer plan", "heads ae plan"],
    "series-b": [
        "need fae 2027-05",
        "need field_manager 2027-09",
        "capacity am plan",
        "crc blended plan",
    ],
    "growth": [
        "need support 2027-03",
        "cac blended 2028",
        "capacity recruiter plan",
        "sm_cost 2027-Q3",
    ],
}


def _steps(step: Step) -> list[Step]:
    """Return every step of a trace once."""
    seen: dict[int, Step] = {}
    stack = [step]
    while stack:
        node = stack.pop()
        if id(node) not in seen:
            seen[id(node)] = node
            stack.extend(node.children)
    return list(seen.values())


def check_trace(ev: Evaluation, words: str, depth: int = 60) -> Step:
    """Assert that every formula of a trace recomputes and every input is the plan's."""
    explained = ev.explain(words.split(), depth)
    for node in _steps(explained.step):
        if node.expression and node.children:
            got = recompute(node.expression, [c.value for c in node.children])
            assert math.isclose(got, node.value, rel_tol=1e-9, abs_tol=1e-9), (words, node.name)
        if node.path is not None:
            _, found = value_at(ev.loaded.plan, node.path)
            assert node.value == (point(found) if isinstance(found, Range) else float(found))
            where, written = explained.where[node.path]
            assert where.line > 0 and (written or node.path[-1] not in ("mrr", "acv"))
    return explained.step


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_kind_recomputes_to_its_inputs(kind: str) -> None:
    check_trace(evaluate(str(CONFIGS / "series-a.yaml")), SERIES_A[kind])


@pytest.mark.parametrize(("name", "words"), [(p, w) for p, ws in MORE.items() for w in ws])
def test_the_whole_engine_recomputes(name: str, words: str) -> None:
    check_trace(evaluate(str(CONFIGS / f"{name}.yaml")), words)


def test_the_root_is_the_figure_the_reports_print() -> None:
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    v = ev.plan
    s = v.structure
    ae, se = s.roles.index("ae"), s.roles.index("se")
    assert check_trace(ev, "heads ae 2027-06").value == v.heads[ae, 5]
    assert check_trace(ev, "need se 2027-03").value == pytest.approx(v.need[se, 2], rel=1e-12)
    assert check_trace(ev, "sm_cost 2027-06").value == pytest.approx(v.costs.total[5], rel=1e-12)
    (row,) = [
        r
        for r in economics_report(ev, Period.QUARTER).table("economics").records()
        if r["tier"] == "mid_market" and r["period"] == "2027-Q2"
    ]
    assert check_trace(ev, "cac mid_market 2027-Q2").value == pytest.approx(row["cac"], rel=1e-12)
    assert check_trace(ev, "arr plan").value == pytest.approx(6_000_000, rel=1e-12)


@pytest.mark.parametrize("name", ["seed", "series-a", "series-b", "growth"])
def test_need_is_the_need_the_headcount_table_prints(name: str) -> None:
    # Pod staffing (series B) covers whole pods' members and a fixed role keeps its schedule:
    # `need` explains what staffing covered, the table's need_fte, not the drivers' work alone.
    ev = evaluate(str(CONFIGS / f"{name}.yaml"))
    v = ev.plan
    labels = [f"{2027 + t // 12}-{t % 12 + 1:02d}" for t in range(v.months)]
    for r, role in enumerate(v.structure.roles):
        for t in (0, 4, v.months - 1):
            step = check_trace(ev, f"need {role} {labels[t]}", depth=3)
            assert step.value == pytest.approx(v.staffed_need[r, t], rel=1e-12, abs=1e-12)


def test_pod_staffing_need_shows_the_pods_and_the_role_s_own_work() -> None:
    ev = evaluate(str(CONFIGS / "series-b.yaml"))
    step = check_trace(ev, "need fae 2027-05")
    assert step.value == 6 and step.section == "§5"
    pods, members, own = step.children
    assert pods.name == "pods of ent_pod 2027-05, set by sdr" and pods.value == 3
    assert members.path == ("pods", "ent_pod", "members", "fae") and members.value == 2
    assert own.name == "need of fae's work 2027-05"
    assert own.value == pytest.approx(ev.plan.need[ev.plan.structure.roles.index("fae"), 4])


def _json_nodes(node: dict[str, Any]) -> list[dict[str, Any]]:
    return [node, *(n for child in node.get("children", []) for n in _json_nodes(child))]


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_printed_tree_recomputes(kind: str) -> None:
    # What `explain -f json` prints: every formula evaluated from the printed numbers.
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    tree = explain_tree(ev, ev.explain(SERIES_A[kind].split()), "configs/series-a.yaml")
    printed = tree_json(tree)["tree"]
    nodes = _json_nodes(printed)
    for node in nodes:
        if node.get("expression") and node["children"]:
            values = [c["value"] for c in node["children"]]
            got = recompute(node["expression"], values)
            assert math.isclose(got, node["value"], rel_tol=1e-9, abs_tol=1e-9), node["name"]
        if node.get("input"):
            path, line = node["input"]["location"].rsplit(":", 1)
            assert path.endswith(".yaml") and int(line) > 0
    assert printed["name"] == SERIES_A[kind]


def test_a_scenario_s_inputs_point_at_the_file_that_sets_them() -> None:
    ev = evaluate(str(CONFIGS / "scenarios" / "hire-faster.yaml"))
    explained = ev.explain(["starts", "ae", "2027-03"])
    files = {".".join(map(str, path)): where.path for path, (where, _) in explained.where.items()}
    assert files["roles.ae.hiring_lead_months"].endswith("hire-faster.yaml")
    assert files["roles.ae.ramp_months"].endswith("series-a.yaml")


@pytest.mark.parametrize(
    ("words", "message"),
    [
        ("speed ae 2027-06", "explain takes KIND [NAMES] PERIOD"),
        ("heads 2027-06", "heads needs a role"),
        ("heads aee 2027-06", "no role 'aee'"),
        ("heads ae 2031-06", "no period '2031-06'"),
        ("cac 2027-Q2", "cac needs a tier|blended"),
        ("volume smb inbound demo 2027-01", "no stage 'demo'"),
        ("new_mrr smb extra 2027-01", "left over"),
    ],
)
def test_a_quantity_that_is_not_one_says_what_is(words: str, message: str) -> None:
    s = evaluate(str(CONFIGS / "series-a.yaml")).plan.structure
    with pytest.raises(ValueError, match=re.escape(message)):
        parse_query(words.split(), s)


def test_an_undefined_figure_is_not_explained() -> None:
    ev = evaluated(plan({"new_mrr_per_month": 10_000}, tiers={"smb": tier(1000.0)}, horizon=12))
    with pytest.raises(ValueError, match="ltv smb plan is n/a: no churn"):
        ev.explain(["ltv", "smb", "plan"])


def test_a_cut_step_names_the_quantity_that_explains_it() -> None:
    # Explaining what a cut step names gives the same number (or, for a step that is no
    # quantity of its own, the same root, deeper).
    ev = evaluate(str(CONFIGS / "series-a.yaml"))
    cut = 0
    for words in ("heads ae 2027-06", "cac mid_market 2027-Q2", "need sales_manager 2027-06"):
        for step in _steps(ev.explain(words.split(), 2).step):
            if not step.query:
                continue
            cut += 1
            query, _, deeper = step.query.partition(" --depth ")
            again = ev.explain(query.split(), int(deeper or 3)).step
            assert again.value == step.value if not deeper else query == words
    assert cut > 10


@pytest.mark.parametrize(
    "target",
    [
        {"new_mrr_per_month": 30_000},
        {"new_arr_per_year": 4_000_000},
        {"first_year_revenue": 2_000_000},
        {"ending_arr": 5_000_000},
    ],
    ids=lambda t: next(iter(t)),
)
def test_seasonal_bookings_recompute_for_every_target(target: dict[str, float]) -> None:
    """Seasons weigh each tier's bookings (docs/model.md §14), a fixed new_mrr tier's too:
    n and N recompute through σ, ψ and ω for every kind of target."""
    data = plan(
        target,
        tiers={
            "smb": tier(500.0, share=1.0, churn_rate=0.01, opening_arr=600_000),
            "big": tier(5000.0, new_mrr=5_000.0),
        },
        growth=0.01,
        horizon=18,
    )
    data["seasonality"] = [1, 1, 1.2, 1, 1, 1.2, 0.7, 0.6, 1, 1, 1, 1.3]
    data["tiers"]["big"]["seasonality"] = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2]
    ev = evaluated(data)
    for words in ("new_mrr smb 2027-07", "new_mrr big 2027-12", "mrr smb 2028-03"):
        step = check_trace(ev, words)
        assert any("seasonal weight" in s.name for s in _steps(step)), words


def test_seasonal_volumes_and_a_motion_s_own_weights_recompute() -> None:
    # §14: a stage's volume comes from the seasonal wins at t + L, joined linearly between
    # whole months; a motion with its own seasonality wins a_m g^t w_m[t], not share × W_k[t].
    weights = [1, 1, 2, 1, 1, 1, 0.5, 1, 1, 1, 1, 3]
    motions = {
        "inbound": {**motion(stage("lead", 0.2, 45), stage("opp", 0.5, 20)), "share": 0.6},
        "outbound": {
            **motion(stage("opp", 0.25, 50)),
            "share": 0.4,
            "seasonality": list(reversed(weights)),
        },
    }
    data = plan({"new_mrr_per_month": 20_000}, {"smb": tier(1000.0, motions)}, growth=0.03)
    data["seasonality"] = weights
    ev = evaluated(data)
    for words in (
        "volume smb inbound lead 2027-02",
        "volume smb outbound opp 2027-11",
        "volume smb outbound won 2027-03",
        "volume smb inbound won 2027-03",
    ):
        step = check_trace(ev, words)
        assert step.value > 0
    out = check_trace(ev, "volume smb outbound won 2027-03")
    assert out.formula.startswith("wins = share × W̄ × g^t × w")
    # Series B weighs every motion by the plan's seasonality: no motion has weights of its own.
    b = evaluate(str(CONFIGS / "series-b.yaml"))
    for month in range(1, 13):
        for way in ("inbound", "outbound"):
            won = check_trace(b, f"volume smb {way} won 2027-{month:02d}", depth=1)
            assert won.formula == "wins = share × W", (way, month)


def test_a_pod_whose_members_have_no_work_that_month() -> None:
    # Series B with no bookings in May and a second template of fae alone: in 2027-05 no
    # member of it has work, so no role sets its pods; the trace names a member, not role 0.
    from salesplan.pipeline import run_plan

    text = (CONFIGS / "series-b.yaml").read_text("utf-8")
    text = text.replace(
        "seasonality: [0.9, 0.95, 1.1, 0.9, 0.95,", "seasonality: [0.9, 0.95, 1.1, 0.9, 0,"
    )
    text += "  solo:\n    tiers: [enterprise]\n    members: {fae: 1}\n"
    checked = run_plan(str(CONFIGS / "series-b.yaml"), text=text.encode())
    assert checked.evaluation is not None
    step = check_trace(checked.evaluation, "need fae 2027-05")
    solo = next(c for c in step.children if c.name.startswith("pods of solo 2027-05"))
    assert solo.value == 0 and solo.name.endswith("set by fae")
    check_trace(checked.evaluation, "need recruiter 2027-10")
