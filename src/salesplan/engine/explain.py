"""Explain (docs/model.md §13): any printed number traced back to the plan's inputs.

A quantity is written ``KIND [NAMES] PERIOD`` (:data:`KINDS`): ``heads ae 2027-06``,
``cac mid_market 2027-Q2``, ``new_mrr 2027-01``, ``volume smb inbound sql 2027``.  Its
trace is a tree of :class:`Step`: each step is a formula of docs/model.md with the numbers
it takes (its children), a plan input (a leaf with its key path), or a rule of staffing
(§4) that decides a whole number with the figures that decide it.  A formula step's
``expression`` recomputes its value from its children's values (:func:`evaluate`).  Pure:
no I/O; locations are added by the pipeline.
"""

from __future__ import annotations

import ast
import math
import operator
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from salesplan.choices import Period
from salesplan.engine.periods import Span, spans
from salesplan.engine.structure import EPS, Structure, month_offset
from salesplan.problems import Location

KeyPath = tuple[str | int, ...]

DEPTH = 3  # levels of a trace shown before a step is cut to its value and its query


@dataclass(frozen=True)
class Kind:
    """A kind of quantity: what it names, how a period aggregates it, what it measures."""

    args: tuple[str, ...]  # what follows the kind: "role", "tier?", "tier|blended", ...
    over: str  # "sum", "end", "mean" or "ratio" (computed over the period as a whole)
    unit: str  # money, count, fte, rate, months, number
    title: str


KINDS: dict[str, Kind] = {
    "heads": Kind(("role",), "end", "count", "heads at the month's end"),
    "starts": Kind(("role",), "sum", "count", "starts (hires)"),
    "need": Kind(("role",), "mean", "fte", "need, fully ramped FTE"),
    "capacity": Kind(("role",), "mean", "fte", "ramped capacity, FTE"),
    "cost": Kind(("role",), "sum", "money", "what a role costs: people and hiring"),
    "new_mrr": Kind(("tier?",), "sum", "money", "new MRR booked"),
    "new_arr": Kind(("tier?",), "sum", "money", "new ARR booked, 12 × new MRR"),
    "new_customers": Kind(("tier?",), "sum", "count", "new customers"),
    "mrr": Kind(("tier?",), "end", "money", "MRR at the month's end"),
    "arr": Kind(("tier?",), "end", "money", "ARR at the month's end, 12 × MRR"),
    "customers": Kind(("tier?",), "end", "count", "active customers at the month's end"),
    "revenue": Kind(("tier?",), "sum", "money", "revenue, the MRR of each month"),
    "volume": Kind(("tier", "motion", "stage"), "sum", "count", "entries into a stage"),
    "marketing": Kind(("tier?",), "sum", "money", "marketing: entries bought and programmes"),
    "sm_cost": Kind((), "sum", "money", "S&M cost: people, marketing and programmes"),
    "cac": Kind(("tier|blended",), "ratio", "money", "CAC"),
    "crc": Kind(("tier|blended",), "ratio", "money", "CRC, retention cost per customer"),
    "payback": Kind(("tier|blended",), "ratio", "months", "CAC payback"),
    "ltv": Kind(("tier|blended",), "ratio", "money", "LTV, uncapped"),
    "ltv_capped": Kind(("tier|blended",), "ratio", "money", "LTV capped in years"),
    "ltv_cac": Kind(("tier|blended",), "ratio", "number", "LTV : CAC on the capped LTV"),
}


@dataclass(frozen=True)
class Query:
    """A quantity to explain: its kind, the names it takes and its period."""

    kind: str
    names: tuple[str, ...]  # role, tier ("" for all tiers, "blended"), motion, stage
    span: Span
    period: str = ""  # the period as written (``plan``, ``2027-Q2``); the span's label if ""

    @property
    def text(self) -> str:
        """Return the query as written: ``need ae 2027-06``."""
        return " ".join([self.kind, *(n for n in self.names if n), self.period or self.span.label])


def _period(word: str, structure: Structure) -> Span:
    """Return the span a period word names: ``YYYY-MM``, ``YYYY-Qn``, ``YYYY`` or ``plan``."""
    T, start = structure.months, structure.start
    if word == "plan":
        return spans(start, T, Period.PLAN)[0]
    if len(word) == 7 and word[4] == "-" and word[:4].isdigit() and word[5:].isdigit():
        t = month_offset(start, word)
        if 0 <= t < T and 1 <= int(word[5:]) <= 12:
            return Span(word, t, t)
    for period in (Period.QUARTER, Period.YEAR):
        for span in spans(start, T, period):
            if span.label == word:
                return span
    first, last = spans(start, T, Period.PLAN)[0].label.split("..")
    raise ValueError(
        f"no period {word!r} in this plan: give a month YYYY-MM, a quarter YYYY-Qn, a year "
        f"YYYY ({first} to {last}) or plan"
    )


def parse_query(words: Sequence[str], structure: Structure) -> Query:
    """Return the quantity ``words`` name (``KIND [NAMES] PERIOD``); ValueError says what a
    quantity is when they name none."""
    words = [w for word in words for w in word.split()]
    kinds = ", ".join(KINDS)
    if len(words) < 2 or words[0] not in KINDS:
        raise ValueError(
            f"explain takes KIND [NAMES] PERIOD, e.g. 'heads ae 2027-06' or 'cac smb 2027-Q2'; "
            f"kinds: {kinds}"
        )
    kind = KINDS[words[0]]
    span = _period(words[-1], structure)
    given = list(words[1:-1])
    names: list[str] = []
    for arg in kind.args:
        optional = arg.endswith("?")
        choices = _choices(arg.rstrip("?"), structure, names)
        if not given:
            if optional:
                names.append("")
                continue
            raise ValueError(f"{words[0]} needs a {arg.rstrip('?')}: one of {', '.join(choices)}")
        word = given.pop(0)
        if word not in choices:
            raise ValueError(
                f"{words[0]}: no {arg.rstrip('?')} {word!r}; one of {', '.join(choices)}"
            )
        names.append(word)
    if given:
        raise ValueError(f"{words[0]} takes {' '.join(kind.args) or 'only a period'}: "
                         f"{' '.join(given)!r} is left over")  # fmt: skip
    return Query(words[0], tuple(names), span, words[-1])


def _choices(arg: str, structure: Structure, names: list[str]) -> list[str]:
    """Return the names an argument may take, given the names before it."""
    if arg == "role":
        return list(structure.roles)
    if arg == "tier":
        return list(structure.tiers)
    if arg == "tier|blended":
        return [*structure.tiers, "blended"]
    if arg == "motion":
        return [m for t, m in structure.cells if t == names[0]]
    m = structure.cells.index((names[0], names[1]))
    return [*(n for c, n in structure.stages if c == m), "won"]


@dataclass(frozen=True)
class Step:
    """One step of a trace: a formula with its numbers, a plan input, or a staffing rule."""

    name: str  # what the number is: "need ae 2027-06", "p, MRR per new customer of smb"
    value: float
    unit: str  # money, count, fte, rate, months, number, days
    formula: str = ""  # the formula in the plan's terms, or the rule that decides the number
    expression: str = ""  # recomputes value from c0, c1, … (the children's values)
    children: tuple[Step, ...] = ()
    path: KeyPath | None = None  # a plan input: its key path in the plan file
    section: str = ""  # where docs/model.md states it: "§3"
    query: str = ""  # the query that explains this number in full (a step cut by depth)
    written: bool = True  # an input the plan file writes (False: the schema's default)

    @property
    def is_input(self) -> bool:
        """Return whether this step is a number of the plan file."""
        return self.path is not None


_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}


def powsum(g: float, n: float) -> float:
    """Return ``1 + g + … + g^(n-1)``.

    >>> powsum(2.0, 3)
    7.0
    """
    return float(sum(g**u for u in range(int(n))))


def ceil(x: float) -> float:
    """Return ``x`` rounded up to a whole number as the engine rounds people and pods up:
    ``ceil(x - EPS)``, so float dust over a whole number adds no one.

    >>> ceil(2.0000000000001), ceil(2.1)
    (2.0, 3.0)
    """
    return float(math.ceil(x - EPS))


FUNCTIONS: dict[str, Callable[..., float]] = {
    "ceil": ceil,
    "floor": math.floor,
    "min": min,
    "max": max,
    "powsum": powsum,
}


def evaluate(expression: str, values: Sequence[float]) -> float:
    """Return an expression's value with ``c0``, ``c1``, … bound to ``values``.

    Only numbers, the names ``c<i>``, ``+ - * / **``, unary minus and :data:`FUNCTIONS`.

    >>> evaluate("(c0 + c1) * 2 ** c2", [1.0, 2.0, 3.0])
    24.0
    >>> evaluate("floor(c0) + powsum(2, 3)", [2.7])
    9.0
    >>> evaluate("max(ceil(c0 * c1), c0 * c1 + c2)", [3.0, 1.5, 0.2])
    5.0
    """

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
            return float(node.value)
        if isinstance(node, ast.Name) and node.id.startswith("c") and node.id[1:].isdigit():
            return float(values[int(node.id[1:])])
        if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
            return _BINARY[type(node.op)](walk(node.left), walk(node.right))
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            return -walk(node.operand)
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FUNCTIONS
            and not node.keywords
        ):
            return float(FUNCTIONS[node.func.id](*(walk(a) for a in node.args)))
        raise ValueError(f"not an expression of a trace: {ast.dump(node)}")

    return walk(ast.parse(expression, mode="eval"))


@dataclass(frozen=True)
class Explained:
    """A quantity's trace with where each plan input it reaches is written."""

    query: Query
    step: Step
    # Each input's key path: the location of its line (the nearest written key when the
    # schema's default is used) and whether the plan file writes it.
    where: Mapping[KeyPath, tuple[Location, bool]]


def inputs_of(step: Step) -> list[KeyPath]:
    """Return the key paths of every input in a trace, each once, in the order met."""
    seen: dict[KeyPath, None] = {}
    stack = [step]
    visited: set[int] = set()
    while stack:
        node = stack.pop()
        if id(node) in visited:
            continue
        visited.add(id(node))
        if node.path is not None:
            seen.setdefault(node.path)
        stack.extend(reversed(node.children))
    return list(seen)


__all__ = [
    "DEPTH",
    "KINDS",
    "Explained",
    "Query",
    "Step",
    "evaluate",
    "inputs_of",
    "parse_query",
    "powsum",
]
