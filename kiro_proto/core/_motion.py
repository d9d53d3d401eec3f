"""Cursor motions and indentation helpers: pure functions of a Document and a Pos."""

from __future__ import annotations

from ._document import Document
from ._edit import Pos

__all__ = ["word_left", "word_right", "leading_indent", "indent_unit"]


def _char_class(ch: str) -> int:
    if ch.isalnum() or ch == "_":
        return 2
    if ch.isspace():
        return 0
    return 1


def word_right(doc: Document, pos: Pos) -> Pos:
    """End of the next word (VS Code's ctrl+right): skip spaces, then one class run."""
    text = doc.line_text(pos.row)
    col = pos.col
    if col >= len(text):
        return Pos(pos.row + 1, 0) if pos.row + 1 < doc.line_count else pos
    while col < len(text) and text[col].isspace():
        col += 1
    if col < len(text):
        cls = _char_class(text[col])
        while col < len(text) and _char_class(text[col]) == cls:
            col += 1
    return Pos(pos.row, col)


def word_left(doc: Document, pos: Pos) -> Pos:
    """Start of the previous word (ctrl+left)."""
    text = doc.line_text(pos.row)
    col = min(pos.col, len(text))
    if col == 0:
        if pos.row == 0:
            return pos
        return Pos(pos.row - 1, doc.line_length(pos.row - 1))
    while col > 0 and text[col - 1].isspace():
        col -= 1
    if col > 0:
        cls = _char_class(text[col - 1])
        while col > 0 and _char_class(text[col - 1]) == cls:
            col -= 1
    return Pos(pos.row, col)


def leading_indent(text: str) -> str:
    """The run of spaces and tabs a line starts with."""
    return text[: len(text) - len(text.lstrip(" \t"))]


def indent_unit(doc: Document, default: str = "    ", sample_rows: int = 200) -> str:
    """Guess the indent unit from the first indented lines (tab, or 2/4/8 spaces)."""
    widths: dict[int, int] = {}
    for row in range(min(doc.line_count, sample_rows)):
        ind = leading_indent(doc.line_text(row))
        if ind.startswith("\t"):
            return "\t"
        if ind:
            widths[len(ind)] = widths.get(len(ind), 0) + 1
    for unit in (2, 4, 8):
        if widths and all(w % unit == 0 for w in widths) and min(widths) == unit:
            return " " * unit
    return default
