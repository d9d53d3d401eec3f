"""The syntax service, out of process: documents are mirrored into a syntax worker
process (``_syntax_worker.py``) by sending their bytes once and then each edit; highlight
requests are debounced here and answered by the worker. Killing the worker loses nothing:
it is restarted and every open document is sent again from the editor's copy."""

from __future__ import annotations

from typing import Callable

import trio

from ._grammars import GRAMMARS
from ._messages import (ApplyEdit, CloseDocument, HighlightsReady, Message, OpenDocument,
                        ParseCompleted, RequestHighlights, WorkerRestarted)
from ._parsing import gets_tree
from ._process import ProcessWorker, WorkerError

__all__ = ["ProcessSyntax"]

Emit = Callable[[Message], None]
WORKER_MODULE = "kiro_proto.engine._syntax_worker"
OPEN_CHUNK = 1 << 20  # bytes of a document per frame when it is sent to the worker


class _Doc:
    def __init__(self, doc_id: int, document, language: str) -> None:
        self.doc_id = doc_id
        self.document = document
        self.language = language
        self.wanted: tuple[int, int] | None = None
        self.wake = trio.Event()
        self.last_edit = float("-inf")  # no edit yet: the first parse is not debounced
        self.cancel_scope = trio.CancelScope()


class ProcessSyntax:
    def __init__(self, emit: Emit, *, debounce: float = 0.03, timeout: float = 10.0) -> None:
        self.emit = emit
        self.debounce = debounce
        self.timeout = timeout
        self.documents: dict[int, _Doc] = {}
        self.worker: ProcessWorker | None = None
        self._nursery: trio.Nursery | None = None
        self._edits: trio.MemorySendChannel | None = None

    def worker_statistics(self):
        return (self.worker.statistics(),) if self.worker is not None else ()

    async def serve(self, inbox) -> None:
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            self.worker = ProcessWorker("syntax", WORKER_MODULE, nursery=nursery,
                                        on_restart=self._rebuild)
            # Notifications (open, edit) go out in order through one sender task.
            send, receive = trio.open_memory_channel(4096)
            self._edits = send
            nursery.start_soon(self._sender, receive)
            try:
                while True:
                    self.handle(await inbox.receive())
            finally:
                with trio.CancelScope(shield=True):
                    await self.worker.aclose()

    async def _sender(self, receive) -> None:
        async for method, params in receive:
            try:
                if method == "open":  # in pieces, before the edits queued after it
                    await self._send_open(*params)
                else:
                    await self.worker.notify(method, params)
            except WorkerError:
                pass  # the restart re-sends every document

    async def _rebuild(self) -> None:
        """After a restart: send every open document again (its state is rebuilt)."""
        self.emit(WorkerRestarted("syntax", self.worker.restarts, "exited"))
        for doc in self.documents.values():
            await self._send_open(doc.doc_id, doc.document.buffer.snapshot(), doc.language,
                                  doc.document.revision)
            doc.wake.set()

    async def _send_open(self, doc_id: int, text, language: str, revision: int) -> None:
        """Send a document (``text``: an immutable buffer snapshot) as an "open" frame with
        the first megabyte and "append" frames with the rest. Each piece is joined and
        packed only when it is sent, so the loop runs between pieces: sent whole, a 10 MB
        document held the UI thread for about 90 ms (join, pack, frame), in the first
        seconds after opening, when the user starts typing."""
        pieces = text.chunks(OPEN_CHUNK)
        await self.worker.notify("open", [doc_id, next(pieces), language, revision, len(text)])
        for piece in pieces:
            await self.worker.notify("append", [doc_id, piece])

    def handle(self, message: Message) -> None:
        if isinstance(message, OpenDocument):
            old = self.documents.pop(message.doc_id, None)
            if old is not None:
                old.cancel_scope.cancel()
            # Only the worker loads grammars; here a registry look-up is enough.
            if (message.language not in GRAMMARS
                    or not gets_tree(len(message.document))):
                return
            doc = _Doc(message.doc_id, message.document, message.language)
            self.documents[doc.doc_id] = doc
            document = message.document
            self._edits.send_nowait(("open", [doc.doc_id, document.buffer.snapshot(),
                                              doc.language, document.revision]))
            self._nursery.start_soon(self._run, doc)
        elif isinstance(message, ApplyEdit):
            doc = self.documents.get(message.doc_id)
            if doc is not None:
                e = message.edit
                self._edits.send_nowait(("edit", [
                    doc.doc_id, e.revision, e.start_byte, e.old_end_byte, e.new_bytes,
                    list(e.start_point), list(e.old_end_point), list(e.new_end_point)]))
                doc.last_edit = trio.current_time()
                doc.wake.set()
        elif isinstance(message, RequestHighlights):
            doc = self.documents.get(message.doc_id)
            if doc is not None:
                doc.wanted = (message.first_row, message.last_row)
                doc.wake.set()
        elif isinstance(message, CloseDocument):
            doc = self.documents.pop(message.doc_id, None)
            if doc is not None:
                doc.cancel_scope.cancel()
                self._edits.send_nowait(("close", [doc.doc_id]))

    async def _run(self, doc: _Doc) -> None:
        with doc.cancel_scope:
            while True:
                await doc.wake.wait()
                doc.wake = trio.Event()
                while (quiet := trio.current_time() - doc.last_edit) < self.debounce:
                    await trio.sleep(self.debounce - quiet)
                if doc.wanted is None:
                    continue
                first, last = doc.wanted
                # Let queued notifications (edits) reach the worker before the request.
                await trio.sleep(0)
                try:
                    result = await self.worker.request(
                        "highlight", [doc.doc_id, doc.document.revision, first, last],
                        timeout=self.timeout)
                except WorkerError:
                    continue  # superseded, timed out or restarted: a newer wake follows
                revision, first_row, rows, seconds, slices, incremental = result
                self.emit(ParseCompleted(doc.doc_id, revision, seconds, slices, 0.0, incremental))
                self.emit(HighlightsReady(doc.doc_id, revision, first_row,
                                          tuple(tuple(tuple(s) for s in r) for r in rows)))
                if revision != doc.document.revision:
                    doc.wake.set()
