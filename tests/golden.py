"""Compare text with a golden file; ``SALESPLAN_UPDATE_GOLDEN=1`` rewrites the file instead.

Golden files are read and written as exact UTF-8 bytes: a BOM, ``\\r`` or a missing final
newline all count as differences.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path

import pytest

UPDATE_ENV = "SALESPLAN_UPDATE_GOLDEN"


def assert_golden(actual: str, path: Path) -> None:
    """Assert that ``actual`` equals the golden file, showing a unified diff if not."""
    if os.environ.get(UPDATE_ENV) == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"golden file {path} is missing; run with {UPDATE_ENV}=1 to create it")
    expected = path.read_bytes().decode("utf-8")
    if actual == expected:
        return
    diff = "".join(
        difflib.unified_diff(
            expected.splitlines(keepends=True),
            actual.splitlines(keepends=True),
            fromfile=f"{path} (golden)",
            tofile="actual",
        )
    )
    if not diff.strip() or expected.split() == actual.split():
        diff += f"\n(only whitespace or line ends differ)\nexpected={expected!r}\nactual={actual!r}"
    pytest.fail(
        f"output differs from {path}; rerun with {UPDATE_ENV}=1 to accept it\n{diff}",
        pytrace=False,
    )


def files_text(directory: Path) -> str:
    """Return the files of a directory as one text, each after a ``==> NAME <==`` line as
    ``tail`` prints several files, in name order: one golden for what ``-o DIR/`` writes."""
    parts = []
    for path in sorted(directory.iterdir()):
        parts.append(f"==> {path.name} <==\n{path.read_bytes().decode('utf-8')}")
    return "\n".join(parts)
