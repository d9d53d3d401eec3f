"""The scripted workloads: each drives the real KiroApp (Textual's headless driver, the real
engine and its workers) and returns figures. Times are seconds (``*_s``), memory bytes.

Keys are sent the way Textual's driver thread sends them (``driver.send_message`` of an
``events.Key``), not through ``Pilot.press``, which adds idle waits of 20 ms or more per key.
Latency runs from just before the key is sent to the first frame that shows its edit (see
``_frames.py`` for where frames are stamped).
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import subprocess
import sys
import tempfile
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, AsyncIterator, Callable

from ._frames import FrameProbe
from ._measure import distribution, percentile, process_rss
from ._trace import TRACER

__all__ = ["PRESETS", "Preset", "WORKLOADS", "Workbench", "format_size"]

SCREEN = (120, 40)


@dataclass(frozen=True)
class Preset:
    """What one ``--size`` runs: files to open, the file edited/scrolled/searched, counts."""

    open_sizes: tuple[int, ...]
    edit_size: int
    keys_per_place: int
    pages: int
    startup_runs: int
    parse_timeout_s: float
    plugin_count: int = 20  # dummy plugins activated one after another
    workspace_files: int = 5_000  # files of the generated workspace (bench/genworkspace.py)


PRESETS = {
    # tiny: for the project's own tests of the benchmark mode (seconds, not minutes)
    "tiny": Preset((10_000,), 10_000, 3, 3, 1, 10.0, plugin_count=3, workspace_files=300),
    "small": Preset((100_000, 1_000_000), 1_000_000, 12, 15, 3, 30.0),
    "medium": Preset((100_000, 1_000_000, 10_000_000), 10_000_000, 20, 30, 5, 60.0,
                     workspace_files=100_000),
    "large": Preset((100_000, 1_000_000, 10_000_000, 100_000_000), 100_000_000, 20, 30, 5, 120.0,
                    workspace_files=100_000),
}


def format_size(n: int) -> str:
    for unit, scale in (("MB", 1_000_000), ("KB", 1_000)):
        if n >= scale and n % scale == 0:
            return f"{n // scale}{unit}"
    return f"{n}B"


# -- hooks into the highlighting work ----------------------------------------------------------
# The benchmark reads the app only through these two functions, so the syntax service can
# change shape without touching the workloads. Each returns None when the figure does not
# apply ("n/a" in the table), True/False otherwise.

def _coloured(app: Any) -> bool | None:
    """Do the rows on screen show syntax colours (Pygments or tree-sitter spans)?
    None when the app has no highlighter or the buffer has no lexer."""
    hl = getattr(getattr(app, "current", None), "highlights", None)
    if hl is None or not getattr(hl, "enabled", True):
        return None
    # Spans may also come from the persistent span cache before any lexing: then the first
    # frame is already coloured and no later frame need change.
    return bool(getattr(hl, "rows", None) or getattr(hl, "lexed_rows", 0)
                or getattr(hl, "revision", -1) >= 0)


def _parse_complete(app: Any) -> bool | None:
    """Has the engine finished a full parse of the current buffer (a ``ParseCompleted`` for
    its ``doc_id``)? None when the app has no parse log or does not parse this buffer
    (no tree-sitter grammar, or the file is above the tree-sitter size limit: the app then
    names another highlighter in ``OpenBuffer.highlighter``)."""
    buf = getattr(app, "current", None)
    log = getattr(app, "parse_log", None)
    hl = getattr(buf, "highlights", None)
    parses = getattr(buf, "highlighter", "") == "tree-sitter" or getattr(hl, "tree_sitter", False)
    if log is None or hl is None or not parses:
        return None
    doc_id = getattr(buf, "doc_id", None)
    return any(getattr(e, "doc_id", None) == doc_id for e in log)


def _tree_sitter_coloured(app: Any) -> bool | None:
    """Have tree-sitter spans for the current buffer been accepted? None as for
    ``_parse_complete``."""
    if _parse_complete(app) is None:
        return None
    return getattr(app.current.highlights, "revision", -1) >= 0


def _plugins(app: Any) -> list | None:
    """The app's activated plugins, or None while the app has no plugin host."""
    return getattr(app, "plugins", None)


# -- the bench: files and a running app ---------------------------------------------------

@dataclass
class Workbench:
    """Shared by the workloads of one run: the preset, a folder for generated files."""

    preset: Preset
    workdir: str
    files: dict[int, str] = field(default_factory=dict)
    workspaces: dict[int, str] = field(default_factory=dict)

    def workspace(self, n_files: int) -> str:
        """A generated workspace folder of ``n_files`` files (``bench/genworkspace.py``,
        seed 0), made once per run."""
        path = self.workspaces.get(n_files)
        if path is None:
            path = os.path.join(self.workdir, f"workspace-{n_files}")
            if not os.path.isdir(path):
                _bench_module("genworkspace").generate(path, n_files, seed=0)
            self.workspaces[n_files] = path
        return path

    def file(self, n_bytes: int) -> str:
        """A generated Python file of exactly ``n_bytes`` (deterministic: seed 0)."""
        path = self.files.get(n_bytes)
        if path is None:
            path = os.path.join(self.workdir, f"gen-{format_size(n_bytes)}.py")
            if not (os.path.exists(path) and os.path.getsize(path) == n_bytes):
                data = _generator()(n_bytes, seed=0)
                with open(path, "wb") as fh:
                    fh.write(data)
            self.files[n_bytes] = path
        return path


def _generator() -> Callable[..., bytes]:
    """``bench/gen.py``'s ``generate_python``, loaded from the source checkout."""
    return _bench_module("gen").generate_python


def _bench_module(name: str) -> Any:
    """``bench/<name>.py``, loaded from the source checkout."""
    path = Path(__file__).resolve().parents[2] / "bench" / f"{name}.py"
    if not path.exists():
        raise SystemExit(f"kiro-proto: benchmark mode needs a source checkout (bench/{name}.py)")
    spec = importlib.util.spec_from_file_location(f"_kiro_bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@dataclass
class Session:
    app: Any
    probe: FrameProbe
    pilot: Any
    constructed: float  # perf_counter before KiroApp() (the file is loaded in __init__)


@asynccontextmanager
async def running(path: str) -> AsyncIterator[Session]:
    from kiro_proto.ui import KiroApp

    # Every session starts with an empty persistent cache, so an open is measured cold
    # (the span cache would otherwise colour the first paint of a file opened before).
    os.environ["KIRO_CACHE_DIR"] = tempfile.mkdtemp(prefix="kiro-bench-cache-")
    start = time.perf_counter()
    app = KiroApp([path])
    with FrameProbe(app, coloured=_coloured) as probe:
        async with app.run_test(size=SCREEN) as pilot:
            yield Session(app, probe, pilot, start)


async def send_key(session: Session, key: str, char: str | None = None) -> float:
    """Send one key as the driver thread does; returns the perf_counter stamp of sending."""
    from textual import events

    app = session.app
    event = events.Key(key, char)
    event.set_sender(app)
    stamp = time.perf_counter()
    app._driver.send_message(event)
    return stamp


async def settle(session: Session, quiet: float = 0.05, limit: float = 2.0) -> None:
    """Wait until no frame has been made for ``quiet`` seconds (at most ``limit``)."""
    end = time.perf_counter() + limit
    while time.perf_counter() < end:
        count = len(session.probe.frames)
        await asyncio.sleep(quiet)
        if len(session.probe.frames) == count:
            return


def _rss_into(result: dict[str, Any]) -> None:
    result.setdefault("memory", {}).update(process_rss())


# -- workloads --------------------------------------------------------------------------

STARTUP_PHASES = ("interpreter", "imports", "constructed", "first_paint", "ready", "engine")


def startup_phases(env_extra: dict[str, str]) -> dict[str, float]:
    """One start of the editor in a fresh interpreter (``_startup.py``, environment plus
    ``env_extra``): seconds from spawning it to each of ``STARTUP_PHASES``, and
    ``rss_bytes``."""
    script = os.path.join(os.path.dirname(__file__), "_startup.py")
    env = dict(os.environ, **env_extra)
    spawned = time.time()
    out = subprocess.run([sys.executable, script], capture_output=True, text=True,
                         env=env, timeout=300)
    if out.returncode != 0:
        raise RuntimeError(f"start-up probe failed: {out.stderr[-2000:]}")
    stamps = __import__("json").loads(out.stdout.strip().splitlines()[-1])
    phases = {k: stamps[k] - spawned for k in STARTUP_PHASES if stamps.get(k) is not None}
    phases["rss_bytes"] = stamps.get("rss_bytes")
    return phases


def startup(bench: Workbench) -> dict[str, Any]:
    """Cold and warm start-up in a fresh interpreter, broken into phases (cumulative seconds
    from spawning the interpreter). Cold: bytecode caches are empty (``PYTHONPYCACHEPREFIX``
    points at a new empty folder, so every module is compiled from source) and so are the
    editor's persistent caches (``KIRO_CACHE_DIR``: plugin manifests, spans, session); the
    OS page cache is not dropped (that needs root and affects the whole machine). Warm: the
    normal ``__pycache__`` folders and a private cache folder, after one unmeasured run has
    filled them."""
    metrics: dict[str, Any] = {}
    memory: dict[str, Any] = {}
    one = startup_phases

    with tempfile.TemporaryDirectory(prefix="kiro-startup-") as tmp:
        with TRACER.span("startup.cold"):
            cold = one({"PYTHONPYCACHEPREFIX": os.path.join(tmp, "pyc"),
                        "KIRO_CACHE_DIR": os.path.join(tmp, "cold-cache")})
        warm_env = {"KIRO_CACHE_DIR": os.path.join(tmp, "warm-cache")}
        one(warm_env)  # fill the ordinary bytecode caches and the persistent caches
        warm_runs = []
        with TRACER.span("startup.warm"):
            for _ in range(bench.preset.startup_runs):
                warm_runs.append(one(warm_env))
    for phase in STARTUP_PHASES:
        metrics[f"cold.{phase}_s"] = cold.get(phase)
        metrics[f"warm.{phase}_s"] = percentile([r[phase] for r in warm_runs if phase in r], 50)
    # The mount and first frame alone (per run, then the median): the imports before it,
    # the noisiest phase on a shared machine, drop out (deferred_start changes only this).
    for name, runs in (("cold", [cold]), ("warm", warm_runs)):
        metrics[f"{name}.constructed_to_first_paint_s"] = percentile(
            [r["first_paint"] - r["constructed"] for r in runs
             if "first_paint" in r and "constructed" in r], 50)
    memory["rss_total_bytes"] = warm_runs[-1].get("rss_bytes")
    return {"metrics": metrics, "memory": memory,
            "notes": {"cold": "fresh bytecode and persistent caches; OS page cache not dropped",
                      "warm": f"median of {len(warm_runs)} runs"}}


async def open_files(bench: Workbench) -> dict[str, Any]:
    """Open each preset size: seconds from constructing the app (which reads the file) to
    the first frame, the first frame with syntax colours, the first frame with tree-sitter
    colours, and the end of the engine's complete parse."""
    metrics: dict[str, Any] = {}
    notes: dict[str, str] = {}
    result: dict[str, Any] = {"metrics": metrics, "notes": notes}
    # One unmeasured open first: the first app of a process pays one-time imports and
    # caches (the start-up workload measures those), which would land on the first size.
    async with running(bench.file(bench.preset.open_sizes[0])) as s:
        await s.probe.wait_for(lambda f: True)
    for size in bench.preset.open_sizes:
        label = format_size(size)
        path = bench.file(size)
        with TRACER.span(f"open {label}"):
            async with running(path) as s:
                first = await s.probe.wait_for(lambda f: True)
                metrics[f"{label}.first_paint_s"] = first.end - s.constructed if first else None
                coloured = await s.probe.wait_for(lambda f: f.coloured is not False,
                                                  timeout=bench.preset.parse_timeout_s)
                if coloured is None or coloured.coloured is None:
                    metrics[f"{label}.first_coloured_s"] = None
                    notes[f"{label}.first_coloured_s"] = "n/a: no highlighter for this buffer"
                else:
                    metrics[f"{label}.first_coloured_s"] = coloured.end - s.constructed
                for name, hook in (("tree_sitter_coloured_s", _tree_sitter_coloured),
                                   ("complete_parse_s", _parse_complete)):
                    seen = await _poll(lambda: hook(s.app), bench.preset.parse_timeout_s)
                    key = f"{label}.{name}"
                    if seen is None:
                        metrics[key] = None
                        notes[key] = "n/a: no tree-sitter parse for this buffer"
                    elif seen is False:
                        metrics[key] = None
                        notes[key] = f"timed out after {bench.preset.parse_timeout_s:.0f} s"
                    else:
                        metrics[key] = seen - s.constructed
                _rss_into(result)
    return result


async def _poll(check: Callable[[], bool | None], timeout: float) -> float | bool | None:
    """perf_counter stamp when ``check()`` first turns True (polled every 2 ms), None if it
    says the figure does not apply, False on timeout."""
    end = time.perf_counter() + timeout
    while True:
        value = check()
        if value is None:
            return None
        if value:
            return time.perf_counter()
        if time.perf_counter() > end:
            return False
        await asyncio.sleep(0.002)


async def scroll(bench: Workbench) -> dict[str, Any]:
    """Page down through the edited file: key-to-frame latency of each page and the cost of
    every frame made meanwhile (compose + encode)."""
    path = bench.file(bench.preset.edit_size)
    latencies: list[float] = []
    result: dict[str, Any] = {}
    async with running(path) as s:
        await settle(s)
        first = len(s.probe.frames)
        with TRACER.span("scroll"):
            for _ in range(bench.preset.pages):
                before = int(s.app.editor.scroll_offset.y)
                n = len(s.probe.frames)
                sent = await send_key(s, "pagedown")
                frame = await s.probe.wait_for(lambda f: f.scroll_y != before, after=n)
                if frame is not None:
                    latencies.append(frame.end - sent)
                    TRACER.complete("pagedown", sent, frame.end, "ui")
                await asyncio.sleep(0.02)
        costs = [f.cost for f in s.probe.frames[first:]]
        _rss_into(result)
    metrics = distribution("page_latency", latencies)
    metrics.update(distribution("frame_cost", costs))
    result.update(metrics=metrics, samples={"page_latency_s": latencies, "frame_cost_s": costs})
    return result


async def typing(bench: Workbench) -> dict[str, Any]:
    """Type characters at the top, the middle and the end of the edited file: latency from
    sending each key to the first frame that shows the edit."""
    from kiro_proto.core import Pos

    path = bench.file(bench.preset.edit_size)
    latencies: list[float] = []
    handler: list[float] = []
    result: dict[str, Any] = {}
    async with running(path) as s:
        app = s.app
        editor = app.editor
        rows = app.current.state.document.line_count
        for place, row in (("top", 0), ("middle", rows // 2), ("end", max(0, rows - 2))):
            editor.go_to(Pos(row, 0))
            await settle(s)
            with TRACER.span(f"typing {place}"):
                for i in range(bench.preset.keys_per_place):
                    char = "abcdefghijklmnopqrstuvwxyz"[i % 26]
                    doc = app.current.state.document
                    rev = doc.revision
                    n = len(s.probe.frames)
                    sent = await send_key(s, char, char)
                    frame = await s.probe.wait_for(lambda f: f.revision > rev, after=n)
                    if frame is None:
                        continue
                    latencies.append(frame.end - sent)
                    handler.append(max(0.0, editor.last_key_time - sent))
                    TRACER.instant("key handled", editor.last_key_time, "ui", key=char)
                    TRACER.complete(f"key {char!r}", sent, frame.end, "ui")
                    await asyncio.sleep(0.03)  # an idle gap: keys are timed one at a time
        _rss_into(result)
    metrics = distribution("key_latency", latencies)
    metrics["key_to_handler_p50_s"] = percentile(handler, 50)
    result.update(metrics=metrics, samples={"key_latency_s": latencies})
    return result


async def find(bench: Workbench) -> dict[str, Any]:
    """Find across the edited file from the top: a literal that first occurs near the end
    (so the whole file is searched), then the same case-insensitively. Seconds from the
    request to the frame that shows the match; the app also counts every match."""
    path = bench.file(bench.preset.edit_size)
    result: dict[str, Any] = {}
    metrics: dict[str, Any] = {}
    async with running(path) as s:
        app = s.app
        if not hasattr(app, "_find"):
            return {"metrics": {"find_s": None}, "notes": {"find_s": "n/a: app has no _find"}}
        doc = app.current.state.document
        row = doc.line_count - 1
        while row > 0 and not doc.line_text(row).strip():
            row -= 1
        needle = doc.line_text(row).strip()[:24]
        await settle(s)
        for name, case in (("find_s", True), ("find_nocase_s", False)):
            app.editor.go_to(type(app.current.state.cursor)(0, 0))
            app._search_origin = 0
            await settle(s)
            n = len(s.probe.frames)
            start = time.perf_counter()
            with TRACER.span(name):
                app._find(needle, False, case, 0)
                frame = await s.probe.wait_for(lambda f: True, after=n)
            metrics[name] = frame.end - start if frame else None
        _rss_into(result)
    result["metrics"] = metrics
    return result


async def plugins(bench: Workbench) -> dict[str, Any]:
    """Plugins: activation of dummy plugins from the triggering command to the plugin's
    first answer with the host already running (p50, p95), the cold host start, a command
    of an active plugin, reading 100 manifests, and the first paint of a fresh editor with
    and without 100 installed dummy plugins (same run, median of ``startup_runs`` each)."""
    from kiro_proto import registry
    from kiro_proto.engine.plugins import (make_dummy_plugins, measure_activation,
                                           measure_discovery)

    metrics: dict[str, Any] = {}
    # trio.run and subprocesses: on a thread, so this asyncio loop is not blocked.
    act = await asyncio.to_thread(measure_activation, bench.preset.plugin_count)
    metrics["cold_host_start_s"] = act["cold_start_s"]
    metrics["activation_p50_s"] = act["activation_p50_s"]
    metrics["activation_p95_s"] = act["activation_p95_s"]
    metrics["command_p50_s"] = act["command_p50_s"]
    disc = await asyncio.to_thread(measure_discovery, 100)
    metrics.update({f"discovery.{k}": v for k, v in disc.items() if isinstance(v, (int, float))})
    with tempfile.TemporaryDirectory(prefix="kiro-bench-plugins-") as folder:
        make_dummy_plugins(folder, 100)
        runs = bench.preset.startup_runs
        without = await asyncio.to_thread(registry.measure_startup, runs=runs)
        with_100 = await asyncio.to_thread(registry.measure_startup, runs=runs,
                                           plugins_dir=folder)
    metrics["first_paint_no_plugins_s"] = without["lazy"]["first_paint_s"]
    metrics["first_paint_100_plugins_s"] = with_100["lazy"]["first_paint_s"]
    metrics["first_paint_eager_imports_s"] = without["eager"]["first_paint_s"]
    # A difference of two noisy medians: reported in ms and not gated (it can be negative).
    metrics["first_paint_100_plugins_added_ms"] = 1000 * (with_100["lazy"]["first_paint_s"]
                                                          - without["lazy"]["first_paint_s"])
    return {"metrics": metrics, "notes": {}}


WORKSPACE_QUERY = "render"  # typed into quick open and erased (genworkspace's names hold it)


@asynccontextmanager
async def _workspace_session(root: str, cache: str, scratch: str) -> AsyncIterator[Session]:
    """The app on ``scratch`` with ``root`` as its workspace and ``cache`` as its persistent
    cache folder."""
    from kiro_proto.ui import KiroApp

    os.environ["KIRO_CACHE_DIR"] = cache
    start = time.perf_counter()
    app = KiroApp([scratch], workspace=root)
    with FrameProbe(app) as probe:
        async with app.run_test(size=SCREEN) as pilot:
            yield Session(app, probe, pilot, start)


def _stamp_queries(screen: Any) -> list[tuple[str, float, int]]:
    """Wrap one quick-open screen's ``run_query``: each run appends (query, perf_counter
    when it finished, results found)."""
    log: list[tuple[str, float, int]] = []
    original = screen.run_query

    def run_query() -> None:
        original()
        log.append((screen.query_text, time.perf_counter(), len(screen.results)))

    screen.run_query = run_query
    return log


async def _answered(session: Session, log: list, query: str, sent: float, frames: int,
                    timeout: float, need_results: bool = False) -> float | None:
    """Seconds from ``sent`` to the first frame made after quick open finished searching
    ``query`` (with at least one result when ``need_results``); None on timeout."""
    done = await _poll(lambda: next((t for q, t, n in log if q == query and t >= sent
                                     and (n or not need_results)), None) is not None, timeout)
    if not done:
        return None
    finished = next(t for q, t, n in log if q == query and t >= sent and (n or not need_results))
    frame = await session.probe.wait_for(lambda f: f.end >= finished, after=frames,
                                         timeout=timeout)
    return frame.end - sent if frame is not None else None


async def workspace(bench: Workbench) -> dict[str, Any]:
    """A generated workspace (``Preset.workspace_files`` files), opened twice with the same
    persistent cache folder: ``cold`` (empty: the index is built by walking the folders)
    and ``warm`` (the index file the cold run wrote: paths at once, then a check walk).
    Per run: seconds from the scan request (the engine has started; the index worker
    process has not) to the first paths and to the finished walk;
    from typing the query's first letter into quick open right after the first frame to
    the first frame listing results; and, once the walk is over, key-to-frame latency of
    typing the query and erasing it (the first key searches every path). Counts: paths
    indexed, whether they came from the persistent cache, and the hits and misses of the
    recent-query cache. Under the memory pass (tracemalloc on, several times slower) only
    the cold run's index build is repeated: that is where the memory goes."""
    import tracemalloc

    from kiro_proto.ui._workspace import cache_statistics

    root = bench.workspace(bench.preset.workspace_files)
    timeout = bench.preset.parse_timeout_s
    metrics: dict[str, Any] = {}
    notes: dict[str, str] = {}
    result: dict[str, Any] = {"metrics": metrics, "notes": notes}
    query = WORKSPACE_QUERY
    with tempfile.TemporaryDirectory(prefix="kiro-bench-workspace-") as tmp:
        scratch = os.path.join(tmp, "scratch.py")
        with open(scratch, "w", encoding="utf-8") as fh:
            fh.write("x = 1\n")
        cache = os.path.join(tmp, "cache")
        tracing = tracemalloc.is_tracing()
        for arm in ("cold",) if tracing else ("cold", "warm"):
            with TRACER.span(f"workspace {arm}"):
                async with _workspace_session(root, cache, scratch) as s:
                    app, ws = s.app, s.app.workspace_ui
                    await s.probe.wait_for(lambda f: True)
                    await send_key(s, "ctrl+p")
                    shown = await _poll(lambda: ws.quick_open_screen is not None
                                        and ws.quick_open_screen.is_mounted, timeout)
                    if not shown:
                        raise RuntimeError("quick open did not open")
                    screen = ws.quick_open_screen
                    log = _stamp_queries(screen)
                    n = len(s.probe.frames)
                    sent = await send_key(s, query[0], query[0])
                    metrics[f"{arm}.quick_open_first_results_s"] = await _answered(
                        s, log, query[0], sent, n, timeout, need_results=True)
                    finished = await _poll(lambda: ws.index_done, timeout)
                    metrics[f"{arm}.index_first_paths_s"] = ws.index_first_batch
                    metrics[f"{arm}.index_complete_s"] = ws.index_complete if finished else None
                    if not finished:
                        notes[f"{arm}.index_complete_s"] = f"timed out after {timeout:.0f} s"
                    if tracing:
                        _rss_into(result)
                        break
                    await send_key(s, "backspace")
                    await settle(s)
                    latencies = []
                    steps = [query[:i] for i in range(1, len(query) + 1)]
                    steps += [query[:i] for i in range(len(query) - 1, -1, -1)]
                    for step in steps:
                        n = len(s.probe.frames)
                        if len(step) > len(screen.query_text):
                            sent = await send_key(s, step[-1], step[-1])
                        else:
                            sent = await send_key(s, "backspace")
                        latencies.append(await _answered(s, log, step, sent, n, timeout))
                        await asyncio.sleep(0.02)  # an idle gap: keys are timed one at a time
                    if any(v is None for v in latencies):
                        notes[f"{arm}.quick_open_key_p50_s"] = "some keys timed out"
                    timed = [v for v in latencies if v is not None]
                    metrics[f"{arm}.quick_open_first_key_s"] = latencies[0]
                    metrics[f"{arm}.quick_open_key_p50_s"] = percentile(timed, 50)
                    metrics[f"{arm}.quick_open_key_max_s"] = max(timed) if timed else None
                    stats = cache_statistics(app)
                    metrics[f"{arm}.index_paths"] = len(ws.index)
                    metrics[f"{arm}.index_from_cache"] = int(ws.index_cached)
                    metrics[f"{arm}.query_cache_hits"] = stats["quick-open queries"]["hits"]
                    metrics[f"{arm}.query_cache_misses"] = stats["quick-open queries"]["misses"]
                    _rss_into(result)
    notes["warm.index_complete_s"] = "the check walk: folders stat-ed, only changed ones listed"
    return result


WORKLOADS: dict[str, Callable[[Workbench], Any]] = {
    "startup": startup, "open": open_files, "scroll": scroll, "typing": typing,
    "find": find, "plugins": plugins, "workspace": workspace,
}
