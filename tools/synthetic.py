"""A valid plan of any size, for measuring how salesplan scales (``make bench``, tests).

The largest plan the format allows is 120 months; ``synthetic_plan(120, 10, 15)`` gives 10
tiers of 3 motions and 15 roles, the size issue reports of memory use were measured on.
"""

from __future__ import annotations


def synthetic_plan(months: int, tiers: int, roles: int) -> str:
    """Return a valid plan with the given size: 3 motions a tier, `roles` roles."""
    lines = [
        f"company: {{name: Bench, start: '2027-01', horizon_months: {months}}}",
        "target: {ending_arr: 80_000_000, growth_rate: 0.01}",
        "tiers:",
    ]
    for k in range(tiers):
        lines += [
            f"  t{k}:",
            f"    mrr: {300 + 200 * k}",
            "    churn_rate: 0.01",
            "    expansion_rate: 0.005",
            f"    share: {1 / tiers!r}",
            "    opening_arr: 1_000_000",
            "    opening_customers: 100",
            "    motions:",
        ]
        for m, name in enumerate(("inbound", "outbound", "partner")):
            lines += [
                f"      {name}:",
                f"        share: {[0.5, 0.3, 0.2][m]}",
                "        stages:",
                "          - {name: lead, rate: 0.1, days: 10}",
                "          - {name: sql, rate: 0.4, days: 14}",
                "          - {name: opportunity, rate: 0.25, days: 45}",
            ]
    lines.append("roles:")
    workers = max(1, roles - 2)
    stages = ("lead", "sql", "opportunity", "won")
    for r in range(workers):
        lines += [
            f"  r{r}:",
            f"    opening_heads: {5 + r}",
            f"    ramp_months: {r % 6}",
            "    attrition_rate: 0.3",
            f"    hiring_lead_months: {r % 3}",
            f"    drivers: [{{stage: {stages[r % 4]}, capacity: {50 + 25 * r}}}]",
        ]
    lines += [
        "  manager:",
        "    ramp_months: 2",
        "    hiring_lead_months: 3",
        f"    drivers: [{{manages: [{', '.join(f'r{r}' for r in range(workers))}], capacity: 8}}]",
        "  director:",
        "    hiring_lead_months: 3",
        "    drivers: [{manages: [manager], capacity: 6}]",
    ]
    return "\n".join(lines) + "\n"
