"""Rules of thumb about unit economics: LTV : CAC and CAC payback (docs/model.md §6, §8).

Both rules judge each tier over the whole plan (months 0 … T-1), the figures that
``salesplan economics --period plan`` prints: CAC is all the acquisition cost of the plan's
months (marketing, and the people who win the tier's customers, ramping ones included)
over the customers won in those months.  A tier that wins no customers has no CAC and is not
judged; nor is LTV : CAC for a tier without churn (its LTV is undefined, not infinite).
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from salesplan.checks.rule import Context, Rule
from salesplan.problems import Problem
from salesplan.problems.codes import problem

MIN_LTV_CAC = 3.0  # Skok: LTV : CAC of 3 or more
MAX_PAYBACK_MONTHS = 24.0  # Skok / Insight: < 12 months, 12-18 for large ACV; 24 is the limit


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}"


def ltv_to_cac(ctx: Context) -> Iterator[Problem]:
    """SP402: a tier's LTV : CAC over the plan is under 3.

    ``LTV = p · gross_margin / churn`` and ``CAC = (marketing + acquisition cost) / new
    customers`` over the plan (docs/model.md §6).  Below 3 a customer's lifetime margin barely
    pays for winning it and the cost of serving it (Skok, "SaaS Metrics 2.0").  Tiers that
    win no customers, or have no churn (LTV undefined), are not judged.
    """
    econ = ctx.evaluation.whole_plan.economics
    currency = ctx.plan.company.currency
    for k, name in enumerate(ctx.evaluation.plan.structure.tiers):
        ratio = float(econ.ltv_cac[k, 0])
        if not np.isfinite(ratio) or ratio >= MIN_LTV_CAC:
            continue
        ltv, cac = float(econ.ltv[k, 0]), float(econ.cac[k, 0])
        yield problem(
            "SP402",
            ctx.where(("tiers", name), key=True),
            f"tier {name}: LTV : CAC is {ratio:.1f} over the plan (LTV {_money(ltv, currency)}, "
            f"CAC {_money(cac, currency)}); under {MIN_LTV_CAC:.0f} a customer's margin barely "
            "pays back winning it: raise price or conversion, or cut acquisition cost",
        )


def cac_payback(ctx: Context) -> Iterator[Problem]:
    """SP403: a tier's CAC payback over the plan is more than 24 months.

    ``payback = CAC / (p · gross_margin)``, the months of a new customer's gross margin
    that pay back its CAC (docs/model.md §6).  Skok and Insight look for under 12 months (12–18
    for large ACV); past 24 months growth burns cash faster than customers return it.
    Tiers that win no customers are not judged.
    """
    econ = ctx.evaluation.whole_plan.economics
    currency = ctx.plan.company.currency
    for k, name in enumerate(ctx.evaluation.plan.structure.tiers):
        months = float(econ.payback_months[k, 0])
        if not np.isfinite(months) or months <= MAX_PAYBACK_MONTHS:
            continue
        cac = float(econ.cac[k, 0])
        yield problem(
            "SP403",
            ctx.where(("tiers", name), key=True),
            f"tier {name}: CAC payback is {months:.1f} months over the plan (CAC "
            f"{_money(cac, currency)}); over {MAX_PAYBACK_MONTHS:.0f} months growth burns cash "
            "faster than customers return it: raise price or conversion, or cut acquisition cost",
        )


RULES: tuple[Rule, ...] = (Rule("SP402", ltv_to_cac), Rule("SP403", cac_payback))
