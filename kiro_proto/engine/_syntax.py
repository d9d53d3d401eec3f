"""The syntax service: keeps a tree-sitter tree per open document, reparses incrementally
after edits (debounced), and answers viewport highlight requests for the current revision.

Two ways to keep the UI responsive while parsing (the GIL rules out a thread):
- sliced: parse on the engine's loop in slices of ``slice_seconds`` (3 ms, as Neovim
  0.11), yielding to the UI between slices;
- process: parse in a syntax worker process that mirrors the document
  (``_syntax_worker.py``), so the UI's thread does no parsing at all.
"""

from __future__ import annotations

from typing import Callable

import trio

from ._grammars import grammar_for
from ._messages import (ApplyEdit, CloseDocument, HighlightsReady, Message, OpenDocument,
                        ParseCompleted, RequestHighlights)
from ._parsing import DocumentParse, gets_tree

__all__ = ["SlicedSyntax", "SyntaxDocument"]

Emit = Callable[[Message], None]


class SyntaxDocument:
    """One open document in the sliced service."""

    def __init__(self, doc_id: int, document, parse: DocumentParse, emit: Emit, *,
                 slice_seconds: float, debounce: float) -> None:
        self.doc_id = doc_id
        self.document = document
        self.parse = parse
        self.emit = emit
        self.slice_seconds = slice_seconds
        self.debounce = debounce
        self.wanted: tuple[int, int] | None = None  # rows the UI wants
        self.wake = trio.Event()
        self.last_edit = float("-inf")  # no edit yet: the first parse is not debounced
        self.cancel_scope = trio.CancelScope()
        self.abandoned = 0

    def on_edit(self, edit) -> None:
        self.parse.edit(edit.tree_sitter_args(), edit.revision)
        self.last_edit = trio.current_time()
        self.wake.set()

    def want(self, first_row: int, last_row: int) -> None:
        self.wanted = (first_row, last_row)
        self.wake.set()

    async def run(self) -> None:
        with self.cancel_scope:
            while True:
                await self.wake.wait()
                self.wake = trio.Event()
                # Debounce: wait until typing pauses for ``debounce`` seconds.
                while (quiet := trio.current_time() - self.last_edit) < self.debounce:
                    await trio.sleep(self.debounce - quiet)
                if self.parse.tree_revision != self.document.revision:
                    if not await self._parse():
                        continue
                if self.wanted and self.parse.tree_revision == self.document.revision:
                    first, last = self.wanted
                    rows = self.parse.highlight(first, last)
                    self.emit(HighlightsReady(self.doc_id, self.parse.tree_revision, first, rows))
                    await trio.lowlevel.checkpoint()

    async def _parse(self) -> bool:
        """Parse the current revision in slices; False if it was superseded and dropped."""
        doc = self.document
        revision = doc.revision
        self.parse.begin(doc.buffer.snapshot(), revision)
        incremental = self.parse.last_incremental
        while not self.parse.step(self.slice_seconds):
            await trio.sleep(0)  # let the UI (and everything else) run between slices
            if incremental and doc.revision != revision:
                self.parse.abandon()  # superseded: the next pass parses the newer text
                self.abandoned += 1
                self.wake.set()
                return False
        p = self.parse
        self.emit(ParseCompleted(self.doc_id, revision, p.last_seconds, p.last_slices,
                                 p.last_longest, incremental))
        return True


class SlicedSyntax:
    """The in-process (sliced) syntax service."""

    def __init__(self, emit: Emit, *, slice_seconds: float = 0.003, debounce: float = 0.03) -> None:
        self.emit = emit
        self.slice_seconds = slice_seconds
        self.debounce = debounce
        self.documents: dict[int, SyntaxDocument] = {}
        self._nursery: trio.Nursery | None = None

    async def serve(self, inbox) -> None:
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            while True:
                self.handle(await inbox.receive())

    def handle(self, message: Message) -> None:
        if isinstance(message, OpenDocument):
            self.open(message)
        elif isinstance(message, ApplyEdit):
            doc = self.documents.get(message.doc_id)
            if doc is not None:
                doc.on_edit(message.edit)
        elif isinstance(message, RequestHighlights):
            doc = self.documents.get(message.doc_id)
            if doc is not None:
                doc.want(message.first_row, message.last_row)
        elif isinstance(message, CloseDocument):
            doc = self.documents.pop(message.doc_id, None)
            if doc is not None:
                doc.cancel_scope.cancel()

    def open(self, message: OpenDocument) -> None:
        old = self.documents.pop(message.doc_id, None)
        if old is not None:
            old.cancel_scope.cancel()
        grammar = grammar_for(message.language)
        if grammar is None or not gets_tree(len(message.document)):
            return
        doc = SyntaxDocument(message.doc_id, message.document, DocumentParse(grammar),
                             self.emit, slice_seconds=self.slice_seconds, debounce=self.debounce)
        self.documents[message.doc_id] = doc
        assert self._nursery is not None
        self._nursery.start_soon(doc.run)
        doc.wake.set()


def tree_sitter_enabled(language: str, size: int) -> bool:
    return gets_tree(size) and grammar_for(language) is not None


