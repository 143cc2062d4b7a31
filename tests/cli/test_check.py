"""``salesplan check`` through the CLI: exit codes, problem formats, stdout against stderr."""

from __future__ import annotations

import json

import pytest

from tests.conftest import Cli
from tests.golden import assert_golden
from tests.paths import GOLDEN as GOLDEN_ROOT
from tests.paths import ROOT

GOLDEN = GOLDEN_ROOT
SHIPPED = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "configs").rglob("*.yaml"))
OK = "tests/plans/cli/ok.yaml"
BAD = "tests/plans/cli/bad.yaml"  # five independent errors
GAP = "tests/plans/cli/gap.yaml"  # clean but for an SP301 capacity-gap warning

BAD_LINES = [
    f"{BAD}:4:10: SP207 error:",
    f"{BAD}:5:19: SP202 error:",
    f"{BAD}:11:5: SP201 error:",
    f"{BAD}:16:32: SP205 error:",
    f"{BAD}:21:17: SP202 error:",
]


def test_there_are_shipped_plans() -> None:
    assert "configs/series-a.yaml" in SHIPPED


@pytest.mark.parametrize("path", SHIPPED)
def test_every_shipped_plan_passes_check(cli: Cli, path: str) -> None:
    code, out, err = cli("check", path)
    assert code == 0, out + err
    assert " error: " not in out
    assert "0 error(s)" in err


def test_all_shipped_plans_in_one_run(cli: Cli) -> None:
    code, out, err = cli("check", *SHIPPED)
    assert code == 0, out + err
    assert f"{len(SHIPPED)} plan(s) checked: 0 error(s)" in err


def test_clean_plan(cli: Cli) -> None:
    code, out, err = cli("check", OK)
    assert (code, out) == (0, "")
    assert err == "salesplan: 1 plan(s) checked: 0 error(s), 0 warning(s)\n"


def test_bad_plan_lists_every_problem_on_stdout(cli: Cli) -> None:
    code, out, err = cli("check", BAD)
    assert code == 1
    lines = out.splitlines()
    assert [line[: len(prefix)] for line, prefix in zip(lines, BAD_LINES, strict=True)] == (
        BAD_LINES
    )
    assert "did you mean 'churn_rate'?" in lines[2]
    assert err == "salesplan: 1 plan(s) checked: 5 error(s), 0 warning(s)\n"


def test_problem_line_format(cli: Cli) -> None:
    _, out, _ = cli("check", BAD)
    for line in out.splitlines():
        location, code, severity, message = _split(line)
        path, row, col = location.rsplit(":", 2)
        assert path == BAD
        assert int(row) >= 1 and int(col) >= 1
        assert code.startswith("SP") and severity in ("error", "warning") and message


def _split(line: str) -> tuple[str, str, str, str]:
    location, rest = line.split(": ", 1)
    code, severity_message = rest.split(" ", 1)
    severity, message = severity_message.split(": ", 1)
    return location, code, severity, message


def test_several_files_in_one_run(cli: Cli) -> None:
    code, out, err = cli("check", OK, BAD, "configs/series-a.yaml")
    assert code == 1
    paths = {_split(line)[0].rsplit(":", 2)[0] for line in out.splitlines()}
    assert BAD in paths and OK not in paths
    assert "3 plan(s) checked: 5 error(s)" in err


# -- usage errors: exit 2 -------------------------------------------------------------------


def test_missing_file_is_a_usage_error(cli: Cli) -> None:
    code, out, err = cli("check", OK, "no/such/plan.yaml")
    assert (code, out) == (2, "")
    assert err == "salesplan: error: no such file: no/such/plan.yaml\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xml", OK],
        ["--no-such-option", OK],
        [],  # no plan at all
    ],
)
def test_bad_usage_exits_2(cli: Cli, args: list[str]) -> None:
    code, out, err = cli("check", *args)
    assert code == 2
    assert out == ""
    assert err.strip()


# -- formats --------------------------------------------------------------------------------


def test_json_format(cli: Cli) -> None:
    code, out, err = cli("check", "--format", "json", BAD)
    assert code == 1
    assert err == ""  # JSON is for programs: nothing else is printed
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    got = [
        f"{p['path']}:{p['line']}:{p['col']}: {p['code']} {p['severity']}:" for p in doc["problems"]
    ]
    assert got == BAD_LINES


def test_json_format_of_a_clean_plan(cli: Cli) -> None:
    code, out, _ = cli("check", "-f", "json", OK)
    assert code == 0
    assert json.loads(out) == {"schema_version": 1, "problems": []}


def test_github_format(cli: Cli) -> None:
    code, out, err = cli("check", "--format", "github", BAD)
    assert code == 1
    assert err == ""
    lines = out.splitlines()
    assert len(lines) == 5
    assert lines[0].startswith(f"::error file={BAD},line=4,col=10,title=SP207::")


def test_github_format_is_the_default_under_github_actions(cli: Cli) -> None:
    code, out, _ = cli("check", BAD, env={"GITHUB_ACTIONS": "true"})
    assert code == 1
    assert out.startswith("::error file=")
    # An explicit format still wins.
    _, out, _ = cli("check", "-f", "text", BAD, env={"GITHUB_ACTIONS": "true"})
    assert out.startswith(f"{BAD}:4:10: SP207 error:")


def test_warnings_pass_unless_strict(cli: Cli) -> None:
    code, out, _ = cli("check", GAP)
    assert code == 0
    assert f"{GAP}:38:3: SP301 warning: ae is short of capacity" in out
    code, out, _ = cli("check", "--strict", GAP)
    assert code == 1
    assert "SP301 warning" in out


def test_github_warning_annotation(cli: Cli) -> None:
    _, out, _ = cli("check", "-f", "github", GAP)
    assert out.startswith(f"::warning file={GAP},line=38,col=3,title=SP301::")


def test_select_and_ignore(cli: Cli) -> None:
    # The gap plan's AEs are short, so their quotas cover less than its bookings (SP414).
    code, out, _ = cli("check", "--ignore", "SP301", "--ignore", "SP414", "--strict", GAP)
    assert (code, out) == (0, "")
    code, out, _ = cli("check", "--select", "SP3", "--strict", GAP)
    assert code == 1 and "SP301" in out
    # Errors that stop a plan loading cannot be filtered away.
    code, out, _ = cli("check", "--ignore", "SP2", BAD)
    assert code == 1 and out.count("\n") == 5


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_codes_are_a_usage_error(cli: Cli, option: str) -> None:
    # A typo in CI must not turn every check off (or none): exit 2, nothing checked.
    code, out, err = cli("check", option, "SP999", GAP)
    assert (code, out) == (2, "")
    assert "'SP999'" in err and "codes run SP100 to SP" in err


@pytest.mark.parametrize(
    ("fmt", "suffix"), [("text", "txt"), ("json", "json"), ("github", "github")]
)
def test_golden_problem_formats(cli: Cli, fmt: str, suffix: str) -> None:
    code, out, _ = cli("check", "--format", fmt, BAD, GAP)
    assert code == 1
    assert_golden(out, GOLDEN / f"check.{suffix}")


def test_an_engine_error_is_shown_whatever_is_selected(cli: Cli) -> None:
    # SP300 stops the plan: selecting only rules of thumb must not make it look clean.
    plan = "tests/plans/checks/explicit_new_mrr.yaml"
    code, out, _ = cli("check", "--select", "SP4", plan)
    assert code == 1 and " SP300 error: " in out
