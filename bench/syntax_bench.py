#!/usr/bin/env python3
"""Syntax engine measurements, headless, on the real engine (no terminal):

- time from opening a document to its first tree-sitter highlights, and the full parse;
- how long the engine's thread is held at a stretch while that parse runs (the stall the
  UI would feel, since the engine runs in the UI's thread): a 1 ms heartbeat task records
  how late it wakes;
- edit -> highlights latency for the edited revision (typing in the middle of the file);
- incremental versus from-scratch reparse after an edit.

Both syntax modes (sliced on the loop, and the worker process) run in the same process.

    .venv/bin/python bench/syntax_bench.py --sizes 100KB,1MB,10MB --edits 20
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time

import trio

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gen import generate_python, parse_size  # noqa: E402

from kiro_proto import switches  # noqa: E402
from kiro_proto.core import Document, Pos  # noqa: E402
from kiro_proto.engine import (ApplyEdit, Engine, HighlightsReady, OpenDocument,  # noqa: E402
                               ParseCompleted, RequestHighlights)


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))] if values else float("nan")


def measure(data: bytes, mode: str | None, edits: int, incremental: bool = True) -> dict:
    """One arm. ``mode``: "sliced", "process", or None for the one the ``process_parse``
    switch picks (``KIRO_ABLATE``); other switches are kept as they are."""
    saved = switches.SWITCHES
    switches.configure(dataclasses.replace(saved, incremental_parse=incremental))
    doc = Document(data)
    events: list = []
    lateness: list[float] = []
    result: dict = {"mode": mode, "incremental": incremental}

    async def heartbeat(stop: trio.Event) -> None:
        while not stop.is_set():
            t = time.perf_counter()
            await trio.sleep(0.001)
            lateness.append(time.perf_counter() - t - 0.001)

    async def wait_for(predicate, timeout=120.0):
        with trio.fail_after(timeout):
            while not predicate():
                await trio.sleep(0.001)

    async def main() -> None:
        engine = Engine(events.append, syntax_mode=mode)
        result["mode"] = engine.syntax_mode
        stop = trio.Event()
        async with trio.open_nursery() as nursery:
            await nursery.start(engine.run)
            mid = doc.line_count // 2
            t0 = time.perf_counter()
            nursery.start_soon(heartbeat, stop)
            engine.inbox.send_nowait(OpenDocument(1, doc, "Python"))
            engine.inbox.send_nowait(RequestHighlights(1, doc.revision, mid, mid + 80))
            await wait_for(lambda: any(isinstance(e, HighlightsReady) for e in events))
            result["first_highlights_s"] = time.perf_counter() - t0
            result["stall_during_first_parse_max_ms"] = max(lateness) * 1e3 if lateness else 0.0
            result["stall_during_first_parse_p99_ms"] = pct(lateness, 0.99) * 1e3
            first = next(e for e in events if isinstance(e, ParseCompleted))
            result["full_parse_s"] = first.seconds
            result["slices"] = first.slices
            result["longest_slice_ms"] = first.longest_slice * 1e3
            latencies, reparses = [], []
            lateness.clear()
            for i in range(edits):
                edit = doc.insert(Pos(mid + 3, 0), f"value_{i} = 'x'  # edit\n")
                t = time.perf_counter()
                engine.inbox.send_nowait(ApplyEdit(1, edit))
                engine.inbox.send_nowait(RequestHighlights(1, doc.revision, mid, mid + 80))
                rev = doc.revision
                await wait_for(lambda: any(isinstance(e, HighlightsReady) and e.revision == rev
                                           for e in events))
                latencies.append(time.perf_counter() - t)
                done = [e for e in events if isinstance(e, ParseCompleted) and e.revision == rev]
                if done:
                    reparses.append(done[-1].seconds)
                await trio.sleep(0.05)
            result["edit_to_highlights_p50_ms"] = pct(latencies, 0.5) * 1e3
            result["edit_to_highlights_p95_ms"] = pct(latencies, 0.95) * 1e3
            result["reparse_p50_ms"] = pct(reparses, 0.5) * 1e3
            result["stall_while_editing_max_ms"] = max(lateness) * 1e3 if lateness else 0.0
            stats = engine.statistics()
            result["bus_wait_p50_ms"] = stats.bus.inboxes[0].wait_p50_ms
            result["worker_round_trip_p50_ms"] = (stats.workers[0].round_trip_p50_ms
                                                  if stats.workers else None)
            stop.set()
            engine.stop()

    try:
        trio.run(main)
    finally:
        switches.configure(saved)
    return result


GIL_ARMS = ("idle", "thread", "thread-callback", "process")

_CHILD_PARSE = """
import sys, time, tree_sitter
from kiro_proto.engine._grammars import grammar_for
data = open(sys.argv[1], "rb").read()
parser = tree_sitter.Parser(grammar_for("Python").language)
start = time.perf_counter()
parser.parse(data)
print(time.perf_counter() - start)
"""


def gil_stall(data: bytes, where: str, idle_s: float = 0.3) -> dict:
    """Why a thread is not background work for tree-sitter: this thread ticks every 1 ms
    (a stand-in for the UI's event loop) while ``data`` (Python source) is parsed

    - ``thread``: ``Parser.parse(bytes)`` in a ``threading.Thread``;
    - ``thread-callback``: the same through a read callback (16 KiB at a time), as the
      engine parses: the callback runs Python, where the interpreter can switch threads;
    - ``process``: in a child interpreter (its start-up included), as the syntax worker;
    - ``idle``: nothing, for ``idle_s`` seconds (the tick loop's own jitter here).

    Returns the longest gap between two ticks and the median gap (ms), ticks done, and the
    parse time (s) measured where the parse ran."""
    import statistics
    import subprocess
    import tempfile
    import threading

    import tree_sitter

    from kiro_proto.engine._grammars import grammar_for

    if where not in GIL_ARMS:
        raise ValueError(f"where: one of {', '.join(GIL_ARMS)}")
    parser = tree_sitter.Parser(grammar_for("Python").language)
    parsed: dict = {}

    def in_thread() -> None:
        start = time.perf_counter()
        if where == "thread":
            parser.parse(data)
        else:
            parser.parse(lambda offset, _point: data[offset:offset + 16384])
        parsed["s"] = time.perf_counter() - start

    with tempfile.NamedTemporaryFile(suffix=".py") as source:
        source.write(data)
        source.flush()
        stamps = [time.perf_counter()]
        if where == "idle":
            end = stamps[0] + idle_s
            busy = lambda: time.perf_counter() < end  # noqa: E731
        elif where == "process":
            child = subprocess.Popen([sys.executable, "-c", _CHILD_PARSE, source.name],
                                     stdout=subprocess.PIPE, text=True)
            busy = lambda: child.poll() is None  # noqa: E731
        else:
            worker = threading.Thread(target=in_thread)
            worker.start()
            busy = worker.is_alive
        while busy():
            time.sleep(0.001)
            stamps.append(time.perf_counter())
        if where == "process":
            parsed["s"] = float(child.stdout.read().strip())
        elif where != "idle":
            worker.join()
    gaps = [b - a for a, b in zip(stamps, stamps[1:])] or [stamps[-1] - stamps[0]]
    return {"where": where, "longest_gap_ms": max(gaps) * 1e3,
            "median_gap_ms": statistics.median(gaps) * 1e3, "ticks": len(gaps),
            "window_s": stamps[-1] - stamps[0], "parse_s": parsed.get("s")}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="100KB,1MB,10MB")
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--modes", default="sliced,process")
    ap.add_argument("--no-ablation", action="store_true", help="skip the from-scratch arm")
    ap.add_argument("--gil", action="store_true",
                    help="instead: a 1 ms ticking loop while a parse runs in a thread, a "
                         "thread with a read callback, or a process (gil_stall)")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    rows = []
    if args.gil:
        for size in args.sizes.split(","):
            data = generate_python(parse_size(size))
            for where in GIL_ARMS:
                r = gil_stall(data, where)
                r["size"] = size
                rows.append(r)
                parse = f"parse {r['parse_s']:.2f} s" if r["parse_s"] is not None else "no parse"
                print(f"{size:>6} {where:>15}  {parse}  longest gap {r['longest_gap_ms']:.1f} ms"
                      f"  median gap {r['median_gap_ms']:.2f} ms  ticks {r['ticks']}"
                      f" in {r['window_s']:.2f} s", flush=True)
        if args.json:
            with open(args.json, "w") as f:
                json.dump({"rows": rows, "cpu_count": os.cpu_count()}, f, indent=1)
        return 0
    for size in args.sizes.split(","):
        data = generate_python(parse_size(size))
        for mode in args.modes.split(","):
            arms = [True] if args.no_ablation else [True, False]
            for incremental in arms:
                r = measure(data, mode, args.edits, incremental)
                r["size"] = size
                rows.append(r)
                print(f"{size:>6} {mode:>7} {'incr' if incremental else 'full':>4}  "
                      f"first hl {r['first_highlights_s']:.2f} s  parse {r['full_parse_s']:.2f} s "
                      f"({r['slices']} slices, longest {r['longest_slice_ms']:.1f} ms)  "
                      f"stall max {r['stall_during_first_parse_max_ms']:.1f} ms  "
                      f"edit->hl p50 {r['edit_to_highlights_p50_ms']:.0f} / p95 "
                      f"{r['edit_to_highlights_p95_ms']:.0f} ms  reparse p50 "
                      f"{r['reparse_p50_ms']:.1f} ms  stall editing {r['stall_while_editing_max_ms']:.1f} ms",
                      flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"rows": rows, "cpu_count": os.cpu_count()}, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
