"""Read the rows of an actuals file, each on its own: formulas, month, metric, keys, value.

Every cell of a row is checked and each problem is located at its cell, so one run shows
them all; a row with any problem gives no value.  What a row says about its month (that the
metric reports it) is kept even when its keys or value are wrong, so that a bad value is not
reported a second time as a missing month; a row whose month or metric cannot be read is
counted in ``unplaced``, and then the months are not judged as a whole at all.
"""

from __future__ import annotations

import re

from salesplan.load.actuals_data import Key, PlanNames
from salesplan.load.actuals_format import (
    ALIASES,
    BY_METRIC,
    KEY_COLUMNS,
    METRICS,
    PEOPLE_BOUND,
    Metric,
    Unit,
    breakdown_text,
)
from salesplan.load.csvread import Dialect, Record
from salesplan.problems import Location, Problem, did_you_mean
from salesplan.problems.codes import problem

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|[A-Za-z]{3}[- ]\d{2,4}")
_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_NOT_NUMBERS = frozenset({"nan", "inf", "infinity"})  # signed, they look like formulas
_LOSSES = frozenset({"churned_mrr", "churned_customers", "departures"})
_MISSING = frozenset({"n/a", "na", "-", "null", "none", "#n/a", "—"})


def shown(cell: str, limit: int = 40) -> str:
    """Quote a cell for a message: escaped, and cut short when long.

    >>> shown("x" * 50)
    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…'"
    """
    return repr(cell if len(cell) <= limit else cell[: limit - 1] + "…")


def looks_like_formula(cell: str) -> bool:
    """Return whether a spreadsheet would run the cell as a formula (OWASP CSV injection).

    ``=`` and ``@`` always start one; ``+`` and ``-`` when a letter or ``(`` follows, so
    that ``-5`` stays a (negative) number.

    >>> [looks_like_formula(c) for c in ("=1+2", "@SUM(A1)", "-A1", "+(1)", "-5", "-", "ae")]
    [True, True, True, True, False, False, False]
    """
    if not cell or cell[0] not in "=@+-":
        return False
    if cell[0] in "=@":
        return True
    nxt = cell[1:].lstrip()[:1]
    return nxt.isalpha() or nxt == "("


def number(cell: str, dialect: Dialect) -> float | str:
    """Return the number a value cell holds, or why it holds none.

    A ``;``-separated file writes decimals with a comma (Excel in comma-decimal locales);
    a ``,``-separated one with a point.  Thousands separators, currency signs, percentages
    and spaces are refused rather than guessed at.

    >>> number("1234.5", Dialect()), number("1234,5", Dialect(";")), number("-3", Dialect())
    (1234.5, 1234.5, -3.0)
    >>> print(number("1,234", Dialect()))
    1,234 has a comma: write 1234.5, with no thousands separators
    """
    if not cell:
        return "the value is empty: write 0 where nothing happened"
    lowered = cell.lower()
    if lowered in _NOT_NUMBERS:
        return f"{cell} is not a number a file of actuals may use"
    if lowered in _MISSING:
        return f"{shown(cell)} is not a number: write 0 where nothing happened"
    sign, body = (-1.0, cell[1:]) if cell[0] == "-" else (1.0, cell.removeprefix("+"))
    if dialect.decimal_comma:
        if "." in body:
            return (
                f"{cell} has a point: in a ';'-separated file decimals take a comma "
                "(1234,5) and numbers no thousands separators"
            )
        if body.count(",") > 1:
            return f"{cell} has several commas: write 1234,5, with no thousands separators"
        body = body.replace(",", ".")
    elif "," in body:
        return f"{cell} has a comma: write 1234.5, with no thousands separators"
    if _NUMBER.fullmatch(body):
        return sign * float(body) + 0.0  # + 0.0 turns -0 into 0
    if any(c.isdigit() for c in cell):
        return f"{shown(cell)} is not a number: write the number alone, without a unit or sign"
    return f"{shown(cell)} is not a number"


class Rows:
    """The rows of one actuals file as they are read: values, months, and problems."""

    def __init__(
        self, path: str, names: PlanNames, dialect: Dialect, columns: dict[str, int]
    ) -> None:
        self.path = path
        self.names = names
        self.dialect = dialect
        self.columns = columns
        self.problems: list[Problem] = []
        self.unplaced = 0  # rows whose month or metric is unreadable: they may fill any gap
        # metric -> month -> where its first row in that month gives the month
        self.reported: dict[str, dict[int, Location]] = {}
        # (metric, key, month) -> the value and where it was written
        self.values: dict[tuple[str, Key, int], tuple[float, Location]] = {}
        self.lines: dict[tuple[str, Key, int], int] = {}
        # metric -> the key columns it is given by, and the line that first did so
        self.breakdowns: dict[str, tuple[tuple[str, ...], int]] = {}

    def read(self, record: Record) -> None:
        """Check one row and keep its value when nothing is wrong with it."""
        cells = {name: record.cells[i].strip() for name, i in self.columns.items()}
        before = len(self.problems)
        formulas = {name for name, cell in cells.items() if looks_like_formula(cell)}
        for name in sorted(formulas, key=self.columns.__getitem__):
            msg = (
                f"{shown(cells[name])} looks like a spreadsheet formula: export the values, not "
                "the formulas"
            )
            self.report("SP523", record, name, msg)
        month = None if "month" in formulas else self.month(record, cells["month"])
        metric = None if "metric" in formulas else self.metric(record, cells["metric"])
        key = None if metric is None else self.key(record, metric, cells, formulas)
        value = None if "value" in formulas else self.value(record, metric, cells["value"])
        if {"month", "metric"} & formulas:
            self.unplaced += 1
        if month is None or metric is None:
            return
        reported = self.reported.setdefault(metric.name, {})
        if month not in reported:
            reported[month] = self.at(record, "month")
        if key is None:
            return
        series = (metric.name, key, month)
        first = self.lines.setdefault(series, record.line)
        if first != record.line:
            msg = (
                f"{metric.name} for {key} in {self.names.label(month)} again (first on line "
                f"{first}): give each month, metric and key once"
            )
            self.problems.append(problem("SP519", Location(self.path, record.line, 1), msg))
        elif value is not None and len(self.problems) == before:
            self.values[series] = (value, self.at(record, "value"))

    def at(self, record: Record, column: str) -> Location:
        """Return the location of a row's cell in a column."""
        return Location(self.path, record.line, self.columns[column] + 1)

    def report(self, code: str, record: Record, column: str, message: str) -> None:
        """Report a problem at a row's cell."""
        self.problems.append(problem(code, self.at(record, column), message))

    def month(self, record: Record, cell: str) -> int | None:
        """Return the month index a month cell names, within the plan."""
        found = _MONTH.fullmatch(cell)
        if found is None or not 1 <= int(found.group(2)) <= 12:
            hint = (
                " (a spreadsheet may have made it a date: format the column as text)"
                if _DATE.fullmatch(cell)
                else ""
            )
            self.unplaced += 1
            what = "the month is empty" if not cell else f"{shown(cell)} is not a month"
            self.report("SP515", record, "month", f"{what}: write it YYYY-MM, e.g. 2027-01{hint}")
            return None
        index = self.names.index(int(found.group(1)), int(found.group(2)))
        if 0 <= index < self.names.months:
            return index
        first, last = self.names.label(0), self.names.label(self.names.months - 1)
        when = f"before the plan starts ({first})" if index < 0 else f"after its end ({last})"
        self.report("SP516", record, "month", f"{cell} is {when}: actuals are for plan months")
        return None

    def metric(self, record: Record, cell: str) -> Metric | None:
        """Return the metric a metric cell names."""
        metric = BY_METRIC.get(cell)
        if metric is not None:
            return metric
        self.unplaced += 1
        if not cell:
            self.report("SP510", record, "metric", "the metric is empty")
            return None
        alias = ALIASES.get(cell.lower())
        hint = f" (did you mean {alias!r}?)" if alias else did_you_mean(cell.lower(), [*BY_METRIC])
        names = ", ".join(m.name for m in METRICS)
        msg = f"unknown metric {shown(cell)}{hint}" + ("" if hint else f"; metrics: {names}")
        self.report("SP510", record, "metric", msg)
        return None

    def key(
        self, record: Record, metric: Metric, cells: dict[str, str], formulas: set[str]
    ) -> Key | None:
        """Return the key a row's tier, motion, stage and role cells give for its metric."""
        given = [k for k in KEY_COLUMNS if cells[k]]
        wrong = [k for k in given if k not in metric.keys and k not in formulas]
        for k in wrong:
            msg = f"{metric.name} has no {k}: it is given {metric.ways}; leave {k} empty"
            self.report("SP513", record, k, msg)
        used = tuple(k for k in given if k in metric.keys)
        fits = [b for b in metric.breakdowns if set(used) <= set(b)]
        keys = min(fits, key=len)  # every metric's largest breakdown holds all its keys
        for k in keys:
            if k not in used:
                msg = f"{metric.name} needs a {k} here: it is given {metric.ways}"
                self.report("SP512", record, k, msg)
        if wrong or keys != used or formulas & set(given):
            return None
        ok = self.names_known(record, cells, keys)
        first = self.breakdowns.setdefault(metric.name, (keys, record.line))
        if first[0] != keys:
            msg = (
                f"{metric.name} is given {breakdown_text(first[0])} on line {first[1]}, and "
                f"{breakdown_text(keys)} here: give it one way in the whole file"
            )
            self.report("SP514", record, "metric", msg)
            return None
        return Key(**{k: cells[k] for k in keys}) if ok else None

    def names_known(self, record: Record, cells: dict[str, str], keys: tuple[str, ...]) -> bool:
        """Report the tiers, motions, stages and roles the plan does not have."""
        ok = True

        def unknown(column: str, msg: str) -> None:
            nonlocal ok
            ok = False
            self.report("SP511", record, column, msg)

        tiers = self.names.motions
        tier, motion, stage = cells["tier"], cells["motion"], cells["stage"]
        if "tier" in keys and tier not in tiers:
            unknown("tier", f"no tier {shown(tier)} in the plan{did_you_mean(tier, [*tiers])}")
        elif "motion" in keys and motion not in tiers[tier]:
            motions = [*tiers[tier]]
            msg = f"tier {tier} has no motion {shown(motion)}{did_you_mean(motion, motions)}"
            unknown("motion", msg + f"; its motions: {', '.join(motions)}")
        elif "stage" in keys and stage not in tiers[tier][motion]:
            stages = tiers[tier][motion]
            msg = f"{tier}/{motion} has no stage {shown(stage)}"
            if stage == "won":
                msg += ": wins are their own metric, wins"
            else:
                msg += f"{did_you_mean(stage, [*stages])}; its stages: {', '.join(stages)}"
            unknown("stage", msg)
        role = cells["role"]
        if "role" in keys and role not in self.names.roles:
            roles = [*self.names.roles]
            unknown("role", f"no role {shown(role)} in the plan{did_you_mean(role, roles)}")
        return ok

    def value(self, record: Record, metric: Metric | None, cell: str) -> float | None:
        """Return a row's value: a number, never negative, within its metric's bound."""
        found = number(cell, self.dialect)
        if isinstance(found, str):
            self.report("SP520", record, "value", found)
            return None
        if found < 0:
            lost = metric is not None and metric.name in _LOSSES
            hint = "; what was lost is written as a positive number" if lost else ""
            msg = f"{cell} is negative: counts and amounts are never below 0{hint}"
            self.report("SP521", record, "value", msg)
            return None
        if metric is None:
            return None
        bound = metric.bound
        if found > bound:
            if bound == PEOPLE_BOUND:
                held = f"the most people a plan's role may count ({metric.name})"
            else:
                noun = "amount" if metric.unit is Unit.MONEY else "count"
                held = f"the largest {noun} a file of actuals may hold"
            msg = f"{cell} is above {bound:,.0f}, {held}"
            self.report("SP521", record, "value", msg)
            return None
        if metric.unit is Unit.COUNT and not found.is_integer():
            msg = f"{metric.name} is a count: {cell} is not a whole number"
            self.report("SP522", record, "value", msg)
            return None
        return found
