"""kiro_proto.engine.plugins: the editor's side of plugins (the service that starts the
plugin host, activates plugins on their events and batches buffer events into frames).

Lazy (PEP 562) like ``kiro_proto.engine``: importing a message imports neither trio nor
the service.
"""

from __future__ import annotations

from kiro_proto._lazy import lazy_exports

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


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
