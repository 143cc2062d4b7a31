"""Tracking a plan against its actuals: variance by period and the pace line.

Pure numpy, no I/O (docs/model.md, "Actuals"; docs/track.md).  The plan's side is its own
figures (a :class:`~salesplan.engine.view.PlanView`); the actual side is an
:class:`~salesplan.engine.actuals.ActualArrays`.  Only the months the actuals cover are
compared: a period is cut at the last month of actuals, and each metric is compared over
the months it reports.  Flows (entries, wins, new MRR, starts, marketing) add up over a
period; stocks (ARR, customers, heads) are taken at its last month with data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from salesplan.engine.actuals import STOCKS, ActualArrays
from salesplan.engine.periods import Period, Span, spans
from salesplan.engine.realised import RateRanges, Realised, Stays, days_in_stage, realised_rates
from salesplan.engine.structure import BoolArray, FloatArray, IntArray, Structure, month_labels
from salesplan.engine.view import PlanView

# Months of actual new MRR the pace line averages (fewer when the file has fewer).
PACE_MONTHS = 3


@dataclass(frozen=True)
class Variance:
    """Plan against actual for some rows over periods: ``[rows, P]`` arrays.

    ``months[p]`` is how many months of period p the metric reports (0: the period is
    not compared, and ``plan`` and ``actual`` hold 0 there).  ``difference`` is actual −
    plan; ``percent`` is difference / plan where ``percent_defined`` (the plan is not 0).
    """

    plan: FloatArray  # [rows, P]
    actual: FloatArray  # [rows, P]
    months: IntArray  # [P] months of the period the metric reports

    @property
    def difference(self) -> FloatArray:
        """Return actual − plan ``[rows, P]``."""
        return np.asarray(self.actual - self.plan)

    @property
    def percent_defined(self) -> BoolArray:
        """Return where the percentage is defined: the plan is not 0 ``[rows, P]``."""
        return np.asarray(self.plan != 0)

    @property
    def percent(self) -> FloatArray:
        """Return (actual − plan) / plan, 0 where it is undefined ``[rows, P]``."""
        defined = self.percent_defined
        return np.asarray(np.divide(self.difference, np.where(defined, self.plan, 1.0)) * defined)


def compare(
    plan: FloatArray, actual: FloatArray, present: BoolArray, periods: Sequence[Span], stock: bool
) -> Variance:
    """Compare plan and actual ``[rows, N]`` over periods, in the months ``present`` ``[N]``.

    A flow adds up over the period's months with data; a stock is taken at the last of
    them.  Both sides use the same months, so a period the metric only partly reports
    compares like with like.

    >>> from salesplan.engine.periods import Span
    >>> plan, actual = np.array([[10.0, 10.0, 10.0]]), np.array([[8.0, 9.0, 13.0]])
    >>> q = [Span("Q", 0, 2)]
    >>> v = compare(plan, actual, np.array([True, True, True]), q, stock=False)
    >>> v.plan.tolist(), v.actual.tolist(), v.difference.tolist(), v.percent.tolist()
    ([[30.0]], [[30.0]], [[0.0]], [[0.0]])
    >>> v = compare(plan, actual, np.array([False, True, True]), q, stock=True)
    >>> v.actual.tolist(), v.percent.round(2).tolist(), v.months.tolist()
    ([[13.0]], [[0.3]], [2])
    """
    rows = plan.shape[0]
    out_plan, out_actual = np.zeros((rows, len(periods))), np.zeros((rows, len(periods)))
    months = np.zeros(len(periods), dtype=np.int64)
    for p, span in enumerate(periods):
        inside = np.nonzero(present[span.first : span.last + 1])[0] + span.first
        months[p] = len(inside)
        if not len(inside):
            continue
        if stock:
            out_plan[:, p], out_actual[:, p] = plan[:, inside[-1]], actual[:, inside[-1]]
        else:
            out_plan[:, p], out_actual[:, p] = plan[:, inside].sum(1), actual[:, inside].sum(1)
    return Variance(out_plan, out_actual, months)


def track_periods(start: str, through: int, period: Period) -> tuple[Span, ...]:
    """Return the periods compared: the plan's periods cut at the last month of actuals,
    then the calendar year to date (``YYYY YTD``) when the periods are months or quarters.

    >>> [(s.label, s.first, s.last) for s in track_periods("2027-11", 3, Period.QUARTER)]
    [('2027-Q4', 0, 1), ('2028-Q1', 2, 3), ('2028 YTD', 2, 3)]
    >>> [s.label for s in track_periods("2027-01", 2, Period.YEAR)]
    ['2027']
    """
    out = spans(start, through + 1, period)
    if period in (Period.MONTH, Period.QUARTER):
        last = month_labels(start, through + 1)[-1]
        january = through - (int(last[5:7]) - 1)
        out.append(Span(f"{last[:4]} YTD", max(january, 0), through))
    return tuple(out)


@dataclass(frozen=True)
class Pace:
    """Where ARR ends if the last months' pace holds (docs/model.md, "Actuals").

    Per tier k, over the ``window`` of actual months: ``new_mrr`` the mean new MRR a
    month, ``churn_rate`` the churned MRR over the MRR at each month's start, and
    ``expansion_rate`` the expansion over the MRR that stayed.  From the MRR at the last
    month of actuals, ``MRR[t] = MRR[t-1] (1 - c)(1 + e) + new_mrr`` runs to each of
    ``months``; ``arr`` is 12 × that, ``plan_arr`` the plan's ARR in the same month.
    Arrays over tiers have a last row for all tiers together.
    """

    window: range  # actual months the pace is taken over (empty: no pace)
    months: tuple[int, ...]  # plan months projected to: the year's end, the horizon's
    new_mrr: FloatArray  # [K + 1] mean new MRR a month over the window
    churn_rate: FloatArray  # [K + 1] monthly, churned MRR / MRR at the month's start
    expansion_rate: FloatArray  # [K + 1] monthly, expansion MRR / MRR that stayed
    rates_from_plan: BoolArray  # [K + 1] churn and expansion taken from the plan
    arr_now: FloatArray  # [K + 1] ARR at the last month of actuals
    arr: FloatArray  # [K + 1, len(months)] ARR at pace
    plan_arr: FloatArray  # [K + 1, len(months)] the plan's ARR


def pace_months(start: str, months: int, through: int) -> tuple[int, ...]:
    """Return the months the pace line projects to: December of the last actual month's
    year (if the plan reaches it) and the plan's last month.

    >>> pace_months("2027-01", 24, 2), pace_months("2027-07", 12, 2), pace_months("2027-01", 12, 2)
    ((11, 23), (5, 11), (11,))
    """
    month = int(start[5:7]) - 1 + through  # months from January of the start year
    december = through + 11 - month % 12
    return tuple(sorted({min(december, months - 1), months - 1}))


def pace(view: PlanView, actual: ActualArrays) -> Pace:
    """Return the pace line: the last months' new MRR, churn and expansion carried from the
    MRR at the last month of actuals to the year's end and the horizon's."""
    s = view.structure
    K, T, through = len(s.tiers), s.months, actual.through
    targets = pace_months(s.start, T, through)
    plan_mrr = view.revenue.mrr[:, :T]
    plan_arr = 12 * _with_total(plan_mrr)[:, list(targets)]
    nothing = np.zeros(K + 1)
    if not (actual.has("mrr") and actual.has("new_mrr")):
        return Pace(
            window=range(0),
            months=targets,
            new_mrr=nothing,
            churn_rate=nothing,
            expansion_rate=nothing,
            rates_from_plan=np.ones(K + 1, dtype=bool),
            arr_now=nothing,
            arr=np.zeros((K + 1, len(targets))),
            plan_arr=plan_arr,
        )
    first = max(_since(actual, "mrr", "new_mrr"), through - PACE_MONTHS + 1)
    w = slice(first, through + 1)
    new, end = actual.new_mrr[:, w], actual.mrr[:, w]
    flows = first >= _since(actual, "churned_mrr", "expansion_mrr")
    churned = actual.churned_mrr[:, w] if flows else np.zeros_like(new)
    expansion = actual.expansion_mrr[:, w] if flows else np.zeros_like(new)
    # MRR at each month's start from the month's own end and flows: the file's own books.
    opening = (end - new - expansion + churned).sum(1)
    stayed = opening - churned.sum(1)
    measured = flows & (opening > 0) & (stayed > 0)
    churn = np.where(
        measured, churned.sum(1) / np.where(measured, opening, 1.0), view.params.churn_rate_monthly
    )
    grow = np.where(
        measured,
        expansion.sum(1) / np.where(measured, stayed, 1.0),
        view.params.expansion_rate_monthly,
    )
    mean_new = new.mean(axis=1)
    mrr = actual.mrr[:, through].copy()
    arr = np.zeros((K, len(targets)))
    for t in range(through + 1, max(targets) + 1):
        mrr = mrr * (1 - churn) * (1 + grow) + mean_new
        if t in targets:
            arr[:, targets.index(t)] = 12 * mrr
    for i, t in enumerate(targets):
        if t <= through:  # the year already ended in the data
            arr[:, i] = 12 * actual.mrr[:, t]
    # All tiers: the rates over every tier's books when each tier's were measured.
    every = bool(measured.all())
    open_all, stayed_all = opening.sum(), stayed.sum()
    return Pace(
        window=range(first, through + 1),
        months=targets,
        new_mrr=np.append(mean_new, mean_new.sum()),
        churn_rate=np.append(churn, churned.sum() / open_all if every else 0.0),
        expansion_rate=np.append(grow, expansion.sum() / stayed_all if every else 0.0),
        rates_from_plan=np.append(~measured, not every),
        arr_now=12 * _with_total(actual.mrr)[:, through],
        arr=_with_total(arr),
        plan_arr=plan_arr,
    )


def _since(actual: ActualArrays, *metrics: str) -> int:
    """Return the first month every one of ``metrics`` reports (past the data if one is
    absent)."""
    firsts = [actual.since(m) for m in metrics]
    return max(actual.months if f is None else f for f in firsts)


def _with_total(rows: FloatArray) -> FloatArray:
    """Return ``[rows + 1, …]``: the rows, then their sum."""
    return np.vstack([rows, rows.sum(axis=0, keepdims=True)])


@dataclass(frozen=True)
class Track:
    """A plan tracked against its actuals: variance by period, realised rates and days in
    stage, and the pace line.

    Variance rows: ``entries`` by stage ``[J]``; ``wins`` by cell then all cells
    ``[M + 1]``; ``new_mrr``, ``arr`` and ``customers`` by tier then all tiers ``[K + 1]``;
    ``heads`` and ``starts`` by role then all roles ``[R + 1]``; ``marketing`` by
    ``marketing_rows`` (each tier's motions, then the tier, and all motions last, as far as
    the file breaks marketing down).  A metric the file does not give is None.
    """

    through: int  # the last month of actuals
    first: int  # the first month any metric reports
    period: Period  # how the variance groups months (and the year to date after)
    periods: tuple[Span, ...]
    new_mrr_to_date: Variance | None  # [K + 1, 1] over every month of actuals
    entries: Variance | None
    wins: Variance | None
    new_mrr: Variance | None
    arr: Variance | None
    customers: Variance | None
    heads: Variance | None
    starts: Variance | None
    marketing: Variance | None
    marketing_rows: tuple[tuple[str, str], ...]  # (tier, motion): ("", "") is all motions
    rates: Realised
    stays: Stays
    pace: Pace


def track(
    view: PlanView, actual: ActualArrays, period: Period, ranges: RateRanges | None = None
) -> Track:
    """Return the plan tracked against its actuals: variance by ``period`` (and the year to
    date), realised rates with their intervals and blend, days in stage, the pace line."""
    s = view.structure
    n = actual.months
    periods = track_periods(s.start, actual.through, period)
    rev, fun = view.revenue, view.funnel

    def vs(metric: str, plan: FloatArray, got: FloatArray) -> Variance | None:
        if not actual.has(metric):
            return None
        return compare(plan[:, :n], got, actual.present[metric], periods, metric in STOCKS)

    marketing_keys = _marketing_keys(s, actual.marketing_breakdown)
    cells_plan, cells_actual = _marketing_rows(view, actual, marketing_keys)
    return Track(
        through=actual.through,
        first=actual.first,
        period=period,
        periods=periods,
        new_mrr_to_date=None
        if not actual.has("new_mrr")
        else compare(
            _with_total(rev.new_mrr[:, :n]),
            _with_total(actual.new_mrr),
            actual.present["new_mrr"],
            [Span("to date", 0, actual.through)],
            stock=False,
        ),
        entries=vs("entries", fun.volume, actual.entries),
        wins=vs("wins", _with_total(fun.wins), _with_total(actual.wins)),
        new_mrr=vs("new_mrr", _with_total(rev.new_mrr), _with_total(actual.new_mrr)),
        arr=vs("mrr", 12 * _with_total(rev.mrr), 12 * _with_total(actual.mrr)),
        customers=vs("customers", _with_total(rev.customers), _with_total(actual.customers)),
        heads=vs("heads", _with_total(view.heads), _with_total(actual.heads)),
        starts=vs("starts", _with_total(view.starts), _with_total(actual.starts)),
        marketing=vs("marketing_cost", cells_plan, cells_actual),
        marketing_rows=marketing_keys,
        rates=realised_rates(
            s,
            view.params.stage_rate,
            view.params.stage_days,
            actual,
            ranges or RateRanges.none(len(s.stages)),
        ),
        stays=days_in_stage(view.params.stage_days, actual),
        pace=pace(view, actual),
    )


def _marketing_keys(s: Structure, breakdown: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """Return the rows marketing is compared by, as far as the file breaks it down: each
    tier's motions, then the tier, and all motions last, as the other totals come.

    >>> from types import SimpleNamespace as NS
    >>> _marketing_keys(NS(tiers=("a", "b"), cells=(("a", "x"), ("b", "y"))), ("tier", "motion"))
    (('a', 'x'), ('a', ''), ('b', 'y'), ('b', ''), ('', ''))
    """
    rows: list[tuple[str, str]] = []
    for tier in s.tiers if breakdown else ():
        if len(breakdown) > 1:
            rows += [cell for cell in s.cells if cell[0] == tier]
        rows.append((tier, ""))
    return (*rows, ("", ""))


def _marketing_rows(
    view: PlanView, actual: ActualArrays, keys: tuple[tuple[str, str], ...]
) -> tuple[FloatArray, FloatArray]:
    """Return plan and actual marketing ``[rows, N]`` in the rows ``keys`` of
    :func:`_marketing_keys`.

    The plan's marketing is each motion's cost per entry on its first stage's entries plus
    the motion's own programme spend (docs/model.md §6); the plan's ``programmes:`` lines
    are not marketing.
    """
    s = view.structure
    n = actual.months
    by_cell = view.costs.marketing[:, :n]
    tiers = np.zeros((len(s.tiers), n))
    np.add.at(tiers, s.cell_tier, by_cell)
    plan: dict[tuple[str, str], FloatArray] = {("", ""): by_cell.sum(0)}
    got: dict[tuple[str, str], FloatArray] = {("", ""): actual.marketing_cost}
    if actual.marketing_breakdown:
        for k, tier in enumerate(s.tiers):
            plan[tier, ""], got[tier, ""] = tiers[k], actual.marketing_by_tier[k]
    if len(actual.marketing_breakdown) > 1:
        for m, cell in enumerate(s.cells):
            plan[cell], got[cell] = by_cell[m], actual.marketing_by_cell[m]
    return np.vstack([plan[k] for k in keys]), np.vstack([got[k] for k in keys])
