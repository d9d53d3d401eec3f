"""The editor driven through Textual's Pilot: keys in, document bytes and rendered rows out."""

from __future__ import annotations

import os

import pytest

from kiro_proto.core import Pos
from kiro_proto.ui import EditorView, KiroApp
from kiro_proto.ui._dialogs import ConfirmQuitScreen, PromptScreen

SIZE = (100, 30)


def row_text(view: EditorView, y: int) -> str:
    return view.render_line(y).text


@pytest.fixture
def pyfile(tmp_path):
    path = tmp_path / "mod.py"
    path.write_bytes(b"def f():\r\n    return 1\r\n")
    return path


async def test_type_save_and_undo(pyfile):
    app = KiroApp([str(pyfile)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end", "enter")
        await pilot.press(*"x = 2")
        view = app.editor
        assert view.state.document.line_text(1) == "    x = 2"  # auto-indent after ':'
        await pilot.press("ctrl+s")
        assert pyfile.read_bytes() == b"def f():\r\n    x = 2\r\n    return 1\r\n"  # CRLF kept
        assert not view.state.modified
        await pilot.press("ctrl+z")
        assert view.state.document.line_text(1) == "    x ="  # undo goes word by word
        await pilot.press("ctrl+z", "ctrl+z")
        assert view.state.document.line_text(1) == "    "
        await pilot.press("ctrl+z")
        assert view.state.document.to_bytes() == b"def f():\r\n    return 1\r\n"
        assert view.state.modified


async def test_rows_show_text_and_gutter(pyfile):
    app = KiroApp([str(pyfile)])
    async with app.run_test(size=SIZE):
        view = app.editor
        assert row_text(view, 0).startswith(" 1  def f():")
        assert row_text(view, 1).startswith(" 2      return 1")


async def test_an_edit_rerenders_only_its_row(tmp_path):
    path = tmp_path / "many.txt"
    path.write_text("".join(f"line {i}\n" for i in range(200)))
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        view = app.editor
        await pilot.press("down", "down")
        await pilot.pause()
        misses = view.renderer.cache.misses
        await pilot.press("z")
        await pilot.pause()
        new = view.renderer.cache.misses - misses
        # The typed row re-renders; rows above and below come from the memo or are not
        # repainted at all.
        assert 1 <= new <= 2, new
        assert view.state.document.line_text(2) == "zline 2"


async def test_escape_sequences_are_shown_not_sent(tmp_path):
    path = tmp_path / "evil.txt"
    path.write_bytes(b"\x1b]0;TITLE\x07 \x1b]52;c;aGk=\x07 \x1b[2J \xc2\x9b31m \xff \xe2\x80\xae\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=(140, 20)):
        strip = app.editor.render_line(0)
        text = strip.text
        for segment in strip:
            assert segment.text.isprintable(), repr(segment.text)
        assert "^[]0;TITLE^G" in text and "^[]52;c;aGk=^G" in text and "^[[2J" in text
        assert "<9b>31m" in text and "<ff>" in text and "<U+202E>" in text


async def test_find_regex_and_goto_line(tmp_path):
    path = tmp_path / "f.txt"
    path.write_text("alpha\nbeta 42\ngamma 7\n" * 10)
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+f")
        await pilot.press(*"gamma")
        await pilot.pause()
        sel = app.editor.state.selection
        assert (sel.start, sel.end) == (Pos(2, 0), Pos(2, 5))
        await pilot.press("enter")
        await pilot.pause()
        assert app.editor.state.selection.start == Pos(5, 0)
        await pilot.press("alt+r")  # regex on
        for _ in "gamma":
            await pilot.press("backspace")
        await pilot.press(*r"\d+")
        await pilot.pause()
        assert app.editor.state.selected_text().isdigit()
        await pilot.press("escape")
        await pilot.press("ctrl+g")
        assert isinstance(app.screen, PromptScreen)
        await pilot.press(*"20:3", "enter")
        await pilot.pause()
        assert app.editor.state.cursor == Pos(19, 2)


async def test_replace_all_is_one_undo_step(tmp_path):
    path = tmp_path / "r.txt"
    path.write_text("cat dog cat\ncat\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await pilot.press(*"cat")
        await pilot.click("#replace")
        await pilot.press(*"cow")
        await pilot.click("#replace-all")
        await pilot.pause()
        doc = app.editor.state.document
        assert doc.text() == "cow dog cow\ncow\n"
        await pilot.press("escape")
        await pilot.press("ctrl+z")
        assert doc.text() == "cat dog cat\ncat\n"


async def test_quit_asks_about_unsaved_changes(pyfile):
    app = KiroApp([str(pyfile)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
    assert pyfile.read_bytes().startswith(b"adef f():")


async def test_binary_file_is_read_only_with_banner(tmp_path):
    path = tmp_path / "blob.bin"
    data = b"ab\x00cd\x01\n" * 10
    path.write_bytes(data)
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        banner = app.query_one("#banner")
        assert banner.has_class("-visible")
        assert "read-only" in str(banner.render())
        await pilot.press("x", "enter", "backspace")
        assert app.editor.state.document.to_bytes() == data
        assert "^@" in row_text(app.editor, 0)


async def test_a_directory_or_fifo_as_a_file_gets_a_message(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    app = KiroApp([str(tmp_path), str(fifo)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        messages = [n.message for n in app._notifications]
        assert any("is a directory" in m for m in messages), messages
        assert any("FIFO" in m for m in messages), messages


async def test_selection_copy_paste_and_indent(tmp_path):
    path = tmp_path / "s.py"
    path.write_text("one\ntwo\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("shift+down", "shift+end")
        assert app.editor.state.selected_text() == "one\ntwo"
        await pilot.press("tab")
        assert app.editor.state.document.text() == "    one\n    two\n"
        await pilot.press("shift+tab")
        assert app.editor.state.document.text() == "one\ntwo\n"
        await pilot.press("ctrl+c", "ctrl+end", "ctrl+v")
        assert app.editor.state.document.text() == "one\ntwo\none\ntwo"


async def test_mouse_click_places_the_cursor(tmp_path):
    path = tmp_path / "m.txt"
    path.write_text("hello world\nsecond line\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        gutter = app.editor.gutter_width
        await pilot.click(EditorView, offset=(gutter + 3, 1))
        assert app.editor.state.cursor == Pos(1, 3)


async def test_long_lines_scroll_horizontally_to_the_cursor(tmp_path):
    path = tmp_path / "wide.txt"
    path.write_text("start " + "x" * 300 + " END\nshort\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("end")
        await pilot.pause()
        assert app.editor.scroll_offset.x > 0
        assert "END" in row_text(app.editor, 0)
        await pilot.press("home")
        await pilot.pause()
        assert app.editor.scroll_offset.x == 0


async def test_a_very_long_line_is_windowed(tmp_path):
    path = tmp_path / "min.js"
    path.write_bytes(b"var a=1;" * 10_000 + b"TAIL\n")  # 80 KB on one line
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        assert row_text(app.editor, 0).startswith(" 1  var a=1;var a=1;")
        await pilot.press("end")
        await pilot.pause()
        assert "TAIL" in row_text(app.editor, 0)
        await pilot.press(*"Q!")
        assert app.editor.state.document.line_text(0).endswith("TAILQ!")
        assert "TAILQ!" in row_text(app.editor, 0)


async def test_a_large_file_opens_on_a_thread_worker(tmp_path):
    small = tmp_path / "small.txt"
    small.write_text("small\n")
    big = tmp_path / "big.txt"
    big.write_bytes(b"0123456789abcdef\n" * 100_000)  # 1.7 MB
    app = KiroApp([str(small)])
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(100):  # the engine starts after the first paint
            await pilot.pause(0.05)
            if app.bridge is not None and app.bridge.engine is not None:
                break
        app.open_path(str(big))
        assert app.current.path == str(small)  # not yet: it is being read
        for _ in range(200):
            await pilot.pause(0.05)
            if app.current.path == str(big):
                break
        assert app.current.state.document.line_count == 100_001
        assert app.bridge.engine.statistics().threads.completed >= 1
