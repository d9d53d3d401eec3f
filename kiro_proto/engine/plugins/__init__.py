"""kiro_proto.engine.plugins: the editor's side of plugins (the service that starts the
plugin host, activates plugins on their events and batches buffer events into frames).

Lazy (PEP 562) like ``kiro_proto.engine``: importing a message imports neither trio nor
the service.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "PluginService": "_service", "PluginStatistics": "_service",
    "PluginHostWorker": "_service", "DEADLINE": "_service", "plugin_log_path": "_service",
    "LoadPlugins": "_messages", "RunPluginCommand": "_messages", "DocumentSaved": "_messages",
    "PluginActivated": "_messages", "PluginCommandDone": "_messages",
    "PluginOutputs": "_messages", "PluginStateChanged": "_messages",
    "PluginHostDown": "_messages", "PluginChannelClosed": "_messages",
    "PLUGIN_REQUESTS": "_messages",
    "measure_activation": "_measure", "make_dummy_plugins": "_measure",
    "measure_batching": "_measure", "measure_discovery": "_measure",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
