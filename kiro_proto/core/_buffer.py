"""The byte store behind a document: a list of bounded byte blocks plus two Fenwick trees.

A 100 MB file is ~6,400 blocks of 16 KiB, not 2.7 million line objects. Lines are found by
counting newlines per block (done in C by ``bytes.count``); per-block newline offsets are
computed only for blocks someone looks at, and kept in a small bounded cache.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left
from typing import Any, BinaryIO, ClassVar, Iterator

from ._fenwick import line_index
from ._lru import LRU, CacheStatistics

__all__ = ["TextBuffer"]

try:  # read by mypyc (``make native``, which installs mypy_extensions)
    from mypy_extensions import mypyc_attr
except ImportError:  # standard library only: interpreted, the decorator does nothing
    def mypyc_attr(*_args: Any, **_kwargs: Any) -> Any:  # type: ignore[misc, no-redef]
        return lambda cls: cls

_NEWLINE = re.compile(b"\n")


def _offsets(values: list[int]) -> "array[int] | list[int]":
    """Newline offsets of one block, compact: 4 bytes each in one ``array('I')``. With the
    ``compact`` switch off (docs/patterns/02), the plain list: an 8-byte pointer per offset
    and, above 256, a 28-byte int object behind it."""
    from .. import switches

    return array("I", values) if switches.SWITCHES.compact else values


@mypyc_attr(allow_interpreted_subclasses=True)  # the tests subclass it with tiny blocks
class TextBuffer:
    """Mutable bytes with O(log n) offset and line look-ups.

    Units: all offsets are byte offsets into the buffer; rows are 0-based and count ``\\n``
    bytes only (a lone ``\\r`` is content, as in Vim and tree-sitter's points).
    Invariants: ``self._lens[i] == len(self._blocks[i])``, ``self._nls[i] ==
    self._blocks[i].count(b"\\n")``, and the two Fenwick trees hold those lists.
    There is always at least one block (possibly empty).
    """

    BLOCK: ClassVar[int] = 16 * 1024  # target block size when (re)splitting
    MAX_BLOCK: ClassVar[int] = 2 * BLOCK  # a block larger than this is split
    NL_CACHE: ClassVar[int] = 512  # blocks whose newline offsets are kept

    __slots__ = ("_blocks", "_lens", "_nls", "_len_tree", "_nl_tree", "_nl_cache", "rebuilds")

    def __init__(self, blocks: list[bytes] | None = None) -> None:
        blocks = [b for b in (blocks or []) if b] or [b""]
        self._blocks = blocks
        self._nl_cache: LRU[int, tuple[bytes, "array[int] | list[int]"]] = LRU(
            self.NL_CACHE, "newlines")
        self.rebuilds = 0
        self._reindex()

    # -- construction -------------------------------------------------------------------
    @classmethod
    def from_bytes(cls, data: bytes) -> "TextBuffer":
        step = cls.BLOCK
        return cls([data[i : i + step] for i in range(0, len(data), step)])

    @classmethod
    def from_stream(cls, stream: BinaryIO) -> "TextBuffer":
        """Read a binary stream block by block: the file is never held twice in memory."""
        blocks: list[bytes] = []
        read = stream.read
        size = cls.BLOCK * 64  # few large reads, then cut: fewer syscalls, same memory
        while True:
            chunk = read(size)
            if not chunk:
                break
            blocks.extend(chunk[i : i + cls.BLOCK] for i in range(0, len(chunk), cls.BLOCK))
        return cls(blocks)

    def _reindex(self) -> None:
        blocks = self._blocks
        self._lens = [len(b) for b in blocks]
        self._nls = [b.count(b"\n") for b in blocks]
        self._len_tree = line_index(self._lens)
        self._nl_tree = line_index(self._nls)
        self.rebuilds += 1

    def snapshot(self) -> "TextBuffer":
        """A read-only copy of the current text that later edits do not affect. Cheap:
        blocks are immutable ``bytes`` and are shared; only the block list and the two
        count lists are copied (O(number of blocks), no text copied)."""
        snap = TextBuffer.__new__(TextBuffer)
        snap._blocks = list(self._blocks)
        snap._lens = list(self._lens)
        snap._nls = list(self._nls)
        snap._len_tree = self._len_tree.copy()
        snap._nl_tree = self._nl_tree.copy()
        snap._nl_cache = self._nl_cache  # keyed by block identity: safe to share
        snap.rebuilds = 0
        return snap

    def chunk_at(self, offset: int, limit: int | None = None) -> bytes:
        """Bytes from ``offset`` to the end of its block (at most ``limit``): the read
        callback tree-sitter parses from, without joining the text."""
        if offset >= len(self):
            return b""
        k, a = self._locate(offset)
        block = self._blocks[k]
        return block[a:] if limit is None else block[a : a + limit]

    # -- queries --------------------------------------------------------------------------
    def __len__(self) -> int:
        return self._len_tree.total()

    @property
    def newline_count(self) -> int:
        return self._nl_tree.total()

    @property
    def line_count(self) -> int:
        return self._nl_tree.total() + 1

    @property
    def block_count(self) -> int:
        return len(self._blocks)

    def blocks(self) -> Iterator[bytes]:
        return iter(self._blocks)

    def to_bytes(self) -> bytes:
        return b"".join(self._blocks)

    def chunks(self, size: int = 1 << 20) -> Iterator[bytes]:
        """The text in pieces of about ``size`` bytes (whole blocks, at least one piece),
        each joined only when it is asked for: a caller that sends a large text can let
        other work run between pieces instead of joining all of it at once."""
        pieces: list[bytes] = []
        gathered = 0
        for block in self._blocks:
            pieces.append(block)
            gathered += len(block)
            if gathered >= size:
                yield b"".join(pieces)
                pieces, gathered = [], 0
        if pieces or not self._blocks:
            yield b"".join(pieces)

    def _locate(self, offset: int) -> tuple[int, int]:
        """(block index, offset inside it) for a byte offset in ``[0, len]``."""
        if offset < 0:
            raise IndexError(f"negative offset {offset}")
        k, rem = self._len_tree.search(offset)
        if k >= len(self._blocks):
            if rem > 0:
                raise IndexError(f"offset {offset} past end {len(self)}")
            k = len(self._blocks) - 1
            rem = self._lens[k]
        return k, rem

    def slice(self, start: int, end: int) -> bytes:
        """Bytes in ``[start, end)``; O(log n + (end - start))."""
        if end <= start:
            return b""
        k, a = self._locate(start)
        blocks = self._blocks
        first = blocks[k]
        if a + (end - start) <= len(first):
            return first[a : a + end - start]
        parts = [first[a:]]
        need = end - start - (len(first) - a)
        k += 1
        while need > 0 and k < len(blocks):
            b = blocks[k]
            parts.append(b[:need])
            need -= len(b)
            k += 1
        return b"".join(parts)

    def _block_newlines(self, k: int) -> "array[int] | list[int]":
        """Offsets of ``\\n`` inside block ``k`` as a compact ``array('I')``, memoized by
        block identity (blocks are immutable ``bytes``: an edited block is a new object).
        In-block edits carry the entry over to the new block (see ``replace``)."""
        block = self._blocks[k]
        cache = self._nl_cache
        hit = cache.get(id(block))
        if hit is not None and hit[0] is block:
            return hit[1]
        offsets = _offsets([m.start() for m in _NEWLINE.finditer(block)])
        self._remember(block, offsets)
        return offsets

    def newline_cache_statistics(self) -> CacheStatistics:
        """Hits and misses of the per-block newline-offset cache."""
        return self._nl_cache.statistics()

    def _remember(self, block: bytes, offsets: "array[int] | list[int]") -> None:
        cache = self._nl_cache
        cache.put(id(block), (block, offsets))

    def _carry_newlines(self, old: bytes, new: bytes, a: int, b: int, data: bytes) -> None:
        """After ``old[a:b]`` became ``data`` (giving ``new``), derive ``new``'s newline
        offsets from ``old``'s cached ones instead of rescanning the block: keep those
        before ``a``, add the inserted ones, shift those after ``b``."""
        hit = self._nl_cache.pop(id(old), None)
        if hit is None or hit[0] is not old:
            return
        offs = hit[1]
        i, j = bisect_left(offs, a), bisect_left(offs, b)
        delta = len(data) - (b - a)
        fresh = offs[:i]
        if b"\n" in data:
            fresh.extend(a + m.start() for m in _NEWLINE.finditer(data))
        if delta:
            fresh.extend(o + delta for o in offs[j:])
        else:
            fresh.extend(offs[j:])
        self._remember(new, fresh)

    def newline_offset(self, n: int) -> int:
        """Byte offset of the ``n``-th (0-based) ``\\n`` in the buffer."""
        k, rem = self._nl_tree.search(n)
        if k >= len(self._blocks):
            raise IndexError(f"newline {n} of {self.newline_count}")
        return self._len_tree.prefix(k) + self._block_newlines(k)[rem]

    def line_start(self, row: int) -> int:
        """Byte offset where 0-based ``row`` starts. O(log n) plus one block scan on a miss."""
        if row <= 0:
            return 0
        return self.newline_offset(row - 1) + 1

    def line_span(self, row: int) -> tuple[int, int]:
        """``(start, end)`` of ``row`` where ``end`` excludes its ``\\n`` (a ``\\r`` before
        it is still included: the document layer decides what a line ending is)."""
        start = self.line_start(row)
        if row + 1 >= self.line_count:
            return start, len(self)
        return start, self.newline_offset(row)

    def row_of(self, offset: int) -> int:
        """Number of ``\\n`` bytes in ``[0, offset)``, i.e. the row holding ``offset``."""
        k, a = self._locate(offset)
        return self._nl_tree.prefix(k) + self._blocks[k].count(b"\n", 0, a)

    def count(self, sub: bytes) -> int:
        """Occurrences of ``sub`` (1-2 bytes), including ones that straddle block edges."""
        total = sum(b.count(sub) for b in self._blocks)
        if len(sub) == 2:
            prev = b""
            for b in self._blocks:
                if prev and b and prev[-1:] + b[:1] == sub:
                    total += 1
                if b:
                    prev = b
        return total

    # -- edits ----------------------------------------------------------------------------
    def replace(self, start: int, end: int, data: bytes) -> None:
        """Replace bytes ``[start, end)`` with ``data``.

        Inside one block: O(block size + log n). Across blocks or when a block outgrows
        ``MAX_BLOCK``: the affected blocks are rebuilt and the trees re-indexed, O(n / BLOCK).
        """
        if end < start:
            raise ValueError(f"end {end} before start {start}")
        k1, a = self._locate(start)
        # An offset at a block boundary belongs to the earlier block's end for insertion.
        if a == 0 and k1 > 0 and start == end:
            k1 -= 1
            a = self._lens[k1]
        k2, b = self._locate(end) if end != start else (k1, a)
        while b == 0 and k2 > k1:  # end sits on a block boundary: it is the end of the block before
            k2 -= 1
            b = self._lens[k2]
        blocks = self._blocks
        if k1 == k2:
            old = blocks[k1]
            new = old[:a] + data + old[b:]
            if len(new) <= self.MAX_BLOCK:
                blocks[k1] = new
                self._carry_newlines(old, new, a, b, data)
                dl = len(new) - self._lens[k1]
                dn = data.count(b"\n") - old.count(b"\n", a, b)
                self._lens[k1] = len(new)
                if dl:
                    self._len_tree.add(k1, dl)
                if dn:
                    self._nls[k1] += dn
                    self._nl_tree.add(k1, dn)
                return
        else:
            new = blocks[k1][:a] + data + blocks[k2][b:]
        step = self.BLOCK
        pieces = [new[i : i + step] for i in range(0, len(new), step)] or [b""]
        # Splice the per-block counts (only the new pieces are counted), then rebuild the
        # two trees: O(number of blocks) integer work, no rescan of the text.
        blocks[k1 : k2 + 1] = pieces
        self._lens[k1 : k2 + 1] = [len(p) for p in pieces]
        self._nls[k1 : k2 + 1] = [p.count(b"\n") for p in pieces]
        self._len_tree = line_index(self._lens)
        self._nl_tree = line_index(self._nls)
        self.rebuilds += 1
