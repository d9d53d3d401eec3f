"""Highlight spans for one buffer on the UI side: the best spans known for each row.

Rows on screen with no spans yet are lexed at once with Pygments (a window started from a
sync point a bounded number of rows above), so nothing is painted uncoloured; tree-sitter
spans for the current revision replace them when the engine sends them. Until then an
edit shifts the existing spans through the change (rows below move by the line delta;
spans after the cursor on the edited row move by the inserted length).
"""

from __future__ import annotations

from ..core import Document, Edit
from ..engine import HighlightsReady, RowSpans, lex_window

__all__ = ["BufferHighlights"]

SYNC_BACK = 40  # rows above the first missing row where Pygments starts lexing
LONG_LINE = 20_000  # bytes: longer lines are not lexed (nor highlighted)
MAX_ROWS = 4096  # rows of spans kept (those far from the viewport are dropped first)


class BufferHighlights:
    __slots__ = ("document", "language", "path", "rows", "tree_sitter", "revision",
                 "enabled", "lexed_rows", "accepted", "stale")

    def __init__(self, document: Document, language: str, path: str | None) -> None:
        self.document = document
        self.language = language
        self.path = path
        self.rows: dict[int, RowSpans] = {}
        self.tree_sitter = False  # the engine parses this buffer
        self.revision = -1  # revision of the last tree-sitter spans accepted
        self.enabled = True  # False when Pygments has no lexer either
        self.lexed_rows = 0
        self.accepted = 0
        self.stale = 0

    def spans(self, row: int) -> RowSpans:
        return self.rows.get(row, ())

    def _long(self, row: int) -> bool:
        return len(self.document.raw_line_bytes(row)) > LONG_LINE

    def ensure(self, first: int, last: int) -> None:
        """Give every row in ``[first, last)`` some spans, lexing missing ones now."""
        if not self.enabled:
            return
        rows = self.rows
        last = min(last, self.document.line_count)
        row = first
        while row < last:
            if row in rows:
                row += 1
                continue
            if self._long(row):  # not lexed: minified lines would cost seconds
                rows[row] = ()
                row += 1
                continue
            stop = row  # a run of missing rows, up to the next long line
            while stop < last and stop not in rows and not self._long(stop):
                stop += 1
            start = self._sync_point(row)
            lexed = lex_window(self.document.lines(start, stop), self.language, self.path)
            if lexed is None:
                self.enabled = False
                return
            self.lexed_rows += stop - start
            for i, spans in enumerate(lexed):
                if start + i >= row:
                    rows.setdefault(start + i, spans)
            row = stop
        if len(rows) > MAX_ROWS:
            centre = (first + last) // 2
            for r in sorted(rows, key=lambda r: -abs(r - centre))[: len(rows) - MAX_ROWS]:
                del rows[r]

    def _sync_point(self, row: int) -> int:
        """A row at most SYNC_BACK above ``row`` that starts a top-level construct (no
        indentation, after a blank line): Pygments' lexer state is plain there. Never
        above a long line."""
        doc = self.document
        lowest = max(0, row - SYNC_BACK)
        for r in range(row, lowest, -1):
            if self._long(r - 1):
                return r
            text = doc.line_text(r)
            if text[:1].isalpha() and not doc.line_text(r - 1).strip():
                return r
        return lowest

    def apply_edit(self, edit: Edit) -> None:
        """Shift known spans through an edit (until fresh spans arrive)."""
        rows = self.rows
        if not rows:
            return
        s, oe, ne = edit.start, edit.old_end, edit.new_end
        delta = ne.row - oe.row
        shifted: dict[int, RowSpans] = {}
        for row, spans in rows.items():
            if row < s.row:
                shifted[row] = spans
            elif row > oe.row:
                shifted[row + delta] = spans
        if s.row == oe.row == ne.row and s.row in rows:
            d = ne.col - oe.col
            out = []
            for a, b, tok in rows[s.row]:
                if b <= s.col:
                    out.append((a, b, tok))
                elif a >= oe.col:
                    out.append((a + d, b + d, tok))
                elif a <= s.col:
                    out.append((a, max(s.col, b + d), tok))
            shifted[s.row] = tuple(out)
        elif s.row in rows:  # multi-row edit: keep the start row's spans before the edit
            shifted[s.row] = tuple((a, min(b, s.col), t) for a, b, t in rows[s.row] if a < s.col)
            for r in range(s.row + 1, ne.row + 1):
                shifted.pop(r, None)
        self.rows = shifted

    def accept(self, event: HighlightsReady) -> list[int]:
        """Take tree-sitter spans; returns the rows whose spans changed. Spans for an
        older revision are dropped (the engine sends newer ones after its next parse)."""
        if event.revision != self.document.revision:
            self.stale += 1
            return []
        self.accepted += 1
        self.revision = event.revision
        changed = []
        for i, spans in enumerate(event.rows):
            row = event.first_row + i
            if self.rows.get(row) != spans:
                self.rows[row] = spans
                changed.append(row)
        return changed
