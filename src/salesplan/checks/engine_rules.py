"""Rules on what the engine finds when it runs the plan: a target already met (SP300),
capacity gaps (SP301, docs/model.md §4), figures that are not finite numbers (SP302) and a
confidence out of reach (SP303, §14)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from salesplan.checks.rule import Context, Rule
from salesplan.engine.gaps import Gap, capacity_gaps
from salesplan.engine.run import MAX_NEED, PlanResult
from salesplan.engine.structure import EPS, month_label, month_labels
from salesplan.engine.view import PlanView
from salesplan.load.sources import KeyPath
from salesplan.problems import Problem
from salesplan.problems.codes import problem


def target_met(ctx: Context) -> Iterator[Problem]:
    """SP300: the revenue target is already met without the tiers that share new bookings.

    With no new MRR to solve for (n ≤ 0, docs/model.md §1) there is nothing to plan.  Either
    the opening base alone meets the target (raise the target or lower the opening ARR), or
    the tiers that give an explicit ``new_mrr`` book enough on their own (raise the target or
    lower their new MRR), or the target is 0.
    """
    view = ctx.evaluation.plan
    if not view.revenue.target_met:
        return
    kind = view.structure.target_kind
    target = kind.replace("_", " ")
    plan = ctx.plan
    explicit = {name: t.new_mrr for name, t in plan.tiers.items() if t.new_mrr}
    if getattr(plan.target, kind) == 0:
        message = f"the {target} target is 0: give the revenue the plan should reach"
    elif view.revenue.met_by_opening or not explicit:
        message = (
            f"the opening base already meets the {target} target without new bookings: "
            "raise the target or lower the opening ARR"
        )
    else:
        names = ", ".join(explicit)
        total = sum(explicit.values())
        message = (
            f"the new_mrr given by tier(s) {names} ({total:,.0f} {plan.company.currency} a "
            f"month in all) already meets the {target} target, leaving nothing for the tiers "
            "that share new MRR: raise the target or lower that new_mrr"
        )
    yield problem("SP300", ctx.where(("target", kind)), message)


def capacity_gap(ctx: Context) -> Iterator[Problem]:
    """SP301: a role is short of its work in months that no new start can reach in time.

    From month h + R on (lead time plus ramp) the plan hires enough; before that, a role
    whose opening team cannot carry the work is short, and the only fix is requisitions
    that should have opened before the plan starts.  When h + R falls after the plan's
    last month, the message says when coverage begins.  Hiring late is the most common and
    most costly planning mistake (Blueprints; docs/model.md §4).  A hiring cap can leave a
    month short that the plan would otherwise cover, even with its starts moved as early as
    the lead time allows: the message then names the cap (docs/model.md §14).
    """
    view = ctx.evaluation.plan
    s = view.structure
    labels = month_labels(s.start, s.months)
    year, month = (int(x) for x in s.start.split("-"))
    for gap in capacity_gaps(view):
        role = s.roles[gap.role]
        first, last = labels[gap.first], labels[gap.last]
        when = first if gap.first == gap.last else f"{first}..{last}"
        if gap.capped:
            yield problem(
                "SP301",
                ctx.where(("roles", role), key=True),
                f"{role} is short of capacity in {len(gap.months)} month(s), {when}, by up to "
                f"{gap.worst_fte:.2f} FTE because of a hiring cap: "
                + (
                    f"{' and '.join(gap.caps)} moved the starts of the roles it follows "
                    "earlier, and its own hiring cannot catch up in time"
                    if gap.indirect
                    else f"{' and '.join(gap.caps)} "
                    + ("hold" if len(gap.caps) > 1 else "holds")
                    + " its starts back, even moved as early as the hiring lead time allows"
                )
                + "; raise the cap or plan less work in those months",
            )
            continue
        yield problem(
            "SP301",
            ctx.where(("roles", role), key=True),
            f"{role} is short of capacity in {len(gap.months)} month(s), {when}, by up to "
            f"{gap.worst_fte:.2f} FTE{_of_pods(view, gap)}; to cover them, requisitions "
            "should have opened by "
            f"{month_label(year, month, gap.opened_by)} (hiring lead time plus ramp is "
            f"{gap.ahead_months} months){_coverage(gap, s.months, year, month)}",
        )


def _of_pods(view: PlanView, gap: Gap) -> str:
    """Say when a gap is of whole pods only: pod staffing covers whole pods' members
    (docs/model.md §5), and in every month short the role's own work is covered."""
    if view.structure.staffing != "pod":
        return ""
    months = list(gap.months)
    work = view.need[gap.role, months]
    if (view.capacity[gap.role, months] < work - EPS).any():
        return ""
    return " of the whole pods it is staffed to (its own work is covered)"


def _coverage(gap: Gap, months: int, year: int, month: int) -> str:
    """Say when coverage begins if that is after the plan ends (else nothing)."""
    if not gap.covered_after(months):
        return ""
    return f"; coverage begins in {month_label(year, month, gap.covered_from)}, after the plan ends"


def not_finite(ctx: Context) -> Iterator[Problem]:
    """SP302: a figure the engine computed is infinite or not a number.

    The schema's bounds keep every quotient the engine forms finite; this guard stands
    behind them, so that no report ever shows (or chokes on) an infinite figure whatever a
    plan holds.  It runs before every other rule on the engine's figures and names the
    first figure that is not finite, at the tier, motion, role or pod it belongs to.
    """
    result = ctx.evaluation.result
    found = _first_not_finite(result)
    s = result.structure
    year, start = (int(x) for x in s.start.split("-"))
    if found is not None:
        path, what, month = found
        yield problem(
            "SP302",
            ctx.where(path, key=True),
            f"{what} is not a finite number in {month_label(year, start, month)}: a number in "
            "the plan is too small or too large for the engine (look for values far below a "
            "cent or a thousandth)",
        )
        return
    for what, array in (("need", result.need[0]), ("heads", result.heads[0])):
        over = np.argwhere(array >= MAX_NEED)
        if len(over):
            r, t = (int(i) for i in over[0])
            yield problem(
                "SP302",
                ctx.where(("roles", s.roles[r]), key=True),
                f"role {s.roles[r]}: {what} reaches {MAX_NEED:,.0f} in "
                f"{month_label(year, start, t)}, more people than the engine staffs: a number "
                "in the plan is too small or too large (look for a capacity, rate or price "
                "far too small, or attrition near 100% with a long ramp)",
            )
            return


def _first_not_finite(result: PlanResult) -> tuple[KeyPath, str, int] | None:
    """Return (where in the plan, what, month) of the plan's first figure that is not finite.

    Costs are looked at last: they are worked out from the rest (on first use), which must
    be finite first.
    """
    s = result.structure
    rev = result.revenue
    for what, array in (("new MRR", rev.new_mrr), ("MRR", rev.mrr), ("customers", rev.customers)):
        for k, t in _bad(array[0]):
            return ("tiers", s.tiers[k]), f"tier {s.tiers[k]}: {what}", t
    for j, t in _bad(result.funnel.volume[0]):
        m, stage = s.stages[j]
        tier, motion = s.cells[m]
        return ("tiers", tier, "motions", motion), f"{tier}/{motion} {stage}: volume", t
    roles = (
        ("need", result.need[0]),
        ("heads", result.heads[0]),
        ("starts", result.starts[0]),
        ("capacity", result.capacity[0]),
    )
    for what, array in roles:
        for r, t in _bad(array):
            return ("roles", s.roles[r]), f"role {s.roles[r]}: {what}", t
    for p, t in _bad(result.pods_needed[0]):
        return ("pods", s.pods[p]), f"pod {s.pods[p]}: pods needed", t
    for r, t in _bad(result.costs.role_cost[0]):
        return ("roles", s.roles[r]), f"role {s.roles[r]}: cost", t
    for m, t in _bad(result.costs.marketing[0]):
        tier, motion = s.cells[m]
        return ("tiers", tier, "motions", motion), f"{tier}/{motion}: marketing cost", t
    return None


def _bad(array: np.ndarray) -> list[tuple[int, int]]:
    """Return (row, month) of the first entry that is not finite in a [rows, months] array."""
    bad = np.argwhere(~np.isfinite(array))
    return [(int(bad[0][0]), int(bad[0][1]))] if len(bad) else []


def confidence_out_of_reach(ctx: Context) -> Iterator[Problem]:
    """SP303: a plan sized to a confidence level cannot reach its target that often.

    The plan at confidence x buys the pipeline and hires the people that x of the drawn
    worlds need (docs/model.md §14).  Where even the plan for every drawn world reaches the
    target less often, deals are lost that no hire can win back: in the months before a
    new requisition can be ramped (capacity gaps), or under a hiring cap.
    """
    how = ctx.evaluation.confidence
    if how is None or how.attainable:
        return
    got = how.achieved
    key = ("confidence",) if ctx.plan.confidence is not None else ("target",)
    yield problem(
        "SP303",
        ctx.where(key),
        f"sized to a confidence of {how.level:.0%}, the plan reaches its target in only "
        f"{got.probability:.0%} of {got.trials} trials (seed {got.seed}), even with the "
        "pipeline and people every drawn world needs: deals lost where no hire can help in "
        "time are not won back; open requisitions earlier or ask for less confidence",
    )


RULES: tuple[Rule, ...] = (
    Rule("SP300", target_met),
    Rule("SP301", capacity_gap),
    Rule("SP302", not_finite, guard=True),
    Rule("SP303", confidence_out_of_reach),
)
