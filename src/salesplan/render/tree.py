"""Draw a neutral tree (``salesplan explain``): a Rich tree for people, a markdown list for
reviews, JSON for programs.

Each node reads ``label = value``, then its formula in the plan's terms, then the formula
with its numbers (``= 123,318 / 29,167 = 4.228``); a plan input adds its key and the line
that sets it.  Numbers in a formula are written plainly (five significant figures, no
currency or percent sign: rates are fractions there, as the formulas take them); the value
of each step carries its unit.  JSON keeps every number raw.
"""

from __future__ import annotations

import io
import json
import math
import re
from typing import Any

from salesplan.choices import OutputFormat
from salesplan.render.cells import check_finite, format_money, format_rate, tidy_float
from salesplan.render.markdown import escape_inline, line_text
from salesplan.render.text import clean
from salesplan.report.table import Kind
from salesplan.report.tree import Tree, TreeNode

SCHEMA_VERSION = 1
DEFAULT_WIDTH = 100
_OPERAND = re.compile(r"\bc(\d+)\b")


def plain(value: float) -> str:
    """Return a number for a formula: five significant figures, thousands separated.

    >>> plain(29_166.6667), plain(0.0292862), plain(4.22803), plain(6.0), plain(-2.5)
    ('29,167', '0.029286', '4.228', '6', '(-2.5)')
    """
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else repr(value)
    digits = max(0, 4 - math.floor(math.log10(abs(value))))
    text = f"{value:,.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"({text})" if value < 0 else text


def shown(node: TreeNode, currency: str) -> str:
    """Return a step's value with its unit.

    >>> from salesplan.report.tree import TreeNode
    >>> rate, fte = TreeNode(0, "x", 0.015, Kind.RATE), TreeNode(0, "x", 4.2, Kind.COUNT, "FTE")
    >>> shown(rate, "USD"), shown(fte, "USD")
    ('1.5%', '4.2 FTE')
    """
    check_finite(node.value, node.label)
    if node.kind is Kind.MONEY:
        text = format_money(node.value, 0 if abs(node.value) >= 100 else 2, currency)
    elif node.kind is Kind.RATE:
        text = format_rate(node.value, 3)[:-1].rstrip("0").rstrip(".") + "%"
    else:
        text = plain(node.value).strip("()")
    return f"{text} {node.unit}" if node.unit else text


def with_numbers(node: TreeNode) -> str:
    """Return a node's expression with its children's values put in, and its result.

    >>> from salesplan.report.tree import TreeNode
    >>> kids = (TreeNode(1, "a", 650_000.0, Kind.MONEY), TreeNode(2, "b", 0.7, Kind.RATE))
    >>> with_numbers(TreeNode(0, "x", 37_916.67, Kind.MONEY, expression="c0 * c1 / 12",
    ...                       children=kids))
    '= 650,000 × 0.7 / 12 = 37,917'
    """
    values = [child.value for child in node.children]
    filled = _OPERAND.sub(lambda m: plain(values[int(m.group(1))]), node.expression)
    filled = filled.replace("**", "^").replace(" * ", " × ")
    return f"= {filled} = {plain(node.value)}"


def _lines(node: TreeNode, currency: str) -> list[str]:
    """Return a node's lines: what it is and its value, its formula, its numbers."""
    head = f"{node.label} = {shown(node, currency)}"
    if node.see is not None:
        return [f"{head} (as above)"]
    if node.key:
        where = node.location if node.written else f"the default; not written ({node.location})"
        head += f"   {node.key}   {where}"
    if node.section:
        head += f"   {node.section}"
    out = [head]
    if node.formula:
        # A step with no arithmetic is decided by a rule of the model (staffing, sharing
        # cost out): say so, so that no one looks for a sum that is not there.
        rule = not node.expression and not node.key and bool(node.children)
        out.append(f"rule: {node.formula}" if rule else node.formula)
    if node.expression and node.children and node.expression != "c0":
        out.append(with_numbers(node))
    if node.more:
        out.append(f"more: {node.more}")
    return [clean(line) for line in out]


def render_tree(
    tree: Tree, fmt: OutputFormat, *, width: int | None = None, color: bool = False
) -> str:
    """Return a tree as text in ``fmt``: table (a Rich tree), markdown or JSON."""
    currency = tree.meta.get("currency", "USD")
    if fmt in (OutputFormat.TABLE, OutputFormat.TEXT):
        return _terminal(tree, currency, width or DEFAULT_WIDTH, color)
    if fmt is OutputFormat.MARKDOWN:
        return _markdown(tree, currency)
    if fmt is OutputFormat.JSON:
        return json.dumps(tree_json(tree), indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    raise ValueError(f"a tree is drawn as a table, markdown or JSON, not {fmt.value}")


def _terminal(tree: Tree, currency: str, width: int, color: bool) -> str:
    from rich.console import Console
    from rich.text import Text
    from rich.tree import Tree as RichTree

    def label(node: TreeNode) -> Text:
        lines = _lines(node, currency)
        text = Text(lines[0], style="bold" if color and node.children else "")
        for line in lines[1:]:
            text.append("\n" + line, style="dim" if color else "")
        return text

    def grow(parent: RichTree, node: TreeNode) -> None:
        branch = parent.add(label(node))
        for child in node.children:
            grow(branch, child)

    root = RichTree(label(tree.root), guide_style="dim" if color else "")
    for child in tree.root.children:
        grow(root, child)
    buffer = io.StringIO()
    console = Console(
        file=buffer,
        width=width,
        height=50,
        color_system="standard" if color else None,
        force_terminal=color,
        force_jupyter=False,
        force_interactive=False,
        no_color=not color,
        legacy_windows=False,
        markup=False,
        emoji=False,
        highlight=False,
    )
    console.print(Text(clean(tree.title), style="bold" if color else ""))
    console.print()
    console.print(root)
    console.print()
    for note in tree.notes:
        console.print(Text(clean(note), style="dim" if color else ""))
    lines = [line.rstrip() for line in buffer.getvalue().splitlines()]
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown(tree: Tree, currency: str) -> str:
    out = [f"# {line_text(tree.title)}", ""]

    def item(node: TreeNode, depth: int) -> None:
        pad = "  " * depth
        # One list item; a backslash at a line's end keeps the next line (CommonMark).
        text = f"\\\n{pad}  ".join(escape_inline(line) for line in _lines(node, currency))
        out.append(f"{pad}- {text}")
        for child in node.children:
            item(child, depth + 1)

    item(tree.root, 0)
    out.append("")
    out.extend(line_text(note) for note in tree.notes)
    return "\n".join(out) + "\n"


def node_json(node: TreeNode) -> dict[str, Any]:
    """Return a node as JSON: raw numbers, and the input's key and line when it is one."""
    check_finite(node.value, node.label)
    out: dict[str, Any] = {
        "id": node.id,
        "name": clean(node.label),
        "value": tidy_float(node.value),
    }
    out["kind"] = node.kind.value
    out["unit"] = node.unit
    if node.see is not None:
        out["see"] = node.see
        return out
    out |= {
        "formula": clean(node.formula),
        "expression": node.expression,
        "section": node.section,
        "input": (
            {"key": clean(node.key), "location": clean(node.location), "written": node.written}
            if node.key
            else None
        ),
        "more": clean(node.more),
        "children": [node_json(child) for child in node.children],
    }
    return out


def tree_json(tree: Tree) -> dict[str, Any]:
    """Return a tree as a JSON-ready dict (``schema_version`` 1)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "kind": tree.kind,
        "title": clean(tree.title),
        "meta": {clean(k): clean(v) for k, v in tree.meta.items()},
        "notes": [clean(n) for n in tree.notes],
        "tree": node_json(tree.root),
    }


__all__ = ["plain", "render_tree", "tree_json"]
