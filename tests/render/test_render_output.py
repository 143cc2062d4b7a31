"""Output: stdout for ``-``, atomic replacement of files, clear errors."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from salesplan.render import output
from salesplan.render.output import OutputError, write_output


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
