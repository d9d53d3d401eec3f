"""The engine: one trio task tree that owns the bus and the services.

It runs as a guest on Textual's asyncio loop in the editor (``ui/_bridge.py``) and under
plain ``trio.run`` in tests and the benchmark mode. It never imports textual; it talks to
its host only through ``emit`` (events out) and its inbox (requests in).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import trio

from .. import switches
from ._bus import Bus, BusStatistics
from ._messages import FileLoaded, LoadFile, Message
from ._pacing import InputGate, InputGateStatistics
from ._threads import ThreadStatistics, ThreadWorkers
from ._workspace_messages import WORKSPACE_REQUESTS
from .plugins._messages import PLUGIN_REQUESTS

__all__ = ["Engine", "EngineStatistics"]


@dataclass(frozen=True, slots=True)
class EngineStatistics:
    bus: BusStatistics
    syntax_mode: str
    workers: tuple = ()
    threads: ThreadStatistics | None = None
    input_gate: InputGateStatistics | None = None


class Engine:
    """``emit(event)`` is called (on the engine's thread) for every event."""

    INBOX_SIZE = 4096

    def __init__(self, emit: Callable[[Message], None], *, syntax_mode: str | None = None,
                 input_gate: InputGate | None = None) -> None:
        self.emit = emit
        self.input_gate = input_gate if input_gate is not None else InputGate()
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
        self.threads = ThreadWorkers()
        self.io_inbox = self.bus.inbox("io", 256)
        from ._workspace import WorkspaceService  # its worker processes start on first use

        self.workspace = WorkspaceService(emit, gate=self.input_gate)
        self.workspace_inbox = self.bus.inbox("workspace", 256)
        from .. import registry  # the plugin host process starts on the first activation

        self.plugins = registry.load("plugins.service").PluginService(emit)
        self.plugin_inbox = self.bus.inbox("plugins", 256)

    async def run(self, *, task_status=trio.TASK_STATUS_IGNORED) -> None:
        with self.cancel_scope:
            async with trio.open_nursery() as nursery:
                nursery.start_soon(self._serve_io, nursery)
                nursery.start_soon(self.workspace.serve, self.workspace_inbox)
                nursery.start_soon(self.plugins.serve, self.plugin_inbox)
                task_status.started()
                await self.syntax.serve(self.inbox)

    def submit(self, message: Message) -> None:
        """Route a request to the inbox of the service that handles it (never blocks;
        raises trio.WouldBlock when that inbox is full)."""
        if isinstance(message, WORKSPACE_REQUESTS):
            self.workspace_inbox.send_nowait(message)
            return
        if isinstance(message, PLUGIN_REQUESTS):
            self.plugin_inbox.send_nowait(message)
            return
        self.plugins.observe(message)  # documents are mirrored into the plugin host
        (self.io_inbox if isinstance(message, LoadFile) else self.inbox).send_nowait(message)

    async def _serve_io(self, nursery: trio.Nursery) -> None:
        while True:
            message = await self.io_inbox.receive()
            if isinstance(message, LoadFile):
                nursery.start_soon(self._load, message)

    async def _load(self, message: LoadFile) -> None:
        from ..core import FileProblem, load_file

        t0 = time.perf_counter()
        try:
            loaded = await self.threads.run(load_file, message.path)
        except FileProblem as err:
            self.emit(FileLoaded(message.request_id, message.path, None, str(err)))
            return
        self.emit(FileLoaded(message.request_id, message.path, loaded, None,
                             time.perf_counter() - t0))

    def stop(self) -> None:
        self.cancel_scope.cancel()

    def statistics(self) -> EngineStatistics:
        workers = tuple(getattr(self.syntax, "worker_statistics", lambda: ())())
        workers += self.workspace.worker_statistics()
        workers += self.plugins.worker_statistics()
        return EngineStatistics(self.bus.statistics(), self.syntax_mode, workers,
                                self.threads.statistics(), self.input_gate.statistics())
