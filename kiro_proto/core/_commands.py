"""Editing commands on a document, a selection and an undo history: typing, deleting,
auto-indent, indent/outdent, cursor motions, clipboard text, undo/redo.

Pure and synchronous, so the whole editing behaviour is testable without a terminal; the
UI only maps keys to these methods and refreshes the rows the returned edits touched.
"""

from __future__ import annotations

from ._document import Document
from ._edit import Edit, Pos
from ._history import History
from ._motion import indent_unit, leading_indent, word_left, word_right
from ._selection import Selection

__all__ = ["EditorState"]

_OPENERS = (":", "{", "[", "(")


class EditorState:
    """One open document with its cursor, selection and history.

    Every mutating method returns the list of Edits it made (empty when nothing changed),
    so callers know exactly which rows are dirty. ``now`` is a time in seconds, used only
    to group typing into undo steps.
    """

    __slots__ = ("document", "selection", "history", "read_only", "tab_width", "indent",
                 "_goal_col", "_saved_marker")

    def __init__(self, document: Document, *, read_only: bool = False, tab_width: int = 4,
                 indent: str | None = None) -> None:
        self.document = document
        self.selection = Selection.at(Pos(0, 0))
        self.history = History()
        self.read_only = read_only
        self.tab_width = tab_width
        self.indent = indent if indent is not None else indent_unit(document)
        self._goal_col: int | None = None
        self._saved_marker: object = None

    # -- state ----------------------------------------------------------------------------
    @property
    def cursor(self) -> Pos:
        return self.selection.cursor

    @property
    def modified(self) -> bool:
        return self.history.marker() is not self._saved_marker

    def mark_saved(self) -> None:
        self.history.close_group()
        self._saved_marker = self.history.marker()

    def selected_text(self) -> str:
        sel = self.selection
        if sel.is_empty:
            return ""
        doc = self.document
        start, end = doc.offset_of(sel.start), doc.offset_of(sel.end)
        return doc.buffer.slice(start, end).decode("utf-8", "surrogateescape")

    # -- mutations ------------------------------------------------------------------------
    def _replace(self, start: Pos, end: Pos, text: str, kind: str, now: float,
                 caret: Pos | None = None) -> list[Edit]:
        if self.read_only:
            return []
        before = self.selection
        edit = self.document.replace(start, end, text)
        after = Selection.at(caret if caret is not None else edit.new_end)
        self.selection = after
        self._goal_col = None
        self.history.record(edit, kind=kind, before=before, after=after, now=now)
        return [edit]

    def insert_text(self, text: str, *, now: float = 0.0, kind: str = "type") -> list[Edit]:
        """Replace the selection with ``text`` (typing when it is one character)."""
        sel = self.selection
        if not text and sel.is_empty:
            return []
        if not sel.is_empty:
            kind = "other"
        return self._replace(sel.start, sel.end, text, kind, now)

    def paste(self, text: str, *, now: float = 0.0) -> list[Edit]:
        """Insert clipboard text with its line endings converted to the document's."""
        nl = self.document.newline.decode()
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if nl != "\n":
            text = text.replace("\n", nl)
        return self.insert_text(text, now=now, kind="paste")

    def newline(self, *, now: float = 0.0) -> list[Edit]:
        """Enter: the document's line ending plus the current line's indentation, one
        unit more after an opening ``:``, ``{``, ``[`` or ``(``."""
        doc = self.document
        start = self.selection.start
        line = doc.line_text(start.row)
        indent = leading_indent(line[: start.col])
        before = line[: start.col].rstrip()
        if before.endswith(_OPENERS):
            indent += self.indent
        return self.insert_text(doc.newline.decode() + indent, now=now, kind="newline")

    def backspace(self, *, now: float = 0.0) -> list[Edit]:
        sel = self.selection
        if not sel.is_empty:
            return self._replace(sel.start, sel.end, "", "other", now)
        pos = self.document.clamp(sel.cursor)
        if pos.col == 0:
            if pos.row == 0:
                return []
            prev = Pos(pos.row - 1, self.document.line_length(pos.row - 1))
            return self._replace(prev, pos, "", "backspace", now)
        line = self.document.line_text(pos.row)
        head = line[: pos.col]
        width = len(self.indent)
        if self.indent != "\t" and head and not head.strip(" ") and width > 1:
            back = (pos.col - 1) % width + 1  # to the previous indent stop
            return self._replace(Pos(pos.row, pos.col - back), pos, "", "backspace", now)
        return self._replace(Pos(pos.row, pos.col - 1), pos, "", "backspace", now)

    def delete_forward(self, *, now: float = 0.0) -> list[Edit]:
        sel = self.selection
        if not sel.is_empty:
            return self._replace(sel.start, sel.end, "", "other", now)
        doc = self.document
        pos = doc.clamp(sel.cursor)
        if pos.col >= doc.line_length(pos.row):
            if pos.row + 1 >= doc.line_count:
                return []
            return self._replace(pos, Pos(pos.row + 1, 0), "", "delete", now, caret=pos)
        return self._replace(pos, Pos(pos.row, pos.col + 1), "", "delete", now, caret=pos)

    def _selected_rows(self) -> range:
        sel = self.selection
        last = sel.end.row
        if sel.end.col == 0 and sel.end.row > sel.start.row:
            last -= 1
        return range(sel.start.row, last + 1)

    def indent_lines(self, *, now: float = 0.0) -> list[Edit]:
        """Tab: with no multi-line selection insert spaces to the next indent stop (or a
        tab); otherwise indent every selected row by one unit."""
        sel = self.selection
        if sel.start.row == sel.end.row:
            if self.indent == "\t":
                return self.insert_text("\t", now=now, kind="other")
            width = len(self.indent)
            col = sel.start.col
            return self.insert_text(" " * (width - col % width), now=now, kind="other")
        return self._shift_rows(+1, now)

    def outdent_lines(self, *, now: float = 0.0) -> list[Edit]:
        return self._shift_rows(-1, now)

    def _shift_rows(self, direction: int, now: float) -> list[Edit]:
        if self.read_only:
            return []
        doc = self.document
        before = self.selection
        edits: list[Edit] = []
        for row in self._selected_rows():
            line = doc.line_text(row)
            if direction > 0:
                if line.strip():
                    edits.append(doc.replace(Pos(row, 0), Pos(row, 0), self.indent))
            else:
                lead = leading_indent(line)
                cut = 1 if lead.startswith("\t") else min(len(lead), len(self.indent))
                if cut:
                    edits.append(doc.replace(Pos(row, 0), Pos(row, cut), ""))
        if not edits:
            return []

        def shift(pos: Pos) -> Pos:
            delta = sum(len(e.new_bytes) - len(e.old_bytes) for e in edits if e.start.row == pos.row)
            return doc.clamp(Pos(pos.row, max(0, pos.col + delta)))  # indent units are ASCII

        self.selection = Selection(shift(before.anchor), shift(before.cursor))
        self.history.record(edits, kind="other", before=before, after=self.selection, now=now)
        return edits

    def undo(self) -> list[Edit]:
        if self.read_only:
            return []
        result = self.history.undo(self.document)
        if result is None:
            return []
        self.selection = Selection(*(self.document.clamp(p) for p in result[0]))
        self._goal_col = None
        return result[1]

    def redo(self) -> list[Edit]:
        if self.read_only:
            return []
        result = self.history.redo(self.document)
        if result is None:
            return []
        self.selection = Selection(*(self.document.clamp(p) for p in result[0]))
        self._goal_col = None
        return result[1]

    # -- motions --------------------------------------------------------------------------
    def move_to(self, pos: Pos, *, select: bool = False, keep_goal: bool = False) -> None:
        pos = self.document.clamp(pos)
        anchor = self.selection.anchor if select else pos
        self.selection = Selection(anchor, pos)
        if not keep_goal:
            self._goal_col = None
        self.history.close_group()

    def select_all(self) -> None:
        self.selection = Selection(Pos(0, 0), self.document.end())
        self.history.close_group()

    def move_left(self, *, select: bool = False) -> None:
        sel, doc = self.selection, self.document
        if not select and not sel.is_empty:
            return self.move_to(sel.start)
        pos = doc.clamp(sel.cursor)
        if pos.col > 0:
            pos = Pos(pos.row, pos.col - 1)
        elif pos.row > 0:
            pos = Pos(pos.row - 1, doc.line_length(pos.row - 1))
        self.move_to(pos, select=select)

    def move_right(self, *, select: bool = False) -> None:
        sel, doc = self.selection, self.document
        if not select and not sel.is_empty:
            return self.move_to(sel.end)
        pos = doc.clamp(sel.cursor)
        if pos.col < doc.line_length(pos.row):
            pos = Pos(pos.row, pos.col + 1)
        elif pos.row + 1 < doc.line_count:
            pos = Pos(pos.row + 1, 0)
        self.move_to(pos, select=select)

    def move_vertical(self, rows: int, *, select: bool = False) -> None:
        cur = self.selection.cursor
        goal = self._goal_col if self._goal_col is not None else cur.col
        row = min(max(cur.row + rows, 0), self.document.line_count - 1)
        if row == cur.row and rows:
            col = 0 if rows < 0 else self.document.line_length(row)
            self.move_to(Pos(row, col), select=select)
            return
        self.move_to(Pos(row, goal), select=select, keep_goal=True)
        self._goal_col = goal

    def move_word(self, direction: int, *, select: bool = False) -> None:
        cur = self.document.clamp(self.selection.cursor)
        target = word_right(self.document, cur) if direction > 0 else word_left(self.document, cur)
        self.move_to(target, select=select)

    def move_home(self, *, select: bool = False) -> None:
        """Smart home: first non-blank character, then column 0."""
        cur = self.selection.cursor
        first = len(leading_indent(self.document.line_text(cur.row)))
        self.move_to(Pos(cur.row, 0 if cur.col == first else first), select=select)

    def move_end(self, *, select: bool = False) -> None:
        cur = self.selection.cursor
        self.move_to(Pos(cur.row, self.document.line_length(cur.row)), select=select)

    def move_document(self, end: bool, *, select: bool = False) -> None:
        self.move_to(self.document.end() if end else Pos(0, 0), select=select)
