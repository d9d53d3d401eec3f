#!/usr/bin/env python3
"""Typometer: measure real terminal editors through tmux, side by side.

    .venv/bin/python bench/typometer.py --sizes 100KB,1MB --peers kiro,textarea,vim \
        --keys 30 --json out.json

For every file size and every peer, in one run:

* generate a Python file of that size (bench/gen.py, deterministic);
* start the peer on it in a fresh detached tmux session (own socket,
  ``-L typometer``, 120x40 by default);
* first paint: time from launching until ``capture-pane`` shows the marker
  line at the top of the file;
* keystroke latency: for each of N printable keys, capture the pane,
  ``send-keys -l`` the key, and poll ``capture-pane`` until the pane text
  differs; report p50/p95/p99/max;
* RSS: sum of RSS over the pane's process tree after typing;
* the harness cost (median time of one capture-pane and one send-keys
  call) is reported separately, never subtracted.

Only the standard library and psutil are used (bench/gen.py is stdlib only).
See bench/README.md for the method and its limits.
"""

from __future__ import annotations

import argparse
import atexit
import json
import re
import os
import platform
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

BENCH_DIR = Path(__file__).resolve().parent
REPO_DIR = BENCH_DIR.parent
sys.path.insert(0, str(BENCH_DIR))

from gen import MARKER, format_size, generate_python, parse_size  # noqa: E402

SOCKET = "typometer"
KEY_CHARS = "abcdefghijklmnopqrstuvwxyz"

# Command templates.  {python}: interpreter for Python peers, {repo}: repo
# root, {bench}: bench dir, {file}: the generated file (all shell-quoted).
DEFAULT_PEERS = {
    "kiro": "{python} -m kiro_proto {file}",
    "textarea": "{python} {bench}/peers/textarea_peer.py {file}",
    # -N nocompatible, -u NONE no user config, -i NONE no viminfo, -n no
    # swap file; syntax colouring on; start in insert mode so typed letters
    # are inserted at the top of the file like in the other editors.
    "vim": "vim -N -u NONE -i NONE -n -c 'syntax on' -c startinsert {file}",
}


# --------------------------------------------------------------------------
# tmux plumbing


class Tmux:
    """Thin wrapper over the tmux CLI on a dedicated socket."""

    def __init__(self, socket: str = SOCKET) -> None:
        self.base = ["tmux", "-L", socket, "-f", os.devnull]
        self.live: set[str] = set()

    def run(self, *args: str, check: bool = False) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([*self.base, *args], stdin=subprocess.DEVNULL,
                              capture_output=True, check=check)

    def new_session(self, name: str, cmd: str, width: int, height: int, cwd: str) -> None:
        """Start a session; once more if the server was exiting just then (killing the
        previous last session makes the server quit, racing with this call)."""
        try:
            self._new_session(name, cmd, width, height, cwd)
        except subprocess.CalledProcessError as exc:
            if b"server exited" not in (exc.stderr or b""):
                raise
            time.sleep(0.5)
            self._new_session(name, cmd, width, height, cwd)

    def _new_session(self, name: str, cmd: str, width: int, height: int, cwd: str) -> None:
        self.live.add(name)
        # Options first, in the same invocation (the server may not exist
        # yet; new-session starts it).  remain-on-exit keeps a crashed
        # peer's last screen so it can be reported.
        self.run(
            "set-option", "-g", "remain-on-exit", "on", ";",
            "set-option", "-g", "status", "off", ";",
            "set-option", "-g", "escape-time", "0", ";",
            "set-option", "-g", "default-terminal", "tmux-256color", ";",
            "new-session", "-d", "-x", str(width), "-y", str(height),
            # A fresh, private state directory per run: kiro-proto's recovery journal
            # must not offer one run's leftovers to the next (other peers ignore it).
            "-e", f"KIRO_STATE_DIR={tempfile.mkdtemp(prefix='typometer-state-')}",
            "-s", name, "-c", cwd, cmd,
            check=True,
        )

    def capture(self, name: str) -> str | None:
        p = self.run("capture-pane", "-p", "-t", name)
        if p.returncode != 0:
            return None
        return p.stdout.decode("utf-8", "replace")

    def send_literal(self, name: str, text: str) -> bool:
        return self.run("send-keys", "-t", name, "-l", text).returncode == 0

    def display(self, name: str, fmt: str) -> str | None:
        p = self.run("display-message", "-p", "-t", name, fmt)
        return p.stdout.decode().strip() if p.returncode == 0 else None

    def pane_dead(self, name: str) -> str | None:
        """None while the pane's program runs, else a description."""
        out = self.display(name, "#{pane_dead} #{pane_dead_status}")
        if out is None:
            return "session vanished"
        dead, _, status = out.partition(" ")
        return f"exited with status {status or '?'}" if dead == "1" else None

    def kill(self, name: str) -> None:
        self.run("kill-session", "-t", name)
        self.live.discard(name)

    def kill_all_live(self) -> None:
        for name in list(self.live):
            self.kill(name)


# --------------------------------------------------------------------------
# measurement


class Timeout(Exception):
    pass


class Died(Exception):
    pass


@dataclass
class Result:
    peer: str
    size: str
    size_bytes: int
    command: str = ""
    status: str = "ok"
    note: str = ""
    first_paint_s: float | None = None
    settled_s: float | None = None
    keys_sent: int = 0
    latencies_ms: list[float] = field(default_factory=list)
    key_at_s: list[float] = field(default_factory=list)  # when each key was sent, s after launch
    p50_ms: float | None = None
    p95_ms: float | None = None
    p99_ms: float | None = None
    max_ms: float | None = None
    mean_ms: float | None = None
    capture_ms: float | None = None
    send_ms: float | None = None
    polls_per_key: float | None = None
    rss_bytes: int | None = None
    rss_mb: float | None = None
    procs: int | None = None
    wall_s: float | None = None


def percentile(values: list[float], q: float) -> float:
    """Linear-interpolated percentile (q in 0..100), like numpy's default."""
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q / 100.0
    lo = int(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


class Session:
    """One peer running on one file in one tmux session."""

    def __init__(self, tmux: Tmux, name: str, args: argparse.Namespace) -> None:
        self.tmux = tmux
        self.name = name
        self.args = args
        self.last_dead_check = 0.0

    def capture(self) -> str:
        text = self.tmux.capture(self.name)
        if text is None:
            raise Died(self.tmux.pane_dead(self.name) or "capture-pane failed")
        return text

    def check_alive(self, force: bool = False) -> None:
        now = time.perf_counter()
        if force or now - self.last_dead_check > 0.25:
            self.last_dead_check = now
            dead = self.tmux.pane_dead(self.name)
            if dead:
                raise Died(dead)

    def wait_for(self, pred, deadline: float, what: str) -> tuple[float, str]:
        """Poll capture-pane until pred(text); return (time, text)."""
        interval = self.args.poll_interval
        while True:
            text = self.capture()
            now = time.perf_counter()
            if pred(text):
                return now, text
            if now > deadline:
                raise Timeout(what)
            self.check_alive()
            if interval:
                time.sleep(interval)

    def settle(self, quiet: float, deadline: float) -> str:
        """Wait until the pane text has not changed for `quiet` seconds."""
        text = self.capture()
        since = time.perf_counter()
        while True:
            time.sleep(min(0.02, quiet))
            new = self.capture()
            now = time.perf_counter()
            if new != text:
                text, since = new, now
            elif now - since >= quiet:
                return text
            if now > deadline:
                return text  # never fully quiet; go on with what we have
            self.check_alive()


def machine_info(python: str) -> dict:
    def cmd_out(argv: list[str]) -> str | None:
        try:
            p = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.SubprocessError):
            return None
        out = (p.stdout or p.stderr).strip()
        return out.splitlines()[0] if out else None

    vm = psutil.virtual_memory()
    return {
        "platform": platform.platform(),
        "machine": platform.machine(),
        "processor": platform.processor(),
        "cpu_count": os.cpu_count(),
        "cpu_count_physical": psutil.cpu_count(logical=False),
        "memory_total_mb": round(vm.total / 2**20),
        "loadavg_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "harness_python": platform.python_version(),
        "peer_python": python,
        "peer_python_version": cmd_out([python, "-c", "import platform; print(platform.python_version())"]),
        "textual_version": cmd_out([python, "-c", "import textual; print(textual.__version__)"]),
        "tree_sitter_version": cmd_out([python, "-c",
                                        "import importlib.metadata as m; print(m.version('tree-sitter'))"]),
        "tmux_version": cmd_out(["tmux", "-V"]),
        "vim_version": cmd_out(["vim", "--version"]) if shutil.which("vim") else None,
    }


def peer_available(cmd: str) -> str | None:
    """None if the program the command starts exists, else a note."""
    try:
        prog = shlex.split(cmd)[0]
    except (ValueError, IndexError):
        return "empty or malformed command"
    if os.sep in prog:
        return None if os.access(prog, os.X_OK) else f"{prog} not found"
    return None if shutil.which(prog) else f"{prog} not installed"


def pane_rss(tmux: Tmux, name: str) -> tuple[int, int] | None:
    pid = tmux.display(name, "#{pane_pid}")
    if not pid or not pid.isdigit():
        return None
    try:
        root = psutil.Process(int(pid))
        procs = [root, *root.children(recursive=True)]
    except psutil.Error:
        return None
    total = 0
    count = 0
    for p in procs:
        try:
            total += p.memory_info().rss
            count += 1
        except psutil.Error:
            pass
    return total, count


def measure(tmux: Tmux, res: Result, cmd: str, args: argparse.Namespace,
            peer_deadline: float, run_id: str) -> None:
    name = f"tm-{run_id}-{res.peer}-{res.size}"
    sess = Session(tmux, name, args)
    t_start = time.perf_counter()
    try:
        t0 = time.perf_counter()
        tmux.new_session(name, cmd, args.width, args.height, str(REPO_DIR))

        # first paint
        deadline = min(t0 + args.paint_timeout, peer_deadline)
        try:
            t_paint, _ = sess.wait_for(lambda s: MARKER in s, deadline, "first paint")
        except Timeout:
            res.status = "timeout"
            res.note = f"no first paint after {time.perf_counter() - t0:.1f} s"
            return
        res.first_paint_s = t_paint - t0

        # let the screen go quiet before typing
        sess.settle(args.settle, min(time.perf_counter() + args.paint_timeout, peer_deadline))
        res.settled_s = time.perf_counter() - t0

        # harness cost: one capture-pane call, median of several
        caps = []
        for _ in range(15):
            c0 = time.perf_counter()
            sess.capture()
            caps.append(time.perf_counter() - c0)
        res.capture_ms = statistics.median(caps) * 1000

        sends = []
        polls = []
        for i in range(args.keys):
            time.sleep(args.key_gap)
            base = sess.settle(args.key_quiet, min(time.perf_counter() + args.key_timeout, peer_deadline))
            ch = KEY_CHARS[i % len(KEY_CHARS)]
            deadline = min(time.perf_counter() + args.key_timeout, peer_deadline)
            n_polls = 0

            def changed(text: str) -> bool:
                nonlocal n_polls
                n_polls += 1
                return text != base

            k0 = time.perf_counter()
            if not tmux.send_literal(name, ch):
                raise Died(tmux.pane_dead(name) or "send-keys failed")
            sends.append(time.perf_counter() - k0)
            res.keys_sent += 1
            try:
                t_seen, _ = sess.wait_for(changed, deadline, f"key {i + 1}")
            except Timeout:
                res.status = "timeout"
                res.note = f"key {i + 1}: no screen change after {time.perf_counter() - k0:.1f} s"
                break
            res.latencies_ms.append((t_seen - k0) * 1000)
            res.key_at_s.append(k0 - t0)
            polls.append(n_polls)
        if sends:
            res.send_ms = statistics.median(sends) * 1000
        if polls:
            res.polls_per_key = statistics.mean(polls)

        rss = pane_rss(tmux, name)
        if rss:
            res.rss_bytes, res.procs = rss
            res.rss_mb = rss[0] / 2**20
    except KeyboardInterrupt:
        res.status = "interrupted"
        raise
    except subprocess.CalledProcessError as exc:
        res.status = "error"
        res.note = "tmux new-session failed: " + exc.stderr.decode(errors="replace").strip()
    except Died as exc:
        res.status = "error"
        p = tmux.run("capture-pane", "-p", "-J", "-S", "-", "-t", name)
        tail = p.stdout.decode("utf-8", "replace") if p.returncode == 0 else ""
        lines = [ln.strip() for ln in tail.splitlines()
                 if ln.strip() and not ln.startswith("Pane is dead")]
        res.note = str(exc) + (": " + " | ".join(lines[-2:]) if lines else "")
    finally:
        tmux.kill(name)
        res.wall_s = time.perf_counter() - t_start
        lat = res.latencies_ms
        if lat:
            res.p50_ms = percentile(lat, 50)
            res.p95_ms = percentile(lat, 95)
            res.p99_ms = percentile(lat, 99)
            res.max_ms = max(lat)
            res.mean_ms = statistics.mean(lat)


# --------------------------------------------------------------------------
# output


def fmt(v: float | None, spec: str) -> str:
    return "-" if v is None else format(v, spec)


def table(results: list[Result]) -> str:
    head = ["peer", "size", "paint s", "p50 ms", "p95 ms", "p99 ms", "max ms",
            "RSS MB", "cap ms", "status"]
    rows = [head]
    for r in results:
        status = r.status if not r.note else f"{r.status}: {r.note}"
        if r.status == "ok" and r.latencies_ms:
            status = f"ok ({len(r.latencies_ms)} keys)"
        rows.append([
            r.peer, r.size, fmt(r.first_paint_s, ".2f"),
            fmt(r.p50_ms, ".1f"), fmt(r.p95_ms, ".1f"), fmt(r.p99_ms, ".1f"),
            fmt(r.max_ms, ".1f"), fmt(r.rss_mb, ".1f"), fmt(r.capture_ms, ".1f"),
            status[:100],
        ])
    widths = [max(len(row[i]) for row in rows) for i in range(len(head) - 1)]
    out = []
    for j, row in enumerate(rows):
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        out.append("  ".join(cells) + "  " + row[-1])
        if j == 0:
            out.append("-" * len(out[0]))
    return "\n".join(out)


# --------------------------------------------------------------------------
# main


def ensure_file(workdir: Path, n: int, seed: int) -> Path:
    path = workdir / f"gen-{format_size(n)}-seed{seed}.py"
    if path.exists() and path.stat().st_size == n:
        with open(path, "rb") as f:
            if f.readline().rstrip(b"\n") == MARKER.encode():
                return path
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(generate_python(n, seed))
    tmp.replace(path)
    return path


def compile_checkouts(templates: dict[str, str], peers: list[str]) -> list[str]:
    """Byte-compile the ``kiro_proto`` package of this repository and of every checkout a
    peer's command runs in (``env -C DIR ...``), as an installed package is. Without it, a
    source tree under ``PYTHONDONTWRITEBYTECODE`` (or read-only) compiles every module at
    every start: time no installed editor spends (starting the engine measured 235 ms that
    way against 70-125 ms compiled). Returns the folders compiled."""
    import compileall
    import shlex

    folders = {REPO_DIR}
    for peer in peers:
        words = shlex.split(templates.get(peer, ""))
        for i, word in enumerate(words[:-1]):
            if word == "-C" and words[0].endswith("env"):
                folders.add(Path(words[i + 1].replace("{repo}", str(REPO_DIR))))
    done = []
    for folder in sorted(folders):
        package = folder / "kiro_proto"
        # not the bundled sample workspace: it is a folder users open, not code we run
        if package.is_dir() and compileall.compile_dir(str(package), quiet=1,
                                                       rx=re.compile(r"[/\\]sample[/\\]")):
            done.append(str(package))
    return done


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    default_python = REPO_DIR / ".venv" / "bin" / "python"
    ap = argparse.ArgumentParser(
        description="Measure first paint, keystroke-to-screen latency and RSS of "
                    "terminal editors through tmux.")
    ap.add_argument("--sizes", default="100KB,1MB", help="comma list, e.g. 100KB,1MB,10MB (KB=1000 B)")
    ap.add_argument("--peers", default="kiro,textarea,vim", help="comma list of peer names")
    ap.add_argument("--keys", type=int, default=30, help="keystrokes per peer and size")
    ap.add_argument("--json", metavar="FILE", help="write results and machine info as JSON")
    ap.add_argument("--workdir", help="cache dir for generated files (default: a temp dir, removed)")
    ap.add_argument("--seed", type=int, default=0, help="generator seed")
    ap.add_argument("--python", default=str(default_python if default_python.exists() else sys.executable),
                    help="interpreter for Python peers ({python} in commands)")
    ap.add_argument("--kiro-cmd", default=DEFAULT_PEERS["kiro"],
                    help="command template for the kiro peer (default: %(default)r)")
    ap.add_argument("--peer-cmd", action="append", default=[], metavar="NAME=TEMPLATE",
                    help="add or override a peer; template fields {python} {repo} {bench} {file}")
    ap.add_argument("--width", type=int, default=120)
    ap.add_argument("--height", type=int, default=40)
    ap.add_argument("--key-gap", type=float, default=0.075, help="seconds idle before each key")
    ap.add_argument("--key-quiet", type=float, default=0.02,
                    help="pane must be unchanged this long before a key is sent (s)")
    ap.add_argument("--settle", type=float, default=0.5,
                    help="after first paint, wait until the pane is unchanged this long (s)")
    ap.add_argument("--poll-interval", type=float, default=0.0,
                    help="sleep between capture-pane polls (s); 0 = as fast as possible")
    ap.add_argument("--key-timeout", type=float, default=30.0, help="per-key timeout (s)")
    ap.add_argument("--paint-timeout", type=float, default=120.0, help="first-paint timeout (s)")
    ap.add_argument("--peer-timeout", type=float, default=600.0,
                    help="overall time budget per peer, all sizes together (s)")
    ap.add_argument("--no-compile", action="store_true",
                    help="do not byte-compile kiro_proto first (see compile_checkouts)")
    args = ap.parse_args(argv)
    args.peer_templates = dict(DEFAULT_PEERS, kiro=args.kiro_cmd)
    for spec in args.peer_cmd:
        name, sep, tmpl = spec.partition("=")
        if not sep or not name:
            ap.error(f"--peer-cmd wants NAME=TEMPLATE, got {spec!r}")
        args.peer_templates[name] = tmpl
    args.size_list = [parse_size(s) for s in args.sizes.split(",") if s.strip()]
    args.peer_list = [p.strip() for p in args.peers.split(",") if p.strip()]
    for p in args.peer_list:
        if p not in args.peer_templates:
            ap.error(f"unknown peer {p!r} (known: {', '.join(args.peer_templates)}; add with --peer-cmd)")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not shutil.which("tmux"):
        print("typometer: tmux is not installed", file=sys.stderr)
        return 2

    tmux = Tmux()
    atexit.register(tmux.kill_all_live)

    def on_signal(signum, frame):  # turn SIGTERM/SIGHUP into a clean unwind
        raise KeyboardInterrupt

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)

    tmpdir = None
    if args.workdir:
        workdir = Path(args.workdir)
        workdir.mkdir(parents=True, exist_ok=True)
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="typometer-")
        workdir = Path(tmpdir.name)

    if not args.no_compile:
        for package in compile_checkouts(args.peer_templates, args.peer_list):
            print(f"typometer: byte-compiled {package}", file=sys.stderr)
    info = machine_info(args.python)
    run_id = f"{os.getpid()}-{int(time.time()) % 100000}"
    results: list[Result] = []
    used: dict[str, float] = {p: 0.0 for p in args.peer_list}
    gave_up: dict[str, str] = {}
    t_run = time.perf_counter()
    interrupted = False
    try:
        for n in args.size_list:
            size = format_size(n)
            t_gen = time.perf_counter()
            path = ensure_file(workdir, n, args.seed)
            print(f"[{size}] file {path} ({time.perf_counter() - t_gen:.2f} s to generate)", file=sys.stderr)
            for peer in args.peer_list:
                tmpl = args.peer_templates[peer]
                cmd = tmpl.format(python=shlex.quote(args.python), repo=shlex.quote(str(REPO_DIR)),
                                  bench=shlex.quote(str(BENCH_DIR)), file=shlex.quote(str(path)))
                res = Result(peer=peer, size=size, size_bytes=n, command=cmd)
                results.append(res)
                missing = peer_available(cmd)
                if missing:
                    res.status, res.note = "skipped", missing
                elif peer in gave_up:
                    res.status, res.note = "skipped", gave_up[peer]
                elif used[peer] >= args.peer_timeout:
                    res.status, res.note = "timeout", f"peer budget of {args.peer_timeout:.0f} s used up"
                else:
                    print(f"[{size}] {peer}: {cmd}", file=sys.stderr)
                    t0 = time.perf_counter()
                    measure(tmux, res, cmd, args, t0 + args.peer_timeout - used[peer], run_id)
                    used[peer] += time.perf_counter() - t0
                    if res.status == "timeout" and res.first_paint_s is None:
                        gave_up[peer] = f"no first paint at {size}"
                print(f"[{size}] {peer}: {res.status} {res.note}".rstrip(), file=sys.stderr)
    except KeyboardInterrupt:
        interrupted = True
        print("typometer: interrupted; partial results follow", file=sys.stderr)
    finally:
        tmux.kill_all_live()
        if tmpdir is not None:
            tmpdir.cleanup()

    info["loadavg_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
    print(table(results))
    notes = [r for r in results if r.status != "ok" and r.note]
    if notes:
        print()
        for r in notes:
            print(f"{r.peer} {r.size}: {r.status}: {r.note}")
    if any(r.capture_ms for r in results):
        caps = [r.capture_ms for r in results if r.capture_ms]
        sends = [r.send_ms for r in results if r.send_ms]
        print(f"\nharness: one capture-pane ~{statistics.median(caps):.1f} ms, one send-keys "
              f"~{statistics.median(sends):.1f} ms (median; included in, not subtracted from, "
              f"the latencies)" if sends else "")
    if args.json:
        doc = {
            "tool": "kiro-proto bench/typometer.py",
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "wall_s": time.perf_counter() - t_run,
            "interrupted": interrupted,
            "machine": info,
            "config": {k: getattr(args, k) for k in (
                "keys", "seed", "width", "height", "key_gap", "key_quiet", "settle",
                "poll_interval", "key_timeout", "paint_timeout", "peer_timeout", "python")}
            | {"sizes": [format_size(n) for n in args.size_list], "peers": args.peer_list,
               "marker": MARKER, "socket": SOCKET},
            "results": [asdict(r) for r in results],
        }
        with open(args.json, "w") as f:
            json.dump(doc, f, indent=2)
            f.write("\n")
        print(f"wrote {args.json}", file=sys.stderr)
    return 130 if interrupted else 0


if __name__ == "__main__":
    raise SystemExit(main())
