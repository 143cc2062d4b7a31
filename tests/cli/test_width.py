"""The terminal view of every command on every shipped plan fits the width it is given."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from rich.cells import cell_len
from typer.main import get_command

from salesplan.cli import app
from tests.conftest import Cli
from tests.paths import ROOT

SHIPPED = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "configs").rglob("*.yaml"))
COMMANDS = sorted(
    name
    for name, command in get_command(app).commands.items()  # type: ignore[attr-defined]
    if any("--width" in getattr(param, "opts", ()) for param in command.params)
)
DIFF = ("tests/plans/diff/base.yaml", "tests/plans/diff/head.yaml")
# The plans that have actuals to track, and their files.
ACTUALS = {"configs/series-a.yaml": "configs/actuals/series-a-2027-q1.csv"}
# What solve and explain are asked on every plan (a budget some plans cannot meet: exit 1).
QUESTIONS = {"solve": ["--budget", "20000000"], "explain": ["arr", "plan", "-f", "table"]}


def _runs(plan: str) -> list[list[str]]:
    """Return the arguments of every command with a terminal view, on ``plan``."""
    runs = []
    for command in COMMANDS:
        if command == "diff":
            runs.append([command, SHIPPED[0], plan])
        elif command == "compare":
            runs.append([command, plan, SHIPPED[0]])
        elif command == "simulate":
            runs.append([command, plan, "--trials", "50"])
        elif command == "track":
            runs += [[command, plan, ACTUALS[plan]]] if plan in ACTUALS else []
        elif command == "reforecast":
            runs += [[command, plan, ACTUALS[plan], "--trials", "50"]] if plan in ACTUALS else []
        elif command in QUESTIONS:
            runs.append([command, plan, *QUESTIONS[command]])
        else:
            runs.append([command, plan])
    return [*runs, ["plan", plan, "--all", "--period", "month"]]


def _too_wide(text: str, width: int) -> list[str]:
    return [line for line in text.splitlines() if cell_len(line) > width]


def test_the_commands_are_found() -> None:
    assert {"plan", "pods", "comp", "economics", "diff", "compare"} <= set(COMMANDS)


@pytest.fixture
def evaluated_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Evaluate each plan, and run its first screen's quick simulation, once for every width:
    the test is about drawing, and the figures are the same at every width."""
    from salesplan import pipeline

    runs: dict[str, Any] = {}
    run_plan, outlook = pipeline.run_plan, pipeline.Evaluation.outlook

    def run_once(path: str, **kwargs: Any) -> Any:
        if kwargs.get("text") is not None:  # a plan from stdin or git: read it afresh
            return run_plan(path, **kwargs)
        key = repr((path, sorted(kwargs.items())))
        if key not in runs:
            runs[key] = run_plan(path, **kwargs)
        return runs[key]

    def outlook_once(self: Any, *args: Any, **kwargs: Any) -> Any:
        key = repr((id(self), args, sorted(kwargs.items())))
        if key not in runs:
            runs[key] = outlook(self, *args, **kwargs)
        return runs[key]

    monkeypatch.setattr(pipeline, "run_plan", run_once)
    monkeypatch.setattr(pipeline.Evaluation, "outlook", outlook_once)


@pytest.mark.usefixtures("evaluated_once")
@pytest.mark.parametrize("plan", SHIPPED)
def test_no_line_is_wider_than_the_width(cli: Cli, plan: str) -> None:
    for width in (80, 160):
        for args in _runs(plan):
            code, out, err = cli(*args, "--width", str(width))
            assert code == 0 or (code == 1 and args[0] == "solve"), (args, err)
            assert out and not _too_wide(out, width), (width, args, _too_wide(out, width))


@pytest.mark.parametrize("width", [80, 100])
def test_diff_tables_keep_their_shape(cli: Cli, width: int) -> None:
    # The input table once split into parts whose rule wrapped, its path cells at column 0.
    code, out, _ = cli("diff", *DIFF, "--width", str(width))
    assert code == 0
    assert not _too_wide(out, width)
    table = out.split("Input changes\n", 1)[1].split("\n\n", 1)[0].splitlines()
    rule = table.index(next(line for line in table if line.lstrip().startswith("─")))
    assert all(line.startswith("  ") for line in table[rule + 1 :]), table
    assert "(1/" not in out
    assert "Not shown at" in out  # the line columns left out, and said so


# The first screen: one screen at 100 columns (issue: at most 50 lines for every shipped
# plan), in the order a founder reads it.
SCREEN_LINES = 50


@pytest.mark.usefixtures("evaluated_once")
@pytest.mark.parametrize("plan", SHIPPED)
def test_the_first_screen_fits_in_fifty_lines(cli: Cli, plan: str) -> None:
    code, out, _ = cli("plan", plan, "--width", "100")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) <= SCREEN_LINES, len(lines)
    starts = [
        next(n for n, line in enumerate(lines) if line.startswith(head))
        for head in ("Sales plan: ", "ARR delivered", "The plan by year", "People: ", "More: ")
    ]
    assert starts == sorted(starts)
    assert "At the likely values its hires deliver" in out


def test_the_plan_make_run_prints_fits_with_its_warnings(cli: Cli) -> None:
    # Warnings go to stderr before the screen; with them it still fits in 50 lines.
    code, out, err = cli("plan", "configs/series-a.yaml", "--width", "100")
    assert code == 0 and " warning: " in err
    assert len(out.splitlines()) + len(err.splitlines()) <= SCREEN_LINES


def test_on_a_terminal_the_first_screen_says_its_warnings_in_one_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # A terminal 100 columns wide shows 10 full warnings as 29 wrapped rows: there, the
    # first screen names them in one line and `check` prints each; a pipe gets them all.
    import io

    from salesplan.cli.common import evaluate

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.chdir(ROOT)
    monkeypatch.setenv("COLUMNS", "200")
    from pathlib import Path

    evaluate(Path("configs/series-a.yaml"), fold_warnings=True)
    assert err.getvalue() == (
        "salesplan: 10 warnings (SP301 ×3, SP402 ×2, SP403 ×2, SP408, SP410, SP411): "
        "see salesplan check configs/series-a.yaml\n"
    )
    # At 100 columns it wraps between words, the path whole.
    err.truncate(0), err.seek(0)
    monkeypatch.setenv("COLUMNS", "100")
    evaluate(Path("configs/series-a.yaml"), fold_warnings=True)
    lines = err.getvalue().splitlines()
    assert len(lines) == 2 and all(len(line) <= 100 for line in lines)
    assert lines[1].split()[-1] == "configs/series-a.yaml"
    err.truncate(0), err.seek(0)
    evaluate(Path("configs/series-a.yaml"))
    assert len(err.getvalue().splitlines()) == 10


@pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")
@pytest.mark.parametrize(
    "args",
    [
        ["explain", "configs/series-a.yaml", "need", "se", "2027-03"],
        ["solve", "configs/series-a.yaml", "--budget", "9000000", "-t", "solve"],
    ],
)
def test_answers_on_a_terminal_say_the_warnings_in_one_line(args: list[str]) -> None:
    # A real terminal on stdout and stderr, as a user at it has: the answer, then no wall of
    # warnings before it, one line naming their codes instead.
    import os
    import pty
    import subprocess

    controller, terminal = pty.openpty()
    env = dict(os.environ, NO_COLOR="1", COLUMNS="100", LINES="200")
    process = subprocess.Popen(
        [sys.executable, "-m", "salesplan", *args, "--no-pager"],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
        cwd=ROOT,
        env=env,
    )
    os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    assert process.wait(timeout=120) == 0
    os.close(controller)
    seen = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    assert "salesplan: 10 warnings (SP301 ×3" in seen
    assert "SP301 warning:" not in seen
