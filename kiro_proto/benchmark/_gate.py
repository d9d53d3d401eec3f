"""The regression gate: compare a run with stored figures. Times are compared normalised by
each run's own calibration time (``raw_s / calibration_s``), so a machine that is twice as
slow, or twice as busy, does not fail the gate by itself. With the ``normalise`` switch off
the gate compares raw seconds (what normalising is measured against)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from .. import switches

__all__ = ["Regression", "Tolerance", "compare", "flatten"]


@dataclass(frozen=True)
class Tolerance:
    """A time regresses when its normalised value exceeds ``time_factor`` x the baseline's
    AND the raw excess (baseline rescaled to this run's calibration) is over
    ``time_floor_s``, so microsecond-scale noise cannot fail it. Memory (tracemalloc peak)
    likewise with ``memory_factor`` and ``memory_floor_bytes``. Tail figures (p95, p99, max)
    are reported, not gated: with a few dozen samples one garbage-collector pass or one
    busy neighbour moves them by several times."""

    time_factor: float = 2.0
    time_floor_s: float = 0.010
    memory_factor: float = 1.5
    memory_floor_bytes: int = 16 * 1024 * 1024


@dataclass(frozen=True)
class Regression:
    figure: str
    baseline: float  # raw value in the baseline run
    current: float  # raw value in this run
    baseline_normalised: float  # baseline / its calibration (times); raw (memory)
    current_normalised: float
    normalised: bool = True  # False: the gate compared raw seconds (switch ``normalise``)

    def describe(self) -> str:
        if self.figure.endswith("_bytes"):
            return (f"{self.figure}: {self.current / 1e6:.1f} MB, baseline "
                    f"{self.baseline / 1e6:.1f} MB")
        if not self.normalised:
            return (f"{self.figure}: {self.current * 1e3:.2f} ms, baseline "
                    f"{self.baseline * 1e3:.2f} ms (raw seconds compared)")
        return (f"{self.figure}: {self.current * 1e3:.2f} ms, baseline {self.baseline * 1e3:.2f} ms"
                f" (normalised {self.current_normalised:.2f} vs {self.baseline_normalised:.2f}"
                f" calibration units)")


def flatten(result: dict[str, Any]) -> Iterator[tuple[str, float]]:
    """``(workload.figure, value)`` for every numeric figure of a run, memory included."""
    for workload, data in result.get("workloads", {}).items():
        for name, value in data.get("metrics", {}).items():
            if isinstance(value, (int, float)):
                yield f"{workload}.{name}", float(value)
        for name, value in data.get("memory", {}).items():
            if isinstance(value, (int, float)):
                yield f"{workload}.memory.{name}", float(value)


def gated(figure: str) -> bool:
    if figure.endswith("_s"):
        return not figure.endswith(("_max_s", "_p99_s", "_p95_s"))
    return figure.endswith("tracemalloc_peak_bytes")


def compare(baseline: dict[str, Any], current: dict[str, Any],
            tolerance: Tolerance = Tolerance(),
            normalise: bool | None = None) -> tuple[list[Regression], int]:
    """Every regression of ``current`` against ``baseline``, and how many figures were
    compared (figures missing from either side are skipped). ``normalise``: divide times
    by each run's calibration (default: the ``normalise`` switch); False compares raw
    seconds, as if both calibrations were 1 s."""
    if normalise is None:
        normalise = switches.SWITCHES.normalise
    base = dict(flatten(baseline))
    cal_b, cal_c = ((baseline["calibration_s"], current["calibration_s"]) if normalise
                    else (1.0, 1.0))
    regressions: list[Regression] = []
    compared = 0
    for figure, value in flatten(current):
        old = base.get(figure)
        if old is None or not gated(figure):
            continue
        compared += 1
        if figure.endswith("_bytes"):
            if value > old * tolerance.memory_factor and value - old > tolerance.memory_floor_bytes:
                regressions.append(Regression(figure, old, value, old, value))
            continue
        norm_old, norm_new = old / cal_b, value / cal_c
        expected = norm_old * cal_c  # the baseline figure at this machine's speed
        if norm_new > norm_old * tolerance.time_factor and value - expected > tolerance.time_floor_s:
            regressions.append(Regression(figure, old, value, norm_old, norm_new, normalise))
    return regressions, compared
