"""Quick open (ctrl+p) and the project search panel (alt+f): modal screens over the
workspace index and the search worker, both fed by events that stream in (``_workspace.py``
routes them here).

Quick open re-runs its query when the index grows (at most every ``REFRESH`` seconds), so
results appear while the first walk is still running. The search panel shows matches as the
worker finds them; escape cancels the search.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ..core import sanitize

if TYPE_CHECKING:
    from ._workspace import WorkspaceUI

__all__ = ["QuickOpenScreen", "SearchPanel"]

REFRESH = 0.1  # seconds between re-runs of the query while the index grows
SHOWN = 30  # quick-open results listed (about what the dialog shows; each costs Textual ~0.3 ms)
MAX_SHOWN_MATCHES = 5000  # search matches listed (the count goes on)

# Fixed heights: with ``height: auto`` every new list of results resized the list and
# re-laid-out the whole screen (about half of a key's time in quick open).
_CSS = """
{name} {{ align: center top; }}
{name} > Vertical {{
    width: 90%; max-width: 120; height: 80%; max-height: 36; margin-top: 2;
    padding: 0 1; border: round #61afef; background: #21252b;
}}
{name} Label {{ width: 100%; height: 1; color: #abb2bf; }}
{name} OptionList {{ height: 1fr; border: none; background: #21252b; }}
"""


def _highlighted(path: str, positions: tuple[int, ...]) -> Text:
    text = Text(sanitize(path), no_wrap=True, overflow="ellipsis")
    if len(text.plain) == len(path):  # badges change lengths: then no marks
        for i in positions:
            text.stylize("bold #e5c07b", i, i + 1)
    return text


class QuickOpenScreen(ModalScreen[str | None]):
    """Fuzzy file finder; dismisses with a path relative to the workspace, or None."""

    DEFAULT_CSS = _CSS.format(name="QuickOpenScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("down", "move(1)", show=False), Binding("up", "move(-1)", show=False)]

    def __init__(self, workspace: "WorkspaceUI") -> None:
        super().__init__()
        self.workspace = workspace
        self.results: list[str] = []
        self.last_search_ms = 0.0  # time of the last query, for the benchmark
        self.searches = 0
        self._refresh_pending = False

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(placeholder="file name (fuzzy)", id="quickopen-input")
            yield Label("", id="quickopen-status", markup=False)
            yield OptionList(id="quickopen-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.run_query()

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

    def on_input_changed(self, event: Input.Changed) -> None:
        self.run_query()

    def index_grew(self) -> None:
        """The index changed: re-run the query soon (throttled)."""
        if not self._refresh_pending:
            self._refresh_pending = True
            self.set_timer(REFRESH, self._refresh)

    def _refresh(self) -> None:
        self._refresh_pending = False
        self.run_query()

    def run_query(self) -> None:
        t0 = time.perf_counter()
        found = self.workspace.index.search(self.query_text, SHOWN)
        self.last_search_ms = (time.perf_counter() - t0) * 1e3
        self.searches += 1
        self.results = [path for _, path, _ in found]
        options = self.query_one(OptionList)
        # One replacement, not clear + add: an empty list in between would hide and show
        # the scroll bar again, and each toggle re-lays-out the screen.
        if found:
            options.set_options([Option(_highlighted(p, pos)) for _, p, pos in found])
            options.highlighted = 0
        else:
            options.clear_options()  # set_options([]) would leave the old rows drawn
        ws = self.workspace
        state = "" if ws.index_done else "  (indexing…)"
        self.query_one("#quickopen-status", Label).update(
            f"{len(found)} of {len(ws.index)} files{state}", layout=False)  # one row, fixed

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = max(0, min(options.option_count - 1, current + step))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None and options.highlighted < len(self.results):
            self.dismiss(self.results[options.highlighted])

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self.results):
            self.dismiss(self.results[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SearchPanel(ModalScreen[tuple[str, int, int, int] | None]):
    """Project search: type, enter to search; results stream in; enter on a result opens
    the file at the match; escape cancels a running search and closes."""

    DEFAULT_CSS = _CSS.format(name="SearchPanel")
    BINDINGS = [Binding("escape", "cancel", "Cancel"),
                Binding("alt+r", "toggle('regex')", "Regex"),
                Binding("alt+c", "toggle('case')", "Case"),
                Binding("down", "focus_results", show=False)]

    def __init__(self, workspace: "WorkspaceUI", pattern: str = "") -> None:
        super().__init__()
        self.workspace = workspace
        self.pattern = pattern
        self.regex = False
        self.case = False
        self.matches: list[tuple[str, int, int, int]] = []
        self.total = 0
        self.files = set()
        self.search_id: int | None = None
        self.running = False
        self.status = ""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Input(self.pattern, placeholder="search in all files (enter)",
                        id="search-input")
            yield Label("", id="search-status", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self._show_status()

    def _show_status(self, extra: str = "") -> None:
        flags = f"regex {'on' if self.regex else 'off'} (alt+r), " \
                f"case {'on' if self.case else 'off'} (alt+c)"
        if self.search_id is None:
            text = flags
        else:
            state = "searching…" if self.running else "done"
            text = f"{self.total} matches in {len(self.files)} files, {state}  │  {flags}"
        self.status = text + extra
        self.query_one("#search-status", Label).update(self.status)

    def action_toggle(self, name: str) -> None:
        setattr(self, name, not getattr(self, name))
        self._show_status()

    def action_focus_results(self) -> None:
        options = self.query_one(OptionList)
        if options.option_count and options.highlighted is None:
            options.highlighted = 0
        options.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        pattern = event.value
        if not pattern:
            return
        self.matches.clear()
        self.files.clear()
        self.total = 0
        self.query_one(OptionList).clear_options()
        self.running = True
        self.search_id = self.workspace.start_search(pattern, self.regex, self.case)
        self._show_status()

    def found(self, event) -> None:
        """A SearchFound event for this panel's search."""
        if event.search_id != self.search_id:
            return
        if event.error:
            self.running = False
            self._show_status(f"  │  {event.error[:80]}")
            return
        new = []
        for path, row, start, end, line in event.matches:
            self.total += 1
            self.files.add(path)
            if len(self.matches) < MAX_SHOWN_MATCHES:
                self.matches.append((path, row, start, end))
                label = Text(no_wrap=True, overflow="ellipsis")
                label.append(sanitize(f"{path}:{row + 1}: "), style="#61afef")
                label.append(sanitize(line.strip()[:200]))
                new.append(Option(label))
        if new:
            self.query_one(OptionList).add_options(new)
        if event.done:
            self.running = False
        self._show_status("  │  cancelled" if event.cancelled else
                          ("  │  stopped at the result limit" if event.truncated else ""))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_index < len(self.matches):
            self._stop()
            self.dismiss(self.matches[event.option_index])

    def _stop(self) -> None:
        if self.running and self.search_id is not None:
            self.workspace.cancel_search(self.search_id)
        self.running = False

    def action_cancel(self) -> None:
        self._stop()
        self.dismiss(None)
