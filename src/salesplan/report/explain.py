"""What ``salesplan explain`` prints: a quantity's trace as a neutral tree, or a flat table.

The engine traced the number (``Evaluation.explain``, docs/model.md §13); here each step
becomes a :class:`~salesplan.report.tree.TreeNode` with its input's ``file:line``, a step
met again becomes a reference to the first, and the same tree flattens into one table for
CSV.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from salesplan.report.table import Cell, Column, Kind, Report, Table, with_meta
from salesplan.report.tree import Tree, TreeNode, walk

if TYPE_CHECKING:
    from salesplan.engine.explain import Explained, Step
    from salesplan.pipeline import Evaluation

# A step's unit: (how its value is formatted, the unit shown beside it).
UNITS: dict[str, tuple[Kind, str]] = {
    "money": (Kind.MONEY, ""),
    "count": (Kind.COUNT, ""),
    "fte": (Kind.COUNT, "FTE"),
    "rate": (Kind.RATE, ""),
    "months": (Kind.NUMBER, "months"),
    "days": (Kind.NUMBER, "days"),
    "number": (Kind.NUMBER, ""),
}


def explain_tree(evaluation: Evaluation, explained: Explained, plan_file: str) -> Tree:
    """Return the tree of an explained quantity; inputs carry their ``file:line``."""
    s = evaluation.plan.structure
    ids: dict[int, int] = {}
    counter = [0]

    def node(step: Step) -> TreeNode:
        number = counter[0]
        counter[0] += 1
        kind, unit = UNITS.get(step.unit, (Kind.NUMBER, ""))
        if id(step) in ids:
            return TreeNode(number, step.name, step.value, kind, unit, see=ids[id(step)])
        if step.children:
            ids[id(step)] = number
        key, location, written = "", "", True
        if step.path is not None:
            key = ".".join(str(p) for p in step.path)
            where, written = explained.where[step.path]
            location = f"{where.path}:{where.line}" if where.line else where.path
        more = f"salesplan explain {plan_file} {step.query}" if step.query else ""
        return TreeNode(
            id=number,
            label=step.name,
            value=step.value,
            kind=kind,
            unit=unit,
            formula=step.formula,
            expression=step.expression,
            key=key,
            location=location,
            written=written,
            section=step.section,
            more=more,
            children=tuple(node(child) for child in step.children),
        )

    meta = {
        "currency": s.currency,
        "plan": s.plan_name,
        "quantity": explained.query.text,
        "period": explained.query.span.label,
    }
    return Tree(
        kind="explain",
        title=f"Explain: {explained.query.text} ({s.plan_name})",
        root=node(explained.step),
        meta=meta,
        notes=(
            "Each step: the number, its formula in docs/model.md's terms (§ gives the section) "
            "and the formula with its numbers; a plan input gives its key and the line that "
            "sets it.  A step decided by a staffing rule (§4) shows the figures that decide "
            "it.  A step met again says so; one cut short names the quantity that explains "
            "it in full (--depth shows more).",
        ),
    )


def explain_report(tree: Tree) -> Report:
    """Return the tree as one flat table (for CSV): a row a node, with its parent's id."""
    columns = (
        Column("id", "Id", Kind.COUNT),
        Column("parent", "Parent", Kind.COUNT),
        Column("depth", "Depth", Kind.COUNT),
        Column("step", "Step", Kind.TEXT),
        Column("value", "Value", Kind.NUMBER, digits=-1),
        Column("unit", "Unit", Kind.TEXT),
        Column("formula", "Formula", Kind.TEXT),
        Column("expression", "Expression", Kind.TEXT),
        Column("key", "Input key", Kind.TEXT),
        Column("location", "Where", Kind.TEXT),
        Column("section", "docs/model.md", Kind.TEXT),
        Column("see", "Same as", Kind.COUNT),
        Column("more", "Explained in full by", Kind.TEXT),
    )
    rows: list[tuple[Cell, ...]] = []

    def add(node: TreeNode, parent: int | None, depth: int) -> None:
        rows.append(
            (
                node.id,
                parent,
                depth,
                node.label,
                node.value,
                node.unit or node.kind.value,
                node.formula,
                node.expression,
                node.key,
                node.location if node.written else f"{node.location} (default)",
                node.section,
                node.see,
                node.more,
            )
        )
        for child in node.children:
            add(child, node.id, depth + 1)

    add(tree.root, None, 0)
    table = Table("explain", tree.title, columns, tuple(rows), key_columns=1, notes=tree.notes)
    return Report(tree.kind, tree.title, with_meta((table,), tree.meta), tree.meta)


__all__ = ["explain_report", "explain_tree", "walk"]
