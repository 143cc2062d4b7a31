"""Output: stdout for ``-``, atomic replacement of files, clear errors, SIGTERM cleanup."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import signal
import threading
from pathlib import Path

import pytest

from salesplan.render import output
from salesplan.render.output import BrokenPipe, OutputError, WriteFailed, write_output


def test_stdout_targets() -> None:
    for target in (None, "-"):
        out = io.StringIO()
        write_output("café\n", target, stdout=out)
        assert out.getvalue() == "café\n"


def test_writes_utf8_file(tmp_path: Path) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old\n")
    write_output("\ufeffa;b\n1,5;€\n", str(target), stdout=io.StringIO())
    assert target.read_bytes() == "\ufeffa;b\n1,5;€\n".encode()
    assert os.listdir(tmp_path) == ["plan.csv"]


def test_bytes_are_written_as_they_are(tmp_path: Path) -> None:
    data = b"PK\x03\x04\xff\x00"
    write_output(data, str(tmp_path / "plan.xlsx"), stdout=io.StringIO())
    assert (tmp_path / "plan.xlsx").read_bytes() == data


def test_bytes_to_stdout_go_under_the_text_after_what_was_written() -> None:
    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="utf-8")
    stream.write("text first\n")  # still buffered in the text layer
    write_output(b"\x00\xff", None, stdout=stream)
    assert raw.getvalue() == b"text first\n\x00\xff"


def test_new_file_mode_follows_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        write_output("x", str(tmp_path / "new.txt"), stdout=io.StringIO())
    finally:
        os.umask(old)
    assert (tmp_path / "new.txt").stat().st_mode & 0o777 == 0o644


def test_failed_replace_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.json"
    target.write_text("old\n")

    def broken_replace(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken_replace)
    with pytest.raises(OutputError, match="No space left on device"):
        write_output("new\n", str(target), stdout=io.StringIO())
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["plan.json"]


def test_failed_write_leaves_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "plan.md"
    target.write_text("old\n")

    def broken_fsync(fd: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "fsync", broken_fsync)
    with pytest.raises(KeyboardInterrupt):
        write_output("new\n", str(target), stdout=io.StringIO())
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["plan.md"]


def test_missing_directory(tmp_path: Path) -> None:
    target = tmp_path / "nowhere" / "plan.csv"
    with pytest.raises(OutputError, match="does not exist") as caught:
        write_output("x", str(target), stdout=io.StringIO())
    assert "\n" not in str(caught.value)


def test_target_is_a_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        write_output("x", str(tmp_path), stdout=io.StringIO())


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_unwritable_directory(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    with pytest.raises(OutputError, match="cannot write"):
        write_output("x", str(locked / "plan.csv"), stdout=io.StringIO())


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(output.tempfile, "NamedTemporaryFile", refuse)
    with pytest.raises(OutputError, match=r"cannot write .*plan.csv: Permission denied$"):
        write_output("x", str(tmp_path / "plan.csv"), stdout=io.StringIO())


class _FailingStream(io.StringIO):
    """A stdout whose writes fail with one OSError (a full disk, a closed pipe)."""

    def __init__(self, error: OSError, *, on_flush: bool = False) -> None:
        super().__init__()
        self.error = error
        self.on_flush = on_flush

    def write(self, text: str) -> int:
        if not self.on_flush:
            raise self.error
        return super().write(text)

    def flush(self) -> None:
        if self.on_flush:
            raise self.error


@pytest.mark.parametrize("on_flush", [False, True])
def test_full_stdout_is_one_line(on_flush: bool) -> None:
    stream = _FailingStream(OSError(errno.ENOSPC, "No space left on device"), on_flush=on_flush)
    with pytest.raises(OutputError) as caught:
        write_output("x\n", None, stdout=stream)
    assert str(caught.value) == "cannot write to standard output: No space left on device"
    assert isinstance(caught.value, WriteFailed)  # the machine's failure, not the target's


@pytest.mark.parametrize("on_flush", [False, True])
def test_broken_pipe_on_stdout_is_its_own_error(on_flush: bool) -> None:
    stream = _FailingStream(BrokenPipeError(errno.EPIPE, "Broken pipe"), on_flush=on_flush)
    with pytest.raises(BrokenPipe, match=r"^cannot write to standard output: Broken pipe$"):
        write_output("x\n", "-", stdout=stream)


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
def test_real_full_device_as_stdout() -> None:
    with open("/dev/full", "w") as full:  # a buffered text stream, as sys.stdout is
        with pytest.raises(OutputError, match=r"^cannot write to standard output: No space"):
            write_output("x" * 100_000, None, stdout=full)
        # What failed to flush is still buffered; closing would raise it again.
        with contextlib.suppress(OSError):
            full.close()


def test_broken_pipe_to_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # A reader that opens and closes at once: the writer gets EPIPE, not a signal (Python
    # ignores SIGPIPE).
    reader = threading.Thread(target=lambda: open(fifo, "rb").close(), daemon=True)
    reader.start()
    with pytest.raises(BrokenPipe, match=r"pipe: Broken pipe$"):
        write_output("x" * 1_000_000, str(fifo), stdout=io.StringIO())
    reader.join(timeout=10)


def test_sigterm_during_the_write_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "plan.csv"
    target.write_text("old\n")
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        pytest.skip("the test runner handles SIGTERM itself")

    def terminated(fd: int) -> None:
        # Without a handler, SIGTERM would end pytest itself: fail instead.
        assert signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL, "no SIGTERM handler"
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(output.os, "fsync", terminated)
    with pytest.raises(SystemExit) as caught:
        write_output("new\n", str(target), stdout=io.StringIO())
    assert caught.value.code == 128 + signal.SIGTERM
    assert target.read_text() == "old\n"
    assert os.listdir(tmp_path) == ["plan.csv"]
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # restored


def test_sigterm_handler_is_only_set_for_the_write(tmp_path: Path) -> None:
    seen: list[object] = []

    def record(fd: int) -> None:
        seen.append(signal.getsignal(signal.SIGTERM))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(output.os, "fsync", record)
        write_output("x", str(tmp_path / "a.txt"), stdout=io.StringIO())
    assert seen and seen[0] not in (signal.SIG_DFL, signal.SIG_IGN, None)
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL


def test_a_programs_own_sigterm_handler_is_left_alone(tmp_path: Path) -> None:
    def own(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, own)
    try:
        seen: list[object] = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(
                output.os, "fsync", lambda fd: seen.append(signal.getsignal(signal.SIGTERM))
            )
            write_output("x", str(tmp_path / "a.txt"), stdout=io.StringIO())
        assert seen and all(handler is own for handler in seen)
        assert signal.getsignal(signal.SIGTERM) is own
    finally:
        signal.signal(signal.SIGTERM, previous)


def test_write_from_another_thread(tmp_path: Path) -> None:
    # Only the main thread may set signal handlers; a worker thread still writes.
    errors: list[BaseException] = []

    def work() -> None:
        try:
            write_output("x", str(tmp_path / "a.txt"), stdout=io.StringIO())
        except BaseException as error:  # pragma: no cover - reported below
            errors.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join()
    assert errors == [] and (tmp_path / "a.txt").read_text() == "x"
