"""The lazy module registry: one table of names -> loaders (modules, grammars, plugins, heavy
subsystems). Nothing is imported until its first ``load``; each load records what it cost.

Standard library only, so the command line (``kiro-proto --modules``) and the start-up path
can consult it for free. With the ``lazy_registry`` switch off (``KIRO_ABLATE=lazy_registry``)
``startup()`` imports everything registered at once: the eager baseline the benchmark
compares against. See docs/patterns/04-lazy-loading.md.
"""

from __future__ import annotations

import importlib
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

from . import switches

__all__ = ["Registry", "ModuleInfo", "REGISTRY", "load", "startup", "costs", "format_table",
           "measure_startup"]


@dataclass(frozen=True, slots=True)
class ModuleInfo:
    """One registered entry. ``seconds``: wall time of the load through the registry (None
    when it was never loaded through it); ``loaded``: loaded in this process by any path."""

    name: str
    kind: str  # "module", "subsystem", "grammar", "lexers", "plugin", ...
    target: str  # a module path, or a description of the loader
    loaded: bool
    seconds: float | None
    error: str | None
    needed_at_start: bool  # the first paint needs it (so lazy loading cannot defer it)


class _Entry:
    __slots__ = ("name", "kind", "target", "loader", "probe", "value", "seconds", "error",
                 "needed_at_start")

    def __init__(self, name: str, kind: str, target: str, loader: Callable[[], Any],
                 probe: str | None, needed_at_start: bool) -> None:
        self.name = name
        self.kind = kind
        self.target = target
        self.loader = loader
        self.probe = probe  # a module whose presence in sys.modules means "loaded"
        self.value: Any = None
        self.seconds: float | None = None
        self.error: str | None = None
        self.needed_at_start = needed_at_start


class Registry:
    """Names -> loaders. Thread-safe; a load runs at most once (a failed one is recorded and
    raised again on each later ``load``)."""

    def __init__(self) -> None:
        self._entries: dict[str, _Entry] = {}
        self._lock = threading.RLock()

    def register(self, name: str, target: str | Callable[[], Any], *, kind: str = "module",
                 probe: str | None = None, description: str | None = None,
                 needed_at_start: bool = False) -> None:
        """``target``: a module path (imported on load) or a callable (called on load).
        ``probe``: the module that shows the entry is loaded when something imported it
        directly (defaults to ``target`` for module paths)."""
        if isinstance(target, str):
            module = target
            loader: Callable[[], Any] = lambda: importlib.import_module(module)
            shown = target
            probe = probe or target
        else:
            loader = target
            shown = description or getattr(target, "__qualname__", repr(target))
        with self._lock:
            self._entries[name] = _Entry(name, kind, shown, loader, probe, needed_at_start)

    def __contains__(self, name: str) -> bool:
        return name in self._entries

    def names(self, kind: str | None = None) -> list[str]:
        return [n for n, e in self._entries.items() if kind is None or e.kind == kind]

    def load(self, name: str) -> Any:
        """The entry's value (a module, or what its loader returned), loading it now if this
        is the first use."""
        entry = self._entries[name]
        if entry.seconds is not None:
            if entry.error is not None:
                raise ImportError(entry.error)
            return entry.value
        with self._lock:
            if entry.seconds is None:
                t0 = time.perf_counter()
                try:
                    entry.value = entry.loader()
                except Exception as err:  # noqa: BLE001 - recorded, then raised
                    entry.error = f"{type(err).__name__}: {err}"
                entry.seconds = time.perf_counter() - t0
        if entry.error is not None:
            raise ImportError(entry.error)
        return entry.value

    def is_loaded(self, name: str) -> bool:
        entry = self._entries[name]
        if entry.seconds is not None and entry.error is None:
            return True
        return entry.probe is not None and entry.probe in sys.modules

    def load_all(self) -> dict[str, float]:
        """Load every entry (the eager mode); returns seconds per entry loaded now."""
        spent = {}
        for name in list(self._entries):
            if self._entries[name].seconds is None:
                try:
                    self.load(name)
                except ImportError:
                    pass
                spent[name] = self._entries[name].seconds or 0.0
        return spent

    def statistics(self) -> tuple[ModuleInfo, ...]:
        return tuple(ModuleInfo(e.name, e.kind, e.target, self.is_loaded(e.name), e.seconds,
                                e.error, e.needed_at_start)
                     for e in self._entries.values())


REGISTRY = Registry()


def _register_defaults(reg: Registry) -> None:
    """The heavy subsystems. Module paths only: registering imports nothing."""
    reg.register("ui", "kiro_proto.ui", kind="subsystem", needed_at_start=True)
    reg.register("pygments.lexers", "pygments.lexers", kind="lexers", needed_at_start=True)
    reg.register("file_tree", "textual.widgets._directory_tree", kind="widget",
                 needed_at_start=True)  # shown at start when a folder is opened
    reg.register("journal", "kiro_proto.engine.journal", kind="subsystem",
                 needed_at_start=True)  # the recovery journal records the first keystroke
    reg.register("engine", "kiro_proto.engine._engine", kind="subsystem")
    reg.register("engine.bridge", "kiro_proto.ui._bridge", kind="subsystem")
    reg.register("syntax.process", "kiro_proto.engine._syntax_process", kind="subsystem")
    reg.register("syntax.sliced", "kiro_proto.engine._syntax", kind="subsystem")
    reg.register("tree_sitter", "tree_sitter", kind="module")
    reg.register("workspace.index", "kiro_proto.engine._workspace", kind="subsystem")
    reg.register("workspace.quick_open", "kiro_proto.ui._quickopen", kind="widget")
    reg.register("plugins.manifests", "kiro_proto.plugin_host._manifest", kind="subsystem")
    reg.register("plugins.service", "kiro_proto.engine.plugins._service", kind="subsystem")
    reg.register("plugins.ui", "kiro_proto.ui._plugins", kind="widget")
    # Each grammar: the wheel plus its compiled highlight query (engine/_grammars.py).
    from .engine._grammars import GRAMMARS  # a stdlib-only module: names, no wheels

    for language, spec in GRAMMARS.items():
        reg.register(f"grammar:{language}", _grammar_loader(language), kind="grammar",
                     probe=spec.module, description=f"{spec.module} + highlight query")


def _grammar_loader(language: str) -> Callable[[], Any]:
    def load_grammar() -> Any:
        from .engine._grammars import grammar_for

        return grammar_for(language)

    return load_grammar


_register_defaults(REGISTRY)


def load(name: str) -> Any:
    """``REGISTRY.load(name)``."""
    return REGISTRY.load(name)


def startup() -> None:
    """Called once as the app starts: with ``lazy_registry`` off, load everything now."""
    if not switches.SWITCHES.lazy_registry:
        REGISTRY.load_all()


def costs() -> dict[str, float]:
    """Seconds each entry cost when it was loaded through the registry (for the benchmark)."""
    return {i.name: i.seconds for i in REGISTRY.statistics() if i.seconds is not None}


def format_table(infos: tuple[ModuleInfo, ...] | None = None, *,
                 before: dict[str, bool] | None = None) -> str:
    """A plain-text table: name, kind, loaded, cost. ``before``: loaded state to show
    instead of the current one (``--modules`` loads each entry to measure it)."""
    infos = REGISTRY.statistics() if infos is None else infos
    rows = [("name", "kind", "loaded", "cost ms", "target")]
    for i in infos:
        loaded = before.get(i.name, i.loaded) if before is not None else i.loaded
        cost = ("error" if i.error else f"{i.seconds * 1e3:.1f}") if i.seconds is not None \
            else "-"
        mark = "yes" if loaded else "no"
        if i.needed_at_start:
            mark += " (start)"
        rows.append((i.name, i.kind, mark, cost, i.target))
    widths = [max(len(r[c]) for r in rows) for c in range(5)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip()
                     for r in rows)


def measure_startup(*, runs: int = 3, plugins_dir: str | None = None,
                    timeout: float = 60.0) -> dict[str, Any]:
    """Start-up with the registry on and off (eager imports), each in fresh interpreters:
    median seconds from interpreter start to the first painted frame (headless, Pilot).
    ``plugins_dir``: extra plugin folders (``KIRO_PLUGIN_PATH``) for the plugin-count cost."""
    import json
    import os
    import statistics
    import subprocess

    probe = (
        "import time; t0 = time.perf_counter()\n"
        "import asyncio, json, sys\n"
        "from kiro_proto.ui import KiroApp\n"
        "app = KiroApp([])\n"
        "async def main():\n"
        "    async with app.run_test(size=(100, 30)) as pilot:\n"
        "        t1 = time.perf_counter()\n"
        "        await pilot.pause()\n"
        "        print(json.dumps({'first_paint': t1 - t0, 'modules': len(sys.modules)}))\n"
        "asyncio.run(main())\n")
    result: dict[str, Any] = {}
    for label, ablate in (("lazy", ""), ("eager", "lazy_registry")):
        env = dict(os.environ, KIRO_ABLATE=ablate)
        if plugins_dir:
            env["KIRO_PLUGIN_PATH"] = plugins_dir
        times, modules = [], 0
        for _ in range(runs):
            out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                                 text=True, timeout=timeout, check=True).stdout
            line = json.loads(out.strip().splitlines()[-1])
            times.append(line["first_paint"])
            modules = line["modules"]
        result[label] = {"first_paint_s": statistics.median(times), "modules": modules}
    return result
