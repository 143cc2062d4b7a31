"""Trace a planned number through docs/model.md's formulas to the plan's inputs (§13).

:class:`Trace` builds the :class:`~salesplan.engine.explain.Step` tree of a quantity from a
planned batch of one: revenue and customers (§1), funnel volume (§2), need (§3), heads,
starts and ramped capacity (§4), cost (§6, §10) and the unit economics (§6).  Every value
is the engine's own; the formulas' expressions recompute them from the children.  A step
deeper than ``depth`` is cut to its value and the query that explains it; a step met a
second time is the same object (shown once).  Pure: no I/O.
"""

from __future__ import annotations

import calendar
import math
from collections.abc import Callable

import numpy as np

from salesplan.engine.explain import Step
from salesplan.engine.levers import value_at
from salesplan.engine.revenue import tier_season
from salesplan.engine.run import PlanResult
from salesplan.engine.structure import (
    DAYS_PER_MONTH,
    by_calendar,
    calendar_months,
    month_labels,
)
from salesplan.load.schema import Plan, Range, point

KeyPath = tuple[str | int, ...]


def _sum(n: int) -> str:
    """Return the expression that adds ``n`` children.

    >>> _sum(3)
    'c0 + c1 + c2'
    """
    return " + ".join(f"c{i}" for i in range(n)) or "0"


class Trace:
    """The steps behind one planned batch of one (variant 0), up to ``depth`` levels."""

    def __init__(self, plan: Plan, result: PlanResult, depth: int, root: str = "") -> None:
        self.plan = plan
        self.result = result
        # What explains a cut step that is no quantity of its own: the root, deeper.
        self.deeper = f"{root} --depth {depth + 2}"
        self.v = result.view(0)
        self.s = result.structure
        self.depth = depth
        self.labels = month_labels(self.s.start, self.s.months)
        self.memo: dict[str, Step] = {}
        # ω_k[t], each tier's seasonal weight of new bookings (docs/model.md §14); None
        # without seasonality (every weight 1).
        params = self.v.params
        self.omega: np.ndarray | None = None
        if not (params.cell_season == 1).all():
            months = np.arange(self.s.months)
            by_cell = by_calendar(params.cell_season[None], self.s.start, months)
            share = params.cell_share[None]
            self.omega = tier_season(by_cell, self.s.cell_tier, share, len(self.s.tiers))[0]

    # -- the machinery ---------------------------------------------------------------------

    def step(
        self,
        name: str,
        value: float,
        unit: str,
        level: int,
        build: Callable[[int], tuple[str, str, list[Step]]],
        *,
        section: str = "",
        quantity: bool = True,
    ) -> Step:
        """Return a step: built by ``build(level + 1)`` (formula, expression, children) when
        within the depth, else cut to its value and the query that explains it (its name
        when it is a ``quantity`` of its own, else the root's, deeper)."""
        if name in self.memo:
            return self.memo[name]
        if level >= self.depth:
            query = name if quantity else self.deeper
            return Step(name, float(value), unit, section=section, query=query)
        formula, expression, children = build(level + 1)
        out = Step(name, float(value), unit, formula, expression, tuple(children), None, section)
        self.memo[name] = out
        return out

    def keep(self, step: Step) -> Step:
        """Return the step met before under the same name, else this one (kept for later)."""
        return self.memo.setdefault(step.name, step)

    def input(self, path: KeyPath, name: str, unit: str) -> Step:
        """Return a leaf: the plan's number at ``path`` (a range's likely value)."""
        _, found = value_at(self.plan, path)
        value = point(found) if isinstance(found, Range) else float(found)
        return Step(name, value, unit, path=path)

    def constant(self, name: str, value: float, unit: str, why: str) -> Step:
        """Return a number the model fixes (not an input), with why."""
        return Step(name, value, unit, why, repr(value))

    # -- §1 revenue ------------------------------------------------------------------------

    def weight(self, k: int, t: int) -> float:
        """Return ω_k[t], tier k's seasonal weight of new bookings in month t (1 without)."""
        return 1.0 if self.omega is None else float(self.omega[k, t])

    def season(self, k: int, t: int) -> Step:
        """Return ω_k[t] as a step: the tier's motions' weights for the calendar month."""
        tier = self.s.tiers[k]
        return self.keep(
            Step(
                f"seasonal weight of {tier} in {self.labels[t]}",
                self.weight(k, t),
                "number",
                "rule: ω = Σ share_m × w_m / Σ share_m over the tier's motions, each motion's "
                "seasonality (its own, else its tier's, else the plan's) for the calendar "
                "month, divided by its mean",
                section="§14",
            )
        )

    def growth(self) -> Step:
        """Return g - 1, the monthly growth of new bookings."""
        return self.input(("target", "growth_rate"), "growth of new bookings a month", "rate")

    def price(self, k: int) -> Step:
        """Return p, the MRR of a new customer of tier k (ACV / 12 when ACV is given)."""
        tier = self.s.tiers[k]
        if self.plan.tiers[tier].mrr is not None:
            return self.input(("tiers", tier, "mrr"), f"p, MRR of a new {tier} customer", "money")
        acv = self.input(("tiers", tier, "acv"), f"ACV of {tier}", "money")
        value = float(self.v.params.mrr_per_customer[k])
        return self.keep(
            Step(
                f"p, MRR of a new {tier} customer",
                value,
                "money",
                "p = acv / 12",
                "c0 / 12",
                (acv,),
                section="§1",
            )
        )

    def solved(self, level: int) -> Step:
        """Return n, the new MRR a month (month 0) the share tiers book to meet the target."""
        s, v = self.s, self.v
        kind = s.target_kind
        name = "n, new MRR in month 1 the target needs"
        target = self.input(("target", kind), f"target: {kind}", "money")

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            fixed = self.fixed_new_mrr()
            if self.omega is not None and kind == "new_mrr_per_month":
                sigma, psi = self.booked_weights(1)
                return (
                    "n = (new_mrr_per_month - F × ψ[0]) / σ[0]",
                    "(c0 - c1 * c2) / c3",
                    [target, fixed, psi, sigma],
                )
            if self.omega is not None and kind == "new_arr_per_year":
                sigma, psi = self.booked_weights(12)
                return (
                    "n = (new_arr_per_year / 12 - F × Σ_{t<12} ψ g^t) / Σ_{t<12} σ g^t",
                    "(c0 / 12 - c1 * c2) / c3",
                    [target, fixed, psi, sigma],
                )
            if kind == "new_mrr_per_month":
                return "n = new_mrr_per_month - F", "c0 - c1", [target, fixed]
            if kind == "new_arr_per_year":
                return (
                    "n = new_arr_per_year / (12 × Σ_{t<12} g^t) - F",
                    "c0 / (12 * powsum(1 + c1, 12)) - c2",
                    [target, self.growth(), fixed],
                )
            base, unit = self.base_and_unit(kind)
            if kind == "ending_arr":
                return (
                    "n = (ending_arr / 12 - base[T-1]) / unit[T-1]",
                    "(c0 / 12 - c1) / c2",
                    [
                        target,
                        base,
                        unit,
                    ],
                )
            return (
                "n = (first_year_revenue - Σ_{t<12} base[t]) / Σ_{t<12} unit[t]",
                ("(c0 - c1) / c2"),
                [target, base, unit],
            )

        value = float(v.revenue.new_mrr_solved)
        return self.step(name, value, "money", level, build, section="§1", quantity=False)

    def booked_weights(self, months: int) -> tuple[Step, Step]:
        """Return Σ_{t<months} σ[t] g^t and Σ_{t<months} ψ[t] g^t: the seasons' weights of the
        share tiers' and the fixed tiers' bookings (each tier's ω averaged by its share of n,
        or by its fixed new MRR), with growth (docs/model.md §14)."""
        assert self.omega is not None
        p = self.v.params
        gpow = np.power(1 + float(p.growth_rate_monthly), np.arange(months))
        omega = self.omega[:, :months]

        def mean_by(amounts: np.ndarray) -> np.ndarray:
            total = float(amounts.sum())
            if total <= 0:
                return np.ones(months)
            return np.asarray((omega * amounts[:, None]).sum(axis=0) / total)

        sigma = float((mean_by(p.tier_share) * gpow).sum())
        psi = float((mean_by(p.tier_new_mrr) * gpow).sum())
        what = "month 1" if months == 1 else f"months 1–{months}"
        rule = "rule: each tier's seasonal weight ω averaged by {}, times g^t, over " + what
        return (
            Step(
                f"σ, seasonal weight of the share tiers' bookings, {what}",
                sigma,
                "number",
                rule.format("its share of n"),
                section="§14",
            ),
            Step(
                f"ψ, seasonal weight of the fixed tiers' bookings, {what}",
                psi,
                "number",
                rule.format("its fixed new MRR"),
                section="§14",
            ),
        )

    def fixed_new_mrr(self) -> Step:
        """Return F, the new MRR the tiers with a fixed new_mrr book in month 0."""
        parts = [
            self.input(("tiers", t, "new_mrr"), f"new MRR booked by {t}", "money")
            for t in self.s.tiers
            if self.plan.tiers[t].new_mrr is not None
        ]
        value = float(self.v.params.tier_new_mrr.sum())
        return Step(
            "F, fixed new MRR",
            value,
            "money",
            "F = Σ tiers' new_mrr",
            _sum(len(parts)),
            tuple(parts),
            section="§1",
        )

    def base_and_unit(self, kind: str) -> tuple[Step, Step]:
        """Return the base and unit MRR the target is solved with, as rules over the inputs
        they run through (the §1 recurrence twice)."""
        T = self.s.months
        months = slice(T - 1, T) if kind == "ending_arr" else slice(0, 12)
        v = self.v
        keep = (1 - v.params.churn_rate_monthly) * (1 + v.params.expansion_rate_monthly)
        gpow = np.power(1 + float(v.params.growth_rate_monthly), np.arange(T))
        base = np.zeros(T)
        unit = np.zeros(T)
        for k in range(len(self.s.tiers)):
            m_base, m_unit = float(v.params.opening_mrr[k]), 0.0
            for t in range(T):
                w = gpow[t] * self.weight(k, t)
                m_base = m_base * keep[k] + float(v.params.tier_new_mrr[k]) * w
                m_unit = m_unit * keep[k] + float(v.params.tier_share[k]) * w
                base[t] += m_base
                unit[t] += m_unit
        uses: list[Step] = [self.growth()]
        for name in self.s.tiers:
            at = ("tiers", name)
            uses += [
                self.input((*at, "opening_arr"), f"opening ARR of {name}", "money"),
                self.input((*at, "churn_rate"), f"churn of {name} a month", "rate"),
                self.input((*at, "expansion_rate"), f"expansion of {name} a month", "rate"),
            ]
            spec = self.plan.tiers[name]
            if spec.share is not None:
                uses.append(self.input((*at, "share"), f"share of {name}", "rate"))
            if spec.new_mrr is not None:
                uses.append(self.input((*at, "new_mrr"), f"new MRR booked by {name}", "money"))
        which = "in month T-1" if kind == "ending_arr" else "over months 0 … 11"
        rule = "runs the §1 recurrence of every tier"
        if self.omega is not None:
            rule += ", new bookings weighted by the seasons (§14)"
        return (
            Step(
                f"base, MRR {which} with n = 0",
                float(base[months].sum()),
                "money",
                f"opening MRR and fixed new MRR: {rule}",
                children=tuple(uses),
                section="§1",
            ),
            Step(
                f"unit, MRR {which} per unit of n",
                float(unit[months].sum()),
                "money",
                f"each tier's share of n: {rule}, with the same inputs as the base",
                section="§1",
            ),
        )

    def share(self, k: int) -> Step:
        """Return s_k, the tier's share of n."""
        tier = self.s.tiers[k]
        if self.plan.tiers[tier].share is not None:
            return self.input(("tiers", tier, "share"), f"share of {tier}", "rate")
        return self.constant(f"share of {tier}", 1.0, "rate", "the only tier takes all of n")

    def new_mrr(self, k: int, t: int, level: int) -> Step:
        """Return N_k[t] = (s_k n + F_k) g^t (all tiers when k is None)."""
        tier, v = self.s.tiers[k], self.v

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            if self.plan.tiers[tier].new_mrr is not None:
                fixed = self.input(("tiers", tier, "new_mrr"), f"new MRR booked by {tier}", "money")
                formula, expression = "N = new_mrr × g^t", f"c0 * (1 + c1) ** {t}"
                children = [fixed, self.growth()]
            else:
                formula, expression = "N = s × n × g^t", f"c0 * c1 * (1 + c2) ** {t}"
                children = [self.share(k), self.solved(nxt), self.growth()]
            if self.omega is None:
                return formula, expression, children
            at = len(children)
            return f"{formula} × ω", f"{expression} * c{at}", [*children, self.season(k, t)]

        name = f"new_mrr {tier} {self.labels[t]}"
        return self.step(name, v.revenue.new_mrr[k, t], "money", level, build, section="§1")

    def new_customers(self, k: int, t: int, level: int) -> Step:
        """Return W_k[t] = N_k[t] / p_k."""
        tier = self.s.tiers[k]

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            return "W = N / p", "c0 / c1", [self.new_mrr(k, t, nxt), self.price(k)]

        name = f"new_customers {tier} {self.labels[t]}"
        value = self.v.revenue.new_customers[k, t]
        return self.step(name, value, "count", level, build, section="§1")

    def mrr(self, k: int, t: int, level: int) -> Step:
        """Return MRR_k[t] = MRR_k[t-1] (1 - c)(1 + e) + N_k[t] (MRR_k[-1] = opening ARR / 12)."""
        tier = self.s.tiers[k]
        at = ("tiers", tier)

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            churn = self.input((*at, "churn_rate"), f"churn of {tier} a month", "rate")
            grow = self.input((*at, "expansion_rate"), f"expansion of {tier} a month", "rate")
            new = self.new_mrr(k, t, nxt)
            if t == 0:
                opening = self.input((*at, "opening_arr"), f"opening ARR of {tier}", "money")
                return (
                    "MRR = opening_arr / 12 × (1 - c)(1 + e) + N",
                    ("c0 / 12 * (1 - c1) * (1 + c2) + c3"),
                    [opening, churn, grow, new],
                )
            before = self.mrr(k, t - 1, nxt)
            return (
                "MRR = MRR a month before × (1 - c)(1 + e) + N",
                ("c0 * (1 - c1) * (1 + c2) + c3"),
                [before, churn, grow, new],
            )

        name = f"mrr {tier} {self.labels[t]}"
        return self.step(name, self.v.revenue.mrr[k, t], "money", level, build, section="§1")

    def customers(self, k: int, t: int, level: int) -> Step:
        """Return C_k[t] = C_k[t-1] (1 - c) + W_k[t]; before month 0, opening customers."""
        tier = self.s.tiers[k]
        at = ("tiers", tier)

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            churn = self.input((*at, "churn_rate"), f"churn of {tier} a month", "rate")
            new = self.new_customers(k, t, nxt)
            if t == 0:
                opening = self.input(
                    (*at, "opening_customers"), f"customers of {tier} at the start", "count"
                )
                return (
                    "C = opening_customers × (1 - c) + W",
                    "c0 * (1 - c1) + c2",
                    [opening, churn, new],
                )
            before = self.customers(k, t - 1, nxt)
            return "C = C a month before × (1 - c) + W", "c0 * (1 - c1) + c2", [before, churn, new]

        name = f"customers {tier} {self.labels[t]}"
        return self.step(name, self.v.revenue.customers[k, t], "count", level, build, section="§1")

    # -- §2 funnel -------------------------------------------------------------------------

    def _stage_path(self, j: int, key: str) -> KeyPath:
        m = int(self.s.stage_cell[j])
        tier, motion = self.s.cells[m]
        return ("tiers", tier, "motions", motion, "stages", int(self.s.stage_pos[j]), key)

    def lag(self, j: int) -> Step:
        """Return L_j = Σ_{i ≥ j} days_i / 30.4375, months from entering stage j to winning."""
        rows = self._rest(j)
        days = [
            self.input(self._stage_path(i, "days"), f"days in {self.s.stages[i][1]}", "days")
            for i in rows
        ]
        name = f"L, months from {self._stage_name(j)} to won"
        return self.keep(
            Step(
                name,
                float(self.v.funnel.lag[j]),
                "months",
                "L = Σ days of this stage and later / 30.4375",
                f"({_sum(len(days))}) / {DAYS_PER_MONTH}",
                tuple(days),
                section="§2",
            )
        )

    def to_win(self, j: int) -> Step:
        """Return Q_j = Π_{i ≥ j} rate_i, the share of stage-j entries that are won."""
        rows = self._rest(j)
        rates = [
            self.input(self._stage_path(i, "rate"), f"rate of {self.s.stages[i][1]}", "rate")
            for i in rows
        ]
        name = f"Q, share of {self._stage_name(j)} entries won"
        return self.keep(
            Step(
                name,
                float(self.v.funnel.to_win[j]),
                "rate",
                "Q = Π rates of this stage and later",
                " * ".join(f"c{i}" for i in range(len(rates))),
                tuple(rates),
                section="§2",
            )
        )

    def _rest(self, j: int) -> list[int]:
        cell = self.s.stage_cell[j]
        return [i for i in range(j, len(self.s.stages)) if self.s.stage_cell[i] == cell]

    def _stage_name(self, j: int) -> str:
        tier, motion = self.s.cells[int(self.s.stage_cell[j])]
        return f"{tier} {motion} {self.s.stages[j][1]}"

    def motion_share(self, m: int) -> Step:
        """Return share_m, the motion's share of its tier's new customers."""
        tier, motion = self.s.cells[m]
        path = ("tiers", tier, "motions", motion, "share")
        return self.input(path, f"share of {tier}'s new customers won by {motion}", "rate")

    def volume(self, m: int, stage: str, t: int, level: int) -> Step:
        """Return the entries into a stage in month t, V_j[t] = W_m(t + L_j) / Q_j (wins for
        ``won``: W_m[t] = share_m × W_k[t], or a_m g^t w_m[t] where a motion's seasonal
        weight is not its tier's, §14)."""
        tier, motion = self.s.cells[m]
        k = int(self.s.cell_tier[m])
        name = f"volume {tier} {motion} {stage} {self.labels[t]}"
        if stage == "won":

            def won(nxt: int) -> tuple[str, str, list[Step]]:
                share = self.motion_share(m)
                # The tier's weight is its motions' weights averaged by share: equal to this
                # motion's but for the float dust of the average when they all weigh alike.
                if math.isclose(self.motion_weight(m, t).value, self.weight(k, t), rel_tol=1e-12):
                    return "wins = share × W", "c0 * c1", [share, self.new_customers(k, t, nxt)]
                return (
                    "wins = share × W̄ × g^t × w, the motion's own seasonal weight (§14)",
                    f"c0 * c1 * (1 + c2) ** {t} * c3",
                    [share, self.unweighted(k, nxt), self.growth(), self.motion_weight(m, t)],
                )

            return self.step(name, self.v.funnel.wins[m, t], "count", level, won, section="§2")
        j = self.s.stages.index((m, stage))

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            if self.omega is None:
                return (
                    "V = share × W[0] × g^(t + I) × (1 + f (g - 1)) / Q, with I + f = L",
                    f"c0 * c1 * (1 + c2) ** ({t} + floor(c3)) * (1 + (c3 - floor(c3)) * c2) / c4",
                    [
                        self.motion_share(m),
                        self.new_customers(k, 0, nxt),
                        self.growth(),
                        self.lag(j),
                        self.to_win(j),
                    ],
                )
            # §14: the seasonal wins joined linearly between the whole months t + I and the next.
            whole = t + int(np.floor(self.v.funnel.lag[j]))
            return (
                "V = share × W̄ × g^(t + I) × (w[t + I] + f (g w[t + I + 1] - w[t + I])) / Q, "
                "with I + f = L and w the motion's seasonal weights",
                f"c0 * c1 * (1 + c2) ** ({t} + floor(c3)) "
                "* (c5 + (c3 - floor(c3)) * ((1 + c2) * c6 - c5)) / c4",
                [
                    self.motion_share(m),
                    self.unweighted(k, nxt),
                    self.growth(),
                    self.lag(j),
                    self.to_win(j),
                    self.motion_weight(m, whole),
                    self.motion_weight(m, whole + 1),
                ],
            )

        return self.step(name, self.v.funnel.volume[j, t], "count", level, build, section="§2")

    def motion_weight(self, m: int, t: int) -> Step:
        """Return w_m[t], a motion's seasonal weight of month t's calendar month (§14)."""
        tier, motion = self.s.cells[m]
        month = int(calendar_months(self.s.start, np.array([t]))[0])
        return self.keep(
            Step(
                f"seasonal weight of {tier} {motion} in {calendar.month_name[month + 1]}",
                float(self.v.params.cell_season[m, month]),
                "number",
                "rule: the motion's seasonality (its own, else its tier's, else the plan's) "
                "for the calendar month, divided by its mean",
                section="§14",
            )
        )

    def unweighted(self, k: int, level: int) -> Step:
        """Return W̄_k, the tier's new customers in month 0 before its seasonal weight (§14)."""
        tier = self.s.tiers[k]
        value = self.v.revenue.booking_curve[k]

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            if self.weight(k, 0) == 0:  # a month that books nothing: W̄ is from the target
                return "W̄ = n-based bookings of an average month 0 (§14)", "", []
            return "W̄ = W[0] / ω[0]", "c0 / c1", [self.new_customers(k, 0, nxt), self.season(k, 0)]

        name = f"W̄, new customers of {tier} in month 0 before its seasonal weight"
        return self.step(name, value, "count", level, build, section="§14", quantity=False)


__all__ = ["Trace", "_sum"]
