"""Rules of thumb about the org the plan builds: leadership and recruiting (docs/sources.md)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from salesplan.checks.rule import Context, Rule
from salesplan.engine.structure import MANAGES, STARTS, month_labels
from salesplan.problems import Problem
from salesplan.problems.codes import problem

MAX_MANAGERS_UNLED = 2  # a leader runs 7-8 people (SaaStr, Balderton): past 2 managers, hire one
MAX_STARTS_UNASSISTED = 3  # starts a month hiring managers run without a recruiter


def no_sales_leader(ctx: Context) -> Iterator[Problem]:
    """SP412: the plan has more first-line managers than a founder can run, and no leader.

    First-line sales managers run 7–8 people (SaaStr, Balderton), and so does whoever runs
    the managers.  Once more than two managers are in post a head of sales (VP or CRO) is
    due: the rule fires in the first month with more than two heads in roles that manage
    others while no role of ``category: leadership`` has anyone in post.
    """
    view = ctx.evaluation.plan
    s = view.structure
    T = s.months
    managers = sorted({d.role for d in s.drivers if d.kind == MANAGES})
    leaders = [r for r, c in enumerate(s.role_category) if c == "leadership"]
    if not managers:
        return
    led = view.heads[leaders, :T].sum(axis=0) > 0 if leaders else np.zeros(T, dtype=bool)
    count = view.heads[managers, :T].sum(axis=0)
    over = np.nonzero((count > MAX_MANAGERS_UNLED) & ~led)[0]
    if not len(over):
        return
    first = int(over[0])
    label = month_labels(s.start, T)[first]
    yield problem(
        "SP412",
        ctx.where(("roles", s.roles[managers[0]]), key=True),
        f"{int(count[first])} managers are in post in {label} and no sales leader (a role "
        f"with category: leadership); past {MAX_MANAGERS_UNLED} managers a head of sales is "
        "due (span 1:7–8, SaaStr / Balderton)",
    )


def recruiting_capacity(ctx: Context) -> Iterator[Problem]:
    """SP413: the plan starts more people in a month than its recruiting can hire.

    A role that hires others (a driver ``starts: [...]``, capacity in hires a month) gives
    the plan recruiting capacity: its ramped FTE times its hires a month.  Without one,
    hiring managers recruit alongside their work, and more than 3 starts a month is more
    than they can run (Blueprints: recruiting has its own people and lead times).
    """
    view = ctx.evaluation.plan
    s = view.structure
    T = s.months
    hires = [(d_index, d) for d_index, d in enumerate(s.drivers) if d.kind == STARTS]
    starts = view.starts[:, :T]
    labels = month_labels(s.start, T)
    if not hires:
        counted = starts.sum(axis=0)
        capacity = np.full(T, float(MAX_STARTS_UNASSISTED))
        what = f"no recruiting role, and more than {MAX_STARTS_UNASSISTED} starts"
    else:
        counted = starts[np.any([d.roles for _, d in hires], axis=0)].sum(axis=0)
        capacity = sum(view.capacity[d.role, :T] * view.params.driver_capacity[i] for i, d in hires)
        what = "the recruiters' ramped capacity is below the starts they hire"
    short = np.nonzero(counted > capacity + 1e-9)[0]
    if not len(short):
        return
    worst = int(short[np.argmax((counted - capacity)[short])])
    where = ("roles", s.roles[hires[0][1].role]) if hires else ("roles",)
    yield problem(
        "SP413",
        ctx.where(where, key=True),
        f"{what} in {len(short)} month(s), most in {labels[worst]} ({counted[worst]:.0f} "
        f"starts, capacity {capacity[worst]:.1f}): add recruiters or spread the starts",
    )


RULES: tuple[Rule, ...] = (Rule("SP412", no_sales_leader), Rule("SP413", recruiting_capacity))
