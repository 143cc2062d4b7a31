"""Trace the unit economics of a tier, or blended, over a period (docs/model.md §6, §10, §13).

CAC, CRC, payback and LTV are taken over the whole period, as ``economics`` prints them,
and traced to the period's costs and customers.  How a role's cost is shared out to tiers
(by its work, its function, and for overhead like the month's direct cost) is a rule of §6
and §10: its step shows the roles' costs it shares out, not a formula.  Pure: no I/O.
"""

from __future__ import annotations

import numpy as np

from salesplan.engine.economics import plan_economics
from salesplan.engine.explain import KINDS, Query, Step
from salesplan.engine.trace import _sum
from salesplan.engine.trace_cost import PlanTrace
from salesplan.engine.view import variant_of

REASONS = {
    "cac": "no new customers in the period",
    "payback": "no new customers in the period",
    "crc": "no active customers in the period",
    "ltv": "no churn (a customer never leaves), or no new customers to blend",
    "ltv_capped": "no new customers to blend",
    "ltv_cac": "no CAC in the period",
}


def unit_economics_step(tr: PlanTrace, query: Query) -> Step:
    """Return the trace of CAC, CRC, payback, LTV or LTV : CAC of a tier or blended."""
    s = tr.s
    span = query.span
    K = len(s.tiers)
    who = query.names[0]
    k = K if who == "blended" else s.tiers.index(who)
    e = variant_of(plan_economics(tr.result, [(span.first, span.last)]), 0)
    field = {
        "cac": e.cac,
        "crc": e.crc,
        "payback": e.payback_months,
        "ltv": e.ltv,
        "ltv_capped": e.ltv_capped,
        "ltv_cac": e.ltv_cac,
    }[query.kind]
    value = float(field[k, 0])
    if not np.isfinite(value):
        raise ValueError(
            f"{query.text} is n/a: {REASONS[query.kind]}, so there is nothing to explain"
        )
    at = _Period(tr, query, k)
    kind = query.kind
    unit = KINDS[kind].unit
    if kind == "cac":
        return Step(
            query.text,
            value,
            unit,
            "CAC = acquisition cost / new customers",
            "c0 / c1",
            (at.acquisition(), at.won()),
            section="§6",
        )
    if kind == "crc":
        return Step(
            query.text,
            value,
            unit,
            "CRC = retention cost / average customers",
            "c0 / c1",
            (at.retention(), at.average_customers()),
            section="§6",
        )
    if kind == "ltv_cac":
        capped = unit_economics_step(tr, Query("ltv_capped", query.names, span, query.period))
        cac = unit_economics_step(tr, Query("cac", query.names, span, query.period))
        return Step(
            query.text,
            value,
            unit,
            "LTV : CAC = LTV, capped / CAC",
            "c0 / c1",
            (capped, cac),
            section="§6",
        )
    if kind == "payback":
        if k < K:
            cac = unit_economics_step(tr, Query("cac", query.names, span, query.period))
            gm = tr.input(("tiers", who, "gross_margin"), f"gross margin of {who}", "rate")
            return Step(
                query.text,
                value,
                unit,
                "payback = CAC / (p × gross_margin)",
                "c0 / (c1 * c2)",
                (cac, tr.price(k), gm),
                section="§6",
            )
        parts = [at.acquisition()]
        terms = []
        for tier_k, tier in enumerate(s.tiers):
            gm = tr.input(("tiers", tier, "gross_margin"), f"gross margin of {tier}", "rate")
            won = _Period(tr, query, tier_k).won()
            n = len(parts)
            terms.append(f"c{n} * c{n + 1} * c{n + 2}")
            parts += [won, tr.price(tier_k), gm]
        return Step(
            query.text,
            value,
            unit,
            "payback = acquisition cost / Σ tiers' new customers × p × gross_margin",
            f"c0 / ({' + '.join(terms)})",
            tuple(parts),
            section="§6",
        )
    # LTV, uncapped or capped: per tier, then blended by new customers.
    if k < K:
        return _tier_ltv(tr, query, k, value)
    children: list[Step] = []
    weights, terms = [], []
    for tier_k, tier in enumerate(s.tiers):
        won = _Period(tr, query, tier_k).won()
        if won.value <= 0:
            continue
        n = len(children)
        part = unit_economics_step(tr, Query(kind, (tier,), span, query.period))
        children += [won, part]
        terms.append(f"c{n} * c{n + 1}")
        weights.append(f"c{n}")
    return Step(
        query.text,
        value,
        unit,
        "blended: the new customers' average",
        f"({' + '.join(terms)}) / ({' + '.join(weights)})",
        tuple(children),
        section="§6",
    )


def _tier_ltv(tr: PlanTrace, query: Query, k: int, value: float) -> Step:
    """Return a tier's LTV: p × gm / c, or capped at H = 12 × ltv_cap_years months."""
    tier = tr.s.tiers[k]
    gm = tr.input(("tiers", tier, "gross_margin"), f"gross margin of {tier}", "rate")
    churn = tr.input(("tiers", tier, "churn_rate"), f"churn of {tier} a month", "rate")
    unit = KINDS[query.kind].unit
    if query.kind == "ltv":
        return Step(
            query.text,
            value,
            unit,
            "LTV = p × gross_margin / churn",
            "c0 * c1 / c2",
            (tr.price(k), gm, churn),
            section="§6",
        )
    years = tr.input(("economics", "ltv_cap_years"), "years of margin LTV counts", "number")
    if churn.value > 0:
        return Step(
            query.text,
            value,
            unit,
            "LTV, capped = p × gross_margin × (1 - (1 - churn)^H) / churn, H = 12 × ltv_cap_years",
            "c0 * c1 * (1 - (1 - c2) ** (12 * c3)) / c2",
            (tr.price(k), gm, churn, years),
            section="§10",
        )
    return Step(
        query.text,
        value,
        unit,
        "LTV, capped = p × gross_margin × H without churn, H = 12 × ltv_cap_years",
        "c0 * c1 * 12 * c2",
        (tr.price(k), gm, years),
        section="§10",
    )


class _Period:
    """The costs and customers of one tier (k = K: blended) over a query's period."""

    def __init__(self, tr: PlanTrace, query: Query, k: int) -> None:
        self.tr, self.query, self.k = tr, query, k
        self.K = len(tr.s.tiers)
        self.cells = [m for m in range(len(tr.s.cells)) if k == self.K or tr.s.cell_tier[m] == k]
        self.who = "every tier" if k == self.K else tr.s.tiers[k]
        span = query.span
        self.months = list(range(span.first, span.last + 1))
        lag = tr.s.cac_lag_months
        # CAC with a lag sets the cost of month t - lag against month t's customers; before
        # the plan, month 0's cost (docs/model.md §10).
        self.cost_months = [max(t - lag, 0) for t in self.months]

    def won(self) -> Step:
        """Return the new customers of the period: each tier's new MRR over it / p."""
        tr, label = self.tr, self.query.period or self.query.span.label
        tiers = range(self.K) if self.k == self.K else [self.k]
        parts = []
        for k in tiers:
            tier = tr.s.tiers[k]
            value = float(tr.v.revenue.new_customers[k, self.months].sum())
            parts.append(
                Step(
                    f"new customers of {tier}, {label}",
                    value,
                    "count",
                    "W = N / p",
                    "c0 / c1",
                    (self.new_mrr(k), tr.price(k)),
                    section="§1",
                )
            )
        if len(parts) == 1:
            return parts[0]
        return Step(
            f"new customers of {self.who}, {label}",
            float(sum(x.value for x in parts)),
            "count",
            "Σ tiers",
            _sum(len(parts)),
            tuple(parts),
            section="§1",
        )

    def new_mrr(self, k: int) -> Step:
        """Return a tier's new MRR over the period: s × n (or new_mrr) × Σ_t g^t."""
        tr = self.tr
        tier = tr.s.tiers[k]
        first, n = self.months[0], len(self.months)
        value = float(tr.v.revenue.new_mrr[k, self.months].sum())
        name = f"new_mrr {tier} {self.query.period or self.query.span.label}"
        growth = f"(1 + c{{}}) ** {first} * powsum(1 + c{{}}, {n})"
        if tr.plan.tiers[tier].new_mrr is not None:
            fixed = tr.input(("tiers", tier, "new_mrr"), f"new MRR booked by {tier}", "money")
            return Step(
                name,
                value,
                "money",
                "N = new_mrr × Σ_t g^t over the period's months",
                "c0 * " + growth.format(1, 1),
                (fixed, tr.growth()),
                section="§1",
            )
        return Step(
            name,
            value,
            "money",
            "N = s × n × Σ_t g^t over the period's months",
            "c0 * c1 * " + growth.format(2, 2),
            (tr.share(k), tr.solved(1), tr.growth()),
            section="§1",
        )

    def acquisition(self) -> Step:
        """Return the period's acquisition cost (``cac_lag_months`` earlier): marketing, the
        roles' acquisition cost and programmes' acquisition spend in the tier's cells."""
        tr, c = self.tr, self.tr.v.costs
        marketing = self._marketing()
        roles = self._shared(c.acquisition_by_cell, "acquisition")
        programmes = self._programmes(c.programme_acquisition, "acquisition")
        value = marketing.value + roles.value + programmes.value
        lag = tr.s.cac_lag_months
        when = f" ({lag} months earlier)" if lag else ""
        return Step(
            f"acquisition cost of {self.who}, {self._months_label()}{when}",
            value,
            "money",
            "acquisition cost = marketing + roles' acquisition cost + programmes' acquisition",
            "c0 + c1 + c2",
            (marketing, roles, programmes),
            section="§6",
        )

    def _marketing(self) -> Step:
        """Return the marketing of the tier's motions over the cost months: cost per entry ×
        entries into the first stage, plus the programme of every month."""
        tr, months = self.tr, self.cost_months
        label = self._months_label()
        parts = []
        for m in self.cells:
            tier, motion = tr.s.cells[m]
            j = next(j for j, (cell, _) in enumerate(tr.s.stages) if cell == m)
            stage = tr.s.stages[j][1]
            at = ("tiers", tier, "motions", motion, "marketing")
            entries = Step(
                f"volume {tier} {motion} {stage} {label}",
                float(sum(tr.v.funnel.volume[j, u] for u in months)),
                "count",
                section="§2",
                query=f"volume {tier} {motion} {stage} {label}" if months == self.months else "",
            )
            parts.append(
                Step(
                    f"marketing of {tier} {motion}, {label}",
                    float(sum(tr.v.costs.marketing[m, u] for u in months)),
                    "money",
                    "marketing = cost_per_entry × entries + programme_per_month × months",
                    f"c0 * c1 + c2 * {len(months)}",
                    (
                        tr.input(
                            (*at, "cost_per_entry"), f"cost per entry of {tier} {motion}", "money"
                        ),
                        entries,
                        tr.input(
                            (*at, "programme_per_month"),
                            f"programme of {tier} {motion} a month",
                            "money",
                        ),
                    ),
                    section="§6",
                )
            )
        return Step(
            f"marketing of {self.who}, {label}",
            float(sum(x.value for x in parts)),
            "money",
            "Σ motions' marketing",
            _sum(len(parts)),
            tuple(parts),
            section="§6",
        )

    def retention(self) -> Step:
        """Return the period's retention cost: roles' and programmes' retention parts."""
        c = self.tr.v.costs
        roles = self._shared(c.retention_by_cell, "retention", lagged=False)
        programmes = self._programmes(c.programme_retention, "retention", lagged=False)
        return Step(
            f"retention cost of {self.who}, {self.query.span.label}",
            roles.value + programmes.value,
            "money",
            "retention cost = roles' retention cost + programmes' retention",
            "c0 + c1",
            (roles, programmes),
            section="§6",
        )

    def average_customers(self) -> Step:
        """Return the mean of the period's month-end customers."""
        tr = self.tr
        tiers = range(self.K) if self.k == self.K else [self.k]
        months = []
        for t in self.months:
            parts = [tr.customers(k, t, 1) for k in tiers]
            months.append(
                parts[0]
                if len(parts) == 1
                else Step(
                    f"customers {tr.labels[t]}",
                    float(sum(p.value for p in parts)),
                    "count",
                    "Σ tiers",
                    _sum(len(parts)),
                    tuple(parts),
                )
            )
        n = len(months)
        return Step(
            f"average customers of {self.who}, {self.query.span.label}",
            float(sum(m.value for m in months)) / n,
            "count",
            "the mean of month-end customers",
            f"({_sum(n)}) / {n}",
            tuple(months),
            section="§6",
        )

    def _months_label(self, lagged: bool = True) -> str:
        months = self.cost_months if lagged else self.months
        labels = self.tr.labels
        first, last = labels[months[0]], labels[months[-1]]
        if months == self.months:
            return self.query.period or self.query.span.label
        return first if first == last else f"{first}..{last}"

    def _shared(self, by_cell: np.ndarray, side: str, lagged: bool = True) -> Step:
        """Return the roles' cost of one side shared out to the tier's cells: a rule of §6
        and §10, with each role's cost over the months as what it shares out."""
        tr = self.tr
        months = self.cost_months if lagged else self.months
        value = float(sum(by_cell[self.cells, u].sum() for u in months))
        label = self._months_label(lagged)
        costs = tr.v.costs.role_cost
        uses = tuple(
            Step(
                f"cost {role} {label}",
                float(sum(costs[r, u] for u in months)),
                "money",
                query=f"cost {role} {self.query.period}" if months == self.months else "",
            )
            for r, role in enumerate(tr.s.roles)
            if sum(costs[r, u] for u in months) > 0
        )
        return Step(
            f"roles' {side} cost of {self.who}, {label}",
            value,
            "money",
            "each role's cost goes to the cells it works in, by its work there, times the part "
            f"its function makes {side}; roles with no work of their own and overhead follow "
            "each month's direct cost (§6, §10)",
            children=uses,
            section="§6",
        )

    def _programmes(self, by_cell: np.ndarray, side: str, lagged: bool = True) -> Step:
        """Return programmes' spend of one side in the tier's cells (a rule of §10), with
        each programme line's spend over the months as what it shares out."""
        tr = self.tr
        months = self.cost_months if lagged else self.months
        label = self._months_label(lagged)
        value = float(sum(by_cell[self.cells, u].sum() for u in months))
        uses = []
        for g, name in enumerate(tr.s.programmes):
            at = ("programmes", name)
            spend = float(sum(tr.v.costs.programmes[g, u] for u in months))
            given = [tr.input((*at, "per_month"), f"{name} a month", "money")]
            given.append(tr.input((*at, "growth_rate"), f"growth of {name} a month", "rate"))
            uses.append(
                Step(
                    f"{name}, {label}",
                    spend,
                    "money",
                    "per_month × (1 + growth_rate)^t, or the schedule's amount from each month on",
                    children=tuple(given),
                    section="§10",
                )
            )
        return Step(
            f"programmes' {side} of {self.who}, {label}",
            value,
            "money",
            f"{side} programmes go to their cells by new MRR (acquisition) or MRR (retention); "
            "overhead programmes follow each month's direct cost (§10)",
            children=tuple(uses),
            section="§10",
        )


__all__ = ["unit_economics_step"]
