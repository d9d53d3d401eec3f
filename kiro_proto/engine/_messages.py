"""Typed messages between the UI and the engine: requests are imperative, events past tense.

All are frozen dataclasses with slots; ``doc_id`` names an open document, ``revision``
the document revision a message is about (stale work is recognised by it and dropped).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = [
    "Message", "OpenDocument", "ApplyEdit", "CloseDocument", "RequestHighlights",
    "DocumentOpened", "DocumentChanged", "HighlightsReady", "ParseCompleted", "WorkerRestarted",
    "RowSpans", "LoadFile", "FileLoaded",
]

# One row's highlight spans: ((start_col, end_col, token_name), ...) in characters.
RowSpans = tuple[tuple[int, int, str], ...]


@dataclass(frozen=True, slots=True)
class Message:
    pass


@dataclass(frozen=True, slots=True)
class OpenDocument(Message):
    doc_id: int
    document: Any  # core.Document (shared in-process; mirrored into a worker process)
    language: str


@dataclass(frozen=True, slots=True)
class ApplyEdit(Message):
    doc_id: int
    edit: Any  # core.Edit


@dataclass(frozen=True, slots=True)
class CloseDocument(Message):
    doc_id: int


@dataclass(frozen=True, slots=True)
class RequestHighlights(Message):
    """Highlight rows ``[first_row, last_row)`` of the document's current revision."""

    doc_id: int
    revision: int
    first_row: int
    last_row: int


@dataclass(frozen=True, slots=True)
class DocumentOpened(Message):
    doc_id: int
    language: str
    highlighter: str  # "tree-sitter", "pygments" or "none"


@dataclass(frozen=True, slots=True)
class DocumentChanged(Message):
    doc_id: int
    revision: int


@dataclass(frozen=True, slots=True)
class HighlightsReady(Message):
    doc_id: int
    revision: int
    first_row: int
    rows: tuple[RowSpans, ...] = field(repr=False)


@dataclass(frozen=True, slots=True)
class ParseCompleted(Message):
    doc_id: int
    revision: int
    seconds: float  # wall time from start to end of the parse
    slices: int  # how many time slices (1 for an uninterrupted or out-of-process parse)
    longest_slice: float  # seconds the longest slice held the loop (0 out of process)
    incremental: bool


@dataclass(frozen=True, slots=True)
class WorkerRestarted(Message):
    name: str
    restarts: int
    reason: str


@dataclass(frozen=True, slots=True)
class LoadFile(Message):
    """Read a file on a thread worker (``core.load_file``)."""

    request_id: int
    path: str


@dataclass(frozen=True, slots=True)
class FileLoaded(Message):
    """``loaded`` is a ``core.LoadedFile``, or None with ``problem`` saying why."""

    request_id: int
    path: str
    loaded: Any = field(repr=False, default=None)
    problem: str | None = None
    seconds: float = 0.0
