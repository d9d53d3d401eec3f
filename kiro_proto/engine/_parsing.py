"""One document's tree-sitter state: parser, last complete tree, incremental edits, and
the viewport query. Used by the sliced service (on the engine's loop) and by the syntax
worker process alike; it neither sleeps nor does I/O.

py-tree-sitter holds the GIL while it parses and queries, so a parse is never "background"
work in a thread. Parsing here proceeds in bounded steps (``parse_step``) that stop at a
deadline through ``progress_callback``; the caller decides what runs between steps.
"""

from __future__ import annotations

import os
import time

from .. import switches
from ..core import TextBuffer
from ._grammars import Grammar
from ._messages import RowSpans
from ._spans import flatten, split_rows

__all__ = ["DocumentParse", "MAX_TREE_SITTER_BYTES", "gets_tree"]

# Above this size highlighting is Pygments on the visible window only: tree-sitter's tree
# costs about 21 bytes per byte of source (FACTS.md), 12 MB of text ~ 250 MB of tree.
# KIRO_TREE_LIMIT_BYTES lowers it for `kiro-proto demo memtrack` (docs/patterns/09), so the
# demo shows the limit with a small file; nothing else sets it.
MAX_TREE_SITTER_BYTES = int(os.environ.get("KIRO_TREE_LIMIT_BYTES") or 12 * 1024 * 1024)


def gets_tree(size: int) -> bool:
    """May a document of ``size`` bytes be parsed by tree-sitter? Not above
    MAX_TREE_SITTER_BYTES, unless the ``tree_limit`` switch is off (then at any size)."""
    return size <= MAX_TREE_SITTER_BYTES or not switches.SWITCHES.tree_limit

_READ_LIMIT_IN_QUERY = 256  # query predicates read a few bytes of a node's text


class DocumentParse:
    """Parser and tree for one document.

    ``tree`` is the last complete tree; it belongs to ``tree_revision``, with every edit
    since then already applied through ``Tree.edit`` (so it is a valid ``old_tree``).
    ``source`` is the snapshot being parsed (immutable: the parse never sees a half-edited
    text). Edits that arrive while a parse is under way wait in ``_queued``.
    """

    def __init__(self, grammar: Grammar) -> None:
        import tree_sitter as ts

        self.grammar = grammar
        self.parser = ts.Parser(grammar.language)
        self.tree = None
        self.tree_revision = -1
        self.source: TextBuffer | None = None
        self._parsing_revision: int | None = None
        self._queued: list[dict] = []
        self._query_mode = False
        self._cursor = ts.QueryCursor(grammar.query)
        # The ``batching`` ablation: one query call per node, each only for the patterns
        # rooted at that node (max start depth 0), so the matches are the same.
        self._node_cursor = ts.QueryCursor(grammar.query)
        self._node_cursor.set_max_start_depth(0)
        self.last_query_calls = 0  # calls into the query engine for the last highlight()
        self._capture_tokens = {grammar.query.capture_name(i): grammar.tokens[i]
                                for i in range(grammar.query.capture_count)}
        # statistics of the last completed parse
        self.last_slices = 0
        self.last_longest = 0.0
        self.last_seconds = 0.0
        self.last_incremental = False
        self._started = 0.0

    # -- edits ------------------------------------------------------------------------------
    def edit(self, ts_args: dict, revision: int | None = None) -> None:
        """Record an edit (``Edit.tree_sitter_args()``) against the tree. ``revision`` is
        the revision the edit produced: an edit the parsed text already contains (not
        newer than the revision being parsed, or parsed) is ignored. That happens when a
        document is opened with edits still queued behind the open: its text already had
        them, and applying them again would shift every node after them."""
        base = self._parsing_revision if self._parsing_revision is not None else self.tree_revision
        if revision is not None and revision <= base:
            return
        if self._parsing_revision is not None:
            self._queued.append(ts_args)
        elif self.tree is not None:
            self.tree.edit(**ts_args)

    @property
    def parsing(self) -> bool:
        return self._parsing_revision is not None

    # -- parsing ----------------------------------------------------------------------------
    def _read(self, offset: int, _point) -> bytes:
        source = self.source
        if source is None:
            return b""
        return source.chunk_at(offset, _READ_LIMIT_IN_QUERY if self._query_mode else None)

    def begin(self, source: TextBuffer, revision: int) -> None:
        """Start parsing ``source`` (a snapshot) as ``revision``."""
        if self._parsing_revision is not None:
            self.abandon()
        self.source = source
        self._parsing_revision = revision
        self.last_slices = 0
        self.last_longest = 0.0
        self._started = time.perf_counter()
        self.last_incremental = self.tree is not None and switches.SWITCHES.incremental_parse

    def step(self, budget: float | None) -> bool:
        """Parse for at most ``budget`` seconds (None: to the end). True when complete."""
        assert self._parsing_revision is not None, "step() without begin()"
        old = self.tree if self.last_incremental else None
        t0 = time.perf_counter()
        kwargs = {}
        if budget is not None:
            deadline = t0 + budget
            kwargs["progress_callback"] = lambda _offset, _err: time.perf_counter() > deadline
        try:
            tree = (self.parser.parse(self._read, old, **kwargs) if old is not None
                    else self.parser.parse(self._read, **kwargs))
        except ValueError:  # halted at the deadline; the next call resumes
            tree = None
        spent = time.perf_counter() - t0
        self.last_slices += 1
        self.last_longest = max(self.last_longest, spent)
        if tree is None:
            return False
        for args in self._queued:  # edits made while this parse ran
            tree.edit(**args)
        self._queued.clear()
        self.tree = tree
        self.tree_revision = self._parsing_revision
        self._parsing_revision = None
        self.last_seconds = time.perf_counter() - self._started
        return True

    def abandon(self) -> None:
        """Drop a parse in progress (its revision was superseded)."""
        if self._parsing_revision is None:
            return
        self.parser.reset()
        self._parsing_revision = None
        if self.tree is not None:
            for args in self._queued:
                self.tree.edit(**args)
        self._queued.clear()

    # -- highlighting -----------------------------------------------------------------------
    def highlight(self, first_row: int, last_row: int) -> tuple[RowSpans, ...]:
        """Spans for rows ``[first_row, last_row)`` of the parsed source: one range query
        (``QueryCursor.set_byte_range``), captures sorted and flattened in one batch.
        With the ``batching`` switch off the same captures are gathered by walking the tree
        node by node (``_matches_by_node``)."""
        source = self.source
        assert self.tree is not None and source is not None
        last_row = min(last_row, source.line_count)
        if last_row <= first_row:
            return ()
        start = source.line_start(first_row)
        end = source.line_start(last_row) if last_row < source.line_count else len(source)
        tokens = self._capture_tokens
        spans = []
        self._query_mode = True
        try:
            if switches.SWITCHES.batching:
                cursor = self._cursor
                cursor.set_byte_range(start, end)
                matches = cursor.matches(self.tree.root_node)
                self.last_query_calls = 1
            else:
                matches = self._matches_by_node(start, end)
            for pattern, captures in matches:
                for name, nodes in captures.items():
                    token = tokens.get(name, "Text")
                    if token == "Text":
                        continue
                    for node in nodes:
                        spans.append((tuple(node.start_point), tuple(node.end_point),
                                      pattern, token))
        finally:
            self._query_mode = False

        def line_bytes(row: int) -> bytes:
            a, b = source.line_span(row)
            return source.slice(a, b)

        return split_rows(flatten(spans), first_row, last_row, line_bytes)

    def _matches_by_node(self, start: int, end: int) -> list:
        """The ablation of the range query: a ``TreeCursor`` walk over every node that
        touches bytes ``[start, end]``, asking the query engine once per node for the
        matches rooted at that node. Each match has exactly one root, and the byte range
        filters both ways alike, so the matches are the range query's (in another order:
        ``flatten`` sorts them). Costs several Python-to-C calls per node."""
        cursor = self._node_cursor
        cursor.set_byte_range(start, end)
        walk = self.tree.walk()
        found: list = []
        calls = 0
        while True:
            node = walk.node
            if node.start_byte <= end and node.end_byte >= start:
                found.extend(cursor.matches(node))
                calls += 1
                if walk.goto_first_child():
                    continue
            while not walk.goto_next_sibling():
                if not walk.goto_parent():
                    self.last_query_calls = calls
                    return found
