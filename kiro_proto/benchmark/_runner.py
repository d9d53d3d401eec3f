"""Benchmark mode: run the selected workloads (timing pass, then a memory pass), print the
table, and write what was asked for (JSON, profile, trace, report); gate and ablate."""

from __future__ import annotations

import asyncio
import cProfile
import datetime
import inspect
import json
import os
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from typing import Any

from .. import switches
from ._gate import Tolerance, compare
from ._measure import calibrate, machine, memory_pass
from ._trace import TRACER
from ._workloads import PRESETS, WORKLOADS, Workbench

__all__ = ["Options", "run"]

SCHEMA = "kiro-proto-benchmark/1"
# Workloads an ablation arm runs unless --workload says otherwise (start-up and plugins do
# not exercise any switch).
ABLATION_WORKLOADS = ("open", "scroll", "typing", "find")


@dataclass
class Options:
    size: str = "small"
    workloads: list[str] = field(default_factory=lambda: list(WORKLOADS))
    json_path: str | None = None
    baseline: str | None = None
    ablate: list[str] = field(default_factory=list)
    profile: str | None = None
    trace: str | None = None
    report: str | None = None
    memory: bool = True
    workdir: str | None = None
    tolerance: Tolerance = field(default_factory=Tolerance)
    quiet: bool = False


def parse_workloads(spec: str | None) -> list[str]:
    if not spec or spec == "all":
        return list(WORKLOADS)
    names = [n.strip() for n in spec.split(",") if n.strip()]
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        raise ValueError(f"unknown workload {', '.join(unknown)}; known: {', '.join(WORKLOADS)}")
    return names


def parse_ablate(spec: str | None) -> list[str]:
    """Switch names to ablate, one at a time; ``all`` is every switch in kiro_proto.switches
    (so a switch added there is picked up here without a change)."""
    if not spec:
        return []
    names = switches.Switches.names()
    if spec.strip() == "all":
        return names
    chosen = [n.strip().replace("-", "_") for n in spec.split(",") if n.strip()]
    unknown = [n for n in chosen if n not in names]
    if unknown:
        raise ValueError(f"unknown switch {', '.join(unknown)}; known: {', '.join(names)}")
    return chosen


def _call(fn, bench: Workbench) -> dict[str, Any]:
    out = fn(bench)
    if inspect.iscoroutine(out):
        out = asyncio.run(out)
    return out


def run_workloads(opts: Options, bench: Workbench) -> dict[str, Any]:
    results: dict[str, Any] = {}
    profiler = cProfile.Profile() if opts.profile else None
    for name in opts.workloads:
        _say(opts, f"  {name} ...")
        if profiler:
            profiler.enable()
        try:
            with TRACER.span(name):
                results[name] = _call(WORKLOADS[name], bench)
        finally:
            if profiler:
                profiler.disable()
    if profiler:
        profiler.dump_stats(opts.profile)
    if opts.memory:
        for name in opts.workloads:
            if name == "startup":  # another interpreter: its RSS is reported, not traced
                continue
            _say(opts, f"  {name} (memory pass) ...")
            traced: dict[str, int] = {}
            with memory_pass(traced):
                _call(WORKLOADS[name], bench)
            results[name].setdefault("memory", {}).update(traced)
    return results


def _say(opts: Options, text: str) -> None:
    if not opts.quiet:
        print(text, file=sys.stderr, flush=True)


def run_arms(opts: Options, names: list[str]) -> dict[str, Any]:
    """Each ablation arm in its own interpreter with ``KIRO_ABLATE`` set (switches are read
    once at import, and no state leaks between arms). ``on`` is the arm with nothing off."""
    workloads = [w for w in opts.workloads if w in ABLATION_WORKLOADS] or opts.workloads
    arms: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="kiro-ablate-") as tmp:
        for arm in ["on", *names]:
            _say(opts, f"ablation arm: {arm if arm == 'on' else arm + ' off'} ...")
            out = os.path.join(tmp, f"{arm}.json")
            cmd = [sys.executable, "-m", "kiro_proto", "--benchmark-mode", "--size", opts.size,
                   "--workload", ",".join(workloads), "--no-memory", "--json", out, "--quiet"]
            if opts.workdir:
                cmd += ["--workdir", opts.workdir]
            env = dict(os.environ, KIRO_ABLATE="" if arm == "on" else arm)
            proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if proc.returncode != 0 or not os.path.exists(out):
                arms[arm] = {"error": proc.stderr[-2000:]}
                continue
            with open(out, encoding="utf-8") as fh:
                data = json.load(fh)
            arms[arm] = {"calibration_s": data["calibration_s"], "workloads": data["workloads"]}
    return arms


def run(opts: Options) -> int:
    """Run benchmark mode; returns the exit status (1 when the gate found a regression)."""
    from ._report import print_ablations, print_table, write_report

    if opts.size not in PRESETS:
        raise ValueError(f"unknown size {opts.size}; known: {', '.join(PRESETS)}")
    if opts.trace:
        TRACER.enable()
    with tempfile.TemporaryDirectory(prefix="kiro-bench-") as tmp:
        # Journals of the benchmark's edits go to a private folder, never the user's.
        os.environ["KIRO_STATE_DIR"] = os.path.join(tmp, "state")
        workdir = opts.workdir or os.path.join(tmp, "files")
        os.makedirs(workdir, exist_ok=True)
        bench = Workbench(PRESETS[opts.size], workdir)
        cal_before = calibrate()
        _say(opts, f"kiro-proto benchmark mode: size {opts.size}, calibration "
                   f"{cal_before * 1e3:.1f} ms")
        workloads = run_workloads(opts, bench)
        calibration = min(cal_before, calibrate())
        result: dict[str, Any] = {
            "schema": SCHEMA, "command": ["kiro-proto", *sys.argv[1:]], "size": opts.size,
            "date": datetime.datetime.now().isoformat(timespec="seconds"),
            "machine": machine(),
            "switches_off": [n for n in switches.Switches.names()
                             if not getattr(switches.SWITCHES, n)],
            "calibration_s": calibration, "workloads": workloads,
        }
        if opts.ablate:
            result["ablations"] = run_arms(opts, opts.ablate)
    if not opts.quiet:
        print_table(result)
        if "ablations" in result:
            print_ablations(result["ablations"])
    if opts.json_path:
        with open(opts.json_path, "w", encoding="utf-8") as fh:
            json.dump(result, fh, indent=1)
    if opts.trace:
        TRACER.write(opts.trace)
    if opts.report:
        write_report(result, opts.report)
    if opts.profile and not opts.quiet:
        print(f"profile: {opts.profile} (the timing pass ran under cProfile: its figures are "
              f"slower than a plain run)")
    if opts.baseline:
        with open(opts.baseline, encoding="utf-8") as fh:
            baseline = json.load(fh)
        regressions, compared = compare(baseline, result, opts.tolerance)
        tol = opts.tolerance
        how = "normalised" if switches.SWITCHES.normalise else "raw"
        print(f"gate: {compared} figures compared with {opts.baseline} (times: over "
              f"{tol.time_factor:g}x {how} and over {tol.time_floor_s * 1e3:g} ms; "
              f"memory: over {tol.memory_factor:g}x and {tol.memory_floor_bytes / 2**20:g} MiB)")
        for reg in regressions:
            print(f"REGRESSION {reg.describe()}")
        if regressions:
            print(f"gate: {len(regressions)} regression(s)")
            return 1
        print("gate: no regressions")
    return 0
