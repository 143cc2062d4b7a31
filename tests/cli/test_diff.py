"""`salesplan diff` and `compare`: input changes, deltas, git sides, gates, exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from salesplan.report.diff import flatten
from salesplan.report.gates import parse_gate, tripped, unchecked
from salesplan.report.outcomes import NA, Kind, Outcome
from tests.conftest import Cli, in_format, warnings_of
from tests.golden import assert_golden
from tests.paths import ROOT

GOLDEN = ROOT / "tests" / "golden" / "diff"
BASE = "tests/plans/diff/base.yaml"
HEAD = "tests/plans/diff/head.yaml"
SCENARIOS = [
    "configs/scenarios/base.yaml",
    "configs/scenarios/hire-faster.yaml",
    "configs/scenarios/lower-win-rate.yaml",
]
FORMATS = {"table": "txt", "markdown": "md", "json": "json", "csv": "csv"}

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


@pytest.mark.parametrize("fmt", FORMATS)
def test_diff_golden(cli: Cli, fmt: str, tmp_path: Path) -> None:
    code, out, err = in_format(
        cli, "diff", BASE, HEAD, "--width", "100", fmt=fmt, directory=tmp_path
    )
    assert (code, err) == (0, warnings_of(BASE, HEAD))
    assert_golden(out, GOLDEN / f"diff.{FORMATS[fmt]}")


def test_diff_format_text_is_the_table_view(cli: Cli) -> None:
    code, out, err = cli("diff", BASE, HEAD, "--format", "text", "--width", "100")
    assert (code, err) == (0, warnings_of(BASE, HEAD))
    assert_golden(out, GOLDEN / "diff.txt")


@pytest.mark.parametrize("fmt", FORMATS)
def test_compare_golden(cli: Cli, fmt: str, tmp_path: Path) -> None:
    args = ("compare", *SCENARIOS, "--width", "100")
    code, out, err = in_format(cli, *args, fmt=fmt, directory=tmp_path)
    assert (code, err) == (0, warnings_of(*SCENARIOS))
    assert_golden(out, GOLDEN / f"compare.{FORMATS[fmt]}")


def test_diff_of_a_plan_with_itself_changes_nothing(cli: Cli) -> None:
    code, out, _ = cli("diff", BASE, BASE, "--format", "json")
    assert code == 0
    assert '"No inputs changed."' in out and "▲" not in out and "▼" not in out


# -- git sides -----------------------------------------------------------------------------


def _git(repo: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
        check=True,
        capture_output=True,
    )


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with plan.yaml committed, then changed in the working tree."""
    text = (ROOT / BASE).read_text(encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(text, encoding="utf-8")
    _git(tmp_path, "init", "-q")
    _git(tmp_path, "add", "plan.yaml")
    _git(tmp_path, "commit", "-q", "-m", "plan")
    changed = text.replace("churn_rate: 0.02", "churn_rate: 0.025").replace(
        "quota: 600_000", "quota: 660_000"
    )
    (tmp_path / "plan.yaml").write_text(changed, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@needs_git
@pytest.mark.parametrize("fmt", ["table", "markdown"])
def test_diff_against_a_git_revision(cli: Cli, repo: Path, fmt: str) -> None:
    code, out, err = cli("diff", "HEAD:plan.yaml", "plan.yaml", "-f", fmt, "--width", "100")
    assert code == 0
    assert all(" warning: " in line for line in err.splitlines())  # each side's warnings
    assert_golden(out, GOLDEN / f"git.{FORMATS[fmt]}")


@needs_git
def test_git_side_in_a_subdirectory_resolves_from_that_directory(cli: Cli, repo: Path) -> None:
    (repo / "plans").mkdir()
    _git(repo, "mv", "plan.yaml", "plans/plan.yaml")
    _git(repo, "commit", "-q", "-m", "move")
    code, out, _ = cli(
        "diff", "HEAD:plans/plan.yaml", "plans/plan.yaml", "-f", "csv", "-t", "inputs"
    )
    assert code == 0
    assert "\ntiers.smb.churn_rate,0.02,0.025,plans/plan.yaml:14,plans/plan.yaml:14\n" in out


@needs_git
def test_git_side_extends_is_read_at_the_same_revision(cli: Cli, repo: Path) -> None:
    (repo / "scenario.yaml").write_text("extends: plan.yaml\ncompany:\n  name: Rev\n", "utf-8")
    _git(repo, "add", "scenario.yaml")
    _git(repo, "commit", "-q", "-m", "scenario")
    # HEAD's scenario extends HEAD's plan.yaml (churn 0.02); the working tree's has 0.025.
    code, out, _ = cli("diff", "HEAD:scenario.yaml", "plan.yaml", "-f", "csv", "-t", "inputs")
    assert code == 0
    assert "\ntiers.smb.churn_rate,0.02,0.025,plan.yaml:14,plan.yaml:14\n" in out
    assert "\ncompany.name,Rev,Diff base,scenario.yaml:3,plan.yaml:3\n" in out


@needs_git
def test_ci_gate_on_a_scenario_sees_its_base_change(cli: Cli, repo: Path) -> None:
    # Only the base plan changed since HEAD; the scenario file itself did not.  Gating the
    # scenario against HEAD must see the change (it was invisible when the revision's
    # extends: was read from the working tree).
    (repo / "scenario.yaml").write_text("extends: plan.yaml\n", "utf-8")
    _git(repo, "add", "scenario.yaml")
    _git(repo, "commit", "-q", "-m", "scenario")
    code, out, err = cli(
        "diff", "HEAD:scenario.yaml", "scenario.yaml", "-f", "json", "--fail-on", "cac:-1%"
    )
    data = json.loads(out)
    inputs = next(t for t in data["tables"] if t["name"] == "inputs")
    keys = {row["key"] for row in inputs["rows"]}
    assert "tiers.smb.churn_rate" in keys and "roles.ae.comp.quota" in keys
    assert code == 1 and "cac" in err


@needs_git
def test_git_side_whose_base_is_missing_at_the_revision(cli: Cli, repo: Path) -> None:
    (repo / "scenario.yaml").write_text("extends: gone.yaml\n", "utf-8")
    _git(repo, "add", "scenario.yaml")
    _git(repo, "commit", "-q", "-m", "scenario")
    (repo / "gone.yaml").write_text((repo / "plan.yaml").read_text("utf-8"), "utf-8")
    # gone.yaml exists in the working tree but not at HEAD: the revision side cannot load.
    code, _, err = cli("diff", "HEAD:scenario.yaml", "plan.yaml")
    assert code == 1
    assert "SP214" in err and "extends: no plan file at gone.yaml" in err


@needs_git
@pytest.mark.parametrize(
    ("side", "message"),
    [
        ("NOPE:plan.yaml", "git show NOPE:plan.yaml failed"),
        ("HEAD:missing.yaml", "git show HEAD:missing.yaml failed"),
        ("HEAD:nodir/plan.yaml", "no directory nodir"),
        (":plan.yaml", "neither a file nor REV:path"),
        ("--output=x:plan.yaml", "a revision cannot start with '-'"),
    ],
)
def test_bad_git_side_is_a_usage_error(cli: Cli, repo: Path, side: str, message: str) -> None:
    code, out, err = cli("diff", "--", side, "plan.yaml")
    assert (code, out) == (2, "")
    assert message in err


def test_git_side_outside_a_repository_is_a_usage_error(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "plan.yaml").write_text((ROOT / BASE).read_text("utf-8"), "utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = cli("diff", "HEAD:plan.yaml", "plan.yaml")
    assert code == 2 and "git show HEAD:plan.yaml failed" in err


# -- exit codes and gates ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gates", "exit_code", "messages"),
    [
        ([], 0, []),
        (["heads:+3"], 1, ["--fail-on heads:+3: heads went from 13 to 18 (+5)"]),
        (["heads:+5"], 0, []),
        (["heads:-1"], 0, []),
        (["heads:3"], 1, ["--fail-on heads:3: heads went from 13 to 18 (+5)"]),
        (["heads:sdr:+10%"], 1, ["--fail-on heads:sdr:+10%: heads:sdr went from 5 to 6 (+20.0%)"]),
        (["heads:se:+50%"], 1, ["--fail-on heads:se:+50%: heads:se went from 0 to 4 (from zero)"]),
        (["ending_arr:-1%", "gaps:+0"], 0, []),
        # S&M cost $1,641,000 -> $2,525,000 and CAC $4,290.83 -> $6,602.29 (+53.9%).
        (
            ["sm_cost:+500000"],
            1,
            ["--fail-on sm_cost:+500000: sm_cost went from 1,641,000 to 2,525,000 (+884,000)"],
        ),
        (["sm_cost:+900000", "sm_cost:-1%"], 0, []),
        (
            ["cac:+50%"],
            1,
            [
                "--fail-on cac:+50%: cac went from 4,290.83 to 6,602.29 (+53.9%)",
                "--fail-on cac:+50%: cac:smb went from 4,290.83 to 6,602.29 (+53.9%)",
            ],
        ),
        (["cac:+55%"], 0, []),
        (
            ["cac:smb:+5%"],
            1,
            ["--fail-on cac:smb:+5%: cac:smb went from 4,290.83 to 6,602.29 (+53.9%)"],
        ),
        (["cac:smb:-5%", "crc:+0", "crc:smb:0%"], 0, []),
    ],
)
def test_fail_on(cli: Cli, gates: list[str], exit_code: int, messages: list[str]) -> None:
    args = [a for g in gates for a in ("--fail-on", g)]
    code, out, err = cli("diff", BASE, HEAD, "-f", "json", *args)
    assert code == exit_code
    assert out.startswith("{")  # the report is written either way
    assert err == warnings_of(BASE, HEAD) + "".join(f"salesplan: {m}\n" for m in messages)


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ("heads:5x", "expected METRIC:+N"),
        ("bogus:+1", "no metric bogus; metrics: "),
        ("heads", "expected METRIC:+N"),
    ],
)
def test_bad_gate_is_a_usage_error(cli: Cli, gate: str, message: str) -> None:
    code, out, err = cli("diff", BASE, HEAD, "--fail-on", gate)
    assert (code, out) == (2, "")
    assert message in err


def test_missing_side_is_a_usage_error(cli: Cli) -> None:
    code, out, err = cli("diff", BASE, "nowhere.yaml")
    assert (code, out, err) == (2, "", "salesplan: error: no such file: nowhere.yaml\n")


def test_side_with_errors_exits_1_with_its_problems(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: {name: x}\n", "utf-8")
    code, out, err = cli("diff", BASE, str(bad))
    assert (code, out) == (1, "")
    assert f"{bad} cannot be planned" in err and "SP204" in err


def test_compare_reports_every_broken_plan(cli: Cli, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: {name: x}\n", "utf-8")
    code, _, err = cli("compare", BASE, str(bad), str(bad))
    assert code == 1 and err.count("cannot be planned") == 2


def test_compare_missing_plan_is_a_usage_error(cli: Cli) -> None:
    assert cli("compare", BASE, "nowhere.yaml")[0] == 2


# -- the pull-request comment --------------------------------------------------------------

HEADLINE = (
    "9 inputs changed: heads at the end +5 (13 → 18), S&M cost +$884,000 (+53.9%), "
    "ending ARR unchanged"
)


def test_the_comment_leads_with_a_headline_and_lists_only_what_changed(cli: Cli) -> None:
    code, out, _ = cli("diff", BASE, HEAD, "-f", "markdown")
    assert code == 0
    lines = out.splitlines()
    assert lines[2] == f"- {HEADLINE}"
    assert (
        lines[3] == "- 8 outcomes did not change and are not listed (JSON and CSV list every one)."
    )
    assert "| ending_arr |" not in out and "| 0.0% |" not in out
    assert "| sm_cost | S&M cost | $1,641,000 | $2,525,000 | $884,000 | 53.9% | ▲ |" in out
    assert "## Gates" not in out  # no gate asked for


def test_terminal_and_json_carry_the_same_headline(cli: Cli) -> None:
    assert HEADLINE in " ".join(cli("diff", BASE, HEAD, "--width", "200").out.split("\n"))
    data = json.loads(cli("diff", BASE, HEAD, "-f", "json").out)
    # JSON's headline is the report's sentences: the text and its figures, raw.
    (sentence,) = data["headline"]
    assert sentence["text"] == HEADLINE and sentence["tone"] == "info"
    values = [f["value"] for f in sentence["figures"]]
    assert values == pytest.approx([5.0, 13.0, 18.0, 884000.0, 0.5387], rel=1e-3)
    # Programs get every outcome, moved or not.
    money = next(t for t in data["tables"] if t["name"] == "money")
    assert [r["metric"] for r in money["rows"]][:2] == ["ending_arr", "first_year_revenue"]


def test_tripped_gates_are_in_the_comment(cli: Cli) -> None:
    gates = ["--fail-on", "heads:+4", "--fail-on", "cac:+60%"]
    code, out, err = cli("diff", BASE, HEAD, "-f", "markdown", *gates)
    assert code == 1  # the exit code stays the CLI's
    assert "- **Warning:** 1 of 2 gates tripped: heads:+4." in out
    section = out.split("## Gates\n\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert section == [
        "| Gate | Metric | Result | What moved |",
        "| :--- | :--- | :--- | :--- |",
        "| heads:+4 | heads | ✗ tripped | heads went from 13 to 18 (+5) |",
        "| cac:+60% | cac | ✓ passed | cac went from 4,290.83 to 6,602.29 (+53.9%) |",
        "| cac:+60% | cac:smb | ✓ passed | cac:smb went from 4,290.83 to 6,602.29 (+53.9%) |",
    ]
    assert out.index("## Gates") < out.index("## Input changes")
    assert err.endswith("salesplan: --fail-on heads:+4: heads went from 13 to 18 (+5)\n")


def test_gates_that_pass_say_so(cli: Cli) -> None:
    code, out, _ = cli("diff", BASE, HEAD, "-f", "json", "--fail-on", "heads:+10")
    assert code == 0
    data = json.loads(out)
    assert data["headline"][-1] == {"tone": "good", "text": "The gate passed.", "figures": []}
    gates = next(t for t in data["tables"] if t["name"] == "gates")
    assert gates["rows"] == [
        {
            "gate": "heads:+10",
            "metric": "heads",
            "result": "✓ passed",
            "detail": "heads went from 13 to 18 (+5)",
        }
    ]


def test_a_gate_on_an_outcome_one_plan_lacks_is_not_checked(cli: Cli) -> None:
    base, head = "configs/series-a.yaml", "configs/series-b.yaml"
    _, out, _ = cli("diff", base, head, "-f", "markdown", "--fail-on", "cac:enterprise:+1%")
    assert (
        "| cac:enterprise:+1% | cac:enterprise | – not checked | cac:enterprise went from n/a "
        "to 299,034.63 (base: no such tier in this plan) |"
    ) in out


def test_the_headline_names_a_changed_target(cli: Cli, tmp_path: Path) -> None:
    head = tmp_path / "bigger.yaml"
    head.write_text(f"extends: {ROOT / BASE}\ntarget:\n  ending_arr: 3_300_000\n", encoding="utf-8")
    _, out, _ = cli("diff", BASE, str(head), "-f", "json")
    headline = json.loads(out)["headline"][0]["text"]
    assert headline.startswith(
        "1 input changed: target ending ARR +$300,000 ($3,000,000 → $3,300,000), heads at the end +"
    )
    assert headline.endswith("ending ARR +$300,000 (+10.0%)")


def test_a_diff_with_nothing_changed(cli: Cli) -> None:
    _, out, _ = cli("diff", BASE, BASE, "-f", "markdown")
    assert "- No inputs changed.\n" in out
    assert "## Revenue and cost" not in out and "## People and hiring" not in out


# -- the pieces ----------------------------------------------------------------------------


def test_flatten_keys_named_lists_by_name_and_ranges_whole() -> None:
    data = {
        "stages": [{"name": "sql", "rate": {"low": 0.2, "likely": 0.25, "high": 0.3}}],
        "drivers": [{"manages": ["ae", "sdr"], "capacity": 8}],
    }
    assert flatten(data) == {
        "stages[sql].name": (("stages", 0, "name"), "sql"),
        "stages[sql].rate": (("stages", 0, "rate"), {"low": 0.2, "likely": 0.25, "high": 0.3}),
        "drivers[0].manages": (("drivers", 0, "manages"), ["ae", "sdr"]),
        "drivers[0].capacity": (("drivers", 0, "capacity"), 8),
    }


def _outcomes(**values: float | NA) -> dict[str, Outcome]:
    return {k.replace("__", ":"): Outcome(k, k, Kind.MONEY, v) for k, v in values.items()}


def test_family_gate_checks_every_tier() -> None:
    gate = parse_gate("cac:+10%", ["cac", "cac:smb", "cac:mm"])
    base = _outcomes(cac=100.0, cac__smb=100.0, cac__mm=200.0)
    head = _outcomes(cac=105.0, cac__smb=100.0, cac__mm=230.0)
    assert tripped([gate], base, head) == [
        "--fail-on cac:+10%: cac:mm went from 200 to 230 (+15.0%)"
    ]


def test_gate_ignores_undefined_values() -> None:
    gate = parse_gate("cac:+10%", ["cac"])
    assert tripped([gate], _outcomes(cac=NA("no customers")), _outcomes(cac=50.0)) == []


@pytest.mark.parametrize(
    ("spec", "metric", "sign", "amount", "relative"),
    [
        ("cac:smb:+5%", "cac:smb", "+", 5.0, True),
        ("cac:mid-market:-2.5", "cac:mid-market", "-", 2.5, False),
        ("crc:10%", "crc", "", 10.0, True),
        ("sm_cost:+500000", "sm_cost", "+", 500_000.0, False),
    ],
)
def test_gate_metric_may_hold_colons(
    spec: str, metric: str, sign: str, amount: float, relative: bool
) -> None:
    known = ["sm_cost", "cac", "cac:smb", "cac:mid-market", "crc", "crc:smb"]
    gate = parse_gate(spec, known)
    assert (gate.metric, gate.sign, gate.amount, gate.relative) == (metric, sign, amount, relative)


def test_tier_gate_looks_at_that_tier_only() -> None:
    gate = parse_gate("cac:smb:+5%", ["cac", "cac:smb", "cac:smb_plus"])
    assert [k for k in ("cac", "cac:smb", "cac:smb_plus", "crc:smb") if gate.matches(k)] == [
        "cac:smb"
    ]


def test_gate_on_a_missing_tier_is_a_usage_error(cli: Cli) -> None:
    code, out, err = cli("diff", BASE, HEAD, "--fail-on", "cac:enterprise:+5%")
    assert (code, out) == (2, "")
    assert "no metric cac:enterprise; metrics: " in err and "cac:smb" in err


@pytest.mark.parametrize(
    ("base", "head", "notes"),
    [
        # n/a on one side: never trips, even though it moved; a note names it.
        (
            _outcomes(cac=10.0, cac__ent=NA("no new customers over the plan")),
            _outcomes(cac=10.0, cac__ent=5_000.0),
            [
                "--fail-on cac:+10%: cac:ent went from n/a to 5,000, not checked "
                "(base: no new customers over the plan)"
            ],
        ),
        (
            _outcomes(cac=10.0, cac__ent=5_000.0),
            _outcomes(cac=10.0),
            [
                "--fail-on cac:+10%: cac:ent went from 5,000 to n/a, not checked "
                "(head: no such tier in this plan)"
            ],
        ),
        # n/a on both sides: nothing changed, nothing to say.
        (
            _outcomes(cac=10.0, cac__ent=NA("no new customers over the plan")),
            _outcomes(cac=10.0, cac__ent=NA("no new customers over the plan")),
            [],
        ),
    ],
)
def test_gate_on_na_never_trips_and_notes_one_sided_na(
    base: dict[str, Outcome], head: dict[str, Outcome], notes: list[str]
) -> None:
    gate = parse_gate("cac:+10%", ["cac", "cac:ent"])
    assert tripped([gate], base, head) == []
    assert unchecked([gate], base, head) == notes


def test_gate_on_a_tier_only_head_has_exits_0_with_a_note(cli: Cli) -> None:
    base, head = "configs/series-a.yaml", "configs/series-b.yaml"
    gate = ("--fail-on", "cac:enterprise:+1%")
    code, out, err = cli("diff", base, head, "-f", "csv", "-t", "money", *gate)
    assert code == 0
    assert "\ncac:enterprise,CAC: enterprise,n/a,299034.627701," in out
    assert err == warnings_of(base, head) + (
        "salesplan: --fail-on cac:enterprise:+1%: cac:enterprise went from n/a to 299,034.63, "
        "not checked (base: no such tier in this plan)\n"
    )
    # The same gate family still trips on the tiers both plans have.
    code, _, err = cli("diff", base, head, "-f", "json", "--fail-on", "cac:+30%")
    assert code == 1
    gates = [line for line in err.splitlines() if "--fail-on" in line]
    assert (
        gates[0] == "salesplan: --fail-on cac:+30%: cac went from 33,698.02 to 61,717.75 (+83.1%)"
    )
    assert gates[-1] == (
        "salesplan: --fail-on cac:+30%: cac:enterprise went from n/a to 299,034.63, not checked "
        "(base: no such tier in this plan)"
    )


def test_plans_over_different_months_say_so(cli: Cli) -> None:
    # A reforecast starts three months later: its totals add up 21 months against 24.
    code, out, _ = cli(
        "diff",
        "configs/series-a.yaml",
        "configs/reforecast/series-a-2027-04.yaml",
        "--width",
        "200",
    )
    assert code == 0
    assert (
        "The plans cover different months (2027-01 to 2028-12, 24 months, against 2027-04 to "
        "2028-12, 21): totals over the plan (S&M cost, revenue, hires) add up different months."
    ) in out
    code, out, _ = cli("diff", "configs/series-a.yaml", "configs/series-a.yaml")
    assert code == 0 and "cover different months" not in out
