"""CI gates on a plan change: ``diff --fail-on METRIC:[+|-]N[%]`` trips when an outcome moves
beyond a threshold.  Only the command line turns a tripped gate into an exit code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from salesplan.report.outcomes import Outcome, change, value_of
from salesplan.report.table import NA, Cell, Column, Kind, Table

_GATE = re.compile(
    r"^(?P<metric>[A-Za-z_][\w:\-]*):(?P<sign>[+-]?)(?P<amount>\d+(\.\d+)?)(?P<pct>%?)$"
)


# A gate on these looks at the blended figure and every tier's ("any tier's CAC up 10%").
PER_TIER = frozenset({"cac", "crc"})


@dataclass(frozen=True)
class Gate:
    """A ``--fail-on`` threshold: trips when ``metric`` moves beyond ``amount``."""

    spec: str
    metric: str  # an outcome key (heads, heads:ae, cac:smb), or cac / crc: every tier
    sign: str  # "+" rises, "-" falls, "" either way
    amount: float
    relative: bool  # amount is a percentage of the base value

    def matches(self, key: str) -> bool:
        """Return True if the gate looks at the outcome ``key``."""
        family = self.metric in PER_TIER and key.startswith(self.metric + ":")
        return key == self.metric or family


def parse_gate(spec: str, known: list[str]) -> Gate:
    """Parse ``METRIC:[+|-]AMOUNT[%]``; raise ValueError with the valid metrics.

    >>> parse_gate("cac:+10%", ["cac:smb"])
    Gate(spec='cac:+10%', metric='cac', sign='+', amount=10.0, relative=True)
    """
    m = _GATE.match(spec.strip())
    if m is None:
        raise ValueError(f"--fail-on {spec!r}: expected METRIC:+N, METRIC:-N% or METRIC:N")
    gate = Gate(spec, m["metric"], m["sign"], float(m["amount"]), m["pct"] == "%")
    if not any(gate.matches(k) for k in known):
        families = sorted({k.split(":", 1)[0] for k in known} | set(known))
        raise ValueError(
            f"--fail-on {spec!r}: no metric {gate.metric}; metrics: {', '.join(families)}"
        )
    return gate


@dataclass(frozen=True)
class GateResult:
    """One gate on one outcome it looks at: the values, how far it moved, and the verdict."""

    gate: Gate
    key: str
    base: float | NA
    head: float | NA
    moved: str | None  # "+68.4%", "+5", "from zero"; None when a side is n/a
    tripped: bool

    @property
    def checked(self) -> bool:
        """Return whether both sides have a figure, so the gate could look at the change."""
        return not isinstance(self.base, NA) and not isinstance(self.head, NA)

    def went(self) -> str:
        """Return "KEY went from BASE to HEAD" as the messages say it."""
        return f"{self.key} went from {_num(self.base)} to {_num(self.head)}"


def evaluate(
    gates: list[Gate], base: dict[str, Outcome], head: dict[str, Outcome]
) -> list[GateResult]:
    """Return every gate on every outcome it looks at, in gate then outcome order.

    An outcome that is n/a on either side (a CAC with no new customers, a tier only one plan
    has) has no change to measure: it never trips a gate.
    """
    keys = [*base, *(k for k in head if k not in base)]
    results = []
    for gate in gates:
        for key in keys:
            if not gate.matches(key):
                continue
            b, h = value_of(base, key), value_of(head, key)
            delta, rel, _ = change(b, h)
            movement = _movement(gate, delta, rel)
            tripped = movement is not None and _crosses(gate, movement[0])
            moved = movement[1] if movement is not None else None
            results.append(GateResult(gate, key, b, h, moved, tripped))
    return results


def tripped(gates: list[Gate], base: dict[str, Outcome], head: dict[str, Outcome]) -> list[str]:
    """Return one message per gate crossing (per matching outcome)."""
    return [
        f"--fail-on {r.gate.spec}: {r.went()} ({r.moved})"
        for r in evaluate(gates, base, head)
        if r.tripped
    ]


def unchecked(gates: list[Gate], base: dict[str, Outcome], head: dict[str, Outcome]) -> list[str]:
    """Return one note per outcome a gate looks at that is n/a on one side only.

    Such an outcome cannot trip the gate (see :func:`evaluate`), yet it did change: from a
    figure to none, or back.  An outcome n/a on both sides did not change and goes unnoted.
    """
    return [
        f"--fail-on {r.gate.spec}: {r.went()}, not checked ({_why(r)})"
        for r in evaluate(gates, base, head)
        if isinstance(r.base, NA) is not isinstance(r.head, NA)
    ]


def _why(result: GateResult) -> str:
    """Return which side is n/a and why (the base's reason first)."""
    side, na = ("base", result.base) if isinstance(result.base, NA) else ("head", result.head)
    assert isinstance(na, NA)
    return f"{side}: {na.reason}"


# What the gates table says of each result, a mark first so it reads at a glance.
TRIPPED, PASSED, NOT_CHECKED = "✗ tripped", "✓ passed", "– not checked"


def gates_table(results: list[GateResult]) -> Table:
    """Return the gates as a table: each gate on each outcome it looks at, and its verdict."""
    columns = (
        Column("gate", "Gate", Kind.TEXT),
        Column("metric", "Metric", Kind.TEXT),
        Column("result", "Result", Kind.TEXT, priority=0),
        Column("detail", "What moved", Kind.TEXT, priority=1),
    )
    rows: list[tuple[Cell, ...]] = []
    for r in results:
        if not r.checked:
            both = isinstance(r.base, NA) and isinstance(r.head, NA)
            why = f"n/a in both plans ({_why(r)})" if both else f"{r.went()} ({_why(r)})"
            rows.append((r.gate.spec, r.key, NOT_CHECKED, why))
        else:
            rows.append(
                (r.gate.spec, r.key, TRIPPED if r.tripped else PASSED, f"{r.went()} ({r.moved})")
            )
    notes = (
        "A gate trips when its outcome moves beyond the threshold (--fail-on METRIC:[+|-]N[%]); "
        "an outcome that is n/a in either plan has no change to measure and is not checked.",
    )
    return Table("gates", "Gates", columns, tuple(rows), key_columns=2, notes=notes)


def _movement(gate: Gate, delta: Cell, rel: Cell) -> tuple[float, str] | None:
    """Return how far the outcome moved in the gate's terms (a size and its text), or None
    when a side is n/a."""
    if not isinstance(delta, float):
        return None
    if gate.relative:
        if isinstance(rel, NA) or not isinstance(rel, float):
            # From zero any rise is an unbounded rise.
            size = (float("inf") if delta else 0.0) * (1 if delta > 0 else -1)
            return size, "from zero"
        return rel * 100, f"{rel:+.1%}"
    return delta, f"{delta:+,.2f}".rstrip("0").rstrip(".")


def _crosses(gate: Gate, size: float) -> bool:
    """Return whether a move of ``size`` crosses the gate's threshold."""
    over = {"+": size > gate.amount, "-": size < -gate.amount, "": abs(size) > gate.amount}
    return over[gate.sign]


def _num(value: float | NA) -> str:
    return "n/a" if isinstance(value, NA) else f"{value:,.2f}".rstrip("0").rstrip(".")
