"""kiro_proto.engine: the trio side of the editor (message bus, workers, syntax service).

Never imports textual. Runs as a guest on Textual's loop in the editor and under
``trio.run`` headless (tests, benchmark mode).
"""

from ._bus import Bus, BusStatistics, Inbox, InboxStatistics
from ._engine import Engine, EngineStatistics
from ._grammars import GRAMMARS, grammar_for, load_statistics
from ._messages import (ApplyEdit, CloseDocument, DocumentChanged, DocumentOpened,
                        HighlightsReady, Message, OpenDocument, ParseCompleted,
                        RequestHighlights, RowSpans, WorkerRestarted)
from ._parsing import MAX_TREE_SITTER_BYTES
from ._spans import lex_window

__all__ = [
    "ApplyEdit", "Bus", "BusStatistics", "CloseDocument", "DocumentChanged", "DocumentOpened",
    "Engine", "EngineStatistics", "GRAMMARS", "HighlightsReady", "Inbox", "InboxStatistics",
    "MAX_TREE_SITTER_BYTES", "Message", "OpenDocument", "ParseCompleted", "RequestHighlights",
    "RowSpans", "WorkerRestarted", "grammar_for", "lex_window", "load_statistics",
]
