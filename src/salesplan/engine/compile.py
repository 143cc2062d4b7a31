"""Compile a validated Plan into a Structure and a batch-of-one Params.

The engine never sees YAML or pydantic: names and index maps go to :class:`Structure`,
numbers to :class:`Params` (one row per variant on axis 0).  Compiling also lists every
input that simulation and sensitivity may vary (:class:`Input`), with where it lives in the
plan file and in Params, so they can vary it without knowing the plan format.

The plan is compiled in the order the engine reads it: tiers, their motions and stages,
roles in staffing order, their drivers, pods, the target.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from salesplan.choices import TargetKind
from salesplan.engine.structure import (
    FLOW,
    MANAGES,
    STARTS,
    STOCK_ARR,
    STOCK_CUSTOMERS,
    BoolArray,
    Driver,
    FloatArray,
    IntArray,
    Params,
    PodTemplate,
    Structure,
    month_offset,
    ramp_curve,
)
from salesplan.load.schema import Driver as DriverSpec
from salesplan.load.schema import Hiring, Plan, Range, Role, Tier, point


@dataclass(frozen=True)
class Input:
    """One input simulation or sensitivity may vary: what it is, where it is in the plan
    file and in Params."""

    label: str  # e.g. "smb/inbound sql rate"
    path: tuple[str | int, ...]  # key path in the plan file
    field: str  # Params field
    index: tuple[int, ...]  # index after the variant axis
    value: float  # point (likely) value, in Params units
    range: Range | None  # None: no range in the plan (sensitivity swings ± a percentage)
    integer: bool = False
    # Params units are plan units / divisor (ACV is kept as MRR; attainment as capacity).
    divisor: float = 1.0
    # Bounds the value must stay in when drawn or swung by a percentage.
    lower: float = 0.0
    upper: float = float("inf")
    # Params fields that follow this input (a quota that ramps with the role's ramp).
    linked: tuple[str, ...] = ()


@dataclass(frozen=True)
class Compiled:
    """A plan ready for the engine."""

    structure: Structure
    params: Params
    inputs: tuple[Input, ...]


@dataclass
class _Inputs:
    """The inputs noted while compiling, in plan order (the order simulation draws them)."""

    items: list[Input] = field(default_factory=list)

    def note(
        self,
        label: str,
        path: tuple[str | int, ...],
        fld: str,
        index: tuple[int, ...],
        value: float | Range,
        *,
        integer: bool = False,
        divisor: float = 1.0,
        lower: float = 0.0,
        upper: float = float("inf"),
        linked: tuple[str, ...] = (),
    ) -> float:
        """Record one input and return its point value in Params units."""
        v = point(value) / divisor
        given = value if isinstance(value, Range) else None
        self.items.append(
            Input(label, path, fld, index, v, given, integer, divisor, lower, upper, linked)
        )
        return v


@dataclass
class _Motions:
    """Cells (tier x motion) and their stages, in plan order."""

    cells: list[tuple[str, str]] = field(default_factory=list)
    cell_tier: list[int] = field(default_factory=list)
    cell_kind: list[str] = field(default_factory=list)
    cell_share: list[float] = field(default_factory=list)
    cost_per_entry: list[float] = field(default_factory=list)
    programme: list[float] = field(default_factory=list)
    stages: list[tuple[int, str]] = field(default_factory=list)
    stage_pos: list[int] = field(default_factory=list)
    rate: list[float] = field(default_factory=list)
    days: list[float] = field(default_factory=list)
    season: list[FloatArray] = field(default_factory=list)  # [12] a cell's booking weights


def _tiers(plan: Plan, inputs: _Inputs) -> tuple[dict[str, FloatArray], _Motions]:
    """Return the tier arrays [K] (price, retention, shares, opening base) and every cell
    (tier x motion) with its stages, noting inputs tier by tier in plan order."""
    out = {k: np.zeros(len(plan.tiers)) for k in _TIER_NUMBERS}
    motions = _Motions()
    for k, (name, tier) in enumerate(plan.tiers.items()):
        at = ("tiers", name)
        if tier.mrr is not None:
            price = inputs.note(
                f"{name} MRR per customer",
                (*at, "mrr"),
                "mrr_per_customer",
                (k,),
                tier.mrr,
                lower=1e-9,
            )
        else:
            assert tier.acv is not None  # the plan rules require mrr or acv
            price = inputs.note(
                f"{name} ACV",
                (*at, "acv"),
                "mrr_per_customer",
                (k,),
                tier.acv,
                divisor=12.0,
                lower=1e-9,
            )
        out["mrr_per_customer"][k] = price
        out["churn_rate_monthly"][k] = inputs.note(
            f"{name} churn",
            (*at, "churn_rate"),
            "churn_rate_monthly",
            (k,),
            tier.churn_rate,
            upper=0.999,
        )
        out["expansion_rate_monthly"][k] = inputs.note(
            f"{name} expansion",
            (*at, "expansion_rate"),
            "expansion_rate_monthly",
            (k,),
            tier.expansion_rate,
            upper=1.0,
        )
        shared = tier.new_mrr is None
        out["tier_share"][k] = (1.0 if tier.share is None else tier.share) if shared else 0.0
        out["tier_new_mrr"][k] = tier.new_mrr or 0.0
        out["opening_mrr"][k] = tier.opening_arr / 12
        out["opening_customers"][k] = tier.opening_customers
        out["gross_margin"][k] = tier.gross_margin
        _add_motions(motions, k, name, tier, inputs, tier.seasonality or plan.seasonality)
    return out, motions


_TIER_NUMBERS = (
    "mrr_per_customer",
    "churn_rate_monthly",
    "expansion_rate_monthly",
    "tier_share",
    "tier_new_mrr",
    "opening_mrr",
    "opening_customers",
    "gross_margin",
)


def _add_motions(
    out: _Motions, k: int, tname: str, tier: Tier, inputs: _Inputs, season: list[float] | None
) -> None:
    """Add a tier's motions as cells, with their stages, noting the stages' inputs.

    ``season`` is the tier's booking weights (its own, else the plan's); a motion's own
    weights take their place.
    """
    for mname, motion in tier.motions.items():
        m = len(out.cells)
        out.cells.append((tname, mname))
        out.season.append(relative_weights(motion.seasonality or season))
        out.cell_tier.append(k)
        out.cell_kind.append(motion.kind or "")
        out.cell_share.append(motion.share)
        out.cost_per_entry.append(motion.marketing.cost_per_entry)
        out.programme.append(motion.marketing.programme_per_month)
        for i, st in enumerate(motion.stages):
            j = len(out.stages)
            at = ("tiers", tname, "motions", mname, "stages", i)
            label = f"{tname}/{mname} {st.name}"
            out.stages.append((m, st.name))
            out.stage_pos.append(i)
            out.rate.append(
                inputs.note(
                    f"{label} rate",
                    (*at, "rate"),
                    "stage_rate",
                    (j,),
                    st.rate,
                    lower=1e-6,
                    upper=1.0,
                )
            )
            out.days.append(
                inputs.note(f"{label} days", (*at, "days"), "stage_days", (j,), st.days)
            )


def relative_weights(weights: list[float] | None) -> FloatArray:
    """Return twelve booking weights divided by their mean (docs/model.md §14).

    Only their ratios matter.  No weights, or twelve equal ones, are exactly 1 every month,
    so that a plan without seasonality is the plan of §1 to the last bit.

    >>> relative_weights([1.0] * 6 + [3.0] * 6).tolist()[5:7]
    [0.5, 1.5]
    >>> relative_weights([0.1] * 12).tolist() == [1.0] * 12
    True
    """
    w = np.ones(12) if weights is None else np.asarray(weights, dtype=np.float64)
    mean = float(w.mean())
    if (w == w[0]).all() or mean <= 0:  # all zero is a plan error (SP207)
        return np.ones(12)
    return np.asarray(w / mean)


def staffing_order(plan: Plan) -> list[str]:
    """Order roles so that every role comes after the roles it manages (stable otherwise)."""
    done: list[str] = []
    pending = list(plan.roles)
    while pending:
        ready = [name for name in pending if all(r in done for r in _depends_on(plan.roles[name]))]
        if not ready:  # cycles are rejected by the plan rules; keep the rest as written
            return done + pending
        for name in ready:
            done.append(name)
            pending.remove(name)
    return done


def _depends_on(role: Role) -> list[str]:
    """Return the roles whose people size this one: those it manages or hires."""
    return [r for d in role.drivers for r in (d.manages or d.starts or [])]


def _ramp_width(plan: Plan, at_least: int = 0) -> int:
    """Return Q: tenure months of the widest ramp any variant may draw (or ``at_least - 1``,
    for a solve that tries longer ramps), plus the month at 1."""
    widest = [len(r.ramp_curve) - 1 for r in plan.roles.values() if r.ramp_curve]
    widest += [
        len(r.comp.quota_ramp) - 1
        for r in plan.roles.values()
        if isinstance(r.comp.quota_ramp, list)
    ]
    for r in plan.roles.values():
        months = r.ramp_months
        widest.append(int(months.high) if isinstance(months, Range) else round(point(months)))
    return max([*widest, at_least - 1, 0]) + 1


@dataclass
class _Roles:
    """Role arrays [R] (the ramp [R, Q]) in staffing order, and every role's drivers."""

    numbers: dict[str, Any]
    drivers: list[Driver] = field(default_factory=list)
    capacity: list[float] = field(default_factory=list)


def _roles(
    plan: Plan, order: list[str], motions: _Motions, inputs: _Inputs, ramp_width: int = 0
) -> _Roles:
    """Return the roles in staffing order, noting each role's inputs, then its drivers'."""
    R, Q = len(order), _ramp_width(plan, ramp_width)
    numbers: dict[str, Any] = {"ramp_fraction": np.ones((R, Q)), "quota_ramp": np.ones((R, Q))}
    numbers["capacity_season"] = np.ones((R, 12))
    numbers["ramp_months"] = np.zeros(R, dtype=np.int64)
    numbers["lead_months"] = np.zeros(R, dtype=np.int64)
    numbers.update({name: np.zeros(R) for name in _ROLE_NUMBERS})
    out = _Roles(numbers)
    for r, name in enumerate(order):
        role = plan.roles[name]
        at = ("roles", name)
        if role.ramp_curve is None:
            months = round(
                inputs.note(
                    f"{name} ramp months",
                    (*at, "ramp_months"),
                    "ramp_months",
                    (r,),
                    role.ramp_months,
                    integer=True,
                    upper=36,
                    linked=("quota_ramp",) if role.comp.quota_ramp == "ramp" else (),
                )
            )
            numbers["ramp_fraction"][r] = ramp_curve(months, None, Q)
        else:
            months = len(role.ramp_curve) - 1
            numbers["ramp_fraction"][r] = ramp_curve(0, role.ramp_curve, Q)
        numbers["ramp_months"][r] = months
        quota_ramp = role.comp.quota_ramp
        if isinstance(quota_ramp, list):
            numbers["quota_ramp"][r] = ramp_curve(0, quota_ramp, Q)
        elif quota_ramp == "ramp":
            numbers["quota_ramp"][r] = numbers["ramp_fraction"][r]
        if role.capacity_seasonality is not None:
            numbers["capacity_season"][r] = role.capacity_seasonality
        numbers["attrition_rate_annual"][r] = inputs.note(
            f"{name} attrition",
            (*at, "attrition_rate"),
            "attrition_rate_annual",
            (r,),
            role.attrition_rate,
            upper=0.999,
        )
        numbers["lead_months"][r] = round(
            inputs.note(
                f"{name} hiring lead time",
                (*at, "hiring_lead_months"),
                "lead_months",
                (r,),
                role.hiring_lead_months,
                integer=True,
                upper=24,
            )
        )
        for key, value in _role_numbers(role, plan.hiring).items():
            numbers[key][r] = value
        _add_drivers(out, plan, order, r, motions, inputs)
    return out


def _role_numbers(role: Role, hiring: Hiring) -> dict[str, float]:
    """Return a role's plain numbers (no ranges) by Params field."""
    c = role.comp
    # A cap on the share still ramping applies to roles sized by their work; a fixed role's
    # schedule counts people, whatever their ramp (SP207 rejects the key on one).
    ramping = None if role.heads is not None else role.max_ramping_share or hiring.max_ramping_share
    acquisition = {"acquisition": 1.0, "retention": 0.0}.get(
        role.function, role.acquisition_share or 0.0
    )
    return {
        "opening_heads": role.opening_heads,
        "open_reqs": role.open_requisitions if isinstance(role.open_requisitions, int) else 0,
        "accrued_departures": role.accrued_departures,
        "ote": c.ote,
        "base_share": c.base_share,
        "quota": c.quota or 0.0,
        "attainment": point(c.attainment) if c.quota else 1.0,
        "pooled_share": c.pooled_share,
        "burden_rate": c.burden_rate,
        "tools_per_month": c.tools_per_month,
        "cost_per_hire": c.cost_per_hire,
        "acquisition_share": acquisition,
        "interview_hours_per_hire": role.interview_hours_per_hire,
        "max_starts": _cap(role.max_starts_per_month),
        "ramping_share": 1.0 if ramping is None else ramping,
    }


def _cap(most: int | None) -> float:
    """Return a cap on starts a month as a number (no cap: infinity)."""
    return np.inf if most is None else float(most)


_ROLE_NUMBERS = (
    "attrition_rate_annual",
    "opening_heads",
    "open_reqs",
    "accrued_departures",
    "ote",
    "base_share",
    "quota",
    "attainment",
    "pooled_share",
    "burden_rate",
    "tools_per_month",
    "cost_per_hire",
    "acquisition_share",
    "interview_hours_per_hire",
    "max_starts",
    "ramping_share",
)


def _add_drivers(
    out: _Roles, plan: Plan, order: list[str], r: int, motions: _Motions, inputs: _Inputs
) -> None:
    """Add role r's drivers resolved to indexes, and their capacities."""
    name = order[r]
    role = plan.roles[name]
    cell_tier = np.array(motions.cell_tier, dtype=np.int64)
    for i, d in enumerate(role.drivers):
        tier_mask = np.array([d.tiers is None or t in d.tiers for t in plan.tiers], dtype=bool)
        cell_mask = tier_mask[cell_tier] & np.array(
            [d.motions is None or mo in d.motions for _, mo in motions.cells], dtype=bool
        )
        names = [d.stage] if isinstance(d.stage, str) else (d.stage or [])
        out.drivers.append(
            Driver(
                role=r,
                kind=_kind(d),
                stage_mask=np.array(
                    [cell_mask[m] and s in names for m, s in motions.stages], dtype=bool
                ),
                won_mask=cell_mask & ("won" in names),
                tier_mask=tier_mask,
                cell_mask=cell_mask,
                roles=np.array(
                    [other in (d.manages or d.starts or []) for other in order], dtype=bool
                ),
                new_arr=d.measure == "new_arr",
            )
        )
        out.capacity.append(_capacity(name, role, i, d, len(out.capacity), inputs))


def _kind(d: DriverSpec) -> int:
    if d.stage is not None:
        return FLOW
    if d.stock is not None:
        return STOCK_CUSTOMERS if d.stock == "customers" else STOCK_ARR
    return MANAGES if d.manages is not None else STARTS


def _capacity(name: str, role: Role, i: int, d: DriverSpec, index: int, inputs: _Inputs) -> float:
    """Return a driver's capacity a month at full ramp, noting it as an input.

    A quota becomes a capacity: ``quota x attainment / 12`` of new ARR a month; the input
    varied is then the attainment (plan units), kept in Params as capacity.
    """
    if d.capacity is not None:
        return inputs.note(
            f"{name} capacity ({_driver_label(d)})",
            ("roles", name, "drivers", i, "capacity"),
            "driver_capacity",
            (index,),
            d.capacity,
            lower=1e-9,
        )
    monthly_quota = (role.comp.quota or 0.0) / 12
    return inputs.note(
        f"{name} attainment",
        ("roles", name, "comp", "attainment"),
        "driver_capacity",
        (index,),
        role.comp.attainment,
        divisor=1.0 / monthly_quota if monthly_quota else 1.0,
        lower=1e-9,
    )


def _driver_label(d: DriverSpec) -> str:
    if d.stage is not None:
        names = [d.stage] if isinstance(d.stage, str) else d.stage
        return "/".join(names) + (" new ARR" if d.measure == "new_arr" else "")
    if d.stock is not None:
        return f"{d.stock} covered"
    return "span of control" if d.manages is not None else "hires a month"


def _pods(
    plan: Plan, order: list[str], cells: list[tuple[str, str]]
) -> tuple[FloatArray, FloatArray, tuple[PodTemplate, ...]]:
    """Return pod members [P, R], the cells each pod serves [P, M] and the templates."""
    index = {name: r for r, name in enumerate(order)}
    members = np.zeros((len(plan.pods), len(order)))
    serves = np.zeros((len(plan.pods), len(cells)))
    templates = []
    for p, pod in enumerate(plan.pods.values()):
        for role, count in pod.members.items():
            members[p, index[role]] = count
        for m, (tier, motion) in enumerate(cells):
            in_tiers = pod.tiers is None or tier in pod.tiers
            serves[p, m] = float(in_tiers and (pod.motions is None or motion in pod.motions))
        templates.append(
            PodTemplate(
                title=pod.title,
                tiers=None if pod.tiers is None else tuple(pod.tiers),
                motions=None if pod.motions is None else tuple(pod.motions),
                region=pod.region,
                industry=pod.industry,
            )
        )
    return members, serves, tuple(templates)


def _schedule(plan: Plan, order: list[str], extended: int) -> FloatArray:
    """Return the heads each fixed role's schedule asks for by month, [R, TE] (0 if driven).

    An entry ``YYYY-MM: n`` asks for n heads from that month on; before the first entry the
    opening heads stay; the last entry runs on past the horizon.
    """
    out = np.zeros((len(order), extended))
    for r, name in enumerate(order):
        role = plan.roles[name]
        if role.heads is None:
            continue
        out[r] = role.opening_heads
        for label, heads in sorted(role.heads.items()):
            out[r, max(month_offset(plan.company.start, label), 0) :] = heads
    return out


def _opening_state(plan: Plan, order: list[str], width: int, extended: int) -> dict[str, Any]:
    """Return the state each role opens in: heads still ramping by tenure [R, Q] and open
    requisitions by the month their hire starts [R, TE] (docs/model.md §4).

    A head who started ``j`` months before the plan has tenure ``j`` in month 0; tenures
    past the widest ramp are all full (the last column).  Months were checked by the plan
    rules: ramping ones before the start, dated requisitions within the plan.
    """
    start = plan.company.start
    ramping = np.zeros((len(order), width))
    dated = np.zeros((len(order), extended))
    for r, name in enumerate(order):
        role = plan.roles[name]
        for label, heads in (role.ramping or {}).items():
            ramping[r, min(-month_offset(start, label), width - 1)] += heads
        if isinstance(role.open_requisitions, dict):
            for label, count in role.open_requisitions.items():
                dated[r, month_offset(start, label)] += count
    return {"ramping_heads": ramping, "dated_reqs": dated}


def _interviewers(plan: Plan, order: list[str]) -> BoolArray:
    """Return who interviews each role's hires, [hired, interviewer]: the roles it names,
    else the roles that manage it."""
    index = {name: r for r, name in enumerate(order)}
    out = np.zeros((len(order), len(order)), dtype=bool)
    for name in order:
        chosen = plan.roles[name].interviewers
        if chosen is None:
            chosen = [
                boss
                for boss in order
                if any(name in (d.manages or []) for d in plan.roles[boss].drivers)
            ]
        for other in chosen:
            out[index[name], index[other]] = True
    return out


def _programmes(
    plan: Plan, cells: list[tuple[str, str]], extended: int
) -> tuple[FloatArray, BoolArray]:
    """Return each programme's spend by month [G, TE] and the cells it serves [G, M].

    Spend is ``per_month x (1 + growth)^t``, or a schedule's amount from each month on.
    """
    G = len(plan.programmes)
    spend = np.zeros((G, extended))
    serves = np.zeros((G, len(cells)), dtype=bool)
    for g, prog in enumerate(plan.programmes.values()):
        spend[g] = prog.per_month * np.power(1.0 + prog.growth_rate, np.arange(extended))
        for label, amount in sorted((prog.schedule or {}).items()):
            spend[g, max(month_offset(plan.company.start, label), 0) :] = amount
        for m, (tier, motion) in enumerate(cells):
            in_tiers = prog.tiers is None or tier in prog.tiers
            serves[g, m] = in_tiers and (prog.motions is None or motion in prog.motions)
    return spend, serves


def _target(plan: Plan) -> tuple[str, float]:
    """Return the target's kind and value (0 when every tier books an explicit new MRR)."""
    for kind in TargetKind:
        value = getattr(plan.target, kind.value)
        if value is not None:
            return kind.value, float(value)
    return TargetKind.NEW_MRR_PER_MONTH.value, 0.0


def _levels(plan: Plan, order: list[str]) -> IntArray:
    """Return each role's level: 0 sized by work or a schedule, then 1 + the highest level of
    the roles whose heads or starts size it (managers, recruiters)."""
    index = {name: r for r, name in enumerate(order)}
    level = np.zeros(len(order), dtype=np.int64)
    for name in order:
        for other in _depends_on(plan.roles[name]):
            level[index[name]] = max(level[index[name]], level[index[other]] + 1)
    return level


def compile_plan(plan: Plan, plan_name: str = "", *, ramp_width: int = 0) -> Compiled:
    """Compile a validated plan (the plan rules passed) into engine form.

    ``ramp_width`` widens the ramp arrays to at least that many tenure months, so that a
    batch may try longer ramps than the plan's own (``salesplan solve`` on ``ramp_months``).
    """
    inputs = _Inputs()
    tiers, motions = _tiers(plan, inputs)
    order = staffing_order(plan)
    roles = _roles(plan, order, motions, inputs, ramp_width)
    pod_members, pod_cells, templates = _pods(plan, order, motions.cells)
    kind, value = _target(plan)
    extended = plan.company.horizon_months + roles.numbers["ramp_fraction"].shape[1]
    spend, serves = _programmes(plan, motions.cells, extended)
    structure = Structure(
        plan_name=plan_name or plan.company.name,
        currency=plan.company.currency,
        start=plan.company.start,
        months=plan.company.horizon_months,
        tiers=tuple(plan.tiers),
        cells=tuple(motions.cells),
        cell_tier=np.array(motions.cell_tier, dtype=np.int64),
        cell_kind=tuple(motions.cell_kind),
        stages=tuple(motions.stages),
        stage_cell=np.array([m for m, _ in motions.stages], dtype=np.int64),
        stage_pos=np.array(motions.stage_pos, dtype=np.int64),
        first_stage=np.array([i == 0 for i in motions.stage_pos], dtype=bool),
        roles=tuple(order),
        role_level=_levels(plan, order),
        role_fixed=np.array([plan.roles[n].heads is not None for n in order], dtype=bool),
        role_category=tuple(plan.roles[n].category or "" for n in order),
        interviewers=_interviewers(plan, order),
        drivers=tuple(roles.drivers),
        target_kind=kind,
        share_tier=np.array([t.new_mrr is None for t in plan.tiers.values()], dtype=bool),
        role_function=tuple(plan.roles[n].function for n in order),
        role_pay_basis=tuple(plan.roles[n].comp.pay_basis for n in order),
        pods=tuple(plan.pods),
        pod_templates=templates,
        staffing=plan.staffing,
        work_hours_per_month=plan.company.work_hours_per_month,
        programmes=tuple(plan.programmes),
        programme_function=tuple(p.function for p in plan.programmes.values()),
        programme_cells=serves,
        cac_lag_months=plan.economics.cac_lag_months,
        recruiting_caps=plan.hiring.recruiting_capacity,
    )
    batch = {
        "target_value": np.array([value]),
        "growth_rate_monthly": np.array([plan.target.growth_rate]),
        "first_year_months": np.array([plan.target.first_year_months], dtype=np.int64),
        **{k: v[None] for k, v in tiers.items()},
        "cell_share": np.array([motions.cell_share]).reshape(1, -1),
        "stage_rate": np.array([motions.rate]).reshape(1, -1),
        "stage_days": np.array([motions.days]).reshape(1, -1),
        "driver_capacity": np.array([roles.capacity]).reshape(1, -1),
        **{k: np.asarray(v)[None] for k, v in roles.numbers.items()},
        **{
            k: v[None]
            for k, v in _opening_state(
                plan, order, roles.numbers["ramp_fraction"].shape[1], extended
            ).items()
        },
        "payout_rate": np.ones((1, len(order))),
        "cost_per_entry": np.array([motions.cost_per_entry]).reshape(1, -1),
        "programme_per_month": np.array([motions.programme]).reshape(1, -1),
        "programme_spend": spend[None],
        "scheduled_heads": _schedule(plan, order, extended)[None],
        "onboarding_cost": np.array([[t.onboarding_cost for t in plan.tiers.values()]]),
        "ltv_cap_months": np.array([12.0 * plan.economics.ltv_cap_years]),
        "pod_members": pod_members[None],
        "pod_cells": pod_cells[None],
        "cell_season": np.array(motions.season).reshape(1, -1, 12),
        "org_max_starts": np.array([_cap(plan.hiring.max_starts_per_month)]),
    }
    return Compiled(structure, Params(**batch), tuple(inputs.items))


def set_input(params: Params, inp: Input, values: FloatArray) -> Params:
    """Return params with one input set to ``values`` (one per variant, in plan units).

    A ramp in months also redraws the role's linear ramp (:func:`ramp_curve`), and the
    ramp of the fields linked to it (a quota that follows the role's ramp).
    """
    arr = getattr(params, inp.field).copy()
    v = np.asarray(values, dtype=np.float64) / inp.divisor
    at: tuple[Any, ...] = (slice(None), *inp.index)
    if inp.field == "ramp_months":
        ramp = params.ramp_fraction.copy()
        width = ramp.shape[2]
        months = np.clip(np.rint(v), 0, width - 1).astype(np.int64)
        ramp[at] = ramp_curve(months, None, width)
        arr[at] = months
        linked = {}
        for name in inp.linked:  # a quota that ramps with the role ramps anew too
            follows = getattr(params, name).copy()
            follows[at] = ramp[at]
            linked[name] = follows
        return replace(params, ramp_fraction=ramp, ramp_months=arr, **linked)
    arr[at] = np.rint(v).astype(arr.dtype) if inp.integer else v
    return replace(params, **{inp.field: arr})


__all__ = ["Compiled", "Input", "compile_plan", "set_input", "staffing_order"]
