"""The project's configuration on the command line: check and every report command apply it,
options override it, and a configuration that cannot be used is a located usage error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.paths import PLANS

GAP = PLANS / "cli" / "gap.yaml"  # clean but for an SP301 capacity-gap warning


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> Path:
    """Return a project directory (the current one) with the gap plan twice: as a plan and
    as a scenario."""
    for name in ("plans/gap.yaml", "plans/scenarios/gap.yaml"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(GAP, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _configure(project: Path, name: str, text: str) -> None:
    (project / name).write_text(text, encoding="utf-8")


def test_without_a_configuration_a_warning_passes(cli: Cli, project: Path) -> None:
    code, out, _ = cli("check", "plans/gap.yaml")
    assert code == 0 and "SP301 warning" in out


def test_check_applies_strict_ignore_and_per_path(cli: Cli, project: Path) -> None:
    _configure(
        project,
        "pyproject.toml",
        '[project]\nname = "plans"\n\n[tool.salesplan]\nstrict = true\n\n'
        '[tool.salesplan.per-path]\n"plans/scenarios/*.yaml" = { ignore = ["SP301", "SP414"] }\n',
    )
    code, out, err = cli("check", "plans/gap.yaml", "plans/scenarios/gap.yaml")
    assert code == 1  # strict: the plan's warning fails the check
    assert out.startswith("plans/gap.yaml:") and "plans/scenarios/" not in out
    assert "2 plan(s) checked: 0 error(s), 2 warning(s)" in err
    # The scenario alone: its warning is ignored there, so strict finds nothing to fail.
    assert cli("check", "plans/scenarios/gap.yaml")[:2] == (0, "")


def test_options_override_the_configuration(cli: Cli, project: Path) -> None:
    _configure(project, ".salesplan.yaml", "strict: true\nignore: [SP301, SP414]\n")
    assert cli("check", "plans/gap.yaml")[:2] == (0, "")
    code, out, _ = cli("check", "--ignore", "SP4", "plans/gap.yaml")  # replaces ignore
    assert code == 1 and "SP301 warning" in out
    code, out, _ = cli("check", "--ignore", "SP4", "--no-strict", "plans/gap.yaml")
    assert code == 0 and "SP301 warning" in out


def test_report_commands_print_the_problems_check_prints(cli: Cli, project: Path) -> None:
    _configure(
        project,
        ".salesplan.yaml",
        'per-path:\n  "plans/scenarios/*.yaml": {ignore: [SP3, SP414]}\n',
    )
    for command in (["plan"], ["pods"], ["comp"], ["economics"], ["sensitivity"]):
        code, _, err = cli(*command, "plans/gap.yaml", "-f", "csv")
        assert code == 0 and "SP301 warning" in err, command
        code, _, err = cli(*command, "plans/scenarios/gap.yaml", "-f", "csv")
        assert (code, err) == (0, ""), command
    code, _, err = cli("compare", "plans/gap.yaml", "plans/scenarios/gap.yaml", "-f", "csv")
    assert code == 0 and err.count("SP301") == 1


def test_the_configuration_is_found_from_a_subdirectory(
    cli: Cli, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _configure(
        project, ".salesplan.yaml", 'per-path:\n  "plans/scenarios/*": {ignore: [SP3, SP414]}\n'
    )
    monkeypatch.chdir(project / "plans")
    assert cli("check", "scenarios/gap.yaml")[:2] == (0, "")
    assert "SP301" in cli("check", "gap.yaml").out


@pytest.mark.parametrize(
    ("name", "text", "shown"),
    [
        (
            "pyproject.toml",
            '[project]\nname = "plans"\n\n[tool.salesplan]\nstrict = "yes"\n',
            "pyproject.toml:5:1: SP602 error: strict: expected true or false\n",
        ),
        (
            "pyproject.toml",
            "[tool.salesplan]\nselect = [\n",
            "pyproject.toml:2:11: SP600 error: Invalid value\n",
        ),
        (
            ".salesplan.yaml",
            "ignore: [SP301, SP414]\nstrict: true\nselekt: [SP4]\n",
            ".salesplan.yaml:3:1: SP601 error: unknown key 'selekt' (did you mean 'select'?) "
            "(keys: select, ignore, strict, per-path)\n",
        ),
    ],
    ids=["wrong type", "TOML syntax", "unknown key"],
)
def test_a_bad_configuration_is_a_located_usage_error(
    cli: Cli, project: Path, name: str, text: str, shown: str
) -> None:
    _configure(project, name, text)
    for command in (["check"], ["plan"], ["diff", "plans/gap.yaml"]):
        code, out, err = cli(*command, "plans/gap.yaml")
        assert (code, out) == (2, ""), command
        assert err == (
            f"{shown}salesplan: error: the configuration in {name} cannot be used: fix it, or "
            "remove it\n"
        )


def test_an_error_that_stops_a_plan_is_shown_whatever_is_selected(cli: Cli, project: Path) -> None:
    # The target is met by an explicit tier (SP300): selecting only rules of thumb, from the
    # configuration or the command line, must not make the refused plan look clean.
    shutil.copy(PLANS / "checks" / "explicit_new_mrr.yaml", project / "plans" / "met.yaml")
    _configure(project, ".salesplan.yaml", "select: [SP4]\n")
    for args in (["check"], ["check", "--select", "SP40"], ["plan"]):
        code, out, err = cli(*args, "plans/met.yaml")
        assert code == 1 and "SP300 error" in out + err, args
