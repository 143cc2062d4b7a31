"""Check plan files: load each one, run the engine when it loads, apply the rules."""

from __future__ import annotations

from collections.abc import Iterable

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
        return _filter(problems, select, ignore)
    compiled = compile_plan(loaded.plan)
    result = run(compiled.structure, compiled.params)
    engine = engine_problems(loaded, result)
    problems += engine
    if not has_errors(engine):
        ctx = Context(loaded, Evaluation(loaded, compiled, result, tuple(problems)))
        problems += run_rules(ctx, select, ignore)
    return _filter(problems, select, ignore)


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
