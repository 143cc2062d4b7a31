"""The package's shape: rooms import along the route, never in a circle.

Imports are read from the source (those inside functions too, but not those under
``if TYPE_CHECKING:``, which only type checkers run).  An edge goes to the module a
statement names: ``from salesplan.report import plan`` names ``salesplan.report.plan``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.paths import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "salesplan"


def module_name(path: Path) -> str:
    """Return the dotted name of a source file (a package is its ``__init__``)."""
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Yield the import statements under ``node`` that run, skipping TYPE_CHECKING blocks."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.If) and _type_checking(child):
            yield from (n for b in child.orelse for n in _imports_of(b))
            continue
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        yield from _imports(child)


def _imports_of(node: ast.stmt) -> Iterator[ast.Import | ast.ImportFrom]:
    if isinstance(node, ast.Import | ast.ImportFrom):
        yield node
    yield from _imports(node)


def imported(name: str) -> set[str]:
    """Return the salesplan modules that module ``name`` imports when it runs."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in _imports(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif node.level == 0 and node.module:
            targets = [f"{node.module}.{a.name}" for a in node.names] + [node.module]
        else:
            continue
        for target in targets:
            if target in MODULES:
                out.add(target)
                break
    return out - {name}


GRAPH = {name: imported(name) for name in MODULES}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_the_import_reader_sees_imports_inside_functions_but_not_type_checking() -> None:
    assert "salesplan.pipeline" in GRAPH["salesplan.cli.common"]  # imported inside a function
    assert "salesplan.pipeline" not in GRAPH["salesplan.checks.rule"]  # only for mypy


def test_no_import_cycles() -> None:
    assert cycles(GRAPH) == []


# Rooms a room may not import: the route runs one way.
FORBIDDEN = {
    "salesplan.problems": ("salesplan.load", "salesplan.engine", "salesplan.report"),
    "salesplan.load": ("salesplan.engine", "salesplan.report", "salesplan.render"),
    "salesplan.engine": ("salesplan.load.plan", "salesplan.report", "salesplan.render"),
    "salesplan.checks": ("salesplan.report", "salesplan.render", "salesplan.cli"),
    "salesplan.report": ("salesplan.render", "salesplan.cli", "salesplan.load"),
    "salesplan.render": ("salesplan.engine", "salesplan.load", "salesplan.pipeline"),
    # A reforecast plans along the route; what it prints is the report room's.
    "salesplan.reforecast": ("salesplan.report", "salesplan.render", "salesplan.cli"),
}
# Engine functions that run a plan: a report is handed their results, it never calls them.
ENGINE_RUNS = (
    "salesplan.engine.run",
    "salesplan.engine.forward",
    "salesplan.engine.compile",
    "salesplan.engine.staffing",
)


@pytest.mark.parametrize("room", sorted(FORBIDDEN))
def test_rooms_import_along_the_route(room: str) -> None:
    for name, targets in GRAPH.items():
        if name == room or name.startswith(room + "."):
            wrong = [t for t in targets if t.startswith(FORBIDDEN[room])]
            assert not wrong, f"{name} imports {wrong}"


def test_reports_do_no_engine_work() -> None:
    for name, targets in GRAPH.items():
        if name.startswith("salesplan.report"):
            assert not [t for t in targets if t in ENGINE_RUNS], name


def test_the_top_level_holds_a_handful_of_modules() -> None:
    top = [p.name for p in PACKAGE.glob("*.py")]
    assert len(top) <= 6, top
