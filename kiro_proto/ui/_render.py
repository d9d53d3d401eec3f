"""Rendering one document row into a Textual ``Strip``, memoized.

The memo key names everything a rendered row depends on: the row number (gutter), the
line's text, the cursor column, the selection and find-match ranges on that row, the
horizontal scroll, the width, the gutter width and the style generation. An edit changes
the text of only the rows it touched, so only those rows miss. (Textual's own ``render_line``
cache keys the same way.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from .. import switches
from ..core import LineLayout, layout_line

__all__ = ["LineRenderer", "Palette", "RowDecor"]

_PLAIN = Style()


@dataclass(frozen=True, slots=True)
class Palette:
    """One shared Style object per role (flyweights: rows reuse them, never copy them)."""

    text: Style = Style(color="#d8dee9", bgcolor="#1e222a")
    gutter: Style = Style(color="#5c6370", bgcolor="#1b1f27")
    gutter_current: Style = Style(color="#e5c07b", bgcolor="#1b1f27", bold=True)
    cursor: Style = Style(color="#1e222a", bgcolor="#d8dee9")
    selection: Style = Style(bgcolor="#3e4a61")
    match: Style = Style(bgcolor="#6b5a1e")
    control: Style = Style(color="#ffffff", bgcolor="#8b3a62", bold=True)
    invalid: Style = Style(color="#ffffff", bgcolor="#a03030", bold=True)
    unicode: Style = Style(color="#1e222a", bgcolor="#c0a060")

    def badge(self, kind: str) -> Style:
        return {"control": self.control, "invalid": self.invalid}.get(kind, self.unicode)


@dataclass(frozen=True, slots=switches.SWITCHES.compact)  # off: a __dict__ per instance
class RowDecor:
    """What decorates a row besides its text; part of the memo key, so hashable. One per
    rendered row, kept in every memo key: slotted (docs/patterns/02, switch ``compact``)."""

    cursor: int | None = None  # character column of the caret on this row
    selection: tuple[int, int] | None = None  # character columns; end may be len+1 (newline)
    match: tuple[int, int] | None = None
    spans: tuple[tuple[int, int, str], ...] = ()  # highlight spans: (start, end, token name)


class LineRenderer:
    """Turns ``(row, text, decor)`` into a Strip of exactly ``gutter + width`` cells."""

    def __init__(self, palette: Palette | None = None, *, tab_width: int = 4,
                 cache_size: int = 2048, memoize: bool | None = None,
                 token_style: Callable[[str], Style] | None = None) -> None:
        self.palette = palette or Palette()
        self.token_style = token_style or (lambda _token: _PLAIN)
        self.generation = 0  # bumped when colours change: part of every key
        self.tab_width = tab_width
        self.memoize = switches.SWITCHES.memo_lines if memoize is None else memoize
        self.cache: LRUCache[tuple, Strip] = LRUCache(cache_size)
        self._layouts: LRUCache[str, LineLayout] = LRUCache(256)

    def layout(self, text: str) -> LineLayout:
        """Layout of a line (cell positions of every character), cached by text."""
        cached = self._layouts.get(text)
        if cached is None:
            cached = layout_line(text, self.tab_width, get_character_cell_size)
            self._layouts[text] = cached
        return cached

    def statistics(self) -> dict[str, int]:
        return {"hits": self.cache.hits, "misses": self.cache.misses, "size": len(self.cache)}

    def render(self, row: int, text: str, decor: RowDecor, *, scroll_x: int, width: int,
               gutter: int, current: bool) -> Strip:
        key = (row, text, decor, scroll_x, width, gutter, current, self.generation)
        if self.memoize:
            strip = self.cache.get(key)
            if strip is not None:
                return strip
        strip = self._render(row, text, decor, scroll_x, width, gutter, current)
        if self.memoize:
            self.cache[key] = strip
        return strip

    def _render(self, row: int, text: str, decor: RowDecor, scroll_x: int, width: int,
                gutter: int, current: bool) -> Strip:
        pal = self.palette
        layout = self.layout(text)
        display = layout.display
        n = len(display)
        # Token spans (non-overlapping, sorted) are the base; overlays (badges, find
        # match, selection, cursor: a handful) are applied over them, lowest first.
        style_of = self.token_style
        tokens = []
        for a, b, tok in decor.spans:
            if a >= len(text):
                break
            tokens.append((layout.col_to_dpos(a), layout.col_to_dpos(min(b, len(text))),
                           style_of(tok)))
        overlays: list[tuple[int, int, Style]] = [(a, b, pal.badge(k)) for a, b, k in layout.badges]
        tail: list[Segment] = []  # cells past the end of the text
        for rng, style in ((decor.match, pal.match), (decor.selection, pal.selection)):
            if rng is not None:
                a, b = layout.col_to_dpos(rng[0]), layout.col_to_dpos(rng[1])
                overlays.append((a, b, style))
                if rng[1] > len(text):  # selection runs over the line ending
                    tail = [Segment(" ", pal.text + style)]
        if decor.cursor is not None:
            c = decor.cursor
            if c < len(text):
                a = layout.col_to_dpos(c)
                overlays.append((a, layout.col_to_dpos(c + 1), pal.cursor))
            else:
                tail = [Segment(" ", pal.cursor)]
        segments: list[Segment] = []
        if not tokens and not overlays:
            if display:
                segments.append(Segment(display, pal.text))
        else:
            cuts = {0, n}
            for a, b, _ in tokens:
                cuts.add(a)
                cuts.add(b)
            for a, b, _ in overlays:
                cuts.add(min(max(a, 0), n))
                cuts.add(min(max(b, 0), n))
            points = sorted(cuts)
            base = pal.text
            ti = 0
            for a, b in zip(points, points[1:]):
                while ti < len(tokens) and tokens[ti][1] <= a:
                    ti += 1
                style = base + tokens[ti][2] if ti < len(tokens) and tokens[ti][0] <= a else base
                for oa, ob, os in overlays:
                    if oa <= a and b <= ob:
                        style = style + os
                segments.append(Segment(display[a:b], style))
        segments.extend(tail)
        content = Strip(segments).crop(scroll_x, scroll_x + width)
        content = content.extend_cell_length(width, pal.text)
        number = f"{row + 1:>{gutter - 2}}  "
        left = Strip([Segment(number, pal.gutter_current if current else pal.gutter)], gutter)
        return Strip.join([left, content])

    def blank(self, width: int, gutter: int) -> Strip:
        key = ("blank", width, gutter)
        strip = self.cache.get(key)
        if strip is None:
            pal = self.palette
            strip = Strip([Segment(" " * gutter, pal.gutter), Segment(" " * width, pal.text)],
                          gutter + width)
            self.cache[key] = strip
        return strip
