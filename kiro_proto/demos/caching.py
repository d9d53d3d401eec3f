"""``kiro-proto demo caching``: quick open's recent-query LRU and the persistent workspace
index, each with the ``caches`` switch on and off (fresh interpreters)."""

from __future__ import annotations

import os
import random
import shutil
import tempfile

from ._show import Report, in_fresh_interpreter

WORDS = ["src", "lib", "core", "util", "test", "engine", "ui", "widget", "parser", "render",
         "model", "view", "docs", "api", "data", "cache", "index", "config", "plugin", "theme"]
EXTS = [".py", ".py", ".md", ".js", ".ts", ".json", ".txt", ".rs"]
KEYS = ["r", "re", "ren", "rend", "rende", "render", "rende", "rend", "ren", "re", "r"]

# The keys of a user typing "render" into quick open and erasing it, over N generated paths,
# on the editor's own matcher (core.FuzzyIndex). Three repeats on a fresh index each.
QUICK_OPEN = r"""
import json, random, statistics, time
from kiro_proto.core import FuzzyIndex
words, exts, keys = {words!r}, {exts!r}, {keys!r}
rng = random.Random(0)
paths = [f"{{rng.choice(words)}}_{{i % 997}}/{{rng.choice(words)}}_{{i % 89}}/"
         f"{{rng.choice(words)}}_{{rng.choice(words)}}_{{i}}{{rng.choice(exts)}}"
         for i in range({n})]
totals, per_key = [], []
for _ in range(3):
    index = FuzzyIndex(paths)
    index.prepare()
    times = []
    for q in keys:
        t = time.perf_counter()
        index.search(q, 30)
        times.append(time.perf_counter() - t)
    totals.append(sum(times))
    per_key.append(times)
s = index.query_cache_statistics()
print(json.dumps({{"total_s": statistics.median(totals),
                   "erase_s": statistics.median(sum(t[6:]) for t in per_key),
                   "hits": s.hits, "misses": s.misses, "narrowed": index.narrowed}}))
"""

# Two starts of the index worker's code on the same folder and cache folder, as the editor
# runs it (engine/_workspace_worker.py: index_start, then index_next until done); the UI
# passes no cache path when the caches switch is off.
INDEX = r"""
import json, time
from kiro_proto import switches
from kiro_proto.engine._workspace import index_cache_path
from kiro_proto.engine._workspace_worker import Worker
root = {root!r}

def start():
    worker = Worker(None, None)
    path = index_cache_path(root) if switches.SWITCHES.caches else None
    t = time.perf_counter()
    cached, _ = worker.handle(0, "index_start", [root, path])
    first = None
    while True:
        added, removed, done, from_cache, total, _ = worker.handle(0, "index_next", [0.05])
        if first is None and added:
            first = time.perf_counter() - t
        if done:
            return {{"first_s": first, "done_s": time.perf_counter() - t, "cached": cached,
                     "listed": worker.scan.listed, "reused": worker.scan.reused}}

print(json.dumps({{"cold": start(), "warm": start()}}))
"""


def _workspace(root: str, files: int) -> None:
    """A folder tree like bench/genworkspace.py's: 20 files a folder, four levels deep."""
    rng = random.Random(0)
    folders = [""]
    while len(folders) < max(1, files // 20):
        parent = rng.choice(folders)
        if parent.count("/") < 3:
            name = f"{rng.choice(WORDS)}_{len(folders)}"
            folders.append(f"{parent}/{name}" if parent else name)
    for folder in folders:
        os.makedirs(os.path.join(root, folder), exist_ok=True)
    for i in range(files):
        name = f"{rng.choice(WORDS)}_{rng.choice(WORDS)}_{i}{rng.choice(EXTS)}"
        with open(os.path.join(root, folders[i % len(folders)], name), "w") as fh:
            fh.write("x\n")


def run(report: Report, quick: bool) -> None:
    paths = 20_000 if quick else 100_000
    files = 10_000 if quick else 50_000
    report.say(
        "An editor asks the same questions again and again. Quick open searches every path "
        "for each key; backspace asks what was asked a moment ago. And every start walks "
        "the whole workspace again to learn a file list that has barely changed.")
    report.say(
        "In memory, core/_lru.py is a bounded LRU (an OrderedDict: O(1) get and put) that "
        "counts hits and misses. Quick open (core/_fuzzy.py) keeps its recent queries in "
        "one, keyed by the index generation and the query: a query seen before is answered "
        "at once, a longer one searches only a kept prefix's candidates. On disk, "
        "engine/_cachefile.py stores the workspace index (one msgpack entry per folder); the "
        "next start offers those paths at once and re-lists only folders whose mtime "
        "changed. KIRO_ABLATE=caches makes every LRU keep nothing and skips the index file.")

    report.step(f"quick open over {paths:,} paths: type 'render' and erase it (11 keys), "
                f"median of 3, caches on and off in fresh interpreters")
    code = QUICK_OPEN.format(words=WORDS, exts=EXTS, keys=KEYS, n=paths)
    on, off = in_fresh_interpreter(code), in_fresh_interpreter(code, ablate="caches")
    report.compare("quick open, all 11 keys", on["total_s"], off["total_s"])
    report.compare("quick open, the 5 backspaces", on["erase_s"], off["erase_s"])

    tmp = tempfile.mkdtemp(prefix="kiro-demo-caching-")
    try:
        root = os.path.join(tmp, "workspace")
        report.step(f"a workspace of {files:,} files on disk, started twice (the index "
                    f"worker's code), caches on and off")
        _workspace(root, files)
        arms = {}
        for ablate in ("", "caches"):
            cache = os.path.join(tmp, f"cache-{ablate or 'on'}")
            arms[ablate] = in_fresh_interpreter(INDEX.format(root=root), ablate=ablate,
                                                env={"KIRO_CACHE_DIR": cache})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    i_on, i_off = arms[""], arms["caches"]
    report.compare("second start: every path in the index", i_on["warm"]["done_s"],
                   i_off["warm"]["done_s"],
                   on_label=f"read the index file, {i_on['warm']['listed']} folders listed",
                   off_label=f"walked, {i_off['warm']['listed']} folders listed")
    report.compare("second start: first paths for quick open", i_on["warm"]["first_s"],
                   i_off["warm"]["first_s"])
    warm = i_on["warm"]
    report.table(["what (caches on)", "hits", "misses", "hit rate"], [
        ["quick-open queries (one pass)", on["hits"], on["misses"],
         f"{on['hits'] / max(1, on['hits'] + on['misses']):.2f}"],
        ["index folders, second start", warm["reused"], warm["listed"],
         f"{warm['reused'] / max(1, warm['reused'] + warm['listed']):.2f}"],
    ])
    report.say(
        f"First start, no index file yet: {i_on['cold']['done_s']:.2f} s with caches on, "
        f"{i_off['cold']['done_s']:.2f} s off (both walk; on also writes the file). In one "
        f"pass of the 11 keys with caches on, {on['narrowed']} searched only a kept "
        f"prefix's candidates and {on['hits']} were answered from the cache; with caches off "
        f"every key scans all {paths:,} paths.")

