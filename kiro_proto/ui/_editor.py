"""The editor widget: a Textual Line API view (``ScrollView`` + ``render_line``) over an
EditorState. Only visible rows are rendered, each through the memoized LineRenderer, and an
edit refreshes only the rows it dirtied.
"""

from __future__ import annotations

import time

from textual import events
from textual.actions import parse as parse_action
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from typing import Callable

from .. import switches
from ..core import Edit, EditorState, Pos, Selection
from ._highlights import BufferHighlights
from ._render import LineRenderer, RowDecor
from ._plugins import overlay_spans

__all__ = ["EditorView", "LONG_LINE"]

# Lines longer than this many bytes (minified files) are rendered as a window of columns
# around the horizontal scroll, and each column counts as one cell when placing the cursor
# (tabs and wide characters inside such a line are not measured). Not highlighted.
WIDTH_STEP = 64  # cells: the virtual width grows in these steps (see _update_virtual_size)
LONG_LINE = 20_000


class EditorView(ScrollView, can_focus=True):
    """Shows and edits one EditorState at a time (``load`` switches documents)."""

    DEFAULT_CSS = """
    EditorView {
        overflow-x: hidden;
        background: #1e222a;
        scrollbar-size-vertical: 1;
    }
    """

    # Plugins' spans by row (replaced whole by ui/_plugins.py, never mutated in place).
    decorations: dict[int, tuple] = {}
    BINDINGS = [
        Binding("up", "cursor('up')", "Up", show=False),
        Binding("down", "cursor('down')", "Down", show=False),
        Binding("left", "cursor('left')", "Left", show=False),
        Binding("right", "cursor('right')", "Right", show=False),
        Binding("shift+up", "cursor('up', True)", show=False),
        Binding("shift+down", "cursor('down', True)", show=False),
        Binding("shift+left", "cursor('left', True)", show=False),
        Binding("shift+right", "cursor('right', True)", show=False),
        Binding("ctrl+left", "cursor('word_left')", show=False),
        Binding("ctrl+right", "cursor('word_right')", show=False),
        Binding("ctrl+shift+left", "cursor('word_left', True)", show=False),
        Binding("ctrl+shift+right", "cursor('word_right', True)", show=False),
        Binding("home", "cursor('home')", show=False),
        Binding("end", "cursor('end')", show=False),
        Binding("shift+home", "cursor('home', True)", show=False),
        Binding("shift+end", "cursor('end', True)", show=False),
        Binding("pageup", "cursor('page_up')", show=False),
        Binding("pagedown", "cursor('page_down')", show=False),
        Binding("shift+pageup", "cursor('page_up', True)", show=False),
        Binding("shift+pagedown", "cursor('page_down', True)", show=False),
        Binding("ctrl+home", "cursor('doc_start')", show=False),
        Binding("ctrl+end", "cursor('doc_end')", show=False),
        Binding("ctrl+shift+home", "cursor('doc_start', True)", show=False),
        Binding("ctrl+shift+end", "cursor('doc_end', True)", show=False),
        Binding("enter", "newline", show=False),
        Binding("backspace", "backspace", show=False),
        Binding("delete", "delete", show=False),
        Binding("tab", "indent", show=False),
        Binding("shift+tab", "outdent", show=False),
        Binding("ctrl+z", "undo", "Undo"),
        Binding("ctrl+y", "redo", "Redo", show=False),
        Binding("ctrl+a", "select_all", "Select all", show=False),
        Binding("ctrl+c", "copy", "Copy", show=False),
        Binding("ctrl+x", "cut", "Cut", show=False),
        Binding("ctrl+v", "paste", "Paste", show=False),
    ]

    class StateChanged(Message):
        """The cursor, selection or text changed (the status bar listens)."""

        def __init__(self, view: "EditorView", edited: bool) -> None:
            super().__init__()
            self.view = view
            self.edited = edited

    class ReadOnlyEdit(Message):
        """The user tried to edit a read-only document."""

    def __init__(self, state: EditorState, *, renderer: LineRenderer | None = None,
                 highlights: BufferHighlights | None = None, id: str | None = None) -> None:
        super().__init__(id=id)
        self.state = state
        self.renderer = renderer or LineRenderer()
        self.clipboard = ""
        self.command_keys: dict[str, str] = {}  # key -> app action, run in key order
        self.highlights = highlights
        # Listeners (the app forwards these to the engine through the bridge).
        self.on_viewport: Callable[[int, int], None] | None = None
        self.match: tuple[Pos, Pos] | None = None  # current find match, highlighted
        self._max_width = 0
        self._drag = False
        self.last_key_time = 0.0  # perf_counter of the last key handled (for measurement)
        self.key_observer: Callable[[float], None] | None = None  # the HUD's frame meter
        self.on_state_changed: Callable[[bool], None] | None = None  # the app's status line
        self.edit_listeners: list = []  # called as listener(state, edits) after each edit

    # -- document switching -----------------------------------------------------------------
    def load(self, state: EditorState, highlights: BufferHighlights | None = None) -> None:
        self.state = state
        self.highlights = highlights
        self.match = None
        self._max_width = 0
        self._update_virtual_size()
        self.scroll_to(0, 0, animate=False, force=True)
        self.refresh()
        self.post_message(self.StateChanged(self, False))

    # -- geometry ---------------------------------------------------------------------------
    @property
    def gutter_width(self) -> int:
        return len(str(self.state.document.line_count)) + 3

    @property
    def text_width(self) -> int:
        return max(1, self.scrollable_content_region.width - self.gutter_width)

    def _update_virtual_size(self) -> None:
        """The scrollable size: every row, and the widest line seen so far. The width grows
        in steps of ``WIDTH_STEP`` cells: a new virtual size costs a layout and a repaint of
        the whole screen, which typing at the end of the longest line would otherwise pay on
        every key. (Overflow-x is hidden, so the extra columns show no scrollbar; the view
        can scroll at most a step past the widest line.)"""
        doc = self.state.document
        cur = self.state.cursor
        cursor_cell = self.col_to_cell(cur.row, cur.col)
        needed = self.gutter_width + max(self._max_width, cursor_cell) + 1
        width = -(-needed // WIDTH_STEP) * WIDTH_STEP
        self.virtual_size = Size(width, doc.line_count)

    def on_mount(self) -> None:
        self._update_virtual_size()
        self._viewport_changed()

    def visible_rows(self) -> tuple[int, int]:
        top = int(self.scroll_offset.y)
        return top, top + max(1, self.scrollable_content_region.height)

    def _viewport_changed(self) -> None:
        if self.on_viewport is not None:
            self.on_viewport(*self.visible_rows())

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if round(old_value) != round(new_value):
            self._viewport_changed()

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self.scroll_cursor_visible()
        self._viewport_changed()  # the visible rows are known only once the size is

    # -- rendering --------------------------------------------------------------------------
    def col_to_cell(self, row: int, col: int) -> int:
        doc = self.state.document
        if len(doc.raw_line_bytes(row)) > LONG_LINE:
            return col
        return self.renderer.layout(doc.line_text(row)).col_to_cell(col)

    def render_lines(self, crop: Region) -> list[Strip]:
        if not switches.SWITCHES.viewport:
            # Ablation (KIRO_ABLATE=viewport): what an editor without viewport culling does,
            # render every document row on each update; only the visible strips are used.
            top = int(self.scroll_offset.y)
            for row in range(self.state.document.line_count):
                self.render_line(row - top)
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        doc = self.state.document
        width = self.text_width
        gutter = self.gutter_width
        if row >= doc.line_count:
            return self.renderer.blank(width, gutter)
        raw = doc.raw_line_bytes(row)
        offset = 0  # first column shown when the line is windowed
        if len(raw) > LONG_LINE:
            offset = scroll_x
            if raw.isascii():
                length = doc.line_length(row)
                text = raw[offset : min(length, offset + width + 1)].decode("ascii")
            else:
                full = doc.line_text(row)
                length = len(full)
                text = full[offset : offset + width + 1]
            scroll_x = 0
        else:
            text = doc.line_text(row)
            length = len(text)
        sel = self.state.selection
        cursor = doc.clamp(sel.cursor)
        decor_sel = None
        if not sel.is_empty:
            start, end = sel.start, sel.end
            if start.row <= row <= end.row:
                a = start.col if row == start.row else 0
                b = end.col if row == end.row else length + 1
                if b > a:
                    decor_sel = (max(0, a - offset), max(0, b - offset))
        decor_match = None
        if self.match is not None and self.match[0].row <= row <= self.match[1].row:
            ms, me = self.match
            a = ms.col if row == ms.row else 0
            b = me.col if row == me.row else length
            decor_match = (max(0, a - offset), max(0, b - offset))
        spans = ()
        highlights = self.highlights
        if highlights is not None and not offset and len(raw) <= LONG_LINE:
            if row not in highlights.rows:
                highlights.ensure(row, scroll_y + self.scrollable_content_region.height)
            spans = highlights.spans(row)
            if row in self.decorations:  # plugins' decorations and diagnostics, drawn over
                spans = overlay_spans(spans, self.decorations[row])
        caret = cursor.col - offset if row == cursor.row and cursor.col >= offset else None
        decor = RowDecor(caret, decor_sel, decor_match, spans)
        strip = self.renderer.render(row, text, decor, scroll_x=scroll_x, width=width,
                                     gutter=gutter, current=row == cursor.row)
        layout_width = length if len(raw) > LONG_LINE else self.renderer.layout(text).width
        if layout_width > self._max_width:
            self._max_width = layout_width
            self.call_later(self._update_virtual_size)
        return strip

    def _rows_of(self, sel: Selection) -> tuple[int, int]:
        return sel.start.row, sel.end.row

    def _refresh_rows(self, first: int, last: int) -> None:
        top = int(self.scroll_offset.y)
        bottom = top + self.scrollable_content_region.height
        first, last = max(first, top), min(last, bottom)
        if last >= first:
            self.refresh_lines(first, last - first + 1)

    def scroll_cursor_visible(self) -> None:
        if not self.is_mounted:
            return
        doc = self.state.document
        cur = doc.clamp(self.state.cursor)
        height = self.scrollable_content_region.height
        width = self.text_width
        x, y = int(self.scroll_offset.x), int(self.scroll_offset.y)
        if cur.row < y:
            y = cur.row
        elif height and cur.row >= y + height:
            y = cur.row - height + 1
        cell = self.col_to_cell(cur.row, cur.col)
        if cell < x:
            x = max(0, cell - width // 4)
        elif cell >= x + width:
            x = cell - width + max(1, width // 4)
        if (x, y) != (int(self.scroll_offset.x), int(self.scroll_offset.y)):
            self._update_virtual_size()
            self.scroll_to(x, y, animate=False, force=True)  # overflow-x is hidden: force

    # -- applying commands ------------------------------------------------------------------
    def _run(self, command, *args, **kwargs) -> None:
        """Run an EditorState command and refresh exactly what it changed."""
        state = self.state
        before = state.selection
        gutter = self.gutter_width
        result = command(*args, **kwargs)
        edits: list[Edit] = result if isinstance(result, list) else []
        if edits:
            for listener in self.edit_listeners:
                listener(state, edits)
        if self.gutter_width != gutter:
            self.refresh()
        else:
            bottom = int(self.scroll_offset.y) + self.scrollable_content_region.height
            for edit in edits:
                if edit.line_delta:
                    self._refresh_rows(min(edit.start.row, edit.old_end.row), bottom)
                else:
                    self._refresh_rows(edit.start.row, edit.new_end.row)
            for sel in (before, state.selection):
                self._refresh_rows(*self._rows_of(sel))
        if edits:
            self.match = None
            if self.highlights is not None:
                for edit in edits:
                    self.highlights.apply_edit(edit)
            self._update_virtual_size()
        self.scroll_cursor_visible()
        if self.on_state_changed is not None:
            # Now, inside this key's handler: the edited rows and the status line then
            # reach the screen in one frame. A posted StateChanged is handled after the
            # screen may already have sent a frame with the edit alone: two frames a key.
            self.on_state_changed(bool(edits))
        else:
            self.post_message(self.StateChanged(self, bool(edits)))

    def refresh_rows(self, rows: list[int]) -> None:
        """Repaint these document rows if they are on screen (new highlight spans)."""
        top, bottom = self.visible_rows()
        for row in rows:
            if top <= row < bottom:
                self.refresh_lines(row, 1)

    def _edit(self, command, *args, **kwargs) -> None:
        if self.state.read_only:
            self.post_message(self.ReadOnlyEdit())
            return
        self._run(command, *args, now=time.monotonic(), **kwargs)

    # -- input ------------------------------------------------------------------------------
    async def on_key(self, event: events.Key) -> None:
        """Every key the editor knows is handled here, in arrival order.

        Textual checks ordinary bindings only after a key has bubbled up to the App, in the
        App's own message queue; a fast typist's (or tmux's) next printable key can then
        overtake an Enter or an arrow. So the editor's bindings, and the app commands given
        in ``command_keys``, are run from this handler instead.
        """
        self.last_key_time = time.perf_counter()
        if self.key_observer is not None:
            self.key_observer(event.time)  # monotonic time the key was read from the terminal
        key = event.key
        action = self._key_actions().get(key)
        if action is not None:
            event.stop()
            event.prevent_default()
            name, params = action
            getattr(self, f"action_{name}")(*params)
        elif key in self.command_keys:  # before text: alt+s carries the character "s"
            event.stop()
            event.prevent_default()
            await self.app.run_action(self.command_keys[key])
        elif event.is_printable and event.character and len(event.character) == 1:
            event.stop()
            event.prevent_default()
            self._edit(self.state.insert_text, event.character)

    @classmethod
    def _key_actions(cls) -> dict[str, tuple[str, tuple]]:
        table = cls.__dict__.get("_key_table")
        if table is None:
            table = {}
            for binding in cls.BINDINGS:
                _, name, params = parse_action(binding.action)
                for key in binding.key.split(","):
                    table[key.strip()] = (name, params)
            cls._key_table = table
        return table

    def on_paste(self, event: events.Paste) -> None:
        event.stop()
        self._edit(self.state.paste, event.text)

    def action_cursor(self, motion: str, select: bool = False) -> None:
        s = self.state
        page = max(1, self.scrollable_content_region.height - 1)
        moves = {
            "up": lambda: s.move_vertical(-1, select=select),
            "down": lambda: s.move_vertical(1, select=select),
            "left": lambda: s.move_left(select=select),
            "right": lambda: s.move_right(select=select),
            "word_left": lambda: s.move_word(-1, select=select),
            "word_right": lambda: s.move_word(1, select=select),
            "home": lambda: s.move_home(select=select),
            "end": lambda: s.move_end(select=select),
            "page_up": lambda: s.move_vertical(-page, select=select),
            "page_down": lambda: s.move_vertical(page, select=select),
            "doc_start": lambda: s.move_document(False, select=select),
            "doc_end": lambda: s.move_document(True, select=select),
        }
        if motion in ("page_up", "page_down"):
            y = self.scroll_offset.y + (-page if motion == "page_up" else page)
            self.scroll_to(None, max(0, y), animate=False)
        self._run(moves[motion])

    def action_newline(self) -> None:
        self._edit(self.state.newline)

    def action_backspace(self) -> None:
        self._edit(self.state.backspace)

    def action_delete(self) -> None:
        self._edit(self.state.delete_forward)

    def action_indent(self) -> None:
        self._edit(self.state.indent_lines)

    def action_outdent(self) -> None:
        self._edit(self.state.outdent_lines)

    def action_undo(self) -> None:
        self._run(self.state.undo)

    def action_redo(self) -> None:
        self._run(self.state.redo)

    def action_select_all(self) -> None:
        self.state.select_all()
        self.refresh()
        self.post_message(self.StateChanged(self, False))

    def _copy(self) -> str:
        text = self.state.selected_text()
        if text:
            self.clipboard = text
            self.app.copy_to_clipboard(text)
        return text

    def action_copy(self) -> None:
        self._copy()

    def action_cut(self) -> None:
        if self._copy():
            self._edit(self.state.insert_text, "", kind="other")

    def action_paste(self) -> None:
        if self.clipboard:
            self._edit(self.state.paste, self.clipboard)

    def go_to(self, pos: Pos, *, select_to: Pos | None = None) -> None:
        """Move the cursor (selecting ``pos``..``select_to`` if given) and show it."""
        state = self.state

        def move() -> None:
            state.move_to(pos)
            if select_to is not None:
                state.move_to(select_to, select=True)

        self._run(move)
        cur = state.cursor
        height = self.scrollable_content_region.height
        if height and not (self.scroll_offset.y <= cur.row < self.scroll_offset.y + height):
            self.scroll_to(None, max(0, cur.row - height // 2), animate=False)

    # -- mouse ------------------------------------------------------------------------------
    def _pos_at(self, x: int, y: int) -> Pos:
        doc = self.state.document
        row = min(max(int(self.scroll_offset.y) + y, 0), doc.line_count - 1)
        cell = max(0, x - self.gutter_width) + int(self.scroll_offset.x)
        if len(doc.raw_line_bytes(row)) > LONG_LINE:
            return doc.clamp(Pos(row, cell))
        return Pos(row, self.renderer.layout(doc.line_text(row)).cell_to_col(cell))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.focus()
        pos = self._pos_at(event.x, event.y)
        self._drag = True
        self.capture_mouse()
        self._run(self.state.move_to, pos, select=event.shift)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._drag and event.button == 1:
            self._run(self.state.move_to, self._pos_at(event.x, event.y), select=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._drag:
            self._drag = False
            self.capture_mouse(False)
