"""The workspace's pure algorithms: the bounded LRU, the .gitignore matcher and the fuzzy
file finder (checked against a plain subsequence model)."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kiro_proto.core import LRU, FuzzyIndex, IgnoreRules, fuzzy_score


def test_lru_evicts_least_recently_used_and_counts():
    cache = LRU(2, "t")
    cache.put("a", 1)
    cache.put("b", 2)
    assert cache.get("a") == 1  # a is now the most recent
    cache.put("c", 3)
    assert "b" not in cache and cache.get("b") is None
    assert cache.keys() == ["a", "c"]
    s = cache.statistics()
    assert (s.hits, s.misses, s.evictions, s.size, s.capacity) == (1, 1, 1, 2, 2)
    assert s.hit_rate == 0.5


CASES = [
    ("*.log", "a.log", False, True), ("*.log", "deep/x/a.log", False, True),
    ("*.log", "a.logx", False, False), ("build/", "build", True, True),
    ("build/", "build", False, False), ("build/", "src/build", True, True),
    ("/build", "src/build", True, False), ("/build", "build", True, True),
    ("doc/*.txt", "doc/a.txt", False, True), ("doc/*.txt", "doc/x/a.txt", False, False),
    ("**/tmp", "a/b/tmp", True, True), ("a/**/z", "a/z", False, True),
    ("a/**/z", "a/b/c/z", False, True), ("a/**", "a/b/c", False, True),
    ("f?o", "fxo", False, True), ("f[a-c]o", "fbo", False, True), ("f[!a-c]o", "fbo", False, False),
    ("\\#x", "#x", False, True), ("# comment", "# comment", False, False),
]


def test_gitignore_cases():
    for pattern, path, is_dir, expected in CASES:
        assert IgnoreRules.from_text(pattern).ignored(path, is_dir) is expected, (pattern, path)


def test_gitignore_negation_and_nested_files():
    rules = IgnoreRules.from_text("*.log\n!keep.log\n")
    assert rules.ignored("a.log", False) and not rules.ignored("keep.log", False)
    nested = rules.child("sub", "!*.log\nsecret\n")
    assert not nested.ignored("sub/a.log", False)  # the deeper file wins
    assert nested.ignored("a.log", False)  # outside sub/ its rules do not apply
    assert nested.ignored("sub/x/secret", False) and not nested.ignored("secret", False)


def is_subsequence(q: str, s: str) -> bool:
    it = iter(s)
    return all(c in it for c in q)


paths_st = st.lists(st.from_regex(r"[a-cA-C_/.]{1,12}", fullmatch=True), max_size=40)


@settings(max_examples=150, deadline=None)
@given(paths_st, st.from_regex(r"[a-c_.]{0,4}", fullmatch=True))
def test_fuzzy_search_finds_exactly_the_subsequence_matches(paths, query):
    index = FuzzyIndex(paths)
    found = {p for _, p, _ in index.search(query, limit=1000)}
    assert found == {p for p in set(paths) if is_subsequence(query.lower(), p.lower())}
    for p in found:
        score, positions = fuzzy_score(query, p)
        assert "".join(p.lower()[i] for i in positions) == query.lower()


def test_fuzzy_ranks_basename_and_word_starts_first_and_narrows():
    index = FuzzyIndex(["src/render/frame.py", "docs/readme.md", "src/ui/_render.py",
                        "tests/test_render_pilot.py", "r/e/n/d/e/r.txt"])
    best = [p for _, p, _ in index.search("render")]
    assert best[0] == "src/ui/_render.py" and best[-1] == "r/e/n/d/e/r.txt"
    index.search("rend")
    index.search("rende")
    assert index.narrowed == 1  # "rende" searched only the matches of "rend"
    index.add(["zz/render.py"])
    assert "zz/render.py" in [p for _, p, _ in index.search("render")]
    index.remove(["zz/render.py"])
    assert "zz/render.py" not in [p for _, p, _ in index.search("render")]
    assert [p for _, p, _ in index.search("Render")] == []  # a capital: case-sensitive


def test_fuzzy_search_of_many_paths_picks_good_tiers():
    paths = [f"pkg{i % 97}/mod{i}/file_{i}.py" for i in range(20_000)] + ["a/quick_open.py"]
    index = FuzzyIndex(paths)
    assert index.search("quickopen")[0][1] == "a/quick_open.py"
    assert index.search("f", limit=5)[0][1].rsplit("/", 1)[1].startswith("f")
    assert re.fullmatch(r"pkg\d+/mod\d+/file_\d+\.py", index.search("fipy", limit=1)[0][1])


@settings(max_examples=100, deadline=None)
@given(paths_st, st.lists(st.from_regex(r"[a-cA-C_.]{0,4}", fullmatch=True), max_size=8))
def test_kept_queries_answer_as_a_fresh_search_would(paths, queries):
    """Narrowing from kept prefixes and answers from the recent-query cache equal a search
    on a fresh index, whatever the order of queries (capitals included)."""
    index = FuzzyIndex(paths)
    for query in queries:
        assert index.search(query, 1000) == FuzzyIndex(paths).search(query, 1000)


class _NoShortcut(FuzzyIndex):
    SHORTCUT = False


@settings(max_examples=150, deadline=None)
@given(st.lists(st.from_regex(r"[a-cA-C_/.]{1,12}", fullmatch=True), min_size=0, max_size=60),
       st.lists(st.from_regex(r"[a-cA-C_.]{0,4}", fullmatch=True), max_size=8),
       st.integers(min_value=1, max_value=6))
def test_the_tier_shortcut_gives_the_answers_of_the_candidates(paths, queries, cap):
    """With few scored candidates (``SCORE_CAP`` lowered so the shortcut is taken), tiers
    run over every path give what the tiers over the candidates give; narrowing after a
    shortcut (no candidates kept) too."""
    from unittest import mock

    from kiro_proto.core import _fuzzy

    with mock.patch.object(_fuzzy, "SCORE_CAP", cap):
        fast, slow = FuzzyIndex(paths), _NoShortcut(paths)
        for query in queries:
            for n in range(1, len(query) + 1):  # typed one key at a time
                assert fast.search(query[:n], 50) == slow.search(query[:n], 50)
        assert slow.shortcuts == 0


def test_a_first_letter_over_many_paths_takes_the_shortcut():
    paths = [f"pkg{i % 97}/mod{i}/file_{i}.py" for i in range(20_000)]
    index, reference = FuzzyIndex(paths), _NoShortcut(paths)
    assert index.search("f", 30) == reference.search("f", 30)
    assert index.shortcuts == 1 and index.full_scans == 0
    assert reference.full_scans == 1
