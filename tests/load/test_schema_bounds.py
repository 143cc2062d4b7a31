"""The shipped JSON Schema carries the format's bounds: every number ``salesplan check`` refuses
as out of range (SP203), as a value or as any end of its range, the schema refuses too, and
the schema accepts every shipped plan (a scenario that ``extends`` another included)."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from salesplan.load.yamlread import read_yaml_file
from salesplan.pipeline import run_plan
from tests.paths import PLANS, ROOT

SCHEMA = json.loads((ROOT / "schema" / "plan.schema.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA)
BASE_PATH = PLANS / "every_number.yaml"
SHIPPED = sorted(
    [*(ROOT / "configs").rglob("*.yaml"), *(ROOT / "src" / "salesplan" / "starters").glob("*.yaml")]
)
Path_ = tuple[str | int, ...]


def _data(path: Path) -> Any:
    doc, problems = read_yaml_file(str(path))
    assert doc is not None, problems
    return doc.data


BASE = _data(BASE_PATH)


def test_the_schema_is_valid_draft_2020_12() -> None:
    Draft202012Validator.check_schema(SCHEMA)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_schema_accepts_every_shipped_plan(path: Path) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in VALIDATOR.iter_errors(_data(path))]
    assert errors == []


def test_the_schema_refuses_what_a_scenario_cannot_override() -> None:
    assert VALIDATOR.is_valid({"extends": "base.yaml", "roles": {"ae": {"ramp_months": 3}}})
    assert not VALIDATOR.is_valid({"extends": "base.yaml", "roles": {"ae": {"ramp_months": 40}}})
    assert not VALIDATOR.is_valid({"extends": "base.yaml", "roles": {"ae": {"hirng": 1}}})
    assert VALIDATOR.is_valid({"extends": "base.yaml", "tiers": {"smb": None}})
    assert not VALIDATOR.is_valid({"tiers": {}})  # without extends, a whole plan


# -- range mutants: every bounded number just outside each bound ----------------------------


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    return _resolve(SCHEMA["$defs"][ref.rsplit("/", 1)[1]]) if ref else node


def _members(prop: dict[str, Any]) -> list[dict[str, Any]]:
    return [_resolve(p) for p in prop.get("anyOf", [prop])]


def _number(prop: dict[str, Any]) -> dict[str, Any] | None:
    """Return the plain-number member of a property's schema, if it has bounds."""
    for m in _members(prop):
        if m.get("type") in ("number", "integer") and any(
            k in m for k in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")
        ):
            return m
    return None


def _takes_range(prop: dict[str, Any]) -> bool:
    return any(str(p.get("$ref", "")).endswith("Range") for p in prop.get("anyOf", []))


Found = tuple[str, Path_, dict[str, Any], bool]


def _bounded(data: Any, schema: dict[str, Any], path: Path_, field: str) -> Iterator[Found]:
    """Yield (field, path, number schema, takes a range) for every bounded number a plan's
    object may hold (given in ``data`` or not), following ``data`` into objects, maps and
    lists; ``field`` names the format's key (``Tier.mrr``, ``Pod.members``)."""
    schema = _resolve(schema)
    if isinstance(data, dict) and "properties" in schema:
        for key, prop in schema["properties"].items():
            here = f"{schema['title']}.{key}"
            number = _number(prop)
            if number is not None:
                yield here, (*path, key), number, _takes_range(prop)
            if key in data:
                for member in _members(prop):
                    yield from _bounded(data[key], member, (*path, key), here)
        return
    inner = _values_schema(schema) if isinstance(data, dict) else schema.get("items")
    if not isinstance(inner, dict):
        return
    items = data.items() if isinstance(data, dict) else enumerate(data)
    for key, value in items:
        number = _number(inner)
        if number is not None:
            yield field, (*path, key), number, False
        for member in _members(inner):
            yield from _bounded(value, member, (*path, key), field)


def _values_schema(schema: dict[str, Any]) -> dict[str, Any] | None:
    """Return the schema of a mapping's values (names are the plan's own)."""
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        return extra
    patterns = schema.get("patternProperties")
    return next(iter(patterns.values())) if patterns else None


def _outside(number: dict[str, Any]) -> Iterator[tuple[str, float | int, float | int]]:
    """Yield (which bound, a value just outside it, a value inside it) for each bound."""
    whole = number.get("type") == "integer" or number.get("multipleOf") == 1
    low = number.get("minimum", number.get("exclusiveMinimum"))
    high = number.get("maximum", number.get("exclusiveMaximum"))
    inside = low if "minimum" in number else high if "maximum" in number else 0.5
    if whole:
        inside = int(inside)
    if "minimum" in number:
        m = number["minimum"]
        yield "minimum", (m - 1 if whole else m - max(abs(m) * 1e-6, 1e-9)), inside
    if "exclusiveMinimum" in number:
        yield "exclusiveMinimum", number["exclusiveMinimum"], inside
    if "maximum" in number:
        m = number["maximum"]
        yield "maximum", (m + 1 if whole else m + max(abs(m) * 1e-6, 1e-9)), inside
    if "exclusiveMaximum" in number:
        yield "exclusiveMaximum", number["exclusiveMaximum"], inside


ENDS = ("low", "likely", "high")


def _mutants() -> Iterator[Any]:
    """Yield each bounded field's mutants once, at the first place the plan gives it."""
    seen: set[str] = set()
    for field, path, number, takes_range in _bounded(BASE, SCHEMA["$defs"]["Plan"], (), "Plan"):
        if field in seen:
            continue
        seen.add(field)
        for bound, bad, good in _outside(number):
            name = ".".join(map(str, path))
            yield pytest.param(path, bad, id=f"{name} {bound}")
            if not takes_range:
                continue
            below = bound in ("minimum", "exclusiveMinimum")
            for i, end in enumerate(ENDS):
                # The ends stay ordered: the bad end and those beyond it on its side are bad.
                ends = {
                    e: bad if (j <= i if below else j >= i) else good for j, e in enumerate(ENDS)
                }
                yield pytest.param(path, ends, id=f"{name}.{end} {bound}")


MUTANTS = list(_mutants())


def test_every_bounded_kind_of_number_is_mutated() -> None:
    fields = {p.values[0][-1] for p in MUTANTS if isinstance(p.values[0][-1], str)}
    for name in ("rate", "churn_rate", "attrition_rate", "capacity", "attainment", "quota"):
        assert name in fields
    assert len(MUTANTS) > 150
    assert {"members", "ramp_curve"} <= {
        str(p.values[0][-2]) for p in MUTANTS if len(p.values[0]) > 1
    }


def _put(data: Any, path: Path_, value: Any) -> Any:
    out = copy.deepcopy(data)
    node = out
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value
    return out


@pytest.mark.parametrize(("path", "value"), MUTANTS)
def test_check_and_the_schema_both_refuse_a_number_out_of_its_bounds(
    path: Path_, value: Any
) -> None:
    data = _put(BASE, path, value)
    problems = run_plan("plan.yaml", text=yaml.safe_dump(data).encode()).problems
    assert "SP203" in {p.code for p in problems}, [str(p) for p in problems]
    assert not VALIDATOR.is_valid(data)
