"""kiro_proto.engine: the trio side of the editor (message bus, workers, syntax service).

Never imports textual. Runs as a guest on Textual's loop in the editor and under
``trio.run`` headless (tests, benchmark mode).

The package is lazy (PEP 562 ``__getattr__``): ``from kiro_proto.engine import
HighlightsReady`` imports only the messages module, not trio, so the editor's first paint
does not pay for the engine. Each public name says which submodule holds it.
"""

from __future__ import annotations

from kiro_proto._lazy import lazy_exports

_EXPORTS = {
    "Bus": "_bus", "BusStatistics": "_bus", "Inbox": "_bus", "InboxStatistics": "_bus",
    "Engine": "_engine", "EngineStatistics": "_engine",
    "GRAMMARS": "_grammars", "grammar_for": "_grammars", "load_statistics": "_grammars",
    "ApplyEdit": "_messages", "CloseDocument": "_messages", "DocumentChanged": "_messages",
    "DocumentOpened": "_messages", "HighlightsReady": "_messages", "Message": "_messages",
    "OpenDocument": "_messages", "ParseCompleted": "_messages",
    "RequestHighlights": "_messages", "RowSpans": "_messages", "WorkerRestarted": "_messages",
    "LoadFile": "_messages", "FileLoaded": "_messages",
    "InputGate": "_pacing", "InputGateStatistics": "_pacing",
    "ThreadWorkers": "_threads", "ThreadStatistics": "_threads",
    "MAX_TREE_SITTER_BYTES": "_parsing", "gets_tree": "_parsing",
    "lex_window": "_spans",
    "CacheFile": "_cachefile", "CacheRead": "_cachefile", "cache_directory": "_cachefile",
    "CancelSearch": "_workspace_messages", "IndexGrew": "_workspace_messages",
    "ScanWorkspace": "_workspace_messages", "SearchFound": "_workspace_messages",
    "SearchWorkspace": "_workspace_messages",
    "WorkspaceService": "_workspace", "WorkspaceStatistics": "_workspace",
    "index_cache_path": "_workspace", "workspace_key": "_workspace",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
