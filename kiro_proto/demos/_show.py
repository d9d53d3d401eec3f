"""Printing and measuring helpers shared by the demos.

Output shape (the demo tests read it): every comparison prints one line starting with
``  on `` and one starting with ``  off``, each with its measured number and unit, then the
ratio; the last line names the page to read next.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import textwrap
import time
from typing import Any, Callable

__all__ = ["Report", "median_seconds", "in_fresh_interpreter", "fmt"]

BAR = 40


def fmt(value: float, unit: str) -> str:
    """A number with a sensible precision for its unit."""
    if unit == "s":
        if value < 1e-3:
            return f"{value * 1e6:.1f} us"
        if value < 1:
            return f"{value * 1e3:.2f} ms"
        return f"{value:.2f} s"
    if unit == "B":
        for size, suffix in ((1 << 30, "GiB"), (1 << 20, "MiB"), (1 << 10, "KiB")):
            if value >= size:
                return f"{value / size:.1f} {suffix}"
        return f"{value:.0f} B"
    if float(value).is_integer():
        return f"{value:.0f} {unit}"
    return f"{value:.3g} {unit}"


class Report:
    """What a demo prints: a heading, explanations, comparisons and the page to read next."""

    def __init__(self, demo: Any, out: Any = None) -> None:
        self.demo = demo
        self.out = out or sys.stdout
        self.comparisons: list[dict[str, Any]] = []

    def _print(self, text: str = "") -> None:
        print(text, file=self.out, flush=True)

    def begin(self) -> None:
        title = f"kiro-proto demo {self.demo.name}: {self.demo.title}"
        self._print(title)
        self._print("=" * len(title))

    def say(self, text: str) -> None:
        """A paragraph of explanation, wrapped to 88 columns."""
        self._print(textwrap.fill(" ".join(text.split()), 88))
        self._print()

    def step(self, text: str) -> None:
        """What is being measured right now (the demo may take a few seconds)."""
        self._print(f"-- {text}")

    def compare(self, what: str, on: float, off: float, unit: str = "s",
                lower_is_better: bool = True, on_label: str = "", off_label: str = "") -> None:
        """Two measurements of the same work, pattern on and off, as a bar chart."""
        self.comparisons.append({"what": what, "on": on, "off": off, "unit": unit})
        top = max(on, off) or 1.0
        self._print(what)
        for name, value, label in (("on ", on, on_label), ("off", off, off_label)):
            bar = "#" * max(1, round(BAR * value / top)) if value > 0 else ""
            self._print(f"  {name} {bar:<{BAR}} {fmt(value, unit)}"
                        + (f"  ({label})" if label else ""))
        if on > 0 and off > 0:
            ratio = off / on if lower_is_better else on / off
            verdict = "the pattern wins" if ratio > 1.05 else (
                "no clear difference" if ratio >= 0.95 else "the pattern loses here")
            self._print(f"  off/on = {off / on:.2f}x: {verdict}")
        self._print()

    def table(self, header: list[str], rows: list[list[Any]]) -> None:
        cells = [header] + [[str(c) for c in row] for row in rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
        for n, row in enumerate(cells):
            self._print("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths)))
            if n == 0:
                self._print("  " + "  ".join("-" * w for w in widths))
        self._print()

    def end(self) -> None:
        if self.demo.usage:
            self._print(textwrap.fill("Switch: " + self.demo.usage, 88,
                                      subsequent_indent="        "))
        else:
            self._print(f"Switch: KIRO_ABLATE={self.demo.switch} kiro-proto FILE turns this "
                        f"pattern off in the editor;")
            self._print(f"        kiro-proto --benchmark-mode --ablate {self.demo.switch} "
                        f"measures it.")
        self._print(f"Read next: docs/patterns/{self.demo.page}")


def median_seconds(fn: Callable[[], Any], repeats: int = 5, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` over ``repeats`` runs, after ``warmup`` untimed runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_fresh_interpreter(code: str, ablate: str = "", env: dict[str, str] | None = None,
                         timeout: float = 300) -> Any:
    """Run ``code`` in a new ``python`` with ``KIRO_ABLATE=ablate`` (switches are read at
    import) and return what it printed on its last line, parsed as JSON. The code prints
    its result with ``print(json.dumps(...))``."""
    full_env = dict(os.environ, KIRO_ABLATE=ablate, **(env or {}))
    proc = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], env=full_env,
                          capture_output=True, text=True, timeout=timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"demo arm failed (KIRO_ABLATE={ablate!r}):\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])
