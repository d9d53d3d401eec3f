"""The plugin service (editor side): activates plugins on their events, mirrors open
buffers into the plugin host with batched frames, runs commands with a deadline, and turns
the host's output into UI events. The host is a ``ProcessWorker`` restarted at most 3 times
in 5 minutes; a plugin that misses its deadline is marked unresponsive and the host is
restarted without it. Nothing here ever makes the UI wait: the UI only sends messages.
"""

from __future__ import annotations

import itertools
import os
import subprocess
import time
from dataclasses import dataclass
from typing import Any, Callable

import trio

from ... import switches
from .._messages import ApplyEdit, CloseDocument, Message, OpenDocument
from .._process import ProcessWorker, WorkerError, WorkerTimeout
from ._messages import (DocumentSaved, LoadPlugins, PluginActivated, PluginChannelClosed,
                        PluginCommandDone, PluginHostDown, PluginOutputs, PluginStateChanged,
                        RunPluginCommand)

__all__ = ["PluginService", "PluginStatistics", "PluginHostWorker", "HOST_MODULE",
           "DEADLINE", "plugin_log_path"]

HOST_MODULE = "kiro_proto.plugin_host"
DEADLINE = 3.0  # seconds a plugin has to answer a request
TICK = 0.05  # seconds: buffer events within one tick go to the host in one frame
OPEN_CHUNK = 1 << 20  # bytes of a document's text per frame when it is sent to the host
MAX_PENDING = 20_000  # queued buffer events; past this the mirror is rebuilt from scratch
MAX_OUTPUT_ITEMS = 1000  # items of host output accepted per frame
HOST_MAX_FRAME = 8 * 1024 * 1024  # bytes: the host sends small things


def plugin_log_path() -> str:
    """``$KIRO_STATE_DIR/plugin-host.log``, else the XDG state folder."""
    base = os.environ.get("KIRO_STATE_DIR")
    if not base:
        import platformdirs

        base = platformdirs.user_state_dir("kiro-proto")
    return os.path.join(base, "plugin-host.log")


@dataclass(frozen=True, slots=True)
class PluginStatistics:
    manifests: int
    active: tuple[str, ...]
    unresponsive: tuple[str, ...]
    host_alive: bool
    host_gave_up: bool
    restarts: int
    frames_sent: int  # batch frames carrying buffer events
    events_sent: int  # buffer events inside them (events / frames = the batching factor)
    frames_received: int
    requests: int
    timeouts: int
    channel_errors: int
    cold_start_s: float | None  # the last host start, until its first answer


class PluginHostWorker(ProcessWorker):
    """The host process: at most 3 restarts in 5 minutes, then it stays down."""

    MAX_RESTARTS = 3
    RESTART_WINDOW = 300.0

    def __init__(self, *args, on_start: Callable[[], None], on_gave_up: Callable[[str], None],
                 **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._on_start = on_start
        self._on_gave_up = on_gave_up
        self._announced = 0  # the generation on_start last ran for
        self._reported = False

    async def ensure_started(self) -> None:
        try:
            await super().ensure_started()
        except WorkerError as err:
            if self.gave_up and not self._reported:
                self._reported = True
                self._on_gave_up(str(err))
            raise
        if self._generation != self._announced:
            self._announced = self._generation
            self._on_start()


class PluginService:
    def __init__(self, emit: Callable[[Message], None], *, host_module: str = HOST_MODULE,
                 deadline: float | None = None, tick: float = TICK,
                 log_path: str | None = None) -> None:
        self.emit = emit
        self.host_module = host_module
        # ``KIRO_PLUGIN_DEADLINE`` (seconds) shortens it for tests in a real terminal.
        self.deadline = deadline if deadline is not None else float(
            os.environ.get("KIRO_PLUGIN_DEADLINE") or DEADLINE)
        self.tick = tick
        self.log_path = log_path
        self.manifests: dict[str, Any] = {}
        self.workspace: str | None = None
        self.documents: dict[int, tuple[Any, str]] = {}  # doc_id -> (core.Document, language)
        self.paths: dict[int, str] = {}
        self.active: dict[str, dict] = {}
        self.unresponsive: set[str] = set()
        self.worker: PluginHostWorker | None = None
        self._nursery: trio.Nursery | None = None
        self._activating: dict[str, trio.Event] = {}
        self._pending: list[list] = []  # buffer events for the next batch frame
        self._flushing = trio.Lock()  # one flush at a time: frames leave in queue order
        self._wanted: list[str] = []  # activation events seen before serve() started
        self._wake: trio.Event | None = None
        self._log = None
        self.frames_sent = self.events_sent = self.frames_received = 0
        self.channel_errors = 0
        self.cold_start_s: float | None = None
        self._started_at: float | None = None

    # -- the UI's requests ------------------------------------------------------------------
    async def serve(self, inbox) -> None:
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            self._wake = trio.Event()
            self.worker = PluginHostWorker(
                "plugins", self.host_module, nursery=nursery, max_frame=HOST_MAX_FRAME,
                on_message=self._host_message, on_channel_error=self._channel_error,
                stderr=self._stderr, on_start=self._host_started, on_gave_up=self._gave_up)
            nursery.start_soon(self._sender)
            for event in self._wanted:
                nursery.start_soon(self.activate_for, event)
            self._wanted.clear()
            try:
                while True:
                    self.handle(await inbox.receive())
            finally:
                with trio.CancelScope(shield=True):
                    await self.worker.aclose()
                    if self._log is not None:
                        self._log.close()

    def handle(self, message: Message) -> None:
        if isinstance(message, LoadPlugins):
            self.manifests = {m.name: m for m in message.manifests}
            self.workspace = message.workspace
            self._queue(["workspace", message.workspace])
            self._trigger("onStartupFinished")
            for _doc, language in list(self.documents.values()):
                self._trigger(f"onLanguage:{language.lower()}")
        elif isinstance(message, RunPluginCommand):
            self._nursery.start_soon(self.run_command, message)
        elif isinstance(message, DocumentSaved):
            self.paths[message.doc_id] = message.path
            self._nursery.start_soon(self._saved, message)

    def observe(self, message: Message) -> None:
        """Called for every document message the engine receives (synchronously, never
        blocks): keeps the list of open documents and queues their events for the host."""
        if isinstance(message, ApplyEdit):
            e = message.edit
            self._queue(["edit", message.doc_id, e.revision, e.start_byte, e.old_end_byte,
                         e.new_bytes])
        elif isinstance(message, OpenDocument):
            self.documents[message.doc_id] = (message.document, message.language)
            self._queue(self._open_item(message.doc_id))
            self._trigger(f"onLanguage:{message.language.lower()}")
        elif isinstance(message, CloseDocument):
            if self.documents.pop(message.doc_id, None) is not None:
                self.paths.pop(message.doc_id, None)
                self._queue(["close", message.doc_id])

    def _open_item(self, doc_id: int) -> list:
        """An "open" event holding a snapshot of the text (no copy yet): ``_frames`` turns
        it into pieces when it is sent."""
        document, language = self.documents[doc_id]
        return ["open", doc_id, document.buffer.snapshot(), language, document.revision,
                self.paths.get(doc_id)]

    def _frames(self, items: list):
        """The frames that carry ``items``: all in one (one per item with the ``batching``
        switch off). A document's text goes as "open" with the first OPEN_CHUNK bytes and
        the total size, then "append" events, each piece ending its frame; a piece is
        joined and packed only when its frame is sent, so the loop runs between pieces
        (a 10 MB document sent whole held the UI thread ~90 ms)."""
        batching = switches.SWITCHES.batching
        frame: list = []
        for item in items:
            if item[0] == "open":
                _, doc_id, text, language, revision, path = item
                pieces = text.chunks(OPEN_CHUNK)
                expanded = [["open", doc_id, next(pieces), language, revision, path, len(text)]]
                expanded = itertools.chain(expanded, (["append", doc_id, p] for p in pieces))
                for event in expanded:
                    frame.append(event)
                    if len(event[2]) >= OPEN_CHUNK or not batching:
                        yield frame
                        frame = []
                continue
            frame.append(item)
            if not batching:
                yield frame
                frame = []
        if frame:
            yield frame

    def _queue(self, item: list) -> None:
        if self.worker is None or not self.worker.alive:
            return  # the host gets every document afresh when it starts
        self._pending.append(item)
        if len(self._pending) > MAX_PENDING:  # bounded: resend the documents instead
            self._pending = [["workspace", self.workspace]]
            self._pending += [self._open_item(d) for d in self.documents]
        if self._wake is not None:
            self._wake.set()

    def _trigger(self, event: str) -> None:
        if not any(m.activates_on(event) for m in self.manifests.values()):
            return
        if self._nursery is None:
            self._wanted.append(event)
        else:
            self._nursery.start_soon(self.activate_for, event)

    # -- batching ---------------------------------------------------------------------------
    async def _sender(self) -> None:
        while True:
            await self._wake.wait()
            self._wake = trio.Event()
            # everything queued in this tick: one frame (ablated: no tick, sent at once)
            await trio.sleep(self.tick if switches.SWITCHES.batching else 0)
            await self.flush()

    async def flush(self) -> None:
        """Send the queued buffer events now, as one ``[2, "batch", [...]]`` frame.
        With the ``batching`` switch off, one frame per event (an unbatched client)."""
        if not self._pending or self.worker is None or not self.worker.alive:
            return
        async with self._flushing:
            items, self._pending = self._pending, []
            try:
                for frame in self._frames(items):
                    self.frames_sent += 1
                    self.events_sent += len(frame)
                    await self.worker.notify("batch", frame)
            except WorkerError:
                pass  # the host is gone: its restart resends every document

    # -- the host ---------------------------------------------------------------------------
    @property
    def _stderr(self):
        if self._log is None:
            path = self.log_path or plugin_log_path()
            try:
                os.makedirs(os.path.dirname(path), exist_ok=True)
                self._log = open(path, "ab", buffering=0)
            except OSError:
                return subprocess.DEVNULL
        return self._log

    def log(self, line: str) -> None:
        stream = self._stderr
        if stream is not subprocess.DEVNULL:
            stamp = time.strftime("%Y-%m-%d %H:%M:%S")
            stream.write(f"{stamp} kiro-proto: {line}\n".encode("utf-8", "replace"))

    def _host_started(self) -> None:
        """A fresh host process (first start or restart): it knows no plugin and no buffer."""
        self._started_at = time.perf_counter()
        lost = [n for n in self.active if n not in self.unresponsive]
        self.active.clear()
        self._pending = [["workspace", self.workspace]]
        self._pending += [self._open_item(d) for d in self.documents]
        if self._wake is not None:
            self._wake.set()
        for name in lost:  # plugins that were running come back; a hung one does not
            self._nursery.start_soon(self.activate, name)

    def _gave_up(self, reason: str) -> None:
        names = tuple(sorted(self.manifests))
        self.active.clear()
        self.log(f"plugin host stays down: {reason}; plugins: {', '.join(names)}")
        self.emit(PluginHostDown(names, reason))

    def _channel_error(self, reason: str) -> None:
        self.channel_errors += 1
        self.log(f"plugin host channel closed: {reason}")
        self.emit(PluginChannelClosed(reason))

    def _host_message(self, message: list) -> None:
        self.frames_received += 1
        if len(message) == 3 and message[0] == 2 and message[1] == "batch" \
                and isinstance(message[2], list):
            items = tuple(tuple(i) for i in message[2][:MAX_OUTPUT_ITEMS]
                          if isinstance(i, list) and len(i) == 3 and isinstance(i[0], str)
                          and isinstance(i[1], str))
            if items:
                self.emit(PluginOutputs(items))

    async def ensure_host(self) -> bool:
        """Start the host if it is not running; False when it stays down."""
        assert self.worker is not None
        if self.worker.alive:
            return True
        t0 = time.perf_counter()
        try:
            await self.worker.ensure_started()
            await self.flush()
            await self.worker.request("ping", [], timeout=max(self.deadline, 10.0))
        except WorkerError:
            return False
        self.cold_start_s = time.perf_counter() - t0
        return True

    # -- activation and commands ------------------------------------------------------------
    async def activate_for(self, event: str) -> None:
        for name, manifest in list(self.manifests.items()):
            if manifest.activates_on(event) and name not in self.unresponsive:
                await self.activate(name)

    async def activate(self, name: str) -> bool:
        """Activate a plugin (starting the host if needed); True when it is active."""
        if name in self.active:
            return True
        waiting = self._activating.get(name)
        if waiting is not None:
            await waiting.wait()
            return name in self.active
        manifest = self.manifests.get(name)
        if manifest is None:
            return False
        done = self._activating[name] = trio.Event()
        t0 = time.perf_counter()
        try:
            cold = not self.worker.alive
            if not await self.ensure_host():
                return False
            await self.flush()  # the plugin sees every open buffer as it activates
            info = await self.worker.request("activate", manifest.to_wire(),
                                             timeout=self.deadline)
        except WorkerTimeout:
            self._unresponsive(name)
            return False
        except WorkerError as err:
            self.emit(PluginStateChanged(name, "failed", str(err)[:500]))
            self.log(f"plugin {name} failed to activate: {err}")
            return False
        finally:
            del self._activating[name]
            done.set()
        self.active[name] = info
        self.unresponsive.discard(name)
        self.emit(PluginActivated(name, time.perf_counter() - t0, cold,
                                  tuple(info.get("commands", ()))))
        return True

    def _unresponsive(self, name: str) -> None:
        """No answer before the deadline: mark it, and restart the host without it (the
        host runs plugins one at a time, so a hung one would block the others)."""
        self.unresponsive.add(name)
        self.emit(PluginStateChanged(name, "unresponsive", f"no answer in {self.deadline:g} s"))
        self.log(f"plugin {name} did not answer in {self.deadline:g} s; host restarted")
        self.worker.kill()

    async def run_command(self, message: RunPluginCommand) -> None:
        t0 = time.perf_counter()
        name = message.plugin
        self.unresponsive.discard(name)  # asked again by the user: give it another chance
        result, error = None, None
        if not await self.activate(name):
            error = (f"{name} did not answer in {self.deadline:g} s" if name in self.unresponsive
                     else f"{name} could not be activated")
        else:
            await self.flush()  # the command sees the latest edits
            try:
                result = await self.worker.request(
                    "command", [name, message.command, message.args], timeout=self.deadline)
            except WorkerTimeout:
                self._unresponsive(name)
                error = f"{name} did not answer in {self.deadline:g} s"
            except WorkerError as err:
                error = str(err)[:2000]
        self.emit(PluginCommandDone(message.request_id, name, message.command, result, error,
                                    time.perf_counter() - t0))

    async def _saved(self, message: DocumentSaved) -> None:
        await self.activate_for("onSave")
        self._queue(["saved", message.doc_id, message.path])

    # -- statistics -------------------------------------------------------------------------
    def worker_statistics(self) -> tuple:
        return (self.worker.statistics(),) if self.worker is not None else ()

    def statistics(self) -> PluginStatistics:
        w = self.worker
        return PluginStatistics(
            len(self.manifests), tuple(sorted(self.active)), tuple(sorted(self.unresponsive)),
            bool(w and w.alive), bool(w and w.gave_up), w.restarts if w else 0,
            self.frames_sent, self.events_sent, self.frames_received,
            w.requests if w else 0, w.timeouts if w else 0, self.channel_errors,
            self.cold_start_s)
