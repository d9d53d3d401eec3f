"""Demo: what replaces memory pools in Python (compact arrays, slots, flyweight styles),
measured with tracemalloc in fresh interpreters, ``compact`` on and off."""

from __future__ import annotations

from ._show import Report, in_fresh_interpreter

# One arm: the same three pieces of work; tracemalloc's current and peak bytes and the
# number of live blocks each left behind.
ARM = """
import gc, json, sys, tracemalloc

def traced(fn):
    gc.collect()
    blocks = sys.getallocatedblocks()
    tracemalloc.start()
    keep = fn()
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    out = {{"current": current, "peak": peak, "blocks": sys.getallocatedblocks() - blocks}}
    del keep
    return out

from kiro_proto.core import TextBuffer
from kiro_proto.ui._render import LineRenderer, RowDecor
from kiro_proto.ui._theme import SyntaxTheme

line = b"    total = compute(value, other) + 12345  # comment\\n"
buf = TextBuffer.from_bytes(line * ({size} // len(line)))

def newline_index():  # every block's newline offsets, as the cache keeps them
    return [buf._block_newlines(k) for k in range(min(buf.block_count, buf.NL_CACHE))]

def decors():  # one RowDecor per row on screen, kept in the memo keys
    return [RowDecor(cursor=r % 80, spans=((0, 5, "Name"), (6, 7, "Operator")))
            for r in range({rows})]

theme = SyntaxTheme()
renderer = LineRenderer(theme.palette, token_style=theme.style, cache_size={rows})
tokens = ("Keyword", "Name", "Name.Function", "Operator", "Literal.Number", "Comment")
texts = ["    total = compute(value, other) + %d  # comment" % r for r in range({rows})]

def rendered_rows():  # strips built from per-token styles
    for r, text in enumerate(texts):
        spans = tuple((4 * i, 4 * i + 3, tokens[(r + i) % len(tokens)]) for i in range(10))
        renderer.render(r, text, RowDecor(spans=spans), scroll_x=0, width=100, gutter=8,
                        current=False)
    return renderer

print(json.dumps({{"offsets": traced(newline_index), "decor": traced(decors),
                  "render": traced(rendered_rows)}}))
"""


def run(report: Report, quick: bool) -> None:
    report.say("""C programs keep many small objects cheap with pools and arenas. Python
        already allocates small objects from its own pools (pymalloc); what a Python program
        controls is how many objects it makes and how big each one is.""")
    report.say("""kiro-proto keeps a block's newline offsets in one array('I') (4 bytes each)
        instead of a list of int objects, gives per-row value types __slots__ (no __dict__
        per instance), and shares one rich Style per token type (a flyweight) instead of
        building one per span. The compact switch (KIRO_ABLATE=compact) turns all three
        off. tracemalloc counts the Python memory each arm allocated.""")
    size, rows = (2_000_000, 1_000) if quick else (8_000_000, 10_000)
    report.step(f"both arms: newline offsets of a {size // 1_000_000} MB buffer's cached "
                f"blocks, {rows:,} row decorations, {rows:,} rendered rows")
    on = in_fresh_interpreter(ARM.format(size=size, rows=rows))
    off = in_fresh_interpreter(ARM.format(size=size, rows=rows), ablate="compact")
    for key, what in (("offsets", "newline offsets of the cached blocks (held)"),
                      ("decor", f"{rows:,} RowDecor values (held)"),
                      ("render", f"{rows:,} rendered rows in the memo cache (held)")):
        report.compare(what, on[key]["current"], off[key]["current"], "B",
                       on_label=f"{on[key]['blocks']:,} blocks",
                       off_label=f"{off[key]['blocks']:,} blocks")
    report.compare("rendering, peak while it ran", on["render"]["peak"],
                   off["render"]["peak"], "B")
    report.say("""The array and the slots shrink what stays in memory. The flyweight saves
        less than it seems: rich memoizes Style addition by value, so rows still end up
        sharing the combined styles; the cost of the non-shared styles is mostly churn
        while rendering.""")
