"""Put rendered text where the user asked: stdout, or a file replaced atomically.

A file is written to a temporary file beside it, flushed to disk and then renamed over the
target, so a reader never sees half a report and a failed write leaves the old file as it
was.  Nothing of the old file (mode, owner) is kept: the new file gets the usual mode.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path
from typing import TextIO

STDOUT_TARGETS = frozenset({"-"})


class OutputError(Exception):
    """The output file cannot be written; the message is one line for the user."""


def _default_mode() -> int:
    """Return the mode a new file gets under the current umask."""
    # os.umask can only be read by setting it; put it straight back.
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def _fsync_directory(directory: Path) -> None:
    """Flush a rename to disk where the platform allows it (best effort)."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_output(text: str, target: str | None, *, stdout: TextIO) -> None:
    """Write text to stdout (target None or ``-``) or atomically to the target file."""
    if target is None or target in STDOUT_TARGETS:
        stdout.write(text)
        stdout.flush()
        return
    path = Path(target)
    directory = path.parent
    if not directory.is_dir():
        raise OutputError(f"cannot write {target}: directory {directory} does not exist")
    if path.is_dir():
        raise OutputError(f"cannot write {target}: it is a directory")
    try:
        tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before the rename
            dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
        )
    except OSError as error:
        raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
    try:
        with tmp:
            tmp.write(text.encode("utf-8"))
            tmp.flush()
            os.fsync(tmp.fileno())
            if hasattr(os, "fchmod"):
                os.fchmod(tmp.fileno(), _default_mode())
        os.replace(tmp.name, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(tmp.name)
        if isinstance(error, OSError):
            raise OutputError(f"cannot write {target}: {error.strerror or error}") from error
        raise
    _fsync_directory(directory)
