"""The rendering switches: with the row memo off (``memo_lines``) or viewport culling off
(``viewport``) the editor paints exactly the same rows."""

from __future__ import annotations

from textual.app import App
from textual.geometry import Region

from kiro_proto import switches
from kiro_proto.core import Document, EditorState, Pos
from kiro_proto.ui import EditorView
from kiro_proto.ui._highlights import BufferHighlights
from kiro_proto.ui._render import LineRenderer, RowDecor
from kiro_proto.ui._theme import SyntaxTheme

SOURCE = b"".join(b"def f%d(x):\n    return x + %d  # \t tab \x1b esc\n\n" % (i, i)
                  for i in range(150))


class OneView(App):
    def __init__(self) -> None:
        super().__init__()
        self.document = Document(SOURCE)

    def compose(self):
        theme = SyntaxTheme()
        yield EditorView(EditorState(self.document),
                         renderer=LineRenderer(theme.palette, token_style=theme.style),
                         highlights=BufferHighlights(self.document, "Python", None))


async def paint_after_edits(spec: str) -> tuple[list, dict]:
    """Type, select, scroll; returns every painted frame's rows (text and styles) and the
    renderer's statistics, with the switches in ``spec`` off."""
    saved = switches.SWITCHES
    switches.configure(switches.Switches.from_spec(spec))
    try:
        app = OneView()
        frames = []
        async with app.run_test(size=(60, 20)) as pilot:
            view = app.query_one(EditorView)
            view.focus()

            async def frame() -> None:
                await pilot.pause(0)
                width, height = view.size
                strips = view.render_lines(Region(0, 0, width, height))
                frames.append([(s.text, [tuple(seg) for seg in s]) for s in strips])

            await frame()
            await pilot.press("down", "end", *"yz")
            await frame()
            await pilot.press("shift+down", "shift+right")
            await frame()
            view.go_to(Pos(300, 3))
            await frame()
            for _ in range(25):
                view.action_cursor("up")
            await frame()
            await pilot.press("enter", "backspace", "backspace")
            await frame()
            stats = view.renderer.statistics()
    finally:
        switches.configure(saved)
    return frames, stats


async def test_memo_and_viewport_off_paint_the_same_rows() -> None:
    on, on_stats = await paint_after_edits("")
    no_memo, memo_stats = await paint_after_edits("memo_lines")
    no_viewport, viewport_stats = await paint_after_edits("viewport")
    assert on == no_memo == no_viewport
    assert any("yz" in text for text, _ in on[1])
    assert on_stats["hits"] > 0 and memo_stats == {"hits": 0, "misses": 0, "size": 0}
    # Viewport off renders rows off screen too: the memo holds more of them.
    assert viewport_stats["size"] > on_stats["size"]


def test_renderer_without_memo_gives_the_same_strips() -> None:
    theme = SyntaxTheme()
    memo = LineRenderer(theme.palette, token_style=theme.style, memoize=True)
    plain = LineRenderer(theme.palette, token_style=theme.style, memoize=False)
    cases = [
        (0, "def f(x):", RowDecor(cursor=3, spans=((0, 3, "Keyword"), (4, 5, "Name.Function")))),
        (7, "\tx = 'a\x1bb'", RowDecor(selection=(1, 12), spans=((5, 11, "String"),))),
        (12, "wide 漢字 row", RowDecor(match=(5, 7), cursor=20)),
    ]
    for row, text, decor in cases * 2:  # the second round hits the memo
        for scroll_x in (0, 3):
            kwargs = dict(scroll_x=scroll_x, width=30, gutter=5, current=row == 0)
            assert memo.render(row, text, decor, **kwargs) == plain.render(row, text, decor,
                                                                           **kwargs)
    assert memo.statistics()["hits"] == 6 and plain.statistics()["size"] == 0
