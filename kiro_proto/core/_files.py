"""Reading and writing files byte-exactly, with clear messages for what cannot be opened.

Only regular files are ever opened: a FIFO, a device or a socket would block or stream
forever, so they are refused after ``stat``, before ``open``.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from dataclasses import dataclass

from ._buffer import TextBuffer
from ._document import Document

__all__ = ["FileProblem", "LoadedFile", "load_file", "save_file", "BINARY_SNIFF"]

BINARY_SNIFF = 8 * 1024  # a NUL in the first 8 KiB marks a binary file (as git does)


class FileProblem(Exception):
    """A file operation that failed, with a message meant for the user."""


@dataclass(slots=True)
class LoadedFile:
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
    return LoadedFile(Document(buffer), path, True, binary, read_only, len(buffer))


def save_file(document: Document, path: str) -> int:
    """Write the document atomically: a temporary file in the same directory, fsync,
    rename over the original, fsync the directory. The original is never truncated first;
    on any failure it is untouched and no temporary file is left. Returns bytes written.

    Writing through a symbolic link replaces the link's target and keeps the link.
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
    tmp = None
    step = f"create a temporary file in {directory}"
    try:
        fd, tmp = tempfile.mkstemp(prefix="." + os.path.basename(target) + ".", suffix=".kiro-tmp",
                                   dir=directory)
        with os.fdopen(fd, "wb") as f:
            step = "write the temporary file"
            f.write(document.bom)
            for block in document.buffer.blocks():
                f.write(block)
            f.flush()
            step = "sync the temporary file to disk"
            os.fsync(f.fileno())
        if st is not None:
            step = "copy the permissions"
            os.chmod(tmp, stat.S_IMODE(st.st_mode) & ~(stat.S_ISUID | stat.S_ISGID))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        step = "replace the original with the new file"
        os.replace(tmp, target)
        tmp = None
        step = "sync the folder"
        dfd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError as err:
        reason = _describe(err, "save", path).split(": ", 1)[-1]
        raise FileProblem(f"Cannot save {path}: could not {step}: {reason}") from None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass
    return len(document.bom) + len(document.buffer)
