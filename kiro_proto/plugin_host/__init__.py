"""The plugin host: manifests (read without importing plugins, ``_manifest.py``) and the
host process that runs activated plugins (``_host.py``, ``python -m kiro_proto.plugin_host``).

Names are re-exported lazily (PEP 562), so reading manifests does not import msgpack.
"""

from __future__ import annotations

from kiro_proto._lazy import lazy_exports

_EXPORTS = {
    "Manifest": "_manifest", "CommandInfo": "_manifest", "ManifestProblem": "_manifest",
    "discover": "_manifest", "read_manifest": "_manifest", "plugin_folders": "_manifest",
    "ENTRY_POINT_GROUP": "_manifest", "Discovery": "_manifest",
    "Host": "_host", "HOST_MAX_FRAME": "_host",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
