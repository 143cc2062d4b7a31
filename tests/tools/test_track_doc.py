"""docs/track.md stays true: its Python example runs, its intervals and worked example are
the engine's, and the headline it quotes is the command's."""

from __future__ import annotations

import numpy as np
import pytest

from salesplan.engine.realised import beta_interval
from tests.conftest import Cli
from tests.paths import ROOT

TRACK = ROOT / "docs" / "track.md"


def doc() -> str:
    return " ".join(TRACK.read_text("utf-8").split())


def test_the_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code = TRACK.read_text("utf-8").split("```python\n", 1)[1].split("```", 1)[0]
    scope: dict[str, object] = {}
    exec(compile(code, "docs/track.md", "exec"), scope)
    assert scope["tracked"] is not None


@pytest.mark.parametrize(
    ("s", "n", "text"),
    [
        (3.0, 10.0, "Three wins of ten reads {}–{}"),
        (300.0, 1000.0, "three hundred of a thousand reads {}–{}"),
        (1.5, 2.0, "Beta(2, 1), whose quantile is `√p`: {}–{}"),
        (0.5, 3.0, "quantile `1 − (1 − p)^(1/3)`: {}–{}"),
    ],
)
def test_the_intervals_quoted_are_the_engines(s: float, n: float, text: str) -> None:
    low, high, _ = beta_interval(np.array([s]), np.array([n]))
    digits = 1 if n >= 10 else 2
    shown = text.format(f"{low[0]:.{digits}%}", f"{high[0]:.{digits}%}")
    assert shown in doc()


def test_the_worked_example_and_headline_are_the_commands(cli: Cli) -> None:
    code, out, _ = cli(
        "track", "tests/plans/track/blueprints.yaml", "tests/plans/track/blueprints-q1.csv"
    )
    assert code == 0
    headline = " ".join(out.split("\n\n")[1].split())
    assert headline in doc()
    assert "n = 0.31006 × 50 + 0.68994 × 48 + 0.31006 × 46 + 0.68994 × 50 = 97.380 SQLs" in doc()
