"""The one crossing between the Textual UI and the trio engine.

The engine runs as a trio guest on Textual's asyncio loop, in the same thread
(``trio.lowlevel.start_guest_run``). Requests go in through the engine's trio token
(``run_sync_soon`` then a non-blocking send on a bounded inbox: the UI never waits);
events come out through ``loop.call_soon``, so UI code never runs inside trio.
"""

from __future__ import annotations

import asyncio
from typing import Callable

import trio

from ..engine import Engine, Message, OpenDocument, lex_window

__all__ = ["EngineBridge", "lex_window"]


class EngineBridge:
    def __init__(self, deliver: Callable[[Message], None], *, syntax_mode: str | None = None,
                 input_gate=None) -> None:
        self._deliver = deliver
        self._syntax_mode = syntax_mode
        self._input_gate = input_gate  # the app's InputGate: background work yields to keys
        self._loop: asyncio.AbstractEventLoop | None = None
        self._token: trio.lowlevel.TrioToken | None = None
        self._pending: list[Message] = []
        self.engine: Engine | None = None
        self.error: BaseException | None = None
        self.dropped = 0
        self._resync: Callable[[int], None] | None = None
        self._finished: asyncio.Event | None = None

    def start(self, resync: Callable[[int], None] | None = None) -> None:
        """Start the engine on the running asyncio loop (call from the app's on_mount)."""
        self._loop = asyncio.get_running_loop()
        self._resync = resync
        self._finished = asyncio.Event()
        trio.lowlevel.start_guest_run(
            self._main,
            run_sync_soon_threadsafe=self._loop.call_soon_threadsafe,
            done_callback=self._done,
            host_uses_signal_set_wakeup_fd=True,
        )

    async def _main(self) -> None:
        self.engine = Engine(self._emit, syntax_mode=self._syntax_mode,
                             input_gate=self._input_gate)
        self._token = trio.lowlevel.current_trio_token()
        pending, self._pending = self._pending, []
        for message in pending:
            self._send_now(message)
        await self.engine.run()

    def _done(self, outcome) -> None:
        try:
            outcome.unwrap()
        except BaseException as err:  # noqa: BLE001 - reported, the editor keeps running
            self.error = err
        if self._finished is not None:
            self._finished.set()

    def _emit(self, message: Message) -> None:
        assert self._loop is not None
        self._loop.call_soon(self._deliver, message)

    def send(self, message: Message) -> None:
        """Queue a request for the engine; never blocks."""
        if self._token is None:
            self._pending.append(message)
            return
        try:
            self._token.run_sync_soon(self._send_now, message)
        except trio.RunFinishedError:
            self.dropped += 1

    def _send_now(self, message: Message) -> None:
        assert self.engine is not None
        try:
            self.engine.submit(message)
        except trio.WouldBlock:
            # The engine is far behind. Dropping an edit would desynchronise its copy of
            # the document, so ask the UI to re-open the document instead.
            self.dropped += 1
            doc_id = getattr(message, "doc_id", None)
            if doc_id is not None and not isinstance(message, OpenDocument) and self._resync:
                self._loop.call_soon(self._resync, doc_id)

    def statistics(self):
        """The engine's statistics (bus, workers, threads), or None before it runs. The
        engine lives on this thread, so reading its counters here needs no message."""
        return self.engine.statistics() if self.engine is not None else None

    def stop(self) -> None:
        if self._token is not None and self.engine is not None:
            try:
                self._token.run_sync_soon(self.engine.stop)
            except trio.RunFinishedError:
                pass

    async def aclose(self, timeout: float = 2.0) -> None:
        """Stop the engine and wait (bounded) for the guest run to finish, so it is not
        abandoned when the asyncio loop closes."""
        if self._finished is None:
            return
        if self._token is None:  # started but the engine task has not run yet
            await asyncio.sleep(0)
        self.stop()
        try:
            await asyncio.wait_for(self._finished.wait(), timeout)
        except asyncio.TimeoutError:
            pass
