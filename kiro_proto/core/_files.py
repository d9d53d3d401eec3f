"""Reading and writing files byte-exactly, with clear messages for what cannot be opened.

Only regular files are ever opened: a FIFO, a device or a socket would block or stream
forever, so they are refused after ``stat``, before ``open``.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass

from ._buffer import TextBuffer
from ._document import Document

__all__ = ["BINARY_SNIFF", "DiskStamp", "FileProblem", "LoadedFile", "hash_document", "hash_file",
           "load_file", "save_file", "stat_stamp"]

BINARY_SNIFF = 8 * 1024  # a NUL in the first 8 KiB marks a binary file (as git does)


class FileProblem(Exception):
    """A file operation that failed, with a message meant for the user."""


@dataclass(slots=True)
class LoadedFile:
    """A loaded document and what was found on disk; ``size`` is the file's length in
    bytes as read, BOM included."""

    document: Document
    path: str
    exists: bool
    binary: bool
    read_only: bool
    size: int


def _kind(mode: int) -> str | None:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode):
        return "a character device"
    if stat.S_ISBLK(mode):
        return "a block device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if not stat.S_ISREG(mode):
        return "not a regular file"
    return None


def _describe(err: OSError, verb: str, path: str) -> str:
    reason = {
        errno.EACCES: "permission denied",
        errno.EPERM: "operation not permitted",
        errno.ENOSPC: "no space left on the device",
        errno.EROFS: "the file system is read-only",
        errno.EISDIR: "it is a directory",
        errno.ENOTDIR: "a part of the path is not a directory",
        errno.ENAMETOOLONG: "the name is too long",
        errno.EIO: "input/output error",
        errno.ELOOP: "too many levels of symbolic links",
    }.get(err.errno or 0, err.strerror or str(err))
    return f"Cannot {verb} {path}: {reason}"


def load_file(path: str) -> LoadedFile:
    """Open ``path`` as a document. A missing file gives an empty, new document."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        parent = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(parent):
            raise FileProblem(f"Cannot open {path}: the folder {parent} does not exist") from None
        return LoadedFile(Document(b""), path, False, False, False, 0)
    except OSError as err:
        raise FileProblem(_describe(err, "open", path)) from None
    kind = _kind(st.st_mode)
    if kind is not None:
        raise FileProblem(f"Cannot open {path}: it is {kind}, and only regular files can be edited")
    try:
        with open(path, "rb") as f:
            buffer = TextBuffer.from_stream(f)
    except OSError as err:
        raise FileProblem(_describe(err, "open", path)) from None
    head = buffer.slice(0, BINARY_SNIFF)
    binary = b"\x00" in head
    read_only = binary or not os.access(path, os.W_OK)
    size = len(buffer)  # before Document() takes a BOM out of the buffer
    return LoadedFile(Document(buffer), path, True, binary, read_only, size)


def save_file(document: Document, path: str) -> int:
    """Write the document without ever truncating the original first. Returns bytes written.

    A regular file is replaced atomically: a temporary file in the same directory is written,
    fsynced, given the original's mode bits (minus setuid and setgid), group (and owner, when
    allowed) and extended attributes, renamed over the original, and the directory is fsynced.
    Writing through a symbolic link replaces the link's target and keeps the link.

    A file with more than one hard link cannot be replaced by a rename (the other names would
    keep the old inode), so it is rewritten in place after a synced backup copy has been made
    next to it; the backup is removed once the new content is synced.

    On any failure the original is byte-identical to before (in-place: restored from the
    backup, or the backup is kept and named in the message), no temporary file is left, and
    :class:`FileProblem` says which step failed and why.
    """
    target = os.path.realpath(path)
    directory = os.path.dirname(target) or "."
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    except OSError as err:
        raise FileProblem(_describe(err, "save", path)) from None
    if st is not None and _kind(st.st_mode) is not None:
        raise FileProblem(f"Cannot save {path}: it is {_kind(st.st_mode)}")
    if st is not None and st.st_nlink > 1:
        return _save_in_place(document, path, target, directory)
    tmp: str | None = None
    step = f"create a temporary file in {directory}"
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".kiro-tmp",
                                   dir=directory)
        with os.fdopen(fd, "wb") as f:
            step = "write the temporary file"
            _write_document(f, document)
            step = "sync the temporary file to disk"
            os.fsync(f.fileno())
        if st is not None:
            step = "copy the permissions"
            os.chmod(tmp, stat.S_IMODE(st.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))
            _copy_owner(st, tmp)
            _copy_xattrs(target, tmp)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        step = "replace the original with the new file"
        os.replace(tmp, target)
        tmp = None
        step = "sync the folder"
        _fsync_directory(directory)
    except OSError as err:
        raise FileProblem(_failed(path, step, err)) from None
    finally:
        if tmp is not None:
            _unlink_quietly(tmp)
    return len(document.bom) + len(document.buffer)


def _failed(path: str, step: str, err: OSError) -> str:
    reason = _describe(err, "save", path).split(": ", 1)[-1]
    return f"Cannot save {path}: could not {step}: {reason}"


def _write_document(f, document: Document) -> None:
    f.write(document.bom)
    for block in document.buffer.blocks():
        f.write(block)
    f.flush()


def _fsync_directory(directory: str) -> None:
    dfd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def _unlink_quietly(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


def _copy_owner(st: os.stat_result, tmp: str) -> None:
    """Give ``tmp`` the original's group (and owner, which only root may change). A group
    the user is not a member of cannot be given; the file then keeps the user's group, as
    Vim's and Emacs's backups do."""
    uid = st.st_uid if os.geteuid() == 0 else -1
    try:
        os.chown(tmp, uid, st.st_gid)
    except PermissionError:
        pass


def _copy_xattrs(source: str, tmp: str) -> None:
    """Copy extended attributes (SELinux labels, macOS-style metadata, user.* tags). File
    systems without them (ENOTSUP) and attributes this user may not set are skipped."""
    listxattr = getattr(os, "listxattr", None)
    if listxattr is None:
        return
    try:
        names = listxattr(source)
    except OSError as err:
        if err.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.ENODATA):
            return
        raise
    for name in names:
        try:
            os.setxattr(tmp, name, os.getxattr(source, name))
        except OSError as err:
            if err.errno not in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM, errno.EACCES,
                                 errno.ENODATA):
                raise


def _save_in_place(document: Document, path: str, target: str, directory: str) -> int:
    """Save a file with several hard links: back it up (synced), rewrite it in place, sync,
    remove the backup. If the rewrite fails, the original bytes are put back from the backup;
    if even that fails, the backup is kept and the message names it."""
    backup = None
    step = f"create a backup copy in {directory}"
    try:
        fd, backup = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".",
                                      suffix=".kiro-backup", dir=directory)
        with os.fdopen(fd, "wb") as out, open(target, "rb") as src:
            step = "write the backup copy"
            while chunk := src.read(1 << 20):
                out.write(chunk)
            out.flush()
            step = "sync the backup copy to disk"
            os.fsync(out.fileno())
        step = "sync the folder"
        _fsync_directory(directory)
    except OSError as err:
        if backup is not None:
            _unlink_quietly(backup)
        raise FileProblem(_failed(path, step, err)) from None
    try:
        with open(target, "r+b") as f:
            step = "truncate the file"
            f.truncate(0)
            step = "write the file"
            _write_document(f, document)
            step = "sync the file to disk"
            os.fsync(f.fileno())
    except OSError as err:
        message = _failed(path, step, err)
        try:
            _restore_from(backup, target)
        except OSError:
            raise FileProblem(f"{message}; the original content is kept in {backup}") from None
        _unlink_quietly(backup)
        raise FileProblem(message) from None
    _unlink_quietly(backup)
    return len(document.bom) + len(document.buffer)


def _restore_from(backup: str, target: str) -> None:
    with open(backup, "rb") as src, open(target, "r+b") as dst:
        dst.truncate(0)
        while chunk := src.read(1 << 20):
            dst.write(chunk)
        dst.flush()
        os.fsync(dst.fileno())


@dataclass(frozen=True, slots=True)
class DiskStamp:
    """What a file on disk looked like: its identity and, when known, a hash of its bytes.

    Two stamps with the same ``(inode, size, mtime_ns)`` are taken to be the same content
    without reading the file (as make and git do); when those differ, the ``sha256`` of the
    bytes decides (a ``touch`` or an identical rewrite is not a change).
    """

    inode: int
    size: int
    mtime_ns: int
    sha256: str | None = None

    def same_identity(self, other: "DiskStamp | None") -> bool:
        return (other is not None and self.inode == other.inode and self.size == other.size
                and self.mtime_ns == other.mtime_ns)


def stat_stamp(path: str) -> DiskStamp | None:
    """The stamp of ``path`` from ``stat`` alone (no hash); None when it does not exist or
    cannot be examined."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return DiskStamp(st.st_ino, st.st_size, st.st_mtime_ns)


def hash_file(path: str) -> str | None:
    """sha256 of a file's bytes, read in 1 MiB chunks; None when it cannot be read."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


def hash_document(document: Document) -> str:
    """sha256 of the bytes a save would write (BOM included)."""
    digest = hashlib.sha256(document.bom)
    for block in document.buffer.blocks():
        digest.update(block)
    return digest.hexdigest()
