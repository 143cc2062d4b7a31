"""``salesplan solve`` and ``salesplan explain`` through the CLI, with goldens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salesplan.pipeline import run_plan
from tests.conftest import Cli, warnings_of
from tests.golden import assert_golden
from tests.paths import GOLDEN as GOLDEN_ROOT

GOLDEN = GOLDEN_ROOT / "ask"
SERIES_A = "configs/series-a.yaml"
SUFFIX = {"table": "txt", "csv": "csv", "json": "json", "markdown": "md"}
WIN_RATE = "tiers.mid_market.motions.inbound.stages.opportunity.rate"
SOLVE = ("solve", SERIES_A, "--for", WIN_RATE, "--to", "ending_arr>=6000000", "--width", "100")
# The budget form on the other shipped plans: each a little under the plan's own S&M cost.
BUDGETS = {"seed": "500000", "series-b": "36000000", "growth": "80000000"}


# -- solve ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_solve_golden(cli: Cli, fmt: str) -> None:
    code, out, err = cli(*SOLVE, "--format", fmt)
    assert (code, err) == (0, warnings_of(SERIES_A))
    assert "\x1b" not in out
    assert_golden(out, GOLDEN / f"solve.{SUFFIX[fmt]}")


@pytest.mark.parametrize("plan", sorted(BUDGETS))
def test_budget_golden(cli: Cli, plan: str) -> None:
    path = f"configs/{plan}.yaml"
    code, out, err = cli("solve", path, "--budget", BUDGETS[plan], "--width", "100")
    assert (code, err) == (0, warnings_of(path))
    assert_golden(out, GOLDEN / f"budget-{plan}.txt")


def test_solve_json_says_what_was_solved(cli: Cli) -> None:
    data = json.loads(cli(*SOLVE, "-f", "json").out)
    assert data["kind"] == "solve"
    assert data["meta"]["input"] == WIN_RATE and data["meta"]["goal"] == "ending_arr >= 6000000"
    (row,) = data["tables"][0]["rows"]
    assert row["status"] == "solved" and row["trend"] == "rises"
    assert row["plan_value"] == 0.25 and row["solved_value"] > 0.25
    assert row["solved_outcome"] >= 6_000_000 > row["plan_outcome"]
    grid = data["tables"][1]
    assert grid["name"] == "solve_grid" and len(grid["rows"]) == row["crossings"] + 16


def test_no_value_that_meets_the_goal_exits_1_with_the_best(cli: Cli) -> None:
    code, out, _ = cli("solve", SERIES_A, "--for", "roles.ae.comp.quota", "--to", "payback<=18")
    said = " ".join(out.split())
    assert code == 1
    assert "No value of roles.ae.comp.quota from 65,000 USD to 6,500,000 USD meets" in said
    assert "the best is 24.8 months at 2,741,027 USD" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "give --for KEY and --to GOAL, or --budget AMOUNT"),
        (("--for", "roles.ae.comp.quota"), "give --for KEY and --to GOAL"),
        (("--budget", "1", "--to", "heads<=3"), "give one or the other"),
        (("--for", "tiers.smb.share", "--to", "heads<=30"), "shares must sum to 1"),
        (("--for", "roles.ae.comp.quota", "--to", "heads=30"), "write METRIC<=N"),
        (
            ("--for", "roles.ae.comp.quota", "--to", "heads<=30", "--low", "5", "--high", "1"),
            "low < high",
        ),
    ],
)
def test_solve_usage_errors_exit_2(cli: Cli, args: tuple[str, ...], message: str) -> None:
    code, out, err = cli("solve", SERIES_A, *args)
    assert code == 2 and out == ""
    assert message in err


def test_write_plan_writes_a_scenario_that_plans_to_the_goal(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "solved.yaml"
    code, out, err = cli(*SOLVE, "--write-plan", str(target))
    assert code == 0, err
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# Solved by salesplan solve: " + WIN_RATE)
    assert "name: opportunity" in text and "likely: 0.25221" in text
    said = " ".join(out.split())
    assert f"Wrote {target}: it extends the plan with {WIN_RATE} = 25.221%" in said
    assert "which meets the goal" in said
    checked = run_plan(str(target))
    assert checked.evaluation is not None


def test_write_plan_for_the_budget_form(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "budget.yaml"
    code, _, _ = cli("solve", SERIES_A, "--budget", "9000000", "--write-plan", str(target))
    assert code == 0
    checked = run_plan(str(target))
    assert checked.evaluation is not None
    assert checked.evaluation.whole_plan.sm_cost <= 9_000_000
    assert "ending_arr: 4664220" in target.read_text(encoding="utf-8")


def test_nothing_is_written_when_nothing_is_solved(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "x.yaml"
    code, _, err = cli(
        "solve", SERIES_A, "--for", "roles.ae.comp.quota", "--to", "payback<=18",
        "--write-plan", str(target),
    )  # fmt: skip
    assert code == 1 and not target.exists()
    assert "no plan written" in err


# -- explain --------------------------------------------------------------------------------

# The examples, as a terminal shows them.
EXAMPLES = {
    "heads": "heads ae 2027-06",
    "cac": "cac mid_market 2027-Q2",
    "new_mrr": "new_mrr 2027-01",
    "need": "need se 2027-03",
}
# One number on each of the other shipped plans.
OTHERS = {
    "seed": "need ae 2027-02",
    "series-b": "capacity fae 2027-Q3",
    "growth": "payback enterprise 2028",
}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_explain_golden(cli: Cli, name: str) -> None:
    code, out, err = cli(
        "explain", SERIES_A, *EXAMPLES[name].split(), "-f", "table", "--width", "100"
    )
    assert (code, err) == (0, warnings_of(SERIES_A))
    assert_golden(out, GOLDEN / f"explain-{name}.txt")


@pytest.mark.parametrize("fmt", ["json", "markdown", "csv"])
def test_explain_golden_formats(cli: Cli, fmt: str) -> None:
    code, out, _ = cli("explain", SERIES_A, "need", "se", "2027-03", "-f", fmt)
    assert code == 0
    assert_golden(out, GOLDEN / f"explain-need.{SUFFIX[fmt]}")


@pytest.mark.parametrize("plan", sorted(OTHERS))
def test_explain_golden_shipped_plans(cli: Cli, plan: str) -> None:
    path = f"configs/{plan}.yaml"
    code, out, err = cli("explain", path, *OTHERS[plan].split(), "-f", "table", "--width", "100")
    assert (code, err) == (0, warnings_of(path))
    assert_golden(out, GOLDEN / f"explain-{plan}.txt")


def test_explain_writes_json_when_not_on_a_terminal(cli: Cli) -> None:
    code, out, _ = cli("explain", SERIES_A, "heads ae 2027-06")  # one word or several
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "explain" and data["tree"]["name"] == "heads ae 2027-06"
    assert data["tree"]["value"] == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("heads", "cfo", "2027-06"), "no role 'cfo'"),
        (("heads", "ae", "2035-01"), "no period '2035-01'"),
        (("ae",), "explain takes KIND [NAMES] PERIOD"),
    ],
)
def test_explain_usage_errors_exit_2(cli: Cli, args: tuple[str, ...], message: str) -> None:
    code, out, err = cli("explain", SERIES_A, *args)
    assert code == 2 and out == "" and message in err


# -- bottlenecks (on plan) ------------------------------------------------------------------


@pytest.mark.parametrize("plan", ["seed", "series-a", "series-b", "growth"])
def test_bottlenecks_golden(cli: Cli, plan: str) -> None:
    path = f"configs/{plan}.yaml"
    args = ("plan", path, "-t", "bottlenecks", "-t", "marginal_heads", "--width", "100")
    code, out, err = cli(*args)
    assert (code, err) == (0, warnings_of(path))
    assert_golden(out, GOLDEN / f"bottlenecks-{plan}.txt")


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_bottlenecks_golden_formats(cli: Cli, fmt: str) -> None:
    code, out, _ = cli("plan", SERIES_A, "-t", "bottlenecks", "--period", "month", "-f", fmt)
    assert code == 0
    assert_golden(out, GOLDEN / f"bottlenecks-series-a.{SUFFIX[fmt]}")
