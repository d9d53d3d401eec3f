"""The key-hints line at the bottom of the screen: what Textual's ``Footer`` shows, drawn as
one cached Strip.

Textual's ``Footer`` is a container that composes one widget per key binding, and composes
them all again whenever the screen's bindings change. They change right after the first
paint (the editor takes the focus), so just when a user starts to type, the UI thread
mounted a dozen widgets, applied their styles and laid out the whole screen: in a real
terminal the first key typed 0.15 s after the first paint of a 10 MB file waited 286-398
ms with the Footer and 23-87 ms with this line (bench/typometer.py --settle 0, four runs
each, interleaved; docs/performance.md).

``KeyHints`` keeps the hints as data: on each bindings change it builds the tuple of
(key, label, description, enabled) it would show, and only when that tuple (or the width)
changes does it build a new Strip and repaint its one row. It never mounts anything and
never asks for a layout. A click on a hint presses its key, like the Footer's.
"""

from __future__ import annotations

from rich.segment import Segment
from textual import events
from textual.strip import Strip
from textual.widget import Widget

__all__ = ["KeyHints"]

SEPARATOR = "▏"  # between the hints and the command palette's key, docked right

Hint = tuple[str, str, str, bool]  # key, how the key is shown, description, enabled


class KeyHints(Widget, can_focus=False):
    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"key-hints--key", "key-hints--description", "key-hints--separator"}
    DEFAULT_CSS = """
    KeyHints {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    KeyHints > .key-hints--key {
        color: $footer-key-foreground;
        background: $footer-key-background;
        text-style: bold;
    }
    KeyHints > .key-hints--description {
        color: $footer-description-foreground;
        background: $footer-description-background;
    }
    KeyHints > .key-hints--separator {
        color: $foreground 20%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hints: tuple[Hint, ...] = ()
        self.palette: Hint | None = None  # the command palette's key, shown on the right
        self._strip: tuple[int, Strip] | None = None  # (width, strip) of the current hints
        self._targets: list[tuple[int, int, Hint]] = []  # cells [start, end) -> hint
        self.rebuilds = 0  # Strips built (tests: a bindings change that alters nothing
        #                    builds none)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._bindings_changed(self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    # -- what to show -----------------------------------------------------------------------
    def _bindings_changed(self, screen) -> None:
        hints, palette = self._hints_of(screen)
        if (hints, palette) != (self.hints, self.palette):
            self.hints, self.palette = hints, palette
            self._strip = None
            self.refresh()

    def _hints_of(self, screen) -> tuple[tuple[Hint, ...], Hint | None]:
        """The Footer's choice: bindings marked ``show``, the first binding of each action,
        in the screen's order (the focused widget's first); the palette key apart."""
        app = self.app
        active = screen.active_bindings
        hints: list[Hint] = []
        actions: set[str] = set()
        for _node, binding, enabled, _tooltip in active.values():
            if binding.show and binding.action not in actions:
                actions.add(binding.action)
                hints.append((binding.key, app.get_key_display(binding), binding.description,
                              enabled))
        palette = None
        if app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                palette = (binding.key, app.get_key_display(binding), binding.description,
                           enabled)
        return tuple(hints), palette

    # -- drawing ----------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.size.width
        if y != 0:
            return Strip.blank(width, self.rich_style)
        cached = self._strip
        if cached is None or cached[0] != width:
            cached = (width, self._build(width))
            self._strip = cached
        return cached[1]

    def _build(self, width: int) -> Strip:
        self.rebuilds += 1
        base = self.rich_style
        key_style = base + self.get_component_rich_style("key-hints--key")
        text_style = base + self.get_component_rich_style("key-hints--description")
        dim = self.get_component_rich_style("key-hints--separator")

        def cells(hint: Hint) -> list[Segment]:
            _key, shown, description, enabled = hint
            parts = [Segment(f" {shown} ", key_style)]
            if description:
                parts.append(Segment(f"{description} ", text_style))
            return parts if enabled else [Segment(s.text, s.style + dim) for s in parts]

        right: list[Segment] = []
        if self.palette is not None:
            right = [Segment(SEPARATOR, base + dim)] + cells(self.palette)
        right_width = sum(s.cell_length for s in right)
        room = width - right_width if right_width < width else width
        left: list[Segment] = []
        targets: list[tuple[int, int, Hint]] = []
        x = 0
        for hint in self.hints:
            parts = cells(hint)
            end = x + sum(s.cell_length for s in parts)
            left += parts
            targets.append((x, min(end, room), hint))
            x = end
            if x >= room:
                break
        strip = Strip(left).crop_extend(0, room, base)
        if right and right_width < width:
            targets.append((room + 1, width, self.palette))
            strip = Strip.join([strip, Strip(right)])
        self._targets = [t for t in targets if t[0] < t[1]]
        return strip.crop_extend(0, width, base)

    # -- clicks -----------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        for start, end, hint in self._targets:
            if start <= event.x < end:
                event.stop()
                if hint[3]:
                    self.app.simulate_key(hint[0])
                else:
                    self.app.bell()
                return
