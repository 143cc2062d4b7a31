"""Trace what roles, marketing and programmes cost (docs/model.md §6, §10) to the plan.

Pure: no I/O.
"""

from __future__ import annotations

from salesplan.engine.explain import Step
from salesplan.engine.trace import _sum
from salesplan.engine.trace_people import PeopleTrace


class PlanTrace(PeopleTrace):
    """The full trace of a planned number: revenue, funnel, need, people and cost."""

    # -- §6 cost ---------------------------------------------------------------------------

    def per_head(self, r: int) -> Step:
        """Return the loaded cost of a head a month (§6)."""
        role = self.s.roles[r]
        comp = ("roles", role, "comp")
        inputs = [
            self.input((*comp, "ote"), f"OTE of {role}", "money"),
            self.input((*comp, "base_share"), f"base share of {role}", "rate"),
            self.input((*comp, "burden_rate"), f"burden of {role}", "rate"),
            self.input((*comp, "tools_per_month"), f"tools of {role} a month", "money"),
        ]
        return self.keep(
            Step(
                f"cost of a {role} head a month",
                float(self.v.costs.per_head[r]),
                "money",
                "(ote × base_share + (ote - ote × base_share) × payout 1) / 12 × (1 + burden_rate) "
                "+ tools_per_month",
                "(c0 * c1 + (c0 - c0 * c1) * 1) / 12 * (1 + c2) + c3",
                tuple(inputs),
                section="§6",
            )
        )

    def cost(self, r: int, t: int, level: int) -> Step:
        """Return a role's cost in month t: heads × cost of a head + starts × cost per hire."""
        role, c = self.s.roles[r], self.v.costs

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            hire = self.input(
                ("roles", role, "comp", "cost_per_hire"), f"cost per {role} hire", "money"
            )
            return (
                "cost = heads × cost of a head + starts × cost_per_hire",
                "c0 * c1 + c2 * c3",
                [
                    self.heads(r, t, nxt),
                    self.per_head(r),
                    self.starts(r, t, nxt),
                    hire,
                ],
            )

        return self.step(
            f"cost {role} {self.labels[t]}", c.role_cost[r, t], "money", level, build, section="§6"
        )

    def marketing_cell(self, m: int, t: int, level: int) -> Step:
        """Return a motion's marketing in month t: cost_per_entry × entries + programme."""
        tier, motion = self.s.cells[m]
        first = next(j for j, (cell, _) in enumerate(self.s.stages) if cell == m)
        at = ("tiers", tier, "motions", motion, "marketing")

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            return (
                "marketing = cost_per_entry × entries + programme_per_month",
                "c0 * c1 + c2",
                [
                    self.input(
                        (*at, "cost_per_entry"), f"cost per entry of {tier} {motion}", "money"
                    ),
                    self.volume(m, self.s.stages[first][1], t, nxt),
                    self.input(
                        (*at, "programme_per_month"),
                        f"programme of {tier} {motion} a month",
                        "money",
                    ),
                ],
            )

        name = f"marketing of {tier} {motion} {self.labels[t]}"
        value = self.v.costs.marketing[m, t]
        return self.step(name, value, "money", level, build, section="§6", quantity=False)

    def marketing(self, k: int | None, t: int, level: int) -> Step:
        """Return the marketing of a tier's motions (every tier's when k is None) in month t."""
        cells = [m for m in range(len(self.s.cells)) if k is None or self.s.cell_tier[m] == k]
        label = "" if k is None else f" {self.s.tiers[k]}"

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            return (
                "Σ motions' marketing",
                _sum(len(cells)),
                [self.marketing_cell(m, t, nxt) for m in cells],
            )

        value = self.v.costs.marketing[cells, t].sum()
        return self.step(
            f"marketing{label} {self.labels[t]}", value, "money", level, build, section="§6"
        )

    def programmes(self, t: int) -> Step:
        """Return the programme lines' spend in month t."""
        children = []
        for g, name in enumerate(self.s.programmes):
            prog = self.plan.programmes[name]
            entries = sorted(e for e in (prog.schedule or {}) if e <= self.labels[t])
            if entries:
                children.append(
                    self.input(
                        ("programmes", name, "schedule", entries[-1]),
                        f"{name} a month from {entries[-1]}",
                        "money",
                    )
                )
                continue
            at = ("programmes", name)
            per = self.input((*at, "per_month"), f"{name} a month", "money")
            grow = self.input((*at, "growth_rate"), f"growth of {name} a month", "rate")
            children.append(
                Step(
                    f"{name} {self.labels[t]}",
                    float(self.v.costs.programmes[g, t]),
                    "money",
                    "per_month × (1 + growth_rate)^t",
                    f"c0 * (1 + c1) ** {t}",
                    (per, grow),
                    section="§10",
                )
            )
        return Step(
            f"programmes {self.labels[t]}",
            float(self.v.costs.programmes[:, t].sum()),
            "money",
            "Σ programme lines",
            _sum(len(children)),
            tuple(children),
            section="§10",
        )

    def sm_cost(self, t: int, level: int) -> Step:
        """Return S&M cost in month t: every role's cost, marketing and programmes."""

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            roles = [self.cost(r, t, nxt) for r in range(len(self.s.roles))]
            people = Step(
                f"people {self.labels[t]}",
                float(sum(x.value for x in roles)),
                "money",
                "Σ roles' cost",
                _sum(len(roles)),
                tuple(roles),
                section="§6",
            )
            return (
                "S&M cost = people + marketing + programmes",
                "c0 + c1 + c2",
                [people, self.marketing(None, t, nxt), self.programmes(t)],
            )

        value = self.v.costs.total[t]
        return self.step(f"sm_cost {self.labels[t]}", value, "money", level, build, section="§10")


__all__ = ["PlanTrace"]
