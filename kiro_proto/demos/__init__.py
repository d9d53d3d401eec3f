"""``kiro-proto demo NAME``: one short, self-explaining demonstration per performance pattern.

Each demo runs the same work with its pattern on and off (the switch of
``kiro_proto/switches.py``, in a fresh interpreter where the switch is read at import), prints
both measurements side by side with a bar chart, and names the page to read next. Demos are
standard library + the project; none opens a terminal UI, so they also run in CI.

A demo module defines ``run(report: Report, quick: bool) -> None``; ``quick`` shrinks the
work so the test suite can run every demo in seconds.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass

from ._show import Report

__all__ = ["DEMOS", "Demo", "main"]


@dataclass(frozen=True, slots=True)
class Demo:
    name: str
    title: str
    page: str      # docs/patterns/NN-name.md
    switch: str    # the switch in kiro_proto/switches.py that turns the pattern off
    usage: str = ""  # how to use the switch, where the default sentence does not fit


DEMOS: dict[str, Demo] = {d.name: d for d in (
    Demo("native", "hot paths in C, and a compiled core", "01-native-compilation.md", "native"),
    Demo("memory", "what replaces memory pools in Python", "02-memory-pools.md", "compact"),
    Demo("rendering", "memoized rows and viewport rendering", "03-incremental-rendering.md",
         "memo_lines"),
    Demo("lazy", "load modules on first use", "04-lazy-loading.md", "lazy_registry"),
    Demo("background", "keep the GIL-holding parse off the UI loop",
         "05-background-processing.md", "process_parse"),
    Demo("caching", "LRU caches and the persistent msgpack cache", "06-caching.md", "caches"),
    Demo("boundaries", "batched crossings into C and across processes",
         "07-boundary-crossings.md", "batching"),
    Demo("startup", "cold and warm start-up phases", "08-startup-benchmarking.md",
         "deferred_start"),
    Demo("memtrack", "tracemalloc and the RSS of every process", "09-memory-tracking.md",
         "tree_limit"),
    Demo("gates", "the normalised regression gate", "10-regression-gates.md", "normalise",
         usage="KIRO_ABLATE=normalise kiro-proto --benchmark-mode --baseline FILE gates on "
               "raw seconds instead of figures divided by the calibration run."),
)}


def _listing() -> str:
    width = max(len(n) for n in DEMOS)
    lines = ["kiro-proto demo NAME [--quick]: run one pattern on and off, side by side.", ""]
    for demo in DEMOS.values():
        lines.append(f"  {demo.name:<{width}}  {demo.title}  "
                     f"(switch {demo.switch}; docs/patterns/{demo.page})")
    lines += ["", "Start with docs/README.md, the guided tour."]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Entry for ``kiro-proto demo [NAME] [--quick]``."""
    quick = "--quick" in argv
    names = [a for a in argv if not a.startswith("-")]
    unknown_flags = [a for a in argv if a.startswith("-") and a not in ("--quick",)]
    if unknown_flags or len(names) > 1:
        print("usage: kiro-proto demo [NAME] [--quick]", file=sys.stderr)
        return 2
    if not names:
        print(_listing())
        return 0
    demo = DEMOS.get(names[0])
    if demo is None:
        print(f"kiro-proto: no demo {names[0]!r}; known: {', '.join(DEMOS)}", file=sys.stderr)
        return 2
    module = importlib.import_module(f"{__name__}.{demo.name}")
    report = Report(demo)
    report.begin()
    module.run(report, quick)
    report.end()
    return 0
