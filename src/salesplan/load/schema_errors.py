"""Map the schema's errors back to the lines of the plan, and repair past them.

pydantic reports errors by the path of the value in the data; here each becomes a located
problem with a code and a message in the plan's own words.  A copy of the plan repaired past
unknown keys and out-of-range numbers lets the checks find every other problem in one pass.

A message about a value in a file the plan extends quotes none of that file's text (keys,
names, text values): it may not be a plan at all, and whoever runs the check may show its
messages to others (CI annotations).
"""

from __future__ import annotations

import copy
import types
import typing
from typing import Any

from pydantic import ValidationError

from salesplan.load.schema import Plan, Range
from salesplan.load.sources import KeyPath, Source
from salesplan.problems import Problem, did_you_mean
from salesplan.problems.codes import problem

_SCALAR_TAGS = {"float", "int", "str", "bool", "constrained-str", "constrained-float", "none"}


def schema_problems(source: Source) -> tuple[Plan | None, list[Problem]]:
    """Validate merged data against the schema; map every error to a located problem."""
    try:
        return Plan.model_validate(source.data), []
    except ValidationError as err:
        errors = err.errors(include_url=False)
    return None, [p for _, p in _fitting(source, errors)]


def _fitting(source: Source, errors: list[Any]) -> list[tuple[Any, Problem]]:
    """Return the errors to report, each with its problem.

    A union reports one error per member; keep those matching the shape of what was
    written.  A member that does not fit is reported only when no member fits, at or below
    the same place (a range missing 'likely' is not also "not a number").
    """
    mapped = [(e, *_map_error(source, e)) for e in errors]
    fitting = [path for _, path, _, fits in mapped if fits]
    kept: list[tuple[Any, Problem]] = []
    reported: set[KeyPath] = set()
    for e, path, p, fits in mapped:
        if fits:
            kept.append((e, p))
        elif path not in reported and not any(f[: len(path)] == path for f in fitting):
            kept.append((e, p))
            reported.add(path)
    return kept


# Schema errors a repaired copy can step over to look for more problems (see repaired_plan).
_BOUND_ERRORS = {
    "greater_than": ("gt", 1),
    "greater_than_equal": ("ge", 0),
    "less_than": ("lt", -1),
    "less_than_equal": ("le", 0),
}
_REPAIR_ROUNDS = 3


def repaired_plan(source: Source) -> tuple[Plan | None, bool]:
    """Return the plan with its unknown keys dropped and out-of-range numbers moved to their
    bound, if that is all that kept it from the schema (else None), and whether a share
    was moved.

    The copy is only ever used to look for more problems in the same pass (references,
    targets) when the schema has already failed: a value moved to the bound it broke stays
    on the wrong side of every rule about that value, and an unknown key means nothing.  A
    sum over moved shares would misquote the plan, so the caller leaves that check out when
    a share was moved.  A missing key, a wrong type or a bad range cannot be stepped over.
    """
    data = copy.deepcopy(source.data)
    moved = False
    for _ in range(_REPAIR_ROUNDS):
        try:
            return Plan.model_validate(data), moved
        except ValidationError as err:
            errors = err.errors(include_url=False)
        for e, _ in _fitting(source, errors):
            repair = _repair(data, source, e)
            if repair is None:
                return None, moved
            moved |= repair == "moved share"
    return None, moved


def _repair(data: Any, source: Source, e: Any) -> str | None:
    """Repair one schema error in ``data`` in place: "dropped" an unknown key, "moved" a
    number to its bound ("moved share" a share), or None when it cannot be repaired."""
    path, _, _ = _map_error(source, e)
    if not path or "[key]" in e["loc"]:
        return None
    parent: Any = data
    for part in path[:-1]:
        if not _has(parent, part):
            return None
        parent = parent[part]
    last = path[-1]
    if not _has(parent, last):
        return None
    etype = e["type"]
    if etype == "extra_forbidden":
        del parent[last]
        return "dropped"
    if etype in _BOUND_ERRORS and isinstance(parent[last], int | float):
        name, step = _BOUND_ERRORS[etype]
        limit = (e.get("ctx") or {}).get(name)
        if not isinstance(limit, int | float) or isinstance(parent[last], bool):
            return None
        if isinstance(parent[last], int) and isinstance(limit, int):
            parent[last] = limit + step
        else:
            parent[last] = float(limit) + step * 1e-9 * max(1.0, abs(float(limit)))
        return "moved share" if last == "share" else "moved"
    if etype == "multiple_of" and isinstance(parent[last], float):
        parent[last] = float(round(parent[last]))  # a range end of whole months
        return "moved"
    return None


def _map_error(source: Source, e: Any) -> tuple[KeyPath, Problem, bool]:
    """Map one pydantic error to (data path, problem, whether it fits the data's shape)."""
    loc: tuple[Any, ...] = e["loc"]
    node: Any = source.data
    path: list[str | int] = []
    fits = True
    etype: str = e["type"]
    at_key = False
    for i, part in enumerate(loc):
        if part == "[key]":
            # The error is about the key itself (a tier or role name), not its value.
            at_key = True
        elif _has(node, part):
            path.append(part)
            node = node[part]
        elif etype == "missing" and i == len(loc) - 1:
            parent = tuple(path)
            where = source.where(parent, key=bool(parent))
            owner = _owner(parent) if source.quotable(parent) else _owner_quietly(parent)
            message = f"{owner}missing required key {part!r}"
            return (*parent, part), problem("SP204", where, message), True
        elif isinstance(part, str):
            # A union member's tag (e.g. 'float' or 'Range'): keep only the member that
            # matches the shape of the data actually written.
            is_scalar_tag = part in _SCALAR_TAGS or part.startswith("constrained-")
            is_list_tag = part.startswith("list[")
            if isinstance(node, dict):
                fits &= not (is_scalar_tag or is_list_tag)
            elif isinstance(node, list):
                fits &= is_list_tag
            else:
                fits &= is_scalar_tag
    key = tuple(path)
    quote = source.quotable(key)
    name = _label(key, quote)
    if etype == "extra_forbidden":
        where = source.where(key, key=True)
        if not quote:
            return key, problem("SP201", where, _UNKNOWN_QUIETLY), True
        allowed = closest_field(Plan, key[:-1])
        hint = did_you_mean(str(key[-1]), allowed)
        return key, problem("SP201", where, f"unknown key {key[-1]!r}{hint}"), True
    code = _code_for(etype)
    bounded = _bounded_message(key, etype, node)
    if bounded is not None:
        code = "SP203" if etype == "float_type" else code  # an integer too large for a float
        return key, problem(code, source.where(key), bounded), fits
    if etype == "float_type" and isinstance(node, int) and not isinstance(node, bool):
        # An integer too large for a float: out of range, not of the wrong type.
        message = f"{name}: the number is too large (got {_describe(node)})"
        return key, problem("SP203", source.where(key), message), fits
    if at_key:
        container = next((str(p) for p in reversed(path[:-1]) if isinstance(p, str)), "plan")
        named = f"name {key[-1]!r}" if quote else "a name"
        message = f"{container}: {named} {_message(e, etype)}"
        return key, problem(code, source.where(key, key=True), message), fits
    message = f"{name}: {_message(e, etype)}"
    if code in ("SP202", "SP207", "SP203"):
        message += f" (got {_describe(node, quote)})"
    if etype in ("float_type", "int_type") and isinstance(node, str) and _numeric(node):
        message += "; write numbers without quotes"
    return key, problem(code, source.where(key), message), fits


def _bounded_message(key: KeyPath, etype: str, value: Any) -> str | None:
    """Phrase a bound broken by a value that may be a range, or by an end of one (an integer
    too large for a float included), as ``rate: must be >= 1e-06 and <= 1 (got 1.5)``; None
    for any other error."""
    huge = etype == "float_type" and isinstance(value, int) and not isinstance(value, bool)
    if etype not in _BOUND_ERRORS and etype != "multiple_of" and not huge:
        return None
    found = _uncertain(key)
    if found is None:
        return None
    field, bounds = found
    small = isinstance(value, float) or (isinstance(value, int) and abs(value) < 10**15)
    got = f"{value:g}" if small and not isinstance(value, bool) else _describe(value)
    if etype == "multiple_of":
        return f"{field}: must be a whole number (got {got})"
    low = f"> {bounds['gt']:g}" if "gt" in bounds else f">= {bounds['ge']:g}"
    high = f"< {bounds['lt']:g}" if "lt" in bounds else f"<= {bounds['le']:g}"
    return f"{field}: must be {low} and {high} (got {got})"


def _uncertain(key: KeyPath) -> tuple[str, dict[str, float]] | None:
    """Return the name and bounds of the value that may be a range at ``key`` (the value or
    an end of its range), or None when ``key`` is not one."""
    field_key = key[:-1] if key and key[-1] in ("low", "likely", "high") else key
    if not field_key or not isinstance(field_key[-1], str):
        return None
    current: Any = Plan
    for part in field_key:
        current = _step(current, part)
        if current is None:
            return None
    kinds = _unwrap(current)
    if not any(isinstance(k, type) and issubclass(k, Range) for k in kinds):
        return None
    number = next(
        (a for a in _annotated(current) if typing.get_origin(a) is typing.Annotated), None
    )
    if number is None:
        return None
    bounds: dict[str, float] = {}
    for meta in typing.get_args(number)[1:]:
        for item in getattr(meta, "metadata", [meta]):
            for name in ("ge", "gt", "le", "lt"):
                if getattr(item, name, None) is not None:
                    bounds[name] = float(getattr(item, name))
    return field_key[-1], bounds


def _annotated(tp: Any) -> list[Any]:
    """Return the members of a union as written (``Annotated`` kept), or ``tp`` alone."""
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return list(typing.get_args(tp))
    return [tp]


def _label(path: KeyPath, quote: bool) -> str:
    """Name what a message is about: the last key in ``path``, or (when its text may not be
    quoted) the last of the format's own keys, never a name the file chose."""
    names = [p for p, chosen in zip(path, _chosen(path), strict=True) if quote or not chosen]
    return next((p for p in reversed(names) if isinstance(p, str)), "plan")


def _chosen(path: KeyPath) -> list[bool]:
    """Mark the parts of ``path`` that are names a plan chose (tier, role …), not format keys."""
    marks, current = [], [Plan]
    for part in path:
        dicts = [t for t in current if typing.get_origin(t) is dict]
        marks.append(isinstance(part, int) or bool(dicts and isinstance(part, str)))
        current = [s for t in current if (s := _step(t, part)) is not None]
        current = [u for t in current for u in _unwrap(t)]
    return marks


_UNKNOWN_QUIETLY = "unknown key (check this file on its own to see its name)"

# Plain words for the schema's patterns, so no message shows a regular expression.
_PATTERNS = {
    r"^[A-Za-z][A-Za-z0-9_\-]*$": "must start with a letter and hold only letters, digits, "
    "'_' and '-'",
    r"^\d{4}-(0[1-9]|1[0-2])$": "must be a month written YYYY-MM, e.g. 2027-01",
    r"^[A-Z]{3}$": "must be a three-letter ISO 4217 currency code in capitals, e.g. USD",
    r"^SP\d{3}$": "must be a check code like SP401",
}


def _message(e: Any, etype: str) -> str:
    """Return pydantic's message in the plan's words: no internals, no regular expressions."""
    ctx = e.get("ctx") or {}
    if etype == "value_error":
        return _lower_first(str(e["msg"]).removeprefix("Value error, "))
    if etype == "string_pattern_mismatch":
        pattern = str(ctx.get("pattern", ""))
        return _PATTERNS.get(pattern, f"must match the pattern {pattern}")
    if etype in ("model_type", "model_attributes_type", "dict_type"):
        return "expected a mapping of keys"
    if etype == "string_too_short":
        n = ctx.get("min_length")
        return "must not be empty" if n == 1 else f"must be at least {n} characters"
    if etype == "string_too_long":
        return f"must be at most {ctx.get('max_length')} characters"
    if etype == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s)"
    if etype == "too_long":
        return f"may have at most {ctx.get('max_length')} items"
    return _lower_first(str(e["msg"]))


def _owner(path: KeyPath) -> str:
    """Name what holds a missing key: ``company: ``, ``stages item 2: ``, or nothing at the top."""
    if not path:
        return ""
    if isinstance(path[-1], int):
        container = next((str(p) for p in reversed(path) if isinstance(p, str)), "plan")
        return f"{container} item {path[-1] + 1}: "
    return f"{path[-1]}: "


def _owner_quietly(path: KeyPath) -> str:
    """Name what holds a missing key by the format's own keys: ``tiers entry: ``."""
    if not path:
        return ""
    label = _label(path, False)
    if isinstance(path[-1], int):
        return f"{label} item {path[-1] + 1}: "
    return f"{label}: " if label == path[-1] else f"{label} entry: "


def _has(node: Any, part: Any) -> bool:
    """Return True if ``part`` is a key (or index) present in ``node``."""
    if isinstance(node, dict):
        return isinstance(part, str) and part in node
    if isinstance(node, list):
        return isinstance(part, int) and 0 <= part < len(node)
    return False


def _code_for(etype: str) -> str:
    if etype == "finite_number":
        return "SP205"
    if etype.startswith(("greater", "less", "too_short", "too_long")):
        return "SP203"
    if etype in (
        "literal_error",
        "string_pattern_mismatch",
        "string_too_short",
        "string_too_long",
        "value_error",
        "enum",
        "multiple_of",
    ):
        return "SP207"
    return "SP202"


def _describe(value: Any, quote: bool = True) -> str:
    """Describe a value written in a plan: text is quoted only when ``quote`` allows it."""
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, str):
        if not quote:
            return "text"
        text = value if len(value) <= 40 else value[:37] + "..."
        return f"{text!r} (text)"
    if isinstance(value, dict):
        ends = [k for k in ("low", "likely", "high") if k in value]
        if ends:  # a range: show what was written
            return ", ".join(f"{k} {_describe(value[k], quote)}" for k in ends)
        return "a mapping" if value else "an empty mapping"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    if value is None:
        return "nothing"
    if isinstance(value, int) and abs(value) >= 10**15:
        return f"a {len(str(abs(value)))}-digit number"
    return repr(value)


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def closest_field(model: Any, path: KeyPath) -> list[str]:
    """Return the field names allowed where ``path`` points (for 'did you mean')."""
    current: Any = model
    for part in path:
        current = _step(current, part)
        if current is None:
            return []
    for candidate in _unwrap(current):  # e.g. ``float | Range``: the model's keys
        fields = getattr(candidate, "model_fields", None)
        if fields:
            return list(fields)
    return []


def _step(tp: Any, part: str | int) -> Any:
    for candidate in _unwrap(tp):
        fields = getattr(candidate, "model_fields", None)
        if fields is not None and isinstance(part, str) and part in fields:
            return fields[part].annotation
        origin = typing.get_origin(candidate)
        args = typing.get_args(candidate)
        if origin is dict and isinstance(part, str):
            return args[1]
        if origin is list and isinstance(part, int):
            return args[0]
    return None


def _unwrap(tp: Any) -> list[Any]:
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(tp)[0])
    if origin in (typing.Union, types.UnionType):
        return [t for a in typing.get_args(tp) for t in _unwrap(a)]
    return [tp]
