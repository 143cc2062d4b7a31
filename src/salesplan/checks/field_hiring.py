"""Rules of thumb about the hiring plan the engine made (docs/model.md §4, §8)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from salesplan.checks.rule import Context, Rule
from salesplan.engine.structure import month_labels
from salesplan.problems import Problem
from salesplan.problems.codes import problem

MAX_INTERVIEW_SHARE = 0.25  # Blueprints: interviewing eats ~25% of time in hiring waves


def interviewing_load(ctx: Context) -> Iterator[Problem]:
    """SP408: interviewing takes more than 25% of an interviewer's month.

    Each start costs its role's ``interview_hours_per_hire``, shared by the roles that
    interview for it (``interviewers``, by default the roles that manage it), spread over
    the months its requisition is open (docs/model.md, "Interviewing").  The engine already
    adds those hours to the interviewers' need, so the plan hires for them; past 25% of the
    heads' working hours (``company.work_hours_per_month`` each), coaching and selling
    suffer: hiring waves eat ~25% of a seller's time in interviews (Blueprints).  A month
    with candidates to interview but no interviewer in post counts as over the line.
    """
    view = ctx.evaluation.plan
    s = view.structure
    T = s.months
    labels = month_labels(s.start, T)
    for i, role in enumerate(s.roles):
        hours = view.interview_hours[i, :T]
        available = view.heads[i, :T] * s.work_hours_per_month
        over = (hours > MAX_INTERVIEW_SHARE * available) & (hours > 1e-9)
        months = np.nonzero(over)[0]
        if not len(months):
            continue
        share = np.where(available > 0, hours / np.where(available > 0, available, 1.0), np.inf)
        worst = int(months[np.argmax(share[months])])
        if np.isfinite(share[worst]):
            peak = f"peaking at {share[worst]:.0%} in {labels[worst]} ({hours[worst]:.0f} h)"
        else:
            peak = f"with no {role} in post to interview in {labels[worst]} ({hours[worst]:.0f} h)"
        yield problem(
            "SP408",
            ctx.where(("roles", role), key=True),
            f"interviewing takes over {MAX_INTERVIEW_SHARE:.0%} of {role}'s month in "
            f"{len(months)} month(s), {peak}; hire interviewers earlier or spread the starts",
        )


RULES: tuple[Rule, ...] = (Rule("SP408", interviewing_load),)
