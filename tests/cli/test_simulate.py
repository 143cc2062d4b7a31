"""``salesplan simulate`` and ``salesplan sensitivity`` through the CLI, with goldens."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import Cli, warnings_of
from tests.golden import assert_golden
from tests.paths import GOLDEN as GOLDEN_ROOT

GOLDEN = GOLDEN_ROOT / "simulate"
SERIES_A = "configs/series-a.yaml"
BAD = "tests/plans/cli/bad.yaml"
ANSI = "\x1b"
SUFFIX = {"table": "txt", "csv": "csv", "json": "json", "markdown": "md"}
# Few trials keep the goldens quick; the seed makes them exact.
SIMULATE = ("simulate", SERIES_A, "--trials", "300", "--seed", "7")


# -- simulate -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_simulate_golden(cli: Cli, fmt: str) -> None:
    code, out, err = cli(*SIMULATE, "--format", fmt, "--width", "100")
    assert code == 0, err
    assert err == warnings_of(SERIES_A)
    assert ANSI not in out
    assert_golden(out, GOLDEN / f"simulate.{SUFFIX[fmt]}")


def test_simulate_same_seed_same_bytes_other_seed_other_bytes(cli: Cli) -> None:
    first = cli(*SIMULATE, "-f", "json")[1]
    assert cli(*SIMULATE, "-f", "json")[1] == first
    assert cli("simulate", SERIES_A, "--trials", "300", "--seed", "8", "-f", "json")[1] != first


def test_simulate_json_records_seed_trials_and_numpy(cli: Cli) -> None:
    code, out, _ = cli(*SIMULATE, "-f", "json", "--confidence", "0.9")
    assert code == 0
    data = json.loads(out)
    assert data["kind"] == "simulate"
    meta = data["meta"]
    assert (meta["seed"], meta["trials"], meta["confidence"]) == ("7", "300", "0.9")
    assert meta["numpy"] == np.__version__
    heads = next(t for t in data["tables"] if t["name"] == "heads")
    assert "90% confidence" in heads["columns"][2]["title"]


def test_simulate_csv_has_raw_numbers(cli: Cli) -> None:
    code, out, _ = cli(*SIMULATE, "-f", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    target = [r for r in rows if r and r[0] == "target"]
    assert target[0][1:3] == ["ending_arr", "6000000.0"]
    assert 0.0 <= float(target[0][3]) <= 1.0
    assert "$" not in out and "%" not in out


def test_simulate_default_seed_is_zero_and_echoed(cli: Cli) -> None:
    code, out, _ = cli("simulate", SERIES_A, "--trials", "50")
    assert code == 0
    assert "50 trials with seed 0" in out
    assert cli("simulate", SERIES_A, "--trials", "50", "--seed", "0")[1] == out


def test_simulate_writes_a_file(cli: Cli, tmp_path: Path) -> None:
    target = tmp_path / "sim.json"
    code, out, err = cli(*SIMULATE, "-f", "json", "-o", str(target))
    assert code == 0 and out == "" and err == warnings_of(SERIES_A)
    assert json.loads(target.read_text("utf-8"))["meta"]["trials"] == "300"


@pytest.mark.parametrize(
    "args",
    [
        ("--trials", "0"),
        ("--confidence", "1.5"),
        ("--confidence", "0"),
        ("--seed", "-1"),
        ("--format", "xml"),
    ],
)
def test_simulate_bad_options_are_usage_errors(cli: Cli, args: tuple[str, str]) -> None:
    code, out, err = cli("simulate", SERIES_A, *args)
    assert code == 2
    assert out == ""
    assert "Usage:" in err or "error" in err.lower()


def test_simulate_missing_file_is_a_usage_error(cli: Cli) -> None:
    code, out, err = cli("simulate", "no/such.yaml")
    assert (code, out) == (2, "")
    assert "no such file" in err


def test_simulate_bad_plan_prints_problems(cli: Cli) -> None:
    code, out, err = cli("simulate", BAD)
    assert (code, out) == (1, "")
    assert "error" in err


def test_no_progress_bar_when_not_a_terminal(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    import salesplan.cli.simulate

    monkeypatch.setattr(salesplan.cli.simulate, "PROGRESS_FROM_CHUNKS", 0)
    code, _, err = cli("simulate", SERIES_A, "--trials", "50", "-f", "json")
    assert code == 0
    assert err == warnings_of(SERIES_A)  # the plan's warnings, and no progress bar


def test_trials_are_bounded(cli: Cli) -> None:
    code, out, err = cli("simulate", SERIES_A, "--trials", "1000001")
    assert (code, out) == (2, "")
    assert "1000000" in err


def test_the_largest_plan_simulates_within_a_gigabyte(tmp_path: Path) -> None:
    """120 months x 10 tiers x 15 roles: the memory a trial takes, measured on a small
    batch with tracemalloc (numpy reports its arrays to it), times the plan's chunk size
    stays far under 1 GB; series A runs about 4,400 trials at a time."""
    import tracemalloc

    import numpy as np
    from tools.synthetic import synthetic_plan

    from salesplan.api import evaluate
    from salesplan.engine.forward import fixed_plan, run_forward
    from salesplan.engine.simulate import chunk_size, draw_inputs, uncertain, with_inputs

    series_a = evaluate(SERIES_A)
    assert chunk_size(series_a.plan.structure, series_a.plan.heads.shape[1]) == 4364
    path = tmp_path / "largest.yaml"
    path.write_text(synthetic_plan(120, 10, 15), encoding="utf-8")
    ev = evaluate(str(path))
    r = ev.result
    chunk = chunk_size(r.structure, r.heads.shape[2])
    drawn = uncertain(ev.compiled.inputs)
    n = 32
    batch = with_inputs(r.params, drawn, draw_inputs(drawn, n, np.random.default_rng(0)))
    tracemalloc.start()
    try:
        run_forward(r.structure, batch, fixed_plan(r))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak / n * chunk < 2**30 / 2, (chunk, peak / n)


# -- sensitivity ----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(SUFFIX))
def test_sensitivity_golden(cli: Cli, fmt: str) -> None:
    code, out, err = cli("sensitivity", SERIES_A, "--format", fmt, "--width", "100")
    assert code == 0, err
    assert err == warnings_of(SERIES_A)
    assert ANSI not in out
    assert_golden(out, GOLDEN / f"sensitivity.{SUFFIX[fmt]}")


def test_sensitivity_bars_only_for_people(cli: Cli) -> None:
    table = cli("sensitivity", SERIES_A, "--width", "120")[1]
    assert "█" in table
    for fmt in ("csv", "json"):
        out = cli("sensitivity", SERIES_A, "-f", fmt)[1]
        assert "█" not in out and '"bar"' not in out and ",bar" not in out


def test_sensitivity_swing_option(cli: Cli) -> None:
    out = cli("sensitivity", SERIES_A, "--swing", "0.5", "-f", "json")[1]
    data = json.loads(out)
    assert data["meta"]["swing"] == "0.5"
    heads = next(t for t in data["tables"] if t["name"] == "heads")
    mql = next(r for r in heads["rows"] if r["input"] == "smb/inbound mql rate")
    assert (mql["swing"], mql["low"], mql["high"]) == ("±50%", 0.05, 0.15)
    assert cli("sensitivity", SERIES_A, "--swing", "2")[0] == 2
