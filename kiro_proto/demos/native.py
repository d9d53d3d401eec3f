"""Demo: hot paths in C (msgpack's C extension) and the optional mypyc-compiled core, each
against its pure-Python twin, in fresh interpreters (``KIRO_ABLATE=native``)."""

from __future__ import annotations

from ._show import Report, in_fresh_interpreter

# One arm: the core workloads of docs/patterns/01 and a msgpack round trip, medians in s.
ARM = """
import json, random, statistics, time
from kiro_proto import core
from kiro_proto.core import Document, Finder, Pos, TextBuffer, layout_line
from kiro_proto.engine import _msgpack

def median(fn, repeats=5):
    fn()
    times = []
    for _ in range(repeats):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    return statistics.median(times)

SIZE = {size}
line = b"    def method(self, value):  # a\\tline of some python text\\n"
data = line * (SIZE // len(line))
doc = Document(data)
rows = doc.line_count
mid = Pos(rows // 2, 4)
rng = random.Random(1)
probes = [rng.randrange(rows) for _ in range(500)]
texts = [doc.line_text(r) for r in probes[:500]]
frame = [2, "highlights", [[r, [[0, 4, "Keyword"], [5, 11, "Name.Function"]]] for r in range(400)]]

def insert():
    for _ in range(50):
        doc.insert(mid, "x")
def lookups():
    for r in probes:
        doc.offset_of(Pos(r, 3))
        doc.position_of(r * 7)
def search():
    Finder(doc).count("value", limit=1_000_000)
def columns():
    for t in texts:
        layout_line(t).col_to_cell(20)
def msgpack_round_trip():
    for _ in range(5):
        _msgpack.unpackb(_msgpack.packb(frame))

print(json.dumps({{"native": core.NATIVE.describe(), "compiled": core.NATIVE.compiled,
                  "msgpack": _msgpack.implementation(),
                  "insert": median(insert), "lookups": median(lookups),
                  "search": median(search), "columns": median(columns),
                  "msgpack_rt": median(msgpack_round_trip)}}))
"""


def run(report: Report, quick: bool) -> None:
    report.say("""CPython runs each bytecode through its interpreter loop. An editor's hot paths
        are kept fast by handing the inner loops to C that is already there: tree-sitter
        parses, bytes.count and re scan the text, msgpack's C extension encodes the engine's
        frames. Only the glue is Python.""")
    report.say("""`make native` goes one step further: mypyc compiles the type-annotated modules
        of kiro_proto.core into C extensions in build/native/. With the native switch off
        (KIRO_ABLATE=native) the same work runs on the .py modules and on msgpack.fallback,
        msgpack's pure-Python twin. Both arms below run in fresh interpreters.""")
    size = 1_000_000 if quick else 10_000_000
    report.step(f"both arms: a {size // 1_000_000} MB document, medians of 5 runs")
    on = in_fresh_interpreter(ARM.format(size=size))
    off = in_fresh_interpreter(ARM.format(size=size), ablate="native")
    report.say(f"on: {on['native']}; msgpack {on['msgpack']}. "
               f"off: {off['native']}; msgpack {off['msgpack']}.")
    if not on["compiled"]:
        report.say("""There is no current compiled build, so the core rows compare the .py
            modules with themselves: expect no difference there. Run `make native` and
            this demo again to see the compiled core.""")
    label_on = "mypyc" if on["compiled"] else "interpreted"
    for key, what in (("insert", "50 one-character inserts in the middle"),
                      ("lookups", "500 (row, col) -> offset and offset -> (row, col)"),
                      ("search", "count a word over the whole document (re in C, both arms)"),
                      ("columns", "display columns of 500 lines (layout_line)")):
        report.compare(what, on[key], off[key], "s", on_label=label_on,
                       off_label="interpreted")
    report.compare("msgpack: 5 round trips of a 400-row highlights frame", on["msgpack_rt"],
                   off["msgpack_rt"], "s", on_label="C extension", off_label="msgpack.fallback")
