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


PRESETS = {
    # tiny: for the project's own tests of the benchmark mode (seconds, not minutes)
    "tiny": Preset((10_000,), 10_000, 3, 3, 1, 10.0, plugin_count=3),
    "small": Preset((100_000, 1_000_000), 1_000_000, 12, 15, 3, 30.0),
    "medium": Preset((100_000, 1_000_000, 10_000_000), 10_000_000, 20, 30, 5, 60.0),
    "large": Preset((100_000, 1_000_000, 10_000_000, 100_000_000), 100_000_000, 20, 30, 5, 120.0),
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
    path = Path(__file__).resolve().parents[2] / "bench" / "gen.py"
    if not path.exists():
        raise SystemExit("kiro-proto: benchmark mode needs a source checkout (bench/gen.py)")
    spec = importlib.util.spec_from_file_location("_kiro_bench_gen", path)
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module.generate_python


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

def startup(bench: Workbench) -> dict[str, Any]:
    """Cold and warm start-up in a fresh interpreter, broken into phases (cumulative seconds
    from spawning the interpreter). Cold: bytecode caches are empty (``PYTHONPYCACHEPREFIX``
    points at a new empty folder, so every module is compiled from source); the OS page cache
    is not dropped (that needs root and affects the whole machine). Warm: the normal
    ``__pycache__`` folders, after one unmeasured run has filled them."""
    script = os.path.join(os.path.dirname(__file__), "_startup.py")
    metrics: dict[str, Any] = {}
    memory: dict[str, Any] = {}

    def one(env_extra: dict[str, str]) -> dict[str, float]:
        env = dict(os.environ, **env_extra)
        spawned = time.time()
        out = subprocess.run([sys.executable, script], capture_output=True, text=True,
                             env=env, timeout=300)
        if out.returncode != 0:
            raise RuntimeError(f"start-up probe failed: {out.stderr[-2000:]}")
        stamps = __import__("json").loads(out.stdout.strip().splitlines()[-1])
        phases = {k: stamps[k] - spawned for k in
                  ("interpreter", "imports", "constructed", "first_paint", "ready")
                  if stamps.get(k) is not None}
        phases["rss_bytes"] = stamps.get("rss_bytes")
        return phases

    with TRACER.span("startup.cold"):
        with tempfile.TemporaryDirectory(prefix="kiro-pyc-") as pyc:
            cold = one({"PYTHONPYCACHEPREFIX": pyc})
    one({})  # fill the ordinary bytecode caches
    warm_runs = []
    with TRACER.span("startup.warm"):
        for _ in range(bench.preset.startup_runs):
            warm_runs.append(one({}))
    for phase in ("interpreter", "imports", "constructed", "first_paint", "ready"):
        metrics[f"cold.{phase}_s"] = cold.get(phase)
        metrics[f"warm.{phase}_s"] = percentile([r[phase] for r in warm_runs if phase in r], 50)
    memory["rss_total_bytes"] = warm_runs[-1].get("rss_bytes")
    return {"metrics": metrics, "memory": memory,
            "notes": {"cold": "fresh bytecode cache; OS page cache not dropped",
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


WORKLOADS: dict[str, Callable[[Workbench], Any]] = {
    "startup": startup, "open": open_files, "scroll": scroll, "typing": typing,
    "find": find, "plugins": plugins,
}
