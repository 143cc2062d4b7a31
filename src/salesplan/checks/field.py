"""Rules of thumb from the field (docs/model.md §8, docs/sources.md), one function per rule.

Each rule is a warning a plan may silence with a reason (``suppress:``); its docstring is
the user documentation and names the source of the figure.  Rules about the engine's
hiring plan are in :mod:`salesplan.checks.field_hiring`, those about unit economics in
:mod:`salesplan.checks.field_economics`.
"""

from __future__ import annotations

import math
from collections.abc import Iterator

from salesplan.checks.rule import Context, Rule
from salesplan.load.schema import point
from salesplan.problems import Problem
from salesplan.problems.codes import problem

CHURN_WARN_RATE = 0.03  # docs/sources.md: "losing 10% of customers a month is not growth"
QUOTA_OTE_LOW, QUOTA_OTE_HIGH = 4.0, 6.0  # Balderton 4x typical, Sacks 5x, ICONIQ 5.8x median
MAX_BASE_SHARE = 0.7  # 70/30 with a pooled share: adverse selection (docs/sources.md)
MAX_POOLED_SHARE = 0.3
SPAN_LOW, SPAN_HIGH = 4.0, 10.0  # SaaStr / Balderton: 1:7-8, 6 enterprise, 8 inside
TOP_DOWN_ARR_LOW = 20_000_000  # bottom-up companies add top-down sales at $20-30M ARR
# "Far below" the band: under half its low end.  At $10M+ a plan is close enough to the
# band that an early enterprise motion is a judgement call, not a rule-of-thumb breach.
FAR_BELOW_ARR = TOP_DOWN_ARR_LOW / 2


def high_churn(ctx: Context) -> Iterator[Problem]:
    """SP401: a tier's monthly logo churn (``churn_rate``) is 3% or more.

    At 3% a month a tier loses about a third of its customers a year; "growing sales 50% a
    year while losing 10% of customers a month is not growth" (docs/sources.md, Retention).  The
    plan's value is used (a range's likely value).
    """
    for name, tier in ctx.plan.tiers.items():
        churn = point(tier.churn_rate)
        if churn >= CHURN_WARN_RATE:
            yearly = 1 - (1 - churn) ** 12
            yield problem(
                "SP401",
                ctx.where(("tiers", name, "churn_rate")),
                f"tier {name} churns {churn:.1%} of its customers a month ({yearly:.0%} a "
                f"year); at {CHURN_WARN_RATE:.0%} or more, new sales mostly replace lost ones",
            )


def quota_to_ote(ctx: Context) -> Iterator[Problem]:
    """SP404: a quota carrier's quota : OTE is outside 4–6.

    Typical AE quotas are 4× OTE (Balderton 2023), 5× by the "rule of 10" (D. Sacks) and
    5.8× at the median (ICONIQ 2023).  Below 4 the role costs too much for what it sells;
    above 6 few reps will reach quota.  Only roles with a ``comp.quota`` count; one with no
    OTE has no ratio at all, which is flagged too.
    """
    for name, role in ctx.plan.roles.items():
        comp = role.comp
        if not comp.quota:
            continue
        # An OTE so small that quota : OTE is not a number is as good as none.
        ratio = comp.quota / comp.ote if comp.ote > 0 else math.inf
        if not math.isfinite(ratio):
            yield problem(
                "SP404",
                ctx.where(("roles", name, "comp", "quota")),
                f"{name} carries a quota but has no OTE, so quota : OTE is undefined; "
                f"benchmarks are {QUOTA_OTE_LOW:.0f}–{QUOTA_OTE_HIGH:.0f} (set comp.ote)",
            )
            continue
        if not QUOTA_OTE_LOW <= ratio <= QUOTA_OTE_HIGH:
            side = "low" if ratio < QUOTA_OTE_LOW else "high"
            yield problem(
                "SP404",
                ctx.where(("roles", name, "comp", "quota")),
                f"{name} quota : OTE is {ratio:.1f} ({side}); benchmarks are "
                f"{QUOTA_OTE_LOW:.0f}–{QUOTA_OTE_HIGH:.0f} (Balderton 4, Sacks 5, ICONIQ 5.8)",
            )


def high_base(ctx: Context) -> Iterator[Problem]:
    """SP405: a quota carrier is paid more than 70% base.

    Quota carriers are traditionally paid 50/50 base/variable (Balderton 2023); a rich base
    attracts reps who prefer safety to selling, and a 70/30 split led to adverse selection
    (docs/sources.md, Compensation).  A role counts as a quota carrier when it has
    ``comp.quota``; without ``base_share`` its pay is all base.
    """
    for name, role in ctx.plan.roles.items():
        comp = role.comp
        if comp.quota and comp.base_share > MAX_BASE_SHARE:
            yield problem(
                "SP405",
                ctx.where(("roles", name, "comp", "base_share")),
                f"{name} carries a quota but {comp.base_share:.0%} of OTE is base; above "
                f"{MAX_BASE_SHARE:.0%} the variable is too small to steer selling (50/50 is "
                "the norm)",
            )


def pooled_variable(ctx: Context) -> Iterator[Problem]:
    """SP406: a quota carrier has more than 30% of variable pay pooled across the team.

    A large team-pooled share pays the weakest reps for the best reps' deals: "the best reps
    carried the worst" and left (docs/sources.md, Compensation).  Pay individual quota
    carriers mostly on their own bookings.
    """
    for name, role in ctx.plan.roles.items():
        comp = role.comp
        if comp.quota and comp.pooled_share > MAX_POOLED_SHARE:
            yield problem(
                "SP406",
                ctx.where(("roles", name, "comp", "pooled_share")),
                f"{name} pools {comp.pooled_share:.0%} of variable pay across the team; above "
                f"{MAX_POOLED_SHARE:.0%} the best reps carry the worst (adverse selection)",
            )


def manager_span(ctx: Context) -> Iterator[Problem]:
    """SP407: a manager's span of control (a ``manages`` driver's capacity) is outside 4–10.

    First-line sales managers run 7–8 reps (6 in enterprise, 8 inside; SaaStr, Balderton).
    Under 4 a manager costs more than the coaching is worth; over 10 there is no time to
    coach, forecast and hire.
    """
    for name, role in ctx.plan.roles.items():
        for i, driver in enumerate(role.drivers):
            if driver.manages is None or driver.capacity is None:
                continue
            span = point(driver.capacity)
            if not SPAN_LOW <= span <= SPAN_HIGH:
                yield problem(
                    "SP407",
                    ctx.where(("roles", name, "drivers", i, "capacity")),
                    f"{name} manages {span:g} people each; spans outside "
                    f"{SPAN_LOW:.0f}–{SPAN_HIGH:.0f} are rare (typical 1:7–8, SaaStr / Balderton)",
                )


def top_down_too_early(ctx: Context) -> Iterator[Problem]:
    """SP409: field or enterprise sales are planned while ARR is far below $20–30M.

    Bottom-up companies typically add top-down sales at $20–30M ARR (GitHub, Twilio,
    SendGrid; docs/sources.md), and "do not start with enterprise" (Blueprints).  The rule fires
    for a motion of kind ``field``, or a tier of segment ``enterprise`` that some role works,
    when the plan's opening ARR is *far below* the band: under $10M, half its low end.  The
    motion runs from the plan's first month, so the opening ARR is the ARR it starts at; the
    message also gives the ending ARR.  Amounts are in the plan's currency.
    """
    plan = ctx.plan
    opening = sum(t.opening_arr for t in plan.tiers.values())
    if opening >= FAR_BELOW_ARR:
        return
    view = ctx.evaluation.plan
    s = view.structure
    months = s.months
    ending = float(12 * view.revenue.mrr[:, months - 1].sum())
    currency = plan.company.currency

    def millions(x: float) -> str:
        return f"{x / 1e6:.1f}M {currency}"

    context = (
        f"opening ARR is {millions(opening)} (ending {millions(ending)}); bottom-up companies "
        f"add top-down sales at 20–30M ARR, and under {millions(FAR_BELOW_ARR)} is far below"
    )
    for k, (tname, tier) in enumerate(plan.tiers.items()):
        field_motions = [m for m, motion in tier.motions.items() if motion.kind == "field"]
        for m in field_motions:
            yield problem(
                "SP409",
                ctx.where(("tiers", tname, "motions", m, "kind")),
                f"tier {tname} is sold by a field motion ({m}) but {context}",
            )
        if field_motions or tier.segment != "enterprise":
            continue
        cells = [i for i, t in enumerate(s.cell_tier.tolist()) if t == k]
        if view.need_by_cell[:, cells, :months].sum() > 0:
            yield problem(
                "SP409",
                ctx.where(("tiers", tname, "segment")),
                f"enterprise tier {tname} is worked by sales roles but {context}",
            )


RULES: tuple[Rule, ...] = (
    Rule("SP401", high_churn),
    Rule("SP404", quota_to_ote),
    Rule("SP405", high_base),
    Rule("SP406", pooled_variable),
    Rule("SP407", manager_span),
    Rule("SP409", top_down_too_early),
)
