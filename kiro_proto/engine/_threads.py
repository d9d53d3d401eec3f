"""Thread workers for blocking I/O: reading and writing files, walking directories.

Only work that releases the GIL belongs here (system calls, ``hashlib``/``zlib`` on large
buffers); a thread running Python code competes with the UI for the GIL. The number of
threads is bounded by a ``CapacityLimiter``; each call is timed for ``statistics()``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any, Callable

import trio

__all__ = ["ThreadWorkers", "ThreadStatistics"]


@dataclass(frozen=True, slots=True)
class ThreadStatistics:
    limit: int
    running: int
    completed: int
    failed: int
    busy_seconds: float
    longest_seconds: float


class ThreadWorkers:
    def __init__(self, limit: int = 4) -> None:
        self._limiter = trio.CapacityLimiter(limit)
        self._limit = limit
        self._running = self._completed = self._failed = 0
        self._busy = self._longest = 0.0

    async def run(self, fn: Callable[..., Any], *args: Any) -> Any:
        """Run ``fn(*args)`` on a worker thread; cancellable (the thread is abandoned, its
        result dropped)."""
        self._running += 1
        t0 = time.perf_counter()
        try:
            result = await trio.to_thread.run_sync(fn, *args, limiter=self._limiter,
                                                   abandon_on_cancel=True)
        except BaseException:
            self._failed += 1
            raise
        finally:
            self._running -= 1
            spent = time.perf_counter() - t0
            self._busy += spent
            self._longest = max(self._longest, spent)
        self._completed += 1
        return result

    def statistics(self) -> ThreadStatistics:
        return ThreadStatistics(self._limit, self._running, self._completed, self._failed,
                                self._busy, self._longest)
