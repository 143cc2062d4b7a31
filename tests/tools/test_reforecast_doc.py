"""docs/reforecast.md stays true: the plan it shows is the one reforecast writes, the
headline it quotes is the command's, its tables are the report's and its Python runs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.paths import ROOT

DOC = ROOT / "docs" / "reforecast.md"
SERIES_A = "configs/series-a.yaml"
SAMPLE = "configs/actuals/series-a-2027-q1.csv"
BLUEPRINTS = "tests/plans/reforecast/blueprints.yaml"
BLUEPRINTS_Q1 = "tests/plans/reforecast/blueprints-q1.csv"


def block(kind: str) -> str:
    """Return the document's first fenced block of ``kind``."""
    return DOC.read_text("utf-8").split(f"```{kind}\n", 1)[1].split("```", 1)[0]


def test_the_written_plan_shown_is_the_one_written(cli: Cli, tmp_path: Path) -> None:
    written = tmp_path / "series-a.yaml"
    code, _, _ = cli("reforecast", SERIES_A, SAMPLE, "--write-plan", str(written), "-n", "0")
    assert code == 0
    lines = iter(written.read_text("utf-8").splitlines())
    for shown in block("yaml").splitlines():
        if shown.lstrip().startswith("# …"):
            continue
        for prefix in ("# yaml-language-server:", "extends:"):  # paths: written elsewhere
            if shown.startswith(prefix):
                assert next(line for line in lines if line.startswith(prefix))
                break
        else:
            assert any(line == shown for line in lines), (
                f"not written, or in another order: {shown!r}"
            )


def test_the_headline_quoted_is_the_commands(cli: Cli) -> None:
    code, out, _ = cli("reforecast", BLUEPRINTS, BLUEPRINTS_Q1, "--width", "92")
    assert code == 0
    quoted = block("text").rstrip("\n")
    assert out.split("\n\n")[1].startswith(quoted)


def test_the_tables_listed_are_the_reports(cli: Cli) -> None:
    _, out, _ = cli("reforecast", BLUEPRINTS, BLUEPRINTS_Q1, "-f", "json")
    names = [t["name"] for t in json.loads(out)["tables"]]
    listed = re.findall(r"^\| `([a-z_]+)`(?:, `([a-z_]+)`)? \|", DOC.read_text("utf-8"), re.M)
    assert [n for pair in listed for n in pair if n] == names


def test_the_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    scope: dict[str, object] = {}
    exec(compile(block("python"), "docs/reforecast.md", "exec"), scope)
    rf = scope["rf"]
    assert rf.outlook.trials == 200  # type: ignore[attr-defined]
    text = rf.text  # type: ignore[attr-defined]
    assert "# Reforecast of series-a.yaml from 2027-04" in text


def test_the_shipped_reforecast_is_what_reforecast_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    # configs/reforecast/series-a-2027-04.yaml is the README's walk-through: the sample
    # quarter's reforecast with blended rates.  Write it again when the plan or the sample
    # changes: salesplan reforecast configs/series-a.yaml configs/actuals/series-a-2027-q1.csv
    # --rates blend --write-plan configs/reforecast/series-a-2027-04.yaml
    from salesplan.choices import Rates
    from salesplan.pipeline import run_actuals, run_plan
    from salesplan.reforecast.route import run_reforecast

    monkeypatch.chdir(ROOT)
    shipped = "configs/reforecast/series-a-2027-04.yaml"
    original = run_plan(SERIES_A).evaluation
    assert original is not None
    read = run_actuals(original, SAMPLE)
    assert read.actuals is not None
    rf = run_reforecast(original, read.actuals, SAMPLE, Rates.BLEND, path=shipped, trials=0)
    assert (ROOT / shipped).read_text("utf-8") == rf.text
