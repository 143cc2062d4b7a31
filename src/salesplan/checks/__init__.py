"""Checks: a registry of small rules, each with a stable code and a docstring for users.

A rule takes a :class:`Context` (the loaded plan and, when the engine could run, its
evaluation) and yields located problems.  ``RULES`` is a tuple so nothing can grow it by
accident; the README's table of checks is tested against it and ``codes.CODES``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesplan.problems import Problem

if TYPE_CHECKING:
    from salesplan.api import Evaluation
    from salesplan.load import LoadedPlan


@dataclass(frozen=True)
class Context:
    """What a rule may look at."""

    loaded: LoadedPlan
    evaluation: Evaluation


@dataclass(frozen=True)
class Rule:
    """A rule: the code it reports and the function that finds it."""

    code: str
    check: Callable[[Context], Iterable[Problem]]


def rules() -> tuple[Rule, ...]:
    """Return every rule, in code order."""
    from salesplan.checks.engine_rules import RULES as ENGINE
    from salesplan.checks.field import RULES as FIELD

    return tuple(sorted(ENGINE + FIELD, key=lambda r: r.code))


def run_rules(
    ctx: Context, select: Iterable[str] = (), ignore: Iterable[str] = ()
) -> list[Problem]:
    """Run the rules (only ``select`` if given, never ``ignore``), minus plan suppressions."""
    chosen = set(select)
    skipped = set(ignore) | {s.code for s in ctx.loaded.plan.suppress}
    out: list[Problem] = []
    for rule in rules():
        if (chosen and not any(rule.code.startswith(c) for c in chosen)) or any(
            rule.code.startswith(c) for c in skipped
        ):
            continue
        out.extend(rule.check(ctx))
    return out
