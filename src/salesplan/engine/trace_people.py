"""Trace need, heads, starts and ramped capacity (docs/model.md §3, §4, §10) to the plan.

Need is a sum of formulas (each driver's work over its capacity, and interviewing); heads
are the opening heads plus starts less departures.  How many start in a month is a rule of
§4 (the fewest that keep the month a ramp later covered), so a start's step shows the need
it covers and the inputs that decide it, not a formula.  Pure: no I/O.
"""

from __future__ import annotations

import numpy as np

from salesplan.engine.explain import Step
from salesplan.engine.run import pod_sharing
from salesplan.engine.structure import (
    EPS,
    FLOW,
    MANAGES,
    STARTS,
    STOCK_ARR,
)
from salesplan.engine.trace import Trace, _sum

KeyPath = tuple[str | int, ...]


class PeopleTrace(Trace):
    """A trace that also follows need and people (§3, §4)."""

    # -- §3 need ---------------------------------------------------------------------------

    def _driver_spec_path(self, d_index: int) -> KeyPath:
        d = self.s.drivers[d_index]
        role = self.s.roles[d.role]
        position = sum(1 for e in self.s.drivers[:d_index] if e.role == d.role)
        return ("roles", role, "drivers", position)

    def driver_capacity(self, d_index: int) -> Step:
        """Return a driver's capacity a month: given, or quota × attainment / 12."""
        path = self._driver_spec_path(d_index)
        role = str(path[1])
        spec = self.plan.roles[role].drivers[int(path[3])]
        value = float(self.v.params.driver_capacity[d_index])
        if spec.capacity is not None:
            return self.input(
                (*path, "capacity"), f"capacity of {role}'s driver {path[3]}", "number"
            )
        comp = ("roles", role, "comp")
        quota = self.input((*comp, "quota"), f"quota of {role} a year", "money")
        attain = self.input((*comp, "attainment"), f"attainment of {role}", "rate")
        return self.keep(
            Step(
                f"capacity of {role}: new ARR a month",
                value,
                "money",
                "capacity = quota × attainment / 12",
                "c0 * c1 / 12",
                (quota, attain),
                section="§3",
            )
        )

    def need(self, r: int, t: int, level: int) -> Step:
        """Return the need staffing covers in month t, the need the reports print: the
        drivers' work (§3), whole pods' members under pod staffing (§5), or a fixed role's
        schedule (§10)."""
        role = self.s.roles[r]
        name, covered = f"need {role} {self.labels[t]}", self.v.staffed_need[r, t]
        if self.s.role_fixed[r]:

            def scheduled(nxt: int) -> tuple[str, str, list[Step]]:
                work = self.work_need(r, t, nxt, beside=True)
                return (
                    "need = the heads the schedule asks for (§10); the work is shown beside it",
                    "c0",
                    [self._schedule(r, t), work],
                )

            return self.step(name, covered, "fte", level, scheduled, section="§10")
        pods = self._pods_of(r)
        if pods:
            return self.step(
                name,
                covered,
                "fte",
                level,
                lambda nxt: self._pod_cover(r, t, nxt, pods),
                section="§5",
            )
        return self.work_need(r, t, level)

    def work_need(self, r: int, t: int, level: int, *, beside: bool = False) -> Step:
        """Return need_r[t] = Σ drivers' work / capacity, plus interviewing hours (§3): the
        query ``need ROLE MONTH`` itself, or (``beside``) the role's own work shown beside
        what staffing covers, which is no query of its own."""
        role, label = self.s.roles[r], self.labels[t]
        name = f"need of {role}'s work {label}" if beside else f"need {role} {label}"

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            parts = [
                self.driver_need(di, t, nxt) for di, d in enumerate(self.s.drivers) if d.role == r
            ]
            if self.v.interview_hours[r, t] > 0:
                parts.append(self.interviewing(r, t))
            return "need = Σ drivers' work / capacity (+ interviewing)", _sum(len(parts)), parts

        value = self.v.need[r, t]
        return self.step(name, value, "fte", level, build, section="§3", quantity=not beside)

    # -- §5 pods ---------------------------------------------------------------------------

    def _pods_of(self, r: int) -> list[int]:
        """Return the pod templates role r is a member of, under pod staffing (else none)."""
        if self.s.staffing != "pod":
            return []
        return [int(p) for p in np.nonzero(self.v.params.pod_members[:, r] > 0)[0]]

    def _pod_cover(
        self, r: int, t: int, level: int, pods: list[int]
    ) -> tuple[str, str, list[Step]]:
        """Return what pod staffing covers: whole pods' members, rounded up, with the work no
        pod serves taken first by the spare capacity that rounding left (§5)."""
        role, label = self.s.roles[r], self.labels[t]
        children: list[Step] = []
        for p in pods:
            pod = self.s.pods[p]
            children.append(self.pods(p, t, int(self.s.role_level[r]), level))
            children.append(
                self.input(("pods", pod, "members", role), f"{role} per {pod} pod", "number")
            )
        in_pods = " + ".join(f"c{2 * i} * c{2 * i + 1}" for i in range(len(pods)))
        served = pod_sharing(self.v.params.pod_members, self.v.params.pod_cells)[r] > 0
        outside = float(self.v.need_by_cell[r, ~served, t].sum())
        # The role's own work, beside the figures that decide: the pods may be set by another.
        own = self.work_need(r, t, level, beside=True)
        if outside <= 0:
            formula = "need = whole pods' members, rounded up: ceil(Σ pods × members)"
            return formula, f"ceil({in_pods})", [*children, own]
        children.append(
            Step(
                f"need of {role}'s work no pod serves {label}",
                outside,
                "fte",
                "the drivers' work in the cells no pod template with this role serves",
                section="§5",
            )
        )
        return (
            "need = whole pods' members, with the work no pod serves taken first by the spare "
            "capacity rounding left: max(ceil(Σ pods × members), Σ pods × members + outside)",
            f"max(ceil({in_pods}), {in_pods} + c{len(children) - 1})",
            [*children, own],
        )

    def pods(self, p: int, t: int, upto: int, level: int) -> Step:
        """Return P[t], the whole pods of template p that the roles staffed by level ``upto``
        need: ceil(max_r need_r,pod / members_r), set by the role with the largest ratio."""
        pod, label = self.s.pods[p], self.labels[t]
        members = self.v.params.pod_members[p]
        # The template's members staffed by then (the role asked about is one of them).
        candidates = np.flatnonzero((members > 0) & (self.s.role_level <= upto))
        ratio = self.v.pod_need[p, :, t] / np.where(members > 0, members, 1.0)
        q = int(candidates[np.argmax(ratio[candidates])])  # the first member when none works
        sets = self.s.roles[q]
        value = float(max(np.ceil(ratio[q] - EPS), 0.0))

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            whole = self.work_need(q, t, nxt, beside=True)
            share = float(self.v.pod_need[p, q, t])
            if share == whole.value:
                of_pod = whole
            else:
                of_pod = Step(
                    f"need of {sets} from {pod}'s business {label}",
                    share,
                    "fte",
                    "its need in the cells the template serves, split evenly where several "
                    "templates with the role serve a cell",
                    children=(whole,),
                    section="§5",
                )
            member = self.input(("pods", pod, "members", sets), f"{sets} per {pod} pod", "number")
            formula = f"P = ceil(max over roles of need / members): set by {sets}"
            return formula, "ceil(c0 / c1)", [of_pod, member]

        name = f"pods of {pod} {label}, set by {sets}"
        return self.step(name, value, "count", level, build, section="§5", quantity=False)

    def driver_need(self, d_index: int, t: int, level: int) -> Step:
        """Return one driver's need in month t: its work / its capacity."""
        d = self.s.drivers[d_index]
        role = self.s.roles[d.role]
        path = self._driver_spec_path(d_index)
        cap = float(self.v.params.driver_capacity[d_index])
        work_children: list[Step]
        if d.kind == FLOW:
            work_children = self._flow_work(d_index, t, level + 1)
            what = "new ARR worked" if d.new_arr else "entries worked"
        elif d.kind == MANAGES:
            work_children = [self.heads(int(o), t, level + 1) for o in np.nonzero(d.roles)[0]]
            what = "heads managed"
        elif d.kind == STARTS:
            work_children = [self.starts(int(o), t, level + 1) for o in np.nonzero(d.roles)[0]]
            what = "starts hired"
        else:
            stock = self.arr if d.kind == STOCK_ARR else self.customers
            work_children = [stock(int(k), t, level + 1) for k in np.nonzero(d.tier_mask)[0]]
            what = "ARR covered" if d.kind == STOCK_ARR else "customers covered"
        work = float(sum(c.value for c in work_children))
        if d.kind in (MANAGES, STARTS):
            work = float(self._people_work(d_index, t))
        name = f"need of {role}'s driver {path[3]} ({what}) {self.labels[t]}"

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            work_step = Step(
                f"work of {role}'s driver {path[3]}: {what} {self.labels[t]}",
                work,
                "money" if d.kind == FLOW and d.new_arr else "number",
                "work = Σ",
                _sum(len(work_children)),
                tuple(work_children),
                section="§3",
            )
            return "need = work / capacity", "c0 / c1", [work_step, self.driver_capacity(d_index)]

        return self.step(name, work / cap, "fte", level, build, section="§3", quantity=False)

    def _people_work(self, d_index: int, t: int) -> float:
        d = self.s.drivers[d_index]
        people = self.v.heads if d.kind == MANAGES else self.v.starts
        return float(people[np.nonzero(d.roles)[0], t].sum())

    def _flow_work(self, d_index: int, t: int, level: int) -> list[Step]:
        """Return the volumes a flow driver works in month t (new ARR: × 12 p)."""
        d = self.s.drivers[d_index]
        out = []
        for m in range(len(self.s.cells)):
            rows = [
                j
                for j in range(len(self.s.stages))
                if d.stage_mask[j] and self.s.stage_cell[j] == m
            ]
            names = [self.s.stages[j][1] for j in rows] + (["won"] if d.won_mask[m] else [])
            for stage in names:
                volume = self.volume(m, stage, t, level)
                if not d.new_arr:
                    out.append(volume)
                    continue
                k = int(self.s.cell_tier[m])
                tier, motion = self.s.cells[m]
                out.append(
                    Step(
                        f"new ARR of {tier} {motion} {stage} {self.labels[t]}",
                        volume.value * 12 * float(self.v.params.mrr_per_customer[k]),
                        "money",
                        "new ARR = entries × 12 × p",
                        "c0 * 12 * c1",
                        (volume, self.price(k)),
                        section="§3",
                    )
                )
        return out

    def interviewing(self, r: int, t: int) -> Step:
        """Return the need interviewing adds: hours this month / work hours a month."""
        role = self.s.roles[r]
        hours = float(self.v.interview_hours[r, t])
        hired = [h for h in range(len(self.s.roles)) if self.s.interviewers[h, r]]
        uses = tuple(
            self.input(
                ("roles", self.s.roles[h], "interview_hours_per_hire"),
                f"interviewing hours a {self.s.roles[h]} start takes",
                "number",
            )
            for h in hired
        )
        spent = Step(
            f"hours {role} spends interviewing {self.labels[t]}",
            hours,
            "number",
            "each start takes interview_hours_per_hire, shared by its interviewers and spread "
            "over the hiring lead months before it",
            children=uses,
            section="§10",
        )
        month = self.input(
            ("company", "work_hours_per_month"), "working hours in a month", "number"
        )
        return self.keep(
            Step(
                f"interviewing need of {role} {self.labels[t]}",
                hours / month.value,
                "fte",
                "need = hours / work_hours_per_month",
                "c0 / c1",
                (spent, month),
                section="§10",
            )
        )

    def arr(self, k: int, t: int, level: int) -> Step:
        """Return ARR = 12 × MRR of a tier."""
        tier = self.s.tiers[k]

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            return "ARR = 12 × MRR", "12 * c0", [self.mrr(k, t, nxt)]

        value = 12 * self.v.revenue.mrr[k, t]
        return self.step(f"arr {tier} {self.labels[t]}", value, "money", level, build, section="§1")

    # -- §4 staffing -----------------------------------------------------------------------

    def heads(self, r: int, t: int, level: int) -> Step:
        """Return heads[t] = opening_heads + starts to date - departures to date."""
        role, v = self.s.roles[r], self.v

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            opening = self.input(("roles", role, "opening_heads"), f"{role} at the start", "count")
            return (
                "heads = opening_heads + starts to date - departures to date",
                "c0 + c1 - c2",
                [
                    opening,
                    self.starts_to_date(r, t, nxt),
                    self.departures_to_date(r, t),
                ],
            )

        return self.step(
            f"heads {role} {self.labels[t]}", v.heads[r, t], "count", level, build, section="§4"
        )

    def starts_to_date(self, r: int, t: int, level: int) -> Step:
        """Return the starts of months 0 … t, each month's a child."""
        months = [u for u in range(t + 1) if self.v.starts[r, u] > 0]
        children = [self.starts(r, u, level) for u in months]
        value = float(self.v.starts[r, : t + 1].sum())
        return Step(
            f"starts of {self.s.roles[r]} to {self.labels[t]}",
            value,
            "count",
            "Σ starts",
            _sum(len(children)),
            tuple(children),
            section="§4",
        )

    def departures_to_date(self, r: int, t: int) -> Step:
        """Return departures of months 0 … t: the whole part of the attrition accrued."""
        role, v = self.s.roles[r], self.v
        before = np.concatenate([[v.params.opening_heads[r]], v.heads[r, :t]])
        attrition = self.input(
            ("roles", role, "attrition_rate"), f"attrition of {role} a year", "rate"
        )
        m = float(1 - (1 - attrition.value) ** (1 / 12))
        monthly = Step(
            f"m, monthly attrition of {role}",
            m,
            "rate",
            "m = 1 - (1 - attrition_rate)^(1/12)",
            "1 - (1 - c0) ** (1 / 12)",
            (attrition,),
            section="§4",
        )
        heads_before = Step(
            f"heads at the end of each month before, {role}, summed to {self.labels[t]}",
            float(before.sum()),
            "count",
            "Σ heads[u - 1] for u = 0 … t (opening heads first)",
            section="§4",
        )
        value = float(v.departures[r, : t + 1].sum())
        accrued = float(v.params.accrued_departures[r])
        if accrued:
            # A plan that starts part-way opens with part of a departure accrued (§15).
            start = self.input(
                ("roles", role, "accrued_departures"), f"{role}'s departure accrued", "count"
            )
            exact = np.floor(accrued + before.sum() * m + EPS) == value
            return Step(
                f"departures of {role} to {self.labels[t]}",
                value,
                "count",
                "departures to date = floor(accrued_departures + Σ heads[u - 1] × m): the "
                "whole part of the accrual leaves",
                "floor(c0 + c1 * c2 + 1e-09)" if exact else "",
                (start, heads_before, monthly),
                section="§4",
            )
        exact = np.floor(before.sum() * m + EPS) == value
        return Step(
            f"departures of {role} to {self.labels[t]}",
            value,
            "count",
            "departures to date = floor(Σ heads[u - 1] × m): the whole part of the accrual leaves",
            "floor(c0 * c1 + 1e-09)" if exact else "",
            (heads_before, monthly),
            section="§4",
        )

    def starts(self, r: int, t: int, level: int) -> Step:
        """Return a month's starts: a rule of §4 (or the schedule of §10), not a formula."""
        role, v, s = self.s.roles[r], self.v, self.s
        lead = int(v.params.lead_months[r])
        ramp = int(v.params.ramp_months[r])

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            at = ("roles", role)
            lead_step = self.input(
                (*at, "hiring_lead_months"), f"hiring lead time of {role}", "months"
            )
            dated = self.plan.roles[role].open_requisitions
            if isinstance(dated, dict) and self.labels[t] in dated:
                # Hires in motion start in their month (§15).
                opened = self.input(
                    (*at, "open_requisitions", self.labels[t]),
                    f"requisitions of {role} open for {self.labels[t]}",
                    "count",
                )
                return (
                    "the requisitions open for this month start in it (hires in motion), or "
                    "more when the month needs more (§15)",
                    "",
                    [opened, lead_step],
                )
            if s.role_fixed[r]:
                return (
                    "starts keep the heads the schedule asks for from the hiring lead time on, "
                    "backfilling departures (§10)",
                    "",
                    [lead_step, self._schedule(r, t)],
                )
            if t < lead and not isinstance(dated, dict):
                opened = self.input(
                    (*at, "open_requisitions"), f"requisitions of {role} already open", "count"
                )
                return (
                    "started before the hiring lead time, on requisitions already open, as "
                    "many as the first month covered needs (§4)",
                    "",
                    [opened, lead_step],
                )
            ahead = min(t + ramp, s.months - 1)
            children = [
                lead_step,
                self.need(r, ahead, nxt)
                if t + ramp < s.months
                else Step(
                    f"what {role} must cover in month {t + ramp}",
                    float(v.staffed_need[r, t + ramp]),
                    "fte",
                ),
            ]
            if not self.plan.roles[role].ramp_curve:
                children.append(self.input((*at, "ramp_months"), f"ramp of {role}", "months"))
            return (
                f"the fewest starts that keep the month {ramp} later covered once ramped, with "
                "the departures projected between; a requisition opens the hiring lead time "
                "before (§4)",
                "",
                children,
            )

        return self.step(
            f"starts {role} {self.labels[t]}", v.starts[r, t], "count", level, build, section="§4"
        )

    def _schedule(self, r: int, t: int) -> Step:
        """Return the schedule entry in force in month t of a fixed role."""
        role = self.s.roles[r]
        entries = sorted(self.plan.roles[role].heads or {})
        passed = [e for e in entries if e <= self.labels[t]]
        if not passed:  # before the first entry the opening heads stay
            return self.input(
                ("roles", role, "opening_heads"),
                f"opening heads of {role}, kept until the schedule's first entry",
                "count",
            )
        return self.input(
            ("roles", role, "heads", passed[-1]),
            f"heads the schedule asks for from {passed[-1]}",
            "count",
        )

    def ramp(self, r: int, k: int) -> Step:
        """Return f(k), the capacity of a start in its k-th month: (k + 1) / (R + 1) or the
        ramp curve's entry."""
        role = self.s.roles[r]
        value = float(self.v.params.ramp_fraction[r, k])
        curve = self.plan.roles[role].ramp_curve
        if curve:
            return self.input(
                ("roles", role, "ramp_curve", k),
                f"{role}'s capacity in month {k + 1} of tenure",
                "rate",
            )
        months = self.input(("roles", role, "ramp_months"), f"ramp of {role}", "months")
        return Step(
            f"f({k}), {role}'s capacity in month {k + 1} of tenure",
            value,
            "rate",
            "f(k) = min(1, (k + 1) / (R + 1))",
            f"min(1, {k + 1} / (c0 + 1))",
            (months,),
            section="§4",
        )

    def capacity(self, r: int, t: int, level: int) -> Step:
        """Return ramped capacity = heads - Σ ramping people × (1 - f(tenure)): the people
        still in post are the latest to start (the longest-serving leave first)."""
        role, v = self.s.roles[r], self.v
        R = int(v.params.ramp_months[r])

        def build(nxt: int) -> tuple[str, str, list[Step]]:
            heads = self.heads(r, t, nxt)
            children: list[Step] = [heads]
            terms = ["c0"]
            left = float(v.heads[r, t])
            for k in range(min(R, t + 1)):
                started = float(v.starts[r, t - k])
                still = min(started, max(left, 0.0))
                left -= started
                if still <= 0:
                    continue
                cohort = Step(
                    f"{role} who started {self.labels[t - k]}, in post {self.labels[t]}",
                    still,
                    "count",
                    "of those who started then, the ones still in post (the longest-serving "
                    "leave first)",
                    children=(self.starts(r, t - k, nxt),),
                    section="§4",
                )
                terms.append(f"c{len(children)} * (1 - c{len(children) + 1})")
                children += [cohort, self.ramp(r, k)]
            return (
                "capacity = heads - Σ ramping people × (1 - f(months in post))",
                " - ".join(terms),
                children,
            )

        return self.step(
            f"capacity {role} {self.labels[t]}", v.capacity[r, t], "fte", level, build, section="§4"
        )


__all__ = ["PeopleTrace"]
