"""Demo: what tracemalloc sees and what RSS sees, with the tree_limit switch on and off: a
tree-sitter tree lives in C memory, invisible to tracemalloc."""

from __future__ import annotations

from ._show import Report, in_fresh_interpreter

# One arm: open a Python file the way the syntax service does (tree-sitter when gets_tree
# allows it, else Pygments on one window), measuring tracemalloc and this process's RSS.
ARM = """
import gc, json, tracemalloc
import psutil
from kiro_proto.core import Document
from kiro_proto.engine import MAX_TREE_SITTER_BYTES, gets_tree, grammar_for, lex_window
from kiro_proto.engine._parsing import DocumentParse

chunk = (b"def handler_%d(event, context):\\n    value = event.get('k') or 0\\n"
         b"    return {{'status': 200, 'body': str(value * 2)}}\\n\\n")
data = b"".join(chunk % i for i in range({size} // len(chunk)))
doc = Document(data)
grammar = grammar_for("Python")  # loaded before measuring, in both arms
me = psutil.Process()
gc.collect()
rss0 = me.memory_info().rss
tracemalloc.start()
if gets_tree(len(data)):
    parse = DocumentParse(grammar)
    parse.begin(doc.buffer.snapshot(), 0)
    parse.step(None)
    spans = parse.highlight(0, 40)
    how = "tree-sitter tree"
else:
    spans = lex_window(doc.lines(0, 40), "Python")
    how = "Pygments, 40-row window"
current, peak = tracemalloc.get_traced_memory()
tracemalloc.stop()
print(json.dumps({{"how": how, "limit": MAX_TREE_SITTER_BYTES, "size": len(data),
                  "traced": current, "peak": peak, "rss": me.memory_info().rss - rss0}}))
"""


def run(report: Report, quick: bool) -> None:
    report.say("""tracemalloc counts the memory handed out through Python's allocator, with a
        traceback for each block; RSS is what the operating system has given the whole
        process. A C library that calls malloc directly is invisible to tracemalloc. The
        tree-sitter binding used here (py-tree-sitter 0.26) routes tree-sitter's
        allocations through Python's allocator, so its trees do show, attributed to the
        parse call; RSS shows them as well, plus allocator overhead.""")
    report.say("""What tracemalloc never sees is another process. In process mode (the
        default) the tree lives in the syntax worker: the UI's RSS does not grow, the
        worker's does (the benchmark mode's rss_ui and rss_children columns). Files over
        MAX_TREE_SITTER_BYTES (12 MiB) get Pygments on the visible window and no tree; the
        tree_limit switch off parses them anyway.""")
    size = 300_000 if quick else 3_000_000
    limit = str(size // 2)  # KIRO_TREE_LIMIT_BYTES: the demo's file is over the limit
    report.step(f"both arms: open a {size / 1e6:g} MB Python file with the limit lowered to "
                f"{int(limit) / 1e6:g} MB (KIRO_TREE_LIMIT_BYTES, for this demo only), "
                f"each arm in its own interpreter")
    env = {"KIRO_TREE_LIMIT_BYTES": limit}
    on = in_fresh_interpreter(ARM.format(size=size), env=env)
    off = in_fresh_interpreter(ARM.format(size=size), ablate="tree_limit", env=env)
    report.say(f"on: {on['how']}. off: {off['how']}.")
    report.compare("RSS growth of the process (sees C allocations)", on["rss"], off["rss"],
                   "B", on_label=on["how"], off_label=off["how"])
    report.compare("tracemalloc, held after opening (Python's allocator: the tree too)",
                   on["traced"], off["traced"], "B")
    report.compare("tracemalloc peak while opening", on["peak"], off["peak"], "B")
    report.say(f"With the tree, RSS grew {off['rss'] / max(off['size'], 1):.1f} bytes per "
               f"byte of source and tracemalloc held {off['traced'] / max(off['size'], 1):.1f}; "
               f"the limit keeps both near the cost of one window.")
