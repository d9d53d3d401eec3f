"""Loading and saving real files: what is refused, what is marked binary or read-only,
and that a save is atomic (the original is intact and no temporary file is left on any
failure)."""

from __future__ import annotations

import errno
import os
import signal
import stat
from pathlib import Path

import pytest

from kiro_proto.core import BINARY_SNIFF, Document, FileProblem, Pos, load_file, save_file
from kiro_proto.core import _files

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


@pytest.fixture
def alarm():
    """Fail instead of hanging: a blocking open() is interrupted after a few seconds."""

    def on_alarm(signum, frame):
        raise TimeoutError("load_file blocked")

    old = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(5)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# -- load -------------------------------------------------------------------------------
def test_load_regular_file(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"one\r\ntwo\r\n")
    loaded = load_file(str(path))
    assert loaded.exists and not loaded.binary and loaded.path == str(path)
    assert loaded.size == 10
    assert loaded.document.text() == "one\r\ntwo\r\n"
    assert loaded.document.newline == b"\r\n"
    assert loaded.read_only is (not os.access(path, os.W_OK))


def test_load_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="directory"):
        load_file(str(tmp_path))


def test_load_fifo_is_refused_without_blocking(tmp_path: Path, alarm) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(FileProblem, match="FIFO"):
        load_file(str(fifo))
    link = tmp_path / "link-to-pipe"
    link.symlink_to(fifo)
    with pytest.raises(FileProblem, match="FIFO"):
        load_file(str(link))


@pytest.mark.parametrize("device", ["/dev/null", "/dev/zero"])
def test_load_character_device_is_refused(device: str, alarm) -> None:
    if not os.path.exists(device):
        pytest.skip(f"{device} is missing")
    with pytest.raises(FileProblem, match="character device"):
        load_file(device)


def test_load_missing_file_in_existing_folder_is_a_new_document(tmp_path: Path) -> None:
    loaded = load_file(str(tmp_path / "new.txt"))
    assert not loaded.exists
    assert loaded.document.to_bytes() == b""
    assert loaded.size == 0
    assert not loaded.binary and not loaded.read_only
    assert listing(tmp_path) == []  # nothing is created by opening


def test_load_in_missing_folder_is_a_problem(tmp_path: Path) -> None:
    with pytest.raises(FileProblem, match="does not exist"):
        load_file(str(tmp_path / "no" / "such" / "file.txt"))


def test_load_below_a_file_is_a_problem(tmp_path: Path) -> None:
    (tmp_path / "plain").write_bytes(b"x")
    with pytest.raises(FileProblem, match="not a directory"):
        load_file(str(tmp_path / "plain" / "child.txt"))


def test_load_binary_file_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "blob"
    data = b"ELF\x00\x01\x02" + bytes(range(256)) * 4
    path.write_bytes(data)
    loaded = load_file(str(path))
    assert loaded.binary and loaded.read_only
    assert loaded.document.to_bytes() == data


def test_nul_after_the_sniffed_prefix_is_not_binary(tmp_path: Path) -> None:
    path = tmp_path / "late-nul.txt"
    path.write_bytes(b"x" * BINARY_SNIFF + b"\x00")
    assert not load_file(str(path)).binary
    path.write_bytes(b"x" * (BINARY_SNIFF - 1) + b"\x00")
    assert load_file(str(path)).binary


def test_large_file_loads_in_blocks(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    data = b"".join(b"line %d\r\n" % i for i in range(50_000))
    path.write_bytes(data)
    loaded = load_file(str(path))
    assert loaded.document.to_bytes() == data
    assert loaded.document.line_count == 50_001
    assert loaded.document.buffer.block_count > 1


@pytest.mark.skipif(AS_ROOT, reason="root reads files whatever their mode")
def test_load_unreadable_file(tmp_path: Path) -> None:
    path = tmp_path / "secret"
    path.write_bytes(b"x")
    path.chmod(0)
    with pytest.raises(FileProblem, match="permission denied"):
        load_file(str(path))


@pytest.mark.skipif(AS_ROOT, reason="root may write files whatever their mode")
def test_load_write_protected_file_is_read_only(tmp_path: Path) -> None:
    path = tmp_path / "ro.txt"
    path.write_bytes(b"x")
    path.chmod(0o444)
    assert load_file(str(path)).read_only


def test_load_permission_error_message(tmp_path: Path, monkeypatch) -> None:
    # The same failure as an unreadable file, injected so that it also happens as root.
    path = tmp_path / "secret"
    path.write_bytes(b"x")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(_files, "open", refuse, raising=False)
    with pytest.raises(FileProblem, match=r"Cannot open .*secret: permission denied"):
        load_file(str(path))


# -- save -------------------------------------------------------------------------------
def test_save_is_atomic_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"old\n")
    inode = path.stat().st_ino
    doc = load_file(str(path)).document
    doc.insert(Pos(1, 0), "new\r\n\udcff")
    assert save_file(doc, str(path)) == len(b"old\nnew\r\n\xff")
    assert path.read_bytes() == b"old\nnew\r\n\xff"
    assert listing(tmp_path) == ["f.txt"]
    assert path.stat().st_ino != inode  # replaced by rename, not rewritten in place


def test_save_new_file_uses_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        save_file(Document(b"x"), str(tmp_path / "new.txt"))
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.txt").stat().st_mode) == 0o640
    assert listing(tmp_path) == ["new.txt"]


def test_save_relative_path(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    save_file(Document(b"rel"), "rel.txt")
    assert (tmp_path / "rel.txt").read_bytes() == b"rel"
    assert listing(tmp_path) == ["rel.txt"]


def test_save_keeps_mode_bits(tmp_path: Path) -> None:
    path = tmp_path / "script.sh"
    path.write_bytes(b"#!/bin/sh\n")
    path.chmod(0o750)
    save_file(Document(b"#!/bin/sh\necho hi\n"), str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o750


def test_save_clears_setuid_and_setgid(tmp_path: Path) -> None:
    path = tmp_path / "tool"
    path.write_bytes(b"x")
    path.chmod(0o6755)
    if stat.S_IMODE(path.stat().st_mode) != 0o6755:
        pytest.skip("the file system does not keep setuid bits")
    save_file(Document(b"y"), str(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o755


def test_save_through_symlink_updates_target_and_keeps_link(tmp_path: Path) -> None:
    real_dir = tmp_path / "real"
    real_dir.mkdir()
    target = real_dir / "target.txt"
    target.write_bytes(b"before")
    target.chmod(0o640)
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    save_file(Document(b"after"), str(link))
    assert link.is_symlink()
    assert os.readlink(link) == str(target)
    assert target.read_bytes() == b"after"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert listing(real_dir) == ["target.txt"]
    assert listing(tmp_path) == ["link.txt", "real"]


def test_save_onto_a_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "d").mkdir()
    with pytest.raises(FileProblem, match="directory"):
        save_file(Document(b"x"), str(tmp_path / "d"))


@pytest.mark.skipif(AS_ROOT, reason="root can create files in a read-only folder")
def test_save_in_read_only_folder_fails_cleanly(tmp_path: Path) -> None:
    folder = tmp_path / "ro"
    folder.mkdir()
    path = folder / "f.txt"
    path.write_bytes(b"original")
    folder.chmod(0o555)
    try:
        with pytest.raises(FileProblem, match="temporary file.*permission denied"):
            save_file(Document(b"changed"), str(path))
        assert path.read_bytes() == b"original"
        assert listing(folder) == ["f.txt"]
    finally:
        folder.chmod(0o755)


def _injected(err: int):
    def fail(*args, **kwargs):
        raise OSError(err, os.strerror(err))
    return fail


@pytest.mark.parametrize(
    ("target", "err", "words"),
    [
        ("replace", errno.EIO, "could not replace the original with the new file: input/output error"),
        ("fsync", errno.ENOSPC, "could not sync the temporary file to disk: no space left on the device"),
        ("chmod", errno.EPERM, "could not copy the permissions: operation not permitted"),
    ],
)
def test_injected_failure_leaves_original_and_no_temp_file(tmp_path: Path, monkeypatch,
                                                           target: str, err: int, words: str) -> None:
    path = tmp_path / "f.txt"
    original = b"original \xff bytes\r\n"
    path.write_bytes(original)
    doc = load_file(str(path)).document
    doc.insert(Pos(0, 0), "changed ")
    monkeypatch.setattr(os, target, _injected(err))
    with pytest.raises(FileProblem) as info:
        save_file(doc, str(path))
    monkeypatch.undo()
    message = str(info.value)
    assert message.startswith(f"Cannot save {path}: ")
    assert words in message
    assert path.read_bytes() == original
    assert listing(tmp_path) == ["f.txt"]


def test_failure_to_create_temporary_file_is_named(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"original")
    monkeypatch.setattr(_files.tempfile, "mkstemp", _injected(errno.EROFS))
    with pytest.raises(FileProblem, match="could not create a temporary file in .*read-only"):
        save_file(Document(b"new"), str(path))
    monkeypatch.undo()
    assert path.read_bytes() == b"original"
    assert listing(tmp_path) == ["f.txt"]


def test_write_failure_midway_leaves_no_temp_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "f.txt"
    path.write_bytes(b"original")
    real_fdopen = os.fdopen

    class FailingFile:
        def __init__(self, f):
            self._f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self._f.close()

        def write(self, data):
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name):
            return getattr(self._f, name)

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: FailingFile(real_fdopen(*a, **k)))
    with pytest.raises(FileProblem, match="could not write the temporary file: no space left"):
        save_file(Document(b"new"), str(path))
    monkeypatch.undo()
    assert path.read_bytes() == b"original"
    assert listing(tmp_path) == ["f.txt"]
