"""An actuals file made of a plan's own figures, for tests that compare a plan with itself.

Like ``tools/actuals_sample.py`` it writes one row per month, metric and key from the
plan's monthly figures, but exactly, with no noise and nothing gone differently: money
as Python writes a float (it reads back to the same float), counts whole.  Counts
(entries, wins, customers, heads …) must be whole in an actuals file, so each is rounded
and :data:`COUNT_TOLERANCE` says how far the plan's figure may be from a whole number;
tests take plans whose counts are whole, where variance is then exactly 0 for money and
within that tolerance for counts.
"""

from __future__ import annotations

import csv
import io

from salesplan.engine.structure import month_labels
from salesplan.engine.view import PlanView
from salesplan.load.actuals_format import BY_METRIC, COLUMNS, Unit
from salesplan.pipeline import CheckedActuals, Evaluation, run_actuals

COUNT_TOLERANCE = 1e-6  # how far from whole a plan's count may be and still be written


def _cell(metric: str, value: float) -> str:
    """Return a value as the file writes it: a whole count, or money to the last bit."""
    if BY_METRIC[metric].unit is Unit.COUNT:
        whole = round(value)
        assert abs(value - whole) <= COUNT_TOLERANCE, f"{metric}: {value} is not whole"
        return str(whole)
    return repr(float(value))


def plan_rows(view: PlanView, months: int) -> list[tuple[str, ...]]:
    """Return the rows of an actuals file of the plan's own first ``months``."""
    s = view.structure
    rev, fun = view.revenue, view.funnel
    rows: list[tuple[str, ...]] = []

    def add(
        month: str,
        metric: str,
        value: float,
        tier: str = "",
        motion: str = "",
        stage: str = "",
        role: str = "",
    ) -> None:
        rows.append((month, metric, tier, motion, stage, role, _cell(metric, value)))

    for t, month in enumerate(month_labels(s.start, months)):
        for j, (cell, stage) in enumerate(s.stages):
            add(month, "entries", float(fun.volume[j, t]), *s.cells[cell], stage)
        for m, (tier, motion) in enumerate(s.cells):
            add(month, "wins", float(fun.wins[m, t]), tier, motion)
            add(month, "marketing_cost", float(view.costs.marketing[m, t]), tier, motion)
        for k, tier in enumerate(s.tiers):
            for metric in (
                "new_mrr",
                "churned_mrr",
                "expansion_mrr",
                "mrr",
                "customers",
                "churned_customers",
            ):
                add(month, metric, float(getattr(rev, metric)[k, t]), tier)
        for r, role in enumerate(s.roles):
            add(month, "heads", float(view.heads[r, t]), role=role)
            add(month, "starts", float(view.starts[r, t]), role=role)
            add(month, "departures", float(view.departures[r, t]), role=role)
    return rows


def plan_actuals_text(view: PlanView, months: int) -> str:
    """Return the CSV text of an actuals file of the plan's own first ``months``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(plan_rows(view, months))
    return out.getvalue()


def plan_actuals(evaluation: Evaluation, months: int) -> CheckedActuals:
    """Return the plan's own first ``months`` written as an actuals file and read back."""
    text = plan_actuals_text(evaluation.plan, months)
    return run_actuals(evaluation, "plan-actuals.csv", text=text.encode())
