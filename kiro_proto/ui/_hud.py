"""The performance panel (HUD, F12): what the patterns are doing while you edit.

It shows the last keystroke's latency (key event to the frame that showed it), frame
times, the last parse (time slices or worker round trips), bus queue depths, cache hit
rates, loaded modules and memory. It is built so that watching does not disturb typing:

- nothing is measured while the panel is hidden: the frame meter wraps the main screen's
  ``_compositor_refresh`` (the call that composes a frame and writes it to the terminal)
  only while the panel is shown, on that one screen instance;
- the panel is a fixed-width widget docked to the right: showing or hiding it is one
  layout; its updates repaint it in place (``refresh()``, no layout), twice a second, from
  figures already collected (statistics objects, a ring of samples);
- process memory (psutil walks /proc) is read every fourth tick (2 s) only.
"""

from __future__ import annotations

import os
import sys
import time
from collections import deque
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widget import Widget

from .. import registry
from ._workspace import cache_statistics

if TYPE_CHECKING:
    from ._app import KiroApp

__all__ = ["FrameMeter", "PerfPanel", "percentile"]

SAMPLES = 200  # the rings keep the last 200 keys and frames


def percentile(samples, q: float) -> float:
    """Nearest-rank percentile of a non-empty iterable of numbers."""
    ordered = sorted(samples)
    return ordered[max(0, min(len(ordered) - 1, round(q / 100 * len(ordered) + 0.5) - 1))]


class FrameMeter:
    """Times every frame of one screen, and for every key the editor handled, the latency
    from its key event to the end of the first frame composed after it."""

    def __init__(self, screen: Any, editor: Any) -> None:
        self.screen = screen
        self.editor = editor
        self.frames: deque[float] = deque(maxlen=SAMPLES)  # seconds per frame
        self.keys: deque[float] = deque(maxlen=SAMPLES)  # seconds, key event -> frame
        self.frame_count = 0
        self._unshown: list[float] = []  # arrival times of keys handled since the last frame
        self._attached = False

    def attach(self) -> None:
        if self._attached:
            return
        original = self.screen._compositor_refresh  # the bound method of this screen
        unshown = self._unshown

        def timed_refresh() -> None:
            start = time.perf_counter()
            original()
            self.frames.append(time.perf_counter() - start)
            self.frame_count += 1
            if unshown:
                now = time.monotonic()
                self.keys.extend(now - arrival for arrival in unshown)
                unshown.clear()

        self.screen._compositor_refresh = timed_refresh  # shadows the method on this instance
        self.editor.key_observer = unshown.append
        self._attached = True

    def detach(self) -> None:
        if self._attached:
            del self.screen._compositor_refresh  # the class's method again
            self.editor.key_observer = None
            self._unshown.clear()
            self._attached = False


def _ms(seconds: float) -> str:
    return f"{seconds * 1e3:5.1f}"


class PerfPanel(Widget):
    """Docked right, hidden until toggled (``KiroApp.action_toggle_hud``)."""

    DEFAULT_CSS = """
    PerfPanel {
        dock: right; width: 38; height: 1fr; display: none;
        background: #21252b; color: #abb2bf; border-left: solid #3e4451; padding: 0 1;
    }
    PerfPanel.-visible { display: block; }
    """
    TICK = 0.5

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.meter: FrameMeter | None = None
        self._timer = None
        self._text = Text()
        self._ticks = 0
        self._memory = ""
        self.updates = 0  # how many times the panel has been recomputed (tests read it)

    @property
    def visible_now(self) -> bool:
        return self.has_class("-visible")

    def toggle(self) -> None:
        app: KiroApp = self.app  # type: ignore[assignment]
        if self.visible_now:
            self.remove_class("-visible")
            if self._timer is not None:
                self._timer.stop()
                self._timer = None
            if self.meter is not None:
                self.meter.detach()
            return
        if self.meter is None:
            self.meter = FrameMeter(app.screen_stack[0], app.editor)
        self.meter.attach()
        self.add_class("-visible")
        self._ticks = 0
        self.tick()
        self._timer = self.set_interval(self.TICK, self.tick)

    def render(self) -> Text:
        return self._text

    # -- the figures ------------------------------------------------------------------------
    def tick(self) -> None:
        self._text = self.compose_text()
        self.updates += 1
        self._ticks += 1
        self.refresh()

    def compose_text(self) -> Text:
        app: KiroApp = self.app  # type: ignore[assignment]
        out = Text(no_wrap=True, overflow="ellipsis")

        def head(title: str) -> None:
            out.append(f"{title}\n", style="bold #61afef")

        def line(text: str) -> None:
            out.append(f" {text}\n")

        out.append("Performance", style="bold")
        out.append("   F12 hides\n", style="#5c6370")
        meter = self.meter
        head("keystroke -> frame")
        if meter is not None and meter.keys:
            keys = list(meter.keys)
            line(f"last {_ms(keys[-1])} ms  ({len(keys)} keys)")
            line(f"p50 {_ms(percentile(keys, 50))}  p95 {_ms(percentile(keys, 95))} ms")
        else:
            line("type to measure")
        head("frames")
        if meter is not None and meter.frames:
            frames = list(meter.frames)
            line(f"last {_ms(frames[-1])}  p95 {_ms(percentile(frames, 95))} ms")
            line(f"max {_ms(max(frames))} ms  {meter.frame_count} frames")
        else:
            line("none yet")
        head("modules")
        stats = registry.REGISTRY.statistics()
        loaded = sum(1 for i in stats if i.loaded)
        line(f"registry {loaded}/{len(stats)} loaded")
        line(f"sys.modules {len(sys.modules)}")
        head("memory (RSS)")
        if self._ticks % 4 == 0 or not self._memory:
            self._memory = _memory()
        line(self._memory)
        self._parse_lines(app, head, line)
        self._engine_lines(app, head, line)
        head("caches (hit rate)")
        for name, row in cache_statistics(app).items():
            if "hit_rate" in row and row["hits"] + row["misses"]:
                line(f"{name[:22]:<22} {row['hit_rate'] * 100:5.1f}%")
        return out

    @staticmethod
    def _parse_lines(app: "KiroApp", head, line) -> None:
        head("last parse")
        if not app.parse_log:
            line(app.current.highlighter or "no tree-sitter for this file")
            return
        p = app.parse_log[-1]
        kind = "incremental" if p.incremental else "full"
        line(f"{_ms(p.seconds)} ms {kind}, rev {p.revision}")
        if p.longest_slice > 0:  # sliced on the editor's loop
            line(f"{p.slices} slices, longest {_ms(p.longest_slice)} ms")
        else:
            line(f"in the worker, {p.slices} steps; loop free")

    @staticmethod
    def _engine_lines(app: "KiroApp", head, line) -> None:
        bridge = app.bridge
        stats = bridge.statistics() if bridge is not None else None
        if stats is None:
            head("engine")
            line("not started")
            return
        head(f"workers ({stats.syntax_mode} parse)")
        shown = False
        for w in stats.workers:
            if w.requests or w.alive:
                shown = True
                line(f"{w.name[:9]:<9} rtt p50 {w.round_trip_p50_ms:5.1f} max "
                     f"{w.round_trip_max_ms:5.0f}")
                if w.restarts or w.timeouts:
                    line(f"  restarts {w.restarts} timeouts {w.timeouts}")
        if not shown:
            line("no worker process running")
        gate = stats.input_gate
        if gate is not None and gate.steps:
            head("background walk vs typing")
            line(f"{gate.steps} steps, {gate.deferred} waited for a pause "
                 f"({gate.waited_seconds:.1f} s)")
        head("bus (waiting / wait p50)")
        for inbox in stats.bus.inboxes:
            line(f"{inbox.name[:10]:<10} {inbox.depth:4d}/{inbox.capacity:<5d}"
                 f"{inbox.wait_p50_ms:6.2f} ms")


def _memory() -> str:
    try:
        import psutil

        me = psutil.Process(os.getpid())
        rss = me.memory_info().rss
        children = 0
        for child in me.children(recursive=True):
            try:
                children += child.memory_info().rss
            except psutil.Error:
                pass
        return f"UI {rss / 2**20:.0f} MiB  workers {children / 2**20:.0f} MiB"
    except Exception as err:  # noqa: BLE001 - the panel reports, it never fails
        return f"unavailable ({type(err).__name__})"
