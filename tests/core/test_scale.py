"""Scale sanity (no timing): a large document is a few hundred byte blocks, not one object
per line, and a small edit touches one block without re-indexing the rest."""

from __future__ import annotations

import math
import tracemalloc

import pytest

from kiro_proto.core import Document, Pos, TextBuffer


LINE = len(b"line 000000: the quick brown fox jumps\n")  # bytes per line


@pytest.fixture(scope="module")
def big() -> bytes:
    # ~150k lines, ~5 MB
    return b"".join(b"line %06d: the quick brown fox jumps\n" % i for i in range(150_000))


def test_large_document_is_a_few_hundred_blocks(big: bytes) -> None:
    assert 4_500_000 < len(big) < 6_500_000
    tracemalloc.start()
    try:
        buf = TextBuffer.from_bytes(big)
        retained, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert buf.block_count == math.ceil(len(big) / TextBuffer.BLOCK)
    assert 250 <= buf.block_count <= 400
    assert retained < 1.3 * len(big)  # one object per line would add several MB
    assert buf.line_count == 150_001
    doc = Document(buf)
    assert doc.line_text(75_000) == "line 075000: the quick brown fox jumps"
    assert doc.line_text(149_999).startswith("line 149999")
    assert doc.line_text(150_000) == ""


def test_insert_in_the_middle_touches_one_block(big: bytes) -> None:
    doc = Document(TextBuffer.from_bytes(big))
    buf = doc.buffer
    before_ids = [id(b) for b in buf.blocks()]
    rebuilds = buf.rebuilds
    edit = doc.insert(Pos(75_000, 5), "inserted\n")
    assert buf.rebuilds == rebuilds
    after_ids = [id(b) for b in buf.blocks()]
    assert len(after_ids) == len(before_ids)
    assert sum(a != b for a, b in zip(before_ids, after_ids)) == 1
    assert doc.line_count == 150_002
    assert doc.line_text(75_000) == "line inserted"
    assert doc.line_text(75_001) == "075000: the quick brown fox jumps"
    assert doc.line_text(150_001) == ""
    assert edit.start_byte == 75_000 * LINE + 5
    # undoing it is the same in-block edit
    doc.apply(edit.inverse())
    assert buf.rebuilds == rebuilds
    assert doc.to_bytes() == big


def test_newline_cache_stays_bounded(big: bytes) -> None:
    buf = TextBuffer.from_bytes(big)
    for row in range(0, 150_000, 97):
        buf.line_start(row)
    assert len(buf._nl_cache) <= TextBuffer.NL_CACHE
    assert buf.line_start(149_999) == 149_999 * LINE
