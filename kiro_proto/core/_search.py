"""Find in a document: literal or regular-expression search over the document's bytes.

The document is searched as one ``bytes`` object (joined once per revision and cached), so
the scan runs in C (``bytes.find`` / ``re``), never character by character in Python.
Patterns are UTF-8 encoded; in regex mode ``\\w`` and case folding are ASCII-only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._document import Document, encode

__all__ = ["Finder", "Match", "SearchError"]


class SearchError(ValueError):
    """The pattern cannot be used (an invalid regular expression)."""


@dataclass(frozen=True, slots=True)
class Match:
    start: int  # byte offset, without the BOM
    end: int


class Finder:
    """Searches one document; remembers the joined bytes for the document's revision."""

    __slots__ = ("document", "_rev", "_data")

    def __init__(self, document: Document) -> None:
        self.document = document
        self._rev = -1
        self._data = b""

    def _bytes(self) -> bytes:
        if self._rev != self.document.revision or len(self._data) != len(self.document):
            self._data = self.document.buffer.to_bytes()
            self._rev = self.document.revision
        return self._data

    @staticmethod
    def compile(pattern: str, *, regex: bool, case: bool) -> re.Pattern[bytes]:
        flags = 0 if case else re.IGNORECASE
        source = encode(pattern) if regex else re.escape(encode(pattern))
        try:
            return re.compile(source, flags | re.MULTILINE)
        except re.error as err:
            raise SearchError(f"Invalid regular expression: {err}") from None

    def find(self, pattern: str, start: int, *, regex: bool = False, case: bool = True,
             backwards: bool = False, wrap: bool = True) -> Match | None:
        """The next match starting at or after byte ``start`` (or, when ``backwards``, the
        last one ending at or before it), wrapping around the end of the document."""
        if not pattern:
            return None
        data = self._bytes()
        if not regex and case and not backwards:
            needle = encode(pattern)
            i = data.find(needle, start)
            if i < 0 and wrap:
                i = data.find(needle, 0, start + len(needle) - 1)
            return Match(i, i + len(needle)) if i >= 0 else None
        compiled = self.compile(pattern, regex=regex, case=case)
        # Never pass ``endpos``: the data would be cut there, so ``$`` and look-aheads
        # would match at the cut and a match running across it would be missed.
        if backwards:
            before = last = None
            for m in compiled.finditer(data):
                if m.end() > m.start():  # skip empty matches: they cannot be selected
                    last = m
                    if m.end() <= start:
                        before = m
            found = before or (last if wrap else None)
            return Match(found.start(), found.end()) if found else None
        for m in compiled.finditer(data, start):
            if m.end() > m.start():
                return Match(m.start(), m.end())
        if wrap:  # the first match that starts before ``start`` (it may run across it)
            for m in compiled.finditer(data):
                if m.start() >= start:
                    break
                if m.end() > m.start():
                    return Match(m.start(), m.end())
        return None

    def count(self, pattern: str, *, regex: bool = False, case: bool = True,
              limit: int = 100_000) -> int:
        if not pattern:
            return 0
        data = self._bytes()
        if not regex and case:
            return data.count(encode(pattern))
        n = 0
        for m in self.compile(pattern, regex=regex, case=case).finditer(data):
            if m.end() > m.start():
                n += 1
                if n >= limit:
                    break
        return n
