"""Fuzzy file finding over a workspace's paths: a subsequence match scored for basename
hits, word starts and runs of consecutive characters, returning only the best few.

Speed comes from never looping over every path in Python. The paths are kept as lower-cased
columns (path, basename); a regex with possessive quantifiers (linear, no backtracking) run
through ``map`` and ``itertools.compress`` keeps every path that holds the query as a
subsequence without a Python-level loop, and C-level filters pick the likely-best tiers
(basename starts with, contains, holds the query as a subsequence, path contains) until
``SCORE_CAP`` candidates are gathered; only those are scored in Python. A query that extends the previous one searches only the previous
candidates (typing narrows). Standard library only.
"""

from __future__ import annotations

import heapq
import re
from itertools import compress, islice, repeat
from typing import Iterable

__all__ = ["FuzzyIndex", "fuzzy_score"]

SCORE_CAP = 1500  # candidates scored in Python per query
_SEPARATORS = "/_-. "


def _word_start(path: str, i: int) -> bool:
    if i == 0:
        return True
    prev = path[i - 1]
    return prev in _SEPARATORS or (prev.islower() and path[i].isupper())


def fuzzy_score(query: str, path: str) -> tuple[float, tuple[int, ...]] | None:
    """(score, matched character positions) when ``query`` is a subsequence of ``path``
    (case-insensitive unless the query has a capital), else None. Higher is better."""
    if not query:
        return 0.0, ()
    fold = query == query.lower()
    hay = path.lower() if fold else path
    cut = path.rfind("/") + 1
    positions = _align(query, hay, cut)
    if positions is None:
        positions = _align_backwards(query, hay)
        if positions is None:
            return None
    score = 0.0
    prev = -2
    for i in positions:
        score += 1.0
        if i >= cut:
            score += 2.0
        if _word_start(path, i):
            score += 3.0
        if i == prev + 1:
            score += 4.0
        prev = i
    if positions[0] == cut:
        score += 4.0  # the basename starts with the query
    score -= 0.02 * len(path) + 0.05 * (positions[-1] - positions[0])
    return score, tuple(positions)


def _align(query: str, hay: str, start: int) -> list[int] | None:
    """Leftmost positions of ``query`` in ``hay[start:]``, preferring word starts."""
    out = []
    i = start
    for ch in query:
        j = hay.find(ch, i)
        if j < 0:
            return None
        out.append(j)
        i = j + 1
    return out


def _align_backwards(query: str, hay: str) -> list[int] | None:
    """Rightmost positions (they favour the basename and the deeper folders)."""
    out = []
    i = len(hay)
    for ch in reversed(query):
        j = hay.rfind(ch, 0, i)
        if j < 0:
            return None
        out.append(j)
        i = j
    out.reverse()
    return out


def _subsequence(query: str, within: str) -> str:
    """Regex source: the query's characters in order, each run possessive (linear)."""
    return "".join(f"[^{within}{re.escape(c)}]*+{re.escape(c)}" for c in query)


class FuzzyIndex:
    """The paths of one workspace (``/``-separated, relative), searchable by fuzzy query.

    ``search`` returns ``[(score, path, positions)]``, best first. Adding or removing paths
    is O(1) amortised; the lower-cased columns are rebuilt lazily on the next search.
    """

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self._paths: dict[str, None] = dict.fromkeys(paths)  # insertion-ordered set
        self._columns: tuple[list[str], list[str], list[str]] | None = None
        self.generation = 0
        self._last: tuple[str, int, tuple[list[str], list[str], list[str]]] | None = None
        self.narrowed = 0  # searches that reused the previous query's candidates
        self.full_scans = 0

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def paths(self) -> list[str]:
        return list(self._paths)

    def _changed(self) -> None:
        self._columns = None
        self.generation += 1

    def add(self, paths: Iterable[str]) -> None:
        known = self._paths
        new = [p for p in dict.fromkeys(paths) if p not in known]
        if new:
            known.update(dict.fromkeys(new))
            if self._columns is not None:  # extend the columns instead of rebuilding them
                self._extend(self._columns, new)
            self.generation += 1

    def remove(self, paths: Iterable[str]) -> None:
        changed = False
        for p in paths:
            if self._paths.pop(p, 0) is None:
                changed = True
        if changed:
            self._changed()

    def replace(self, paths: Iterable[str]) -> None:
        self._paths = dict.fromkeys(paths)
        self._changed()

    @staticmethod
    def _extend(columns, new: list[str]) -> None:
        paths, lows, bases = columns
        paths.extend(new)
        low = [p.lower() for p in new]
        lows.extend(low)
        bases.extend(p[p.rfind("/") + 1:] for p in low)

    def prepare(self) -> None:
        """Build the lower-cased columns now (else the next search does)."""
        self._all()

    def _all(self) -> tuple[list[str], list[str], list[str]]:
        if self._columns is None:
            self._columns = ([], [], [])
            self._extend(self._columns, list(self._paths))
        return self._columns

    def search(self, query: str, limit: int = 50) -> list[tuple[float, str, tuple[int, ...]]]:
        query = "".join(query.split())
        if not query:
            return [(0.0, p, ()) for p in islice(self._paths, limit)]
        fold = query == query.lower()
        last = self._last
        if last is not None and last[1] == self.generation and query.startswith(last[0]):
            paths, lows, bases = last[2]
            self.narrowed += 1
        else:
            paths, lows, bases = self._all()
            self.full_scans += 1
        # Leading literal, then possessive runs: re's fast literal search, no backtracking.
        rx = re.compile(re.escape(query[0]) + _subsequence(query[1:], ""))
        keep = list(map(rx.search, lows if fold else paths))
        columns = (list(compress(paths, keep)), list(compress(lows, keep)),
                   list(compress(bases, keep)))
        self._last = (query, self.generation, columns)
        matching = columns[0]
        if len(matching) > SCORE_CAP:
            matching = self._best_tiers(query if fold else query.lower(), columns)
        scored = []
        for path in matching:
            hit = fuzzy_score(query, path)
            if hit is not None:
                scored.append((hit[0], path, hit[1]))
        return heapq.nlargest(limit, scored, key=lambda t: (t[0], -len(t[1])))

    @staticmethod
    def _best_tiers(q: str, columns) -> list[str]:
        """Up to SCORE_CAP candidates, likely-best first (all C-level filters)."""
        paths, lows, bases = columns
        base_rx = re.compile(re.escape(q[0]) + _subsequence(q[1:], "/"))
        tiers = (
            lambda: map(str.startswith, bases, repeat(q)),  # basename starts with the query
            lambda: map(str.__contains__, bases, repeat(q)),  # basename contains it
            lambda: map(base_rx.search, bases),  # the basename holds it as a subsequence
            lambda: map(str.__contains__, lows, repeat(q)),  # the path contains it
            lambda: repeat(True),
        )
        chosen: dict[str, None] = {}
        for tier in tiers:
            for path in compress(paths, tier()):
                chosen.setdefault(path)
                if len(chosen) >= SCORE_CAP:
                    return list(chosen)
        return list(chosen)
