"""A hand-built report and problems that exercise every kind of cell the renderers meet."""

from __future__ import annotations

from pathlib import Path

from salesplan.problems import Location, Problem, Severity
from salesplan.report.table import NA, Column, Kind, Report, Table

GOLDEN = Path(__file__).parent / "golden"

NO_CUSTOMERS = NA("no new customers in the period")


def plan_table() -> Table:
    """Return a table with every column kind, n/a cells and hostile text."""
    return Table(
        name="plan",
        title="Plan by tier",
        columns=(
            Column("tier", "Tier", Kind.TEXT),
            Column("new_customers", "New customers", Kind.COUNT, unit="customers", digits=1),
            Column("new_arr", "New ARR", Kind.MONEY),
            Column("win_rate", "Win rate", Kind.RATE, digits=1),
            Column("cac_payback", "CAC payback", Kind.NUMBER, unit="months", digits=1),
            Column("note", "Note", Kind.TEXT),
        ),
        rows=(
            ("Enterprise", 12.0, 1234567, 0.253, 14.25, "=SUM(A1)"),
            ("Mid-market", 1234, -1234.4, 0.1, NO_CUSTOMERS, "-foo"),
            ('SMB, "self-serve"\nonline', 0.1, -0.2, NO_CUSTOMERS, NA("zero churn"), None),
        ),
        notes=("Win rate is per qualified opportunity.",),
        meta={"currency": "USD"},
    )


def pods_table() -> Table:
    """Return a second table, in euros, with a pipe in a label."""
    return Table(
        name="pods",
        title="PODs",
        columns=(
            Column("pod", "POD", Kind.TEXT),
            Column("heads", "Heads", Kind.COUNT, unit="people"),
            Column("quota", "Quota", Kind.MONEY, unit="per year", digits=2),
        ),
        rows=(
            ("Pod |A|", 5, 2500000.5),
            ("Pod B", 3, NA("no quota set")),
        ),
        meta={"currency": "EUR"},
    )


def sample_report() -> Report:
    """Return a two-table report with a summary and a warning."""
    return Report(
        kind="plan",
        title="Acme 2027 sales plan",
        tables=(plan_table(), pods_table()),
        meta={"plan": "acme.yaml", "currency": "USD"},
        summary=("Target: $10M new ARR in 2027", "! Capacity gap: 3 more AEs needed in Q2"),
    )


def wide_report(months: int = 14) -> Report:
    """Return a report whose monthly table is far wider than 100 columns."""
    columns = (
        Column("role", "Role", Kind.TEXT),
        *(Column(f"m{m:02d}", f"Month {m}", Kind.MONEY) for m in range(1, months + 1)),
    )
    rows = tuple(
        (role, *(1_000_000.0 * (m + 1) + i for m in range(months)))
        for i, role in enumerate(("Account executive (enterprise)", "SDR"))
    )
    table = Table("quota", "Quota by month", columns, rows)
    return Report("plan", "Wide", (table,))


def sample_problems() -> list[Problem]:
    """Return problems with every severity and characters GitHub needs escaped."""
    return [
        Problem(
            Location("plans/acme.yaml", 12, 5),
            "SP201",
            Severity.ERROR,
            "unknown role 'AE2'; did you mean 'AE'?",
        ),
        Problem(
            Location("plans/a,b:c.yaml", 3, 0),
            "SP401",
            Severity.WARNING,
            "win rate 60% is above the 40% benchmark\nsee DOMAIN.md",
        ),
        Problem(Location("plans/base.yaml"), "SP101", Severity.ERROR, "cannot read the file"),
    ]
