"""One route: a report command prints on stderr exactly the problems ``check`` finds."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.checks.test_field_rules import BREACHES, patched
from tests.conftest import Cli
from tests.paths import CONFIGS, ROOT

SHIPPED = sorted(str(p.relative_to(ROOT)) for p in CONFIGS.rglob("*.yaml"))
NO_ROLES = "tests/plans/cli/no-roles.yaml"  # a valid plan that hires nobody
STARTERS = sorted(ROOT.glob("src/salesplan/starters/*.yaml"))


def _same_problems(cli: Cli, plan: str) -> None:
    checked = cli("check", "--format", "text", plan)
    planned = cli("plan", plan, "--format", "json")
    assert planned.err == checked.out
    assert planned.code == checked.code  # both 0 with warnings only, 1 with errors


@pytest.mark.parametrize("plan", SHIPPED)
def test_shipped_plans_print_what_check_finds(cli: Cli, plan: str) -> None:
    _same_problems(cli, plan)


def test_there_are_shipped_plans_with_warnings(cli: Cli) -> None:
    assert any(cli("check", plan).out for plan in SHIPPED), "the test would prove nothing"


@pytest.mark.parametrize(("code", "old", "new", "where"), BREACHES)
def test_field_rule_plans_print_what_check_finds(
    cli: Cli, tmp_path: Path, code: str, old: str, new: str, where: list[str]
) -> None:
    plan = tmp_path / "plan.yaml"
    plan.write_text(patched(old, new), encoding="utf-8")
    _same_problems(cli, str(plan))
    assert code in cli("plan", str(plan), "-f", "csv", "-t", "summary").err


@pytest.mark.parametrize("command", ["pods", "comp", "economics", "simulate", "sensitivity"])
def test_every_report_command_prints_them(cli: Cli, command: str) -> None:
    plan = "configs/series-a.yaml"
    extra = ["--trials", "20"] if command == "simulate" else []
    assert cli(command, plan, "-f", "json", *extra).err == cli("check", plan).out


def test_a_plan_with_errors_prints_them_and_exits_1(cli: Cli) -> None:
    bad = "tests/plans/cli/bad.yaml"
    checked, planned = cli("check", bad), cli("plan", bad)
    assert (planned.code, planned.out) == (1, "")
    assert planned.err == checked.out


@pytest.mark.parametrize(
    "args",
    [
        ["plan"],
        ["plan", "--all"],
        ["plan", "-f", "csv"],
        ["plan", "-f", "json"],
        ["plan", "-f", "markdown"],
        ["plan", "-f", "html"],
        ["report"],
        ["simulate", "-n", "100"],
        ["sensitivity"],
        ["pods"],
        ["comp"],
        ["economics"],
        ["solve", "--budget", "100000"],
    ],
    ids=" ".join,
)
def test_a_plan_with_no_roles_runs_every_command(cli: Cli, args: list[str]) -> None:
    # Check accepts it, so every command must answer it (forwards replayed no role, and the
    # bottleneck of a month with no role to rank crashed once).
    assert cli("check", NO_ROLES).code == 0
    code, out, _ = cli(*args[:1], NO_ROLES, *args[1:])
    assert code == 0 and out
