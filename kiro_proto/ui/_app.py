"""The kiro-proto application: buffers, the editor view, the file tree, find and replace,
the status bar and the commands that tie them together."""

from __future__ import annotations

import gc
import os
import re
import threading
from dataclasses import dataclass, field
from typing import Iterable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual import events
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import DirectoryTree, Static

from ..core import (Document, Edit, EditorState, FileProblem, Finder, LoadedFile, Pos,
                    SearchError,
                    language_for_path, load_file, sanitize, save_file)
from ..engine import (ApplyEdit, CloseDocument, FileLoaded, HighlightsReady, InputGate,
                      LoadFile, Message, OpenDocument, ParseCompleted, RequestHighlights,
                      WorkerRestarted)
from ._dialogs import ConfirmQuitScreen, PromptScreen
from ._editor import EditorView
from ._findbar import FindBar
from ._highlights import BufferHighlights
from ._hud import PerfPanel
from ._keyhints import KeyHints
from ._render import LineRenderer
from ._theme import DEFAULT_STYLE, SyntaxTheme
from ._safety import SafeDirectoryTree, SafetyNet
from ._workspace import WorkspaceUI, restore_paths
from ._plugins import PluginUI
from .. import registry, switches

__all__ = ["KiroApp", "OpenBuffer"]


_doc_ids = iter(range(1, 1 << 62))
ASYNC_OPEN_BYTES = 1 << 20  # files larger than this open on a thread worker
ENGINE_START_GAP = 0.02  # s after a key before the engine starts (its frame first)
ENGINE_START_MAX_WAIT = 1.0  # s after the first frame: the engine starts, typing or not
ENGINE_IMPORT_POLL = 0.01  # s between looks at the thread importing the engine


def _import_engine() -> None:
    """On a thread, from ``on_ready``: the engine's modules (trio above all, about 100 ms of
    Python) are imported while the UI keeps handling keys. The import holds the GIL in
    turns of the switch interval (5 ms), so a key typed meanwhile is handled between
    turns instead of after the whole import. An error is left for the UI thread's own
    import in ``_start_engine`` to raise where it is reported."""
    try:
        registry.load("engine.bridge")
    except BaseException:  # noqa: BLE001 - raised again by the UI thread's import
        pass


# What counts as the user at work for background pacing (mouse moves do not).
USER_INPUT = (events.Key, events.Paste, events.MouseDown, events.MouseScrollDown,
              events.MouseScrollUp)


@dataclass(eq=False)
class OpenBuffer:
    """An open file: its editing state plus where it lives."""

    state: EditorState
    path: str | None
    binary: bool = False
    finder: Finder = field(init=False)
    doc_id: int = field(init=False)
    language: str = field(init=False)
    highlights: BufferHighlights = field(init=False)
    highlighter: str = "Pygments"  # what colours it now: "Pygments", "tree-sitter", ...

    def __post_init__(self) -> None:
        self.finder = Finder(self.state.document)
        self.doc_id = next(_doc_ids)
        self.language = language_for_path(self.path)
        self.highlights = BufferHighlights(self.state.document, self.language, self.path)
        if self.binary:
            self.highlights.enabled = False

    @property
    def name(self) -> str:
        return os.path.basename(self.path) if self.path else "untitled"

    @classmethod
    def open(cls, path: str) -> "OpenBuffer":
        return cls.from_loaded(load_file(path))

    @classmethod
    def from_loaded(cls, loaded: LoadedFile) -> "OpenBuffer":
        state = EditorState(loaded.document, read_only=loaded.read_only)
        return cls(state, loaded.path, loaded.binary)

    @classmethod
    def scratch(cls) -> "OpenBuffer":
        return cls(EditorState(Document(b"")), None)


def display_path(path: str | None) -> str:
    """A short form of a path for the status bar: relative to the current folder when
    inside it, with ``~`` for the home folder otherwise."""
    if not path:
        return "untitled"
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    home = os.path.expanduser("~")
    if home != "/" and absolute.startswith(home + os.sep):
        return "~" + absolute[len(home):]
    return absolute


class StatusBar(Widget):
    """One line of text, repainted in place. (A ``Static.update`` asks for a new layout of
    the whole screen every time, and the status line changes with every keystroke.) It
    draws through the Line API: one Strip, rebuilt only when the text or the width
    changes, instead of a Rich ``Text`` laid out again on every frame."""

    DEFAULT_CSS = """
    StatusBar { height: 1; width: 1fr; background: #2c313a; color: #abb2bf; padding: 0 1; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = ""
        self._strip: tuple[int, Strip] | None = None  # (width, strip) of the current text

    @property
    def text(self) -> str:
        return self._text

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        cached = self._strip
        if cached is None or cached[0] != width:
            text = self._text
            if cell_len(text) > width:
                text = set_cell_size(text, max(0, width - 1)) + "…"
            style = self.rich_style
            cached = (width, Strip([Segment(text, style)]).extend_cell_length(width, style))
            self._strip = cached
        return cached[1] if y == 0 else Strip.blank(width, self.rich_style)

    def update(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self._strip = None
            self.refresh()

    def show(self, buf: OpenBuffer, extra: str = "") -> None:
        st = buf.state
        doc = st.document
        cur = st.cursor
        # Most important first, so a narrow terminal cuts the least useful parts.
        parts = [sanitize(display_path(buf.path)) + (" [+]" if st.modified else "")]
        if extra:
            parts.append(sanitize(extra))
        parts.extend(self.app.plugins.status_items())  # sanitized there
        if st.read_only:
            parts.append("read-only")
        parts.append(f"Ln {cur.row + 1}, Col {cur.col + 1}")
        highlighter = buf.highlighter if buf.highlights.enabled else ""
        parts.append(f"{buf.language} ({highlighter})" if highlighter else buf.language)
        parts.append("UTF-8 BOM" if doc.bom else "UTF-8")
        parts.append(doc.newline_name)
        self.update(" │ ".join(parts))


class MainScreen(Screen):
    """The editor's screen. Textual focuses the first focusable widget when a screen starts
    (``AUTO_FOCUS = "*"``): with a folder open that was the sidebar's tree, and the editor
    took the focus from it a moment later. The tree's blur then restyled and re-rendered
    it (40-50 ms for 38 rows) and laid out the screen again, a quarter of a second after
    the first paint, just when the first keys come."""

    AUTO_FOCUS = "EditorView"


class KiroApp(App):
    """``paths``: files to open; ``workspace``: a folder shown in the sidebar."""

    TITLE = "kiro-proto"
    CSS = """
    Screen { background: #1e222a; }
    #banner { display: none; height: 1; background: #a03030; color: white; padding: 0 1; }
    #banner.-visible { display: block; }
    #sidebar { width: 30; display: none; border-right: solid #2c313a; background: #21252b; }
    #sidebar.-visible { display: block; }
    #main { width: 1fr; }
    EditorView { height: 1fr; }
    """
    COMMAND_PALETTE_BINDING = "f1"
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit"),
        Binding("ctrl+s", "save", "Save"),
        Binding("alt+s", "save_as", "Save as"),
        Binding("ctrl+o", "open", "Open"),
        Binding("ctrl+f", "find", "Find"),
        Binding("ctrl+r", "replace", "Replace"),
        Binding("ctrl+g", "goto_line", "Go to line"),
        Binding("ctrl+b", "toggle_sidebar", "Files"),
        Binding("ctrl+p", "quick_open", "Quick open"),
        Binding("alt+f", "project_search", "Search files", show=False),
        # Terminals send alt+f as ESC f, which Textual reads as ctrl+right (word right):
        # alt+shift+f (ESC F) reaches the app in any terminal.
        Binding("alt+shift+f", "project_search", "Search files", show=False),
        Binding("ctrl+pageup", "switch_buffer(-1)", "Prev file", show=False),
        Binding("ctrl+pagedown", "switch_buffer(1)", "Next file", show=False),
        Binding("f3", "find_next(1)", "Next match", show=False),
        Binding("shift+f3", "find_next(-1)", "Prev match", show=False),
        Binding("f12", "toggle_hud", "Perf panel", show=False),
    ]

    def __init__(self, paths: Iterable[str] = (), workspace: str | None = None, *,
                 style: str = DEFAULT_STYLE, syntax_mode: str | None = None,
                 restore_session: bool = False) -> None:
        super().__init__()
        paths, session = restore_paths(workspace, paths) if restore_session else (paths, {})
        self.workspace = workspace
        self.theme_style = SyntaxTheme(style)
        self.syntax_mode = syntax_mode
        self.bridge = None  # the engine starts after the first paint (see _start_engine)
        self._before_engine: list[Message] = []
        # Keys, clicks and wheel steps are noted here; the engine's background walk waits
        # for them to pause (engine/_pacing.py).
        self.input_gate = InputGate()
        self._ready_at = 0.0
        self._engine_import: threading.Thread | None = None
        self._request_ids = 0
        self.parse_log: list[ParseCompleted] = []
        self.buffers: list[OpenBuffer] = []
        self.problems: list[str] = []
        for path in paths:
            try:
                self.buffers.append(OpenBuffer.open(path))
            except FileProblem as err:
                self.problems.append(str(err))
        if not self.buffers:
            self.buffers.append(OpenBuffer.scratch())
        self.current = self.buffers[0]
        self._search_origin: int | None = None
        self.workspace_ui = WorkspaceUI(self, session)  # index, search, session, span cache
        self.plugins = PluginUI(self)  # manifests are read after the first paint
        registry.startup()  # loads everything now only with the lazy_registry switch off

    # -- layout -----------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return MainScreen(id="_default")

    def compose(self) -> ComposeResult:
        yield Static("", id="banner", markup=False)
        with Horizontal():
            if self.workspace:
                yield SafeDirectoryTree(self.workspace, id="sidebar", classes="-visible")
            with Vertical(id="main"):
                theme = self.theme_style
                renderer = LineRenderer(theme.palette, token_style=theme.style)
                yield EditorView(self.current.state, renderer=renderer,
                                 highlights=self.current.highlights, id="editor")
                yield FindBar(id="findbar")
            yield PerfPanel(id="hud")
        yield StatusBar(id="status")
        yield KeyHints(id="keys")
        yield SafetyNet(id="safety")

    def main_query(self, selector, expect_type=None):
        """``query_one`` on the main screen. ``App.query_one`` searches the screen on top,
        which is a dialog while one is open; engine events still update the main screen."""
        screen = self.screen_stack[0] if self.screen_stack else self.screen
        return screen.query_one(selector, expect_type) if expect_type else screen.query_one(selector)

    @property
    def editor(self) -> EditorView:
        return self.main_query(EditorView)

    @property
    def safety(self) -> SafetyNet:
        return self.main_query(SafetyNet)

    def on_mount(self) -> None:
        editor = self.editor
        editor.command_keys = {b.key: b.action for b in self.BINDINGS if isinstance(b, Binding)}
        editor.edit_listeners.append(self._send_edits)
        editor.on_viewport = self._send_viewport
        editor.on_state_changed = lambda _edited: self._update_status()
        for buf in self.buffers:
            self._open_in_engine(buf)
        self.call_after_refresh(self.workspace_ui.restore_positions)
        if not switches.SWITCHES.deferred_start:
            # the baseline: trio, the engine and plugin discovery before the first paint
            self._start_engine()
        self._show_banner()
        self.editor.focus()
        self._update_status()
        for problem in self.problems:
            self.notify(sanitize(problem), severity="error", markup=False, timeout=8)

    def _show_banner(self) -> None:
        banner = self.main_query("#banner", Static)
        if self.current.binary:
            banner.update("Binary file (NUL bytes in the first 8 KiB): opened read-only; "
                          "control bytes are shown as ^X and <xx>.")
        elif self.current.state.read_only:
            banner.update("You do not have permission to write this file: opened read-only.")
        banner.set_class(self.current.state.read_only, "-visible")

    def _update_status(self, extra: str = "") -> None:
        self.main_query(StatusBar).show(self.current, extra)
        self.sub_title = sanitize(self.current.name)

    def on_editor_view_state_changed(self, event: EditorView.StateChanged) -> None:
        self._update_status()

    def on_editor_view_read_only_edit(self, event: EditorView.ReadOnlyEdit) -> None:
        self.notify("This buffer is read-only.", severity="warning", timeout=3)

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, USER_INPUT) and not event.is_forwarded:
            self.input_gate.touch()
        elif isinstance(event, events.Resize) and event.size == self._size:
            # The terminal reports its size at start, then again in band (tmux, kitty...):
            # Textual lays out every screen for a Resize even when the size is the one it
            # has (20-30 ms here, just after the first paint). Nothing changed: no layout.
            return
        await super().on_event(event)

    # -- engine -----------------------------------------------------------------------------
    def on_ready(self) -> None:
        """Textual's ``Ready``: the first frame is out. (``call_after_refresh`` from
        ``on_mount`` waited for the main screen's next idle moment, which does not come
        while a dialog opened at once covers it: a project search opened by a Pilot test
        right after start sometimes never ran.)"""
        self._ready_at = self.input_gate.clock()
        if switches.SWITCHES.deferred_start and self.bridge is None:
            self._engine_import = threading.Thread(target=_import_engine, daemon=True,
                                                   name="kiro-engine-import")
            self._engine_import.start()
        self.set_timer(ENGINE_START_GAP, self._start_engine_between_keys)

    def _start_engine_between_keys(self) -> None:
        """Start the engine once its modules are imported (``_import_engine``, on a thread)
        and no key came in the last ``ENGINE_START_GAP`` (that key's frame is out by then),
        at most ``ENGINE_START_MAX_WAIT`` after the first frame: its first moments on the
        UI thread (building the engine, starting the index worker, about 20 ms) then fall
        between keys. The first look is itself ``ENGINE_START_GAP`` after Ready: a key
        typed as the first frame appeared is still in the app's queue behind Ready (seen
        in tmux: when the import ran here, on the UI thread, that key reached the app
        160 ms later)."""
        if self.bridge is not None or not self.screen_stack:  # started, or shutting down
            return
        importer = self._engine_import
        if importer is not None and importer.is_alive():
            self.set_timer(ENGINE_IMPORT_POLL, self._start_engine_between_keys)
            return
        gate = self.input_gate
        now = gate.clock()
        rest = ENGINE_START_GAP - (now - gate.last_input)
        if rest > 0 and now - self._ready_at < ENGINE_START_MAX_WAIT:
            self.set_timer(rest, self._start_engine_between_keys)
            return
        self._start_engine()

    def _start_engine(self) -> None:
        """Start the trio engine once the first frame is out: the first paint needs only
        Pygments (already coloured), so trio's import is kept off the start-up path. With
        the ``deferred_start`` switch off, ``on_mount`` calls this before the first paint."""
        EngineBridge = registry.load("engine.bridge").EngineBridge

        self.bridge = EngineBridge(self._on_engine_event, syntax_mode=self.syntax_mode,
                                   input_gate=self.input_gate)
        self.bridge.start(resync=self._resync)
        pending, self._before_engine = self._before_engine, []
        for message in pending:
            self.bridge.send(message)
        # Everything built so far (Textual's widgets, styles, the registry of keys) lives
        # as long as the app: move it out of the cyclic collector's generations, so the
        # full collections that land between keystrokes do not walk it again and again.
        gc.freeze()
        self.workspace_ui.engine_started()
        self.plugins.start()
        self.call_later(self.safety.warm_up)  # the first journal's work, before the first key

    def _send(self, message: Message) -> None:
        if self.bridge is None:
            self._before_engine.append(message)
        else:
            self.bridge.send(message)

    def _open_in_engine(self, buf: OpenBuffer) -> None:
        self.workspace_ui.prime_highlights(buf)  # cached tree-sitter spans, first paint
        if buf.binary:
            buf.highlighter = ""
            return
        from ..engine import GRAMMARS, gets_tree

        if not gets_tree(len(buf.state.document)):
            buf.highlighter = "Pygments: large file"
        elif buf.language in GRAMMARS:  # registered; loaded where it parses, on first use
            buf.highlighter = "tree-sitter"
        self._send(OpenDocument(buf.doc_id, buf.state.document, buf.language))
        if buf is self.current:
            self._send_viewport(*self.editor.visible_rows())

    def _resync(self, doc_id: int) -> None:
        for buf in self.buffers:
            if buf.doc_id == doc_id:
                self._open_in_engine(buf)

    def _send_edits(self, state: EditorState, edits: list[Edit]) -> None:
        doc_id = self.current.doc_id
        for edit in edits:
            self._send(ApplyEdit(doc_id, edit))
        self._send_viewport(*self.editor.visible_rows())

    def _send_viewport(self, top: int, bottom: int) -> None:
        margin = bottom - top
        doc = self.current.state.document
        self._send(RequestHighlights(self.current.doc_id, doc.revision,
                                          max(0, top - margin), bottom + margin))

    def _on_engine_event(self, event: Message) -> None:
        if not self.screen_stack:  # shutting down: the screens are gone
            return
        try:
            self._engine_event(event)
        except NoMatches:
            # Shutting down: the main screen's widgets were removed before the engine
            # stopped; the event would only have updated them.
            if self.main_query_or_none(EditorView) is not None:
                raise

    def main_query_or_none(self, selector):
        try:
            return self.main_query(selector)
        except NoMatches:
            return None

    def _engine_event(self, event: Message) -> None:
        if self.workspace_ui.handle(event) or self.plugins.handle(event):
            return
        if isinstance(event, HighlightsReady):
            if event.doc_id == self.current.doc_id:
                changed = self.current.highlights.accept(event)
                if changed:
                    self.editor.refresh_rows(changed)
            else:
                for buf in self.buffers:
                    if buf.doc_id == event.doc_id:
                        buf.highlights.accept(event)
        elif isinstance(event, ParseCompleted):
            self.parse_log.append(event)
            del self.parse_log[:-100]
        elif isinstance(event, FileLoaded):
            if event.loaded is None:
                self.notify(sanitize(event.problem or "Cannot open the file"), severity="error",
                            markup=False, timeout=8)
                self._update_status()
            else:
                self._add_buffer(OpenBuffer.from_loaded(event.loaded))
        elif isinstance(event, WorkerRestarted):
            self.notify(f"The {event.name} worker stopped and was restarted "
                        f"({event.restarts} so far); highlighting resumes.", severity="warning")

    async def on_unmount(self) -> None:
        self.workspace_ui.shutdown()  # session and highlight spans to the persistent cache
        if self.bridge is not None:
            await self.bridge.aclose()

    # -- buffers ----------------------------------------------------------------------------
    def open_path(self, path: str) -> None:
        real = os.path.realpath(path)
        for buf in self.buffers:
            if buf.path and os.path.realpath(buf.path) == real:
                self._switch_to(buf)
                return
        try:
            size = os.stat(path).st_size
        except OSError:
            size = 0  # load_file below explains what is wrong
        if self.bridge is not None and size > ASYNC_OPEN_BYTES:
            # A large file is read on the engine's thread workers; the UI keeps running.
            self._request_ids += 1
            self._send(LoadFile(self._request_ids, path))
            self._update_status(f"opening {display_path(path)} ({size // 1_000_000} MB)…")
            return
        try:
            buf = OpenBuffer.open(path)
        except FileProblem as err:
            self.notify(sanitize(str(err)), severity="error", markup=False, timeout=8)
            return
        self._add_buffer(buf)

    def _add_buffer(self, buf: OpenBuffer) -> None:
        if (len(self.buffers) == 1 and self.buffers[0].path is None
                and not self.buffers[0].state.modified):
            self._send(CloseDocument(self.buffers[0].doc_id))
            self.buffers.clear()  # replace the empty scratch buffer
        self.buffers.append(buf)
        self._switch_to(buf)
        self._open_in_engine(buf)

    def _switch_to(self, buf: OpenBuffer) -> None:
        self.current = buf
        self.editor.load(buf.state, buf.highlights)
        self._show_banner()
        self._update_status()
        self.editor.focus()
        self.workspace_ui.buffer_shown()
        self.plugins.buffer_shown()

    def action_quick_open(self) -> None:
        self.workspace_ui.quick_open()

    def action_project_search(self) -> None:
        self.workspace_ui.project_search()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.open_path(str(event.path))

    def action_switch_buffer(self, step: int) -> None:
        i = self.buffers.index(self.current)
        self._switch_to(self.buffers[(i + step) % len(self.buffers)])

    def action_toggle_hud(self) -> None:
        """Show or hide the performance panel (F12; docs/README.md)."""
        self.main_query(PerfPanel).toggle()

    def action_toggle_sidebar(self) -> None:
        if not self.workspace:
            self.notify("No folder is open: start kiro-proto with a folder to see its files.")
            return
        tree = self.main_query("#sidebar", DirectoryTree)
        tree.toggle_class("-visible")
        (tree if tree.has_class("-visible") else self.editor).focus()

    def action_open(self) -> None:
        def done(path: str | None) -> None:
            if path:
                self.open_path(os.path.expanduser(path))

        base = self.workspace or os.getcwd()
        self.push_screen(PromptScreen("Open file:", base.rstrip(os.sep) + os.sep), done)

    # -- saving -----------------------------------------------------------------------------
    def save_buffer(self, buf: OpenBuffer, path: str | None = None) -> bool:
        target = path or buf.path
        if target is None:
            return False
        if buf.binary and path is None:
            self.notify("Binary files are opened read-only and are not saved.", severity="warning")
            return False
        if not self.safety.confirm_save(buf, target):
            return False
        try:
            written = save_file(buf.state.document, target)
        except FileProblem as err:
            self.notify(sanitize(str(err)), severity="error", markup=False, timeout=10)
            return False
        buf.path = target
        buf.state.mark_saved()
        self.safety.saved(buf)
        self.plugins.saved(buf)
        if buf is self.current:
            self._update_status(f"saved {written} bytes")
        return True

    def action_save(self) -> None:
        if self.current.path is None:
            self.action_save_as()
        else:
            self.save_buffer(self.current)

    def action_save_as(self) -> None:
        buf = self.current

        def done(path: str | None) -> None:
            if path:
                path = os.path.expanduser(path)
                if os.path.isdir(path):
                    self.notify(sanitize(f"{path} is a folder: give a file name."),
                                severity="error", markup=False)
                    return
                self.save_buffer(buf, path)

        self.push_screen(PromptScreen("Save as:", buf.path or ""), done)

    async def action_quit(self) -> None:
        dirty = [b for b in self.buffers if b.state.modified]
        if not dirty:
            self.exit()
            return

        def done(choice: str | None) -> None:
            if choice == "discard":
                self.safety.discard_all()
                self.exit()
            elif choice == "save":
                if all(self.save_buffer(b) for b in dirty if b.path):
                    if any(b.path is None for b in dirty):
                        self.notify("Give the untitled buffer a name with Save as (alt+s).")
                    else:
                        self.exit()

        self.push_screen(ConfirmQuitScreen([b.name for b in dirty]), done)

    # -- go to line -------------------------------------------------------------------------
    def action_goto_line(self) -> None:
        doc = self.current.state.document

        def done(value: str | None) -> None:
            if not value:
                return
            m = re.fullmatch(r"\s*(\d+)\s*(?:[:,]\s*(\d+))?\s*", value)
            if not m:
                self.notify("Type a line number, or line:column.", severity="warning")
                return
            row = int(m.group(1)) - 1
            col = int(m.group(2) or 1) - 1
            self.editor.go_to(doc.clamp(Pos(row, col)))
            self.editor.focus()

        self.push_screen(PromptScreen(f"Go to line (1-{doc.line_count}), or line:column:"), done)

    # -- find and replace -------------------------------------------------------------------
    def action_find(self) -> None:
        self._open_find(False)

    def action_replace(self) -> None:
        self._open_find(True)

    def _open_find(self, replace: bool) -> None:
        st = self.current.state
        self._search_origin = st.document.offset_of(st.selection.start)
        self.main_query(FindBar).open(replace, st.selected_text())

    def on_find_bar_closed(self, event: FindBar.Closed) -> None:
        self.editor.match = None
        self.editor.refresh()
        self.editor.focus()

    def action_find_next(self, step: int) -> None:
        bar = self.main_query(FindBar)
        if bar.pattern:
            self._find(bar.pattern, bar.regex, bar.case, step)

    def on_find_bar_search(self, event: FindBar.Search) -> None:
        self._find(event.pattern, event.regex, event.case, event.step)

    def _find(self, pattern: str, regex: bool, case: bool, step: int) -> None:
        buf = self.current
        doc = buf.state.document
        bar = self.main_query(FindBar)
        sel = buf.state.selection
        if step == 0:
            start = self._search_origin if self._search_origin is not None else 0
        elif step > 0:
            start = doc.offset_of(sel.end if not sel.is_empty else sel.cursor)
        else:
            start = doc.offset_of(sel.start)
        try:
            match = buf.finder.find(pattern, start, regex=regex, case=case, backwards=step < 0)
            total = buf.finder.count(pattern, regex=regex, case=case) if match else 0
        except SearchError as err:
            bar.set_status(str(err)[:60])
            return
        if match is None:
            bar.set_status("no matches" if pattern else "")
            self.editor.match = None
            self.editor.refresh()
            return
        a, b = doc.position_of(match.start), doc.position_of(match.end)
        bar.set_status(f"{total} match{'es' if total != 1 else ''}")
        self.editor.match = (a, b)
        self.editor.go_to(a, select_to=b)
        self.editor.refresh()

    def on_find_bar_replace(self, event: FindBar.Replace) -> None:
        buf = self.current
        st = buf.state
        if st.read_only:
            self.notify("This buffer is read-only.", severity="warning")
            return
        try:
            compiled = Finder.compile(event.pattern, regex=event.regex, case=event.case)
        except SearchError as err:
            self.main_query(FindBar).set_status(str(err)[:60])
            return
        doc = st.document
        if event.all:
            data = doc.buffer.to_bytes()
            matches = [m for m in compiled.finditer(data) if m.end() > m.start()]
            if not matches:
                self.main_query(FindBar).set_status("no matches")
                return
            before = st.selection

            def replace_all() -> list[Edit]:
                edits = []
                for m in reversed(matches):  # from the end, so earlier offsets stay valid
                    repl = m.expand(event.replacement.encode("utf-8", "surrogateescape")) \
                        if event.regex else event.replacement.encode("utf-8", "surrogateescape")
                    a, b = doc.position_of(m.start()), doc.position_of(m.end())
                    edits.append(doc.replace(a, b, repl.decode("utf-8", "surrogateescape")))
                st.selection = st.selection._replace(anchor=st.cursor)
                st.history.record(edits, kind="other", before=before, after=st.selection,
                                  now=0.0)
                return edits

            self.editor.match = None
            self.editor._run(replace_all)
            self.editor.refresh()
            self.main_query(FindBar).set_status(f"replaced {len(matches)}")
            return
        sel = st.selection
        selected = doc.buffer.slice(doc.offset_of(sel.start), doc.offset_of(sel.end))
        m = compiled.fullmatch(selected) if not sel.is_empty else None
        if m is not None:
            repl = m.expand(event.replacement.encode("utf-8", "surrogateescape")) \
                if event.regex else event.replacement.encode("utf-8", "surrogateescape")
            self.editor._edit(st.insert_text, repl.decode("utf-8", "surrogateescape"),
                              kind="other")
        self._find(event.pattern, event.regex, event.case, 1)

    # -- colours ----------------------------------------------------------------------------
    def set_style(self, name: str) -> bool:
        try:
            theme = SyntaxTheme(name)
        except Exception:  # pygments.util.ClassNotFound, without importing it here
            self.notify(sanitize(f"No colour style named {name!r}."), severity="error",
                        markup=False)
            return False
        self.theme_style = theme
        renderer = self.editor.renderer
        renderer.palette = theme.palette
        renderer.token_style = theme.style
        renderer.generation += 1  # every memoized row is now stale
        self.editor.refresh()
        return True

    def action_pick_style(self) -> None:
        names = ", ".join(SyntaxTheme.available())

        def done(name: str | None) -> None:
            if name:
                self.set_style(name.strip())

        self.push_screen(PromptScreen(f"Colour style ({names}):", self.theme_style.name), done)

    # -- command palette --------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("Save", "Save the current file (ctrl+s)", self.action_save)
        yield SystemCommand("Save as…", "Save under a new name (alt+s)", self.action_save_as)
        yield SystemCommand("Open file…", "Open a file by path (ctrl+o)", self.action_open)
        yield SystemCommand("Find", "Find in the current file (ctrl+f)", self.action_find)
        yield SystemCommand("Replace", "Find and replace (ctrl+r)", self.action_replace)
        yield SystemCommand("Go to line", "Jump to a line (ctrl+g)", self.action_goto_line)
        yield SystemCommand("Quick open…", "Find a file by name (ctrl+p)", self.action_quick_open)
        yield SystemCommand("Search in files…", "Search the workspace (alt+shift+f)",
                            self.action_project_search)
        yield SystemCommand("Undo", "Undo (ctrl+z)", self.editor.action_undo)
        yield SystemCommand("Redo", "Redo (ctrl+y)", self.editor.action_redo)
        yield SystemCommand("Select all", "Select the whole file (ctrl+a)",
                            self.editor.action_select_all)
        yield SystemCommand("Toggle file tree", "Show or hide the sidebar (ctrl+b)",
                            self.action_toggle_sidebar)
        yield SystemCommand("Performance panel", "Show or hide the live performance panel (f12)",
                            self.action_toggle_hud)
        yield SystemCommand("Next file", "Switch to the next open file (ctrl+pagedown)",
                            lambda: self.action_switch_buffer(1))
        yield SystemCommand("Colour style…", f"Pick a Pygments style (now {self.theme_style.name})",
                            self.action_pick_style)
        yield SystemCommand("Quit", "Quit, asking about unsaved changes (ctrl+q)",
                            self.action_quit)
        yield from self.plugins.system_commands()  # before activation, from manifests
        yield from super().get_system_commands(screen)
