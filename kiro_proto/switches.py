"""Pattern switches: every performance pattern can be turned off, so its effect can be
measured (``kiro-proto --benchmark-mode --ablate NAME``) and seen (``KIRO_ABLATE=NAME``).

Standard library only; read once at import from the ``KIRO_ABLATE`` environment variable
(a comma-separated list of switch names, or ``all``). Code reads ``SWITCHES.<name>``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields, replace

__all__ = ["Switches", "SWITCHES", "DESCRIPTIONS", "configure"]

DESCRIPTIONS = {
    "memo_lines": "memoized rendered rows (LineRenderer cache); off: every row re-rendered",
    "viewport": "viewport-only rendering; off: every document row is rendered on refresh",
    "line_index": "Fenwick line index; off: linear prefix sums over all blocks",
    "incremental_parse": "reuse the old tree after Tree.edit; off: every parse starts from scratch",
    "process_parse": "parse in a syntax worker process; off: parse in 3 ms slices on the engine loop",
    "lazy_registry": "modules, grammars and subsystems load on first use; off: all at start",
    "native": "C and compiled code on hot paths (msgpack's C extension, the mypyc core if "
              "built); off: pure-Python equivalents",
    "compact": "newline offsets in array('I'), slotted RowDecor, one shared Style per token "
               "type; off: lists of ints, a __dict__ per RowDecor, a new Style per call",
    "caches": "LRU caches (quick-open queries, newline offsets) and the persistent index and "
              "span files; off: every LRU look-up misses, those files are neither read nor "
              "written",
    "batching": "one range query per viewport, batched RPC frames; off: a query call per "
                "tree node, a frame per buffer event",
    "deferred_start": "engine and plugin discovery start after the first paint; off: before it",
    "tree_limit": "files over 12 MiB get Pygments on the window, no tree; off: tree-sitter "
                  "at any size",
    "normalise": "the regression gate divides by a calibration run; off: raw times",
}


@dataclass(frozen=True, slots=True)
class Switches:
    memo_lines: bool = True
    viewport: bool = True
    line_index: bool = True
    incremental_parse: bool = True
    process_parse: bool = True
    lazy_registry: bool = True
    native: bool = True
    compact: bool = True
    caches: bool = True
    batching: bool = True
    deferred_start: bool = True
    tree_limit: bool = True
    normalise: bool = True

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def to_spec(self) -> str:
        """The ``KIRO_ABLATE`` value that recreates these switches (worker processes)."""
        return ",".join(n for n in self.names() if not getattr(self, n))

    @classmethod
    def from_spec(cls, spec: str) -> "Switches":
        """``spec``: names to turn OFF, comma-separated (``-`` or ``_`` both accepted)."""
        names = {n.strip().replace("-", "_") for n in spec.split(",") if n.strip()}
        if "all" in names:
            names = set(cls.names())
        unknown = names - set(cls.names())
        if unknown:
            raise ValueError(f"unknown switch {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(cls.names())}")
        return replace(cls(), **{n: False for n in names})


SWITCHES = Switches.from_spec(os.environ.get("KIRO_ABLATE", ""))


def configure(switches: Switches) -> None:
    """Replace the process-wide switches (the benchmark mode does this between runs)."""
    global SWITCHES
    SWITCHES = switches
