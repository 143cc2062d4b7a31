"""Where a plan's data comes from: its file and the chain of plans it ``extends``.

The plans an ``extends`` chain names are merged into one mapping that remembers which file
set each value, so a problem points at the line that causes it, in whichever file holds it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from salesplan.load.yamlread import Doc, read_yaml_file
from salesplan.problems import Location, Problem
from salesplan.problems.codes import problem

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


def merged_source(doc: Doc, path: str, read: ReadPlan) -> tuple[Source | None, list[Problem]]:
    """Merge a read plan over the chain of plans it ``extends`` (None and why if it cannot)."""
    return _extend(doc, path, (os.path.abspath(path),), 0, read)


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
