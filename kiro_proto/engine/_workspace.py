"""The workspace service: the file index and project search, each on its own worker process
(``_workspace_worker.py``), streamed to the UI as events.

The index starts from the persistent index in the cache directory (one file per workspace,
``index-<hash>.kc``) so quick open has results at once, then a walk checks it against the
disk and sends only what changed. A search streams matches in batches and is cancelled by
no longer asking the worker for more. Work is pulled in bounded steps; the engine loop never
walks a folder or reads a file itself.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from typing import Callable

import trio

from ._cachefile import cache_directory
from ._messages import Message
from ._pacing import InputGate
from ._process import ProcessWorker, WorkerError
from ._workspace_messages import (CancelSearch, IndexGrew, ScanWorkspace, SearchFound,
                                  SearchWorkspace)

__all__ = ["WorkspaceService", "WorkspaceStatistics", "index_cache_path", "workspace_key"]

WORKER_MODULE = "kiro_proto.engine._workspace_worker"
STEP_SECONDS = 0.05  # work per worker request: the bound on how stale a cancel can be


def workspace_key(root: str) -> str:
    """A short stable name for a workspace folder (its real path, hashed)."""
    real = os.path.realpath(root)
    return hashlib.blake2b(real.encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def index_cache_path(root: str) -> str:
    return os.path.join(cache_directory(), f"index-{workspace_key(root)}.kc")


@dataclass(frozen=True, slots=True)
class WorkspaceStatistics:
    indexed: int  # paths the index holds
    index_seconds: float  # duration of the last finished walk
    cached_paths: int  # paths that came from the persistent index at the last scan
    searches: int
    cancelled: int


class WorkspaceService:
    def __init__(self, emit: Callable[[Message], None], *, step: float = STEP_SECONDS,
                 timeout: float = 30.0, gate: InputGate | None = None) -> None:
        self.emit = emit
        self.gate = gate  # the index walk yields to typing (``_pacing.py``); None: it never does
        self.step = step
        self.timeout = timeout
        self.index_worker: ProcessWorker | None = None
        self.search_worker: ProcessWorker | None = None
        self._nursery: trio.Nursery | None = None
        self._scan_scope: trio.CancelScope | None = None
        self._search_scope: trio.CancelScope | None = None
        self._search_id: int | None = None
        self.indexed = 0
        self.index_seconds = 0.0
        self.cached_paths = 0
        self.searches = 0
        self.cancelled = 0

    def statistics(self) -> WorkspaceStatistics:
        return WorkspaceStatistics(self.indexed, self.index_seconds, self.cached_paths,
                                   self.searches, self.cancelled)

    def worker_statistics(self):
        return tuple(w.statistics() for w in (self.index_worker, self.search_worker)
                     if w is not None)

    async def serve(self, inbox) -> None:
        async with trio.open_nursery() as nursery:
            self._nursery = nursery
            self.index_worker = ProcessWorker("workspace-index", WORKER_MODULE, nursery=nursery)
            self.search_worker = ProcessWorker("workspace-search", WORKER_MODULE,
                                               nursery=nursery)
            try:
                while True:
                    self.handle(await inbox.receive())
            finally:
                with trio.CancelScope(shield=True):
                    await self.index_worker.aclose()
                    await self.search_worker.aclose()

    def handle(self, message: Message) -> None:
        assert self._nursery is not None
        if isinstance(message, ScanWorkspace):
            if self._scan_scope is not None:
                self._scan_scope.cancel()
            self._scan_scope = trio.CancelScope()
            self._nursery.start_soon(self._scan, message, self._scan_scope)
        elif isinstance(message, SearchWorkspace):
            self._cancel_search()
            self.searches += 1
            self._search_scope = trio.CancelScope()
            self._search_id = message.search_id
            self._nursery.start_soon(self._search, message, self._search_scope)
        elif isinstance(message, CancelSearch):
            if message.search_id == self._search_id:
                self._cancel_search()

    def _cancel_search(self) -> None:
        if self._search_scope is not None and not self._search_scope.cancel_called:
            self._search_scope.cancel()
            self.cancelled += 1
            self.emit(SearchFound(self._search_id, (), 0, True, cancelled=True))
        self._search_scope = None

    async def _scan(self, message: ScanWorkspace, scope: trio.CancelScope) -> None:
        worker = self.index_worker
        root = os.path.abspath(message.root)
        t0 = time.perf_counter()
        gate = self.gate
        with scope:
            try:
                cached, warning = await worker.request(
                    "index_start", [root, index_cache_path(root) if message.cache else None],
                    timeout=self.timeout)
                self.cached_paths = cached
                if warning:
                    self.emit(IndexGrew(root, (), (), False, warning=warning))
                total = 0
                unsent = cached  # paths from the persistent index still to come
                while True:
                    # Only walking yields to typing: the stored paths come at once (the
                    # worker slices a list), so quick open is complete on a warm start.
                    if gate is not None and unsent <= 0:
                        await gate.wait()
                    added, removed, done, from_cache, walked, warning = await worker.request(
                        "index_next", [self.step], timeout=self.timeout)
                    if from_cache:
                        unsent -= len(added)
                    total += len(added) - len(removed)
                    self.indexed = total
                    seconds = time.perf_counter() - t0
                    if done:
                        self.index_seconds = seconds
                    self.emit(IndexGrew(root, tuple(added), tuple(removed), done,
                                        cached=from_cache, total=walked, seconds=seconds,
                                        warning=warning))
                    if done:
                        return
            except WorkerError as err:
                self.emit(IndexGrew(root, (), (), True, warning=f"index stopped: {err}"))

    async def _search(self, message: SearchWorkspace, scope: trio.CancelScope) -> None:
        worker = self.search_worker
        t0 = time.perf_counter()
        with scope:
            try:
                await worker.request("search_start", [
                    message.search_id, os.path.abspath(message.root), message.pattern,
                    message.regex, message.case, message.max_results], timeout=self.timeout)
                while True:
                    matches, searched, done, truncated = await worker.request(
                        "search_next", [message.search_id, self.step], timeout=self.timeout)
                    self.emit(SearchFound(
                        message.search_id, tuple(tuple(m) for m in matches), searched, done,
                        truncated=truncated, seconds=time.perf_counter() - t0))
                    if done:
                        break
            except WorkerError as err:
                self.emit(SearchFound(message.search_id, (), 0, True, error=str(err),
                                      seconds=time.perf_counter() - t0))
            if self._search_scope is scope:
                self._search_scope = None
