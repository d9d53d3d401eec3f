#!/usr/bin/env python3
"""Workspace typometer: quick open and typing on a large workspace, in a real terminal (tmux).

    .venv/bin/python bench/genworkspace.py /tmp/ws100k
    .venv/bin/python bench/workspace_typometer.py /tmp/ws100k --runs 2 --json out.json

Each run starts from an empty cache directory (``KIRO_CACHE_DIR``) and launches the editor
twice on the workspace, with a small scratch file open:

* **cold**: from the first paint on, keys are typed into the scratch file (20 letters, then
  20 backspaces, repeated); each key's latency is the time from ``send-keys`` until
  ``capture-pane`` shows the line as the key left it. Each key is filed by what the editor
  was doing when it was sent: *before the build* (the engine is still starting: no index
  worker process yet), *during the build* (the index worker runs and the persistent index
  file, written when the walk ends, is not there yet) or *after* (``--after`` keys: the
  same editor, the same keys, no build: the baseline).
* **warm**: the cache directory the cold launch filled. After the first paint, ctrl+p; the
  time until quick open lists every file and the check walk has finished is noted; then each
  query is typed and erased one key at a time. A key's latency runs from ``send-keys`` until
  the pane shows the input as typed AND the first result row the editor's own matcher
  (``core.FuzzyIndex``, over the same walk) puts first for that input.

The harness cost (one capture-pane call) is reported, never subtracted. Standard library and
psutil only (through ``typometer.py``'s tmux wrapper).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import shlex
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))
sys.path.insert(0, str(REPO_DIR))

import psutil  # noqa: E402

from typometer import (Died, Session, Timeout, Tmux, compile_checkouts,  # noqa: E402
                       machine_info, percentile)

MARKER = "WORKSPACE_TYPOMETER_LINE"
WORKER = "kiro_proto.engine._workspace_worker"
TYPED = "abcdefghijklmnopqrst"  # typed, then erased: the line never scrolls sideways


def summary(values: list[float]) -> dict:
    if not values:
        return {"n": 0}
    return {"n": len(values), "p50_ms": round(percentile(values, 50), 2),
            "p95_ms": round(percentile(values, 95), 2), "max_ms": round(max(values), 2)}


def index_written(cache: str) -> bool:
    return bool(glob.glob(os.path.join(cache, "index-*.kc")))


class Pane(Session):
    def wait_until(self, pred, timeout: float, what: str) -> tuple[float, str]:
        return self.wait_for(pred, time.perf_counter() + timeout, what)

    def key(self, send, pred, timeout: float, what: str) -> tuple[float, float, str]:
        """Send a key (``send()``), poll until ``pred(screen)``: (sent, seen, screen)."""
        k0 = time.perf_counter()
        if not send():
            raise Died(self.tmux.pane_dead(self.name) or "send-keys failed")
        seen, screen = self.wait_until(pred, timeout, what)
        return k0, seen, screen


def launch(tmux: Tmux, name: str, args, cache: str, scratch: str) -> tuple[Pane, float]:
    cmd = " ".join(shlex.quote(a) for a in (
        "env", f"KIRO_CACHE_DIR={cache}", args.python, "-m", "kiro_proto",
        args.root, scratch))
    t0 = time.perf_counter()
    tmux.new_session(name, cmd, args.width, args.height, args.cwd)
    pane = Pane(tmux, name, args)
    _, _ = pane.wait_until(lambda s: MARKER in s, args.paint_timeout, "first paint")
    return pane, t0


def index_worker_running(tmux: Tmux, name: str) -> bool:
    """Has the editor started its index worker (``ProcessWorker`` starts it on the first
    request: the build has begun)?"""
    pid = tmux.display(name, "#{pane_pid}")
    if not pid or not pid.isdigit():
        return False
    try:
        for proc in psutil.Process(int(pid)).children(recursive=True):
            if WORKER in " ".join(proc.cmdline()):
                return True
    except psutil.Error:
        pass
    return False


def cold(tmux: Tmux, args, run: int, cache: str, scratch: str) -> dict:
    """Keys are sorted by what the editor was doing when each was sent: ``startup`` (the
    first paint is on screen, the index build has not begun), ``build`` (the index worker
    runs and has not written the index yet), ``after``."""
    name = f"wt-{os.getpid()}-{run}-cold"
    out: dict = {"startup_ms": [], "build_ms": [], "after_ms": []}
    try:
        pane, t0 = launch(tmux, name, args, cache, scratch)
        out["first_paint_s"] = round(time.perf_counter() - t0, 3)
        typed = ""
        i = after = 0
        while after < args.after:
            if time.perf_counter() - t0 > args.build_timeout:
                out["note"] = f"no index file after {args.build_timeout:.0f} s"
                break
            time.sleep(args.key_gap)
            if index_written(cache):
                phase = "after"
                out.setdefault("index_written_s", round(time.perf_counter() - t0, 3))
            elif "build_started_s" in out or index_worker_running(tmux, name):
                phase = "build"
                out.setdefault("build_started_s", round(time.perf_counter() - t0, 3))
            else:
                phase = "startup"
            if i % (2 * len(TYPED)) < len(TYPED):
                ch = TYPED[len(typed)]
                typed += ch
                send = lambda ch=ch: tmux.send_literal(name, ch)  # noqa: E731
            else:
                typed = typed[:-1]
                send = lambda: tmux.run("send-keys", "-t", name, "BSpace").returncode == 0  # noqa: E731
            want = f" {typed}{MARKER}"
            sent, seen, _ = pane.key(send, lambda s, w=want: w in s, args.key_timeout,
                                     f"key {i + 1}")
            out[f"{phase}_ms"].append((seen - sent) * 1e3)
            after += phase == "after"
            i += 1
        out.setdefault("index_written_s", None)
    finally:
        tmux.kill(name)
    return out


def expected_tops(root: str, queries: list[str], cwd: str) -> tuple[int, dict[str, str]]:
    """The number of indexed files and, for every prefix of every query, the path the
    editor's matcher ranks first (the same walk, the same FuzzyIndex, from the checkout
    the editor runs from)."""
    sys.path.insert(0, cwd)
    from kiro_proto.core import FuzzyIndex
    from kiro_proto.engine._workspace_worker import walk_files

    index = FuzzyIndex(walk_files(root))
    tops = {}
    for q in queries:
        for n in range(1, len(q) + 1):
            found = index.search(q[:n], 1)
            tops[q[:n]] = found[0][1] if found else ""
    return len(index), tops


def shows(screen: str, text: str, top: str) -> bool:
    """The quick-open input holds exactly ``text`` and its first result row is ``top``."""
    lines = [ln.strip(" │▊▎") for ln in screen.splitlines()]
    try:
        status = next(i for i, ln in enumerate(lines) if " files" in ln and " of " in ln)
    except StopIteration:
        return False
    if text and text not in lines[max(0, status - 3):status]:
        return False
    rows = [ln for ln in lines[status + 1:] if ln]
    return bool(rows) and rows[0] == top


def warm(tmux: Tmux, args, run: int, cache: str, scratch: str, total: int,
         tops: dict[str, str]) -> dict:
    name = f"wt-{os.getpid()}-{run}-warm"
    out: dict = {"first_key_ms": [], "key_ms": []}
    try:
        pane, t0 = launch(tmux, name, args, cache, scratch)
        out["first_paint_s"] = round(time.perf_counter() - t0, 3)
        pane.settle(args.settle, time.perf_counter() + 10)
        ready = f"of {total} files"
        sent, seen, _ = pane.key(lambda: tmux.run("send-keys", "-t", name, "C-p").returncode == 0,
                                 lambda s: " of " in s and " files" in s, args.key_timeout,
                                 "quick open")
        out["quick_open_shown_ms"] = round((seen - sent) * 1e3, 2)
        seen, _ = pane.wait_until(lambda s: ready in s and "indexing" not in s,
                                  args.build_timeout, "the whole index in quick open")
        out["all_files_listed_s"] = round(seen - t0, 3)
        caps = []
        for _ in range(15):
            c0 = time.perf_counter()
            pane.capture()
            caps.append((time.perf_counter() - c0) * 1e3)
        out["capture_ms"] = round(statistics.median(caps), 2)
        for query in args.queries:
            text = ""
            steps = [query[:n] for n in range(1, len(query) + 1)]
            steps += [query[:n] for n in range(len(query) - 1, 0, -1)]
            for step in steps:
                time.sleep(args.key_gap)
                if len(step) > len(text):
                    ch = step[-1]
                    send = lambda ch=ch: tmux.send_literal(name, ch)  # noqa: E731
                else:
                    send = lambda: tmux.run("send-keys", "-t", name, "BSpace").returncode == 0  # noqa: E731
                first = not text
                text = step
                top = tops[step]
                sent, seen, _ = pane.key(send, lambda s, t=step, p=top: shows(s, t, p),
                                         args.key_timeout, f"quick open {step!r}")
                ms = (seen - sent) * 1e3
                out["key_ms"].append(ms)
                if first:
                    out["first_key_ms"].append(ms)
            tmux.run("send-keys", "-t", name, "BSpace")  # back to an empty input
            pane.settle(args.settle, time.perf_counter() + 5)
    finally:
        tmux.kill(name)
    return out


def main(argv: list[str] | None = None) -> int:
    default_python = REPO_DIR / ".venv" / "bin" / "python"
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("root", help="the workspace (bench/genworkspace.py makes one)")
    ap.add_argument("--runs", type=int, default=2, help="cold+warm pairs, each a fresh cache")
    ap.add_argument("--queries", default="render,cachepy,uiwid",
                    help="comma list typed into quick open (each typed, then erased)")
    ap.add_argument("--after", type=int, default=20, help="keys typed once the build is over")
    ap.add_argument("--json", metavar="FILE")
    ap.add_argument("--socket", default="workspace-typometer", help="tmux socket (-L)")
    ap.add_argument("--python", default=str(default_python if default_python.exists()
                                            else sys.executable))
    ap.add_argument("--cwd", default=str(REPO_DIR),
                    help="folder the editor runs from (``python -m kiro_proto`` imports the "
                         "package there first: another checkout can be compared)")
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=40)
    ap.add_argument("--key-gap", type=float, default=0.05, help="idle seconds before each key")
    ap.add_argument("--settle", type=float, default=0.3)
    ap.add_argument("--poll-interval", type=float, default=0.0)
    ap.add_argument("--key-timeout", type=float, default=10.0)
    ap.add_argument("--paint-timeout", type=float, default=60.0)
    ap.add_argument("--build-timeout", type=float, default=120.0)
    args = ap.parse_args(argv)
    args.root = os.path.abspath(args.root)
    args.queries = [q for q in args.queries.split(",") if q]
    if not shutil.which("tmux"):
        print("workspace_typometer: tmux is not installed", file=sys.stderr)
        return 2
    total, tops = expected_tops(args.root, args.queries, args.cwd)
    # as an installed package is (see typometer.compile_checkouts)
    compile_checkouts({"run": f"env -C {shlex.quote(args.cwd)} python"}, ["run"])
    tmux = Tmux(args.socket)
    info = machine_info(args.python)
    runs = []
    scratch_dir = tempfile.mkdtemp(prefix="wt-scratch-")
    scratch = os.path.join(scratch_dir, "typing.py")
    try:
        for run in range(args.runs):
            with open(scratch, "w") as f:
                f.write(f"{MARKER}\n")
            cache = tempfile.mkdtemp(prefix="wt-cache-")
            print(f"run {run + 1}: cold (cache {cache})", file=sys.stderr)
            c = cold(tmux, args, run, cache, scratch)
            print(f"run {run + 1}: warm", file=sys.stderr)
            w = warm(tmux, args, run, cache, scratch, total, tops)
            runs.append({"cold": c, "warm": w})
            shutil.rmtree(cache, ignore_errors=True)
    except (Timeout, Died) as err:
        print(f"workspace_typometer: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    finally:
        tmux.kill_all_live()
        shutil.rmtree(scratch_dir, ignore_errors=True)
    startup = [v for r in runs for v in r["cold"]["startup_ms"]]
    during = [v for r in runs for v in r["cold"]["build_ms"]]
    after = [v for r in runs for v in r["cold"]["after_ms"]]
    first = [v for r in runs for v in r["warm"]["first_key_ms"]]
    keys = [v for r in runs for v in r["warm"]["key_ms"]]
    result = {
        "tool": "kiro-proto bench/workspace_typometer.py",
        "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "root": args.root, "files": total, "queries": args.queries,
        "machine": info | {"loadavg_end": list(os.getloadavg())},
        "typing_before_build": summary(startup),
        "typing_during_build": summary(during),
        "typing_after_build": summary(after),
        "quick_open_first_key_warm": summary(first),
        "quick_open_every_key_warm": summary(keys),
        "build_started_s": [r["cold"].get("build_started_s") for r in runs],
        "index_written_s": [r["cold"].get("index_written_s") for r in runs],
        "warm_all_files_listed_s": [r["warm"].get("all_files_listed_s") for r in runs],
        "capture_ms": [r["warm"].get("capture_ms") for r in runs],
        "runs": runs,
    }
    for label, key in (("typing after the first paint, before the build", "typing_before_build"),
                       ("typing while the first index build runs", "typing_during_build"),
                       ("typing after the build (same editor)", "typing_after_build"),
                       ("quick open, first key, warm cache", "quick_open_first_key_warm"),
                       ("quick open, every key, warm cache", "quick_open_every_key_warm")):
        s = result[key]
        print(f"{label:<48} n={s['n']:<4} p50 {s.get('p50_ms', '-')} ms  "
              f"p95 {s.get('p95_ms', '-')} ms  max {s.get('max_ms', '-')} ms")
    print(f"cold: build started {result['build_started_s']} s after launch, index written "
          f"{result['index_written_s']} s; warm: every file listed "
          f"after {result['warm_all_files_listed_s']} s; one capture-pane "
          f"{result['capture_ms']} ms (included, not subtracted)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(result, f, indent=1)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
