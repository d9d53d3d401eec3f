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


def test_request_deadline_and_answers():
    trio.run(_test_request_deadline_and_answers)


async def _test_request_deadline_and_answers():
    async with trio.open_nursery() as nursery:
        worker = ProcessWorker("syntax", WORKER, nursery=nursery)
        pid = await worker.request("ping", [], timeout=30)
        assert pid == worker.pid
        with pytest.raises(WorkerTimeout):
            await worker.request("sleep", [5], timeout=0.2)
        with pytest.raises(WorkerError, match="unknown method"):
            await worker.request("nope", [], timeout=30)
        assert worker.statistics().timeouts == 1
        await worker.aclose()
        nursery.cancel_scope.cancel()


def test_a_worker_that_keeps_crashing_stays_down():
    trio.run(_test_a_worker_that_keeps_crashing_stays_down)


async def _test_a_worker_that_keeps_crashing_stays_down():
    async with trio.open_nursery() as nursery:
        worker = ProcessWorker("syntax", WORKER, nursery=nursery)
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
        nursery.cancel_scope.cancel()
