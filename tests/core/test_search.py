"""Find: literal, regular expression, case-insensitive, backwards and wrapping search."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiro_proto.core import Document, Finder, Match, Pos, SearchError

from .support import FAST


def finder(text: str) -> Finder:
    return Finder(Document(text.encode("utf-8", "surrogateescape")))


def test_literal_forward_and_wrap() -> None:
    f = finder("foo bar foo")
    assert f.find("foo", 0) == Match(0, 3)
    assert f.find("foo", 1) == Match(8, 11)
    assert f.find("foo", 9) == Match(0, 3)  # wraps to the start
    assert f.find("foo", 9, wrap=False) is None
    assert f.find("baz", 0) is None
    assert f.find("", 0) is None


def test_match_containing_the_start_is_found_when_wrapping() -> None:
    # the only occurrence starts before `start` and ends after it
    for kwargs in ({}, {"case": False}, {"regex": True}):
        f = finder("xx abc yy")
        pattern = "a.c" if kwargs.get("regex") else "abc"
        assert f.find(pattern, 4, **kwargs) == Match(3, 6), kwargs


def test_case_insensitive() -> None:
    f = finder("Hello HELLO hello")
    assert f.find("hello", 1, case=False) == Match(6, 11)
    assert f.find("hello", 1) == Match(12, 17)
    assert f.count("HELLO", case=False) == 3
    assert f.count("HELLO") == 1


def test_regex_and_bytes_offsets() -> None:
    f = finder("é1 中22\nx333")
    m = f.find(r"\d+", 3, regex=True)
    assert m == Match(7, 9)  # byte offsets: "é1 中" is 7 bytes
    assert f.find(r"^x", 0, regex=True) == Match(10, 11)  # ^ matches at line starts
    assert f.count(r"\d+", regex=True) == 3
    assert f.find("中", 0) == Match(4, 7)


def test_regex_anchors_are_not_fooled_by_the_start_offset() -> None:
    f = finder("ab\nab")
    # "a$" has no match: an "a" is always followed by "b"
    for start in range(6):
        assert f.find("a$", start, regex=True) is None, start
        assert f.find("a$", start, regex=True, backwards=True) is None, start
    assert f.find("b$", 1, regex=True, backwards=True) == Match(4, 5)  # wraps to the end
    assert f.find("b$", 3, regex=True, backwards=True) == Match(1, 2)
    assert f.find("^a", 1, regex=True) == Match(3, 4)


def test_backwards() -> None:
    f = finder("one two one two")
    assert f.find("one", 15, backwards=True) == Match(8, 11)
    assert f.find("one", 8, backwards=True) == Match(0, 3)
    assert f.find("one", 2, backwards=True) == Match(8, 11)  # wraps to the last one
    assert f.find("one", 2, backwards=True, wrap=False) is None
    assert f.find("ONE", 15, backwards=True, case=False) == Match(8, 11)


def test_empty_regex_matches_are_skipped() -> None:
    f = finder("abc")
    assert f.find("x*", 0, regex=True) is None
    assert f.find("b*", 0, regex=True) == Match(1, 2)
    assert f.count("x*", regex=True) == 0


def test_invalid_regex() -> None:
    f = finder("abc")
    with pytest.raises(SearchError, match="Invalid regular expression") as info:
        f.find("(unclosed", 0, regex=True)
    assert "missing )" in str(info.value)
    with pytest.raises(SearchError):
        f.count("[a-", regex=True)
    assert isinstance(info.value, ValueError)
    # the same text as a literal is fine
    assert f.find("(unclosed", 0) is None


def test_finder_follows_edits() -> None:
    doc = Document(b"abc")
    f = Finder(doc)
    assert f.find("zz", 0) is None
    doc.insert(Pos(0, 1), "zz")
    assert f.find("zz", 0) == Match(1, 3)


def test_invalid_bytes_can_be_searched() -> None:
    f = finder("ok \udcff here")
    assert f.find("\udcff", 0) == Match(3, 4)


# -- properties ---------------------------------------------------------------------------
haystack_st = st.text(st.sampled_from("abAB\n"), max_size=30)
needle_st = st.sampled_from(["ab", "a\nb", "b", "Ab", "B\n"])  # none overlaps itself


def occurrences(data: bytes, needle: bytes) -> list[int]:
    return [i for i in range(len(data) - len(needle) + 1) if data.startswith(needle, i)]


@FAST
@given(haystack_st, needle_st, st.data(), st.booleans(), st.booleans())
def test_find_matches_occurrence_model(text: str, needle: str, data, case: bool, wrap: bool) -> None:
    f = finder(text)
    hay = text.encode()
    start = data.draw(st.integers(0, len(hay)))
    if case:
        occ = occurrences(hay, needle.encode())
    else:
        occ = occurrences(hay.lower(), needle.lower().encode())
    n = len(needle)
    forward = [i for i in occ if i >= start] or ([i for i in occ if i < start] if wrap else [])
    expected = Match(forward[0], forward[0] + n) if forward else None
    assert f.find(needle, start, case=case, wrap=wrap) == expected
    # the regex path agrees with the literal one
    assert f.find(re.escape(needle), start, regex=True, case=case, wrap=wrap) == expected
    back = [i for i in occ if i + n <= start] or (occ if wrap else [])
    expected = Match(back[-1], back[-1] + n) if back else None
    assert f.find(needle, start, case=case, wrap=wrap, backwards=True) == expected
    assert f.count(needle, case=case) == len(occ)


@FAST
@given(haystack_st, st.sampled_from(["a$", "^b", "a+", "b\\n", "a(?!b)", "(?<=\\n)a", "b$|^a"]),
       st.data(), st.booleans(), st.booleans())
def test_regex_results_are_real_matches(text: str, pattern: str, data, backwards: bool,
                                        wrap: bool) -> None:
    f = finder(text)
    hay = text.encode()
    start = data.draw(st.integers(0, len(hay)))
    compiled = re.compile(pattern.encode(), re.MULTILINE)
    m = f.find(pattern, start, regex=True, backwards=backwards, wrap=wrap)
    real = [x for x in compiled.finditer(hay) if x.end() > x.start()]
    if m is None:
        ok = [x for x in real if (x.end() <= start if backwards else x.start() >= start)]
        assert not ok and (not wrap or not real)
        return
    here = compiled.match(hay, m.start)
    assert here is not None and here.end() == m.end  # a match in the whole document
