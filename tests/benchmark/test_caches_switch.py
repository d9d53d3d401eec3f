"""The ``caches`` switch: with it off the in-memory LRU caches keep nothing (every look-up
misses) and the answers they memoise are the same."""

from __future__ import annotations

import random

from kiro_proto import switches
from kiro_proto.core import LRU, FuzzyIndex, TextBuffer


def caches_off():
    class Off:
        def __enter__(self):
            self.saved = switches.SWITCHES
            switches.configure(switches.Switches.from_spec("caches"))

        def __exit__(self, *exc):
            switches.configure(self.saved)

    return Off()


def test_lru_keeps_nothing_and_counts_misses_with_caches_off() -> None:
    with caches_off():
        cache = LRU(4, "t")
        cache.put("a", 1)
        assert cache.get("a") is None and "a" not in cache and len(cache) == 0
    s = cache.statistics()
    assert (s.hits, s.misses, s.size) == (0, 1, 0)
    cache.put("a", 1)  # switched back on: kept again
    assert cache.get("a") == 1


def generated_paths(n: int = 4000) -> list[str]:
    rng = random.Random(3)
    words = ["render", "cache", "ui", "Widget", "core", "index", "quick", "open", "test"]
    return [f"{rng.choice(words)}_{i % 37}/{rng.choice(words)}/{rng.choice(words)}_"
            f"{rng.choice(words)}_{i}.py" for i in range(n)]


QUERIES = ["r", "re", "ren", "rend", "render", "rend", "re", "r", "c", "ca", "cw", "cwi",
           "cw", "c", "W", "Wi", "Wid", "Wi", "W", "qo", "qop", "qo", "render", "rx", "r"]


def answers(index: FuzzyIndex) -> list[list]:
    out = []
    for query in QUERIES:
        out.append(index.search(query, 20))
        if query == "cwi":  # the index changes between queries: kept answers are stale
            index.add(["cache_new/cw.py"])
    return out


def test_quick_open_answers_are_the_same_with_caches_off() -> None:
    on = FuzzyIndex(generated_paths())
    expected = answers(on)
    with caches_off():
        off = FuzzyIndex(generated_paths())
        got = answers(off)
    assert got == expected
    assert all(expected[:8])
    assert any("cache_new/cw.py" in [p for _, p, _ in a] for a in expected)
    s_on, s_off = on.query_cache_statistics(), off.query_cache_statistics()
    assert s_on.hits > 0 and on.narrowed > 0  # backspaces answered, typing narrowed
    assert s_off.hits == 0 and off.narrowed == 0 and s_off.misses == len(QUERIES)
    # every query is answered from scratch: by a full scan, or by the tiers over every path
    assert off.full_scans + off.shortcuts == len(QUERIES)


def test_newline_offsets_are_the_same_with_caches_off() -> None:
    data = b"".join(b"row %d\n" % i for i in range(30_000))
    with caches_off():
        off = TextBuffer.from_bytes(data)
        spans_off = [off.line_span(r) for r in (0, 7, 15_000, 29_999, 30_000)]
        off.replace(50, 50, b"x\ny\n")
        after_off = off.line_span(20_000)
        assert off.newline_cache_statistics().hits == 0
    on = TextBuffer.from_bytes(data)
    assert [on.line_span(r) for r in (0, 7, 15_000, 29_999, 30_000)] == spans_off
    on.replace(50, 50, b"x\ny\n")
    assert on.line_span(20_000) == after_off
