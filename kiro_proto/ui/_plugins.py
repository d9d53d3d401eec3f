"""Plugins on the UI side: manifests read after the first paint (in a thread), contributed
commands in the command palette before any plugin runs, and what plugins send back shown
safely: status-bar items and notifications (sanitized), decorations drawn as highlight spans
over the buffer's own, diagnostics drawn the same way and listed in a Problems picker.

Nothing here waits on a plugin: commands are sent to the engine and their answers arrive
later as events; a plugin that misses its deadline is shown as unresponsive.
"""

from __future__ import annotations

import asyncio
import itertools
from typing import TYPE_CHECKING, Iterable

from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen

from ..core import Pos, sanitize
from ..engine.plugins._messages import (DocumentSaved, LoadPlugins, PluginActivated,
                                        PluginChannelClosed, PluginCommandDone, PluginHostDown,
                                        PluginOutputs, PluginStateChanged, RunPluginCommand)

if TYPE_CHECKING:
    from ._app import KiroApp, OpenBuffer

__all__ = ["PluginUI", "PickScreen", "overlay_spans"]

SEVERITY_TOKENS = {"error": "Generic.Error", "warning": "Generic.Strong",
                   "information": "Generic.Emph", "hint": "Generic.Emph"}
NOTIFY_SEVERITY = {"error": "error", "warning": "warning"}
MAX_SPANS_PER_BUFFER = 20_000


def overlay_spans(base: tuple, extra: tuple) -> tuple:
    """``extra`` spans drawn over ``base`` ones: base spans are cut where an extra span
    lies; the result is sorted and non-overlapping (what the renderer expects). Columns
    are characters; spans are ``(start, end, token)``."""
    if not extra:
        return base
    chosen: list[tuple[int, int, str]] = []
    for a, b, tok in sorted(extra):
        if b > a and (not chosen or a >= chosen[-1][1]):
            chosen.append((a, b, tok))
    out = list(chosen)
    for a, b, tok in base:
        pieces = [(a, b)]
        for x, y, _ in chosen:
            if y <= a or x >= b:
                continue
            cut = []
            for p, q in pieces:
                if y <= p or x >= q:
                    cut.append((p, q))
                else:
                    if p < x:
                        cut.append((p, x))
                    if y < q:
                        cut.append((y, q))
            pieces = cut
        out.extend((p, q, tok) for p, q in pieces)
    out.sort()
    return tuple(out)


class PickScreen(ModalScreen[int | None]):
    """Choose one line out of many (plugin results: symbols, notes, completions)."""

    DEFAULT_CSS = """
    PickScreen { align: center middle; }
    PickScreen > #pick-box { width: 90%; max-width: 110; height: auto; max-height: 80%;
        background: #21252b; border: round #61afef; padding: 0 1; }
    PickScreen #pick-title { height: 1; color: #abb2bf; }
    PickScreen OptionList { height: auto; max-height: 30; background: #21252b; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, labels: list[str]) -> None:
        super().__init__()
        self.title_text = title
        self.labels = labels

    def compose(self) -> ComposeResult:
        from textual.containers import Vertical
        from textual.widgets import OptionList, Static

        with Vertical(id="pick-box"):
            yield Static(self.title_text, id="pick-title", markup=False)
            yield OptionList(*self.labels)

    def on_mount(self) -> None:
        from textual.widgets import OptionList

        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event) -> None:
        self.dismiss(event.option_index)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _clean(text: object, limit: int = 200) -> str:
    return sanitize(str(text))[:limit]


class PluginUI:
    """Owned by the app. ``len()`` is the number of activated plugins (the benchmark mode
    reads it); ``activations`` keeps each ``PluginActivated`` event (latency figures)."""

    def __init__(self, app: "KiroApp") -> None:
        self.app = app
        self.manifests: tuple = ()
        self.problems: tuple[str, ...] = ()
        self.discovery_seconds: float | None = None
        self.active: dict[str, PluginActivated] = {}
        self.activations: list[PluginActivated] = []
        self.states: dict[str, str] = {}  # plugin -> "unresponsive" / "failed" / "down"
        self.status: dict[str, str] = {}  # status-bar items by key
        self.decorations: dict[int, dict[str, list]] = {}  # doc_id -> plugin -> spans
        self.diagnostics: dict[int, dict[str, list]] = {}  # doc_id -> plugin -> [row, ...]
        self.done: list[PluginCommandDone] = []
        self._ids = itertools.count(1)
        self._requests: dict[int, int] = {}  # request id -> doc_id it was asked for
        self.discovered = asyncio.Event()

    def __len__(self) -> int:
        return len(self.active)

    # -- start-up ---------------------------------------------------------------------------
    def start(self) -> None:
        """After the first paint: read manifests on a thread (a TOML parse per changed
        manifest), then hand them to the engine. With the ``deferred_start`` switch off the
        app calls this during mount and the manifests are read here, on the UI's thread,
        before the first paint (the baseline the start-up benchmark compares with)."""
        from .. import registry, switches

        if not switches.SWITCHES.deferred_start:
            self._accept(registry.load("plugins.manifests").discover())
            return
        self.app.run_worker(self._discover(), exclusive=True, group="plugins")

    async def _discover(self) -> None:
        from .. import registry

        manifests = registry.load("plugins.manifests")
        self._accept(await asyncio.to_thread(manifests.discover))

    def _accept(self, found) -> None:
        self.manifests = found.manifests
        self.problems = found.problems
        self.discovery_seconds = found.seconds
        self.app._send(LoadPlugins(found.manifests, self.app.workspace))
        for problem in found.problems:
            self.app.notify(_clean(problem, 300), severity="warning", markup=False, timeout=6)
        self.discovered.set()

    # -- the palette ------------------------------------------------------------------------
    def system_commands(self) -> Iterable[SystemCommand]:
        for manifest in self.manifests:
            state = self.states.get(manifest.name)
            for command in manifest.commands:
                help_text = _clean(command.description or manifest.description)
                if state:
                    help_text = f"[{state}] {help_text}"
                yield SystemCommand(
                    _clean(command.title, 60), f"{help_text} (plugin {_clean(manifest.name)})",
                    lambda m=manifest.name, c=command.name: self.run(m, c))
        yield SystemCommand("Problems", "Diagnostics from plugins in the current file",
                            self.show_problems)
        yield SystemCommand("Plugins", "Plugins found, active, and their state",
                            self.show_plugins)
        yield SystemCommand("Loaded modules", "The lazy module registry: loaded, and cost",
                            self.show_modules)

    def run(self, plugin: str, command: str) -> int:
        """Ask the engine to run a plugin command (activating the plugin first if needed)."""
        buf = self.app.current
        cur = buf.state.cursor
        request_id = next(self._ids)
        self._requests[request_id] = buf.doc_id
        self.app._send(RunPluginCommand(request_id, plugin, command, {
            "doc_id": buf.doc_id, "row": cur.row, "col": cur.col, "path": buf.path}))
        return request_id

    def saved(self, buf: "OpenBuffer") -> None:
        if buf.path:
            self.app._send(DocumentSaved(buf.doc_id, buf.path))

    # -- events from the engine -------------------------------------------------------------
    def handle(self, event) -> bool:
        if isinstance(event, PluginOutputs):
            self._outputs(event.items)
        elif isinstance(event, PluginCommandDone):
            self._command_done(event)
        elif isinstance(event, PluginActivated):
            self.active[event.plugin] = event
            self.activations.append(event)
            del self.activations[:-200]
            if self.states.pop(event.plugin, None):
                self._refresh_status()
        elif isinstance(event, PluginStateChanged):
            self.states[event.plugin] = event.state
            self.active.pop(event.plugin, None)
            if event.state == "failed":
                self.app.notify(_clean(f"Plugin {event.plugin} failed to start: {event.detail}",
                                       400), severity="error", markup=False, timeout=8)
            self._refresh_status()
        elif isinstance(event, PluginHostDown):
            for name in event.plugins:
                self.states[name] = "down"
            self.active.clear()
            self.app.notify(_clean("The plugin host crashed 3 times in 5 minutes and stays "
                                   "down; plugins off: " + ", ".join(event.plugins), 500),
                            severity="error", markup=False, timeout=15)
            self._refresh_status()
        elif isinstance(event, PluginChannelClosed):
            self.app.notify(_clean(f"The plugin host broke the protocol ({event.reason}); "
                                   "its channel was closed and it restarts.", 300),
                            severity="warning", markup=False, timeout=8)
        else:
            return False
        return True

    def _outputs(self, items: tuple) -> None:
        touched = False
        for plugin, kind, payload in items:
            try:
                if kind == "status":
                    key, text = payload
                    if text:
                        self.status[_clean(key, 40)] = _clean(text, 80)
                    else:
                        self.status.pop(_clean(key, 40), None)
                    self._refresh_status()
                elif kind == "notify":
                    text, severity = payload
                    self.app.notify(_clean(f"{plugin}: {text}", 500), markup=False,
                                    severity=NOTIFY_SEVERITY.get(severity, "information"))
                elif kind == "decorations":
                    doc_id, spans = payload
                    self.decorations.setdefault(int(doc_id), {})[plugin] = [
                        (int(r), int(a), int(b), str(t)) for r, a, b, t in
                        spans[:MAX_SPANS_PER_BUFFER]]
                    touched = True
                elif kind == "diagnostics":
                    doc_id, found = payload
                    self.diagnostics.setdefault(int(doc_id), {})[plugin] = [
                        (int(r), int(a), int(b), _clean(m, 300), str(s)) for r, a, b, m, s in
                        found[:MAX_SPANS_PER_BUFFER]]
                    touched = True
                    self._refresh_status()
                elif kind == "error":
                    self.app.notify(_clean(f"Plugin {plugin} raised an error: "
                                           f"{str(payload).strip().splitlines()[-1:]}", 400),
                                    severity="error", markup=False, timeout=8)
            except (TypeError, ValueError):
                continue  # a malformed item from a plugin is dropped
        if touched:
            self.buffer_shown()

    def _command_done(self, event: PluginCommandDone) -> None:
        self.done.append(event)
        del self.done[:-100]
        doc_id = self._requests.pop(event.request_id, None)
        if event.error:
            self.app.notify(_clean(f"{event.command}: {event.error.strip().splitlines()[0]}",
                                   300), severity="error", markup=False, timeout=8)
            return
        result = event.result
        if isinstance(result, dict) and "pick" in result:
            self._pick(_clean(result.get("title", event.command), 80), result["pick"], doc_id)
        elif isinstance(result, dict) and "insert" in result:
            self._insert(result["insert"], str(result.get("prefix", "")), doc_id)
        elif isinstance(result, dict) and "goto" in result:
            path, row, col = result["goto"]
            self._go(path, int(row), int(col), doc_id)
        elif isinstance(result, dict) and "message" in result:
            self.app.notify(_clean(result["message"], 500), markup=False)
        elif result is not None:
            self.app.notify(_clean(result, 500), markup=False)

    # -- results ----------------------------------------------------------------------------
    def _pick(self, title: str, items: list, doc_id: int | None) -> None:
        items = [i for i in items if isinstance(i, list) and len(i) == 4][:5000]
        labels = [_clean(i[0], 160) for i in items]

        def chosen(index: int | None) -> None:
            if index is not None:
                _label, path, row, col = items[index]
                self._go(path, int(row), int(col), doc_id)

        self.app.push_screen(PickScreen(title, labels), chosen)

    def _go(self, path: str | None, row: int, col: int, doc_id: int | None) -> None:
        app = self.app
        if path:
            app.open_path(str(path))
        elif doc_id is not None and app.current.doc_id != doc_id:
            return  # the buffer it was about is no longer shown
        doc = app.current.state.document
        app.editor.go_to(doc.clamp(Pos(row, col)))
        app.editor.focus()

    def _insert(self, choices: list, prefix: str, doc_id: int | None) -> None:
        app = self.app
        choices = [str(c) for c in choices if str(c).startswith(prefix)][:100]
        if not choices or app.current.doc_id != doc_id or app.current.state.read_only:
            return

        def chosen(index: int | None) -> None:
            if index is None or app.current.doc_id != doc_id:
                return
            st = app.current.state
            word = choices[index]
            # Only if the word before the cursor is still the prefix the plugin saw.
            line = st.document.line_text(st.cursor.row)
            if line[:st.cursor.col].endswith(prefix):
                app.editor._edit(st.insert_text, sanitize(word[len(prefix):]), kind="other")

        if len(choices) == 1:
            chosen(0)
        else:
            app.push_screen(PickScreen(f"complete {prefix}…", [_clean(c, 80) for c in choices]),
                            chosen)

    # -- what the editor draws --------------------------------------------------------------
    def row_spans(self, doc_id: int) -> dict[int, tuple]:
        """Decorations and diagnostics of a buffer as highlight spans, by row."""
        rows: dict[int, list] = {}
        for spans in self.decorations.get(doc_id, {}).values():
            for r, a, b, tok in spans:
                rows.setdefault(r, []).append((a, b, tok))
        for found in self.diagnostics.get(doc_id, {}).values():
            for r, a, b, _m, sev in found:
                rows.setdefault(r, []).append((a, b, SEVERITY_TOKENS.get(sev, "Generic.Emph")))
        return {r: tuple(sorted(s)) for r, s in rows.items()}

    def _editor(self):
        """The editor on the base screen (``app.editor`` looks only at the top screen,
        which is a picker or dialog while one is open)."""
        from ._editor import EditorView

        return self.app.screen_stack[0].query_one(EditorView)

    def buffer_shown(self) -> None:
        """The current buffer changed, or its plugin spans did: redraw them."""
        editor = self._editor()
        editor.decorations = self.row_spans(self.app.current.doc_id)
        editor.refresh()
        self._refresh_status()

    def status_items(self) -> list[str]:
        items = [f"⚠ {name} {state}" for name, state in sorted(self.states.items())]
        count = sum(len(v) for v in self.diagnostics.get(self.app.current.doc_id, {}).values())
        if count:
            items.append(f"{count} problem{'s' if count != 1 else ''}")
        items.extend(self.status.values())
        return [sanitize(i) for i in items]

    def _refresh_status(self) -> None:
        from textual.css.query import NoMatches

        try:
            self.app._update_status()
        except NoMatches:
            pass  # a dialog is on top; the status bar is redrawn when it closes

    # -- palette pages ----------------------------------------------------------------------
    def show_problems(self) -> None:
        doc_id = self.app.current.doc_id
        found = sorted((r, a, m, plugin) for plugin, items in
                       self.diagnostics.get(doc_id, {}).items() for r, a, _b, m, _s in items)
        if not found:
            self.app.notify("No problems reported by plugins in this file.")
            return
        self._pick(f"{len(found)} problems",
                   [[f"{r + 1}:{a + 1}  {m}  ({p})", None, r, a] for r, a, m, p in found], doc_id)

    def show_plugins(self) -> None:
        lines = []
        for m in self.manifests:
            state = self.states.get(m.name) or ("active" if m.name in self.active else "inactive")
            lines.append(f"{m.name} {m.version} ({m.source}): {state}")
        text = "\n".join(lines) or "No plugins found."
        self.app.notify(_clean(text, 2000), title="Plugins", markup=False, timeout=10)

    def show_modules(self) -> None:
        from .. import registry

        rows = [f"{i.name}: {'loaded' if i.loaded else '-'}"
                + (f" {i.seconds * 1e3:.1f} ms" if i.seconds is not None else "")
                for i in registry.REGISTRY.statistics()]
        self.app.notify(_clean("\n".join(rows), 4000), title="Modules", markup=False,
                        timeout=15)
