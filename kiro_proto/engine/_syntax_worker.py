"""The syntax worker process: mirrors open documents, parses them with tree-sitter and
answers viewport highlight requests, so the UI process never spends its GIL on parsing.

Run as ``python -m kiro_proto.engine._syntax_worker``; speaks msgpack-RPC frames on
stdin/stdout. A parse stops early when a new message is waiting (``progress_callback``
polls stdin), so edits and newer requests are never stuck behind stale work.
"""

from __future__ import annotations

import os
import select
import time

from ..core import TextBuffer
from ._frames import (NOTIFY, REQUEST, RESPONSE, pack_frame, read_frame,
                      serve_worker)
from ._grammars import grammar_for
from ._parsing import DocumentParse

POLL_SECONDS = 0.005  # how often a running parse checks for a waiting message
# A large document is parsed only once typing pauses. Its parse is long (a 10 MB file:
# ~5 s from scratch, ~50 ms incremental) and, even in another process, slows the editor
# it runs beside (measured with bench/typometer.py at 10 MB: key-to-screen p95 ~23 ms
# while the worker reparsed after every key, ~16 ms when it waited for a 150 ms pause,
# the same as with no highlighting at all). Small documents parse in milliseconds and
# are not held back.
LARGE_DOCUMENT = 2_000_000  # bytes
TYPING_PAUSE = 0.15  # seconds without an edit before a large document is parsed


class MirroredDocument:
    """One open document. It arrives in pieces ("open" with the first, then "append"s):
    until ``size`` bytes are in, it has no buffer and highlight requests wait."""

    def __init__(self, data: bytes, language: str, size: int | None = None) -> None:
        grammar = grammar_for(language)
        if grammar is None:
            raise ValueError(f"no tree-sitter grammar for {language}")
        self.size = len(data) if size is None else size
        self._pieces = [data]
        self._received = len(data)
        self.buffer: TextBuffer | None = None
        self.revision = 0
        self.last_edit = float("-inf")  # time.monotonic() of the last edit
        self.parse = DocumentParse(grammar)
        self.pending: tuple[int, int, int] | None = None  # (msg id, first row, last row)
        self._complete_if_all_in()

    def append(self, data: bytes) -> None:
        if self.buffer is not None:
            raise ValueError("append to a complete document")
        self._pieces.append(data)
        self._received += len(data)
        self._complete_if_all_in()

    def _complete_if_all_in(self) -> None:
        if self._received >= self.size:
            self.buffer = TextBuffer.from_bytes(b"".join(self._pieces))
            self._pieces = []

    def apply(self, revision: int, start: int, old_end: int, new: bytes, ts_args: dict) -> None:
        self.buffer.replace(start, old_end, new)
        self.revision = revision
        self.last_edit = time.monotonic()
        self.parse.edit(ts_args, revision)


class Worker:
    def __init__(self, stdin, stdout) -> None:
        self.stdin = stdin
        self.stdout = stdout
        self.docs: dict[int, MirroredDocument] = {}

    def input_waiting(self) -> bool:
        return bool(select.select([self.stdin], [], [], 0)[0])

    def reply(self, msg_id: int, error, result) -> None:
        self.stdout.write(pack_frame([RESPONSE, msg_id, error, result]))
        self.stdout.flush()

    def handle(self, message) -> None:
        kind = message[0]
        if kind == NOTIFY:
            _, method, params = message
            if method == "open":
                doc_id, data, language, revision, size = params
                try:
                    doc = MirroredDocument(data, language, size)
                except ValueError:
                    return
                doc.revision = revision
                self.docs[doc_id] = doc
            elif method == "append":
                doc = self.docs.get(params[0])
                if doc is not None:
                    doc.append(params[1])
            elif method == "edit":
                doc_id, revision, start, old_end, new, sp, oep, nep = params
                doc = self.docs.get(doc_id)
                # An edit not newer than the document is already in its text (edits still
                # queued when the document was opened): applying it again would corrupt it.
                if doc is not None and revision > doc.revision:
                    doc.apply(revision, start, old_end, new, {
                        "start_byte": start, "old_end_byte": old_end,
                        "new_end_byte": start + len(new), "start_point": tuple(sp),
                        "old_end_point": tuple(oep), "new_end_point": tuple(nep)})
            elif method == "close":
                self.docs.pop(params[0], None)
        elif kind == REQUEST:
            _, msg_id, method, params = message
            if method == "ping":
                self.reply(msg_id, None, os.getpid())
            elif method == "highlight":
                doc_id, _revision, first, last = params
                doc = self.docs.get(doc_id)
                if doc is None:
                    self.reply(msg_id, "no such document", None)
                    return
                if doc.pending is not None:
                    self.reply(doc.pending[0], "superseded", None)
                doc.pending = (msg_id, first, last)
            elif method == "sleep":  # for tests of deadlines: a worker that hangs
                time.sleep(float(params[0]))
                self.reply(msg_id, None, True)
            else:
                self.reply(msg_id, f"unknown method {method}", None)

    def work(self) -> bool | float:
        """Advance one document's pending highlight. True: work remains, call again;
        a float: work waits for a pause in typing until that ``time.monotonic()``
        (unless a message comes first); False: nothing to do."""
        resume_at = None
        for doc in self.docs.values():
            if doc.pending is None or doc.buffer is None:  # none asked, or not all in yet
                continue
            if len(doc.buffer) >= LARGE_DOCUMENT:
                quiet_at = doc.last_edit + TYPING_PAUSE
                if time.monotonic() < quiet_at:
                    resume_at = quiet_at if resume_at is None else min(resume_at, quiet_at)
                    continue
            parse = doc.parse
            if parse.tree_revision != doc.revision:
                if parse.parsing and parse.last_incremental:
                    pass  # keep going; superseded parses are abandoned in step() below
                if not parse.parsing:
                    parse.begin(doc.buffer.snapshot(), doc.revision)
                if not parse.step(POLL_SECONDS):
                    return True
                if parse.tree_revision != doc.revision:
                    return True  # edits arrived meanwhile: parse again
            msg_id, first, last = doc.pending
            doc.pending = None
            rows = parse.highlight(first, last)
            self.reply(msg_id, None, [parse.tree_revision, first, [list(map(list, r)) for r in rows],
                                      parse.last_seconds, parse.last_slices, parse.last_incremental])
            return True
        return resume_at if resume_at is not None else False

    def serve(self) -> None:
        busy: bool | float = False
        while True:
            if busy is True and not self.input_waiting():
                busy = self.work()
                continue
            if busy is not True and busy is not False:  # waiting for a pause in typing
                left = busy - time.monotonic()
                if left <= 0 or not select.select([self.stdin], [], [], left)[0]:
                    busy = True  # the pause came: work
                    continue
            message = read_frame(self.stdin)
            if message is None:
                return
            self.handle(message)
            busy = True


def main() -> int:
    return serve_worker(Worker)


if __name__ == "__main__":
    raise SystemExit(main())
