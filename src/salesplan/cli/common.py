"""What every command does alike: run a plan along the route, print problems, write output.

Data goes to stdout; problems, notes and progress to stderr.  Exit codes: 0 fine, 1 problems
in a plan (or a ``--fail-on`` gate tripped), 2 usage error (bad option, missing file).
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO

import typer

from salesplan.choices import CsvDialect, OutputFormat, ProblemFormat

if TYPE_CHECKING:
    from salesplan.load.config import Config
    from salesplan.pipeline import Checked, Evaluation
    from salesplan.problems import Problem
    from salesplan.report.table import Report

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def evaluate(path: Path, confidence: float | None = None) -> Evaluation:
    """Take a plan along the route: print its problems to stderr, as ``check`` would (with
    the project's configuration), and return its evaluation; exit 1 when an error stops it
    (2 when the file is missing or the configuration cannot be used).  ``confidence`` sizes
    the plan to reach its target with that probability."""
    from salesplan.pipeline import run_plan

    if not path.exists():
        usage(f"no such file: {path}")
    settings = project_config().settings(str(path))
    return evaluation_of(
        run_plan(str(path), select=settings.select, ignore=settings.ignore, confidence=confidence)
    )


def project_config() -> Config:
    """Return the project's configuration, found from the current directory upwards; one
    that cannot be used is a usage error (its located problems on stderr, exit 2)."""
    from salesplan.load.config import load_config

    config, problems = load_config(os.getcwd())
    if problems:
        print_problems(problems)
        usage(f"the configuration in {config.path} cannot be used: fix it, or remove it")
    return config


def evaluation_of(checked: Checked) -> Evaluation:
    """Print a checked plan's problems to stderr; return its evaluation, or exit 1."""
    print_problems(checked.problems)
    if checked.evaluation is None:
        raise typer.Exit(EXIT_PROBLEMS)
    return checked.evaluation


def print_problems(problems: Iterable[Problem]) -> None:
    """Write problems to stderr, one ``path:line:col: CODE severity: message`` a line."""
    from salesplan.render import render_problems

    sys.stderr.write(render_problems(list(problems), ProblemFormat.TEXT))


def select_tables(report: Report, names: list[str] | None) -> Report:
    """Return the report with only the named tables; a usage error names the known ones."""
    if not names:
        return report
    known = [t.name for t in report.tables]
    unknown = [n for n in names if n not in known]
    if unknown:
        usage(f"no table {', '.join(unknown)}; tables: {', '.join(known)}")
    return report.only(names)


def emit(
    report: Report,
    fmt: OutputFormat,
    output: str | None,
    width: int | None,
    csv_dialect: CsvDialect = CsvDialect.RFC,
    tables: list[str] | None = None,
) -> None:
    """Render a report (only ``tables``, when named) and write it to stdout or a file."""
    from salesplan.render import render_report

    report = select_tables(report, tables)
    to_stdout = output in (None, "-")
    color = to_stdout and use_color(sys.stdout, os.environ)
    if width is None:
        width = shutil.get_terminal_size((100, 24)).columns if to_stdout else 100
    text = render_report(report, fmt, width=width, color=color, csv_dialect=csv_dialect)
    write(text, output)


def use_color(stream: TextIO, environ: Mapping[str, str]) -> bool:
    """Return whether to colour what goes to ``stream``: only a terminal, and never when
    ``NO_COLOR`` holds anything (no-color.org: an empty value does not count)."""
    return stream.isatty() and not environ.get("NO_COLOR")


def write(text: str, output: str | None) -> None:
    """Write text to stdout (``None`` or ``-``) or a file; a failed write is a usage error."""
    from salesplan.render import OutputError, write_output

    try:
        write_output(text, output, stdout=sys.stdout)
    except OutputError as err:
        usage(str(err))


def note(message: str) -> None:
    """Write a message for the user to stderr."""
    sys.stderr.write(f"salesplan: {message}\n")


def usage(message: str) -> NoReturn:
    """Write a usage error to stderr and exit 2."""
    sys.stderr.write(f"salesplan: error: {message}\n")
    raise typer.Exit(EXIT_USAGE)
