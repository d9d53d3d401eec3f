"""Demo: the regression gate, comparing raw seconds (``normalise`` off) with seconds divided
by each run's calibration (on), on real benchmark runs: unchanged code, a real regression,
and both again on a machine slowed by competing CPU-bound processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from typing import Any

from ..benchmark._gate import Tolerance, compare
from ._show import Report

FIGURE = "typing.key_latency_p50_s"
REGRESSION = "viewport,memo_lines"  # every row rendered, none memoized, on every update
SPIN = "while True: pass"


def _bench(folder: str, name: str, ablate: str = "", competitors: int = 0) -> dict[str, Any]:
    """One benchmark-mode run (``--size tiny --workload typing``) in a fresh interpreter,
    with ``competitors`` busy-looping processes running meanwhile."""
    out = os.path.join(folder, f"{name}.json")
    spinners = [subprocess.Popen([sys.executable, "-c", SPIN]) for _ in range(competitors)]
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kiro_proto", "--benchmark-mode", "--size", "tiny",
             "--workload", "typing", "--no-memory", "--json", out, "--quiet"],
            env=dict(os.environ, KIRO_ABLATE=ablate), capture_output=True, text=True,
            timeout=300)
    finally:
        for spinner in spinners:
            spinner.kill()
            spinner.wait()
    if proc.returncode != 0 or not os.path.exists(out):
        raise RuntimeError(f"benchmark run {name} failed:\n{proc.stderr[-2000:]}")
    with open(out, encoding="utf-8") as fh:
        return json.load(fh)


def _figure(run: dict[str, Any]) -> float:
    workload, name = FIGURE.split(".", 1)
    return run["workloads"][workload]["metrics"][name]


def _verdict(baseline: dict, current: dict, normalise: bool) -> str:
    regressions, _ = compare(baseline, current, Tolerance(), normalise=normalise)
    return "REGRESSION" if regressions else "pass"


def run(report: Report, quick: bool) -> None:
    report.say(
        "The gate (kiro_proto/benchmark/_gate.py) compares each median-like figure of a "
        "benchmark run with a stored baseline; tails (p95, p99, max) are reported, not gated. "
        "A time fails when it is over 2x the baseline's AND over it by more than 10 ms; "
        "make bench-smoke runs again after a failure, and only a regression seen twice in a "
        "row fails the build.")
    report.say(
        "Normalised means divided by the run's own calibration: calibrate() in "
        "benchmark/_measure.py times a fixed pure-Python body (string building, split, hash, "
        "sort), five times before and after the workloads, and keeps the minimum. A machine "
        "that is twice as slow should double both, leaving the ratio alone. With the "
        "normalise switch off the gate compares raw seconds. Below: real runs of "
        f"`--size tiny --workload typing` (the gated figure is {FIGURE}), a regression made "
        f"by KIRO_ABLATE={REGRESSION}, and a slowed machine made by one busy-looping process "
        "per CPU running beside the benchmark (a different CPU frequency cannot be "
        "simulated here).")
    cpus = os.cpu_count() or 1
    scenarios = [("unchanged", "", 0), ("regression", REGRESSION, 0),
                 ("slowed, unchanged", "", cpus), ("slowed, regression", REGRESSION, cpus)]
    if quick:
        scenarios = [scenarios[1], scenarios[2]]
    with tempfile.TemporaryDirectory(prefix="kiro-demo-gates-") as folder:
        report.step("baseline run")
        baseline = _bench(folder, "baseline")
        runs = {}
        for name, ablate, competitors in scenarios:
            report.step(f"{name} run" + (f" (KIRO_ABLATE={ablate})" if ablate else "")
                        + (f" with {competitors} busy processes" if competitors else ""))
            runs[name] = _bench(folder, name.replace(", ", "-"), ablate, competitors)
    base_value, base_cal = _figure(baseline), baseline["calibration_s"]
    rows = [["baseline", f"{base_cal * 1e3:.1f} ms", f"{base_value * 1e3:.1f} ms", "", "",
             "", ""]]
    for name, current in runs.items():
        value, cal = _figure(current), current["calibration_s"]
        raw_ratio = value / base_value
        norm_ratio = (value / cal) / (base_value / base_cal)
        raw, norm = _verdict(baseline, current, False), _verdict(baseline, current, True)
        rows.append([name, f"{cal * 1e3:.1f} ms", f"{value * 1e3:.1f} ms", f"{raw_ratio:.2f}x",
                     f"{norm_ratio:.2f}x", raw, norm])
        if not name.endswith("regression"):  # the false-alarm question: closer to 1x wins
            report.compare(
                f"{name}: {FIGURE} against the baseline (no code changed: 1x is right, "
                "2x fails the gate)", norm_ratio, raw_ratio, unit="x",
                on_label=f"normalised, gate: {norm}", off_label=f"raw, gate: {raw}")
    report.table(["run", "calibration", "key p50", "raw ratio", "normalised ratio",
                  "gate raw", "gate normalised"], rows)
    report.say(
        "A regression run should fail both gates and an unchanged run should pass both. On "
        "the slowed machine the raw gate sees the machine's slowdown as the code's; the "
        "normalised gate sees it only as far as the calibration body slowed by the same "
        "factor.")
    report.say(
        "Read the calibration column first: when it moves with the figure, normalising "
        "cancels the machine's speed; when the competing load slows the workload (several "
        "processes, waiting on each other) more or less than it slows the short calibration "
        "body (whose minimum of five runs can land in a quiet moment), normalising moves the "
        "figure instead. The 2x factor and the 10 ms floor, and the second run, are what "
        "keep such noise from failing the build; a regression has to be larger than the "
        "noise to be caught at all.")
