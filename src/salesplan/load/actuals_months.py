"""Check an actuals file's months as a whole: the last month of actuals, gaps, wins.

**The last month of actuals** is the newest month every metric in the file reaches (the
earliest of the metrics' last months).  A month past it is *in the future of the data*: some
metric has not been reported for it yet, so it is an incomplete month (an export taken
mid-month, a typo in a year, a planned figure typed in early), and it is refused rather
than read as if the missing metrics were 0.  **Missing months**: from its first month to the
last month of actuals, a metric has rows in every month (a month with nothing to report has
rows of 0); a key without a row in such a month is 0 there.  **Wins against entries**: a
deal is won after it entered its motion's last stage, so over the months both are reported
a motion's wins should not outrun those entries; as deals that entered before the file's
first month may close in it (a motion being wound down, a long last stage), this is a
warning, not an error.
"""

from __future__ import annotations

import itertools

from salesplan.load.actuals_data import Key, PlanNames
from salesplan.load.actuals_rows import Rows
from salesplan.problems import Location, Problem
from salesplan.problems.codes import problem


def check_months(
    rows: Rows, names: PlanNames, *, whole: bool, rows_clean: bool
) -> tuple[int | None, list[Problem]]:
    """Return the last month of actuals and what is wrong with the months as a whole.

    ``whole`` says every record was read (else gaps would be the reader's, not the file's);
    ``rows_clean`` says no row had an error (else wins and entries would be totals of what
    happened to read).
    """
    if not rows.reported or not whole:
        return None, []
    through = min(max(months) for months in rows.reported.values())
    problems = _past(rows, names, through) + _gaps(rows, names, through)
    if rows_clean and not problems:
        problems += _wins_above_entries(rows, names, through)
    return through, problems


def _listed(words: list[str], most: int = 4) -> str:
    """Join words for a message, naming at most ``most``.

    >>> _listed(["a"]), _listed(["a", "b", "c"]), _listed(list("abcdef"))
    ('a', 'a, b and c', 'a, b, c, d and 2 more')
    """
    if len(words) > most:
        return ", ".join(words[:most]) + f" and {len(words) - most} more"
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def _past(rows: Rows, names: PlanNames, through: int) -> list[Problem]:
    """Report each month past the last month of actuals, at its first row."""
    later = sorted({m for months in rows.reported.values() for m in months if m > through})
    problems = []
    for month in later:
        where = min(ms[month] for ms in rows.reported.values() if month in ms)
        short = sorted(name for name, ms in rows.reported.items() if max(ms) < month)
        label, last = names.label(month), names.label(through)
        msg = (
            f"{label} is past the last month of actuals, {last}, the newest month every "
            f"metric reaches: {_listed(short)} {'has' if len(short) == 1 else 'have'} no rows "
            f"for {label}; leave {label} out until it is complete"
        )
        problems.append(problem("SP517", where, msg))
    return problems


def _gaps(rows: Rows, names: PlanNames, through: int) -> list[Problem]:
    """Report each run of months a metric skips, at its first row after the run."""
    problems = []
    for metric, reported in sorted(rows.reported.items()):
        months = sorted(m for m in reported if m <= through)
        for before, after in itertools.pairwise(months):
            if after == before + 1:
                continue
            first, last = names.label(before + 1), names.label(after - 1)
            span = first if after == before + 2 else f"{first}..{last}"
            msg = (
                f"{metric} has no rows for {span}, between {names.label(before)} and "
                f"{names.label(after)}: give every month from its first "
                f"({names.label(months[0])}), with 0 where nothing happened"
            )
            problems.append(problem("SP518", reported[after], msg))
    return problems


def _wins_above_entries(rows: Rows, names: PlanNames, through: int) -> list[Problem]:
    """Warn where a motion's wins, added up month by month, pass its last stage's entries."""
    wins, entries = rows.reported.get("wins"), rows.reported.get("entries")
    if not wins or not entries:
        return []
    start = max(min(wins), min(entries))
    problems = []
    for tier, motions in names.motions.items():
        for motion, stages in motions.items():
            last = stages[-1]
            won, entered = 0.0, 0.0
            for month in range(start, through + 1):
                entered += _value(rows, "entries", Key(tier, motion, last), month)
                won += _value(rows, "wins", Key(tier, motion), month)
                if won <= entered:
                    continue
                cell = rows.values.get(("wins", Key(tier, motion), month))
                where: Location = cell[1] if cell else wins[month]
                first = names.label(start)
                span = f"in {first}" if month == start else f"over {first}..{names.label(month)}"
                msg = (
                    f"wins of {tier}/{motion} come to {won:g} {span}, more than the "
                    f"{entered:g} entries into its last stage, {last}: are entries missing? "
                    f"(deals that entered {last} before {first} may explain it)"
                )
                problems.append(problem("SP530", where, msg))
                break
    return problems


def _value(rows: Rows, metric: str, key: Key, month: int) -> float:
    """Return a row's value, 0 where the key has no row that month."""
    cell = rows.values.get((metric, key, month))
    return cell[0] if cell else 0.0
