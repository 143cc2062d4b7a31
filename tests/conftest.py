"""Fixtures every room's tests share: one way to run the command line."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import NamedTuple

import pytest
from typer.testing import CliRunner

from salesplan.cli import app
from tests.golden import files_text
from tests.paths import ROOT


class Ran(NamedTuple):
    """What one command printed and how it exited."""

    code: int
    out: str
    err: str


Cli = Callable[..., Ran]


def shell_words(command: str) -> list[str]:
    """Split a command line as a POSIX shell does, its operators (``< > | ; &``) words apart.

    An example a user would paste must survive the shell: ``--to payback<=30`` unquoted is
    ``payback``, ``<``, ``=30`` here as in bash (a redirection from a file named ``=30``).
    """
    lexer = shlex.shlex(command, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    return list(lexer)


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Cli:
    """Return a runner of ``salesplan ARGS…`` as a user at the repository root would see it.

    Paths and problem locations print as given, so the commands run from the repository's
    root; colour is off (``NO_COLOR``) and the GitHub Actions format is not picked, so the
    output is the same everywhere.  An exception other than an exit is raised, not hidden.
    """
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")

    def run(*args: str, env: Mapping[str, str] | None = None, stdin: str | None = None) -> Ran:
        result = CliRunner().invoke(app, list(args), env=env, input=stdin)
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return Ran(result.exit_code, result.stdout, result.stderr)

    return run


def in_format(cli: Cli, *args: str, fmt: str, directory: Path) -> Ran:
    """Run a report command in a format; CSV, one file a table, goes into ``directory`` with
    ``-o DIR/`` and comes back as :func:`~tests.golden.files_text`, without the note on
    stderr that says what was written."""
    if fmt != "csv":
        return cli(*args, "--format", fmt)
    code, out, err = cli(*args, "-o", f"{directory}/")
    assert out == ""
    lines = err.splitlines(keepends=True)
    if code == 0:
        assert lines and lines[-1].startswith("salesplan: wrote "), err
        lines = lines[:-1]
    return Ran(code, files_text(directory), "".join(lines))


def warnings_of(*paths: str) -> str:
    """Return what ``salesplan check`` prints for plans that have only warnings: what every
    report command prints on stderr for the same plans."""
    from salesplan.choices import ProblemFormat
    from salesplan.pipeline import run_plan
    from salesplan.render import render_problems

    problems = [p for path in paths for p in run_plan(path).problems]
    return render_problems(problems, ProblemFormat.TEXT)
