"""The safety net through Textual's Pilot: failed saves keep the buffer modified, journals
appear and disappear, recovery is offered on start, changes on disk are noticed."""

from __future__ import annotations

import errno
import os

from kiro_proto.core import DiskStamp, Document, EditorState, Pos, stat_stamp
from kiro_proto.engine.journal import Journal, Owner, journal_directory, replay, scan_journals
from kiro_proto.ui import KiroApp
from kiro_proto.ui._safety_dialogs import ConfirmOverwriteScreen, DiffScreen, RecoveryScreen

from .test_workspace_pilot import wait_for

SIZE = (100, 30)


def notes(app) -> str:
    return " | ".join(n.message for n in app._notifications)


def orphan_journal(path, original: bytes, typed: str, *, owner: Owner | None = None) -> str:
    """A journal as left by an editor (long gone) that typed ``typed`` at the file's start."""
    stamp = stat_stamp(str(path))
    import hashlib

    stamp = DiskStamp(stamp.inode, stamp.size, stamp.mtime_ns, hashlib.sha256(original).hexdigest())
    state = EditorState(Document(original))
    owner = owner or Owner(2 ** 22 + 5, os.uname().nodename, 1.0)  # a pid no process has
    journal = Journal(journal_directory(), str(path), stamp, owner=owner)
    for ch in typed:
        journal.record(state.document, state.insert_text(ch))
    journal.close()
    return journal.file


async def test_a_failed_save_keeps_the_buffer_modified(tmp_path, monkeypatch):
    path = tmp_path / "a.txt"
    path.write_bytes(b"before\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("x")
        real = os.replace
        monkeypatch.setattr(os, "replace", lambda *a: (_ for _ in ()).throw(
            OSError(errno.ENOSPC, "No space left on device")))
        await pilot.press("ctrl+s")
        monkeypatch.setattr(os, "replace", real)
        assert app.current.state.modified
        assert "could not replace the original" in notes(app)
        assert "no space left" in notes(app)
        assert path.read_bytes() == b"before\n"
        assert sorted(os.listdir(tmp_path)) == ["a.txt"]


async def test_edits_reach_the_journal_within_a_second_and_a_save_removes_it(tmp_path):
    path = tmp_path / "j.txt"
    path.write_bytes(b"hello\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press(*"abc")
        await pilot.pause(1.0)
        found = scan_journals()
        assert len(found) == 1 and found[0].alive
        assert replay(found[0].file).data == b"abchello\n"
        await pilot.press("ctrl+s")
        assert scan_journals() == []
        await pilot.press("ctrl+z")  # modified again (away from the saved state)
        await pilot.pause(1.0)
        assert replay(scan_journals()[0].file).data == app.current.state.document.to_bytes()
        await pilot.press("ctrl+y")  # back to the saved text: the journal goes
        await pilot.pause(1.0)
        assert scan_journals() == []


async def test_quitting_keeps_the_journal_of_a_modified_buffer_unless_discarded(tmp_path):
    path = tmp_path / "q.txt"
    path.write_bytes(b"q\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("z")
    assert len(scan_journals()) == 1  # exited without asking (as after SIGTERM): kept
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("escape")  # "later" on the recovery offer
        await pilot.press("w", "ctrl+q")
        await pilot.pause(0.1)
        await pilot.press("d")
    assert len(scan_journals()) == 1  # the older orphan is still there, ours is gone


async def test_recovery_is_offered_and_restores_the_text(tmp_path):
    path = tmp_path / "r.txt"
    path.write_bytes(b"world\n")
    file = orphan_journal(path, b"world\n", "hello ")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("d")
        assert isinstance(app.screen, DiffScreen)
        diff = str(app.screen.query_one("#diff-text").render())
        assert "+hello world" in diff and "-world" in diff
        await pilot.press("escape")
        assert isinstance(app.screen, RecoveryScreen)
        await pilot.press("r")
        state = app.current.state
        assert state.document.to_bytes() == b"hello world\n"
        assert state.modified
        assert not os.path.exists(file)
        await pilot.press("ctrl+z")  # the recovery is one undo step
        assert state.document.to_bytes() == b"world\n"


async def test_recovery_goes_to_a_new_buffer_when_the_file_changed(tmp_path):
    path = tmp_path / "c.txt"
    path.write_bytes(b"world\n")
    orphan_journal(path, b"world\n", "hi ")
    path.write_bytes(b"someone else wrote this\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert isinstance(app.screen, RecoveryScreen)
        assert "changed on disk" in str(app.screen.query_one("#recovery-message").render())
        await pilot.press("r")
        assert app.current.path is None
        assert app.current.state.document.to_bytes() == b"hi world\n"
        assert path.read_bytes() == b"someone else wrote this\n"


async def test_discard_removes_the_journal(tmp_path):
    path = tmp_path / "x.txt"
    path.write_bytes(b"x\n")
    file = orphan_journal(path, b"x\n", "y")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        await pilot.press("x")
        assert not os.path.exists(file)
        assert app.current.state.document.to_bytes() == b"x\n"


async def test_a_damaged_journal_recovers_its_prefix_and_says_so(tmp_path):
    path = tmp_path / "d.txt"
    path.write_bytes(b"d\n")
    file = orphan_journal(path, b"d\n", "abcdef")
    raw = open(file, "rb").read()
    open(file, "wb").write(raw[:-5])  # the last record is torn
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert "damaged" in str(app.screen.query_one("#recovery-message").render())
        await pilot.press("r")
        assert app.current.state.document.to_bytes() == b"abcded\n"


async def test_a_journal_of_a_running_editor_gives_a_warning(tmp_path):
    path = tmp_path / "live.txt"
    path.write_bytes(b"live\n")
    orphan_journal(path, b"live\n", "z", owner=Owner.current())  # a running owner
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.2)
        assert not isinstance(app.screen, RecoveryScreen)
        assert "also being edited" in notes(app)


async def test_a_clean_buffer_reloads_and_keeps_the_cursor(tmp_path):
    path = tmp_path / "e.txt"
    path.write_bytes(b"line one\nline two\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "right", "right")
        path.write_bytes(b"LINE ONE\nLINE TWO changed\nthree\n")
        await pilot.pause(1.3)
        state = app.current.state
        assert state.document.to_bytes() == b"LINE ONE\nLINE TWO changed\nthree\n"
        assert state.cursor == Pos(1, 2)
        assert not state.modified


async def test_a_modified_buffer_is_not_reloaded_and_saving_asks(tmp_path):
    path = tmp_path / "m.txt"
    path.write_bytes(b"mine\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("!")
        path.write_bytes(b"theirs\n")
        await pilot.pause(1.3)
        assert "changed on disk" in notes(app)
        assert app.current.state.document.to_bytes() == b"!mine\n"
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmOverwriteScreen)
        await pilot.press("n")
        assert path.read_bytes() == b"theirs\n"
        await pilot.press("ctrl+s")
        await pilot.press("y")
        assert path.read_bytes() == b"!mine\n"
        assert not app.current.state.modified


async def test_touch_without_a_content_change_is_not_a_change(tmp_path):
    path = tmp_path / "t.txt"
    path.write_bytes(b"same\n")
    app = KiroApp([str(path)])
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("+")
        os.utime(path, ns=(1, 1))
        await pilot.pause(1.3)
        assert "changed on disk" not in notes(app)
        await pilot.press("ctrl+s")
        assert path.read_bytes() == b"+same\n"


async def test_file_names_in_the_tree_are_sanitised(tmp_path):
    (tmp_path / "evil\x1b]0;T\x07.txt").write_bytes(b"x")
    app = KiroApp([], workspace=str(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause(0.3)
        tree = app.query_one("#sidebar")
        labels = [str(node.label) for node in tree.root.children]
        assert any("^[]0;T^G" in label for label in labels), labels
        for y in range(tree.size.height):
            for segment in tree.render_line(y):
                assert "\x1b" not in segment.text and "\x07" not in segment.text


async def test_resizing_repaints_the_tree_from_its_width_keyed_rows(tmp_path, monkeypatch):
    """A resize only repaints the sidebar's tree (its rows are cached by width); Textual's
    Tree dropped every row and laid the screen out again. The rows still follow the new
    size: a taller window shows more of them."""
    from textual.widgets import Tree

    dropped = []  # Textual's own handler: drops every cached row, lays the screen out
    monkeypatch.setattr(Tree, "_on_resize", lambda self, event: dropped.append(event.size))
    for i in range(40):
        (tmp_path / f"file_{i:02d}.txt").write_bytes(b"x")
    app = KiroApp([], workspace=str(tmp_path))
    async with app.run_test(size=(100, 20)) as pilot:
        tree = app.query_one("#sidebar")
        await wait_for(pilot, lambda: len(tree.root.children) == 40)
        await pilot.pause(0.2)

        def rows():
            return ["".join(s.text for s in tree.render_line(y)).strip()
                    for y in range(tree.size.height)]

        before = rows()
        await pilot.resize_terminal(120, 36)
        await wait_for(pilot, lambda: tree.size.height > len(before))
        await pilot.pause(0.1)
        after = rows()
        assert dropped == []
        assert after[: len(before)] == before
        assert any("file_30.txt" in row for row in after)  # newly visible rows drawn
        assert not any("file_30.txt" in row for row in before)
