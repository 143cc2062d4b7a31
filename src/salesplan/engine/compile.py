"""Compile a validated Plan into a Structure and a batch-of-one Params.

Also lists every uncertain input (a value given as a range) with where it lives in Params,
so simulation and sensitivity can vary it without knowing the plan format.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from salesplan.engine.structure import (
    FLOW,
    MANAGES,
    STOCK_ARR,
    STOCK_CUSTOMERS,
    TARGET_KINDS,
    Driver,
    FloatArray,
    Params,
    Structure,
    ramp_curve,
)
from salesplan.schema import Plan, Range, point


@dataclass(frozen=True)
class Input:
    """One varied input: what it is, where it is in the plan and in Params."""

    label: str  # e.g. "smb/inbound sql rate"
    path: tuple[str | int, ...]  # key path in the plan file
    field: str  # Params field
    index: tuple[int, ...]  # index after the variant axis
    value: float  # point (likely) value
    range: Range | None  # None: no range in the plan (sensitivity swings ± a percentage)
    integer: bool = False
    # ACV is kept in Params as MRR: a draw of the ACV range is divided by this.
    divisor: float = 1.0
    # Bounds the value must stay in when swung by a percentage.
    lower: float = 0.0
    upper: float = float("inf")


@dataclass(frozen=True)
class Compiled:
    """A plan ready for the engine."""

    structure: Structure
    params: Params
    inputs: tuple[Input, ...]


def compile_plan(plan: Plan, plan_name: str = "") -> Compiled:
    """Compile a validated plan (references already checked) into engine form."""
    tiers = list(plan.tiers)
    cells: list[tuple[str, str]] = []
    cell_tier: list[int] = []
    cell_kind: list[str] = []
    stages: list[tuple[int, str]] = []
    stage_cell: list[int] = []
    stage_pos: list[int] = []
    first_stage: list[bool] = []
    inputs: list[Input] = []

    def note(
        label: str,
        path: tuple[str | int, ...],
        fld: str,
        index: tuple[int, ...],
        value: Any,
        *,
        integer: bool = False,
        divisor: float = 1.0,
        lower: float = 0.0,
        upper: float = float("inf"),
    ) -> float:
        v = point(value)
        inputs.append(
            Input(
                label,
                path,
                fld,
                index,
                v / divisor,
                value if isinstance(value, Range) else None,
                integer,
                divisor,
                lower,
                upper,
            )
        )
        return v / divisor

    K = len(tiers)
    price = np.zeros(K)
    churn = np.zeros(K)
    expansion = np.zeros(K)
    share = np.zeros(K)
    new_mrr = np.zeros(K)
    opening_mrr = np.zeros(K)
    opening_customers = np.zeros(K)
    gross_margin = np.zeros(K)
    share_tier = np.zeros(K, dtype=bool)
    cell_share: list[float] = []
    rate: list[float] = []
    days: list[float] = []
    cost_per_entry: list[float] = []
    programme: list[float] = []
    for k, (tname, tier) in enumerate(plan.tiers.items()):
        tp = ("tiers", tname)
        if tier.mrr is not None:
            price[k] = note(
                f"{tname} MRR per customer", (*tp, "mrr"), "price", (k,), tier.mrr, lower=1e-9
            )
        else:
            assert tier.acv is not None
            price[k] = note(
                f"{tname} ACV", (*tp, "acv"), "price", (k,), tier.acv, divisor=12.0, lower=1e-9
            )
        churn[k] = note(
            f"{tname} churn", (*tp, "churn_rate"), "churn", (k,), tier.churn_rate, upper=0.999
        )
        expansion[k] = note(
            f"{tname} expansion",
            (*tp, "expansion_rate"),
            "expansion",
            (k,),
            tier.expansion_rate,
            upper=1.0,
        )
        share_tier[k] = tier.new_mrr is None
        share[k] = (tier.share if tier.share is not None else 1.0) if share_tier[k] else 0.0
        new_mrr[k] = tier.new_mrr or 0.0
        opening_mrr[k] = tier.opening_arr / 12
        opening_customers[k] = tier.opening_customers
        gross_margin[k] = tier.gross_margin
        for mname, motion in tier.motions.items():
            m = len(cells)
            cells.append((tname, mname))
            cell_tier.append(k)
            cell_kind.append(motion.kind or "")
            cell_share.append(motion.share)
            cost_per_entry.append(motion.marketing.cost_per_entry)
            programme.append(motion.marketing.programme_per_month)
            for i, st in enumerate(motion.stages):
                j = len(stages)
                sp = (*tp, "motions", mname, "stages", i)
                stages.append((m, st.name))
                stage_cell.append(m)
                stage_pos.append(i)
                first_stage.append(i == 0)
                rate.append(
                    note(
                        f"{tname}/{mname} {st.name} rate",
                        (*sp, "rate"),
                        "rate",
                        (j,),
                        st.rate,
                        lower=1e-6,
                        upper=1.0,
                    )
                )
                days.append(
                    note(f"{tname}/{mname} {st.name} days", (*sp, "days"), "days", (j,), st.days)
                )
    M, J = len(cells), len(stages)

    # Roles in staffing order: a manager after every role it manages.
    order = _staffing_order(plan)
    R = len(order)
    ridx = {name: i for i, name in enumerate(order)}
    level = np.zeros(R, dtype=np.int64)
    for name in order:
        for d in plan.roles[name].drivers:
            for report in d.manages or []:
                level[ridx[name]] = max(level[ridx[name]], level[ridx[report]] + 1)
    full = [
        (len(ro.ramp_curve) - 1 if ro.ramp_curve else round(point(ro.ramp_months)))
        for ro in (plan.roles[n] for n in order)
    ]
    max_range_ramp = max(
        [
            int(ro.ramp_months.high)
            for ro in plan.roles.values()
            if isinstance(ro.ramp_months, Range)
        ]
        + [0]
    )
    Q = max([*full, max_range_ramp, 0]) + 1
    ramp = np.ones((R, Q))
    ramp_full = np.zeros(R, dtype=np.int64)
    attrition = np.zeros(R)
    lead = np.zeros(R, dtype=np.int64)
    rfields = {
        f: np.zeros(R)
        for f in (
            "opening_heads",
            "open_reqs",
            "ote",
            "base_share",
            "burden",
            "tools",
            "cost_per_hire",
            "acquisition_share",
            "interview_hours",
        )
    }
    drivers: list[Driver] = []
    capacity: list[float] = []
    cell_arr = np.array(cell_tier, dtype=np.int64)
    for r, name in enumerate(order):
        ro = plan.roles[name]
        rp = ("roles", name)
        if ro.ramp_curve is None:
            months = round(
                note(
                    f"{name} ramp months",
                    (*rp, "ramp_months"),
                    "ramp_full",
                    (r,),
                    ro.ramp_months,
                    integer=True,
                    upper=36,
                )
            )
            ramp[r] = ramp_curve(months, None, Q)
            ramp_full[r] = months
        else:
            ramp[r] = ramp_curve(0, ro.ramp_curve, Q)
            ramp_full[r] = len(ro.ramp_curve) - 1
        attrition[r] = note(
            f"{name} attrition",
            (*rp, "attrition_rate"),
            "attrition",
            (r,),
            ro.attrition_rate,
            upper=0.999,
        )
        lead[r] = round(
            note(
                f"{name} hiring lead time",
                (*rp, "hiring_lead_months"),
                "lead",
                (r,),
                ro.hiring_lead_months,
                integer=True,
                upper=24,
            )
        )
        c = ro.comp
        rfields["opening_heads"][r] = ro.opening_heads
        rfields["open_reqs"][r] = ro.open_requisitions
        rfields["ote"][r] = c.ote
        rfields["base_share"][r] = c.base_share
        rfields["burden"][r] = c.burden_rate
        rfields["tools"][r] = c.tools_per_month
        rfields["cost_per_hire"][r] = c.cost_per_hire
        rfields["interview_hours"][r] = ro.interview_hours_per_hire
        rfields["acquisition_share"][r] = {"acquisition": 1.0, "retention": 0.0}.get(
            ro.function, ro.acquisition_share or 0.0
        )
        for i, d in enumerate(ro.drivers):
            dp = (*rp, "drivers", i)
            tier_mask = np.array([d.tiers is None or t in d.tiers for t in tiers])
            cell_mask = tier_mask[cell_arr] & np.array(
                [d.motions is None or mo in d.motions for _, mo in cells], dtype=bool
            )
            names = [d.stage] if isinstance(d.stage, str) else (d.stage or [])
            stage_mask = np.array([cell_mask[m] and s in names for m, s in stages], dtype=bool)
            won_mask = cell_mask & ("won" in names)
            managed = np.array([other in (d.manages or []) for other in order], dtype=bool)
            if d.stage is not None:
                kind = FLOW
            elif d.stock is not None:
                kind = STOCK_CUSTOMERS if d.stock == "customers" else STOCK_ARR
            else:
                kind = MANAGES
            new_arr = d.measure == "new_arr"
            drivers.append(
                Driver(
                    r,
                    kind,
                    stage_mask.reshape(J),
                    won_mask.reshape(M),
                    tier_mask,
                    cell_mask,
                    managed,
                    new_arr,
                )
            )
            if d.capacity is None:
                # A quota becomes a capacity: quota x attainment / 12 of new ARR a month.
                quota = c.quota or 0.0
                att = note(
                    f"{name} attainment",
                    (*rp, "comp", "attainment"),
                    "capacity",
                    (len(capacity),),
                    c.attainment,
                    upper=2.0,
                )
                capacity.append(quota * att / 12)
                inputs[-1] = Input(
                    inputs[-1].label,
                    inputs[-1].path,
                    "capacity",
                    (len(capacity) - 1,),
                    capacity[-1],
                    c.attainment if isinstance(c.attainment, Range) else None,
                    False,
                    1.0 / (quota / 12) if quota else 1.0,
                    1e-9,
                    float("inf"),
                )
            else:
                capacity.append(
                    note(
                        f"{name} capacity ({_driver_label(d)})",
                        (*dp, "capacity"),
                        "capacity",
                        (len(capacity),),
                        d.capacity,
                        lower=1e-9,
                    )
                )

    pods = list(plan.pods)
    P = len(pods)
    pod_members = np.zeros((P, R))
    pod_cells = np.zeros((P, M))
    for p, pod in enumerate(plan.pods.values()):
        for rname, count in pod.members.items():
            pod_members[p, ridx[rname]] = count
        for m, (tname, mname) in enumerate(cells):
            pod_cells[p, m] = float(
                (pod.tiers is None or tname in pod.tiers)
                and (pod.motions is None or mname in pod.motions)
            )

    t = plan.target
    target_kind = next((k for k in TARGET_KINDS if getattr(t, k) is not None), "new_mrr_per_month")
    value = getattr(t, target_kind)
    if value is None:  # every tier gives new_mrr: nothing to solve
        value = 0.0

    structure = Structure(
        plan_name=plan_name or plan.company.name,
        currency=plan.company.currency,
        start=plan.company.start,
        months=plan.company.horizon_months,
        tiers=tuple(tiers),
        cells=tuple(cells),
        cell_tier=cell_arr,
        cell_kind=tuple(cell_kind),
        stages=tuple(stages),
        stage_cell=np.array(stage_cell, dtype=np.int64),
        stage_pos=np.array(stage_pos, dtype=np.int64),
        first_stage=np.array(first_stage, dtype=bool),
        roles=tuple(order),
        role_titles=tuple(plan.roles[n].title or n for n in order),
        role_level=level,
        drivers=tuple(drivers),
        target_kind=target_kind,
        share_tier=share_tier,
        role_function=tuple(plan.roles[n].function for n in order),
        pods=tuple(pods),
        staffing=plan.staffing,
        work_hours_per_month=plan.company.work_hours_per_month,
    )

    def row(a: Any, dtype: Any = np.float64) -> Any:
        return np.asarray(a, dtype=dtype)[None, ...]

    params = Params(
        target_value=row([value]).reshape(1),
        growth=row([t.growth_rate]).reshape(1),
        price=row(price),
        churn=row(churn),
        expansion=row(expansion),
        tier_share=row(share),
        tier_new_mrr=row(new_mrr),
        opening_mrr=row(opening_mrr),
        opening_customers=row(opening_customers),
        gross_margin=row(gross_margin),
        cell_share=row(cell_share).reshape(1, M),
        rate=row(rate).reshape(1, J),
        days=row(days).reshape(1, J),
        capacity=row(capacity).reshape(1, len(capacity)),
        ramp=row(ramp),
        ramp_full=row(ramp_full, np.int64),
        attrition=row(attrition),
        lead=row(lead, np.int64),
        opening_heads=row(rfields["opening_heads"]),
        open_reqs=row(rfields["open_reqs"]),
        ote=row(rfields["ote"]),
        base_share=row(rfields["base_share"]),
        payout=np.ones((1, R)),
        burden=row(rfields["burden"]),
        tools=row(rfields["tools"]),
        cost_per_hire=row(rfields["cost_per_hire"]),
        acquisition_share=row(rfields["acquisition_share"]),
        interview_hours=row(rfields["interview_hours"]),
        cost_per_entry=row(cost_per_entry).reshape(1, M),
        programme=row(programme).reshape(1, M),
        pod_members=row(pod_members),
        pod_cells=row(pod_cells),
    )
    return Compiled(structure, params, tuple(inputs))


def _driver_label(d: Any) -> str:
    if d.stage is not None:
        names = [d.stage] if isinstance(d.stage, str) else d.stage
        return "/".join(names) + (" new ARR" if d.measure == "new_arr" else "")
    if d.stock is not None:
        return f"{d.stock} covered"
    return "span of control"


def _staffing_order(plan: Plan) -> list[str]:
    """Order roles so that every role comes after the roles it manages (stable otherwise)."""
    done: list[str] = []
    pending = list(plan.roles)
    while pending:
        progressed = False
        for name in list(pending):
            reports = [r for d in plan.roles[name].drivers for r in (d.manages or [])]
            if all(r in done for r in reports):
                done.append(name)
                pending.remove(name)
                progressed = True
        if not progressed:  # cycles are rejected by validation; keep the rest as written
            done += pending
            break
    return done


def set_input(params: Params, inp: Input, values: FloatArray) -> Params:
    """Return params with one input set to ``values`` (one per variant)."""
    from dataclasses import replace

    arr = getattr(params, inp.field).copy()
    v = np.asarray(values, dtype=np.float64) / inp.divisor
    at: tuple[Any, ...] = (slice(None), *inp.index)
    if inp.field == "ramp_full":
        ramp = params.ramp.copy()
        width = ramp.shape[2]
        months = np.clip(np.rint(v), 0, width - 1).astype(np.int64)
        tenure = np.arange(width)
        ramp[at] = np.minimum(1.0, (tenure + 1) / (months[:, None] + 1))
        arr[at] = months
        return replace(params, ramp=ramp, ramp_full=arr)
    if inp.integer:
        arr[at] = np.rint(v).astype(arr.dtype)
    else:
        arr[at] = v
    return replace(params, **{inp.field: arr})


__all__ = ["Compiled", "FloatArray", "Input", "compile_plan", "set_input"]
