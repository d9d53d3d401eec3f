"""The persistent cache's file format, modelled on Neovim's ShaDa: a header, then a stream of
self-describing entries, so a reader can skip what it does not understand.

Layout (all integers are msgpack unsigned integers, written back to back)::

    MAGIC (8 bytes)  version  |  type timestamp length payload  |  type timestamp length ...

``payload`` is ``length`` bytes holding one msgpack value. An entry whose type this reader
does not know is skipped by its length. The last entry has type 0 (END) and holds the number
of entries before it, so a file cut at an entry boundary is still seen as truncated. Files are written to a temporary file in the same
folder and renamed over the old one, so a crash leaves the old file or the new one, never
half of each. A file at the path that does not start with ``MAGIC`` belongs to someone else
and is never overwritten. A truncated or corrupt file, or one with another version, reads
as empty with a warning: the caller rebuilds what it held. Imports msgpack, never trio.
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Iterable

from . import _msgpack as msgpack  # C extension, or msgpack.fallback with native off

__all__ = ["CacheFile", "CacheRead", "Entry", "END", "MAGIC", "VERSION", "cache_directory",
           "decode", "encode"]

MAGIC = b"\x93KIRO\xca\xc4\n"  # 8 bytes; the \n catches text-mode mangling
VERSION = 1
END = 0  # entry type of the closing entry
MAX_ENTRY = 64 * 1024 * 1024  # bytes: a larger length field means a corrupt file


def cache_directory() -> str:
    """Where persistent caches live: ``$KIRO_CACHE_DIR`` or the user's cache directory
    (``$XDG_CACHE_HOME/kiro-proto``, usually ``~/.cache/kiro-proto``)."""
    override = os.environ.get("KIRO_CACHE_DIR")
    if override:
        return override
    from platformdirs import user_cache_dir

    return user_cache_dir("kiro-proto", appauthor=False)


@dataclass(frozen=True, slots=True)
class Entry:
    type: int
    timestamp: int  # seconds since the epoch when it was written
    payload: Any


@dataclass(frozen=True, slots=True)
class CacheRead:
    """What a read found. ``status``: "ok", "missing", "foreign" (not our file: it is left
    alone), "version" (ours, another version), "corrupt" (truncated or garbled)."""

    status: str
    entries: tuple[Entry, ...] = ()
    skipped: int = 0  # entries of unknown types
    warning: str = ""
    bytes_read: int = 0


@dataclass
class CacheFile:
    """One cache file. ``known``: the entry types this reader understands (others are
    skipped). ``read`` never raises for bad contents; ``write`` refuses a foreign file."""

    path: str
    known: frozenset[int] = frozenset()
    warnings: list[str] = field(default_factory=list)
    foreign: bool = False  # set by read(): writes are refused

    def read(self) -> CacheRead:
        try:
            with open(self.path, "rb") as f:
                data = f.read()
        except FileNotFoundError:
            return CacheRead("missing")
        except OSError as err:
            return self._warn(CacheRead("corrupt", warning=f"cannot read {self.path}: {err}"))
        return self._warn(decode(data, self.known, self.path))

    def _warn(self, result: CacheRead) -> CacheRead:
        if result.status == "foreign":
            self.foreign = True
        if result.warning:
            self.warnings.append(result.warning)
        return result

    def write(self, entries: Iterable[tuple[int, Any]]) -> bool:
        """Write ``(type, payload)`` entries; False (with a warning) when the path holds
        someone else's file or the folder cannot be written."""
        if self.foreign or _is_foreign(self.path):
            self.foreign = True
            self.warnings.append(f"{self.path} is not a kiro-proto cache: left alone")
            return False
        data = encode(entries)
        folder = os.path.dirname(self.path) or "."
        try:
            os.makedirs(folder, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=".kc", dir=folder)
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(data)
                if _is_foreign(self.path):  # appeared meanwhile: still not ours to replace
                    raise FileExistsError(self.path)
                os.replace(tmp, self.path)
            except BaseException:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
                raise
        except FileExistsError:
            self.foreign = True
            self.warnings.append(f"{self.path} is not a kiro-proto cache: left alone")
            return False
        except OSError as err:
            self.warnings.append(f"cannot write cache {self.path}: {err}")
            return False
        return True


def _is_foreign(path: str) -> bool:
    """True when a file is at ``path`` and does not start with MAGIC (an empty file, or a
    directory or other non-file, counts as foreign too)."""
    try:
        with open(path, "rb") as f:
            return f.read(len(MAGIC)) != MAGIC
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.lexists(path)


def encode(entries: Iterable[tuple[int, Any]], *, version: int = VERSION) -> bytes:
    pack = msgpack.Packer(use_bin_type=True).pack  # one packer for every entry
    now = int(time.time())
    out = [MAGIC, pack(version)]
    stamp = pack(now)
    heads: dict[int, bytes] = {}  # entry type -> its packed type and time
    count = 0
    for kind, payload in entries:
        if kind == END:
            raise ValueError("entry type 0 is reserved for the end of the file")
        head = heads.get(kind)
        if head is None:
            head = heads[kind] = pack(kind) + stamp
        body = pack(payload)
        out.append(head + pack(len(body)))
        out.append(body)
        count += 1
    body = pack(count)
    out.append(pack(END) + pack(now) + pack(len(body)) + body)
    return b"".join(out)


def decode(data: bytes, known: frozenset[int], path: str = "cache") -> CacheRead:
    if data[: len(MAGIC)] != MAGIC:
        return CacheRead("foreign", warning=f"{path} is not a kiro-proto cache: left alone")
    unpacker = msgpack.Unpacker(raw=False, max_buffer_size=max(len(data), 1024),
                                strict_map_key=False)
    unpacker.feed(data[len(MAGIC):])
    try:
        version = unpacker.unpack()
    except msgpack.OutOfData:
        return CacheRead("corrupt", warning=f"{path} is truncated: rebuilding it")
    except Exception as err:  # noqa: BLE001 - any decoding error means a corrupt file
        return CacheRead("corrupt", warning=f"{path} is corrupt ({err}): rebuilding it")
    if version != VERSION:
        return CacheRead("version", warning=f"{path} has cache version {version!r}, "
                                            f"not {VERSION}: rebuilding it")
    entries = []
    skipped = 0
    header = len(MAGIC) + len(msgpack.packb(version))
    pos = header
    view = memoryview(data)
    n = len(data)
    try:
        while pos < n:
            unpacker = msgpack.Unpacker(raw=False, max_buffer_size=64)
            head = bytes(view[pos : pos + 27])  # three uints take at most 27 bytes
            unpacker.feed(head)
            kind = unpacker.unpack()
            stamp = unpacker.unpack()
            length = unpacker.unpack()
            if not all(isinstance(v, int) and v >= 0 for v in (kind, stamp, length)):
                raise ValueError("entry header is not three unsigned integers")
            if length > MAX_ENTRY:
                raise ValueError(f"entry of {length} bytes")
            pos += unpacker.tell()
            if pos + length > n:
                raise EOFError
            if kind == END:
                count = msgpack.unpackb(view[pos : pos + length])
                if count != len(entries) + skipped or pos + length != n:
                    raise ValueError("the end entry does not match the entries")
                return CacheRead("ok", tuple(entries), skipped, bytes_read=n)
            if kind in known:
                payload = msgpack.unpackb(view[pos : pos + length], raw=False,
                                          strict_map_key=False, use_list=True)
                entries.append(Entry(kind, stamp, payload))
            else:
                skipped += 1
            pos += length
    except (EOFError, msgpack.OutOfData):
        pass
    except Exception as err:  # noqa: BLE001 - any decoding error means a corrupt file
        return CacheRead("corrupt", warning=f"{path} is corrupt ({err}): rebuilding it")
    return CacheRead("corrupt", warning=f"{path} is truncated: rebuilding it")
