"""``kiro-proto demo rendering``: memoized rows and viewport-only rendering, measured in a
real EditorView under Textual's headless driver, with each pattern switched off in turn."""

from __future__ import annotations

from ._show import Report, in_fresh_interpreter

# One arm: a real EditorView (no engine; Pygments spans, as before a tree-sitter parse
# arrives) over a generated Python file in a headless Textual app (App.run_test, 100x40).
# Each step changes the state the way a key would and then lets the screen paint
# (Pilot.pause forces the update; a second one paints what the first scheduled, such as a
# new virtual size). Measured: the CPU time spent in
# EditorView.render_lines per step, and how many rows LineRenderer really rendered (its
# _render calls: with the memo on, only the misses).
ARM = r"""
import asyncio, json, statistics, sys, time
from textual.app import App
from kiro_proto.core import Document, EditorState, Pos
from kiro_proto.ui._editor import EditorView
from kiro_proto.ui._highlights import BufferHighlights
from kiro_proto.ui._render import LineRenderer
from kiro_proto.ui._theme import SyntaxTheme

ROWS, KEYS, LINES = {rows}, {keys}, {lines}

def source(rows):
    out = []
    for i in range(rows):
        if i % 12 == 0:
            out.append(f"def handler_{{i}}(event, context=None):")
        elif i % 12 == 11:
            out.append("")
        else:
            out.append(f"    value_{{i}} = compute(event[{{i % 7}}], scale={{i % 5}}.5)"
                       f"  # step {{i}}")
    return ("\n".join(out) + "\n").encode()

class Demo(App):
    def __init__(self, document):
        super().__init__()
        self.document = document

    def compose(self):
        # As the editor builds it: themed renderer, Pygments spans until a tree arrives.
        theme = SyntaxTheme()
        yield EditorView(EditorState(self.document),
                         renderer=LineRenderer(theme.palette, token_style=theme.style),
                         highlights=BufferHighlights(self.document, "Python", None))

async def main():
    app = Demo(Document(source(ROWS)))
    async with app.run_test(size=(100, 40)) as pilot:
        view = app.query_one(EditorView)
        view.focus()
        view.highlights.ensure(0, ROWS)  # spans lexed up front: only rendering is timed
        await pilot.pause()
        renderer = view.renderer
        rendered = [0]
        real_render = renderer._render
        def counting(*args):
            rendered[0] += 1
            return real_render(*args)
        renderer._render = counting
        costs = []
        real_lines = view.render_lines
        def timed(crop):  # CPU time of this thread: other processes' load does not count
            t0 = time.thread_time()
            strips = real_lines(crop)
            costs.append(time.thread_time() - t0)
            return strips
        view.render_lines = timed

        async def frames(steps):
            costs.clear()
            rendered[0] = 0
            for step in steps:
                step()
                await pilot.pause(0)  # a frame
                await pilot.pause(0)  # and what it scheduled (a new virtual size)
            return {{"frames": len(costs), "per_step_s": sum(costs) / len(steps),
                     "rows": rendered[0]}}

        key = lambda: view._edit(view.state.insert_text, "x")
        out = {{}}
        view.go_to(Pos(ROWS // 2 - (ROWS // 2) % 12 + 11, 0))  # an empty row
        await pilot.pause()
        out["typing"] = await frames([key] * KEYS)
        # What closing the find bar, new plugin decorations or a reload from disk ask for.
        out["repaint"] = await frames([view.refresh] * KEYS)
        view.go_to(Pos(0, 0))
        view.go_to(Pos(view.scrollable_content_region.height - 1, 0))  # the bottom row
        await pilot.pause()
        out["scroll"] = await frames([lambda: view.action_cursor("down")] * LINES)
    print(json.dumps(out))

asyncio.run(main())
"""

WORK = (
    ("typing", "typing on a short row (only the edited row is dirty)"),
    ("repaint", "a whole-view repaint, nothing changed (EditorView.refresh())"),
    ("scroll", "moving down one row at a time past the bottom (the view scrolls by one row)"),
)


def run(report: Report, quick: bool) -> None:
    rows, keys, lines = (300, 10, 40) if quick else (1500, 30, 120)
    report.say(
        "A terminal editor repaints rows, not pixels. Textual asks the editor widget for one "
        "row at a time (EditorView.render_line), and only for rows that are marked dirty: an "
        "edit marks the rows it touched (EditorView._run -> refresh_lines), everything else "
        "on screen is reused from Textual's own per-widget line cache.")
    report.say(
        "Two patterns make the rest cheap. The memo: LineRenderer keeps every rendered row "
        "in an LRU cache keyed by everything the row depends on (row number, text, cursor, "
        "selection, match, spans, scroll, width, gutter, colours), so a row that Textual asks "
        "for again, after a scroll or a whole-view repaint, costs a dictionary lookup. The "
        "viewport: only the rows on screen are rendered; with it off, every document row is "
        f"rendered on every frame (here {rows} rows, so keep files small).")
    report.step(f"3 fresh interpreters (all on, memo_lines off, viewport off); {rows} rows, "
                f"{keys} keys, {keys} repaints, {lines} rows of scrolling each")
    code = ARM.format(rows=rows, keys=keys, lines=lines)
    on = in_fresh_interpreter(code)
    no_memo = in_fresh_interpreter(code, ablate="memo_lines")
    no_view = in_fresh_interpreter(code, ablate="viewport")
    report.table(
        ["work", "frames", "rows rendered: on", "memo off", "viewport off"],
        [[name, on[name]["frames"], on[name]["rows"], no_memo[name]["rows"],
          no_view[name]["rows"]] for name, _ in WORK])
    for name, what in WORK:
        report.compare(f"memo_lines, {what}: CPU time in render_lines per step",
                       on[name]["per_step_s"], no_memo[name]["per_step_s"],
                       on_label=f"{on[name]['rows']} rows rendered",
                       off_label=f"{no_memo[name]['rows']} rows rendered")
    for name, what in WORK:
        report.compare(f"viewport, {what}: CPU time in render_lines per step",
                       on[name]["per_step_s"], no_view[name]["per_step_s"],
                       off_label=f"{rows} rows walked per frame")
    report.say(
        "Read the rows column first: typing on a short row renders one row per key either "
        "way, because Textual repaints only dirty rows, so the memo has nothing to save "
        "there. It earns its keep when Textual asks again for rows it has seen: a one-row "
        "scroll (Textual's own line cache is keyed by screen row, so a scroll marks every "
        "row dirty) or a whole-view repaint. Even then a hit is not free: EditorView.render_line "
        "builds the key (the row's text, cursor, selection, spans) and Textual styles each "
        "row after it, which is why a repaint with zero rows rendered still costs "
        "milliseconds. With the memo on, the viewport-off arm renders few rows but walks "
        "all of them on every frame; that walk grows with the file.")
