"""Process workers: a child Python process speaking msgpack-RPC frames over its stdin and
stdout, started lazily, supervised (a crashed worker is restarted and its state rebuilt by
the owner's ``on_restart``), with a deadline on every request.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

import trio

from .. import switches
from ._paths import state_directory
from ._frames import (MAX_FRAME, NOTIFY, REQUEST, RESPONSE, FrameError, frame_length,
                      pack_frame, unpack_payload)

__all__ = ["ProcessWorker", "WorkerError", "WorkerTimeout", "WorkerStatistics"]


class WorkerError(Exception):
    """The worker answered with an error, or died while a request was waiting."""


class WorkerTimeout(WorkerError):
    """No answer before the request's deadline."""


@dataclass(frozen=True, slots=True)
class WorkerStatistics:
    name: str
    pid: int | None
    alive: bool
    restarts: int
    requests: int
    timeouts: int
    round_trip_p50_ms: float
    round_trip_max_ms: float


class ProcessWorker:
    """``module`` is run as ``python -m module``; it must serve frames on stdin/stdout."""

    MAX_RESTARTS = 5  # within RESTART_WINDOW seconds; then the worker stays down
    RESTART_WINDOW = 60.0

    def __init__(self, name: str, module: str, *, nursery: trio.Nursery,
                 on_restart: Callable[[], Awaitable[None]] | None = None,
                 max_frame: int = MAX_FRAME,
                 on_message: Callable[[list], None] | None = None,
                 on_channel_error: Callable[[str], None] | None = None,
                 stderr: Any = None) -> None:
        # on_message: requests and notifications the worker sends (responses are matched
        # here); on_channel_error: why a channel was closed (a bad frame); stderr: where the
        # child's stderr goes (None: a log file in the state folder).
        self.name = name
        self.module = module
        self._nursery = nursery
        self._on_restart = on_restart
        self._max_frame = max_frame
        self._on_message = on_message
        self._on_channel_error = on_channel_error
        self._stderr = stderr
        self._process: trio.Process | None = None
        self._killed: trio.Process | None = None  # killed here, perhaps not yet reaped
        self._send_lock = trio.Lock()
        self._start_lock = trio.Lock()
        self._next_id = 0
        self._waiting: dict[int, list] = {}  # id -> [event, error, result, generation]
        self.restarts = 0
        self.requests = 0
        self.timeouts = 0
        self._round_trips: list[float] = []
        self._generation = 0
        self._restart_times: list[float] = []
        self.gave_up = False
        self._closed = False

    @property
    def pid(self) -> int | None:
        return self._process.pid if self._process is not None else None

    @property
    def alive(self) -> bool:
        return (self._process is not None and self._process is not self._killed
                and self._process.returncode is None)

    async def ensure_started(self) -> None:
        """Start the process if it is not running (lazily, on first use)."""
        async with self._start_lock:
            if self._closed:
                raise WorkerError(f"{self.name} worker is closed")
            if self.alive:
                return
            if self.gave_up:
                raise WorkerError(f"{self.name} worker crashed too often and stays down")
            restarted = self._process is not None
            if restarted:
                now = time.monotonic()
                self._restart_times = [t for t in self._restart_times
                                       if now - t < self.RESTART_WINDOW] + [now]
                if len(self._restart_times) > self.MAX_RESTARTS:
                    self.gave_up = True
                    raise WorkerError(f"{self.name} worker crashed too often and stays down")
            # The worker sees the same pattern switches as this process.
            env = dict(os.environ, KIRO_ABLATE=switches.SWITCHES.to_spec())
            # A worker must never write to the terminal the UI draws on: unless told
            # otherwise, its stderr (a traceback, say) goes to a log in the state folder.
            log = None
            stderr = self._stderr
            if stderr is None:
                directory = state_directory()
                os.makedirs(directory, exist_ok=True)
                log = open(os.path.join(directory, f"{self.name}-worker.log"), "ab")
                stderr = log
            try:
                self._process = await trio.lowlevel.open_process(
                    [sys.executable, "-m", self.module],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env,
                )
            finally:
                if log is not None:
                    log.close()  # the child holds its own descriptor
            self._generation += 1
            self._nursery.start_soon(self._reader, self._process, self._generation)
            if restarted:
                self.restarts += 1
        if restarted and self._on_restart is not None:
            await self._on_restart()

    async def _send(self, message: Any, slot: list | None = None) -> None:
        await self.ensure_started()
        if slot is not None:
            slot[3] = self._generation  # the process that owes the answer
        data = pack_frame(message)
        async with self._send_lock:
            assert self._process is not None and self._process.stdin is not None
            try:
                await self._process.stdin.send_all(data)
            except (trio.BrokenResourceError, trio.ClosedResourceError) as err:
                raise WorkerError(f"{self.name} worker is gone: {err}") from None

    async def notify(self, method: str, params: list) -> None:
        await self._send([NOTIFY, method, params])

    async def request(self, method: str, params: list, *, timeout: float = 10.0) -> Any:
        self._next_id += 1
        msg_id = self._next_id
        slot = [trio.Event(), None, None, 0]  # event, error, result, process generation
        self._waiting[msg_id] = slot
        self.requests += 1
        t0 = time.perf_counter()
        try:
            await self._send([REQUEST, msg_id, method, params], slot)
            with trio.move_on_after(timeout):
                await slot[0].wait()
            if not slot[0].is_set():
                self.timeouts += 1
                raise WorkerTimeout(f"{self.name} worker did not answer {method} in {timeout} s")
        finally:
            self._waiting.pop(msg_id, None)
        self._round_trips.append(time.perf_counter() - t0)
        del self._round_trips[:-512]
        if slot[1] is not None:
            raise WorkerError(str(slot[1]))
        return slot[2]

    async def _reader(self, process: trio.Process, generation: int) -> None:
        stream = process.stdout
        assert stream is not None
        buffer = bytearray()
        try:
            while True:
                while len(buffer) < 4:
                    chunk = await stream.receive_some(65536)
                    if not chunk:
                        if buffer:
                            raise FrameError("truncated frame header")
                        raise EOFError
                    buffer += chunk
                length = frame_length(bytes(buffer[:4]), max_frame=self._max_frame)
                while len(buffer) < 4 + length:
                    chunk = await stream.receive_some(max(65536, 4 + length - len(buffer)))
                    if not chunk:
                        raise FrameError(f"truncated frame: {len(buffer) - 4} of {length} bytes")
                    buffer += chunk
                message = unpack_payload(bytes(buffer[4 : 4 + length]), max_frame=self._max_frame)
                del buffer[: 4 + length]
                if isinstance(message, list) and len(message) == 4 and message[0] == RESPONSE:
                    slot = self._waiting.get(message[1])
                    if slot is not None:
                        slot[1], slot[2] = message[2], message[3]
                        slot[0].set()
                elif self._on_message is not None and isinstance(message, list):
                    self._on_message(message)
        except FrameError as err:
            if self._on_channel_error is not None:
                self._on_channel_error(str(err))
        except (EOFError, trio.BrokenResourceError, trio.ClosedResourceError):
            pass
        # The worker is gone (crashed, killed, or sent garbage): fail what waits on it,
        # then restart it so its owner can rebuild its state.
        if generation != self._generation:  # a newer process already took over
            with trio.CancelScope(shield=True):
                if process.returncode is None:
                    process.kill()
                await process.wait()
            return
        self._fail_waiting(generation)
        with trio.CancelScope(shield=True):
            if process.returncode is None:
                process.kill()
            await process.wait()
        try:
            await self.ensure_started()
        except WorkerError:
            pass  # gave up: requests now fail at once with the reason

    def kill(self) -> None:
        """Kill the process now. From this call on the worker counts as not alive (the
        kernel may take a moment to end the process, and a request sent in that moment
        would fail): what waits on it fails at once, and the next use starts a new one."""
        if self._process is not None and self._process.returncode is None:
            self._process.kill()
            self._killed = self._process
            self._fail_waiting(self._generation)

    def _fail_waiting(self, generation: int) -> None:
        """Fail the requests sent to process ``generation`` (not those still on their way
        to a new one: a request registers before the process it goes to exists)."""
        for slot in list(self._waiting.values()):
            if slot[3] == generation and not slot[0].is_set():
                slot[1] = f"{self.name} worker exited"
                slot[0].set()

    async def aclose(self) -> None:
        """Stop the worker for good. A (re)start already under way is let finish first
        (it may be using the owner's log file, which the owner closes after this), then
        stopped; no start happens after this."""
        self._closed = True
        with trio.CancelScope(shield=True):
            async with self._start_lock:
                if self._process is not None:
                    self._generation += 1  # no restart
                    if self._process.returncode is None:
                        self._process.kill()
                    await self._process.wait()

    def statistics(self) -> WorkerStatistics:
        trips = sorted(self._round_trips)
        return WorkerStatistics(
            self.name, self.pid, self.alive, self.restarts, self.requests, self.timeouts,
            (trips[len(trips) // 2] * 1e3) if trips else 0.0, (trips[-1] * 1e3) if trips else 0.0,
        )
