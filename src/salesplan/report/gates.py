"""CI gates on a plan change: ``diff --fail-on METRIC:[+|-]N[%]`` trips when an outcome moves
beyond a threshold.  Only the command line turns a tripped gate into an exit code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from salesplan.report.outcomes import Outcome, change, value_of
from salesplan.report.table import NA, Cell

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


def _watched(
    gates: list[Gate], base: dict[str, Outcome], head: dict[str, Outcome]
) -> list[tuple[Gate, str, float | NA, float | NA]]:
    """Return (gate, key, base value, head value) for every outcome each gate looks at."""
    keys = [*base, *(k for k in head if k not in base)]
    return [
        (gate, key, value_of(base, key), value_of(head, key))
        for gate in gates
        for key in keys
        if gate.matches(key)
    ]


def tripped(gates: list[Gate], base: dict[str, Outcome], head: dict[str, Outcome]) -> list[str]:
    """Return one message per gate crossing (per matching outcome).

    An outcome that is n/a on either side (a CAC with no new customers, a tier only one plan
    has) has no change to measure: it never trips a gate; :func:`unchecked` names it.
    """
    messages = []
    for gate, key, b, h in _watched(gates, base, head):
        delta, rel, _ = change(b, h)
        moved = _moved(gate, delta, rel, b)
        if moved is None:
            continue
        messages.append(f"--fail-on {gate.spec}: {key} went from {_num(b)} to {_num(h)} ({moved})")
    return messages


def unchecked(gates: list[Gate], base: dict[str, Outcome], head: dict[str, Outcome]) -> list[str]:
    """Return one note per outcome a gate looks at that is n/a on one side only.

    Such an outcome cannot trip the gate (see :func:`tripped`), yet it did change: from a
    figure to none, or back.  An outcome n/a on both sides did not change and goes unnoted.
    """
    notes = []
    for gate, key, b, h in _watched(gates, base, head):
        if isinstance(b, NA) is isinstance(h, NA):
            continue
        side, na = ("base", b) if isinstance(b, NA) else ("head", h)
        assert isinstance(na, NA)
        notes.append(
            f"--fail-on {gate.spec}: {key} went from {_num(b)} to {_num(h)}, not checked "
            f"({side}: {na.reason})"
        )
    return notes


def _moved(gate: Gate, delta: Cell, rel: Cell, base: float | NA) -> str | None:
    """Return how far the outcome moved if that crosses the gate, else None."""
    if not isinstance(delta, float):
        return None
    if gate.relative:
        if isinstance(rel, NA) or not isinstance(rel, float):
            # From zero any rise is an unbounded rise.
            size, text = (float("inf") if delta else 0.0), "from zero"
            size = size if delta > 0 else -size
        else:
            size, text = rel * 100, f"{rel:+.1%}"
    else:
        size, text = delta, f"{delta:+,.2f}".rstrip("0").rstrip(".")
    over = {"+": size > gate.amount, "-": size < -gate.amount, "": abs(size) > gate.amount}
    return text if over[gate.sign] else None


def _num(value: float | NA) -> str:
    return "n/a" if isinstance(value, NA) else f"{value:,.2f}".rstrip("0").rstrip(".")
