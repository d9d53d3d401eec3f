"""Word motions and indentation guesses."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiro_proto.core import Document, Pos, indent_unit, leading_indent, word_left, word_right

from .support import FAST


def doc(text: str) -> Document:
    return Document(text.encode())


def walk(d: Document, pos: Pos, motion) -> list[Pos]:
    out = []
    while True:
        nxt = motion(d, pos)
        if nxt == pos:
            return out
        out.append(nxt)
        pos = nxt


def test_word_right_stops_at_word_ends() -> None:
    d = doc("foo_bar  +=  baz9\nnext")
    assert walk(d, Pos(0, 0), word_right) == [
        Pos(0, 7), Pos(0, 11), Pos(0, 17), Pos(1, 0), Pos(1, 4)]


def test_word_left_stops_at_word_starts() -> None:
    d = doc("foo_bar  +=  baz9\nnext")
    assert walk(d, Pos(1, 4), word_left) == [
        Pos(1, 0), Pos(0, 17), Pos(0, 13), Pos(0, 9), Pos(0, 0)]


def test_words_with_unicode_and_crlf() -> None:
    d = Document("héllo 中文, ok\r\nx".encode())
    assert word_right(d, Pos(0, 0)) == Pos(0, 5)
    assert word_right(d, Pos(0, 5)) == Pos(0, 8)
    assert word_right(d, Pos(0, 8)) == Pos(0, 9)  # punctuation is its own class
    assert word_right(d, Pos(0, 12)) == Pos(1, 0)  # the CR is not a stop
    assert word_left(d, Pos(1, 0)) == Pos(0, 12)
    assert word_left(d, Pos(0, 99)) == Pos(0, 10)  # a column past the end is clamped first


def test_document_edges() -> None:
    d = doc("ab")
    assert word_left(d, Pos(0, 0)) == Pos(0, 0)
    assert word_right(d, Pos(0, 2)) == Pos(0, 2)
    assert word_right(doc(""), Pos(0, 0)) == Pos(0, 0)


@FAST
@given(st.text(st.sampled_from("ab _.+é中\t\n"), max_size=30), st.data())
def test_motions_move_monotonically_to_valid_positions(text: str, data) -> None:
    d = doc(text)
    row = data.draw(st.integers(0, d.line_count - 1))
    pos = Pos(row, data.draw(st.integers(0, d.line_length(row))))
    right, left = word_right(d, pos), word_left(d, pos)
    assert d.clamp(right) == right and d.clamp(left) == left
    assert right > pos or pos == d.end()
    assert left < pos or pos == Pos(0, 0)


def test_leading_indent() -> None:
    assert leading_indent("  \t x") == "  \t "
    assert leading_indent("x  ") == ""
    assert leading_indent("   ") == "   "


def test_indent_unit() -> None:
    assert indent_unit(doc("def f():\n    return 1\n")) == "    "
    assert indent_unit(doc("a:\n  b:\n    c\n  d\n")) == "  "
    assert indent_unit(doc("x\n\ty\n")) == "\t"
    assert indent_unit(doc("x\n        y\n")) == " " * 8
    assert indent_unit(doc("x\n    y\n        z\n")) == "    "
    assert indent_unit(doc("no indentation at all")) == "    "
    assert indent_unit(doc("x\n   y\n"), default="\t") == "\t"  # 3 spaces: no guess
    assert indent_unit(doc("x\n  y\n\tz\n")) == "\t"
