"""What every command does alike: run a plan along the route, print problems, write output.

Data goes to stdout; problems, notes and progress to stderr.  Exit codes: 0 fine, 1 problems
in a plan (or a ``--fail-on`` gate tripped), 2 usage error (bad option, missing file).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer

from salesplan.choices import ProblemFormat

if TYPE_CHECKING:
    from salesplan.load.config import Config
    from salesplan.pipeline import Checked, Evaluation
    from salesplan.problems import Problem

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2

# A plan named ``-`` is read from standard input; problems in it name it this way, and the
# plans it ``extends`` are found from the current directory.
STDIN = "-"
STDIN_LABEL = "<stdin>"


def one_stdin(specs: Iterable[str]) -> None:
    """Refuse more than one plan from standard input (it can be read once)."""
    if sum(str(spec) == STDIN for spec in specs) > 1:
        usage("only one plan can be read from stdin (-)")


def run_named(
    spec: str,
    *,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    confidence: float | None = None,
) -> Checked:
    """Take the plan a command line names along the route: ``-`` is standard input, any
    other name a file (missing: exit 2)."""
    from salesplan.pipeline import run_plan

    if spec == STDIN:
        text = sys.stdin.buffer.read()
        return run_plan(STDIN_LABEL, text=text, select=select, ignore=ignore, confidence=confidence)
    if not Path(spec).exists():
        usage(f"no such file: {spec}")
    return run_plan(spec, select=select, ignore=ignore, confidence=confidence)


def evaluate(
    path: Path, confidence: float | None = None, *, fold_warnings: bool = False
) -> Evaluation:
    """Take a plan along the route: print its problems to stderr, as ``check`` would (with
    the project's configuration), and return its evaluation; exit 1 when an error stops it
    (2 when the file is missing or the configuration cannot be used).  ``confidence`` sizes
    the plan to reach its target with that probability.  ``fold_warnings``: on a terminal,
    a plan that plans says its warnings in one line (see :func:`print_problems`)."""
    if str(path) != STDIN and not path.exists():
        usage(f"no such file: {path}")
    settings = project_config().settings(STDIN_LABEL if str(path) == STDIN else str(path))
    checked = run_named(
        str(path), select=settings.select, ignore=settings.ignore, confidence=confidence
    )
    return evaluation_of(checked, fold_warnings=fold_warnings)


def project_config() -> Config:
    """Return the project's configuration, found from the current directory upwards; one
    that cannot be used is a usage error (its located problems on stderr, exit 2)."""
    from salesplan.load.config import load_config

    config, problems = load_config(os.getcwd())
    if problems:
        print_problems(problems)
        usage(f"the configuration in {config.path} cannot be used: fix it, or remove it")
    return config


def evaluation_of(checked: Checked, *, fold_warnings: bool = False) -> Evaluation:
    """Print a checked plan's problems to stderr; return its evaluation, or exit 1."""
    fold = fold_warnings and checked.evaluation is not None and sys.stderr.isatty()
    if fold and checked.problems:
        import shutil

        from salesplan.render.problems import warnings_line

        width = shutil.get_terminal_size((100, 24)).columns
        path = "-" if checked.path == STDIN_LABEL else checked.path
        sys.stderr.write(warnings_line(checked.problems, path, width))
    else:
        print_problems(checked.problems)
    if checked.evaluation is None:
        raise typer.Exit(EXIT_PROBLEMS)
    return checked.evaluation


def print_problems(problems: Iterable[Problem]) -> None:
    """Write problems to stderr, one ``path:line:col: CODE severity: message`` a line."""
    from salesplan.render import render_problems

    sys.stderr.write(render_problems(list(problems), ProblemFormat.TEXT))


def note(message: str) -> None:
    """Write a message for the user to stderr."""
    sys.stderr.write(f"salesplan: {message}\n")


def usage(message: str) -> NoReturn:
    """Write a usage error to stderr and exit 2."""
    sys.stderr.write(f"salesplan: error: {message}\n")
    raise typer.Exit(EXIT_USAGE)
