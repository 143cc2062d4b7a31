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

Hiring limits (docs/model.md §14)
---------------------------------
With :class:`Limits` (a cap on starts a month, and on the share of heads still ramping),
the month loop starts ``min(wanted, cap)``; a month that the capped starts leave short is
repaired like any other, but its missing starts go to the *latest* months before it that
still have room under the caps (from ``s = t - R`` back to the lead time), never later than
§4 would place them.  What no month can take is given up: the month stays short and is
reported as a gap (``bound`` says which cap held starts back where).  Without limits none of
this runs, so an uncapped plan is §4's to the last bit.

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

from dataclasses import dataclass, field, replace

import numpy as np

from salesplan.engine.structure import EPS, BoolArray, FloatArray, IntArray

MAX_REPAIRS = 50

# Which cap held starts back (bits of ``Staffing.bound``; docs/model.md §14).
CAP_ROLE = 1  # the role's max_starts_per_month
CAP_ORG = 2  # hiring.max_starts_per_month, shared by every role
CAP_RECRUITING = 4  # the recruiters' capacity (hiring.recruiting_capacity)
CAP_RAMPING = 8  # the role's max_ramping_share
CAP_INDIRECT = 16  # (gaps only) caps on other roles moved the work this role follows


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
    bound: IntArray  # [B, TE] CAP_* bits of the caps that held starts back in each month


@dataclass(frozen=True)
class Limits:
    """Caps on the starts of rows (docs/model.md §14)."""

    cap: FloatArray  # [B, TE] most starts in a month (inf: none)
    code: IntArray  # [B, TE] the CAP_* bit of the cap that sets ``cap`` (0: none)
    ramping: FloatArray  # [B] most share of heads still ramping (1: none)

    def rows(self, idx: IntArray) -> Limits:
        """Return the limits of rows ``idx`` only."""
        return Limits(self.cap[idx], self.code[idx], self.ramping[idx])


@dataclass(frozen=True)
class Opening:
    """The state rows open in beyond their heads (docs/model.md §15, "The opening state").

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
    # A row of more people than UNSETTLED keeps its estimate: its plan is far outside any
    # company (SP302 refuses it), and a count that large is not exact to one person.
    exact = heads + x < UNSETTLED
    for _ in range(64):
        low = exact & (_project(heads + x, acc, w) < need_eps)
        if not low.any():
            break
        x = x + low
    for _ in range(64):
        spare = exact & (x > 0) & (_project(heads + x - 1, acc, w) >= need_eps)
        if not spare.any():
            break
        x = x - spare
    return x


UNSETTLED = 1e12  # people beyond which a count's projection is not settled person by person


def staff(
    need: FloatArray,
    months: int,
    opening: FloatArray,
    attrition: FloatArray,
    ramp: FloatArray,
    full: IntArray,
    lead: IntArray,
    open_reqs: FloatArray,
    limits: Limits | None = None,
    state: Opening | None = None,
) -> Staffing:
    """Staff rows of need with whole people (docs/model.md §4), within ``limits`` (§14).

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
    limits : caps on the starts (:class:`Limits`); none: §4 exactly.
    state : heads still ramping, departures accrued and dated requisitions at the start
        (None: a new plan, where there are none; §15).

    >>> s = staff(np.full((1, 6), 2.0), 4, np.array([1.0]), np.zeros(1),
    ...           np.array([[0.5, 1.0]]), np.array([1]), np.array([1]), np.zeros(1))
    >>> s.starts[0].tolist(), s.capacity[0].tolist(), s.gap[0].tolist()
    ([0.0, 1.0, 0.0, 0.0, 0.0, 0.0], [1.0, 1.5, 2.0, 2.0, 2.0, 2.0], [1.0, 0.5, 0.0, 0.0, 0.0, 0.0])

    A cap of 2 starts a month against a need that jumps from 2 to 8 in month 4 (no ramp):
    6 are needed by month 4 and 2 fit in it, so 2 more start in month 3 and 2 in month 2.

    >>> cap = Limits(np.full((1, 7), 2.0), np.ones((1, 7), dtype=np.int64), np.ones(1))
    >>> s = staff(np.array([[2.0] * 4 + [8.0] * 3]), 6, np.array([2.0]), np.zeros(1),
    ...           np.ones((1, 1)), np.array([0]), np.array([0]), np.zeros(1), cap)
    >>> s.starts[0].tolist(), s.gap[0].tolist()
    ([0.0, 0.0, 2.0, 2.0, 2.0, 0.0, 0.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0])
    """
    args = (months, opening, attrition, ramp, full, lead, open_reqs)
    if limits is None:
        return _staff_free(need, *args, state)
    # Staff as §4 would; the rows whose starts break a cap are staffed again within them.
    plain = _staff_free(need, *args, state)
    ramping = None if state is None else state.ramping
    over = np.flatnonzero(
        over_caps(
            plain.starts, plain.departures, plain.heads, limits, months, opening, full, ramping
        )
    )
    if not len(over):
        return plain
    capped = _staff_capped(
        need[over],
        months,
        opening[over],
        attrition[over],
        ramp[over],
        full[over],
        lead[over],
        open_reqs[over],
        limits.rows(over),
        plain.starts[over],
        None if state is None else state.rows(over),
    )
    return _merge(plain, capped, over, every=True)


def over_caps(
    starts: FloatArray,
    departures: FloatArray,
    heads: FloatArray,
    limits: Limits,
    months: int,
    opening: FloatArray,
    full: IntArray,
    opening_ramping: FloatArray | None = None,
) -> BoolArray:
    """Return [B] whether a row's starts [B, TE] break one of its caps: more starts in a
    month than its cap, or more people still ramping after a month's starts than its
    share of heads allows (``opening_ramping`` [B, Q]: the opening heads still ramping)."""
    over: BoolArray = np.asarray((starts[:, :months] > limits.cap[:, :months] + EPS).any(axis=1))
    ramping = limits.ramping < 1
    if ramping.any():
        still = still_ramping(starts, departures, opening, full, opening_ramping)
        allowed = np.maximum(1.0, limits.ramping[:, None] * heads)
        over |= ramping & ((starts > 0) & (still > allowed + EPS)).any(axis=1)
    return over


def _staff_free(
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
    """Staff rows of need with no caps (§4), as :func:`staff` does."""
    minimum = np.zeros_like(need)
    window = _coverage_window(need.shape[1], months, full, lead)
    result, _ = _run(
        need, months, opening, attrition, ramp, full, lead, open_reqs, minimum, None, state
    )
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
        again, _ = _run(
            need[todo],
            months,
            opening[todo],
            attrition[todo],
            ramp[todo],
            full[todo],
            lead[todo],
            open_reqs[todo],
            minimum[todo],
            None,
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
        bound=result.bound,
    )


def _staff_capped(
    need: FloatArray,
    months: int,
    opening: FloatArray,
    attrition: FloatArray,
    ramp: FloatArray,
    full: IntArray,
    lead: IntArray,
    open_reqs: FloatArray,
    limits: Limits,
    wanted: FloatArray,
    state: Opening | None = None,
) -> Staffing:
    """Staff rows within caps on their starts: :func:`staff`'s repairs, placed at the latest
    months with room under the caps (docs/model.md §14).

    First the unconstrained plan's starts (``wanted``), where a month has more than
    its cap, move to the latest earlier months with room (:func:`moved_earlier`): those
    months start at least that many.  Then the month loop runs within the caps, and a short
    month ``f`` of the coverage window gets its missing starts by ``f - R``: at ``f - R`` as
    far as the cap there allows, the rest in the month before, and so on back to the lead
    time.  Starts no month can take are given up: ``f`` stays short and is a gap, and the
    months that were full add their cap to ``bound``; so is a month whose repair added no
    capacity (the share still ramping held the starts back after all).  The repairs made
    for later months are forgotten, as in :func:`staff`, and the greedy pass re-adds what
    is still needed.
    """
    B, TE = need.shape
    moved = moved_earlier(wanted, limits.cap, lead, months)
    minimum = np.where(moved > wanted, moved, 0.0)
    # The caps that held starts back: where the unconstrained plan wanted more than the cap,
    # where the capped plan's own pass did, and where a short month found no room.
    held = np.where(wanted > limits.cap + EPS, limits.code, 0)
    window = _coverage_window(TE, months, full, lead)
    given_up = np.zeros((B, TE), dtype=bool)
    # The month each repair start is for (-1: moved earlier from the unconstrained plan).
    served = np.full((B, TE), -1)
    args = (months, opening, attrition, ramp, full, lead, open_reqs)
    result, allowed = _run(need, *args, minimum, limits, state)
    assert allowed is not None  # a run with limits says what they allowed
    t = np.arange(TE)[None, :]
    todo = np.arange(B)
    for _ in range(MAX_REPAIRS):
        short = window[todo] & (result.capacity[todo] < need[todo] - EPS) & ~given_up[todo]
        keep = short.any(axis=1)
        todo, short = todo[keep], short[keep]
        if not len(todo):
            break
        first = short.argmax(axis=1)
        when = first - full[todo]
        missing = np.maximum(np.ceil(need[todo, first] - result.capacity[todo, first] - EPS), 1.0)
        # Room under the caps in months lead … when, at most what is missing in any month.
        months_open = (t >= lead[todo][:, None]) & (t <= when[:, None])
        room = np.maximum(allowed[todo] - result.starts[todo], 0.0)
        room = np.where(months_open, np.minimum(room, missing[:, None]), 0.0)
        # Fill from ``when`` backwards: a month takes what the later months left over.
        later_first = room[:, ::-1]
        before = np.cumsum(later_first, axis=1) - later_first
        take = np.clip(missing[:, None] - before, 0.0, later_first)[:, ::-1]
        left = missing - take.sum(axis=1)
        out_of_room = left > EPS
        if out_of_room.any():
            rows = todo[out_of_room]
            given_up[rows, first[out_of_room]] = True
            full_months = months_open[out_of_room] & (room[out_of_room] <= EPS)
            held[rows] |= np.where(full_months, limits.code[rows] | result.bound[rows], 0)
        placed = take.sum(axis=1) > 0
        if not placed.any():
            continue
        rows, take, aim = todo[placed], take[placed], first[placed]
        # Forget the repairs for later months (this one changes what they were for), and
        # keep those for this month and earlier ones.
        later = served[rows] > aim[:, None]
        minimum[rows] = np.where(later, 0.0, minimum[rows])
        served[rows] = np.where(later, -1, served[rows])
        minimum[rows] = np.where(take > 0, result.starts[rows] + take, minimum[rows])
        served[rows] = np.where(take > 0, aim[:, None], served[rows])
        before_repair = result.capacity[rows, aim]
        again, again_allowed = _run(
            need[rows],
            months,
            opening[rows],
            attrition[rows],
            ramp[rows],
            full[rows],
            lead[rows],
            open_reqs[rows],
            minimum[rows],
            limits.rows(rows),
            None if state is None else state.rows(rows),
        )
        result = _merge(result, again, rows)
        assert again_allowed is not None
        allowed[rows] = again_allowed
        stuck = result.capacity[rows, aim] <= before_repair + EPS
        given_up[rows[stuck], aim[stuck]] = True
    covered_from = lead + full
    tt = np.arange(TE)[None, :]
    early = (tt < covered_from[:, None]) & (tt < months)
    # Months of the window that the caps leave short are gaps too (their cause is a cap).
    late = window & (tt < months) & (result.capacity < need - EPS)
    gap = np.where(early | late, np.maximum(need - result.capacity, 0.0), 0.0)
    gap = np.where(gap > EPS, gap, 0.0)
    return replace(result, gap=gap, covered_from=covered_from, bound=result.bound | held)


def moved_earlier(wanted: FloatArray, cap: FloatArray, lead: IntArray, months: int) -> FloatArray:
    """Return ``wanted`` starts with what a month has above its cap moved to the latest
    earlier months with room, from the lead time on (what does not fit is left out).

    >>> moved_earlier(np.array([[0.0, 1.0, 0.0, 6.0, 1.0]]), np.full((1, 5), 2.0),
    ...               np.array([1]), 5).tolist()
    [[0.0, 2.0, 2.0, 2.0, 1.0]]
    """
    out = np.zeros_like(wanted)
    carry = np.zeros(len(wanted))
    for t in range(min(months, wanted.shape[1]) - 1, -1, -1):
        # Before the lead time only open requisitions start: nothing moves there.
        carry = np.where(t >= lead, carry + wanted[:, t], wanted[:, t])
        out[:, t] = np.minimum(carry, cap[:, t])
        carry = np.where(t >= lead, carry - out[:, t], 0.0)
    return out


def _merge(into: Staffing, part: Staffing, rows: IntArray, *, every: bool = False) -> Staffing:
    """Return ``into`` with ``rows`` replaced by ``part`` (a run of just those rows); the gaps
    and the first covered month too when ``every``."""
    out = {}
    names = ["heads", "starts", "departures", "capacity", "reqs_opened", "reqs_before", "bound"]
    if every:
        names += ["gap", "covered_from"]
    for name in names:
        values = getattr(into, name).copy()
        values[rows] = getattr(part, name)
        out[name] = values
    if not every:
        out |= {"gap": into.gap, "covered_from": into.covered_from}
    return Staffing(**out)


def ramping_allowance(
    heads: FloatArray, ramping: FloatArray, share: FloatArray, full: IntArray
) -> FloatArray:
    """Return the most starts that keep the share of heads still ramping within ``share``.

    Notes
    -----
    With ``h`` heads and ``r`` of them still ramping before the month's starts, ``x`` starts
    keep ``r + x <= max(1, share (h + x))``: at least one person may always ramp (a role
    is started from nobody), else ``x <= (share h - r) / (1 - share)``.  No cap for
    ``share >= 1`` or a role with no ramp (``R = 0``: nobody is ever ramping).  The share
    is held in the months people start; a later departure of a ramped person may raise it
    (nobody is let go to restore it).

    >>> ramping_allowance(np.array([12.0, 2.0, 12.0]), np.array([1.0, 0.0, 4.0]),
    ...                   np.array([0.25, 0.25, 0.25]), np.array([3, 3, 3])).tolist()
    [2.0, 1.0, 0.0]
    """
    capped = (share < 1) & (full > 0)
    by_share = np.floor((share * heads - ramping) / np.where(capped, 1 - share, 1.0) + EPS)
    allow = np.maximum(np.maximum(1.0 - ramping, by_share), 0.0)
    return np.asarray(np.where(capped, allow, np.inf))


def still_ramping(
    starts: FloatArray,
    departures: FloatArray,
    opening: FloatArray,
    full: IntArray,
    opening_ramping: FloatArray | None = None,
) -> FloatArray:
    """Return the people still ramping after each month's starts, [B, TE].

    The same people as :func:`staff`'s: departures leave from the longest-serving first;
    a start is ramping in its first ``R`` months (none with ``R = 0``), and so are the
    opening heads ``opening_ramping`` [B, Q] of a tenure below ``R`` (§15).

    >>> still_ramping(np.array([[2.0, 1.0, 0.0, 0.0]]), np.zeros((1, 4)), np.array([5.0]),
    ...               np.array([2])).tolist()
    [[2.0, 3.0, 1.0, 0.0]]
    """
    B, TE = starts.shape
    Q = max(int(full.max(initial=0)), 1)
    pool = opening.astype(np.float64).copy()
    coh = np.zeros((B, Q))  # by tenure month
    if opening_ramping is not None:
        width = min(Q, opening_ramping.shape[1])
        young = np.arange(width)[None, :] < full[:, None]
        coh[:, :width] = np.where(young, opening_ramping[:, :width], 0.0)
        pool -= coh.sum(axis=1)
    out = np.zeros((B, TE))
    rows = np.arange(B)
    last = np.maximum(full - 1, 0)
    for t in range(TE):
        d = departures[:, t]
        take = np.minimum(d, pool)
        pool -= take
        oldest_first = np.cumsum(coh[:, ::-1], axis=1)
        gone = np.minimum(oldest_first, (d - take)[:, None])
        coh -= np.diff(gone, axis=1, prepend=0.0)[:, ::-1]
        coh[:, 0] += starts[:, t]
        out[:, t] = np.where(full > 0, coh.sum(axis=1), 0.0)
        pool += coh[rows, last]
        coh[rows, last] = 0.0
        coh[:, 1:] = coh[:, :-1].copy()
        coh[:, 0] = 0.0
    return out


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
    limits: Limits | None = None,
    state: Opening | None = None,
) -> tuple[Staffing, FloatArray | None]:
    """Run the month loop; return the staffing and, with ``limits``, the most starts each
    month allowed."""
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
    # What the caps allowed and which held starts back (only kept when there are caps).
    capped = limits is not None
    allowed_out = np.full((TE, B) if capped else (1, 1), np.inf)
    bound_out = np.zeros((TE, B) if capped else (1, 1), dtype=np.int64)
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
                if limits is not None:
                    x = _capped(x, t, limits, heads, coh, full, allowed_out, bound_out)
                if committed is not None and np.count_nonzero(committed[:, t]):
                    # Dated requisitions start in their month, caps or not (hires in motion):
                    # they count towards the starts the month needs, opened before the plan.
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
                if limits is not None:
                    x = _capped(x, t, limits, heads, coh, full, allowed_out, bound_out)
                    if x is None:
                        x = np.zeros(B)
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
    staffing = Staffing(
        heads=out["heads"].T.copy(),
        starts=out["starts"].T.copy(),
        departures=out["departures"].T.copy(),
        capacity=out["capacity"].T.copy(),
        reqs_opened=reqs,
        reqs_before=reqs_before,
        gap=np.zeros((B, TE)),
        covered_from=lead + full,
        bound=bound_out.T.copy() if capped else np.zeros((B, TE), dtype=np.int64),
    )
    return staffing, allowed_out.T.copy() if capped else None


def _capped(
    x: FloatArray | None,
    t: int,
    limits: Limits,
    heads: FloatArray,
    coh: FloatArray,
    full: IntArray,
    allowed_out: FloatArray,
    bound_out: IntArray,
) -> FloatArray | None:
    """Return the month's starts ``x`` held within the caps, noting the caps and which bound.

    The cap is the row's fixed cap for the month, or the share of heads still ramping when
    that is tighter (the people in ``coh`` after the month's departures are still ramping).
    """
    limit = limits.cap[:, t]
    code = limits.code[:, t]
    if (limits.ramping < 1).any():
        by_ramp = ramping_allowance(heads, coh.sum(axis=1), limits.ramping, full)
        tighter = by_ramp < limit
        limit = np.where(tighter, by_ramp, limit)
        code = np.where(tighter, CAP_RAMPING, code)
    allowed_out[t] = limit
    if x is None:
        return None
    bound_out[t] = np.where(x > limit + EPS, code, 0)
    x = np.minimum(x, limit)
    return x if np.count_nonzero(x) else None


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
    result, _ = _run(starts, 0, opening, attrition, ramp, full, never, zero, starts, None, state)
    return result.heads, result.capacity
