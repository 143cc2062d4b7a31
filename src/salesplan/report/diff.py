"""Review a plan change like code: the inputs that changed, with their lines, and what that
does to the outcomes (``salesplan diff``).

The two plans are any evaluations; the command line names them as files or ``REV:path``
(:mod:`salesplan.load.git`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from salesplan.engine.structure import month_labels
from salesplan.report.gates import Gate, evaluate, gates_table
from salesplan.report.outcomes import change, delta_tables, key_outcomes
from salesplan.report.prose import Figure, Sentence, Tone, count
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


# What the headline says of each target kind's own outcome, when the plans have one.
TARGET_OUTCOMES = {"ending_arr": "ending ARR", "first_year_revenue": "first-year revenue"}
TARGET_WORDS = {
    "ending_arr": "ending ARR",
    "first_year_revenue": "first-year revenue",
    "new_arr_per_year": "new ARR a year",
    "new_mrr_per_month": "new MRR a month",
}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _moved(
    label: str, b: float | NA, h: float | NA, kind: Kind, *, relative: bool
) -> tuple[str, list[Figure]]:
    """Return the headline's words for one outcome, as a template and its figures: "LABEL
    +4 (28 → 32)", "LABEL +$412,000 (+5.1%)", "LABEL unchanged", or "LABEL n/a" when a side
    has no figure."""
    delta, rate, trend = change(b, h)
    if isinstance(b, NA) or isinstance(h, NA) or not isinstance(delta, float):
        return f"{label} n/a", []
    if not trend:
        return f"{label} unchanged", []
    sign = "+" if delta > 0 else ""  # a fall is written with its own minus sign
    moved = Figure(delta, kind, exact=True)
    if relative and isinstance(rate, float):
        return f"{label} {sign}{{}} ({sign}{{}})", [moved, Figure(rate, Kind.RATE, exact=True)]
    return f"{label} {sign}{{}} ({{}} → {{}})", [
        moved,
        Figure(b, kind, True),
        Figure(h, kind, True),
    ]


def headline(base: Side, head: Side, changes: int) -> Sentence:
    """Return the sentence a reviewer reads first: how many inputs changed and what that
    does to the target, the heads at the end and the S&M cost."""
    if not changes:
        return Sentence("No inputs changed.")
    before, after = key_outcomes(base.evaluation), key_outcomes(head.evaluation)
    b_plan, h_plan = base.evaluation.plan, head.evaluation.plan
    b_kind, h_kind = b_plan.structure.target_kind, h_plan.structure.target_kind
    b_words, h_words = TARGET_WORDS.get(b_kind, b_kind), TARGET_WORDS.get(h_kind, h_kind)
    b_target, h_target = float(b_plan.params.target_value), float(h_plan.params.target_value)
    pieces: list[tuple[str, list[Figure]]] = []
    if b_kind != h_kind:
        pieces.append((f"the target is now {h_words} (was {b_words})", []))
    elif change(b_target, h_target)[2]:
        pieces.append(_moved(f"target {h_words}", b_target, h_target, Kind.MONEY, relative=False))
    heads = (before["heads"].value, after["heads"].value)
    pieces.append(_moved("heads at the end", *heads, Kind.COUNT, relative=False))
    cost = (before["sm_cost"].value, after["sm_cost"].value)
    pieces.append(_moved("S&M cost", *cost, Kind.MONEY, relative=True))
    # The target's own outcome where the plans have it as one (ending ARR, first-year
    # revenue); a target of new ARR or MRR a period is held by the plan: say ending ARR.
    key = h_kind if h_kind in TARGET_OUTCOMES else "ending_arr"
    outcome = (before[key].value, after[key].value)
    pieces.append(_moved(TARGET_OUTCOMES[key], *outcome, Kind.MONEY, relative=True))
    template = f"{_plural(changes, 'input')} changed: " + ", ".join(t for t, _ in pieces)
    return Sentence(template, tuple(f for _, figures in pieces for f in figures))


def _spans(base: Side, head: Side) -> tuple[Sentence, ...]:
    """Say when the two plans cover different months (a reforecast against its plan): sums
    over the plan then add up different months, and their change is partly that."""
    spans = []
    for side in (base, head):
        s = side.evaluation.plan.structure
        labels = month_labels(s.start, s.months)
        spans.append((labels[0], labels[-1], s.months))
    if spans[0] == spans[1]:
        return ()
    (a0, a1, an), (b0, b1, bn) = spans
    return (
        Sentence(
            "The plans cover different months ({} to {}, {} months, against {} to {}, {}): "
            "totals over the plan (S&M cost, revenue, hires) add up different months.",
            (a0, a1, count(an), b0, b1, count(bn)),
            Tone.WARNING,
        ),
    )


def diff_report(
    base: Side,
    head: Side,
    gates: Sequence[Gate] = (),
    *,
    changed_only: bool = False,
) -> Report:
    """Return the diff of two plans: a headline, the gates' verdicts (when any), the input
    changes, then the outcome deltas (only the outcomes that moved, with ``changed_only``:
    the view a reviewer reads, where the JSON and CSV keep every outcome)."""
    changes = input_changes(base.loaded, head.loaded)
    currency = base.evaluation.plan.structure.currency
    before, after = key_outcomes(base.evaluation), key_outcomes(head.evaluation)
    outcomes = delta_tables(before, after, currency)
    sentences = [headline(base, head, len(changes)), *_spans(base, head)]
    if changed_only:
        kept = tuple(_changed_rows(t) for t in outcomes)
        unchanged = sum(len(t.rows) for t in outcomes) - sum(len(t.rows) for t in kept)
        outcomes = tuple(t for t in kept if t.rows)
        if unchanged:
            verb = "did not change and is" if unchanged == 1 else "did not change and are"
            sentences.append(
                Sentence(
                    f"{{}} {'outcome' if unchanged == 1 else 'outcomes'} {verb} not listed "
                    "(JSON and CSV list every one).",
                    (Figure(unchanged, Kind.COUNT, exact=True),),
                )
            )
    results = evaluate(list(gates), before, after)
    if gates:
        failed = sorted({r.gate.spec for r in results if r.tripped})
        total = len(gates)
        if failed:
            sentences.append(
                Sentence(
                    f"{{}} of {_plural(total, 'gate')} tripped: {{}}.",
                    (Figure(len(failed), Kind.COUNT, exact=True), ", ".join(failed)),
                    Tone.WARNING,
                )
            )
        else:
            every = {1: "The gate", 2: "Both gates"}.get(total, f"All {total} gates")
            sentences.append(Sentence(f"{every} passed.", tone=Tone.GOOD))
    head_currency = head.evaluation.plan.structure.currency
    if head_currency != currency:
        sentences.append(
            Sentence(
                f"The plans use different currencies ({currency}, {head_currency}).",
                tone=Tone.WARNING,
            )
        )
    tables = (*((gates_table(results),) if gates else ()), inputs_table(changes), *outcomes)
    return Report(
        kind="diff",
        title=f"Plan diff: {base.label} → {head.label}",
        tables=tables,
        meta={"currency": currency, "base": base.label, "head": head.label},
        headline=tuple(sentences),
    )


def _changed_rows(table: Table) -> Table:
    """Return an outcome table with only the rows whose outcome moved (▲ or ▼), or went from
    a figure to n/a or back."""
    names = [c.name for c in table.columns]
    trend, base_at, head_at = names.index("trend"), names.index("base"), names.index("head")
    rows = tuple(
        row
        for row in table.rows
        if row[trend] or isinstance(row[base_at], NA) is not isinstance(row[head_at], NA)
    )
    return replace(table, rows=rows)
