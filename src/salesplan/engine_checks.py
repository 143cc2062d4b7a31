"""Problems that stop a plan from being planned once the engine has run (SP300)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesplan.codes import problem
from salesplan.problems import Problem

if TYPE_CHECKING:
    from salesplan.engine.run import PlanResult
    from salesplan.load import LoadedPlan


def engine_problems(loaded: LoadedPlan, result: PlanResult) -> list[Problem]:
    """Return SP300 when the opening base already meets the revenue target."""
    if not bool(result.target_met[0]):
        return []
    kind = result.structure.target_kind
    return [
        problem(
            "SP300",
            loaded.where(("target", kind)),
            f"the opening base already meets the {kind.replace('_', ' ')} target without new "
            "bookings: raise the target or lower the opening ARR",
        )
    ]
