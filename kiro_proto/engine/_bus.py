"""The message bus: bounded trio memory channels with backpressure, and statistics.

Each consumer owns one inbox (a channel of fixed size). ``send`` waits when the inbox is
full (backpressure); ``send_nowait`` is for callers that must never wait (the UI) and
raises ``trio.WouldBlock`` instead. Every message is stamped when sent, so the time it
waited in the inbox is measured when it is taken out.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

import trio

from ._messages import Message

__all__ = ["Bus", "Inbox", "BusStatistics", "InboxStatistics"]


@dataclass(frozen=True, slots=True)
class InboxStatistics:
    name: str
    capacity: int
    depth: int  # messages waiting now
    sent: int
    received: int
    rejected: int  # send_nowait found it full
    wait_p50_ms: float  # time messages waited in the inbox (last 512)
    wait_max_ms: float


@dataclass(frozen=True, slots=True)
class BusStatistics:
    inboxes: tuple[InboxStatistics, ...]


class Inbox:
    """One consumer's bounded queue."""

    def __init__(self, name: str, capacity: int) -> None:
        self.name = name
        self.capacity = capacity
        self._send, self._receive = trio.open_memory_channel[tuple[float, Message]](capacity)
        self.sent = self.received = self.rejected = 0
        self._waits: deque[float] = deque(maxlen=512)

    async def send(self, message: Message) -> None:
        await self._send.send((time.perf_counter(), message))
        self.sent += 1

    def send_nowait(self, message: Message) -> None:
        try:
            self._send.send_nowait((time.perf_counter(), message))
        except trio.WouldBlock:
            self.rejected += 1
            raise
        self.sent += 1

    async def receive(self) -> Message:
        stamp, message = await self._receive.receive()
        self.received += 1
        self._waits.append(time.perf_counter() - stamp)
        return message

    def statistics(self) -> InboxStatistics:
        waits = sorted(self._waits)
        p50 = waits[len(waits) // 2] if waits else 0.0
        return InboxStatistics(
            self.name, self.capacity, self._send.statistics().current_buffer_used,
            self.sent, self.received, self.rejected, p50 * 1e3, (waits[-1] if waits else 0.0) * 1e3,
        )


class Bus:
    """The named inboxes of one engine."""

    def __init__(self) -> None:
        self._inboxes: dict[str, Inbox] = {}

    def inbox(self, name: str, capacity: int = 256) -> Inbox:
        if name not in self._inboxes:
            self._inboxes[name] = Inbox(name, capacity)
        return self._inboxes[name]

    def statistics(self) -> BusStatistics:
        return BusStatistics(tuple(i.statistics() for i in self._inboxes.values()))
