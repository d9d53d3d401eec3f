"""Fuzzy file finding over a workspace's paths: a subsequence match scored for basename
hits, word starts and runs of consecutive characters, returning only the best few.

Speed comes from never looping over every path in Python. The paths are kept as lower-cased
columns (path, basename); ``str.find`` mapped over a column one query character at a time
(each search starting where the previous character was found) and ``itertools.compress``
keep every path that holds the query as a subsequence without a Python-level loop or a
match object per path, and C-level filters pick the likely-best tiers
(basename starts with, contains, holds the query as a subsequence, path contains) until
``SCORE_CAP`` candidates are gathered; only those are scored in Python.

The first two tiers are substring tests on the basename, so whatever they pick holds the
query as a subsequence: for a lower-case query they can run over every path without first
finding the candidates. When no kept query narrows this one (a first key), they are tried
so: if they alone gather more than ``SCORE_CAP`` paths (a short query of common letters)
the answer is the same as through the candidates, and the scan stops early, a slice of the
paths instead of a pass over all of them (``shortcuts`` counts these). Otherwise (two
C-level passes spent) the candidates are found as above. ``fill`` finds a shortcut query's
candidates later, in idle time, so that the next key narrows from them. (Trying the
shortcut on every key, over the kept prefix's candidates, made most keys cheaper but left
a fill of 15-45 ms after each one, in the way of the next key: not kept.)

Recent queries are kept in a bounded LRU (``core/_lru.py``) keyed by the index generation
and the query: their candidates and results. A query that extends a kept one searches only
its candidates (typing narrows); a query seen before (backspace) is answered from the
cache. With the ``caches`` switch off nothing is kept: every query scans every path.
Standard library only.
"""

from __future__ import annotations

import heapq
import re
from itertools import compress, islice, repeat
from typing import Iterable

from ._lru import LRU, CacheStatistics

__all__ = ["FuzzyIndex", "fuzzy_score"]

SCORE_CAP = 500  # candidates scored in Python per query (about 10 us each)
QUERY_CACHE = 16  # recent queries kept (candidates and results); a 1-letter query's
# candidates are about as many as the paths: at 100k paths about 2 MB of references
_SEPARATORS = "/_-. "
_NOT_FOUND, _ONE = -1, 1  # bound methods of these run the column maps in C


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

    SHORTCUT = True  # the tiers over every path first (tests compare both ways)

    def __init__(self, paths: Iterable[str] = ()) -> None:
        self._paths: dict[str, None] = dict.fromkeys(paths)  # insertion-ordered set
        self._columns: tuple[list[str], list[str], list[str]] | None = None
        self.generation = 0
        # (generation, query) -> (candidate columns, limit, results, fold, match ends)
        self._queries: LRU[tuple[int, str], tuple] = LRU(QUERY_CACHE, "quick-open queries")
        self.narrowed = 0  # searches that reused a kept query's candidates
        self.full_scans = 0
        self.shortcuts = 0  # searches answered by the tiers alone (see the module's doc)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path in self._paths

    def paths(self) -> list[str]:
        return list(self._paths)

    def _changed(self) -> None:
        self._columns = None
        self.generation += 1

    def query_cache_statistics(self) -> CacheStatistics:
        """Hits and misses of the recent-query cache (a hit: a query answered without a
        search, e.g. after a backspace)."""
        return self._queries.statistics()

    def add(self, paths: Iterable[str]) -> None:
        known = self._paths
        fresh = dict.fromkeys(paths)
        for p in fresh.keys() & known.keys():  # set operations in C: a batch is mostly new
            del fresh[p]
        if fresh:
            known.update(fresh)
            if self._columns is not None:  # extend the columns instead of rebuilding them
                self._extend(self._columns, list(fresh))
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
        low = list(map(str.lower, new))
        lows.extend(low)
        bases.extend([p.rpartition("/")[2] for p in low])

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
        cache, generation = self._queries, self.generation
        kept = cache.get((generation, query))
        if kept is not None and kept[1] >= limit:
            return kept[2][:limit]
        columns = after = matching = None
        if kept is not None and kept[0] is not None:
            columns, after = kept[0], kept[4]
        elif fold and self.SHORTCUT and self._kept_prefix(query, fold) is None:
            # Nothing to narrow from (a first key): the first tiers over every path; if they
            # alone find more than SCORE_CAP, they are the answer.
            chosen = self._best_tiers(query, self._all(), cap=SCORE_CAP + 1, tiers=2)
            if len(chosen) > SCORE_CAP:
                matching = chosen[:SCORE_CAP]
                self.shortcuts += 1
        if matching is None:
            if columns is None:
                columns, after = self._candidates(query, fold)
            matching = columns[0]
            if len(matching) > SCORE_CAP:
                matching = self._best_tiers(query if fold else query.lower(), columns)
        scored = []
        for path in matching:
            hit = fuzzy_score(query, path)
            if hit is not None:
                scored.append((hit[0], path, hit[1]))
        found = heapq.nlargest(limit, scored, key=lambda t: (t[0], -len(t[1])))
        cache.put((generation, query), (columns, limit, found, fold, after))
        return found

    def fill(self, query: str) -> bool:
        """Find the candidates of ``query`` if it was answered by the shortcut (which keeps
        none), so that the next key narrows from them instead of scanning every path again.
        Meant for idle time: the quick-open dialog calls it once its results are on screen.
        True when there was work to do."""
        query = "".join(query.split())
        key = (self.generation, query)
        kept = self._queries.peek(key)
        if not query or kept is None or kept[0] is not None:
            return False
        columns, after = self._candidates(query, kept[3])
        self._queries.put(key, (columns, kept[1], kept[2], kept[3], after))
        return True

    def _kept_prefix(self, query: str, fold: bool) -> tuple[int, tuple] | None:
        """(length, entry) of the longest proper prefix of ``query`` whose candidates are
        kept, searched with the same case folding; None if there is none."""
        cache, generation = self._queries, self.generation
        for n in range(len(query) - 1, 0, -1):
            kept = cache.peek((generation, query[:n]))
            if kept is not None and kept[3] == fold and kept[0] is not None:
                return n, kept
        return None

    def _candidates(self, query: str, fold: bool) -> tuple[tuple[list[str], list[str], list[str]],
                                                           list[int]]:
        """Columns of the paths that hold ``query`` as a subsequence, and ``after``: for
        each, the index just past its leftmost match. Found one character at a time with
        ``str.find`` mapped in C, each search starting at ``after`` (a path holds a
        subsequence exactly when the leftmost, greedy match succeeds). Starts from the
        longest kept prefix of the query searched with the same case folding, else from
        every path."""
        found = self._kept_prefix(query, fold)
        if found is not None:
            n, kept = found
            (paths, lows, bases), after = kept[0], kept[4]
            self.narrowed += 1
        else:
            n = 0
            paths, lows, bases = self._all()
            after = None
            self.full_scans += 1
        for ch in query[n:]:
            hay = lows if fold else paths
            found = (list(map(str.find, hay, repeat(ch))) if after is None
                     else list(map(str.find, hay, repeat(ch), after)))
            keep = list(map(_NOT_FOUND.__lt__, found))
            paths, lows, bases = (list(compress(paths, keep)), list(compress(lows, keep)),
                                  list(compress(bases, keep)))
            after = list(map(_ONE.__add__, compress(found, keep)))
        return (paths, lows, bases), after

    @staticmethod
    def _best_tiers(q: str, columns, cap: int | None = None, tiers: int = 5) -> list[str]:
        """Up to ``cap`` (SCORE_CAP) candidates, likely-best first (all C-level filters),
        from the first ``tiers`` tiers. The first four pick only paths that hold ``q`` as a
        subsequence; the last, every path left. The first two are plain substring tests
        over the basenames, the cheapest (the shortcut uses only those)."""
        cap = SCORE_CAP if cap is None else cap
        paths, lows, bases = columns
        filters = (
            lambda: map(str.startswith, bases, repeat(q)),  # basename starts with the query
            lambda: map(str.__contains__, bases, repeat(q)),  # basename contains it
            # the basename holds it as a subsequence (compiled only when this tier is reached)
            lambda: map(re.compile(re.escape(q[0]) + _subsequence(q[1:], "/")).search, bases),
            lambda: map(str.__contains__, lows, repeat(q)),  # the path contains it
            lambda: repeat(True),
        )
        chosen: dict[str, None] = {}
        for tier in filters[:tiers]:
            for path in compress(paths, tier()):
                chosen.setdefault(path)
                if len(chosen) >= cap:
                    return list(chosen)
        return list(chosen)
