"""Lazy loading and boundary crossings, measured: plugin activation (host running and cold),
manifest discovery with 100 plugins, start-up with the registry on/off and with 100 dummy
plugins installed, batched buffer-event frames, batched tree-sitter range queries.

    .venv/bin/python bench/plugins_bench.py [--runs 3] [--plugins 50]

Prints markdown tables (used in docs/patterns/04-lazy-loading.md and 07-boundary-crossings.md).
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time


def ms(seconds: float) -> str:
    return f"{seconds * 1e3:.1f} ms"


def tree_sitter_crossings(rows: int = 60, file_rows: int = 20_000) -> dict[str, float]:
    """Highlight captures for ``rows`` rows in the middle of a Python file: one ranged
    query (one crossing) against one query per row (``rows`` crossings)."""
    import tree_sitter as ts
    import tree_sitter_python as tsp

    lang = ts.Language(tsp.language())
    query = ts.Query(lang, tsp.HIGHLIGHTS_QUERY)
    line = "    total = compute(value, other) + 1  # comment\n"
    source = ("def f():\n" + line * file_rows).encode()
    tree = ts.Parser(lang).parse(source)
    first = file_rows // 2
    starts = [9 + len(line) * (first + i) for i in range(rows + 1)]

    def one() -> int:
        cursor = ts.QueryCursor(query)
        cursor.set_byte_range(starts[0], starts[-1])
        return sum(len(v) for v in cursor.captures(tree.root_node).values())

    def per_row() -> int:
        n = 0
        for a, b in zip(starts, starts[1:]):
            cursor = ts.QueryCursor(query)
            cursor.set_byte_range(a, b)
            n += sum(len(v) for v in cursor.captures(tree.root_node).values())
        return n

    out = {}
    for name, fn in (("one ranged query", one), ("one query per row", per_row)):
        fn()
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        out[name] = statistics.median(times)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--plugins", type=int, default=50)
    args = parser.parse_args()
    from kiro_proto import registry
    from kiro_proto.engine.plugins import (make_dummy_plugins, measure_activation,
                                           measure_batching, measure_discovery)

    act = measure_activation(args.plugins)
    print("## plugin activation (headless engine, host running)\n")
    print("| what | p50 | p95 |\n|---|---|---|")
    print(f"| activation: RunPluginCommand -> first answer ({args.plugins} plugins) | "
          f"{ms(act['activation_p50_s'])} | {ms(act['activation_p95_s'])} |")
    print(f"| command of an active plugin | {ms(act['command_p50_s'])} | "
          f"{ms(act['command_p95_s'])} |")
    print(f"| cold host start (spawn -> first answer) | {ms(act['cold_start_s'])} | |\n")

    disc = measure_discovery(100)
    print("## manifest discovery (stat-keyed cache warm)\n")
    print("| plugins | seconds |\n|---|---|")
    print(f"| bundled (4) | {ms(disc['bundled_s'])} |")
    print(f"| bundled + 100 dummy | {ms(disc['with_100_s'])} |")
    print(f"| added by 100 plugins | {ms(disc['added_s'])} |\n")

    print("## start-up to first paint (fresh interpreters, Pilot, median of "
          f"{args.runs})\n")
    base = registry.measure_startup(runs=args.runs)
    with tempfile.TemporaryDirectory() as tmp:
        make_dummy_plugins(tmp, 100)
        with_plugins = registry.measure_startup(runs=args.runs, plugins_dir=tmp)
    print("| registry | no extra plugins | 100 dummy plugins | modules loaded |")
    print("|---|---|---|---|")
    for label in ("lazy", "eager"):
        print(f"| {label} | {ms(base[label]['first_paint_s'])} | "
              f"{ms(with_plugins[label]['first_paint_s'])} | {base[label]['modules']} |")
    print()

    batch = measure_batching(200)
    print("## buffer events to the plugin host (200 one-key edits, 5 ms apart)\n")
    print("| mode | frames | events | events per frame |\n|---|---|---|---|")
    for label, row in batch.items():
        print(f"| {label} | {row['frames']} | {row['events']} | "
              f"{row['events'] / max(1, row['frames']):.1f} |")
    print()

    ts = tree_sitter_crossings()
    print("## tree-sitter captures for 60 rows of a 20,000-row file\n")
    print("| how | median |\n|---|---|")
    for name, seconds in ts.items():
        print(f"| {name} | {ms(seconds)} |")


if __name__ == "__main__":
    os.environ.setdefault("KIRO_CACHE_DIR", tempfile.mkdtemp(prefix="kiro-bench-cache-"))
    main()
