"""Fenwick (binary indexed) tree over non-negative integers.

The text buffer keeps one per block attribute (byte length, newline count) so that
"which block holds byte N / line N" and "how many bytes/lines come before block K" are
O(log n) instead of a sum over every block above (the sum is what makes naive editors slow).
"""

from __future__ import annotations

__all__ = ["Fenwick", "LinearPrefix", "line_index"]


class Fenwick:
    """Prefix sums with O(log n) point update, prefix query and search.

    Invariant: ``self._tree[i]`` (1-based) holds the sum of ``values[i - lowbit(i) : i]``.
    """

    __slots__ = ("_tree", "_n", "_top")

    def __init__(self, values: list[int]) -> None:
        n = len(values)
        tree = [0]
        tree.extend(values)
        for i in range(1, n + 1):  # O(n) build: push each node into its parent once
            j = i + (i & -i)
            if j <= n:
                tree[j] += tree[i]
        self._tree = tree
        self._n = n
        top = 1
        while top * 2 <= n:
            top *= 2
        self._top = top

    def __len__(self) -> int:
        return self._n

    def copy(self) -> "Fenwick":
        # Fenwick([]) rather than Fenwick.__new__(Fenwick): compiled by mypyc (``make
        # native``), __new__ also runs __init__, which needs its argument.
        twin = Fenwick([])
        twin._tree, twin._n, twin._top = list(self._tree), self._n, self._top
        return twin

    def add(self, index: int, delta: int) -> None:
        """Add ``delta`` to ``values[index]`` (0-based)."""
        tree, n = self._tree, self._n
        i = index + 1
        while i <= n:
            tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """Sum of ``values[0:index]``."""
        tree = self._tree
        total = 0
        i = index
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def total(self) -> int:
        return self.prefix(self._n)

    def search(self, target: int) -> tuple[int, int]:
        """Return ``(k, rem)`` where ``k`` is the number of leading values whose sum is
        ``<= target`` and ``rem = target - prefix(k)``.

        So ``k`` is the index of the value that "contains" position ``target`` (zero values
        are skipped), or ``len(self)`` when ``target >= total()``.
        """
        tree, n = self._tree, self._n
        pos = 0
        rem = target
        step = self._top if n else 0
        while step:
            nxt = pos + step
            if nxt <= n and tree[nxt] <= rem:
                pos = nxt
                rem -= tree[nxt]
            step >>= 1
        return pos, rem


class LinearPrefix:
    """The same interface as ``Fenwick`` without the tree: prefix sums and searches walk the
    values one by one, O(n). What an editor without a line index does; used only when the
    ``line_index`` switch is off (``KIRO_ABLATE=line_index``), to measure the difference."""

    __slots__ = ("_values",)

    def __init__(self, values: list[int]) -> None:
        self._values = list(values)

    def __len__(self) -> int:
        return len(self._values)

    def copy(self) -> "LinearPrefix":
        return LinearPrefix(self._values)

    def add(self, index: int, delta: int) -> None:
        self._values[index] += delta

    def prefix(self, index: int) -> int:
        total = 0
        for value in self._values[:index]:
            total += value
        return total

    def total(self) -> int:
        return self.prefix(len(self._values))

    def search(self, target: int) -> tuple[int, int]:
        rem = target
        for k, value in enumerate(self._values):
            if value > rem:
                return k, rem
            rem -= value
        return len(self._values), rem


def line_index(values: list[int]) -> "Fenwick | LinearPrefix":
    """The prefix-sum structure the text buffer uses: a Fenwick tree, or the linear walk
    when the ``line_index`` switch is off (read at each build, so ``switches.configure``
    applies to buffers built afterwards)."""
    from .. import switches

    return Fenwick(values) if switches.SWITCHES.line_index else LinearPrefix(values)
