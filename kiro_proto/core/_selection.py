"""Selections: an anchor and a cursor, both character positions (``Pos``)."""

from __future__ import annotations

from typing import NamedTuple

from ._edit import Pos

__all__ = ["Selection"]


class Selection(NamedTuple):
    """``anchor`` is where the selection started, ``cursor`` where it ends (and where the
    caret is drawn). Empty when they are equal."""

    anchor: Pos
    cursor: Pos

    @classmethod
    def at(cls, pos: Pos) -> "Selection":
        return cls(pos, pos)

    @property
    def is_empty(self) -> bool:
        return self.anchor == self.cursor

    @property
    def start(self) -> Pos:
        return min(self.anchor, self.cursor)

    @property
    def end(self) -> Pos:
        return max(self.anchor, self.cursor)

    def collapse(self) -> "Selection":
        return Selection(self.cursor, self.cursor)
