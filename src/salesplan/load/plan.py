"""Load a plan: read the file (bounded YAML), merge its ``extends`` chain, type it by the schema.

Every problem found on the way is returned, located in the file that holds the offending
line; loading never prints, never exits and never raises.  What a schema cannot say
(references between tiers, motions, stages and roles; shares that sum to 1) is checked next,
by the plan rules of :mod:`salesplan.checks`; the pipeline runs them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesplan.load.schema_errors import repaired_plan, schema_problems
from salesplan.load.sources import KeyPath, ReadPlan, Source, merged_source, read_working_tree
from salesplan.load.yamlread import Doc, read_yaml, read_yaml_file
from salesplan.problems import Location, Problem
from salesplan.problems.codes import problem

if TYPE_CHECKING:
    from salesplan.load.schema import Plan


@dataclass(frozen=True)
class LoadedPlan:
    """A plan typed by the schema, with where each value came from.

    ``repaired`` is set when the schema failed and the plan is a copy repaired past unknown
    keys and out-of-range numbers (see :func:`salesplan.load.schema_errors.repaired_plan`):
    good for finding the plan's other problems in the same pass, never for planning.
    ``moved`` says whether a share was moved to its bound to get there.
    """

    path: str
    plan: Plan
    source: Source
    repaired: bool = False
    moved: bool = False

    def where(self, path: KeyPath, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``path``."""
        return self.source.where(path, key=key)


def load_plan(path: str) -> tuple[LoadedPlan | None, list[Problem]]:
    """Read, merge and type one plan file from disk."""
    doc, problems = read_yaml_file(path)
    return _typed(path, doc, problems, read_working_tree)


def load_plan_text(
    path: str, text: str | bytes, read: ReadPlan = read_working_tree
) -> tuple[LoadedPlan | None, list[Problem]]:
    """Load a plan from text (``path`` names it in messages and resolves ``extends``).

    ``read`` reads the plans it extends (by default from the working tree).
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    doc, problems = read_yaml(path, raw)
    return _typed(path, doc, problems, read)


def _typed(
    path: str, doc: Doc | None, problems: list[Problem], read: ReadPlan
) -> tuple[LoadedPlan | None, list[Problem]]:
    """Merge a read document along its ``extends`` chain, then type it by the schema."""
    if doc is None:
        return None, problems
    source, more = merged_source(doc, path, read)
    problems = problems + more
    if source is None:
        return None, problems
    if not isinstance(source.data, dict):
        problems.append(problem("SP200", source.where(()), "the plan must be a mapping of keys"))
        return None, problems
    plan, schema_errors = schema_problems(source)
    problems += schema_errors
    if plan is not None:
        return LoadedPlan(path, plan, source), problems
    # Look for the other problems too (references, uncertain values' bounds) in a copy
    # repaired past the schema errors, when they allow it: one pass finds them all.
    repaired, moved = repaired_plan(source)
    if repaired is None:
        return None, problems
    return LoadedPlan(path, repaired, source, repaired=True, moved=moved), problems
