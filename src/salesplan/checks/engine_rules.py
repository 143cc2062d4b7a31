"""Rules on what the engine finds when it runs the plan: a target already met (SP300),
capacity gaps (SP301, docs/model.md §4) and a confidence out of reach (SP302, §11)."""

from __future__ import annotations

from collections.abc import Iterator

from salesplan.checks.rule import Context, Rule
from salesplan.engine.gaps import capacity_gaps
from salesplan.engine.structure import month_label, month_labels
from salesplan.problems import Problem
from salesplan.problems.codes import problem


def target_met(ctx: Context) -> Iterator[Problem]:
    """SP300: the opening base already meets the revenue target without new bookings.

    With no new MRR to solve for (n ≤ 0, docs/model.md §1) there is nothing to plan: raise the
    target or lower the opening ARR.
    """
    view = ctx.evaluation.plan
    if not view.revenue.target_met:
        return
    kind = view.structure.target_kind
    yield problem(
        "SP300",
        ctx.where(("target", kind)),
        f"the opening base already meets the {kind.replace('_', ' ')} target without new "
        "bookings: raise the target or lower the opening ARR",
    )


def capacity_gap(ctx: Context) -> Iterator[Problem]:
    """SP301: a role is short of its work in months that no new start can reach in time.

    From month h + R on (lead time plus ramp) the plan hires enough; before that, a role
    whose opening team cannot carry the work is short, and the only fix is requisitions
    that should have opened before the plan starts.  Hiring late is the most common and
    most costly planning mistake (Blueprints; docs/model.md §4).  A hiring cap can leave a
    month short that the plan would otherwise cover, even with its starts moved as early as
    the lead time allows: the message then names the cap (docs/model.md §11).
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
            f"{gap.worst_fte:.2f} FTE; to cover them, requisitions should have opened by "
            f"{month_label(year, month, gap.opened_by)} (hiring lead time plus ramp is "
            f"{gap.ahead_months} months)",
        )


def confidence_out_of_reach(ctx: Context) -> Iterator[Problem]:
    """SP302: a plan sized to a confidence level cannot reach its target that often.

    The plan at confidence x buys the pipeline and hires the people that x of the drawn
    worlds need (docs/model.md §11).  Where even the plan for every drawn world reaches the
    target less often, deals are lost that no hire can win back: in the months before a
    new requisition can be ramped (capacity gaps), or under a hiring cap.
    """
    how = ctx.evaluation.confidence
    if how is None or how.attainable:
        return
    got = how.achieved
    key = ("confidence",) if ctx.plan.confidence is not None else ("target",)
    yield problem(
        "SP302",
        ctx.where(key),
        f"sized to a confidence of {how.level:.0%}, the plan reaches its target in only "
        f"{got.probability:.0%} of {got.trials} trials (seed {got.seed}), even with the "
        "pipeline and people every drawn world needs: deals lost where no hire can help in "
        "time are not won back; open requisitions earlier or ask for less confidence",
    )


RULES: tuple[Rule, ...] = (
    Rule("SP300", target_met),
    Rule("SP301", capacity_gap),
    Rule("SP302", confidence_out_of_reach),
)
