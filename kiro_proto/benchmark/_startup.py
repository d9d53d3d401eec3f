"""Child process for the start-up workload: ``python _startup.py [PATH...]``.

Prints one JSON line of wall-clock stamps (``time.time()`` seconds, comparable with the
parent's stamp taken just before it spawned this interpreter): interpreter started (first
line of this script), imports done (``kiro_proto.ui`` with Textual), app constructed, first
paint (first frame composed under the headless driver), ready (mounted and every start-up
message handled: keys typed now are handled at once), engine (the trio engine is running;
started during mount with the ``deferred_start`` switch off, after the first paint by
default).
"""

import time

_T_START = time.time()
_P_START = time.perf_counter()

import asyncio  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def _wall(perf: float) -> float:
    return _T_START + (perf - _P_START)


def main(argv: list[str]) -> None:
    stamps = {"interpreter": _T_START}
    from kiro_proto.ui import KiroApp

    stamps["imports"] = time.time()
    from kiro_proto.cli import sample_workspace

    if argv:
        paths, workspace = argv, None
    else:
        workspace = sample_workspace()
        paths = [os.path.join(workspace, "README.md")]
    app = KiroApp(paths, workspace=workspace)
    stamps["constructed"] = time.time()
    from kiro_proto.benchmark._frames import FrameProbe

    async def engine_running() -> None:
        while getattr(getattr(app, "bridge", None), "engine", None) is None:
            await asyncio.sleep(0.002)
        stamps["engine"] = time.time()

    async def run() -> None:
        watch = asyncio.create_task(engine_running())
        with FrameProbe(app) as probe:
            async with app.run_test(size=(120, 40)):
                stamps["ready"] = time.time()
                frame = await probe.wait_for(lambda f: True, timeout=30)
                stamps["first_paint"] = _wall(frame.end) if frame else None
                import psutil

                me = psutil.Process()
                stamps["rss_bytes"] = me.memory_info().rss + sum(
                    c.memory_info().rss for c in me.children(recursive=True))
                try:
                    await asyncio.wait_for(watch, 30)
                except asyncio.TimeoutError:
                    stamps["engine"] = None

    asyncio.run(run())
    print(json.dumps(stamps), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
