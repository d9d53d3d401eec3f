"""The engine: one trio task tree that owns the bus and the services.

It runs as a guest on Textual's asyncio loop in the editor (``ui/_bridge.py``) and under
plain ``trio.run`` in tests and the benchmark mode. It never imports textual; it talks to
its host only through ``emit`` (events out) and its inbox (requests in).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import trio

from .. import switches
from ._bus import Bus, BusStatistics
from ._messages import Message

__all__ = ["Engine", "EngineStatistics"]


@dataclass(frozen=True, slots=True)
class EngineStatistics:
    bus: BusStatistics
    syntax_mode: str
    workers: tuple = ()


class Engine:
    """``emit(event)`` is called (on the engine's thread) for every event."""

    INBOX_SIZE = 4096

    def __init__(self, emit: Callable[[Message], None], *, syntax_mode: str | None = None) -> None:
        self.emit = emit
        self.bus = Bus()
        self.inbox = self.bus.inbox("syntax", self.INBOX_SIZE)
        mode = syntax_mode or ("process" if switches.SWITCHES.process_parse else "sliced")
        self.syntax_mode = mode
        if mode == "sliced":
            from ._syntax import SlicedSyntax

            self.syntax = SlicedSyntax(emit)
        else:
            from ._syntax_process import ProcessSyntax

            self.syntax = ProcessSyntax(emit)
        self.cancel_scope = trio.CancelScope()

    async def run(self, *, task_status=trio.TASK_STATUS_IGNORED) -> None:
        with self.cancel_scope:
            task_status.started()
            await self.syntax.serve(self.inbox)

    def stop(self) -> None:
        self.cancel_scope.cancel()

    def statistics(self) -> EngineStatistics:
        workers = tuple(getattr(self.syntax, "worker_statistics", lambda: ())())
        return EngineStatistics(self.bus.statistics(), self.syntax_mode, workers)
