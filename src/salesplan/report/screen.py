"""The first screen of ``salesplan plan``: what a founder must know, on one screen.

In this order: a headline (what the plan sets out to do, what its own hires deliver against
that at the likely values, and how likely the target is from a quick seeded simulation);
what to do now (requisitions to open, capacity gaps and the new ARR each puts at risk);
the money by year (ARR, new ARR, revenue, the whole S&M cost and its share of revenue, CAC,
payback, NRR); people by role (heads now and at the end, hires by quarter); and small
charts (ARR by month with its P10–P90 band, the funnel).  Every other table is one flag
away (``--all``, ``--table NAME``).

Figures come from the evaluation and its outlook (docs/model.md §11); this module only
chooses and arranges them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from salesplan.engine.periods import Period, Span, spans, total
from salesplan.engine.structure import FloatArray, month_label, month_labels
from salesplan.report.board import board_table
from salesplan.report.bottleneck import bottleneck_sentence
from salesplan.report.chart import Chart, ChartKind, Series
from salesplan.report.prose import Figure, Part, Sentence, Tone, count, fte, money, rate
from salesplan.report.table import SIGNIFICANT, Cell, Column, Kind, Report, Table, with_meta

if TYPE_CHECKING:
    from salesplan.engine.gaps import Gap
    from salesplan.engine.outlook import Outlook
    from salesplan.engine.view import PlanView
    from salesplan.pipeline import Evaluation

TEXT, COUNT, MONEY, RATE, NUMBER = Kind.TEXT, Kind.COUNT, Kind.MONEY, Kind.RATE, Kind.NUMBER

# A capacity gap smaller than this at its worst is noted, not listed as an action: a
# twentieth of a person's month is within the precision of any plan's inputs.
SMALL_GAP_FTE = 0.05
# Hires are shown by quarter up to this many quarters (two years fit in 100 columns), by
# year beyond.
MAX_QUARTERS = 8
# Delivering more than the target by this share reads as over-delivery, not as meeting it.
OVER = 1e-3
# The probability from which reaching the target reads as good news.
CONFIDENT = 0.8
# The table a one-table format (CSV) takes from the first screen.
PRIMARY = "years"
# The board's columns the first screen keeps, in order.
YEAR_COLUMNS = (
    "period",
    "ending_arr",
    "new_arr",
    "revenue",
    "sm_cost",
    "sm_revenue_rate",
    "cac",
    "payback_months",
    "nrr_rate",
)

# Their titles on the first screen (docs/tables.md has each column's meaning).
YEAR_TITLES = {
    "period": "Year",
    "ending_arr": "ARR",
    "arr_delivered": "Delivered",
    "sm_cost": "S&M",
    "sm_revenue_rate": "S&M/rev",
    "payback_months": "Payback",
}
# Where to look next, under the first screen.
MORE = "More: --all, --table NAME, -o plan.xlsx; salesplan report PLAN -o board.html"


def screen_report(evaluation: Evaluation, outlook: Outlook) -> Report:
    """Return the first screen of a plan: headline, actions, money, people, charts."""
    v = evaluation.plan
    report = years_report(evaluation, outlook)
    return replace(
        report,
        tables=(*report.tables, *with_meta((people_table(v),), report.meta)),
        headline=(*headline(evaluation, outlook), *actions(v, outlook)),
        charts=(arr_chart(v, outlook),),
        footer=(MORE,),
    )


def years_report(evaluation: Evaluation, outlook: Outlook) -> Report:
    """Return the first screen's primary table alone, the plan by year (what CSV to one
    stream takes): it reads only what the hires deliver, so no simulation runs for it."""
    s = evaluation.plan.structure
    meta = {"currency": s.currency, "plan": s.plan_name, "period": "year"}
    return Report(
        kind="plan",
        title=f"Sales plan: {s.plan_name}",
        tables=with_meta((years_table(evaluation, outlook),), meta),
        meta=meta,
    )


# -- the headline ---------------------------------------------------------------------------


def headline(evaluation: Evaluation, o: Outlook) -> tuple[Sentence, ...]:
    """Return what the plan sets out to do, what its hires deliver, and how likely it is."""
    v = evaluation.plan
    s = v.structure
    T = s.months
    labels = month_labels(s.start, T)
    heads_now = float(v.params.opening_heads.sum())
    heads_end = float(v.heads[:, T - 1].sum())
    hires = float(v.starts[:, :T].sum())
    sm_cost = evaluation.whole_plan.sm_cost
    goal_template, goal_parts = _goal(v, o.target, labels)
    out = [
        Sentence(
            "{} plans " + goal_template + ": {} hires take the team from {} to {} people, "
            "for {} of sales and marketing over {} months.",
            (
                s.plan_name,
                *goal_parts,
                count(hires),
                count(heads_now),
                count(heads_end),
                money(sm_cost),
                count(T),
            ),
        )
    ]
    delivered: tuple[str, tuple[Part, ...]]
    if o.reaches and o.share <= 1 + OVER:
        delivered = (
            "At the likely values its hires deliver the target, {}",
            (money(o.delivered, exact=True),),
        )
    else:
        # Short of the target, or over it: a plan sized to a confidence (§14) hires for more
        # than the likely values need.
        against = "against" if o.reaches else "of"
        delivered = (
            f"At the likely values its hires deliver {{}} {against} the {{}} target ({{}})",
            (
                money(o.delivered, exact=True),
                money(o.target, exact=True),
                rate(o.share, exact=True),
            ),
        )
    if o.trials:
        # The odds join the delivery: one sentence, a warning unless both are good news.
        odds = (
            rate(o.probability),
            count(o.trials),
            money(o.band[0]),
            money(o.band[2]),
            count(o.seed),
        )
        good = o.reaches and o.probability >= CONFIDENT
        out.append(
            Sentence(
                delivered[0] + "; {} of {} simulated worlds reach it (P10–P90 {} to {}; seed {}).",
                (*delivered[1], *odds),
                Tone.GOOD if good else Tone.WARNING,
            )
        )
        sized = evaluation.confidence
        if sized is None:
            out.append(_confidence_heads(v, o))
        else:
            # Its heads are those of a confidence already: say how it was sized instead.
            out.append(
                Sentence(
                    "Sized to reach the target in {} of worlds: staffed to the {} quantile of "
                    "their needs.",
                    (rate(sized.level), rate(sized.quantile)),
                )
            )
    else:
        out.append(
            Sentence(
                delivered[0] + ". A point forecast: no input has a range (give inputs low, "
                "likely and high values to see the odds).",
                delivered[1],
                Tone.GOOD if o.reaches else Tone.WARNING,
            )
        )
    if not any(risk > 0 for risk in o.at_risk):
        # Where a gap puts deals at risk its action names the role; otherwise say which
        # role runs closest to capacity (what one more head of it would and would not do).
        said = bottleneck_sentence(evaluation)
        out.append(Sentence(said.template + ".", said.parts, said.tone))
    return tuple(out)


def _confidence_heads(v: PlanView, o: Outlook) -> Sentence:
    """Say how many heads at the end the target needs in 80% of the worlds drawn and planned
    again (docs/model.md §11), against the plan's, and which roles differ."""
    assert o.heads_at_confidence is not None and o.total_at_confidence is not None
    T = v.months
    planned = v.heads[:, T - 1]
    more = o.total_at_confidence - float(planned.sum())
    changes = [
        (role, float(o.heads_at_confidence[r] - planned[r]))
        for r, role in enumerate(v.structure.roles)
        if o.heads_at_confidence[r] != planned[r]
    ]
    # What the worlds planned again need, not a plan sized to the odds (--confidence, §14).
    lead = "{} of {} replanned worlds need at most {} people at the end"
    parts: list[Part] = [
        rate(o.confidence),
        count(float(o.planned_worlds)),
        count(o.total_at_confidence),
    ]
    if more == 0:
        tail = ", as many in all" if changes else ", as planned"
    else:
        tail = f", {{}} {'more' if more > 0 else 'fewer'} than planned"
        parts.append(count(abs(more)))
    if changes:
        tail += " (" + ", ".join("{} {}" for _ in changes) + ")"
    for role, diff in changes:
        parts += [role, Figure(diff, Kind.COUNT, exact=True, signed=True)]
    return Sentence(lead + tail + ".", tuple(parts))


def _goal(v: PlanView, target: float, labels: Sequence[str]) -> tuple[str, tuple[Part, ...]]:
    """Return the target as a phrase and its parts, by kind (docs/model.md §1)."""
    s = v.structure
    kind = s.target_kind
    if kind == "ending_arr":
        opening = float(12 * v.params.opening_mrr.sum())
        return "{} of ARR by {} (from {})", (money(target), labels[-1], money(opening))
    year = int(v.params.first_year_months)  # 12, fewer in a reforecast (§15)
    if kind == "first_year_revenue":
        return f"{{}} of revenue in its first {year} months", (money(target),)
    if kind == "new_arr_per_year":
        return f"{{}} of new ARR booked in its first {year} months", (money(target),)
    growth = float(v.params.growth_rate_monthly)
    return "{} of new MRR a month from {}, growing {} a month", (
        money(target),
        labels[0],
        rate(growth, exact=True),
    )


# -- what to do now -------------------------------------------------------------------------


def actions(v: PlanView, o: Outlook) -> tuple[Sentence, ...]:
    """Return what to do now: the first month's requisitions, then the capacity gaps, those
    that put new ARR at risk first (largest first); gaps that put none at risk (managers,
    customer success) share one line, and those under :data:`SMALL_GAP_FTE` another."""
    s = v.structure
    labels = month_labels(s.start, s.months)
    out: list[Sentence] = []
    opened = v.reqs_opened[:, 0]
    if opened.sum() > 0:
        roles = [r for r in range(len(s.roles)) if opened[r] > 0]
        parts: list[Part] = []
        for r in roles:
            parts += [count(opened[r]), s.roles[r]]
        out.append(
            Sentence(
                f"Open {{}} {_plural(opened.sum(), 'requisition')} in {{}}: "
                + ", ".join("{} {}" for _ in roles)
                + ".",
                (count(opened.sum()), labels[0], *parts),
                Tone.ACTION,
            )
        )
    quiet, small = [], []
    ranked = sorted(zip(o.gaps, o.at_risk, strict=True), key=lambda g: (-g[1], g[0].role))
    for gap, at_risk in ranked:
        if gap.worst_fte < SMALL_GAP_FTE:
            small.append(gap)
        elif at_risk <= 0:
            quiet.append(gap)
        elif gap.capped:
            out.append(
                Sentence(
                    "{}: up to {} FTE short in {}, about {} of new ARR at risk: {} "
                    + ("hold" if len(gap.caps) > 1 else "holds")
                    + " its starts back. Raise the cap, or plan less work in those months.",
                    (
                        s.roles[gap.role],
                        fte(gap.worst_fte),
                        _months(labels, gap.first, gap.last),
                        money(at_risk),
                        " and ".join(gap.caps),
                    ),
                    Tone.ACTION,
                )
            )
        else:
            lead = int(v.params.lead_months[gap.role])
            late, begins = _coverage(v, gap)
            out.append(
                Sentence(
                    "{}: up to {} FTE short in {}, about {} of new ARR at risk. A hire on the "
                    "{}-month lead time comes too late: hire faster, or cover it (a "
                    "contractor, a loan from another team)." + late,
                    (
                        s.roles[gap.role],
                        fte(gap.worst_fte),
                        _months(labels, gap.first, gap.last),
                        money(at_risk),
                        count(lead),
                        *begins,
                    ),
                    Tone.ACTION,
                )
            )
    if quiet:
        last = max(g.last for g in quiet)
        late_parts: list[Part] = []
        late = ""
        for g in quiet:
            _, begins = _coverage(v, g)
            if begins:
                late += " For {}, coverage begins in {}, after the plan ends."
                late_parts += [s.roles[g.role], *begins]
        out.append(
            Sentence(
                "{}: up to {} FTE short in {}, with no new ARR at risk." + late,
                (
                    ", ".join(s.roles[g.role] for g in quiet),
                    fte(max(g.worst_fte for g in quiet)),
                    _months(labels, min(g.first for g in quiet), last),
                    *late_parts,
                ),
            )
        )
    if small:
        out.append(
            Sentence(
                "{} short by less than {} FTE in some months (--table gaps lists them).",
                (", ".join(s.roles[g.role] for g in small), fte(SMALL_GAP_FTE)),
            )
        )
    return tuple(out)


def _coverage(v: PlanView, gap: Gap) -> tuple[str, tuple[Part, ...]]:
    """Return a sentence saying when coverage begins, if only after the plan ends, and its
    month; nothing when it begins within the plan."""
    if not gap.covered_after(v.months):
        return "", ()
    year, month = (int(x) for x in v.structure.start.split("-"))
    return " Coverage begins in {}, after the plan ends.", (
        month_label(year, month, gap.covered_from),
    )


def _plural(n: float, word: str) -> str:
    """Return ``word`` for one, ``word + "s"`` otherwise."""
    return word if n == 1 else word + "s"


def _months(labels: Sequence[str], first: int, last: int) -> str:
    """Return a run of months: ``2027-01`` or ``2027-01 to 2027-03``."""
    return labels[first] if first == last else f"{labels[first]} to {labels[last]}"


# -- tables ---------------------------------------------------------------------------------


def years_table(evaluation: Evaluation, o: Outlook) -> Table:
    """Year by year, then the whole plan: the board's figures a founder reads first, with
    the ARR the hires deliver (forwards, at the likely values) beside the planned ARR."""
    s = evaluation.plan.structure
    labels = month_labels(s.start, s.months)
    board = board_table(evaluation).select(YEAR_COLUMNS, name="years", title="The plan by year")
    ends = [y.last for y in spans(s.start, s.months, Period.YEAR)] + [s.months - 1]
    delivered = Column("arr_delivered", "ARR delivered", MONEY)
    at = YEAR_COLUMNS.index("ending_arr") + 1
    rows = tuple(
        (*row[:at], float(o.likely_arr[t]), *row[at:])
        for row, t in zip(board.rows, ends, strict=True)
    )
    # Short titles and money in three figures: every column fits in 100 columns.
    columns = tuple(
        replace(
            c,
            title=YEAR_TITLES.get(c.name, c.title),
            unit="",
            digits=SIGNIFICANT if c.kind is MONEY else c.digits,
        )
        for c in (*board.columns[:at], delivered, *board.columns[at:])
    )
    short = [y for y in spans(s.start, s.months, Period.YEAR) if y.last - y.first + 1 < 12]
    notes = tuple(
        f"{y.label} is {y.last - y.first + 1} months ({labels[y.first]} to {labels[y.last]})."
        for y in short
    )
    return Table(PRIMARY, "The plan by year", columns, rows, key_columns=1, notes=notes)


def people_table(v: PlanView) -> Table:
    """One row a role: heads now and at the end, hires over the plan and by quarter."""
    s = v.structure
    T = s.months
    period = (
        Period.QUARTER if len(spans(s.start, T, Period.QUARTER)) <= MAX_QUARTERS else (Period.YEAR)
    )
    periods = spans(s.start, T, period)
    columns = [
        Column("role", "Role", TEXT),
        Column("heads_start", "Now", COUNT),
        Column("heads_end", "End", COUNT),
        Column("hires", "Hires", COUNT),
        *(_period_column(span) for span in periods),
    ]
    rows: list[tuple[Cell, ...]] = []
    for r, role in enumerate(s.roles):
        rows.append(
            (
                role,
                float(v.params.opening_heads[r]),
                float(v.heads[r, T - 1]),
                float(v.starts[r, :T].sum()),
                *(float(total(v.starts[r], span)) for span in periods),
            )
        )
    rows.append(
        (
            "total",
            float(v.params.opening_heads.sum()),
            float(v.heads[:, T - 1].sum()),
            float(v.starts[:, :T].sum()),
            *(float(total(v.starts, span).sum()) for span in periods),
        )
    )
    title = f"People: heads now and at the end, hires by {period.value}"
    return Table("people", title, tuple(columns), tuple(rows))


def _period_column(span: Span) -> Column:
    """Return the hires column of one period: ``Q1`` over ``2027`` (or the year alone)."""
    if "-Q" in span.label:
        year, quarter = span.label.split("-")
        return Column(f"hires_{year}_{quarter.lower()}", quarter, COUNT, year)
    return Column(f"hires_{span.label}", span.label, COUNT)


# -- charts ---------------------------------------------------------------------------------


def arr_chart(v: PlanView, o: Outlook) -> Chart:
    """ARR by month, forwards with the plan's hires, with the simulation's P10–P90 band."""
    return likely_chart(v, o, "arr", "ARR delivered", "ARR, likely", o.likely_arr, o.arr_band)


def likely_chart(
    v: PlanView,
    o: Outlook,
    name: str,
    title: str,
    series_name: str,
    likely: FloatArray,
    band: FloatArray | None,
) -> Chart:
    """Money by month forwards at the likely values, with the P10–P90 ``band`` [3, T] of the
    outlook's simulated worlds when it has one."""
    s = v.structure
    series = Series(
        series_name,
        tuple(likely),
        low=None if band is None else tuple(band[0]),
        high=None if band is None else tuple(band[2]),
    )
    notes = (
        (f"Band: P10–P90 of {o.trials:,} simulated worlds (seed {o.seed}).",) if o.trials else ()
    )
    return Chart(
        name,
        title,
        ChartKind.LINE,
        tuple(month_labels(s.start, s.months)),
        (series,),
        unit=MONEY,
        notes=notes,
        meta={"currency": s.currency},
    )


def role_chart(
    v: PlanView,
    name: str,
    title: str,
    kind: ChartKind,
    values: FloatArray,
    empty: str,
    notes: tuple[str, ...] = (),
) -> Chart:
    """Return a chart of people by month, a series a role of ``values`` [R, T]: roles that
    are all zero are left out (one zero series named ``empty`` when every role is)."""
    s = v.structure
    T = v.months
    series = tuple(
        Series(role, tuple(values[r, :T])) for r, role in enumerate(s.roles) if values[r, :T].any()
    )
    labels = tuple(month_labels(s.start, T))
    people = series or (Series(empty, (0.0,) * T),)
    return Chart(name, title, kind, labels, people, unit=COUNT, notes=notes)


def heads_chart(v: PlanView) -> Chart:
    """Heads by role at each month's end, stacked."""
    return role_chart(v, "heads", "Heads by role", ChartKind.STACKED, v.heads, "heads")


def funnel_chart(v: PlanView) -> Chart:
    """Volume entering each stage over the plan, all tiers and motions, top to won."""
    s = v.structure
    T = s.months
    order = stage_order(
        [[name for cell, name in s.stages if cell == m] for m in range(len(s.cells))]
    )
    volume = dict.fromkeys(order, 0.0)
    for j, (_, name) in enumerate(s.stages):
        volume[name] += float(v.funnel.volume[j, :T].sum())
    labels = (*order, "won")
    values = (*volume.values(), float(v.revenue.new_customers[:, :T].sum()))
    return Chart(
        "stages",  # not "funnel": that is the table of volumes by month, and -t picks by name
        "Funnel over the plan",
        ChartKind.BARS,
        labels,
        (Series("entries", values),),
        unit=COUNT,
        notes=("Entries into each stage, stages of the same name added over tiers and motions.",),
    )


def stage_order(motions: Sequence[Sequence[str]]) -> tuple[str, ...]:
    """Return stage names in funnel order over several motions (first seen wins a tie).

    A stage comes after every stage that precedes it in some motion:

    >>> stage_order([["lead", "mql", "sql"], ["prospect", "sql", "opportunity"]])
    ('lead', 'mql', 'prospect', 'sql', 'opportunity')
    """
    seen: list[str] = []
    after: dict[str, set[str]] = {}
    for stages in motions:
        for i, name in enumerate(stages):
            if name not in after:
                seen.append(name)
                after[name] = set()
            after[name].update(stages[:i])
    out: list[str] = []
    while len(out) < len(seen):
        ready = [n for n in seen if n not in out and after[n] <= set(out)]
        # A cycle (two motions ordering two stages both ways) keeps the order first seen.
        out.append(ready[0] if ready else next(n for n in seen if n not in out))
    return tuple(out)
