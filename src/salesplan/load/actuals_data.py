"""What an actuals file is read against, and what reading it gives: plain, typed values.

:class:`PlanNames` is the plan as the reader needs it (its calendar and names, not the
engine); :class:`Actuals` is a file read without errors, by metric, :class:`Key` and month,
ready for the engine to compare with the plan or to start a reforecast from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from salesplan.load.csvread import Dialect
from salesplan.problems import Location

if TYPE_CHECKING:
    from salesplan.load.schema import Plan


@dataclass(frozen=True)
class PlanNames:
    """What an actuals file is read against: the plan's calendar and its names.

    ``motions`` maps each tier to its motions and each motion to its stages in funnel
    order (the last one converts to won).  Month 0 is ``start``; the plan has ``months``.
    """

    start: str
    months: int
    motions: Mapping[str, Mapping[str, tuple[str, ...]]]
    roles: tuple[str, ...]

    @classmethod
    def of(cls, plan: Plan) -> PlanNames:
        """Return the names of a plan typed by the schema."""
        motions = {
            tier: {name: tuple(s.name for s in m.stages) for name, m in t.motions.items()}
            for tier, t in plan.tiers.items()
        }
        return cls(plan.company.start, plan.company.horizon_months, motions, tuple(plan.roles))

    def label(self, month: int) -> str:
        """Return the calendar month (YYYY-MM) of a month index.

        >>> PlanNames("2027-11", 24, {}, ()).label(2)
        '2028-01'
        """
        year, month0 = int(self.start[:4]), int(self.start[5:7]) - 1 + month
        return f"{year + month0 // 12:04d}-{month0 % 12 + 1:02d}"

    def index(self, year: int, month: int) -> int:
        """Return the month index of a calendar month (negative before the plan starts)."""
        return (year - int(self.start[:4])) * 12 + month - int(self.start[5:7])


@dataclass(frozen=True, order=True)
class Key:
    """What a value applies to: its tier, motion, stage and role, empty where none applies."""

    tier: str = ""
    motion: str = ""
    stage: str = ""
    role: str = ""

    def __str__(self) -> str:
        parts = [p for p in (self.tier, self.motion, self.stage, self.role) if p]
        return "/".join(parts) if parts else "total"


TOTAL = Key()


@dataclass(frozen=True)
class Actuals:
    """An actuals file read without errors: each metric's values by key and month.

    Months are indexes from the plan's first month (0).  A metric reports the months
    ``months[metric]``: from its first month with data to ``through``, the last month of
    actuals, which every metric reaches.  ``values[metric][key]`` holds one value per month
    of ``months[metric]``, for each key with a row (in the file's order); a key without a
    row in one of those months is 0 there (exports may leave out rows of 0).  A metric the
    file does not give is absent.  ``cells`` says where each value was written, for
    messages.
    """

    path: str
    names: PlanNames
    dialect: Dialect
    through: int
    months: Mapping[str, range]
    breakdowns: Mapping[str, tuple[str, ...]]  # the key columns each metric is given by
    values: Mapping[str, Mapping[Key, tuple[float, ...]]]
    cells: Mapping[tuple[str, Key, int], Location]

    @property
    def first(self) -> int:
        """Return the earliest month any metric reports."""
        return min(r.start for r in self.months.values())

    def value(self, metric: str, key: Key, month: int) -> float | None:
        """Return a value: 0 for a key without a row, None outside the metric's months."""
        months = self.months.get(metric)
        if months is None or month not in months:
            return None
        series = self.values[metric].get(key)
        return 0.0 if series is None else series[month - months.start]

    def series(self, metric: str, key: Key = TOTAL) -> tuple[float, ...]:
        """Return a key's values over the months the metric reports (empty if it has none)."""
        months = self.months.get(metric, range(0))
        return self.values.get(metric, {}).get(key, (0.0,) * len(months))
