"""A hand-built report and problems that exercise every kind of cell the renderers meet."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from salesplan.problems import Location, Problem, Severity
from salesplan.report.chart import Chart, ChartKind, Series
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


MONTHS = tuple(f"{2027 + m // 12}-{m % 12 + 1:02d}" for m in range(24))
HOSTILE = '<script>alert("x")</script> & \x1b[31m\u202eevil'


def arr_chart() -> Chart:
    """Return a LINE chart: planned ARR with a P10–P90 band, and the target."""
    plan = tuple(400_000.0 + 190_000.0 * m + 2_500.0 * m * m for m in range(24))
    return Chart(
        name="arr",
        title="Ending ARR by month",
        kind=ChartKind.LINE,
        x_labels=MONTHS,
        series=(
            Series(
                "Plan",
                plan,
                low=tuple(v * (1 - 0.012 * m) for m, v in enumerate(plan)),
                high=tuple(v * (1 + 0.009 * m) for m, v in enumerate(plan)),
            ),
            Series("Target", tuple(400_000.0 + 250_000.0 * m for m in range(24))),
        ),
        unit=Kind.MONEY,
        notes=("Band: P10 to P90 of 2,000 simulated trials.",),
        meta={"currency": "USD", "band": "P10–P90"},
    )


def heads_chart() -> Chart:
    """Return a STACKED chart: heads by role by month, one role name hostile."""
    roles = {
        "AE": (4, 1, 3),
        "SDR": (3, 1, 4),
        "SE": (1, 1, 6),
        "CSM": (1, 1, 5),
        HOSTILE: (1, 0, 12),
    }
    series = tuple(
        Series(name, tuple(float(start + step * (m // every)) for m in range(24)))
        for name, (start, step, every) in roles.items()
    )
    return Chart("heads", "Heads by role", ChartKind.STACKED, MONTHS, series, Kind.COUNT)


def funnel_chart() -> Chart:
    """Return a BARS chart: funnel volume by stage, with whiskers."""
    stages = ("Leads", "MQLs", "SQLs", "Opportunities", "Closed won")
    volume = (12_400.0, 3_720.0, 1_116.0, 446.0, 98.0)
    return Chart(
        "funnel",
        "Funnel volume in 2027",
        ChartKind.BARS,
        stages,
        (
            Series(
                "Volume",
                volume,
                low=tuple(v * 0.8 for v in volume),
                high=tuple(v * 1.15 for v in volume),
            ),
        ),
        Kind.COUNT,
        meta={"band": "P10–P90"},
    )


def sensitivity_chart() -> Chart:
    """Return a TORNADO: ending ARR with each input at its low and its high."""
    inputs = (
        "mid_market ACV",
        "ae attainment",
        "smb churn",
        'mid_market/outbound "opportunity" rate',
        "sdr capacity (sql)",
    )
    return Chart(
        "sensitivity",
        "Ending ARR: what moves it",
        ChartKind.TORNADO,
        inputs,
        (
            Series("Input at low", (4.1e6, 4.3e6, 5.6e6, 4.75e6, 4.8e6)),
            Series("Input at high", (5.9e6, 5.7e6, 4.5e6, 5.3e6, 5.25e6)),
        ),
        Kind.MONEY,
        base=5.0e6,
        notes=("Each input swung alone over its range.",),
        meta={"currency": "EUR", "base": "Plan"},
    )


def hires_chart() -> Chart:
    """Return a TIMELINE: hires by role and month."""
    plan = {
        "AE": {0: 2, 3: 1, 6: 1, 9: 2, 12: 1, 15: 1, 18: 2, 21: 1},
        "SDR": {0: 2, 4: 1, 8: 1, 12: 1, 16: 1, 20: 1},
        "SE": {1: 1, 7: 1, 13: 1, 19: 1},
        "CSM": {2: 1, 7: 1, 12: 1, 17: 1, 22: 1},
        "Sales manager": {5: 1, 17: 1},
    }
    series = tuple(
        Series(role, tuple(float(months.get(m, 0)) for m in range(24)))
        for role, months in plan.items()
    )
    return Chart("hires", "Hires by role and month", ChartKind.TIMELINE, MONTHS, series, Kind.COUNT)


def sample_charts() -> tuple[Chart, ...]:
    """Return one chart of every kind."""
    return (arr_chart(), heads_chart(), funnel_chart(), sensitivity_chart(), hires_chart())


def chart_report() -> Report:
    """Return the sample report with a chart of every kind and a hostile title."""
    return replace(
        sample_report(),
        title="Acme 2027 sales plan <board> & \x07review",
        charts=sample_charts(),
    )
