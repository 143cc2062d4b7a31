"""Put rendered text where the user asked: stdout, a file replaced atomically, or a device.

What happens depends on what the target is:

* ``-``, ``/dev/stdout`` or no target: standard output.
* ``/dev/stderr``, ``/dev/fd/N``, ``/proc/self/fd/N``: that open descriptor, written at its
  current offset, as a shell redirection to those names would (so
  ``{ echo head; salesplan plan P -o /dev/fd/3; } 3>out`` keeps the head).
* A regular file, or a path where nothing is: replaced atomically.  The text goes to a
  temporary file beside the target, is flushed to disk and renamed over it, so a reader
  never sees half a report, and a failed write (an error, Ctrl-C or SIGTERM) leaves the old
  file as it was and no temporary file behind.  Nothing of the old file (mode, owner) is
  kept: the new file gets the usual mode.
* Anything else that exists (a character device such as ``/dev/null``, a terminal, a
  FIFO): opened for writing and written through in place, never renamed over, so
  ``-o /dev/null`` leaves the device a device.  A socket cannot be opened and is refused.
* A symbolic link is followed: what it points at is written by the rules above (a regular
  file replaced atomically, with the temporary file beside that file; a device written
  through) and the link stays a link.  A dangling link is followed too: the file it names
  is created, as the shell's ``>`` would, provided its directory exists.

Text is written as UTF-8; bytes (an XLSX workbook) as they are, to standard output too
(through its binary buffer).

Every failure raises :class:`OutputError` with a one-line message for the user.  A reader
that went away (EPIPE: ``salesplan plan P | head -1``, or a FIFO's reader closing) raises
its subclass :class:`BrokenPipe`, on which the CLI should end without a message, as
``cat`` does.  A write the target accepted but could not finish (a full disk or device, a
quota, an I/O error) raises the subclass :class:`WriteFailed`: the target was right, the
machine was not, so the CLI does not call it a usage error.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import signal
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import FrameType
from typing import TextIO

STDOUT_TARGETS = frozenset({"-", "/dev/stdout"})

STDOUT_NAME = "standard output"

# Names of this process's open descriptors, written to as the descriptor itself.
_DESCRIPTOR = re.compile(r"/dev/fd/(\d+)|/proc/self/fd/(\d+)")
_STDERR_TARGET = "/dev/stderr"


class OutputError(Exception):
    """The output cannot be written; the message is one line for the user."""


class BrokenPipe(OutputError):
    """The reader of the output went away (EPIPE); the CLI ends quietly on this one."""


class WriteFailed(OutputError):
    """The target took the write but the machine could not finish it (disk full, I/O error)."""


# Failures of the machine rather than of the target the user named.
_MACHINE_ERRNOS = frozenset(
    code
    for code in (errno.ENOSPC, errno.EIO, errno.EFBIG, getattr(errno, "EDQUOT", None))
    if code is not None
)


def _error(where: str, error: OSError) -> OutputError:
    """Return the OutputError (BrokenPipe for EPIPE, WriteFailed for a full disk or an I/O
    error) for a failure writing to ``where``."""
    kind = (
        BrokenPipe
        if error.errno == errno.EPIPE
        else WriteFailed
        if error.errno in _MACHINE_ERRNOS
        else OutputError
    )
    return kind(f"cannot write {where}: {error.strerror or error}")


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


def _write_all(fd: int, data: bytes) -> None:
    """Write every byte to a descriptor (os.write may write only part)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _descriptor(target: str) -> int | None:
    """Return the descriptor number a target names (``/dev/fd/3``), else None."""
    if target == _STDERR_TARGET:
        return 2
    match = _DESCRIPTOR.fullmatch(target)
    return int(match.group(1) or match.group(2)) if match else None


def _write_stream(data: str | bytes, stream: TextIO) -> None:
    """Write text or bytes to standard output, a failure as one OutputError line."""
    try:
        if isinstance(data, str):
            stream.write(data)
        else:
            # Text already written must come first; then the bytes go under the text layer.
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        stream.flush()
    except OSError as error:
        raise _error(f"to {STDOUT_NAME}", error) from error


def _write_through(data: bytes, target: str) -> None:
    """Write to an existing non-regular file (device, FIFO) in place, never replacing it."""
    # No O_CREAT: what was found must still be there; no O_TRUNC: a device is not a file.
    # O_NOCTTY: writing to a terminal must not make it this process's controlling terminal.
    flags = os.O_WRONLY | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(target, flags)
        try:
            _write_all(fd, data)
        finally:
            os.close(fd)
    except OSError as error:
        raise _error(target, error) from error


def _terminate(signum: int, frame: FrameType | None) -> None:
    """Turn a termination signal into SystemExit so that cleanup code runs."""
    raise SystemExit(128 + signum)


@contextlib.contextmanager
def _exit_on_sigterm() -> Iterator[None]:
    """Make SIGTERM raise SystemExit while the block runs, then restore the old handler."""
    # Only the default action (die at once, skipping every cleanup) is replaced: a handler
    # the program set decides for itself, and an ignored SIGTERM leaves nothing behind.
    installed = False
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        with contextlib.suppress(ValueError):  # only the main thread may set a handler
            signal.signal(signal.SIGTERM, _terminate)
            installed = True
    try:
        yield
    finally:
        if installed:
            signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _replace(data: bytes, target: str, path: Path) -> None:
    """Replace the regular file ``path`` (or create it) atomically; ``target`` names it."""
    directory = path.parent
    if not directory.is_dir():
        raise OutputError(f"cannot write {target}: directory {directory} does not exist")
    with _exit_on_sigterm():
        try:
            tmp = tempfile.NamedTemporaryFile(  # noqa: SIM115 - closed before the rename
                dir=directory, prefix=f".{path.name}.", suffix=".tmp", delete=False
            )
        except OSError as error:
            raise _error(target, error) from error
        try:
            with tmp:
                tmp.write(data)
                tmp.flush()
                os.fsync(tmp.fileno())
                if hasattr(os, "fchmod"):
                    os.fchmod(tmp.fileno(), _default_mode())
            os.replace(tmp.name, path)
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(tmp.name)
            if isinstance(error, OSError):
                raise _error(target, error) from error
            raise
    _fsync_directory(directory)


def write_output(text: str | bytes, target: str | None, *, stdout: TextIO) -> None:
    """Write text (as UTF-8) or bytes to stdout (target None, ``-`` or ``/dev/stdout``) or to
    the target."""
    if target is None or target in STDOUT_TARGETS:
        _write_stream(text, stdout)
        return
    data = text.encode("utf-8") if isinstance(text, str) else text
    fd = _descriptor(target)
    if fd is not None:
        try:
            _write_all(fd, data)
        except OSError as error:
            raise _error(target, error) from error
        return
    try:
        mode: int | None = os.stat(target).st_mode  # follows symbolic links
    except FileNotFoundError:
        mode = None  # nothing there, or a dangling link: the file will be created
    except OSError as error:  # a loop of links, a file used as a directory, no access
        raise _error(target, error) from error
    if mode is None or stat.S_ISREG(mode):
        # Through a link, replace the file it points at: the link stays a link, and the
        # temporary file is made beside that file, on the file system of the rename.
        real = os.path.realpath(target) if os.path.islink(target) else target
        _replace(data, target, Path(real))
    elif stat.S_ISDIR(mode):
        raise OutputError(f"cannot write {target}: it is a directory")
    elif stat.S_ISSOCK(mode):
        raise OutputError(f"cannot write {target}: it is a socket")
    else:
        _write_through(data, target)
