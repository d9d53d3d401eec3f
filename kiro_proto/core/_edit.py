"""Edits as explicit values: what changed, in every coordinate system a consumer needs.

Characters for the cursor, byte offsets for the buffer, and (row, byte-column) points for
tree-sitter's ``Tree.edit`` are all computed once, when the edit is made (xi's deltas).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["Pos", "Point", "Edit"]


class Pos(NamedTuple):
    """A cursor position: 0-based row, 0-based column in characters of the decoded line
    (one character per code point; each undecodable byte counts as one character)."""

    row: int
    col: int


class Point(NamedTuple):
    """A tree-sitter point: 0-based row and 0-based column in bytes."""

    row: int
    column: int


@dataclass(frozen=True, slots=True)
class Edit:
    """One replacement ``[start, old_end) -> new text``; ``revision`` is the document
    revision this edit produced. ``inverse()`` is the edit that undoes it."""

    start: Pos
    old_end: Pos
    new_end: Pos
    start_byte: int
    old_end_byte: int
    new_end_byte: int
    start_point: Point
    old_end_point: Point
    new_end_point: Point
    old_bytes: bytes
    new_bytes: bytes
    revision: int = 0

    def inverse(self) -> "Edit":
        return Edit(
            start=self.start,
            old_end=self.new_end,
            new_end=self.old_end,
            start_byte=self.start_byte,
            old_end_byte=self.new_end_byte,
            new_end_byte=self.old_end_byte,
            start_point=self.start_point,
            old_end_point=self.new_end_point,
            new_end_point=self.old_end_point,
            old_bytes=self.new_bytes,
            new_bytes=self.old_bytes,
        )

    @property
    def rows_changed(self) -> tuple[int, int]:
        """Inclusive row range of the new text that this edit touched."""
        return self.start.row, self.new_end.row

    @property
    def line_delta(self) -> int:
        return self.new_end.row - self.old_end.row

    def tree_sitter_args(self) -> dict:
        """Keyword arguments for ``tree_sitter.Tree.edit``."""
        return {
            "start_byte": self.start_byte,
            "old_end_byte": self.old_end_byte,
            "new_end_byte": self.new_end_byte,
            "start_point": tuple(self.start_point),
            "old_end_point": tuple(self.old_end_point),
            "new_end_point": tuple(self.new_end_point),
        }
