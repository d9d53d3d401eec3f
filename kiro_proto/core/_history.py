"""Undo and redo as stacks of transactions of Edit values.

Typing, backspacing and forward-deleting in one run (contiguous, same kind, no pause longer
than ``group_timeout`` seconds, no newline, no space after a word) become one undo step,
as in VS Code and Sublime Text. Time is passed in, so the grouping is deterministic in tests.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._document import Document
from ._edit import Edit
from ._selection import Selection

__all__ = ["History", "Transaction"]

GROUPABLE = frozenset({"type", "backspace", "delete"})


@dataclass(slots=True)
class Transaction:
    edits: list[Edit]
    before: Selection
    after: Selection
    kind: str
    time: float
    closed: bool = False


@dataclass(slots=True)
class History:
    group_timeout: float = 1.0
    limit: int = 10_000
    _undo: list[Transaction] = field(default_factory=list)
    _redo: list[Transaction] = field(default_factory=list)

    def record(self, edits: list[Edit] | Edit, *, kind: str, before: Selection,
               after: Selection, now: float) -> None:
        edits = [edits] if isinstance(edits, Edit) else list(edits)
        if not edits:
            return
        self._redo.clear()
        last = self._undo[-1] if self._undo else None
        if last is not None and self._continues(last, edits, kind, now):
            last.edits.extend(edits)
            last.after = after
            last.time = now
            return
        if last is not None:
            last.closed = True
        self._undo.append(Transaction(edits, before, after, kind, now))
        if len(self._undo) > self.limit:
            del self._undo[0]

    def _continues(self, last: Transaction, edits: list[Edit], kind: str, now: float) -> bool:
        if last.closed or kind != last.kind or kind not in GROUPABLE or len(edits) != 1:
            return False
        if now - last.time > self.group_timeout:
            return False
        prev, edit = last.edits[-1], edits[0]
        if kind == "type":
            text = edit.new_bytes
            if b"\n" in text:
                return False
            if text[:1].isspace() and not prev.new_bytes[-1:].isspace():
                return False  # a space after a word closes the word's step
            return edit.start == prev.new_end
        if kind == "backspace":
            return edit.old_end == prev.start
        return edit.start == prev.start  # forward delete

    def close_group(self) -> None:
        """Stop the next edit from joining the current step (the cursor moved, say)."""
        if self._undo:
            self._undo[-1].closed = True

    def marker(self) -> object:
        """An identity for "the current state": compare two markers to know whether the
        text is back where it was (the editor's "modified" flag)."""
        return self._undo[-1] if self._undo else None

    @property
    def can_undo(self) -> bool:
        return bool(self._undo)

    @property
    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo(self, doc: Document) -> tuple[Selection, list[Edit]] | None:
        """Revert the last step; returns the selection to restore and the edits applied."""
        if not self._undo:
            return None
        tx = self._undo.pop()
        tx.closed = True
        applied = [doc.apply(e.inverse()) for e in reversed(tx.edits)]
        self._redo.append(tx)
        return tx.before, applied

    def redo(self, doc: Document) -> tuple[Selection, list[Edit]] | None:
        if not self._redo:
            return None
        tx = self._redo.pop()
        applied = [doc.apply(e) for e in tx.edits]
        self._undo.append(tx)
        return tx.after, applied

    def clear(self) -> None:
        self._undo.clear()
        self._redo.clear()
