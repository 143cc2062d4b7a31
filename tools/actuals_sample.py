"""Write configs/actuals/series-a-2027-q1.csv: the series-A plan's first quarter, as it went.

Run ``.venv/bin/python -m tools.actuals_sample`` again when the plan changes (its roles,
tiers or figures): the sample follows the plan's own monthly figures, so it stays a quarter
of realistic actuals for whatever the plan now holds.  The plan's figures are made whole
(deals, customers and people are counted), carry a little deterministic noise, and two
things went differently from the plan:

- **a win-rate miss in SMB inbound**: its SQLs turn into wins at about 60% of the plan's
  rate (about 15% of SQLs won, against the plan's 25%), and new MRR follows the wins;
- **an AE who starts a month late**: the plan's first AE start in the quarter slips to the
  month after, so that month ends one AE short, with the requisition still open.

Revenue adds up (MRR at a month's end is the last month's plus new and expansion less
churned MRR; customers likewise with wins and churned customers), heads follow starts and
departures, and marketing is the plan's cost per entry times the actual entries plus its
programme spend.  The file is read back against the plan before it is written.
"""

from __future__ import annotations

import csv
import io
import random
import sys
from collections import defaultdict
from collections.abc import Mapping, Sequence
from pathlib import Path

from salesplan.api import economics_report, evaluate, plan_report
from salesplan.load.actuals import PlanNames, read_actuals
from salesplan.load.actuals_format import COLUMNS, METRICS

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "configs" / "series-a.yaml"
SAMPLE = ROOT / "configs" / "actuals" / "series-a-2027-q1.csv"
MONTHS = 3
SEED = 2027
WIN_RATE_MISS = ("smb", "inbound", 0.6)  # tier, motion, share of the plan's wins
LATE_ROLE = "ae"

Row = tuple[str, str, str, str, str, str, float]
Records = Sequence[Mapping[str, object]]
REVENUE = (
    *("mrr", "customers", "new_customers", "churned_customers"),
    *("new_mrr", "churned_mrr", "expansion_mrr"),
)  # the revenue table's columns the sample follows


def _by(records: Records, *keys: str) -> dict[tuple[str, ...], float]:
    """Index a report table's rows by some of its text columns, keeping one number column."""
    *texts, number = keys
    return {tuple(str(r[k]) for k in texts): float(str(r[number])) for r in records}


def row(month: str, metric: str, value: float, *keys: str, role: str = "") -> Row:
    """Return one row: tier, motion and stage are given in that order, as far as they go."""
    tier, motion, stage = (*keys, "", "", "")[:3]
    return (month, metric, tier, motion, stage, role, value)


class Quarter:
    """The plan's first months and what the sample makes of them, one block at a time."""

    def __init__(self) -> None:
        evaluation = evaluate(str(PLAN))
        self.names = PlanNames.of(evaluation.loaded.plan)
        self.view = evaluation.plan
        self.months = [self.names.label(m) for m in range(MONTHS)]
        self.noise = random.Random(SEED)
        report = plan_report(evaluation, "month")
        self.funnel = report.table("funnel").records()
        self.revenue = report.table("revenue").records()
        self.marketing = economics_report(evaluation, "month").table("marketing").records()
        self.wins: dict[tuple[str, str], float] = defaultdict(float)  # (tier, month) -> wins
        self.first_entries: dict[tuple[str, str, str], float] = {}  # (tier, motion, month)

    def funnel_rows(self) -> list[Row]:
        """Return entries per stage and wins per motion, with SMB inbound's win-rate miss."""
        volume = _by(self.funnel, "tier", "motion", "stage", "period", "volume")
        rows = []
        for month in self.months:
            for tier, motions in self.names.motions.items():
                for motion, stages in motions.items():
                    for stage in stages:
                        planned = volume[tier, motion, stage, month]
                        entered = round(planned * self.noise.uniform(0.93, 1.07))
                        rows.append(row(month, "entries", entered, tier, motion, stage))
                        if stage == stages[0]:
                            self.first_entries[tier, motion, month] = entered
                    missed = WIN_RATE_MISS[2] if (tier, motion) == WIN_RATE_MISS[:2] else 1.0
                    planned = volume[tier, motion, "won", month] * missed
                    won = round(planned * self.noise.uniform(0.9, 1.1))
                    rows.append(row(month, "wins", won, tier, motion))
                    self.wins[tier, month] += won
        return rows

    def revenue_rows(self) -> list[Row]:
        """Return revenue per tier: flows at the plan's prices and rates, stocks added up."""
        rows = []
        planned = {c: _by(self.revenue, "tier", "period", c) for c in REVENUE}
        first = self.months[0]
        for tier in self.names.motions:
            p = {c: {m: planned[c][tier, m] for m in self.months} for c in REVENUE}
            # The opening stocks: the first month's less what happened in it.
            flows = p["new_mrr"][first] + p["expansion_mrr"][first] - p["churned_mrr"][first]
            mrr = round(p["mrr"][first] - flows)
            customers = round(
                p["customers"][first] - p["new_customers"][first] + p["churned_customers"][first]
            )
            price = p["new_mrr"][first] / p["new_customers"][first]
            lost_each = p["churned_mrr"][first] / max(p["churned_customers"][first], 1e-9)
            churn_planned = 0.0
            for month in self.months:
                # Whole churned customers that keep pace with the plan's fractional ones.
                before = round(churn_planned)
                churn_planned += p["churned_customers"][month]
                churned = round(churn_planned) - before
                new_mrr = round(self.wins[tier, month] * price * self.noise.uniform(0.95, 1.05))
                churned_mrr = round(churned * lost_each)
                expansion = round(p["expansion_mrr"][month] * self.noise.uniform(0.9, 1.1))
                mrr += new_mrr + expansion - churned_mrr
                customers += round(self.wins[tier, month]) - churned
                rows += [
                    row(month, "new_mrr", new_mrr, tier),
                    row(month, "churned_mrr", churned_mrr, tier),
                    row(month, "expansion_mrr", expansion, tier),
                    row(month, "mrr", mrr, tier),
                    row(month, "customers", customers, tier),
                    row(month, "churned_customers", churned, tier),
                ]
        return rows

    def people_rows(self) -> list[Row]:
        """Return heads, starts, departures and open requisitions; one AE starts late."""
        view, roles = self.view, self.view.structure.roles
        starts = {
            r: [round(float(view.starts[i, m])) for m in range(MONTHS)] for i, r in enumerate(roles)
        }
        late = next((m for m, n in enumerate(starts[LATE_ROLE]) if n), None)
        if late is None:
            sys.exit(f"tools.actuals_sample: no {LATE_ROLE} starts in the plan's first months")
        starts[LATE_ROLE][late] -= 1
        if late + 1 < MONTHS:
            starts[LATE_ROLE][late + 1] += 1
        rows = []
        for i, role in enumerate(roles):
            heads = round(float(view.heads[i, 0] - view.starts[i, 0] + view.departures[i, 0]))
            reqs = round(float(view.reqs_before[i]))
            for m, month in enumerate(self.months):
                left = round(float(view.departures[i, m]))
                heads += starts[role][m] - left
                reqs += round(float(view.reqs_opened[i, m])) - starts[role][m]
                rows += [
                    row(month, "heads", heads, role=role),
                    row(month, "starts", starts[role][m], role=role),
                    row(month, "departures", left, role=role),
                    row(month, "open_requisitions", reqs, role=role),
                ]
        return rows

    def marketing_rows(self) -> list[Row]:
        """Return marketing per motion: the plan's cost per entry on the actual entries."""
        per_entry = _by(self.marketing, "tier", "motion", "period", "cost_per_entry")
        programme = _by(self.marketing, "tier", "motion", "period", "programme_cost")
        rows = []
        for month in self.months:
            for tier, motions in self.names.motions.items():
                for motion in motions:
                    spent = per_entry[tier, motion, month] * self.first_entries[tier, motion, month]
                    spent += programme[tier, motion, month]
                    rows.append(row(month, "marketing_cost", round(spent), tier, motion))
        return rows


def sample_rows() -> list[Row]:
    """Return the sample's rows: the plan's first months, whole, a little noisy, a bit off."""
    quarter = Quarter()
    rows = quarter.funnel_rows() + quarter.revenue_rows()  # revenue follows the wins
    rows += quarter.people_rows() + quarter.marketing_rows()
    order = {m.name: i for i, m in enumerate(METRICS)}
    return sorted(rows, key=lambda r: (r[0], order[r[1]]))


def sample_text(rows: list[Row]) -> str:
    """Return the rows as the sample file's CSV text."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows((*r[:6], f"{r[6]:g}") for r in rows)
    return out.getvalue()


def main() -> int:
    """Write the sample when it reads clean against the plan; else say why and fail."""
    text = sample_text(sample_rows())
    names = PlanNames.of(evaluate(str(PLAN)).loaded.plan)
    _, problems = read_actuals(str(SAMPLE), text.encode(), names)
    if problems:
        sys.stderr.write("".join(f"{p}\n" for p in problems))
        return 1
    SAMPLE.parent.mkdir(parents=True, exist_ok=True)
    SAMPLE.write_text(text, encoding="utf-8", newline="\n")
    sys.stderr.write(f"tools.actuals_sample: wrote {SAMPLE.relative_to(ROOT)}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
