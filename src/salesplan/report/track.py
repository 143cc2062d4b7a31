"""The tables of ``salesplan track PLAN ACTUALS``: the plan against what happened.

Variance by period (funnel, revenue, customers, people, marketing), realised conversion
rates with their credible intervals and the blend, days in stage, and the pace line, all
read from an engine :class:`~salesplan.engine.track.Track`.  Column names are the CSV
headers and JSON keys (docs/tables.md); docs/track.md says what each means.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from salesplan.engine.structure import month_labels
from salesplan.engine.track import Track, Variance
from salesplan.report.prose import Part, Sentence, Tone, money, rate
from salesplan.report.table import Cell, Column, Kind, Report, Table, with_meta
from salesplan.report.track_rates import (
    PLAN_ZERO,
    days_table,
    next_stage,
    pace_basis_table,
    pace_table,
    rates_table,
)

if TYPE_CHECKING:
    from salesplan.engine.structure import Structure
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

NOT_GIVEN = "the actuals file does not give {}"
WORDS = (
    *("No", "One", "Two", "Three", "Four", "Five", "Six"),
    *("Seven", "Eight", "Nine", "Ten", "Eleven", "Twelve"),
)


def track_report(evaluation: Evaluation, tracked: Track, actuals_path: str) -> Report:
    """Return the tables of ``salesplan track``: variance, realised rates, days, pace."""
    s = evaluation.plan.structure
    labels = month_labels(s.start, s.months)
    meta = {
        "currency": s.currency,
        "plan": s.plan_name,
        "actuals": actuals_path,
        "period": tracked.period.value,
        "first": labels[tracked.first] if tracked.first <= tracked.through else "",
        "through": labels[tracked.through],
    }
    tables = (
        _funnel_table(s, tracked),
        _variance_table(
            "revenue",
            "New MRR and ARR",
            MONEY,
            [("metric", "Metric"), ("tier", "Tier")],
            [
                *_keyed(tracked.new_mrr, [("new_mrr", t) for t in (*s.tiers, "total")]),
                *_keyed(tracked.arr, [("arr", t) for t in (*s.tiers, "total")]),
            ],
            tracked,
            _missing(("new_mrr", tracked.new_mrr), ("mrr", tracked.arr)),
        ),
        _variance_table(
            "customers",
            "Customers",
            COUNT,
            [("tier", "Tier")],
            list(_keyed(tracked.customers, [(t,) for t in (*s.tiers, "total")])),
            tracked,
            _missing(("customers", tracked.customers)),
            digits=1,
        ),
        _variance_table(
            "people",
            "Heads and starts",
            COUNT,
            [("metric", "Metric"), ("role", "Role")],
            [
                *_keyed(tracked.heads, [("heads", r) for r in (*s.roles, "total")]),
                *_keyed(tracked.starts, [("starts", r) for r in (*s.roles, "total")]),
            ],
            tracked,
            _missing(("heads", tracked.heads), ("starts", tracked.starts)),
        ),
        _variance_table(
            "marketing",
            "Marketing spend",
            MONEY,
            [("tier", "Tier"), ("motion", "Motion")],
            list(
                _keyed(
                    tracked.marketing,
                    [(t or "total", m) for t, m in tracked.marketing_rows],
                )
            ),
            tracked,
            _missing(("marketing_cost", tracked.marketing)),
        ),
        rates_table(s, tracked, labels),
        days_table(s, tracked, labels),
        pace_basis_table(s, tracked, labels),
        pace_table(s, tracked, labels),
    )
    return Report(
        kind="track",
        title=f"Plan against actuals: {s.plan_name}",
        tables=with_meta(tables, meta),
        meta=meta,
        headline=headline(s, tracked, labels),
        once=(VARIANCE_NOTE,),
    )


# -- variance --------------------------------------------------------------------------------

VARIANCE_NOTE = (
    "Difference = actual − plan; difference % = difference / plan (n/a where the plan is 0).  "
    "Only the months the actuals give are compared: periods end at the last month of "
    "actuals, and YTD is the calendar year to date.  Flows add up over a period; stocks "
    "(ARR, customers, heads) are taken at its last month."
)


def _value_columns(kind: Kind, digits: int) -> tuple[Column, ...]:
    """Return the period and value columns; ``digits`` for the plan's (fractional) side."""
    return (
        Column("period", "Period", TEXT),
        Column("plan", "Plan", kind, digits=digits),
        Column("actual", "Actual", kind),
        Column("difference", "Difference", kind, digits=digits),
        Column("percent", "Difference %", RATE, digits=1),
    )


def _keyed(
    variance: Variance | None, keys: list[tuple[str, ...]]
) -> Iterator[tuple[tuple[str, ...], Variance, int]]:
    """Yield (key cells, variance, row) for each row of a variance, in key order."""
    if variance is None:
        return
    for row, key in enumerate(keys):
        yield key, variance, row


def _rows(
    keyed: list[tuple[tuple[str, ...], Variance, int]], tracked: Track
) -> list[tuple[Cell, ...]]:
    """Return one row per key and period the metric reports: plan, actual, difference, %."""
    rows: list[tuple[Cell, ...]] = []
    for key, v, r in keyed:
        for p, span in enumerate(tracked.periods):
            if not v.months[p]:
                continue
            pct: Cell = float(v.percent[r, p]) if v.percent_defined[r, p] else PLAN_ZERO
            plan, actual = float(v.plan[r, p]), float(v.actual[r, p])
            rows.append((*key, span.label, plan, actual, actual - plan, pct))
    return rows


def _missing(*metrics: tuple[str, Variance | None]) -> tuple[str, ...]:
    """Return a note for each metric the file does not give."""
    return tuple(NOT_GIVEN.format(f"`{m}`").capitalize() + "." for m, v in metrics if v is None)


def _variance_table(
    name: str,
    title: str,
    kind: Kind,
    keys: list[tuple[str, str]],
    keyed: list[tuple[tuple[str, ...], Variance, int]],
    tracked: Track,
    notes: tuple[str, ...],
    digits: int = 0,
) -> Table:
    columns = (*(Column(n, t, TEXT) for n, t in keys), *_value_columns(kind, digits))
    rows = _rows(keyed, tracked)
    return Table(name, title, columns, tuple(rows), len(keys) + 1, (VARIANCE_NOTE, *notes))


def _funnel_table(s: Structure, tracked: Track) -> Table:
    """Entries into each stage, then each motion's wins (stage ``won``) and all wins."""
    keyed: list[tuple[tuple[str, ...], Variance, int]] = []
    for m, (tier, motion) in enumerate(s.cells):
        if tracked.entries is not None:
            keyed += [
                ((tier, motion, name), tracked.entries, j)
                for j, (cell, name) in enumerate(s.stages)
                if cell == m
            ]
        if tracked.wins is not None:
            keyed.append(((tier, motion, "won"), tracked.wins, m))
    if tracked.wins is not None:
        keyed.append((("total", "", "won"), tracked.wins, len(s.cells)))
    notes = _missing(("entries", tracked.entries), ("wins", tracked.wins))
    keys = [("tier", "Tier"), ("motion", "Motion"), ("stage", "Stage")]
    title = "Funnel entries and wins"
    return _variance_table("funnel", title, COUNT, keys, keyed, tracked, notes, digits=1)


# -- the headline ----------------------------------------------------------------------------


def _count(n: int, unit: str) -> str:
    """Return a count of months in words: ``Three months``, ``One month``, ``14 months``."""
    word = WORDS[n] if n < len(WORDS) else str(n)
    return f"{word} {unit}{'' if n == 1 else 's'}"


def headline(s: Structure, tracked: Track, labels: list[str]) -> tuple[Sentence, ...]:
    """Return the headline: months in, new MRR against plan, the win rate that matters most,
    where ARR ends at this pace; then any stage whose plan rate the data rules out.

    The numbers stay figures (:mod:`salesplan.report.prose`) until a renderer writes them.
    """
    first, through = tracked.first, tracked.through
    months = through - first + 1
    span = labels[first] if months == 1 else f"{labels[first]} to {labels[through]}"
    template = "{} {} ({}): "
    parts: list[Part] = [_count(months, "month"), "in" if first == 0 else "of actuals", span]
    said: list[tuple[str, tuple[Part, ...]]] = []
    v = tracked.new_mrr_to_date
    if v is not None and v.percent_defined[-1, 0]:
        pct = float(v.percent[-1, 0])
        if round(pct * 100):
            side = "above" if pct > 0 else "below"
            said.append((f"new MRR {{}} {side} plan", (rate(abs(pct)),)))
        else:
            said.append(("new MRR on plan", ()))
    win = _headline_rate(s, tracked)
    if win is not None:
        said.append(win)
    if said:
        template += ", ".join(t for t, _ in said)
        parts += [p for _, ps in said for p in ps]
    else:
        template += "no new MRR or win rate to compare yet"
    p = tracked.pace
    if len(p.window):
        at = p.months[0]
        year = labels[at][:4] if labels[at].endswith("-12") else labels[at]
        template += "; at this pace ARR ends {} at {} against {} planned"
        parts += [year, money(float(p.arr[-1, 0])), money(float(p.plan_arr[-1, 0]))]
    lines = [Sentence(template + ".", tuple(parts))]
    r = tracked.rates
    ruled_out = [j for j in range(len(s.stages)) if r.position[j]]
    if ruled_out:
        listed = "; ".join("{} (plan {}, data {}–{})" for _ in ruled_out)
        figures: list[Part] = []
        for j in ruled_out:
            figures += [_stage_name(s, j), rate(float(r.plan_rate[j]))]
            figures += [rate(float(r.low[j])), rate(float(r.high[j]))]
        lines.append(
            Sentence(
                f"The data's 90% interval leaves out the plan's rate at: {listed}.",
                tuple(figures),
                Tone.WARNING,
            )
        )
    return tuple(lines)


def _stage_name(s: Structure, j: int) -> str:
    tier, motion = s.cells[s.stages[j][0]]
    return f"{tier}/{motion} {s.stages[j][1]} to {next_stage(s, j)}"


def _headline_rate(s: Structure, tracked: Track) -> tuple[str, tuple[Part, ...]] | None:
    """Return the win rate to headline: of the motions' last stages with an interval, the
    one whose data speaks most clearly against its plan rate (the smallest posterior tail
    beyond the plan's rate; the first in plan order on a tie)."""
    r = tracked.rates
    last = [j for j in range(len(s.stages)) if next_stage(s, j) == "won" and not r.interval_why[j]]
    if not last:
        return None
    j = min(last, key=lambda j: (float(r.plan_tail[j]), j))
    tier, motion = s.cells[s.stages[j][0]]
    verdict = "supported by the data" if r.position[j] else "not yet clear from the data"
    template = f"{{}} win rate {{}} against {{}} planned ({verdict})"
    return template, (f"{tier}/{motion}", rate(float(r.rate[j])), rate(float(r.plan_rate[j])))
