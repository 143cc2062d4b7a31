"""Key outcomes of a plan, and tables that set them side by side (``diff``, ``compare``).

An outcome is one number with a stable key (``ending_arr``, ``heads:ae``, ``cac:smb``): the
keys are what ``diff --fail-on`` names and the ``metric`` column of CSV and JSON.  Money and
people go in separate tables because a column has one kind (and one way to be formatted).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesplan.report.table import NA, Cell, Column, Kind, Report, Table

if TYPE_CHECKING:
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

UP, DOWN = "▲", "▼"

# Tables of outcomes: (name, title, kind of their values).
GROUPS = (("money", "Revenue and cost", Kind.MONEY), ("people", "People and hiring", Kind.COUNT))

# What the cost rows mean, under the money table.
NOTES = {
    "money": (
        "S&M cost, CAC and CRC are over the whole plan, as salesplan economics --period plan "
        "gives them: CAC = (marketing + acquisition cost) / new customers; CRC = retention "
        "cost / average active customers.",
    )
}


@dataclass(frozen=True)
class Outcome:
    """One key outcome of a plan."""

    key: str  # stable: ending_arr, heads:ae, cac:smb ...
    label: str  # human: "Heads at end: ae"
    kind: Kind  # MONEY or COUNT
    value: float | NA


def first_year_revenue(v: PlanView) -> float | NA:
    """Return the revenue of the plan's first year: its first ``target.first_year_months``
    months (12 in a new plan; fewer in a reforecast), n/a when the plan is shorter."""
    year = int(v.params.first_year_months)
    if v.months < year:
        return NA("the plan is shorter than its first year")
    return float(v.revenue.mrr[:, :year].sum())


def key_outcomes(evaluation: Evaluation) -> dict[str, Outcome]:
    """Return the key outcomes of an evaluation, in reading order."""
    v = evaluation.plan
    s = v.structure
    T = s.months
    rev = v.revenue
    money, count = Kind.MONEY, Kind.COUNT
    out = [
        Outcome("ending_arr", "Ending ARR", money, float(12 * rev.mrr[:, T - 1].sum())),
        Outcome("first_year_revenue", "First-year revenue", money, first_year_revenue(v)),
        *_cost_outcomes(evaluation),
        Outcome("heads", "Heads at end", count, float(v.heads[:, T - 1].sum())),
        *(
            Outcome(f"heads:{role}", f"Heads at end: {role}", count, float(v.heads[r, T - 1]))
            for r, role in enumerate(s.roles)
        ),
        Outcome("hires", "Hires (starts)", count, float(v.starts[:, :T].sum())),
        Outcome(
            "requisitions",
            "Requisitions",
            count,
            float(v.reqs_opened[:, :T].sum() + v.reqs_before.sum()),
        ),
        Outcome(
            "gaps",
            "Capacity gaps (role-months short)",
            count,
            float((v.gap[:, :T] > 0).sum()),
        ),
        Outcome("new_customers", "New customers", count, float(rev.new_customers[:, :T].sum())),
    ]
    return {o.key: o for o in out}


def _cost_outcomes(evaluation: Evaluation) -> list[Outcome]:
    """Return S&M cost, then CAC and CRC blended and by tier, over the whole plan.

    Parameters
    ----------
    evaluation : Evaluation
        A plan's evaluation.

    Returns
    -------
    list of Outcome
        ``sm_cost``, ``cac``, ``cac:<tier>`` …, ``crc``, ``crc:<tier>`` … (money).

    Notes
    -----
    The figures of ``salesplan economics --period plan`` (docs/model.md §6), from the same cost
    model over one period of every plan month: S&M cost is the ``total`` row of its costs
    table, CAC and CRC (per average active customer) its ``blended`` and tier rows.  A CAC
    with no new customers, or a CRC with no active customers, is ``NA`` with that reason.
    """
    s = evaluation.plan.structure
    whole = evaluation.whole_plan
    e = whole.economics
    money = Kind.MONEY
    # Tiers, then the blended figure at index K (as the engine lays them out).
    K = len(s.tiers)
    blended = [(K, "", " (blended)"), *((k, f":{t}", f": {t}") for k, t in enumerate(s.tiers))]
    return [
        Outcome("sm_cost", "S&M cost", money, whole.sm_cost),
        *(
            Outcome(f"cac{key}", f"CAC{label}", money, _finite(e.cac[k, 0], NO_NEW))
            for k, key, label in blended
        ),
        *(
            Outcome(f"crc{key}", f"CRC{label}", money, _finite(e.crc[k, 0], NO_ACTIVE))
            for k, key, label in blended
        ),
    ]


# Why a plan's CAC or CRC is undefined (the engine gives NaN for both).
NO_NEW = NA("no new customers over the plan")
NO_ACTIVE = NA("no active customers over the plan")


def _finite(value: float, undefined: NA) -> float | NA:
    """Return ``value`` as a float if it is finite, else ``undefined`` (never NaN or inf).

    >>> _finite(2.5, NO_NEW), _finite(float("nan"), NO_NEW)
    (2.5, NA(reason='no new customers over the plan'))
    """
    value = float(value)
    return value if math.isfinite(value) else undefined


def _missing(key: str) -> NA:
    family = key.split(":", 1)[0]
    what = {"heads": "role", "cac": "tier", "crc": "tier"}.get(family, "figure")
    return NA(f"no such {what} in this plan")


def _union(sides: list[dict[str, Outcome]]) -> list[Outcome]:
    """Return one outcome per key over all sides, in the first side's order; a key only a
    later side has goes after the last key of its family (``heads:se`` after ``heads:ae``)."""
    out: list[Outcome] = []
    for side in sides:
        for key, o in side.items():
            if any(x.key == key for x in out):
                continue
            family = key.split(":", 1)[0]
            kin = [i for i, x in enumerate(out) if x.key.split(":", 1)[0] == family]
            out.insert(kin[-1] + 1 if kin else len(out), o)
    return out


def value_of(side: dict[str, Outcome], key: str) -> float | NA:
    """Return an outcome of one side; a role the plan lacks has 0 heads, other gaps are n/a."""
    o = side.get(key)
    if o is not None:
        return o.value
    # A role a plan does not have has no people; a missing tier's CAC is undefined.
    return 0.0 if key.startswith("heads:") else _missing(key)


def change(base: float | NA, head: float | NA) -> tuple[Cell, Cell, str]:
    """Return (change, relative change, ▲/▼) between two values.

    >>> change(10.0, 12.0)
    (2.0, 0.2, '▲')
    >>> change(0.0, 0.0)
    (0.0, 0.0, '')
    """
    if isinstance(base, NA) or isinstance(head, NA):
        na = base if isinstance(base, NA) else head
        assert isinstance(na, NA)
        return na, na, ""
    delta = head - base
    if base != 0:
        rel: Cell = delta / abs(base)
    else:
        rel = 0.0 if delta == 0 else NA("no percentage change from zero")
    # Float noise from the engine is not a change anyone should see as ▲.
    trend = UP if delta > 1e-9 else DOWN if delta < -1e-9 else ""
    return delta, rel, trend


def delta_tables(
    base: dict[str, Outcome], head: dict[str, Outcome], currency: str
) -> tuple[Table, ...]:
    """Return one table per kind: each outcome in base and head, its change and direction."""
    meta = {"currency": currency}
    tables = []
    for name, title, kind in GROUPS:
        # Too narrow for all: the change first, then where it ends, then where it began.
        columns = (
            Column("metric", "Metric", Kind.TEXT),
            Column("label", "Outcome", Kind.TEXT),
            Column("base", "Base", kind, priority=4),
            Column("head", "Head", kind, priority=3),
            Column("change", "Change", kind, priority=0),
            Column("change_rate", "Change %", Kind.RATE, digits=1, priority=1),
            Column("trend", "", Kind.TEXT, priority=2),
        )
        rows: list[tuple[Cell, ...]] = []
        for o in _union([base, head]):
            if o.kind is not kind:
                continue
            b, h = value_of(base, o.key), value_of(head, o.key)
            rows.append((o.key, o.label, b, h, *change(b, h)))
        notes = NOTES.get(name, ())
        tables.append(Table(name, title, columns, tuple(rows), 2, notes, meta))
    return tuple(tables)


def compare_report(labels: list[str], sides: list[dict[str, Outcome]], currency: str) -> Report:
    """Return key outcomes of several plans side by side, one column per plan."""
    meta = {"currency": currency}
    names = _column_names(labels)
    tables = []
    for name, title, kind in GROUPS:
        columns = (
            Column("metric", "Metric", Kind.TEXT),
            Column("label", "Outcome", Kind.TEXT),
            *(Column(n, t, kind) for n, t in names),
        )
        rows = tuple(
            (o.key, o.label, *(value_of(side, o.key) for side in sides))
            for o in _union(sides)
            if o.kind is kind
        )
        tables.append(Table(name, title, columns, rows, 2, NOTES.get(name, ()), meta))
    return Report(
        kind="compare",
        title="Plans compared: " + ", ".join(labels),
        tables=tuple(tables),
        meta={**meta, "plans": ", ".join(labels)},
    )


def _column_names(labels: list[str]) -> list[tuple[str, str]]:
    """Return (name, title) per plan: its file stem, or the full label if stems clash."""
    stems = [
        label.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml") for label in labels
    ]
    clash = len(set(stems)) < len(stems)
    out: list[tuple[str, str]] = []
    for i, (label, stem) in enumerate(zip(labels, stems, strict=True)):
        title = label if clash else stem
        name = title if title not in [n for n, _ in out] else f"{title}#{i + 1}"
        out.append((name, title))
    return out
