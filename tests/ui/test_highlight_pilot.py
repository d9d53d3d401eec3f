"""Highlighting in the app: coloured at the first paint (Pygments window), then tree-sitter
spans from the engine, kept through edits."""

from __future__ import annotations

import asyncio

import pytest

from kiro_proto.ui import KiroApp

SOURCE = "import os\n\n\ndef greet(name):\n    return 'hi ' + name  # say hi\n" * 20


async def wait_until(pilot, predicate, timeout=20.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out")
        await pilot.pause(0.05)


@pytest.mark.parametrize("mode", ["sliced", "process"])
async def test_coloured_first_paint_then_tree_sitter(tmp_path, mode):
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    app = KiroApp([str(path)], syntax_mode=mode)
    async with app.run_test(size=(100, 30)) as pilot:
        hl = app.current.highlights
        # The first paint already had spans, before the engine answered.
        assert hl.lexed_rows > 0
        assert ("Keyword.Namespace" in {t for *_, t in hl.spans(0)}
                or "Keyword" in {t for *_, t in hl.spans(0)})
        strip = app.editor.render_line(3)
        colours = {seg.style.color for seg in strip if seg.text.strip() and seg.style}
        assert len(colours) >= 3  # keyword, function name, punctuation... not one colour
        # Tree-sitter's spans arrive (Pygments says "Comment.Single", tree-sitter "Comment").
        await wait_until(pilot, lambda: any(t == "Comment" for *_, t in hl.spans(4)))
        assert hl.accepted >= 1
        assert app.current.highlighter == "tree-sitter"
        assert hl.revision == app.current.state.document.revision
        # An edit: spans shift at once, then the engine's spans for the new revision land.
        await pilot.press("down", "down", "down", "end", "#")
        assert hl.spans(3), "spans kept through the edit"
        await wait_until(pilot, lambda: hl.revision == app.current.state.document.revision)
        assert any(t == "Comment" for *_, t in hl.spans(3))


async def test_plain_text_and_binary_are_not_highlighted(tmp_path):
    path = tmp_path / "notes.unknownext"
    path.write_text("just words\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=(80, 20)) as pilot:
        await pilot.pause()
        assert app.current.highlights.spans(0) == ()
        assert app.editor.render_line(0).text.startswith(" 1  just words")


async def test_style_can_be_changed(tmp_path):
    path = tmp_path / "m.py"
    path.write_text(SOURCE)
    app = KiroApp([str(path)])
    async with app.run_test(size=(80, 20)) as pilot:
        before = app.editor.render_line(3)
        assert app.set_style("solarized-light")
        await pilot.pause()
        after = app.editor.render_line(3)
        assert [s.style for s in before] != [s.style for s in after]
        assert not app.set_style("no-such-style")
