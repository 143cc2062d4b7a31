"""``salesplan reforecast PLAN ACTUALS``: what the company must now do to reach its target.

A headline first: where the company stands against the plan at the last month of actuals;
what the target now asks (new MRR a month from the next month, the entries a month each
stage needs, the hires more or fewer than the plan by when, the requisitions to open now);
whether hiring can still reach it, at the likely values forwards with the re-planned hires
and over a seeded simulation of the months left (trials and seed stated); the pipeline in
flight against what the first months need.  Then the tables that set the reforecast
against the plan for the months left (report/reforecast_tables.py), then the re-based
plan's own: its first screen, or with ``every`` all of ``salesplan plan --all``.

The figures come from a :class:`~salesplan.reforecast.route.Reforecast` and its outlook;
this module only chooses and arranges them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from salesplan.choices import TargetKind
from salesplan.engine.periods import Period
from salesplan.engine.structure import month_labels
from salesplan.report.chart import Chart, Series
from salesplan.report.plan import plan_report
from salesplan.report.prose import Figure, Part, Sentence, Tone, count, money, rate
from salesplan.report.reforecast_tables import (
    entries_table,
    hiring_change,
    hiring_table,
    in_flight_table,
    money_table,
    needed_in_stage,
    people_table,
    rates_table,
)
from salesplan.report.screen import actions, screen_report, stage_order
from salesplan.report.screen import arr_chart as screen_arr_chart
from salesplan.report.table import Kind, Report, with_meta

if TYPE_CHECKING:
    from salesplan.engine.outlook import Outlook
    from salesplan.engine.view import PlanView
    from salesplan.reforecast.route import Reforecast

# The table a one-table format (CSV) takes from the reforecast's first screen.
PRIMARY = "reforecast"
# The re-based plan's first-screen tables that follow the reforecast's own.
SCREEN_TABLES = ("years", "people")


def reforecast_report(rf: Reforecast, period: Period, every: bool = False) -> Report:
    """Return the reforecast: headline, the plan against the reforecast, the re-based plan."""
    v = rf.original.plan
    s = v.structure
    labels = month_labels(s.start, s.months)
    k = rf.start.state.month
    meta = {
        "currency": s.currency,
        "plan": s.plan_name,
        "actuals": rf.actuals_path,
        "through": labels[k - 1],
        "from": labels[k],
        "rates": rf.rates.mode.value,
        "period": period.value,
    }
    own = (
        money_table(rf),
        people_table(rf),
        entries_table(rf),
        hiring_table(rf),
        rates_table(rf),
        in_flight_table(rf),
    )
    ev, outlook = rf.evaluation, rf.outlook
    if ev is None or outlook is None:
        return Report(
            kind="reforecast",
            title=f"Reforecast: {s.plan_name}, from {labels[k]}",
            tables=with_meta(own, meta),
            meta=meta,
            headline=headline(rf),
        )
    if every:
        rebased = plan_report(ev, outlook, period).tables
    else:
        screen = screen_report(ev, outlook)
        rebased = tuple(t for t in screen.tables if t.name in SCREEN_TABLES)
    titles = {"years": "The reforecast by year", "people": f"People from {labels[k]}"}
    rebased = tuple(replace(t, title=titles.get(t.name, t.title)) for t in rebased)
    return Report(
        kind="reforecast",
        title=f"Reforecast: {s.plan_name}, from {labels[k]}",
        tables=with_meta((*own, *rebased), meta),
        meta=meta,
        headline=(*headline(rf), *actions(ev.plan, outlook)),
        charts=(arr_chart(rf, ev.plan, outlook),),
    )


# -- the headline -----------------------------------------------------------------------------


def headline(rf: Reforecast) -> tuple[Sentence, ...]:
    """Return where the company stands, what it must now do, and whether it still can."""
    v = rf.original.plan
    s = v.structure
    labels = month_labels(s.start, s.months)
    k, st = rf.start.state.month, rf.start.state
    out = [
        Sentence(
            "Actuals through {} ({} of {} months): ARR {} against {} planned, revenue to date "
            "{} against {}.",
            (
                labels[k - 1],
                count(k),
                count(s.months),
                money(12 * st.mrr.sum(), exact=True),
                money(12 * v.revenue.mrr[:, k - 1].sum(), exact=True),
                money(st.revenue_to_date, exact=True),
                money(v.revenue.mrr[:, :k].sum(), exact=True),
            ),
        )
    ]
    out += _notes(rf)
    b = rf.evaluation
    if rf.met or b is None or rf.outlook is None:
        out.append(_met(rf))
        return tuple(out)
    out.append(_goal(rf, b.plan))
    out.append(_entries(v, b.plan, k, labels))
    out.append(_hiring(v, b.plan, k, labels))
    out += _reach(rf, rf.outlook, b.plan)
    out.append(_pipeline(rf, b.plan))
    if rf.rates.replaced:
        out.append(
            Sentence(
                "Rates carried forward: {}, {} of {} stages changed from the plan's "
                "(--table rates).",
                (rf.rates.mode.value, count(len(rf.rates.replaced)), count(len(s.stages))),
            )
        )
    return tuple(out)


def _notes(rf: Reforecast) -> list[Sentence]:
    """Return what the state had to take from the plan or could not account for."""
    s = rf.original.plan.structure
    out: list[Sentence] = []
    if rf.start.planned:
        out.append(
            Sentence(
                "The actuals do not give {} for every month: the plan's figures stand in.",
                (", ".join(rf.start.planned),),
                Tone.WARNING,
            )
        )
    for r, role in enumerate(s.roles):
        extra = float(rf.start.unexplained[r])
        if extra:
            out.append(
                Sentence(
                    "{}: {} heads "
                    + ("more" if extra > 0 else "fewer")
                    + " than the starts and departures account for, taken as "
                    + ("fully ramped." if extra > 0 else "the longest-serving."),
                    (role, count(abs(extra))),
                    Tone.WARNING,
                )
            )
        beyond = float(rf.start.beyond[r])
        if beyond:
            out.append(
                Sentence(
                    "{}: {} open requisitions could start only after the plan ends; left out.",
                    (role, count(beyond)),
                    Tone.WARNING,
                )
            )
    return out


def _met(rf: Reforecast) -> Sentence:
    """Return that the target needs no more bookings."""
    kind = rf.rebased.target_kind
    return Sentence(
        "The target is already met: the months to date and the opening base deliver the {} "
        "without new bookings, so there is nothing left to plan.",
        (kind.replace("_", " "),),
        Tone.GOOD,
    )


def _goal(rf: Reforecast, b: PlanView) -> Sentence:
    """Return what the target now asks: new MRR a month from the first month left."""
    v = rf.original.plan
    s = v.structure
    labels = month_labels(s.start, s.months)
    k = rf.start.state.month
    new = money(b.revenue.new_mrr[:, 0].sum(), exact=True)
    planned = money(v.revenue.new_mrr[:, k].sum(), exact=True)
    growth = float(v.params.growth_rate_monthly)
    grows = ", growing {} a month" if growth else ""
    growth_parts: tuple[Part, ...] = (rate(growth, exact=True),) if growth else ()
    kind, target = s.target_kind, float(v.params.target_value)
    year = int(v.params.first_year_months)
    if rf.rebased.year_over:
        return Sentence(
            "The first year ended in {}, so its target is behind the company: the reforecast "
            "keeps the plan's bookings, new MRR of {} a month from {}" + grows + ".",
            (labels[year - 1], new, labels[k], *growth_parts),
            Tone.ACTION,
        )
    parts: tuple[Part, ...] = ()
    if kind == TargetKind.ENDING_ARR.value:
        goal, parts = "To still reach {} of ARR by {}", (money(target), labels[-1])
    elif kind == TargetKind.FIRST_YEAR_REVENUE.value:
        goal = "To still reach {} of revenue in the first year ({} more by {})"
        left = money(rf.rebased.target_left or 0.0, exact=True)
        parts = (money(target), left, labels[year - 1])
    elif kind == TargetKind.NEW_ARR_PER_YEAR.value:
        goal = "To still book {} of new ARR in the first year ({} more by {})"
        left = money(rf.rebased.target_left or 0.0, exact=True)
        parts = (money(target), left, labels[year - 1])
    elif rf.rebased.target_left is None:
        goal = "With every tier booking a fixed new MRR"
    else:
        goal = "To keep the target's new MRR"
    return Sentence(
        goal + ": new MRR of {} a month from {} (the plan has {})" + grows + ".",
        (*parts, new, labels[k], planned, *growth_parts),
        Tone.ACTION,
    )


def _entries(v: PlanView, b: PlanView, k: int, labels: Sequence[str]) -> Sentence:
    """Return the entries each stage needs in the first month left, against the plan's."""
    s = v.structure
    order = stage_order(
        [[name for cell, name in s.stages if cell == m] for m in range(len(s.cells))]
    )
    need, planned = dict.fromkeys(order, 0.0), dict.fromkeys(order, 0.0)
    for j, (_, name) in enumerate(s.stages):
        need[name] += float(b.funnel.volume[j, 0])
        planned[name] += float(v.funnel.volume[j, k])
    wins = (float(b.revenue.new_customers[:, 0].sum()), float(v.revenue.new_customers[:, k].sum()))
    names = (*order, "won")
    parts: list[Part] = []
    for name, (new, old) in zip(
        names, [*((need[n], planned[n]) for n in order), wins], strict=True
    ):
        parts += [_entries_count(new), name, _entries_count(old)]
    return Sentence(
        "Entries it needs in {}: " + ", ".join("{} {} ({} planned)" for _ in names) + ".",
        (labels[k], *parts),
        Tone.ACTION,
    )


def _entries_count(value: float) -> Part:
    """Return a count of entries as a sentence shows it: whole above 10, else to a tenth."""
    return count(round(value) if value >= 10 else round(value, 1))


def _hiring(v: PlanView, b: PlanView, k: int, labels: Sequence[str]) -> Sentence:
    """Return the hires more than the plan, by role and by when, then the roles that hire
    fewer or later."""
    s = v.structure
    T = s.months
    more: list[tuple[float, int, str]] = []
    fewer: list[str] = []
    for r, role in enumerate(s.roles):
        change, when = hiring_change(v.starts[r, k:T], b.starts[r, : T - k])
        if change > 0:
            more.append((change, when, role))
        elif change < 0:
            fewer.append(role)
    if not more and not fewer:
        return Sentence("Hiring stays as the plan has it from {}.", (labels[k],), Tone.GOOD)
    more.sort(key=lambda c: (c[1], -c[0]))
    texts = ["{} more {} starting by {}" for _ in more]
    parts: list[Part] = []
    for change, when, role in more:
        parts += [count(change), role, labels[k + when]]
    if fewer:
        texts.append("fewer or later than planned: {}")
        parts.append(", ".join(fewer))
    tone = Tone.ACTION if more else Tone.INFO
    return Sentence(
        "Hiring against the plan: " + "; ".join(texts) + " (--table hiring).", tuple(parts), tone
    )


def _reach(rf: Reforecast, o: Outlook, b: PlanView) -> list[Sentence]:
    """Return whether the re-planned hires still reach the target, forwards and simulated."""
    v = rf.original.plan
    s = v.structure
    labels = month_labels(s.start, s.months)
    k = rf.start.state.month
    to_date = _to_date(rf)
    target = o.target + to_date
    delivered = o.delivered + to_date
    share = delivered / target if target else 1.0
    what = _measure(rf)
    out: list[Sentence] = []
    if o.reaches:
        out.append(
            Sentence(
                "With these hires, forwards at the likely values reach the target: {} of {}.",
                (money(delivered, exact=True), what),
                Tone.GOOD,
            )
        )
    else:
        losing = [b.structure.roles[g.role] for g, risk in zip(o.gaps, o.at_risk, strict=True)]
        losing = [r for r, risk in zip(losing, o.at_risk, strict=True) if risk > 0]
        why = (
            ", ".join(dict.fromkeys(losing)) + " cannot be staffed in time for the first months"
            if losing
            else "the first months' capacity gaps cost the rest"
        )
        out.append(
            Sentence(
                "Hiring can no longer reach the target: with the re-planned hires, forwards at "
                "the likely values reach {} of {}, {} of the {} target; {}.",
                (
                    money(delivered, exact=True),
                    what,
                    _share(share),
                    money(target, exact=True),
                    why,
                ),
                Tone.WARNING,
            )
        )
    if o.trials:
        out.append(
            Sentence(
                "{} of {} simulated worlds of the {} months left reach it (P10–P90 {} to {}; "
                "seed {}).",
                (
                    rate(o.probability),
                    count(o.trials),
                    count(s.months - k),
                    money(o.band[0] + to_date),
                    money(o.band[2] + to_date),
                    count(o.seed),
                ),
                Tone.GOOD if o.probability >= 0.8 else Tone.WARNING,
            )
        )
    elif rf.trials == 0:
        out.append(Sentence("No simulation asked for (--trials 0): forwards at the likely values."))
    else:
        out.append(
            Sentence(
                "No input has a range, so this is a point forecast from {} (give rates and "
                "capacities low, likely and high values to see the odds).",
                (labels[k],),
            )
        )
    return out


def _share(share: float) -> Figure:
    """Return a share of the target to as many decimals as it takes not to read 100% when
    it falls short.

    >>> _share(0.99993).digits, _share(0.95).digits
    (2, 1)
    """
    digits = 1
    while digits < 6 and share < 1 and round(share * 100, digits) >= 100:
        digits += 1
    return Figure(share, Kind.RATE, exact=True, digits=digits)


def _to_date(rf: Reforecast) -> float:
    """Return what the months to date count towards a first-year target (0 for others)."""
    if rf.rebased.year_over:
        return 0.0
    kind = rf.rebased.target_kind
    if kind == TargetKind.FIRST_YEAR_REVENUE.value:
        return rf.start.state.revenue_to_date
    if kind == TargetKind.NEW_ARR_PER_YEAR.value:
        return 12.0 * rf.start.state.new_mrr_to_date
    return 0.0


def _measure(rf: Reforecast) -> str:
    """Return what the target measures, in words."""
    s = rf.original.plan.structure
    labels = month_labels(s.start, s.months)
    year = int(rf.original.plan.params.first_year_months)
    return {
        TargetKind.ENDING_ARR.value: f"ARR in {labels[-1]}",
        TargetKind.FIRST_YEAR_REVENUE.value: f"revenue to {labels[min(year, s.months) - 1]}",
        TargetKind.NEW_ARR_PER_YEAR.value: f"new ARR booked to {labels[min(year, s.months) - 1]}",
    }.get(rf.rebased.target_kind, f"new MRR in {labels[rf.start.state.month]}")


def _pipeline(rf: Reforecast, b: PlanView) -> Sentence:
    """Return the pipeline in flight against what the first months need."""
    s = b.structure
    k = rf.start.state.month
    labels = month_labels(rf.original.plan.structure.start, rf.original.plan.months)
    needed = needed_in_stage(b)
    given = rf.start.in_flight
    if given is None:
        return Sentence(
            "The actuals give no pipeline: the reforecast takes the {} deals its first months "
            "need to be in flight (--table in_flight).",
            (count(round(float(needed.sum()))),),
        )
    short = np.maximum(needed - given, 0.0)
    if short.sum() <= 0:
        return Sentence(
            "Pipeline in flight at the end of {}: {} deals, all the first months need.",
            (labels[k - 1], count(float(given.sum()))),
            Tone.GOOD,
        )
    wins = float((short * b.funnel.to_win).sum())
    worst = int(np.argmax(short))
    return Sentence(
        "Pipeline in flight at the end of {}: {} deals short of what the first months need "
        "(most in {} {}), about {} wins the reforecast counts on; fill it, or expect the "
        "first months to fall short.",
        (
            labels[k - 1],
            count(round(float(short.sum()))),
            "/".join(s.cells[s.stages[worst][0]]),
            s.stages[worst][1],
            count(round(wins, 1)),
        ),
        Tone.WARNING,
    )


# -- charts -----------------------------------------------------------------------------------


def arr_chart(rf: Reforecast, b: PlanView, o: Outlook) -> Chart:
    """ARR by month over the months left: the plan's path beside the re-based plan's chart
    of the first screen (its hires forwards at the likely values, with the P10–P90 band)."""
    v = rf.original.plan
    k, T = rf.start.state.month, v.months
    chart = screen_arr_chart(b, o)
    plan = Series("plan", tuple(12 * v.revenue.mrr[:, k:T].sum(axis=0)))
    return replace(
        chart, title="ARR by month: the plan and the reforecast", series=(plan, *chart.series)
    )
