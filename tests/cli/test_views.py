"""``salesplan pods``, ``comp`` and ``economics`` through the CLI: exit codes, streams, goldens."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.conftest import Cli, warnings_of
from tests.golden import assert_golden
from tests.paths import GOLDEN as GOLDEN_ROOT
from tests.paths import ROOT

GOLDEN = GOLDEN_ROOT
OK = "tests/plans/cli/ok.yaml"
BAD = "tests/plans/cli/bad.yaml"
SERIES_A = "configs/series-a.yaml"
COMMANDS = ("pods", "comp", "economics")
FORMATS = [("table", "txt"), ("csv", "csv"), ("json", "json"), ("markdown", "md")]
ANSI = "\x1b"


# -- goldens --------------------------------------------------------------------------------


@pytest.mark.parametrize(("fmt", "ext"), FORMATS)
@pytest.mark.parametrize("command", COMMANDS)
def test_golden(cli: Cli, command: str, fmt: str, ext: str) -> None:
    # economics by year keeps the golden readable; pods and comp use their defaults.
    extra = ["--period", "year"] if command == "economics" else []
    code, out, err = cli(command, SERIES_A, "--width", "100", "--format", fmt, *extra)
    assert (code, err) == (0, warnings_of(SERIES_A))
    assert ANSI not in out
    if fmt == "json":
        assert json.loads(out)["kind"] == command
    assert_golden(out, GOLDEN / command / f"{command}.{ext}")


# -- exit codes and streams ----------------------------------------------------------------


@pytest.mark.parametrize("command", COMMANDS)
def test_a_clean_plan_prints_to_stdout_only(cli: Cli, command: str) -> None:
    code, out, err = cli(command, OK, "--width", "100")
    assert code == 0
    assert out.strip() and err == ""


@pytest.mark.parametrize("command", COMMANDS)
def test_a_bad_plan_exits_1_with_problems_on_stderr(cli: Cli, command: str) -> None:
    code, out, err = cli(command, BAD)
    assert (code, out) == (1, "")
    assert err.startswith(f"{BAD}:4:10: SP207 error: ")


@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_file_exits_2(cli: Cli, command: str) -> None:
    code, out, err = cli(command, "no/such.yaml")
    assert (code, out) == (2, "")
    assert err == "salesplan: error: no such file: no/such.yaml\n"


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("args", [["--period", "decade"], ["--format", "xml"], ["--width", "10"]])
def test_bad_options_exit_2(cli: Cli, command: str, args: list[str]) -> None:
    code, out, err = cli(command, OK, *args)
    assert (code, out) == (2, "")
    assert err.strip()


@pytest.mark.parametrize("at", ["2030-01", "2026-12", "june", "2027-1"])
def test_pods_at_a_month_outside_the_plan_exits_2(cli: Cli, at: str) -> None:
    code, out, err = cli("pods", OK, "--at", at)
    assert (code, out) == (2, "")
    assert err == (
        f"salesplan: error: --at {at}: not a month of the plan; "
        "use YYYY-MM from 2027-01 to 2028-12\n"
    )


def test_pods_at_a_month(cli: Cli) -> None:
    code, out, err = cli("pods", SERIES_A, "--at", "2027-06", "-f", "json")
    assert (code, err) == (0, warnings_of(SERIES_A))
    report = json.loads(out)
    assert report["meta"]["at"] == "2027-06"
    tables = {t["name"]: t for t in report["tables"]}
    assert list(tables) == ["pod_templates", "pods", "pods_by_period", "pod_slack"]
    assert tables["pods"]["title"] == "Pods at 2027-06"


def test_pods_summary_in_the_terminal_only(cli: Cli) -> None:
    _, table, _ = cli("pods", SERIES_A, "--width", "100")
    _, as_csv, _ = cli("pods", SERIES_A, "-f", "csv")
    assert "of slack" in table and "of slack" not in as_csv


def test_economics_periods(cli: Cli) -> None:
    for period, labels in (("plan", ["2027-01..2028-12"]), ("year", ["2027", "2028"])):
        code, out, _ = cli("economics", SERIES_A, "-p", period, "-f", "json")
        assert code == 0
        economics = next(t for t in json.loads(out)["tables"] if t["name"] == "economics")
        assert sorted({r["period"] for r in economics["rows"]}) == labels


def test_economics_csv_carries_raw_numbers_and_na(cli: Cli) -> None:
    code, out, _ = cli("economics", SERIES_A, "-p", "year", "-f", "csv", "-t", "economics")
    assert code == 0
    section = out.split("\n\n")[0]
    records = list(csv.DictReader(io.StringIO(section, newline="")))
    first = next(r for r in records if r["tier"] == "smb" and r["period"] == "2027")
    float(first["cac"])  # a raw number: no "$", no thousands separator
    assert "$" not in out and ANSI not in out
    assert first["magic_number"] == "n/a"  # an undefined figure, never 0 or inf


def test_output_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "comp.csv"
    code, out, _ = cli("comp", SERIES_A, "-f", "csv", "-o", str(target))
    assert (code, out) == (0, "")
    _, direct, _ = cli("comp", SERIES_A, "-f", "csv")
    assert target.read_text("utf-8") == direct


def test_pod_titles_cannot_run_as_formulas(cli: Cli, tmp_path: Path) -> None:
    text = (ROOT / OK).read_text("utf-8")
    text = text.replace("  pod:\n", '  pod:\n    title: "=HYPERLINK(1)"\n')
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, _ = cli("pods", str(path), "-f", "csv")
    assert code == 0
    cells = [c for row in csv.reader(io.StringIO(out, newline="")) for c in row]
    assert not any(c.startswith("=") for c in cells)


def test_plan_has_the_new_sections(cli: Cli) -> None:
    code, out, _ = cli("plan", OK, "--all", "-f", "json")
    assert code == 0
    names = [t["name"] for t in json.loads(out)["tables"]]
    assert names[-6:] == ["pods", "comp", "costs", "economics", "bottlenecks", "marginal_heads"]
    code, out, _ = cli("plan", OK, "-t", "economics", "-f", "json")
    assert [t["name"] for t in json.loads(out)["tables"]] == ["economics"]


@pytest.mark.parametrize("command", COMMANDS)
def test_help(cli: Cli, command: str) -> None:
    code, out, _ = cli(command, "--help")
    assert code == 0
    assert "--period" in out and "--csv-dialect" in out


@pytest.mark.parametrize(
    ("args", "header"),
    [
        (["economics", "configs/series-a.yaml", "-t", "economics"], "tier,period,new_customers,"),
        (["comp", "configs/series-a.yaml", "-t", "comp"], "role,function,ote,"),
        (["pods", "configs/series-a.yaml", "-t", "pod_slack"], "role,pod_capacity_fte,"),
        (["simulate", "configs/series-a.yaml", "--trials", "20", "-t", "cost"], "metric,outcome,"),
        (["sensitivity", "configs/series-a.yaml", "-t", "cac"], "input,swing,low,high,"),
        (
            [
                "compare",
                "configs/scenarios/base.yaml",
                "configs/scenarios/hire-faster.yaml",
                "-t",
                "people",
            ],
            "metric,label,base,hire-faster",
        ),
    ],
)
def test_every_report_command_gives_one_clean_table(cli: Cli, args: list[str], header: str) -> None:
    # One table in CSV: a plain header row, no `table` column, for a spreadsheet to open.
    result = cli(*[*args, "--format", "csv"])
    plans = [a for a in args if a.endswith(".yaml")]
    assert (result.code, result.err) == (0, warnings_of(*plans))
    assert result.out.startswith(header)
    assert "\n\n" not in result.out.rstrip("\n")


def test_unknown_table_of_a_report_command_is_a_usage_error(cli: Cli) -> None:
    result = cli(*["comp", "configs/series-a.yaml", "-t", "nope"])
    assert result.code == 2
    assert "no table nope; tables: comp, comp_cost" in result.err
