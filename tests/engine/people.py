"""A plain-Python model of a team, person by person, to check the engine's staffing.

It shares no code with ``salesplan.engine.staffing``: people are cohorts by start month,
departures take the longest-serving first, a start in month s works ``ramp[t - s]`` of full
capacity in month t (1 once past the curve), opening people are fully ramped.
"""

from __future__ import annotations

from collections.abc import Sequence

OPENING = -(10**9)  # the start month of an opening head: fully ramped, longest-serving


def linear_ramp(months: int) -> list[float]:
    """Return ``f(k) = min(1, (k + 1) / (R + 1))`` for k = 0 … R (docs/model.md §4).

    >>> linear_ramp(2)
    [0.3333333333333333, 0.6666666666666666, 1.0]
    """
    return [min(1.0, (k + 1) / (months + 1)) for k in range(months + 1)]


def simulate(
    opening: int,
    starts: Sequence[float],
    departures: Sequence[float],
    ramp: Sequence[float],
) -> tuple[list[int], list[float]]:
    """Return heads and ramped capacity by month for given starts and departure counts.

    Each month: ``departures[t]`` people leave, longest-serving first (all of them if fewer
    are left), then ``starts[t]`` people start; capacity is counted at the month's end.

    >>> simulate(1, [0, 2, 0], [0, 0, 1], [0.5, 1.0])
    ([1, 3, 2], [1.0, 2.0, 2.0])
    """
    cohorts: list[list[int]] = [[OPENING, opening]] if opening else []  # [start, count]
    heads, capacity = [], []
    for t, (d, s) in enumerate(zip(departures, starts, strict=True)):
        leave = round(d)
        while leave and cohorts:  # oldest cohort first
            gone = min(leave, cohorts[0][1])
            cohorts[0][1] -= gone
            leave -= gone
            if not cohorts[0][1]:
                cohorts.pop(0)
        if round(s):
            cohorts.append([t, round(s)])
        heads.append(sum(c for _, c in cohorts))
        capacity.append(sum(c * (1.0 if t - p >= len(ramp) else ramp[t - p]) for p, c in cohorts))
    return heads, capacity
