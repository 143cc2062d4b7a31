"""Rules of thumb about quotas on the street against the plan (docs/model.md §14)."""

from __future__ import annotations

from collections.abc import Iterator

from salesplan.checks.rule import Context, Rule
from salesplan.engine.periods import Period, spans
from salesplan.engine.quota import quota_coverage
from salesplan.problems import Problem
from salesplan.problems.codes import problem

# Practitioners over-assign quota by 10–20% (up to ~50%) over the plan; under 1.0 the plan
# needs more than the quotas add up to, and at twice the plan most sellers miss.
MIN_COVERAGE, MAX_COVERAGE = 1.0, 2.0


def quota_coverage_out_of_range(ctx: Context) -> Iterator[Problem]:
    """SP414: a quota carrier's ramped quotas cover under 1.0 or over 2.0 of its bookings.

    Quota coverage in a calendar year (cut to the plan's months) is the quota the role's
    people carry, ramped by tenure (``comp.quota_ramp``), over the new ARR the plan books
    in the tiers and motions the role works (docs/model.md §14).  Under 1.0 the quotas add
    up to less than the plan: it relies on sellers beating quota, though on average fewer
    than half reach it (Forrester, via LeanScale).  Sales leaders over-assign by 10–20%
    (Lowndes), rarely past 50% (TigerEye); at over 2.0 most sellers are set up to miss,
    and turnover follows: quotas are set too high for the pipeline, or the plan hires more
    sellers than its bookings need.
    """
    ev = ctx.evaluation
    s = ev.result.structure
    years = spans(s.start, s.months, Period.YEAR)
    coverage = quota_coverage(ev.result, 0, years)
    ratio = coverage.ratio
    for i, r in enumerate(coverage.roles):
        role = s.roles[r]
        low = [
            (years[y].label, ratio[i, y]) for y in range(len(years)) if ratio[i, y] < MIN_COVERAGE
        ]
        high = [
            (years[y].label, ratio[i, y]) for y in range(len(years)) if ratio[i, y] > MAX_COVERAGE
        ]
        for found, advice in (
            (
                low,
                f"under {MIN_COVERAGE:.1f} the plan needs its sellers to beat quota: raise "
                "quotas or hire earlier",
            ),
            (
                high,
                f"over {MAX_COVERAGE:.1f} most sellers will miss: lower quotas or plan fewer "
                "sellers for the bookings",
            ),
        ):
            if not found:
                continue
            years_text = " and ".join(f"{x:.2f} in {label}" for label, x in found)
            yield problem(
                "SP414",
                ctx.where(("roles", role, "comp", "quota")),
                f"quota coverage of {role} is {years_text}: its ramped quotas over the new ARR "
                f"the plan books in its tiers and motions; {advice}",
            )


RULES: tuple[Rule, ...] = (Rule("SP414", quota_coverage_out_of_range),)
