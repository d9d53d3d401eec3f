"""Standalone measurements of the plugin machinery, headless under ``trio.run`` (used by
``bench/plugins_bench.py``, the tests, and meant for the benchmark mode):
activation latency with the host running, the cold host start, manifest discovery cost,
and how many frames a burst of edits takes with and without batching.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from typing import Any

__all__ = ["make_dummy_plugins", "measure_activation", "measure_batching",
           "measure_discovery"]

_DUMMY = '''\
def activate(ctx):
    ctx.register_command("{name}.hello", lambda ctx, args: "hello from {name}")
'''


def make_dummy_plugins(folder: str, n: int, *, prefix: str = "dummy") -> list[str]:
    """``n`` plugin folders, each one command (``NAME.hello``), activated on that command."""
    names = []
    for i in range(n):
        name = f"{prefix}{i:03d}"
        path = os.path.join(folder, name)
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "plugin.toml"), "w") as f:
            f.write(f'name = "{name}"\nversion = "1.0"\nentry = "{name}"\n'
                    f'activation = ["onCommand:{name}.hello"]\n'
                    f'[[commands]]\nname = "{name}.hello"\ntitle = "Hello {i}"\n')
        with open(os.path.join(path, f"{name}.py"), "w") as f:
            f.write(_DUMMY.format(name=name))
        names.append(name)
    return names


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure_activation(n: int = 50) -> dict[str, Any]:
    """Activation of ``n`` dummy plugins, each from its ``RunPluginCommand`` (the trigger)
    to the plugin's first answer, with the host already running; plus the cold host start
    (spawn to the first answer). Seconds."""
    import trio

    from ...plugin_host._manifest import read_manifest
    from ._messages import LoadPlugins, PluginCommandDone, RunPluginCommand
    from ._service import PluginService

    with tempfile.TemporaryDirectory() as tmp:
        names = make_dummy_plugins(tmp, n)
        manifests = tuple(read_manifest(os.path.join(tmp, name), "path") for name in names)
        result: dict[str, Any] = {}

        async def main() -> None:
            done: dict[int, trio.Event] = {}
            answers: dict[int, PluginCommandDone] = {}

            def emit(event) -> None:
                if isinstance(event, PluginCommandDone):
                    answers[event.request_id] = event
                    done[event.request_id].set()

            service = PluginService(emit, log_path=os.path.join(tmp, "host.log"))
            send, receive = trio.open_memory_channel(64)
            async with trio.open_nursery() as nursery:
                nursery.start_soon(service.serve, receive)
                await send.send(LoadPlugins(manifests, None))
                while service.worker is None:
                    await trio.sleep(0.001)
                t0 = time.perf_counter()
                await service.ensure_host()
                result["cold_start_s"] = time.perf_counter() - t0
                times = []
                for i, name in enumerate(names):
                    done[i] = trio.Event()
                    t0 = time.perf_counter()
                    await send.send(RunPluginCommand(i, name, f"{name}.hello", {}))
                    await done[i].wait()
                    times.append(time.perf_counter() - t0)
                    assert answers[i].error is None, answers[i].error
                result["activation_s"] = times
                result["activation_p50_s"] = statistics.median(times)
                result["activation_p95_s"] = _p95(times)
                # The same commands again: the plugins are active, one round trip each.
                warm = []
                for i, name in enumerate(names):
                    done[n + i] = trio.Event()
                    t0 = time.perf_counter()
                    await send.send(RunPluginCommand(n + i, name, f"{name}.hello", {}))
                    await done[n + i].wait()
                    warm.append(time.perf_counter() - t0)
                result["command_p50_s"] = statistics.median(warm)
                result["command_p95_s"] = _p95(warm)
                nursery.cancel_scope.cancel()

        trio.run(main)
    return result


def measure_discovery(n: int = 100, *, runs: int = 5) -> dict[str, float]:
    """Seconds to read ``n`` manifests (median of ``runs``), and of the bundled ones."""
    from ...plugin_host._manifest import discover

    with tempfile.TemporaryDirectory() as tmp:
        make_dummy_plugins(tmp, n)
        old = os.environ.get("KIRO_PLUGIN_PATH")
        try:
            os.environ.pop("KIRO_PLUGIN_PATH", None)
            base = statistics.median(discover().seconds for _ in range(runs))
            os.environ["KIRO_PLUGIN_PATH"] = tmp
            found = discover()
            assert len(found.manifests) >= n
            with_n = statistics.median(discover().seconds for _ in range(runs))
        finally:
            if old is None:
                os.environ.pop("KIRO_PLUGIN_PATH", None)
            else:
                os.environ["KIRO_PLUGIN_PATH"] = old
    return {"bundled_s": base, f"with_{n}_s": with_n, "added_s": with_n - base}


def measure_batching(edits: int = 200, *, interval: float = 0.005,
                     tick: float | None = None) -> dict[str, Any]:
    """Type ``edits`` one-character edits ``interval`` seconds apart into a mirrored buffer:
    frames sent to the host with the batching tick (default 50 ms) and with ``tick=0``
    (one frame per event, as an unbatched client would), and the mirror's final check."""
    import trio

    from ...core import Document, Pos
    from .._messages import ApplyEdit, OpenDocument
    from ._service import TICK, PluginService

    out: dict[str, Any] = {}
    for label, t in (("batched", TICK if tick is None else tick), ("unbatched", 0.0)):
        async def main() -> None:
            service = PluginService(lambda e: None, tick=t,
                                    log_path=os.path.join(tempfile.gettempdir(), "kiro-bench.log"))
            send, receive = trio.open_memory_channel(64)
            async with trio.open_nursery() as nursery:
                nursery.start_soon(service.serve, receive)
                while service.worker is None:
                    await trio.sleep(0.001)
                doc = Document(b"")
                service.observe(OpenDocument(1, doc, "Text"))
                await service.ensure_host()
                await service.flush()
                f0, e0 = service.frames_sent, service.events_sent
                t0 = time.perf_counter()
                for i in range(edits):
                    edit = doc.insert(doc.clamp(Pos(0, i)), "x")
                    service.observe(ApplyEdit(1, edit))
                    await trio.sleep(interval)
                await trio.sleep(t + 0.02)
                await service.flush()
                out[label] = {"frames": service.frames_sent - f0,
                              "events": service.events_sent - e0,
                              "seconds": time.perf_counter() - t0}
                nursery.cancel_scope.cancel()

        trio.run(main)
    return out
