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
}


@dataclass(frozen=True, slots=True)
class Switches:
    memo_lines: bool = True
    viewport: bool = True
    line_index: bool = True
    incremental_parse: bool = True
    process_parse: bool = True
    lazy_registry: bool = True

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
