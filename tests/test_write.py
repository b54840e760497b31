"""cleaner.write: atomic replacement that never leaves a partial or temporary file."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

import pytest

from cleaner.write import atomic_write, output_path


def _listing(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


def test_writes_a_new_file_and_its_folders(tmp_path: Path) -> None:
    target = tmp_path / "out" / "2025" / "記事 1.md"
    atomic_write(target, "本文\n".encode())
    assert target.read_bytes() == "本文\n".encode()
    assert _listing(tmp_path) == ["out", "out/2025", "out/2025/記事 1.md"]


def test_replaces_an_existing_file(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"old contents that are longer")
    atomic_write(target, b"new")
    assert target.read_bytes() == b"new"
    assert _listing(tmp_path) == ["a.md"]


def test_empty_and_large_data(tmp_path: Path) -> None:
    atomic_write(tmp_path / "empty.md", b"")
    assert (tmp_path / "empty.md").read_bytes() == b""
    data = os.urandom(3 * 2**20)
    atomic_write(tmp_path / "big.md", data)
    assert (tmp_path / "big.md").read_bytes() == data


def test_short_writes_are_continued(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, bytes(data[:3])))
    atomic_write(tmp_path / "a.md", b"0123456789")
    assert (tmp_path / "a.md").read_bytes() == b"0123456789"


def test_mode_of_the_replaced_file_is_kept(tmp_path: Path) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    atomic_write(target, b"new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_mode_given(tmp_path: Path) -> None:
    source = tmp_path / "source.md"
    source.write_bytes(b"x")
    source.chmod(0o604)
    atomic_write(tmp_path / "a.md", b"new", mode=source.stat().st_mode)  # a full st_mode is fine
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o604
    atomic_write(tmp_path / "a.md", b"newer", mode=0o600)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o600


def test_new_file_follows_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        atomic_write(tmp_path / "a.md", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "a.md").stat().st_mode) == 0o640


def test_a_symlink_is_written_through(tmp_path: Path) -> None:
    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    atomic_write(link, b"new")
    assert link.is_symlink()
    assert real.read_bytes() == b"new"


def test_temporary_file_is_named_after_the_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def replace(src: str, dst: Path) -> None:
        seen.append(Path(src).name)
        assert Path(src).parent == tmp_path
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    atomic_write(tmp_path / "記事.md", b"x")
    [name] = seen
    assert name.startswith(".記事.md.")
    assert name.endswith(".tmp")


@pytest.mark.parametrize("where", ["write", "fsync", "chmod", "replace"])
def test_no_space_left_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"old")

    def fail(*args: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, where, fail)
    with pytest.raises(OSError) as raised:
        atomic_write(target, b"new contents")
    assert raised.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert _listing(tmp_path) == ["a.md"]


def test_keyboard_interrupt_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "a.md"
    target.write_bytes(b"old")

    def interrupt(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupt)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, b"new")
    monkeypatch.undo()
    assert target.read_bytes() == b"old"
    assert _listing(tmp_path) == ["a.md"]


def test_folder_sync_failure_is_not_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Some file systems cannot open or fsync a folder; the file is written all the same."""
    real_open = os.open

    def no_folders(path: object, flags: int, *args: object) -> int:
        if Path(str(path)).is_dir():
            raise OSError(errno.EISDIR, "cannot open folders here")
        return real_open(path, flags, *args)

    monkeypatch.setattr(os, "open", no_folders)
    atomic_write(tmp_path / "b.md", b"y")
    assert (tmp_path / "b.md").read_bytes() == b"y"
    monkeypatch.setattr(os, "open", real_open)
    real_fsync = os.fsync

    def no_folder_fsync(fd: int) -> None:
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "fsync of a folder is not supported")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", no_folder_fsync)
    atomic_write(tmp_path / "c.md", b"z")
    assert (tmp_path / "c.md").read_bytes() == b"z"


def test_a_folder_in_the_way_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "a.md").mkdir()
    with pytest.raises(OSError):
        atomic_write(tmp_path / "a.md", b"x")
    assert _listing(tmp_path) == ["a.md"]


def test_output_path_mirrors(tmp_path: Path) -> None:
    assert (
        output_path(Path("2025/09/a b.md"), tmp_path / "out") == tmp_path / "out" / "2025" / "09" / "a b.md"
    )
    assert output_path(Path("line\nbreak.md"), Path("out")) == Path("out") / "line\nbreak.md"


@pytest.mark.parametrize("rel", ["../x.md", "a/../../x.md", "/etc/passwd", ""])
def test_output_path_stays_inside(rel: str) -> None:
    with pytest.raises(ValueError, match="not a path inside the output folder"):
        output_path(Path(rel), Path("out"))


def test_a_copy_that_need_not_be_durable_is_not_synced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``clean --out`` writes copies of untouched inputs without fsync (most of a write's cost); the
    default, used by ``--in-place``, syncs the data before the rename and the folder after it."""
    synced: list[int] = []
    monkeypatch.setattr(os, "fsync", synced.append)
    atomic_write(tmp_path / "copy.md", b"copy", durable=False)
    assert synced == [] and (tmp_path / "copy.md").read_bytes() == b"copy"
    atomic_write(tmp_path / "copy.md", b"in place")
    assert len(synced) == 2 and (tmp_path / "copy.md").read_bytes() == b"in place"
