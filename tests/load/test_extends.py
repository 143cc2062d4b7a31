"""Scenario files: ``extends`` overrides, errors located in the file that holds the line, and
what ``extends`` may name: nothing a plan builds on that is not a plan shows in a message."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from salesplan.api import evaluate
from salesplan.load.plan import load_plan, load_plan_text
from salesplan.load.yamlread import MAX_BYTES
from salesplan.pipeline import run_plan
from tests.conftest import Cli
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


# -- what ``extends`` may name, and what a message may show of it ------------------------------

SHADOW = "root:*:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\nsecretuser:$6$salt$hash:20228::\n"
TOKEN = '{"token": "ghp_secret", "password": "hunter2secret"}\n'
# Fragments of the hostile files: none may appear in anything a command prints.
SECRETS = ("root:", "20228", "daemon", "secretuser", "$6$", "ghp_secret", "hunter2")


def _hostile(tmp_path: Path) -> dict[str, Path]:
    """Write files a plan should not be able to read through ``extends``; return them by kind."""
    shadow = tmp_path / "shadow"
    shadow.write_text(SHADOW, encoding="utf-8")
    shadow.chmod(0o600)
    (tmp_path / "token.json").write_text(TOKEN, encoding="utf-8")
    (tmp_path / "notes.txt").write_text("token: ghp_secret\n", encoding="utf-8")
    (tmp_path / "shadow.yaml").write_text(SHADOW, encoding="utf-8")
    (tmp_path / "token.yaml").write_text(TOKEN, encoding="utf-8")
    (tmp_path / "dir.yaml").mkdir()
    os.mkfifo(tmp_path / "fifo.yaml")
    (tmp_path / "link.yaml").symlink_to(shadow)
    (tmp_path / "huge.yaml").write_text("token: ghp_secret\n" + "#\n" * MAX_BYTES)
    (tmp_path / "broken.yaml").write_text('token: "ghp_secret\\q"\npassword: [hunter2\n')
    (tmp_path / "dupes.yaml").write_text("company: {}\ncompany: {}\nroot: x\n")
    return {
        "shadow": shadow,
        "json": tmp_path / "token.json",
        "txt": tmp_path / "notes.txt",
        "shadow.yaml": tmp_path / "shadow.yaml",
        "json.yaml": tmp_path / "token.yaml",
        "directory": tmp_path / "dir.yaml",
        "fifo": tmp_path / "fifo.yaml",
        "link": tmp_path / "link.yaml",
        "too large": tmp_path / "huge.yaml",
        "broken": tmp_path / "broken.yaml",
        "not a plan, duplicate keys": tmp_path / "dupes.yaml",
    }


HOSTILE = (
    "shadow",
    "json",
    "txt",
    "shadow.yaml",
    "json.yaml",
    "directory",
    "fifo",
    "link",
    "too large",
    "broken",
    "not a plan, duplicate keys",
)


@pytest.mark.parametrize("kind", HOSTILE)
@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_extends_never_shows_what_a_file_that_is_not_a_plan_holds(
    cli: Cli, tmp_path: Path, kind: str, fmt: str
) -> None:
    target = _hostile(tmp_path)[kind]
    plan = _write(tmp_path / "plan.yaml", BASE + f"extends: {target.name}\n")
    code, out, err = cli("check", "--format", fmt, plan)
    assert code == 1
    assert "SP214" in out or "SP101" in out, out
    for secret in SECRETS:
        assert secret not in out + err, (secret, out, err)
    # The report commands print the same problems, and no more of the file.
    code, out, err = cli("plan", plan)
    assert code == 1 and out == ""
    for secret in SECRETS:
        assert secret not in err, (secret, err)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("shadow", "extends: 'shadow' is not a .yaml or .yml file; a plan builds only on a plan"),
        ("json", "extends: 'token.json' is not a .yaml or .yml file; a plan builds only on a plan"),
        ("txt", "extends: 'notes.txt' is not a .yaml or .yml file; a plan builds only on a plan"),
        ("shadow.yaml", "extends: {dir}/shadow.yaml is not a plan file"),
        ("json.yaml", "extends: {dir}/token.yaml is not a plan file"),
        ("directory", "extends: {dir}/dir.yaml is a directory, not a plan file"),
        ("fifo", "extends: {dir}/fifo.yaml is not a regular file"),
        ("link", "extends: {dir}/link.yaml links to a file that is not .yaml or .yml"),
        (
            "too large",
            "extends: {dir}/huge.yaml is larger than 1,000,000 bytes, too large for a plan",
        ),
        ("not a plan, duplicate keys", "extends: {dir}/dupes.yaml is not a plan file"),
    ],
)
def test_extends_refuses_what_is_not_a_yaml_plan_at_its_line(
    tmp_path: Path, kind: str, message: str
) -> None:
    target = _hostile(tmp_path)[kind]
    plan = _write(tmp_path / "plan.yaml", BASE + f"extends: {target.name}\n")
    (found,) = run_plan(plan).problems
    line = BASE.count("\n") + 1
    assert (found.code, str(found.location)) == ("SP214", f"{plan}:{line}:10")
    assert found.message == message.format(dir=tmp_path)


def test_a_broken_base_is_located_without_quoting_it(tmp_path: Path) -> None:
    target = _hostile(tmp_path)["broken"]
    plan = _write(tmp_path / "plan.yaml", f"extends: {target.name}\n")
    assert [str(p) for p in run_plan(plan).problems] == [
        f"{target}:1:20: SP101 error: not valid YAML here (checking {plan}, which builds on "
        "this file)"
    ]


def test_a_base_plans_text_values_and_keys_are_not_quoted(tmp_path: Path) -> None:
    """A file with a plan's top level is read as one, but its text stays out of messages."""
    _write(
        tmp_path / "base.yaml",
        BASE.replace("name: Field rules", "name: Field rules\n  token: ghp_secret")
        .replace("ending_arr: 3_000_000", "ending_arr: hunter2secret")
        .replace("opening_heads: 3", "opening_heads: {low: ghp_secret, likely: 2, high: 3}")
        .replace("- {stage: sql, capacity: 30}", "- {stage: ghp_secret, capacity: 30}")
        .replace("  sdr:\n", "  sdr:\n    ghp_secretkey: 1\n"),
    )
    scenario = _write(tmp_path / "scenario.yaml", "extends: base.yaml\n")
    problems = run_plan(scenario).problems
    messages = [f"{p.code} {p.message.split(' (checking')[0]}" for p in problems]
    assert messages == [
        "SP201 unknown key (check this file on its own to see its name)",
        "SP202 ending_arr: input should be a valid number (got text)",
        "SP201 unknown key (check this file on its own to see its name)",
        "SP202 opening_heads: input should be a valid integer (got low text, likely 2, high 3)",
    ]
    for p in problems:
        assert "ghp_" not in str(p) and "hunter2" not in str(p)
    # Checked on its own, the same file is the plan being checked: its text is quoted.
    own = "\n".join(str(p) for p in run_plan(str(tmp_path / "base.yaml")).problems)
    assert "unknown key 'token'" in own and "'hunter2secret' (text)" in own


def test_a_base_plans_references_are_not_quoted(tmp_path: Path) -> None:
    _write(
        tmp_path / "base.yaml",
        BASE.replace("- {stage: sql, capacity: 30}", "- {stage: ghp_secret, capacity: 30}"),
    )
    scenario = _write(tmp_path / "scenario.yaml", "extends: base.yaml\n")
    (found,) = run_plan(scenario).problems
    assert (found.code, found.message) == (
        "SP210",
        f"role sdr: unknown stage (checking {scenario}, which builds on this file)",
    )
    (own,) = run_plan(str(tmp_path / "base.yaml")).problems
    assert own.message == "role sdr: unknown stage 'ghp_secret'"
