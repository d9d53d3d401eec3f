"""kiro_proto.benchmark: ``kiro-proto --benchmark-mode``. Drives the real application
headless through scripted workloads and reports latency, start-up phases and memory; gates
against stored figures and measures each pattern switch (``--ablate``).

Imported only when benchmark mode is asked for, so a normal start does not pay for it.
"""

from ._gate import Regression, Tolerance, compare
from ._runner import Options, parse_ablate, parse_workloads, run
from ._trace import TRACER, Tracer
from ._workloads import PRESETS, WORKLOADS

__all__ = ["Options", "PRESETS", "Regression", "TRACER", "Tolerance", "Tracer", "WORKLOADS",
           "compare", "parse_ablate", "parse_workloads", "run"]
