"""The native, compact and tree_limit switches give the same answers as the patterns they
replace (docs/patterns/01, 02 and 09)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from array import array

from kiro_proto import switches
from kiro_proto.core import TextBuffer
from kiro_proto.engine import _msgpack, gets_tree, MAX_TREE_SITTER_BYTES
from kiro_proto.engine._cachefile import decode, encode
from kiro_proto.engine._frames import pack_frame, unpack_payload
from kiro_proto.engine.journal._format import decode_records, encode_record


def _with(spec: str, fn):
    saved = switches.SWITCHES
    try:
        switches.configure(switches.Switches.from_spec(spec))
        return fn()
    finally:
        switches.configure(saved)


MESSAGE = [0, 7, "open", {"text": b"x\n" * 1000, "rows": list(range(300)), "name": "é"}]


def test_msgpack_fallback_writes_and_reads_the_same_bytes() -> None:
    c_frame = pack_frame(MESSAGE)
    py_frame = _with("native", lambda: pack_frame(MESSAGE))
    assert _msgpack.implementation() == "C"
    assert _with("native", _msgpack.implementation) == "Python"
    assert py_frame == c_frame
    assert _with("native", lambda: unpack_payload(c_frame[4:])) == unpack_payload(c_frame[4:])
    record = {"t": "edit", "rev": 3, "data": b"abc"}
    assert _with("native", lambda: encode_record(record)) == encode_record(record)
    blob = encode([(1, MESSAGE)])
    assert _with("native", lambda: encode([(1, MESSAGE)]))[:8] == blob[:8]
    c_read = decode(blob, frozenset({1}))
    py_read = _with("native", lambda: decode(blob, frozenset({1})))
    assert py_read.status == c_read.status == "ok"
    assert py_read.entries[0].payload == c_read.entries[0].payload
    data = b"KIROJNL1" + encode_record(record)
    assert _with("native", lambda: decode_records(data)) == decode_records(data)


def test_newline_offsets_as_lists_give_the_same_lines() -> None:
    data = b"".join(b"line %d\n" % i for i in range(5_000))
    compact = TextBuffer.from_bytes(data)
    plain = _with("compact", lambda: TextBuffer.from_bytes(data))
    rows = (0, 1, 2_500, 4_999, 5_000)
    spans = [compact.line_span(r) for r in rows]
    assert _with("compact", lambda: [plain.line_span(r) for r in rows]) == spans
    assert isinstance(compact._block_newlines(0), array)
    assert isinstance(_with("compact", lambda: plain._block_newlines(1)), list)
    for buf in (compact, plain):  # an in-block edit carries the offsets over
        _with("" if buf is compact else "compact", lambda: buf.replace(100, 100, b"x\ny\n"))
    assert _with("compact", lambda: plain.line_span(4_000)) == compact.line_span(4_000)
    assert plain.to_bytes() == compact.to_bytes()


def test_theme_styles_are_shared_only_when_compact() -> None:
    from kiro_proto.ui._theme import SyntaxTheme

    shared, fresh = SyntaxTheme(), SyntaxTheme()
    assert shared.style("Keyword") is shared.style("Keyword")
    a, b = _with("compact", lambda: (fresh.style("Keyword"), fresh.style("Keyword")))
    assert a is not b and a == b == shared.style("Keyword")


def test_row_decor_without_slots_is_equal_and_hashes_alike() -> None:
    probe = ("import json; from kiro_proto.ui._render import RowDecor;"
             "d = RowDecor(cursor=3, spans=((0, 2, 'Keyword'),));"
             "print(json.dumps([hasattr(d, '__dict__'), hash(d) == hash(RowDecor(3, spans="
             "((0, 2, 'Keyword'),))), d == RowDecor(3, None, None, ((0, 2, 'Keyword'),))]))")
    out = {}
    for spec in ("", "compact"):
        proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                              env=dict(os.environ, KIRO_ABLATE=spec), check=True)
        out[spec] = json.loads(proc.stdout)
    assert out[""] == [False, True, True]
    assert out["compact"] == [True, True, True]


def test_tree_limit_off_parses_any_size() -> None:
    big = MAX_TREE_SITTER_BYTES + 1
    assert gets_tree(MAX_TREE_SITTER_BYTES) and not gets_tree(big)
    assert _with("tree_limit", lambda: gets_tree(big))
