"""Check plan files: load each one, run the engine when it loads, apply the rules."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import replace

from salesplan.problems import Problem, has_errors, sorted_problems


def check_plan(path: str, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Problem]:
    """Return every problem of one plan file: loading, schema, references, engine, rules."""
    from salesplan.api import Evaluation
    from salesplan.checks import Context, run_rules
    from salesplan.engine.compile import compile_plan
    from salesplan.engine.run import run
    from salesplan.engine_checks import engine_problems
    from salesplan.load import load_plan

    loaded, problems = load_plan(path)
    if loaded is None or has_errors(problems):
        return _via(_filter(problems, select, ignore), path)
    compiled = compile_plan(loaded.plan)
    result = run(compiled.structure, compiled.params)
    engine = engine_problems(loaded, result)
    problems += engine
    if not has_errors(engine):
        ctx = Context(loaded, Evaluation(loaded, compiled, result, tuple(problems)))
        problems += run_rules(ctx, select, ignore)
    return _via(_filter(problems, select, ignore), path)


def _via(problems: list[Problem], path: str) -> list[Problem]:
    """Name the checked plan in problems located in a file it extends.

    A scenario's problem points at the line that causes it, often in its base plan; several
    scenarios of one base would otherwise print the same location with nothing to tell
    which plan it came from.
    """
    here = os.path.realpath(path)
    return [
        p
        if not p.location.path or os.path.realpath(p.location.path) == here
        else replace(p, message=f"{p.message} (checking {path}, which builds on this file)")
        for p in problems
    ]


def check_files(
    paths: list[str], select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Problem]:
    """Check several plan files in one process; problems in file order."""
    out: list[Problem] = []
    for path in paths:
        out += check_plan(path, select, ignore)
    return out


def _filter(problems: list[Problem], select: Iterable[str], ignore: Iterable[str]) -> list[Problem]:
    chosen, skipped = tuple(select), tuple(ignore)
    # Errors that stop a plan from loading are never filtered away: nothing else can run.
    kept = [
        p
        for p in problems
        if (p.severity.value == "error" and p.code < "SP300")
        or ((not chosen or p.code.startswith(chosen)) and not p.code.startswith(skipped or ("~",)))
    ]
    return sorted_problems(kept)
