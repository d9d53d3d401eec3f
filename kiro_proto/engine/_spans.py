"""Turning highlight captures into per-row spans, and lexing a window with Pygments.

Captures nest and overlap (a string holds an escape; an identifier is both ``variable``
and ``function``); the flattening below keeps the innermost capture and, for identical
ranges, the latest pattern: the grammars' highlight queries list the generic pattern first
(``(identifier) @variable``) and the specific ones after it.
"""

from __future__ import annotations

from functools import lru_cache

from ..core._columns import bytecols_to_charcols
from ._messages import RowSpans

__all__ = ["flatten", "split_rows", "lex_window", "pygments_alias"]

Point = tuple[int, int]


def flatten(spans: list[tuple[Point, Point, int, str]]) -> list[tuple[Point, Point, str]]:
    """``spans``: (start, end, pattern_index, token). Returns non-overlapping pieces in
    document order, innermost capture winning."""
    spans.sort(key=lambda s: (s[0], (-s[1][0], -s[1][1]), -s[2]))
    out: list[tuple[Point, Point, str]] = []
    stack: list[tuple[Point, str]] = []  # (end, token), innermost last
    pos: Point = (0, 0)
    last_range = None
    for start, end, _, token in spans:
        if (start, end) == last_range:
            continue  # same node, earlier pattern: the later one has won
        last_range = (start, end)
        while stack and stack[-1][0] <= start:
            stop, tok = stack.pop()
            if stop > pos:
                out.append((pos, stop, tok))
                pos = stop
        if stack and start > pos:
            out.append((pos, start, stack[-1][1]))
        if start > pos:
            pos = start
        if end > pos:
            stack.append((end, token))
    while stack:
        stop, tok = stack.pop()
        if stop > pos:
            out.append((pos, stop, tok))
            pos = stop
    return out


def split_rows(pieces: list[tuple[Point, Point, str]], first_row: int, last_row: int,
               line_bytes) -> tuple[RowSpans, ...]:
    """Per-row spans in character columns for rows ``[first_row, last_row)``.
    ``line_bytes(row)`` gives a row's bytes (used only for rows that are not ASCII)."""
    rows: list[list[tuple[int, int, str]]] = [[] for _ in range(last_row - first_row)]
    big = 1 << 30
    for (r0, c0), (r1, c1), tok in pieces:
        for r in range(max(r0, first_row), min(r1, last_row - 1) + 1):
            a = c0 if r == r0 else 0
            b = c1 if r == r1 else big
            if b > a:
                rows[r - first_row].append((a, b, tok))
    out = []
    for i, spans in enumerate(rows):
        if spans:
            data = line_bytes(first_row + i)
            if not data.isascii():
                spans = bytecols_to_charcols(data, spans)
        out.append(tuple(spans))
    return tuple(out)


PYGMENTS_ALIASES = {
    "Python": "python", "JavaScript": "javascript", "TypeScript": "typescript",
    "Rust": "rust", "Go": "go", "C": "c", "C++": "cpp", "JSON": "json", "TOML": "toml",
    "YAML": "yaml", "Markdown": "markdown", "Bash": "bash", "HTML": "html", "CSS": "css",
    "Java": "java", "Ruby": "ruby", "Lua": "lua", "SQL": "sql", "XML": "xml", "INI": "ini",
    "Makefile": "make", "Docker": "docker", "CMake": "cmake",
}


def pygments_alias(language: str) -> str | None:
    return PYGMENTS_ALIASES.get(language)


@lru_cache(maxsize=32)
def _lexer(alias: str, filename: str | None):
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        if alias:
            return get_lexer_by_name(alias, stripnl=False, ensurenl=False)
        if filename:
            return get_lexer_for_filename(filename, stripnl=False, ensurenl=False)
    except ClassNotFound:
        return None
    return None


def lex_window(lines: list[str], language: str, filename: str | None = None) -> tuple[RowSpans, ...] | None:
    """Pygments spans for consecutive ``lines`` (start them at a sync point: Pygments has
    no incremental mode). None when Pygments has no lexer for the language."""
    lexer = _lexer(pygments_alias(language) or "", None if pygments_alias(language) else filename)
    if lexer is None:
        return None
    text = "\n".join(lines)
    rows: list[list[tuple[int, int, str]]] = [[] for _ in lines]
    row, col = 0, 0
    for _, ttype, value in lexer.get_tokens_unprocessed(text):
        name = str(ttype)[6:]  # "Token.Keyword" -> "Keyword"
        parts = value.split("\n")
        for j, part in enumerate(parts):
            if j:
                row += 1
                col = 0
                if row >= len(rows):
                    break
            if part and name and name != "Text" and not name.startswith("Text."):
                rows[row].append((col, col + len(part), name))
            col += len(part)
        if row >= len(rows):
            break
    return tuple(tuple(r) for r in rows)
