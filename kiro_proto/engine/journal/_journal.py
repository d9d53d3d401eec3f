"""Writing one buffer's journal, finding journals left behind, and replaying them.

A journal starts when a buffer first becomes modified and is removed when it is saved or
its changes are discarded. Appending a record costs one msgpack call and a list append; the
write and fsync happen in :meth:`Journal.flush`, which the UI runs at most 0.5 s after an
edit and at once on SIGTERM or SIGHUP. Never fsync per keystroke.
"""

from __future__ import annotations

import hashlib
import os
import re
import socket
import threading
import time
from dataclasses import dataclass

import psutil

from ...core import DiskStamp, Document, Edit, TextBuffer
from ._format import MAGIC, decode_records, encode_record, encode_snapshot

__all__ = ["Journal", "JournalFile", "JournalStatistics", "Owner", "Replayed", "SNAPSHOT_LIMIT",
           "journal_directory", "owner_alive", "replay", "scan_journals", "warm_up"]

# A buffer up to this size is snapshotted into the journal when it starts, so recovery needs
# nothing else. A larger one is not (writing 100 MB on the first keystroke would stall the
# editor for a second): its edits replay onto the original file, whose sha256 the header
# records; if that file has changed since, such a journal cannot be replayed.
SNAPSHOT_LIMIT = 16 * 1024 * 1024
SUFFIX = ".kjournal"
VERSION = 1


def journal_directory() -> str:
    """Where journals live: ``$KIRO_STATE_DIR`` if set, else the XDG state directory
    (``$XDG_STATE_HOME/kiro-proto/journal``, ``~/.local/state/kiro-proto/journal``).
    Never /tmp: other users can read it and it is cleared on reboot."""
    override = os.environ.get("KIRO_STATE_DIR")
    if override:
        return os.path.join(override, "journal")
    import platformdirs

    return os.path.join(platformdirs.user_state_dir("kiro-proto"), "journal")


@dataclass(frozen=True, slots=True)
class Owner:
    """The editor process that writes a journal. ``started`` (the process start time) tells
    a live owner from an unrelated process that reused its pid."""

    pid: int
    host: str
    started: float

    @classmethod
    def current(cls) -> "Owner":
        """This process. Computed once per process (``psutil`` reads /proc for the start
        time: 1-8 ms measured on the first keystroke of a session, which is when the
        first journal is made); ``warm_up`` computes it before anyone types."""
        pid = os.getpid()
        cached = _OWNER.get(pid)
        if cached is None:
            cached = _OWNER[pid] = cls(pid, socket.gethostname(),
                                       psutil.Process().create_time())
        return cached


_OWNER: dict[int, Owner] = {}  # pid -> Owner (a forked child is another pid)


def warm_up() -> None:
    """Do now, while the editor is idle, what the first journal would otherwise do on the
    first keystroke: find this process's start time."""
    Owner.current()


def owner_alive(header: dict) -> bool:
    """Whether the editor that wrote this header is still running (on this host). An owner
    on another host cannot be checked and counts as gone."""
    if header.get("host") != socket.gethostname():
        return False
    try:
        proc = psutil.Process(int(header.get("pid", -1)))
        return abs(proc.create_time() - float(header.get("started", 0))) < 1.0
    except (psutil.Error, ValueError, TypeError):
        return False


@dataclass(frozen=True, slots=True)
class JournalStatistics:
    records: int
    bytes_written: int
    flushes: int
    snapshots: int
    pending: int


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")  # characters a journal's file name leaves out


def _file_name(path: str | None, pid: int, serial: int) -> str:
    if path is None:
        return f"untitled-{serial}.{pid}{SUFFIX}"
    real = os.path.realpath(path)
    base = _UNSAFE.sub("_", os.path.basename(real))[:40] or "file"
    key = hashlib.sha256(os.fsencode(real)).hexdigest()[:12]
    return f"{base}.{key}.{pid}{SUFFIX}"


@dataclass(frozen=True, slots=True)
class _Snapshot:
    """A snapshot record waiting to be encoded at the next flush."""

    revision: int
    bom: bytes
    buffer: TextBuffer


class Journal:
    """The journal of one buffer, written by its owner only.

    ``revision`` is the document revision the journal's content reaches; an edit whose
    revision does not follow it (an edit that bypassed :meth:`record`) makes the journal
    write a fresh snapshot instead, so it never replays a wrong text.
    """

    _serial = 0

    def __init__(self, directory: str, path: str | None, stamp: DiskStamp | None, *,
                 owner: Owner | None = None, snapshot_limit: int = SNAPSHOT_LIMIT) -> None:
        Journal._serial += 1
        self.owner = owner or Owner.current()
        self.directory = directory
        self.path = path
        self.stamp = stamp
        self.snapshot_limit = snapshot_limit
        self.file = os.path.join(directory, _file_name(path, self.owner.pid, Journal._serial))
        self.revision: int | None = None  # None: not started
        self._pending: list[bytes | _Snapshot] = []
        self._fd: int | None = None
        self._flushing = False
        # Periodic flushes run on a thread (write and fsync release the GIL); a flush on
        # the main thread (a signal, shutdown) waits for one in flight. Re-entrant, so a
        # signal that interrupts a main-thread flush returns at once (see flush()).
        self._lock = threading.RLock()
        self._records = self._bytes = self._flushes = self._snapshots = 0

    # -- the hot path: in memory only ------------------------------------------------------
    @property
    def started(self) -> bool:
        return self.revision is not None

    def record(self, document: Document, edits: list[Edit]) -> None:
        """Append ``edits`` (just applied to ``document``). Cheap: no I/O."""
        if not edits:
            return
        if self.revision is None:
            self._begin(document, edits)
            return
        for edit in edits:
            if edit.revision != self.revision + 1:
                self.snapshot(document)
                return
            self._append({"t": "edit", "rev": edit.revision, "s": edit.start_byte,
                          "e": edit.old_end_byte, "n": edit.new_bytes, "o": edit.old_bytes})
            self.revision = edit.revision

    def catch_up(self, document: Document) -> None:
        """Snapshot if the document moved on without telling the journal."""
        if self.revision is not None and document.revision != self.revision:
            self.snapshot(document)

    def snapshot(self, document: Document) -> None:
        """Queue the whole text. Cheap here: an immutable view of the buffer's blocks is
        kept (``TextBuffer.snapshot``) and encoded only when the journal is flushed."""
        if self.revision is None:
            self._header()
        self._pending.append(_Snapshot(document.revision, document.bom,
                                       document.buffer.snapshot()))
        self._records += 1
        self.revision = document.revision
        self._snapshots += 1

    def _header(self) -> None:
        st = self.stamp
        self._append({
            "t": "header", "v": VERSION, "pid": self.owner.pid, "host": self.owner.host,
            "started": self.owner.started, "created": time.time(),
            "path": os.path.abspath(self.path) if self.path else None,
            "inode": st.inode if st else None, "size": st.size if st else None,
            "mtime_ns": st.mtime_ns if st else None, "sha256": st.sha256 if st else None,
        })

    def _begin(self, document: Document, edits: list[Edit]) -> None:
        if len(document) <= self.snapshot_limit or self.stamp is None or not self.stamp.sha256:
            self.snapshot(document)
            return
        self._header()
        self.revision = edits[0].revision - 1
        self.record(document, edits)

    def _append(self, record: dict) -> None:
        self._pending.append(encode_record(record))
        self._records += 1

    # -- I/O ---------------------------------------------------------------------------------
    @property
    def dirty(self) -> bool:
        return bool(self._pending)

    def flush(self) -> None:
        """Write what is pending and fsync it. Safe to call from a signal handler that
        interrupted another flush: the interrupted one finishes the work."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if self._flushing or not self._pending:
            return
        self._flushing = True
        try:
            pending, self._pending = self._pending, []
            pieces: list[bytes] = []
            for item in pending:
                if isinstance(item, _Snapshot):
                    pieces.extend(encode_snapshot(item.revision,
                                                  [item.bom, *item.buffer.blocks()]))
                else:
                    pieces.append(item)
            created = self._fd is None
            if created:
                os.makedirs(self.directory, mode=0o700, exist_ok=True)
                self._fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC,
                                   0o600)
                pieces.insert(0, MAGIC)
            data_len = 0
            for start in range(0, len(pieces), 64):  # ~1 MB per write for 16 KiB blocks
                data = b"".join(pieces[start:start + 64])
                view = memoryview(data)
                while view:
                    view = view[os.write(self._fd, view):]
                data_len += len(data)
            os.fsync(self._fd)
            if created:
                dfd = os.open(self.directory, os.O_RDONLY)
                try:
                    os.fsync(dfd)
                finally:
                    os.close(dfd)
            self._bytes += data_len
            self._flushes += 1
        finally:
            self._flushing = False

    def close(self) -> None:
        """Flush and close; the journal file stays (the buffer is still modified)."""
        try:
            self.flush()
        finally:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def remove(self) -> None:
        """The buffer was saved or its changes discarded: the journal is not needed."""
        self._pending.clear()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        try:
            os.unlink(self.file)
        except FileNotFoundError:
            pass
        self.revision = None

    def statistics(self) -> JournalStatistics:
        return JournalStatistics(self._records, self._bytes, self._flushes, self._snapshots,
                                 len(self._pending))


# -- finding and replaying ------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class JournalFile:
    """A journal found on disk. ``header`` is None when even the header is unreadable."""

    file: str
    header: dict | None

    @property
    def path(self) -> str | None:
        return self.header.get("path") if self.header else None

    @property
    def alive(self) -> bool:
        return self.header is not None and owner_alive(self.header)


def scan_journals(directory: str | None = None) -> list[JournalFile]:
    """Every journal in ``directory`` (default: :func:`journal_directory`), oldest first."""
    directory = directory or journal_directory()
    try:
        names = [n for n in os.listdir(directory) if n.endswith(SUFFIX)]
    except OSError:
        return []
    found = []
    for name in names:
        file = os.path.join(directory, name)
        try:
            with open(file, "rb") as f:
                head = f.read(64 * 1024)
        except OSError:
            continue
        records, _, _ = decode_records(head)
        header = records[0] if records and records[0].get("t") == "header" else None
        found.append(JournalFile(file, header))
    found.sort(key=lambda j: (j.header or {}).get("created", 0))
    return found


@dataclass(frozen=True, slots=True)
class Replayed:
    """The outcome of replaying a journal.

    ``data``: the recovered file bytes (BOM included), or None when nothing could be
    recovered. ``original_changed``: the file on disk is no longer the one the journal
    started from (recover into a new buffer, not over it). ``lost``: what could not be
    read (None when the whole journal replayed).
    """

    header: dict | None
    data: bytes | None
    edits: int
    valid_bytes: int
    total_bytes: int
    lost: str | None
    original_changed: bool
    original: bytes | None  # the file on disk now (for the difference view), if readable


def _disk_matches(header: dict) -> tuple[bool, bytes | None]:
    path = header.get("path")
    if not path:
        return False, None
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError:
        return False, None
    sha = header.get("sha256")
    if sha:
        return hashlib.sha256(data).hexdigest() == sha, data
    return len(data) == header.get("size"), data


def replay(file: str) -> Replayed:
    """Rebuild the buffer from a journal: its longest valid prefix, never an exception for
    damaged input."""
    try:
        with open(file, "rb") as f:
            raw = f.read()
    except OSError as err:
        return Replayed(None, None, 0, 0, 0, f"cannot read the journal: {err.strerror}",
                        False, None)
    records, valid, problem = decode_records(raw)
    if not records or records[0].get("t") != "header":
        return Replayed(None, None, 0, valid, len(raw), problem or "no header", False, None)
    header = records[0]
    same, original = _disk_matches(header)
    document: Document | None = None
    lost = problem
    edits = 0
    for record in records[1:]:
        kind = record.get("t")
        try:
            if kind == "snap":
                document = Document(bytes(record["data"]))
            elif kind == "edit":
                if document is None:
                    if not same or original is None:
                        lost = ("the journal's edits apply to the original file, which has "
                                "changed or is gone")
                        break
                    document = Document(original)
                start, end, new = int(record["s"]), int(record["e"]), bytes(record["n"])
                if document.buffer.slice(start, end) != bytes(record["o"]):
                    lost = f"edit {edits + 1} does not apply to the text before it"
                    break
                document.buffer.replace(start, end, new)
                edits += 1
        except (KeyError, TypeError, ValueError, IndexError) as err:
            lost = f"malformed record: {err}"
            break
    if lost is not None and valid < len(raw):
        lost = f"{lost}; {len(raw) - valid} of {len(raw)} bytes unreadable"
    data = document.to_bytes() if document is not None else None
    return Replayed(header, data, edits, valid, len(raw), lost, not same, original)
