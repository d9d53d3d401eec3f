"""The ``batching`` switch: with it off, highlight captures come from a node-by-node walk
(one query call per node) and every buffer event goes to the plugin host in its own frame;
the answers are the same."""

from __future__ import annotations

import pytest

from bench.gen import generate_python
from kiro_proto import switches
from kiro_proto.core import Document, Pos, TextBuffer
from kiro_proto.engine import ApplyEdit, OpenDocument, grammar_for
from kiro_proto.engine._parsing import DocumentParse
from kiro_proto.engine.plugins import LoadPlugins, PluginOutputs

from ..engine.test_grammars import SNIPPETS
from ..plugins.test_service import manifests, run_trio


def _spans_both_ways(language: str, source: bytes, windows) -> list[tuple]:
    parse = DocumentParse(grammar_for(language))
    parse.begin(TextBuffer.from_bytes(source), 0)
    assert parse.step(None)
    saved = switches.SWITCHES
    out = []
    try:
        for first, last in windows:
            switches.configure(switches.Switches())
            batched = parse.highlight(first, last)
            assert parse.last_query_calls == 1
            switches.configure(switches.Switches.from_spec("batching"))
            walked = parse.highlight(first, last)
            out.append((batched, walked, parse.last_query_calls))
    finally:
        switches.configure(saved)
    return out


@pytest.mark.parametrize("language", sorted(SNIPPETS))
def test_node_walk_gives_the_range_query_spans(language):
    source = SNIPPETS[language] * 20
    rows = source.count(b"\n")
    windows = [(0, rows), (1, 3), (rows // 2, rows // 2 + 5), (rows - 2, rows)]
    for batched, walked, calls in _spans_both_ways(language, source, windows):
        assert walked == batched
        assert calls > 1


def test_node_walk_on_a_generated_python_file():
    source = generate_python(200_000, seed=3)
    rows = source.count(b"\n")
    windows = [(0, 40), (rows // 3, rows // 3 + 60), (rows - 50, rows + 10)]
    windows += [(r, r + 1) for r in range(0, rows, rows // 25)]  # single rows
    results = _spans_both_ways("Python", source, windows)
    for batched, walked, calls in results:
        assert walked == batched
    for batched, _, calls in results[:3]:
        assert sum(map(len, batched)) > 20
        assert calls > 40  # a query call for each node in the window, not one in all


def test_unbatched_plugin_service_sends_a_frame_per_edit(tmp_path):
    async def test(h):
        doc = Document(b"x = 1\n")
        h.service.observe(OpenDocument(1, doc, "Python"))
        await h.send.send(LoadPlugins(manifests("onlang"), None))
        await h.wait_for(lambda e: isinstance(e, PluginOutputs) and
                         ("onlang", "status", ["onlang", "Python 6 bytes rev 0"]) in
                         [tuple(i) for i in e.items])
        frames = h.service.frames_sent
        for _ in range(30):
            h.service.observe(ApplyEdit(1, doc.insert(doc.clamp(Pos(0, 0)), "#")))
        await h.wait_for(lambda e: isinstance(e, PluginOutputs) and any(
            i[2] == ["onlang", "Python 36 bytes rev 30"] for i in e.items))
        assert h.service.frames_sent - frames == 30
        # The host heard every edit, one frame each: a "changed" per edit, in order.
        revs = [i[2][1] for e in h.events if isinstance(e, PluginOutputs) for i in e.items
                if i[0] == "onlang" and i[1] == "status"]
        assert revs[-30:] == [f"Python {6 + n} bytes rev {n}" for n in range(1, 31)]

    saved = switches.SWITCHES
    switches.configure(switches.Switches.from_spec("batching"))
    try:
        run_trio(test, tmp_path)
    finally:
        switches.configure(saved)
