"""Engine tests under trio.testing: the bus's backpressure, the syntax service's debounce,
incremental parsing against a fresh parse, and a worker process killed mid-session."""

from __future__ import annotations

import random

import pytest
import trio
import trio.testing

from kiro_proto.core import Document, Pos
from kiro_proto.engine import (ApplyEdit, Bus, Engine, HighlightsReady, OpenDocument,
                               ParseCompleted, RequestHighlights, grammar_for)
from kiro_proto.engine._parsing import DocumentParse
from kiro_proto.engine._syntax import SlicedSyntax

SOURCE = b'''import os


def greet(name: str) -> str:
    """Say hello."""
    return f"hello {name}"  # a comment


class Box:
    size = 3

    def grow(self, n):
        self.size += n * 2
        return [self.size, None, True]
'''


def fresh_spans(data: bytes, first: int, last: int):
    parse = DocumentParse(grammar_for("Python"))
    from kiro_proto.core import TextBuffer

    parse.begin(TextBuffer.from_bytes(data), 0)
    assert parse.step(None)
    return parse.highlight(first, last)


def test_bus_backpressure_and_statistics():
    trio.run(_test_bus_backpressure_and_statistics)


async def _test_bus_backpressure_and_statistics():
    bus = Bus()
    inbox = bus.inbox("work", capacity=2)
    inbox.send_nowait(ApplyEdit(1, None))
    inbox.send_nowait(ApplyEdit(2, None))
    with pytest.raises(trio.WouldBlock):
        inbox.send_nowait(ApplyEdit(3, None))
    stats = bus.statistics().inboxes[0]
    assert (stats.depth, stats.sent, stats.rejected) == (2, 2, 1)
    async with trio.open_nursery() as nursery:
        done = []

        async def blocked_sender():
            await inbox.send(ApplyEdit(4, None))  # waits: the inbox is full
            done.append(True)

        nursery.start_soon(blocked_sender)
        await trio.testing.wait_all_tasks_blocked()
        assert not done
        assert (await inbox.receive()).doc_id == 1
        await trio.testing.wait_all_tasks_blocked()
        assert done
    assert bus.statistics().inboxes[0].received == 1


async def test_sliced_parse_debounces_and_matches_a_fresh_parse():
    clock = trio.testing.MockClock()
    events = []
    doc = Document(SOURCE)

    async def main():
        service = SlicedSyntax(events.append, debounce=0.05)
        engine = Engine(events.append, syntax_mode="sliced")
        engine.syntax = service
        async with trio.open_nursery() as nursery:
            await nursery.start(engine.run)
            engine.inbox.send_nowait(OpenDocument(1, doc, "Python"))
            engine.inbox.send_nowait(RequestHighlights(1, 0, 0, 20))
            await trio.testing.wait_all_tasks_blocked()
            first = [e for e in events if isinstance(e, HighlightsReady)]
            assert len(first) == 1 and first[0].revision == 0
            # Typing: edits within the debounce window start no parse.
            edit = doc.insert(Pos(4, 0), "    x = 1\n")
            engine.inbox.send_nowait(ApplyEdit(1, edit))
            clock.jump(0.01)
            await trio.testing.wait_all_tasks_blocked()
            edit2 = doc.insert(Pos(4, 4), "y")
            engine.inbox.send_nowait(ApplyEdit(1, edit2))
            await trio.testing.wait_all_tasks_blocked()
            assert len([e for e in events if isinstance(e, ParseCompleted)]) == 1
            clock.jump(0.06)
            await trio.testing.wait_all_tasks_blocked()
            parses = [e for e in events if isinstance(e, ParseCompleted)]
            assert len(parses) == 2 and parses[-1].incremental and parses[-1].revision == 2
            engine.stop()

    trio.run(main, clock=clock)
    last = [e for e in events if isinstance(e, HighlightsReady)][-1]
    assert last.revision == doc.revision
    assert last.rows == fresh_spans(doc.to_bytes(), 0, 20)
    assert any(tok == "Keyword" for row in last.rows for *_, tok in row)


@pytest.mark.parametrize("seed", range(12))
def test_incremental_spans_equal_a_fresh_parse(seed):
    """After random edits, the viewport's spans equal a full parse of the final text."""
    rng = random.Random(seed)
    doc = Document(SOURCE * 3)
    parse = DocumentParse(grammar_for("Python"))
    parse.begin(doc.buffer.snapshot(), doc.revision)
    assert parse.step(None)
    pieces = ["x", " ", "\n", "'", '"', "#", "def f():\n", "é", "(", ")", "  ", "1.5"]
    for _ in range(40):
        row = rng.randrange(doc.line_count)
        col = rng.randrange(doc.line_length(row) + 1)
        if rng.random() < 0.3:
            row2 = min(doc.line_count - 1, row + rng.randrange(2))
            end = Pos(row2, rng.randrange(doc.line_length(row2) + 1))
            edit = doc.replace(Pos(row, col), end, "")
        else:
            edit = doc.insert(Pos(row, col), rng.choice(pieces))
        parse.edit(edit.tree_sitter_args())
        if rng.random() < 0.3:  # reparse now and then, sometimes in slices
            parse.begin(doc.buffer.snapshot(), doc.revision)
            while not parse.step(0.0005 if rng.random() < 0.5 else None):
                pass
    parse.begin(doc.buffer.snapshot(), doc.revision)
    while not parse.step(0.001):
        pass
    rows = min(doc.line_count, 60)
    assert parse.highlight(0, rows) == fresh_spans(doc.to_bytes(), 0, rows)


async def wait_for(predicate, timeout=30):
    with trio.fail_after(timeout):
        while not predicate():
            await trio.sleep(0.01)


def test_killed_worker_restarts_and_highlighting_recovers():
    events = []
    doc = Document(SOURCE)

    async def main():
        engine = Engine(events.append, syntax_mode="process")
        async with trio.open_nursery() as nursery:
            await nursery.start(engine.run)
            engine.inbox.send_nowait(OpenDocument(1, doc, "Python"))
            engine.inbox.send_nowait(RequestHighlights(1, 0, 0, 20))
            await wait_for(lambda: any(isinstance(e, HighlightsReady) for e in events))
            pid = engine.syntax.worker.pid
            engine.syntax.worker.kill()  # as if the worker crashed
            edit = doc.insert(Pos(0, 0), "# note\n")
            engine.inbox.send_nowait(ApplyEdit(1, edit))
            await wait_for(lambda: any(isinstance(e, HighlightsReady) and e.revision == doc.revision
                                       for e in events))
            stats = engine.statistics().workers[0]
            assert stats.restarts == 1 and stats.alive and stats.pid != pid
            engine.stop()

    trio.run(main)
    last = [e for e in events if isinstance(e, HighlightsReady)][-1]
    assert last.revision == doc.revision
    assert last.rows == fresh_spans(doc.to_bytes(), 0, 20)
    assert last.rows[0] == ((0, 6, "Comment"),)


def test_a_document_sent_in_pieces_is_mirrored_exactly(monkeypatch):
    """A document larger than one frame goes to the worker as "open" + "append" pieces
    (the UI loop runs between them); an edit and a highlight request sent right behind
    it apply to the whole text, and the spans equal a fresh parse of it."""
    from kiro_proto.engine import _syntax_process

    monkeypatch.setattr(_syntax_process, "OPEN_CHUNK", 4096)  # a piece per buffer block
    events = []
    doc = Document(SOURCE * 400)  # 160 KB
    blocks = len(list(doc.buffer.blocks()))
    sent = []

    async def main():
        engine = Engine(events.append, syntax_mode="process")
        async with trio.open_nursery() as nursery:
            await nursery.start(engine.run)
            worker = engine.syntax.worker
            notify = worker.notify

            async def counting(method, params):
                sent.append(method)
                await notify(method, params)

            monkeypatch.setattr(worker, "notify", counting)
            engine.inbox.send_nowait(OpenDocument(1, doc, "Python"))
            edit = doc.insert(Pos(doc.line_count - 1, 0), "# the end\n")
            engine.inbox.send_nowait(ApplyEdit(1, edit))
            last_row = doc.line_count
            engine.inbox.send_nowait(RequestHighlights(1, doc.revision, last_row - 20, last_row))
            await wait_for(lambda: any(isinstance(e, HighlightsReady) and e.revision == doc.revision
                                       for e in events))
            engine.stop()

    trio.run(main)
    assert blocks > 2 and sent[0] == "open" and sent.count("append") == blocks - 1
    assert sent.index("edit") > max(i for i, m in enumerate(sent) if m == "append")
    last = [e for e in events if isinstance(e, HighlightsReady)][-1]
    assert last.rows == fresh_spans(doc.to_bytes(), last.first_row,
                                    last.first_row + len(last.rows))
    assert ((0, 9, "Comment"),) in last.rows


@pytest.mark.parametrize("mode", ["sliced", "process"])
def test_edits_queued_behind_an_open_are_not_applied_twice(mode):
    """The app queues messages until the engine runs; a key typed before that leaves an
    ApplyEdit behind the OpenDocument of a document that already contains it. The syntax
    service must not apply it again (that shifted every node after it: wrong colours)."""
    events = []
    doc = Document(SOURCE * 40)

    async def main():
        engine = Engine(events.append, syntax_mode=mode)
        engine.inbox.send_nowait(OpenDocument(1, doc, "Python"))
        edit = doc.insert(Pos(3, 0), "x = 1\n")  # typed before the engine started
        engine.inbox.send_nowait(ApplyEdit(1, edit))
        engine.inbox.send_nowait(RequestHighlights(1, doc.revision, 0, 40))
        async with trio.open_nursery() as nursery:
            await nursery.start(engine.run)
            await wait_for(lambda: any(isinstance(e, HighlightsReady)
                                       and e.revision == doc.revision for e in events))
            engine.stop()

    trio.run(main)
    last = [e for e in events if isinstance(e, HighlightsReady)][-1]
    assert last.rows == fresh_spans(doc.to_bytes(), last.first_row,
                                    last.first_row + len(last.rows))
