"""Scenario files: ``extends`` overrides, errors located in the file that holds the line."""

from __future__ import annotations

from pathlib import Path

import pytest

from salesplan.api import evaluate
from salesplan.load.plan import load_plan, load_plan_text
from salesplan.pipeline import run_plan
from tests.paths import ROOT

SCENARIOS = sorted((ROOT / "configs" / "scenarios").glob("*.yaml"))
BASE = (ROOT / "tests" / "plans" / "field_base.yaml").read_text(encoding="utf-8")


def _write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_shipped_scenarios_check_without_errors(path: Path) -> None:
    problems = list(run_plan(str(path)).problems)
    assert [str(p) for p in problems if p.severity.value == "error"] == []


def test_scenarios_override_only_what_they_name() -> None:
    base, _ = load_plan(str(ROOT / "configs" / "scenarios" / "base.yaml"))
    faster, _ = load_plan(str(ROOT / "configs" / "scenarios" / "hire-faster.yaml"))
    assert base is not None and faster is not None
    assert base.plan.roles["ae"].hiring_lead_months == 2
    assert faster.plan.roles["ae"].hiring_lead_months == 1
    assert faster.plan.roles["ae"].comp == base.plan.roles["ae"].comp
    assert faster.plan.tiers == base.plan.tiers


def test_override_one_stage_rate_and_one_driver_capacity(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    scenario = _write(
        tmp_path / "scenario.yaml",
        "extends: base.yaml\n"
        "tiers:\n"
        "  smb:\n"
        "    motions:\n"
        "      inbound:\n"
        "        stages:\n"
        "          - {name: sql, rate: 0.2}\n"
        "roles:\n"
        "  sdr:\n"
        "    drivers:\n"
        "      - {capacity: 20}\n",
    )
    loaded, problems = load_plan(scenario)
    assert loaded is not None, [str(p) for p in problems]
    stages = loaded.plan.tiers["smb"].motions["inbound"].stages
    assert [(s.name, s.rate, s.days) for s in stages] == [("lead", 0.1, 7), ("sql", 0.2, 21)]
    (driver,) = loaded.plan.roles["sdr"].drivers
    assert (driver.stage, driver.capacity) == ("sql", 20)
    # The overridden values are located in the scenario, the rest in the base.
    assert str(loaded.where(("roles", "sdr", "drivers", 0, "capacity"))) == f"{scenario}:11:20"
    assert str(loaded.where(("roles", "sdr", "drivers", 0, "stage"))).endswith("base.yaml:33:17")
    # And the engine sees them: a lower win rate needs more SQLs, a lower capacity more SDRs.
    scenario_plan, base_plan = evaluate(scenario).plan, evaluate(str(tmp_path / "base.yaml")).plan
    sdr = list(scenario_plan.structure.roles).index("sdr")
    assert scenario_plan.need[sdr, :12].sum() > base_plan.need[sdr, :12].sum() * 1.8


def test_error_points_into_the_file_that_holds_the_line(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE.replace("opening_customers: 200", "opening_customers: -1"))
    scenario = _write(
        tmp_path / "scenario.yaml", "extends: base.yaml\nroles:\n  ae:\n    opening_heads: -1\n"
    )
    problems = list(run_plan(scenario).problems)
    found = sorted((p.code, str(p.location)) for p in problems)
    assert found == [
        ("SP203", f"{tmp_path / 'base.yaml'}:18:24"),
        ("SP203", f"{scenario}:4:20"),
    ]
    # A problem in the base names the plan being checked; one in the scenario need not.
    by_file = {p.location.path: p.message for p in problems}
    assert by_file[str(tmp_path / "base.yaml")].endswith(
        f"(checking {scenario}, which builds on this file)"
    )
    assert "checking" not in by_file[scenario]


def test_warning_in_an_override_points_into_the_scenario(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    scenario = _write(
        tmp_path / "scenario.yaml", "extends: base.yaml\ntiers:\n  smb:\n    churn_rate: 0.04\n"
    )
    problems = [p for p in list(run_plan(scenario).problems) if p.code == "SP401"]
    assert [str(p.location) for p in problems] == [f"{scenario}:4:17"]


def test_extends_cycle_is_an_error(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.yaml", "extends: b.yaml\n")
    _write(tmp_path / "b.yaml", "extends: a.yaml\n")
    problems = list(run_plan(a).problems)
    assert [(p.code, p.location.path, p.location.line) for p in problems] == [
        ("SP214", str(tmp_path / "b.yaml"), 1)
    ]
    assert "cycle" in problems[0].message


def test_extends_itself_is_a_cycle(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.yaml", BASE + "extends: a.yaml\n")
    assert [p.code for p in list(run_plan(a).problems)] == ["SP214"]


def test_missing_base_is_an_error_at_the_extends_line(tmp_path: Path) -> None:
    a = _write(tmp_path / "a.yaml", "company: {name: x}\nextends: nowhere.yaml\n")
    problems = list(run_plan(a).problems)
    assert [(p.code, str(p.location)) for p in problems] == [("SP214", f"{a}:2:10")]


def test_text_plans_resolve_extends_from_their_path(tmp_path: Path) -> None:
    _write(tmp_path / "base.yaml", BASE)
    loaded, problems = load_plan_text(
        str(tmp_path / "rev.yaml"), "extends: base.yaml\ncompany:\n  name: From git\n"
    )
    assert loaded is not None, [str(p) for p in problems]
    assert loaded.plan.company.name == "From git"
    assert loaded.plan.roles["ae"].comp.quota == 600_000
