"""The registry of every rule, keyed by code, in code order.

``RULES`` is a tuple so nothing can grow it by accident; the README's table of checks is
tested against it and :data:`salesplan.problems.codes.CODES`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from salesplan.checks import (
    engine_rules,
    field,
    field_economics,
    field_hiring,
    field_org,
    field_quota,
    plan_rules,
)
from salesplan.checks.rule import Context, Needs, Rule
from salesplan.problems import Problem, Severity, has_errors
from salesplan.problems.codes import BY_CODE, selected

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *plan_rules.RULES,
            *engine_rules.RULES,
            *field.RULES,
            *field_hiring.RULES,
            *field_economics.RULES,
            *field_org.RULES,
            *field_quota.RULES,
        ),
        key=lambda r: r.code,
    )
)
# The order rules run in: a guard before the rest of its stage, then code order.
_RUN_ORDER: tuple[Rule, ...] = tuple(sorted(RULES, key=lambda r: not r.guard))
RULE_BY_CODE: dict[str, Rule] = {r.code: r for r in RULES}


def run_rules(
    ctx: Context, needs: Needs, select: Iterable[str] = (), skip: Iterable[str] = ()
) -> Iterator[Problem]:
    """Run the rules that need ``needs`` (only ``select`` if given, never ``skip``).

    Rules run in code order, a guard (SP302: numbers that are not finite) before the rest
    of its stage.  Plan rules all run, so one pass reports every problem of the
    plan; result rules stop after one that finds an error, because the later ones would
    look at an evaluation that cannot be trusted (a target already met leaves nothing to
    staff).  A rule whose findings are errors runs whatever is selected.
    """
    chosen, skipped = tuple(select), tuple(skip)
    for rule in _RUN_ORDER:
        if rule.needs is not needs:
            continue
        stops = BY_CODE[rule.code].severity is Severity.ERROR
        if not stops and not selected(rule.code, chosen, skipped):
            continue
        found = list(rule.check(ctx))
        yield from found
        if needs is Needs.RESULT and has_errors(found):
            return
