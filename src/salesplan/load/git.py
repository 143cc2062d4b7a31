"""Plans at a git revision: ``REV:path`` names the file at revision REV, read with ``git show``.

``git show`` runs in the file's directory, so ``origin/main:configs/plan.yaml`` works in CI
from anywhere; the plans a revision's file ``extends:`` are read at the same revision, so a
scenario diffed against the base branch sees the base plan as it was there too.
"""

from __future__ import annotations

import os
import subprocess

from salesplan.load.sources import ReadPlan
from salesplan.load.yamlread import MAX_BYTES, Doc, read_yaml
from salesplan.problems import Problem

GIT_TIMEOUT_SECONDS = 30


class SourceError(Exception):
    """A plan named on the command line cannot be read at all (no such file, no such git
    revision): a usage error."""


def spec_path(spec: str) -> str:
    """Return the path a plan named as a file or ``REV:path`` has in the working tree.

    >>> spec_path("origin/main:configs/plan.yaml"), spec_path("no-revision.yaml")
    ('configs/plan.yaml', 'no-revision.yaml')
    """
    if os.path.isfile(spec) or ":" not in spec:
        return spec
    return spec.split(":", 1)[1]


def read_spec(spec: str) -> tuple[str, bytes | None]:
    """Return (path, text) for a plan named as a file or ``REV:path``: ``text`` is None for a
    working-tree file.

    ``spec`` is a path if such a file exists, else ``REV:path``.
    """
    if os.path.isfile(spec):
        return spec, None
    if ":" not in spec:
        raise SourceError(f"no such file: {spec}")
    rev, path = spec.split(":", 1)
    if not rev or not path:
        raise SourceError(f"{spec!r} is neither a file nor REV:path")
    if rev.startswith("-"):
        # git would read it as an option (--output=... writes files): never pass one through.
        raise SourceError(f"{spec!r}: a revision cannot start with '-'")
    return path, git_show(rev, path)


def git_show(rev: str, path: str) -> bytes:
    """Return the bytes of ``path`` at git revision ``rev``, run in the file's directory."""
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        raise SourceError(f"{rev}:{path}: no directory {directory} to run git in")
    # "./name" makes git resolve the path from the directory, not the repository's root.
    target = f"{rev}:./{os.path.basename(path)}"
    try:
        done = subprocess.run(
            ["git", "-C", directory, "show", target],
            capture_output=True,
            timeout=GIT_TIMEOUT_SECONDS,
            check=False,
        )
    except FileNotFoundError:
        raise SourceError("git is not installed (needed for REV:path)") from None
    except subprocess.TimeoutExpired:
        raise SourceError(f"git show {rev}:{path} took over {GIT_TIMEOUT_SECONDS}s") from None
    if done.returncode != 0:
        reason = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise SourceError(f"git show {rev}:{path} failed: {reason[-1] if reason else 'no output'}")
    return done.stdout


def at_revision(rev: str) -> ReadPlan:
    """Return a reader, quiet as the working tree's, of the plans others extend at ``rev``."""

    def read(path: str) -> tuple[Doc | None, list[Problem]] | str:
        try:
            raw = git_show(rev, path)
        except SourceError:
            return f"no plan file at {path} in {rev}"
        if len(raw) > MAX_BYTES:
            return f"{path} is larger than {MAX_BYTES:,} bytes, too large for a plan"
        return read_yaml(path, raw, quiet=True)

    return read
