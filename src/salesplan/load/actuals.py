"""Read an actuals file against a plan: typed values by metric, key and month, or problems.

The route: bytes ─► CSV records (:mod:`salesplan.load.csvread`: encoding, dialect, syntax,
ragged rows) ─► the header (the columns of :mod:`salesplan.load.actuals_format`) ─► each row
(:mod:`salesplan.load.actuals_rows`: formulas, month, metric, keys, value, duplicates) ─►
the months as a whole (:mod:`salesplan.load.actuals_months`: the last month of actuals,
months past it, missing months, wins against entries).  A problem in the file, its syntax or
its header stops the reading (the rows cannot be trusted to mean what they say); past that,
every row is checked, so one run reports every problem (up to :data:`MAX_PROBLEMS`).  The
reader never prints, exits or raises, and it knows the plan only by its names
(:class:`PlanNames`), not the engine.
"""

from __future__ import annotations

from salesplan.load.actuals_data import TOTAL, Actuals, Key, PlanNames
from salesplan.load.actuals_format import COLUMNS
from salesplan.load.actuals_months import check_months
from salesplan.load.actuals_rows import Rows, shown
from salesplan.load.csvread import Dialect, Record, even_records, read_csv, read_file
from salesplan.problems import Location, Problem, did_you_mean, has_errors, sorted_problems
from salesplan.problems.codes import problem

MAX_PROBLEMS = 1_000
"""Most problems reported in the rows of one file; reading stops there (SP508)."""


def read_actuals(path: str, raw: bytes, names: PlanNames) -> tuple[Actuals | None, list[Problem]]:
    """Read an actuals file's bytes against a plan's names; never raise.

    Return the actuals when the file has no errors (warnings may come with them), and every
    problem found, in file order.
    """
    table, problems = read_csv(path, raw)
    if table is None:
        return None, sorted_problems(problems)
    columns, header = _columns(path, table.header)
    if columns is None:
        return None, sorted_problems(problems + header)
    records, ragged = even_records(table)
    rows = Rows(path, names, table.dialect, columns)
    for record in records:
        if len(rows.problems) >= MAX_PROBLEMS:
            # A file of nothing but bad rows costs no more than this to report.
            msg = f"reading stopped here, after {MAX_PROBLEMS:,} problems: fix these first"
            rows.problems.append(problem("SP508", Location(path, record.line, 1), msg))
            rows.unplaced += 1
            break
        rows.read(record)
    # Months are judged as a whole only when every row was read and placed: a row cut
    # short, left out or of an unknown month or metric would show up again as a gap.
    whole = not problems and not ragged and not rows.unplaced
    problems += ragged + rows.problems
    through, more = check_months(rows, names, whole=whole, rows_clean=not has_errors(problems))
    problems = sorted_problems(problems + more)
    if through is None or has_errors(problems):
        return None, problems
    return _assembled(path, names, table.dialect, rows, through), problems


def read_actuals_file(path: str, names: PlanNames) -> tuple[Actuals | None, list[Problem]]:
    """Read an actuals file from disk against a plan's names; never raise."""
    raw, problems = read_file(path)
    if raw is None:
        return None, problems
    return read_actuals(path, raw, names)


def _columns(path: str, header: Record) -> tuple[dict[str, int] | None, list[Problem]]:
    """Return the 0-based position of each column in the header, or why the header is wrong."""
    seen: dict[str, int] = {}
    problems: list[Problem] = []
    for i, cell in enumerate(header.cells):
        name, where = cell.strip(), Location(path, header.line, i + 1)
        if "\t" in name:
            msg = "the header is separated by tabs: save the file as CSV (commas, or semicolons)"
            problems.append(problem("SP507", where, msg))
        elif not name:
            problems.append(problem("SP507", where, f"column {i + 1} of the header has no name"))
        elif name not in COLUMNS:
            hint = did_you_mean(name.lower(), list(COLUMNS)) or did_you_mean(name, list(COLUMNS))
            msg = f"unknown column {shown(name)}{hint}"
            problems.append(problem("SP507", where, msg))
        elif name in seen:
            msg = f"the column {name!r} twice (first as column {seen[name] + 1})"
            problems.append(problem("SP507", where, msg))
        else:
            seen[name] = i
    missing = [c for c in COLUMNS if c not in seen]
    if missing:
        msg = (
            f"the header lacks {', '.join(missing)}: an actuals file has the columns "
            f"{','.join(COLUMNS)} (in any order; key cells empty where they do not apply)"
        )
        problems.append(problem("SP506", Location(path, header.line, 1), msg))
    return (None if problems else seen), problems


def _assembled(path: str, names: PlanNames, dialect: Dialect, rows: Rows, through: int) -> Actuals:
    """Return the rows' values as :class:`Actuals`, each metric over its months."""
    months = {
        metric: range(min(reported), through + 1) for metric, reported in rows.reported.items()
    }
    values: dict[str, dict[Key, list[float]]] = {m: {} for m in months}
    cells: dict[tuple[str, Key, int], Location] = {}
    for (metric, key, month), (value, where) in rows.values.items():
        span = months[metric]
        series = values[metric].setdefault(key, [0.0] * len(span))
        series[month - span.start] = value
        cells[metric, key, month] = where
    return Actuals(
        path=path,
        names=names,
        dialect=dialect,
        through=through,
        months=months,
        breakdowns={m: rows.breakdowns[m][0] for m in months if m in rows.breakdowns},
        values={m: {k: tuple(v) for k, v in ks.items()} for m, ks in values.items()},
        cells=cells,
    )


__all__ = ["TOTAL", "Actuals", "Key", "PlanNames", "read_actuals", "read_actuals_file"]
