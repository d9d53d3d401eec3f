"""Outline and go-to-symbol: parses the buffer with its tree-sitter grammar and runs the
grammar's own tags query (``TAGS_QUERY`` in the wheel) in one call over the whole tree.
Parsed trees are cached per (buffer, revision)."""

from __future__ import annotations

import importlib

from kiro_proto import plugin_api as kp

WHEELS = {  # the editor's language name -> (wheel, function returning the language)
    "Python": ("tree_sitter_python", "language"),
    "JavaScript": ("tree_sitter_javascript", "language"),
    "TypeScript": ("tree_sitter_typescript", "language_typescript"),
    "Rust": ("tree_sitter_rust", "language"),
    "Go": ("tree_sitter_go", "language"),
    "C": ("tree_sitter_c", "language"),
}

_queries: dict[str, tuple] = {}  # language -> (parser, query), loaded on first use
_outlines: dict[int, tuple[int, list]] = {}  # doc_id -> (revision, symbols)


def _tools(language: str):
    if language not in _queries:
        import tree_sitter as ts

        wheel, attr = WHEELS[language]
        module = importlib.import_module(wheel)
        source = getattr(module, "TAGS_QUERY", None)
        if source is None and language == "TypeScript":
            source = importlib.import_module("tree_sitter_javascript").TAGS_QUERY
        lang = ts.Language(getattr(module, attr)())
        _queries[language] = (ts.Parser(lang), ts.Query(lang, source), ts)
    return _queries[language]


def symbols(text: str, language: str) -> list[tuple[int, int, int, str, str]]:
    """(row, col, depth, kind, name) of each definition, in document order. ``depth``
    counts the definitions enclosing it (a method in a class has depth 1)."""
    parser, query, ts = _tools(language)
    data = text.encode("utf-8", "surrogateescape")
    tree = parser.parse(data)
    found = []
    for _pattern, captures in ts.QueryCursor(query).matches(tree.root_node):
        kind = next((k.split(".", 1)[1] for k in captures if k.startswith("definition.")), None)
        names = captures.get("name")
        if kind is None or not names:
            continue
        definition = captures[f"definition.{kind}"][0]
        name = names[0]
        row, byte_col = name.start_point
        line_start = name.start_byte - byte_col
        col = len(data[line_start:name.start_byte].decode("utf-8", "replace"))
        found.append((definition.start_byte, definition.end_byte, row, col, kind,
                      data[name.start_byte:name.end_byte].decode("utf-8", "replace")))
    found.sort()
    result, open_ends = [], []
    for start, end, row, col, kind, name in found:
        while open_ends and open_ends[-1] <= start:
            open_ends.pop()
        result.append((row, col, len(open_ends), kind, name))
        open_ends.append(end)
    return result


def outline(buf: kp.Buffer) -> list:
    cached = _outlines.get(buf.doc_id)
    if cached is not None and cached[0] == buf.revision:
        return cached[1]
    found = symbols(buf.text(), buf.language)
    _outlines[buf.doc_id] = (buf.revision, found)
    return found


def activate(ctx: kp.Context) -> None:
    @ctx.command("outline.goto")
    def goto(ctx: kp.Context, args: dict) -> dict:
        buf = ctx.buffer(args.get("doc_id", -1))
        if buf is None or buf.language not in WHEELS:
            language = buf.language if buf is not None else "this buffer"
            return kp.message(f"No outline for {language}: no tags query.")
        items = [(f"{'  ' * depth}{kind} {name}  :{row + 1}", None, row, col)
                 for row, col, depth, kind, name in outline(buf)]
        if not items:
            return kp.message("No symbols found.")
        return kp.pick(f"{len(items)} symbols", items)

    ctx.on("closed", lambda ctx, buf: _outlines.pop(buf.doc_id, None))
