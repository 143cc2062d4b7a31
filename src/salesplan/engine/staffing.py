"""Staffing (MODEL.md §4): whole people, ramp, attrition, hiring lead time, requisitions.

The month loop is vectorised across rows (variant x role); there is no Python loop over
variants or roles.

How the invariants hold
-----------------------
* Departures: each month ``acc += heads[t-1] * m`` with ``m = 1 - (1 - a)**(1/12)``; the whole
  part of ``acc`` leaves and the fraction carries to the next month, so cumulative departures
  never differ from the accrued attrition by a whole person.  They leave from the
  longest-serving people first (the fully ramped pool, then the oldest ramping cohort).
* Starts: in month s (s >= h, or earlier while declared open requisitions last) the plan
  starts the fewest people that keep month ``s + R`` covered, projecting the departures of
  the months in between.  Every person present at s is fully ramped by ``s + R``.  Before
  month h an open requisition starts only if month ``h + R`` needs it too, so that it is
  needed in some covered month (it then also shrinks the earlier gap).
* Coverage: after the loop, a month from ``h + R`` on that fell short (a later start's
  departures can push an earlier month under) gets the missing starts ``R`` months before it
  and the loop runs again for the repaired rows only (rows never affect each other); the
  row's repairs after that month are dropped (the greedy pass re-adds what is still needed),
  so a repair never leaves a later one unneeded.
* Capacity gaps: months before ``h + R`` (and after the start) that fall short are reported.
* The horizon: starts happen only in months 0 … T-1, but need continues, so a start in the
  last R months covers the months just after the horizon (the plan looks R months past it).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.structure import FloatArray, IntArray

EPS = 1e-9
MAX_REPAIRS = 50


@dataclass(frozen=True)
class Staffing:
    """People by row (variant x role) and month, months 0 … TE-1."""

    heads: FloatArray  # [B, TE] whole people at the end of the month
    starts: FloatArray  # [B, TE]
    departures: FloatArray  # [B, TE]
    capacity: FloatArray  # [B, TE] ramped capacity in FTE
    reqs_opened: FloatArray  # [B, TE] requisitions opened in each month (for later starts)
    reqs_before: FloatArray  # [B] starts from requisitions open before the plan
    gap: FloatArray  # [B, TE] shortfall (need - capacity) in months no start could cover
    covered_from: IntArray  # [B] first month coverage is required, h + R


def monthly_attrition(annual: FloatArray) -> FloatArray:
    """Return the monthly rate ``1 - (1 - a)**(1/12)`` for an annual attrition a.

    >>> round(float(monthly_attrition(np.array(0.3))), 6)
    0.029286
    """
    return 1.0 - np.power(1.0 - annual, 1.0 / 12.0)


def _project(heads: FloatArray, acc: FloatArray, m: FloatArray, full: IntArray) -> FloatArray:
    """Return each row's heads after ``full`` more months of departures with no more starts.

    The same departures as the month loop of :func:`_run`: the accrual ``acc + heads * m``,
    of which the whole part leaves.  Every row runs to the longest window; a row's heads are
    kept when its own window ends.
    """
    h = heads.copy()
    steps = int(full.max(initial=0))
    if not steps or not _most_departures(heads, acc, m, full).any():
        return h
    out = h.copy()  # rows with no window keep their heads
    ends = set(full.tolist())
    a = acc.copy()
    hm = np.empty_like(h)
    d = np.empty_like(h)
    for k in range(1, steps + 1):
        np.multiply(h, m, out=hm)
        np.add(a, hm, out=d)
        d += EPS
        np.floor(d, out=d)
        np.minimum(d, h, out=d)
        h -= d
        a += hm
        a -= d
        if k in ends:
            np.copyto(out, h, where=full == k)
    return out


def _most_departures(
    heads: FloatArray, acc: FloatArray, m: FloatArray, full: IntArray
) -> FloatArray:
    """Return the most people that can leave in ``full`` months with no starts.

    Departures are the whole part of the accrual ``acc + heads * m`` a month and heads do
    not grow without starts, so at most ``floor(acc + heads * m * full)`` leave (with 2 EPS
    to spare for the order the month loop adds the accrual up in).

    >>> _most_departures(np.array([10.0]), np.array([0.5]), np.array([0.03]), np.array([3]))
    array([1.])
    """
    return np.floor(acc + heads * m * full + 2 * EPS)


def _starts_needed(
    heads: FloatArray, acc: FloatArray, m: FloatArray, full: IntArray, need: FloatArray
) -> FloatArray:
    """Return the fewest starts now that leave at least ``need`` people ``full`` months on.

    When even the most departures the window allows leave ``need`` in every row, no row
    needs a start and none is projected.
    """
    x = np.zeros_like(heads)
    if (heads - _most_departures(heads, acc, m, full) >= need - EPS).all():
        return x
    base = _project(heads, acc, m, full)
    short = np.flatnonzero(base < need - EPS)
    if len(short):
        # Rows are independent: work out the starts of the short rows only.
        x[short] = _fewest(
            heads[short],
            acc[short],
            m[short],
            full[short],
            need[short],
            base[short],
        )
    return x


def _fewest(
    heads: FloatArray,
    acc: FloatArray,
    m: FloatArray,
    full: IntArray,
    need: FloatArray,
    base: FloatArray,
) -> FloatArray:
    """Return the fewest starts (at least 1) for rows whose projection ``base`` is short."""
    survive = np.power(1.0 - m, full)
    x = np.maximum(1.0, np.ceil((need - base) / np.maximum(survive, 1e-6) - EPS))
    # The estimate is exact or close: test x and x - 1 in one call, then settle the rest.
    both = _project(
        np.concatenate([heads + x, heads + x - 1]),
        np.concatenate([acc, acc]),
        np.concatenate([m, m]),
        np.concatenate([full, full]),
    )
    n = len(heads)
    enough, spare = both[:n] >= need - EPS, (x > 0) & (both[n:] >= need - EPS)
    if (enough & ~spare).all():
        return x
    for _ in range(64):
        low = _project(heads + x, acc, m, full) < need - EPS
        if not low.any():
            break
        x = x + low
    for _ in range(64):
        spare = (x > 0) & (_project(heads + x - 1, acc, m, full) >= need - EPS)
        if not spare.any():
            break
        x = x - spare
    return x


def staff(
    need: FloatArray,
    months: int,
    opening: FloatArray,
    attrition: FloatArray,
    ramp: FloatArray,
    full: IntArray,
    lead: IntArray,
    open_reqs: FloatArray,
) -> Staffing:
    """Staff rows of need with whole people (MODEL.md §4).

    Parameters
    ----------
    need : [B, TE] fully ramped FTE needed, TE >= months + max(full).
    months : T, the horizon; starts happen only in months 0 … T-1.
    opening : [B] opening heads, fully ramped.
    attrition : [B] annual attrition.
    ramp : [B, Q] capacity fraction by tenure month (1 from ``full`` on).
    full : [B] months a start needs to reach full capacity, R.
    lead : [B] hiring lead time h in months.
    open_reqs : [B] requisitions already open (they may start before month h).

    >>> s = staff(np.full((1, 6), 2.0), 4, np.array([1.0]), np.zeros(1),
    ...           np.array([[0.5, 1.0]]), np.array([1]), np.array([1]), np.zeros(1))
    >>> s.starts[0].tolist(), s.capacity[0].tolist(), s.gap[0].tolist()
    ([0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.5, 2.0, 2.0, 2.0, 2.0], [1.0, 0.5, 0.0, 0.0, 0.0, 0.0])
    """
    minimum = np.zeros_like(need)
    window = _coverage_window(need.shape[1], months, full, lead)
    result = _run(need, months, opening, attrition, ramp, full, lead, open_reqs, minimum)
    todo = np.arange(len(need))  # rows to (re-)check; rows are independent of each other
    for _ in range(MAX_REPAIRS):
        short = window[todo] & (result.capacity[todo] < need[todo] - EPS)
        todo = todo[short.any(axis=1)]
        if not len(todo):
            break
        # Add the missing starts R months before the first short month of each short row.
        first = short[short.any(axis=1)].argmax(axis=1)
        when = first - full[todo]
        missing = np.ceil(need[todo, first] - result.capacity[todo, first] - EPS)
        # Forget the row's later repairs: they were for departures that this earlier start
        # changes (each backfill speeds up the accrual, so the departure it backfills comes
        # a month sooner and the repairs would creep back a month at a time, each leaving
        # the one after it unneeded).  The greedy pass re-adds any later start still needed.
        later = np.arange(minimum.shape[1])[None, :] > when[:, None]
        minimum[todo] = np.where(later, 0.0, minimum[todo])
        minimum[todo, when] = result.starts[todo, when] + np.maximum(missing, 1.0)
        # Staff again only the rows repaired.
        again = _run(
            need[todo],
            months,
            opening[todo],
            attrition[todo],
            ramp[todo],
            full[todo],
            lead[todo],
            open_reqs[todo],
            minimum[todo],
        )
        result = _merge(result, again, todo)
    covered_from = lead + full
    t = np.arange(need.shape[1])[None, :]
    early = (t < covered_from[:, None]) & (t < months)
    gap = np.where(early, np.maximum(need - result.capacity, 0.0), 0.0)
    gap = np.where(gap > EPS, gap, 0.0)
    return Staffing(
        heads=result.heads,
        starts=result.starts,
        departures=result.departures,
        capacity=result.capacity,
        reqs_opened=result.reqs_opened,
        reqs_before=result.reqs_before,
        gap=gap,
        covered_from=covered_from,
    )


def _merge(into: Staffing, part: Staffing, rows: IntArray) -> Staffing:
    """Return ``into`` with ``rows`` replaced by ``part`` (a run of just those rows)."""
    out = {}
    for name in ("heads", "starts", "departures", "capacity", "reqs_opened", "reqs_before"):
        values = getattr(into, name).copy()
        values[rows] = getattr(part, name)
        out[name] = values
    return Staffing(**out, gap=into.gap, covered_from=into.covered_from)


def _coverage_window(extended: int, months: int, full: IntArray, lead: IntArray) -> np.ndarray:
    t = np.arange(extended)[None, :]
    return (t >= (lead + full)[:, None]) & (t <= (months - 1 + full)[:, None])


def _run(
    need: FloatArray,
    months: int,
    opening: FloatArray,
    attrition: FloatArray,
    ramp: FloatArray,
    full: IntArray,
    lead: IntArray,
    open_reqs: FloatArray,
    minimum: FloatArray,
) -> Staffing:
    B, TE = need.shape
    Q = ramp.shape[1]
    m = monthly_attrition(attrition)
    pool = opening.astype(np.float64).copy()
    coh = np.zeros((B, Q))
    acc = np.zeros(B)
    open_left = open_reqs.astype(np.float64).copy()
    heads_prev = pool.copy()
    # Month-major [TE, B] while filling (a month is one contiguous row), transposed at the end.
    out = {k: np.zeros((TE, B)) for k in ("heads", "starts", "departures", "capacity", "new")}
    reqs_before = np.zeros(B)
    # Ageing moves cohorts one column right into tenure 0 … Q; every cohort that reaches full
    # capacity there joins the pool.  The extra column matters when Q = 1 (every ramp is 0):
    # shifting within Q columns would drop the month's starts off the end of the array.
    graduate = (np.arange(Q + 1)[None, :] >= full[:, None]).astype(np.float64)
    # Need R months ahead of each month (the month a start then is fully ramped), month-major.
    ahead = np.take_along_axis(
        need, np.minimum(np.arange(TE)[None, :] + full[:, None], TE - 1), axis=1
    ).T.copy()
    rows = np.arange(B)
    last_lead = int(lead.max(initial=0))
    open_any = bool((open_left > 0).any())
    for t in range(TE):
        # 1. departures, longest-serving first
        acc = acc + heads_prev * m
        d = np.minimum(np.floor(acc + EPS), heads_prev)
        acc = acc - d
        take = np.minimum(d, pool)
        pool = pool - take
        if (d > take).any():
            # The rest leave from the oldest ramping cohort down (longest-serving first).
            oldest_first = np.cumsum(coh[:, ::-1], axis=1)
            gone = np.minimum(oldest_first, (d - take)[:, None])
            coh -= np.diff(gone, axis=1, prepend=0.0)[:, ::-1]
        out["departures"][t] = d
        # 2. starts (months = 0 replays the starts given in ``minimum``)
        if t < months:
            heads = pool + np.einsum("bq->b", coh)
            target = ahead[t]
            x = _starts_needed(heads, acc, m, full, target)
            if t >= last_lead and not open_any:
                # Every row is past its lead time and no requisition is left open: each start
                # is on a new requisition (what the general case below comes to, quicker).
                x = np.maximum(x, minimum[:, t])
                out["new"][t] = x
            else:
                early = (t < lead) & (open_left > 0)
                if early.any():
                    # Before month h only declared open requisitions start, and only as many
                    # as month h + R (the first covered month) still needs: a start that would
                    # only shrink an earlier gap would be needed in no covered month (§4).
                    first = lead + full
                    keep = _starts_needed(
                        heads, acc, m, first - t, need[rows, np.minimum(first, TE - 1)]
                    )
                    x = np.where(early, np.minimum(x, keep), x)
                allowed = np.where(t >= lead, np.inf, open_left)
                x = np.maximum(np.minimum(x, allowed), minimum[:, t])
                from_open = np.minimum(x, open_left)
                open_left = open_left - from_open
                open_any = bool((open_left > 0).any())
                reqs_before += from_open
                # Starts on new requisitions: opened ``lead`` months before (placed after the
                # loop), or before the plan when that month is before month 0.
                new_reqs = x - from_open
                ok = t >= lead
                out["new"][t] = np.where(ok, new_reqs, 0.0)
                reqs_before += np.where(ok, 0.0, new_reqs)
            coh[:, 0] += x
            out["starts"][t] = x
        else:
            coh[:, 0] += minimum[:, t]
            out["starts"][t] = minimum[:, t]
        # 3. capacity and heads at month end
        out["capacity"][t] = pool + np.einsum("bq,bq->b", coh, ramp)
        heads_prev = pool + np.einsum("bq->b", coh)
        out["heads"][t] = heads_prev
        # 4. a month of tenure; cohorts at full capacity join the pool
        aged = np.concatenate([np.zeros((B, 1)), coh], axis=1)
        pool = pool + np.einsum("bq,bq->b", aged, graduate)
        coh = np.where(graduate > 0, 0.0, aged)[:, :Q]
    # A requisition opens ``lead`` months before its start: move each row's new ones back.
    # reqs[b, t] = new[b, t + lead_b]: the starts ``lead`` months after the requisition.
    start_month = np.arange(TE)[None, :] + lead[:, None]
    later = np.take_along_axis(out["new"].T, np.minimum(start_month, TE - 1), axis=1)
    reqs = np.where(start_month < TE, later, 0.0)
    return Staffing(
        heads=out["heads"].T.copy(),
        starts=out["starts"].T.copy(),
        departures=out["departures"].T.copy(),
        capacity=out["capacity"].T.copy(),
        reqs_opened=reqs,
        reqs_before=reqs_before,
        gap=np.zeros((B, TE)),
        covered_from=lead + full,
    )


def forward(
    starts: FloatArray,
    opening: FloatArray,
    attrition: FloatArray,
    ramp: FloatArray,
    full: IntArray,
) -> tuple[FloatArray, FloatArray]:
    """Return heads and ramped capacity [B, TE] for a fixed schedule of starts.

    Used by simulation, where the hiring plan is held fixed and the departures follow the
    drawn attrition.  Same rules as :func:`staff`.
    """
    B, TE = starts.shape
    zero = np.zeros(B)
    never = np.full(B, TE, dtype=np.int64)
    result = _run(starts, 0, opening, attrition, ramp, full, never, zero, starts)
    return result.heads, result.capacity
