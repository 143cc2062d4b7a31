"""Periods: group plan months into months, calendar quarters, calendar years or the plan.

Flows (starts, bookings, cost) add up over a period; stocks (heads, MRR, customers) are
taken at the period's last month; rates of work (need, capacity) are averaged.  A period
cut by the plan's start or end holds only the plan's months.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from salesplan.choices import Period
from salesplan.engine.structure import FloatArray, month_labels

__all__ = ["Period", "Span", "end", "mean", "spans", "total"]


@dataclass(frozen=True)
class Span:
    """One period: its label and its plan months [first, last]."""

    label: str
    first: int
    last: int

    @property
    def months(self) -> slice:
        """Return the slice of plan months in the period."""
        return slice(self.first, self.last + 1)


def spans(start: str, months: int, period: Period) -> list[Span]:
    """Return the periods covering plan months 0 … months-1.

    >>> [s.label for s in spans("2027-02", 5, Period.QUARTER)]
    ['2027-Q1', '2027-Q2']
    >>> spans("2027-01", 24, Period.PLAN)
    [Span(label='2027-01..2028-12', first=0, last=23)]
    """
    labels = month_labels(start, months)
    if period is Period.MONTH:
        return [Span(label, i, i) for i, label in enumerate(labels)]
    if period is Period.PLAN:
        return [Span(f"{labels[0]}..{labels[-1]}", 0, months - 1)]
    out: list[Span] = []
    for i, label in enumerate(labels):
        year, month = label.split("-")
        key = year if period is Period.YEAR else f"{year}-Q{(int(month) - 1) // 3 + 1}"
        if out and out[-1].label == key:
            out[-1] = Span(key, out[-1].first, i)
        else:
            out.append(Span(key, i, i))
    return out


def total(values: FloatArray, span: Span) -> FloatArray:
    """Return the sum over the period's months (last axis)."""
    return np.asarray(values[..., span.months].sum(axis=-1))


def end(values: FloatArray, span: Span) -> FloatArray:
    """Return the value in the period's last month (last axis)."""
    return np.asarray(values[..., span.last])


def mean(values: FloatArray, span: Span) -> FloatArray:
    """Return the mean over the period's months (last axis)."""
    return np.asarray(values[..., span.months].mean(axis=-1))
