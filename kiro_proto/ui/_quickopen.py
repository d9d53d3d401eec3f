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

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from ..core import sanitize

if TYPE_CHECKING:
    from ._workspace import WorkspaceUI

__all__ = ["QuickOpenScreen", "ResultList", "SearchPanel"]

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
{name} ResultList {{ height: 1fr; background: #21252b; color: #abb2bf; }}
"""


MATCH = Style(bold=True, color="#e5c07b")  # the query's characters in a path


class ResultList(Widget, can_focus=False):
    """Quick open's results: one row per path, drawn through the Line API from cached
    Strips. Textual's ``OptionList`` built a widget-like option per result, re-measured
    them and laid out the screen on every key; this list keeps ``(path, positions)`` pairs,
    rebuilds a row's Strip only when its path, marks, highlight or width change, and never
    asks for a layout. A click selects (``ResultList.Selected``)."""

    COMPONENT_CLASSES = {"result-list--highlight"}
    DEFAULT_CSS = """
    ResultList > .result-list--highlight {
        color: $block-cursor-blurred-foreground;
        background: $block-cursor-blurred-background;
        text-style: $block-cursor-blurred-text-style;
    }
    """

    class Selected(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, tuple[int, ...]]] = []
        self.highlighted: int | None = None
        self.top = 0  # the first row shown
        self._strips: dict[int, tuple[tuple, Strip]] = {}  # screen row -> (key, strip)
        self.built = 0  # Strips built (tests: a repaint that changes nothing builds none)

    def set_rows(self, rows: list[tuple[str, tuple[int, ...]]]) -> None:
        self.rows = rows
        self.highlighted = 0 if rows else None
        self.top = 0
        self.refresh()

    def move(self, step: int) -> None:
        if self.highlighted is None:
            return
        self.highlighted = max(0, min(len(self.rows) - 1, self.highlighted + step))
        height = max(1, self.size.height)
        if self.highlighted < self.top:
            self.top = self.highlighted
        elif self.highlighted >= self.top + height:
            self.top = self.highlighted - height + 1
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        index = self.top + y
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        path, positions = self.rows[index]
        lit = index == self.highlighted
        key = (path, positions, lit, width)
        cached = self._strips.get(y)
        if cached is not None and cached[0] == key:
            return cached[1]
        strip = self._build(path, positions, lit, width)
        self._strips[y] = (key, strip)
        return strip

    def _build(self, path: str, positions: tuple[int, ...], lit: bool, width: int) -> Strip:
        self.built += 1
        base = self.rich_style
        if lit:
            base += self.get_component_rich_style("result-list--highlight")
        text = sanitize(path)
        marks = set(positions) if len(text) == len(path) else set()  # badges move characters
        segments, run, marked = [], [], False
        for i, ch in enumerate(text):
            if (i in marks) != marked and run:
                segments.append(Segment("".join(run), base + MATCH if marked else base))
                run = []
            marked = i in marks
            run.append(ch)
        if run:
            segments.append(Segment("".join(run), base + MATCH if marked else base))
        strip = Strip(segments)
        if strip.cell_length > width:  # the end of a long path is cut with an ellipsis
            strip = strip.crop(0, max(0, width - 1)).extend_cell_length(width - 1, base)
            strip = Strip.join([strip, Strip([Segment("…", base)])])
        return strip.extend_cell_length(width, base)

    def on_click(self, event: events.Click) -> None:
        index = self.top + event.y
        if 0 <= index < len(self.rows):
            event.stop()
            self.post_message(self.Selected(index))


class QueryInput(Input):
    """The quick-open input: its screen runs the query inside the key's own handler (a
    watcher runs as the value changes), so the typed character and its results are drawn
    in one frame. Through ``Input.Changed`` (a message handled after the input's own frame)
    they took two frames, the second one to two frame-timer ticks later."""

    def watch_value(self, value: str) -> None:
        screen = self.screen if self.is_attached else None
        if isinstance(screen, QuickOpenScreen) and screen.is_mounted:
            screen.run_query()


FILL_AFTER = 0.03  # s without a new query before a shortcut query's candidates are found


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
        self._fill_timer = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield QueryInput(placeholder="file name (fuzzy)", id="quickopen-input")
            yield Label("", id="quickopen-status", markup=False)
            yield ResultList(id="quickopen-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        self.run_query()

    @property
    def query_text(self) -> str:
        return self.query_one(Input).value

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
        # Answered from the tiers alone? Find its candidates once the results are drawn
        # and typing pauses, so the next key narrows from them (a no-op otherwise).
        if self._fill_timer is not None:
            self._fill_timer.stop()
        self._fill_timer = self.set_timer(FILL_AFTER, self._fill)
        self.last_search_ms = (time.perf_counter() - t0) * 1e3
        self.searches += 1
        self.results = [path for _, path, _ in found]
        self.query_one(ResultList).set_rows([(p, pos) for _, p, pos in found])
        ws = self.workspace
        state = "" if ws.index_done else "  (indexing…)"
        self.query_one("#quickopen-status", Label).update(
            f"{len(found)} of {len(ws.index)} files{state}", layout=False)  # one row, fixed

    def _fill(self) -> None:
        self.workspace.index.fill(self.query_text)

    def action_move(self, step: int) -> None:
        self.query_one(ResultList).move(step)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        rows = self.query_one(ResultList)
        if rows.highlighted is not None and rows.highlighted < len(self.results):
            self.dismiss(self.results[rows.highlighted])

    def on_result_list_selected(self, event: ResultList.Selected) -> None:
        if event.index < len(self.results):
            self.dismiss(self.results[event.index])

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
