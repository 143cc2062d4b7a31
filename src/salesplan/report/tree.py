"""A neutral tree: a number, how it is computed from the numbers below it, and where the plan
says each input; renderers decide how it looks (a Rich tree, a markdown list, JSON).

Like a ``Table``, a ``TreeNode`` holds raw numbers, never text made from them: the formula
is in the plan's terms, and ``expression`` is arithmetic over ``c0``, ``c1``, … (the
children's values, in order) that recomputes ``value``.  A node met a second time in one
tree is written once; later it is a reference (``see``) to the first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from salesplan.report.table import Kind


@dataclass(frozen=True)
class TreeNode:
    """One number of a tree."""

    id: int  # unique in its tree, in the order the nodes are read (depth first)
    label: str
    value: float
    kind: Kind  # how the value is formatted: MONEY, COUNT, RATE or NUMBER
    unit: str = ""  # FTE, months, days, …
    formula: str = ""  # in the plan's terms, or the rule that decides the number
    expression: str = ""  # arithmetic over c0, c1, …: recomputes value from the children
    key: str = ""  # a plan input: its key path, roles.ae.comp.quota
    location: str = ""  # where the plan writes it, file:line
    written: bool = True  # False: the schema's default, not written in the plan
    section: str = ""  # where docs/model.md states it: §3
    more: str = ""  # the quantity that explains this number in full (a step cut by depth)
    see: int | None = None  # a repeat: the id of the node written in full
    children: tuple[TreeNode, ...] = ()


@dataclass(frozen=True)
class Tree:
    """What ``explain`` prints: a titled tree with the meta a renderer needs."""

    kind: str
    title: str
    root: TreeNode
    meta: Mapping[str, str] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def walk(node: TreeNode) -> list[TreeNode]:
    """Return the nodes of a tree depth first, the root first."""
    out, stack = [], [node]
    while stack:
        here = stack.pop()
        out.append(here)
        stack.extend(reversed(here.children))
    return out


__all__ = ["Tree", "TreeNode", "walk"]
