"""Rules that need the engine's result: capacity gaps (MODEL.md §4)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from salesplan.checks import Context, Rule
from salesplan.codes import problem
from salesplan.engine.structure import month_label, month_labels
from salesplan.problems import Problem


def capacity_gaps(ctx: Context) -> Iterator[Problem]:
    """SP301: a role is short of its work in months that no new start can reach in time.

    From month h + R on (lead time plus ramp) the plan hires enough; before that, a role
    whose opening team cannot carry the work is short, and the only fix is requisitions
    that should have opened before the plan starts.  Hiring late is the most common and
    most costly planning mistake (Blueprints; MODEL.md §4).
    """
    result = ctx.evaluation.result
    s = result.structure
    labels = month_labels(s.start, s.months)
    year, month = (int(x) for x in s.start.split("-"))
    for r, role in enumerate(s.roles):
        gap = result.gap[0, r, : s.months]
        short = np.nonzero(gap > 0)[0]
        if not len(short):
            continue
        first, last = int(short[0]), int(short[-1])
        ahead = int(result.params.lead[0, r] + result.params.ramp_full[0, r])
        opened = month_label(year, month, first - ahead)
        when = labels[first] if first == last else f"{labels[first]}..{labels[last]}"
        yield problem(
            "SP301",
            ctx.loaded.where(("roles", role), key=True),
            f"{role} is short of capacity in {len(short)} month(s), {when}, by up to "
            f"{gap.max():.2f} FTE; to cover them, requisitions should have opened by {opened} "
            f"(hiring lead time plus ramp is {ahead} months)",
        )


RULES: tuple[Rule, ...] = (Rule("SP301", capacity_gaps),)
