"""The switches the benchmark ablates behave like the patterns they replace."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiro_proto import switches
from kiro_proto.core import Fenwick, TextBuffer
from kiro_proto.core._fenwick import LinearPrefix


@given(st.lists(st.integers(0, 50), max_size=40), st.data())
def test_linear_prefix_matches_fenwick(values, data) -> None:
    tree, walk = Fenwick(values), LinearPrefix(values)
    for _ in range(5):
        if values:
            i = data.draw(st.integers(0, len(values) - 1))
            d = data.draw(st.integers(0, 9))
            tree.add(i, d)
            walk.add(i, d)
        k = data.draw(st.integers(0, len(values)))
        assert walk.prefix(k) == tree.prefix(k)
        target = data.draw(st.integers(0, walk.total() + 3))
        assert walk.search(target) == tree.search(target)
    assert walk.total() == tree.total() and len(walk) == len(tree)


def test_buffer_without_line_index_gives_the_same_answers() -> None:
    data = b"".join(b"line %d\n" % i for i in range(20_000))
    saved = switches.SWITCHES
    try:
        switches.configure(switches.Switches.from_spec("line_index"))
        linear = TextBuffer.from_bytes(data)
        assert isinstance(linear._nl_tree, LinearPrefix)
    finally:
        switches.configure(saved)
    indexed = TextBuffer.from_bytes(data)
    for row in (0, 1, 9_999, 19_999, 20_000):
        assert linear.line_span(row) == indexed.line_span(row)
    linear.replace(100, 100, b"x\n")
    indexed.replace(100, 100, b"x\n")
    assert linear.line_span(15_000) == indexed.line_span(15_000)
    assert linear.to_bytes() == indexed.to_bytes()
