"""A bounded least-recently-used cache with O(1) get and put that counts its hits and misses.

Standard library only (an ``OrderedDict``: a hash table threaded on a doubly linked list, so
``move_to_end`` and ``popitem(last=False)`` are O(1), never a scan of a list). Every in-memory
cache in the project that is not Textual's own ``LRUCache`` is one of these, so the benchmark
mode can report a hit rate for each. With the ``caches`` switch off (``KIRO_ABLATE=caches``)
``put`` keeps nothing, so every ``get`` misses: the callers' uncached path, still counted.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Generic, Hashable, TypeVar

from .. import switches

__all__ = ["LRU", "CacheStatistics"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_MISSING = object()


@dataclass(frozen=True, slots=True)
class CacheStatistics:
    name: str
    size: int  # entries held now
    capacity: int
    hits: int
    misses: int
    evictions: int

    @property
    def hit_rate(self) -> float:
        """Hits over look-ups, 0.0 before the first look-up."""
        total = self.hits + self.misses
        return self.hits / total if total else 0.0


class LRU(Generic[K, V]):
    """At most ``capacity`` entries; the least recently used one is evicted first.

    ``get`` counts a hit or a miss and refreshes the entry; ``peek`` does neither.
    """

    __slots__ = ("name", "capacity", "_data", "hits", "misses", "evictions")

    def __init__(self, capacity: int, name: str = "") -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.name = name
        self.capacity = capacity
        self._data: OrderedDict[K, V] = OrderedDict()
        self.hits = self.misses = self.evictions = 0

    def get(self, key: K, default: V | None = None) -> V | None:
        data = self._data
        value = data.get(key, _MISSING)
        if value is _MISSING:
            self.misses += 1
            return default
        self.hits += 1
        data.move_to_end(key)
        return value  # type: ignore[return-value]

    def peek(self, key: K, default: V | None = None) -> V | None:
        return self._data.get(key, default)

    def put(self, key: K, value: V) -> None:
        if not switches.SWITCHES.caches:
            return
        data = self._data
        data[key] = value
        data.move_to_end(key)
        if len(data) > self.capacity:
            data.popitem(last=False)
            self.evictions += 1

    def __setitem__(self, key: K, value: V) -> None:
        # A method, not the alias ``__setitem__ = put``: a class-level alias compiles with
        # a mypyc warning and fails when the compiled class is created (docs/patterns/01).
        self.put(key, value)

    def pop(self, key: K, default: V | None = None) -> V | None:
        return self._data.pop(key, default)

    def discard(self, key: K) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __len__(self) -> int:
        return len(self._data)

    def keys(self) -> list[K]:
        """Keys from least to most recently used."""
        return list(self._data)

    def items(self) -> list[tuple[K, V]]:
        return list(self._data.items())

    def statistics(self) -> CacheStatistics:
        return CacheStatistics(self.name, len(self._data), self.capacity, self.hits,
                               self.misses, self.evictions)
