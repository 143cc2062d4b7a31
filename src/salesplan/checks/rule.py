"""What a rule is and what it may look at.

A rule is a small function with a stable code: it takes a :class:`Context` and yields
located problems.  Its docstring is the user documentation.  *Plan* rules look at the typed
plan alone (references, shares, targets) and run before the engine, which relies on them;
*result* rules also look at the engine's evaluation (capacity gaps, rules of thumb).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesplan.problems import Location, Problem, did_you_mean

if TYPE_CHECKING:
    from salesplan.load.plan import LoadedPlan
    from salesplan.load.schema import Plan
    from salesplan.load.sources import KeyPath
    from salesplan.pipeline import Evaluation


class Needs(enum.Enum):
    """What a rule needs to run."""

    PLAN = "plan"  # the typed plan: runs before the engine
    RESULT = "result"  # the engine's evaluation too


@dataclass(frozen=True)
class Context:
    """What a rule may look at: the loaded plan and, for result rules, its evaluation."""

    loaded: LoadedPlan
    _evaluation: Evaluation | None = None

    @property
    def plan(self) -> Plan:
        """Return the typed plan."""
        return self.loaded.plan

    @property
    def evaluation(self) -> Evaluation:
        """Return the evaluation (result rules only)."""
        if self._evaluation is None:
            raise RuntimeError("a plan rule asked for the engine's evaluation")
        return self._evaluation

    def where(self, path: KeyPath, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``path``."""
        return self.loaded.where(path, key=key)

    def quoted(self, path: KeyPath, text: str, choices: list[str] | None = None) -> str:
        """Return `` 'text'`` (and a "did you mean" among ``choices``) for a message about
        the value at ``path``, or nothing when a file the plan extends holds it."""
        if not self.loaded.source.quotable(path):
            return ""
        return f" {text!r}{did_you_mean(text, choices) if choices else ''}"


@dataclass(frozen=True)
class Rule:
    """A rule: the code it reports, what it needs and the function that finds it."""

    code: str
    check: Callable[[Context], Iterable[Problem]]
    needs: Needs = Needs.RESULT
    # A guard runs before the other rules of its stage: what it refuses, none may look at.
    guard: bool = False
