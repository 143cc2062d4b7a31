"""A neutral table: named columns with units, raw cells; numbers stay numbers until render.

Renderers (``salesplan.render``) are the only place where a number becomes text with a
currency sign, a percent sign or a thousands separator.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from salesplan.report.chart import Chart
    from salesplan.report.prose import Sentence


class Kind(enum.StrEnum):
    """What a column holds; decides alignment and formatting in the renderers."""

    TEXT = "text"  # a label: tier, role, stage, month "2027-01"
    COUNT = "count"  # people, deals, customers, leads (may be fractional in the model)
    MONEY = "money"  # in the plan's currency
    RATE = "rate"  # a fraction: 0.25 is 25%
    NUMBER = "number"  # a plain number: months, ratios such as LTV:CAC


@dataclass(frozen=True)
class NA:
    """An undefined figure and why (no new customers, zero churn ...): never 0, inf or NaN."""

    reason: str


Cell = str | int | float | NA | None


@dataclass(frozen=True)
class Column:
    """A column: machine ``name`` (CSV header, JSON key), human ``title``, kind and unit."""

    name: str
    title: str
    kind: Kind = Kind.NUMBER
    unit: str = ""
    # Digits after the point in human formats (table, markdown); CSV/JSON keep full precision.
    # AS_WRITTEN (a NUMBER column whose rows differ in scale): as a plan file would write it.
    # SIGNIFICANT (MONEY or COUNT): three significant figures and a suffix, $5.99M.
    digits: int = 0
    # How much the column matters when a view is too narrow for all of them: lower is more
    # important.  None ranks the column by its position, so by default a table reads as
    # written: key columns (always shown) first, then left to right.  See Table.by_importance.
    priority: int | None = None
    # A key column that names its row for machines (``new_arr``) beside a key column that
    # names it for people (``New ARR booked``): a view too narrow for every column leaves it
    # out before any figure.
    machine: bool = False


AS_WRITTEN = -1
# A MONEY or COUNT column written in three significant figures with a k/M/B suffix in the
# human formats ($5.99M), for views that must stay narrow; CSV, JSON and XLSX keep every digit.
SIGNIFICANT = -2


def ranked(columns: Sequence[Column], first: Sequence[str]) -> tuple[Column, ...]:
    """Return the columns with the ``first`` named ones most important, in that order; the
    others rank after them in their own order (see ``Column.priority``).

    >>> [c.priority for c in ranked([Column("a", "A"), Column("b", "B")], ["b"])]
    [1, 0]
    """
    order = {name: n for n, name in enumerate(first)}
    unknown = set(order) - {c.name for c in columns}
    if unknown:
        raise ValueError(f"no such column to rank: {', '.join(sorted(unknown))}")
    rest = len(order)
    return tuple(
        replace(c, priority=order[c.name] if c.name in order else rest + i)
        for i, c in enumerate(columns)
    )


@dataclass(frozen=True)
class Table:
    """Rows of cells under named columns; ``key_columns`` label a row, the rest are values."""

    name: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    key_columns: int = 1
    notes: tuple[str, ...] = ()
    # e.g. {"currency": "USD"}: what a renderer needs to know to format the values.
    meta: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        width = len(self.columns)
        for i, row in enumerate(self.rows):
            if len(row) != width:
                raise ValueError(f"table {self.name}: row {i} has {len(row)} cells, not {width}")

    def select(self, names: Sequence[str], *, name: str, title: str) -> Table:
        """Return a table of the named columns only (the key columns among them first)."""
        index = {c.name: i for i, c in enumerate(self.columns)}
        keep = [index[n] for n in names]
        keys = sum(1 for i in keep if i < self.key_columns)
        return Table(
            name,
            title,
            tuple(self.columns[i] for i in keep),
            tuple(tuple(row[i] for i in keep) for row in self.rows),
            key_columns=keys,
            notes=self.notes,
            meta=self.meta,
        )

    def column(self, name: str) -> list[Cell]:
        """Return the cells of one column by its machine name."""
        index = [c.name for c in self.columns].index(name)
        return [row[index] for row in self.rows]

    def by_importance(self) -> list[int]:
        """Return the indices of the value columns, most important first.

        A column ranks by its ``priority``, or by its position when it has none; a tie goes
        to the column further left.  Key columns are not listed: they label the rows and are
        always shown.

        >>> cols = (Column("k", "K"), Column("a", "A"), Column("b", "B", priority=0))
        >>> Table("t", "T", cols, ()).by_importance()
        [2, 1]
        """
        keys = min(self.key_columns, len(self.columns))
        values = range(keys, len(self.columns))

        def rank(i: int) -> tuple[int, int]:
            priority = self.columns[i].priority
            return (i if priority is None else priority, i)

        return sorted(values, key=rank)

    def records(self) -> list[dict[str, Cell]]:
        """Return the rows as dicts keyed by column name."""
        names = [c.name for c in self.columns]
        return [dict(zip(names, row, strict=True)) for row in self.rows]


@dataclass(frozen=True)
class Report:
    """A titled sequence of tables: what one command prints."""

    kind: str  # "plan", "pods", "comp", "economics", "simulate", ...
    title: str
    tables: tuple[Table, ...]
    meta: Mapping[str, str] = field(default_factory=dict)
    # Plain-language lines shown first in the terminal view (e.g. capacity gaps).
    summary: tuple[str, ...] = ()
    # Pictures of the same figures, drawn by the formats that can (HTML, terminal).
    charts: tuple[Chart, ...] = ()
    # Sentences shown before everything else: what the plan does, delivers, needs done now.
    headline: tuple[Sentence, ...] = ()
    # Lines the terminal view ends with: where a user at the terminal looks next.
    footer: tuple[str, ...] = ()
    # Notes that explain a kind of table (what its columns mean), not one table's figures:
    # where tables are read in turn, said once under the first of a run that carries them.
    once: tuple[str, ...] = ()

    def table(self, name: str) -> Table:
        """Return one table by name."""
        for t in self.tables:
            if t.name == name:
                return t
        raise KeyError(name)

    def chart(self, name: str) -> Chart:
        """Return one chart by name."""
        for c in self.charts:
            if c.name == name:
                return c
        raise KeyError(name)

    def read_in_turn(self) -> tuple[Table, ...]:
        """Return the tables as a reader meets them one after another (the terminal view,
        Markdown, HTML): a note of :attr:`once` that the table before also carries is left
        out, so it is said once, under the first table of a run.  Each table keeps every
        note where it stands alone (``--table``, CSV, JSON, a workbook's sheet), and a note
        about one table's own figures is never left out, even where two tables' read alike.

        >>> t = Table("a", "A", (Column("x", "X"),), (), notes=("columns", "2 left out"))
        >>> u = replace(t, name="b")
        >>> [x.notes for x in Report("k", "K", (t, u, u), once=("columns",)).read_in_turn()]
        [('columns', '2 left out'), ('2 left out',), ('2 left out',)]
        """
        out, before = [], set[str]()
        for table in self.tables:
            said = before & set(self.once)
            out.append(replace(table, notes=tuple(n for n in table.notes if n not in said)))
            before = set(table.notes)
        return tuple(out)

    def only(self, names: Sequence[str]) -> Report:
        """Return a report with just the named tables and charts, each in the given order."""
        tables = {t.name for t in self.tables}
        return replace(
            self,
            tables=tuple(self.table(n) for n in names if n in tables),
            charts=tuple(self.chart(n) for n in names if n not in tables),
        )


def with_meta(tables: Sequence[Table], meta: Mapping[str, str]) -> tuple[Table, ...]:
    """Return the tables with the report's meta (currency, plan, period) on each."""
    return tuple(replace(t, meta=meta) for t in tables)
