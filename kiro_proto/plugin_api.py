"""The public plugin API: the only kiro-proto module a plugin imports.

A plugin is a folder with a ``plugin.toml`` and an entry module defining
``activate(ctx: Context)``. It runs in the plugin host process, never in the editor's: every
call here either reads the host's mirror of the open buffers (no round trip) or queues a
message for the editor, sent batched when the current request or event is handled.
Standard library only (no textual, trio or msgpack), so a plugin's import is cheap.

Units: rows and columns are 0-based; columns count characters (not bytes, not cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

__all__ = ["Context", "Buffer", "Diagnostic", "Decoration", "pick", "insert", "message",
           "goto", "EVENTS"]

EVENTS = ("opened", "changed", "saved", "closed")  # what ``Context.on`` subscribes to


class Buffer:
    """A read-only view of an open buffer, mirrored in the host from the editor's edits."""

    __slots__ = ("doc_id", "language", "path", "revision", "_data")

    def __init__(self, doc_id: int, data: bytearray, language: str, revision: int,
                 path: str | None) -> None:
        self.doc_id = doc_id
        self.language = language
        self.path = path
        self.revision = revision
        self._data = data

    def text(self) -> str:
        return self._data.decode("utf-8", "surrogateescape")

    def lines(self) -> list[str]:
        return self.text().split("\n")

    def text_range(self, first_row: int, last_row: int) -> str:
        """Rows ``[first_row, last_row)`` joined with newlines."""
        return "\n".join(self.lines()[first_row:last_row])

    def __len__(self) -> int:
        return len(self._data)


@dataclass(frozen=True, slots=True)
class Diagnostic:
    row: int
    col: int
    end_col: int
    message: str
    severity: str = "warning"  # "error", "warning", "information", "hint"


@dataclass(frozen=True, slots=True)
class Decoration:
    """A span drawn over a row: ``token`` is a Pygments token name ("Comment.Special")."""

    row: int
    col: int
    end_col: int
    token: str


Handler = Callable[..., Any]


class Context:
    """What ``activate`` receives. ``emit(kind, payload)`` is the host's outgoing queue."""

    def __init__(self, name: str, folder: str, workspace: str | None,
                 buffers: dict[int, Buffer], emit: Callable[[str, Any], None]) -> None:
        self.name = name
        self.folder = folder
        self.workspace = workspace
        self._buffers = buffers
        self._emit = emit
        self.commands: dict[str, Handler] = {}
        self.handlers: dict[str, list[Handler]] = {e: [] for e in EVENTS}

    # -- buffers ----------------------------------------------------------------------------
    def buffers(self) -> list[Buffer]:
        return list(self._buffers.values())

    def buffer(self, doc_id: int) -> Buffer | None:
        return self._buffers.get(doc_id)

    # -- registration -----------------------------------------------------------------------
    def register_command(self, name: str, handler: Handler) -> None:
        """``handler(ctx, args: dict)``; ``args`` has ``doc_id``, ``row``, ``col``, ``path``
        of the editor's current buffer. Its return value goes back to the editor."""
        self.commands[name] = handler

    def command(self, name: str) -> Callable[[Handler], Handler]:
        def decorate(handler: Handler) -> Handler:
            self.register_command(name, handler)
            return handler
        return decorate

    def on(self, event: str, handler: Handler) -> None:
        """``handler(ctx, buffer)`` after ``event`` (one of EVENTS). Several edits that
        arrive in one frame give one ``changed`` call per buffer."""
        if event not in self.handlers:
            raise ValueError(f"unknown event {event!r}; known: {', '.join(EVENTS)}")
        self.handlers[event].append(handler)

    # -- output to the editor (queued, sent batched) -----------------------------------------
    def set_status(self, text: str, key: str = "") -> None:
        """A status-bar item (empty text removes it). The editor sanitizes it."""
        self._emit("status", [key or self.name, str(text)[:80]])

    def notify(self, text: str, severity: str = "information") -> None:
        self._emit("notify", [str(text)[:500], severity])

    def set_diagnostics(self, doc_id: int, diagnostics: list[Diagnostic]) -> None:
        """Replace this plugin's diagnostics for a buffer."""
        self._emit("diagnostics", [doc_id, [[d.row, d.col, d.end_col, d.message, d.severity]
                                            for d in diagnostics]])

    def set_decorations(self, doc_id: int, decorations: list[Decoration]) -> None:
        """Replace this plugin's decorations for a buffer."""
        self._emit("decorations", [doc_id, [[d.row, d.col, d.end_col, d.token]
                                            for d in decorations]])


# -- command results the editor understands -------------------------------------------------
def pick(title: str, items: list[tuple[str, str | None, int, int]]) -> dict:
    """Let the user choose a place: items are ``(label, path or None for the current
    buffer, row, col)``."""
    return {"pick": [[str(label), path, int(row), int(col)] for label, path, row, col in items],
            "title": title}


def insert(choices: list[str], prefix: str = "") -> dict:
    """Completion: the user picks one of ``choices``; the part after ``prefix`` is typed."""
    return {"insert": list(choices), "prefix": prefix}


def message(text: str) -> dict:
    return {"message": str(text)}


def goto(row: int, col: int = 0, path: str | None = None) -> dict:
    return {"goto": [path, int(row), int(col)]}
