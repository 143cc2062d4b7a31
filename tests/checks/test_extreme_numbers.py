"""Tiny and huge numbers: ``check`` and every report agree on them, and nothing tracebacks.

Subnormal numbers (5e-324, 1e-320) once passed ``check`` and then made ``plan`` fail as an
infinity reached the renderer.  Now the schema's minimums keep the engine from dividing by
next to nothing, and SP302 refuses any evaluation whose figures are not finite, so a plan
either has problems or renders in every format, without a numpy warning.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import numpy as np
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from salesplan.checks.registry import run_rules
from salesplan.checks.rule import Context, Needs
from salesplan.choices import OutputFormat, Period
from salesplan.load.yamlread import read_yaml_file
from salesplan.pipeline import Evaluation, run_plan
from salesplan.problems import has_errors
from salesplan.render import render_report
from salesplan.render.html import render_html
from salesplan.report.board_report import board_report
from salesplan.report.comp import comp_report
from salesplan.report.economics import economics_report
from salesplan.report.plan import plan_report
from salesplan.report.pods import pods_report
from salesplan.report.simulate import sensitivity_report, simulate_report
from tests.paths import PLANS

PATH = str(PLANS / "every_number.yaml")
BASE_TEXT = (PLANS / "every_number.yaml").read_text("utf-8")
_doc, _ = read_yaml_file(PATH)
assert _doc is not None
BASE: Any = _doc.data

Leaf = tuple[str | int, ...]


def _leaves(node: Any, path: Leaf = ()) -> Iterator[tuple[Leaf, Any]]:
    """Yield every number in the plan (range ends included) with its path."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, node


LEAVES = list(_leaves(BASE))
TINY = [5e-324, 1e-320, 2.2250738585072014e-308, 1e-300, 1e-100, 1e-12, 1e-9, 1e-7, 1e-6, 1e-3]
HUGE = [1e6, 1e9, 1e12, 1e13, 9.99e12, 1e15, 1e100, 1e300, 1.7976931348623157e308]
# Mostly the numbers at the edges (subnormal, tiny, huge), sometimes any in between.
EDGES = st.sampled_from([0.0, *TINY, *TINY[:4], *HUGE, *(-x for x in TINY[:3])])
FLOATS = st.one_of(EDGES, EDGES, EDGES, st.floats(min_value=0, max_value=1e14, allow_nan=False))
INTS = st.sampled_from([0, 1, 24, 36, 120, 100_000, 10**6, 10**15, 10**20, 10**400])

EXAMPLES = int(os.environ.get("EXTREME_EXAMPLES", "0"))
PROPS = settings(
    max_examples=EXAMPLES or 25,
    deadline=None,
    derandomize=not EXAMPLES,
    suppress_health_check=[HealthCheck.too_slow],
)


@st.composite
def extreme_plans(draw: st.DrawFn) -> Any:
    """Return the plan with one to three of its numbers made tiny or huge (a range's three
    ends alike, so that it stays a range)."""
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        path, old = draw(st.sampled_from(LEAVES))
        node = data
        for part in path[:-1]:
            node = node[part]
        value = draw(INTS if isinstance(old, int) else FLOATS)
        ends = ("low", "likely", "high") if path[-1] in ("low", "likely", "high") else path[-1:]
        for end in ends:
            node[end] = value
    return data


def _renders_everywhere(evaluation: Evaluation) -> None:
    """Render every report a command prints for the plan, in every format it is written in."""
    sim = evaluation.simulate(60, 0)
    outlook = evaluation.outlook(trials=60)
    sensitivity = evaluation.sensitivity(0.2)
    reports = [
        plan_report(evaluation, outlook, Period.QUARTER),
        pods_report(evaluation, None, Period.YEAR),
        comp_report(evaluation, Period.QUARTER),
        economics_report(evaluation, Period.QUARTER),
        simulate_report(evaluation, sim, 0.8),
        sensitivity_report(evaluation, sensitivity, True),
    ]
    for report in reports:
        for fmt in OutputFormat:
            # CSV is one table a file: each table alone.
            names = [[t.name] for t in report.tables] if fmt is OutputFormat.CSV else [None]
            for only in names:
                shown = report.only(only) if only else report
                assert render_report(shown, fmt, width=100)
    # `salesplan report` writes the board report as one HTML page, and only that.
    assert render_html(board_report(evaluation, outlook, sensitivity, Period.QUARTER))


@pytest.mark.filterwarnings("error")
@PROPS
@given(extreme_plans())
def test_a_plan_of_extreme_numbers_has_problems_or_renders_everywhere(data: Any) -> None:
    text = yaml.safe_dump(data).encode()
    checked = run_plan("plan.yaml", text=text)
    if checked.evaluation is None:
        assert has_errors(checked.problems), [str(p) for p in checked.problems]
        return
    # What check passes, every report shows: no infinity or NaN, no numpy warning.
    assert "SP302" not in {p.code for p in checked.problems}
    _renders_everywhere(checked.evaluation)


@pytest.mark.filterwarnings("error")
@pytest.mark.parametrize("value", [5e-324, 1e-320, 1e-300])
@pytest.mark.parametrize(
    "path",
    [
        ("roles", "sdr", "drivers", 0, "capacity", "likely"),
        ("tiers", "smb", "motions", "inbound", "stages", 1, "rate"),
        ("tiers", "mid", "acv"),
        ("roles", "ae", "comp", "quota"),
        ("roles", "ae", "comp", "attainment", "low"),
        ("roles", "ae", "comp", "ote"),
        ("roles", "csm", "comp", "ote"),
        ("tiers", "smb", "churn_rate", "low"),
        ("tiers", "smb", "gross_margin"),
        ("company", "work_hours_per_month"),
        ("pods", "pod", "members", "sdr"),
    ],
    ids=lambda p: ".".join(map(str, p)) if isinstance(p, tuple) else str(p),
)
def test_a_subnormal_number_is_refused_or_planned(path: Leaf, value: float) -> None:
    """The defect's cases: check refuses what the engine would divide by, plan shows the rest."""
    data = copy.deepcopy(BASE)
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    checked = run_plan("plan.yaml", text=yaml.safe_dump(data).encode())
    if checked.evaluation is None:
        assert [p.code for p in checked.problems if p.severity.value == "error"] == ["SP203"]
    else:
        _renders_everywhere(checked.evaluation)


# -- SP302: the guard behind the schema -----------------------------------------------------


def test_figures_that_are_not_finite_are_refused_at_their_role() -> None:
    checked = run_plan(PATH)
    assert checked.evaluation is not None
    evaluation = checked.evaluation
    heads = evaluation.result.heads.copy()
    role = evaluation.result.structure.roles.index("ae")
    heads[0, role, 3] = np.inf
    broken = replace(evaluation, result=replace(evaluation.result, heads=heads))
    found = list(run_rules(Context(evaluation.loaded, broken), Needs.RESULT))
    # The guard runs first and stops the rest: no gap or rule of thumb reads the figures.
    line = BASE_TEXT.splitlines().index("  ae:") + 1
    assert [(p.code, str(p.location)) for p in found] == [("SP302", f"{PATH}:{line}:3")]
    assert found[0].message.startswith("role ae: heads is not a finite number in 2027-04: ")


def test_more_people_than_the_engine_staffs_is_refused_at_the_role_and_quickly() -> None:
    # Every number within its bound, yet 1e25 SDRs: before the need was capped, staffing
    # settled counts beyond float precision a person at a time (over a minute per command),
    # and the plan passed with warnings.
    path = str(PLANS / "checks" / "too_many_people.yaml")
    checked = run_plan(path)
    assert checked.evaluation is None
    (found,) = checked.problems
    assert (found.code, str(found.location)) == ("SP302", f"{path}:14:3")
    assert found.message.startswith("role sdr: need reaches 1,000,000,000 in 2027-01, ")


def test_the_route_never_hands_a_report_figures_that_are_not_finite(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from salesplan import pipeline

    real = pipeline.run

    def run(structure: Any, params: Any) -> Any:
        result = real(structure, params)
        mrr = result.revenue.mrr.copy()
        mrr[0, 0, 0] = np.nan
        return replace(result, revenue=replace(result.revenue, mrr=mrr))

    monkeypatch.setattr(pipeline, "run", run)
    checked = run_plan(PATH)
    assert checked.evaluation is None
    assert [(p.code, p.message.split(":")[0]) for p in checked.problems] == [("SP302", "tier smb")]
