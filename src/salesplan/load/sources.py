"""Where a plan's data comes from: its file and the chain of plans it ``extends``.

The plans an ``extends`` chain names are merged into one mapping that remembers which file
set each value, so a problem points at the line that causes it, in whichever file holds it.

What ``extends`` may name, since whoever writes a plan chooses the file and whoever runs
``check`` (a CI job) shows its messages: a ``.yaml`` or ``.yml`` file (after following
symbolic links), a regular file of at most :data:`~salesplan.load.yamlread.MAX_BYTES`, whose
top level is a plan's (a mapping of the plan's own top-level keys).  Anything else is
refused at the ``extends:`` line (SP214) by its path alone.  A file it names is read
quietly: no message quotes its text (see :mod:`salesplan.load.yamlread`).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from salesplan.load.yamlread import MAX_BYTES, Doc, read_bytes, read_yaml
from salesplan.problems import Location, Problem
from salesplan.problems.codes import problem

KeyPath = tuple[str | int, ...]

MAX_EXTENDS_DEPTH = 8
YAML_SUFFIXES = (".yaml", ".yml")

# Where the plans an ``extends`` chain names are read from: a path in, the file's parsed
# document (or None and the problems) out, or why the file cannot be built on (said at the
# ``extends:`` line, naming the file by its path only).  The default reads the working tree;
# ``salesplan diff REV:path`` reads the same revision.
ReadPlan = Callable[[str], tuple[Doc | None, list[Problem]] | str]


def is_yaml_name(path: str) -> bool:
    """Return whether a path names a YAML file by its suffix.

    >>> is_yaml_name("base.yaml"), is_yaml_name("a/B.YML"), is_yaml_name("/etc/shadow")
    (True, True, False)
    """
    return os.path.splitext(path)[1].lower() in YAML_SUFFIXES


def read_working_tree(path: str) -> tuple[Doc | None, list[Problem]] | str:
    """Read a plan another extends from disk, quietly; or say why it cannot be one."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return f"no plan file at {path}"
    except (OSError, ValueError) as err:
        return f"cannot read {path} ({err.strerror if isinstance(err, OSError) else err})"
    # A link named base.yaml may point anywhere: what it points at must be YAML too.
    if not is_yaml_name(os.path.realpath(path)):
        return f"{path} links to a file that is not .yaml or .yml"
    if stat.S_ISDIR(mode):
        return f"{path} is a directory, not a plan file"
    if not stat.S_ISREG(mode):
        return f"{path} is not a regular file"
    raw = read_bytes(path)  # checks again once open: the file may have changed since
    if isinstance(raw, str):
        return f"cannot read {path} ({raw})"
    if len(raw) > MAX_BYTES:
        return f"{path} is larger than {MAX_BYTES:,} bytes, too large for a plan"
    return read_yaml(path, raw, quiet=True)


@dataclass(frozen=True)
class Source:
    """Plan data merged along its ``extends`` chain, knowing which file set each value."""

    data: Any
    root: Doc
    origins: Mapping[KeyPath, Doc] = field(default_factory=dict)

    def origin(self, path: KeyPath) -> Doc:
        """Return the file that set the value at ``path`` (or its nearest ancestor)."""
        for n in range(len(path), -1, -1):
            doc = self.origins.get(tuple(path[:n]))
            if doc is not None:
                return doc
        return self.root

    def where(self, path: KeyPath, *, key: bool = False) -> Location:
        """Return the location of the value (or key) at ``path`` in the file that set it."""
        return self.origin(path).where(path, key=key)

    def quotable(self, path: KeyPath) -> bool:
        """Return whether a message may quote the text at ``path``: only the checked plan's
        own text, never that of a file it extends."""
        return self.origin(path) is self.root


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
    if not is_yaml_name(base_ref):
        msg = f"extends: {base_ref!r} is not a .yaml or .yml file; a plan builds only on a plan"
        return None, [problem("SP214", at, msg)]
    base_path = os.path.normpath(os.path.join(os.path.dirname(path), base_ref))
    if os.path.abspath(base_path) in seen:
        return None, [problem("SP214", at, f"extends: {base_ref!r} makes a cycle")]
    if depth + 1 > MAX_EXTENDS_DEPTH:
        return None, [problem("SP214", at, f"extends: deeper than {MAX_EXTENDS_DEPTH} files")]
    found = read(base_path)
    if isinstance(found, str):
        return None, [problem("SP214", at, f"extends: {found}")]
    base_doc, problems = found
    if base_doc is None:
        return None, problems
    if not _plan_shaped(base_doc.data):
        # Whatever it holds (a token, a password file) stays out of every message.
        return None, [problem("SP214", at, f"extends: {base_path} is not a plan file")]
    base, more = _extend(base_doc, base_path, (*seen, os.path.abspath(base_path)), depth + 1, read)
    problems = problems + more
    if base is None:
        return None, problems
    origins = dict(base.origins)
    merged = merge(base.data, data, (), doc, origins)
    if isinstance(merged, dict):
        merged.pop("extends", None)
    return Source(merged, doc, origins), problems


def _plan_shaped(data: Any) -> bool:
    """Return whether data's top level is a plan's: a mapping of the plan's top-level keys."""
    from salesplan.load.schema import Plan  # pydantic loads only when a plan extends another

    return isinstance(data, dict) and all(key in Plan.model_fields for key in data)


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
