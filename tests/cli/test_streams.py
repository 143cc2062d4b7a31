"""Standard output that fails: a full disk exits 1 with one line, a reader that went away
ends quietly with 141, and nothing ever tracebacks (real processes, real descriptors)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import Cli
from tests.paths import ROOT

PLAN = "configs/seed.yaml"
# Text, bytes and check's own writing: each way to stdout, in a process of its own.
COMMANDS = [["plan", PLAN], ["plan", PLAN, "-f", "xlsx"], ["check", PLAN, "configs/series-a.yaml"]]


def _run(args: list[str], stdout: int) -> subprocess.CompletedProcess[str]:
    """Run ``salesplan ARGS`` in a fresh interpreter with stdout on the given descriptor."""
    env = {**os.environ, "NO_COLOR": "1", "PYTHONPATH": os.pathsep.join(sys.path)}
    env.pop("GITHUB_ACTIONS", None)
    return subprocess.run(
        [sys.executable, "-m", "salesplan", *args],
        stdout=stdout,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=60,
    )


def _not_warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if " warning: " not in line]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_full_disk_exits_1_with_one_line(args: list[str]) -> None:
    with open("/dev/full", "wb") as full:
        done = _run(args, full.fileno())
    assert done.returncode == 1, done.stderr
    assert _not_warnings(done.stderr) == [
        "salesplan: error: cannot write to standard output: No space left on device"
    ]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_reader_that_went_away_ends_quietly(args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # nobody reads: the first write meets EPIPE, as `| head` does sooner or later
    try:
        done = _run(args, write)
    finally:
        os.close(write)
    assert done.returncode == 141  # what a shell reports for SIGPIPE
    assert _not_warnings(done.stderr) == []  # no traceback, no "Exception ignored"


def test_a_full_output_file_is_not_a_usage_error(cli: Cli) -> None:
    if not os.path.exists("/dev/full"):
        pytest.skip("no /dev/full")
    code, out, err = cli("schema", "-o", "/dev/full")
    assert (code, out) == (1, "")
    assert err == "salesplan: error: cannot write /dev/full: No space left on device\n"


def test_a_missing_directory_stays_a_usage_error(cli: Cli, tmp_path: Path) -> None:
    code, _, err = cli("schema", "-o", str(tmp_path / "no" / "schema.json"))
    assert code == 2
    assert err.startswith("salesplan: error: cannot write ")


def test_dev_stdout_gets_the_terminal_width(cli: Cli, tmp_path: Path) -> None:
    env = {"COLUMNS": "70"}
    to_stdout = cli("comp", PLAN, "-o", "/dev/stdout", env=env).out
    assert to_stdout == cli("comp", PLAN, env=env).out
    assert max(len(line) for line in to_stdout.splitlines()) <= 70
    cli("comp", PLAN, "-o", str(tmp_path / "comp.txt"), env=env)
    to_file = (tmp_path / "comp.txt").read_text("utf-8")
    assert to_file == cli("comp", PLAN, "--width", "100").out  # a file: 100, not the terminal's
    assert to_file != to_stdout


def test_check_help_names_every_problem_format(cli: Cli) -> None:
    out = " ".join(cli("check", "--help").out.split())
    for fmt in ("text", "json", "github", "sarif"):
        assert fmt in out.split("--format", 1)[1].split("--strict", 1)[0]
