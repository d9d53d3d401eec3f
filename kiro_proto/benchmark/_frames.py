"""Frame stamps from inside Textual: when a frame was composed, what it cost, and which
document revision and scroll position it showed. Key-to-frame latency, first paint and
scroll frame times are all read from these stamps.

Where the hook sits (Textual 8.2.8): every frame of the top screen ends in
``Screen._compositor_refresh``, which calls ``Compositor.render_update`` (this asks the
widgets for their dirty lines: ``EditorView.render_line`` runs here) and hands the result to
``App._display``, which turns it into terminal bytes and writes them. Both are wrapped at
class level while a probe is attached. Under the headless driver ``App._display`` returns
before encoding, so the probe encodes the update itself (``render_segments``): a frame's
cost then includes everything a real terminal run pays except the ``write`` system call.
A frame is stamped when ``App._display`` returns. Everything runs on the one asyncio thread,
so a frame stamped after a key handler ran was composed from the edited text.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any, Callable

from ._trace import TRACER

__all__ = ["Frame", "FrameProbe"]


@dataclass(frozen=True, slots=True)
class Frame:
    end: float  # perf_counter seconds when the frame was handed to the terminal
    cost: float  # seconds: compose (render_update) + encode
    revision: int  # document revision of the current buffer when the frame was made
    scroll_y: int
    coloured: bool | None  # _coloured(app) at that frame (None: the app has no highlighter)


class FrameProbe:
    """Attach to one app (``with FrameProbe(app, coloured=fn) as probe``) before it runs."""

    _active: "FrameProbe | None" = None

    def __init__(self, app: Any, *, coloured: Callable[[Any], bool | None] | None = None,
                 encode: bool = True) -> None:
        self.app = app
        self.coloured = coloured
        self.encode = encode
        self.frames: list[Frame] = []
        self._render_start = 0.0
        self._changed = asyncio.Event()
        self._saved: list[tuple[type, str, Any]] = []

    # -- patching -------------------------------------------------------------------------
    def __enter__(self) -> "FrameProbe":
        from textual._compositor import Compositor
        from textual.app import App

        if FrameProbe._active is not None:
            raise RuntimeError("one FrameProbe at a time")
        FrameProbe._active = self
        probe = self
        original_update = Compositor.render_update
        original_display = App._display

        def render_update(compositor, *args, **kwargs):
            probe._render_start = time.perf_counter()
            return original_update(compositor, *args, **kwargs)

        def display(app, screen, renderable):
            if app is not probe.app or renderable is None:
                return original_display(app, screen, renderable)
            if probe.encode and app.is_headless and not app._batch_count:
                renderable.render_segments(app.console)  # what a terminal run would encode
            result = original_display(app, screen, renderable)
            probe._stamp()
            return result

        self._saved = [(Compositor, "render_update", original_update),
                       (App, "_display", original_display)]
        Compositor.render_update = render_update
        App._display = display
        return self

    def __exit__(self, *exc: object) -> None:
        for owner, name, value in self._saved:
            setattr(owner, name, value)
        self._saved = []
        FrameProbe._active = None

    def _stamp(self) -> None:
        end = time.perf_counter()
        app = self.app
        buf = getattr(app, "current", None)
        revision = buf.state.document.revision if buf is not None else -1
        try:
            scroll_y = int(app.editor.scroll_offset.y) if app.is_running else 0
        except Exception:  # before the editor is mounted
            scroll_y = 0
        coloured = self.coloured(app) if self.coloured is not None else None
        start = self._render_start or end
        frame = Frame(end, end - start, revision, scroll_y, coloured)
        self.frames.append(frame)
        TRACER.complete("frame", start, end, "frames", revision=revision)
        self._changed.set()

    # -- waiting --------------------------------------------------------------------------
    async def wait_for(self, predicate: Callable[[Frame], bool], *, after: int = 0,
                       timeout: float = 30.0) -> Frame | None:
        """The first frame at index ``>= after`` for which ``predicate`` holds (None on
        timeout)."""
        deadline = time.perf_counter() + timeout
        index = after
        while True:
            while index < len(self.frames):
                frame = self.frames[index]
                index += 1
                if predicate(frame):
                    return frame
            left = deadline - time.perf_counter()
            if left <= 0:
                return None
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(left, 0.25))
            except asyncio.TimeoutError:
                pass
