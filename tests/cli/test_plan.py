"""``salesplan plan``, ``schema`` and ``init`` through the CLI, and ``--help`` of every command."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from typer.main import get_command

from salesplan.cli import app, use_color
from salesplan.load.plan import load_plan
from tests.conftest import Cli, warnings_of
from tests.golden import assert_golden
from tests.paths import GOLDEN as GOLDEN_ROOT
from tests.paths import ROOT

GOLDEN = GOLDEN_ROOT / "plan"
OK = "tests/plans/cli/ok.yaml"
BAD = "tests/plans/cli/bad.yaml"
SERIES_A = "configs/series-a.yaml"
COMMANDS = sorted(get_command(app).commands)  # type: ignore[attr-defined]
STAGES = ("seed", "series-a", "series-b", "growth")
ANSI = "\x1b"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def table_names(cli: Cli) -> list[str]:
    code, out, _ = cli("plan", OK, "--all", "--format", "json")
    assert code == 0
    return [t["name"] for t in json.loads(out)["tables"]]


# -- plan: exit codes -----------------------------------------------------------------------


def test_plan_prints_to_stdout_only(cli: Cli) -> None:
    code, out, err = cli("plan", OK, "--width", "100")
    assert code == 0
    assert "The plan by year" in out
    assert ANSI not in out
    assert err == ""


def test_plan_of_a_bad_plan_exits_1_with_problems_on_stderr(cli: Cli) -> None:
    code, out, err = cli("plan", BAD)
    assert (code, out) == (1, "")
    assert err.startswith(f"{BAD}:4:10: SP207 error: ")
    assert len(err.splitlines()) == 5


def test_plan_of_a_missing_file_exits_2(cli: Cli) -> None:
    code, out, err = cli("plan", "no/such.yaml")
    assert (code, out) == (2, "")
    assert err == "salesplan: error: no such file: no/such.yaml\n"


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "xml"],
        ["--period", "decade"],
        ["--width", "10"],
        ["--csv-dialect", "tsv"],
        ["--no-such-option"],
    ],
)
def test_plan_bad_option_exits_2(cli: Cli, args: list[str]) -> None:
    code, out, err = cli("plan", OK, *args)
    assert code == 2
    assert out == ""
    assert err.strip()


# -- plan: tables ---------------------------------------------------------------------------


def test_table_selects_one_table(cli: Cli) -> None:
    names = table_names(cli)
    assert {"summary", "headcount", "hires"} <= set(names)
    code, out, _ = cli("plan", OK, "--table", "headcount", "--format", "json")
    assert code == 0
    assert [t["name"] for t in json.loads(out)["tables"]] == ["headcount"]


def test_table_is_repeatable(cli: Cli) -> None:
    code, out, _ = cli("plan", OK, "-t", "hires", "-t", "summary", "-f", "json")
    assert code == 0
    assert sorted(t["name"] for t in json.loads(out)["tables"]) == ["hires", "summary"]


def test_unknown_table_exits_2_listing_the_tables(cli: Cli) -> None:
    code, out, err = cli("plan", OK, "--table", "nope")
    assert (code, out) == (2, "")
    assert err == f"salesplan: error: no table nope; tables: {', '.join(table_names(cli))}\n"


# -- plan: CSV ------------------------------------------------------------------------------


def csv_cells(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def assert_safe_csv(text: str) -> None:
    """CSV a spreadsheet can open: no colour codes, no cell it would run as a formula."""
    assert ANSI not in text
    assert "\r" not in text
    rows = csv_cells(text)
    assert rows
    for row in rows:
        for cell in row:
            if cell.startswith(FORMULA_START):
                float(cell)  # only a negative number may start with '-'


def test_csv_is_the_plan_by_year(cli: Cli) -> None:
    """The first screen's CSV is one table, the plan by year: one header, equal rows."""
    code, out, _ = cli("plan", SERIES_A, "--format", "csv")
    assert code == 0
    assert_safe_csv(out)
    rows = csv_cells(out)
    assert rows[0][:3] == ["period", "ending_arr", "arr_delivered"]
    assert [row[0] for row in rows[1:]] == ["2027", "2028", "plan"]
    assert all(len(row) == len(rows[0]) for row in rows)


def test_csv_parses_and_is_safe(cli: Cli) -> None:
    code, out, _ = cli("plan", SERIES_A, "--all", "--format", "csv", "--period", "month")
    assert code == 0
    assert_safe_csv(out)
    # Several tables: one section each, every data row starting with its table's name.
    sections = out.split("\n\n")
    assert len(sections) == len(table_names(cli))
    for section in sections:
        rows = csv_cells(section)
        assert rows[0][0] == "table"
        assert len({row[0] for row in rows[1:]}) <= 1
        assert all(len(row) == len(rows[0]) for row in rows)


HOSTILE = ('=HYPERLINK("http://x")', "@SUM(1+1)", "+1+2", "-2+3", "\tcmd")


def test_csv_neutralises_free_text(cli: Cli, tmp_path: Path) -> None:
    """Company name, role and pod titles are free text: none of it may run as a formula."""
    text = (ROOT / OK).read_text("utf-8")
    text = text.replace("  name: Probe", f"  name: {json.dumps(HOSTILE[0])}")
    text = text.replace("    title: SDR", f"    title: {json.dumps(HOSTILE[1])}")
    text = text.replace("  ae:\n", f"  ae:\n    title: {json.dumps(HOSTILE[2])}\n")
    text = text.replace("  manager:\n", f"  manager:\n    title: {json.dumps(HOSTILE[4])}\n")
    text = text.replace("  pod:\n", f"  pod:\n    title: {json.dumps(HOSTILE[3])}\n")
    path = tmp_path / "hostile.yaml"
    path.write_text(text, encoding="utf-8")
    loaded, problems = load_plan(str(path))
    assert loaded is not None, problems
    for period in ("month", "plan"):
        code, out, _ = cli("plan", str(path), "-f", "csv", "-p", period)
        assert code == 0
        assert_safe_csv(out)
    for dialect in ("excel", "excel-semicolon"):
        code, out, _ = cli("plan", str(path), "-f", "csv", "--csv-dialect", dialect)
        assert code == 0
        assert out.startswith("\ufeff")
        assert_safe_csv(out.removeprefix("\ufeff").replace(";", ","))


# -- plan: -o FILE --------------------------------------------------------------------------


def test_output_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    code, out, _ = cli("plan", OK, "-f", "csv", "-o", str(target))
    assert (code, out) == (0, "")
    _, direct, _ = cli("plan", OK, "-f", "csv")
    assert target.read_text("utf-8") == direct
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"]


def test_output_dash_is_stdout(cli: Cli) -> None:
    code, out, _ = cli("plan", OK, "-f", "csv", "-o", "-")
    assert code == 0
    assert out.startswith("period,ending_arr,")


def test_failing_run_leaves_the_output_file_untouched(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("previous report\n", encoding="utf-8")
    for args in (
        ["plan", BAD, "-f", "csv", "-o", str(target)],  # the plan has errors
        ["plan", OK, "-t", "nope", "-o", str(target)],  # a usage error
        ["plan", "no/such.yaml", "-o", str(target)],  # no plan file
    ):
        code, out, _ = cli(*args)
        assert code in (1, 2)
        assert out == ""
        assert target.read_text("utf-8") == "previous report\n"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.csv"], args


def test_output_into_a_missing_directory_exits_2(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("plan", OK, "-o", str(tmp_path / "nowhere" / "plan.txt"))
    assert code == 2
    assert "does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_output_replaces_an_existing_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old", encoding="utf-8")
    code, _, _ = cli("plan", OK, "-f", "json", "-o", str(target))
    assert code == 0
    assert json.loads(target.read_text("utf-8"))["kind"] == "plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.json"]


# -- plan: goldens --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fmt", "name"),
    [("table", "table.txt"), ("csv", "plan.csv"), ("json", "plan.json"), ("markdown", "plan.md")],
)
def test_golden_plan(cli: Cli, fmt: str, name: str) -> None:
    code, out, err = cli("plan", SERIES_A, "--width", "100", "--format", fmt)
    assert (code, err) == (0, warnings_of(SERIES_A))
    if fmt == "json":
        json.loads(out)
    assert_golden(out, GOLDEN / name)


# -- plan --confidence (docs/model.md §14) --------------------------------------------------


def test_golden_plan_at_confidence(cli: Cli) -> None:
    # The series-A plan sized to reach its target in 80% of 500 drawn worlds (seed 0): more
    # pipeline and, where the worlds need them, more people than at the likely values.
    args = ("plan", SERIES_A, "--confidence", "0.8", "-p", "year", "-f", "csv")
    code, out, _ = cli(*args, "-t", "headcount")
    assert code == 0
    assert_golden(out, GOLDEN / "confidence.csv")
    _, likely, _ = cli("plan", SERIES_A, "-p", "year", "-f", "csv", "-t", "headcount")
    assert out != likely


@pytest.mark.parametrize("value", ["0", "1", "1.5", "high"])
def test_confidence_out_of_bounds_is_a_usage_error(cli: Cli, value: str) -> None:
    code, out, err = cli("plan", SERIES_A, "--confidence", value)
    assert (code, out) == (2, "")
    assert "--confidence" in err


def test_a_level_out_of_reach_warns_and_still_plans(cli: Cli) -> None:
    # The seed plan has no ranges and loses deals in months no hire can reach: no plan
    # reaches its target in any world, so it is planned at its likely values with SP303.
    code, out, err = cli("plan", "configs/seed.yaml", "--confidence", "0.8", "-t", "summary")
    assert code == 0 and "Summary" in out
    assert (
        "SP303 warning: sized to a confidence of 80%, the plan reaches its target in only 0%"
        in (err)
    )


# -- schema ---------------------------------------------------------------------------------


def test_schema_prints_valid_json(cli: Cli) -> None:
    code, out, err = cli("schema")
    assert (code, err) == (0, "")
    schema = json.loads(out)
    assert schema["$schema"].startswith("https://json-schema.org/")
    assert {"company", "target", "tiers"} <= set(schema["$defs"]["Plan"]["required"])
    assert schema["else"] == {"$ref": "#/$defs/Plan"}  # a plan that extends none is whole


def test_schema_to_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.schema.json"
    code, out, _ = cli("schema", "-o", str(target))
    assert (code, out) == (0, "")
    _, printed, _ = cli("schema")
    assert target.read_text("utf-8") == printed


# -- init -----------------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES)
def test_init_writes_a_starter_that_checks_clean(cli: Cli, stage: str, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    code, out, err = cli("init", "--stage", stage, "-o", str(target))
    assert (code, out) == (0, "")
    assert f"wrote {target}" in err
    assert (tmp_path / "plan.schema.json").is_file()
    code, out, _ = cli("check", str(target))
    assert code == 0, out


def test_init_default_is_series_a(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, _ = cli("init")
    assert code == 0
    starter = ROOT / "src" / "salesplan" / "starters" / "series-a.yaml"
    assert (tmp_path / "plan.yaml").read_text("utf-8") == starter.read_text("utf-8")


def test_init_refuses_to_overwrite_without_force(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "plan.yaml"
    target.write_text("mine\n", encoding="utf-8")
    code, out, err = cli("init", "-o", str(target))
    assert (code, out) == (2, "")
    assert "exists; use --force" in err
    assert target.read_text("utf-8") == "mine\n"
    code, _, _ = cli("init", "-o", str(target), "--force")
    assert code == 0
    assert target.read_text("utf-8") != "mine\n"


def test_init_keeps_an_existing_schema_file(cli: Cli, tmp_path: Path) -> None:
    schema = tmp_path / "plan.schema.json"
    schema.write_text("{}", encoding="utf-8")
    code, _, err = cli("init", "-o", str(tmp_path / "plan.yaml"))
    assert code == 0
    assert schema.read_text("utf-8") == "{}"
    assert f"kept the existing {schema}" in err


@pytest.mark.parametrize(
    ("tty", "no_color", "want"),
    [(True, None, True), (True, "1", False), (True, "", True), (False, None, False)],
)
def test_colour_only_on_a_terminal_and_never_under_no_color(
    tty: bool, no_color: str | None, want: bool
) -> None:
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return tty

    environ = {} if no_color is None else {"NO_COLOR": no_color}
    assert use_color(Stream(), environ) is want


def test_pods_of_a_plan_with_no_roles(cli: Cli, tmp_path: Path) -> None:
    # No roles and no pod templates: a layout that says so, not a numpy error.
    text = Path("configs/series-a.yaml").read_text("utf-8")
    plan = tmp_path / "noroles.yaml"
    plan.write_text(text[: text.index("\nroles:")] + "\n", encoding="utf-8")
    code, out, err = cli("pods", str(plan), "--format", "json")
    assert (code, err) == (0, warnings_of(str(plan)))
    assert json.loads(out)["summary"] == [
        "The plan defines no pod templates (add them under `pods:`)."
    ]


def test_init_to_stdout(cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("init", "--stage", "seed", "-o", "-")
    assert code == 0
    assert out.startswith("# yaml-language-server: $schema=plan.schema.json")
    assert list(tmp_path.iterdir()) == []


def test_init_unknown_stage_exits_2(cli: Cli, tmp_path: Path) -> None:
    code, _, _ = cli("init", "--stage", "ipo", "-o", str(tmp_path / "plan.yaml"))
    assert code == 2
    assert list(tmp_path.iterdir()) == []


# -- help -----------------------------------------------------------------------------------


def test_there_are_the_core_commands() -> None:
    assert {"check", "plan", "schema", "init"} <= set(COMMANDS)


@pytest.mark.parametrize("command", [[], *([c] for c in COMMANDS)])
def test_help_of_every_command(cli: Cli, command: list[str]) -> None:
    for flag in ("--help", "-h"):
        code, out, _ = cli(*command, flag)
        assert code == 0
        assert out.startswith("Usage: ")


def test_version(cli: Cli) -> None:
    code, out, _ = cli("--version")
    assert code == 0
    assert out.startswith("salesplan ")
