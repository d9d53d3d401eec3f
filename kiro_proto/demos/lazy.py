"""``kiro-proto demo lazy``: start-up with the lazy module registry on and off (each in fresh
interpreters), and a tree-sitter grammar loaded on its first use."""

from __future__ import annotations

import statistics

from ._show import Report, in_fresh_interpreter

# One start: interpreter already running (its own ~20 ms boot is not counted), import the
# UI, build the app (registry.startup() runs there: eager mode loads everything), run it
# headless until it is ready to paint. Then what is loaded, and a grammar's first use.
ARM = r"""
import time
t0 = time.perf_counter()
import asyncio, json, resource, sys
from kiro_proto.ui import KiroApp
from kiro_proto import registry

app = KiroApp([])
out = {}

async def main():
    async with app.run_test(size=(100, 30)) as pilot:
        out["first_paint_s"] = time.perf_counter() - t0
        out["cpu_s"] = time.process_time()  # CPU of this process since it started
        out["modules"] = len(sys.modules)
        infos = registry.REGISTRY.statistics()
        out["registry_loaded"] = sum(i.loaded for i in infos)
        out["registry_total"] = len(infos)
        out["grammar_wheels"] = sorted({m.split(".")[0] for m in sys.modules
                                        if m.startswith("tree_sitter_")})
        out["rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        await pilot.pause()

asyncio.run(main())
from kiro_proto.engine._grammars import grammar_for
out["rust_loaded_before"] = "tree_sitter_rust" in sys.modules
g0 = time.perf_counter()
grammar = grammar_for("Rust")
g1 = time.perf_counter()
grammar_for("Rust")
g2 = time.perf_counter()
out["rust_first_use_s"] = g1 - g0
out["rust_again_s"] = g2 - g1
out["rust_query_patterns"] = grammar.query.pattern_count if grammar else 0
print(json.dumps(out))
"""


def _arms(runs: int) -> tuple[dict, dict]:
    """Lazy and eager starts, interleaved (so a busy moment hits both), after one
    unmeasured start that warms the OS file cache and the bytecode caches."""
    in_fresh_interpreter(ARM)
    results: dict[str, list[dict]] = {"": [], "lazy_registry": []}
    for _ in range(runs):
        for ablate in results:
            results[ablate].append(in_fresh_interpreter(ARM, ablate=ablate))
    medians = []
    for arm in results.values():
        row = dict(arm[-1])
        for key in ("first_paint_s", "cpu_s", "rss_bytes", "rust_first_use_s",
                    "rust_again_s"):
            row[key] = statistics.median(r[key] for r in arm)
        medians.append(row)
    return medians[0], medians[1]


def run(report: Report, quick: bool) -> None:
    runs = 1 if quick else 5
    report.say(
        "An editor could import everything it might need before its first frame: trio and "
        "the engine, tree-sitter and every grammar (each a compiled wheel plus a highlight "
        "query compiled at load), quick open, the plugin machinery. Most sessions use a few "
        "of these, and the first screen needs none of them.")
    report.say(
        "kiro_proto/registry.py keeps one table of names -> loaders. Registering costs "
        "nothing; the first load(name) imports or builds the entry and records what it "
        "cost. engine/_grammars.py loads a grammar only when a document in that language is "
        "first parsed. With KIRO_ABLATE=lazy_registry, registry.startup() (called as the "
        "app is built) loads every entry at once: the eager baseline.")
    report.step(f"{2 * runs + 1} fresh interpreters (one to warm the caches): start the app "
                f"headless (Textual run_test), then load the Rust grammar")
    lazy, eager = _arms(runs)
    report.compare("start-up: interpreter running -> app ready to paint (median)",
                   lazy["first_paint_s"], eager["first_paint_s"])
    report.compare("CPU time of the process until then, interpreter start-up included "
                   "(less sensitive to other jobs on the machine)",
                   lazy["cpu_s"], eager["cpu_s"])
    report.compare("modules in sys.modules at that moment", lazy["modules"], eager["modules"],
                   unit="modules",
                   on_label=f"registry entries loaded {lazy['registry_loaded']}/"
                            f"{lazy['registry_total']}",
                   off_label=f"registry entries loaded {eager['registry_loaded']}/"
                             f"{eager['registry_total']}")
    report.compare("peak RSS at that moment", lazy["rss_bytes"], eager["rss_bytes"], unit="B")
    report.compare("grammar wheels imported at start", len(lazy["grammar_wheels"]),
                   len(eager["grammar_wheels"]), unit="wheels")
    report.compare("first use of the Rust grammar (import the wheel, compile its "
                   f"{lazy['rust_query_patterns']}-pattern highlight query)",
                   lazy["rust_first_use_s"], eager["rust_first_use_s"],
                   on_label="loaded now" if not lazy["rust_loaded_before"] else "already loaded",
                   off_label="already loaded at start" if eager["rust_loaded_before"]
                   else "loaded now")
    report.say(
        f"The last comparison goes the other way, as it should: lazy loading does not make "
        f"the work disappear, it moves it to the moment it is needed, and only for what is "
        f"needed. A Rust file costs "
        f"{lazy['rust_first_use_s'] * 1e3:.1f} ms once, when it is first parsed (in the "
        f"syntax worker process, off the UI's loop); a session that never opens one never "
        f"pays it. A second use is a dictionary lookup "
        f"({lazy['rust_again_s'] * 1e6:.1f} us).")
