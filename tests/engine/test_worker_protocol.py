"""Worker processes and their frames: deadlines, hostile frames, the restart limit."""

from __future__ import annotations

import io
import struct

import msgpack
import pytest
import trio

from kiro_proto.engine._frames import FrameError, pack_frame, read_frame
from kiro_proto.engine._process import ProcessWorker, WorkerError, WorkerTimeout

WORKER = "kiro_proto.engine._syntax_worker"


def test_frames_round_trip_and_limits():
    frame = pack_frame([2, "edit", [1, b"\x00\xff", "é"]])
    assert read_frame(io.BytesIO(frame)) == [2, "edit", [1, b"\x00\xff", "é"]]
    assert read_frame(io.BytesIO(b"")) is None
    with pytest.raises(FrameError, match="truncated"):
        read_frame(io.BytesIO(frame[:-3]))
    with pytest.raises(FrameError, match="header"):
        read_frame(io.BytesIO(frame[:2]))
    huge = struct.pack(">I", 2**31)  # claims 2 GiB: refused before reading anything
    with pytest.raises(FrameError, match="over the limit"):
        read_frame(io.BytesIO(huge + b"x"), max_frame=1024)
    garbage = b"\xc1\xc1\xc1"  # 0xc1 is never valid msgpack
    with pytest.raises(FrameError, match="invalid"):
        read_frame(io.BytesIO(struct.pack(">I", len(garbage)) + garbage))
    nested = b"\x91" * 100_000 + b"\xc0"  # 100,000 nested arrays
    with pytest.raises(FrameError):
        read_frame(io.BytesIO(struct.pack(">I", len(nested)) + nested))
    bomb = msgpack.packb([0] * 10) [:1] + b""  # a header promising more than is there
    with pytest.raises(FrameError):
        read_frame(io.BytesIO(struct.pack(">I", len(bomb)) + bomb))


def with_worker(test) -> None:
    """Run ``test(worker, nursery)`` under trio with a syntax ``ProcessWorker``, closed after."""
    async def main():
        async with trio.open_nursery() as nursery:
            worker = ProcessWorker("syntax", WORKER, nursery=nursery)
            try:
                await test(worker, nursery)
            finally:
                await worker.aclose()
                nursery.cancel_scope.cancel()
    trio.run(main)


def test_request_deadline_and_answers():
    async def test(worker, nursery):
        pid = await worker.request("ping", [], timeout=30)
        assert pid == worker.pid
        with pytest.raises(WorkerTimeout):
            await worker.request("sleep", [5], timeout=0.2)
        with pytest.raises(WorkerError, match="unknown method"):
            await worker.request("nope", [], timeout=30)
        assert worker.statistics().timeouts == 1

    with_worker(test)


def test_a_request_right_after_kill_goes_to_a_new_process():
    # The kernel takes a moment to end a killed process; a request sent in that moment
    # used to go to the dying one and fail ("could not be activated" in the plugin host).
    async def test(worker, nursery):
        first = await worker.request("ping", [], timeout=30)
        failed = []

        async def in_flight():
            try:
                await worker.request("sleep", [30], timeout=60)
            except WorkerError as err:
                failed.append((str(err), trio.current_time()))

        nursery.start_soon(in_flight)
        await trio.sleep(0.2)
        killed_at = trio.current_time()
        for _ in range(5):  # no checkpoint between kill() and the request
            worker.kill()
            assert not worker.alive
            pid = await worker.request("ping", [], timeout=30)
            assert pid == worker.pid and pid != first
            first = pid
        assert failed and "exited" in failed[0][0]
        assert failed[0][1] - killed_at < 5  # failed at the kill, not at its deadline

    with_worker(test)


def test_a_worker_that_keeps_crashing_stays_down():
    async def test(worker, nursery):
        worker.MAX_RESTARTS = 2
        await worker.ensure_started()
        for _ in range(3):
            before = worker.restarts
            worker.kill()
            with trio.fail_after(30):
                while worker.restarts == before and not worker.gave_up:
                    await trio.sleep(0.01)
        assert worker.restarts == 2
        assert worker.gave_up
        with pytest.raises(WorkerError, match="stays down"):
            await worker.request("ping", [], timeout=5)

    with_worker(test)


def test_a_large_document_is_parsed_once_typing_pauses(monkeypatch):
    """The syntax worker holds a large document's parse while edits keep coming (a long
    parse slows the editor beside it) and parses once TYPING_PAUSE passes without one;
    a small document is parsed at once."""
    import io
    import time

    from kiro_proto.engine import _syntax_worker as sw
    from kiro_proto.engine._frames import NOTIFY, REQUEST

    monkeypatch.setattr(sw, "LARGE_DOCUMENT", 1000)
    worker = sw.Worker(io.BytesIO(), io.BytesIO())
    small, large = b"x = 1\n" * 10, b"x = 1\n" * 1000
    for doc_id, text in ((1, small), (2, large)):
        worker.handle([NOTIFY, "open", [doc_id, text, "Python", 0, len(text)]])
        worker.handle([NOTIFY, "edit", [doc_id, 1, 0, 0, b"y", [0, 0], [0, 0], [0, 1]]])
        worker.handle([REQUEST, 10 + doc_id, "highlight", [doc_id, 1, 0, 5]])
    while (state := worker.work()) is True:
        pass
    assert worker.docs[1].pending is None  # answered
    assert worker.docs[2].pending is not None  # held: an edit came just now
    assert isinstance(state, float) and 0 < state - time.monotonic() <= sw.TYPING_PAUSE
    time.sleep(state - time.monotonic() + 0.01)
    while worker.work() is True:
        pass
    assert worker.docs[2].pending is None and worker.docs[2].parse.tree_revision == 1
