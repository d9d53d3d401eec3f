"""Terminal safety and layout of one line: what the terminal is sent, and where each
character lands in cells.

No byte of a file reaches the terminal raw. Rich and Textual strip only BEL, BS, VT, FF and
CR; ESC, other C0 controls, DEL and C1 controls would reach the terminal and could set the
window title, write the clipboard (OSC 52) or clear the screen. Everything ``str.isprintable``
rejects is therefore shown as a visible badge: ``^[`` (C0, caret notation), ``^?`` (DEL),
``<9b>`` (C1), ``<ff>`` (a byte that is not UTF-8), ``<U+202E>`` (bidi, zero-width and other
format or separator characters). Tabs are expanded here, not by the terminal.
"""

from __future__ import annotations

import unicodedata
from typing import Callable

__all__ = ["LineLayout", "layout_line", "sanitize", "char_cells"]


def char_cells(ch: str) -> int:
    """Terminal cells of one printable character (wide East Asian: 2, combining: 0)."""
    if ch < "\u0300":
        return 1
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _badge(ch: str) -> tuple[str, str]:
    """(visible text, kind) for a character that must not reach the terminal."""
    o = ord(ch)
    if o < 0x20:
        return "^" + chr(o + 64), "control"
    if o == 0x7F:
        return "^?", "control"
    if 0xDC80 <= o <= 0xDCFF:  # a byte that was not valid UTF-8 (surrogateescape)
        return f"<{o - 0xDC00:02x}>", "invalid"
    if o <= 0xFF:
        return f"<{o:02x}>", "control"
    return f"<U+{o:04X}>", "unicode"


class LineLayout:
    """The display form of one line.

    ``display`` is safe to send to a terminal. ``dpos[i]`` is the index in ``display`` where
    character ``i`` of the text starts, ``cells[i]`` the cell column (both have one extra
    entry for the end). They are ``None`` for the common case (printable ASCII, no tabs),
    where every map is the identity. ``badges`` lists ``(dstart, dend, kind)`` in display
    indices.
    """

    __slots__ = ("display", "dpos", "cells", "badges", "width")

    def __init__(self, display: str, dpos: list[int] | None, cells: list[int] | None,
                 badges: tuple[tuple[int, int, str], ...], width: int) -> None:
        self.display = display
        self.dpos = dpos
        self.cells = cells
        self.badges = badges
        self.width = width

    def col_to_cell(self, col: int) -> int:
        """Cell column of character column ``col`` (past the end: one cell per column)."""
        cells = self.cells
        if cells is None:
            return col
        n = len(cells) - 1
        return cells[col] if col <= n else cells[n] + (col - n)

    def col_to_dpos(self, col: int) -> int:
        dpos = self.dpos
        if dpos is None:
            return col
        n = len(dpos) - 1
        return dpos[min(max(col, 0), n)]

    def cell_to_col(self, cell: int) -> int:
        """The character column whose cells cover ``cell`` (mouse clicks)."""
        cells = self.cells
        if cells is None:
            return max(0, min(cell, self.width))
        lo, hi = 0, len(cells) - 1
        if cell >= cells[hi]:
            return hi
        while lo < hi:  # largest i with cells[i] <= cell
            mid = (lo + hi + 1) // 2
            if cells[mid] <= cell:
                lo = mid
            else:
                hi = mid - 1
        return lo


def layout_line(text: str, tab_width: int = 4,
                char_width: Callable[[str], int] = char_cells) -> LineLayout:
    if text.isascii() and text.isprintable():
        return LineLayout(text, None, None, (), len(text))
    parts: list[str] = []
    dpos: list[int] = []
    cells: list[int] = []
    badges: list[tuple[int, int, str]] = []
    d = c = 0
    for ch in text:
        dpos.append(d)
        cells.append(c)
        if ch == "\t":
            w = tab_width - c % tab_width
            s = " " * w
        elif ch.isprintable():
            s = ch
            w = char_width(ch)
        else:
            s, kind = _badge(ch)
            w = len(s)
            badges.append((d, d + len(s), kind))
        parts.append(s)
        d += len(s)
        c += w
    dpos.append(d)
    cells.append(c)
    return LineLayout("".join(parts), dpos, cells, tuple(badges), c)


def sanitize(text: str) -> str:
    """One-line safe form of any text (file names, messages, plugin strings): every
    non-printable character becomes its badge; tabs become one space."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch.isprintable():
            out.append(ch)
        elif ch == "\t":
            out.append(" ")
        else:
            out.append(_badge(ch)[0])
    return "".join(out)
