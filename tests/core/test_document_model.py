"""The document against a plain-string model.

The model is a ``str`` (UTF-8 decoded with ``surrogateescape``). Rows are the pieces of
``text.split("\\n")``; a ``\\r`` right before ``\\n`` belongs to the line ending, not to the
line's text. ``Pos`` columns are raw: they count the characters of a row before its
``\\n``, so a column may sit between ``\\r`` and ``\\n``; the cursor's largest column is the
length of the line's text. Byte offsets are lengths of encoded prefixes; points are
``(row, byte column)``.

Random sequences of replaces, typing runs, undo and redo are run against a Document (with
tiny buffer blocks) and every view, coordinate conversion and Edit field is compared with
what the model says.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import given
from hypothesis import strategies as st

from kiro_proto.core import BOM, Document, Edit, History, Point, Pos, Selection, decode, encode

from .support import FAST, SmallBuffer, TinyBuffer

# Undecodable bytes are represented by their surrogateescape characters. Only bytes that
# can never be part of valid UTF-8 (or lone continuation bytes, which nothing here can
# complete) are used, so a neighbouring insert never fuses them into a new character.
INVALID = ["\udcff", "\udc80", "\udcc0", "\udcfe"]
ALPHABET = ["a", "b", " ", "é", "中", "😀", "\n", "\r", "\r\n", "\t", "\x1b", "\x00", "\ufeff",
            *INVALID]
TYPED = ["a", "b", "é", "中", "\x1b", "\udcff", "x"]  # no whitespace: a typing run stays one step

text_st = st.lists(st.sampled_from(ALPHABET), max_size=20).map("".join)
initial_st = st.lists(st.sampled_from(ALPHABET), max_size=30).map("".join)
buffer_st = st.sampled_from([SmallBuffer, TinyBuffer])


@dataclass
class Model:
    text: str

    @property
    def data(self) -> bytes:
        return encode(self.text)

    def raw_lines(self) -> list[str]:
        return self.text.split("\n")

    @property
    def line_count(self) -> int:
        return self.text.count("\n") + 1

    def line_text(self, row: int) -> str:
        raw = self.raw_lines()[row]
        if raw.endswith("\r") and row + 1 < self.line_count:
            return raw[:-1]
        return raw

    def clamp_raw(self, pos: Pos) -> Pos:
        lines = self.raw_lines()
        row = min(max(pos.row, 0), len(lines) - 1)
        return Pos(row, min(max(pos.col, 0), len(lines[row])))

    def clamp_cursor(self, pos: Pos) -> Pos:
        row = min(max(pos.row, 0), self.line_count - 1)
        return Pos(row, min(max(pos.col, 0), len(self.line_text(row))))

    def char_offset(self, pos: Pos) -> int:
        pos = self.clamp_raw(pos)
        lines = self.raw_lines()
        return sum(len(line) + 1 for line in lines[: pos.row]) + pos.col

    def byte_offset(self, pos: Pos) -> int:
        return len(encode(self.text[: self.char_offset(pos)]))

    def point(self, pos: Pos) -> Point:
        pos = self.clamp_raw(pos)
        return Point(pos.row, len(encode(self.raw_lines()[pos.row][: pos.col])))

    def position_of(self, offset: int) -> Pos:
        data = self.data
        offset = min(max(offset, 0), len(data))
        row = data.count(b"\n", 0, offset)
        line_start = data.rfind(b"\n", 0, offset) + 1
        return Pos(row, len(decode(data[line_start:offset])))

    def expected_edit(self, start: Pos, end: Pos, text: str) -> tuple[dict, "Model"]:
        """The Edit fields a replace must produce, and the model after it."""
        s, e = sorted((self.clamp_raw(start), self.clamp_raw(end)))
        a, b = self.char_offset(s), self.char_offset(e)
        new_text = self.text[:a] + text + self.text[b:]
        new = encode(text)
        nl = text.count("\n")
        if nl:
            new_end = Pos(s.row + nl, len(text.rsplit("\n", 1)[1]))
            new_end_point = Point(s.row + nl, len(new.rsplit(b"\n", 1)[1]))
        else:
            new_end = Pos(s.row, s.col + len(text))
            new_end_point = Point(s.row, self.point(s).column + len(new))
        sb = self.byte_offset(s)
        fields = dict(
            start=s, old_end=e, new_end=new_end,
            start_byte=sb, old_end_byte=self.byte_offset(e), new_end_byte=sb + len(new),
            start_point=self.point(s), old_end_point=self.point(e), new_end_point=new_end_point,
            old_bytes=encode(self.text[a:b]), new_bytes=new,
        )
        return fields, Model(new_text)


def check_document(doc: Document, model: Model, bom: bytes, data) -> None:
    assert decode(encode(model.text)) == model.text  # the model never fuses bytes
    assert doc.text() == model.text
    assert doc.to_bytes() == bom + model.data
    assert doc.bom == bom
    assert len(doc) == len(model.data)
    assert doc.line_count == model.line_count
    lines = model.raw_lines()
    assert doc.lines(0, doc.line_count + 3) == [model.line_text(r) for r in range(len(lines))]
    for row in range(model.line_count):
        assert doc.line_text(row) == model.line_text(row)
        assert doc.line_length(row) == len(model.line_text(row))
        assert doc.raw_line_bytes(row) == encode(lines[row])
        ending = "" if row + 1 == len(lines) else ("\r\n" if lines[row].endswith("\r") else "\n")
        assert doc.line_ending(row) == encode(ending)
    last = model.line_count - 1
    assert doc.end() == Pos(last, len(model.line_text(last)))
    # every raw position of every row, plus a few out of range
    positions = [Pos(r, c) for r in range(len(lines)) for c in range(len(lines[r]) + 1)]
    positions += [Pos(-1, 3), Pos(0, -2), Pos(len(lines), 0), Pos(last, 99)]
    for pos in positions:
        raw = model.clamp_raw(pos)
        off = model.byte_offset(pos)
        assert doc.offset_of(pos) == off, pos
        assert doc.point_of(pos) == model.point(pos), pos
        assert doc.position_of(off) == raw, pos
        assert doc.clamp(pos) == model.clamp_cursor(pos), pos
    for offset in [-3, *range(len(model.data) + 1), len(model.data) + 5]:
        assert doc.position_of(offset) == model.position_of(offset), offset


def check_edit(edit: Edit, fields: dict, revision: int) -> None:
    for name, value in fields.items():
        assert getattr(edit, name) == value, name
    assert edit.revision == revision
    args = edit.tree_sitter_args()
    assert args["start_byte"] == fields["start_byte"]
    assert args["new_end_point"] == tuple(fields["new_end_point"])


def do_replace(doc: Document, model: Model, start: Pos, end: Pos, text: str) -> tuple[Edit, Model]:
    fields, after = model.expected_edit(start, end, text)
    edit = doc.replace(start, end, text)
    check_edit(edit, fields, doc.revision)
    assert doc.text() == after.text
    # the new end is where the inserted text ends in the new document
    assert doc.offset_of(edit.new_end) == edit.new_end_byte
    assert doc.point_of(edit.new_end) == edit.new_end_point
    assert edit.line_delta == edit.new_end.row - edit.old_end.row
    # the inverse restores the previous text, and the edit replays
    undone = doc.apply(edit.inverse())
    assert doc.text() == model.text
    assert undone.revision == doc.revision
    assert undone.new_bytes == edit.old_bytes
    redone = doc.apply(edit)
    assert doc.text() == after.text
    check_edit(redone, fields, doc.revision)
    return edit, after


@dataclass
class Step:
    before_text: str
    before_sel: Selection
    after_text: str
    after_sel: Selection


ops_st = st.sampled_from(["replace", "replace", "replace", "type", "type", "undo", "redo"])


@FAST
@given(buffer_st, initial_st, st.data())
def test_document_against_string_model(cls, initial: str, data) -> None:
    doc = Document(cls.from_bytes(encode(initial)))
    bom = BOM if initial.startswith("\ufeff") else b""
    model = Model(initial[1:] if bom else initial)
    original = doc.to_bytes()
    history = History(group_timeout=1.0)
    undo: list[Step] = []
    redo: list[Step] = []
    now = 0.0
    check_document(doc, model, bom, data)

    def draw_pos() -> Pos:
        lines = model.raw_lines()
        row = data.draw(st.integers(-1, len(lines)), label="row")
        width = len(lines[min(max(row, 0), len(lines) - 1)])
        return Pos(row, data.draw(st.integers(-1, width + 1), label="col"))

    for _ in range(data.draw(st.integers(1, 10), label="steps")):
        op = data.draw(ops_st, label="op")
        if op == "replace":
            start, end = draw_pos(), draw_pos()
            text = data.draw(text_st, label="text")
            now += 5.0
            before = Selection(start, end)
            edit, after = do_replace(doc, model, start, end, text)
            sel = Selection.at(edit.new_end)
            history.record(edit, kind="other", before=before, after=sel, now=now)
            undo.append(Step(model.text, before, after.text, sel))
            redo.clear()
            model = after
        elif op == "type":
            pos = model.clamp_raw(draw_pos())
            chars = data.draw(st.lists(st.sampled_from(TYPED), min_size=1, max_size=6), label="typed")
            now += 5.0
            before_text, before_sel = model.text, Selection.at(pos)
            for ch in chars:
                now += 0.1
                edit, model = do_replace(doc, model, pos, pos, ch)
                history.record(edit, kind="type", before=Selection.at(pos),
                               after=Selection.at(edit.new_end), now=now)
                pos = edit.new_end
            undo.append(Step(before_text, before_sel, model.text, Selection.at(pos)))
            redo.clear()
        elif op == "undo":
            result = history.undo(doc)
            if not undo:
                assert result is None
            else:
                step = undo.pop()
                redo.append(step)
                assert result is not None and result[0] == step.before_sel
                model = Model(step.before_text)
        else:
            result = history.redo(doc)
            if not redo:
                assert result is None
            else:
                step = redo.pop()
                undo.append(step)
                assert result is not None and result[0] == step.after_sel
                model = Model(step.after_text)
        assert history.can_undo == bool(undo)
        assert history.can_redo == bool(redo)
        check_document(doc, model, bom, data)

    final = doc.to_bytes()
    steps = len(undo)
    while history.can_undo:
        step = undo.pop()
        sel, _ = history.undo(doc)
        assert sel == step.before_sel
        assert doc.text() == step.before_text
    assert not undo
    assert doc.to_bytes() == original
    for _ in range(steps):
        history.redo(doc)
    assert doc.to_bytes() == final
    # steps undone earlier (still on the redo stack) replay on top, up to the oldest one
    while history.can_redo:
        history.redo(doc)
    assert doc.text() == (redo[0].after_text if redo else model.text)


def test_replace_accepts_positions_in_either_order_even_when_clamped() -> None:
    doc = Document(b"hello\nworld")
    # (-1, 4) sorts before (0, 2) but clamps to (0, 4): still a valid range [2, 4)
    edit = doc.replace(Pos(-1, 4), Pos(0, 2), "")
    assert doc.text() == "heo\nworld"
    assert (edit.start, edit.old_end) == (Pos(0, 2), Pos(0, 4))


def test_columns_between_cr_and_lf() -> None:
    doc = Document(b"ab\r\ncd")
    assert doc.line_text(0) == "ab"
    assert doc.line_length(0) == 2
    assert doc.offset_of(Pos(0, 3)) == 3  # raw column: between CR and LF
    assert doc.clamp(Pos(0, 3)) == Pos(0, 2)  # but the cursor stops before the CR
    edit = doc.insert(Pos(0, 3), "X")
    assert doc.to_bytes() == b"ab\rX\ncd"
    assert doc.line_text(0) == "ab\rX"
    assert edit.new_end == Pos(0, 4)
    # a lone CR at the very end is content, not a line ending
    doc = Document(b"x\r")
    assert doc.line_text(0) == "x\r"
    assert doc.line_ending(0) == b""


def test_multibyte_points() -> None:
    doc = Document("é中\n😀\udcffz".encode("utf-8", "surrogateescape"))
    assert doc.point_of(Pos(0, 2)) == Point(0, 5)
    assert doc.point_of(Pos(1, 2)) == Point(1, 5)
    edit = doc.replace(Pos(0, 1), Pos(1, 1), "中\n\udcc0")
    assert edit.start_point == Point(0, 2)
    assert edit.old_end_point == Point(1, 4)
    assert edit.new_end_point == Point(1, 1)
    assert edit.new_end == Pos(1, 1)
    assert doc.text() == "é中\n\udcc0\udcffz"
