"""Write a scenario: a plan that ``extends`` another and changes one number.

The text is made for the merge rules of :mod:`salesplan.load.sources`, so that reading it
back gives the base plan with that one value changed: mappings merge key by key, a stage
is named by its ``name`` (stages merge by name), a driver by empty mappings before it
(drivers merge by position), and a list of numbers (a ramp curve) is written whole.  A
value given as a range keeps its range when the new value lies in it (only ``likely``
moves); otherwise the number replaces the range.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from salesplan.load.sources import KeyPath

_PLAIN_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*$")
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9_.][A-Za-z0-9_./\-]*[A-Za-z][A-Za-z0-9_./\-]*$")
# Words YAML 1.1 readers take for booleans or null: quoted, so no reader mistakes them.
_AMBIGUOUS = re.compile(r"^(y|n|yes|no|on|off|true|false|null)$", re.IGNORECASE)
_RANGE_KEYS = frozenset({"low", "likely", "high", "dist"})


def override(data: Any, path: KeyPath, value: float | int) -> tuple[Any, bool]:
    """Return what to write over ``data`` to set the value at ``path``, and whether a range
    there was replaced by the number (the value lies outside it).

    >>> override({"roles": {"ae": {"comp": {"quota": 650_000}}}}, ("roles", "ae", "comp",
    ...          "quota"), 700_000)
    ({'roles': {'ae': {'comp': {'quota': 700000}}}}, False)
    >>> override({"s": [{"name": "a", "rate": 0.5}, {"name": "b", "rate": 0.2}]},
    ...          ("s", 1, "rate"), 0.3)
    ({'s': [{'name': 'b', 'rate': 0.3}]}, False)
    >>> override({"d": [{"c": 1}, {"c": 2}]}, ("d", 1, "c"), 3)
    ({'d': [{}, {'c': 3}]}, False)
    >>> override({"r": {"low": 1, "likely": 2, "high": 4}}, ("r",), 3)
    ({'r': {'likely': 3}}, False)
    """
    if not path:
        if _is_range(data):
            if data["low"] <= value <= data["high"]:
                return {"likely": value}, False
            return value, True
        return value, False
    head, rest = path[0], path[1:]
    if isinstance(data, list) and isinstance(head, int):
        item = data[head]
        inner, replaced = override(item, rest, value)
        if all(isinstance(x, dict) and "name" in x for x in data):
            return [{"name": item["name"], **inner}], replaced
        if all(isinstance(x, dict) for x in data):
            return [{} for _ in range(head)] + [inner], replaced
        whole = list(data)
        whole[head] = inner
        return whole, replaced
    below = data.get(head) if isinstance(data, dict) else None
    inner, replaced = override(below, rest, value)
    return {head: inner}, replaced


def _is_range(data: Any) -> bool:
    return isinstance(data, dict) and "likely" in data and set(data) <= _RANGE_KEYS


def scenario_text(
    base: str, written_to: str, data: Any, path: KeyPath, value: float, comments: list[str]
) -> str:
    """Return a plan file that extends ``base`` (its path) with the value at ``path`` set.

    ``data`` is the base plan's merged data (a number there may be a range); the ``extends``
    path is relative to the directory of ``written_to``; ``comments`` head the file.
    """
    number: float | int = int(value) if float(value).is_integer() else float(value)
    over, replaced = override(data, path, number)
    where = os.path.dirname(os.path.abspath(written_to))
    extends = os.path.relpath(os.path.abspath(base), where).replace(os.sep, "/")
    lines = [f"# {line}" for line in comments]
    if replaced:
        lines.append("# The value lies outside the range the base plan gives, so it replaces it.")
    shown = extends if _PLAIN_PATH.match(extends) else json.dumps(extends)
    lines += [f"extends: {shown}", ""]
    lines += _block(over, 0)
    return "\n".join(lines) + "\n"


def _key(key: str | int) -> str:
    """Return a mapping key as YAML: plain when nothing could misread it, else quoted."""
    text = str(key)
    if _PLAIN_KEY.match(text) and not _AMBIGUOUS.match(text):
        return text
    return json.dumps(text)


def _scalar(value: Any) -> str:
    """Return a number or text as a YAML scalar (text quoted unless plainly a key)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    return _key(value)


def _block(node: Any, indent: int) -> list[str]:
    """Return a mapping's lines in YAML block style, ``indent`` spaces in."""
    pad = " " * indent
    out: list[str] = []
    for key, value in node.items():
        if isinstance(value, dict) and value:
            out.append(f"{pad}{_key(key)}:")
            out += _block(value, indent + 2)
        elif isinstance(value, list):
            out.append(f"{pad}{_key(key)}:")
            out += _items(value, indent + 2)
        else:
            out.append(f"{pad}{_key(key)}: {'{}' if isinstance(value, dict) else _scalar(value)}")
    return out


def _items(items: list[Any], indent: int) -> list[str]:
    """Return a list's lines in YAML block style."""
    pad = " " * indent
    out: list[str] = []
    for item in items:
        if isinstance(item, dict) and item:
            first, *rest = _block(item, indent + 2)
            out.append(f"{pad}- {first.lstrip()}")
            out += rest
        else:
            out.append(f"{pad}- {'{}' if isinstance(item, dict) else _scalar(item)}")
    return out


__all__ = ["override", "scenario_text"]
