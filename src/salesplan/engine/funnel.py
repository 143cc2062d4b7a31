"""Funnel (docs/model.md §2, §14): from each motion's wins back to the volume entering every
stage.

A motion's wins follow ``W(t) = a g**t w[t]``: growth, and with seasonality the motion's
weight of the calendar month (1 every month without it).  Pure numpy on a leading variant
axis S; no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.engine.structure import DAYS_PER_MONTH, FloatArray, IntArray


@dataclass(frozen=True)
class Funnel:
    """Stage volumes by variant, stage row and month."""

    wins: FloatArray  # [S, M, TE] new customers by cell (tier x motion)
    volume: FloatArray  # [S, J, TE] entries into each stage
    opening: FloatArray  # [S, J] volume that must already be in each stage at month 0
    lag: FloatArray  # [S, J] L_j, months from entering stage j to winning
    to_win: FloatArray  # [S, J] product of the remaining rates, stage j to won


def lags_and_rates(
    stage_cell: IntArray, rate: FloatArray, days: FloatArray
) -> tuple[FloatArray, FloatArray]:
    """Return the months from each stage to won, ``L_j = sum_{i>=j} d_i / 30.4375``, and the
    product of the remaining conversion rates ``prod_{i>=j} q_i``; both [S, J].

    >>> L, q = lags_and_rates(np.array([0, 0, 1]), np.array([[0.5, 0.2, 1.0]]),
    ...                       np.array([[30.4375, 60.875, 0.0]]))
    >>> L.tolist(), q.tolist()
    ([[3.0, 2.0, 0.0]], [[0.1, 0.2, 1.0]])
    """
    lag = days / DAYS_PER_MONTH
    prod = rate.copy()
    lag = lag.copy()
    for j in range(len(stage_cell) - 2, -1, -1):
        if stage_cell[j + 1] == stage_cell[j]:
            lag[:, j] += lag[:, j + 1]
            prod[:, j] *= prod[:, j + 1]
    return lag, prod


def interpolated_growth(g: FloatArray, lag: FloatArray) -> FloatArray:
    """Return the booking curve's value at a fractional month offset, relative to month 0.

    The curve ``W(x) = a g**x`` at whole months is joined linearly between them, so
    ``W(I + f) / a = g**I (1 + f (g - 1))`` for whole I and 0 <= f < 1.

    >>> interpolated_growth(np.array([[2.0]]), np.array([[1.5]])).tolist()
    [[3.0]]
    """
    whole = np.floor(lag)
    frac = lag - whole
    return np.power(g, whole) * (1 + frac * (g - 1))


def seasonal_at(
    g: FloatArray, season: FloatArray, first: int, lag: FloatArray, months: int
) -> FloatArray:
    """Return the seasonal booking curve at ``t + lag`` relative to ``a g**t``, [S, X, months].

    The wins ``W(i) = a g**i w[i]`` at whole months i are joined linearly between them, so
    for ``lag = I + f`` (whole I, 0 <= f < 1)
    ``W(t + I + f) / (a g**t) = g**I (w[t+I] + f (g w[t+I+1] - w[t+I]))``.  ``season``
    [S, X, 12] holds the weights by calendar month and ``first`` is month 0's (0: January);
    months before month 0 continue the calendar backwards.  With every weight 1 this is
    :func:`interpolated_growth` at every t.

    >>> w = np.array([[[2.0] + [1.0] * 11]])  # January counts double
    >>> seasonal_at(np.array([[1.0]]), w, 11, np.array([[0.5]]), 3).tolist()
    [[[1.5, 1.5, 1.0]]]
    """
    whole = np.floor(lag)
    frac = lag - whole
    t = np.arange(months)[None, None, :]
    at = (first + whole.astype(np.int64)[:, :, None] + t) % 12
    now = np.take_along_axis(season, at, axis=2)
    then = np.take_along_axis(season, (at + 1) % 12, axis=2)
    gg = g[:, :, None] if g.ndim == 2 else g
    return np.asarray(np.power(g, whole)[:, :, None] * (now + frac[:, :, None] * (gg * then - now)))


def seasonal_integral(g: FloatArray, season: FloatArray, first: int, lag: FloatArray) -> FloatArray:
    """Return ``∫_0^L W(x) dx / a`` for the seasonal, piecewise-linear booking curve.

    Whole months give trapezoids ``g**i (w[i] + g w[i+1]) / 2``; the part month
    ``g**I (f w[I] + f**2 (g w[I+1] - w[I]) / 2)``.  ``season`` [S, X, 12] by calendar month.

    >>> w = np.array([[[2.0] + [1.0] * 11]])
    >>> seasonal_integral(np.array([[1.0]]), w, 0, np.array([[1.5]])).tolist()
    [[2.0]]
    """
    whole = np.floor(lag)
    frac = lag - whole
    gg = np.broadcast_to(g, lag.shape)

    def w(i: np.ndarray) -> FloatArray:
        at = ((first + i) % 12).astype(np.int64)[:, :, None]
        return np.asarray(np.take_along_axis(season, at, axis=2)[:, :, 0])

    total = np.zeros_like(lag)
    for i in range(int(whole.max(initial=0))):
        step = np.full(lag.shape, i)
        trapezoid = np.power(gg, i) * (w(step) + gg * w(step + 1)) / 2
        total += np.where(i < whole, trapezoid, 0.0)
    wI, wJ = w(whole), w(whole + 1)
    return np.asarray(total + np.power(gg, whole) * (frac * wI + frac**2 * (gg * wJ - wI) / 2))


def integral_to(g: FloatArray, lag: FloatArray) -> FloatArray:
    """Return ``∫_0^L W(x) dx / a`` for the piecewise-linear booking curve.

    Whole months give trapezoids ``(g**i + g**(i+1)) / 2``; the part month
    ``∫_0^f g**I (1 + u (g-1)) du = g**I (f + f**2 (g-1) / 2)``.

    >>> integral_to(np.array([[1.0]]), np.array([[2.5]])).tolist()
    [[2.5]]
    >>> integral_to(np.array([[2.0]]), np.array([[1.0]])).tolist()
    [[1.5]]
    """
    whole = np.floor(lag)
    frac = lag - whole
    gm1 = g - 1
    flat = np.abs(gm1) < 1e-12
    geometric = np.where(flat, whole, (np.power(g, whole) - 1) / np.where(flat, 1.0, gm1))
    return (1 + g) / 2 * geometric + np.power(g, whole) * (frac + frac**2 * gm1 / 2)


def funnel(
    booking_curve: FloatArray,
    cell_tier: IntArray,
    cell_share: FloatArray,
    stage_cell: IntArray,
    rate: FloatArray,
    days: FloatArray,
    growth: FloatArray,
    extended: int,
    season: FloatArray | None = None,
    first: int = 0,
) -> Funnel:
    """Work each motion's wins back to stage volumes (docs/model.md §2).

    ``V_j[t] = W_motion(t + L_j) / prod_{i>=j} q_i`` where ``W_motion`` is the motion's share
    of the tier's new customers, joined linearly between whole months and continued past
    the horizon by the booking schedule.  The opening pipeline of stage j is
    ``∫_{-L_j}^0 V_j(t) dt``.  ``season`` [S, M, 12] holds each motion's weights by calendar
    month, ``first`` month 0's calendar month (none: 1 every month, §2 exactly).

    >>> f = funnel(np.array([[10.0]]), np.array([0]), np.array([[1.0]]), np.array([0, 0]),
    ...            np.array([[0.5, 0.25]]), np.array([[30.4375, 15.21875]]), np.zeros(1), 2)
    >>> f.volume[0].tolist(), f.opening[0].tolist()
    ([[80.0, 80.0], [40.0, 40.0]], [120.0, 20.0])
    """
    g = 1.0 + growth[:, None]  # [S, 1]
    a = booking_curve[:, cell_tier] * cell_share  # [S, M] wins in month 0, before weights
    t = np.arange(extended)
    gpow = np.power(g, t[None, :])  # [S, TE]
    wins = a[:, :, None] * gpow[:, None, :]
    lag, to_win = lags_and_rates(stage_cell, rate, days)
    base = a[:, stage_cell] / to_win  # [S, J]
    if season is None:
        at_lag = interpolated_growth(g, lag)  # [S, J]
        volume = (base * at_lag)[:, :, None] * gpow[:, None, :]
        opening = base * integral_to(g, lag)
    else:
        wins = wins * _months(season, first, extended)
        by_stage = season[:, stage_cell]  # [S, J, 12]
        volume = (base[:, :, None] * seasonal_at(g, by_stage, first, lag, extended)) * gpow[
            :, None, :
        ]
        opening = base * seasonal_integral(g, by_stage, first, lag)
    return Funnel(wins=wins, volume=volume, opening=opening, lag=lag, to_win=to_win)


def _months(season: FloatArray, first: int, months: int) -> FloatArray:
    """Return weights [S, X, 12] by calendar month at months 0 … months-1."""
    return np.asarray(np.take(season, (first + np.arange(months)) % 12, axis=2))


def in_stage(opening: FloatArray, rate: FloatArray, stage_cell: IntArray) -> FloatArray:
    """Return the deals the opening pipeline has *in* each stage at month 0, [S, J].

    The opening pipeline ``O_j`` counts every entry into stage j still on its way to a win,
    wherever it is now; those that entered within the stage's own days are still in it:
    ``∫_{-λ_j}^0 V_j = O_j - O_{j+1} / q_j`` (the entries into j+1 came from j, ``q_j`` of
    them), and ``O_j`` for a motion's last stage.  What a CRM calls the pipeline by stage.

    >>> in_stage(np.array([[120.0, 20.0]]), np.array([[0.5, 0.25]]), np.array([0, 0])).tolist()
    [[80.0, 20.0]]
    """
    out = opening.copy()
    for j in range(len(stage_cell) - 1):
        if stage_cell[j + 1] == stage_cell[j]:
            out[:, j] -= opening[:, j + 1] / rate[:, j]
    return np.asarray(np.maximum(out, 0.0))
