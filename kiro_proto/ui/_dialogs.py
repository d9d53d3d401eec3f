"""Small modal screens: a one-line prompt (go to line, save as, open) and the
unsaved-changes question on quit."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from ..core import sanitize

__all__ = ["PromptScreen", "ConfirmQuitScreen"]

_MODAL_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{
    width: 70; height: auto; padding: 1 2; border: round #61afef; background: #21252b;
}}
{name} Label {{ width: 100%; }}
{name} Horizontal {{ height: auto; margin-top: 1; }}
{name} Button {{ margin-right: 2; }}
"""


class PromptScreen(ModalScreen[str | None]):
    """Asks for one line of text; dismisses with the text, or None on escape."""

    DEFAULT_CSS = _MODAL_CSS.format(name="PromptScreen")
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, value: str = "", placeholder: str = "") -> None:
        super().__init__()
        self._title = title
        self._value = value
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(sanitize(self._title), markup=False)
            yield Input(value=self._value, placeholder=self._placeholder, id="prompt")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ConfirmQuitScreen(ModalScreen[str]):
    """Dismisses with "save", "discard" or "cancel"."""

    DEFAULT_CSS = _MODAL_CSS.format(name="ConfirmQuitScreen")
    BINDINGS = [
        Binding("escape", "choose('cancel')", "Cancel"),
        Binding("s", "choose('save')", "Save"),
        Binding("d", "choose('discard')", "Don't save"),
    ]

    def __init__(self, names: list[str]) -> None:
        super().__init__()
        self._names = names

    def compose(self) -> ComposeResult:
        shown = ", ".join(sanitize(n) for n in self._names[:5])
        more = f" and {len(self._names) - 5} more" if len(self._names) > 5 else ""
        with Vertical():
            yield Label(f"Save changes to {shown}{more} before quitting?", markup=False)
            with Horizontal():
                yield Button("Save (s)", id="save", variant="primary")
                yield Button("Don't save (d)", id="discard", variant="error")
                yield Button("Cancel (esc)", id="cancel")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
