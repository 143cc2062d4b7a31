"""``salesplan check PLAN --actuals FILE``: the plan's problems, then the actuals', every format.

Each bad-file class is in ``tests/load/test_actuals_corpus.py`` (end to end as well); here
what the command adds: the order, the formats, a bad plan stopping before its actuals,
``--select``/``--ignore``/``--strict``, and usage errors.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.load.actuals_base import BASE, PLAN_ARG

SERIES_A = "configs/series-a.yaml"
SAMPLE = "configs/actuals/series-a-2027-q1.csv"
BAD_PLAN = "tests/plans/cli/bad.yaml"
# The test plan's own rules of thumb may grow with the field rules; these tests are about
# the actuals, so they select the actuals' codes where the whole output is compared.
ONLY_ACTUALS = ("--select", "SP5")


def write(tmp_path: Path, text: str, name: str = "actuals.csv") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_sample_passes_against_the_series_a_plan(cli: Cli) -> None:
    code, out, err = cli("check", SERIES_A, "--actuals", SAMPLE)
    assert code == 0, out + err
    assert SAMPLE not in out  # the plan's own warnings only
    assert err.startswith("salesplan: 1 plan and its actuals checked: 0 error(s), ")


def test_clean_actuals_against_a_clean_plan(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("check", PLAN_ARG, "--actuals", write(tmp_path, BASE), *ONLY_ACTUALS)
    assert (code, out) == (0, "")
    assert err == "salesplan: 1 plan and its actuals checked: 0 error(s), 0 warning(s)\n"


def bad_actuals(tmp_path: Path) -> str:
    """Actuals for series A with an unknown role (line 3) and a negative value (line 4)."""
    return write(
        tmp_path,
        "month,metric,tier,motion,stage,role,value\n"
        "2027-01,heads,,,,ae,4\n"
        "2027-01,heads,,,,aee,1\n"
        "2027-01,new_mrr,smb,,,,-5\n",
    )


def test_plan_problems_come_first_then_the_actuals(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    code, out, err = cli("check", SERIES_A, "--actuals", path)
    assert code == 1
    paths = [line.split(":", 1)[0] for line in out.splitlines()]
    first = paths.index(path)
    assert set(paths[:first]) == {SERIES_A} and set(paths[first:]) == {path}
    assert out.splitlines()[first:] == [
        f"{path}:3:6: SP511 error: no role 'aee' in the plan (did you mean 'ae'?)",
        f"{path}:4:7: SP521 error: -5 is negative: counts and amounts are never below 0",
    ]
    assert "checked: 2 error(s)" in err


def test_json_holds_both_in_one_document(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    code, out, err = cli("check", SERIES_A, "--actuals", path, "-f", "json")
    assert (code, err) == (1, "")
    problems = json.loads(out)["problems"]
    assert [p["path"] for p in problems][-2:] == [path, path]
    assert {p["path"] for p in problems} == {SERIES_A, path}
    assert [(p["line"], p["col"], p["code"]) for p in problems[-2:]] == [
        (3, 6, "SP511"),
        (4, 7, "SP521"),
    ]


def test_github_annotations_point_at_the_cell(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    code, out, err = cli("check", SERIES_A, "--actuals", path, "-f", "github")
    assert (code, err) == (1, "")
    assert f"::error file={path},line=3,col=6,title=SP511::no role 'aee'" in out
    _, default, _ = cli("check", SERIES_A, "--actuals", path, env={"GITHUB_ACTIONS": "true"})
    assert default == out


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_a_bad_plan_stops_before_the_actuals(cli: Cli, tmp_path: Path, fmt: str) -> None:
    path = bad_actuals(tmp_path)
    code, out, err = cli("check", BAD_PLAN, "--actuals", path, "-f", fmt)
    assert code == 1
    assert BAD_PLAN in out and path not in out
    assert f"salesplan: {path} was not read: the plan {BAD_PLAN} has errors\n" in err


def test_warnings_fail_only_under_strict(cli: Cli, tmp_path: Path) -> None:
    text = BASE.replace("2027-01,wins,smb,inbound,,,9", "2027-01,wins,smb,inbound,,,50")
    path = write(tmp_path, text)
    code, out, _ = cli("check", PLAN_ARG, "--actuals", path, *ONLY_ACTUALS)
    assert code == 0 and f"{path}:4:7: SP530 warning:" in out
    code, _, _ = cli("check", PLAN_ARG, "--actuals", path, "--strict", *ONLY_ACTUALS)
    assert code == 1
    code, out, _ = cli(
        "check", PLAN_ARG, "--actuals", path, "--strict", "--ignore", "SP530", *ONLY_ACTUALS
    )
    assert (code, out) == (0, "")


def test_select_and_ignore_choose_actuals_codes_too(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    _, out, _ = cli("check", SERIES_A, "--actuals", path, "--select", "SP5")
    assert [line.split(": ")[1].split()[0] for line in out.splitlines()] == ["SP511", "SP521"]
    code, out, _ = cli("check", SERIES_A, "--actuals", path, "--select", "SP5", "--ignore", "SP5")
    assert (code, out) == (0, "")
    # Problems that stop the reading (the file, its CSV, its header) are always shown.
    header_only = write(tmp_path, "month,metric,value\n2027-01,heads,4\n", "short.csv")
    code, out, _ = cli("check", SERIES_A, "--actuals", header_only, "--ignore", "SP5")
    assert code == 1 and f"{header_only}:1:1: SP506 error:" in out


def test_a_directory_is_a_problem_not_a_crash(cli: Cli, tmp_path: Path) -> None:
    code, out, _ = cli("check", PLAN_ARG, "--actuals", str(tmp_path), *ONLY_ACTUALS)
    assert code == 1
    assert out == f"{tmp_path}: SP500 error: this is a directory, not a file\n"


# -- usage errors: exit 2 -------------------------------------------------------------------


def test_a_missing_actuals_file_is_a_usage_error(cli: Cli) -> None:
    code, out, err = cli("check", PLAN_ARG, "--actuals", "no/such.csv")
    assert (code, out) == (2, "")
    assert err == "salesplan: error: no such file: no/such.csv\n"


def test_actuals_check_one_plan(cli: Cli) -> None:
    code, out, err = cli("check", PLAN_ARG, SERIES_A, "--actuals", SAMPLE)
    assert (code, out) == (2, "")
    assert "--actuals checks one plan against its actuals: give one PLAN, not 2" in err


def test_help_names_the_option(cli: Cli) -> None:
    code, out, _ = cli("check", "--help")
    assert code == 0 and "--actuals" in out
