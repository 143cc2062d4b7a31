"""Rules of thumb about unit economics and the board's figures: LTV : CAC, CAC payback, S&M
as a share of revenue, net revenue retention (docs/model.md; docs/sources.md).

LTV : CAC and payback judge each tier over the whole plan (months 0 … T-1), the figures
``salesplan economics --period plan`` prints: CAC is all the acquisition cost of the plan's
months (marketing, programmes, the people who win the tier's customers, ramping ones
included, and their share of overhead) over the customers won in those months.  A tier that
wins no customers has no CAC and is not judged.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from salesplan.checks.rule import Context, Rule
from salesplan.engine.periods import Period, spans
from salesplan.problems import Problem
from salesplan.problems.codes import problem

MIN_LTV_CAC = 3.0  # Skok: LTV : CAC of 3 or more
MAX_PAYBACK_MONTHS = 24.0  # Skok / Insight: < 12 months, 12-18 for large ACV; 24 is the limit


def _money(value: float, currency: str) -> str:
    return f"{value:,.0f} {currency}"


def ltv_to_cac(ctx: Context) -> Iterator[Problem]:
    """SP402: a tier's LTV : CAC over the plan is under 3, on LTV capped in years.

    ``LTV = p · gross_margin · (1 − (1 − churn)^H) / churn`` over H months
    (``economics.ltv_cap_years``, 5 by default: boards do not count a customer's margin
    forever) and ``CAC = acquisition cost / new customers`` over the plan.  Below 3 a
    customer's margin barely pays for winning it and the cost of serving it (Skok, "SaaS
    Metrics 2.0").  Tiers that win no customers are not judged.
    """
    econ = ctx.evaluation.whole_plan.economics
    currency = ctx.plan.company.currency
    for k, name in enumerate(ctx.evaluation.plan.structure.tiers):
        ratio = float(econ.ltv_cac[k, 0])
        if not np.isfinite(ratio) or ratio >= MIN_LTV_CAC:
            continue
        ltv, cac = float(econ.ltv_capped[k, 0]), float(econ.cac[k, 0])
        years = ctx.plan.economics.ltv_cap_years
        yield problem(
            "SP402",
            ctx.where(("tiers", name), key=True),
            f"tier {name}: LTV : CAC is {ratio:.1f} over the plan (LTV "
            f"{_money(ltv, currency)} over {years:g} years, CAC {_money(cac, currency)}); "
            f"under {MIN_LTV_CAC:.0f} a customer's margin barely pays back winning it: raise "
            "price or conversion, or cut acquisition cost",
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


# S&M as a share of revenue: the usual share by ARR at the year's start (docs/sources.md).
SM_SHARE_BANDS = (
    (10_000_000.0, 0.95),  # under $10M ARR: early-stage VC-backed average ~95% (Gini)
    (float("inf"), 0.47),  # $10M and over: Benchmarkit 2025 median for VC-backed, 47%
)
SM_SHARE_FACTOR = 1.5  # "far above": more than half again the usual share
MIN_NRR = 0.90  # Benchmarkit 2025: NRR 101% median; under 90% a tier shrinks by a tenth a year


def sm_share(ctx: Context) -> Iterator[Problem]:
    """SP410: a plan year's S&M cost is far above the usual share of revenue at its ARR.

    S&M cost (people with hiring, marketing and programmes) over the year's revenue, against
    the usual share for the company's ARR at the year's start: about 95% under $10M ARR
    (early-stage, VC-backed) and 47% from $10M (Benchmarkit 2025 median, VC-backed).  Over
    1.5 times that, the plan buys its growth at a price a board will question.  One
    problem names every year over the line.
    """
    s = ctx.evaluation.plan.structure
    years = spans(s.start, s.months, Period.YEAR)
    e = ctx.evaluation.economics([(y.first, y.last) for y in years])
    K = len(s.tiers)
    currency = ctx.plan.company.currency
    over: list[str] = []
    for i, year in enumerate(years):
        share, arr = float(e.sm_share[K, i]), float(e.arr_start[K, i])
        usual = next(rate for top, rate in SM_SHARE_BANDS if arr < top)
        if not np.isfinite(share) or share <= SM_SHARE_FACTOR * usual:
            continue
        cost, revenue = (
            _money(float(e.sm_cost[K, i]), currency),
            _money(float(e.revenue[K, i]), currency),
        )
        over.append(
            f"{share:.0%}{'' if over else ' of revenue'} in {year.label} ({cost} on {revenue}; "
            f"about {usual:.0%} is usual at {arr / 1e6:.1f}M {currency} ARR)"
        )
    if over:
        # One finding however many years it spans: the cause is the plan's, not a year's.
        yield problem(
            "SP410",
            ctx.where(("target",), key=True),
            f"S&M costs {' and '.join(over)}: hire later, or plan for more revenue",
        )


def low_nrr(ctx: Context) -> Iterator[Problem]:
    """SP411: a tier keeps less than 90% of its revenue a year (net revenue retention).

    ``NRR = ((1 − churn)(1 + expansion))^12``: what a cohort of the tier's MRR is worth a
    year later with no new customers.  The median B2B SaaS company keeps 101%
    (Benchmarkit 2025; 105–110% at $10–50M ARR, KBCM); under 90% new sales first have to
    refill a tenth of the revenue each year.
    """
    nrr = ctx.evaluation.whole_plan.economics.nrr
    for k, name in enumerate(ctx.evaluation.plan.structure.tiers):
        value = float(nrr[k, 0])
        if value >= MIN_NRR:
            continue
        yield problem(
            "SP411",
            ctx.where(("tiers", name, "churn_rate")),
            f"tier {name} keeps {value:.1%} of its revenue a year (net revenue retention, "
            f"from churn and expansion); under {MIN_NRR:.0%} growth first refills what "
            "leaks: cut churn or plan expansion",
        )


RULES: tuple[Rule, ...] = (
    Rule("SP402", ltv_to_cac),
    Rule("SP403", cac_payback),
    Rule("SP410", sm_share),
    Rule("SP411", low_nrr),
)
