"""Review a plan change like code: the inputs that changed, with their lines, and what that
does to the outcomes (``salesplan diff``).

The two plans are any evaluations; the command line names them as files or ``REV:path``
(:mod:`salesplan.load.git`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from salesplan.report.outcomes import delta_tables, key_outcomes
from salesplan.report.table import NA, Column, Kind, Report, Table

if TYPE_CHECKING:
    from salesplan.load.plan import LoadedPlan
    from salesplan.load.sources import KeyPath
    from salesplan.pipeline import Evaluation


@dataclass(frozen=True)
class Side:
    """One plan of a diff or comparison, as named on the command line."""

    label: str  # "configs/plan.yaml" or "origin/main:configs/plan.yaml"
    evaluation: Evaluation

    @property
    def loaded(self) -> LoadedPlan:
        """Return the loaded plan."""
        return self.evaluation.loaded


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
                line_of(base, b_path) if b is not MISSING else "",
                line_of(head, h_path) if h is not MISSING else "",
            )
        )
    return changes


def _same(a: Any, b: Any) -> bool:
    # 1 and 1.0 are the same input; True and 1 are not.
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return bool(a == b)


def line_of(loaded: LoadedPlan, path: KeyPath) -> str:
    """Return where a key path is set: ``file:line``, or the file alone."""
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
    currency = base.evaluation.plan.structure.currency
    outcomes = delta_tables(key_outcomes(base.evaluation), key_outcomes(head.evaluation), currency)
    summary = [f"{len(changes)} input(s) changed." if changes else "No inputs changed."]
    head_currency = head.evaluation.plan.structure.currency
    if head_currency != currency:
        summary.append(f"! The plans use different currencies ({currency}, {head_currency}).")
    return Report(
        kind="diff",
        title=f"Plan diff: {base.label} → {head.label}",
        tables=(inputs_table(changes), *outcomes),
        meta={"currency": currency, "base": base.label, "head": head.label},
        summary=tuple(summary),
    )
