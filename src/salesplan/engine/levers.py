"""Every numeric plan input by its key path: its value, its bounds and how a batch sets it.

Simulation and sensitivity vary the inputs compiling lists (:class:`Input`: prices, churn,
rates, days, ramps, attrition, lead times, capacities).  ``salesplan solve`` may vary any
number a plan gives: a :class:`Lever` resolves a key path of the plan file
(``roles.ae.comp.quota``; a stage by its name or position,
``tiers.mid_market.motions.inbound.stages.opportunity.rate``) to every Params entry that
number sets, so that each variant of a batch can take its own value in one engine run.

A few numbers cannot be varied that way, and :func:`lever` says why instead:

- the shares of tiers and motions, which must sum to 1 (SP211): changing one alone makes
  the plan invalid;
- ``company.horizon_months``, ``company.work_hours_per_month`` and
  ``economics.cac_lag_months``: they shape the plan's :class:`Structure`, which every variant
  of a batch shares;
- a number the engine does not read for this plan (attainment without a quota, a tier's
  ``acv`` when it gives ``mrr``, a ramp in months when a ramp curve is given).

Pure: no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel

from salesplan.choices import TargetKind
from salesplan.engine.compile import Input, set_input
from salesplan.engine.structure import FloatArray, Params, Structure, month_offset
from salesplan.load.schema import Plan, Range, point
from salesplan.problems import did_you_mean

KeyPath = tuple[str | int, ...]

# What a lever's number is, for the reports: money, a fraction, months, ...
Unit = Literal["money", "rate", "months", "days", "heads", "hours", "count", "number", "years"]

MONEY_KEYS = frozenset(
    {
        "mrr",
        "acv",
        "new_mrr",
        "opening_arr",
        "onboarding_cost",
        "cost_per_entry",
        "programme_per_month",
        "ote",
        "quota",
        "tools_per_month",
        "cost_per_hire",
        "per_month",
        "schedule",
        *(k.value for k in TargetKind),
    }
)
RATE_KEYS = frozenset(
    {
        "churn_rate",
        "expansion_rate",
        "rate",
        "gross_margin",
        "attrition_rate",
        "base_share",
        "pooled_share",
        "burden_rate",
        "acquisition_share",
        "attainment",
        "growth_rate",
        "ramp_curve",
    }
)
OTHER_UNITS: dict[str, Unit] = {
    "ramp_months": "months",
    "hiring_lead_months": "months",
    "days": "days",
    "opening_heads": "heads",
    "open_requisitions": "heads",
    "heads": "heads",
    "members": "heads",
    "interview_hours_per_hire": "hours",
    "opening_customers": "count",
    "ltv_cap_years": "years",
}
INTEGER_KEYS = frozenset(
    {"ramp_months", "hiring_lead_months", "opening_heads", "open_requisitions", "heads"}
)


class LeverError(ValueError):
    """A key path that names no number the engine can vary; the message says why."""


@dataclass(frozen=True)
class Part:
    """One Params entry a lever sets from its value v, as compiling the plan would.

    ``scale``: ``v × factor``; ``divide``: ``v / factor`` (ARR kept as MRR); ``quota``:
    ``factor / (12 / v)``, a capacity of ``quota × attainment / 12``; ``growth``: ``factor ×
    (1 + v)^t`` over the months the index spans (a programme's spend).
    """

    field: str
    index: tuple[int | slice, ...]  # after the variant axis
    factor: FloatArray | float = 1.0
    kind: Literal["scale", "divide", "quota", "growth"] = "scale"

    def apply(self, params: Params, values: FloatArray) -> Params:
        """Return params with this entry set from ``values`` [S] (plan units)."""
        arr = np.array(getattr(params, self.field), dtype=np.float64)
        at: tuple[Any, ...] = (slice(None), *self.index)
        extra = arr[at].ndim - 1
        v = values.reshape(-1, *([1] * extra))
        if self.kind == "growth":  # over a months axis, the last
            arr[at] = self.factor * np.power(1.0 + v, np.arange(arr[at].shape[-1]))
        elif self.kind == "divide":
            arr[at] = v / self.factor
        elif self.kind == "quota":  # the arithmetic of compile's _capacity, to the last bit
            arr[at] = self.factor / (1.0 / (v / 12))
        else:
            arr[at] = v * self.factor
        kept = getattr(params, self.field).dtype
        return replace(params, **{self.field: arr.astype(kept)})


@dataclass(frozen=True)
class Lever:
    """One number of the plan file that a batch can vary: where it is and how to set it."""

    path: KeyPath  # canonical: stages and drivers by position
    name: str  # as the user wrote it (a stage by name)
    value: float  # the plan's value (a range's likely value), in plan units
    lower: float
    upper: float
    integer: bool
    unit: Unit
    inputs: tuple[Input, ...] = ()  # compile's inputs it sets (set_input)
    parts: tuple[Part, ...] = ()  # other Params entries it sets

    def apply(self, params: Params, values: FloatArray) -> Params:
        """Return params (a batch of S variants) with this number set to ``values`` [S]."""
        v = np.asarray(values, dtype=np.float64).reshape(-1)
        if self.integer:
            v = np.rint(v)
        for inp in self.inputs:
            params = set_input(params, inp, v)
        for part in self.parts:
            params = part.apply(params, v)
        return params


def parse_path(text: str) -> KeyPath:
    """Return a key path written with dots; a whole number is a list position.

    >>> parse_path("tiers.smb.motions.inbound.stages.2.rate")
    ('tiers', 'smb', 'motions', 'inbound', 'stages', 2, 'rate')
    """
    parts = text.strip().split(".")
    if not text.strip() or any(not p for p in parts):
        raise LeverError(
            f"{text!r} is not a key path (keys joined by dots, e.g. roles.ae.comp.quota)"
        )
    return tuple(int(p) if p.isdigit() else p for p in parts)


def value_at(plan: Plan, path: KeyPath) -> tuple[KeyPath, Any]:
    """Return the canonical key path (list items by position) and the value at ``path``.

    A list of named mappings (stages) may be indexed by name.
    """
    node: Any = plan
    canon: list[str | int] = []
    for n, part in enumerate(path):
        where = ".".join(str(p) for p in path[:n]) or "the plan"
        if isinstance(node, BaseModel):
            names = list(type(node).model_fields)
            if part not in names:
                raise LeverError(f"{where} has no key {part!r}{did_you_mean(str(part), names)}")
            node = getattr(node, str(part))
        elif isinstance(node, dict):
            if part not in node:
                keys = [str(k) for k in node]
                hint = did_you_mean(str(part), keys) or f" (it has {', '.join(keys) or 'none'})"
                raise LeverError(f"{where} has no key {part!r}{hint}")
            node = node[part]
        elif isinstance(node, list):
            named = [getattr(x, "name", None) for x in node]
            if isinstance(part, int) and part < len(node):
                index = part
            elif part in named:
                index = named.index(part)
            else:
                choices = [str(x) for x in named if x is not None] or [str(len(node) - 1)]
                raise LeverError(f"{where} has no item {part!r} (it has {', '.join(choices)})")
            node = node[index]
            part = index
        else:
            raise LeverError(f"{where} is a single value; it has no key {part!r}")
        canon.append(part)
    return tuple(canon), node


def _unit(path: KeyPath) -> Unit:
    """Return what the number at ``path`` measures, from its key (or its parent's)."""
    keys = [p for p in path if isinstance(p, str)]
    key = keys[-1]
    if path[0] in ("roles", "programmes") and len(path) >= 2 and path[-2] in ("heads", "schedule"):
        key = str(path[-2])
    if key in MONEY_KEYS:
        return "money"
    if key in RATE_KEYS or (len(path) >= 2 and path[-2] == "ramp_curve"):
        return "rate"
    if path[-2:-1] == ("members",):
        return "heads"
    return OTHER_UNITS.get(key, "number")


def lever(
    plan: Plan, structure: Structure, params: Params, inputs: Sequence[Input], text: str
) -> Lever:
    """Return the lever for the number at key path ``text`` (raise :class:`LeverError`)."""
    path, found = value_at(plan, parse_path(text))
    if isinstance(found, Range):
        value = point(found)
    elif isinstance(found, bool) or not isinstance(found, int | float):
        what = "not set in this plan" if found is None else "not a number"
        raise LeverError(f"{text} is {what}: solve a number the plan gives")
    else:
        value = float(found)
    why = _unsolvable(path)
    if why:
        raise LeverError(f"{text} cannot be solved for: {why}")
    noted = tuple(inp for inp in inputs if inp.path == path)
    lower, upper, parts = _parts(plan, structure, params, path)
    if not noted and not any(_sets_something(p) for p in parts):
        raise LeverError(f"{text} has no effect on this plan's figures")
    if noted and not parts:
        lower, upper = (b * noted[0].divisor for b in (noted[0].lower, noted[0].upper))
    if path[-1] == "ramp_months":  # as wide as the compiled ramp arrays allow
        upper = min(upper, float(params.ramp_fraction.shape[2] - 1))
    integer = path[-1] in INTEGER_KEYS or (path[0] == "roles" and path[-2] == "heads")
    return Lever(path, text, value, lower, upper, integer, _unit(path), noted, parts)


def _sets_something(part: Part) -> bool:
    """Return whether a part sets any entry (a schedule entry overridden by a later one at
    the same month sets none)."""
    return not any(isinstance(i, slice) and i.start == i.stop for i in part.index)


STRUCTURAL = {
    ("company", "horizon_months"): "it sets the months planned",
    ("company", "work_hours_per_month"): "it sets the hours interviewing is counted against",
    ("economics", "cac_lag_months"): "it sets how CAC is measured",
}


def _unsolvable(path: KeyPath) -> str:
    """Return why the number at ``path`` cannot be varied in a batch ('' when it can)."""
    if path in STRUCTURAL:
        return (
            f"{STRUCTURAL[path]}, part of the plan's structure that every variant of a "
            "batch shares; try values by hand"
        )
    if path[0] == "tiers" and path[-1] == "share":
        return "shares must sum to 1 (SP211), so one cannot change alone; change two by hand"
    return ""


def _index(names: Sequence[Any], name: Any) -> int:
    return list(names).index(name)


def _parts(
    plan: Plan, structure: Structure, params: Params, path: KeyPath
) -> tuple[float, float, tuple[Part, ...]]:
    """Return a number's bounds and the Params entries it sets beyond compile's inputs."""
    money = 1e13
    TE = params.scheduled_heads.shape[2]
    match path:
        case ("target", "growth_rate"):
            return -0.5, 1.0, (Part("growth_rate_monthly", ()),)
        case ("target", kind):
            if kind != structure.target_kind:
                raise LeverError(
                    f"the plan's target is {structure.target_kind}: solve "
                    f"target.{structure.target_kind}"
                )
            return 1e-9, money, (Part("target_value", ()),)
        case ("tiers", tier, key):
            k = _index(structure.tiers, tier)
            if key == "new_mrr":
                return 0.0, money, (Part("tier_new_mrr", (k,)),)
            fields = {
                "opening_arr": ("opening_mrr", 12.0, money),
                "opening_customers": ("opening_customers", 1.0, 1e9),
                "gross_margin": ("gross_margin", 1.0, 1.0),
                "onboarding_cost": ("onboarding_cost", 1.0, money),
            }
            if key in fields:
                name, factor, top = fields[str(key)]
                low = 1e-9 if key == "gross_margin" else 0.0
                part = Part(name, (k,), factor, "divide" if key == "opening_arr" else "scale")
                return low, top, (part,)
            return 0.0, float("inf"), ()
        case ("tiers", tier, "motions", motion, "marketing", key):
            m = _index(structure.cells, (tier, motion))
            return 0.0, money, (Part(str(key), (m,)),)
        case ("roles", role, "ramp_months") if plan.roles[str(role)].ramp_curve is not None:
            raise LeverError(f"role {role} gives a ramp_curve, which sets its ramp")
        case ("roles", role, "ramp_curve", i):
            r = _index(structure.roles, role)
            parts = [Part("ramp_fraction", (r, int(i)))]
            if plan.roles[str(role)].comp.quota_ramp == "ramp":  # the quota ramps with it
                parts.append(Part("quota_ramp", (r, int(i))))
            return 1e-9, 1.0, tuple(parts)
        case ("roles", role, key) if key in ("opening_heads", "open_requisitions"):
            r = _index(structure.roles, role)
            field = "opening_heads" if key == "opening_heads" else "open_reqs"
            parts = [Part(field, (r,))]
            schedule = plan.roles[str(role)].heads
            if key == "opening_heads" and schedule:
                # Before its schedule's first entry a fixed role keeps its opening heads.
                first = min(max(month_offset(plan.company.start, m), 0) for m in schedule)
                if first > 0:
                    parts.append(Part("scheduled_heads", (r, slice(0, first))))
            return 0.0, 1e5, tuple(parts)
        case ("roles", role, "interview_hours_per_hire"):
            return 0.0, 500.0, (Part("interview_hours_per_hire", (_index(structure.roles, role),)),)
        case ("roles", role, "acquisition_share"):
            if plan.roles[str(role)].function != "split":
                raise LeverError(f"role {role} is not of function split: its function sets it")
            return 0.0, 1.0, (Part("acquisition_share", (_index(structure.roles, role),)),)
        case ("roles", role, "heads", month):
            r = _index(structure.roles, role)
            months = _scheduled(plan, plan.roles[str(role)].heads or {}, str(month), TE)
            return 0.0, 1e5, (Part("scheduled_heads", (r, months)),)
        case ("roles", role, "drivers", _, "capacity"):
            return 1e-9, float("inf"), ()
        case ("roles", role, "comp", key):
            return _comp(plan, structure, params, str(role), str(key))
        case ("pods", pod, "members", role):
            p, r = _index(structure.pods, pod), _index(structure.roles, role)
            return 1e-9, 100.0, (Part("pod_members", (p, r)),)
        case ("programmes", name, key):
            return _programme(plan, structure, str(name), str(key), TE)
        case ("programmes", name, "schedule", month):
            g = _index(structure.programmes, name)
            months = _scheduled(plan, plan.programmes[str(name)].schedule or {}, str(month), TE)
            return 0.0, money, (Part("programme_spend", (g, months)),)
        case ("economics", "ltv_cap_years"):
            return 1e-9, 30.0, (Part("ltv_cap_months", (), 12.0),)
    return 0.0, float("inf"), ()


def _scheduled(plan: Plan, schedule: dict[str, Any], month: str, extended: int) -> slice:
    """Return the months a schedule's entry holds: from its month (the plan's first, if
    earlier) to the next entry's; none when a later entry starts at the same month."""
    labels = sorted(schedule)  # YYYY-MM sorts by date
    begins = [max(month_offset(plan.company.start, m), 0) for m in labels]
    i = labels.index(month)
    end = begins[i + 1] if i + 1 < len(labels) else extended
    return slice(begins[i], max(begins[i], end))


def _comp(
    plan: Plan, structure: Structure, params: Params, role: str, key: str
) -> tuple[float, float, tuple[Part, ...]]:
    """Return a pay input's bounds and entries; a quota also sets its drivers' capacity."""
    r = _index(structure.roles, role)
    comp = plan.roles[role].comp
    if key == "attainment":
        if not comp.quota:
            raise LeverError(f"role {role} carries no quota, so its attainment is not used")
        return 1e-9, float("inf"), (Part("attainment", (r,)),)
    if key == "quota":
        parts = [Part("quota", (r,))]
        attainment = point(comp.attainment)
        for d, spec in enumerate(_drivers_of(plan, structure, role)):
            if spec is not None and spec.measure == "new_arr" and spec.capacity is None:
                # capacity = quota × attainment / 12 (docs/model.md §3)
                parts.append(Part("driver_capacity", (d,), attainment, "quota"))
        return 1e-9, 1e13, tuple(parts)
    bounds = {"base_share": 1.0, "pooled_share": 1.0, "burden_rate": 2.0}
    return 0.0, bounds.get(key, 1e13), (Part(key, (r,)),)


def _drivers_of(plan: Plan, structure: Structure, role: str) -> list[Any]:
    """Return each driver of the batch (in Params order) if it is ``role``'s, else None."""
    r = _index(structure.roles, role)
    specs = iter(plan.roles[role].drivers)
    return [next(specs) if d.role == r else None for d in structure.drivers]


def _programme(
    plan: Plan, structure: Structure, name: str, key: str, extended: int
) -> tuple[float, float, tuple[Part, ...]]:
    """Return a programme's per_month or growth_rate bounds and the spend it sets.

    Spend is ``per_month × (1 + growth_rate)^t`` until the schedule's first entry.
    """
    g = _index(structure.programmes, name)
    prog = plan.programmes[name]
    first = min(
        (max(month_offset(plan.company.start, m), 0) for m in prog.schedule or {}),
        default=extended,
    )
    months = slice(0, first)
    if key == "per_month":
        growth = np.power(1.0 + prog.growth_rate, np.arange(first))
        return 0.0, 1e13, (Part("programme_spend", (g, months), growth),)
    return -0.5, 1.0, (Part("programme_spend", (g, months), prog.per_month, "growth"),)


__all__ = ["KeyPath", "Lever", "LeverError", "Part", "lever", "parse_path", "value_at"]
