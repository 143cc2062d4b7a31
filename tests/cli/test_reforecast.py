"""``salesplan reforecast PLAN ACTUALS`` through the CLI: goldens in every format, the streams,
exit codes, bad actuals reported as ``check --actuals`` reports them, and ``--write-plan``:
a plan file the other commands read, never written over the plan or half-written."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.test_check_actuals import bad_actuals
from tests.conftest import Cli
from tests.golden import assert_golden
from tests.paths import GOLDEN, ROOT

SERIES_A = "configs/series-a.yaml"
SAMPLE = "configs/actuals/series-a-2027-q1.csv"
BAD_PLAN = "tests/plans/cli/bad.yaml"
BLUEPRINTS = "tests/plans/reforecast/blueprints.yaml"
BLUEPRINTS_Q1 = "tests/plans/reforecast/blueprints-q1.csv"
FORMATS = [("table", "txt"), ("csv", "csv"), ("json", "json"), ("markdown", "md")]
TABLES = ["reforecast", "reforecast_people", "entries", "hiring", "rates", "in_flight"]
TABLES += ["years", "people"]


def checked(cli: Cli, *args: str) -> str:
    """Return what ``check PLAN --actuals FILE`` prints: the problems reforecast prints."""
    _, out, _ = cli("check", *args)
    return out


@pytest.mark.parametrize(("fmt", "ext"), FORMATS)
def test_golden(cli: Cli, fmt: str, ext: str) -> None:
    code, out, err = cli("reforecast", SERIES_A, SAMPLE, "--width", "100", "--format", fmt)
    assert code == 0
    assert err == checked(cli, SERIES_A, "--actuals", SAMPLE)
    assert "\x1b" not in out
    assert_golden(out, GOLDEN / "reforecast" / f"reforecast.{ext}")


def test_golden_worked_example_under_actual_rates(cli: Cli) -> None:
    code, out, err = cli(
        "reforecast", BLUEPRINTS, BLUEPRINTS_Q1, "--rates", "actual", "--width", "100"
    )
    assert (code, err) == (0, "")
    assert_golden(out, GOLDEN / "reforecast" / "blueprints-actual.txt")


def test_the_headline_says_what_to_do(cli: Cli) -> None:
    # The hand-worked figures of tests/reforecast/test_worked.py, as the headline says them.
    _, out, _ = cli("reforecast", BLUEPRINTS, BLUEPRINTS_Q1, "--width", "200")
    lines = out.splitlines()
    assert lines[0] == "Reforecast: Blueprints example, from 2027-04"
    assert lines[2] == (
        "Actuals through 2027-03 (3 of 12 months): ARR $270,000 against $360,000 planned, "
        "revenue to date $44,500 against $60,000."
    )
    assert lines[3] == (
        "To still reach $780k of revenue in the first year ($735,500 more by 2027-12): new MRR "
        "of $11,844 a month from 2027-04 (the plan has $10,000)."
    )
    assert lines[4] == "Entries it needs in 2027-04: 95 sql (80 planned), 24 won (20 planned)."
    assert lines[5] == "Hiring against the plan: 1 more sdr starting by 2027-04 (--table hiring)."
    _, out, _ = cli("reforecast", BLUEPRINTS, BLUEPRINTS_Q1, "--width", "200", "--rates", "actual")
    lines = out.splitlines()
    assert lines[4] == "Entries it needs in 2027-04: 158 sql (80 planned), 24 won (20 planned)."
    assert lines[5] == "Hiring against the plan: 3 more sdr starting by 2027-04 (--table hiring)."


def test_json_carries_the_tables_the_headline_and_the_meta(cli: Cli) -> None:
    code, out, _ = cli("reforecast", SERIES_A, SAMPLE, "--format", "json", "--rates", "blend")
    assert code == 0
    doc = json.loads(out)
    assert doc["kind"] == "reforecast" and [t["name"] for t in doc["tables"]] == TABLES
    meta = doc["meta"]
    assert (meta["through"], meta["from"], meta["rates"]) == ("2027-03", "2027-04", "blend")
    texts = [s["text"] for s in doc["headline"]]
    assert texts[0].startswith("Actuals through 2027-03 (3 of 24 months): ARR ")
    assert any(t.startswith("To still reach ") for t in texts)
    assert any(" simulated worlds of the 21 months left reach it " in t for t in texts)
    assert any("seed 0" in t for t in texts)
    rates = doc["tables"][TABLES.index("rates")]
    assert {r["used_rate"] for r in rates["rows"]} == {r["blended_rate"] for r in rates["rows"]}


def test_csv_is_the_plan_against_the_reforecast(cli: Cli) -> None:
    code, out, _ = cli("reforecast", SERIES_A, SAMPLE, "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == ["metric", "title", "plan", "reforecast", "difference"]
    ending = next(r for r in rows if r[0] == "ending_arr")
    assert float(ending[3]) == pytest.approx(6_000_000, rel=1e-12)
    for row in rows[1:]:
        plan, new, difference = (float(x) for x in row[2:])
        assert difference == pytest.approx(new - plan, rel=1e-9, abs=1e-6)  # 12 digits


def test_all_adds_every_table_of_the_rebased_plan(cli: Cli) -> None:
    _, out, _ = cli("reforecast", BLUEPRINTS, BLUEPRINTS_Q1, "--all", "-f", "json", "-n", "0")
    names = [t["name"] for t in json.loads(out)["tables"]]
    assert names[: len(TABLES) - 2] == TABLES[:-2]
    assert {"summary", "headcount", "hires", "gaps", "funnel", "pipeline"} <= set(names)


def test_trials_and_seed_are_stated_and_change_the_odds_only(cli: Cli) -> None:
    def run(*args: str) -> dict[str, object]:
        _, out, _ = cli("reforecast", SERIES_A, SAMPLE, "-f", "json", *args)
        doc: dict[str, object] = json.loads(out)
        return doc

    one, two = run("-n", "200", "--seed", "3"), run("-n", "200", "--seed", "3")
    assert one == two
    texts = [s["text"] for s in one["headline"]]  # type: ignore[index]
    assert any("of 200 simulated worlds" in t and "seed 3" in t for t in texts)
    # Another seed draws other worlds; the plan against the reforecast is the same.
    other = run("-n", "200", "--seed", "4")
    assert other["tables"][0] == one["tables"][0]  # type: ignore[index]
    assert [s["text"] for s in other["headline"]] != texts  # type: ignore[index]


# -- --write-plan ---------------------------------------------------------------------------


def test_a_written_plan_planned_again_gives_what_reforecast_printed(
    cli: Cli, tmp_path: Path
) -> None:
    written = tmp_path / "series-a-2027-04.yaml"
    code, out, err = cli(
        "reforecast", SERIES_A, SAMPLE, "--rates", "blend", "--write-plan", str(written),
        "--all", "-f", "json", "-n", "0",
    )  # fmt: skip
    assert code == 0
    assert err.endswith(
        f"salesplan: wrote {written} (extends {SERIES_A}); try: salesplan plan {written}\n"
    )
    first, second = written.read_text("utf-8").splitlines()[:2]
    # The editor's schema line points at the schema the plan's does, from where it is written.
    schema = first.removeprefix("# yaml-language-server: $schema=")
    assert (written.parent / schema).resolve() == ROOT / "schema" / "plan.schema.json"
    assert second == "# Reforecast of series-a.yaml from 2027-04, written by salesplan reforecast"
    printed = {t["name"]: t for t in json.loads(out)["tables"]}
    code, again, _ = cli("plan", str(written), "--all", "-f", "json")
    assert code == 0
    for table in json.loads(again)["tables"]:
        if table["name"] in ("years",):  # the plan's own outlook runs 1,000 trials: not 0
            continue
        assert table["rows"] == printed[table["name"]]["rows"], table["name"]


def test_the_written_plan_extends_the_original_by_a_relative_path(cli: Cli, tmp_path: Path) -> None:
    written = tmp_path / "deep" / "rebased.yaml"
    written.parent.mkdir()
    code, _, _ = cli("reforecast", SERIES_A, SAMPLE, "--write-plan", str(written), "-n", "0")
    assert code == 0
    extends = next(
        line for line in written.read_text("utf-8").splitlines() if line.startswith("extends:")
    )
    target = (written.parent / extends.split(":", 1)[1].strip()).resolve()
    assert target == (ROOT / SERIES_A).resolve()


def test_check_diff_compare_and_simulate_read_the_written_plan(cli: Cli, tmp_path: Path) -> None:
    written = str(tmp_path / "rebased.yaml")
    assert cli("reforecast", SERIES_A, SAMPLE, "--write-plan", written, "-n", "0").code == 0
    code, out, _ = cli("check", written, "--select", "SP2")
    assert (code, out) == (0, "")
    code, out, _ = cli("diff", SERIES_A, written, "-f", "json")
    assert code == 0
    changed = {row["key"] for row in json.loads(out)["tables"][0]["rows"]}
    assert {"company.start", "company.horizon_months", "tiers.smb.opening_arr"} <= changed
    assert cli("compare", SERIES_A, written).code == 0
    code, out, _ = cli("simulate", written, "--trials", "50", "-f", "json")
    assert code == 0
    assert json.loads(out)["meta"]["trials"] == "50"


def test_write_plan_never_writes_over_the_plan(cli: Cli, tmp_path: Path) -> None:
    before = (ROOT / SERIES_A).read_bytes()
    code, out, err = cli("reforecast", SERIES_A, SAMPLE, "--write-plan", SERIES_A)
    assert (code, out) == (2, "")
    assert err == (
        f"salesplan: error: --write-plan {SERIES_A}: that is {SERIES_A}, which the "
        "reforecast extends\n"
    )
    assert (ROOT / SERIES_A).read_bytes() == before


def test_write_plan_never_writes_over_a_plan_the_plan_extends(cli: Cli) -> None:
    scenario = "configs/scenarios/base.yaml"
    before = (ROOT / SERIES_A).read_bytes()
    code, _, err = cli("reforecast", scenario, SAMPLE, "--write-plan", SERIES_A)
    assert code == 2 and "which the reforecast extends" in err
    assert (ROOT / SERIES_A).read_bytes() == before


def test_write_plan_replaces_an_existing_file_whole(cli: Cli, tmp_path: Path) -> None:
    written = tmp_path / "rebased.yaml"
    written.write_text("old\n", "utf-8")
    code, _, _ = cli("reforecast", SERIES_A, SAMPLE, "--write-plan", str(written), "-n", "0")
    assert code == 0
    assert "# Reforecast of series-a.yaml from 2027-04" in written.read_text("utf-8")
    assert [p.name for p in tmp_path.iterdir()] == ["rebased.yaml"]  # no temporary file left


@pytest.mark.parametrize("where", ["dir", "missing-dir"])
def test_write_plan_to_somewhere_it_cannot_go(cli: Cli, tmp_path: Path, where: str) -> None:
    target = tmp_path if where == "dir" else tmp_path / "no" / "such.yaml"
    code, out, err = cli("reforecast", SERIES_A, SAMPLE, "--write-plan", str(target), "-n", "0")
    assert (code, out) == (2, "")
    why = (
        "it is a directory"
        if where == "dir"
        else f"cannot write {target}: directory {target.parent} does not exist"
    )
    assert err.splitlines()[-1].startswith("salesplan: error: ")
    assert err.splitlines()[-1].endswith(why)
    assert list(tmp_path.iterdir()) == []


def test_bad_actuals_write_nothing(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    written = tmp_path / "rebased.yaml"
    code, out, err = cli("reforecast", SERIES_A, path, "--write-plan", str(written))
    assert (code, out) == (1, "")
    assert err == checked(cli, SERIES_A, "--actuals", path)
    assert f"{path}:3:6: SP511 error: no role 'aee' in the plan (did you mean 'ae'?)\n" in err
    assert "Traceback" not in err
    assert not written.exists()


# -- problems and exit codes ----------------------------------------------------------------


def test_a_bad_plan_stops_before_its_actuals(cli: Cli, tmp_path: Path) -> None:
    path = bad_actuals(tmp_path)
    code, out, err = cli("reforecast", BAD_PLAN, path)
    assert (code, out) == (1, "")
    assert err.startswith(f"{BAD_PLAN}:4:10: SP207 error: ")
    assert err.endswith(f"salesplan: {path} was not read: the plan {BAD_PLAN} has errors\n")


def test_actuals_to_the_last_month_leave_nothing_to_reforecast(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "short.yaml"
    text = (ROOT / BLUEPRINTS).read_text("utf-8").replace("horizon_months: 12", "horizon_months: 3")
    plan.write_text(text.replace("first_year_revenue: 780_000", "new_mrr_per_month: 10_000"))
    code, out, err = cli("reforecast", str(plan), str(ROOT / BLUEPRINTS_Q1))
    assert (code, out) == (1, "")
    assert err.endswith(
        "salesplan: nothing to reforecast: the actuals reach 2027-03, the plan's last month: no "
        "month is left to plan\n"
    )


def test_a_target_the_months_to_date_already_meet(cli: Cli, tmp_path: Path) -> None:
    plan = tmp_path / "met.yaml"
    text = (ROOT / BLUEPRINTS).read_text("utf-8")
    plan.write_text(text.replace("first_year_revenue: 780_000", "first_year_revenue: 40_000"))
    written = tmp_path / "rebased.yaml"
    code, out, err = cli(
        "reforecast", str(plan), str(ROOT / BLUEPRINTS_Q1), "--write-plan", str(written)
    )
    assert code == 0
    assert "The target is already met" in out
    assert err.endswith(f"salesplan: {written} was not written: the target is already met\n")
    assert not written.exists()


@pytest.mark.parametrize(
    ("plan", "actuals", "missing"),
    [("no/such.yaml", SAMPLE, "no/such.yaml"), (SERIES_A, "no/such.csv", "no/such.csv")],
)
def test_a_missing_file_exits_2(cli: Cli, plan: str, actuals: str, missing: str) -> None:
    code, out, err = cli("reforecast", plan, actuals)
    assert (code, out) == (2, "")
    assert err == f"salesplan: error: no such file: {missing}\n"


@pytest.mark.parametrize(
    "args",
    [["--rates", "guess"], ["--format", "xml"], ["--trials", "-1"], ["-t", "nope"]],
)
def test_bad_options_exit_2(cli: Cli, args: list[str]) -> None:
    code, out, err = cli("reforecast", BLUEPRINTS, BLUEPRINTS_Q1, *args)
    assert (code, out) == (2, "")
    assert err.strip()


def test_help_shows_an_example(cli: Cli) -> None:
    code, out, _ = cli("reforecast", "--help")
    assert code == 0
    shown = " ".join(out.split()).replace(" \\ ", " ")
    example = "salesplan reforecast configs/series-a.yaml configs/actuals/series-a-2027-q1.csv"
    assert example in shown
    assert "--write-plan" in out and "--rates" in out


def test_the_report_renders_as_html_and_xlsx_too() -> None:
    from salesplan.choices import Period
    from salesplan.pipeline import run_actuals, run_plan
    from salesplan.reforecast.route import run_reforecast
    from salesplan.render.html import render_html
    from salesplan.render.xlsx import render_xlsx
    from salesplan.report.reforecast import reforecast_report

    evaluation = run_plan(str(ROOT / BLUEPRINTS)).evaluation
    assert evaluation is not None
    read = run_actuals(evaluation, str(ROOT / BLUEPRINTS_Q1))
    assert read.actuals is not None
    rf = run_reforecast(evaluation, read.actuals, BLUEPRINTS_Q1, trials=0)
    report = reforecast_report(rf, Period.QUARTER)
    assert "To still reach" in render_html(report)
    assert render_xlsx(report)[:2] == b"PK"


def test_explain_traces_the_written_plans_opening_state(cli: Cli, tmp_path: Path) -> None:
    written = str(tmp_path / "rebased.yaml")
    assert cli("reforecast", SERIES_A, SAMPLE, "--write-plan", written, "-n", "0").code == 0
    code, out, err = cli("explain", written, "starts", "ae", "2027-04", "-f", "json")
    assert code == 0 and "Traceback" not in err
    tree = json.loads(out)["tree"]
    assert tree["value"] == 2 and "hires in motion" in tree["formula"]
    code, out, _ = cli("explain", written, "heads", "sdr", "2027-12", "-f", "json", "--depth", "2")
    assert code == 0
    departures = json.loads(out)["tree"]["children"][2]
    assert departures["formula"].startswith("departures to date = floor(accrued_departures + ")
