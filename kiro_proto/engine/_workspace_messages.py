"""Messages of the workspace service (file index and project search); requests are
imperative, events past tense, like the rest of ``_messages.py``.

Paths in these messages are ``/``-separated and relative to the workspace root.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ._messages import Message

__all__ = ["ScanWorkspace", "IndexGrew", "SearchWorkspace", "CancelSearch", "SearchFound",
           "SearchMatch", "WORKSPACE_REQUESTS"]


@dataclass(frozen=True, slots=True)
class ScanWorkspace(Message):
    """Index the files under ``root`` (respecting .gitignore), starting from the persistent
    index when there is one; ``cache`` False skips reading and writing it."""

    root: str
    cache: bool = True


@dataclass(frozen=True, slots=True)
class IndexGrew(Message):
    """A batch of index changes. ``cached``: the batch comes from the persistent index (the
    walk that checks it follows); ``done``: the walk has finished."""

    root: str
    added: tuple[str, ...] = field(repr=False)
    removed: tuple[str, ...] = field(repr=False)
    done: bool
    cached: bool = False
    total: int = 0  # paths known to the walk so far
    seconds: float = 0.0  # since the scan started
    warning: str = ""


@dataclass(frozen=True, slots=True)
class SearchWorkspace(Message):
    """Search every indexed file under ``root`` for ``pattern`` (the same matcher as find in
    the current file: ``core.Finder.compile``)."""

    search_id: int
    root: str
    pattern: str
    regex: bool = False
    case: bool = False
    max_results: int = 10_000


@dataclass(frozen=True, slots=True)
class CancelSearch(Message):
    search_id: int


# One match: (path, 0-based row, start column, end column (characters), the line's text).
SearchMatch = tuple[str, int, int, int, str]


@dataclass(frozen=True, slots=True)
class SearchFound(Message):
    search_id: int
    matches: tuple[SearchMatch, ...] = field(repr=False)
    files_searched: int
    done: bool
    cancelled: bool = False
    truncated: bool = False  # stopped at max_results
    error: str = ""
    seconds: float = 0.0


WORKSPACE_REQUESTS = (ScanWorkspace, SearchWorkspace, CancelSearch)
