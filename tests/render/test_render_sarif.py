"""SARIF 2.1.0 for code-scanning uploads: one run, every rule, results pointing at them."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from render_sample import GOLDEN, sample_problems
from tests.golden import assert_golden

import salesplan
from salesplan.problems import Location, Problem, Severity
from salesplan.problems.codes import CODES
from salesplan.render import problems as problems_module
from salesplan.render.problems import ProblemFormat, render_problems


def _sarif(problems: list[Problem]) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(render_problems(problems, ProblemFormat.SARIF))
    return doc


def test_golden(monkeypatch: pytest.MonkeyPatch) -> None:
    # A release changes the version, not the document: pin it so the golden stays put.
    monkeypatch.setattr(problems_module, "__version__", "0.0.0")
    assert_golden(
        render_problems(sample_problems(), ProblemFormat.SARIF), GOLDEN / "problems.sarif"
    )


def test_document() -> None:
    doc = _sarif(sample_problems())
    assert doc["version"] == "2.1.0"
    assert isinstance(doc.get("$schema", ""), str)
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "salesplan"
    assert driver["version"] == salesplan.__version__
    assert [rule["id"] for rule in driver["rules"]] == [c.code for c in CODES]
    assert run["columnKind"] == "unicodeCodePoints"  # PyYAML counts characters


def test_rules_carry_title_level_and_source() -> None:
    rules = {rule["id"]: rule for rule in _sarif([])["runs"][0]["tool"]["driver"]["rules"]}
    for code in CODES:
        rule = rules[code.code]
        assert rule["shortDescription"] == {"text": code.title}
        assert rule["defaultConfiguration"] == {"level": code.severity.value}
        if code.source:
            assert rule["properties"] == {"source": code.source}
        else:
            assert "properties" not in rule


def test_results() -> None:
    results = _sarif(sample_problems())["runs"][0]["results"]
    assert results[0] == {
        "ruleId": "SP201",
        "ruleIndex": [c.code for c in CODES].index("SP201"),
        "level": "error",
        "message": {"text": "unknown role 'AE2'; did you mean 'AE'?"},
        "locations": [
            {
                "physicalLocation": {
                    "artifactLocation": {"uri": "plans/acme.yaml"},
                    "region": {"startLine": 12, "startColumn": 5},
                }
            }
        ],
    }
    # Line known, column not: a region with the line alone.
    assert results[1]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "plans/a%2Cb%3Ac.yaml"},
        "region": {"startLine": 3},
    }
    assert results[1]["level"] == "warning"
    # Line 0 means unknown: no region at all.
    assert results[2]["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "plans/base.yaml"}
    }


def test_every_rule_index_points_at_its_rule() -> None:
    problems = [
        Problem(Location(f"p{i}.yaml", i + 1, 1), code.code, code.severity, code.title)
        for i, code in enumerate(reversed(CODES))
    ]
    run = _sarif(problems)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert len(run["results"]) == len(CODES)
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_uri_is_escaped_and_message_cleaned() -> None:
    problem = Problem(
        Location("my plans/Q1 #2 100%.yaml", 1, 2),
        "SP101",
        Severity.ERROR,
        "bad\x1b[31m\u202e value\r\nnext",
    )
    result = _sarif([problem])["runs"][0]["results"][0]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20plans/Q1%20%232%20100%25.yaml"
    assert result["message"]["text"] == "bad[31m value\nnext"


def test_severity_is_the_problems_own() -> None:
    # A warning code reported as an error (e.g. promoted) keeps the problem's level.
    problem = Problem(Location("p.yaml", 1), "SP401", Severity.ERROR, "churn")
    result = _sarif([problem])["runs"][0]["results"][0]
    assert result["level"] == "error"


def test_unknown_code_has_no_rule_index() -> None:
    result = _sarif([Problem(Location("p.yaml"), "XX999", Severity.ERROR, "m")])["runs"][0]
    assert result["results"][0]["ruleId"] == "XX999"
    assert "ruleIndex" not in result["results"][0]


def test_deterministic_and_no_results_is_an_empty_list() -> None:
    first = render_problems(sample_problems(), ProblemFormat.SARIF)
    assert first == render_problems(sample_problems(), ProblemFormat.SARIF)
    assert _sarif([])["runs"][0]["results"] == []
    assert not re.search(r"\d{4}-\d\d-\d\dT", first)  # no timestamps, no invocation record
    assert "invocations" not in first
