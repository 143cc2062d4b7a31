"""Realised conversion rates and days in stage from actuals, and how far the data supports
them (docs/model.md, "Actuals"; docs/track.md).

Pure numpy, no I/O; scipy is imported only by :func:`beta_interval`, when an interval is
asked for (never at the command line's start-up).

- **Rates**: stage j's conversions over the months of data (entries into the next stage,
  or wins for the last stage) over the entries into stage j the plan's days earlier
  (:func:`lagged_entries`, whole and part months as the model's lags).
- **Intervals**: the equal-tailed 90% credible interval of a Beta–Binomial with the
  Jeffreys prior Beta(½, ½): ``Beta(s + ½, n - s + ½)`` for s conversions of n entries.
- **Days in stage** by Little's law from the ``pipeline`` metric:
  ``mean deals in the stage at a month's end / mean entries a month × 30.4375``.
- **Blend** (:func:`blend`): the plan's rate as a Beta prior, updated with the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from salesplan.engine.actuals import ActualArrays
from salesplan.engine.structure import DAYS_PER_MONTH, BoolArray, FloatArray, IntArray, Structure

if TYPE_CHECKING:
    from salesplan.engine.compile import Input

CREDIBLE = 0.9  # the interval's probability: 5% in each tail
JEFFREYS = 0.5  # the Jeffreys prior Beta(1/2, 1/2)
DEFAULT_HALF_WIDTH = 0.2  # a rate without a range is taken as known to ±20% (PERT sd)
RATE_FLOOR = 1e-6  # the smallest rate a plan may give (the plan format's bound)
WHOLE = 1e-9  # a lag this close to a whole month is that month


@dataclass(frozen=True)
class RateRanges:
    """The plan's uncertainty range of each stage's rate ``[J]``, where it gives one."""

    low: FloatArray  # [J]
    high: FloatArray  # [J]
    given: BoolArray  # [J] the plan writes the rate as {low, likely, high}

    @classmethod
    def none(cls, stages: int) -> RateRanges:
        """Return ranges for a plan that gives none."""
        return cls(np.zeros(stages), np.zeros(stages), np.zeros(stages, dtype=bool))

    @classmethod
    def of(cls, inputs: Sequence[Input], stages: int) -> RateRanges:
        """Return the ranges of the stage rates among a compiled plan's inputs."""
        out = cls.none(stages)
        for inp in inputs:
            if inp.field == "stage_rate" and inp.range is not None:
                (j,) = inp.index
                out.low[j], out.high[j] = inp.range.low, inp.range.high
                out.given[j] = True
        return out


def lagged_entries(entries: FloatArray, lag_months: float, since: int) -> tuple[FloatArray, int]:
    """Return the entries ``lag_months`` earlier, month by month, and the first month that
    has them all in the data (entries reported from month ``since``).

    A whole lag I takes ``E[t - I]``; a part month ``I + f`` joins the two months around
    it as the model's lags do (docs/model.md §2): ``(1 - f) E[t - I] + f E[t - I - 1]``.

    >>> lagged_entries(np.array([10.0, 20.0, 30.0, 40.0]), 0.25, 0)
    (array([ 0. , 17.5, 27.5, 37.5]), 1)
    >>> lagged_entries(np.array([10.0, 20.0, 30.0, 40.0]), 2.0, 0)
    (array([ 0.,  0., 10., 20.]), 2)
    """
    whole = int(np.floor(lag_months + WHOLE))
    part = max(lag_months - whole, 0.0)
    part = 0.0 if part < WHOLE else part
    n = len(entries)
    out = np.zeros(n)
    here = np.zeros(n)
    if whole < n:
        here[whole:] = entries[: n - whole]
    before = np.zeros(n)
    if whole + 1 < n:
        before[whole + 1 :] = entries[: n - whole - 1]
    out = (1 - part) * here + part * before
    first = since + whole + (1 if part > 0 else 0)
    out[: min(first, n)] = 0.0
    return out, first


def beta_interval(
    successes: FloatArray, trials: FloatArray, plan_rate: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Return the equal-tailed 90% credible interval of a rate after ``successes`` of
    ``trials``, with the Jeffreys prior: the 5% and 95% points of
    ``Beta(s + 1/2, n - s + 1/2)``; and the posterior's smaller tail beyond ``plan_rate``,
    ``min(P(rate <= q), P(rate >= q))`` (below 5% exactly when q is outside the interval;
    the smaller, the more clearly the data speaks against the plan).  Needs ``0 <= s <= n``;
    with ``s = 0`` the interval starts at 0, with ``s = n`` it ends at 1.

    Three wins of ten is not a new 30% win rate: it allows anything from 12% to 56%.

    >>> low, high, tail = beta_interval(np.array([3.0]), np.array([10.0]), np.array([0.5]))
    >>> round(float(low[0]), 3), round(float(high[0]), 3), round(float(tail[0]), 3)
    (0.117, 0.558, 0.102)
    """
    from scipy.stats import beta  # here only: scipy is slow to import

    a = successes + JEFFREYS
    b = trials - successes + JEFFREYS
    tail = (1 - CREDIBLE) / 2
    low, high = np.asarray(beta.ppf(tail, a, b)), np.asarray(beta.ppf(1 - tail, a, b))
    # At the edges the equal-tailed interval would leave out the rate the data shows: no
    # conversion at all reaches down to 0, every entry converted up to 1 (Brown, Cai and
    # DasGupta's correction of the Jeffreys interval).
    low = np.where(successes <= 0, 0.0, low)
    high = np.where(successes >= trials, 1.0, high)
    below = np.asarray(beta.cdf(plan_rate if plan_rate is not None else 0.0, a, b))
    return low, high, np.asarray(np.minimum(below, 1 - below))


def prior_strength(
    plan_rate: npt.ArrayLike,
    low: npt.ArrayLike | None = None,
    high: npt.ArrayLike | None = None,
    given: npt.ArrayLike | None = None,
    half_width: float = DEFAULT_HALF_WIDTH,
) -> FloatArray:
    """Return the weight k of the plan's rate, in entries, as a Beta prior centred on it.

    A Beta of mean q and strength k (``Beta(k q, k (1 - q))``) has variance
    ``q (1 - q) / (k + 1)``, so the plan's spread sd gives ``k = q (1 - q) / sd² - 1``.
    Where the plan gives a range (``given``), ``sd = (high - low) / 6`` (PERT's); else the
    rate is taken as known to ``± half_width`` of itself, ``sd = 2 · half_width · q / 6``.
    A spread too wide for a Beta (``k < 0``) gives the plan no weight (0); a range of no
    width makes the plan certain (``inf``).

    >>> prior_strength([0.25], [0.2], [0.3], [True]).round(6).tolist()  # sd 1/60: 0.1875 × 3600 − 1
    [674.0]
    >>> prior_strength([0.5]).round(6).tolist()                 # sd 1/30: 0.25 × 900 − 1
    [224.0]
    >>> prior_strength([1.0]).tolist(), prior_strength([0.3], [0.3], [0.3], [True]).tolist()
    ([0.0], [inf])
    """
    q = np.atleast_1d(np.asarray(plan_rate, dtype=np.float64))
    sd = 2 * half_width * q / 6
    if low is not None and high is not None:
        spread = (np.asarray(high, dtype=np.float64) - np.asarray(low, dtype=np.float64)) / 6
        use = np.ones_like(q, dtype=bool) if given is None else np.asarray(given, dtype=bool)
        sd = np.where(use, spread, sd)
    with np.errstate(divide="ignore"):
        k = np.where(sd > 0, q * (1 - q) / np.where(sd > 0, sd, 1.0) ** 2 - 1, np.inf)
    return np.asarray(np.maximum(k, 0.0))


def blend(
    plan_rate: npt.ArrayLike,
    conversions: npt.ArrayLike,
    entries: npt.ArrayLike,
    strength: npt.ArrayLike,
) -> FloatArray:
    """Return the credibility blend of the plan's rate and the data: the posterior mean of
    a Beta prior of strength k centred on the plan's rate q, after s conversions of n
    entries, ``(k q + s) / (k + n)``, kept within the rates a plan may give.

    The more entries against the plan's weight, the nearer the observed rate; with no
    data, or a certain plan (``k = inf``), the plan's rate.

    >>> blend([0.25], [6], [36], [674]).round(4).tolist()     # (168.5 + 6) / 710
    [0.2458]
    >>> blend([0.25], [6], [36], [0]).round(4).tolist(), blend([0.25], [0], [0], [0]).tolist()
    ([0.1667], [0.25])
    >>> blend([0.25], [6], [36], [np.inf]).tolist()
    [0.25]
    """
    q = np.asarray(plan_rate, dtype=np.float64)
    s = np.asarray(conversions, dtype=np.float64)
    n = np.asarray(entries, dtype=np.float64)
    k = np.asarray(strength, dtype=np.float64)
    finite = np.isfinite(k)
    k0 = np.where(finite, k, 0.0)
    weight = k0 + n
    mixed = (k0 * q + s) / np.where(weight > 0, weight, 1.0)
    out = np.where(finite & (weight > 0), mixed, q)
    return np.asarray(np.clip(out, RATE_FLOOR, 1.0))


@dataclass(frozen=True)
class Realised:
    """Each stage's realised rate over the months of data ``[J]`` (docs/model.md, "Actuals").

    ``conversions`` s (entries into the next stage, or wins after the last) over
    ``entered`` n (the stage's entries the plan's days earlier) in the months ``first`` …
    ``through``.  ``why`` says why a stage has no rate ("" where it has one); an interval
    needs ``0 < n`` and ``s <= n`` (``interval_why``).  ``position`` is where the plan's
    rate lies: -1 below the interval, +1 above, 0 inside (or no interval).
    """

    plan_rate: FloatArray  # [J] q
    first: IntArray  # [J] first month of the window (conversions counted from here)
    conversions: FloatArray  # [J] s
    entered: FloatArray  # [J] n
    why: tuple[str, ...]  # [J] "" or why there is no rate
    low: FloatArray  # [J] 5% point of Beta(s + 1/2, n - s + 1/2)
    high: FloatArray  # [J] 95% point
    interval_why: tuple[str, ...]  # [J] "" or why there is no interval
    position: IntArray  # [J] -1, 0, +1
    plan_tail: FloatArray  # [J] the posterior's smaller tail beyond the plan's rate, at least
    # 5% when the plan's rate is inside the interval (1: no interval)
    strength: FloatArray  # [J] k, the plan's weight in the blend
    blended: FloatArray  # [J] (k q + s) / (k + n)

    @property
    def rate(self) -> FloatArray:
        """Return s / n, 0 where there is no rate ``[J]``."""
        n = self.entered
        return np.asarray(np.where(n > 0, self.conversions / np.where(n > 0, n, 1.0), 0.0))


def realised_rates(
    structure: Structure,
    plan_rate: FloatArray,
    plan_days: FloatArray,
    actual: ActualArrays,
    ranges: RateRanges,
) -> Realised:
    """Return each stage's realised rate, its interval, the plan's place in it, the blend."""
    J = len(structure.stages)
    first = np.full(J, actual.months, dtype=np.int64)
    s, n = np.zeros(J), np.zeros(J)
    why = [""] * J
    since = actual.since("entries")
    for j, (cell, _) in enumerate(structure.stages):
        last = j + 1 == J or structure.stage_cell[j + 1] != cell
        out_since = actual.since("wins") if last else since
        if since is None:
            why[j] = "the file gives no entries"
            continue
        if out_since is None:
            why[j] = "the file gives no wins"
            continue
        lagged, start = lagged_entries(actual.entries[j], plan_days[j] / DAYS_PER_MONTH, since)
        start = max(start, out_since)
        first[j] = start
        if start > actual.through:
            why[j] = f"its {plan_days[j]:g} days in stage reach back before the data begins"
            continue
        out = actual.wins[cell] if last else actual.entries[j + 1]
        s[j], n[j] = out[start:].sum(), lagged[start:].sum()
        if n[j] <= 0:
            why[j] = "no entries in the months its conversions come from"
    low, high, plan_tail = np.zeros(J), np.zeros(J), np.ones(J)
    interval_why = [
        w or ("" if s[j] <= n[j] else "more conversions than entries") for j, w in enumerate(why)
    ]
    ok = np.array([not w for w in interval_why])
    if ok.any():
        low[ok], high[ok], plan_tail[ok] = beta_interval(s[ok], n[ok], plan_rate[ok])
    position = np.where(ok & (plan_rate < low), -1, np.where(ok & (plan_rate > high), 1, 0))
    # A plan rate inside the interval (the edges' correction included) is never ranked as
    # more clearly against the data than one outside it.
    plan_tail = np.where(position == 0, np.maximum(plan_tail, (1 - CREDIBLE) / 2), plan_tail)
    strength = prior_strength(plan_rate, ranges.low, ranges.high, ranges.given)
    return Realised(
        plan_rate=plan_rate,
        first=first,
        conversions=s,
        entered=n,
        why=tuple(why),
        low=low,
        high=high,
        interval_why=tuple(interval_why),
        position=position.astype(np.int64),
        plan_tail=plan_tail,
        strength=strength,
        blended=blend(plan_rate, s, n, strength),
    )


@dataclass(frozen=True)
class Stays:
    """Days deals stay in each stage, by Little's law from the ``pipeline`` metric ``[J]``.

    Over the months both pipeline and entries report (``first`` … through): ``days = mean
    deals in the stage at a month's end / mean entries a month × 30.4375``.  ``why`` says
    why a stage has none ("" where it has).
    """

    plan_days: FloatArray  # [J]
    first: IntArray  # [J] first month averaged
    mean_pipeline: FloatArray  # [J]
    mean_entries: FloatArray  # [J]
    days: FloatArray  # [J] 0 where there is none
    why: tuple[str, ...]  # [J]


def days_in_stage(plan_days: FloatArray, actual: ActualArrays) -> Stays:
    """Return each stage's days in stage by Little's law, where the file gives pipeline.

    >>> from salesplan.engine.actuals import empty_arrays
    >>> a = empty_arrays(1, 1, 1, 0, 1)
    >>> a.entries[0], a.pipeline[0] = [40.0, 20.0], [20.0, 10.0]
    >>> a = a.__class__(**{**a.__dict__, "present": {"entries": np.array([True, True]),
    ...                                               "pipeline": np.array([True, True])}})
    >>> float(days_in_stage(np.array([21.0]), a).days[0])   # 15 / 30 × 30.4375
    15.21875
    """
    J = len(plan_days)
    first = np.full(J, actual.months, dtype=np.int64)
    pipeline, entries, days = np.zeros(J), np.zeros(J), np.zeros(J)
    if not actual.has("pipeline"):
        why = "the file gives no pipeline"
    elif not actual.has("entries"):
        why = "the file gives no entries"
    else:
        why = ""
        start = max(actual.since("pipeline") or 0, actual.since("entries") or 0)
        first[:] = start
        pipeline = actual.pipeline[:, start:].mean(axis=1)
        entries = actual.entries[:, start:].mean(axis=1)
    has = entries > 0
    days = np.where(has, pipeline / np.where(has, entries, 1.0) * DAYS_PER_MONTH, 0.0)
    whys = tuple(why or ("" if has[j] else "no entries") for j in range(J))
    return Stays(plan_days, first, pipeline, entries, days, whys)
