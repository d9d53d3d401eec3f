"""The document: a TextBuffer plus the conventions of a text file (BOM, line endings,
UTF-8 with byte-exact round trips) and conversions between characters, bytes and points.

Every mutation goes through :meth:`Document.replace` or :meth:`Document.apply` and yields an
:class:`Edit` value stamped with the new revision.
"""

from __future__ import annotations

from ._buffer import TextBuffer
from ._edit import Edit, Point, Pos

__all__ = ["Document", "decode", "encode", "BOM"]

BOM = b"\xef\xbb\xbf"


def decode(data: bytes) -> str:
    """UTF-8 with ``surrogateescape``: every undecodable byte becomes one lone surrogate
    (U+DC80..U+DCFF), so ``encode(decode(b)) == b`` for any bytes."""
    return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


class Document:
    """Text of one file.

    Rows are separated by ``\\n``; a ``\\r`` right before ``\\n`` belongs to the line ending
    and is not part of the line's text. Columns (``Pos.col``) count characters from the line
    start; an edit's positions are "raw" (they may point between a ``\\r`` and its ``\\n``),
    cursor positions are clamped to :meth:`line_length`.
    """

    __slots__ = ("buffer", "bom", "newline", "revision", "_rows")

    ROW_CACHE = 8  # recent rows' bytes: one keystroke asks for its row several times

    def __init__(self, data: bytes | TextBuffer = b"", *, newline: bytes | None = None) -> None:
        buffer = data if isinstance(data, TextBuffer) else TextBuffer.from_bytes(data)
        bom = b""
        if len(buffer) >= 3 and buffer.slice(0, 3) == BOM:
            bom = BOM
            buffer.replace(0, 3, b"")
        self.buffer = buffer
        self.bom = bom
        self.newline = newline or self._dominant_newline()
        self.revision = 0
        self._rows: dict[tuple[int, int, int], tuple[int, bytes]] = {}

    def _dominant_newline(self) -> bytes:
        lf = self.buffer.newline_count
        if not lf:
            return b"\n"
        crlf = self.buffer.count(b"\r\n")
        return b"\r\n" if crlf * 2 > lf else b"\n"

    # -- whole-document views -------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """The file's bytes, BOM included: what a save writes."""
        return self.bom + self.buffer.to_bytes()

    def text(self) -> str:
        return decode(self.buffer.to_bytes())

    def __len__(self) -> int:
        """Length in bytes, without the BOM."""
        return len(self.buffer)

    @property
    def line_count(self) -> int:
        return self.buffer.line_count

    @property
    def newline_name(self) -> str:
        return "CRLF" if self.newline == b"\r\n" else "LF"

    # -- lines ----------------------------------------------------------------------------
    def _raw(self, row: int) -> tuple[int, bytes]:
        """``(start offset, bytes)`` of ``row`` without its ``\\n``, from a small cache
        keyed by (row, revision, length): a long line is joined from its blocks once per
        revision, not once per question asked about it."""
        key = (row, self.revision, len(self.buffer))
        hit = self._rows.get(key)
        if hit is None:
            start, end = self.buffer.line_span(row)
            hit = (start, self.buffer.slice(start, end))
            if len(self._rows) >= self.ROW_CACHE:
                self._rows.clear()
            self._rows[key] = hit
        return hit

    def raw_line_bytes(self, row: int) -> bytes:
        """Bytes of ``row`` without its ``\\n`` (a CR before it is kept)."""
        return self._raw(row)[1]

    def line_bytes(self, row: int) -> bytes:
        """Bytes of ``row`` without its line ending (``\\n`` or ``\\r\\n``)."""
        raw = self.raw_line_bytes(row)
        if raw.endswith(b"\r") and row + 1 < self.line_count:
            return raw[:-1]
        return raw

    def line_text(self, row: int) -> str:
        return decode(self.line_bytes(row))

    def line_ending(self, row: int) -> bytes:
        if row + 1 >= self.line_count:
            return b""
        return b"\r\n" if self.raw_line_bytes(row).endswith(b"\r") else b"\n"

    def line_length(self, row: int) -> int:
        """Characters in ``row``'s text (the largest cursor column)."""
        data = self.line_bytes(row)
        return len(data) if data.isascii() else len(decode(data))

    def lines(self, start: int, stop: int) -> list[str]:
        stop = min(stop, self.line_count)
        return [self.line_text(r) for r in range(max(start, 0), stop)]

    # -- coordinates ----------------------------------------------------------------------
    def clamp(self, pos: Pos) -> Pos:
        """The nearest valid cursor position."""
        row = min(max(pos.row, 0), self.line_count - 1)
        col = min(max(pos.col, 0), self.line_length(row))
        return Pos(row, col)

    def end(self) -> Pos:
        row = self.line_count - 1
        return Pos(row, self.line_length(row))

    def _resolve(self, pos: Pos) -> tuple[Pos, int, int]:
        """Clamp ``pos`` to the raw line and return ``(pos, line start byte, byte column)``."""
        row = min(max(pos.row, 0), self.line_count - 1)
        start, raw = self._raw(row)
        if raw.isascii():
            col = min(max(pos.col, 0), len(raw))
            return Pos(row, col), start, col
        text = decode(raw)
        col = min(max(pos.col, 0), len(text))
        return Pos(row, col), start, len(encode(text[:col]))

    def offset_of(self, pos: Pos) -> int:
        """Byte offset (without BOM) of a position; O(log n) plus the length of the line."""
        _, start, bcol = self._resolve(pos)
        return start + bcol

    def point_of(self, pos: Pos) -> Point:
        pos, _, bcol = self._resolve(pos)
        return Point(pos.row, bcol)

    def position_of(self, offset: int) -> Pos:
        """The raw position of a byte offset (inverse of :meth:`offset_of`)."""
        offset = min(max(offset, 0), len(self.buffer))
        row = self.buffer.row_of(offset)
        start = self.buffer.line_start(row)
        prefix = self.buffer.slice(start, offset)
        return Pos(row, len(prefix) if prefix.isascii() else len(decode(prefix)))

    # -- edits ----------------------------------------------------------------------------
    def replace(self, start: Pos, end: Pos, text: str) -> Edit:
        """Replace the text between two positions (in either order) and return the Edit."""
        start, line_s, bcol_s = self._resolve(start)
        end, line_e, bcol_e = self._resolve(end)
        if line_e + bcol_e < line_s + bcol_s:  # order after clamping: (-1, 4) may pass (0, 2)
            start, line_s, bcol_s, end, line_e, bcol_e = end, line_e, bcol_e, start, line_s, bcol_s
        sb, eb = line_s + bcol_s, line_e + bcol_e
        new = encode(text)
        old = self.buffer.slice(sb, eb)
        self.buffer.replace(sb, eb, new)
        self.revision += 1
        nl = text.count("\n")
        if nl:
            new_end = Pos(start.row + nl, len(text) - text.rfind("\n") - 1)
            new_end_point = Point(start.row + nl, len(new) - new.rfind(b"\n") - 1)
        else:
            new_end = Pos(start.row, start.col + len(text))
            new_end_point = Point(start.row, bcol_s + len(new))
        return Edit(
            start=start,
            old_end=end,
            new_end=new_end,
            start_byte=sb,
            old_end_byte=eb,
            new_end_byte=sb + len(new),
            start_point=Point(start.row, bcol_s),
            old_end_point=Point(end.row, bcol_e),
            new_end_point=new_end_point,
            old_bytes=old,
            new_bytes=new,
            revision=self.revision,
        )

    def insert(self, pos: Pos, text: str) -> Edit:
        return self.replace(pos, pos, text)

    def apply(self, edit: Edit) -> Edit:
        """Replay an Edit value (undo/redo). The document must be in the state the edit
        was made against; the bytes being replaced are checked."""
        current = self.buffer.slice(edit.start_byte, edit.old_end_byte)
        if current != edit.old_bytes:
            raise ValueError("edit does not apply: the document has changed under it")
        self.buffer.replace(edit.start_byte, edit.old_end_byte, edit.new_bytes)
        self.revision += 1
        return Edit(
            edit.start, edit.old_end, edit.new_end,
            edit.start_byte, edit.old_end_byte, edit.new_end_byte,
            edit.start_point, edit.old_end_point, edit.new_end_point,
            edit.old_bytes, edit.new_bytes, self.revision,
        )
