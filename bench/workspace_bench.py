#!/usr/bin/env python3
"""Workspace benchmark: cold start against warm start on a large workspace, measured in the
real app under Textual's Pilot (headless).

    python bench/genworkspace.py /tmp/ws100k
    python bench/workspace_bench.py /tmp/ws100k [--keys 200]

Cold: an empty cache directory; keys are typed into the editor while the first index walk
runs, and the time each key takes (``pilot.press``: the key handled and the screen
updated) is recorded. Warm: the same cache directory again; time until the persistent
index is in, and the time from a keystroke in quick open to its results. Prints a JSON
report; ``cache_statistics`` is included for each run.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))


def pct(values, p):
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p))], 2) if values else None


async def run_once(root: str, keys: int, query: str) -> dict:
    from kiro_proto.ui import KiroApp
    from kiro_proto.ui._workspace import cache_statistics

    target = os.path.join(root, "typing.py")
    with open(target, "w") as f:
        f.write("x = 1\n")
    t0 = time.perf_counter()
    app = KiroApp([target], workspace=root)
    out: dict = {}
    async with app.run_test(size=(120, 40)) as pilot:
        ws = app.workspace_ui
        out["mounted_s"] = round(time.perf_counter() - t0, 3)
        key_ms = []
        grew_ms = []
        handle = ws.handle

        def timed(event):
            h0 = time.perf_counter()
            try:
                return handle(event)
            finally:
                grew_ms.append((time.perf_counter() - h0) * 1e3)

        ws.handle = timed
        typed_during_walk = 0
        while not ws.index_done and time.perf_counter() - t0 < 120:
            for ch in "abc ":
                k0 = time.perf_counter()
                await pilot.press(ch)
                key_ms.append((time.perf_counter() - k0) * 1e3)
                if not ws.index_done:
                    typed_during_walk += 1
            if len(key_ms) >= keys:
                await pilot.pause(0.05)
        idle_ms = []
        for ch in "abcd" * 10:  # the same keys once the walk is over: the baseline
            k0 = time.perf_counter()
            await pilot.press(ch)
            idle_ms.append((time.perf_counter() - k0) * 1e3)
        out["key_after_walk_p50_ms"] = pct(idle_ms, 0.5)
        out["key_after_walk_p95_ms"] = pct(idle_ms, 0.95)
        out["index_paths"] = len(ws.index)
        out["index_from_cache"] = ws.index_cached
        out["first_index_batch_s"] = round(ws.index_first_batch, 3)
        out["index_walk_s"] = round(ws.index_seconds, 3)
        out["keys_during_walk"] = typed_during_walk
        out["event_handler_max_ms"] = round(max(grew_ms), 2) if grew_ms else None
        out["event_handler_total_ms"] = round(sum(grew_ms), 1)
        out["key_p50_ms"] = pct(key_ms, 0.5)
        out["key_p95_ms"] = pct(key_ms, 0.95)
        out["key_max_ms"] = round(max(key_ms), 2) if key_ms else None
        # quick open: time from a keystroke to the screen showing results
        await pilot.press("ctrl+p")
        screen = app.screen
        qo_ms, search_ms = [], []
        for ch in query:
            k0 = time.perf_counter()
            await pilot.press(ch)
            qo_ms.append((time.perf_counter() - k0) * 1e3)
            search_ms.append(screen.last_search_ms)
        out["quick_open_first_key_ms"] = round(qo_ms[0], 2)
        out["quick_open_key_ms"] = [round(v, 1) for v in qo_ms]
        out["quick_open_search_ms"] = [round(v, 1) for v in search_ms]
        out["quick_open_top"] = screen.results[:3]
        await pilot.press("escape")
        out["caches"] = {k: v for k, v in cache_statistics(app).items()
                         if k != "workspace index"}
    os.remove(target)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root")
    parser.add_argument("--keys", type=int, default=200)
    parser.add_argument("--query", default="render")
    args = parser.parse_args()
    cache = tempfile.mkdtemp(prefix="kiro-cache-")
    os.environ["KIRO_CACHE_DIR"] = cache
    os.environ.setdefault("KIRO_STATE_DIR", tempfile.mkdtemp(prefix="kiro-state-"))
    root = os.path.abspath(args.root)
    report = {"root": root, "cold": asyncio.run(run_once(root, args.keys, args.query))}
    report["warm"] = asyncio.run(run_once(root, args.keys, args.query))
    print(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
