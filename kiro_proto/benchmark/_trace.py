"""A small span tracer that writes Chrome trace-event JSON (open it in Perfetto or
chrome://tracing). Disabled, every call is one attribute test and returns at once."""

from __future__ import annotations

import json
import os
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

__all__ = ["Tracer", "TRACER"]


class Tracer:
    """Collects complete ("X") and instant ("i") events; times are ``perf_counter`` seconds,
    written as microseconds since the tracer was enabled. ``track`` names a row in the
    viewer (one per track: "workload", "ui", "frames", "engine")."""

    def __init__(self) -> None:
        self.enabled = False
        self.events: list[dict[str, Any]] = []
        self._origin = time.perf_counter()
        self._tracks: dict[str, int] = {}

    def enable(self) -> None:
        self.enabled = True
        self._origin = time.perf_counter()
        self.events.clear()

    def _tid(self, track: str) -> int:
        tid = self._tracks.get(track)
        if tid is None:
            tid = self._tracks[track] = len(self._tracks) + 1
        return tid

    def complete(self, name: str, start: float, end: float, track: str = "ui",
                 **args: Any) -> None:
        """A span from ``start`` to ``end`` (perf_counter seconds)."""
        if not self.enabled:
            return
        self.events.append({"name": name, "ph": "X", "pid": os.getpid(),
                            "tid": self._tid(track),
                            "ts": (start - self._origin) * 1e6,
                            "dur": max(0.0, end - start) * 1e6, "args": args})

    def instant(self, name: str, at: float | None = None, track: str = "ui",
                **args: Any) -> None:
        if not self.enabled:
            return
        at = time.perf_counter() if at is None else at
        self.events.append({"name": name, "ph": "i", "s": "t", "pid": os.getpid(),
                            "tid": self._tid(track), "ts": (at - self._origin) * 1e6,
                            "args": args})

    @contextmanager
    def span(self, name: str, track: str = "workload", **args: Any) -> Iterator[None]:
        if not self.enabled:
            yield
            return
        start = time.perf_counter()
        try:
            yield
        finally:
            self.complete(name, start, time.perf_counter(), track, **args)

    def to_json(self) -> dict[str, Any]:
        pid = os.getpid()
        meta = [{"name": "process_name", "ph": "M", "pid": pid, "args": {"name": "kiro-proto"}}]
        meta += [{"name": "thread_name", "ph": "M", "pid": pid, "tid": tid,
                  "args": {"name": track}} for track, tid in self._tracks.items()]
        return {"traceEvents": meta + self.events, "displayTimeUnit": "ms",
                "otherData": {"thread": threading.current_thread().name}}

    def write(self, path: str) -> None:
        with open(path, "w", encoding="utf-8") as fh:
            json.dump(self.to_json(), fh)


TRACER = Tracer()
