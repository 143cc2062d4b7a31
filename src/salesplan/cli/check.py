"""``salesplan check``: every problem of plan files (and of a plan's actuals), for people, CI
and code scanning."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from salesplan.choices import ProblemFormat
from salesplan.cli.common import EXIT_OK, EXIT_PROBLEMS, note, project_config, usage

if TYPE_CHECKING:
    from salesplan.load.config import Settings
    from salesplan.problems import Problem


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
            help="text, json or github (the default under GitHub Actions) annotations.",
            show_default=False,
        ),
    ] = None,
    strict: Annotated[
        bool | None,
        typer.Option(
            "--strict/--no-strict",
            help="Warnings fail too (default: the configuration's strict, else no).",
            show_default=False,
        ),
    ] = None,
    select: Annotated[
        list[str] | None,
        typer.Option(
            "--select",
            metavar="CODE",
            help="Only these codes (or prefixes); replaces the configuration's select.",
        ),
    ] = None,
    ignore: Annotated[
        list[str] | None,
        typer.Option(
            "--ignore",
            metavar="CODE",
            help="Skip these codes (or prefixes); replaces the configuration's ignore.",
        ),
    ] = None,
    actuals: Annotated[
        Path | None,
        typer.Option(
            "--actuals",
            metavar="FILE",
            help="Also check this CSV of actuals against the plan (one PLAN; docs/actuals.md).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Check plan files for CI: every problem as path:line:col: CODE severity: message.

    With --actuals, the plan's problems come first, then the actuals file's; a plan with
    errors stops before its actuals are read.  The project's configuration ([tool.salesplan]
    in pyproject.toml, or .salesplan.yaml) applies; options override it.  Exit 0 when clean,
    1 when a file has errors (or warnings under strict), 2 when a file is missing or an
    option or the configuration is wrong.
    """
    from salesplan.pipeline import run_plan
    from salesplan.problems.codes import CODES
    from salesplan.render import render_problems

    if actuals is not None and len(plans) != 1:
        usage(f"--actuals checks one plan against its actuals: give one PLAN, not {len(plans)}")
    missing = [str(p) for p in [*plans, *([actuals] if actuals else [])] if not p.exists()]
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
    config = project_config()
    problems: list[Problem] = []
    failing: list[Problem] = []
    for plan in plans:
        settings = config.settings(str(plan), select=select, ignore=ignore, strict=strict)
        if actuals is None:
            found = list(
                run_plan(str(plan), select=settings.select, ignore=settings.ignore).problems
            )
            checked = f"{len(plans)} plan(s) checked"
        else:
            found, read = _with_actuals(str(plan), str(actuals), settings)
            checked = f"1 plan{' and its actuals' if read else ''} checked"
        problems += found
        failing += [p for p in found if settings.strict or p.severity.value == "error"]
    text = render_problems(problems, fmt)
    if text:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    if fmt is ProblemFormat.TEXT:
        errors = sum(p.severity.value == "error" for p in problems)
        warnings = len(problems) - errors
        note(f"{checked}: {errors} error(s), {warnings} warning(s)")
    raise typer.Exit(EXIT_PROBLEMS if failing else EXIT_OK)


def _with_actuals(plan: str, actuals: str, settings: Settings) -> tuple[list[Problem], bool]:
    """Return a plan's problems, then its actuals' (read only when the plan has no errors),
    and whether the actuals were read."""
    from salesplan.pipeline import run_actuals, run_plan

    select, ignore = settings.select, settings.ignore
    checked = run_plan(plan, select=select, ignore=ignore)
    if checked.evaluation is None:
        # Actuals are read against the plan's names and calendar, which an error leaves
        # uncertain: say why nothing is reported for them rather than stay silent.
        note(f"{actuals} was not read: the plan {plan} has errors")
        return list(checked.problems), False
    read = run_actuals(checked.evaluation, actuals, select=select, ignore=ignore)
    return [*checked.problems, *read.problems], True
