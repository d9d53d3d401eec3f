"""Column conversions between bytes and characters of one UTF-8 line (highlight spans)."""

from __future__ import annotations

__all__ = ["bytecols_to_charcols"]


def bytecols_to_charcols(line: bytes, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Convert spans in byte columns of a UTF-8 line into character columns
    (``surrogateescape``: each undecodable byte counts as one character)."""
    cache: dict[int, int] = {}

    def conv(b: int) -> int:
        if b >= len(line):
            return b - len(line) + len(line.decode("utf-8", "surrogateescape"))
        c = cache.get(b)
        if c is None:
            c = cache[b] = len(line[:b].decode("utf-8", "surrogateescape"))
        return c

    return [(conv(a), conv(b), t) for a, b, t in spans]
