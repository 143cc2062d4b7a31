"""``salesplan track PLAN ACTUALS`` through the CLI: goldens in every format, the streams, exit
codes, and bad actuals reported as ``check --actuals`` reports them."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from salesplan.choices import Period
from tests.cli.test_check_actuals import bad_actuals
from tests.conftest import Cli, in_format
from tests.golden import assert_golden
from tests.paths import GOLDEN, ROOT

SERIES_A = "configs/series-a.yaml"
SAMPLE = "configs/actuals/series-a-2027-q1.csv"
BAD_PLAN = "tests/plans/cli/bad.yaml"
BLUEPRINTS = "tests/plans/track/blueprints.yaml"
BLUEPRINTS_Q1 = "tests/plans/track/blueprints-q1.csv"
FORMATS = [("table", "txt"), ("csv", "csv"), ("json", "json"), ("markdown", "md")]
TABLES = ["funnel", "revenue", "customers", "people", "marketing", "rates", "days"]
TABLES += ["pace_basis", "pace"]


def checked(cli: Cli, *args: str) -> str:
    """Return what ``check PLAN --actuals FILE`` prints: the problems track puts on stderr."""
    _, out, _ = cli("check", *args)
    return out


@pytest.mark.parametrize(("fmt", "ext"), FORMATS)
def test_golden(cli: Cli, fmt: str, ext: str, tmp_path: Path) -> None:
    args = ("track", SERIES_A, SAMPLE, "--width", "100")
    code, out, err = in_format(cli, *args, fmt=fmt, directory=tmp_path)
    assert code == 0
    assert err == checked(cli, SERIES_A, "--actuals", SAMPLE)
    assert "\x1b" not in out
    assert_golden(out, GOLDEN / "track" / f"track.{ext}")


def test_the_headline_comes_first(cli: Cli) -> None:
    _, out, _ = cli("track", BLUEPRINTS, BLUEPRINTS_Q1, "--width", "120")
    lines = out.splitlines()
    assert lines[0] == "Plan against actuals: Blueprints example"
    headline = " ".join(lines[2:4])
    assert headline == (
        "Three months in (2027-01 to 2027-03): new MRR 15% below plan, smb/inbound win rate "
        "21% against 25% planned (not yet clear from the data); at this pace ARR ends 2027 "
        "at $1.2M against $1.4M planned."
    )


@pytest.mark.parametrize("fmt", ["table", "markdown", "html"])
def test_the_variance_note_is_said_once_and_kept_by_a_table_alone(cli: Cli, fmt: str) -> None:
    # Five variance tables in a row share what "difference" means: said under the first
    # only; a table shown alone, and every table in JSON, keeps it.
    said = "Difference = actual − plan"
    _, out, _ = cli("track", SERIES_A, SAMPLE, "--format", fmt, "--width", "100")
    assert out.count(said) == 1
    _, alone, _ = cli("track", SERIES_A, SAMPLE, "-t", "customers", "--format", fmt)
    assert alone.count(said) == 1
    _, doc, _ = cli("track", SERIES_A, SAMPLE, "--format", "json")
    assert sum(said in " ".join(t["notes"]) for t in json.loads(doc)["tables"]) == 5


def test_json_carries_the_tables_and_the_headline(cli: Cli) -> None:
    code, out, _ = cli("track", SERIES_A, SAMPLE, "--format", "json")
    assert code == 0
    doc = json.loads(out)
    assert doc["kind"] == "track" and [t["name"] for t in doc["tables"]] == TABLES
    assert doc["meta"]["through"] == "2027-03" and doc["meta"]["actuals"] == SAMPLE
    (first,) = doc["headline"]
    assert first["text"].startswith("Three months in (2027-01 to 2027-03): new MRR ")
    # The figures stay numbers: the new MRR miss, the two win rates, the two ARRs.
    assert [f["kind"] for f in first["figures"]] == ["rate", "rate", "rate", "money", "money"]
    rates = doc["tables"][TABLES.index("rates")]
    # A stage whose days reach back past the data has no rate, and says why.
    undefined = {(n["row"], n["column"]) for n in rates["na"]}
    assert any(c == "rate" for _, c in undefined)


def test_csv_is_one_rectangular_table_per_section(cli: Cli) -> None:
    code, out, _ = cli("track", SERIES_A, SAMPLE, "--format", "csv", "--table", "revenue")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["metric", "tier", "period", "plan", "actual", "difference", "percent"]
    assert {len(r) for r in rows} == {7}
    ytd = [r for r in rows if r[:3] == ["new_mrr", "total", "2027 YTD"]]
    assert len(ytd) == 1
    plan, actual, difference, percent = (float(x) for x in ytd[0][3:])
    assert difference == pytest.approx(actual - plan)
    assert percent == pytest.approx(difference / plan, rel=1e-9)


def test_period_quarter_and_year(cli: Cli) -> None:
    _, out, _ = cli(
        "track", BLUEPRINTS, BLUEPRINTS_Q1, "-f", "csv", "-t", "customers", "-p", "quarter"
    )
    assert [r[1] for r in csv.reader(io.StringIO(out))][1:] == ["2027-Q1", "2027 YTD"] * 2
    _, out, _ = cli(
        "track", BLUEPRINTS, BLUEPRINTS_Q1, "-f", "csv", "-t", "customers", "-p", "year"
    )
    assert [r[1] for r in csv.reader(io.StringIO(out))][1:] == ["2027", "2027"]


def test_percent_of_a_zero_plan_is_na_with_its_reason(cli: Cli) -> None:
    _, out, _ = cli("track", SERIES_A, SAMPLE, "-f", "json", "-t", "people")
    table = json.loads(out)["tables"][0]
    reasons = {n["reason"] for n in table["na"] if n["column"] == "percent"}
    assert reasons == {"the plan is 0"}
    assert all(isinstance(r["difference"], float | int) for r in table["rows"])


def test_output_to_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "track.md"
    code, out, _ = cli("track", SERIES_A, SAMPLE, "-f", "markdown", "-o", str(target))
    assert (code, out) == (0, "")
    assert target.read_text("utf-8") == (GOLDEN / "track" / "track.md").read_text("utf-8")


# -- problems and exit codes ----------------------------------------------------------------


def test_bad_actuals_exit_1_with_located_errors_on_stderr(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    code, out, err = cli("track", SERIES_A, path)
    assert (code, out) == (1, "")
    assert err == checked(cli, SERIES_A, "--actuals", path)
    assert f"{path}:3:6: SP511 error: no role 'aee' in the plan (did you mean 'ae'?)\n" in err
    assert "Traceback" not in err


def test_an_actuals_file_that_is_a_directory(cli: Cli, tmp_path: Path) -> None:
    code, out, err = cli("track", SERIES_A, str(tmp_path))
    assert (code, out) == (1, "")
    assert err.endswith(f"{tmp_path}: SP500 error: this is a directory, not a file\n")


def test_a_bad_plan_stops_before_its_actuals(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    code, out, err = cli("track", BAD_PLAN, path)
    assert (code, out) == (1, "")
    assert err.startswith(f"{BAD_PLAN}:4:10: SP207 error: ")
    assert err.endswith(f"salesplan: {path} was not read: the plan {BAD_PLAN} has errors\n")


@pytest.mark.parametrize(
    ("plan", "actuals", "missing"),
    [("no/such.yaml", SAMPLE, "no/such.yaml"), (SERIES_A, "no/such.csv", "no/such.csv")],
)
def test_a_missing_file_exits_2(cli: Cli, plan: str, actuals: str, missing: str) -> None:
    code, out, err = cli("track", plan, actuals)
    assert (code, out) == (2, "")
    assert err == f"salesplan: error: no such file: {missing}\n"


@pytest.mark.parametrize(
    "args", [["--period", "decade"], ["--format", "xml"], ["--width", "10"], ["-t", "nope"]]
)
def test_bad_options_exit_2(cli: Cli, args: list[str]) -> None:
    code, out, err = cli("track", BLUEPRINTS, BLUEPRINTS_Q1, *args)
    assert (code, out) == (2, "")
    assert err.strip()


def test_help_shows_an_example(cli: Cli) -> None:
    code, out, _ = cli("track", "--help")
    assert code == 0
    assert "salesplan track configs/series-a.yaml configs/actuals/series-a-2027-q1.csv" in out
    assert "--period" in out and "--csv-dialect" in out


def test_scipy_is_imported_only_to_compute_an_interval() -> None:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    help_run = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "salesplan", "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )
    assert "scipy" not in help_run.stderr
    code = (
        "import sys, salesplan.pipeline, salesplan.report.track, salesplan.cli.track; "
        "print('scipy' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    )
    assert result.stdout.strip() == "False"


def test_the_report_renders_as_html_and_xlsx_too() -> None:
    from salesplan.pipeline import run_actuals, run_plan
    from salesplan.render.html import render_html
    from salesplan.render.xlsx import render_xlsx
    from salesplan.report.track import track_report

    evaluation = run_plan(str(ROOT / BLUEPRINTS)).evaluation
    assert evaluation is not None
    read = run_actuals(evaluation, str(ROOT / BLUEPRINTS_Q1))
    assert read.actuals is not None
    tracked = evaluation.track(evaluation.actual_arrays(read.actuals), Period.MONTH)
    report = track_report(evaluation, tracked, BLUEPRINTS_Q1)
    assert "Three months in" in render_html(report)
    assert render_xlsx(report)[:2] == b"PK"


def test_each_marketing_row_is_its_own_spend(cli: Cli) -> None:
    # The rows read each tier's motions, the tier, then the total; each row's actual is what
    # the file says of its own tier and motion (a reordering once moved names, not figures).
    spent: dict[tuple[str, str], float] = {}
    with open(ROOT / SAMPLE, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["metric"] == "marketing_cost" and row["month"] == "2027-01":
                for key in ((row["tier"], row["motion"]), (row["tier"], ""), ("total", "")):
                    spent[key] = spent.get(key, 0.0) + float(row["value"])
    code, out, _ = cli("track", SERIES_A, SAMPLE, "-t", "marketing", "-f", "csv")
    assert code == 0
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["period"] == "2027-01"]
    keys = [(r["tier"], r["motion"]) for r in rows]
    assert keys == [
        ("smb", "inbound"),
        ("smb", "outbound"),
        ("smb", ""),
        ("mid_market", "inbound"),
        ("mid_market", "outbound"),
        ("mid_market", ""),
        ("total", ""),
    ]
    assert {k: float(r["actual"]) for k, r in zip(keys, rows, strict=True)} == spent
