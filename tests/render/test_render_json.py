"""JSON: schema, raw numbers, n/a as null with reasons, no NaN."""

from __future__ import annotations

import json
import math

import pytest
from render_sample import GOLDEN, sample_report
from tests.golden import assert_golden

from salesplan.render.json_out import render_json
from salesplan.report.table import Column, Kind, Report, Table


def _no_constants(name: str) -> float:
    raise AssertionError(f"JSON holds {name}")


def test_golden() -> None:
    assert_golden(render_json(sample_report()), GOLDEN / "report.json")


def test_round_trips() -> None:
    doc = json.loads(render_json(sample_report()), parse_constant=_no_constants)
    assert list(doc) == ["schema_version", "kind", "title", "meta", "summary", "tables"]
    assert doc["schema_version"] == 1 and doc["kind"] == "plan"
    plan = doc["tables"][0]
    assert plan["rows"][1]["win_rate"] == 0.1
    assert plan["rows"][1]["cac_payback"] is None
    assert plan["rows"][0]["new_arr"] == 1234567
    assert plan["na"][0] == {
        "row": 1,
        "column": "cac_payback",
        "reason": "no new customers in the period",
    }
    assert plan["columns"][2] == {
        "name": "new_arr",
        "title": "New ARR",
        "kind": "money",
        "unit": "",
    }


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_non_finite_is_refused(bad: float) -> None:
    table = Table("t", "T", (Column("x", "X", Kind.NUMBER),), ((bad,),))
    with pytest.raises(ValueError, match="row 0 column x"):
        render_json(Report("plan", "P", (table,)))
