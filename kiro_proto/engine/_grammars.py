"""Lazy registry of tree-sitter grammars: a language's wheel is imported, and its highlight
query compiled, only when a document in that language is first parsed.

Capture names (``keyword``, ``function.method``...) map onto Pygments token types, so one
Pygments style colours both tree-sitter and Pygments spans.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Grammar", "GRAMMARS", "grammar_for", "load_statistics", "capture_token"]


@dataclass(frozen=True, slots=True)
class GrammarSpec:
    module: str
    language_attr: str = "language"
    query_from: tuple[str, ...] = ()  # extra modules whose HIGHLIGHTS_QUERY comes first
    query_file: str | None = None  # a queries/*.scm shipped in the wheel


GRAMMARS: dict[str, GrammarSpec] = {
    "Python": GrammarSpec("tree_sitter_python"),
    "JavaScript": GrammarSpec("tree_sitter_javascript"),
    "TypeScript": GrammarSpec("tree_sitter_typescript", "language_typescript",
                              ("tree_sitter_javascript",), "queries/highlights.scm"),
    "Rust": GrammarSpec("tree_sitter_rust"),
    "Go": GrammarSpec("tree_sitter_go"),
    "C": GrammarSpec("tree_sitter_c"),
    "JSON": GrammarSpec("tree_sitter_json"),
    "TOML": GrammarSpec("tree_sitter_toml"),
    "YAML": GrammarSpec("tree_sitter_yaml"),
    # The wheel looks for its query at a path it does not ship; read the file directly.
    # (Block structure only: inline emphasis lives in a second grammar, not used here.)
    "Markdown": GrammarSpec("tree_sitter_markdown", query_file="queries/markdown/highlights.scm"),
    "Bash": GrammarSpec("tree_sitter_bash"),
    "HTML": GrammarSpec("tree_sitter_html"),
    "CSS": GrammarSpec("tree_sitter_css"),
}


class Grammar:
    """A loaded language: the tree-sitter Language and its compiled highlight query."""

    __slots__ = ("name", "language", "query", "tokens", "load_seconds")

    def __init__(self, name: str, language, query, tokens: list[str], load_seconds: float):
        self.name = name
        self.language = language
        self.query = query
        self.tokens = tokens  # capture index -> token name (see capture_token)
        self.load_seconds = load_seconds


_loaded: dict[str, Grammar | None] = {}


def grammar_for(language: str) -> Grammar | None:
    """The grammar for a language name (as ``core.language_for_path`` names it), loaded on
    first use; None when no wheel is registered or installed for it."""
    if language in _loaded:
        return _loaded[language]
    spec = GRAMMARS.get(language)
    grammar = None
    if spec is not None:
        t0 = time.perf_counter()
        try:
            import tree_sitter as ts

            mod = importlib.import_module(spec.module)
            lang = ts.Language(getattr(mod, spec.language_attr)())
            sources = [importlib.import_module(m).HIGHLIGHTS_QUERY for m in spec.query_from]
            if spec.query_file:
                sources.append((Path(mod.__file__).parent / spec.query_file).read_text())
            else:
                sources.append(mod.HIGHLIGHTS_QUERY)
            query = ts.Query(lang, "\n".join(sources))
            tokens = [capture_token(query.capture_name(i)) for i in range(query.capture_count)]
            grammar = Grammar(language, lang, query, tokens, time.perf_counter() - t0)
        except (ImportError, AttributeError, OSError, ValueError, SyntaxError):
            grammar = None
    _loaded[language] = grammar
    return grammar


def load_statistics() -> dict[str, float]:
    """Seconds each loaded grammar cost (import + query compile)."""
    return {name: g.load_seconds for name, g in _loaded.items() if g is not None}


# Capture name prefixes -> Pygments token names (most specific first). Names are strings
# here so the mapping costs no Pygments import; the UI resolves them to token types.
_CAPTURES = [
    ("comment", "Comment"),
    ("string.escape", "String.Escape"), ("escape", "String.Escape"),
    ("string.special", "String.Other"), ("string.regex", "String.Regex"),
    ("string", "String"), ("character", "String.Char"),
    ("number", "Number"), ("float", "Number.Float"),
    ("boolean", "Keyword.Constant"), ("constant.builtin", "Keyword.Constant"),
    ("constant", "Name.Constant"),
    ("keyword", "Keyword"), ("conditional", "Keyword"), ("repeat", "Keyword"),
    ("include", "Keyword.Namespace"), ("exception", "Keyword"),
    ("operator", "Operator"),
    ("function.builtin", "Name.Builtin"), ("function.method", "Name.Function"),
    ("function.macro", "Name.Function.Magic"), ("function", "Name.Function"),
    ("method", "Name.Function"), ("constructor", "Name.Class"),
    ("type.builtin", "Keyword.Type"), ("type", "Name.Class"),
    ("attribute", "Name.Decorator"), ("decorator", "Name.Decorator"),
    ("tag", "Name.Tag"), ("label", "Name.Label"),
    ("namespace", "Name.Namespace"), ("module", "Name.Namespace"),
    ("property", "Name.Attribute"), ("field", "Name.Attribute"),
    ("variable.builtin", "Name.Builtin.Pseudo"), ("variable.parameter", "Name.Variable"),
    ("variable", "Name"),
    ("punctuation.special", "Punctuation"), ("punctuation", "Punctuation"),
    ("embedded", "Name"),
    ("text.title", "Generic.Heading"), ("markup.heading", "Generic.Heading"),
    ("text.emphasis", "Generic.Emph"), ("markup.italic", "Generic.Emph"),
    ("text.strong", "Generic.Strong"), ("markup.bold", "Generic.Strong"),
    ("text.uri", "Name.Label"), ("markup.link", "Name.Label"),
    ("text.literal", "String"), ("markup.raw", "String"),
]


def capture_token(capture: str) -> str:
    """Pygments token name for a capture name, by longest matching dotted prefix."""
    for prefix, token in _CAPTURES:
        if capture == prefix or capture.startswith(prefix + "."):
            return token
    return "Text"
