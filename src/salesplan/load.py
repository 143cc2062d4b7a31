"""Load a plan file: bounded YAML, ``extends`` chains, the typed schema, then cross-references.

Every problem found on the way is returned, located in the file that holds the offending
line; the loader never prints and never exits.
"""

from __future__ import annotations

import difflib
import os
import types
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from salesplan.codes import problem
from salesplan.problems import Location, Problem, has_errors
from salesplan.yamlread import Doc, read_yaml, read_yaml_file

KeyPath = tuple[str | int, ...]

MAX_EXTENDS_DEPTH = 8

# Where the plans an ``extends`` chain names are read from: a path in, the file's parsed
# document (or None and the problems) out, or None when there is no such file.  The default
# reads the working tree; ``salesplan diff REV:path`` reads the same revision.
ReadPlan = Callable[[str], tuple[Doc | None, list[Problem]] | None]


def read_working_tree(path: str) -> tuple[Doc | None, list[Problem]] | None:
    """Read a plan file from disk; None when there is no such file."""
    if not os.path.isfile(path):
        return None
    return read_yaml_file(path)


@dataclass(frozen=True)
class Source:
    """Plan data merged along its ``extends`` chain, knowing which file set each value."""

    data: Any
    root: Doc
    origins: Mapping[KeyPath, Doc] = field(default_factory=dict)

    def where(self, path: KeyPath, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``path`` in the file that set it."""
        for n in range(len(path), -1, -1):
            doc = self.origins.get(tuple(path[:n]))
            if doc is not None:
                return doc.where(path, key=key)
        return self.root.where(path, key=key)


@dataclass(frozen=True)
class LoadedPlan:
    """A plan that passed the schema and reference checks, with where each value came from."""

    path: str
    plan: Any  # salesplan.schema.Plan (imported lazily: pydantic is slow to import)
    source: Source

    def where(self, path: KeyPath, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``path``."""
        return self.source.where(path, key=key)


def load_plan(path: str) -> tuple[LoadedPlan | None, list[Problem]]:
    """Load, merge, validate and cross-check one plan file."""
    doc, problems = read_yaml_file(path)
    return _load_doc(path, doc, problems, read_working_tree)


def load_plan_text(
    path: str, text: str | bytes, read: ReadPlan = read_working_tree
) -> tuple[LoadedPlan | None, list[Problem]]:
    """Load a plan from text (``path`` names it in messages and resolves ``extends``).

    ``read`` reads the plans it extends (by default from the working tree).
    """
    raw = text.encode("utf-8") if isinstance(text, str) else text
    doc, problems = read_yaml(path, raw)
    return _load_doc(path, doc, problems, read)


def _load_doc(
    path: str, doc: Doc | None, problems: list[Problem], read: ReadPlan
) -> tuple[LoadedPlan | None, list[Problem]]:
    """Merge a read document along its ``extends`` chain, then validate it."""
    if doc is None:
        return None, problems
    source, more = _extend(doc, path, (os.path.abspath(path),), 0, read)
    problems += more
    if source is None:
        return None, problems
    return _validate_source(path, source, problems)


def _validate_source(
    path: str, source: Source, problems: list[Problem]
) -> tuple[LoadedPlan | None, list[Problem]]:
    from salesplan.validate import repaired_plan, schema_problems, validate_plan

    if not isinstance(source.data, dict):
        problems.append(problem("SP200", source.where(()), "the plan must be a mapping of keys"))
        return None, problems
    plan, schema_errs = schema_problems(source)
    problems += schema_errs
    left_out: set[str] = set()
    if plan is None:
        # Look for the other problems too (references, uncertain values' bounds) in a copy
        # repaired past the schema errors, when they allow it: one pass finds them all.
        plan, moved = repaired_plan(source)
        if plan is None:
            return None, problems
        if moved:
            left_out.add("SP211")  # a sum of shares over moved values would misquote it
    loaded = LoadedPlan(path, plan, source)
    seen = {(str(p.location), p.code) for p in problems}
    problems += [
        p
        for p in validate_plan(loaded)
        if p.code not in left_out and (str(p.location), p.code) not in seen
    ]
    # Errors from reading (a duplicate key), the schema or the cross-checks: no plan.
    if has_errors(problems):
        return None, problems
    return loaded, problems


def _extend(
    doc: Doc, path: str, seen: tuple[str, ...], depth: int, read: ReadPlan
) -> tuple[Source | None, list[Problem]]:
    """Merge ``doc`` over the plan it extends, if any."""
    data = doc.data
    own = Source(data, doc, {(): doc})
    if not isinstance(data, dict) or data.get("extends") is None:
        return own, []
    base_ref = data["extends"]
    at = doc.where(("extends",))
    if not isinstance(base_ref, str) or not base_ref:
        return None, [problem("SP214", at, "extends: expected the path of a plan file")]
    base_path = os.path.normpath(os.path.join(os.path.dirname(path), base_ref))
    if os.path.abspath(base_path) in seen:
        return None, [problem("SP214", at, f"extends: {base_ref!r} makes a cycle")]
    if depth + 1 > MAX_EXTENDS_DEPTH:
        return None, [problem("SP214", at, f"extends: deeper than {MAX_EXTENDS_DEPTH} files")]
    found = read(base_path)
    if found is None:
        return None, [problem("SP214", at, f"extends: no plan file at {base_path}")]
    base_doc, problems = found
    if base_doc is None:
        return None, problems
    base, more = _extend(base_doc, base_path, (*seen, os.path.abspath(base_path)), depth + 1, read)
    problems = problems + more
    if base is None:
        return None, problems
    origins = dict(base.origins)
    merged = merge(base.data, data, (), doc, origins)
    if isinstance(merged, dict):
        merged.pop("extends", None)
    return Source(merged, doc, origins), problems


def merge(base: Any, over: Any, path: KeyPath, doc: Doc, origins: dict[KeyPath, Doc]) -> Any:
    """Overlay ``over`` on ``base``: mappings merge key by key (``null`` deletes a key), lists
    of named mappings merge by ``name``, other lists of mappings by position; anything else
    is replaced.  ``origins`` records which file set each merged path."""
    if isinstance(base, dict) and isinstance(over, dict):
        out = dict(base)
        for k, v in over.items():
            if v is None and k in out:
                del out[k]
                continue
            out[k] = merge(base.get(k), v, (*path, k), doc, origins)
        return out
    if (
        isinstance(base, list)
        and isinstance(over, list)
        and all(isinstance(x, dict) for x in base + over)
        and base
    ):
        named = all("name" in x for x in base + over)
        items = list(base)
        for i, v in enumerate(over):
            j = (
                next((n for n, b in enumerate(items) if b["name"] == v["name"]), None)
                if named
                else i
            )
            if j is None or j >= len(items):
                items.append(merge(None, v, (*path, len(items)), doc, origins))
            else:
                items[j] = merge(items[j], v, (*path, j), doc, origins)
        return items
    origins[path] = doc
    return over


# -- schema error mapping -------------------------------------------------------------------


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


def did_you_mean(word: str, choices: list[str]) -> str:
    """Return ' (did you mean 'x'?)' when a close choice exists, else ''."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""
