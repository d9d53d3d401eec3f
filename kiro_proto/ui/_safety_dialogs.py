"""Modal screens for the safety net: recover a journal, show what recovery would change,
confirm saving over a file that changed on disk. Every piece of file-derived text is
sanitised before it becomes a label."""

from __future__ import annotations

import difflib

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from ..core import decode, sanitize
from ._dialogs import _MODAL_CSS

__all__ = ["RecoveryScreen", "DiffScreen", "ConfirmOverwriteScreen", "unified_diff"]

DIFF_LINE_LIMIT = 2000  # lines of diff shown
DIFF_INPUT_LIMIT = 4 * 1024 * 1024  # bytes of each side compared (difflib is quadratic-ish)


def unified_diff(before: bytes, after: bytes, name: str) -> list[str]:
    """A bounded unified diff, each line safe to show."""
    note = []
    if len(before) > DIFF_INPUT_LIMIT or len(after) > DIFF_INPUT_LIMIT:
        note = [f"(only the first {DIFF_INPUT_LIMIT // (1024 * 1024)} MiB of each side are compared)"]
        before, after = before[:DIFF_INPUT_LIMIT], after[:DIFF_INPUT_LIMIT]
    lines = difflib.unified_diff(decode(before).splitlines(), decode(after).splitlines(),
                                 f"{name} (on disk)", f"{name} (recovered)", lineterm="", n=2)
    out = note[:]
    for i, line in enumerate(lines):
        if i >= DIFF_LINE_LIMIT:
            out.append(f"(diff cut at {DIFF_LINE_LIMIT} lines)")
            break
        out.append(sanitize(line))
    return out or ["(no difference)"]


class RecoveryScreen(ModalScreen[str]):
    """Dismisses with "recover", "diff", "discard" or "later"."""

    DEFAULT_CSS = _MODAL_CSS.format(name="RecoveryScreen")
    BINDINGS = [
        Binding("r", "choose('recover')", "Recover"),
        Binding("d", "choose('diff')", "Show difference"),
        Binding("x", "choose('discard')", "Discard"),
        Binding("escape", "choose('later')", "Later"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self._message = message

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(sanitize(self._message.replace("\n", " ")), markup=False, id="recovery-message")
            with Horizontal():
                yield Button("Recover (r)", id="recover", variant="primary")
                yield Button("Show difference (d)", id="diff")
                yield Button("Discard (x)", id="discard", variant="error")
                yield Button("Later (esc)", id="later")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "later")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)


class DiffScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    DiffScreen { align: center middle; }
    DiffScreen > Vertical { width: 90%; height: 80%; border: round #61afef; background: #21252b; }
    DiffScreen VerticalScroll { height: 1fr; }
    """
    BINDINGS = [Binding("escape,q", "close", "Close")]

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self._lines = lines

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Difference (esc to close)", markup=False)
            with VerticalScroll():
                yield Static("\n".join(self._lines), markup=False, id="diff-text")

    def action_close(self) -> None:
        self.dismiss(None)


class ConfirmOverwriteScreen(ModalScreen[bool]):
    """The file changed on disk since it was loaded: save over it anyway?"""

    DEFAULT_CSS = _MODAL_CSS.format(name="ConfirmOverwriteScreen")
    BINDINGS = [
        Binding("y", "choose(True)", "Overwrite"),
        Binding("n,escape", "choose(False)", "Cancel"),
    ]

    def __init__(self, name: str) -> None:
        super().__init__()
        self._name = name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{sanitize(self._name)} changed on disk since it was opened. "
                        "Save over the newer file?", markup=False)
            with Horizontal():
                yield Button("Overwrite (y)", id="yes", variant="error")
                yield Button("Cancel (n)", id="no", variant="primary")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_choose(self, choice: bool) -> None:
        self.dismiss(choice)
