"""TextBuffer against a plain ``bytes`` model, with tiny blocks so that splitting,
multi-block replaces, empty blocks and block edges all happen in small examples."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiro_proto.core import TextBuffer

from .support import FAST, SmallBuffer, TinyBuffer

ALPHABET = [b"a", b"b", b"\n", b"\r", b"\r\n", b"\xc3\xa9", b"\xe4\xb8\xad", b"\xff", b"\x00"]
chunk_st = st.lists(st.sampled_from(ALPHABET), max_size=12).map(b"".join)
big_chunk_st = st.lists(st.sampled_from(ALPHABET), max_size=60).map(b"".join)
buffer_cls_st = st.sampled_from([SmallBuffer, TinyBuffer, TextBuffer])


def check(buf: TextBuffer, model: bytes) -> None:
    blocks = list(buf.blocks())
    assert blocks, "there is always at least one block"
    assert all(len(b) <= buf.MAX_BLOCK for b in blocks)
    assert buf.block_count == len(blocks)
    assert buf.to_bytes() == model
    assert len(buf) == len(model)
    assert buf.newline_count == model.count(b"\n")
    assert buf.line_count == model.count(b"\n") + 1
    assert buf.count(b"\r\n") == model.count(b"\r\n")
    assert buf.count(b"\n") == model.count(b"\n")
    # rows
    starts = [0] + [i + 1 for i, c in enumerate(model) if c == 0x0A]
    for row, start in enumerate(starts):
        assert buf.line_start(row) == start
        end = starts[row + 1] - 1 if row + 1 < len(starts) else len(model)
        assert buf.line_span(row) == (start, end)
    newlines = [i for i, c in enumerate(model) if c == 0x0A]
    for n, off in enumerate(newlines):
        assert buf.newline_offset(n) == off
    with pytest.raises(IndexError):
        buf.newline_offset(len(newlines))
    for offset in range(len(model) + 1):
        assert buf.row_of(offset) == model.count(b"\n", 0, offset)
    # slices: every (a, b) for short models, a sample for longer ones
    n = len(model)
    pairs = ([(a, b) for a in range(n + 1) for b in range(a, n + 1)] if n <= 24
             else [(a, min(n, a + w)) for a in range(0, n + 1, 3) for w in (0, 1, 7, 17, 40)])
    for a, b in pairs:
        assert buf.slice(a, b) == model[a:b]
    assert buf.slice(5, 2) == b""


@FAST
@given(buffer_cls_st, big_chunk_st, st.data())
def test_replace_sequences_match_bytes_model(cls, initial: bytes, data) -> None:
    buf = cls.from_bytes(initial)
    model = initial
    check(buf, model)
    for _ in range(data.draw(st.integers(1, 12), label="steps")):
        a = data.draw(st.integers(0, len(model)), label="start")
        b = data.draw(st.integers(a, len(model)), label="end")
        new = data.draw(st.one_of(chunk_st, big_chunk_st), label="data")
        buf.replace(a, b, new)
        model = model[:a] + new + model[b:]
        check(buf, model)


@FAST
@given(buffer_cls_st, big_chunk_st)
def test_from_stream_equals_from_bytes(cls, data: bytes) -> None:
    a = cls.from_bytes(data)
    b = cls.from_stream(io.BytesIO(data))
    assert list(a.blocks()) == list(b.blocks()) or a.to_bytes() == b.to_bytes()
    check(b, data)


def test_crlf_straddling_block_edges_is_counted() -> None:
    data = b"abcdefg\r\nabcdef\r\n\r\n"  # first CRLF straddles the 8-byte edge
    buf = SmallBuffer.from_bytes(data)
    assert list(buf.blocks())[0].endswith(b"\r")
    assert buf.count(b"\r\n") == 3
    # an empty block between the halves must not hide the pair
    buf = SmallBuffer([b"x\r", b"", b"\ny"])
    assert buf.count(b"\r\n") == 1
    assert buf.count(b"\n") == 1


def test_empty_blocks_after_deletes() -> None:
    buf = SmallBuffer.from_bytes(b"0123456\n89abcdef\nghij")
    buf.replace(8, 16, b"")  # empties the second block in place
    model = b"0123456\n\nghij"
    check(buf, model)
    buf.replace(8, 8, b"XY")  # insert at the empty block's position
    model = model[:8] + b"XY" + model[8:]
    check(buf, model)
    buf.replace(0, len(model), b"")
    check(buf, b"")
    buf.replace(0, 0, b"\n\n")
    check(buf, b"\n\n")


def test_empty_buffer() -> None:
    buf = TextBuffer()
    check(buf, b"")
    assert buf.block_count == 1
    assert buf.line_span(0) == (0, 0)
    assert buf.row_of(0) == 0


def test_bad_arguments() -> None:
    buf = SmallBuffer.from_bytes(b"hello\nworld")
    with pytest.raises(ValueError):
        buf.replace(4, 2, b"")
    with pytest.raises(IndexError):
        buf.replace(0, 99, b"")
    with pytest.raises(IndexError):
        buf.row_of(-1)
    with pytest.raises(IndexError):
        buf.row_of(12)


def test_newline_cache_carries_over_in_block_edits() -> None:
    # Look at a block (caching its newline offsets), then edit inside it: the carried-over
    # offsets must equal a fresh scan.
    data = b"a\nb\nc\nd\ne\nf\n" * 3
    buf = TextBuffer.from_bytes(data)
    model = data
    for _ in range(3):
        starts = [0] + [i + 1 for i, c in enumerate(model) if c == 0x0A]
        assert buf.line_start(4) == starts[4]
        buf.replace(3, 5, b"\n\nxx\n")
        model = model[:3] + b"\n\nxx\n" + model[5:]
        check(buf, model)


def test_chunks_join_to_the_text_in_whole_blocks() -> None:
    from kiro_proto.core import TextBuffer

    data = bytes(range(256)) * 2000  # 512 KB, ~32 blocks
    buf = TextBuffer.from_bytes(data)
    pieces = list(buf.chunks(100_000))
    assert b"".join(pieces) == data
    assert len(pieces) > 1 and all(len(p) >= 100_000 for p in pieces[:-1])
    assert list(TextBuffer.from_bytes(b"").chunks()) == [b""]
