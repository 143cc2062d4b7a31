"""The route of a reforecast: a plan and its actuals in, the re-based plan run, never printing.

    plan (the whole route) + actuals (read against it) ─► the state at the last month of
    actuals ─► the rates that carry forward ─► the re-based plan's keys, as a plan file
    that extends the original ─► that file along the same route as any plan ─► its outlook

The re-based plan is taken along :func:`salesplan.pipeline.run_plan` from its text, so a
plan written with ``--write-plan`` and planned again gives the same figures by
construction: there is one route, not two.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from salesplan.choices import Rates
from salesplan.engine.actuals import ActualArrays
from salesplan.engine.confidence import QUICK_SEED, QUICK_TRIALS
from salesplan.engine.outlook import Outlook
from salesplan.engine.realised import RATE_FLOOR, RateRanges, Realised, realised_rates
from salesplan.engine.rebase_actuals import ActualStart, actual_start
from salesplan.engine.structure import FloatArray, month_labels
from salesplan.load.actuals import Actuals
from salesplan.load.sources import ReadPlan, read_working_tree
from salesplan.pipeline import Checked, Evaluation, run_plan
from salesplan.problems import Problem
from salesplan.reforecast.rebased import Rebased, plan_text, rebased_plan

# Replaced rates closer than this to the plan's are left as the plan writes them.
SAME_RATE = 1e-12


@dataclass(frozen=True)
class Carried:
    """The conversion rates a reforecast runs on, by stage ``[J]``."""

    mode: Rates
    plan: FloatArray  # [J] the plan's rates (likely values)
    used: FloatArray  # [J] the rates the reforecast runs on
    realised: Realised  # what the actuals show, with intervals and the blend

    @property
    def replaced(self) -> dict[int, float]:
        """Return the rates that differ from the plan's, by stage row."""
        return {
            j: float(self.used[j])
            for j in range(len(self.used))
            if abs(self.used[j] - self.plan[j]) > SAME_RATE * max(1.0, abs(self.plan[j]))
        }


@dataclass(frozen=True)
class Reforecast:
    """A plan planned again from its actuals: the state, the rates, the re-based plan."""

    original: Evaluation
    actuals_path: str
    start: ActualStart
    rates: Carried
    rebased: Rebased
    path: str  # the re-based plan's path (where --write-plan writes it)
    text: str  # the re-based plan file
    checked: Checked | None  # the re-based plan along the route (None: the target is met)
    outlook: Outlook | None  # its hires forwards and a quick simulation (None: not run)
    trials: int = QUICK_TRIALS  # simulated worlds asked for (0: forwards only)

    @property
    def evaluation(self) -> Evaluation | None:
        """Return the re-based plan's evaluation, or None when there is none."""
        return None if self.checked is None else self.checked.evaluation

    @property
    def met(self) -> bool:
        """Return whether the months to date (and the opening base) already meet the target."""
        left = self.rebased.target_left
        if left is not None and left <= 0:
            return True
        return self.checked is not None and any(p.code == "SP300" for p in self.checked.problems)

    @property
    def problems(self) -> tuple[Problem, ...]:
        """Return the re-based plan's problems (errors and warnings)."""
        return () if self.checked is None else self.checked.problems

    @property
    def first_month(self) -> str:
        """Return the label of the reforecast's first month."""
        s = self.original.plan.structure
        return month_labels(s.start, s.months)[self.start.state.month]


def rebased_path(original: str, write_plan: str | None) -> str:
    """Return where the re-based plan lives: the file to write, else a name beside the
    original (``series-a.reforecast.yaml``) that is only used to name it in messages."""
    if write_plan is not None:
        return write_plan
    stem, _ = os.path.splitext(os.path.basename(original))
    return os.path.join(os.path.dirname(original), f"{stem}.reforecast.yaml")


def run_reforecast(
    original: Evaluation,
    actuals: Actuals,
    actuals_path: str,
    rates: Rates = Rates.PLAN,
    *,
    path: str | None = None,
    trials: int = QUICK_TRIALS,
    seed: int = QUICK_SEED,
    read: ReadPlan = read_working_tree,
) -> Reforecast:
    """Plan the rest of ``original`` again from its actuals (docs/model.md §15).

    ``path`` is the re-based plan's path (default: beside the original); its ``extends``
    names the original relative to it.  The outlook runs the re-based plan's hires
    forwards and ``trials`` seeded simulated worlds (0: forwards only).  Raise ValueError
    when the actuals reach the plan's last month (nothing is left to plan).
    """
    view = original.plan
    s = view.structure
    label = month_labels(s.start, s.months)
    if actuals.through >= s.months - 1:
        raise ValueError(
            f"the actuals reach {label[actuals.through]}, the plan's last month: no month is "
            "left to plan"
        )
    arrays = original.actual_arrays(actuals)
    start = actual_start(view, arrays)
    carried = carried_rates(original, arrays, rates)
    where = path or rebased_path(original.loaded.path, None)
    extends = os.path.relpath(original.loaded.path, os.path.dirname(where) or ".")
    rebased = rebased_plan(
        original.loaded.plan, view, start.state, extends.replace(os.sep, "/"), carried.replaced
    )
    comments = (
        *_schema_line(original.loaded.path, where),
        f"Reforecast of {os.path.basename(original.loaded.path)} from {label[start.state.month]}, "
        f"written by salesplan reforecast",
        f"actuals: {os.path.basename(actuals_path)}, through {label[start.state.month - 1]}; "
        f"rates: {rates.value}",
    )
    text = plan_text(rebased.data, comments)
    left = rebased.target_left
    if left is not None and left <= 0:
        return Reforecast(
            original, actuals_path, start, carried, rebased, where, text, None, None, trials
        )
    checked = run_plan(where, text=text.encode("utf-8"), read=read)
    evaluation = checked.evaluation
    outlook = None if evaluation is None else evaluation.outlook(trials, seed)
    return Reforecast(
        original, actuals_path, start, carried, rebased, where, text, checked, outlook, trials
    )


SCHEMA_LINE = "# yaml-language-server: $schema="


def _schema_line(original: str, where: str) -> tuple[str, ...]:
    """Return the editor's schema line for the re-based plan, pointing where the original's
    does (relative to the new file), or nothing when the original has none."""
    try:
        with open(original, encoding="utf-8") as f:
            first = f.readline().strip()
    except (OSError, UnicodeDecodeError):
        return ()
    if not first.startswith(SCHEMA_LINE):
        return ()
    target = first.removeprefix(SCHEMA_LINE).strip()
    if "://" not in target:
        schema = os.path.join(os.path.dirname(original), target)
        target = os.path.relpath(schema, os.path.dirname(where) or ".").replace(os.sep, "/")
    return (SCHEMA_LINE.removeprefix("# ") + target,)


def carried_rates(original: Evaluation, arrays: ActualArrays, mode: Rates) -> Carried:
    """Return the rates a reforecast runs on: the plan's, the realised ones where the
    actuals show a rate (the plan's elsewhere), or the credibility blend of the two."""
    s, p = original.plan.structure, original.plan.params
    ranges = RateRanges.of(original.compiled.inputs, len(s.stages))
    realised = realised_rates(s, p.stage_rate, p.stage_days, arrays, ranges)
    plan = np.asarray(p.stage_rate, dtype=np.float64)
    if mode is Rates.PLAN:
        used = plan.copy()
    elif mode is Rates.ACTUAL:
        shown = np.array([not why for why in realised.why]) & (realised.entered > 0)
        used = np.where(shown, np.clip(realised.rate, RATE_FLOOR, 1.0), plan)
    else:
        used = np.asarray(realised.blended, dtype=np.float64)
    return Carried(mode, plan, used, realised)
