"""Properties of the reforecast (docs/model.md §15).

- Actuals equal to the plan's own figures, written as an actuals file and read back, give
  a reforecast equal to the rest of the original plan: revenue, funnel, need, heads,
  starts, departures, capacity and costs to 1e-9, the hires identical, under every choice
  of rates (the realised rates of the plan's own figures are the plan's).
- The reforecast written as a plan file (``--write-plan``) and planned again gives the
  figures the reforecast printed.

The plans are drawn with whole counts (tests/engine/test_track_properties.py: an actuals
file's counts are whole), with roles that ramp, leave and take time to hire, and with a
target of each kind set to what the plan reaches, so that every kind is re-solved.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from typing import Any

import numpy as np
import yaml
from hypothesis import assume, given
from hypothesis import strategies as st

from salesplan.choices import Rates, TargetKind
from salesplan.engine.rebase import plan_open_requisitions
from salesplan.engine.structure import month_labels
from salesplan.load.actuals_format import COLUMNS
from salesplan.load.sources import read_working_tree
from salesplan.load.yamlread import read_yaml
from salesplan.pipeline import Evaluation, run_actuals, run_plan
from salesplan.reforecast.route import Reforecast, run_reforecast
from salesplan.report.outcomes import first_year_revenue
from tests.engine.plan_actuals import plan_rows
from tests.engine.plans import PLAN_PATH, evaluated
from tests.engine.test_rebase import assert_rest_of_plan
from tests.engine.test_track_properties import PROPS, whole_plans


@st.composite
def whole_plans_with_people(draw: st.DrawFn) -> tuple[dict[str, Any], int]:
    """Draw a whole-count plan (its target of any kind) and the months of actuals."""
    data, _ = draw(whole_plans())
    kind = draw(st.sampled_from(list(TargetKind)))
    yearly = kind in (TargetKind.FIRST_YEAR_REVENUE, TargetKind.NEW_ARR_PER_YEAR)
    data["company"]["horizon_months"] = draw(st.integers(12 if yearly else 6, 18))
    for role in data["roles"].values():
        role["ramp_months"] = draw(st.integers(0, 3))
        role["attrition_rate"] = draw(st.sampled_from([0.0, 0.2, 0.5]))
        role["hiring_lead_months"] = draw(st.integers(0, 3))
        role["opening_heads"] = draw(st.integers(0, 3))
    if draw(st.booleans()):
        data["roles"]["mgr"] = {
            "opening_heads": draw(st.integers(0, 1)),
            "attrition_rate": 0.3,
            "hiring_lead_months": draw(st.integers(0, 2)),
            "drivers": [{"manages": sorted(data["roles"]), "capacity": 3.0}],
        }
    if kind is not TargetKind.NEW_MRR_PER_MONTH:
        # The same plan, its target given as what it reaches (every count stays whole).
        ev = evaluated(data)
        v = ev.plan
        T = v.months
        value = {
            TargetKind.ENDING_ARR: float(12 * v.revenue.mrr[:, T - 1].sum()),
            TargetKind.FIRST_YEAR_REVENUE: first_year_revenue(v),
            TargetKind.NEW_ARR_PER_YEAR: float(12 * v.revenue.new_mrr[:, :12].sum()),
        }[kind]
        assert isinstance(value, float)
        growth = data["target"]["growth_rate"]
        data["target"] = {kind.value: value, "growth_rate": growth}
    months = draw(st.integers(1, data["company"]["horizon_months"] - 1))
    return data, months


def actuals_text(evaluation: Evaluation, months: int) -> str:
    """Return an actuals file of the plan's own first ``months``, open requisitions too."""
    v = evaluation.plan
    s = v.structure
    rows = plan_rows(v, months)
    reqs = plan_open_requisitions(v)
    for t, month in enumerate(month_labels(s.start, months)):
        for r, role in enumerate(s.roles):
            rows.append((month, "open_requisitions", "", "", "", role, str(round(reqs[r, t]))))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue()


def reforecast_of(
    data: dict[str, Any], months: int, rates: Rates, path: str | None = None
) -> tuple[Evaluation, Reforecast]:
    """Return the plan and its reforecast from actuals of its own first ``months``."""
    evaluation = evaluated(data)
    read = run_actuals(
        evaluation, "plan-actuals.csv", text=actuals_text(evaluation, months).encode()
    )
    assert read.actuals is not None, read.problems

    def reader(p: str) -> Any:
        if os.path.basename(p) == PLAN_PATH:
            return read_yaml(p, yaml.safe_dump(data, sort_keys=False).encode())
        return read_working_tree(p)

    rf = run_reforecast(
        evaluation, read.actuals, "plan-actuals.csv", rates, path=path, trials=0, read=reader
    )
    return evaluation, rf


@PROPS
@given(whole_plans_with_people(), st.sampled_from(list(Rates)))
def test_actuals_equal_to_the_plan_give_the_rest_of_the_plan(
    drawn: tuple[dict[str, Any], int], rates: Rates
) -> None:
    data, months = drawn
    evaluation, rf = reforecast_of(data, months, rates)
    assume(not rf.met)
    assert rf.start.planned == ()  # every part of the state came from the file
    assert not rf.rates.replaced, rf.rates.replaced  # the plan's own rates are realised
    assert (rf.start.unexplained == 0).all() and (rf.start.beyond == 0).all()
    b = rf.evaluation
    assert b is not None, rf.problems
    assert_rest_of_plan(evaluation.result, b.result, months, rf.text)


@PROPS
@given(whole_plans_with_people())
def test_a_reforecast_written_as_a_plan_and_planned_again_gives_the_same_figures(
    drawn: tuple[dict[str, Any], int],
) -> None:
    data, months = drawn
    with tempfile.TemporaryDirectory() as tmp:
        original = os.path.join(tmp, PLAN_PATH)
        with open(original, "w", encoding="utf-8") as f:
            yaml.safe_dump(data, f, sort_keys=False)
        written = os.path.join(tmp, "written", "rebased.yaml")
        os.mkdir(os.path.dirname(written))
        checked = run_plan(original)
        assert checked.evaluation is not None
        text = actuals_text(checked.evaluation, months)
        read = run_actuals(checked.evaluation, "a.csv", text=text.encode())
        assert read.actuals is not None
        rf = run_reforecast(checked.evaluation, read.actuals, "a.csv", path=written, trials=0)
        assume(not rf.met)
        with open(written, "w", encoding="utf-8") as f:
            f.write(rf.text)
        again = run_plan(written)
        assert again.evaluation is not None, again.problems
        b, c = rf.evaluation, again.evaluation
        assert b is not None
        for name in ("heads", "starts", "departures", "capacity", "need_by_cell"):
            assert np.array_equal(getattr(b.result, name), getattr(c.result, name)), name
        assert np.array_equal(b.result.revenue.mrr, c.result.revenue.mrr)
        assert np.array_equal(b.result.funnel.volume, c.result.funnel.volume)
        assert np.array_equal(b.result.costs.total, c.result.costs.total)
