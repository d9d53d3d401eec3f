"""Fenwick tree against a plain list of integers (zeros included)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from kiro_proto.core import Fenwick

from .support import FAST

values_st = st.lists(st.integers(min_value=0, max_value=5), max_size=40)


def model_search(values: list[int], target: int) -> tuple[int, int]:
    """Largest ``k`` with ``sum(values[:k]) <= target``, and ``target - sum(values[:k])``."""
    k, acc = 0, 0
    for i, v in enumerate(values):
        if acc + v <= target:
            k, acc = i + 1, acc + v
        else:
            break
    return k, target - acc


def check(tree: Fenwick, values: list[int]) -> None:
    assert len(tree) == len(values)
    assert tree.total() == sum(values)
    for i in range(len(values) + 1):
        assert tree.prefix(i) == sum(values[:i])
    for target in range(sum(values) + 3):
        k, rem = tree.search(target)
        assert (k, rem) == model_search(values, target)
        assert rem == target - sum(values[:k])
        if k < len(values):
            # the value at k "contains" target: it is non-zero and target falls inside it
            assert values[k] > rem >= 0
        else:
            assert target >= sum(values)


@FAST
@given(values_st)
def test_build_matches_list(values: list[int]) -> None:
    check(Fenwick(values), values)


@FAST
@given(values_st, st.lists(st.tuples(st.integers(0, 39), st.integers(-5, 5)), max_size=30))
def test_add_matches_list(values: list[int], updates: list[tuple[int, int]]) -> None:
    tree = Fenwick(values)
    for index, delta in updates:
        if not values:
            break
        index %= len(values)
        delta = max(delta, -values[index])  # values stay non-negative
        values[index] += delta
        tree.add(index, delta)
        check(tree, values)


def test_empty_tree() -> None:
    tree = Fenwick([])
    assert len(tree) == 0
    assert tree.total() == 0
    assert tree.search(0) == (0, 0)
    assert tree.search(7) == (0, 7)


def test_search_skips_zero_values() -> None:
    tree = Fenwick([0, 0, 3, 0, 2, 0])
    assert tree.search(0) == (2, 0)
    assert tree.search(2) == (2, 2)
    assert tree.search(3) == (4, 0)
    assert tree.search(5) == (6, 0)  # at the total: past the trailing zeros
    assert tree.search(9) == (6, 4)


def test_all_zero_values() -> None:
    tree = Fenwick([0] * 5)
    assert tree.search(0) == (5, 0)
    tree.add(3, 4)
    assert tree.search(0) == (3, 0)
    assert tree.search(3) == (3, 3)
    assert tree.search(4) == (5, 0)
