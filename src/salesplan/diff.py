"""Review a plan change like code: what inputs changed, what that does, and CI gates on it.

A side of a diff is a plan file, or ``REV:path`` for the file at a git revision (read with
``git show`` in the file's directory, so ``origin/main:configs/plan.yaml`` works in CI).  The
plans a revision's file ``extends:`` are read at the same revision, so a scenario diffed
against the base branch sees the base plan as it was there too.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from salesplan.problems import has_errors
from salesplan.report.outcomes import Outcome, change, delta_tables, key_outcomes, value_of
from salesplan.report.table import NA, Cell, Column, Kind, Report, Table

if TYPE_CHECKING:
    from salesplan.api import Evaluation
    from salesplan.load import KeyPath, LoadedPlan
    from salesplan.problems import Problem
    from salesplan.yamlread import Doc

GIT_TIMEOUT_SECONDS = 30


class SideError(Exception):
    """A side cannot be read at all (no such file, not a git revision): a usage error."""


@dataclass(frozen=True)
class Side:
    """One plan of a diff or comparison, as named on the command line."""

    label: str  # "configs/plan.yaml" or "origin/main:configs/plan.yaml"
    evaluation: Evaluation

    @property
    def loaded(self) -> LoadedPlan:
        """Return the loaded plan."""
        return self.evaluation.loaded


def read_side(spec: str) -> tuple[str, bytes | None]:
    """Return (path, text) for a side: ``text`` is None for a working-tree file.

    ``spec`` is a path if such a file exists, else ``REV:path``.
    """
    if os.path.isfile(spec):
        return spec, None
    if ":" not in spec:
        raise SideError(f"no such file: {spec}")
    rev, path = spec.split(":", 1)
    if not rev or not path:
        raise SideError(f"{spec!r} is neither a file nor REV:path")
    if rev.startswith("-"):
        # git would read it as an option (--output=... writes files): never pass one through.
        raise SideError(f"{spec!r}: a revision cannot start with '-'")
    return path, git_show(rev, path)


def git_show(rev: str, path: str) -> bytes:
    """Return the bytes of ``path`` at git revision ``rev``, run in the file's directory."""
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise SideError(f"{rev}:{path}: no directory {directory} to run git in")
    # "./name" makes git resolve the path from the directory, not the repository's root.
    target = f"{rev}:./{os.path.basename(path)}"
    try:
        done = subprocess.run(
            ["git", "-C", directory, "show", target],
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise SideError("git is not installed (needed for REV:path)") from None
    except subprocess.TimeoutExpired:
        raise SideError(f"git show {rev}:{path} took over {GIT_TIMEOUT_SECONDS}s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SideError(f"git show {rev}:{path} failed: {reason[-1] if reason else 'no output'}")
    return done.stdout


def _at_revision(rev: str) -> Callable[[str], tuple[Doc | None, list[Problem]] | None]:
    """Return a reader of plan files at git revision ``rev`` (None: no such file there)."""
    from salesplan.yamlread import read_yaml

    def read(path: str) -> tuple[Doc | None, list[Problem]] | None:
        try:
            raw = git_show(rev, path)
        except SideError:
            return None
        return read_yaml(path, raw)

    return read


def load_side(spec: str) -> Side:
    """Load and run one side; raise SideError (usage) or api.PlanError (problems)."""
    from salesplan.api import PlanError, evaluate
    from salesplan.load import load_plan, load_plan_text

    path, text = read_side(spec)
    if text is None:
        loaded, problems = load_plan(path)
    else:
        # The plans it extends are read at the same revision, not from the working tree.
        rev = spec.split(":", 1)[0]
        loaded, problems = load_plan_text(path, text, read=_at_revision(rev))
    if loaded is None or has_errors(problems):
        raise PlanError(problems)
    return Side(spec, evaluate(loaded))


# -- input changes -------------------------------------------------------------------------


@dataclass(frozen=True)
class InputChange:
    """One changed input: its key, old and new value, and where each side sets it."""

    key: str  # e.g. tiers.smb.motions.inbound.stages[sql].rate
    base: Any  # MISSING when only head has it
    head: Any  # MISSING when only base has it
    base_at: str  # "file:line" or ""
    head_at: str


MISSING: Any = object()


def flatten(data: Any) -> dict[str, tuple[KeyPath, Any]]:
    """Return every leaf of plan data by a readable key, with its key path.

    Lists of named mappings (stages) are keyed by name, other lists of mappings (drivers) by
    position; lists of plain values (``manages: [ae, sdr]``) and ranges are one leaf each.

    >>> flatten({"a": {"b": 1}, "s": [{"name": "x", "r": 2}], "m": ["p", "q"]})["s[x].r"]
    (('s', 0, 'r'), 2)
    """
    out: dict[str, tuple[KeyPath, Any]] = {}

    def walk(node: Any, key: str, path: KeyPath) -> None:
        # A range ({low, likely, high}) is one input, shown whole.
        if isinstance(node, dict) and node and "likely" not in node:
            for k, v in node.items():
                walk(v, f"{key}.{k}" if key else str(k), (*path, k))
        elif isinstance(node, list) and node and all(isinstance(x, dict) for x in node):
            named = all("name" in x for x in node)
            for i, v in enumerate(node):
                walk(v, f"{key}[{v['name'] if named else i}]", (*path, i))
        else:
            out[key] = (path, node)

    walk(data, "", ())
    return out


def input_changes(base: LoadedPlan, head: LoadedPlan) -> list[InputChange]:
    """Return the inputs that differ between two loaded plans (after ``extends``), in order."""
    old, new = flatten(base.source.data), flatten(head.source.data)
    changes = []
    for key in [*old, *(k for k in new if k not in old)]:
        b_path, b = old.get(key, ((), MISSING))
        h_path, h = new.get(key, ((), MISSING))
        if b is not MISSING and h is not MISSING and _same(b, h):
            continue
        changes.append(
            InputChange(
                key,
                b,
                h,
                _line(base, b_path) if b is not MISSING else "",
                _line(head, h_path) if h is not MISSING else "",
            )
        )
    return changes


def _same(a: Any, b: Any) -> bool:
    # 1 and 1.0 are the same input; True and 1 are not.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def _line(loaded: LoadedPlan, path: KeyPath) -> str:
    at = loaded.where(path)
    return f"{at.path}:{at.line}" if at.line > 0 else at.path


def value_text(value: Any) -> str:
    """Return an input value as it would read in YAML.

    >>> value_text(0.25), value_text(True), value_text(["ae", "sdr"]), value_text(None)
    ('0.25', 'true', '[ae, sdr]', 'null')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(value_text(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {value_text(v)}" for k, v in value.items()) + "}"
    return str(value)


def inputs_table(changes: list[InputChange]) -> Table:
    """Return the input changes as a table."""
    columns = (
        Column("key", "Input", Kind.TEXT),
        Column("base", "Base", Kind.TEXT),
        Column("head", "Head", Kind.TEXT),
        Column("base_at", "Base line", Kind.TEXT),
        Column("head_at", "Head line", Kind.TEXT),
    )
    rows = tuple(
        (c.key, _input_cell(c.base), _input_cell(c.head), c.base_at, c.head_at) for c in changes
    )
    return Table("inputs", "Input changes", columns, rows, key_columns=1)


# An input one side does not write: n/a with this reason in every format.
NOT_WRITTEN = NA("not written in this plan (its default applies, if it has one)")


def _input_cell(value: Any) -> str | NA:
    return NOT_WRITTEN if value is MISSING else value_text(value)


def diff_report(base: Side, head: Side) -> Report:
    """Return the diff of two plans: input changes, then outcome deltas."""
    changes = input_changes(base.loaded, head.loaded)
    currency = base.evaluation.result.structure.currency
    outcomes = delta_tables(key_outcomes(base.evaluation), key_outcomes(head.evaluation), currency)
    summary = [f"{len(changes)} input(s) changed." if changes else "No inputs changed."]
    head_currency = head.evaluation.result.structure.currency
    if head_currency != currency:
        summary.append(f"! The plans use different currencies ({currency}, {head_currency}).")
    return Report(
        kind="diff",
        title=f"Plan diff: {base.label} → {head.label}",
        tables=(inputs_table(changes), *outcomes),
        meta={"currency": currency, "base": base.label, "head": head.label},
        summary=tuple(summary),
    )


# -- gates ---------------------------------------------------------------------------------

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
