"""Saving under pressure: every failing step leaves the original byte-identical and no
temporary file behind; metadata (mode, owner, group, xattrs, links) survives a save.

Tests run as root in CI, where a read-only directory or a chmod 000 file does not stop a
write; those cases use ``chattr +i`` (immutable: even root cannot replace the file) and
injected ``OSError``s instead, and a tiny tmpfs for a real full disk.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import tempfile
import uuid

import pytest

from kiro_proto.core import Document, FileProblem, load_file, save_file
from kiro_proto.core import _files

ORIGINAL = b"original line\r\nsecond \xff line\n"


def doc(data: bytes) -> Document:
    return Document(data)


def only_file(directory, name: str) -> None:
    assert sorted(os.listdir(directory)) == [name], os.listdir(directory)


@pytest.fixture
def original(tmp_path):
    path = tmp_path / "file.txt"
    path.write_bytes(ORIGINAL)
    return path


# -- what a save keeps ----------------------------------------------------------------------

def test_mode_minus_setuid_owner_group_and_xattrs_are_kept(original):
    os.chmod(original, 0o6750)
    can_chown = os.geteuid() == 0
    if can_chown:
        os.chown(original, 1234, 4321)
    try:
        os.setxattr(original, "user.kiro", b"tag")
        have_xattr = True
    except OSError:
        have_xattr = False
    ino = os.stat(original).st_ino
    save_file(doc(b"new\n"), str(original))
    st = os.stat(original)
    assert original.read_bytes() == b"new\n"
    assert st.st_ino != ino  # replaced by rename, not rewritten
    assert stat.S_IMODE(st.st_mode) == 0o750
    if can_chown:
        assert (st.st_uid, st.st_gid) == (1234, 4321)
    if have_xattr:
        assert os.getxattr(original, "user.kiro") == b"tag"
    only_file(original.parent, "file.txt")


def test_saving_through_a_symlink_updates_the_target_and_keeps_the_link(tmp_path):
    target = tmp_path / "real.txt"
    target.write_bytes(b"old\n")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    save_file(doc(b"new\n"), str(link))
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"


def test_a_hard_linked_file_is_saved_in_place_so_every_name_sees_it(original):
    other = original.parent / "other-name.txt"
    os.link(original, other)
    ino = os.stat(original).st_ino
    save_file(doc(b"new content\n"), str(original))
    assert other.read_bytes() == b"new content\n"
    assert os.stat(original).st_ino == ino
    assert sorted(os.listdir(original.parent)) == ["file.txt", "other-name.txt"]


def test_a_new_file_gets_the_umask_mode(tmp_path):
    path = tmp_path / "fresh.txt"
    old = os.umask(0o022)
    try:
        save_file(doc(b"x"), str(path))
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644


def test_a_thousand_edit_and_save_cycles_leave_the_last_state(tmp_path):
    path = tmp_path / "cycles.txt"
    path.write_bytes(b"")
    loaded = load_file(str(path))
    document = loaded.document
    from kiro_proto.core import Pos

    for i in range(1000):
        document.insert(document.end(), f"{i}\n" if i % 3 else f"{i} ")
        if i % 7 == 0:
            document.replace(Pos(0, 0), Pos(0, 1), "#")
        save_file(document, str(path))
    assert path.read_bytes() == document.to_bytes()
    only_file(tmp_path, "cycles.txt")


# -- injected failures ----------------------------------------------------------------------

def _failing(err: int, real, *, after: int = 0):
    calls = {"n": 0}

    def fail(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > after:
            raise OSError(err, os.strerror(err))
        return real(*args, **kwargs)

    return fail


FAULTS = {
    # name: (object, attribute, errno, words the message must contain)
    "enospc-on-write": (_files, "_write_document", errno.ENOSPC, "write the temporary file"),
    "eio-from-fsync": (os, "fsync", errno.EIO, "sync the temporary file"),
    "rename-fails": (os, "replace", errno.EXDEV, "replace the original"),
    "read-only-directory": (tempfile, "mkstemp", errno.EACCES, "permission denied"),
    "read-only-file-system": (tempfile, "mkstemp", errno.EROFS, "read-only"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_failing_step_leaves_the_original_and_no_temporary_file(original, monkeypatch, fault):
    obj, name, err, words = FAULTS[fault]
    monkeypatch.setattr(obj, name, _failing(err, getattr(obj, name)))
    with pytest.raises(FileProblem) as info:
        save_file(doc(b"replacement that must not land\n"), str(original))
    monkeypatch.undo()
    assert words in str(info.value)
    assert str(original) in str(info.value)
    assert original.read_bytes() == ORIGINAL
    only_file(original.parent, "file.txt")


@pytest.mark.parametrize("fault", ["enospc-on-write", "eio-from-fsync"])
def test_in_place_save_failure_restores_the_original(original, monkeypatch, fault):
    other = original.parent / "other.txt"
    os.link(original, other)
    obj, name, err, _ = FAULTS[fault]
    # The first call is the backup copy (fsync) or not patched (write); fail the rewrite.
    after = 1 if name == "fsync" else 0
    if name == "_write_document":
        obj, name = _files, "_write_document"
    monkeypatch.setattr(obj, name, _failing(err, getattr(obj, name), after=after))
    with pytest.raises(FileProblem):
        save_file(doc(b"replacement\n"), str(original))
    monkeypatch.undo()
    assert original.read_bytes() == ORIGINAL
    assert other.read_bytes() == ORIGINAL
    assert sorted(os.listdir(original.parent)) == ["file.txt", "other.txt"]


# -- real failures --------------------------------------------------------------------------

def _chattr(flag: str, path) -> bool:
    if shutil.which("chattr") is None:
        return False
    return subprocess.run(["chattr", flag, str(path)], capture_output=True).returncode == 0


def test_an_immutable_file_cannot_be_replaced_and_is_untouched(original):
    if not _chattr("+i", original):
        pytest.skip("chattr +i is not available on this file system")
    try:
        with pytest.raises(FileProblem) as info:
            save_file(doc(b"nope\n"), str(original))
    finally:
        _chattr("-i", original)
    assert "operation not permitted" in str(info.value)
    assert original.read_bytes() == ORIGINAL
    only_file(original.parent, "file.txt")


def test_an_immutable_directory_refuses_the_temporary_file(original):
    if not _chattr("+i", original.parent):
        pytest.skip("chattr +i is not available on this file system")
    try:
        with pytest.raises(FileProblem) as info:
            save_file(doc(b"nope\n"), str(original))
    finally:
        _chattr("-i", original.parent)
    assert "create a temporary file" in str(info.value)
    assert original.read_bytes() == ORIGINAL
    only_file(original.parent, "file.txt")


@pytest.fixture
def tiny_tmpfs(tmp_path):
    mount = tmp_path / f"tmpfs-{uuid.uuid4().hex[:6]}"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a tmpfs here (needs root and CAP_SYS_ADMIN)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], capture_output=True)


def test_a_full_disk_leaves_the_original_and_no_temporary_file(tiny_tmpfs):
    path = tiny_tmpfs / "file.txt"
    path.write_bytes(ORIGINAL)
    with pytest.raises(FileProblem) as info:
        save_file(doc(b"x" * 1024 * 1024), str(path))
    assert "no space left" in str(info.value)
    assert path.read_bytes() == ORIGINAL
    only_file(tiny_tmpfs, "file.txt")


def test_a_full_disk_during_an_in_place_save_restores_the_original(tiny_tmpfs):
    path = tiny_tmpfs / "file.txt"
    path.write_bytes(ORIGINAL * 100)
    os.link(path, tiny_tmpfs / "other.txt")
    with pytest.raises(FileProblem):
        save_file(doc(b"x" * 1024 * 1024), str(path))
    assert path.read_bytes() == ORIGINAL * 100
    assert sorted(os.listdir(tiny_tmpfs)) == ["file.txt", "other.txt"]
