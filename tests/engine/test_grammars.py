"""Every registered grammar loads on first use and colours a snippet; other languages fall
back to Pygments."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kiro_proto.core import TextBuffer
from kiro_proto.engine import GRAMMARS, grammar_for, lex_window
from kiro_proto.engine._parsing import DocumentParse

SNIPPETS = {
    "Python": b"def f(x):\n    return x + 1  # hi\n",
    "JavaScript": b"function f(x) { return x + 1; } // hi\n",
    "TypeScript": b"function f(x: number): number { return x + 1; } // hi\n",
    "Rust": b"fn f(x: i32) -> i32 { x + 1 } // hi\n",
    "Go": b"package main\nfunc f(x int) int { return x + 1 } // hi\n",
    "C": b"int f(int x) { return x + 1; } /* hi */\n",
    "JSON": b'{"a": [1, true, null, "s"]}\n',
    "TOML": b'[table]\nkey = "value" # hi\n',
    "YAML": b"key: value # hi\nlist: [1, 2]\n",
    "Markdown": b"# Title\n\nSome *text*.\n",
    "Bash": b'echo "hi" # hi\nif [ -f x ]; then ls; fi\n',
    "HTML": b'<div class="a">hi</div>\n',
    "CSS": b".a { color: red; } /* hi */\n",
}


@pytest.mark.parametrize("language", sorted(GRAMMARS))
def test_grammar_loads_and_highlights(language):
    grammar = grammar_for(language)
    assert grammar is not None, f"{language}: wheel missing or query does not compile"
    parse = DocumentParse(grammar)
    source = SNIPPETS[language]
    parse.begin(TextBuffer.from_bytes(source), 0)
    assert parse.step(None)
    rows = parse.highlight(0, source.count(b"\n"))
    tokens = {tok for row in rows for *_, tok in row}
    assert tokens - {"Text"}, f"{language}: no spans"


def test_grammars_load_only_on_first_use():
    probe = ("import sys; from kiro_proto.engine import grammar_for; "
             "grammar_for('Rust'); print(sorted(m for m in sys.modules "
             "if m.startswith('tree_sitter_') and '.' not in m))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "['tree_sitter_rust']"


def test_other_languages_fall_back_to_pygments():
    rows = lex_window(["SELECT a FROM t; -- hi"], "SQL")
    assert rows and {"Keyword"} & {tok.split(".")[0] for *_, tok in rows[0]}
    assert lex_window(["x"], "Plain text") is None
