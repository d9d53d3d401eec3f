"""Undo grouping: typing, backspace and delete runs become one step; pauses, newlines,
a space after a word and other kinds of edit split them."""

from __future__ import annotations

from kiro_proto.core import Document, History, Pos, Selection


class Session:
    """A document, a history and a cursor, driven like an editor with explicit time."""

    def __init__(self, text: str = "", timeout: float = 1.0) -> None:
        self.doc = Document(text.encode())
        self.history = History(group_timeout=timeout)
        self.cursor = self.doc.end()

    def type(self, text: str, now: float) -> None:
        for ch in text:
            before = Selection.at(self.cursor)
            edit = self.doc.insert(self.cursor, ch)
            self.cursor = edit.new_end
            self.history.record(edit, kind="type", before=before, after=Selection.at(self.cursor),
                                now=now)

    def backspace(self, now: float) -> None:
        before = Selection.at(self.cursor)
        prev = Pos(self.cursor.row, self.cursor.col - 1)
        edit = self.doc.replace(prev, self.cursor, "")
        self.cursor = edit.start
        self.history.record(edit, kind="backspace", before=before, after=Selection.at(self.cursor),
                            now=now)

    def delete(self, now: float) -> None:
        before = Selection.at(self.cursor)
        edit = self.doc.replace(self.cursor, Pos(self.cursor.row, self.cursor.col + 1), "")
        self.history.record(edit, kind="delete", before=before, after=Selection.at(self.cursor),
                            now=now)

    def undo(self) -> Selection | None:
        result = self.history.undo(self.doc)
        return None if result is None else result[0]

    @property
    def text(self) -> str:
        return self.doc.text()


def test_typing_run_is_one_step() -> None:
    s = Session()
    s.type("hello", now=0.0)
    assert s.text == "hello"
    assert s.undo() == Selection.at(Pos(0, 0))
    assert s.text == ""
    assert not s.history.can_undo


def test_pause_longer_than_timeout_splits() -> None:
    s = Session(timeout=1.0)
    s.type("ab", now=0.0)
    s.type("cd", now=0.9)  # within the timeout: same step
    s.type("ef", now=2.5)  # 1.6 s after the last key: new step
    s.undo()
    assert s.text == "abcd"
    s.undo()
    assert s.text == ""


def test_newline_splits() -> None:
    s = Session()
    s.type("ab", now=0.0)
    s.type("\n", now=0.1)
    s.type("cd", now=0.2)
    assert s.text == "ab\ncd"
    # like a space after a word, the newline closes the word's step and opens the next one
    s.undo()
    assert s.text == "ab"
    s.undo()
    assert s.text == ""
    # an edit that holds a newline never joins the step before it
    s = Session()
    s.type("ab", now=0.0)
    s.type("\n", now=0.1)
    s.undo()
    assert s.text == "ab"


def test_space_after_word_splits() -> None:
    s = Session()
    s.type("one two", now=0.0)
    s.undo()
    assert s.text == "one"
    s.undo()
    assert s.text == ""


def test_backspace_run_groups() -> None:
    s = Session("abcdef")
    s.type("", now=0.0)
    for i in range(3):
        s.backspace(now=10.0 + i * 0.1)
    assert s.text == "abc"
    assert s.undo() == Selection.at(Pos(0, 6))
    assert s.text == "abcdef"
    assert not s.history.can_undo


def test_delete_run_groups() -> None:
    s = Session("abcdef")
    s.cursor = Pos(0, 1)
    for i in range(3):
        s.delete(now=i * 0.1)
    assert s.text == "aef"
    s.undo()
    assert s.text == "abcdef"
    assert not s.history.can_undo


def test_kinds_do_not_mix() -> None:
    s = Session()
    s.type("abc", now=0.0)
    s.backspace(now=0.1)
    s.type("x", now=0.2)
    assert s.text == "abx"
    s.undo()
    assert s.text == "ab"
    s.undo()
    assert s.text == "abc"
    s.undo()
    assert s.text == ""


def test_typing_elsewhere_splits() -> None:
    s = Session("0123")
    s.cursor = Pos(0, 4)
    s.type("a", now=0.0)
    s.cursor = Pos(0, 0)
    s.type("b", now=0.1)
    assert s.text == "b0123a"
    s.undo()
    assert s.text == "0123a"


def test_close_group_splits() -> None:
    s = Session()
    s.type("ab", now=0.0)
    s.history.close_group()
    s.type("cd", now=0.1)
    s.undo()
    assert s.text == "ab"


def test_undo_restores_selection_and_redo_the_after_selection() -> None:
    doc = Document(b"hello world")
    history = History()
    before = Selection(Pos(0, 0), Pos(0, 5))
    edit = doc.replace(before.anchor, before.cursor, "bye")
    after = Selection.at(edit.new_end)
    history.record(edit, kind="other", before=before, after=after, now=0.0)
    sel, applied = history.undo(doc)
    assert sel == before
    assert doc.text() == "hello world"
    assert [e.new_bytes for e in applied] == [b"hello"]
    sel, applied = history.redo(doc)
    assert sel == after
    assert doc.text() == "bye world"


def test_new_edit_clears_redo() -> None:
    s = Session()
    s.type("abc", now=0.0)
    s.undo()
    assert s.history.can_redo
    s.type("x", now=5.0)
    assert not s.history.can_redo
    assert s.history.redo(s.doc) is None
    assert s.text == "x"


def test_other_edits_never_group_and_multi_edit_steps_undo_together() -> None:
    doc = Document(b"a\nb\nc")
    history = History()
    sel = Selection.at(Pos(0, 0))
    edits = [doc.insert(Pos(r, 0), "# ") for r in range(3)]
    history.record(edits, kind="indent", before=sel, after=sel, now=0.0)
    history.record(doc.insert(Pos(0, 0), "x"), kind="other", before=sel, after=sel, now=0.0)
    history.record(doc.insert(Pos(0, 0), "y"), kind="other", before=sel, after=sel, now=0.0)
    assert doc.text() == "yx# a\n# b\n# c"
    history.undo(doc)
    history.undo(doc)
    assert doc.text() == "# a\n# b\n# c"
    history.undo(doc)
    assert doc.text() == "a\nb\nc"
    history.redo(doc)
    assert doc.text() == "# a\n# b\n# c"
    history.record([], kind="other", before=sel, after=sel, now=0.0)  # nothing: no step
    assert history.can_redo


def test_marker_tracks_the_saved_state() -> None:
    s = Session()
    clean = s.history.marker()
    s.type("ab", now=0.0)
    dirty = s.history.marker()
    assert dirty is not clean
    s.undo()
    assert s.history.marker() is clean
    s.history.redo(s.doc)
    assert s.history.marker() is dirty


def test_limit_drops_oldest_steps() -> None:
    doc = Document(b"")
    history = History(limit=3)
    sel = Selection.at(Pos(0, 0))
    for i in range(5):
        history.record(doc.insert(doc.end(), str(i)), kind="other", before=sel, after=sel, now=i)
    undone = 0
    while history.undo(doc):
        undone += 1
    assert undone == 3
    assert doc.text() == "01"


def test_undo_on_empty_history() -> None:
    history = History()
    doc = Document(b"x")
    assert history.undo(doc) is None and history.redo(doc) is None
