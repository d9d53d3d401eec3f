#!/usr/bin/env python3
"""Reference peer: Textual's own TextArea.code_editor on a file.

    .venv/bin/python bench/peers/textarea_peer.py FILE

Opens FILE with language "python" (tree-sitter highlighting; Textual 8
imports the ``tree_sitter_python`` package for it) when that language is
available, otherwise as plain text.  Typing edits the buffer; ctrl+q quits.
Nothing is ever saved.
"""

from __future__ import annotations

import sys

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import TextArea


def python_language() -> str | None:
    """"python" if Textual can load tree-sitter-python, else None (plain text)."""
    try:
        from textual._tree_sitter import get_language  # Textual 8 (private module)
    except ImportError:
        return None
    return "python" if get_language("python") is not None else None


class TextAreaPeer(App[None]):
    BINDINGS = [Binding("ctrl+q", "quit", "Quit", priority=True)]
    CSS = "TextArea { height: 1fr; border: none; }"

    def __init__(self, path: str) -> None:
        super().__init__()
        self.path = path
        with open(path, encoding="utf-8", errors="replace") as f:
            self.text = f.read()

    def compose(self) -> ComposeResult:
        yield TextArea.code_editor(self.text, language=python_language())

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()


def main() -> int:
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    TextAreaPeer(sys.argv[1]).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
