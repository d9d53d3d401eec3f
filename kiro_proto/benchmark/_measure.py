"""Measuring tools shared by the workloads: percentiles, the calibration workload that
normalises times across machines, and memory (tracemalloc in its own pass; RSS of the UI
process and of every child process)."""

from __future__ import annotations

import gc
import hashlib
import math
import os
import sys
import time
import tracemalloc
from contextlib import contextmanager
from typing import Iterator

__all__ = ["calibrate", "distribution", "memory_pass", "percentile", "process_rss"]


def percentile(samples: list[float], q: float) -> float | None:
    """Nearest-rank percentile (``q`` in 0..100) of ``samples``; None when empty."""
    if not samples:
        return None
    ordered = sorted(samples)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def distribution(prefix: str, samples: list[float]) -> dict[str, float | None]:
    """``{prefix_p50_s, prefix_p95_s, prefix_p99_s, prefix_max_s}`` of samples in seconds."""
    return {f"{prefix}_p50_s": percentile(samples, 50), f"{prefix}_p95_s": percentile(samples, 95),
            f"{prefix}_p99_s": percentile(samples, 99),
            f"{prefix}_max_s": max(samples) if samples else None}


def _calibration_body() -> int:
    """Fixed pure-Python work of the kind an editor's UI thread does: build strings, split,
    hash, sort, and walk dicts. No C extension does the bulk of it, no I/O, no tree-sitter."""
    acc = 0
    table: dict[str, int] = {}
    for i in range(20_000):
        line = f"    def method_{i % 97}(self, value_{i}: int) -> str:  # {i * 31 % 1000}"
        words = line.split()
        table[words[1]] = table.get(words[1], 0) + len(words)
        acc ^= hash(line[4:20])
        if i % 50 == 0:
            acc += int(hashlib.md5(line.encode()).hexdigest()[:6], 16)
    keys = sorted(table, key=lambda k: (table[k], k))
    return acc + len(keys)


def calibrate(repeats: int = 5) -> float:
    """Seconds for one calibration body: the minimum of ``repeats`` runs (the minimum is the
    run least disturbed by other load). Normalised figure = raw seconds / this."""
    best = math.inf
    for _ in range(repeats):
        start = time.perf_counter()
        _calibration_body()
        best = min(best, time.perf_counter() - start)
    return best


def process_rss() -> dict[str, int]:
    """RSS of this process (the UI) and of every descendant (engine workers), in bytes."""
    import psutil

    me = psutil.Process()
    children = []
    for child in me.children(recursive=True):
        try:
            children.append(child.memory_info().rss)
        except psutil.Error:
            pass
    ui = me.memory_info().rss
    return {"rss_ui_bytes": ui, "rss_children_bytes": sum(children),
            "rss_total_bytes": ui + sum(children), "processes": 1 + len(children)}


@contextmanager
def memory_pass(result: dict[str, int]) -> Iterator[None]:
    """Trace Python allocations while the block runs: fills ``result`` with
    ``tracemalloc_peak_bytes`` (most memory held by Python objects at once, above what was
    held at the start) and ``blocks_delta`` (memory blocks allocated and still live at the
    end). tracemalloc slows allocation several-fold: never time inside this block."""
    gc.collect()
    blocks = sys.getallocatedblocks()
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    try:
        yield
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        gc.collect()
        result["tracemalloc_peak_bytes"] = max(0, peak - base)
        result["blocks_delta"] = sys.getallocatedblocks() - blocks


def machine() -> dict[str, object]:
    """What the figures were measured on."""
    import platform

    info: dict[str, object] = {"platform": platform.platform(), "python": sys.version.split()[0],
                               "cpus": os.cpu_count(), "processor": platform.machine()}
    try:
        info["load_avg"] = [round(x, 2) for x in os.getloadavg()]
    except OSError:
        pass
    try:
        import psutil

        info["memory_gb"] = round(psutil.virtual_memory().total / 1e9, 1)
    except Exception:
        pass
    try:
        from importlib.metadata import version

        info["textual"] = version("textual")
    except Exception:
        pass
    return info
