"""``salesplan check``: every problem of plan files, for people, CI and code scanning."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from salesplan.choices import ProblemFormat
from salesplan.cli.common import EXIT_OK, EXIT_PROBLEMS, note, usage
from salesplan.cli.output import write


def check(
    plans: Annotated[
        list[Path],
        typer.Argument(metavar="PLAN...", help="Plan files to check.", show_default=False),
    ],
    fmt: Annotated[
        ProblemFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="text, json, github (annotations; the default under GitHub Actions) or "
            "sarif (SARIF 2.1.0, for code-scanning uploads).",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[bool, typer.Option("--strict", help="Warnings fail too.")] = False,
    select: Annotated[
        list[str] | None,
        typer.Option("--select", metavar="CODE", help="Only these codes (or prefixes)."),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option("--ignore", metavar="CODE", help="Skip these codes (or prefixes)."),
    ] = None,
) -> None:
    """Check plan files for CI: every problem as path:line:col: CODE severity: message.

    Exit 0 when clean, 1 when a plan has errors (or warnings under --strict), 2 when a file
    is missing or an option is wrong.
    """
    from salesplan.pipeline import check_files
    from salesplan.problems.codes import CODES
    from salesplan.render import render_problems

    missing = [str(p) for p in plans if not p.exists()]
    if missing:
        usage(f"no such file: {', '.join(missing)}")
    # A mistyped code would silently select nothing (or ignore nothing): refuse it.
    codes = sorted(c.code for c in CODES)
    asked = (*(select or ()), *(ignore or ()))
    unknown = [c for c in asked if not any(code.startswith(c) for code in codes)]
    if unknown:
        listed = ", ".join(map(repr, unknown))
        usage(f"no check code is or starts with {listed} (codes run {codes[0]} to {codes[-1]})")
    if fmt is None:
        on_actions = os.environ.get("GITHUB_ACTIONS") == "true"
        fmt = ProblemFormat.GITHUB if on_actions else ProblemFormat.TEXT
    problems = check_files([str(p) for p in plans], select or (), ignore or ())
    text = render_problems(problems, fmt)
    if text:
        write(text if text.endswith("\n") else text + "\n", None)
    failing = [p for p in problems if strict or p.severity.value == "error"]
    if fmt is ProblemFormat.TEXT:
        errors = sum(p.severity.value == "error" for p in problems)
        warnings = len(problems) - errors
        note(f"{len(plans)} plan(s) checked: {errors} error(s), {warnings} warning(s)")
    raise typer.Exit(EXIT_PROBLEMS if failing else EXIT_OK)
