"""Output targets that are not plain files: FIFOs, devices, sockets, symbolic links."""

from __future__ import annotations

import io
import os
import socket
import stat
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from salesplan.render import output
from salesplan.render.output import OutputError, write_output


@pytest.fixture
def no_rename(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail, instead of renaming, if the write tries to rename anything over its target.

    A system device such as /dev/null must never be renamed over (as root that would
    replace the real node for every program); this guard turns a regression into a test
    failure rather than a broken machine.
    """

    def refuse(src: object, dst: object) -> None:
        raise AssertionError(f"renamed {src} over {dst}")

    monkeypatch.setattr(output.os, "replace", refuse)
    monkeypatch.setattr(output.os, "rename", refuse)
    yield


def _read_in_thread(path: Path) -> tuple[threading.Thread, list[bytes]]:
    """Start a thread that opens ``path`` for reading and reads it to the end."""
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as fifo:
            got.append(fifo.read())

    # A daemon: if the FIFO is never opened for writing, the thread must not hang pytest.
    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread, got


def test_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    thread, got = _read_in_thread(fifo)
    write_output("café\n", str(fifo), stdout=io.StringIO())
    thread.join(timeout=10)
    assert not thread.is_alive(), "nobody wrote to the FIFO"
    assert got == ["café\n".encode()]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert os.listdir(tmp_path) == ["pipe"]


def test_private_character_device(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # Linux's /dev/null numbers
    except (OSError, AttributeError) as error:
        pytest.skip(f"cannot make a device node here: {error}")
    write_output("x\n", str(node), stdout=io.StringIO())
    assert stat.S_ISCHR(os.lstat(node).st_mode)
    assert os.listdir(tmp_path) == ["null"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
@pytest.mark.usefixtures("no_rename")
def test_dev_null_stays_a_character_device() -> None:
    before = os.stat("/dev/null")
    write_output("x\n", "/dev/null", stdout=io.StringIO())
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode)
    assert (after.st_ino, after.st_rdev) == (before.st_ino, before.st_rdev)
    assert not [name for name in os.listdir("/dev") if name.startswith(".null.")]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full")
@pytest.mark.usefixtures("no_rename")
def test_dev_full_as_target_is_a_clear_error() -> None:
    with pytest.raises(OutputError, match=r"^cannot write /dev/full: No space left on device$"):
        write_output("x\n", "/dev/full", stdout=io.StringIO())
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


def test_socket_is_refused_not_replaced(tmp_path: Path) -> None:
    path = tmp_path / "sock"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        with pytest.raises(OutputError, match=r"sock: it is a socket$"):
            write_output("x\n", str(path), stdout=io.StringIO())
        assert stat.S_ISSOCK(os.lstat(path).st_mode)
    assert os.listdir(tmp_path) == ["sock"]


def test_symlink_stays_a_link_and_its_file_is_replaced(tmp_path: Path) -> None:
    real = tmp_path / "real.csv"
    real.write_text("old\n")
    link = tmp_path / "latest.csv"
    link.symlink_to("real.csv")
    inode = real.stat().st_ino
    write_output("new\n", str(link), stdout=io.StringIO())
    assert link.is_symlink() and os.readlink(link) == "real.csv"
    assert real.read_text() == "new\n"
    assert real.stat().st_ino != inode  # replaced atomically, not rewritten in place
    assert sorted(os.listdir(tmp_path)) == ["latest.csv", "real.csv"]


def test_symlink_into_another_directory(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    real = tmp_path / "b" / "plan.md"
    real.write_text("old\n")
    link = tmp_path / "a" / "plan.md"
    link.symlink_to("../b/plan.md")
    write_output("new\n", str(link), stdout=io.StringIO())
    assert link.is_symlink() and real.read_text() == "new\n"
    # The temporary file was made beside the real file (one file system for the rename).
    assert os.listdir(tmp_path / "a") == ["plan.md"]
    assert os.listdir(tmp_path / "b") == ["plan.md"]


def test_chain_of_symlinks(tmp_path: Path) -> None:
    real = tmp_path / "real.json"
    real.write_text("old\n")
    (tmp_path / "one").symlink_to("real.json")
    (tmp_path / "two").symlink_to("one")
    write_output("new\n", str(tmp_path / "two"), stdout=io.StringIO())
    assert (tmp_path / "one").is_symlink() and (tmp_path / "two").is_symlink()
    assert real.read_text() == "new\n"


def test_symlink_to_a_fifo_is_written_through(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to("pipe")
    thread, got = _read_in_thread(fifo)
    write_output("x\n", str(link), stdout=io.StringIO())
    thread.join(timeout=10)
    assert got == [b"x\n"]
    assert link.is_symlink() and stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_dangling_symlink_creates_the_file_it_names(tmp_path: Path) -> None:
    link = tmp_path / "latest.csv"
    link.symlink_to("reports/q1.csv")
    (tmp_path / "reports").mkdir()
    write_output("new\n", str(link), stdout=io.StringIO())
    assert link.is_symlink() and os.readlink(link) == "reports/q1.csv"
    assert (tmp_path / "reports" / "q1.csv").read_text() == "new\n"
    assert os.listdir(tmp_path / "reports") == ["q1.csv"]


def test_dangling_symlink_into_a_missing_directory(tmp_path: Path) -> None:
    link = tmp_path / "latest.csv"
    link.symlink_to("nowhere/q1.csv")
    with pytest.raises(OutputError, match=r"nowhere does not exist$"):
        write_output("new\n", str(link), stdout=io.StringIO())
    assert link.is_symlink() and os.listdir(tmp_path) == ["latest.csv"]


def test_symlink_loop(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    with pytest.raises(OutputError, match=r"cannot write .*a: Too many levels of symbolic links"):
        write_output("x", str(tmp_path / "a"), stdout=io.StringIO())
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["a", "b"]


def test_symlink_to_a_directory(tmp_path: Path) -> None:
    (tmp_path / "dir").mkdir()
    (tmp_path / "link").symlink_to("dir")
    with pytest.raises(OutputError, match="is a directory"):
        write_output("x", str(tmp_path / "link"), stdout=io.StringIO())
    assert (tmp_path / "link").is_symlink()


def test_dev_stdout_is_standard_output() -> None:
    out = io.StringIO()
    write_output("x\n", "/dev/stdout", stdout=out)
    assert out.getvalue() == "x\n"


@pytest.mark.skipif(not os.path.isdir("/dev/fd"), reason="no /dev/fd")
@pytest.mark.usefixtures("no_rename")
def test_open_descriptor_is_written_at_its_offset(tmp_path: Path) -> None:
    # `{ echo header; salesplan plan P -o /dev/fd/3; } 3>out`: the shell opened the file;
    # the text goes after what is already written there, as a shell redirection would.
    target = tmp_path / "out.txt"
    with open(target, "wb") as held:
        held.write(b"header\n")
        held.flush()
        write_output("report\n", f"/dev/fd/{held.fileno()}", stdout=io.StringIO())
        held.write(b"footer\n")
    assert target.read_bytes() == b"header\nreport\nfooter\n"


def test_closed_descriptor(tmp_path: Path) -> None:
    fd = os.open(tmp_path / "x", os.O_WRONLY | os.O_CREAT)
    os.close(fd)
    with pytest.raises(OutputError, match=rf"^cannot write /dev/fd/{fd}: Bad file descriptor$"):
        write_output("x", f"/dev/fd/{fd}", stdout=io.StringIO())
