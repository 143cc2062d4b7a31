"""JSON: schema, raw numbers, n/a as null with reasons, no NaN."""

from __future__ import annotations

import json
import math

import pytest
from render_sample import GOLDEN, sample_report
from tests.golden import assert_golden

from salesplan.render.json_out import render_json
from salesplan.report.table import NA, Column, Kind, Report, Table


def _no_constants(name: str) -> float:
    raise AssertionError(f"JSON holds {name}")


def test_golden() -> None:
    assert_golden(render_json(sample_report()), GOLDEN / "report.json")


def test_round_trips() -> None:
    doc = json.loads(render_json(sample_report()), parse_constant=_no_constants)
    assert list(doc) == ["schema_version", "kind", "title", "meta", "summary", "tables", "charts"]
    assert doc["charts"] == []
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


# C0 (json.dumps escapes these, but as \u001b they still reach a program's terminal), C1
# and bidi controls (json.dumps with ensure_ascii=False writes them raw).
HOSTILE = "a\x1b[31m\x07\x9b31m\u202e\u2066\x85b\r"


def test_plan_text_is_cleaned_everywhere() -> None:
    table = Table(
        "pods" + HOSTILE,
        "PODs" + HOSTILE,
        (
            Column("pod" + HOSTILE, "POD" + HOSTILE, Kind.TEXT, unit=HOSTILE),
            Column("cac", "CAC", Kind.MONEY),
        ),
        (("Pod" + HOSTILE, NA("no deals" + HOSTILE)),),
        notes=("note" + HOSTILE,),
        meta={"currency": "USD" + HOSTILE},
    )
    report = Report(
        "plan",
        "Acme" + HOSTILE,
        (table,),
        meta={"plan": "plans/acme" + HOSTILE + ".yaml"},
        summary=("! gap" + HOSTILE,),
    )
    text = render_json(report)
    for bad in ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x85", "\r"):
        assert bad not in text
    for escaped in ("\\u001b", "\\u0007", "\\r"):
        assert escaped not in text
    doc = json.loads(text)
    cleaned = "a[31m31m\nb\n"
    assert doc["title"] == "Acme" + cleaned
    assert doc["meta"]["plan"] == f"plans/acme{cleaned}.yaml"
    assert doc["summary"] == [f"! gap{cleaned}"]
    pods = doc["tables"][0]
    assert (pods["name"], pods["title"], pods["notes"]) == (
        f"pods{cleaned}",
        f"PODs{cleaned}",
        [f"note{cleaned}"],
    )
    assert pods["meta"] == {"currency": f"USD{cleaned}"}
    assert pods["columns"][0] == {
        "name": f"pod{cleaned}",
        "title": f"POD{cleaned}",
        "kind": "text",
        "unit": cleaned,
    }
    assert pods["rows"] == [{f"pod{cleaned}": f"Pod{cleaned}", "cac": None}]
    assert pods["na"] == [{"row": 0, "column": "cac", "reason": f"no deals{cleaned}"}]


def test_charts_are_their_series() -> None:
    from render_sample import chart_report

    report = chart_report()
    doc = json.loads(render_json(report), parse_constant=_no_constants)
    assert [c["name"] for c in doc["charts"]] == [c.name for c in report.charts]
    arr = doc["charts"][0]
    assert (arr["kind"], arr["unit"], arr["x_labels"][0]) == ("line", "money", "2027-01")
    plan = arr["series"][0]
    assert plan["name"] == "Plan" and plan["values"][:2] == [400000.0, 592500.0]
    assert len(plan["low"]) == len(plan["high"]) == 24
    assert arr["series"][1]["low"] is None  # the target has no band
    tornado = doc["charts"][3]
    assert tornado["base"] == 5e6 and tornado["meta"]["currency"] == "EUR"
    heads = doc["charts"][1]
    assert "\x1b" not in json.dumps(heads, ensure_ascii=False)  # hostile names cleaned
