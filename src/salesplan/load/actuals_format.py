"""The actuals format: its columns and metrics, defined once for the reader, docs and schema.

An actuals file is a tidy CSV, one row per month × metric × the tier, motion, stage or role
it applies to.  :data:`METRICS` is the one table of metrics: the reader
(:mod:`salesplan.load.actuals`) checks rows against it, ``docs/actuals.md`` is generated from
it, and so is the JSON Schema of one row (:func:`actuals_json_schema`, shipped as
``schema/actuals.schema.json``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from functools import cached_property

MONTH_PATTERN = r"^\d{4}-(0[1-9]|1[0-2])$"
NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_\-]*$"  # the plan format's names (load/schema.py Name)

KEY_COLUMNS = ("tier", "motion", "stage", "role")
COLUMNS = ("month", "metric", *KEY_COLUMNS, "value")
"""Every column an actuals file has, in the order the docs and the sample write them."""


class Unit(enum.StrEnum):
    """What a metric's value counts."""

    COUNT = "count"  # whole deals, customers, people or requisitions
    MONEY = "money"  # in the plan's currency, a month


class Kind(enum.StrEnum):
    """How a metric's months add up."""

    FLOW = "flow"  # what happened during the month: months add up over a period
    STOCK = "stock"  # what stood at the month's end: a period takes its last month


BOUND = {Unit.COUNT: 1e9, Unit.MONEY: 1e13}
"""The largest value a metric of each unit may hold (the plan format's own money bound)."""

PEOPLE_BOUND = 1e5
"""The largest count of people (heads, starts, requisitions) a role may hold: the plan
format's own, so that a reforecast's opening state is a plan that ``check`` accepts."""


@dataclass(frozen=True)
class Metric:
    """One metric: its name, unit, kind, the keys it is broken down by, and what it means.

    ``breakdowns`` lists the key columns each row of the metric fills, one tuple per way the
    metric may be given; a file gives a metric one way throughout.
    """

    name: str
    unit: Unit
    kind: Kind
    breakdowns: tuple[tuple[str, ...], ...]
    meaning: str

    @property
    def bound(self) -> float:
        """Return the largest value a row of the metric may hold: a role's people are
        bounded as the plan format bounds them, other counts and amounts by their unit.

        >>> BY_METRIC["open_requisitions"].bound, BY_METRIC["customers"].bound
        (100000.0, 1000000000.0)
        """
        return PEOPLE_BOUND if self.breakdowns == (ROLE,) else BOUND[self.unit]

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Return every key column some breakdown of the metric fills, in column order."""
        used = {k for b in self.breakdowns for k in b}
        return tuple(k for k in KEY_COLUMNS if k in used)

    @property
    def ways(self) -> str:
        """Say how the metric may be broken down.

        >>> BY_METRIC["heads"].ways, BY_METRIC["marketing_cost"].ways
        ('per role', 'as a total, per tier, or per tier and motion')
        """
        ways = [breakdown_text(b) for b in self.breakdowns]
        if len(ways) == 1:
            return ways[0]
        ways[0] = "as " + ways[0] if ways[0] == "a total" else ways[0]
        return ", ".join(ways[:-1]) + ", or " + ways[-1]


C, M = Unit.COUNT, Unit.MONEY
FLOW, STOCK = Kind.FLOW, Kind.STOCK
STAGE, MOTION, TIER, ROLE = ("tier", "motion", "stage"), ("tier", "motion"), ("tier",), ("role",)

METRICS: tuple[Metric, ...] = (
    # -- the funnel -----------------------------------------------------------------------
    Metric(
        "entries",
        C,
        FLOW,
        (STAGE,),
        "Deals (leads, MQLs, SQLs, opportunities …) that entered the stage in the month.",
    ),
    Metric(
        "pipeline",
        C,
        STOCK,
        (STAGE,),
        "Deals in the stage at the month's end: entered, not yet moved on, won or lost.",
    ),
    Metric(
        "wins",
        C,
        FLOW,
        (MOTION,),
        "Deals won in the month: the motion's new customers (the plan's stage `won`).",
    ),
    # -- revenue --------------------------------------------------------------------------
    Metric("new_mrr", M, FLOW, (TIER,), "MRR of the customers won in the month."),
    Metric("churned_mrr", M, FLOW, (TIER,), "MRR lost with the customers who left (positive)."),
    Metric("expansion_mrr", M, FLOW, (TIER,), "MRR added by customers who stayed (upsell)."),
    Metric("mrr", M, STOCK, (TIER,), "MRR of all active customers at the month's end."),
    Metric("customers", C, STOCK, (TIER,), "Active customers at the month's end."),
    Metric("churned_customers", C, FLOW, (TIER,), "Customers who left in the month."),
    # -- people ---------------------------------------------------------------------------
    Metric("heads", C, STOCK, (ROLE,), "People in the role at the month's end."),
    Metric("starts", C, FLOW, (ROLE,), "People who started in the role in the month."),
    Metric("departures", C, FLOW, (ROLE,), "People who left the role in the month."),
    Metric(
        "open_requisitions",
        C,
        STOCK,
        (ROLE,),
        "Requisitions open at the month's end: approved, the person not yet started.",
    ),
    # -- spend ----------------------------------------------------------------------------
    Metric(
        "marketing_cost",
        M,
        FLOW,
        ((), TIER, MOTION),
        "Marketing spent in the month: entries bought (cost per lead) and programmes.",
    ),
)

BY_METRIC: dict[str, Metric] = {m.name: m for m in METRICS}

ALIASES = {
    "arr": "mrr",
    "churn": "churned_mrr",
    "headcount": "heads",
    "hires": "starts",
    "leads": "entries",
    "marketing": "marketing_cost",
    "marketing_spend": "marketing_cost",
    "new_customers": "wins",
    "opportunities": "entries",
    "reqs": "open_requisitions",
    "spend": "marketing_cost",
}
"""Words an export may use for a metric, and the metric they mean (for "did you mean")."""


def breakdown_text(keys: tuple[str, ...]) -> str:
    """Name a breakdown in words.

    >>> breakdown_text(()), breakdown_text(("tier", "motion", "stage"))
    ('a total', 'per tier, motion and stage')
    """
    if not keys:
        return "a total"
    return "per " + (keys[0] if len(keys) == 1 else ", ".join(keys[:-1]) + " and " + keys[-1])


def _row_shape(metric: Metric, keys: tuple[str, ...]) -> dict[str, object]:
    """Return the schema of a row's key cells for one breakdown: these filled, others empty."""
    return {
        "properties": {k: ({"minLength": 1} if k in keys else {"const": ""}) for k in KEY_COLUMNS}
    }


def _metric_rule(metric: Metric) -> dict[str, object]:
    """Return the schema branch of one metric: its keys and the range of its value."""
    value: dict[str, object] = {"minimum": 0, "maximum": metric.bound}
    if metric.unit is Unit.COUNT:
        value["multipleOf"] = 1
    shapes = [_row_shape(metric, b) for b in metric.breakdowns]
    then: dict[str, object] = {"properties": {"value": value}}
    then["allOf" if len(shapes) == 1 else "anyOf"] = shapes
    return {"if": {"properties": {"metric": {"const": metric.name}}}, "then": then}


def actuals_json_schema() -> dict[str, object]:
    """Return the JSON Schema of one row of an actuals file, read as an object.

    The row is the CSV's cells keyed by the header, key cells as text (empty where a key
    does not apply) and ``value`` as a number.  Names of tiers, motions, stages and roles
    are checked against the plan by ``salesplan check PLAN --actuals FILE``, not here.
    """
    name = {"type": "string", "anyOf": [{"const": ""}, {"pattern": NAME_PATTERN}]}
    properties: dict[str, object] = {
        "month": {
            "type": "string",
            "pattern": MONTH_PATTERN,
            "description": "The calendar month, YYYY-MM, within the plan.",
        },
        "metric": {
            "enum": [m.name for m in METRICS],
            "description": "What the value measures (docs/actuals.md).",
        },
        **{
            k: {**name, "description": f"The {k} the value applies to; empty where none does."}
            for k in KEY_COLUMNS
        },
        "value": {
            "type": "number",
            "description": "A count (whole) or money in the plan's currency; never negative.",
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://salesplan.dev/schema/actuals-1.json",
        "title": "salesplan actuals row",
        "description": (
            "One row of an actuals file (CSV): one month, metric and key, and its value."
        ),
        "type": "object",
        "properties": properties,
        "required": list(COLUMNS),
        "additionalProperties": False,
        "allOf": [_metric_rule(m) for m in METRICS],
    }
