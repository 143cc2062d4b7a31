"""The re-based plan: the original plan's keys a reforecast changes, as a plan file.

A plan started at month k of another (docs/model.md §15) ``extends`` it and sets:

- ``company.start`` to month k and ``horizon_months`` to ``T - k``;
- the target less what months 0 … k-1 delivered: ending ARR unchanged; first-year revenue
  less the revenue to date, over ``first_year_months - k`` months; new ARR a year less the
  bookings to date, likewise; new MRR a month what the plan books in month k, ``V · g^k``
  (the growth goes on; with seasonality, times month k's weight).  A first
  year that is over keeps the planned bookings path: ``new_mrr_per_month`` of the new MRR
  the original books in month k.  While the first year lasts, ``first_year_months`` is
  what is left of it, whatever the target;
- per tier: ``opening_arr`` (12 × MRR) and ``opening_customers`` at the end of month k-1, a
  fixed ``new_mrr`` grown to ``F · g^k``, and any conversion rates replaced;
- per role: ``opening_heads``, the heads still ``ramping`` by the month they started,
  ``accrued_departures``, the ``open_requisitions`` by the month their hire starts, and a
  headcount schedule's level at month k when none of its entries is in force yet (only
  what differs from the original is written);
- programmes that grow: ``per_month`` grown to ``per_month · (1 + growth)^k``.

Everything else is the original's, through ``extends``.  :func:`plan_text` writes the keys
as YAML the plan reader reads back to the same numbers (floats are written in full).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from salesplan.choices import TargetKind
from salesplan.engine.rebase import StartState
from salesplan.engine.structure import month_label
from salesplan.engine.view import PlanView
from salesplan.load.schema import Plan

YEARLY = (TargetKind.FIRST_YEAR_REVENUE.value, TargetKind.NEW_ARR_PER_YEAR.value)


@dataclass(frozen=True)
class Rebased:
    """The plan a reforecast runs: its keys over the original, and what it aims at."""

    data: dict[str, Any]  # the plan file's keys (``extends`` first)
    target_kind: str  # the kind of target it solves (the original's, or new MRR a month)
    target_left: float | None  # what is left of the target (None: every tier is fixed)
    year_over: bool  # a first-year target whose first year is over: the bookings path kept


def rebased_plan(
    plan: Plan,
    view: PlanView,
    state: StartState,
    extends: str,
    rates: Mapping[int, float] | None = None,
) -> Rebased:
    """Return the plan that starts from ``state`` and aims at what is left of the target.

    ``plan`` and ``view`` are the original's (its file and its own figures); ``extends`` is
    the original's path as the new file will name it; ``rates`` replace stage conversion
    rates, by stage row of ``view.structure.stages``.
    """
    s, p = view.structure, view.params
    k, T = state.month, s.months
    year, month = (int(x) for x in s.start.split("-"))

    def label(offset: int) -> str:
        return month_label(year, month, offset)

    growth = 1.0 + float(p.growth_rate_monthly)
    target, kind, left, over = _target(plan, view, state, growth)
    data: dict[str, Any] = {
        "extends": extends,
        "company": {"start": label(k), "horizon_months": T - k},
    }
    if target:
        data["target"] = target
    data["tiers"] = _tiers(plan, view, state, growth, rates or {})
    roles = _roles(plan, view, state, label)
    if roles:
        data["roles"] = roles
    programmes = {
        name: {"per_month": prog.per_month * (1.0 + prog.growth_rate) ** k}
        for name, prog in plan.programmes.items()
        if prog.growth_rate != 0 and prog.per_month != 0
    }
    if programmes:
        data["programmes"] = programmes
    return Rebased(data, kind, left, over)


def _target(
    plan: Plan, view: PlanView, state: StartState, growth: float
) -> tuple[dict[str, Any], str, float | None, bool]:
    """Return the target keys, the kind solved, what is left of it and whether year one is
    over.  While the first year lasts, ``first_year_months`` is what is left of it, so the
    re-based plan's first-year figures are the rest of the original's first year."""
    s, p = view.structure, view.params
    k = state.month
    kind, value = s.target_kind, float(p.target_value)
    year = int(p.first_year_months)
    rest = {"first_year_months": year - k} if k < year else {}
    if all(t.new_mrr is not None for t in plan.tiers.values()):
        return rest, kind, None, False  # every tier books a fixed new MRR: no target
    if kind == TargetKind.ENDING_ARR.value:
        return {kind: value, **rest}, kind, value, False
    if kind == TargetKind.NEW_MRR_PER_MONTH.value:
        # The new MRR the plan books in month k: V · g^k, times the month's seasonal weight.
        left = float(view.revenue.new_mrr[:, k].sum())
        return {kind: left, **rest}, kind, left, False
    if k < year:
        to_date = (
            state.revenue_to_date
            if kind == TargetKind.FIRST_YEAR_REVENUE.value
            else 12.0 * state.new_mrr_to_date
        )
        left = value - to_date
        return {kind: left, **rest}, kind, left, False
    # The first year is over: keep the bookings the plan makes from month k on.
    booked = float(view.revenue.new_mrr[:, k].sum())
    solved = TargetKind.NEW_MRR_PER_MONTH.value
    return {kind: None, solved: booked}, solved, booked, True


def _tiers(
    plan: Plan, view: PlanView, state: StartState, growth: float, rates: Mapping[int, float]
) -> dict[str, Any]:
    """Return each tier's opening base, its fixed new MRR grown to month k, and new rates."""
    s = view.structure
    out: dict[str, Any] = {}
    for i, (name, tier) in enumerate(plan.tiers.items()):
        keys: dict[str, Any] = {
            "opening_arr": 12.0 * float(state.mrr[i]),
            "opening_customers": float(state.customers[i]),
        }
        if tier.new_mrr is not None:
            keys["new_mrr"] = tier.new_mrr * growth**state.month
        motions: dict[str, Any] = {}
        for j, (cell, stage) in enumerate(s.stages):
            tier_name, motion = s.cells[cell]
            if tier_name == name and j in rates:
                stages = motions.setdefault(motion, {"stages": []})["stages"]
                stages.append({"name": stage, "rate": float(rates[j])})
        if motions:
            keys["motions"] = motions
        out[name] = keys
    return out


def _roles(plan: Plan, view: PlanView, state: StartState, label: Any) -> dict[str, Any]:
    """Return, per role, what its opening state changes: its heads, those still ramping,
    the accrual, its open requisitions, a schedule's level (only keys that differ)."""
    s, p = view.structure, view.params
    k = state.month
    index = {name: r for r, name in enumerate(s.roles)}
    out: dict[str, Any] = {}
    for name, role in plan.roles.items():  # in the plan's order, as its file lists them
        r = index[name]
        keys: dict[str, Any] = {}
        heads = _whole(state.heads[r])
        if heads != role.opening_heads:
            keys["opening_heads"] = heads
        ramping = {label(k - j): _whole(n) for j, n in enumerate(state.ramping[r]) if n > 0}
        if ramping:
            keys["ramping"] = dict(sorted(ramping.items()))
        elif role.ramping is not None:
            keys["ramping"] = None  # the original's ramp is over: null deletes the key
        accrued = float(state.accrued[r])
        if accrued != role.accrued_departures:
            keys["accrued_departures"] = accrued
        dated = {label(k + t): _whole(n) for t, n in enumerate(state.dated[r]) if n > 0}
        if dated or role.open_requisitions != 0:
            keys["open_requisitions"] = dated or 0
        level = _whole(p.scheduled_heads[r, k])
        if (
            role.heads is not None
            and not any(m <= label(k) for m in role.heads)
            and (level != heads)
        ):
            # No entry of the schedule is in force yet: before its first, a schedule keeps
            # the opening heads, which now are others; write the level the plan had.
            keys["heads"] = {label(k): level}
        if keys:
            out[name] = keys
    return out


def _whole(x: Any) -> int:
    """Return a count of people as the whole number it is."""
    return round(float(x))


_PLAIN_KEY = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")
# Text YAML reads back as the same text without quotes: names, and relative paths of files.
_PLAIN_TEXT = re.compile(r"(\.\./)*[A-Za-z][A-Za-z0-9_.-]*(/[A-Za-z][A-Za-z0-9_.-]*)*")
_RESERVED = frozenset({"null", "true", "false", "yes", "no", "on", "off", "y", "n"})


def plan_text(data: Mapping[str, Any], comments: Sequence[str] = ()) -> str:
    """Return plan keys as a YAML file, block style, with ``comments`` on top.

    Floats are written in full (``repr``), so the file reads back to the same numbers, and a
    whole number as one; keys and text that YAML could read as something else are quoted.

    >>> print(plan_text({"company": {"start": "2027-04"}, "roles": {"ae": {
    ...     "heads": {"2027-04": 2}, "accrued_departures": 0.1}}}, ["made by a test"]), end="")
    # made by a test
    company:
      start: "2027-04"
    roles:
      ae:
        heads:
          "2027-04": 2
        accrued_departures: 0.1
    """
    lines = [f"# {c}" for c in comments]
    _emit(data, 0, lines)
    return "\n".join(lines) + "\n"


def _emit(data: Mapping[str, Any], depth: int, lines: list[str]) -> None:
    pad = "  " * depth
    for key, value in data.items():
        name = _key(key)
        if isinstance(value, Mapping) and value:
            lines.append(f"{pad}{name}:")
            _emit(value, depth + 1, lines)
        elif isinstance(value, list) and value:
            lines.append(f"{pad}{name}:")
            for item in value:
                first, *rest = list(item.items())
                lines.append(f"{pad}  - {_key(first[0])}: {_scalar(first[1])}")
                lines.extend(f"{pad}    {_key(k)}: {_scalar(v)}" for k, v in rest)
        else:
            lines.append(f"{pad}{name}: {_scalar(value)}")


def _key(key: str) -> str:
    plain = _PLAIN_KEY.fullmatch(key) and key.lower() not in _RESERVED
    return key if plain else json.dumps(key)


def _scalar(value: Any) -> str:
    """Return one value as YAML writes it.

    >>> [_scalar(v) for v in (203.0, 0.1, 1e300, None, "2027-04", "plan")]
    ['203', '0.1', '1e+300', 'null', '"2027-04"', 'plan']
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # A whole number as one (203 customers, not 203.0); any other float in full.
        return str(int(value)) if value.is_integer() and abs(value) < 2**53 else repr(value)
    if isinstance(value, Mapping):
        return "{}"
    text = str(value)
    if _PLAIN_TEXT.fullmatch(text) and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)
