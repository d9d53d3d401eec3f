"""Demo: where the GIL-holding parse runs while the user edits: a syntax worker process
(``process_parse`` on) or 3 ms slices on the engine's loop (off), and why a plain thread is
no third option. Measures with ``bench/syntax_bench.py`` (the real engine, headless)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from ._show import Report, in_fresh_interpreter

BENCH = Path(__file__).resolve().parents[2] / "bench"

ARM = """
import json, sys
sys.path.insert(0, {bench!r})
from gen import generate_python
import syntax_bench
r = syntax_bench.measure(generate_python({size}), None, {edits})
print(json.dumps(r))
"""


def _syntax_bench() -> ModuleType:
    """``bench/syntax_bench.py`` from the source checkout (it is not part of the package)."""
    if not (BENCH / "syntax_bench.py").exists():
        raise SystemExit("kiro-proto demo background needs a source checkout (bench/)")
    sys.path.insert(0, str(BENCH))
    spec = importlib.util.spec_from_file_location("syntax_bench", BENCH / "syntax_bench.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def run(report: Report, quick: bool) -> None:
    size = 1_000_000 if quick else 2_000_000
    edits = 4 if quick else 10
    report.say(
        "The editor's engine runs on trio, as a guest on Textual's asyncio loop, in the UI's "
        "thread. Requests and events cross one bridge as typed messages on bounded inboxes; "
        "every result names the document revision it was computed for, so work for an "
        "old revision is dropped or cancelled. What the engine must never do is hold that "
        "thread for long, and a tree-sitter parse of a large file takes hundreds of ms.")
    report.say(
        "Two designs keep the parse off the UI's time. With process_parse on (the default) a "
        "syntax worker process mirrors each document and parses there; the UI thread only "
        "packs and unpacks msgpack frames. Off, the parse runs on the engine's loop in 3 ms "
        "slices (tree-sitter's progress callback), yielding between slices. Below: the "
        f"real engine opens a generated {size // 1_000_000} MB Python file and takes "
        f"{edits} edits in its middle, each waiting for its highlights, while a 1 ms "
        "heartbeat task on the loop records how late it wakes (the UI's stall).")
    report.step("worker process (fresh interpreter, KIRO_ABLATE='')")
    code = ARM.format(bench=str(BENCH), size=size, edits=edits)
    on = in_fresh_interpreter(code, ablate="")
    report.step("3 ms slices on the loop (fresh interpreter, KIRO_ABLATE=process_parse)")
    off = in_fresh_interpreter(code, ablate="process_parse")
    report.compare("longest stall of the loop during the first parse",
                   on["stall_during_first_parse_max_ms"] / 1e3,
                   off["stall_during_first_parse_max_ms"] / 1e3,
                   on_label=on["mode"], off_label=off["mode"])
    report.compare("longest stall of the loop while editing (reparse + viewport query)",
                   on["stall_while_editing_max_ms"] / 1e3, off["stall_while_editing_max_ms"] / 1e3,
                   on_label=on["mode"], off_label=off["mode"])
    report.compare("edit -> new highlights, p50 (includes the 30 ms typing debounce)",
                   on["edit_to_highlights_p50_ms"] / 1e3, off["edit_to_highlights_p50_ms"] / 1e3,
                   on_label=on["mode"], off_label=off["mode"])
    report.say(
        "Why not a thread? py-tree-sitter holds the GIL while it parses, so a parse in a "
        "thread stops every other Python thread, the UI's included. Here the main thread "
        "ticks every 1 ms while the same file is parsed elsewhere. Through a read callback "
        "(as the engine parses) the interpreter can switch threads inside the callback, but "
        "only after its 5 ms switch interval, so the loop still runs at a fraction of its "
        "speed.")
    gil = _syntax_bench()
    from gen import generate_python  # bench/ is on sys.path now

    data = generate_python(size)
    rows = {where: gil.gil_stall(data, where) for where in gil.GIL_ARMS}
    report.table(["parse runs in", "parse", "longest gap", "median gap", "ticks", "window"],
                 [[where, f"{r['parse_s']:.2f} s" if r["parse_s"] is not None else "-",
                   f"{r['longest_gap_ms']:.1f} ms", f"{r['median_gap_ms']:.2f} ms",
                   r["ticks"], f"{r['window_s']:.2f} s"] for where, r in rows.items()])
    report.compare("longest gap of a 1 ms ticking loop while the file is parsed",
                   rows["process"]["longest_gap_ms"] / 1e3, rows["thread"]["longest_gap_ms"] / 1e3,
                   on_label="another process", off_label="a plain thread")
    report.say(
        "Threads stay the right tool for work that releases the GIL: the recovery journal "
        "is written and fsynced on a thread, and plugin manifests are read on one. CPU work "
        "that keeps the GIL goes to a process or is cut into slices.")
