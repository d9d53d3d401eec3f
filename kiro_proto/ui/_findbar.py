"""The find and replace bar: incremental search as you type, regex and case toggles."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label

__all__ = ["FindBar"]


class FindBar(Widget):
    DEFAULT_CSS = """
    FindBar { height: auto; display: none; background: #21252b; }
    FindBar.-visible { display: block; }
    FindBar Horizontal { height: 3; }
    FindBar Input { width: 1fr; }
    FindBar #replace-row { display: none; }
    FindBar.-replace #replace-row { display: block; }
    FindBar Checkbox { width: auto; }
    FindBar #find-status { width: 24; padding: 1 1; }
    """
    BINDINGS = [
        Binding("escape", "close", "Close find"),
        Binding("alt+r", "toggle('regex')", "Regex"),
        Binding("alt+c", "toggle('case')", "Case"),
        Binding("f3", "next", "Next"),
        Binding("shift+f3", "previous", "Previous"),
    ]

    class Search(Message):
        """Find ``pattern`` (``step``: 0 = from where the search began, 1 next, -1 previous)."""

        def __init__(self, pattern: str, regex: bool, case: bool, step: int) -> None:
            super().__init__()
            self.pattern, self.regex, self.case, self.step = pattern, regex, case, step

    class Replace(Message):
        def __init__(self, pattern: str, replacement: str, regex: bool, case: bool,
                     all: bool) -> None:
            super().__init__()
            self.pattern, self.replacement = pattern, replacement
            self.regex, self.case, self.all = regex, case, all

    class Closed(Message):
        pass

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Input(placeholder="Find (enter: next, F3/shift+F3)", id="find")
            yield Checkbox("Regex", id="regex")
            yield Checkbox("Case", value=True, id="case")
            yield Label("", id="find-status", markup=False)
        with Horizontal(id="replace-row"):
            yield Input(placeholder="Replace with (enter: replace)", id="replace")
            yield Button("Replace", id="replace-one")
            yield Button("All", id="replace-all")

    def open(self, replace: bool, initial: str = "") -> None:
        self.add_class("-visible")
        self.set_class(replace, "-replace")
        find = self.query_one("#find", Input)
        if initial and "\n" not in initial:
            find.value = initial
        find.focus()
        find.select_all() if hasattr(find, "select_all") else None

    @property
    def pattern(self) -> str:
        return self.query_one("#find", Input).value

    @property
    def regex(self) -> bool:
        return self.query_one("#regex", Checkbox).value

    @property
    def case(self) -> bool:
        return self.query_one("#case", Checkbox).value

    def set_status(self, text: str) -> None:
        self.query_one("#find-status", Label).update(text)

    def _search(self, step: int) -> None:
        self.post_message(self.Search(self.pattern, self.regex, self.case, step))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "find":
            event.stop()
            self._search(0)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "find":
            self._search(1)
        else:
            self._replace(False)

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        event.stop()
        self._search(0)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._replace(event.button.id == "replace-all")

    def _replace(self, all: bool) -> None:
        replacement = self.query_one("#replace", Input).value
        self.post_message(self.Replace(self.pattern, replacement, self.regex, self.case, all))

    def action_toggle(self, name: str) -> None:
        box = self.query_one(f"#{name}", Checkbox)
        box.value = not box.value

    def action_next(self) -> None:
        self._search(1)

    def action_previous(self) -> None:
        self._search(-1)

    def action_close(self) -> None:
        self.remove_class("-visible")
        self.post_message(self.Closed())
