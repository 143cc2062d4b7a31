"""Rules of thumb about the hiring plan the engine made (docs/model.md §4, §8)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from salesplan.checks.rule import Context, Rule
from salesplan.engine.structure import MANAGES, month_labels
from salesplan.problems import Problem
from salesplan.problems.codes import problem

MAX_INTERVIEW_SHARE = 0.25  # Blueprints: interviewing eats ~25% of time in hiring waves


def interviewing_load(ctx: Context) -> Iterator[Problem]:
    """SP408: interviewing takes more than 25% of a manager's month.

    In a month, a manager role spends ``starts × interview_hours_per_hire`` hours on each
    role it manages (a role managed by several manager roles splits the hours between them),
    shared by its heads that month, each with ``company.work_hours_per_month``.  Hiring
    waves eat ~25% of a seller's time in interviews (Blueprints); beyond that, coaching and
    selling suffer.  Hires are counted in their start month.  A month with hires to
    interview for but no manager in post counts as over the line.
    """
    view = ctx.evaluation.plan
    s = view.structure
    T = s.months
    R = len(s.roles)
    managers_of = np.zeros(R)
    manages: dict[int, np.ndarray] = {}
    for d in s.drivers:
        if d.kind == MANAGES:
            manages[d.role] = manages.get(d.role, np.zeros(R, dtype=bool)) | d.managed
    for mask in manages.values():
        managers_of += mask
    hours_per_start = view.params.interview_hours_per_hire / np.maximum(managers_of, 1)  # [R]
    labels = month_labels(s.start, T)
    for m, mask in manages.items():
        hours = (view.starts[mask, :T] * hours_per_start[mask, None]).sum(axis=0)  # [T]
        available = view.heads[m, :T] * s.work_hours_per_month
        over = (hours > MAX_INTERVIEW_SHARE * available) & (hours > 0)
        months = np.nonzero(over)[0]
        if not len(months):
            continue
        share = np.where(available > 0, hours / np.where(available > 0, available, 1.0), np.inf)
        worst = int(months[np.argmax(share[months])])
        role = s.roles[m]
        if np.isfinite(share[worst]):
            peak = f"peaking at {share[worst]:.0%} in {labels[worst]} ({hours[worst]:.0f} h)"
        else:
            peak = f"with no {role} in post to interview in {labels[worst]} ({hours[worst]:.0f} h)"
        yield problem(
            "SP408",
            ctx.where(("roles", role), key=True),
            f"interviewing takes over {MAX_INTERVIEW_SHARE:.0%} of {role}'s month in "
            f"{len(months)} month(s), {peak}; hire managers earlier or spread the starts",
        )


RULES: tuple[Rule, ...] = (Rule("SP408", interviewing_load),)
