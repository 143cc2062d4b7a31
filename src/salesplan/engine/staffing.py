"""Staffing (docs/model.md §4): whole people, ramp, attrition, hiring lead time, requisitions.

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

What it costs
-------------
For one plan (a few rows) an evaluation costs numpy's per-call overhead, a microsecond or
so a call, not the rows; for a batch of thousands it costs the rows.  So the month loop
makes as few calls as it can: a cheap bound skips the projection in months no row can need
a start; for up to ``FEW_ROWS`` rows the projection of no starts and of the candidate starts
is one call (:func:`_fewest_guessed`); for more rows no starts are projected first, then the
candidates of the short rows only (:func:`_fewest`).  Both ways find the same starts
(tested), so a batch equals its variants run one by one.  Months after every start has
ramped skip the cohort arithmetic.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from salesplan.engine.structure import EPS, FloatArray, IntArray

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


@dataclass(frozen=True)
class Opening:
    """The state rows open in beyond their heads (docs/model.md §4, "The opening state").

    A new plan opens with every head fully ramped, nothing accrued and undated requisitions;
    a plan that starts part-way (a reforecast) opens where the months before left it.
    """

    ramping: FloatArray  # [B, Q] opening heads still ramping, by tenure in month 0
    accrued: FloatArray  # [B] the part of the next departure already accrued
    dated: FloatArray  # [B, TE] requisitions open by the month their hire starts

    def rows(self, idx: IntArray) -> Opening:
        """Return the opening state of rows ``idx`` only."""
        return Opening(self.ramping[idx], self.accrued[idx], self.dated[idx])


def monthly_attrition(annual: FloatArray) -> FloatArray:
    """Return the monthly rate ``1 - (1 - a)**(1/12)`` for an annual attrition a.

    >>> round(float(monthly_attrition(np.array(0.3))), 6)
    0.029286
    """
    return 1.0 - np.power(1.0 - annual, 1.0 / 12.0)


@dataclass(frozen=True)
class _Window:
    """Rows' monthly attrition and look-ahead (``full`` months), with what projections over
    the look-ahead reuse month after month."""

    m: FloatArray  # [n] monthly attrition
    full: IntArray  # [n] months to look ahead
    m_full: FloatArray  # [n] m * full: the departure bound's accrual rate
    survive: FloatArray  # [n] (1 - m) ** full, at least 1e-6: the share of starts still there
    steps: int  # the longest look-ahead
    ends: tuple[tuple[int, np.ndarray], ...]  # (k, rows whose look-ahead is k months)
    # m and EPS as whole arrays of a projection's shape (a ufunc on equal shapes is quicker
    # than one that broadcasts), made on first use.
    _wide: dict[tuple[int, ...], tuple[FloatArray, FloatArray]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @classmethod
    def of(cls, m: FloatArray, full: IntArray) -> _Window:
        """Return the window of rows with monthly attrition ``m`` looking ``full`` ahead."""
        ends = tuple((k, full == k) for k in sorted(set(full.tolist())) if k > 0)
        return cls(
            m=m,
            full=full,
            m_full=m * full,
            survive=np.maximum(np.power(1.0 - m, full), 1e-6),
            steps=int(full.max(initial=0)),
            ends=ends,
        )

    def wide(self, shape: tuple[int, ...]) -> tuple[FloatArray, FloatArray]:
        """Return ``m`` and EPS as arrays of ``shape`` (rows on the last axis)."""
        if shape not in self._wide:
            self._wide[shape] = (np.broadcast_to(self.m, shape).copy(), np.full(shape, EPS))
        return self._wide[shape]

    def rows(self, idx: IntArray) -> _Window:
        """Return the window of rows ``idx`` only."""
        return _Window.of(self.m[idx], self.full[idx])


def _project(heads: FloatArray, acc: FloatArray, w: _Window, check: bool = True) -> FloatArray:
    """Return each row's heads after ``w.full`` more months of departures with no more
    starts.

    The same departures as the month loop of :func:`_run`: the accrual ``acc + heads * m``,
    of which the whole part leaves.  Every row runs to the longest window; a row's heads are
    kept when its own window ends.  ``heads`` may be [k, n] (k candidates for each of n
    rows).  ``check=False`` skips the test for rows no departure can reach (for a caller
    that has just made it).
    """
    h = heads.copy()
    if not w.steps or (check and not np.count_nonzero(_most_departures(heads, acc, w.m_full))):
        return h
    out = h.copy()  # rows with no window keep their heads
    a = np.empty_like(h)
    a[...] = acc
    hm = np.empty_like(h)
    d = np.empty_like(h)
    m, eps = w.wide(h.shape)
    ends = iter(w.ends)
    end, rows = next(ends)
    for k in range(1, w.steps + 1):
        np.multiply(h, m, out=hm)
        a += hm
        np.add(a, eps, out=d)
        np.floor(d, out=d)
        np.minimum(d, h, out=d)
        h -= d
        a -= d
        if k == end:
            np.copyto(out, h, where=rows)
            end, rows = next(ends, (0, rows))
    return out


def _most_departures(heads: FloatArray, acc: FloatArray, m_full: FloatArray) -> FloatArray:
    """Return the most people that can leave in ``full`` months with no starts.

    ``m_full`` is the monthly attrition times the window, ``m * full``.  Departures are the
    whole part of the accrual ``acc + heads * m`` a month and heads do not grow without
    starts, so at most ``floor(acc + heads * m * full)`` leave (with 2 EPS to spare for the
    order the month loop adds the accrual up in).

    >>> _most_departures(np.array([10.0]), np.array([0.5]), np.array([0.03 * 3]))
    array([1.])
    """
    return np.floor(acc + heads * m_full + 2 * EPS)


def _starts_needed(
    heads: FloatArray, acc: FloatArray, w: _Window, need: FloatArray
) -> FloatArray | None:
    """Return the fewest starts now that leave at least ``need`` people ``w.full`` months
    on, or None when no row needs one.

    When even the most departures the window allows leave ``need`` in every row, no row
    needs a start and none is projected.
    """
    need_eps = need - EPS  # the tolerance every comparison with need takes
    most = _most_departures(heads, acc, w.m_full)
    if np.count_nonzero(heads - most < need_eps) == 0:
        return None
    if len(heads) <= FEW_ROWS:
        return _fewest_guessed(heads, acc, w, need, need_eps, most)
    base = _project(heads, acc, w, check=False)
    short = np.flatnonzero(base < need_eps)
    if not len(short):
        return None
    x = np.zeros_like(heads)
    # Rows are independent: work out the starts of the short rows only.
    x[short] = _fewest(heads[short], acc[short], w.rows(short), need[short], base[short])
    return x


def _fewest_guessed(
    heads: FloatArray,
    acc: FloatArray,
    w: _Window,
    need: FloatArray,
    need_eps: FloatArray,
    most: FloatArray,
) -> FloatArray | None:
    """Return what :func:`_starts_needed` returns for many rows, in one projection as a
    rule: for a few rows a projection costs numpy's per-call overhead, not the rows.

    The many-rows way projects no starts (the base), estimates the starts ``x`` from the base
    and tests ``x`` and ``x - 1``, then settles a wrong estimate a start at a time
    (:func:`_fewest`).  Here the base is guessed instead: the most departures leave, or one
    fewer does (one of the two for ordinary attrition; with heavy attrition and long ramps
    the bound overshoots more and rows fall back, which costs only time).  No starts and
    ``x - 2 … x + 1`` for each guessed ``x`` are projected together.  A row whose real base
    gives a guessed ``x`` and whose settling stays within those candidates takes the same
    steps as :func:`_settle` on them; the rest go the many-rows way.

    Both ways give the same starts, so a batch equals its variants run one by one, even where
    floor() makes more starts now leave fewer people later, because: both compute ``x`` with
    the same :func:`_estimate` from a bit-identical base (a different estimate can settle on
    a different answer there); :func:`_settle` treats rows independently (its caps count
    rounds, not a row's steps, and a row settled here moves at most one step); and people are
    whole numbers well below 2**53, so ``heads + x - 1`` is exact.
    """
    guesses = _estimate(need, heads - most + _FEWER, w.survive)  # [2, 1, n]
    tried = np.maximum(guesses + _AROUND, 0.0).reshape(-1, len(heads))  # [8, n]
    none = np.zeros((1, len(heads)))
    projected = _project(heads + np.concatenate([none, tried]), acc, w, check=False)
    base = projected[0]
    short = base < need_eps
    if not np.count_nonzero(short):
        return None
    x = _estimate(need, base, w.survive)
    first = x == guesses[0, 0]
    at_least = projected[1:] >= need_eps
    # x - 2, x - 1, x, x + 1 for the guess that was right (if either was)
    a2, a1, a0, b1 = np.where(first, at_least[:4], at_least[4:])
    # Settling goes up while short (x + 1 is tried), then down while one fewer is still
    # enough (x - 1 and x - 2 are tried, not x - 3).  For a short row no start is short, so
    # where x - 1 or x - 2 is no start, it is not enough.
    settled = (first | (x == guesses[1, 0])) & (a0 | b1) & ~(a0 & a1 & a2)
    x = np.where(short, x + ~a0 - (a0 & a1), 0.0)
    rest = np.flatnonzero(short & ~settled)
    if len(rest):
        x[rest] = _fewest(heads[rest], acc[rest], w.rows(rest), need[rest], base[rest])
    return x


# What _fewest_guessed tries: the base if the most departures leave and if one fewer does,
# the starts around each base's estimate, and no starts.
_FEWER = np.array([[[0.0]], [[1.0]]])
_AROUND = np.array([[-2.0], [-1.0], [0.0], [1.0]])
FEW_ROWS = 64  # the most rows for which _fewest_guessed is used


def _estimate(need: FloatArray, base: FloatArray, survive: FloatArray) -> FloatArray:
    """Return the estimated starts (at least 1) for a row whose projection ``base`` is short:
    the shortfall over the share of starts still there at the window's end."""
    return np.maximum(1.0, np.ceil((need - base) / survive - EPS))


def _fewest(
    heads: FloatArray, acc: FloatArray, w: _Window, need: FloatArray, base: FloatArray
) -> FloatArray:
    """Return the fewest starts (at least 1) for rows whose projection ``base`` is short."""
    need_eps = need - EPS
    x = _estimate(need, base, w.survive)
    # The estimate is exact or close: test x and x - 1 in one call, then settle the rest.
    both = _project(np.stack([heads + x, heads + x - 1]), acc, w)
    enough, spare = both[0] >= need_eps, both[1] >= need_eps
    if (enough & ~spare).all():
        return x
    return _settle(heads, acc, w, need_eps, x)


def _settle(
    heads: FloatArray, acc: FloatArray, w: _Window, need_eps: FloatArray, x: FloatArray
) -> FloatArray:
    """Return the fewest starts from a guess ``x``: add starts while the projection is
    short, then take them away while one fewer is still enough."""
    for _ in range(64):
        low = _project(heads + x, acc, w) < need_eps
        if not low.any():
            break
        x = x + low
    for _ in range(64):
        spare = (x > 0) & (_project(heads + x - 1, acc, w) >= need_eps)
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
    state: Opening | None = None,
) -> Staffing:
    """Staff rows of need with whole people (docs/model.md §4).

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
    state : heads still ramping, departures accrued and dated requisitions at the start
        (None: a new plan, where there are none).

    >>> s = staff(np.full((1, 6), 2.0), 4, np.array([1.0]), np.zeros(1),
    ...           np.array([[0.5, 1.0]]), np.array([1]), np.array([1]), np.zeros(1))
    >>> s.starts[0].tolist(), s.capacity[0].tolist(), s.gap[0].tolist()
    ([0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.5, 2.0, 2.0, 2.0, 2.0], [1.0, 0.5, 0.0, 0.0, 0.0, 0.0])
    """
    minimum = np.zeros_like(need)
    window = _coverage_window(need.shape[1], months, full, lead)
    result = _run(need, months, opening, attrition, ramp, full, lead, open_reqs, minimum, state)
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
            None if state is None else state.rows(todo),
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
    state: Opening | None = None,
) -> Staffing:
    B, TE = need.shape
    Q = ramp.shape[1]
    if int(full.max(initial=0)) > Q:
        # The cohort arithmetic below indexes tenure R - 1 in each row's Q columns.
        raise ValueError("a ramp has fewer columns than its months to full capacity")
    m = monthly_attrition(attrition)
    window = _Window.of(m, full)
    pool = opening.astype(np.float64).copy()
    coh = np.zeros((B, Q))  # ramping cohorts by tenure month; C order, updated in place
    acc = np.zeros(B)
    last_start = -Q  # no one is ramping at the start
    committed: FloatArray | None = None  # starts on requisitions dated before the plan
    if state is not None:
        # Opening heads of a tenure below the row's ramp are still ramping; the rest are
        # fully ramped and join the pool.
        young = np.arange(Q)[None, :] < full[:, None]
        if np.count_nonzero(state.ramping * young):
            coh = np.ascontiguousarray(np.where(young, state.ramping, 0.0))
            pool -= coh.sum(axis=1)
            last_start = -1
        acc = state.accrued.astype(np.float64).copy()
        if np.count_nonzero(state.dated[:, :months]):
            committed = state.dated
    open_left = open_reqs.astype(np.float64).copy()
    heads_prev = opening.astype(np.float64).copy()
    # Month-major [TE, B] while filling (a month is one contiguous row), transposed at the end.
    out = {k: np.zeros((TE, B)) for k in ("heads", "starts", "departures", "capacity", "new")}
    reqs_before = np.zeros(B)
    # Need R months ahead of each month (the month a start then is fully ramped), month-major.
    ahead = np.take_along_axis(
        need, np.minimum(np.arange(TE)[None, :] + full[:, None], TE - 1), axis=1
    ).T.copy()
    rows = np.arange(B)
    # The cohort that reaches full capacity at the month's end: tenure R - 1 (the month's own
    # starts when R = 0), as a flat index into ``coh``.
    graduating = rows * Q + np.maximum(full - 1, 0)
    last_lead = int(lead.max(initial=0))
    open_any = bool((open_left > 0).any())
    replay = bool(minimum.any())
    eps = np.full(B, EPS)
    hm = np.empty(B)
    capacity = np.empty(B)
    heads_out, starts_out, new_out = out["heads"], out["starts"], out["new"]
    departures_out, capacity_out = out["departures"], out["capacity"]
    for t in range(TE):
        # 1. departures, longest-serving first (people are whole: sums of heads are exact)
        np.multiply(heads_prev, m, out=hm)
        acc += hm
        d = departures_out[t]
        np.add(acc, eps, out=d)
        np.floor(d, out=d)
        np.minimum(d, heads_prev, out=d)
        if not np.count_nonzero(d):
            heads = heads_out[t]
            heads[:] = heads_prev
        else:
            acc -= d
            if np.count_nonzero(d > pool):
                take = np.minimum(d, pool)
                pool -= take
                # The rest leave from the oldest ramping cohort down (longest-serving first).
                oldest_first = np.cumsum(coh[:, ::-1], axis=1)
                gone = np.minimum(oldest_first, (d - take)[:, None])
                coh -= np.diff(gone, axis=1, prepend=0.0)[:, ::-1]
            else:
                pool -= d
            heads = np.subtract(heads_prev, d, out=heads_out[t])
        # 2. starts (months = 0 replays the starts given in ``minimum``)
        x: FloatArray | None = None
        if t < months:
            x = _starts_needed(heads, acc, window, ahead[t])
            if t >= last_lead and not open_any:
                # Every row is past its lead time and no requisition is left open: each start
                # is on a new requisition (what the general case below comes to, quicker).
                if replay:
                    x = minimum[:, t] if x is None else np.maximum(x, minimum[:, t])
                if committed is not None and np.count_nonzero(committed[:, t]):
                    # Dated requisitions start in their month: they count towards the starts
                    # the month needs, and they were opened before the plan.
                    c = committed[:, t]
                    x = c if x is None else np.maximum(x, c)
                    reqs_before += c
                    new_out[t] = x - c
                elif x is not None:
                    new_out[t] = x
            else:
                if x is None:
                    x = np.zeros(B)
                early = (t < lead) & (open_left > 0)
                if early.any():
                    # Before month h only declared open requisitions start, and only as many
                    # as month h + R (the first covered month) still needs: a start that would
                    # only shrink an earlier gap would be needed in no covered month (§4).
                    first = lead + full
                    keep = _starts_needed(
                        heads,
                        acc,
                        _Window.of(m, first - t),
                        need[rows, np.minimum(first, TE - 1)],
                    )
                    x = np.where(early, 0.0 if keep is None else np.minimum(x, keep), x)
                allowed = np.where(t >= lead, np.inf, open_left)
                x = np.maximum(np.minimum(x, allowed), minimum[:, t])
                # Dated requisitions start in their month, counting towards what the month
                # needs; what it needs beyond them comes from undated ones, then new ones.
                c = np.zeros(B) if committed is None else committed[:, t]
                x = np.maximum(x, c)
                reqs_before += c
                from_open = np.minimum(x - c, open_left)
                open_left = open_left - from_open
                open_any = bool((open_left > 0).any())
                reqs_before += from_open
                # Starts on new requisitions: opened ``lead`` months before (placed after the
                # loop), or before the plan when that month is before month 0.
                new_reqs = x - c - from_open
                ok = t >= lead
                new_out[t] = np.where(ok, new_reqs, 0.0)
                reqs_before += np.where(ok, 0.0, new_reqs)
        elif replay:
            x = minimum[:, t]
        if x is not None:
            coh[:, 0] += x
            starts_out[t] = x
            heads += x
            last_start = t
        # 3. capacity at month end; 4. a month of tenure, and the cohort at full capacity
        # joins the pool.  Q months after the last start every start has joined the pool.
        heads_prev = heads
        if t - last_start >= Q:
            capacity_out[t] = pool
            continue
        np.vecdot(coh, ramp, out=capacity)
        np.add(pool, capacity, out=capacity_out[t])
        pool += coh.take(graduating)
        coh.put(graduating, 0.0)
        coh[:, 1:] = coh[:, :-1]
        coh[:, 0] = 0.0
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
    state: Opening | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Return heads and ramped capacity [B, TE] for a fixed schedule of starts.

    Used by simulation, where the hiring plan is held fixed and the departures follow the
    drawn attrition.  Same rules as :func:`staff`, from the same opening state (its dated
    requisitions are among the starts given).
    """
    B, TE = starts.shape
    zero = np.zeros(B)
    never = np.full(B, TE, dtype=np.int64)
    result = _run(starts, 0, opening, attrition, ramp, full, never, zero, starts, state)
    return result.heads, result.capacity
